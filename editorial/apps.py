from django.apps import AppConfig
from django.db.models.signals import pre_save


class EditorialConfig(AppConfig):
    """Machinery the content apps share: revisions and locking, safe uploads, text cleaning, backups."""

    name = "editorial"
    verbose_name = "Editorial tools"

    def ready(self) -> None:
        from django.contrib import admin

        from . import checks  # noqa: F401  (registers the deploy checks)
        from .admin_search import bound_every_search
        from .text import clean_text_fields

        pre_save.connect(clean_text_fields, dispatch_uid="editorial.clean_text_fields")
        # After the admin's autodiscovery, which runs in its own ready(), first in INSTALLED_APPS.
        bound_every_search(admin.site)
