"""Editors and collection: identifiers on the form, the review queue, runs, "Collect now", add from a package."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from frameworks.models import CollectionRun, Framework, Measurement, ReviewItem, SourceState
from tests.admin_forms import admin_post_data
from tests.factories import make_article, make_framework, make_metric, make_section

from .fakeapi import Reply, pypi_project

pytestmark = pytest.mark.django_db


def waiting_item(framework, metric, value=1, **extra) -> ReviewItem:
    return ReviewItem.objects.create(
        framework=framework, kind="figure", metric=metric, field=metric.slug, proposed=metric.format(value),
        value=value, as_of=timezone.localdate(), source="github", source_name="GitHub",
        source_url="https://github.com/pallets/flask", collected_at=timezone.now(), reason="fall",
        explanation="Fell.", **extra,
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("github_repo", "pallets", "owner/name"),
        ("github_repo", "pallets/fl ask", "GitHub"),
        ("pypi_package", "-flask", "package"),
        ("stackoverflow_tag", "Flask Tag", "tag"),
    ],
)
def test_a_malformed_identifier_is_a_form_error(admin_client_, field, value, message):
    fw = make_framework(name="Flask", slug="flask")
    url = reverse("admin:frameworks_framework_change", args=[fw.pk])
    response = admin_client_.post(url, admin_post_data(admin_client_.get(url), **{field: value}))
    assert response.status_code == 200
    assert message.lower() in str(response.context["adminform"].form.errors[field]).lower()


def test_the_github_repository_is_filled_from_the_repository_url(admin_client_):
    fw = make_framework(name="Flask", slug="flask")
    url = reverse("admin:frameworks_framework_change", args=[fw.pk])
    data = admin_post_data(admin_client_.get(url), repository_url="https://github.com/pallets/flask.git")
    assert admin_client_.post(url, data).status_code == 302
    assert Framework.objects.get(pk=fw.pk).github_repo == "pallets/flask"


def test_the_review_queue_opens_on_what_waits_and_approves_one(admin_client_, admin_user):
    fw, metric = make_framework(name="Flask"), make_metric(name="GitHub stars", slug="github-stars")
    item = waiting_item(fw, metric, 5)
    decided = waiting_item(make_framework(name="Django"), metric, 6)
    ReviewItem.objects.filter(pk=decided.pk).update(status="rejected")
    listing = admin_client_.get(reverse("admin:frameworks_reviewitem_changelist"))
    assert [i.pk for i in listing.context["cl"].result_list] == [item.pk]
    everything = admin_client_.get(reverse("admin:frameworks_reviewitem_changelist") + "?status=all")
    assert len(everything.context["cl"].result_list) == 2
    page = admin_client_.get(reverse("admin:frameworks_reviewitem_change", args=[item.pk])).content.decode()
    assert 'name="_approve"' in page and 'name="_reject"' in page and "Fell." in page
    response = admin_client_.post(reverse("admin:frameworks_reviewitem_change", args=[item.pk]), {"_approve": "1"})
    assert response.status_code == 302
    assert Measurement.objects.get(framework=fw, metric=metric).value == Decimal(5)
    item.refresh_from_db()
    assert item.status == "approved"


def test_bulk_reject_from_the_list(admin_client_):
    metric = make_metric()
    items = [waiting_item(make_framework(), metric) for _ in range(3)]
    response = admin_client_.post(
        reverse("admin:frameworks_reviewitem_changelist") + "?status=waiting",
        {"action": "reject_selected", "_selected_action": [i.pk for i in items]},
        follow=True,
    )
    assert "3 rejected." in response.content.decode()
    assert not Measurement.objects.exists()


def test_approving_a_figure_that_was_recorded_meanwhile_says_so(admin_client_):
    fw, metric = make_framework(), make_metric()
    item = waiting_item(fw, metric, 7)
    Measurement.objects.create(framework=fw, metric=metric, value=8, as_of=item.as_of, source_name="x",
                               source_url="https://x.example/")
    response = admin_client_.post(reverse("admin:frameworks_reviewitem_change", args=[item.pk]), {"_approve": "1"},
                                  follow=True)
    assert "is already recorded" in response.content.decode()
    item.refresh_from_db()
    assert item.status == "waiting"


def test_collect_now_queues_a_run_for_one_framework(admin_client_, django_capture_on_commit_callbacks):
    fw = make_framework(name="Flask", github_repo="pallets/flask")
    page = admin_client_.get(reverse("admin:frameworks_framework_change", args=[fw.pk])).content.decode()
    assert "Collect now" in page and "Not collected yet." in page
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = admin_client_.post(reverse("admin:frameworks_framework_collect", args=[fw.pk]), follow=True)
    assert "Collection queued for Flask" in response.content.decode()
    run = CollectionRun.objects.get()
    assert list(run.frameworks.all()) == [fw] and run.requested_by.username == "root"
    assert len(callbacks) == 1  # the task is enqueued once the run is committed
    assert admin_client_.get(reverse("admin:frameworks_framework_collect", args=[fw.pk])).status_code == 405


def test_collect_now_for_all_and_the_runs_list(admin_client_):
    response = admin_client_.post(reverse("admin:frameworks_collectionrun_collect_all"), follow=True)
    assert "Collection queued for every framework" in response.content.decode()
    assert "Collect now for all" in response.content.decode()
    assert CollectionRun.objects.get().frameworks.count() == 0


def test_the_admin_index_shows_the_last_run_the_queue_and_failing_frameworks(admin_client_):
    fw, metric = make_framework(name="Flask"), make_metric()
    waiting_item(fw, metric)
    CollectionRun.objects.create(status="succeeded", finished_at=timezone.now(), recorded=3)
    SourceState.objects.create(framework=fw, source="github", identifier="pallets/flask", error="boom",
                               failing_since=timezone.now() - timedelta(days=5))
    page = admin_client_.get(reverse("admin:index")).content.decode()
    assert "3 recorded" in page and "1 collected value waits for review" in page
    assert "failed for more than 3 days" in page and ">Flask</a>" in page


def test_add_a_framework_from_its_package_name(admin_client_, fake_api, run_worker):
    fake_api.script("/pypi-org/pypi/fastapi/json", Reply(body=pypi_project("fastapi", "0.115.0")))
    page = admin_client_.get(reverse("admin:frameworks_framework_changelist")).content.decode()
    assert "Add from a package name" in page
    response = admin_client_.post(reverse("admin:frameworks_framework_from_package"), {"package": "fastapi"})
    waiting = response["Location"]
    assert "Asking the package index" in admin_client_.get(waiting).content.decode()
    run_worker()
    response = admin_client_.get(waiting)
    assert response.status_code == 302 and reverse("admin:frameworks_framework_add") in response["Location"]
    form = admin_client_.get(response["Location"]).context["adminform"].form
    assert (form.initial["name"], form.initial["pypi_package"]) == ("fastapi", "fastapi")
    assert form.initial["license"] == "BSD-3-Clause" and form.initial["year_created"] == "2010"
    assert not Framework.objects.exists()  # the editor reviews, then saves


def test_add_from_package_refuses_bad_names_and_known_packages(admin_client_):
    make_framework(name="Flask", pypi_package="Flask")
    url = reverse("admin:frameworks_framework_from_package")
    assert "package" in str(admin_client_.post(url, {"package": "no such!"}).context["form"].errors).lower()
    assert "Flask already names this package" in admin_client_.post(url, {"package": "flask"}).content.decode()
    unknown = admin_client_.get(reverse("admin:frameworks_framework_from_package_result", args=["nope"]), follow=True)
    assert "unknown or expired" in unknown.content.decode()


def test_a_round_of_two_metrics_gives_each_figure_its_own_source(admin_client_, client):
    flask = make_framework(name="Flask", slug="flask")
    stars = make_metric(name="GitHub stars", slug="github-stars", usual_source_name="GitHub",
                        usual_source_url="https://github.com/")
    questions = make_metric(name="Stack Overflow questions", slug="so", usual_source_name="Stack Overflow",
                            usual_source_url="https://stackoverflow.com/tags")
    url = reverse("admin:frameworks_measurement_record") + f"?metric={stars.pk}&metric={questions.pk}"
    form = admin_client_.get(url).context["form"]
    assert form[f"source-{questions.pk}-name"].initial == "Stack Overflow"
    data = {"as_of": "2024-05-01", f"v-{flask.pk}-{stars.pk}": "50000", f"v-{flask.pk}-{questions.pk}": "30000"}
    for metric in (stars, questions):
        data[f"source-{metric.pk}-name"] = metric.usual_source_name
        data[f"source-{metric.pk}-url"] = metric.usual_source_url
    assert admin_client_.post(url, data).status_code == 302
    assert dict(Measurement.objects.values_list("metric__slug", "source_name")) == {
        "github-stars": "GitHub", "so": "Stack Overflow"
    }
    article = make_article([flask])
    table = make_section(article, kind="table")
    table.metrics.set([stars, questions])
    page = client.get(article.get_absolute_url()).content.decode()
    assert ">Stack Overflow</a>" in page and ">GitHub</a>" in page


def test_a_round_value_without_its_metrics_source_is_refused(admin_client_):
    flask = make_framework()
    metric = make_metric(name="Stars")
    url = reverse("admin:frameworks_measurement_record") + f"?metric={metric.pk}"
    response = admin_client_.post(url, {"as_of": "2024-05-01", f"v-{flask.pk}-{metric.pk}": "5"})
    assert response.status_code == 200
    assert response.context["form"].errors[f"source-{metric.pk}-name"] == ["Name the source of these Stars figures."]
    assert not Measurement.objects.exists()
