"""Downloads for readers: a framework's or a compared set's figures, all history with sources, as CSV and JSON."""

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse

from frameworks.models import ReviewItem
from tests.factories import make_framework, make_measurement, make_metric

pytestmark = pytest.mark.django_db

COLUMNS = [
    "framework",
    "framework_name",
    "metric",
    "metric_name",
    "value",
    "unit",
    "as_of",
    "source_name",
    "source_url",
    "origin",
    "collected_from",
    "collected_at",
    "recorded_at",
    "note",
]
FIGURE_KEYS = {
    "framework",
    "metric",
    "value",
    "unit",
    "display",
    "as_of",
    "source_name",
    "source_url",
    "origin",
    "collected_from",
    "collected_at",
    "recorded_at",
    "note",
}
DOWNLOADS = [
    "/frameworks/flask/figures.csv",
    "/frameworks/flask/figures.json",
    "/compare/django-vs-flask/figures.csv",
    "/compare/django-vs-flask/figures.json",
]
DOWNLOAD_QUERIES = 2  # the framework or the set, then its whole history
COLLECTED_AT = datetime(2020, 3, 1, 6, 30, tzinfo=UTC)


@pytest.fixture
def catalogue():
    """Flask with three dates of stars (the last one collected) and a latency; Django with one star count."""
    flask = make_framework(name="Flask", slug="flask")
    django = make_framework(name="Django", slug="django")
    stars = make_metric(name="GitHub stars", slug="github-stars", position=1)
    latency = make_metric(
        name="Latency", slug="latency", unit="ms", decimal_places=2, higher_is_better=False, position=2
    )
    make_metric(name="Discord members", slug="discord-members", position=3)  # no figures: in no download
    make_measurement(flask, stars, 45761, date(2019, 8, 1), note="First count.")
    make_measurement(
        flask,
        stars,
        46120,
        date(2019, 9, 1),
        source_name="GitHub API",
        source_url="https://api.github.com/repos/pallets/flask",
    )
    make_measurement(flask, stars, 61203, date(2020, 3, 1), collector="github", collected_at=COLLECTED_AT)
    make_measurement(
        flask,
        latency,
        "12.5",
        date(2020, 1, 15),
        source_name="TechEmpower",
        source_url="https://www.techempower.com/benchmarks/",
    )
    make_measurement(django, stars, 60300, date(2020, 3, 1))
    return {"flask": flask, "django": django, "stars": stars, "latency": latency}


def rows(response) -> list[dict]:
    assert response.content.startswith("\ufeff".encode())  # a byte-order mark, for spreadsheets
    text = response.content.decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    assert reader.fieldnames == COLUMNS
    return list(reader)


# --- What they hold -----------------------------------------------------------------------------------------------


def test_framework_csv_has_every_figure_oldest_first_with_its_source(client, catalogue):
    response = client.get("/frameworks/flask/figures.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="flask-figures.csv"'
    got = rows(response)
    assert [(r["metric"], r["as_of"], r["value"]) for r in got] == [
        ("github-stars", "2019-08-01", "45761"),
        ("github-stars", "2019-09-01", "46120"),
        ("github-stars", "2020-03-01", "61203"),
        ("latency", "2020-01-15", "12.5"),
    ]
    first, second, collected, latency = got
    assert first["framework"] == "flask" and first["framework_name"] == "Flask"
    assert first["metric_name"] == "GitHub stars" and first["unit"] == ""
    assert (first["source_name"], first["source_url"]) == ("GitHub", "https://github.com/example/example")
    assert first["note"] == "First count."
    assert (first["origin"], first["collected_from"], first["collected_at"]) == ("entered", "", "")
    assert (second["source_name"], second["source_url"]) == ("GitHub API", "https://api.github.com/repos/pallets/flask")
    assert (collected["origin"], collected["collected_from"]) == ("collected", "GitHub")
    assert collected["collected_at"] == "2020-03-01T06:30:00Z"
    assert datetime.fromisoformat(collected["recorded_at"]).tzinfo is not None
    assert (latency["unit"], latency["source_name"]) == ("ms", "TechEmpower")
    assert "django" not in {r["framework"] for r in got}


def test_framework_json_has_frameworks_metrics_with_figures_and_every_figure(client, catalogue):
    response = client.get("/frameworks/flask/figures.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="flask-figures.json"'
    data = json.loads(response.content)
    assert set(data) == {"frameworks", "metrics", "figures"}
    assert data["frameworks"] == [{"slug": "flask", "name": "Flask", "url": "http://testserver/frameworks/flask/"}]
    assert data["metrics"] == [
        {"slug": "github-stars", "name": "GitHub stars", "unit": "", "higher_is_better": True},
        {"slug": "latency", "name": "Latency", "unit": "ms", "higher_is_better": False},
    ]
    figures = data["figures"]
    assert all(set(f) == FIGURE_KEYS for f in figures)
    assert [(f["metric"], f["as_of"], f["value"]) for f in figures] == [
        ("github-stars", "2019-08-01", 45761),
        ("github-stars", "2019-09-01", 46120),
        ("github-stars", "2020-03-01", 61203),
        ("latency", "2020-01-15", 12.5),
    ]
    collected = figures[2]
    assert collected["origin"] == "collected" and collected["collected_from"] == "GitHub"
    assert collected["collected_at"] == "2020-03-01T06:30:00Z"
    assert datetime.fromisoformat(collected["recorded_at"]).tzinfo is not None
    assert figures[0]["origin"] == "entered" and figures[0]["collected_from"] is None
    assert figures[0]["collected_at"] is None and figures[0]["note"] == "First count."
    assert figures[3]["display"] == "12.50 ms"


def test_compare_downloads_hold_every_framework_of_the_set(client, catalogue):
    make_framework(name="Pyramid", slug="pyramid")  # outside the set
    csv_response = client.get("/compare/django-vs-flask/figures.csv")
    assert csv_response.status_code == 200
    assert csv_response["Content-Disposition"] == 'attachment; filename="django-vs-flask-figures.csv"'
    got = rows(csv_response)
    assert [(r["framework"], r["as_of"]) for r in got][:2] == [("django", "2020-03-01"), ("flask", "2019-08-01")]
    assert len(got) == 5

    json_response = client.get("/compare/django-vs-flask/figures.json")
    assert json_response["Content-Disposition"] == 'attachment; filename="django-vs-flask-figures.json"'
    data = json.loads(json_response.content)
    assert [fw["slug"] for fw in data["frameworks"]] == ["django", "flask"]
    assert data["frameworks"][0]["url"] == "http://testserver/frameworks/django/"
    assert [m["slug"] for m in data["metrics"]] == ["github-stars", "latency"]
    assert len(data["figures"]) == 5
    assert {f["framework"] for f in data["figures"]} == {"django", "flask"}


def test_a_framework_without_figures_downloads_empty_files(client):
    make_framework(name="Bare", slug="bare")
    assert rows(client.get("/frameworks/bare/figures.csv")) == []
    data = json.loads(client.get("/frameworks/bare/figures.json").content)
    assert data["metrics"] == [] and data["figures"] == []


def test_csv_cells_that_start_like_formulas_are_written_as_text(client):
    fw = make_framework(name="=Evil", slug="evil")
    metric = make_metric(name="+Metric", slug="plus-metric", unit="@u")
    # Saved without validation, as an older row or another path in might: the CSV must still be safe.
    make_measurement(fw, metric, 1, date(2020, 1, 1), source_name='=HYPERLINK("http://x")', note="-2+3")
    # Lines of text lose leading tabs and returns when saved (editorial.text); a URL field keeps them.
    make_measurement(fw, metric, 2, date(2020, 2, 1), source_url="\t=1+1", note="\rReturn")
    make_measurement(fw, metric, 3, date(2020, 3, 1), source_name="'Quoted", note="@SUM(A1)")
    got = rows(client.get("/frameworks/evil/figures.csv"))
    assert got[0]["framework_name"] == "'=Evil"
    assert got[0]["metric_name"] == "'+Metric"
    assert got[0]["unit"] == "'@u"
    assert got[0]["source_name"] == '\'=HYPERLINK("http://x")'
    assert got[0]["note"] == "'-2+3"
    assert got[1]["source_url"] == "'\t=1+1" and got[1]["note"] == "Return"
    assert (got[2]["source_name"], got[2]["note"]) == ("''Quoted", "'@SUM(A1)")
    for row in got:
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row.values())
    # The JSON holds the values as they are: no spreadsheet reads it.
    data = json.loads(client.get("/frameworks/evil/figures.json").content)
    assert data["frameworks"][0]["name"] == "=Evil"
    assert data["figures"][0]["note"] == "-2+3"


# --- What they never hold -------------------------------------------------------------------------------------------


def test_unpublished_framework_has_no_downloads(client, catalogue):
    hidden = make_framework(name="Hidden", slug="hidden", is_published=False)
    make_measurement(hidden, catalogue["stars"], 424242, date(2020, 1, 1))
    for url in (
        "/frameworks/hidden/figures.csv",
        "/frameworks/hidden/figures.json",
        "/compare/django-vs-hidden/figures.csv",
        "/compare/flask-vs-hidden/figures.json",
        "/compare/hidden-vs-django/figures.csv",  # not redirected to a set that does not exist
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert response["Access-Control-Allow-Origin"] == "*"
        assert b"424242" not in response.content and b"Hidden" not in response.content
    assert "No such framework" in client.get("/frameworks/hidden/figures.csv").content.decode()
    assert "No such comparison" in client.get("/compare/django-vs-hidden/figures.csv").content.decode()
    for url in DOWNLOADS:
        assert b"424242" not in client.get(url).content, url


@pytest.mark.parametrize(
    "slugs",
    [
        "django-vs-nope",  # unknown
        "flask-vs-flask",  # repeated
        "flask",  # fewer than two
        "a-vs-b-vs-c-vs-d-vs-e",  # more than four
        "django-vs-",  # empty part
        "django-vs-flask-vs-django",  # repeated among three
    ],
)
def test_bad_sets_answer_404_not_500(client, catalogue, slugs):
    for fmt in ("csv", "json"):
        response = client.get(f"/compare/{slugs}/figures.{fmt}")
        assert response.status_code == 404
        assert "No such comparison" in response.content.decode()


@pytest.mark.parametrize(
    "url", ["/frameworks/nope/figures.csv", "/frameworks/flask/figures.xml", "/compare/django-vs-flask/figures.txt"]
)
def test_unknown_downloads_answer_404(client, catalogue, url):
    assert client.get(url).status_code == 404


def test_figures_waiting_for_review_are_in_no_download(client, catalogue):
    for status, value in ((ReviewItem.Status.WAITING, 987654321), (ReviewItem.Status.REJECTED, 876543219)):
        ReviewItem.objects.create(
            framework=catalogue["flask"],
            kind=ReviewItem.Kind.FIGURE,
            metric=catalogue["stars"],
            field="github-stars",
            current="61203",
            proposed=str(value),
            value=value,
            as_of=date(2020, 4, 1),
            source="github",
            source_name="GitHub",
            source_url="https://github.com/pallets/flask",
            collected_at=COLLECTED_AT,
            reason=ReviewItem.Reason.JUMP,
            status=status,
        )
    for url in DOWNLOADS:
        body = client.get(url).content
        assert b"987654321" not in body and b"876543219" not in body, url
        assert b"2020-04-01" not in body, url
    assert len(rows(client.get("/frameworks/flask/figures.csv"))) == 4


# --- How they answer ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_compare_download_in_another_order_redirects_to_the_canonical_one(client, catalogue, fmt):
    response = client.get(f"/compare/flask-vs-django/figures.{fmt}")
    assert response.status_code == 301
    assert response["Location"] == f"/compare/django-vs-flask/figures.{fmt}"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize("url", DOWNLOADS)
def test_downloads_are_open_cached_and_read_only(client, catalogue, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cache-Control"] == "public, max-age=0, must-revalidate"
    etag = response["ETag"]
    assert etag
    again = client.get(url)
    assert again.content == response.content and again["ETag"] == etag  # nothing changes per request
    not_modified = client.get(url, headers={"If-None-Match": etag})
    assert not_modified.status_code == 304
    head = client.head(url)
    assert head.status_code == 200 and head["Access-Control-Allow-Origin"] == "*"
    for method in (client.post, client.put, client.delete):
        assert method(url).status_code == 405


def test_a_new_figure_changes_the_download_and_its_etag(client, catalogue):
    url = "/frameworks/flask/figures.csv"
    before = client.get(url)
    make_measurement(catalogue["flask"], catalogue["stars"], 62000, date(2020, 4, 1))
    after = client.get(url)
    assert after["ETag"] != before["ETag"]
    assert "62000" in after.content.decode()
    assert client.get(url, headers={"If-None-Match": before["ETag"]}).status_code == 200


@pytest.mark.parametrize("history_rows", [2, 50])
@pytest.mark.parametrize("url", DOWNLOADS)
def test_downloads_run_a_fixed_number_of_queries(client, django_assert_num_queries, url, history_rows):
    flask, django = make_framework(name="Flask", slug="flask"), make_framework(name="Django", slug="django")
    metrics = [make_metric(), make_metric()]
    start = date(2015, 1, 1)
    for n in range(history_rows):
        for fw in (flask, django):
            make_measurement(fw, metrics[n % 2], n, start + timedelta(days=n))
    with django_assert_num_queries(DOWNLOAD_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("flask") >= history_rows


# --- Where readers find them ----------------------------------------------------------------------------------------


def test_framework_page_links_its_downloads(client, catalogue):
    html = client.get("/frameworks/flask/").content.decode()
    csv_url = reverse("frameworks:figures-csv", kwargs={"slug": "flask"})
    json_url = reverse("frameworks:figures-json", kwargs={"slug": "flask"})
    assert f'<a href="{csv_url}" download>Download all figures as CSV</a>' in html
    assert f'<a href="{json_url}" download>Download all figures as JSON</a>' in html


def test_compare_page_links_its_downloads(client, catalogue):
    html = client.get("/compare/django-vs-flask/").content.decode()
    assert '<a href="/compare/django-vs-flask/figures.csv" download>Download all figures as CSV</a>' in html
    assert '<a href="/compare/django-vs-flask/figures.json" download>Download all figures as JSON</a>' in html


def test_pages_without_figures_offer_no_download(client):
    make_framework(name="Bare", slug="bare")
    make_framework(name="Empty", slug="empty")
    assert "figures.csv" not in client.get("/frameworks/bare/").content.decode()
    assert "figures.csv" not in client.get("/compare/bare-vs-empty/").content.decode()


def test_scripts_on_other_sites_may_preflight_and_read_the_etag(client, catalogue):
    preflight = client.options("/frameworks/flask/figures.csv", HTTP_ORIGIN="https://elsewhere.example")
    assert preflight.status_code == 204 and preflight["Access-Control-Allow-Origin"] == "*"
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]
    response = client.get("/compare/django-vs-flask/figures.json")
    assert "ETag" in response["Access-Control-Expose-Headers"]
