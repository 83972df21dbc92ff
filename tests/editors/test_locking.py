"""No lost updates: the second of two concurrent saves through the admin is refused, inlines included."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from articles.models import Article, Section
from articles.roles import editors_group
from frameworks.models import Framework
from tests.admin_forms import admin_post_data
from tests.factories import make_article, make_framework, make_section

pytestmark = pytest.mark.django_db


def _editor_client(username):
    user = get_user_model().objects.create_user(username, password="correct horse battery staple", is_staff=True)
    user.groups.add(editors_group())
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def alice():
    return _editor_client("alice")


@pytest.fixture
def bob():
    return _editor_client("bob")


def _open(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return admin_post_data(response)


def test_second_framework_save_is_refused_and_keeps_both_inputs(alice, bob):
    fw = make_framework(name="Flask", slug="flask", tagline="Old tagline", description="Old description")
    url = reverse("admin:frameworks_framework_change", args=[fw.pk])
    form_a, form_b = _open(alice, url), _open(bob, url)

    form_a["tagline"] = "Alice's tagline"
    assert alice.post(url, form_a).status_code == 302

    form_b["description"] = "Bob's description"
    response = bob.post(url, form_b)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Not saved: alice changed this framework on" in text
    assert "Bob&#x27;s description" in text  # the second editor's input stays on the form
    fw.refresh_from_db()
    assert (fw.tagline, fw.description) == ("Alice's tagline", "Old description")

    # Having seen the message, Bob can save deliberately: the refreshed token is in the form.
    retry = admin_post_data(response)
    assert retry["description"] == "Bob's description"
    assert bob.post(url, retry).status_code == 302
    fw.refresh_from_db()
    assert fw.description == "Bob's description"


def test_inline_section_edits_are_guarded_by_the_article(alice, bob):
    article = make_article(title="Flask vs Django", slug="flask-vs-django")
    first = make_section(article, heading="Intro", position=1)
    second = make_section(article, heading="Speed", position=2)
    url = reverse("admin:articles_article_change", args=[article.pk])
    form_a, form_b = _open(alice, url), _open(bob, url)

    prefix = "sections-0"
    assert form_a[f"{prefix}-id"] == str(first.pk)
    form_a[f"{prefix}-heading"] = "Introduction by Alice"
    assert alice.post(url, form_a).status_code == 302

    form_b["sections-1-body"] = "Bob rewrote the speed section."
    response = bob.post(url, form_b)
    assert response.status_code == 200
    assert "Not saved: alice changed this guide" in response.content.decode()
    assert "Bob rewrote the speed section." in response.content.decode()
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.heading == "Introduction by Alice"
    assert second.body == "Some **text**."


def test_section_saved_on_its_own_page_refuses_a_stale_article_form(alice, bob):
    article = make_article()
    section = make_section(article, heading="Intro")
    article_url = reverse("admin:articles_article_change", args=[article.pk])
    form_b = _open(bob, article_url)

    section_url = reverse("admin:articles_section_change", args=[section.pk])
    form_a = _open(alice, section_url)
    form_a["heading"] = "Alice's heading"
    assert alice.post(section_url, form_a).status_code == 302

    form_b["title"] = "Bob's title"
    response = bob.post(article_url, form_b)
    assert response.status_code == 200
    assert Section.objects.get(pk=section.pk).heading == "Alice's heading"
    assert Article.objects.get(pk=article.pk).title != "Bob's title"


def test_a_fresh_form_saves_normally(alice):
    fw = make_framework()
    url = reverse("admin:frameworks_framework_change", args=[fw.pk])
    form = _open(alice, url)
    form["tagline"] = "Fresh"
    assert alice.post(url, form).status_code == 302
    assert Framework.objects.get(pk=fw.pk).tagline == "Fresh"
