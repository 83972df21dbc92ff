"""The database refuses as-of dates in the future: triggers on figures and adoptions.

A CHECK constraint cannot say this portably: SQLite forbids 'now' in CHECK
constraints. A trigger can, on both SQLite and PostgreSQL. One day of slack
covers editors whose local date is ahead of UTC; the model validator gives
them the friendly message first.

SQLite drops a table's triggers when a migration rebuilds the table (as it
does to add a NOT NULL column), so a migration that alters these tables must
call ``create`` again afterwards; it is idempotent.
"""


TABLES = ("frameworks_measurement", "frameworks_adoption")

SQLITE = """
CREATE TRIGGER IF NOT EXISTS {table}_as_of_not_future_{op}
BEFORE {op} ON {table}
FOR EACH ROW WHEN NEW.as_of > date('now', '+1 day')
BEGIN SELECT RAISE(ABORT, 'as_of is in the future'); END;
"""
POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION compare_site_as_of_not_future() RETURNS trigger AS $$
BEGIN
  IF NEW.as_of > (now() AT TIME ZONE 'UTC')::date + 1 THEN
    RAISE EXCEPTION 'as_of is in the future' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""
POSTGRES_TRIGGER = """
CREATE OR REPLACE TRIGGER {table}_as_of_not_future BEFORE INSERT OR UPDATE ON {table}
FOR EACH ROW EXECUTE FUNCTION compare_site_as_of_not_future();
"""


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for table in TABLES:
            for op in ("INSERT", "UPDATE"):
                schema_editor.execute(SQLITE.format(table=table, op=op))
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_FUNCTION)
        for table in TABLES:
            schema_editor.execute(POSTGRES_TRIGGER.format(table=table))


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "sqlite":
            for op in ("INSERT", "UPDATE"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_as_of_not_future_{op}")
        elif vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_as_of_not_future ON {table}")
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS compare_site_as_of_not_future()")
