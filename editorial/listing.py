"""Listing pages whose whole state lives in the URL: one canonical query, pages, clear errors.

The directory (``/frameworks/``) and the guides index (``/guides/``) share these
rules:

- The query has one canonical form: parameters in the listing's fixed order,
  empty values and defaults (``page=1``, the default sort) left out. Any
  other spelling of a valid state answers 301 to the canonical one, so each
  state has one address to share, cache and index.
- Pages are numbered from 1. A page that is not a whole number, or is below 1,
  is a bad request (400); a page past the last is not found (404). Either way
  the reader gets a sentence saying what is wrong and a link that works, on a
  ``noindex`` page in the site's style: never a 500.
- A page costs a fixed number of queries: one COUNT and one slice of rows.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import render

PAGE = "page"
ERROR_TEMPLATE = "listing_error.html"


class ListingError(Exception):
    """A listing URL the site cannot answer: ``message`` says why, ``fix_url`` leads somewhere that works."""

    def __init__(self, message: str, *, status: int = 400, fix_url: str = "", fix_label: str = ""):
        super().__init__(message)
        self.message = message
        self.status = status
        self.fix_url = fix_url
        self.fix_label = fix_label


def canonical_query(params: Iterable[tuple[str, object]], defaults: dict[str, object] | None = None) -> str:
    """``"?a=1&b=2"`` for the given (name, value) pairs in their order, or ``""``.

    Pairs whose value is empty (None, "") or equal to its default are left
    out; values are turned into text with ``str``.
    """
    defaults = defaults or {}
    kept = [(name, str(value)) for name, value in params if value not in (None, "") and defaults.get(name) != value]
    return "?" + urlencode(kept) if kept else ""


def redirect_to_canonical(request, canonical_url: str) -> HttpResponsePermanentRedirect | None:
    """A 301 to ``canonical_url`` (path and query) if the request spelled its state differently, else None."""
    asked = request.path + ("?" + request.META["QUERY_STRING"] if request.META.get("QUERY_STRING") else "")
    return None if asked == canonical_url else HttpResponsePermanentRedirect(canonical_url)


def page_number(raw: str | None, *, first_page_url: str) -> int:
    """The page asked for (1 when none): raises ListingError(400) for anything but a whole number from 1."""
    if raw in (None, ""):
        return 1
    if not raw.isascii() or not raw.isdigit():
        raise ListingError(
            f"“{raw[:20]}” is not a page number: pages are numbered 1, 2, 3 and so on.",
            fix_url=first_page_url,
            fix_label="Go to page 1",
        )
    number = int(raw)
    if number < 1:
        raise ListingError("Pages are numbered from 1.", fix_url=first_page_url, fix_label="Go to page 1")
    return number


@dataclass
class Page:
    """One page of a listing: its rows, and where the pages around it are."""

    rows: Sequence
    number: int
    num_pages: int
    count: int
    per_page: int
    url: str
    first_url: str
    previous_url: str
    next_url: str
    last_url: str

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.count else 0

    @property
    def end_index(self) -> int:
        return min(self.number * self.per_page, self.count)

    @property
    def is_paginated(self) -> bool:
        return self.num_pages > 1


def paginate(rows, *, number: int, per_page: int, url_for_page, count: int | None = None) -> Page:
    """Page ``number`` of ``rows`` (a queryset: one COUNT query, unless ``count`` is given, and one slice).

    ``url_for_page(n)`` gives the canonical URL of page n. A page past the
    last raises ListingError(404) naming how many pages there are; page 1
    always exists, if empty.
    """
    paginator = Paginator(rows, per_page, allow_empty_first_page=True)
    if count is not None:
        paginator.count = count  # a cached_property: set, it spares the COUNT query
    num_pages = paginator.num_pages
    if number > num_pages:
        pages = "there is 1 page" if num_pages == 1 else f"there are {num_pages:,} pages"
        raise ListingError(
            f"Page {number:,} does not exist: {pages}.",
            status=404,
            fix_url=url_for_page(1),
            fix_label="Go to page 1",
        )
    page = paginator.page(number)
    return Page(
        rows=page.object_list,
        number=number,
        num_pages=num_pages,
        count=paginator.count,
        per_page=per_page,
        url=url_for_page(number),
        first_url=url_for_page(1),
        previous_url=url_for_page(number - 1) if page.has_previous() else "",
        next_url=url_for_page(number + 1) if page.has_next() else "",
        last_url=url_for_page(num_pages),
    )


def error_response(request, error: ListingError, *, title: str):
    """The listing's error page: the message, a way on, ``noindex``, with the error's status."""
    return render(request, ERROR_TEMPLATE, {"error": error, "title": title}, status=error.status)
