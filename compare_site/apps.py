from django.apps import AppConfig
from django.db.models.signals import pre_save


class CompareSiteConfig(AppConfig):
    """Project-wide plumbing: text cleaning, deploy checks, health, backups."""

    name = "compare_site"
    verbose_name = "compare_site"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the deploy checks)
        from .text import clean_text_fields

        pre_save.connect(clean_text_fields, dispatch_uid="compare_site.clean_text_fields")


def is_project_app(config) -> bool:
    """An app of this repository, not one installed into a virtualenv that lives inside it."""
    from django.conf import settings

    path = str(config.path)
    return path.startswith(str(settings.BASE_DIR)) and "site-packages" not in path
