"""Social cards: a 1200×630 PNG beside each public guide, framework and compare page, named in its og:image.

Each test that fetches a seeded card also saves it to build/screenshots/card-<kind>.png for a person to
look at.
"""

import io
import re
import socket
from datetime import date, timedelta
from decimal import Decimal
from html import unescape
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from articles.models import Article
from comparisons.cards import BOLD, TITLE_LINES, TITLE_SIZES, _font, _width, fit_text, render_png
from frameworks.models import Framework, Measurement, Metric
from frameworks.selectors import Figure, load_board
from frameworks.services import record_measurements
from frameworks.social import KeyFigure, SocialCard, comparison_card, framework_card
from tests.factories import make_article, make_framework, make_measurement, make_metric
from tests.hostile.corpus import CORPUS, LONG

pytestmark = pytest.mark.django_db

SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
MAX_BYTES = 150 * 1024

CARDS = {
    "guide": ("/guides/flask-vs-django/", "/cards/guides/flask-vs-django.png"),
    "framework": ("/frameworks/flask/", "/cards/frameworks/flask.png"),
    "compare": ("/compare/django-vs-flask/", "/cards/compare/django-vs-flask.png"),
}


def _image(response) -> Image.Image:
    image = Image.open(io.BytesIO(response.content))
    image.load()
    return image


def _meta(html: str) -> dict[str, str]:
    """The page's og: and twitter: tags, by property or name."""
    tags = re.findall(r'<meta (?:property|name)="((?:og|twitter):[^"]+)" content="([^"]*)">', html)
    return {key: unescape(value) for key, value in tags}


@pytest.mark.parametrize("kind", CARDS)
def test_card_is_a_png_of_1200_by_630_under_150_kb(client, seeded, kind):
    response = client.get(CARDS[kind][1])
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert len(response.content) < MAX_BYTES
    image = _image(response)
    assert image.format == "PNG"
    assert image.size == (1200, 630)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / f"card-{kind}.png").write_bytes(response.content)


@pytest.mark.parametrize("kind", CARDS)
def test_page_names_its_card_with_size_type_and_alt(client, seeded, kind):
    page, card = CARDS[kind]
    meta = _meta(client.get(page).content.decode())
    assert meta["og:image"] == "http://testserver" + card
    assert meta["og:image:type"] == "image/png"
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")
    assert meta["twitter:card"] == "summary_large_image"
    assert meta["twitter:image"] == meta["og:image"]
    assert meta["og:image:alt"] == meta["twitter:image:alt"]
    assert "45,761" in meta["og:image:alt"] and "as of 1 August 2019" in meta["og:image:alt"]
    image = _image(client.get(card))
    assert image.size == (int(meta["og:image:width"]), int(meta["og:image:height"]))


def test_alt_text_says_what_the_card_shows(client, seeded):
    guide = _meta(client.get(CARDS["guide"][0]).content.decode())["og:image:alt"]
    assert guide == (
        "Flask vs Django: how Python's two best-known web frameworks compare. "
        "GitHub stars: Flask 45,761 and Django 43,221, as of 1 August 2019."
    )
    compare = _meta(client.get(CARDS["compare"][0]).content.decode())["og:image:alt"]
    assert compare == "Django vs Flask. GitHub stars: Django 43,221 and Flask 45,761, as of 1 August 2019."
    flask = _meta(client.get(CARDS["framework"][0]).content.decode())["og:image:alt"]
    assert flask == (
        "Flask. GitHub stars 45,761, GitHub forks 12,870, Used by 300,700 projects "
        "and Stack Overflow questions 29,378, as of 1 August 2019."
    )


def test_other_pages_keep_the_small_summary_card(client, seeded):
    for path in ("/", "/frameworks/", "/guides/"):
        meta = _meta(client.get(path).content.decode())
        assert meta["twitter:card"] == "summary"
        assert "og:image" not in meta


def test_a_preview_names_no_card(editor_client, seeded):
    draft = make_article(title="A draft", status=Article.Status.DRAFT)
    html = editor_client.get(draft.get_absolute_url()).content.decode()
    assert "Preview" in html
    meta = _meta(html)
    assert "og:image" not in meta and meta["twitter:card"] == "summary"


def test_draft_and_scheduled_guides_have_no_card(client, seeded, editor_client):
    draft = make_article(title="A draft", status=Article.Status.DRAFT)
    scheduled = make_article(title="Later", publish_at=timezone.now() + timedelta(days=2))
    for guide in (draft, scheduled):
        assert client.get(reverse("cards:guide", kwargs={"slug": guide.slug})).status_code == 404
        # Not even for staff, who may preview the page itself: a card is only for sharing what is public.
        assert editor_client.get(reverse("cards:guide", kwargs={"slug": guide.slug})).status_code == 404


def test_unpublished_framework_has_no_card_alone_or_compared(client, seeded):
    make_framework(name="Hidden", slug="hidden", is_published=False)
    assert client.get("/cards/frameworks/hidden.png").status_code == 404
    assert client.get("/cards/compare/django-vs-hidden.png").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/cards/guides/no-such-guide.png",
        "/cards/frameworks/no-such-framework.png",
        "/cards/compare/django-vs-nope.png",  # unknown
        "/cards/compare/flask-vs-flask.png",  # repeated
        "/cards/compare/flask.png",  # fewer than two
        "/cards/compare/a-vs-b-vs-c-vs-d-vs-e.png",  # more than four
        "/cards/compare/django-vs-.png",  # empty part
        "/cards/guides/flask-vs-django.jpg",  # not a card's name
        "/cards/guides/flask-vs-django",
        "/cards/guides/flask%20vs.png",
        "/cards/frameworks/flask.png.png",
        "/cards/compare/django-vs-flask/",
    ],
)
def test_bad_card_addresses_answer_404(client, seeded, path):
    assert client.get(path).status_code == 404


def test_compare_card_redirects_to_the_canonical_order_like_its_page(client, seeded):
    response = client.get("/cards/compare/flask-vs-django.png")
    assert response.status_code == 301
    assert response["Location"] == "/cards/compare/django-vs-flask.png"


def test_card_is_cached_with_the_pages_and_answers_304(client, seeded):
    url = CARDS["guide"][1]
    first = client.get(url)
    assert first["ETag"].startswith('"')
    assert "public" in first["Cache-Control"] and "max-age=0" in first["Cache-Control"]
    assert "Content-Encoding" not in first  # a PNG is compressed already
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url)
        not_modified = client.get(url, headers={"if-none-match": first["ETag"]})
        head = client.head(url)
    assert len(queries) == 0
    assert again.content == first.content
    assert not_modified.status_code == 304
    assert head.status_code == 200 and head["ETag"] == first["ETag"] and head.content == b""


@pytest.mark.parametrize("kind", CARDS)
def test_a_new_figure_makes_a_new_card_and_alt(client, seeded, kind, django_capture_on_commit_callbacks):
    page, url = CARDS[kind]
    before, old_alt = client.get(url), _meta(client.get(page).content.decode())["og:image:alt"]
    assert client.get(url).content == before.content  # served from the cache until content changes
    with django_capture_on_commit_callbacks(execute=True):  # the page cache hears of it on commit
        record_measurements(
            framework=Framework.objects.get(slug="flask"),
            values={Metric.objects.get(slug="github-stars"): 61203},
            as_of=date(2019, 9, 2),
            source_name="GitHub",
            source_url="https://github.com/pallets/flask",
        )
    after, new_alt = client.get(url), _meta(client.get(page).content.decode())["og:image:alt"]
    assert after.status_code == 200
    assert after.content != before.content
    assert after["ETag"] != before["ETag"]
    assert "61,203" in new_alt and "61,203" not in old_alt
    assert "2 September 2019" in new_alt


def test_renaming_a_framework_renews_its_cards(client, seeded):
    before = client.get(CARDS["compare"][1]).content
    flask = Framework.objects.get(slug="flask")
    flask.name = "Flask (Pallets)"
    flask.save()
    assert client.get(CARDS["compare"][1]).content != before


def test_a_set_shows_the_metric_measured_for_most_of_them():
    a, b, c = (make_framework(name=n, slug=n.lower()) for n in ("Aaa", "Bbb", "Ccc"))
    sparse = make_metric(name="Sparse", slug="sparse", position=0)
    common = make_metric(name="Common", slug="common", position=1)
    make_measurement(a, sparse, 1)
    for fw, value in ((a, 10), (b, 30), (c, 20)):
        make_measurement(fw, common, value)
    card = comparison_card([a, b, c], load_board([a, b, c]))
    assert card.metric == common
    assert [(f.label, f.value, f.is_best) for f in card.figures] == [
        ("Aaa", "10", False),
        ("Bbb", "30", True),
        ("Ccc", "20", False),
    ]
    assert card.path == "/cards/compare/aaa-vs-bbb-vs-ccc.png"


def test_a_card_without_figures_still_draws_and_describes_itself():
    a, b = make_framework(name="Aaa", slug="aaa"), make_framework(name="Bbb", slug="bbb", tagline="")
    card = comparison_card([a, b], load_board([a, b]))
    assert card.figures == [] and card.alt == "Aaa vs Bbb. Compares Aaa and Bbb."
    assert Image.open(io.BytesIO(render_png(card))).size == (1200, 630)
    lone = framework_card(b, load_board([b]))
    assert lone.alt == "Bbb."
    assert Image.open(io.BytesIO(render_png(lone))).size == (1200, 630)


def test_a_guide_of_many_frameworks_shows_four_and_its_figures_dates(client):
    stars = make_metric(name="GitHub stars", slug="github-stars")
    frameworks = [make_framework(name=f"Framework Number {n}", slug=f"fw-{n}") for n in range(6)]
    for n, fw in enumerate(frameworks):
        make_measurement(fw, stars, 1000 * (n + 1), as_of=date(2024, 1, 1 + n))
    guide = make_article(frameworks, title="Six frameworks")
    meta = _meta(client.get(guide.get_absolute_url()).content.decode())
    assert meta["og:image:alt"].startswith(
        "Six frameworks. GitHub stars: Framework Number 0 1,000 (as of 1 January 2024)"
    )
    assert "Framework Number 4" not in meta["og:image:alt"]
    response = client.get(reverse("cards:guide", kwargs={"slug": guide.slug}))
    assert _image(response).size == (1200, 630) and len(response.content) < MAX_BYTES


def test_title_is_wrapped_between_words_and_shrunk_to_fit():
    title = "Flask vs Django: how Python's two best-known web frameworks compare"
    size, lines = fit_text(title, BOLD, TITLE_SIZES, 1056, 200, TITLE_LINES)
    assert " ".join(lines) == title  # every word, none cut
    assert size < TITLE_SIZES[0] and len(lines) > 1
    assert all(_width(line, _font(BOLD, size)) <= 1056 for line in lines)
    assert fit_text("Flask", BOLD, TITLE_SIZES, 1056, 200, TITLE_LINES) == (TITLE_SIZES[0], ["Flask"])


def test_an_absurdly_long_title_ends_in_an_ellipsis_after_a_whole_word():
    words = [f"word{n}" for n in range(200)]
    size, lines = fit_text(" ".join(words), BOLD, TITLE_SIZES, 1056, 1000, TITLE_LINES)
    assert size == TITLE_SIZES[-1] and len(lines) == TITLE_LINES
    assert lines[-1].endswith("…")
    shown = " ".join(lines)[:-1].split()
    assert shown == words[: len(shown)]  # whole words, in order, then the ellipsis
    assert all(_width(line, _font(BOLD, size)) <= 1056 for line in lines)
    one_word = fit_text("x" * 500, BOLD, TITLE_SIZES, 1056, 1000, TITLE_LINES)[1]
    assert len(one_word) == 1 and one_word[0].endswith("…")


def test_long_names_and_titles_stay_in_the_card(client):
    long_name = "A Framework With A Remarkably Long Name Indeed"
    a = make_framework(name=long_name, slug="long-a", tagline="A tagline " * 19)
    b = make_framework(name="B", slug="b")
    metric = make_metric(name="Latency", slug="latency", unit="ms", decimal_places=2, higher_is_better=False)
    make_measurement(a, metric, "123456789012.25")
    make_measurement(b, metric, "1.5")
    make_article([a, b], title="W" * 40 + " " + "and so on " * 16)
    for url in (
        reverse("cards:framework", kwargs={"slug": "long-a"}),
        reverse("cards:compare", kwargs={"slugs": "b-vs-long-a"}),
        reverse("cards:guide", kwargs={"slug": Article.objects.get().slug}),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert _image(response).size == (1200, 630) and len(response.content) < MAX_BYTES


def test_any_text_an_editor_can_store_draws_without_error():
    """The hostile corpus as titles, taglines, names, metrics and units (cut to their columns' lengths):
    line breaks, controls, bidi overrides and the like draw (raqm refuses a line break), still under 150 KB."""
    payloads = list(CORPUS) + list(LONG)
    for start in range(0, len(payloads), 4):
        chunk = (payloads[start : start + 4] * 4)[:4]
        frameworks = [Framework(pk=n + 1, name=text[:100], slug=f"fw-{n}") for n, text in enumerate(chunk)]
        metric = Metric(pk=1, name=chunk[1][:100], short_name=chunk[2][:40], unit=chunk[3][:30], decimal_places=2)
        figures = [
            KeyFigure(
                fw.name,
                fw.name,
                Figure(metric, Measurement(metric=metric, value=Decimal("1234.5"), as_of=date(2020, 1, 1))),
                fw,
            )
            for fw in frameworks
        ]
        card = SocialCard(
            kind=f"Framework · {chunk[2][:50]}",
            title=chunk[0][:200],
            subtitle=chunk[1][:200],
            path="/",
            figures=figures,
            frameworks=frameworks,
        )
        png = render_png(card)
        assert len(png) < MAX_BYTES and Image.open(io.BytesIO(png)).size == (1200, 630)
        assert card.alt


def test_drawing_needs_no_network(seeded, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a card must not reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    frameworks = list(Framework.objects.order_by("slug"))
    assert render_png(comparison_card(frameworks, load_board(frameworks))).startswith(b"\x89PNG")


# Query counts at 100 and 10,000 frameworks are pinned with the pages, in
# tests/performance/test_public_page_queries.py (one synthetic catalogue for all).
