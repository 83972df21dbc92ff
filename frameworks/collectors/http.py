"""The one HTTP client collectors use: a GET that returns JSON, or says why not.

``fetch_json(url, *, etag=None, headers=None, params=None)`` returns a
``Response`` whose ``outcome`` says what happened. Expected failures are
values, not exceptions, so a run can go on with the next framework:

- ``OK``: a 2xx answer with a JSON body, parsed into ``data`` (floats as
  ``Decimal``).
- ``NOT_MODIFIED``: 304 to the ``If-None-Match`` sent for ``etag``.
- ``NOT_FOUND``: 404, 410 or 451. An editor should look; do not retry forever.
- ``RATE_LIMITED``: 429, or 403 that is a rate limit (``x-ratelimit-remaining:
  0``, ``Retry-After`` or a "rate limit" message); ``retry_at`` says when.
- ``TRANSIENT``: 5xx, timeouts, connection errors. Retried here
  ``COLLECTOR_RETRIES`` times with a short backoff, unless the server sent
  ``Retry-After`` (then ``retry_at`` is set and it is not retried); then it
  is for the next run.
- ``INVALID``: the answer cannot be used: not JSON, malformed, wrong content
  type, over ``COLLECTOR_MAX_BYTES`` (before or after gzip), a bad redirect.
- ``REJECTED``: any other 4xx (bad credentials, a bad parameter): the request
  itself needs a person, retrying will not help.
- ``SKIPPED``: never returned by ``fetch_json``; sources use it when they
  chose not to call (pypistats' once a day).

``Response.retry_at`` is set whenever the server said not to call again
before a time: on ``RATE_LIMITED``, on a 5xx with ``Retry-After``, and also on
an ``OK`` answer that used the last of a quota (``x-ratelimit-remaining: 0``).
Times are clamped to at most a day ahead; a rate limit whose reset time has
already passed counts as one minute.

Redirects are followed (at most five, http/https only, never from https to
http) and reported: ``moved`` is true and ``final_url`` is where the answer
came from. ``If-None-Match`` is not sent after a redirect (so the new
location's body, e.g. a renamed repository's new name, comes back), and
``Authorization`` is dropped when a redirect leaves the original scheme, host
and port.

``SourceBudget`` remembers, per source name, that a source is exhausted until
a time, so callers stop calling it while other sources go on; ``snapshot()``
gives what to persist between runs.

Settings (``django.conf.settings``; every one optional):

==========================  ===============================  ==============================================
setting                     default                          meaning
==========================  ===============================  ==============================================
``GITHUB_API_URL``          ``https://api.github.com``       GitHub REST API base
``PYPI_URL``                ``https://pypi.org``             PyPI base (JSON API under ``/pypi/``)
``PYPISTATS_URL``           ``https://pypistats.org``        pypistats.org base
``STACKEXCHANGE_API_URL``   ``https://api.stackexchange.com``  Stack Exchange API base
``GITHUB_TOKEN``            none                             sent as ``Authorization: Bearer`` to GitHub
``STACKEXCHANGE_KEY``       none                             sent as the ``key`` parameter (a higher quota)
``COLLECTOR_TIMEOUT``       ``10``                           seconds: each network wait, and each attempt
                                                             as a whole (checked between reads)
``COLLECTOR_MAX_BYTES``     ``2097152`` (2 MiB)              cap on a body, compressed and decompressed
``COLLECTOR_RETRIES``       ``2``                            extra attempts after a transient failure
``COLLECTOR_BACKOFF``       ``1.0``                          at most this long before the first retry, doubling (jittered)
``COLLECTOR_CONTACT_URL``   first ``CSRF_TRUSTED_ORIGINS``   put in the User-Agent so API owners can
                                                             reach us: ``compare_site-collector/1.0 (+URL)``
==========================  ===============================  ==============================================
"""

from __future__ import annotations

import email.utils
import enum
import functools
import http.client
import json
import logging
import random
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from collections.abc import Mapping
from dataclasses import KW_ONLY, dataclass, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings

logger = logging.getLogger(__name__)

PRODUCT = "compare_site-collector/1.0"
DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_BYTES = 2 * 1024 * 1024
DEFAULT_RETRIES = 2
DEFAULT_BACKOFF = 1.0
MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
NOT_FOUND_STATUSES = frozenset({404, 410, 451})
# The longest any server can make us wait, and the wait when it says "rate
# limited" without a usable time.
MAX_WAIT = timedelta(days=1)
DEFAULT_RATE_LIMIT_WAIT = timedelta(minutes=1)
READ_CHUNK = 64 * 1024

# Tests replace this to make backoff instant.
sleep = time.sleep


class Outcome(enum.StrEnum):
    OK = "ok"
    NOT_MODIFIED = "not_modified"
    NOT_FOUND = "not_found"
    RATE_LIMITED = "rate_limited"
    TRANSIENT = "transient"
    INVALID = "invalid"
    REJECTED = "rejected"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class Response:
    """What one ``fetch_json`` call came to (after redirects and retries).

    ``status`` is the final HTTP status, None when no answer came (timeout,
    connection error, a URL refused before sending). ``data`` is the parsed
    JSON on OK, and the parsed error body, when it was JSON, on failures
    (None otherwise). ``headers`` are the final answer's, names lowercased.
    """

    status: int | None
    data: Any
    etag: str | None
    final_url: str
    moved: bool
    headers: Mapping[str, str]
    _: KW_ONLY
    outcome: Outcome
    error: str = ""
    retry_at: datetime | None = None
    attempts: int = 1

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.OK


def now() -> datetime:
    return datetime.now(UTC)


# --- Budget -------------------------------------------------------------------


class SourceBudget:
    """Per source name, the time before which that source must not be called.

    One budget is shared by every call of a run (it is thread-safe). Give it
    what ``snapshot()`` returned last run to carry limits across runs.
    """

    def __init__(self, exhausted_until: Mapping[str, datetime] | None = None):
        self._until: dict[str, datetime] = {}
        self._lock = threading.Lock()
        for source, until in (exhausted_until or {}).items():
            self.exhaust(source, until)

    def exhaust(self, source: str, until: datetime) -> None:
        """No calls to ``source`` before ``until`` (the later time wins)."""
        until = _aware(until)
        with self._lock:
            current = self._until.get(source)
            if current is None or until > current:
                self._until[source] = until

    def exhausted_until(self, source: str, *, at: datetime | None = None) -> datetime | None:
        """When ``source`` may be called again, or None if it may be now."""
        at = at or now()
        with self._lock:
            until = self._until.get(source)
        return until if until is not None and until > at else None

    def available(self, source: str, *, at: datetime | None = None) -> bool:
        return self.exhausted_until(source, at=at) is None

    def clear(self, source: str) -> None:
        with self._lock:
            self._until.pop(source, None)

    def snapshot(self, *, at: datetime | None = None) -> dict[str, datetime]:
        """The limits still in force, to persist: ``{source name: until}``."""
        at = at or now()
        with self._lock:
            return {source: until for source, until in self._until.items() if until > at}

    def __repr__(self) -> str:
        return f"SourceBudget({self.snapshot()!r})"


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


# --- Settings -----------------------------------------------------------------


def setting(name: str, default):
    value = getattr(settings, name, None)
    return default if value is None or value == "" else value


def user_agent() -> str:
    contact = setting("COLLECTOR_CONTACT_URL", None)
    if contact is None:
        origins = getattr(settings, "CSRF_TRUSTED_ORIGINS", None) or []
        contact = origins[0] if origins else None
    return f"{PRODUCT} (+{contact})" if contact else PRODUCT


# --- fetch_json -----------------------------------------------------------------


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Hand 3xx back as an HTTPError: fetch_json follows redirects itself."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


@functools.cache
def _opener() -> urllib.request.OpenerDirector:
    """One opener for the process: building one loads the CA certificates (tens of ms)."""
    return urllib.request.build_opener(_NoRedirects)


def fetch_json(
    url: str,
    *,
    etag: str | None = None,
    headers: Mapping[str, str] | None = None,
    params: Mapping[str, object] | None = None,
) -> Response:
    """GET ``url`` (plus ``params``) and parse its JSON; see the module docstring."""
    if params:
        query = urllib.parse.urlencode({k: v for k, v in params.items() if v is not None})
        if query:
            url = f"{url}{'&' if urllib.parse.urlsplit(url).query else '?'}{query}"
    problem = _unusable_url(url)
    if problem:
        return _failed(Outcome.INVALID, problem, url)

    request_headers = {
        "User-Agent": user_agent(),
        "Accept": "application/json",
        "Accept-Encoding": "gzip",
    }
    request_headers.update(headers or {})
    sent_etag = _clean_etag(etag)
    if sent_etag:
        request_headers["If-None-Match"] = sent_etag

    retries = max(0, int(setting("COLLECTOR_RETRIES", DEFAULT_RETRIES)))
    backoff = max(0.0, float(setting("COLLECTOR_BACKOFF", DEFAULT_BACKOFF)))
    for attempt in range(retries + 1):
        response = _fetch_following_redirects(url, request_headers, sent_etag)
        if response.outcome is Outcome.TRANSIENT and response.retry_at is None and attempt < retries:
            # Exponential backoff with jitter: many workers retrying one API do not retry in step.
            delay = backoff * 2**attempt * random.uniform(0.5, 1.0)
            logger.info("collector: %s (attempt %d); retrying in %.1f s", response.error, attempt + 1, delay)
            if delay:
                sleep(delay)
            continue
        return replace(response, attempts=attempt + 1)
    raise AssertionError("unreachable")  # pragma: no cover


def _fetch_following_redirects(url: str, headers: dict[str, str], sent_etag: str | None) -> Response:
    current, moved = url, False
    origin = _origin(url)
    for _hop in range(MAX_REDIRECTS + 1):
        raw = _exchange(current, headers)
        if isinstance(raw, Response):
            return replace(raw, final_url=current, moved=moved)
        if raw.status not in REDIRECT_STATUSES:
            return _classify(raw, current, moved, sent_etag if not moved else None)
        location = raw.headers.get("location", "").strip()
        if not location:
            error = f"{_shown(current)} redirected ({raw.status}) without a Location"
            return _failed(Outcome.INVALID, error, current, raw.status, moved=moved)
        target = urllib.parse.urljoin(current, location)
        problem = _unusable_url(target)
        if not problem and urllib.parse.urlsplit(current).scheme == "https" and _scheme(target) != "https":
            problem = "a redirect from https to plain http"
        if problem:
            error = f"{_shown(current)} redirected to an unusable URL: {problem}"
            return _failed(Outcome.INVALID, error, current, raw.status, moved=moved)
        moved = True
        headers = {k: v for k, v in headers.items() if k.lower() != "if-none-match"}
        if _origin(target) != origin:
            headers = {k: v for k, v in headers.items() if k.lower() != "authorization"}
        logger.info("collector: %s moved (%d) to %s", _shown(current), raw.status, _shown(target))
        current = target
    return _failed(Outcome.INVALID, f"more than {MAX_REDIRECTS} redirects from {_shown(url)}", current, moved=True)


@dataclass(frozen=True)
class _Raw:
    status: int
    reason: str
    headers: dict[str, str]
    body: bytes


def _exchange(url: str, headers: Mapping[str, str]) -> _Raw | Response:
    """One request and its body, decompressed and capped; or a failed Response."""
    timeout = float(setting("COLLECTOR_TIMEOUT", DEFAULT_TIMEOUT))
    max_bytes = int(setting("COLLECTOR_MAX_BYTES", DEFAULT_MAX_BYTES))
    deadline = time.monotonic() + timeout
    shown = _shown(url)
    request = urllib.request.Request(url, headers=dict(headers), method="GET")
    try:
        answer = _opener().open(request, timeout=timeout)
        status = answer.status
    except urllib.error.HTTPError as error:
        answer, status = error, error.code
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            return _failed(Outcome.TRANSIENT, f"{shown} did not answer within {timeout:g} s", url)
        return _failed(Outcome.TRANSIENT, f"could not reach {shown}: {error.reason}", url)
    except TimeoutError:
        return _failed(Outcome.TRANSIENT, f"{shown} did not answer within {timeout:g} s", url)
    except (http.client.HTTPException, OSError) as error:
        return _failed(Outcome.TRANSIENT, f"the connection to {shown} failed: {error!r}", url)

    try:
        answer_headers = _lowercase(answer.headers)
        reason = getattr(answer, "reason", "") or http.client.responses.get(status, "")
        if status in REDIRECT_STATUSES or status == 304:
            return _Raw(status, reason, answer_headers, b"")
        declared = _digits(answer_headers.get("content-length", ""))
        if declared is not None and declared > max_bytes:
            raise _TooBig
        body = _read_capped(answer, max_bytes, deadline)
    except TimeoutError:
        return _failed(Outcome.TRANSIENT, f"{shown} did not answer within {timeout:g} s", url)
    except _TooBig:
        if not 200 <= status < 300:  # an error is classified by its status; its body is only a bonus
            return _Raw(status, reason, answer_headers, b"")
        return _too_big(url, status, answer_headers, max_bytes)
    except (http.client.HTTPException, OSError) as error:
        return _failed(Outcome.TRANSIENT, f"the connection to {shown} failed while reading: {error!r}", url)
    finally:
        answer.close()

    encoding = answer_headers.get("content-encoding", "").strip().lower()
    if encoding in ("gzip", "x-gzip", "deflate"):
        # wbits 32 + 15: a gzip or zlib header, whichever the body has.
        decompressor = zlib.decompressobj(wbits=47)
        try:
            inflated = decompressor.decompress(body, max_bytes + 1)
            problem = ""
        except zlib.error:
            problem = f"{shown} sent a {encoding} body that does not decompress"
        else:
            if len(inflated) > max_bytes or decompressor.unconsumed_tail:
                if 200 <= status < 300:
                    return _too_big(url, status, answer_headers, max_bytes)
                inflated = b""
            elif not decompressor.eof:
                problem = f"{shown} sent a truncated {encoding} body"
    elif encoding not in ("", "identity"):
        problem = f"{shown} sent an unsupported Content-Encoding {encoding!r}"
    else:
        inflated, problem = body, ""
    if problem:
        if 200 <= status < 300:
            return _failed(Outcome.INVALID, problem, url, status)
        inflated = b""
    return _Raw(status, reason, answer_headers, inflated)


class _TooBig(Exception):
    pass


def _read_capped(answer, max_bytes: int, deadline: float) -> bytes:
    """At most ``max_bytes + 1`` bytes, in reads that each return what has arrived."""
    read = getattr(answer, "read1", None) or answer.read
    chunks, total = [], 0
    while True:
        if time.monotonic() > deadline:
            raise TimeoutError
        chunk = read(min(READ_CHUNK, max_bytes + 1 - total))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > max_bytes:
            raise _TooBig


def _classify(raw: _Raw, url: str, moved: bool, sent_etag: str | None) -> Response:
    status, headers = raw.status, raw.headers
    shown = _shown(url)
    etag = _clean_etag(headers.get("etag"))
    base = {"status": status, "etag": etag, "final_url": url, "moved": moved, "headers": headers}
    used_up = _quota_used_up_until(headers)

    if 200 <= status < 300:
        data, problem = _parse_json(raw, shown)
        if problem:
            return Response(data=None, **base, outcome=Outcome.INVALID, error=problem)
        return Response(data=data, **base, outcome=Outcome.OK, retry_at=used_up)
    if status == 304:
        base["etag"] = etag or sent_etag
        return Response(data=None, **base, outcome=Outcome.NOT_MODIFIED, retry_at=used_up)

    data, _problem = _parse_json(raw, shown)
    message = _api_message(data)
    said = f"{shown} answered {status} {raw.reason}".rstrip() + (f": {message}" if message else "")
    if status in NOT_FOUND_STATUSES:
        return Response(data=data, **base, outcome=Outcome.NOT_FOUND, error=said, retry_at=used_up)
    retry_after = _retry_after(headers)
    if status == 429 or (status == 403 and (used_up or retry_after or "rate limit" in message.lower())):
        retry_at = _at_least_a_moment(retry_after or used_up)
        return Response(data=data, **base, outcome=Outcome.RATE_LIMITED, error=said, retry_at=retry_at)
    if status >= 500:
        return Response(data=data, **base, outcome=Outcome.TRANSIENT, error=said, retry_at=retry_after or used_up)
    if 400 <= status < 500:
        return Response(data=data, **base, outcome=Outcome.REJECTED, error=said, retry_at=used_up)
    return Response(data=data, **base, outcome=Outcome.INVALID, error=f"{shown} answered an unexpected {status}")


def _parse_json(raw: _Raw, shown: str) -> tuple[Any, str]:
    content_type = raw.headers.get("content-type", "")
    mime = content_type.split(";", 1)[0].strip().lower()
    if not (mime == "application/json" or (mime.startswith("application/") and mime.endswith("+json"))):
        return None, f"{shown} answered {content_type or 'no content type'!r}, not JSON"
    if not raw.body.strip():
        return None, f"{shown} answered an empty body"
    try:
        return json.loads(raw.body, parse_float=Decimal, parse_constant=_no_constants), ""
    except (ValueError, RecursionError) as error:
        # JSONDecodeError and UnicodeDecodeError are ValueErrors.
        return None, f"{shown} answered malformed JSON ({str(error)[:120]})"


def _no_constants(name: str):
    raise ValueError(f"{name} is not JSON")


def _api_message(data: Any) -> str:
    """The error text an API put in its body (GitHub ``message``, Stack Exchange ``error_message``)."""
    if isinstance(data, dict):
        for key in ("message", "error_message", "detail", "error"):
            value = data.get(key)
            if isinstance(value, str) and value.strip():
                return " ".join(value.split())[:200]
    return ""


# --- Rate-limit headers ------------------------------------------------------------


def _quota_used_up_until(headers: Mapping[str, str]) -> datetime | None:
    """``x-ratelimit-remaining: 0``: when ``x-ratelimit-reset`` (epoch, or seconds) says it resets."""
    if headers.get("x-ratelimit-remaining", "").strip() != "0":
        return None
    value = _digits(headers.get("x-ratelimit-reset", ""))
    if value is None:
        return now() + DEFAULT_RATE_LIMIT_WAIT
    if value > 1_000_000_000:  # an epoch time, as GitHub sends
        return _at_least_a_moment(datetime.fromtimestamp(min(value, 32503680000), UTC))
    return _at_least_a_moment(now() + timedelta(seconds=value))


def _retry_after(headers: Mapping[str, str]) -> datetime | None:
    """``Retry-After`` as a time: delay-seconds or an HTTP date."""
    value = headers.get("retry-after", "").strip()
    if not value or len(value) > 64:
        return None
    seconds = _digits(value)
    if seconds is not None:
        return _clamp(now() + timedelta(seconds=min(seconds, int(MAX_WAIT.total_seconds()))))
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return _clamp(_aware(moment))


def _clamp(moment: datetime) -> datetime:
    current = now()
    return max(current, min(moment, current + MAX_WAIT))


def _at_least_a_moment(moment: datetime | None) -> datetime:
    """A rate limit always lasts a while: a reset time already past (clock skew) counts as a minute."""
    current = now()
    if moment is None or moment <= current:
        return current + DEFAULT_RATE_LIMIT_WAIT
    return _clamp(moment)


# --- Small helpers -----------------------------------------------------------------


def _digits(value: str) -> int | None:
    """A header's non-negative integer (ASCII digits only, at most 18 of them), or None."""
    value = value.strip()
    return int(value) if re.fullmatch(r"[0-9]{1,18}", value) else None

_ETAG = re.compile(r'(W/)?"[\x21\x23-\x7e\x80-\xff]*"')


def _clean_etag(value: str | None) -> str | None:
    """An entity tag fit to send back and store, or None (quotes added if a server left them off)."""
    if not value:
        return None
    value = value.strip()
    if len(value) > 200:
        return None
    if _ETAG.fullmatch(value):
        return value
    if re.fullmatch(r"[\x21\x23-\x7e]+", value):
        return f'"{value}"'
    return None


def _unusable_url(url: str) -> str:
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError as error:
        return f"not a URL ({error})"
    if parts.scheme not in ("http", "https"):
        return f"only http and https URLs are fetched, not {parts.scheme or 'a relative URL'}"
    if not parts.hostname:
        return "a URL without a host"
    if re.search(r"[\x00-\x20\x7f]", url):
        return "a URL with spaces or control characters"
    return ""


def _scheme(url: str) -> str:
    return urllib.parse.urlsplit(url).scheme


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urllib.parse.urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, (parts.hostname or "").lower(), port


def _shown(url: str) -> str:
    """The URL without its query string (which may carry a key), for messages."""
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def _lowercase(message) -> dict[str, str]:
    headers: dict[str, str] = {}
    for name, value in message.items():
        name = name.lower()
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return headers


def _failed(outcome: Outcome, error: str, url: str, status: int | None = None, *, moved: bool = False) -> Response:
    return Response(status, None, None, url, moved, {}, outcome=outcome, error=error)


def _too_big(url: str, status: int, headers: dict[str, str], max_bytes: int) -> Response:
    error = f"{_shown(url)} sent more than {max_bytes} bytes (COLLECTOR_MAX_BYTES)"
    return Response(status, None, None, url, False, headers, outcome=Outcome.INVALID, error=error)
