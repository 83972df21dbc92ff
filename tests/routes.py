"""Find the site's routes without knowing which apps are installed yet."""

from django.urls import get_resolver, resolve
from django.urls.exceptions import Resolver404


def plain_routes(patterns=None, prefix=""):
    """Every parameterless route of the site, as a path."""
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(p.pattern)
        if hasattr(p, "url_patterns"):
            yield from plain_routes(p.url_patterns, route)
        elif "<" not in route and "(?P" not in route:
            yield "/" + route.lstrip("^").rstrip("$").replace("\\Z", "")


def feed_paths() -> list[str]:
    return [p for p in plain_routes() if p.startswith("/feeds/")]


def exists(path: str) -> bool:
    try:
        resolve(path)
    except Resolver404:
        return False
    return True
