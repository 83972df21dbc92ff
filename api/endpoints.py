"""The API's endpoints: thin, each reads through the selectors its page uses and answers with a schema.

Every endpoint is public: anonymous answers come from the page cache with an
ETag (``public_page``), and only published frameworks and live guides are
ever read: ``.published()`` everywhere, as on the pages.
"""

from datetime import date
from typing import Annotated, Literal
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef, Prefetch, Q, prefetch_related_objects
from django.http import HttpResponsePermanentRedirect, QueryDict
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Path, Query, Router, Schema
from ninja.decorators import decorate_view

from articles.blocks import Block, build_blocks
from articles.guide_index import GuideIndexState, load_guide_page
from articles.models import Article, ArticleFramework, Section
from comparisons.directory import PER_PAGE as FRAMEWORKS_PER_PAGE
from comparisons.directory import DirectoryState
from comparisons.selectors import load_comparison
from editorial.listing import ListingError, paginate
from frameworks.compare_paths import NO_SUCH_COMPARISON, SEPARATOR, resolve_set
from frameworks.models import Framework, Measurement, Metric
from frameworks.open_data import figure_record
from frameworks.selectors import current_figures, load_board
from pagecache.decorators import public_page
from search.backends import matching_framework_ids
from search.query import parse

from . import data
from .cursors import Cursor
from .schemas import (
    ComparisonOut,
    Error,
    FrameworkDetail,
    FrameworkPage,
    GuideDetail,
    GuidePage,
    MeasurementPage,
    MetricOut,
)

router = Router()

SLUG = r"^[-a-zA-Z0-9_]+$"
DAY = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
FrameworkSlug = Annotated[
    str, Field(max_length=50, pattern=SLUG, examples=["flask"], description="The framework's slug.")
]
GuideSlug = Annotated[
    str, Field(max_length=100, pattern=SLUG, examples=["flask-vs-django"], description="The guide's slug.")
]
CompareSlugs = Annotated[
    str,
    Field(
        max_length=220,
        pattern=SLUG,
        examples=["django-vs-flask"],
        description="2 to 4 framework slugs in alphabetical order, joined by `-vs-`.",
    ),
]
MEASUREMENTS_PER_PAGE, MEASUREMENTS_MAX = 100, 500
ERRORS = {400: Error, 404: Error}


def _query(**values) -> QueryDict:
    """Validated parameters as the query string the pages' listing states read."""
    query = QueryDict(mutable=True)
    for name, value in values.items():
        if value is not None:
            query[name] = str(value)
    return query


def _page_links(urls: data.Urls, page, name: str) -> dict:
    """count/page/pages/next/previous of a listing page, its links pointing at the API, not the HTML page."""

    def link(url: str) -> str | None:
        if not url:
            return None
        query = url.partition("?")[2]
        return urls.api(name) + ("?" + query if query else "")

    return {
        "count": page.count,
        "page": page.number,
        "pages": page.num_pages,
        "next": link(page.next_url),
        "previous": link(page.previous_url),
    }


class FrameworkFilters(Schema):
    q: str | None = Field(None, max_length=100, description="Words the framework's name or text must contain.")
    language: str | None = Field(None, max_length=50, description="Written in this language, e.g. Python.")
    license: str | None = Field(None, max_length=100, description="Under this license, e.g. BSD-3-Clause.")
    capability: str | None = Field(None, max_length=60, pattern=SLUG, description="A capability's slug.")
    level: Literal["any", "built_in", "official", "third_party"] | None = Field(
        None, description="How the capability is offered; only with `capability`."
    )
    guide: Literal["yes", "no"] | None = Field(None, description="Only those a published guide compares, or not.")
    year_from: int | None = Field(None, ge=1950, le=2100, description="Created in this year or later.")
    year_to: int | None = Field(None, ge=1950, le=2100, description="Created in this year or earlier.")
    sort: str | None = Field(
        None, max_length=50, pattern=SLUG, description="name (the default), or a metric's slug: best first."
    )
    page: int = Field(1, ge=1, le=1_000_000, description="Pages are numbered from 1.")


@router.get(
    "/frameworks",
    response={200: FrameworkPage, **ERRORS},
    url_name="frameworks",
    summary="List frameworks",
    description=f"Published frameworks with the directory's filters and sort, {FRAMEWORKS_PER_PAGE} a page, "
    "each with its current figures.",
)
@decorate_view(public_page)
def frameworks(request, filters: Query[FrameworkFilters]):
    """Queries: 6 (the filters' choices 3, a COUNT, the page, its figures), whatever the size of the catalogue."""
    values = filters.dict(exclude={"q", "page"})
    state = DirectoryState.from_query(_query(**values, page=filters.page))
    rows = state.frameworks()
    if filters.q:
        query = parse(filters.q)
        if query.problem:
            raise ListingError(query.problem)
        if query.ok:  # only spaces: no search
            rows = rows.filter(pk__in=matching_framework_ids(query))

    def url_for_page(number: int) -> str:
        url = state.url(number)
        return url + ("&" if "?" in url else "?") + urlencode({"q": filters.q}) if filters.q else url

    urls = data.Urls(request)
    page = paginate(state.ordered(rows), number=state.page, per_page=FRAMEWORKS_PER_PAGE, url_for_page=url_for_page)
    listed = list(page.rows)
    current = current_figures(frameworks=[fw.pk for fw in listed], metrics=state.metrics) if listed else {}
    results = [data.framework_summary(urls, fw, data.current_of(fw, state.metrics, current)) for fw in listed]
    return _page_links(urls, page, "frameworks") | {"results": results}


@router.get(
    "/frameworks/{slug}",
    response={200: FrameworkDetail, **ERRORS},
    url_name="framework",
    summary="One framework",
    description="Facts, identifiers, current figures with sources, capabilities and adopters "
    "(the most recently recorded per relation, with totals).",
)
@decorate_view(public_page)
def framework(request, slug: Path[FrameworkSlug]):
    fw = get_object_or_404(Framework.objects.published(), slug=slug)
    board = load_board([fw], with_capabilities=True, with_adoptions=True)
    return data.framework_detail(data.Urls(request), fw, board)


@router.get(
    "/metrics",
    response=list[MetricOut],
    url_name="metrics",
    summary="List metrics",
    description="Everything measured, in the order tables show it.",
)
@decorate_view(public_page)
def metrics(request):
    return [data.metric(m) for m in Metric.objects.all()]


class MeasurementFilters(Schema):
    framework: str | None = Field(None, max_length=50, pattern=SLUG, description="A framework's slug.")
    metric: str | None = Field(None, max_length=50, pattern=SLUG, description="A metric's slug.")
    since: str | None = Field(
        None,
        pattern=DAY,
        json_schema_extra={"format": "date"},
        description="Figures as of this day or later (YYYY-MM-DD).",
    )
    until: str | None = Field(
        None, pattern=DAY, json_schema_extra={"format": "date"}, description="Figures as of this day or earlier."
    )
    cursor: str | None = Field(None, max_length=100, description="`next_cursor` from the previous page.")
    limit: int = Field(MEASUREMENTS_PER_PAGE, ge=1, le=MEASUREMENTS_MAX, description="Figures a page.")


def _day(text: str | None, name: str) -> date | None:
    """A YYYY-MM-DD parameter as a date; ListingError (400) for a day that does not exist."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ListingError(
            f"“{name}” is {text}, which is not a day: write it as YYYY-MM-DD, e.g. 2026-01-31."
        ) from None


@router.get(
    "/measurements",
    response={200: MeasurementPage, **ERRORS},
    url_name="measurements",
    summary="History of figures",
    description="Every figure recorded for published frameworks, oldest first (by as-of day, then as recorded), "
    "with cursor pagination. Figures waiting for an editor's review are not included until accepted. "
    "A figure recorded later with an earlier as-of day lands before a saved cursor: to keep a copy "
    "current, walk again from the start, or follow the figures feeds.",
)
@decorate_view(public_page)
def measurements(request, filters: Query[MeasurementFilters]):
    """Queries: 1, plus 1 for each of ``framework`` and ``metric``: the page is read off an index from its cursor."""
    rows = Measurement.objects.filter(Exists(Framework.objects.published().filter(pk=OuterRef("framework"))))
    if filters.framework:
        fw = Framework.objects.published().filter(slug=filters.framework).only("pk").first()
        if fw is None:
            raise ListingError(f"No published framework has the slug “{filters.framework}”.")
        rows = rows.filter(framework=fw)
    if filters.metric:
        metric = Metric.objects.filter(slug=filters.metric).only("pk").first()
        if metric is None:
            raise ListingError(f"No metric has the slug “{filters.metric}”.")
        rows = rows.filter(metric=metric)
    since, until = _day(filters.since, "since"), _day(filters.until, "until")
    if since and until and since > until:
        raise ListingError(f"“since” ({since}) is after “until” ({until}).")
    if since:
        rows = rows.filter(as_of__gte=since)
    if until:
        rows = rows.filter(as_of__lte=until)
    if filters.cursor:
        after = Cursor.decode(filters.cursor)
        rows = rows.filter(Q(as_of__gt=after.as_of) | Q(as_of=after.as_of, pk__gt=after.pk))
    found = list(rows.select_related("framework", "metric").order_by("as_of", "pk")[: filters.limit + 1])
    shown, more = found[: filters.limit], len(found) > filters.limit
    next_cursor = Cursor(shown[-1].as_of, shown[-1].pk).encode() if more else None
    next_url = None
    if next_cursor:
        query = request.GET.copy()
        query["cursor"] = next_cursor
        next_url = request.build_absolute_uri(request.path + "?" + query.urlencode())
    return {
        "next_cursor": next_cursor,
        "next": next_url,
        "results": [figure_record(m, framework=m.framework, metric=m.metric) for m in shown],
    }


class GuideFilters(Schema):
    topic: str | None = Field(None, max_length=60, pattern=SLUG, description="A category's slug.")
    framework: str | None = Field(None, max_length=50, pattern=SLUG, description="Guides comparing this framework.")
    page: int = Field(1, ge=1, le=1_000_000, description="Pages are numbered from 1.")


def _with_frameworks(guides):
    """Each guide's published frameworks, in its order (one query)."""
    published = Exists(Framework.objects.published().filter(pk=OuterRef("framework")))
    prefetch_related_objects(
        guides,
        Prefetch("article_frameworks", queryset=ArticleFramework.objects.filter(published).select_related("framework")),
    )
    return {g.pk: [af.framework for af in g.article_frameworks.all()] for g in guides}


@router.get(
    "/guides",
    response={200: GuidePage, **ERRORS},
    url_name="guides",
    summary="List guides",
    description="Published guides, newest first, 20 a page.",
)
@decorate_view(public_page)
def guides(request, filters: Query[GuideFilters]):
    """Queries: 5 (topics, a COUNT, the page, its topics, its frameworks); 6 with ``framework``."""
    state = GuideIndexState.from_query(_query(topic=filters.topic, framework=filters.framework, page=filters.page))
    page = load_guide_page(state)
    urls = data.Urls(request)
    frameworks = _with_frameworks(page.rows)
    results = [data.guide_summary(urls, g, frameworks[g.pk]) for g in page.rows]
    return _page_links(urls, page, "guides") | {"results": results}


@router.get(
    "/guides/{slug}",
    response={200: GuideDetail, **ERRORS},
    url_name="guide",
    summary="One guide",
    description="A published guide with its sections in order: prose as sanitised HTML, "
    "live blocks (profiles, tables, matrices, charts) as the data they show today.",
)
@decorate_view(public_page)
def guide(request, slug: Path[GuideSlug]):
    article = get_object_or_404(Article.objects.published().prefetch_related("categories"), slug=slug)
    frameworks = _with_frameworks([article])[article.pk]
    sections = list(article.sections.select_related("framework", "metric").prefetch_related("metrics", "capabilities"))
    # Profiles of unpublished frameworks keep their place but show nothing (see data._section).
    shown = [s for s in sections if s.kind != Section.Kind.PROFILE or (s.framework and s.framework.is_published)]
    blocks, board = build_blocks(shown, frameworks)
    by_section = {b.section.pk: b for b in blocks}
    blocks = [by_section.get(s.pk) or Block(s) for s in sections]
    return data.guide_detail(data.Urls(request), article, frameworks, blocks, board)


@router.get(
    "/compare/{slugs}",
    response={200: ComparisonOut, 301: None, **ERRORS},
    url_name="compare",
    summary="Compare frameworks",
    description="What the compare page shows for 2 to 4 published frameworks, named by slug and joined by "
    "`-vs-` in alphabetical order (another order answers 301 to that one).",
)
@decorate_view(public_page)
def compare(request, slugs: Path[CompareSlugs]):
    frameworks, canonical = resolve_set(slugs, not_found=NO_SUCH_COMPARISON)
    if not canonical:
        path = reverse("api:compare", kwargs={"slugs": SEPARATOR.join(fw.slug for fw in frameworks)})
        return HttpResponsePermanentRedirect(path)
    comparison = load_comparison(frameworks)
    return data.comparison(data.Urls(request), comparison, _with_frameworks(comparison.guides))
