"""Rename the names that differ from another only in case, before 0013 makes them unique ignoring case.

Every row after the first of a group whose names read the same (editorial.names.name_key) gets
its id appended, "Flask (7)", so the migration never fails and an editor can find and fix it.
"""

from django.db import migrations

from editorial.names import rename_lookalikes


def rename_existing_lookalikes(apps, schema_editor):
    for name in ["Framework", "Metric", "Organization", "Capability"]:
        rename_lookalikes(apps.get_model("frameworks", name))


class Migration(migrations.Migration):
    dependencies = [("frameworks", "0011_framework_chart_colour")]

    operations = [migrations.RunPython(rename_existing_lookalikes, migrations.RunPython.noop)]
