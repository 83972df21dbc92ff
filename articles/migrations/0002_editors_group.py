from django.db import migrations

from articles.roles import sync_editors_group


def forwards(apps, schema_editor):
    sync_editors_group(apps, using=schema_editor.connection.alias)


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Editors").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("frameworks", "0002_as_of_not_in_future"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
