"""Names unique ignoring case in the database too (editorial.names); new frameworks start unpublished.

Apart from 0012's data migration, so PostgreSQL never builds an index in a
transaction that has just updated the same table.
"""

import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("frameworks", "0012_lookalike_names_renamed")]

    operations = [
        # Django keeps defaults in Python, not in the column: only the state changes. Altering the
        # field would make SQLite rebuild the table for nothing.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="framework",
                    name="is_published",
                    field=models.BooleanField(
                        default=False,
                        help_text="Tick when it is ready for readers. Until then it is hidden from the directory, "
                        "the home page, search and compare pages. New frameworks start unpublished.",
                        verbose_name="published",
                    ),
                ),
            ],
        ),
        migrations.AddConstraint(
            model_name="capability",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("name"),
                name="capability_name_unique_ignoring_case",
                violation_error_message="Another capability already has this name, apart from case.",
            ),
        ),
        migrations.AddConstraint(
            model_name="framework",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("name"),
                name="framework_name_unique_ignoring_case",
                violation_error_message="Another framework already has this name, apart from case.",
            ),
        ),
        migrations.AddConstraint(
            model_name="metric",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("name"),
                name="metric_name_unique_ignoring_case",
                violation_error_message="Another metric already has this name, apart from case.",
            ),
        ),
        migrations.AddConstraint(
            model_name="organization",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("name"),
                name="organization_name_unique_ignoring_case",
                violation_error_message="Another organization already has this name, apart from case.",
            ),
        ),
    ]
