"""Embeds: a metric's chart for 1 to 4 frameworks and a framework's badge, as SVG other sites can show.

Each test that fetches a seeded embed checks it parses as XML and says what the pages say.
"""

import re
import xml.etree.ElementTree as ET
from datetime import date
from html import unescape

import pytest
from django.utils import timezone
from django.utils.html import escape

from comparisons.embeds import compact, fit, text_width
from frameworks.models import Framework, Metric, ReviewItem
from frameworks.services import record_measurements
from tests.factories import make_framework, make_measurement, make_metric
from tests.synthetic import build_catalogue

pytestmark = pytest.mark.django_db

SVG_NS = "{http://www.w3.org/2000/svg}"
CHART = "/embed/github-stars/django-vs-flask.svg"
BADGE = "/badge/flask/github-stars.svg"
CHART_QUERIES = 5  # frameworks, metric; load_board: metrics, current figures, the metric's history
BADGE_QUERIES = 3  # framework, metric, its current figure


@pytest.fixture
def history(seeded):
    """The seed's figures (1 Aug 2019) plus a later round on GitHub stars, so the chart draws lines."""
    stars = Metric.objects.get(slug="github-stars")
    for slug, value in (("flask", 61234), ("django", 60300)):
        record_measurements(
            framework=Framework.objects.get(slug=slug),
            values={stars: value},
            as_of=date(2020, 3, 1),
            source_name="GitHub",
            source_url="https://github.com/example/example",
        )


def svg(response) -> ET.Element:
    root = ET.fromstring(response.content)
    assert root.tag == f"{SVG_NS}svg"
    return root


def texts(root: ET.Element) -> str:
    """Every text the SVG shows or names, joined."""
    return " ".join("".join(el.itertext()) for el in root.iter() if el.tag in (f"{SVG_NS}text", f"{SVG_NS}title"))


def assert_embeddable(response):
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "X-Frame-Options" not in response
    assert response["Cache-Control"] == "public, max-age=3600"
    assert response["ETag"]


# --- What they show ---------------------------------------------------------------------------------------------


def test_chart_is_an_svg_document_of_the_metrics_history(client, history):
    response = client.get(CHART)
    assert response.status_code == 200
    assert_embeddable(response)
    root = svg(response)
    assert (root.get("width"), root.get("height"), root.get("role")) == ("672", root.get("height"), "img")
    assert root.get("viewBox") == f"0 0 672 {root.get('height')}"
    shown = texts(root)
    for words in (
        "GitHub stars",
        "Django vs Flask",
        "Django",
        "Flask",
        "61.2k",
        "60.3k",
        "newest figure 1 Mar 2020",
        "Source: GitHub",
        "compare_site",
        "testserver/compare/django-vs-flask/",
    ):
        assert words in shown, words
    # The drawing itself is the one the pages draw, nested: a line and a marker per figure.
    nested = root.find(f"{SVG_NS}svg")
    assert nested.get("class") == "chart-wide" and nested.get("width") == "640"
    assert len(nested.findall(f".//{SVG_NS}path[@class='marker']")) == 4
    assert root.find(f"{SVG_NS}title").text == (
        "GitHub stars over time: Django 60,300 as of 1 Mar 2020, Flask 61,234 as of 1 Mar 2020."
    )
    # Presentation attributes only: nothing for a default-src 'none' policy to block.
    assert b"style" not in response.content and b"<script" not in response.content


def test_narrow_chart_nests_the_narrow_drawing(client, history):
    root = svg(client.get(CHART + "?size=narrow"))
    assert root.get("width") == "392"
    assert root.find(f"{SVG_NS}svg").get("class") == "chart-narrow"


def test_chart_of_one_framework(client, history):
    response = client.get("/embed/github-stars/flask.svg")
    assert response.status_code == 200
    shown = texts(svg(response))
    assert "Flask 61.2k" in shown and "Django" not in shown
    assert "testserver/frameworks/flask/" in shown


def test_four_frameworks_wrap_their_legend_within_the_width(client):
    names = ["Alpha Framework With A Long Name", "Bravo", "Charlie Is Also Rather Long", "Delta"]
    stars = make_metric(name="Stars", slug="stars")
    for n, name in enumerate(names):
        fw = make_framework(name=name, slug=name.split()[0].lower())
        make_measurement(fw, stars, 100 * (n + 1), date(2020, 1, 1))
        make_measurement(fw, stars, 150 * (n + 1), date(2020, 3, 1))
    root = svg(client.get("/embed/stars/alpha-vs-bravo-vs-charlie-vs-delta.svg?size=narrow"))
    width = int(root.get("width"))
    legend = root.findall(f"{SVG_NS}g[@class='legend']")
    assert len(legend) == 4
    rows = {g.get("transform").split()[1] for g in legend}
    assert len(rows) > 1  # wrapped
    for g in legend:
        x = float(g.get("transform")[len("translate(") :].split()[0])
        assert x + 30 + text_width(g.find(f"{SVG_NS}text").text, 13) <= width - 16


def test_a_metric_measured_once_shows_values_and_dates_as_text(client, seeded):
    response = client.get("/embed/used-by/django-vs-flask.svg")
    assert response.status_code == 200
    root = svg(response)
    assert root.find(f"{SVG_NS}svg") is None  # no drawing
    shown = texts(root)
    assert "One figure each so far" in shown
    assert "as of 1 Aug 2019" in shown
    assert re.search(r"\d[\d,]* projects", shown)


def test_a_metric_with_no_figures_is_a_small_image_saying_so(client, seeded):
    make_metric(name="Discord members", slug="discord-members")
    response = client.get("/embed/discord-members/django-vs-flask.svg")
    assert response.status_code == 200
    assert_embeddable(response)
    root = svg(response)
    assert "No figures recorded yet" in texts(root)
    assert int(root.get("height")) < 200
    badge = client.get("/badge/flask/discord-members.svg")
    assert badge.status_code == 200
    assert "no figures yet" in texts(svg(badge))


def test_badge_shows_the_current_figure_and_its_month(client, history):
    response = client.get(BADGE)
    assert response.status_code == 200
    assert_embeddable(response)
    root = svg(response)
    assert root.get("height") == "20"
    assert root.get("aria-label") == "GitHub stars: 61.2k · Mar 2020"
    assert root.find(f"{SVG_NS}title").text == "Flask: GitHub stars 61,234 as of 1 Mar 2020 (compare_site)"
    rects = root.findall(f".//{SVG_NS}g/{SVG_NS}rect")
    label, value = int(rects[0].get("width")), int(rects[1].get("width"))
    assert label + value == int(root.get("width"))
    assert label >= text_width("GitHub stars", 11) + 12 and value >= text_width("61.2k · Mar 2020", 11) + 12


def test_figures_waiting_for_review_are_not_shown(client, history):
    flask, stars = Framework.objects.get(slug="flask"), Metric.objects.get(slug="github-stars")
    ReviewItem.objects.create(
        framework=flask,
        kind="figure",
        metric=stars,
        field=stars.slug,
        proposed="999,999",
        value=999999,
        as_of=timezone.localdate(),
        source="github",
        source_name="GitHub",
        source_url="https://github.com/pallets/flask",
        collected_at=timezone.now(),
        reason="jump",
        explanation="Jumped.",
    )
    assert "61.2k" in texts(svg(client.get(BADGE)))
    shown = texts(svg(client.get(CHART)))
    assert "1M" not in shown and "999" not in shown


def test_values_are_compact_and_texts_fit():
    stars = Metric(name="Stars", decimal_places=0)
    latency = Metric(name="Latency", unit="ms", decimal_places=2)
    assert [compact(stars, v) for v in (61234, 999, 999_950, 1_500_000, 0)] == ["61.2k", "999", "1M", "1.5M", "0"]
    assert compact(latency, 12.3456) == "12.35 ms"
    assert fit("Short", 13, 200) == "Short"
    cut = fit("A framework with a very long name indeed", 13, 120)
    assert cut.endswith("…") and text_width(cut, 13) <= 120


# --- Bad addresses --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/embed/no-such-metric/django-vs-flask.svg",  # unknown metric
        "/embed/github-stars/django-vs-nope.svg",  # unknown framework
        "/embed/github-stars/nope.svg",
        "/embed/github-stars/flask-vs-flask.svg",  # repeated
        "/embed/github-stars/django-vs-flask-vs-django.svg",
        "/embed/github-stars/a-vs-b-vs-c-vs-d-vs-e.svg",  # more than four
        "/embed/github-stars/django-vs-.svg",  # empty part
        "/embed/github-stars/-vs-flask.svg",
        "/embed/github-stars/fl%40sk.svg",  # not a slug
        "/embed/github-stars/django-vs-flask.png",
        "/embed/github-stars/django-vs-flask",
        "/badge/nope/github-stars.svg",
        "/badge/flask/nope.svg",
        "/badge/flask.svg",
        "/badge/flask/github-stars/extra.svg",
    ],
)
def test_bad_addresses_answer_404(client, seeded, path):
    assert client.get(path).status_code == 404


def test_unpublished_frameworks_have_no_embeds(client, seeded):
    make_framework(name="Hidden", slug="hidden", is_published=False)
    stars = Metric.objects.get(slug="github-stars")
    make_measurement(Framework.objects.get(slug="hidden"), stars, 5)
    assert client.get("/embed/github-stars/hidden.svg").status_code == 404
    assert client.get("/embed/github-stars/django-vs-hidden.svg").status_code == 404
    assert client.get("/badge/hidden/github-stars.svg").status_code == 404


def test_other_orders_redirect_once_to_the_canonical_order(client, history):
    response = client.get("/embed/github-stars/flask-vs-django.svg")
    assert response.status_code == 301
    assert response["Location"] == CHART
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"  # an <img> elsewhere may follow it
    narrow = client.get("/embed/github-stars/flask-vs-django.svg?size=narrow")
    assert narrow.status_code == 301 and narrow["Location"] == CHART + "?size=narrow"
    assert client.get("/embed/no-such-metric/flask-vs-django.svg").status_code == 404


def test_an_unknown_size_answers_400(client, seeded):
    response = client.get(CHART + "?size=huge")
    assert response.status_code == 400
    assert "size=narrow" in response.content.decode()


def test_only_get_and_head(client, seeded):
    assert client.post(BADGE).status_code == 405
    assert client.head(BADGE).status_code == 200


# --- Headers, caching, queries -------------------------------------------------------------------------------------


def test_headers_hold_from_the_page_cache_and_on_304(client, history):
    first = client.get(CHART)
    again = client.get(CHART)
    assert again.content == first.content
    assert_embeddable(again)
    not_modified = client.get(CHART, headers={"if-none-match": first["ETag"]})
    assert not_modified.status_code == 304
    assert not_modified["Cache-Control"] == "public, max-age=3600"


def test_normal_pages_keep_the_strict_headers(client, history):
    for path in ("/frameworks/flask/", "/compare/django-vs-flask/", "/"):
        response = client.get(path)
        assert response["Cross-Origin-Resource-Policy"] == "same-origin", path
        assert response["X-Frame-Options"] == "DENY", path
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"], path
        assert "max-age=0" in response["Cache-Control"], path


def test_a_reader_with_a_session_gets_a_private_copy(client, history, editor):
    client.force_login(editor)
    response = client.get(BADGE)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]


@pytest.mark.parametrize("size", [0, 80])
def test_query_counts_are_pinned(client, history, settings, django_assert_num_queries, size):
    paths = [CHART, BADGE]
    if size:
        synthetic = [fw.slug for fw in build_catalogue(size, dates=12).frameworks[:4]]
        paths = [f"/embed/p50-latency/{'-vs-'.join(synthetic)}.svg", f"/badge/{synthetic[0]}/p50-latency.svg"]
    settings.PAGE_CACHE_ENABLED = False
    with django_assert_num_queries(CHART_QUERIES):
        chart = client.get(paths[0])
    assert chart.status_code == 200 and b'class="chart-wide"' in chart.content
    with django_assert_num_queries(BADGE_QUERIES):
        assert client.get(paths[1]).status_code == 200


def test_a_new_figure_changes_the_embeds_at_once(client, history, django_capture_on_commit_callbacks):
    chart, badge = client.get(CHART), client.get(BADGE)
    assert client.get(BADGE, headers={"if-none-match": badge["ETag"]}).status_code == 304
    with django_capture_on_commit_callbacks(execute=True):  # the page cache starts a new generation on commit
        record_measurements(
            framework=Framework.objects.get(slug="flask"),
            values={Metric.objects.get(slug="github-stars"): 70500},
            as_of=date(2021, 3, 1),
            source_name="GitHub",
            source_url="https://github.com/example/example",
        )
    new_badge = client.get(BADGE, headers={"if-none-match": badge["ETag"]})
    assert new_badge.status_code == 200
    assert "70.5k · Mar 2021" in texts(svg(new_badge))
    new_chart = client.get(CHART)
    assert new_chart["ETag"] != chart["ETag"]
    assert "Flask 70.5k" in texts(svg(new_chart))


# --- "Embed this" on the pages ---------------------------------------------------------------------------------


def _block(html: str) -> str:
    match = re.search(r'<details class="embed" id="embed">.*?</details>', html, re.DOTALL)
    assert match, "no Embed this block"
    return match.group(0)


def _textareas(block: str) -> dict[str, str]:
    return {
        id_: unescape(body)
        for id_, body in re.findall(r'<textarea id="([^"]+)"[^>]*>(.*?)</textarea>', block, re.DOTALL)
    }


def test_compare_page_offers_its_chart_and_badges(client, history):
    block = _block(client.get("/compare/django-vs-flask/").content.decode())
    assert "<summary>Embed this on your site</summary>" in block
    code = _textareas(block)
    chart = code["embed-chart-code"]
    assert chart.startswith(
        '<a href="http://testserver/compare/django-vs-flask/"><img src="http://testserver' + CHART + '"'
    )
    # The snippet's size is the image's.
    root = svg(client.get(CHART))
    assert f'width="{root.get("width")}" height="{root.get("height")}"' in chart
    assert 'alt="GitHub stars over time: Django 60,300 as of 1 Mar 2020, Flask 61,234 as of 1 Mar 2020."' in chart
    assert code["embed-badge-code"].count("<img") == 2
    assert "http://testserver/badge/django/github-stars.svg" in code["embed-badge-code"]
    assert f'src="{CHART}"' in block and 'loading="lazy"' in block  # the preview, loaded when opened
    assert "http://testserver/embed/used-by/django-vs-flask.svg" in block  # the other metrics' charts


def test_framework_page_offers_a_badge_per_metric(client, history):
    block = _block(client.get("/frameworks/flask/").content.decode())
    code = _textareas(block)
    assert 'src="http://testserver/embed/github-stars/flask.svg"' in code["embed-chart-code"]
    badges = code["embed-badge-code"].splitlines()
    assert len(badges) == len(re.findall(r"/badge/flask/[\w-]+\.svg", code["embed-badge-code"])) > 1
    for line in badges:
        src = re.search(r'src="http://testserver([^"]+)"', line).group(1)
        root = svg(client.get(src))
        assert f'width="{root.get("width")}" height="20"' in line


def test_a_page_with_no_figures_offers_no_embed(client):
    make_framework(name="Bare", slug="bare")
    assert 'class="embed"' not in client.get("/frameworks/bare/").content.decode()


def test_hostile_names_stay_text(client):
    name = "Evil </text><script>alert(1)</script> & \"quoted\" 'single'"
    evil = make_framework(name=name, slug="evil")
    stars = make_metric(name="Stars <b>&</b>", slug="stars")
    make_measurement(evil, stars, 10, date(2020, 1, 1))
    make_measurement(evil, stars, 20, date(2020, 2, 1))
    for path in ("/embed/stars/evil.svg", "/badge/evil/stars.svg"):
        root = svg(client.get(path))
        assert not root.findall(f".//{SVG_NS}script") and b"<script" not in client.get(path).content
        assert name in texts(root) or name[:20] in texts(root)
    block = _block(client.get("/frameworks/evil/").content.decode())
    assert "<script" not in block
    assert (
        f'alt="Stars {escape("<b>&</b>")} over time: {escape(name)} 20 as of 1 Feb 2020."'
        in (_textareas(block)["embed-chart-code"])
    )
