"""Reader pages for guides."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET

from frameworks.models import Framework
from pagecache.decorators import public_page

from .blocks import build_blocks
from .models import Article, ArticleFramework, Category


def _guides():
    return Article.objects.published().prefetch_related("categories")


@public_page
@require_GET
def home(request):
    return render(
        request,
        "articles/home.html",
        {
            "guides": _guides()[:10],
            "frameworks": Framework.objects.published()[:12],
            "categories": Category.objects.filter(articles__in=Article.objects.published()).distinct(),
        },
    )


@public_page
@require_GET
def article_detail(request, slug):
    """A guide. Staff may also open drafts and scheduled guides, as a preview."""
    visible = Article.objects.all() if request.user.is_staff else Article.objects.published()
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
    frameworks = [af.framework for af in article.article_frameworks.all()]
    sections = list(
        article.sections.select_related("framework", "metric").prefetch_related("metrics", "capabilities")
    )
    blocks, board = build_blocks(sections, frameworks)
    response = render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "frameworks": frameworks,
            "blocks": blocks,
            "contents": [s for s in sections if s.heading],
            "figures_as_of": board.latest_as_of(),
            "is_preview": not article.is_live,
        },
    )
    if not article.is_live:
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex"
    return response


@public_page
@require_GET
def category_detail(request, slug):
    category = get_object_or_404(Category, slug=slug)
    return render(
        request,
        "articles/category_detail.html",
        {"category": category, "guides": _guides().filter(categories=category)},
    )
