"""Image uploads that cannot carry anything but an image.

An upload is identified by its content (Pillow opens it, restricted to PNG,
JPEG and WebP decoders), capped in bytes and in pixels before it is decoded
(so a decompression bomb is refused, not expanded), then decoded and
re-encoded: whatever rode along (HTML appended to a PNG, EXIF, ICC tricks,
polyglot payloads) is not in the stored file. The stored name is generated.
"""

import io
import uuid
import warnings

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from PIL import Image, ImageOps, UnidentifiedImageError

FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}
ACCEPT = "image/png,image/jpeg,image/webp"


def _reencode(image: Image.Image, fmt: str) -> bytes:
    image = ImageOps.exif_transpose(image)
    out = io.BytesIO()
    if fmt == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=88, optimize=True)
    elif fmt == "WEBP":
        mode = "RGBA" if image.mode in ("RGBA", "LA", "P", "PA") else "RGB"
        image.convert(mode).save(out, "WEBP", quality=88, method=4)
    else:
        if image.mode not in ("1", "L", "LA", "P", "RGB", "RGBA", "I;16"):
            image = image.convert("RGBA")
        image.save(out, "PNG", optimize=True)
    return out.getvalue()


def clean_image(upload) -> ContentFile:
    """Validate an uploaded image and return a re-encoded copy under a generated name.

    Raises ValidationError with a message an editor can act on.
    """
    max_bytes = settings.UPLOAD_MAX_BYTES
    max_pixels = settings.UPLOAD_MAX_PIXELS
    if upload.size > max_bytes:
        raise ValidationError(
            "This file is %(size)s; images may be at most %(limit)s.",
            code="file_too_large",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)},
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # Our own cap below is stricter than Pillow's warning threshold and names the size.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(upload, formats=list(FORMATS)) as image:
                fmt = image.format
                width, height = image.size
                if width * height > max_pixels:
                    raise ValidationError(
                        "This image is %(width)s×%(height)s pixels; images may have at most %(limit)s pixels "
                        "(for example 4000×4000). Scale it down and upload it again.",
                        code="too_many_pixels",
                        params={"width": width, "height": height, "limit": f"{max_pixels:,}"},
                    )
                image.load()
                data = _reencode(image, fmt)
    except Image.DecompressionBombError:
        raise ValidationError(
            "This image has far too many pixels to be processed safely (at most %(limit)s). "
            "Scale it down and upload it again.",
            code="too_many_pixels",
            params={"limit": f"{max_pixels:,}"},
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise ValidationError(
            "This file is not a PNG, JPEG or WebP image (or it is damaged). SVG and other formats are not accepted.",
            code="invalid_image",
        ) from None
    return ContentFile(data, name=f"{uuid.uuid4().hex}.{FORMATS[fmt]}")


class SafeImageFormField(forms.ImageField):
    """An ImageField whose cleaned value is the re-encoded image."""

    default_error_messages = {"invalid_image": "Upload a PNG, JPEG or WebP image."}

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "accept": ACCEPT}

    def to_python(self, data):
        upload = forms.FileField.to_python(self, data)
        if upload is None:
            return None
        return clean_image(upload)


@deconstructible
class GeneratedName:
    """upload_to: store under ``<folder>/<random hex>.<ext>``, never the uploader's name."""

    def __init__(self, folder: str):
        self.folder = folder.strip("/")

    def __call__(self, instance, filename: str) -> str:
        ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
        return f"{self.folder}/{uuid.uuid4().hex}.{ext}"

    def __eq__(self, other):
        return isinstance(other, GeneratedName) and other.folder == self.folder


class SafeImageField(models.ImageField):
    """Model ImageField whose forms (admin included) accept only re-encoded PNG, JPEG and WebP."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": SafeImageFormField, **kwargs})
