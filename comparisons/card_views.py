"""Social cards: the PNG each public guide, framework and compare page names in its og:image.

A card exists exactly when its page does: the same visibility rules, the
same slug parsing, the same redirect of a compare set to its canonical
order. Each is ``@public_page``, so the page cache stores the PNG beside
the page, with an ETag, and drops both when content changes.
Queries: a guide's card 4, a framework's 3, a compare card 3.
"""

from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_safe

from articles.models import Article, ArticleFramework
from articles.social import guide_card
from frameworks.compare_paths import NO_SUCH_COMPARISON, SEPARATOR, resolve_set
from frameworks.models import Framework
from frameworks.selectors import load_board
from frameworks.social import comparison_card, framework_card
from pagecache.decorators import public_page

from .cards import render_png


def _png(card) -> HttpResponse:
    return HttpResponse(render_png(card), content_type="image/png")


@public_page
@require_safe
def guide_png(request, slug):
    article = get_object_or_404(
        Article.objects.published().prefetch_related(
            Prefetch("article_frameworks", queryset=ArticleFramework.objects.select_related("framework"))
        ),
        slug=slug,
    )
    frameworks = [af.framework for af in article.article_frameworks.all() if af.framework.is_published]
    return _png(guide_card(article, frameworks, load_board(frameworks)))


@public_page
@require_safe
def framework_png(request, slug):
    framework = get_object_or_404(Framework.objects.published(), slug=slug)
    return _png(framework_card(framework, load_board([framework])))


@public_page
@require_safe
def compare_png(request, slugs):
    frameworks, canonical = resolve_set(slugs, not_found=NO_SUCH_COMPARISON)
    if not canonical:
        slugs = SEPARATOR.join(fw.slug for fw in frameworks)
        return redirect(reverse("cards:compare", kwargs={"slugs": slugs}), permanent=True)
    return _png(comparison_card(frameworks, load_board(frameworks)))
