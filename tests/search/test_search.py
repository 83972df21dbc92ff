"""Site search: what it finds, what it never shows, how it ranks and how it answers bad input."""

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from frameworks.models import Adoption, Capability, Framework, Organization
from search import indexing
from search.models import SearchEntry
from search.query import fts5_match, parse
from tests.factories import make_article, make_framework, make_section

pytestmark = pytest.mark.django_db

SEARCH = reverse("search:search")
ON_POSTGRES = pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram similarity is PostgreSQL's")


def titles(response) -> list[str]:
    return [hit.title.replace("<mark>", "").replace("</mark>", "") for hit in response.context["hits"]]


@pytest.fixture
def django_fw(db):
    return make_framework(name="Django", slug="django", tagline="The web framework for perfectionists.")


@pytest.fixture
def flask_fw(db):
    return make_framework(name="Flask", slug="flask", tagline="A micro framework.")


@pytest.mark.parametrize("q", ["djan", "django", "DJANGO", "Djan"])
def test_finds_django_by_prefix_and_in_any_case(client, django_fw, flask_fw, q):
    response = client.get(SEARCH, {"q": q})
    assert response.status_code == 200
    assert titles(response)[0] == "Django"
    assert "Flask" not in titles(response)


@ON_POSTGRES
def test_finds_django_from_a_typo_on_postgres(client, django_fw, flask_fw):
    response = client.get(SEARCH, {"q": "Djangoo"})
    assert titles(response)[0] == "Django"
    assert response.context["suggestion"].title == "Django"


def test_suggests_the_closest_name_when_nothing_matches(client, django_fw, flask_fw):
    response = client.get(SEARCH, {"q": "Djangoo"})
    assert response.context["suggestion"].title == "Django"
    assert "Did you mean" in response.content.decode()


def test_finds_a_guide_by_a_word_of_its_prose(client, django_fw):
    guide = make_article([django_fw], title="Choosing a stack")
    make_section(guide, body="Consider the **thunderous** ecosystem first.")
    response = client.get(SEARCH, {"q": "thunder"})
    assert titles(response) == ["Choosing a stack"]
    assert "<mark>thunderous</mark>" in response.content.decode()


def test_finds_capabilities_and_adopters(client, django_fw):
    Capability.objects.create(name="Admin interface", slug="admin-interface", description="Edit rows in a browser.")
    org = Organization.objects.create(name="Instagram", slug="instagram")
    Adoption.objects.create(organization=org, framework=django_fw)
    assert titles(client.get(SEARCH, {"q": "admin"})) == ["Admin interface"]
    response = client.get(SEARCH, {"q": "insta"})
    assert titles(response) == ["Instagram"]
    assert response.context["hits"][0].url == "/frameworks/django/#adopters"


def test_name_match_ranks_above_a_mention(client, django_fw):
    make_framework(name="Wagtail", slug="wagtail", description="A CMS built on Django.")
    response = client.get(SEARCH, {"q": "django"})
    assert titles(response) == ["Django", "Wagtail"]


def test_never_shows_drafts_scheduled_guides_or_unpublished_frameworks(client, django_fw):
    make_article(title="Zebra draft", status=Article.Status.DRAFT)
    make_article(title="Zebra later", publish_at=timezone.now() + timedelta(days=1))
    make_framework(name="Zebra framework", slug="zebra", is_published=False)
    hidden = make_framework(name="Zebra hidden", slug="zebra-hidden", is_published=False)
    org = Organization.objects.create(name="Zebra Corp", slug="zebra-corp")
    Adoption.objects.create(organization=org, framework=hidden)
    make_article(title="Zebra live")
    assert titles(client.get(SEARCH, {"q": "zebra"})) == ["Zebra live"]


def test_a_scheduled_guide_appears_when_due_without_any_write(client, time_machine):
    make_article(title="Quokka guide", publish_at=timezone.now() + timedelta(hours=1))
    assert titles(client.get(SEARCH, {"q": "quokka"})) == []
    time_machine.move_to(timezone.now() + timedelta(hours=2))
    assert titles(client.get(SEARCH, {"q": "quokka"})) == ["Quokka guide"]


def test_the_index_follows_saves_unpublishing_and_deletes(client, django_fw):
    assert titles(client.get(SEARCH, {"q": "django"})) == ["Django"]
    django_fw.is_published = False
    django_fw.save()
    assert titles(client.get(SEARCH, {"q": "django"})) == []
    django_fw.is_published = True
    django_fw.name = "Djungle"
    django_fw.save()
    assert titles(client.get(SEARCH, {"q": "django"})) == []
    assert titles(client.get(SEARCH, {"q": "djungle"})) == ["Djungle"]
    guide = make_article(title="Guide with sections")
    section = make_section(guide, body="A paragraph about okapis.")
    assert titles(client.get(SEARCH, {"q": "okapi"})) == ["Guide with sections"]
    section.delete()
    assert titles(client.get(SEARCH, {"q": "okapi"})) == []
    guide.delete()
    django_fw.delete()
    assert not SearchEntry.objects.exists()


def test_deleting_a_guide_with_sections_leaves_no_entry(client):
    guide = make_article(title="Short-lived")
    make_section(guide)
    make_section(guide)
    guide.delete()
    assert not SearchEntry.objects.filter(title="Short-lived").exists()


def test_rebuild_indexes_what_bulk_writes_left_out(client):
    Framework.objects.bulk_create([Framework(name="Bulky", slug="bulky", is_published=True)])
    assert titles(client.get(SEARCH, {"q": "bulky"})) == []
    indexing.rebuild()
    assert titles(client.get(SEARCH, {"q": "bulky"})) == ["Bulky"]


def test_names_are_escaped_before_highlighting(client):
    make_framework(name="<script>alert(1)</script> Evil", slug="evil", tagline="<b>bold</b> evil")
    body = client.get(SEARCH, {"q": "evil script"}).content.decode()
    assert "<script>alert" not in body
    assert "&lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt; <mark>Evil</mark>" in body
    assert "&lt;b&gt;bold&lt;/b&gt; <mark>evil</mark>" in body


def test_an_empty_query_explains_what_can_be_searched(client, django_fw):
    response = client.get(SEARCH, {"q": "  "})
    assert response.status_code == 200
    assert "What you can search for" in response.content.decode()
    assert "hits" not in response.context


@pytest.mark.parametrize(
    "q, status, message",
    [
        ("x" * 101, 400, "Keep it to 100 characters"),
        (" ".join(["word"] * 11), 400, "Use at most 10"),
        ("?!… — ***", 200, "nothing to search for"),
        ('"unbalanced AND (NEAR', 200, "Nothing matches"),
    ],
)
def test_unusable_queries_get_a_clear_message(client, django_fw, q, status, message):
    response = client.get(SEARCH, {"q": q})
    assert response.status_code == status
    assert message in response.content.decode()


@pytest.mark.parametrize("q", ["Джанго", "日本", "café", 'say "hi" OR NOT', "a*b^c:d", "NEAR(a b)"])
def test_any_script_or_syntax_runs_without_error(client, django_fw, q):
    make_framework(name="Джанго", slug="dzhango")
    response = client.get(SEARCH, {"q": q})
    assert response.status_code == 200
    if q == "Джанго":
        assert titles(response) == ["Джанго"]


def test_fts5_words_are_quoted():
    assert fts5_match(parse('a"b c').words) == '"a"* "b"* "c"*'


def test_results_are_paginated(client):
    for n in range(45):
        make_framework(name=f"Pager {n:02d}", slug=f"pager-{n:02d}")
    first = client.get(SEARCH, {"q": "pager"})
    assert len(first.context["hits"]) == 20
    assert first.context["pages"] == 3
    assert 'rel="next"' in first.content.decode()
    last = client.get(SEARCH, {"q": "pager", "page": 3})
    assert len(last.context["hits"]) == 5
    assert 'rel="prev"' in last.content.decode()
    seen = titles(first) + titles(client.get(SEARCH, {"q": "pager", "page": 2})) + titles(last)
    assert sorted(seen) == [f"Pager {n:02d}" for n in range(45)]
    beyond = client.get(SEARCH, {"q": "pager", "page": 4})
    assert beyond.status_code == 404
    assert "There is no page 4" in beyond.content.decode()
    assert client.get(SEARCH, {"q": "pager", "page": "x"}).status_code == 400


def test_the_count_is_capped_and_a_broad_query_ranks_candidates_only(client, monkeypatch):
    from search import backends, views

    monkeypatch.setattr(views, "COUNT_CAP", 5)
    monkeypatch.setattr(backends, "CANDIDATES", 2)
    for n in range(7):
        make_framework(name=f"Capped {n}", slug=f"capped-{n}")
    make_framework(name="Capped", slug="capped")
    response = client.get(SEARCH, {"q": "capped"})
    assert response.context["capped"]
    assert "5+ results" in response.content.decode()
    found = titles(response)
    assert found[0] == "Capped"  # the exact name is always a candidate, and first
    assert 2 <= len(found) <= 5 and all(t.startswith("Capped") for t in found)


def test_framework_hits_link_to_the_canonical_compare_page(client, django_fw, flask_fw):
    response = client.get(SEARCH, {"q": "framework", "with": ["flask"]})
    hits = {hit.slug: hit for hit in response.context["hits"]}
    assert hits["django"].add_url == "/compare/django-vs-flask/"
    assert hits["flask"].in_comparison and not hits["flask"].add_url
    assert 'href="/compare/django-vs-flask/"' in response.content.decode()


def test_with_ignores_unknown_and_unpublished_frameworks(client, django_fw, flask_fw):
    make_framework(name="Secret", slug="secret", is_published=False)
    response = client.get(SEARCH, {"q": "django", "with": ["flask", "nope", "secret"]})
    assert [fw.slug for fw in response.context["chosen"]] == ["flask"]
    assert response.context["ignored"] == ["nope", "secret"]
    assert "“nope”" in response.content.decode()
    assert response.context["hits"][0].add_url == "/compare/django-vs-flask/"


def test_no_add_link_once_four_would_be_exceeded(client, django_fw, flask_fw):
    others = [make_framework(name=f"Other {n}", slug=f"other-{n}") for n in range(3)]
    response = client.get(SEARCH, {"q": "django", "with": [fw.slug for fw in others] + ["flask"]})
    assert len(response.context["chosen"]) == 3
    assert response.context["ignored"] == ["flask"]
    assert response.context["hits"][0].add_url == "/compare/django-vs-other-0-vs-other-1-vs-other-2/"


def test_rebuild_command_and_first_migrate_fill_the_index(client, django_fw):
    from django.apps import apps
    from django.core.management import call_command

    from search.signals import fill_empty_index

    SearchEntry.objects.all().delete()
    fill_empty_index(apps.get_app_config("search"), using="default")
    assert SearchEntry.objects.filter(framework=django_fw).exists()
    SearchEntry.objects.all().delete()
    call_command("rebuild_search_index", verbosity=0)
    assert titles(client.get(SEARCH, {"q": "django"})) == ["Django"]


def test_every_entry_points_at_exactly_one_thing(django_fw):
    from django.db import IntegrityError, transaction

    org = Organization.objects.create(name="Both", slug="both")
    with pytest.raises(IntegrityError), transaction.atomic():
        SearchEntry.objects.filter(framework=django_fw).update(organization=org)
    entry = SearchEntry.objects.get(framework=django_fw)
    assert str(entry) == "Framework: Django" and entry.get_absolute_url() == "/frameworks/django/"


def test_a_guide_deleted_then_recovered_from_history_is_found_again(admin_client_):
    from reversion.models import Version

    from tests.admin_forms import admin_post_data

    guide = make_article(title="Phoenix guide", slug="phoenix")
    make_section(guide, body="Rises from the ashes.")
    change = reverse("admin:articles_article_change", args=[guide.pk])
    assert admin_client_.post(change, admin_post_data(admin_client_.get(change))).status_code == 302
    assert titles(admin_client_.get(SEARCH, {"q": "ashes"})) == ["Phoenix guide"]
    delete = reverse("admin:articles_article_delete", args=[guide.pk])
    assert admin_client_.post(delete, {"post": "yes"}).status_code == 302
    assert titles(admin_client_.get(SEARCH, {"q": "ashes"})) == []
    recover = reverse("admin:articles_article_recover", args=[Version.objects.get_deleted(Article).get().pk])
    assert admin_client_.post(recover, admin_post_data(admin_client_.get(recover))).status_code == 302
    assert titles(admin_client_.get(SEARCH, {"q": "ashes"})) == ["Phoenix guide"]
