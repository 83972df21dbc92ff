"""Admin screens that hold together: Django's breadcrumbs, stale marks, preview wording, field labels,
"guides", the favicon, and the editors' dashboard on the index with a pinned query count."""

import re
from datetime import date, timedelta

import pytest
import reversion
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import dashboard
from articles.models import Article
from frameworks.models import ReviewItem
from tests.factories import make_article, make_framework, make_measurement, make_metric, make_section
from tests.synthetic import build_catalogue

pytestmark = pytest.mark.django_db

RECORD = "admin:frameworks_measurement_record"
IMPORT = "admin:frameworks_measurement_import"


@pytest.fixture
def catalogue():
    flask, django = make_framework(name="Flask", slug="flask"), make_framework(name="Django", slug="django")
    stars = make_metric(name="GitHub stars", slug="stars")
    old = timezone.localdate().replace(year=timezone.localdate().year - 7)
    make_measurement(flask, stars, 45761, old)
    make_measurement(django, stars, 44000, timezone.localdate())
    return flask, django, stars


def _breadcrumbs(page: str) -> str:
    match = re.search(r'<nav aria-label="Breadcrumbs">\s*<ol class="breadcrumbs">(.*?)</ol>\s*</nav>', page, re.S)
    assert match, "no Django breadcrumbs"
    return match.group(1)


@pytest.mark.parametrize(
    "name,crumb",
    [(RECORD, "Record a round of figures"), (IMPORT, "Import figures from CSV"),
     ("admin:frameworks_framework_from_package", "Add a framework from its package")],
)
def test_custom_screens_use_djangos_breadcrumbs(admin_client_, catalogue, name, crumb):
    page = admin_client_.get(reverse(name)).content.decode()
    assert 'class="breadcrumbs"' in page and '<div class="breadcrumbs">' not in page
    crumbs = _breadcrumbs(page)
    assert reverse("admin:index") in crumbs and reverse("admin:frameworks_measurement_changelist" if "measurement" in name
                                                         else "admin:frameworks_framework_changelist") in crumbs
    assert re.search(r'<li aria-current="page">[^<]*\S', crumbs)
    if name != "admin:frameworks_framework_from_package":
        assert f'<li aria-current="page">{crumb}</li>' in crumbs


def test_revision_compare_screen_uses_djangos_breadcrumbs(admin_client_, catalogue):
    flask, _, _ = catalogue
    for tagline in ("One", "Two"):
        with reversion.create_revision():
            flask.tagline = tagline
            flask.save()
    history = admin_client_.get(reverse("admin:frameworks_framework_history", args=[flask.pk]))
    versions = history.context["versions"]
    page = admin_client_.get(
        reverse("admin:frameworks_framework_compare", args=[flask.pk]) + f"?a={versions[1].pk}&b={versions[0].pk}"
    ).content.decode()
    crumbs = _breadcrumbs(page)
    assert ">History</a></li>" in crumbs and '<li aria-current="page">Compare revisions</li>' in crumbs


def test_stale_column_is_an_amber_warning_with_the_age_never_a_tick(editor_client, catalogue):
    page = editor_client.get(reverse("admin:frameworks_measurement_changelist")).content.decode()
    assert "icon-yes.svg" not in page and "icon-no.svg" not in page
    marks = re.findall(r'<span class="stale-mark"[^>]*>(.*?)</span></td>', page, re.S)
    assert len(marks) == 1  # the seven-year-old figure; today's has no mark
    text = re.sub(r"<[^>]+>", "", marks[0])
    assert text == "⚠ Stale: 7 years old"
    assert '<span aria-hidden="true">⚠</span>' in marks[0]


def test_round_marks_a_stale_current_figure_with_its_age(editor_client, catalogue):
    _, _, stars = catalogue
    page = editor_client.get(reverse(RECORD) + f"?metric={stars.pk}").content.decode()
    assert "7 years old" in page and 'class="stale-mark"' in page


@pytest.mark.parametrize("status,days,wording,absent", [
    (Article.Status.DRAFT, -1, "Draft — not published", "Published <time"),
    (Article.Status.PUBLISHED, 3, "Scheduled for ", "Published <time"),
    (Article.Status.PUBLISHED, -1, "Published <time", "not published"),
])
def test_preview_says_draft_or_scheduled_never_published(editor_client, status, days, wording, absent):
    guide = make_article(status=status, publish_at=timezone.now() + timedelta(days=days))
    page = editor_client.get(guide.get_absolute_url()).content.decode()
    assert wording in page and absent not in page
    if days > 0:
        when = timezone.localtime(guide.publish_at)
        expected = f"Scheduled for <time datetime=\"{when:%Y-%m-%dT%H:%M:%S%z}\">{when.day} {when:%B %Y, %H:%M}</time>"
        assert expected in page
        assert 'class="preview-banner"' in page


def test_future_date_error_names_the_field_as_the_form_labels_it(editor_client, catalogue):
    flask, _, stars = catalogue
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    url = reverse(RECORD) + f"?metric={stars.pk}"
    response = editor_client.post(url, {
        "as_of": tomorrow, f"source-{stars.pk}-name": "GitHub", f"source-{stars.pk}-url": "https://github.com",
        f"v-{flask.pk}-{stars.pk}": "50000",
    })
    form = response.context["form"]
    cell = form.errors[f"v-{flask.pk}-{stars.pk}"]
    assert cell[0].startswith(f"{form.fields['as_of'].label}: The as-of date ") and "in the future" in cell[0]
    assert form.errors["as_of"][0].startswith("The as-of date ")
    assert "as_of:" not in response.content.decode()


def test_the_admin_says_guides(editor_client):
    make_article(title="Flask vs Django")
    index = editor_client.get(reverse("admin:index")).content.decode()
    assert ">Guides</a>" in index and "Articles" not in index
    listing = editor_client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "Select guide to change" in listing and "article" not in re.sub(r"<[^>]*>|/articles/|articles_", "", listing).lower()


def test_the_admin_links_its_favicon_and_it_is_served(editor_client):
    page = editor_client.get(reverse("admin:index")).content.decode()
    href = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page).group(1)
    assert href.endswith("favicon.svg") and finders.find("favicon.svg")
    login = Client().get(reverse("admin:login")).content.decode()
    assert f'<link rel="icon" href="{href}"' in login
    # A browser that asks for /favicon.ico anyway is sent to the same icon, not a 404.
    redirect = Client().get("/favicon.ico")
    assert redirect.status_code == 302 and redirect["Location"] == href


@pytest.fixture
def desk(editor, catalogue):
    """A desk with work to do: guides with stale figures, a scheduled guide, drafts, a review queue."""
    flask, django, stars = catalogue
    stale_guide = make_article([flask, django], title="Flask vs Django")
    make_article([django], title="All about Django")  # today's figure only: not stale
    profiled = make_article(title="Profiles")
    make_section(profiled, kind="profile", framework=flask)
    scheduled = make_article(title="Coming soon", publish_at=timezone.now() + timedelta(days=2))
    User = get_user_model()
    writer = User.objects.create_user("writer", "w@example.com", "x")
    draft = make_article(title="Half written", status=Article.Status.DRAFT)
    with reversion.create_revision():
        reversion.set_user(writer)
        reversion.set_comment("Wrote the first part.")
        draft.save()
    now = timezone.now()
    old_item = ReviewItem.objects.create(
        framework=flask, kind="figure", metric=stars, field=stars.slug, proposed="1", value=1, as_of=date(2024, 1, 1),
        source="github", source_name="GitHub", source_url="https://github.com/pallets/flask",
        collected_at=now - timedelta(days=3), reason="fall")
    return {"stale": stale_guide, "profiled": profiled, "scheduled": scheduled, "draft": draft, "item": old_item,
            "flask": flask}


def _module(page: str, id_: str) -> str:
    match = re.search(rf'<div class="module[^"]*" id="{id_}">(.*?)\n</div>', page, re.S)
    assert match, f"no #{id_} module"
    return match.group(1)


def test_dashboard_shows_each_module(admin_client_, desk):
    page = admin_client_.get(reverse("admin:index")).content.decode()

    stale = _module(page, "stale-guides")
    assert "<caption" in stale and "Stale figures by guide" in stale
    assert "Flask vs Django" in stale and "1 of 2 figures" in stale
    assert "Profiles" in stale and "1 of 1 figure" in stale
    assert "All about Django" not in stale and "Coming soon" not in stale
    assert reverse("admin:articles_article_change", args=[desk["stale"].pk]) in stale
    assert f"?age=stale&amp;framework__id__in={desk['flask'].pk}" in stale

    queue = _module(page, "review-queue")
    assert "1 collected value waiting" in queue and reverse("admin:frameworks_reviewitem_change", args=[desk["item"].pk]) in queue

    scheduled = _module(page, "scheduled-guides")
    when = timezone.localtime(desk["scheduled"].publish_at)
    assert "Coming soon" in scheduled and f"{when.day} {when:%B %Y, %H:%M}" in scheduled

    drafts = _module(page, "draft-guides")
    assert "Half written" in drafts and "<td>writer</td>" in drafts

    recent = _module(page, "recent-changes")
    assert "Half written" in recent and "<td>writer</td>" in recent and "Wrote the first part." in recent
    assert reverse("admin:articles_article_change", args=[desk["draft"].pk]) in recent


def test_dashboard_links_to_the_stale_figures_of_a_guide(admin_client_, desk):
    rows = dashboard.stale_guides().rows
    response = admin_client_.get(rows[0].figures_url)
    assert response.status_code == 200
    assert {m.framework_id for m in response.context["cl"].result_list} == {desk["flask"].pk}


def _index_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("admin:index")).status_code == 200
    return len(ctx.captured_queries)


def test_dashboard_costs_the_same_with_100_guides(admin_client_, desk, django_assert_num_queries):
    def modules():
        return (dashboard.stale_guides(), dashboard.review_queue(), dashboard.scheduled_guides(),
                dashboard.drafts(), dashboard.recent_changes())

    with django_assert_num_queries(dashboard.QUERIES):
        modules()
    small = _index_queries(admin_client_)

    build_catalogue(100, pair_guides=100)
    assert Article.objects.published().count() >= 100
    with django_assert_num_queries(dashboard.QUERIES):
        guides = modules()[0]
    assert len(guides.rows) == dashboard.SHOWN and guides.more > 0
    assert _index_queries(admin_client_) == small
