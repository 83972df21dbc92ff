"""Small factories for single rows: each call saves one object with unique names and slugs.

Every keyword overrides a default; anything not given is filled in so the row
passes the model's validation.
"""

import itertools
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from articles.models import Article, ArticleFramework, Section
from frameworks.models import Capability, Framework, Measurement, Metric, Support

_seq = itertools.count(1)


def make_framework(**kw) -> Framework:
    """A saved, published framework named "Framework <n>" unless told otherwise."""
    n = next(_seq)
    kw.setdefault("name", f"Framework {n}")
    kw.setdefault("slug", f"framework-{n}")
    kw.setdefault("year_created", 2010)
    kw.setdefault("license", "MIT")
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


def make_catalogue(
    n_frameworks: int, n_dates: int = 2, metrics: Sequence[Metric] | None = None
) -> tuple[list[Framework], Sequence[Metric], Capability]:
    """n frameworks, each measured on every metric at n_dates dates, with support rows."""
    metrics = metrics or [make_metric(name=f"Stars {next(_seq)}"), make_metric(name=f"Latency {next(_seq)}",
                                                                           unit="ms", decimal_places=2,
                                                                           higher_is_better=False)]
    capability = Capability.objects.create(name=f"ORM {next(_seq)}", slug=f"orm-{next(_seq)}")
    frameworks = []
    rows = []
    for i in range(n_frameworks):
        fw = make_framework()
        frameworks.append(fw)
        Support.objects.create(framework=fw, capability=capability, level=Support.Level.BUILT_IN)
        for metric in metrics:
            for d in range(n_dates):
                rows.append(Measurement(framework=fw, metric=metric, value=Decimal(100 * (i + 1) + d),
                                        as_of=date(2019, 1, 1) + timedelta(days=30 * d),
                                        source_name="GitHub", source_url="https://github.com/x/y"))
    Measurement.objects.bulk_create(rows)
    return frameworks, metrics, capability
