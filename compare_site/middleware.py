"""Response headers Django has no setting for, and bounds on public query strings."""

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.template.loader import render_to_string


class SecurityHeadersMiddleware:
    """Adds Cross-Origin-Resource-Policy and Permissions-Policy to every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.CROSS_ORIGIN_RESOURCE_POLICY:
            response.headers.setdefault("Cross-Origin-Resource-Policy", settings.CROSS_ORIGIN_RESOURCE_POLICY)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class BoundedQueryMiddleware:
    """Public pages take short query strings: anything longer gets a 400 page that says what is allowed.

    No reader page needs a long query, and each distinct one would be
    rendered and cached on its own. Runs before the page cache, so an
    over-long query never reaches a view, the database or the cache. The
    admin has its own bounds (editorial.admin_search).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/" + settings.ADMIN_URL):
            problem = query_problem(request)
            if problem:
                page = render_to_string("400.html", {"problem": problem})
                return HttpResponseBadRequest(page, headers={"Cache-Control": "no-store"})
        return self.get_response(request)


def query_problem(request) -> str | None:
    """What is wrong with the request's query string, or None."""
    query = request.META.get("QUERY_STRING", "")
    if not query:
        return None
    if len(query) > settings.PUBLIC_QUERY_MAX_LENGTH:
        return (
            f"The address has a query of {len(query):,} characters; "
            f"pages here accept at most {settings.PUBLIC_QUERY_MAX_LENGTH:,}."
        )
    params = request.GET
    count = sum(len(values) for _, values in params.lists())
    if count > settings.PUBLIC_QUERY_MAX_PARAMS:
        return (
            f"The address has {count} query parameters; pages here accept at most {settings.PUBLIC_QUERY_MAX_PARAMS}."
        )
    for name, values in params.lists():
        for value in values:
            if len(value) > settings.PUBLIC_QUERY_MAX_VALUE:
                return (
                    f"The query parameter “{name[:40]}” is {len(value):,} characters long; "
                    f"pages here accept at most {settings.PUBLIC_QUERY_MAX_VALUE}."
                )
    return None
