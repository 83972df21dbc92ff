"""Text is normalised before it is validated: nothing invisible, no control characters, no empty "names"."""

import xml.etree.ElementTree as ET

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from articles.models import Section
from editorial.text import normalise_stored_text, normalize_line, normalize_prose
from frameworks.models import Capability, Framework, Organization, Support
from tests.admin_forms import admin_post_data
from tests.factories import make_article, make_framework, make_section
from tests.routes import feed_paths

pytestmark = pytest.mark.django_db

DIRTY = "Fl\x00a\x08s\x0bk\x1b[31m\x7f \x85web\x0c\ufffe"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        (DIRTY, "Flask[31m web"),
        ("Flask\u200b", "Flask"),  # zero-width space
        ("\ufeffFla\u2060sk", "Flask"),  # byte order mark, word joiner
        ("Fla\u200dsk\u200c", "Flask"),  # joiners between ASCII letters hide
        ("Ｆｌａｓｋ", "Flask"),  # full-width letters (NFKC)
        ("ﬂask", "flask"),  # ligature (NFKC)
        ("\u202eksalF\u202c", "ksalF"),  # right-to-left override
        ("Fl\u00adask", "Flask"),  # soft hyphen
        ("\u3164", ""),  # Hangul filler: looks blank
        ("  two\n\tlines\u2028here\u00a0 ", "two lines here"),
        ("\x01\x02\x03\x04\x05\x06\x07\x08", ""),
        ("👩\u200d💻 developers", "👩\u200d💻 developers"),  # an emoji sequence keeps its joiner
        ("می\u200cخواهم", "می\u200cخواهم"),  # Persian needs its zero-width non-joiner
        ("日本語 フレームワーク", "日本語 フレームワーク"),
    ],
)
def test_one_line_fields_store_what_readers_can_see(typed, stored):
    assert normalize_line(typed) == stored
    assert normalize_line(stored) == stored


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("line one\r\nline\x1f two\rthree", "line one\nline two\nthree"),
        ("x² and ½ stay", "x² and ½ stay"),  # no NFKC in running text
        ("e\u0301", "é"),  # NFC
        ("a\u200bb \u202eevil\u202c", "ab evil"),
        ("עברית \u200fRTL mark kept\tand tabs", "עברית \u200fRTL mark kept\tand tabs"),
    ],
)
def test_prose_fields_keep_their_lines(typed, stored):
    assert normalize_prose(typed) == stored


def test_every_save_path_normalises():
    fw = make_framework(name="Odd\x07 Name\u200b", tagline=DIRTY, description="line one\nline\x1f two")
    assert fw.name == "Odd Name"  # the instance matches what was stored
    fw.refresh_from_db()
    assert (fw.name, fw.tagline, fw.description) == ("Odd Name", "Flask[31m web", "line one\nline two")
    article = make_article(title="Guide\x0b title", summary="sum\x00mary")
    section = make_section(article, body="Para\x01graph with **bold**\x1b.")
    article.refresh_from_db()
    section.refresh_from_db()
    assert (article.title, article.summary) == ("Guide title", "summary")
    assert section.body == "Paragraph with **bold**."
    assert "\x1b" not in section.body_html and "\x01" not in section.body_html


def test_lookups_normalise_too():
    make_framework(name="Flask")
    assert Framework.objects.filter(name="Ｆｌａｓｋ\u200b").exists()


def test_a_required_field_that_normalises_to_nothing_is_not_saved_empty_by_code():
    with pytest.raises(ValidationError) as caught:
        make_framework(name="\x01\x02")
    assert "name" in caught.value.message_dict
    assert not Framework.objects.filter(name="").exists()


def test_the_admin_refuses_a_name_of_control_characters(admin_client_):
    url = reverse("admin:frameworks_framework_add")
    data = admin_post_data(admin_client_.get(url), name="\x01\x02", slug="control")
    response = admin_client_.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["name"] == ["This field is required."]
    assert not Framework.objects.filter(slug="control").exists()


def test_the_admin_refuses_a_look_alike_of_an_existing_name(admin_client_):
    make_framework(name="Flask", slug="flask")
    url = reverse("admin:frameworks_framework_add")
    data = admin_post_data(admin_client_.get(url), name="Flask\u200b", slug="flask-2")
    response = admin_client_.post(url, data)
    assert response.status_code == 200
    assert "already exists" in str(response.context["adminform"].form.errors["name"])
    assert Framework.objects.count() == 1


def test_an_extension_whose_package_is_only_control_characters_is_a_form_error(admin_client_):
    """Once answered 500: the package passed validation, was stripped on save and broke the CHECK constraint."""
    fw = make_framework()
    capability = Capability.objects.create(name="ORM", slug="orm")
    url = reverse("admin:frameworks_framework_change", args=[fw.pk])
    data = admin_post_data(
        admin_client_.get(url),
        **{"supports-TOTAL_FORMS": "1", "supports-0-capability": str(capability.pk),
           "supports-0-level": Support.Level.THIRD_PARTY, "supports-0-package": "\x01\x02\x03"},
    )
    response = admin_client_.post(url, data)
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][-1].formset.errors
    assert "Name the package that provides an extension." in str(errors)
    assert not Support.objects.exists()


def test_admin_edits_are_normalised(admin_client_):
    fw = make_framework(name="Clean")
    url = reverse("admin:frameworks_framework_change", args=[fw.pk])
    data = admin_post_data(admin_client_.get(url), tagline="tag\x1bline\u200b", description="desc\x08")
    response = admin_client_.post(url, data)
    assert response.status_code == 302
    fw.refresh_from_db()
    assert (fw.tagline, fw.description) == ("tagline", "desc")


def test_the_migration_helper_keeps_rows_valid_and_distinct():
    """Stored text from before normalisation: a look-alike name gets its id, a blank-looking one a placeholder."""
    Organization.objects.create(name="Acme", slug="acme")
    twin = Organization.objects.create(name="Acme-to-be", slug="twin")
    blank = Organization.objects.create(name="Blank-to-be", slug="blank")
    # Written past the field's normalisation, as an old release would have stored them.
    with connection.cursor() as cursor:
        table = Organization._meta.db_table
        cursor.execute(f"UPDATE {table} SET name = %s WHERE id = %s", ["Acme\u200b", twin.pk])
        cursor.execute(f"UPDATE {table} SET name = %s WHERE id = %s", ["\u3164", blank.pk])
    assert sorted(normalise_stored_text(Organization)) == sorted([twin.pk, blank.pk])
    names = dict(Organization.objects.values_list("pk", "name"))
    assert names[twin.pk] == f"Acme ({twin.pk})"
    assert names[blank.pk] == f"(organization {blank.pk})"
    assert normalise_stored_text(Organization) == []


def test_long_unicode_and_rtl_text_renders(client):
    long_word = "Supercalifragilistic" * 8
    rtl = "מסגרת פייתון \u200fלإطار العمل"
    fw = make_framework(name="日本語 フレームワーク", tagline=f"{rtl} {long_word}", description=long_word * 3)
    article = make_article([fw], title=f"{long_word} {rtl}", standfirst="emoji 👩‍💻 and combining é")
    make_section(article, heading="heading", body=f"{long_word}\n\n{rtl}")
    for path in (article.get_absolute_url(), fw.get_absolute_url(), reverse("frameworks:list"), "/"):
        response = client.get(path)
        assert response.status_code == 200
        if path in (article.get_absolute_url(), fw.get_absolute_url()):
            assert long_word in response.content.decode()
    assert rtl in client.get(article.get_absolute_url()).content.decode()
    assert Framework.objects.get(pk=fw.pk).name == "日本語 フレームワーク"
    assert Section.objects.filter(article=article).count() == 1


def test_feeds_stay_valid_xml_whatever_editors_paste(client):
    """Every syndication feed parses, with control characters pasted into every guide field."""
    make_article(title="Bell\x07 and form feed\x0c", standfirst="esc\x1b", summary="nul\x00 del\x7f",
                 byline="back\x08space")
    paths = feed_paths()
    assert len(paths) >= 3
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        ET.fromstring(response.content)
