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


class OpenDataMiddleware:
    """What every answer under /api/ shares, including those the page cache serves:

    - a per-client limit (``API_RATE_LIMIT`` requests in ``API_RATE_WINDOW``
      seconds, counted in the cache framework so all app servers share it);
      over it, 429 with Retry-After. Every answer says where the client stands
      in ``RateLimit-Limit``, ``RateLimit-Remaining`` and ``RateLimit-Reset``;
    - CORS for anyone: ``Access-Control-Allow-Origin: *`` and never
      credentials, with preflights answered here;
    - errors as JSON, whoever raised them (an unknown path, a wrong method,
      an over-long query, a server error), never an HTML page.

    It runs before the page cache, so cached answers are counted too.
    """

    EXPOSED = "ETag, Last-Modified, Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, Location"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        if not (path.startswith(settings.API_PREFIX) or path == settings.API_PREFIX.rstrip("/")):
            return self.get_response(request)
        from api.errors import json_error, jsonify, no_content

        if request.method == "OPTIONS":
            return self._cors(no_content(), preflight=True)
        # HEAD is a GET without the body, whichever view answers (the API's routes name GET only).
        head = request.method == "HEAD"
        if head:
            request.method = "GET"
        decision = self._count(request)
        if decision is not None and not decision.allowed:
            response = json_error(
                429,
                f"Too many requests: this API answers {decision.limit} requests every "
                f"{settings.API_RATE_WINDOW} seconds from one address. Try again in {decision.retry_after} seconds.",
            )
            response["Retry-After"] = str(decision.retry_after)
        elif problem := query_problem(request):
            response = json_error(400, problem)
        else:
            response = self._without_trailing_slash(request) or jsonify(self.get_response(request))
        if decision is not None:
            response["RateLimit-Limit"] = str(decision.limit)
            response["RateLimit-Remaining"] = str(decision.remaining)
            response["RateLimit-Reset"] = str(decision.reset)
        if head and not response.streaming:
            response["Content-Length"] = str(len(response.content))
            response.content = b""
        return self._cors(response)

    @staticmethod
    def _count(request):
        """The rate limiter's decision for this request's address, or None when there is no limit."""
        if not settings.API_RATE_LIMIT:
            return None
        from django.core.cache import caches

        from api.rate_limit import RateLimiter, client_key

        from .auth_backends import client_ip

        limiter = RateLimiter(
            caches[settings.API_RATE_LIMIT_CACHE], limit=settings.API_RATE_LIMIT, window=settings.API_RATE_WINDOW
        )
        return limiter.hit(client_key(client_ip(request)))

    @staticmethod
    def _without_trailing_slash(request):
        """A 301 from /api/v1/frameworks/ to /api/v1/frameworks: the API's addresses end without a slash."""
        from django.http import HttpResponsePermanentRedirect
        from django.urls import Resolver404, resolve

        path = request.path
        if not path.endswith("/") or len(path) <= len(settings.API_PREFIX):
            return None
        try:
            resolve(path)
            return None
        except Resolver404:
            pass
        try:
            resolve(path.rstrip("/"))
        except Resolver404:
            return None
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(path.rstrip("/") + ("?" + query if query else ""))

    def _cors(self, response, *, preflight: bool = False):
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = self.EXPOSED
        response["Cross-Origin-Resource-Policy"] = "cross-origin"
        if preflight:
            response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            response["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since"
            response["Access-Control-Max-Age"] = "86400"
            response["Allow"] = "GET, HEAD, OPTIONS"
        return response
