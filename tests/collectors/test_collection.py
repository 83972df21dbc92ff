"""Collection runs end to end: the seed's frameworks, every source on a local fake server, the pages readers see."""

from datetime import date, timedelta
from decimal import Decimal

import feedparser
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from frameworks.collectors import run as collection
from frameworks.models import (
    CollectionResult,
    CollectionRun,
    Framework,
    Measurement,
    ReviewItem,
    SourceLimit,
    SourceState,
)
from frameworks.services import approve, reject
from pagecache import generation

from .fakeapi import Reply, github_repo, pypi_project, pypistats_recent, stackexchange_tag, stackexchange_tags

pytestmark = pytest.mark.django_db

COLLECTED = {"github-stars", "github-forks", "github-watchers", "github-open-issues", "pypi-downloads-last-month",
             "stack-overflow-questions"}


def serve_seed(api, *, flask_stars=68000, django_stars=81000, etag=None):
    """Every source answers for Flask and Django in its documented shape."""
    headers = {"ETag": etag} if etag else {}
    api.script("/github/repos/pallets/flask", Reply(body=github_repo("pallets/flask", stars=flask_stars),
                                                    headers=headers))
    api.script("/github/repos/django/django", Reply(body=github_repo("django/django", stars=django_stars,
                                                                     forks=31000, watchers=2200, open_issues=300),
                                                    headers=headers))
    api.script("/pypi-org/pypi/flask/json", Reply(body=pypi_project("Flask")))
    api.script("/pypi-org/pypi/django/json", Reply(body=pypi_project("Django", "5.2.1")))
    api.script("/pypistats/api/packages/flask/recent", Reply(body=pypistats_recent("flask")))
    api.script("/pypistats/api/packages/django/recent", Reply(body=pypistats_recent("django", last_month=30_000_000)))
    api.script("/stackexchange/2.3/tags/flask/info", Reply(body=stackexchange_tags(stackexchange_tag("flask")),
                                                           gzip=True))
    api.script("/stackexchange/2.3/tags/django/info",
               Reply(body=stackexchange_tags(stackexchange_tag("django", 310_000)), gzip=True))


def collect(*args):
    call_command("collect_figures", "--wait", *args, verbosity=0)
    return CollectionRun.objects.first()


def test_a_run_records_every_collected_figure_with_source_and_time(seeded, fake_api, client):
    serve_seed(fake_api)
    run = collect()
    assert run.status == CollectionRun.Status.SUCCEEDED
    collected = Measurement.objects.exclude(collector="").select_related("framework", "metric")
    assert {(m.framework.slug, m.metric.slug) for m in collected} == {
        (fw, metric) for fw in ("flask", "django") for metric in COLLECTED
    }
    stars = collected.get(framework__slug="flask", metric__slug="github-stars")
    assert (stars.value, stars.as_of, stars.collector) == (Decimal(68000), timezone.localdate(), "github")
    assert (stars.source_name, stars.source_url) == ("GitHub", "https://github.com/pallets/flask")
    assert stars.collected_at is not None and stars.provenance.startswith("collected from GitHub on ")
    questions = collected.get(framework__slug="django", metric__slug="stack-overflow-questions")
    assert questions.source_url == "https://stackoverflow.com/questions/tagged/django"
    downloads = collected.get(framework__slug="flask", metric__slug="pypi-downloads-last-month")
    assert downloads.source_url == "https://pypistats.org/packages/flask"
    # Readers see them, with their provenance, on the guide, the framework page and the figures feed.
    guide = client.get("/guides/flask-vs-django/").content.decode()
    assert "68,000" in guide and "collected from GitHub" in guide
    profile = client.get("/frameworks/flask/").content.decode()
    assert "collected from pypistats.org" in profile and "entered by an editor" in profile
    feed = feedparser.parse(client.get(reverse("feeds:figures")).content)
    assert any("collected from GitHub on" in entry.summary for entry in feed.entries)
    assert run.recorded == 12 and run.failed == 0


def test_a_second_run_answered_not_modified_records_nothing(seeded, fake_api):
    serve_seed(fake_api, etag='"v1"')
    collect("--source", "github")
    before = Measurement.objects.count()
    fake_api.script("/github/repos/pallets/flask", Reply(304, content_type=None, headers={"ETag": '"v1"'}))
    fake_api.script("/github/repos/django/django", Reply(304, content_type=None, headers={"ETag": '"v1"'}))
    run = collect("--source", "github")
    assert Measurement.objects.count() == before
    assert run.unchanged == 2 and run.recorded == 0
    sent = [r.headers.get("if-none-match") for r in fake_api.requests if r.path.startswith("/github/")]
    assert sent[-2:] == ['"v1"', '"v1"']


def test_a_second_run_the_same_day_never_records_a_figure_twice(seeded, fake_api):
    serve_seed(fake_api)
    collect()
    before = Measurement.objects.count()
    collect()
    assert Measurement.objects.count() == before


def test_two_runs_at_the_same_time_record_each_figure_once(seeded, fake_api, monkeypatch):
    """A second run finishes while the first is between collecting and writing its batch."""
    serve_seed(fake_api, flask_stars=1)  # Flask's stars also queue a review item
    real_write, other = collection._write, collection.create_run()

    def write_after_another_run(batch):
        if other.status == CollectionRun.Status.QUEUED:  # the first batch to write: let the other run go first
            collection.execute(other)
        real_write(batch)

    monkeypatch.setattr(collection, "_write", write_after_another_run)
    run = collect()
    assert run.status == other.status == CollectionRun.Status.SUCCEEDED and other.recorded == 11
    rows = list(Measurement.objects.exclude(collector="").values_list("framework_id", "metric_id", "as_of"))
    assert len(rows) == len(set(rows)) == 11
    assert ReviewItem.objects.waiting().filter(field="github-stars").count() == 1
    assert SourceState.objects.count() == 8


def test_a_fall_by_half_waits_for_review_and_stays_off_every_page(seeded, fake_api, client, admin_user,
                                                                  django_capture_on_commit_callbacks):
    flask = Framework.objects.get(slug="flask")
    serve_seed(fake_api, flask_stars=22000)  # the seed's 45,761 halves
    run = collect("--source", "github")
    item = ReviewItem.objects.get(framework=flask, field="github-stars")
    assert (item.status, item.reason, item.value) == ("waiting", "fall", Decimal(22000))
    assert "Fell from 45,761 to 22,000" in item.explanation
    assert run.queued_for_review == 1
    assert not Measurement.objects.filter(framework=flask, metric__slug="github-stars", value=22000).exists()
    for path in ("/guides/flask-vs-django/", "/frameworks/flask/", "/compare/django-vs-flask/", "/feeds/figures.rss"):
        assert "22,000" not in client.get(path).content.decode(), path
    # Approving records it with its original collection date, and readers see it.
    with django_capture_on_commit_callbacks(execute=True):  # cached pages are invalidated on commit
        outcome = approve([item], user=admin_user)
    assert outcome.approved == 1
    recorded = Measurement.objects.get(framework=flask, metric__slug="github-stars", value=22000)
    assert recorded.collected_at == item.collected_at and recorded.as_of == item.as_of
    assert "22,000" in client.get("/frameworks/flask/").content.decode()
    item.refresh_from_db()
    assert (item.status, item.decided_by) == ("approved", admin_user)


def test_rejected_values_are_kept_as_decisions_and_never_recorded(seeded, fake_api, admin_user):
    serve_seed(fake_api, flask_stars=1)
    collect("--source", "github")
    item = ReviewItem.objects.get(field="github-stars")
    assert reject([item], user=admin_user).rejected == 1
    assert approve([item], user=admin_user).approved == 0  # decided already
    assert not Measurement.objects.filter(value=1, metric__slug="github-stars").exists()


def test_a_jump_far_beyond_recent_growth_waits(seeded, fake_api):
    flask = Framework.objects.get(slug="flask")
    stars = flask.measurements.get(metric__slug="github-stars")
    today = timezone.localdate()
    Measurement.objects.filter(pk=stars.pk).update(as_of=today - timedelta(days=30))
    Measurement.objects.create(framework=flask, metric=stars.metric, value=46000, as_of=today - timedelta(days=10),
                               source_name="GitHub", source_url="https://github.com/pallets/flask")
    serve_seed(fake_api, flask_stars=90000)
    collect("--source", "github")
    assert ReviewItem.objects.get(field="github-stars").reason == "jump"


def test_a_moved_repository_queues_the_new_identifier_and_its_figures(seeded, fake_api, admin_user):
    serve_seed(fake_api)
    fake_api.script("/github/repos/pallets/flask",
                    Reply(301, {"message": "Moved Permanently"},
                          headers={"Location": f"{fake_api.url}/github/repositories/596892"}))
    fake_api.script("/github/repositories/596892", Reply(body=github_repo("pallets/flask2", stars=47000)))
    collect("--source", "github")
    identifier = ReviewItem.objects.get(kind="identifier")
    assert (identifier.current, identifier.proposed, identifier.reason) == ("pallets/flask", "pallets/flask2", "moved")
    assert ReviewItem.objects.filter(kind="figure", reason="moved", framework__slug="flask").count() == 4
    approve([identifier], user=admin_user)
    assert Framework.objects.get(slug="flask").github_repo == "pallets/flask2"


def test_changed_facts_wait_for_review_and_never_change_silently(seeded, fake_api, admin_user):
    serve_seed(fake_api)
    collect("--source", "pypi")
    flask = Framework.objects.get(slug="flask")
    assert flask.latest_version == ""  # nothing set without an editor
    facts = {i.field: i for i in ReviewItem.objects.filter(framework=flask, kind="fact")}
    assert facts["latest_version"].proposed == "3.1.0"
    assert facts["latest_release_on"].proposed == "2024-11-13"
    assert "license" not in facts  # BSD-3-Clause already
    approve(list(facts.values()), user=admin_user)
    flask.refresh_from_db()
    assert (flask.latest_version, flask.latest_release_on) == ("3.1.0", date(2024, 11, 13))


def test_a_missing_repository_is_reported_and_not_asked_again(seeded, fake_api):
    serve_seed(fake_api)
    fake_api.script("/github/repos/pallets/flask", Reply(404, {"message": "Not Found"}))
    run = collect("--source", "github")
    state = SourceState.objects.get(framework__slug="flask", source="github")
    assert state.gone and state.failing_since and "no repository" in state.error
    assert run.failed == 1 and run.status == CollectionRun.Status.SUCCEEDED  # Django went on
    hits = fake_api.hits("/github/repos/pallets/flask")
    collect("--source", "github")
    assert fake_api.hits("/github/repos/pallets/flask") == hits
    # An editor fixes the identifier: it is asked again.
    Framework.objects.filter(slug="flask").update(github_repo="pallets/flask-new")
    fake_api.script("/github/repos/pallets/flask-new", Reply(body=github_repo("pallets/flask-new")))
    collect("--source", "github")
    assert fake_api.hits("/github/repos/pallets/flask-new") == 1


def test_a_rate_limited_source_stops_until_its_reset_and_the_others_go_on(seeded, fake_api):
    serve_seed(fake_api)
    reset = int((timezone.now() + timedelta(hours=1)).timestamp())
    limited = Reply(403, {"message": "API rate limit exceeded"},
                    headers={"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(reset)})
    fake_api.script("/github/repos/django/django", limited)
    fake_api.script("/github/repos/pallets/flask", limited)
    run = collect()
    github_calls = sum(1 for r in fake_api.requests if r.path.startswith("/github/"))
    assert github_calls == 1  # the second framework was not asked
    assert SourceLimit.objects.get(source="github").until > timezone.now()
    assert Measurement.objects.filter(collector="stackexchange").count() == 2
    assert run.status == CollectionRun.Status.SUCCEEDED
    collect("--source", "github")
    assert sum(1 for r in fake_api.requests if r.path.startswith("/github/")) == github_calls


def test_a_run_where_every_call_fails_fails_as_a_whole(seeded, fake_api):
    for path in ("/stackexchange/2.3/tags/flask/info", "/stackexchange/2.3/tags/django/info"):
        fake_api.script(path, Reply(500, "down", content_type="text/plain"))
    with pytest.raises(CommandError, match="failed: Every call failed"):
        collect("--source", "stackexchange")
    assert CollectionRun.objects.first().status == CollectionRun.Status.FAILED


def test_a_dry_run_records_nothing(seeded, fake_api):
    serve_seed(fake_api)
    before = Measurement.objects.count()
    run = collect("--dry-run")
    assert Measurement.objects.count() == before and not ReviewItem.objects.exists()
    assert run.recorded == 12 and run.dry_run
    assert not SourceState.objects.exists()


def test_one_framework_only(seeded, fake_api):
    serve_seed(fake_api)
    collect("--framework", "django")
    assert set(Measurement.objects.exclude(collector="").values_list("framework__slug", flat=True)) == {"django"}
    with pytest.raises(CommandError, match="No framework with slug: nope"):
        collect("--framework", "nope")


def test_cached_pages_are_invalidated_once_per_batch_not_per_figure(seeded, fake_api, monkeypatch,
                                                                    django_capture_on_commit_callbacks):
    serve_seed(fake_api)
    bumps = []
    monkeypatch.setattr(generation, "bump", lambda *a, **k: bumps.append(1))
    with django_capture_on_commit_callbacks(execute=True):
        collect()
    assert len(bumps) == 1  # two frameworks, twelve figures, review items and run records: one batch


def test_without_wait_the_run_is_queued_for_the_worker_which_carries_it_out(seeded, fake_api, run_worker,
                                                                           django_capture_on_commit_callbacks):
    serve_seed(fake_api)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("collect_figures", verbosity=0)
    run = CollectionRun.objects.get()
    assert run.status == CollectionRun.Status.QUEUED
    run_worker()
    run.refresh_from_db()
    assert run.status == CollectionRun.Status.SUCCEEDED and run.recorded == 12


def test_results_say_what_happened_per_source_and_framework(seeded, fake_api):
    serve_seed(fake_api, flask_stars=1)
    run = collect()
    outcomes = {(r.framework.slug, r.source): r.outcome for r in run.results.select_related("framework")}
    assert outcomes["flask", "github"] == CollectionResult.Outcome.QUEUED
    assert outcomes["django", "github"] == CollectionResult.Outcome.RECORDED
    assert collection.FAILED_AS_A_WHOLE not in run.error
