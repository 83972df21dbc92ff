"""Rename category names that differ from another only in case, before 0006 makes them unique ignoring case.

As frameworks/0012 does for the catalogue: every row after the first of a group whose names read
the same (editorial.names.name_key) gets its id appended, so the next migration never fails.
"""

from django.db import migrations

from editorial.names import rename_lookalikes


def rename_existing_lookalikes(apps, schema_editor):
    rename_lookalikes(apps.get_model("articles", "Category"))


class Migration(migrations.Migration):
    dependencies = [("articles", "0004_text_fields_normalised")]

    operations = [migrations.RunPython(rename_existing_lookalikes, migrations.RunPython.noop)]
