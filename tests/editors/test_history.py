"""History and restore: revisions with author and comment, a diff, restore, and recovery of deleted guides."""

from datetime import date

import pytest
from django.urls import reverse
from reversion.models import Version

from articles.models import Article, Section
from frameworks.models import Capability, Framework, Support
from tests.admin_forms import admin_post_data
from tests.factories import make_article, make_framework, make_measurement, make_metric, make_section

pytestmark = pytest.mark.django_db


def _save_through_admin(client, url, **changes):
    response = client.post(url, admin_post_data(client.get(url), **changes))
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    return response


def test_every_admin_save_is_a_revision_with_author_and_comment(editor_client, editor):
    article = make_article(title="Before")
    make_section(article, heading="One")
    url = reverse("admin:articles_article_change", args=[article.pk])
    _save_through_admin(editor_client, url, title="After")

    version = Version.objects.get_for_object(article).select_related("revision__user").get()
    assert version.revision.user == editor
    assert "Changed Title" in version.revision.get_comment()
    assert version.field_dict["title"] == "After"
    # The sections travel with the guide's revision.
    assert version.revision.version_set.filter(content_type__model="section").count() == 1

    history = editor_client.get(reverse("admin:articles_article_history", args=[article.pk])).content.decode()
    assert "editor" in history and "Changed Title" in history


def test_diff_between_two_revisions_names_the_changed_fields(editor_client):
    article = make_article(title="First title")
    section = make_section(article, heading="Intro", body="Old words.")
    url = reverse("admin:articles_article_change", args=[article.pk])
    _save_through_admin(editor_client, url, standfirst="A lede")
    _save_through_admin(editor_client, url, title="Second title", **{"sections-0-body": "New words."})
    older, newer = Version.objects.get_for_object(article).order_by("pk")

    response = editor_client.get(
        reverse("admin:articles_article_compare", args=[article.pk]) + f"?a={newer.pk}&b={older.pk}"
    )
    assert response.status_code == 200
    rows = {(r["object"], r["field"]): (r["before"], r["after"]) for r in response.context["rows"]}
    assert rows[("Second title", "title")] == ("First title", "Second title")
    assert rows[(str(section), "body")] == ("Old words.", "New words.")
    assert ("Second title", "standfirst") not in rows


def test_compare_needs_two_revisions(editor_client):
    article = make_article()
    response = editor_client.get(reverse("admin:articles_article_compare", args=[article.pk]) + "?a=1")
    assert response.status_code == 404


def test_any_revision_can_be_restored(editor_client):
    article = make_article(title="Original")
    section = make_section(article, heading="Kept")
    url = reverse("admin:articles_article_change", args=[article.pk])
    _save_through_admin(editor_client, url, title="Original")
    _save_through_admin(editor_client, url, title="Vandalised", **{"sections-0-heading": "Broken"})
    original = Version.objects.get_for_object(article).order_by("pk").first()

    revision_url = reverse("admin:articles_article_revision", args=[article.pk, original.pk])
    data = admin_post_data(editor_client.get(revision_url))
    assert data["title"] == "Original"
    assert editor_client.post(revision_url, data).status_code == 302
    article.refresh_from_db()
    section.refresh_from_db()
    assert (article.title, section.heading) == ("Original", "Kept")
    latest = Version.objects.get_for_object(article).select_related("revision").first()
    assert latest.revision.get_comment().startswith("Reverted to previous version")


def test_deleted_article_is_recovered_with_all_its_sections(admin_client_):
    fw = make_framework()
    article = make_article(frameworks=[fw], title="Doomed guide", slug="doomed")
    url = reverse("admin:articles_article_change", args=[article.pk])
    make_section(article, heading="One")
    _save_through_admin(admin_client_, url)
    # A section added after the guide's last save must come back too.
    make_section(article, heading="Two")
    make_section(article, heading="Three")
    headings = sorted(article.sections.values_list("heading", flat=True))

    delete_url = reverse("admin:articles_article_delete", args=[article.pk])
    assert admin_client_.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Article.objects.filter(slug="doomed").exists()
    assert not Section.objects.filter(article_id=article.pk).exists()

    listing = admin_client_.get(reverse("admin:articles_article_recoverlist"))
    assert "Doomed guide" in listing.content.decode()
    deleted = Version.objects.get_deleted(Article).get()
    recover_url = reverse("admin:articles_article_recover", args=[deleted.pk])
    data = admin_post_data(admin_client_.get(recover_url))
    assert admin_client_.post(recover_url, data).status_code == 302

    recovered = Article.objects.get(slug="doomed")
    assert sorted(recovered.sections.values_list("heading", flat=True)) == headings
    assert list(recovered.frameworks.all()) == [fw]


def test_deleted_framework_is_recovered_with_its_capabilities_and_figures(editor_client):
    fw = make_framework(name="Bottle", slug="bottle")
    capability = Capability.objects.create(name="Templates", slug="templates")
    Support.objects.create(framework=fw, capability=capability, level=Support.Level.BUILT_IN)
    stars = make_metric()
    make_measurement(fw, stars, 8000, date(2020, 1, 1))
    make_measurement(fw, stars, 9000, date(2021, 1, 1))
    _save_through_admin(editor_client, reverse("admin:frameworks_framework_change", args=[fw.pk]))
    assert editor_client.post(reverse("admin:frameworks_framework_delete", args=[fw.pk]), {"post": "yes"}).status_code == 302

    deleted = Version.objects.get_deleted(Framework).get()
    recover_url = reverse("admin:frameworks_framework_recover", args=[deleted.pk])
    assert editor_client.post(recover_url, admin_post_data(editor_client.get(recover_url))).status_code == 302
    recovered = Framework.objects.get(slug="bottle")
    assert recovered.supports.get().capability == capability
    assert sorted(recovered.measurements.values_list("value", flat=True)) == [8000, 9000]


def test_restoring_an_old_framework_revision_keeps_newer_figures(editor_client):
    fw = make_framework(tagline="First")
    url = reverse("admin:frameworks_framework_change", args=[fw.pk])
    _save_through_admin(editor_client, url)
    make_measurement(fw, make_metric(), 100, date(2024, 1, 1))
    _save_through_admin(editor_client, url, tagline="Second")
    first = Version.objects.get_for_object(fw).order_by("pk").first()
    revision_url = reverse("admin:frameworks_framework_revision", args=[fw.pk, first.pk])
    assert editor_client.post(revision_url, admin_post_data(editor_client.get(revision_url))).status_code == 302
    fw.refresh_from_db()
    assert fw.tagline == "First"
    assert fw.measurements.count() == 1


def test_admin_history_shows_who_changed_what(editor_client):
    fw = make_framework()
    _save_through_admin(editor_client, reverse("admin:frameworks_framework_change", args=[fw.pk]), tagline="New")
    page = editor_client.get(reverse("admin:frameworks_framework_history", args=[fw.pk])).content.decode()
    assert "editor" in page and "Changed Tagline" in page
