"""Which apps and models are this repository's own (not installed into a virtualenv)."""

from django.apps import AppConfig, apps
from django.conf import settings


def is_project_app(config: AppConfig) -> bool:
    """An app of this repository, not one installed into a virtualenv that lives inside it."""
    path = str(config.path)
    return path.startswith(str(settings.BASE_DIR)) and "site-packages" not in path


def project_models():
    """Every concrete model of the project's own apps."""
    return [model for config in apps.get_app_configs() if is_project_app(config) for model in config.get_models()]
