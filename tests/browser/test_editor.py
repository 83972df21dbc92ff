"""In a real browser: an editor records a figure, edits a section, schedules then publishes a guide."""

import os
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.roles import editors_group
from tests.factories import make_article, make_section

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
sync_api = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long editor passphrase 42"


def saved_message(page, text):
    sync_api.expect(page.locator("ul.messagelist")).to_contain_text(text)


def test_editor_records_edits_schedules_and_publishes(live_server, browser, seeded):
    user = get_user_model().objects.create_user("eve", password=PASSWORD, is_staff=True)
    user.groups.add(editors_group())
    draft = make_article(title="Bottle vs Flask", slug="bottle-vs-flask", status=Article.Status.DRAFT)
    make_section(draft, heading="Why compare them")
    base = live_server.url
    page = browser.new_page()
    reader = browser.new_context().new_page()
    page.set_default_timeout(10_000)

    page.goto(base + reverse("admin:login"))
    page.fill("#id_username", "eve")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    assert page.locator("#stale-figures").count() == 1

    # Record a new Flask stars figure on the figures screen.
    page.goto(base + reverse("admin:frameworks_measurement_record"))
    page.get_by_label("GitHub stars").check()
    page.click("text=Show the frameworks")
    page.fill("#id_as_of", timezone.localdate().isoformat())
    # The seed's usual source of GitHub stars is pre-filled; give this round's own URL.
    assert page.get_by_label("Source of GitHub stars").input_value() == "GitHub"
    page.get_by_label("Source URL of GitHub stars").fill("https://github.com/pallets/flask")
    page.get_by_label("Flask: new GitHub stars").fill("67890")
    page.click("text=Save all figures")
    saved_message(page, "Recorded 1 figure(s)")

    # Edit a section of the seed guide.
    guide = Article.objects.get(slug="flask-vs-django")
    page.goto(base + reverse("admin:articles_article_change", args=[guide.pk]))
    page.click("#sections-0 summary")  # sections fold to a summary line
    page.fill("#id_sections-0-heading", "Edited in the browser")
    page.click("input[name=_save]")
    saved_message(page, "was changed successfully")

    # Schedule the draft for tomorrow: readers still cannot see it.
    change = base + reverse("admin:articles_article_change", args=[draft.pk])
    tomorrow = timezone.localtime() + timedelta(days=1)
    page.goto(change)
    page.select_option("#id_status", "published")
    page.fill("#id_publish_at_0", tomorrow.strftime("%Y-%m-%d"))
    page.fill("#id_publish_at_1", tomorrow.strftime("%H:%M:%S"))
    page.click("input[name=_save]")
    saved_message(page, "was changed successfully")
    assert reader.goto(base + draft.get_absolute_url()).status == 404
    feeds = [reverse("feeds:guides-rss"), reverse("feeds:guides-atom")]
    for feed in feeds:
        assert "Bottle vs Flask" not in reader.goto(base + feed).text()

    # Publish it now.
    earlier = timezone.localtime() - timedelta(minutes=5)
    page.goto(change)
    page.fill("#id_publish_at_0", earlier.strftime("%Y-%m-%d"))
    page.fill("#id_publish_at_1", earlier.strftime("%H:%M:%S"))
    page.click("input[name=_save]")
    saved_message(page, "was changed successfully")

    response = reader.goto(base + draft.get_absolute_url())
    assert response.status == 200 and "Bottle vs Flask" in reader.content()
    reader.goto(base + reverse("articles:home"))
    assert "Bottle vs Flask" in reader.content()
    for feed in feeds:
        assert "Bottle vs Flask" in reader.goto(base + feed).text()
    reader.goto(base + guide.get_absolute_url())
    assert "Edited in the browser" in reader.content()
    reader.goto(base + reverse("frameworks:detail", args=["flask"]))
    assert "67,890" in reader.content()

