"""The seed command loads the 2019 guide with every fact and figure, idempotently."""

from datetime import date

import pytest
from django.core.management import call_command

from articles.models import Article, Section
from frameworks.models import Adoption, Capability, Framework, Measurement, Metric, Organization, Support

pytestmark = pytest.mark.django_db

MODELS = [Framework, Metric, Measurement, Organization, Adoption, Capability, Support, Article, Section]

FIGURES = {
    "flask": {"github-stars": 45761, "github-forks": 12870, "used-by": 300700, "stack-overflow-questions": 29378},
    "django": {"github-stars": 43221, "github-forks": 18596, "used-by": 282618, "stack-overflow-questions": 204483},
}


def counts():
    return {m.__name__: m.objects.count() for m in MODELS}


def test_seed_twice_creates_no_duplicates():
    call_command("seed", verbosity=0)
    first = counts()
    call_command("seed", verbosity=0)
    assert counts() == first
    assert first["Framework"] == 2 and first["Article"] == 1


def test_if_empty_skips_a_database_with_content():
    Framework.objects.create(name="Existing", slug="existing")
    call_command("seed", "--if-empty", verbosity=0)
    assert not Article.objects.exists()


def test_seed_does_not_overwrite_editor_changes(seeded):
    Framework.objects.filter(slug="flask").update(tagline="Edited by an editor")
    Section.objects.filter(heading="Speed").update(heading="Speed (edited)")
    call_command("seed", verbosity=0)
    assert Framework.objects.get(slug="flask").tagline == "Edited by an editor"
    assert Section.objects.filter(heading="Speed (edited)").exists()


def test_seed_facts_and_figures(seeded):
    flask = Framework.objects.get(slug="flask")
    django = Framework.objects.get(slug="django")
    assert (flask.year_created, flask.license) == (2010, "BSD-3-Clause")
    assert (django.year_created, django.license) == (2005, "BSD-3-Clause")
    assert flask.home_url == "https://palletsprojects.com/p/flask/"
    assert flask.repository_url == "https://github.com/pallets/flask"
    assert django.home_url == "https://www.djangoproject.com/"
    for slug, figures in FIGURES.items():
        for metric, value in figures.items():
            m = Measurement.objects.get(framework__slug=slug, metric__slug=metric)
            assert m.value == value and m.as_of == date(2019, 8, 1)
            assert m.source_name and m.source_url.startswith("https://")
    latency = {m.framework.slug: str(m.value.normalize()) for m in Measurement.objects.filter(metric__slug="p50-latency")}
    assert latency == {"flask": "46.04", "django": "144.29"}
    assert not Metric.objects.get(slug="p50-latency").higher_is_better


def test_seed_adopters_and_capabilities(seeded):
    pinterest = Adoption.objects.get(organization__name="Pinterest")
    assert pinterest.framework.slug == "flask" and pinterest.relation == "migrated_from"
    assert pinterest.other_framework.slug == "django"
    uber = Adoption.objects.get(organization__name="Uber")
    assert uber.relation == "migrating_away" and "Go" in uber.note
    mit = Adoption.objects.filter(organization__name="MIT")
    assert {(a.framework.slug, a.other_framework.slug) for a in mit} == {("flask", "django"), ("django", "flask")}
    assert Adoption.objects.filter(framework__slug="flask").count() == 8
    assert Adoption.objects.filter(framework__slug="django").count() == 7
    admin = Support.objects.get(framework__slug="flask", capability__slug="admin")
    assert admin.level == "third_party" and admin.package == "Flask-Admin"
    assert Support.objects.get(framework__slug="django", capability__slug="gis").level == "built_in"
    assert set(Capability.objects.values_list("slug", flat=True)) >= {
        "orm", "forms", "admin", "authentication", "security", "testing", "static-files", "feeds", "sitemaps", "gis"}


def test_seed_guide_outline(seeded):
    article = Article.objects.get(slug="flask-vs-django")
    assert article.is_live
    assert {c.name for c in article.categories.all()} == {"Artificial Intelligence", "Web"}
    assert [af.framework.slug for af in article.article_frameworks.all()] == ["flask", "django"]
    headings = [s.heading for s in article.sections.all() if s.heading]
    for topic in ["Origins and uptake", "Speed", "Learning curve", "Administrative tools",
                  "Security and authentication", "Departing from Django's roadmap", "Testing", "Mind share",
                  "Conclusion"]:
        assert topic in headings
    kinds = set(article.sections.values_list("kind", flat=True))
    assert kinds == {"prose", "profile", "table", "matrix", "chart", "quote"}
