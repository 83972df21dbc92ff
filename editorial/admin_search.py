"""Admin search with bounds: a query the database can always run, and a clear word when one is too long.

The changelist turns each word of a search into a ``LIKE`` over every search
field. A pasted paragraph becomes hundreds of them, and a long enough
pattern is one SQLite refuses ("LIKE or GLOB pattern too complex"), which
the reader of the admin saw as an error page. A search over the bounds runs
no query at all: the list comes back empty with a message saying why.
"""

from django.contrib import messages
from django.contrib.admin.views.main import SEARCH_VAR
from django.utils.text import smart_split

MAX_SEARCH_LENGTH = 200
MAX_SEARCH_WORDS = 10


def search_problem(term: str) -> str | None:
    """Why ``term`` is not searched, or None when it is fine."""
    if len(term) > MAX_SEARCH_LENGTH:
        return (
            f"Searches are limited to {MAX_SEARCH_LENGTH} characters and this one has {len(term):,}. "
            "Nothing was searched: shorten it and search again."
        )
    words = sum(1 for _ in smart_split(term))
    if words > MAX_SEARCH_WORDS:
        return (
            f"Searches are limited to {MAX_SEARCH_WORDS} words and this one has {words}. "
            "Nothing was searched: use fewer words and search again."
        )
    return None


class BoundedSearchAdmin:
    """A ModelAdmin mixin: searches over the bounds match nothing and say so."""

    def changelist_view(self, request, extra_context=None):
        problem = search_problem(request.GET.get(SEARCH_VAR, ""))
        if problem:
            messages.warning(request, problem)
        return super().changelist_view(request, extra_context)

    def get_search_results(self, request, queryset, search_term):
        # Also the autocomplete widgets' search, which has no page to show a message on.
        if search_problem(search_term):
            return queryset.none(), False
        return super().get_search_results(request, queryset, search_term)


def bound_every_search(site) -> None:
    """Give the bounds to every admin on ``site`` that searches, the libraries' (users, axes) included."""
    for model, model_admin in list(site._registry.items()):
        if model_admin.search_fields and not isinstance(model_admin, BoundedSearchAdmin):
            cls = type(model_admin)
            site.unregister(model)
            site.register(model, type(cls.__name__, (BoundedSearchAdmin, cls), {"__module__": cls.__module__}))
