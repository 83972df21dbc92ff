"""Reader pages for guides."""

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe

from editorial.listing import ListingError, error_response, redirect_to_canonical
from frameworks.compare_paths import compare_url
from frameworks.freshness import is_stale
from frameworks.models import Metric
from frameworks.selectors import capped, leaders
from pagecache.decorators import public_page

from . import preview as signed_preview
from .blocks import build_blocks, sources_of
from .changes import PAGE_ENTRIES, guide_changes
from .guide_index import GuideIndexState, load_guide_page
from .models import Article, ArticleFramework, Category, Section
from .seo import guide_jsonld
from .social import guide_card


def _guides():
    return Article.objects.published().prefetch_related("categories")


HOME_GUIDES = 10
HOME_CATEGORIES = 24
CATEGORY_GUIDES = 24


@public_page
@require_safe
def home(request):
    """Latest guides, the six leaders on the first metric, topics with a published guide.

    Every list is limited in SQL, so the page costs the same whatever the size
    of the catalogue. Queries: 5 (guides and their categories 2, first metric,
    leaders 1, topics 1); 6 if fewer than six frameworks have a figure.
    """
    top_metric = Metric.objects.first()
    with_guide = Article.objects.published().filter(categories=OuterRef("pk"))
    return render(
        request,
        "articles/home.html",
        {
            "guides": _guides()[:HOME_GUIDES],
            "top": leaders(top_metric),
            "top_metric": top_metric,
            "categories": Category.objects.filter(Exists(with_guide))[:HOME_CATEGORIES],
        },
    )


@public_page
@require_safe
def guide_list(request):
    """Every published guide, newest first, by topic and framework: the state is the query string.

    Non-canonical spellings redirect (301); bad values answer 400 and pages
    past the last 404, each with a page that says why.
    """
    try:
        state = GuideIndexState.from_query(request.GET)
        if response := redirect_to_canonical(request, state.canonical_url):
            return response
        page = load_guide_page(state)
    except ListingError as error:
        return error_response(request, error, title="We cannot show that list of guides")
    return render(request, "articles/guide_list.html", {"state": state, "page": page})


@public_page
@require_safe
def article_detail(request, slug):
    """A guide. Staff may also open drafts and scheduled guides, as a preview."""
    visible = Article.objects.all() if request.user.is_staff else Article.objects.published()
    return _render_guide(request, visible, slug=slug)


@require_safe
def article_preview(request, slug, token):
    """A draft or scheduled guide for whoever holds a valid signed link; 404 once it expires."""
    article_id = signed_preview.article_id_from(token, slug)
    if article_id is None:
        raise Http404("This preview link is invalid or has expired.")
    return _render_guide(request, Article.objects.filter(pk=article_id), slug=slug, private=True)


def _render_guide(request, visible, *, slug, private=False):
    article = get_object_or_404(
        visible.prefetch_related(
            "categories",
            Prefetch(
                "article_frameworks",
                queryset=ArticleFramework.objects.select_related("framework"),
            ),
        ),
        slug=slug,
    )
    # Readers never see an unpublished framework: not in the guide's tables, charts and matrices, nor as a
    # profile card (staff previews show what readers will see).
    frameworks = [af.framework for af in article.article_frameworks.all() if af.framework.is_published]
    sections = [
        s
        for s in article.sections.select_related("framework", "metric").prefetch_related("metrics", "capabilities")
        if s.kind != Section.Kind.PROFILE or s.framework.is_published
    ]
    blocks, board = build_blocks(sections, frameworks)
    figures_as_of, figures_oldest = board.latest_as_of(), board.oldest_as_of()
    is_live = article.is_live
    # A draft or a preview has no readers to tell: changes are shown (and their feed offered) once it is live.
    changes = (
        guide_changes(article, frameworks=frameworks, sections=sections, limit=PAGE_ENTRIES, first_publication=False)
        if is_live
        else []
    )
    response = render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "frameworks": frameworks,
            "blocks": blocks,
            "contents": [s for s in sections if s.heading],
            "figures_as_of": figures_as_of,
            "figures_oldest": figures_oldest,
            "figures_stale": is_stale(figures_oldest),
            "stale_figure_days": settings.STALE_FIGURE_DAYS,
            "is_preview": not is_live,
            "changes": changes,
            "compare_path": compare_url(frameworks),
            "sources": sources_of(board),
            "jsonld": guide_jsonld(article, request, frameworks=frameworks, figures_as_of=figures_as_of),
            "card": guide_card(article, frameworks, board),
        },
    )
    if private or not is_live:
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex"
    return response


@public_page
@require_safe
def category_detail(request, slug):
    """A topic: its newest CATEGORY_GUIDES published guides and how many there are in all (the rest are
    on the guides index, filtered by topic). Queries: 3 (topic, guides with their count, categories)."""
    category = get_object_or_404(Category, slug=slug)
    guides, total = capped(_guides().filter(categories=category), CATEGORY_GUIDES)
    return render(
        request,
        "articles/category_detail.html",
        {"category": category, "guides": guides, "guides_total": total},
    )
