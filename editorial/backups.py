"""Consistent backups and restores, shared by the `backup` and `restore` commands.

SQLite: the online backup API copies a consistent snapshot while the site
keeps serving (and writing). PostgreSQL (or any other database, or SQLite on
request): `dumpdata` inside one REPEATABLE READ, READ ONLY transaction, so
every table is read at the same instant. Either way the backup is written to
a temporary file beside the target, verified, and only then renamed into
place: a backup file that exists is a complete one.
"""

import json
import os
import sqlite3
from pathlib import Path

from django.core.management import call_command
from django.db import connection, transaction

from .project import project_models

SQLITE_MAGIC = b"SQLite format 3\x00"
# Rebuilt by `migrate`, transient, or tied to one installation.
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "axes"]


class BackupError(Exception):
    pass


def default_format() -> str:
    return "sqlite" if connection.vendor == "sqlite" else "json"



def _replace_into_place(temp: Path, target: Path) -> None:
    os.replace(temp, target)
    dir_fd = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _temp_for(target: Path) -> Path:
    return target.with_name(f".{target.name}.partial")


def backup_sqlite(target: Path) -> str:
    if connection.vendor != "sqlite":
        raise BackupError("The SQLite format needs a SQLite database; use --format json.")
    temp = _temp_for(target)
    temp.unlink(missing_ok=True)
    connection.ensure_connection()
    destination = sqlite3.connect(temp)
    try:
        connection.connection.backup(destination)
        # A backup is one self-contained file: no -wal/-shm companions.
        destination.execute("PRAGMA journal_mode=DELETE")
    finally:
        destination.close()
    check = sqlite3.connect(f"file:{temp}?mode=ro", uri=True)
    try:
        (result,) = check.execute("PRAGMA integrity_check").fetchone()
        tables = {row[0] for row in check.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        check.close()
    expected = set(connection.introspection.table_names())
    if result != "ok" or not expected <= tables:
        temp.unlink(missing_ok=True)
        raise BackupError(f"The backup failed verification ({result}; missing tables: {sorted(expected - tables)}).")
    _replace_into_place(temp, target)
    return f"SQLite online backup, {len(tables)} tables, integrity ok"


def backup_json(target: Path) -> str:
    temp = _temp_for(target)
    temp.unlink(missing_ok=True)
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        call_command(
            "dumpdata",
            natural_foreign=True,
            natural_primary=True,
            exclude=EXCLUDED,
            output=str(temp),
            verbosity=0,
        )
        expected = {m._meta.label_lower: m._default_manager.count() for m in project_models()}
    try:
        with open(temp, encoding="utf-8") as fh:
            objects = json.load(fh)
    except (OSError, ValueError) as exc:
        temp.unlink(missing_ok=True)
        raise BackupError(f"The backup failed verification: {exc}") from exc
    found = {}
    for obj in objects:
        found[obj["model"]] = found.get(obj["model"], 0) + 1
    wrong = {label: (n, found.get(label, 0)) for label, n in expected.items() if found.get(label, 0) != n}
    if wrong:
        temp.unlink(missing_ok=True)
        raise BackupError(f"The backup failed verification (rows expected, found): {wrong}")
    _replace_into_place(temp, target)
    return f"dumpdata, {len(objects)} objects, counts verified"


def is_sqlite_file(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC


def content_counts() -> dict[str, int]:
    from django.contrib.auth import get_user_model

    counts = {m._meta.label: m._default_manager.count() for m in project_models()}
    counts["users"] = get_user_model()._default_manager.count()
    return {label: n for label, n in counts.items() if n}


def restore(path: Path) -> str:
    if not path.is_file():
        raise BackupError(f"No backup at {path}.")
    present = content_counts()
    if present:
        raise BackupError(
            "The database is not empty "
            f"({', '.join(f'{n} {label}' for label, n in present.items())}). Restore loads a backup into an empty, "
            "migrated database: point DATABASE_URL at a new one and run `manage.py migrate` first."
        )
    if is_sqlite_file(path):
        if connection.vendor != "sqlite":
            raise BackupError("This is a SQLite backup; it can only be restored into a SQLite database.")
        connection.ensure_connection()
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        return "SQLite backup restored"
    if path.suffix != ".json":
        raise BackupError(f"{path} is neither a SQLite backup nor a .json dump.")
    with transaction.atomic():
        call_command("loaddata", str(path), verbosity=0)
    return "dumpdata backup loaded"
