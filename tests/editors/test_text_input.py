"""Control characters never reach stored text; long, unicode and right-to-left text renders."""

import pytest
from django.urls import reverse

from articles.models import Section
from editorial.text import strip_control_chars
from frameworks.models import Framework
from tests.admin_forms import admin_post_data
from tests.factories import make_article, make_framework, make_section

pytestmark = pytest.mark.django_db

DIRTY = "Fl\x00a\x08s\x0bk\x1b[31m\x7f \x85web\x0c\ufffe"


def test_strip_control_chars_keeps_text_whitespace_and_bidi_marks():
    assert strip_control_chars(DIRTY) == "Flask[31m web"
    kept = "a\tb\nc\r\nd \u200f\u202bעברית\u202c ✓ 日本語 👍"
    assert strip_control_chars(kept) == kept


def test_every_save_path_strips_control_characters():
    fw = make_framework(name="Odd\x07 Name", tagline=DIRTY, description="line one\nline\x1f two")
    fw.refresh_from_db()
    assert fw.name == "Odd Name"
    assert fw.tagline == "Flask[31m web"
    assert fw.description == "line one\nline two"

    article = make_article(title="Guide\x0b title", summary="sum\x00mary")
    section = make_section(article, body="Para\x01graph with **bold**\x1b.")
    article.refresh_from_db()
    section.refresh_from_db()
    assert (article.title, article.summary) == ("Guide title", "summary")
    assert section.body == "Paragraph with **bold**."
    assert "\x1b" not in section.body_html and "\x01" not in section.body_html


def test_admin_edits_are_stripped(admin_client_):
    fw = make_framework(name="Clean")
    url = reverse("admin:frameworks_framework_change", args=[fw.pk])
    data = admin_post_data(admin_client_.get(url), tagline="tag\x1bline", description="desc\x08")
    response = admin_client_.post(url, data)
    assert response.status_code == 302
    fw.refresh_from_db()
    assert (fw.tagline, fw.description) == ("tagline", "desc")


def test_long_unicode_and_rtl_text_renders(client):
    long_word = "Supercalifragilistic" * 8
    rtl = "מסגרת פייתון \u202eRTL override\u202c لإطار العمل"
    fw = make_framework(name="日本語 フレームワーク", tagline=f"{rtl} {long_word}", description=long_word * 3)
    article = make_article([fw], title=f"{long_word} {rtl}", standfirst="emoji 👩‍💻 and combining é")
    make_section(article, heading=rtl, body=f"{long_word}\n\n{rtl}")
    for path in (article.get_absolute_url(), fw.get_absolute_url(), reverse("frameworks:list"), "/"):
        response = client.get(path)
        assert response.status_code == 200
        if path in (article.get_absolute_url(), fw.get_absolute_url()):
            assert long_word in response.content.decode()
    assert rtl in client.get(article.get_absolute_url()).content.decode()
    assert Framework.objects.get(pk=fw.pk).name == "日本語 フレームワーク"
    assert Section.objects.filter(article=article).count() == 1


def test_feeds_stay_valid_xml_whatever_editors_paste(client):
    """Every syndication feed the site has parses, with control characters pasted into every guide field."""
    import xml.etree.ElementTree as ET

    from tests.readers.test_xss import feed_paths

    make_article(title="Bell\x07 and form feed\x0c", standfirst="esc\x1b", summary="nul\x00 del\x7f",
                 byline="back\x08space")
    for path in feed_paths():
        response = client.get(path)
        assert response.status_code == 200, path
        ET.fromstring(response.content)
