"""Reads and writes over django-reversion that the admin screens share.

- ``last_change``: who saved an object last and when (its latest revision,
  else the admin log).
- ``diff_versions``: the fields that differ between two revisions, for the
  object and everything followed with it.
- ``snapshot``: a revision of objects about to be deleted, so that
  "recover" brings back what they looked like at that moment.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from reversion import add_to_revision, create_revision, set_comment, set_user
from reversion.models import Version


@dataclass(frozen=True)
class LastChange:
    who: str
    when: Any


def last_change(obj: models.Model) -> LastChange:
    """Who saved ``obj`` last and when: its latest revision, else the admin log, else unknown."""
    version = Version.objects.get_for_object(obj).select_related("revision__user").order_by("-pk").first()
    if version is not None and version.revision.user is not None:
        return LastChange(version.revision.user.get_username(), version.revision.date_created)
    entry = (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        )
        .select_related("user")
        .order_by("-action_time")
        .first()
    )
    if entry is not None:
        return LastChange(entry.user.get_username(), entry.action_time)
    return LastChange("another editor", getattr(obj, "updated_at", None))


def snapshot(objects: Iterable[models.Model], *, user, comment: str) -> None:
    """Save one revision holding ``objects`` as they are now."""
    with create_revision():
        set_user(user)
        set_comment(comment)
        for obj in objects:
            add_to_revision(obj)


def _display(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "—"
    return str(value)


def _field_label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:  # a field removed since the revision was saved
        return name


def diff_versions(old: Version, new: Version) -> list[dict]:
    """Changed fields between two revisions, for the object and everything followed with it."""

    def by_object(version):
        return {
            (v.content_type_id, v.object_id): v
            for v in version.revision.version_set.select_related("content_type")
        }

    before, after = by_object(old), by_object(new)
    rows = []
    for key in sorted(before.keys() | after.keys(), key=lambda k: (k[0], str(k[1]))):
        a, b = before.get(key), after.get(key)
        label = (b or a).object_repr
        kind = (b or a).content_type.name
        if a is None or b is None:
            rows.append({"object": label, "kind": kind, "field": "", "before": "absent" if a is None else "present",
                         "after": "absent" if b is None else "present"})
            continue
        fa, fb = a.field_dict, b.field_dict
        model = (b or a).content_type.model_class()
        for name in sorted(fa.keys() | fb.keys()):
            if name == "updated_at" or fa.get(name) == fb.get(name):
                continue
            rows.append({"object": label, "kind": kind, "field": name, "label": _field_label(model, name),
                         "before": _display(fa.get(name)), "after": _display(fb.get(name))})
    return rows
