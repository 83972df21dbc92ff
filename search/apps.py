from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Site search over frameworks, guides, capabilities and adopting organisations (see ``indexing``)."""

    name = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from . import signals

        signals.connect(self)
