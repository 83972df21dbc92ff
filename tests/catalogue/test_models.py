"""Catalogue and guide models: integrity rules held by the database and by validation."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article, Category, Section
from frameworks.models import Adoption, Capability, Measurement, Metric, Organization, Support
from tests.factories import make_article, make_framework, make_measurement, make_metric, make_section

pytestmark = pytest.mark.django_db


def test_framework_slug_is_unique():
    make_framework(slug="flask", name="Flask")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_framework(slug="flask", name="Flask again")


def test_framework_slug_cannot_contain_vs():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_framework(slug="a-vs-b")


def test_one_value_per_framework_metric_and_day():
    fw, metric = make_framework(), make_metric()
    make_measurement(fw, metric, 10, as_of=date(2020, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        make_measurement(fw, metric, 11, as_of=date(2020, 1, 1))


def test_negative_value_refused_by_database_and_validation():
    fw, metric = make_framework(), make_metric()
    with pytest.raises(IntegrityError), transaction.atomic():
        make_measurement(fw, metric, -1)
    m = Measurement(framework=fw, metric=metric, value=Decimal(-5), as_of=date(2020, 1, 1),
                    source_name="GitHub", source_url="https://github.com/x/y")
    with pytest.raises(ValidationError) as exc:
        m.full_clean()
    assert "cannot be negative" in str(exc.value)


def test_future_as_of_refused_by_database_and_validation():
    fw, metric = make_framework(), make_metric()
    far = timezone.localdate() + timedelta(days=30)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_measurement(fw, metric, 1, as_of=far)
    m = Measurement(framework=fw, metric=metric, value=1, as_of=far, source_name="x", source_url="https://x.org")
    with pytest.raises(ValidationError) as exc:
        m.full_clean()
    assert "in the future" in str(exc.value)
    assert not Measurement.objects.exists()


def test_new_figure_keeps_history_and_becomes_current():
    fw, metric = make_framework(), make_metric()
    old = make_measurement(fw, metric, 45761, as_of=date(2019, 8, 1))
    new = make_measurement(fw, metric, 46120, as_of=date(2020, 1, 1))
    assert list(Measurement.objects.filter(framework=fw).current()) == [new]
    assert set(fw.measurements.all()) == {old, new}


def test_current_picks_latest_per_framework_and_metric():
    a, b = make_framework(), make_framework()
    stars, forks = make_metric(), make_metric()
    make_measurement(a, stars, 1, as_of=date(2019, 1, 1))
    latest = {
        make_measurement(a, stars, 2, as_of=date(2019, 6, 1)),
        make_measurement(a, forks, 3, as_of=date(2018, 1, 1)),
        make_measurement(b, stars, 4, as_of=date(2019, 2, 1)),
    }
    make_measurement(b, stars, 5, as_of=date(2018, 2, 1))
    assert set(Measurement.objects.current()) == latest


def test_metric_formats_values_exactly():
    count = make_metric()
    latency = make_metric(unit="ms", decimal_places=2, higher_is_better=False)
    assert count.format(Decimal("45761")) == "45,761"
    assert count.format(Decimal("300700")) == "300,700"
    assert latency.format(Decimal("46.04")) == "46.04 ms"
    assert count.format(None) == "—"
    assert latency.better(Decimal("46.04"), Decimal("144.29"))
    assert count.better(Decimal(2), Decimal(1))


def test_adoption_rules():
    flask, django = make_framework(), make_framework()
    org = Organization.objects.create(name="MIT", slug="mit")
    adoption = Adoption(organization=org, framework=flask, relation=Adoption.Relation.ALSO_USES)
    with pytest.raises(ValidationError):
        adoption.full_clean()
    adoption.other_framework = django
    adoption.full_clean()
    adoption.save()
    assert adoption.summary == f"also uses {django.name}"
    with pytest.raises(IntegrityError), transaction.atomic():
        Adoption.objects.create(organization=org, framework=flask)
    with pytest.raises(IntegrityError), transaction.atomic():
        Adoption.objects.create(organization=Organization.objects.create(name="X", slug="x"), framework=flask,
                                other_framework=flask)


def test_extension_support_must_name_its_package():
    fw = make_framework()
    cap = Capability.objects.create(name="ORM", slug="orm")
    with pytest.raises(IntegrityError), transaction.atomic():
        Support.objects.create(framework=fw, capability=cap, level=Support.Level.THIRD_PARTY)
    Support.objects.create(framework=fw, capability=cap, level=Support.Level.THIRD_PARTY, package="Flask-SQLAlchemy")


def test_section_kinds_require_their_data():
    article = make_article()
    for kind, field in [(Section.Kind.PROFILE, "framework"), (Section.Kind.CHART, "metric"),
                        (Section.Kind.PROSE, "body"), (Section.Kind.QUOTE, "body")]:
        with pytest.raises(ValidationError) as exc:
            Section(article=article, kind=kind, body="").full_clean()
        assert field in exc.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        Section.objects.create(article=article, kind=Section.Kind.PROFILE)


def test_every_model_has_str_ordering_and_url():
    fw = make_framework(name="Flask", slug="flask")
    metric = make_metric(name="GitHub stars", slug="github-stars")
    m = make_measurement(fw, metric, 45761)
    org = Organization.objects.create(name="Lyft", slug="lyft")
    adoption = Adoption.objects.create(organization=org, framework=fw)
    cap = Capability.objects.create(name="ORM", slug="orm")
    support = Support.objects.create(framework=fw, capability=cap, level=Support.Level.BUILT_IN)
    cat = Category.objects.create(name="Web", slug="web")
    article = make_article([fw], slug="flask-guide", title="Flask guide")
    section = make_section(article, heading="Intro")
    objects = [fw, metric, m, org, adoption, cap, support, cat, article, article.article_frameworks.get(), section]
    for obj in objects:
        assert str(obj)
        assert obj.get_absolute_url().startswith("/")
        assert obj._meta.ordering
    assert str(m) == "Flask: GitHub stars 45,761 (as of 2019-08-01)"
    assert fw.get_absolute_url() == "/frameworks/flask/"
    assert article.get_absolute_url() == "/guides/flask-guide/"
    assert cat.get_absolute_url() == "/categories/web/"


def test_metric_slug_unique():
    Metric.objects.create(name="A", slug="a")
    with pytest.raises(IntegrityError), transaction.atomic():
        Metric.objects.create(name="B", slug="a")


def test_article_slug_unique():
    make_article(slug="same")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_article(slug="same")
    assert Article.objects.count() == 1
