"""Refuse as-of dates in the future in the database itself.

A CHECK constraint cannot say this portably: SQLite forbids 'now' in CHECK
constraints. A trigger can, on both SQLite and PostgreSQL. One day of slack
covers editors whose local date is ahead of UTC; the model validator gives
them the friendly message first.
"""

from django.db import migrations

TABLES = ("frameworks_measurement", "frameworks_adoption")

SQLITE = """
CREATE TRIGGER {table}_as_of_not_future_{op}
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
CREATE TRIGGER {table}_as_of_not_future BEFORE INSERT OR UPDATE ON {table}
FOR EACH ROW EXECUTE FUNCTION compare_site_as_of_not_future();
"""


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for table in TABLES:
            for op in ("INSERT", "UPDATE"):
                schema_editor.execute(SQLITE.format(table=table, op=op))
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_FUNCTION)
        for table in TABLES:
            schema_editor.execute(POSTGRES_TRIGGER.format(table=table))


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "sqlite":
            for op in ("INSERT", "UPDATE"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_as_of_not_future_{op}")
        elif vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_as_of_not_future ON {table}")
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS compare_site_as_of_not_future()")


class Migration(migrations.Migration):
    dependencies = [("frameworks", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
