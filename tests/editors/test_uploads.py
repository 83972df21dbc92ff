"""Image uploads: only real PNG/JPEG/WebP, re-encoded, capped, under generated names; bad ones save nothing."""

import errno
import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from editorial.storage import AtomicFileSystemStorage
from frameworks.models import Framework
from tests.admin_forms import admin_post_data

pytestmark = pytest.mark.django_db


def image_bytes(fmt="PNG", size=(64, 32), mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, 0 if mode == "1" else (200, 30, 30)).save(out, fmt)
    return out.getvalue()


def post_logo(client, name, content, content_type="image/png"):
    url = reverse("admin:frameworks_framework_add")
    data = admin_post_data(
        client.get(url), name="Upload Test", slug="upload-test", year_created="2010", license="MIT",
        logo_alt="A red rectangle", logo=SimpleUploadedFile(name, content, content_type=content_type),
    )
    return client.post(url, data)


def media_files(settings) -> list[str]:
    root = settings.MEDIA_ROOT
    return [os.path.join(d, f) for d, _, files in os.walk(root) for f in files] if os.path.exists(root) else []


@pytest.mark.parametrize(
    "fmt, ext, mode", [("PNG", "png", "RGBA"), ("JPEG", "jpg", "RGB"), ("WEBP", "webp", "RGB")]
)
def test_a_good_image_is_reencoded_under_a_generated_name(admin_client_, settings, fmt, ext, mode):
    original = image_bytes(fmt, mode=mode)
    response = post_logo(admin_client_, "My Logo (final).weird", original)
    assert response.status_code == 302, response.context["adminform"].form.errors
    logo = Framework.objects.get(slug="upload-test").logo
    assert logo.name.startswith("logos/")
    assert "My Logo" not in logo.name
    assert logo.name.endswith("." + ext)
    with Image.open(logo.path) as stored:
        assert stored.format == fmt
        assert stored.size == (64, 32)


BAD_UPLOADS = {
    "text renamed to .png": ("notes.png", b"this is a plain text file, not an image\n" * 20, "not a PNG, JPEG or WebP"),
    "HTML renamed to .png": ("x.png", b"<html><script>alert(1)</script></html>", "not a PNG, JPEG or WebP"),
    "SVG": (
        "logo.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>',
        "SVG and other formats are not accepted",
    ),
    "GIF": ("anim.gif", None, "not a PNG, JPEG or WebP"),
    "truncated PNG": ("broken.png", image_bytes("PNG", size=(300, 300))[:200], "damaged"),
}


@pytest.mark.parametrize("case", list(BAD_UPLOADS))
def test_bad_uploads_get_a_clear_error_and_save_nothing(admin_client_, settings, case):
    name, content, message = BAD_UPLOADS[case]
    if content is None:
        content = image_bytes("GIF")
    response = post_logo(admin_client_, name, content)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert message in " ".join(errors["logo"])
    assert not Framework.objects.filter(slug="upload-test").exists()
    assert media_files(settings) == []


def test_html_appended_to_a_png_does_not_survive(admin_client_):
    payload = b"<html><body><script>alert(document.cookie)</script></body></html>"
    response = post_logo(admin_client_, "polyglot.png", image_bytes("PNG") + payload)
    assert response.status_code == 302
    logo = Framework.objects.get(slug="upload-test").logo
    stored = open(logo.path, "rb").read()
    assert b"<script" not in stored and b"<html" not in stored
    assert stored.startswith(b"\x89PNG")


def test_a_decompression_bomb_is_refused_before_decoding(admin_client_, settings):
    # 10000×10000 pixels, a few hundred kilobytes compressed.
    bomb = image_bytes("PNG", size=(10000, 10000), mode="1")
    assert len(bomb) < settings.UPLOAD_MAX_BYTES
    response = post_logo(admin_client_, "huge.png", bomb)
    assert response.status_code == 200
    message = " ".join(response.context["adminform"].form.errors["logo"])
    assert "10000×10000 pixels" in message
    assert not Framework.objects.filter(slug="upload-test").exists()


def test_an_oversized_file_is_refused(admin_client_, settings):
    settings.UPLOAD_MAX_BYTES = 50_000
    big = image_bytes("PNG", size=(400, 400)) + os.urandom(60_000)
    response = post_logo(admin_client_, "big.png", big)
    assert response.status_code == 200
    message = " ".join(response.context["adminform"].form.errors["logo"])
    assert "images may be at most 48.8\xa0KB" in message
    assert not Framework.objects.filter(slug="upload-test").exists()


class FullDiskStorage(AtomicFileSystemStorage):
    """Writes half the bytes, then fails as a full disk does."""

    def _write(self, fh, content):
        content.seek(0)
        data = content.read()
        fh.write(data[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")


def test_a_full_disk_gives_a_form_error_and_no_half_saved_object(admin_client_, settings, monkeypatch):
    field = Framework._meta.get_field("logo")
    monkeypatch.setattr(field, "storage", FullDiskStorage(location=settings.MEDIA_ROOT))
    response = post_logo(admin_client_, "logo.png", image_bytes("PNG"))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "disk is full" in " ".join(form.non_field_errors())
    assert "nothing was saved" in response.content.decode()
    assert form["name"].value() == "Upload Test"  # what the editor typed is still there
    assert not Framework.objects.filter(slug="upload-test").exists()
    assert media_files(settings) == []


def test_the_upload_field_tells_the_browser_what_it_accepts(admin_client_):
    html = admin_client_.get(reverse("admin:frameworks_framework_add")).content.decode()
    assert 'accept="image/png,image/jpeg,image/webp"' in html
