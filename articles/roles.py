"""The "Editors" group: manages content, never users, groups or permissions."""

EDITORS_GROUP = "Editors"
CONTENT_APPS = ("frameworks", "articles")


def sync_editors_group(apps, using="default") -> None:
    """Give the Editors group every permission on the content apps, and no others.

    Called from a migration (with the historical ``apps``) and safe to call
    again whenever content models are added.
    """
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, using=using)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.using(using).get_or_create(name=EDITORS_GROUP)
    perms = Permission.objects.using(using).filter(content_type__app_label__in=CONTENT_APPS)
    group.permissions.set(perms)
