"""Serve public pages from the shared cache, with validators and 304s.

``PageCacheMiddleware`` sits right after SecurityMiddleware and WhiteNoise.
For a GET or HEAD from a reader it looks the page up under the current
content generation before sessions, CSRF, authentication or URL resolution
run, so a cached page costs a file read and a cache read. On a miss the page
is rendered as usual; the response is stored only if the view is marked
with ``@public_page`` and the response is safe to share:

- status 200, not streaming, no cookies set;
- no ``Cache-Control`` of private, no-cache or no-store (previews send those);
- ``Vary`` on nothing but Accept-Encoding and Cookie. Cookie is allowed
  because only requests without a session cookie are served from the
  cache, and the session is all a public page may read (a guide checks
  whether the reader is staff); a page that uses the CSRF token or
  messages sets a cookie and is not stored;
- no CSP nonce: a nonce must be new on every response, so a page that needs
  one is rendered every time.

Every public page carries an ETag (a hash of its bytes) and answers 304 to a
request that presents it, whether or not the cache is enabled.

Requests that carry a session cookie (staff, editors, anyone logged in) are
never served from the cache, and public pages answer them with
``Cache-Control: private`` so no shared cache keeps what staff see.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control

from . import generation

PUBLIC_MARK = "_public_page"
UNSHAREABLE = ("private", "no-cache", "no-store")


@dataclass(frozen=True, slots=True)
class Entry:
    status: int
    headers: tuple[tuple[str, str], ...]
    content: bytes
    etag: str


def page_key(request, token: str) -> str:
    gzip = "gz" if "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "") else "id"
    host = request.META.get("HTTP_HOST") or request.META.get("SERVER_NAME", "")
    scheme = "https" if request.is_secure() else "http"
    path = request.get_full_path()
    digest = hashlib.md5(f"{scheme}://{host}{path}".encode(), usedforsecurity=False).hexdigest()
    return f"pagecache:page:{token}:{gzip}:{digest}"


def etag_for(content: bytes) -> str:
    return f'"{hashlib.md5(content, usedforsecurity=False).hexdigest()}"'


def is_shareable(response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in UNSHAREABLE):
        return False
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    if vary - {"accept-encoding", "cookie"}:
        return False
    csp = response.get("Content-Security-Policy", "") + response.get("Content-Security-Policy-Report-Only", "")
    return "'nonce-" not in csp


def _mark_public(response, etag: str) -> None:
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=0, must_revalidate=True)


def _from_entry(request, entry: Entry):
    response = HttpResponse(b"" if request.method == "HEAD" else entry.content, status=entry.status)
    for name, value in entry.headers:
        response.headers[name] = value
    return get_conditional_response(request, etag=entry.etag, response=response)


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            response = self.get_response(request)
            if getattr(response, PUBLIC_MARK, False):
                patch_cache_control(response, private=True)
            return response

        enabled = settings.PAGE_CACHE_ENABLED
        if enabled:
            key = page_key(request, generation.current())
            entry = generation.page_cache().get(key)
            if entry is not None:
                return _from_entry(request, entry)

        response = self.get_response(request)
        if not getattr(response, PUBLIC_MARK, False) or not is_shareable(response):
            return response
        etag = etag_for(response.content)
        _mark_public(response, etag)
        if enabled:
            headers = tuple((k, v) for k, v in response.items())
            generation.page_cache().set(
                key, Entry(response.status_code, headers, response.content, etag), settings.PAGE_CACHE_TIMEOUT
            )
        return get_conditional_response(request, etag=etag, response=response)
