"""A guide's change feed and its "What changed since …" box: figures, sections and publication."""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import feedparser
import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.models import Article, GuideChange, Section
from frameworks.models import Framework, Measurement, Metric
from frameworks.services import record_measurements
from tests.admin_forms import admin_post_data
from tests.factories import make_article, make_framework, make_measurement, make_metric, make_section

pytestmark = pytest.mark.django_db

MEASURED = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)  # the figures the guide first showed
PUBLISHED = datetime(2026, 5, 2, 9, 0, tzinfo=UTC)
LATER = datetime(2026, 9, 3, 9, 0, tzinfo=UTC)


@dataclass
class Guide:
    article: Article
    flask: Framework
    django: Framework
    stars: Metric
    forks: Metric

    @property
    def feed_url(self) -> str:
        return reverse("articles:changes", kwargs={"slug": self.article.slug})


@pytest.fixture
def guide() -> Guide:
    """Flask vs Django, published 2 May 2026: a table of GitHub stars only, on figures as of 1 May."""
    with time_machine.travel(MEASURED, tick=False):
        flask = make_framework(name="Flask", slug="flask")
        django = make_framework(name="Django", slug="django")
        stars = make_metric(name="GitHub stars", slug="github-stars", short_name="Stars", position=1)
        forks = make_metric(name="GitHub forks", slug="github-forks", short_name="Forks", position=2)
        for framework, value in ((flask, 45761), (django, 50000)):
            make_measurement(framework, stars, value, as_of=MEASURED.date())
            make_measurement(framework, forks, value // 4, as_of=MEASURED.date())
    article = make_article([flask, django], title="Flask vs Django", slug="flask-vs-django", publish_at=PUBLISHED)
    make_section(article, heading="Introduction")
    table = make_section(article, Section.Kind.TABLE, heading="Popularity")
    table.metrics.set([stars])
    return Guide(article, flask, django, stars, forks)


@pytest.fixture
def record(django_capture_on_commit_callbacks):
    """Records a figure at ``when`` (as of that day unless told otherwise) as the admin does, commit included:
    the page cache turns over when the figures' transaction commits."""

    def record(framework: Framework, metric: Metric, value, when: datetime, as_of: date | None = None) -> Measurement:
        with time_machine.travel(when, tick=False), django_capture_on_commit_callbacks(execute=True):
            (measurement,) = record_measurements(
                framework=framework,
                values={metric: value},
                as_of=as_of or when.date(),
                source_name="GitHub",
                source_url="https://github.com/pallets/flask",
            )
        return measurement

    return record


def read_feed(client, url: str):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    return feed


def titles(client, guide: Guide) -> list[str]:
    return [entry.title for entry in read_feed(client, guide.feed_url).entries]


# --- Figures -------------------------------------------------------------------------------------


def test_seed_guide_feed_parses_and_gets_an_entry_when_a_shown_figure_is_recorded(client, seeded, record):
    url = reverse("articles:changes", kwargs={"slug": "flask-vs-django"})
    feed = read_feed(client, url)
    assert feed.feed.title == Article.objects.get(slug="flask-vs-django").title + ": changes"
    # The seed loads 2019 figures long after the guide's 2019 publish time: they were true when it came out.
    assert feed.entries == []
    assert GuideChange.objects.count() == 0
    today = timezone.localdate()
    record(Framework.objects.get(slug="flask"), Metric.objects.get(slug="github-stars"), 61203, timezone.now(), today)
    (entry,) = read_feed(client, url).entries
    assert entry.title == f"Flask GitHub stars 45,761 → 61,203, as of {today:%-d %b %Y}"
    assert "Source: GitHub (https://github.com/pallets/flask), entered by an editor." in entry.summary


def test_a_new_figure_of_a_shown_pair_is_an_entry_with_both_values_its_date_and_source(client, guide, record):
    measurement = record(guide.flask, guide.stars, 61203, LATER)
    feed = read_feed(client, guide.feed_url)
    assert feed.feed.title == "Flask vs Django: changes"
    assert feed.feed.link == "http://testserver/guides/flask-vs-django/"
    (entry,) = feed.entries
    assert entry.title == "Flask GitHub stars 45,761 → 61,203, as of 3 Sep 2026"
    assert entry.summary.startswith("Flask GitHub stars: 61,203 on 3 September 2026, up from 45,761.")
    assert "Source: GitHub (https://github.com/pallets/flask)" in entry.summary
    assert entry.link == "http://testserver/guides/flask-vs-django/"
    assert entry.id == f"http://testserver/guides/flask-vs-django/#change-figure-{measurement.pk}"
    assert entry.updated_parsed[:3] == (2026, 9, 3)


def test_first_figure_units_and_decimals_are_formatted_by_the_metric(client, guide, record):
    latency = make_metric(name="p50 latency", slug="p50", unit="ms", decimal_places=2, higher_is_better=False)
    guide.article.sections.get(kind=Section.Kind.TABLE).metrics.add(latency)
    record(guide.django, latency, "144.29", LATER)
    assert titles(client, guide) == ["Django p50 latency: first figure 144.29 ms, as of 3 Sep 2026"]


def test_a_fall_and_an_unchanged_figure_say_so(client, guide, record):
    record(guide.flask, guide.stars, 45000, LATER)
    record(guide.django, guide.stars, 50000, LATER + timedelta(hours=1))
    unchanged, fall = read_feed(client, guide.feed_url).entries
    assert unchanged.title == "Django GitHub stars unchanged at 50,000, as of 3 Sep 2026"
    assert fall.title == "Flask GitHub stars 45,761 → 45,000, as of 3 Sep 2026"
    assert fall.summary.startswith("Flask GitHub stars: 45,000 on 3 September 2026, down from 45,761.")


def test_figures_the_guide_does_not_show_are_no_entries(client, guide, record):
    record(guide.flask, guide.forks, 20000, LATER)  # a metric the table leaves out
    record(make_framework(name="Bottle"), guide.stars, 8000, LATER)  # a framework the guide does not compare
    assert titles(client, guide) == []


def test_profile_card_and_chart_show_their_own_figures(client, guide, record):
    bottle = make_framework(name="Bottle")
    make_section(guide.article, Section.Kind.PROFILE, framework=bottle)
    make_section(guide.article, Section.Kind.CHART, metric=guide.forks)
    record(bottle, guide.forks, 300, LATER)  # a profile card shows every metric
    record(guide.django, guide.forks, 13000, LATER + timedelta(hours=1))  # the chart's metric
    assert titles(client, guide) == [
        "Django GitHub forks 12,500 → 13,000, as of 3 Sep 2026",
        "Bottle GitHub forks: first figure 300, as of 3 Sep 2026",
    ]


def test_a_table_without_chosen_metrics_shows_every_metric(client, guide, record):
    guide.article.sections.get(kind=Section.Kind.TABLE).metrics.clear()
    record(guide.flask, guide.forks, 20000, LATER)
    assert titles(client, guide) == ["Flask GitHub forks 11,440 → 20,000, as of 3 Sep 2026"]


def test_a_backfill_is_no_entry(client, guide, record):
    record(guide.flask, guide.stars, 61203, LATER)
    # Entered later, but dated before the current figure: what readers see does not change.
    record(guide.flask, guide.stars, 55000, LATER + timedelta(days=2), as_of=date(2026, 7, 1))
    assert titles(client, guide) == ["Flask GitHub stars 45,761 → 61,203, as of 3 Sep 2026"]
    # The next figure follows the one readers saw (61,203), not the backfill.
    record(guide.flask, guide.stars, 62000, LATER + timedelta(days=3))
    assert titles(client, guide)[0] == "Flask GitHub stars 61,203 → 62,000, as of 6 Sep 2026"


def test_figures_recorded_before_publication_are_no_entries(client, guide, record):
    record(guide.flask, guide.stars, 46000, PUBLISHED - timedelta(hours=1))
    assert titles(client, guide) == []


def test_figures_of_an_unpublished_framework_never_appear(client, guide, record):
    hidden = make_framework(name="Secret", is_published=False)
    guide.article.article_frameworks.create(framework=hidden, position=5)
    make_section(guide.article, Section.Kind.PROFILE, framework=hidden)
    record(hidden, guide.stars, 999, LATER)
    record(hidden, guide.forks, 99, LATER)
    feed = read_feed(client, guide.feed_url)
    assert feed.entries == []
    assert b"Secret" not in client.get(guide.feed_url).content
    assert "Secret GitHub" not in client.get(guide.article.get_absolute_url()).content.decode()


def test_feed_of_a_draft_a_scheduled_or_an_unknown_guide_is_404(client, guide):
    draft = make_article(status=Article.Status.DRAFT)
    scheduled = make_article(publish_at=timezone.now() + timedelta(days=1))
    for slug in (draft.slug, scheduled.slug, "no-such-guide"):
        assert client.get(reverse("articles:changes", kwargs={"slug": slug})).status_code == 404


def test_the_feed_keeps_at_most_30_entries_newest_first(client, guide, record):
    for day in range(35):
        record(guide.flask, guide.stars, 50000 + day, LATER + timedelta(days=day))
    entries = read_feed(client, guide.feed_url).entries
    assert len(entries) == 30
    assert entries[0].title == "Flask GitHub stars 50,033 → 50,034, as of 7 Oct 2026"
    assert len({e.id for e in entries}) == 30


@pytest.mark.parametrize("history_days", [1, 40])
def test_feed_query_count_does_not_grow_with_history_or_catalogue(client, guide, django_assert_num_queries,
                                                                 history_days, record):
    for n in range(history_days):
        make_framework()  # the catalogue grows too
        record(guide.flask, guide.stars, 50000 + n, LATER + timedelta(days=n))
        record(guide.django, guide.stars, 60000 + n, LATER + timedelta(days=n, hours=1))
    GuideChange.objects.create(article=guide.article, kind=GuideChange.Kind.SECTION_EDITED, summary="Edited")
    # guide, compared frameworks, sections, section metrics, recorded changes, figure changes
    with django_assert_num_queries(6):
        response = client.get(guide.feed_url)
    assert response.status_code == 200
    assert len(feedparser.parse(response.content).entries) == min(30, 2 * history_days + 1)


# --- Sections and publication, as editors save them ----------------------------------------------


def _section_post(section: Section, **changes) -> dict:
    data = {
        "article": section.article_id,
        "position": section.position,
        "kind": section.kind,
        "heading": section.heading,
        "body": section.body,
        "attribution": section.attribution,
        "framework": section.framework_id or "",
        "metric": section.metric_id or "",
        "metrics": [m.pk for m in section.metrics.all()],
        "caption": section.caption,
    }
    return data | changes


def test_a_section_edited_on_a_live_guide_is_an_entry(admin_client_, client, guide):
    section = guide.article.sections.get(heading="Introduction")
    url = reverse("admin:articles_section_change", args=[section.pk])
    assert admin_client_.post(url, _section_post(section)).status_code == 302
    assert titles(client, guide) == []  # saved unchanged: nothing for readers
    assert admin_client_.post(url, _section_post(section, body="Flask keeps its core small.")).status_code == 302
    (change,) = GuideChange.objects.all()
    assert (change.kind, change.summary, change.section) == ("section_edited", "Section “Introduction” edited", section)
    (entry,) = read_feed(client, guide.feed_url).entries
    assert entry.title == "Section “Introduction” edited"
    assert entry.link == "http://testserver/guides/flask-vs-django/"
    assert entry.id == f"http://testserver/guides/flask-vs-django/#change-{change.pk}"


def test_inline_edits_in_the_guide_form_are_entries_each(admin_client_, client, guide):
    url = reverse("admin:articles_article_change", args=[guide.article.pk])
    page = admin_client_.get(url)
    forms = page.context["inline_admin_formsets"][1].formset.forms
    table = next(i for i, form in enumerate(forms) if form.instance.heading == "Popularity")
    prose = next(i for i, form in enumerate(forms) if form.instance.heading == "Introduction")
    data = admin_post_data(page, **{
        f"sections-{table}-metrics": [str(guide.stars.pk), str(guide.forks.pk)],
        f"sections-{prose}-heading": "Why compare them",
    })
    assert admin_client_.post(url, data).status_code == 302
    assert sorted(titles(client, guide)) == [
        "Section “Popularity” edited",
        "Section “Why compare them” edited (was “Introduction”)",
    ]
    page = admin_client_.get(url)
    forms = page.context["inline_admin_formsets"][1].formset.forms
    quote = len([f for f in forms if f.instance.pk])
    data = admin_post_data(page, **{
        f"sections-{prose}-DELETE": "on",
        f"sections-{quote}-kind": "quote",
        f"sections-{quote}-body": "Small core, big ecosystem.",
        f"sections-{quote}-position": "99",
    })
    assert admin_client_.post(url, data).status_code == 302
    assert sorted(titles(client, guide)[:2]) == ["Pull quote added", "Section “Why compare them” removed"]


def test_section_edits_on_a_draft_or_scheduled_guide_and_seed_loads_are_no_entries(admin_client_, guide, seeded):
    assert GuideChange.objects.count() == 0  # the seed loaded a live guide with all its sections
    for article in (make_article(status=Article.Status.DRAFT),
                    make_article(publish_at=timezone.now() + timedelta(days=1))):
        section = make_section(article, heading="Draft text")
        url = reverse("admin:articles_section_change", args=[section.pk])
        assert admin_client_.post(url, _section_post(section, body="Changed.")).status_code == 302
    assert GuideChange.objects.count() == 0


def test_a_section_deleted_from_a_live_guide_is_an_entry(admin_client_, client, guide):
    section = guide.article.sections.get(heading="Introduction")
    response = admin_client_.post(reverse("admin:articles_section_delete", args=[section.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert titles(client, guide) == ["Section “Introduction” removed"]


def test_restoring_a_revision_records_what_it_changed_back(admin_client_, client, guide):
    url = reverse("admin:articles_article_change", args=[guide.article.pk])
    assert admin_client_.post(url, admin_post_data(admin_client_.get(url))).status_code == 302
    forms = admin_client_.get(url).context["inline_admin_formsets"][1].formset.forms
    prose = next(i for i, form in enumerate(forms) if form.instance.heading == "Introduction")
    data = admin_post_data(admin_client_.get(url), **{f"sections-{prose}-heading": "Broken"})
    assert admin_client_.post(url, data).status_code == 302
    original = Version.objects.get_for_object(guide.article).order_by("pk").first()
    revision_url = reverse("admin:articles_article_revision", args=[guide.article.pk, original.pk])
    assert admin_client_.post(revision_url, admin_post_data(admin_client_.get(revision_url))).status_code == 302
    assert titles(client, guide) == [
        "Section “Introduction” edited (was “Broken”)",
        "Section “Broken” edited (was “Introduction”)",
    ]


def _publish_action(admin_client_, article, action="publish_selected"):
    response = admin_client_.post(
        reverse("admin:articles_article_changelist"), {"action": action, "_selected_action": [article.pk]}
    )
    assert response.status_code == 302


def test_publishing_a_draft_then_publishing_it_again_later(admin_client_, client):
    article = make_article(status=Article.Status.DRAFT, slug="fresh", publish_at=timezone.now() - timedelta(hours=1))
    url = reverse("articles:changes", kwargs={"slug": "fresh"})
    assert client.get(url).status_code == 404
    _publish_action(admin_client_, article)
    assert [e.title for e in read_feed(client, url).entries] == ["Published"]
    _publish_action(admin_client_, article)  # already published: nothing new
    _publish_action(admin_client_, article, "unpublish_selected")
    assert client.get(url).status_code == 404
    # Back through the guide's own form this time.
    change_url = reverse("admin:articles_article_change", args=[article.pk])
    data = admin_post_data(admin_client_.get(change_url), status=Article.Status.PUBLISHED)
    assert admin_client_.post(change_url, data).status_code == 302
    assert [e.title for e in read_feed(client, url).entries] == ["Republished", "Published"]
    assert list(GuideChange.objects.values_list("kind", flat=True)) == ["republished", "published"]


def test_a_guide_added_as_published_records_its_publication_only(admin_client_):
    page = admin_client_.get(reverse("admin:articles_article_add"))
    data = admin_post_data(page, title="Born live", slug="born-live", status=Article.Status.PUBLISHED)
    assert admin_client_.post(reverse("admin:articles_article_add"), data).status_code == 302
    assert list(GuideChange.objects.values_list("article__slug", "kind")) == [("born-live", "published")]


def test_a_scheduled_guide_publication_is_dated_when_it_goes_live(admin_client_, client):
    goes_live = timezone.now() + timedelta(days=3)
    article = make_article(status=Article.Status.DRAFT, slug="soon", publish_at=goes_live)
    _publish_action(admin_client_, article)
    url = reverse("articles:changes", kwargs={"slug": "soon"})
    assert client.get(url).status_code == 404
    with time_machine.travel(goes_live + timedelta(minutes=1), tick=False):
        (entry,) = read_feed(client, url).entries
    assert entry.title == "Published"
    assert entry.updated_parsed[:4] == goes_live.astimezone(UTC).timetuple()[:4]


# --- On the guide page ----------------------------------------------------------------------------


def test_the_guide_page_advertises_the_feed_and_shows_what_changed(client, guide, record):
    html = client.get(guide.article.get_absolute_url()).content.decode()
    feed_link = ('<link rel="alternate" type="application/atom+xml" title="Flask vs Django: changes (Atom)" '
                 'href="/guides/flask-vs-django/changes.atom">')
    assert feed_link in html
    assert 'href="/guides/flask-vs-django/changes.atom">Follow changes to this guide</a>' in html
    assert "What changed since" not in html  # nothing yet
    measurement = record(guide.flask, guide.stars, 61203, LATER)
    GuideChange.objects.create(article=guide.article, kind=GuideChange.Kind.PUBLISHED, summary="Published")
    html = client.get(guide.article.get_absolute_url()).content.decode()
    assert 'What changed since <time datetime="2026-05-02">2 May 2026</time>' in html
    assert f'<li id="change-figure-{measurement.pk}"><time datetime="2026-09-03T09:00:00+0000">3 Sep 2026</time> ' \
           "Flask GitHub stars 45,761 → 61,203, as of 3 Sep 2026</li>" in html
    assert ">Published<" not in html  # the page dates its publication already
    assert 'href="/guides/flask-vs-django/changes.atom">Follow every change to this guide (Atom feed)</a>' in html


def test_the_box_shows_the_five_latest_changes(client, guide, record):
    for day in range(7):
        record(guide.flask, guide.stars, 50000 + day, LATER + timedelta(days=day))
    html = client.get(guide.article.get_absolute_url()).content.decode()
    assert html.count('<li id="change-figure-') == 5
    assert "50,005 → 50,006" in html and "50,000 → 50,001" not in html


def test_a_draft_preview_shows_no_changes_and_offers_no_feed(client, editor_client, guide, record):
    record(guide.flask, guide.stars, 61203, LATER)
    Article.objects.filter(pk=guide.article.pk).update(status=Article.Status.DRAFT)
    html = editor_client.get(guide.article.get_absolute_url()).content.decode()
    assert "Preview:" in html
    assert "What changed since" not in html and "changes.atom" not in html


def test_the_box_keeps_headings_in_order_and_the_contents_list_whole(client, guide, record):
    make_section(guide.article, heading="Performance")
    record(guide.flask, guide.stars, 61203, LATER)
    html = client.get(guide.article.get_absolute_url()).content.decode()
    levels = [int(level) for level in re.findall(r"<h([1-6])[ >]", html)]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))
    contents = html[html.index('<nav class="toc"'):html.index("</nav>", html.index('<nav class="toc"'))]
    assert contents.count("<li>") == 3  # the three headed sections; the box is not one of them
    assert html.index('<nav class="toc"') < html.index('<h2 id="changes-h">') < html.index('<section class="section')


def test_the_feed_has_its_own_id(client):
    from tests.factories import make_article

    guide = make_article(slug="own-id")
    feed = feedparser.parse(client.get("/guides/own-id/changes.atom").content)
    assert feed.feed.id == "http://testserver/guides/own-id/changes.atom" != guide.get_absolute_url()
