"""Text as editors mean it: normalised first, then validated, then stored.

Editors paste from word processors, terminals and chat apps. A stray form
feed makes every feed invalid XML; a zero-width space turns "Flask" into a
second, different "Flask"; a right-to-left override flips the rest of a line.
So every text field of the catalogue and the guides is one of two kinds (and
every slug a third):

``LineField`` (a ``CharField``): names, titles, captions, notes, sources.
    One line. Compatibility-normalised (NFKC: full-width "Ｆｌａｓｋ" and the
    ligature "ﬂ" become plain letters), with control characters, bidirectional
    controls and marks and invisible characters removed, and every run of
    white space made one space.

``ProseField`` (a ``TextField``): descriptions, summaries and Markdown.
    Several lines. Canonically normalised (NFC: NFKC would turn "x²" into
    "x2" in running text), with control characters (except tab and newline),
    bidirectional embeddings, overrides and isolates and zero-width spaces
    removed. Right-to-left marks and zero-width joiners stay: real
    right-to-left and Indic text needs them.

``SlugField`` (a ``SlugField``): slugs. Normalised as a line, so a full-width
    or zero-width-spaced copy of a slug is the slug itself, then validated.

All normalise in their form field's ``to_python``, so a form sees the text as
it will be stored *before* it checks required, max_length and uniqueness: a
name typed as nothing but control characters is refused as empty instead of
being saved empty. The model field normalises too (``full_clean()``, every
save, every lookup), and a ``pre_save`` receiver keeps the instance in step
with what was stored, so services, the seed and the shell store the same text
the admin would.
"""

import functools
import re
import unicodedata

from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models

from .project import is_project_app

# C0 controls except tab, newline and carriage return; DEL; C1 controls;
# lone surrogates; and the noncharacters XML 1.0 forbids.
CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

# Embeddings, overrides and isolates: they reorder the text that follows them.
BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
# Invisible characters that can hide inside a word: zero-width space, word
# joiner, invisible operators, deprecated format characters, byte order mark.
HIDDEN_IN_WORDS = "\u200b\u2060-\u2064\u206a-\u206f\ufeff"
# The rest of Unicode's default-ignorable characters (render as nothing):
# soft hyphen, combining grapheme joiner, Arabic letter mark, Hangul fillers,
# Khmer inherent vowels, Mongolian selectors, LRM/RLM, interlinear
# annotation and tag characters. Names have no use for any of them.
IGNORABLE = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200e\u200f\u3164\uffa0\ufff0-\ufff8"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff"
)
PROSE_REMOVED = re.compile(f"[{BIDI_CONTROLS}{HIDDEN_IN_WORDS}]")
LINE_REMOVED = re.compile(f"[{BIDI_CONTROLS}{HIDDEN_IN_WORDS}{IGNORABLE}]")
# Joiners (ZWNJ, ZWJ) and variation selectors join emoji sequences and shape
# Arabic, Persian and Indic letters; next to ASCII, or at an edge, they only hide.
STRAY_JOINERS = re.compile(r"(?<![^\x00-\x7f])[\u200c\u200d\ufe00-\ufe0f]|[\u200c\u200d](?![^\x00-\x7f])")
LINE_BREAKS = re.compile("\r\n?|[\u2028\u2029\x85]")
WHITESPACE = re.compile(r"\s+")


def strip_control_chars(value: str) -> str:
    return CONTROL_CHARS.sub("", value)


def _line_once(value: str) -> str:
    value = LINE_REMOVED.sub("", CONTROL_CHARS.sub("", value))
    value = STRAY_JOINERS.sub("", unicodedata.normalize("NFKC", STRAY_JOINERS.sub("", value)))
    return WHITESPACE.sub(" ", value).strip()


def normalize_line(value: str) -> str:
    """One line of text as it is stored: see the module docstring."""
    for _ in range(3):  # removing a character can leave a string NFKC changes again
        cleaned = _line_once(value)
        if cleaned == value:
            break
        value = cleaned
    return value


def normalize_prose(value: str) -> str:
    """Running text as it is stored: see the module docstring."""
    value = CONTROL_CHARS.sub("", LINE_BREAKS.sub("\n", value))
    return unicodedata.normalize("NFC", PROSE_REMOVED.sub("", value))


class NormalizingFormField(forms.CharField):
    """A form CharField that normalises its text (``normalize``) before any validation."""

    normalize = staticmethod(str)

    def to_python(self, value):
        return super().to_python(self.normalize(value) if isinstance(value, str) else value)


class LineFormField(NormalizingFormField):
    normalize = staticmethod(normalize_line)


class ProseFormField(NormalizingFormField):
    normalize = staticmethod(normalize_prose)


class SlugFormField(NormalizingFormField, forms.SlugField):
    normalize = staticmethod(normalize_line)


class NormalizingField:
    """A model text field mixin: ``full_clean``, saves and lookups normalise; forms get ``form_class``."""

    normalize = staticmethod(str)
    form_class = NormalizingFormField

    def to_python(self, value):
        value = super().to_python(value)
        return self.normalize(value) if isinstance(value, str) else value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": self.form_class, **kwargs})


class LineField(NormalizingField, models.CharField):
    description = "One line of text (NFKC; no control, bidirectional or invisible characters)"
    normalize = staticmethod(normalize_line)
    form_class = LineFormField


class ProseField(NormalizingField, models.TextField):
    description = "Running text (NFC; no control characters or bidirectional overrides)"
    normalize = staticmethod(normalize_prose)
    form_class = ProseFormField


class SlugField(NormalizingField, models.SlugField):
    """A slug normalised as a line first, so "ｆｌａｓｋ" or "flask\u200b" is "flask" before it is validated.

    The column is a plain ``SlugField``'s and migrations record it as one, so
    a model adopts it without a migration.
    """

    description = "Slug (normalised as one line of text first)"
    normalize = staticmethod(normalize_line)
    form_class = SlugFormField

    def deconstruct(self):
        name, _, args, kwargs = super().deconstruct()
        return name, "django.db.models.SlugField", args, kwargs


@functools.cache
def _is_project_model(model) -> bool:
    config = apps.get_containing_app_config(model.__module__)
    return config is not None and is_project_app(config)


def clean_text_fields(sender, instance, raw=False, **kwargs) -> None:
    """pre_save receiver: the instance holds the text exactly as it is stored.

    Forms have normalised already; this covers services, the seed and the
    shell. Text that only held characters normalisation removes cannot stand
    in for a required value: that save is refused rather than stored empty.
    """
    if raw or not _is_project_model(sender):
        return
    for field in sender._meta.concrete_fields:
        value = getattr(instance, field.attname)
        if not isinstance(value, str):
            continue
        if isinstance(field, NormalizingField):
            cleaned = field.normalize(value)
        elif isinstance(field, (models.CharField, models.TextField)):
            cleaned = strip_control_chars(value)
        else:
            continue
        if cleaned != value:
            if value and not cleaned and not field.blank:
                raise ValidationError({field.name: field.error_messages["blank"]}, code="blank")
            setattr(instance, field.attname, cleaned)


def normalise_stored_text(model) -> list:
    """Rewrite ``model``'s stored text as its fields now normalise it; for a data migration.

    A required value that normalises to nothing, or a unique one that would
    collide with another row, gets its row id appended instead, so the
    migration never fails and an editor can find and fix the row. Returns the
    ids of the rows it changed.
    """
    fields = [f for f in model._meta.concrete_fields if isinstance(f, NormalizingField)]
    if not fields:
        return []
    names = [f.attname for f in fields]
    rows = list(model._base_manager.order_by("pk").values_list("pk", *names))
    taken = {f.attname: {row[i] for row in rows} for i, f in enumerate(fields, start=1) if f.unique}
    changed = []
    for pk, *values in rows:
        updates = {}
        for field, value in zip(fields, values, strict=True):
            if not isinstance(value, str) or (cleaned := field.normalize(value)) == value:
                continue
            if not cleaned and not field.blank:
                cleaned = f"({model._meta.verbose_name} {pk})"
            if field.unique:
                if cleaned in taken[field.attname]:
                    cleaned = f"{cleaned} ({pk})"[: field.max_length]
                taken[field.attname].add(cleaned)
            updates[field.attname] = cleaned
        if updates:
            model._base_manager.filter(pk=pk).update(**updates)
            changed.append(pk)
    return changed
