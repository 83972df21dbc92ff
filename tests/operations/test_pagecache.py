"""Public pages come from the shared cache until content changes; readers get 304s."""

import time
from datetime import date, timedelta

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Category, Section
from frameworks.models import Framework, Metric
from pagecache import generation
from pagecache.decorators import public_page
from pagecache.middleware import is_shareable
from tests.factories import make_article, make_framework
from tests.synthetic import build_catalogue

pytestmark = pytest.mark.django_db

# The stamp file is how workers share the generation when the cache is
# process-local (the default); the Redis run of the suite must not skip that.
PROCESS_LOCAL = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pagecache-tests"}}

GUIDE = "/guides/flask-vs-django/"


def public_urls() -> list[str]:
    return [
        reverse("articles:home"),
        GUIDE,
        Category.objects.first().get_absolute_url(),
        reverse("frameworks:list"),
        Framework.objects.get(slug="flask").get_absolute_url(),
    ]


def get(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    return response, len(queries)


def test_repeat_request_is_served_from_cache_without_queries(client, seeded):
    for url in public_urls():
        first, first_queries = get(client, url)
        again, queries = get(client, url)
        assert first.status_code == again.status_code == 200
        assert first_queries > 0
        assert queries == 0, url
        assert again.content == first.content
        assert again["Content-Type"] == first["Content-Type"]


def test_every_public_page_answers_304_to_its_etag(client, seeded):
    for url in public_urls():
        first, _ = get(client, url)
        assert first["ETag"].startswith('"')
        assert "max-age=0" in first["Cache-Control"] and "public" in first["Cache-Control"]
        repeat, queries = get(client, url, if_none_match=first["ETag"])
        assert repeat.status_code == 304, url
        assert repeat.content == b""
        assert repeat["ETag"] == first["ETag"]
        assert queries == 0


def test_etag_is_stable_and_follows_the_content(client, seeded, settings):
    settings.PAGE_CACHE_ENABLED = False
    first, _ = get(client, GUIDE)
    assert get(client, GUIDE)[0]["ETag"] == first["ETag"]
    assert get(client, GUIDE, if_none_match=first["ETag"])[0].status_code == 304
    make_framework(name="Not in this guide")  # a new generation, the same bytes
    assert get(client, GUIDE)[0]["ETag"] == first["ETag"]
    Framework.objects.filter(slug="flask").update(tagline="A different line")
    generation.bump()
    changed, _ = get(client, GUIDE, if_none_match=first["ETag"])
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


def test_head_is_served_from_cache(client, seeded):
    full, _ = get(client, GUIDE)
    with CaptureQueriesContext(connection) as queries:
        head = client.head(GUIDE)
    assert head.status_code == 200
    assert head.content == b""
    assert head["ETag"] == full["ETag"]
    assert len(queries) == 0


def test_admin_edit_shows_on_the_next_public_request(admin_client_, seeded):
    reader = Client()
    category = Category.objects.first()
    assert get(reader, category.get_absolute_url())[1] > 0
    assert get(reader, category.get_absolute_url())[1] == 0
    response = admin_client_.post(
        reverse("admin:articles_category_change", args=[category.pk]),
        {"name": "Renamed by an editor", "slug": category.slug, "description": ""},
    )
    assert response.status_code == 302
    assert b"Renamed by an editor" in reader.get(category.get_absolute_url()).content


def test_section_edited_in_admin_shows_on_the_guide_at_once(admin_client_, seeded):
    reader = Client()
    section = Section.objects.filter(article__slug="flask-vs-django", kind=Section.Kind.PROSE).first()
    assert get(reader, GUIDE)[1] > 0
    assert get(reader, GUIDE)[1] == 0
    response = admin_client_.post(
        reverse("admin:articles_section_change", args=[section.pk]),
        {
            "article": section.article_id,
            "position": section.position,
            "kind": section.kind,
            "heading": section.heading,
            "body": "A sentence an editor has just written.",
            "attribution": "",
            "framework": "",
            "metric": "",
            "caption": "",
        },
    )
    assert response.status_code == 302
    assert b"A sentence an editor has just written." in reader.get(GUIDE).content


def test_new_figure_recorded_in_admin_shows_on_directory_and_framework(admin_client_, seeded):
    reader = Client()
    flask = Framework.objects.get(slug="flask")
    metric = Metric.objects.get(slug="github-stars")
    for url in (reverse("frameworks:list"), flask.get_absolute_url()):
        assert b"987,654" not in reader.get(url).content
    response = admin_client_.post(
        reverse("admin:frameworks_measurement_add"),
        {
            "framework": flask.pk,
            "metric": metric.pk,
            "value": "987654",
            "as_of": date.today().isoformat(),
            "source_name": "GitHub",
            "source_url": "https://github.com/pallets/flask",
            "note": "",
        },
    )
    assert response.status_code == 302
    for url in (reverse("frameworks:list"), flask.get_absolute_url()):
        assert b"987,654" in reader.get(url).content, url


def test_guide_published_by_admin_action_appears_at_once(admin_client_, seeded):
    reader = Client()
    draft = make_article(title="A fresh draft guide", slug="fresh-draft", status=Article.Status.DRAFT)
    assert b"A fresh draft guide" not in reader.get(reverse("articles:home")).content
    assert reader.get(draft.get_absolute_url()).status_code == 404
    response = admin_client_.post(
        reverse("admin:articles_article_changelist"), {"action": "publish_selected", "_selected_action": [draft.pk]}
    )
    assert response.status_code == 302
    assert b"A fresh draft guide" in reader.get(reverse("articles:home")).content
    assert reader.get(draft.get_absolute_url()).status_code == 200


def test_scheduled_guide_appears_when_its_time_comes_without_any_write(client, seeded):
    make_article(title="Scheduled for a moment", slug="soon", publish_at=timezone.now() + timedelta(seconds=0.6))
    home = reverse("articles:home")
    assert b"Scheduled for a moment" not in client.get(home).content
    assert get(client, home)[1] == 0  # cached while the guide is still ahead
    time.sleep(0.7)
    assert b"Scheduled for a moment" in client.get(home).content
    assert client.get("/guides/soon/").status_code == 200


def test_staff_bypass_the_cache_and_are_answered_privately(editor_client, seeded):
    reader = Client()
    reader.get(GUIDE)
    response, queries = get(editor_client, GUIDE)
    assert queries > 0
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert get(editor_client, GUIDE)[1] > 0


def test_staff_preview_is_never_cached_for_readers(editor_client, seeded):
    reader = Client()
    draft = make_article(title="Preview only", slug="preview-only", status=Article.Status.DRAFT)
    preview = editor_client.get(draft.get_absolute_url())
    assert preview.status_code == 200
    assert "no-store" in preview["Cache-Control"]
    assert reader.get(draft.get_absolute_url()).status_code == 404


def test_missing_pages_are_not_cached(client, seeded):
    assert client.get("/guides/not-yet/").status_code == 404
    assert get(client, "/guides/not-yet/")[1] > 0


def test_change_written_by_another_worker_is_seen(client, seeded, settings):
    """Workers share the generation through the stamp file, not process memory."""
    settings.CACHES = PROCESS_LOCAL
    generation.reset()
    get(client, GUIDE)
    assert get(client, GUIDE)[1] == 0
    settings.PAGE_CACHE_STAMP.write_text("written-by-another-worker -")
    assert get(client, GUIDE)[1] > 0


def test_shared_cache_holds_the_generation(client, seeded, settings, tmp_path):
    """With a cache that several servers share (Redis), the token lives in it."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": tmp_path / "c"}
    }
    directory = reverse("frameworks:list")
    get(client, directory)
    assert get(client, directory)[1] == 0
    assert generation.page_cache().get(generation.CACHE_KEY)
    stamp = settings.PAGE_CACHE_STAMP
    file_stamp = stamp.read_text() if stamp.exists() else None
    make_framework(name="Added on another server")
    assert (stamp.read_text() if stamp.exists() else None) == file_stamp
    assert b"Added on another server" in client.get(directory).content


def test_commit_starts_a_new_generation(django_capture_on_commit_callbacks, seeded):
    before = generation.current()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        Framework.objects.get(slug="flask").save()
        during = generation.current()
    assert during != before
    assert callbacks
    assert generation.current() != during


def test_catalogue_size_does_not_change_cached_cost(client, seeded):
    build_catalogue(Framework.objects.count() + 50)
    get(client, reverse("frameworks:list"))
    assert get(client, reverse("frameworks:list"))[1] == 0


@pytest.mark.parametrize(
    "change",
    [
        lambda r: r.set_cookie("csrftoken", "x"),
        lambda r: r.__setitem__("Cache-Control", "private"),
        lambda r: r.__setitem__("Cache-Control", "no-store"),
        lambda r: r.__setitem__("Vary", "Accept-Language"),
        lambda r: r.__setitem__("Content-Security-Policy", "script-src 'nonce-abc123'"),
        lambda r: setattr(r, "status_code", 302),
    ],
    ids=["cookie", "private", "no-store", "vary-language", "csp-nonce", "redirect"],
)
def test_responses_that_must_not_be_shared(change):
    response = HttpResponse(b"page")
    assert is_shareable(response)
    change(response)
    assert not is_shareable(response)


def test_public_page_decorator_marks_callable_instances(rf):
    class Feed:
        def __call__(self, request):
            return HttpResponse(b"<rss/>", content_type="application/rss+xml")

    response = public_page(Feed())(rf.get("/feeds/guides.rss"))
    assert response._public_page is True


def test_concurrent_misses_of_one_page_render_it_once():
    from concurrent.futures import ThreadPoolExecutor
    from threading import Event

    from pagecache.middleware import _one_render_per_page

    release, order = Event(), []

    def request(n):
        with _one_render_per_page("page") as leader:
            if leader:
                release.wait(5)
            order.append((n, leader))

    with ThreadPoolExecutor(4) as pool:
        futures = [pool.submit(request, n) for n in range(4)]
        time.sleep(0.2)
        assert order == []  # the followers wait for the leader
        release.set()
        for f in futures:
            f.result()
    assert [leader for _, leader in order].count(True) == 1
    assert order[0][1] is True


def test_pages_are_gzipped_once_for_clients_that_accept_it(client, seeded):
    import gzip

    plain, _ = get(client, GUIDE)
    packed, queries = get(client, GUIDE, accept_encoding="gzip, deflate, br")
    assert queries > 0  # its own variant, rendered once
    assert packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.content) == plain.content
    assert int(packed["Content-Length"]) == len(packed.content) < len(plain.content) / 2
    assert "Accept-Encoding" in packed["Vary"] and "Accept-Encoding" in plain["Vary"]
    assert packed["ETag"] != plain["ETag"]
    again, queries = get(client, GUIDE, accept_encoding="gzip")
    assert queries == 0 and again.content == packed.content
    assert get(client, GUIDE, accept_encoding="gzip", if_none_match=packed["ETag"])[0].status_code == 304
    assert "Content-Encoding" not in get(client, GUIDE)[0]


def test_a_broken_stamp_costs_speed_not_the_page(client, seeded, settings, tmp_path, caplog):
    settings.CACHES = PROCESS_LOCAL
    settings.PAGE_CACHE_STAMP = tmp_path / "not-a-directory" / "stamp"
    (tmp_path / "not-a-directory").write_text("a file where a directory should be")
    response, queries = get(client, GUIDE)
    assert response.status_code == 200 and queries > 0
    assert "Page cache unavailable" in caplog.text


def test_a_restart_invalidates_a_shared_cache(seeded, settings, tmp_path):
    """Pages rendered by the previous deploy's code are not served by the new one."""
    from pagecache.middleware import PageCacheMiddleware

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": tmp_path / "c"}
    }
    before = generation.current()
    PageCacheMiddleware(lambda request: HttpResponse())
    assert generation.current() != before
