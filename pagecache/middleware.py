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
request that presents it, whether or not the cache is enabled. Text pages
are gzipped once, when stored, for clients that accept it (every browser),
so a hit sends a fraction of the bytes for no CPU; they vary on
Accept-Encoding and each variant has its own ETag.

Requests that carry a session cookie (staff, editors, anyone logged in) are
never served from the cache, and public pages answer them with
``Cache-Control: private`` so no shared cache keeps what staff see.
"""

import gzip
import hashlib
import logging
import threading
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpResponse
from django.http.response import ResponseHeaders
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import parse_http_date_safe

from . import generation

logger = logging.getLogger(__name__)

PUBLIC_MARK = "_public_page"
MAX_AGE_MARK = "_public_max_age"  # seconds browsers may keep the response (public_page(max_age=...))
MIN_GZIP_BYTES = 200
UNSHAREABLE = ("private", "no-cache", "no-store")


@dataclass(frozen=True, slots=True)
class Entry:
    status: int
    headers: ResponseHeaders  # kept whole: re-validating each header on every hit costs more than the rest
    content: bytes
    etag: str


def accepts_gzip(request) -> bool:
    return "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "")


def is_compressible(response) -> bool:
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    textual = content_type.startswith("text/") or content_type.endswith(("xml", "json"))
    return textual and not response.has_header("Content-Encoding") and len(response.content) >= MIN_GZIP_BYTES


def compress(response, etag: str) -> str:
    """Gzip the body in place; returns the ETag of the compressed variant.

    mtime=0 makes the bytes (and so the ETag) the same in every worker and
    on every server. Public pages hold no secret, so BREACH-style padding is
    not needed.
    """
    response.content = gzip.compress(response.content, compresslevel=6, mtime=0)
    response["Content-Encoding"] = "gzip"
    response["Content-Length"] = str(len(response.content))
    return etag[:-1] + '-gzip"'


def page_key(request, token: str) -> str:
    gzip = "gz" if accepts_gzip(request) else "id"
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
    """The ETag, and how long others may keep the response: stored with it, so hits and 304s say the same."""
    response["ETag"] = etag
    max_age = getattr(response, MAX_AGE_MARK, 0)
    if max_age:
        patch_cache_control(response, public=True, max_age=max_age)
    else:
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)


def _last_modified(headers) -> int | None:
    """A feed's own Last-Modified, so If-Modified-Since is answered as well as If-None-Match."""
    value = headers.get("Last-Modified")
    return parse_http_date_safe(value) if value else None


def _from_entry(request, entry: Entry):
    response = HttpResponse(b"" if request.method == "HEAD" else entry.content, status=entry.status)
    response.headers = entry.headers  # the cache hands out a fresh copy on every get
    if "HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MODIFIED_SINCE" in request.META:
        return get_conditional_response(
            request, etag=entry.etag, last_modified=_last_modified(entry.headers), response=response
        )
    return response


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        if settings.PAGE_CACHE_ENABLED and not generation.is_process_local(generation.page_cache()):
            # A shared cache outlives a deploy, and new code may render pages
            # differently. (A process-local cache starts empty anyway.) A restart
            # changes no content, so the known next publish time still holds.
            try:
                generation.bump(recompute_boundary=False)
            except Exception:
                logger.exception("Page cache unavailable at start")

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            response = self.get_response(request)
            if getattr(response, PUBLIC_MARK, False):
                patch_cache_control(response, private=True)
            return response

        if not settings.PAGE_CACHE_ENABLED:
            return self._render(request, None, None)
        cache = generation.page_cache()
        try:
            key = page_key(request, generation.current(cache))
            entry = cache.get(key)
        except Exception:  # a cache or stamp that fails costs speed, never a page
            logger.exception("Page cache unavailable; rendering %s uncached", request.path)
            return self._render(request, None, None)
        if entry is not None:
            return _from_entry(request, entry)
        with _one_render_per_page(key) as leader:
            if not leader and (entry := cache.get(key)) is not None:
                return _from_entry(request, entry)
            return self._render(request, cache, key)

    def _render(self, request, cache, key):
        response = self.get_response(request)
        if not getattr(response, PUBLIC_MARK, False) or not is_shareable(response):
            return response
        etag = etag_for(response.content)
        if is_compressible(response):
            patch_vary_headers(response, ("Accept-Encoding",))
            if accepts_gzip(request):
                etag = compress(response, etag)
        _mark_public(response, etag)
        if cache is not None:
            entry = Entry(response.status_code, response.headers, response.content, etag)
            try:
                cache.set(key, entry, settings.PAGE_CACHE_TIMEOUT)
            except Exception:
                logger.exception("Page cache unavailable; %s not stored", request.path)
        return get_conditional_response(
            request, etag=etag, last_modified=_last_modified(response.headers), response=response
        )


_rendering: dict[str, threading.Event] = {}
_rendering_lock = threading.Lock()


@contextmanager
def _one_render_per_page(key: str, wait: float = 10.0):
    """Let one thread of this process render a missing page while the others wait for it.

    Right after a change every page is missing at once; without this, each
    concurrent request for an expensive page (the directory of 1,000
    frameworks) would render it again. Yields True to the thread that
    renders; the others get False once it is done (or after ``wait``
    seconds) and look in the cache again.
    """
    with _rendering_lock:
        done = _rendering.get(key)
        if done is None:
            done = _rendering[key] = threading.Event()
            leader = True
        else:
            leader = False
    if not leader:
        done.wait(wait)
        yield False
        return
    try:
        yield True
    finally:
        with _rendering_lock:
            _rendering.pop(key, None)
        done.set()
