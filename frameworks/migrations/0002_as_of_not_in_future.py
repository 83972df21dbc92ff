"""Refuse as-of dates in the future in the database itself (see frameworks.db_triggers)."""

from django.db import migrations

from frameworks import db_triggers


class Migration(migrations.Migration):
    dependencies = [("frameworks", "0001_initial")]
    operations = [migrations.RunPython(db_triggers.create, db_triggers.drop)]
