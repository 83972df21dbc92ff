"""The search page and the pickers' suggestion endpoint.

Both are public pages (the same for every reader, cached until content
changes) that take bounded input and run a fixed number of queries whatever
the catalogue's size.
"""

from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from frameworks.compare_paths import MAX_FRAMEWORKS, canonical_path
from frameworks.models import Framework
from pagecache.decorators import public_page

from . import backends
from .models import SearchEntry
from .query import MAX_LENGTH, MAX_WORDS, parse
from .results import build_hits

PAGE_SIZE = 20
COUNT_CAP = 1000  # counting stops here: "1,000+ results"
SUGGESTIONS = 8
MAX_WITH = MAX_FRAMEWORKS - 1


def _chosen(request) -> tuple[list[Framework], list[str]]:
    """The published frameworks named by ?with= (at most three, in the order given), and the slugs ignored."""
    slugs = list(dict.fromkeys(s for s in request.GET.getlist("with") if s))
    wanted, extra = slugs[:MAX_WITH], slugs[MAX_WITH:]
    if not wanted:
        return [], extra
    found = {fw.slug: fw for fw in Framework.objects.published().filter(slug__in=wanted).only("name", "slug")}
    return [found[s] for s in wanted if s in found], [s for s in wanted if s not in found] + extra


def _page_number(request) -> int | None:
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < len(raw) <= 6 and int(raw) > 0 else None


@public_page
@require_safe
def search(request):
    """/search/?q=…[&page=N][&with=slug…]: ranked results of every kind, 20 a page.

    An empty query shows what can be searched; an unusable one (too long, too
    many words, no letters or digits) says why and runs no query. A page past
    the end gets a 404 that says how many pages there are.
    """
    query = parse(request.GET.get("q", ""))
    chosen, ignored = _chosen(request)
    context = {
        "query": query,
        "chosen": chosen,
        "ignored": ignored,
        "max_length": MAX_LENGTH,
        "max_words": MAX_WORDS,
    }
    status = query.status
    if query.ok:
        context.update(_results(request, query, chosen))
        status = context.pop("status", status)
    return render(request, "search/results.html", context, status=status)


def _results(request, query, chosen) -> dict:
    page = _page_number(request)
    if page is None:
        return {"page_problem": "The page number must be a whole number from 1.", "status": 400}
    visible = SearchEntry.objects.visible()
    entries = backends.matches(query, visible)
    count = entries.order_by()[: COUNT_CAP + 1].count()
    fallback = False
    if not count:
        entries = backends.similar(query, visible)
        count = entries.order_by()[: COUNT_CAP + 1].count()
        fallback = bool(count)
    capped = count > COUNT_CAP
    count = min(count, COUNT_CAP)
    if capped and not fallback:
        # A broad query ("python", "synthetic"): rank candidates only (see backends.matches).
        entries = backends.matches(query, visible, broad=True)
    pages = max(1, -(-count // PAGE_SIZE))
    context = {
        "count": count,
        "capped": capped,
        "fallback": fallback,
        "page": page,
        "pages": pages,
        "suggestion": backends.suggestion(query, SearchEntry.objects.visible_frameworks())
        if not count or fallback
        else None,
    }
    if page > pages:
        context["page_problem"] = (
            f"There is no page {page} of results: this search has {pages} page{'s' if pages != 1 else ''}."
        )
        context["status"] = 404
        return context
    offset = (page - 1) * PAGE_SIZE
    rows = list(entries.only("kind", "title", "body", "url", "slug", "organization_id")[offset : offset + PAGE_SIZE])
    if not rows and page > 1:  # a broad query's candidates ran out before its capped count
        context["page_problem"] = f"There is no page {page} of results: add a word to narrow the search."
        context["status"] = 404
        return context
    context["hits"] = build_hits(rows, query.words, chosen, reverse("search:search"))
    context["first"] = offset + 1
    context["last"] = offset + len(rows)
    params = [("q", query.text), *(("with", fw.slug) for fw in chosen)]
    if page > 1:
        context["prev_url"] = "?" + urlencode([*params, ("page", page - 1)])
    if page < pages:
        context["next_url"] = "?" + urlencode([*params, ("page", page + 1)])
    if context["suggestion"] is not None:
        context["suggestion_url"] = "?" + urlencode([("q", context["suggestion"].title), *params[1:]])
    return context


@public_page
@require_safe
def suggest(request):
    """/search/suggest.json?q=…[&with=slug…]: up to 8 published frameworks whose name or words start so.

    ``{"results": [{"name", "slug", "url", "compare_url"}]}``; ``compare_url``
    is the compare page of the ?with= frameworks plus this one (null without
    any, or if it is one of them). Two queries at most, whatever the catalogue.
    """
    query = parse(request.GET.get("q", ""))
    chosen, _ = _chosen(request)
    chosen_slugs = [fw.slug for fw in chosen]
    results = []
    if query.ok:
        # Candidates only, as for a broad search: one letter may match the whole catalogue.
        entries = backends.matches(query, SearchEntry.objects.visible_frameworks(), broad=True)
        for entry in entries.only("title", "slug", "url")[:SUGGESTIONS]:
            compare = chosen_slugs and entry.slug not in chosen_slugs
            results.append(
                {
                    "name": entry.title,
                    "slug": entry.slug,
                    "url": entry.url,
                    "compare_url": canonical_path([*chosen_slugs, entry.slug]) if compare else None,
                }
            )
    return JsonResponse({"results": results})
