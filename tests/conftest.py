"""Shared fixtures and small factories for the suite."""

import itertools
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article, ArticleFramework, Section
from articles.roles import editors_group
from frameworks.models import Capability, Framework, Measurement, Metric, Support
from pagecache import generation

_seq = itertools.count(1)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploads go to a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _page_cache(settings, tmp_path):
    """Each test starts with an empty page cache and its own content generation."""
    settings.PAGE_CACHE_STAMP = tmp_path / "content-generation"
    # Clear first: with Redis the generation lives in the cache itself.
    generation.page_cache().clear()
    generation.reset()


def make_framework(**kw) -> Framework:
    n = next(_seq)
    kw.setdefault("name", f"Framework {n}")
    kw.setdefault("slug", f"framework-{n}")
    kw.setdefault("year_created", 2010)
    kw.setdefault("license", "MIT")
    return Framework.objects.create(**kw)


def make_metric(**kw) -> Metric:
    n = next(_seq)
    kw.setdefault("name", f"Metric {n}")
    kw.setdefault("slug", f"metric-{n}")
    return Metric.objects.create(**kw)


def make_measurement(framework, metric, value, as_of=None, **kw) -> Measurement:
    kw.setdefault("source_name", "GitHub")
    kw.setdefault("source_url", "https://github.com/example/example")
    return Measurement.objects.create(
        framework=framework, metric=metric, value=Decimal(str(value)), as_of=as_of or date(2019, 8, 1), **kw
    )


def make_article(frameworks=(), **kw) -> Article:
    n = next(_seq)
    kw.setdefault("title", f"Guide {n}")
    kw.setdefault("slug", f"guide-{n}")
    kw.setdefault("status", Article.Status.PUBLISHED)
    kw.setdefault("publish_at", timezone.now() - timedelta(days=1))
    article = Article.objects.create(**kw)
    for position, fw in enumerate(frameworks):
        ArticleFramework.objects.create(article=article, framework=fw, position=position)
    return article


def make_section(article, kind=Section.Kind.PROSE, **kw) -> Section:
    kw.setdefault("position", next(_seq))
    if kind in (Section.Kind.PROSE, Section.Kind.QUOTE):
        kw.setdefault("body", "Some **text**.")
    section = Section(article=article, kind=kind, **kw)
    section.full_clean()
    section.save()
    return section


def make_catalogue(n_frameworks: int, n_dates: int = 2, metrics=None):
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


@pytest.fixture
def seeded(db):
    call_command("seed", verbosity=0)


@pytest.fixture
def editor(db):
    user = get_user_model().objects.create_user("editor", "editor@example.com", "correct horse battery staple")
    user.is_staff = True
    user.save()
    user.groups.add(editors_group())
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", "root@example.com", "correct horse battery staple")


@pytest.fixture
def admin_client_(client, superuser):
    client.force_login(superuser)
    return client
