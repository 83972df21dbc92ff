"""The admin, as an editor uses it: every page opens, bad input is refused and nothing is lost."""

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Section
from frameworks.models import Framework, Measurement, Metric
from tests.admin_forms import admin_post_data

pytestmark = pytest.mark.django_db

CONTENT_MODELS = [
    ("frameworks", "framework"), ("frameworks", "metric"), ("frameworks", "measurement"),
    ("frameworks", "organization"), ("frameworks", "adoption"), ("frameworks", "capability"),
    ("frameworks", "support"), ("articles", "article"), ("articles", "category"), ("articles", "section"),
]


def url(app, model, action="changelist", *args):
    return reverse(f"admin:{app}_{model}_{action}", args=args)


@pytest.mark.parametrize("app,model", CONTENT_MODELS)
def test_editor_opens_every_changelist_add_and_change_page(editor_client, seeded, app, model):
    assert editor_client.get(url(app, model)).status_code == 200
    assert editor_client.get(url(app, model, "add")).status_code == 200
    from django.apps import apps
    obj = apps.get_model(app, model).objects.first()
    assert editor_client.get(url(app, model, "change", obj.pk)).status_code == 200


def test_editor_changelist_search_and_filters(editor_client, seeded):
    response = editor_client.get(url("frameworks", "framework") + "?q=flask")
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [Framework.objects.get(slug="flask")]
    html = response.content.decode()
    assert "45,761" in html and "2019-08-01" in html  # current figures with their as-of dates
    assert editor_client.get(url("articles", "article") + "?status__exact=draft").status_code == 200
    autocomplete = editor_client.get(
        reverse("admin:autocomplete"),
        {"term": "dja", "app_label": "articles", "model_name": "articleframework", "field_name": "framework"},
    )
    assert autocomplete.status_code == 200 and "Django" in autocomplete.content.decode()


@pytest.mark.parametrize("path", ["auth_user_changelist", "auth_group_changelist", "auth_user_add"])
def test_editor_is_refused_user_and_group_admin(editor_client, path):
    assert editor_client.get(reverse(f"admin:{path}")).status_code == 403


def test_editor_cannot_reach_users_on_the_index(editor_client):
    html = editor_client.get(reverse("admin:index")).content.decode()
    assert "Catalogue" in html and "Guides" in html
    assert "/auth/user/" not in html


def test_anonymous_is_sent_to_login(client):
    response = client.get(url("frameworks", "framework"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_editor_records_new_stars_figure_and_guide_shows_it(editor_client, editor, seeded):
    flask = Framework.objects.get(slug="flask")
    stars = Metric.objects.get(slug="github-stars")
    change = url("frameworks", "framework", "change", flask.pk)
    data = admin_post_data(editor_client.get(change))
    new = date(2020, 3, 1)
    data.update({
        "measurements-0-metric": str(stars.pk), "measurements-0-value": "46120",
        "measurements-0-as_of": new.isoformat(), "measurements-0-source_name": "GitHub",
        "measurements-0-source_url": "https://github.com/pallets/flask",
    })
    response = editor_client.post(change, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    recorded = Measurement.objects.get(framework=flask, metric=stars, as_of=new)
    assert recorded.value == 46120 and recorded.recorded_by == editor
    html = editor_client.get("/guides/flask-vs-django/").content.decode()
    assert "46,120" in html and '<time datetime="2020-03-01">' in html
    assert Measurement.objects.filter(framework=flask, metric=stars, as_of=date(2019, 8, 1), value=45761).exists()


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("value", "-5", "cannot be negative"),
        ("as_of", (timezone.localdate() + timedelta(days=10)).isoformat(), "in the future"),
        ("source_url", "not a url", "Enter a valid URL"),
        ("as_of", "2019-08-01", "already has a value for this metric on this date"),
    ],
)
def test_bad_figures_are_refused_with_a_message(editor_client, seeded, field, value, message):
    flask = Framework.objects.get(slug="flask")
    stars = Metric.objects.get(slug="github-stars")
    before = Measurement.objects.count()
    change = url("frameworks", "framework", "change", flask.pk)
    data = admin_post_data(editor_client.get(change))
    data.update({
        "tagline": "This edit must not be saved either",
        "measurements-0-metric": str(stars.pk), "measurements-0-value": "1",
        "measurements-0-as_of": "2021-01-01", "measurements-0-source_name": "GitHub",
        "measurements-0-source_url": "https://github.com/pallets/flask",
    })
    data[f"measurements-0-{field}"] = value
    response = editor_client.post(change, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Measurement.objects.count() == before
    assert Framework.objects.get(pk=flask.pk).tagline != "This edit must not be saved either"


def test_duplicate_slug_and_malformed_url_on_framework_form(editor_client, seeded):
    data = admin_post_data(editor_client.get(url("frameworks", "framework", "add")))
    data.update({"name": "Flask copy", "slug": "flask", "home_url": "htp:/nope", "language": "Python"})
    response = editor_client.post(url("frameworks", "framework", "add"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Framework with this Slug already exists." in html
    assert "Enter a valid URL." in html
    assert Framework.objects.count() == 2


def test_guide_slug_must_be_unique(editor_client, seeded):
    data = admin_post_data(editor_client.get(url("articles", "article", "add")))
    data.update({"title": "Another", "slug": "flask-vs-django", "status": "draft",
                 "publish_at_0": "2020-01-01", "publish_at_1": "10:00:00"})
    response = editor_client.post(url("articles", "article", "add"), data)
    assert response.status_code == 200
    assert "Guide with this Slug already exists." in response.content.decode()
    assert Article.objects.count() == 1


def test_editor_edits_a_section_and_reorders(editor_client, seeded):
    article = Article.objects.get(slug="flask-vs-django")
    change = url("articles", "article", "change", article.pk)
    data = admin_post_data(editor_client.get(change))
    sections = list(article.sections.all())
    index = next(i for i, s in enumerate(sections) if s.heading == "Speed")
    data[f"sections-{index}-body"] = "Flask is *lighter*. <script>alert(1)</script>"
    data[f"sections-{index}-position"] = "1"
    response = editor_client.post(change, data)
    assert response.status_code == 302
    speed = Section.objects.get(pk=sections[index].pk)
    assert speed.body_html == "<p>Flask is <em>lighter</em>. </p>"
    assert article.sections.first() == speed
    html = editor_client.get(article.get_absolute_url()).content.decode()
    assert "Flask is <em>lighter</em>" in html and "<script>alert" not in html


def test_section_inline_refuses_incomplete_blocks(editor_client, seeded):
    article = Article.objects.get(slug="flask-vs-django")
    change = url("articles", "article", "change", article.pk)
    data = admin_post_data(editor_client.get(change))
    total = int(data["sections-TOTAL_FORMS"])
    data.update({"sections-TOTAL_FORMS": str(total + 1), f"sections-{total}-kind": "chart",
                 f"sections-{total}-position": "999", f"sections-{total}-heading": "Chart with no metric"})
    response = editor_client.post(change, data)
    assert response.status_code == 200
    assert "Choose the metric this chart follows." in response.content.decode()
    assert not Section.objects.filter(heading="Chart with no metric").exists()


def test_publish_and_unpublish_actions(editor_client, seeded):
    article = Article.objects.get(slug="flask-vs-django")
    response = editor_client.post(url("articles", "article"),
                                  {"action": "unpublish_selected", "_selected_action": [article.pk]}, follow=True)
    assert "moved back to draft" in response.content.decode()
    assert editor_client.logout() is None
    from django.test import Client
    assert Client().get(article.get_absolute_url()).status_code == 404
    article.refresh_from_db()
    assert article.status == "draft"
    user = get_user_model().objects.get(username="editor")
    editor_client.force_login(user)
    editor_client.post(url("articles", "article"), {"action": "publish_selected", "_selected_action": [article.pk]})
    assert Client().get(article.get_absolute_url()).status_code == 200
