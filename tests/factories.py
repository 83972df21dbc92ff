"""Small factories for single rows: each call saves one object with unique names and slugs.

Every keyword overrides a default; anything not given is filled in so the row
passes the model's validation.
"""

import itertools
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from articles.models import Article, ArticleFramework, Section
from frameworks.models import Framework, Measurement, Metric

_seq = itertools.count(1)


def make_framework(**kw) -> Framework:
    """A saved, published framework named "Framework <n>" unless told otherwise."""
    n = next(_seq)
    kw.setdefault("name", f"Framework {n}")
    kw.setdefault("slug", f"framework-{n}")
    kw.setdefault("year_created", 2010)
    kw.setdefault("license", "MIT")
    kw.setdefault("is_published", True)  # new frameworks start unpublished
    return Framework.objects.create(**kw)


def make_metric(**kw) -> Metric:
    """A saved metric (a count, higher is better) named "Metric <n>" unless told otherwise."""
    n = next(_seq)
    kw.setdefault("name", f"Metric {n}")
    kw.setdefault("slug", f"metric-{n}")
    return Metric.objects.create(**kw)


def make_measurement(
    framework: Framework, metric: Metric, value: int | float | str | Decimal, as_of: date | None = None, **kw
) -> Measurement:
    """A saved figure of `framework` on `metric`, as of 1 Aug 2019 unless told otherwise, sourced from GitHub."""
    kw.setdefault("source_name", "GitHub")
    kw.setdefault("source_url", "https://github.com/example/example")
    return Measurement.objects.create(
        framework=framework, metric=metric, value=Decimal(str(value)), as_of=as_of or date(2019, 8, 1), **kw
    )


def make_article(frameworks: Iterable[Framework] = (), **kw) -> Article:
    """A saved guide, published yesterday unless told otherwise, comparing `frameworks` in that order."""
    n = next(_seq)
    kw.setdefault("title", f"Guide {n}")
    kw.setdefault("slug", f"guide-{n}")
    kw.setdefault("status", Article.Status.PUBLISHED)
    kw.setdefault("publish_at", timezone.now() - timedelta(days=1))
    article = Article.objects.create(**kw)
    for position, fw in enumerate(frameworks):
        ArticleFramework.objects.create(article=article, framework=fw, position=position)
    return article


def make_section(article: Article, kind: str = Section.Kind.PROSE, **kw) -> Section:
    """A validated, saved section of `article` placed after the others; prose and quotes get a body."""
    kw.setdefault("position", next(_seq))
    if kind in (Section.Kind.PROSE, Section.Kind.QUOTE):
        kw.setdefault("body", "Some **text**.")
    section = Section(article=article, kind=kind, **kw)
    section.full_clean()
    section.save()
    return section
