"""The full-text index in the database, beside ``search_searchentry``.

SQLite: ``search_fts``, an FTS5 external-content table over the entries'
title and body (unicode61 tokenizer, diacritics removed, so "cafe" finds
"café"), kept in step by triggers on the entries table. SQLite drops a
table's triggers when a migration rebuilds the table, so a migration that
alters SearchEntry must call ``create`` again afterwards (it is idempotent)
and then rebuild the index (``manage.py rebuild_search_index``).

PostgreSQL: a GIN index on ``search_vector`` (filled by ``indexing``) and a
trigram GIN index on ``title`` for typo-tolerant fallbacks, and an index on
``UPPER(title)`` for exact names; the
``pg_trgm`` extension is created by the migration's TrigramExtension.
"""

TABLE = "search_searchentry"
FTS = "search_fts"

SQLITE = [
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5(
        title, body, content='{TABLE}', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    )""",
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_fts_insert AFTER INSERT ON {TABLE} BEGIN
        INSERT INTO {FTS}(rowid, title, body) VALUES (new.id, new.title, new.body);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_fts_delete AFTER DELETE ON {TABLE} BEGIN
        INSERT INTO {FTS}({FTS}, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_fts_update AFTER UPDATE OF title, body ON {TABLE} BEGIN
        INSERT INTO {FTS}({FTS}, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO {FTS}(rowid, title, body) VALUES (new.id, new.title, new.body);
    END""",
    # Entries already there (a re-run after a table rebuild): index them again.
    f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {TABLE}_fts_insert",
    f"DROP TRIGGER IF EXISTS {TABLE}_fts_delete",
    f"DROP TRIGGER IF EXISTS {TABLE}_fts_update",
    f"DROP TABLE IF EXISTS {FTS}",
]
POSTGRES = [
    f"CREATE INDEX IF NOT EXISTS search_entry_vector ON {TABLE} USING gin (search_vector)",
    f"CREATE INDEX IF NOT EXISTS search_entry_title_trgm ON {TABLE} USING gin (title gin_trgm_ops)",
    # Exact titles whatever the case: Django's iexact is UPPER(title) = UPPER(%s).
    f"CREATE INDEX IF NOT EXISTS search_entry_title_upper ON {TABLE} (UPPER(title))",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS search_entry_vector",
    "DROP INDEX IF EXISTS search_entry_title_trgm",
    "DROP INDEX IF EXISTS search_entry_title_upper",
]


def create(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    for statement in SQLITE if vendor == "sqlite" else POSTGRES if vendor == "postgresql" else []:
        schema_editor.execute(statement)


def drop(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    for statement in SQLITE_DROP if vendor == "sqlite" else POSTGRES_DROP if vendor == "postgresql" else []:
        schema_editor.execute(statement)
