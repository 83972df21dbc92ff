"""Every admin page, checked against each role: superuser, editor, staff without a group, anonymous."""

import pytest
import reversion
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from reversion.admin import VersionAdmin
from reversion.models import Version

from articles.models import Article, Section
from frameworks.models import (
    CollectionResult,
    CollectionRun,
    Framework,
    Measurement,
    Metric,
    ReviewItem,
    SourceLimit,
    SourceState,
)
from frameworks.tasks import fetch_package

pytestmark = pytest.mark.django_db

CONTENT_APPS = {"frameworks", "articles"}


def _collection_records():
    """One of each collection record, and a queued background task, so their admin pages have an object."""
    flask, stars = Framework.objects.get(slug="flask"), Metric.objects.get(slug="github-stars")
    now = timezone.now()
    run = CollectionRun.objects.create(status="succeeded")
    CollectionResult.objects.create(run=run, framework=flask, source="github", outcome="recorded")
    SourceState.objects.create(framework=flask, source="github", identifier="pallets/flask")
    SourceLimit.objects.create(source="github", until=now)
    ReviewItem.objects.create(framework=flask, kind="figure", metric=stars, field=stars.slug, proposed="1", value=1,
                              as_of=now.date(), source="github", source_name="GitHub",
                              source_url="https://github.com/pallets/flask", collected_at=now, reason="fall")
    fetch_package.enqueue("flask")


def _version_of(obj):
    with reversion.create_revision():
        reversion.add_to_revision(obj)
    return Version.objects.get_for_object(obj).first()


@pytest.fixture
def admin_pages(seeded, superuser):
    """(url, app_label) for every admin page: lists, forms, history, revisions, recovery and custom screens."""
    pages = [(reverse("admin:index"), None)]
    deleted = {}
    for model in (Article, Section, Framework, Metric):
        doomed = {
            Article: lambda: Article.objects.create(title="Gone", slug="gone"),
            Section: lambda: Section.objects.create(article=Article.objects.first(), body="x", position=99),
            Framework: lambda: Framework.objects.create(name="Gone", slug="gone"),
            Metric: lambda: Metric.objects.create(name="Gone", slug="gone"),
        }[model]()
        deleted[model] = _version_of(doomed)
        doomed.delete()
    _collection_records()
    as_superuser = RequestFactory().get("/")
    as_superuser.user = superuser
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        name = f"admin:{opts.app_label}_{opts.model_name}"
        obj = model._default_manager.order_by("pk").first()
        pages.append((reverse(f"{name}_changelist"), opts.app_label))
        if model_admin.has_add_permission(as_superuser):  # not for records only the site writes
            pages.append((reverse(f"{name}_add"), opts.app_label))
        if obj is None:
            obj = {"auth": lambda: Group.objects.get(name="Editors")}[opts.app_label]()
        pk = obj.pk
        pages += [
            (reverse(f"{name}_change", args=[pk]), opts.app_label),
            (reverse(f"{name}_history", args=[pk]), opts.app_label),
        ]
        if model_admin.has_delete_permission(as_superuser, obj):  # review decisions are kept
            pages.append((reverse(f"{name}_delete", args=[pk]), opts.app_label))
        if isinstance(model_admin, VersionAdmin):
            first, second = _version_of(obj), _version_of(obj)
            pages += [
                (reverse(f"{name}_recoverlist"), opts.app_label),
                (reverse(f"{name}_revision", args=[pk, first.pk]), opts.app_label),
                (reverse(f"{name}_compare", args=[pk]) + f"?a={first.pk}&b={second.pk}", opts.app_label),
            ]
        if model in deleted:
            pages.append((reverse(f"{name}_recover", args=[deleted[model].pk]), opts.app_label))
    flask = Framework.objects.get(slug="flask")
    pages += [
        (reverse("admin:frameworks_measurement_record"), "frameworks"),
        (reverse("admin:frameworks_measurement_record") + f"?metric={Metric.objects.first().pk}", "frameworks"),
        (reverse("admin:frameworks_measurement_import"), "frameworks"),
        (reverse("admin:frameworks_framework_export", args=[flask.pk]), "frameworks"),
    ]
    assert {app for _, app in pages} >= {"frameworks", "articles", "auth"}
    assert Measurement in admin.site._registry
    return pages


def _statuses(client, pages):
    return {url: client.get(url).status_code for url, _ in pages}


def test_superuser_opens_every_admin_page(admin_client_, admin_pages):
    statuses = _statuses(admin_client_, admin_pages)
    assert {url: s for url, s in statuses.items() if s != 200} == {}


def test_editor_opens_every_content_page_and_no_user_or_group_page(editor_client, admin_pages):
    statuses = _statuses(editor_client, admin_pages)
    expected = {url: (200 if app in CONTENT_APPS or app is None else 403) for url, app in admin_pages}
    assert statuses == expected
    assert statuses[reverse("admin:auth_user_changelist")] == 403
    assert statuses[reverse("admin:auth_group_changelist")] == 403


def test_staff_without_group_sees_only_the_index(client, admin_pages):
    user = get_user_model().objects.create_user("staffer", password="correct horse battery staple", is_staff=True)
    client.force_login(user)
    statuses = _statuses(client, admin_pages)
    expected = {url: (200 if app is None else 403) for url, app in admin_pages}
    assert statuses == expected


def test_anonymous_is_sent_to_the_login_page(client, admin_pages):
    login = reverse("admin:login")
    for url, _ in admin_pages:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(login + "?next="), url


def test_editor_cannot_post_to_user_admin(editor_client, editor):
    response = editor_client.post(reverse("admin:auth_user_change", args=[editor.pk]), {"is_superuser": "on"})
    assert response.status_code == 403
    editor.refresh_from_db()
    assert not editor.is_superuser


def test_editors_group_has_content_permissions_only():
    perms = Group.objects.get(name="Editors").permissions.select_related("content_type")
    assert {p.content_type.app_label for p in perms} == CONTENT_APPS
