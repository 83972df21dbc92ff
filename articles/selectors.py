"""Reads of guides that other pages share."""

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Prefetch

from frameworks.compare_paths import compare_url
from frameworks.models import Framework

from .models import Article, ArticleFramework


def guides_with_frameworks():
    """Published guides with their published frameworks, ready for ``guide_comparisons``."""
    return Article.objects.published().prefetch_related(
        "categories",
        Prefetch(
            "article_frameworks",
            # Exists, not framework__in: SQLite then looks each row's framework up instead of scanning them all.
            queryset=ArticleFramework.objects.filter(
                Exists(Framework.objects.published().filter(pk=OuterRef("framework")))
            ).select_related("framework"),
        ),
    )


def guide_comparisons(guides: Iterable[Article]) -> list[tuple[str, list[Framework]]]:
    """The compare pages these guides link to: (path, frameworks), once each.

    The guides must come from ``guides_with_frameworks`` (or prefetch the same way).
    """
    seen: dict[str, list[Framework]] = {}
    for guide in guides:
        frameworks = [af.framework for af in guide.article_frameworks.all()]
        path = compare_url(frameworks)
        if path and path not in seen:
            seen[path] = sorted(frameworks, key=lambda fw: fw.slug)
    return list(seen.items())
