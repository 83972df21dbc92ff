from django.apps import AppConfig


class ComparisonsConfig(AppConfig):
    """Pages that join the catalogue and the guides: framework profiles and any-vs-any comparisons."""

    name = "comparisons"
    verbose_name = "Comparisons"
