"""The "Editors" group: manages content, never users, groups or permissions."""

EDITORS_GROUP = "Editors"
CONTENT_APPS = ("frameworks", "articles")


def sync_editors_group(apps, using="default") -> None:
    """Give the Editors group every permission on the content apps, and no others.

    Called from a migration (with the historical ``apps``) and safe to call
    again, with the real app registry too, whenever content models are added.
    Historical app configs have no models module, which create_permissions
    would take as "no models", so it is faked for the call and put back.
    """
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        create_permissions(app_config, verbosity=0, using=using)
        app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.using(using).get_or_create(name=EDITORS_GROUP)
    perms = Permission.objects.using(using).filter(content_type__app_label__in=CONTENT_APPS)
    group.permissions.set(perms)


def editors_group():
    """The Editors group, recreated with its permissions if a flush removed it."""
    from django.apps import apps
    from django.contrib.auth.models import Group

    group = Group.objects.filter(name=EDITORS_GROUP).first()
    if group is None:
        sync_editors_group(apps)
        group = Group.objects.get(name=EDITORS_GROUP)
    return group
