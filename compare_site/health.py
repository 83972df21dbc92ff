"""Operational views: the health check, the page for an unreachable database, the login lockout page."""

import logging
import sys
import uuid

from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.defaults import server_error as django_server_error

logger = logging.getLogger(__name__)

UNAVAILABLE = (OperationalError, InterfaceError)


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise DatabaseError("SELECT 1 did not answer 1")


def _check_cache() -> None:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "ok", timeout=10)
    value = cache.get(key)
    cache.delete(key)
    if value != "ok":
        raise RuntimeError("the cache did not return what was stored")


CHECKS = {"database": _check_database, "cache": _check_cache}


@never_cache
@require_safe
def healthz(request):
    """200 when the database and the cache answer; 503 naming what failed otherwise."""
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as exc:  # any failure of a dependency is a failed check, reported below
            logger.warning("healthz: %s failed: %s", name, exc)
            results[name] = f"failing: {exc.__class__.__name__}"
        else:
            results[name] = "ok"
    healthy = all(value == "ok" for value in results.values())
    return JsonResponse(
        {"status": "ok" if healthy else "failing", "checks": results},
        status=200 if healthy else 503,
    )


def service_unavailable(request=None) -> HttpResponse:
    """The styled 503 page. Renders without the database, the session or the user."""
    body = loader.render_to_string("503.html")
    response = HttpResponse(body, status=503)
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response


def server_error(request, template_name="500.html"):
    """handler500: a database that cannot be reached is a 503, not a 500."""
    exc = sys.exc_info()[1]
    if isinstance(exc, UNAVAILABLE) or isinstance(getattr(exc, "__cause__", None), UNAVAILABLE):
        return service_unavailable(request)
    try:
        return django_server_error(request, template_name=template_name)
    except Exception:  # the 500 template itself failed: answer plainly rather than not at all
        return HttpResponseServerError("<h1>Server Error (500)</h1>", content_type="text/html")


def login_locked_out(request, original_response=None, credentials=None):
    """django-axes lockout page, in the admin's look, with the admin's titles."""
    from axes.helpers import get_cool_off, get_failure_limit
    from django.contrib import admin
    from django.shortcuts import render
    from django.conf import settings

    cool_off = get_cool_off(request)
    context = {
        **admin.site.each_context(request),
        "title": "Too many failed logins",
        "failure_limit": get_failure_limit(request, credentials),
        "cooloff_minutes": round(cool_off.total_seconds() / 60) if cool_off else None,
    }
    return render(request, "axes_lockout.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
