"""Names that cannot fool readers: no two rows whose names, or slugs, read the same.

``editorial.text`` already stores "Flask\\u200b" and "ＦＬＡＳＫ" as "Flask" and
"FLASK". Two rows must also not differ only in case: a second "flask" beside
"Flask" in the directory misleads as much as an invisible character would.

``DistinctNames`` (a model mixin) refuses, in ``validate_unique()`` and so in
every admin form, CSV screen and service that calls ``full_clean()``, a name
or slug whose case-folded text (``name_key``: "Straße" and "STRASSE" alike)
matches another row's, with a message naming that row.

``unique_ignoring_case()`` is the same rule in the database, for what skips
validation: a unique index on ``Lower(name)``. It is a little narrower than
``name_key``: SQL's ``LOWER()`` does not turn "ß" into "ss", and SQLite's
folds ASCII letters only, so "ÉCOLE" and "école" get past the index (not past
validation) there; PostgreSQL folds them. Stored names are already
NFKC-normalised, so width and invisible characters need no folding in SQL.

``rename_lookalikes()`` makes existing rows fit before a migration adds the
index: every row after the first of a group that reads the same gets its id
appended, as ``editorial.text.normalise_stored_text`` does for empty names.
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from .text import normalize_line

# Outside printable ASCII. Stored names hold no control characters, so this is "not ASCII".
NOT_ASCII = "[^ -~]"

MESSAGES = {
    "name": "A %(model)s named “%(existing)s” already exists (slug “%(slug)s”). "
    "Names must differ by more than case, width or invisible characters.",
    "slug": "A %(model)s with the slug “%(existing)s” already exists (“%(name)s”). "
    "Slugs must differ by more than case, width or invisible characters.",
}


def name_key(value: str) -> str:
    """What two names must not share: the text as stored, case-folded ("Straße" and "STRASSE" give "strasse")."""
    return unicodedata.normalize("NFKC", normalize_line(value).casefold())


def lookalike(instance: models.Model, field_name: str) -> models.Model | None:
    """Another row of ``instance``'s model whose ``field_name`` has the same ``name_key``, or None.

    One query. A row whose text is ASCII matches exactly when SQL's ``LOWER()``
    of it is the key; rows with other letters are compared here, and only
    fetched when the key could be theirs (it has other letters too, or "ss",
    which "ß" folds to).
    """
    value = getattr(instance, field_name)
    if not isinstance(value, str) or not (key := name_key(value)):
        return None
    model = type(instance)
    candidates = Q(folded=key)
    if not key.isascii() or "ss" in key:
        candidates |= Q(**{f"{field_name}__regex": NOT_ASCII})
    rows = model._base_manager.annotate(folded=Lower(field_name)).filter(candidates).order_by("pk")
    if not instance._state.adding and instance.pk is not None:
        rows = rows.exclude(pk=instance.pk)
    return next((row for row in rows if name_key(getattr(row, field_name)) == key), None)


class DistinctNames:
    """Model mixin: ``validate_unique()`` refuses a name or slug another row has, but for case, width or
    invisible characters, naming that row. Lists the fields in ``distinct_fields``.

    A slug exactly like another (once normalised) keeps Django's own message, "… with this Slug already
    exists."; a name always gets the one naming the row, since the copy may look nothing like it as typed.
    """

    distinct_fields = ("name", "slug")

    def validate_unique(self, exclude=None) -> None:
        exclude = set(exclude or ())
        errors = {}
        checked = set()
        for field_name in self.distinct_fields:
            if field_name in exclude:
                continue
            other = lookalike(self, field_name)
            if other is not None and field_name != "name" and getattr(other, field_name) == getattr(self, field_name):
                continue  # an exact duplicate: Django's unique check says so
            checked.add(field_name)
            if other is not None:
                errors[field_name] = [
                    ValidationError(
                        MESSAGES[field_name],
                        code="lookalike",
                        params={
                            "model": self._meta.verbose_name,
                            "existing": getattr(other, field_name),
                            "name": str(other),
                            "slug": getattr(other, "slug", other.pk),
                        },
                    )
                ]
        try:
            # The exact-match checks of the fields checked above are part of that check.
            super().validate_unique(exclude=exclude | checked)
        except ValidationError as e:
            errors = e.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)


def unique_ignoring_case(model_name: str, field_name: str = "name") -> models.UniqueConstraint:
    """The database's half of ``DistinctNames``: a unique index on ``Lower(field_name)``."""
    return models.UniqueConstraint(
        Lower(field_name),
        name=f"{model_name}_{field_name}_unique_ignoring_case",
        violation_error_message=f"Another {model_name} already has this {field_name}, apart from case.",
    )


def rename_lookalikes(model, field_name: str = "name") -> list:
    """Append the row id to every ``field_name`` that reads as an earlier row's; for a data migration.

    Works on historical models (``apps.get_model``). Returns the ids of the rows it renamed.
    """
    field = model._meta.get_field(field_name)
    rows = list(model._base_manager.order_by("pk").values_list("pk", field_name))
    taken = set()
    renamed = []
    for pk, value in rows:
        key = name_key(value)
        if key in taken:
            suffix, n = f" ({pk})", 1
            while name_key(new := f"{value[: field.max_length - len(suffix)]}{suffix}") in taken:
                suffix, n = f" ({pk}-{n})", n + 1
            model._base_manager.filter(pk=pk).update(**{field_name: new})
            renamed.append(pk)
            key = name_key(new)
        taken.add(key)
    return renamed
