"""The open data API answers with the data the pages show, and only what readers may see."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from articles.models import Article, Section
from frameworks.models import Adoption, Capability, Organization, ReviewItem, Support
from tests.factories import make_article, make_framework, make_measurement, make_metric, make_section

pytestmark = pytest.mark.django_db

API = "/api/v1"


def get(client, url, status=200, **headers):
    response = client.get(url, **headers)
    assert response.status_code == status, (url, response.status_code, response.content[:500])
    return response


@pytest.fixture
def catalogue(db):
    stars = make_metric(name="GitHub stars", slug="github-stars", position=1)
    latency = make_metric(
        name="Latency", slug="latency", unit="ms", decimal_places=2, higher_is_better=False, position=2
    )
    flask = make_framework(
        name="Flask", slug="flask", language="Python", license="BSD-3-Clause", github_repo="pallets/flask"
    )
    django = make_framework(name="Django", slug="django", language="Python", license="BSD-3-Clause", year_created=2005)
    make_measurement(flask, stars, 45761, date(2019, 8, 1))
    make_measurement(flask, stars, 61203, date(2026, 11, 1), collector="github", collected_at=timezone.now())
    make_measurement(django, stars, 43221, date(2019, 8, 1))
    make_measurement(
        flask, latency, "12.50", date(2026, 11, 1), source_name="Benchmarks", source_url="https://example.com/b"
    )
    admin = Capability.objects.create(name="Admin interface", slug="admin")
    Support.objects.create(framework=django, capability=admin, level=Support.Level.BUILT_IN)
    Support.objects.create(framework=flask, capability=admin, level=Support.Level.THIRD_PARTY, package="Flask-Admin")
    org = Organization.objects.create(name="Pinterest", slug="pinterest")
    Adoption.objects.create(organization=org, framework=flask)
    guide = make_article([django, flask], title="Flask vs Django", slug="flask-vs-django")
    make_section(guide, Section.Kind.PROSE, heading="Origins", body="Flask began as an **April Fool's** joke.")
    make_section(guide, Section.Kind.TABLE)
    make_section(guide, Section.Kind.MATRIX)
    make_section(guide, Section.Kind.CHART, metric=stars)
    make_section(guide, Section.Kind.PROFILE, framework=flask)
    make_section(guide, Section.Kind.QUOTE, body="Small is beautiful.", attribution="Someone")
    return {"stars": stars, "latency": latency, "flask": flask, "django": django, "guide": guide}


def test_framework_detail_has_facts_identifiers_figures_capabilities_and_adopters(client, catalogue):
    body = get(client, f"{API}/frameworks/flask").json()
    assert body["name"] == "Flask" and body["identifiers"]["github_repo"] == "pallets/flask"
    figures = {f["metric"]: f for f in body["figures"]}
    assert figures["github-stars"] | {"collected_at": None, "recorded_at": None} == {
        "framework": "flask",
        "metric": "github-stars",
        "value": 61203,
        "unit": "",
        "display": "61,203",
        "as_of": "2026-11-01",
        "source_name": "GitHub",
        "source_url": "https://github.com/example/example",
        "origin": "collected",
        "collected_from": "GitHub",
        "collected_at": None,
        "recorded_at": None,
        "note": "",
    }
    assert figures["latency"]["value"] == 12.5 and figures["latency"]["display"] == "12.50 ms"
    assert figures["latency"]["origin"] == "entered"
    assert body["capabilities"] == [
        {
            "capability": "admin",
            "name": "Admin interface",
            "level": "third_party",
            "level_label": "Third-party package",
            "package": "Flask-Admin",
            "package_url": "",
            "note": "",
        }
    ]
    assert body["adopters"][0]["relation"] == "uses"
    assert body["adopters"][0]["adoptions"][0]["organization"] == "Pinterest"
    assert body["downloads"]["csv_url"].endswith("/frameworks/flask/figures.csv")


def test_framework_list_filters_searches_sorts_and_pages(client, catalogue):
    body = get(client, f"{API}/frameworks").json()
    assert [fw["slug"] for fw in body["results"]] == ["django", "flask"]
    assert body | {"results": None} == {
        "count": 2,
        "page": 1,
        "pages": 1,
        "next": None,
        "previous": None,
        "results": None,
    }
    assert [fw["slug"] for fw in get(client, f"{API}/frameworks?sort=github-stars").json()["results"]] == [
        "flask",
        "django",
    ]
    assert [fw["slug"] for fw in get(client, f"{API}/frameworks?year_to=2006").json()["results"]] == ["django"]
    assert [
        fw["slug"] for fw in get(client, f"{API}/frameworks?capability=admin&level=built_in").json()["results"]
    ] == ["django"]
    assert [fw["slug"] for fw in get(client, f"{API}/frameworks?guide=yes").json()["results"]] == ["django", "flask"]


def test_framework_search_uses_the_full_text_index(client, catalogue):
    assert [fw["slug"] for fw in get(client, f"{API}/frameworks?q=fla").json()["results"]] == ["flask"]
    assert get(client, f"{API}/frameworks?q=zzzz").json()["count"] == 0
    assert "nothing to search" in get(client, f"{API}/frameworks?q=%21%21", 400).json()["message"]


def test_framework_list_pages_link_to_the_api(client, catalogue):
    for n in range(60):
        make_framework(name=f"Extra {n:02}", slug=f"extra-{n:02}")
    first = get(client, f"{API}/frameworks?q=extra").json()
    assert first["count"] == 60 and first["pages"] == 2 and len(first["results"]) == 50
    assert first["next"] == "http://testserver/api/v1/frameworks?page=2&q=extra"
    second = get(client, first["next"]).json()
    assert len(second["results"]) == 10 and second["previous"] == "http://testserver/api/v1/frameworks?q=extra"
    assert get(client, f"{API}/frameworks?page=9", 404).json()["message"] == "Page 9 does not exist: there are 2 pages."


def test_measurements_walk_the_whole_history_with_cursors(client, catalogue):
    stars, flask = catalogue["stars"], catalogue["flask"]
    for day in range(30):
        make_measurement(flask, stars, 50000 + day, date(2025, 1, 1) + timedelta(days=day))
    seen, url = [], f"{API}/measurements?framework=flask&metric=github-stars&limit=7"
    while url:
        page = get(client, url).json()
        seen += [(row["as_of"], row["value"]) for row in page["results"]]
        url = page["next"]
    assert len(seen) == 32 and seen == sorted(seen)
    assert seen[0] == ("2019-08-01", 45761) and seen[-1] == ("2026-11-01", 61203)


def test_measurements_filter_by_dates(client, catalogue):
    rows = get(client, f"{API}/measurements?since=2026-01-01&until=2026-12-31").json()["results"]
    assert {(r["framework"], r["metric"]) for r in rows} == {("flask", "github-stars"), ("flask", "latency")}
    assert "after" in get(client, f"{API}/measurements?since=2026-01-02&until=2026-01-01", 400).json()["message"]
    assert get(client, f"{API}/measurements?framework=nope", 400).json()["message"].startswith("No published framework")
    assert "cursor" in get(client, f"{API}/measurements?cursor=bm9wZQ", 400).json()["message"]


def test_metrics(client, catalogue):
    body = get(client, f"{API}/metrics").json()
    assert [m["slug"] for m in body] == ["github-stars", "latency"]
    assert body[1]["higher_is_better"] is False and body[1]["unit"] == "ms"


def test_guide_detail_gives_sections_as_data(client, catalogue):
    body = get(client, f"{API}/guides/flask-vs-django").json()
    assert body["frameworks"] == ["django", "flask"]
    kinds = [s["kind"] for s in body["sections"]]
    assert kinds == ["prose", "table", "matrix", "chart", "profile", "quote"]
    prose, table, matrix, chart, profile, quote = body["sections"]
    assert (
        prose["html"] == "<p>Flask began as an <strong>April Fool's</strong> joke.</p>"
        and prose["heading"] == "Origins"
    )
    stars = next(row for row in table["rows"] if row["metric"] == "github-stars")
    assert [(c["framework"], c["figure"]["value"], c["is_best"]) for c in stars["cells"]] == [
        ("django", 43221, False),
        ("flask", 61203, True),
    ]
    assert [c["support"]["level"] for c in matrix["rows"][0]["cells"]] == ["built_in", "third_party"]
    flask_series = next(s for s in chart["series"] if s["framework"] == "flask")
    assert flask_series["points"] == [{"as_of": "2019-08-01", "value": 45761}, {"as_of": "2026-11-01", "value": 61203}]
    assert profile["framework"]["slug"] == "flask" and profile["adopters"][0]["organization"] == "Pinterest"
    assert quote["text"] == "Small is beautiful." and quote["attribution"] == "Someone"
    assert body["changes_feed"].endswith("/guides/flask-vs-django/changes.atom")


def test_guide_prose_is_sanitised(client, catalogue):
    make_section(catalogue["guide"], Section.Kind.PROSE, body='<script>alert(1)</script><a href="javascript:x">y</a>')
    html = get(client, f"{API}/guides/flask-vs-django").json()["sections"][-1]["html"]
    assert "<script" not in html and "javascript:" not in html


def test_compare_mirrors_the_compare_page_and_redirects_to_the_canonical_order(client, catalogue):
    body = get(client, f"{API}/compare/django-vs-flask").json()
    assert body["title"] == "Django vs Flask" and [fw["slug"] for fw in body["frameworks"]] == ["django", "flask"]
    assert [row["metric"] for row in body["metrics"]] == ["github-stars", "latency"]
    assert body["guides"][0]["slug"] == "flask-vs-django" and body["guides_total"] == 1
    assert body["downloads"]["json_url"].endswith("/compare/django-vs-flask/figures.json")
    response = get(client, f"{API}/compare/flask-vs-django", 301)
    assert response["Location"] == f"{API}/compare/django-vs-flask"
    for bad in ("flask", "flask-vs-flask", "flask-vs-nope", "a-vs-b-vs-c-vs-d-vs-e"):
        assert get(client, f"{API}/compare/{bad}", 404).json()["message"] == (
            "No such comparison: name 2 to 4 different published frameworks."
        )


def test_repeat_request_with_its_etag_answers_304(client, catalogue):
    for url in (f"{API}/frameworks", f"{API}/frameworks/flask", f"{API}/guides/flask-vs-django", f"{API}/openapi.json"):
        first = get(client, url)
        assert first["ETag"] and "public" in first["Cache-Control"]
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304 and again.content == b""
        assert again["Access-Control-Allow-Origin"] == "*"


def test_anonymous_answers_come_from_the_page_cache(client, catalogue, settings, django_assert_num_queries):
    settings.PAGE_CACHE_ENABLED = True
    first = get(client, f"{API}/compare/django-vs-flask")
    with django_assert_num_queries(0):
        assert get(client, f"{API}/compare/django-vs-flask").content == first.content


def test_cors_is_open_without_credentials(client, catalogue):
    response = get(client, f"{API}/metrics", HTTP_ORIGIN="https://elsewhere.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options(f"{API}/metrics", HTTP_ORIGIN="https://elsewhere.example")
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]


@pytest.mark.parametrize(
    ("method", "url", "status", "words"),
    [
        ("get", f"{API}/nothing-here", 404, "nothing at this address"),
        ("get", f"{API}/frameworks/nope", 404, "Nothing published"),
        ("post", f"{API}/frameworks", 405, "read-only"),
        ("delete", f"{API}/frameworks/flask", 405, "read-only"),
        ("get", f"{API}/frameworks?page=abc", 400, "page"),
        ("get", f"{API}/frameworks?language=Cobol", 400, "Cobol"),
        ("get", f"{API}/frameworks?year_from=3000", 400, "year_from"),
        ("get", f"{API}/frameworks?" + "x=1&" * 40, 400, "query parameters"),
        ("get", f"{API}/measurements?limit=501", 400, "limit"),
        ("get", f"{API}/measurements?since=yesterday", 400, "since"),
        ("get", f"{API}/guides?topic=nope", 400, "not a topic"),
    ],
)
def test_errors_are_json_with_a_message(client, catalogue, method, url, status, words):
    response = getattr(client, method)(url)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["status"] == status and words in body["message"]


def test_head_answers_like_get_without_a_body(client, catalogue, settings):
    for cached in (False, True):
        settings.PAGE_CACHE_ENABLED = cached
        for path in ("/frameworks/flask", "/metrics", "/measurements", "/guides", "/compare/django-vs-flask"):
            got, head = client.get(API + path), client.head(API + path)
            assert head.status_code == 200 and head.content == b"", path
            assert head["ETag"] == got["ETag"] and head["Content-Type"] == got["Content-Type"]


def test_addresses_with_a_trailing_slash_redirect_to_the_api_spelling(client, catalogue):
    response = get(client, f"{API}/frameworks/flask/?x=1", 301)
    assert response["Location"] == f"{API}/frameworks/flask?x=1"
    assert get(client, f"{API}/metrics/", 301)["Location"] == f"{API}/metrics"
    assert get(client, f"{API}/nothing/", 404).json()["status"] == 404
    assert get(client, "/api", 404)["Content-Type"].startswith("application/json")


def test_index_and_docs(client, catalogue):
    index = get(client, f"{API}/").json()
    assert index["openapi"] == "http://testserver/api/v1/openapi.json"
    html = get(client, f"{API}/docs/").content.decode()
    assert "<script" not in html.split("</head>")[1]
    for path in ("/api/v1/frameworks", "/api/v1/measurements", "/api/v1/compare/{slugs}", "FigureOut"):
        assert path in html
    assert 'href="/api/v1/guides/flask-vs-django"' in html and 'href="/api/v1/compare/django-vs-flask"' in html
    assert "FrameworkFilters" not in html and "`" not in html
    assert 'href="#schema-metricout"' in html and 'id="schema-metricout"' in html


@pytest.fixture
def hidden(catalogue):
    """Everything a reader must never see, each named with the word SECRET."""
    stars = catalogue["stars"]
    secret_fw = make_framework(name="SECRET framework", slug="secret-fw", is_published=False)
    make_measurement(secret_fw, stars, 999999, date(2026, 1, 1), source_name="SECRET source")
    make_article(
        [catalogue["flask"], secret_fw], title="SECRET draft", slug="secret-draft", status=Article.Status.DRAFT
    )
    make_article(
        [catalogue["flask"]],
        title="SECRET scheduled",
        slug="secret-scheduled",
        publish_at=timezone.now() + timedelta(days=3),
    )
    ReviewItem.objects.create(
        framework=catalogue["flask"],
        kind=ReviewItem.Kind.FIGURE,
        metric=stars,
        proposed="777777",
        value=777777,
        as_of=date(2026, 11, 20),
        source="github",
        source_name="SECRET review",
        source_url="https://example.com/secret",
        reason=ReviewItem.Reason.FALL,
        explanation="SECRET fall",
        collected_at=timezone.now(),
    )
    # A live guide naming the hidden framework, with a profile of it: the guide shows, the framework never.
    live = make_article([catalogue["django"], secret_fw], title="Live guide", slug="live-guide")
    make_section(live, Section.Kind.PROFILE, framework=secret_fw)
    make_section(live, Section.Kind.TABLE)
    Adoption.objects.create(
        organization=Organization.objects.create(name="Acme", slug="acme"),
        framework=catalogue["django"],
        relation=Adoption.Relation.MIGRATED_FROM,
        other_framework=secret_fw,
    )
    return secret_fw


ENDPOINTS = [
    "/",
    "/frameworks",
    "/frameworks?sort=github-stars",
    "/frameworks?q=secret",
    "/frameworks/django",
    "/frameworks/flask",
    "/metrics",
    "/measurements",
    "/measurements?limit=500",
    "/measurements?framework=flask",
    "/guides",
    "/guides?framework=flask",
    "/guides/flask-vs-django",
    "/guides/live-guide",
    "/compare/django-vs-flask",
]


def test_nothing_unpublished_draft_scheduled_or_waiting_for_review_appears(client, hidden):
    for path in ENDPOINTS:
        body = get(client, API + path).content.decode()
        assert "SECRET" not in body and "secret-fw" not in body and "999999" not in body and "777777" not in body, path
    for path in (
        "/frameworks/secret-fw",
        "/guides/secret-draft",
        "/guides/secret-scheduled",
        "/compare/flask-vs-secret-fw",
    ):
        assert "SECRET" not in get(client, API + path, 404).content.decode()
    # An unpublished framework named as a filter is as unknown as a typo: the same 400.
    assert get(client, f"{API}/measurements?framework=secret-fw", 400).json() == (
        get(client, f"{API}/measurements?framework=no-such-fw", 400).json()
        | {"message": "No published framework has the slug “secret-fw”."}
    )
    live = get(client, f"{API}/guides/live-guide").json()
    assert live["frameworks"] == ["django"] and live["sections"][0]["framework"] is None


def test_the_schema_validates(client, catalogue):
    from openapi_spec_validator import validate

    schema = get(client, f"{API}/openapi.json").json()
    validate(schema)
    assert schema["openapi"].startswith("3.")
    operations = {op["operationId"] for methods in schema["paths"].values() for op in methods.values()}
    assert operations == {"frameworks", "framework", "metrics", "measurements", "guides", "guide", "compare"}
    for methods in schema["paths"].values():
        for op in methods.values():
            assert {"200", "304", "400", "429"} <= set(map(str, op["responses"]))


NASTY = ["\x00", "%00", "'; DROP TABLE x; --", "é" * 40, "\u202e", "../../etc/passwd", "-1", "1e9", "9" * 30, " "]


@pytest.mark.parametrize("value", NASTY)
def test_hostile_parameters_get_a_json_4xx_never_a_500(client, catalogue, value):
    from urllib.parse import quote

    urls = [
        f"{API}/{path}?{name}={quote(value)}"
        for path, names in (
            ("frameworks", ("q", "language", "license", "capability", "level", "guide", "year_from", "sort", "page")),
            ("measurements", ("framework", "metric", "since", "until", "cursor", "limit")),
            ("guides", ("topic", "framework", "page")),
        )
        for name in names
    ]
    urls += [f"{API}/{path}/{quote(value, safe='')}" for path in ("frameworks", "guides", "compare")]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 400, 404), (url, response.status_code)
        assert response["Content-Type"].startswith("application/json"), url
