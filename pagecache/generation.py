"""The content generation: a token that names the current state of the content.

Every cached page is stored under the token that was current when its
rendering began, so replacing the token makes every page fresh on its next
request: invalidation is exact without knowing which pages show what.

The token travels with the *next change in time*: the earliest moment a
content app registered with ``pagecache.schedule`` (a scheduled guide's
publish time). Once that moment passes, the first reader to notice
starts a new generation, so a scheduled guide appears on time with no
command and no expiry guesswork.

Where the token lives depends on the cache. A process-local cache (local
memory, the default) is not shared by the server's worker processes, so the
token lives in a small file that all of them read (a few microseconds per
request). A shared cache (Redis through CACHE_URL) holds the token itself,
so that several app servers agree on it.
"""

import os
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction

from . import schedule

CACHE_KEY = "pagecache:generation"


def page_cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def is_process_local(cache) -> bool:
    return isinstance(cache, (LocMemCache, DummyCache))


def _encode(token: str, boundary: float | None) -> str:
    return f"{token} {'-' if boundary is None else repr(boundary)}"


def _decode(text: str | None) -> tuple[str, float | None] | None:
    if not text:
        return None
    token, _, boundary = text.partition(" ")
    if not token or not boundary:
        return None
    return token, None if boundary == "-" else float(boundary)


def _read_file(path) -> str:
    # os.open/os.read: this runs on every cached request, and a Python file
    # object costs several times the three system calls.
    fd = os.open(path, os.O_RDONLY)
    try:
        return os.read(fd, 256).decode()
    finally:
        os.close(fd)


def _read(cache) -> tuple[str, float | None] | None:
    try:
        if is_process_local(cache):
            return _decode(_read_file(settings.PAGE_CACHE_STAMP))
        return _decode(cache.get(CACHE_KEY))
    except (OSError, ValueError):
        return None


def _write(token: str, boundary: float | None) -> None:
    text = _encode(token, boundary)
    cache = page_cache()
    if is_process_local(cache):
        path = Path(settings.PAGE_CACHE_STAMP)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        tmp.write_text(text)
        os.replace(tmp, path)  # readers see the old stamp or the new one, never half of one
    else:
        cache.set(CACHE_KEY, text, timeout=None)


def next_boundary() -> float | None:
    """The earliest scheduled change still ahead (a Unix time), or None. One query per scheduling model."""
    when = schedule.next_change()
    return when.timestamp() if when else None


def bump(*, recompute_boundary: bool = True) -> str:
    """Start a new generation; returns its token.

    ``recompute_boundary=False`` keeps the known next publish time: saving a
    framework or a figure cannot schedule a guide, so it costs no query.
    """
    token = secrets.token_hex(8)
    if recompute_boundary:
        boundary = next_boundary()
    else:
        current = _read(page_cache())
        boundary = current[1] if current else next_boundary()
    _write(token, boundary)
    return token


def bump_on_commit(*, using=None) -> None:
    """Start a new generation once the current transaction commits (at once outside one).

    For bulk writes, which send no model signals: one bump for the whole
    batch. A bulk write cannot schedule anything, so the next scheduled
    change is kept.
    """
    transaction.on_commit(lambda: bump(recompute_boundary=False), using=using)


def current(cache=None) -> str:
    """The token of the content readers should see now."""
    stamp = _read(cache or page_cache())
    if stamp is None:
        return bump()
    token, boundary = stamp
    if boundary is not None and time.time() >= boundary:
        return bump()
    return token


def reset(token: str = "initial") -> None:
    """Write a known token with no scheduled publish ahead (for an empty database)."""
    _write(token, None)
