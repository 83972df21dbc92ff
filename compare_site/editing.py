"""Admin building blocks that keep editors' work safe.

- ``EditorialAdmin``: every save is a django-reversion revision (author and
  comment), the history page can compare any two revisions field by field,
  and deleted objects can be recovered.
- ``LockedAdmin``: optimistic locking. The change form carries the object's
  ``updated_at`` as a hidden token; a save whose token no longer matches the
  row (read under ``select_for_update`` inside the admin's transaction) is
  refused with a message naming who changed it and when. The editor's input,
  inlines included, stays on the re-rendered form.
- ``TouchesParentAdmin``: a child edited on its own page (a section, a
  support row) bumps its parent's ``updated_at``, so a parent form opened
  before that edit cannot silently overwrite it through its inlines.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import quote, unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from reversion import add_to_revision, create_revision, set_comment, set_user
from reversion.admin import VersionAdmin
from reversion.models import Version

LOCK_FIELD = "lock_token"


def lock_token(obj: models.Model) -> str:
    stamp = getattr(obj, "updated_at", None)
    return stamp.isoformat() if stamp else ""


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


class LockedForm(forms.ModelForm):
    """A model form that refuses to save over a change it has not seen."""

    lock_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields[LOCK_FIELD].initial = lock_token(self.instance)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        current = lock_token(self.instance)
        if cleaned.get(LOCK_FIELD, "") != current:
            change = last_change(self.instance)
            when = date_format(timezone.localtime(change.when), "DATETIME_FORMAT") if change.when else "a moment ago"
            # The refreshed token lets the editor save again on purpose, once they have looked.
            self.data = self.data.copy()
            self.data[self.add_prefix(LOCK_FIELD)] = current
            raise ValidationError(
                "Not saved: %(who)s changed this %(model)s on %(when)s, after you opened it. "
                "Your changes are still in the form below. Check the history for what they changed; "
                "saving again will apply your version on top of theirs.",
                code="stale",
                params={"who": change.who, "model": self.instance._meta.verbose_name, "when": when},
            )
        return cleaned


class LockedAdmin(admin.ModelAdmin):
    form = LockedForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = [list(fs) for fs in super().get_fieldsets(request, obj)]
        first = dict(fieldsets[0][1])
        if LOCK_FIELD not in first["fields"]:
            first["fields"] = (*first["fields"], LOCK_FIELD)
        fieldsets[0][1] = first
        return [tuple(fs) for fs in fieldsets]

    def get_object(self, request, object_id, from_field=None):
        # The admin runs a POST inside one transaction: lock the row so the
        # token comparison and the save cannot interleave with another save.
        if request.method == "POST":
            queryset = self.get_queryset(request).select_for_update(of=("self",))
            model = queryset.model
            field = model._meta.pk if from_field is None else model._meta.get_field(from_field)
            try:
                return queryset.get(**{field.name: field.to_python(object_id)})
            except (model.DoesNotExist, ValidationError, ValueError):
                return None
        return super().get_object(request, object_id, from_field)


class TouchesParentAdmin(admin.ModelAdmin):
    """For a child model edited on its own page; ``parent_field`` names the FK to bump."""

    parent_field: str = ""

    def _touch_parent(self, obj) -> None:
        field = obj._meta.get_field(self.parent_field)
        field.related_model._default_manager.filter(pk=getattr(obj, field.attname)).update(
            updated_at=timezone.now()
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self._touch_parent(obj)

    def delete_model(self, request, obj):
        self._touch_parent(obj)
        super().delete_model(request, obj)


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


class EditorialAdmin(VersionAdmin):
    """Revisions with author and comment, a diff between any two, restore and recover."""

    object_history_template = "admin/editorial/object_history.html"
    history_latest_first = True

    def _snapshot_before_delete(self, request, objects) -> None:
        # The latest revision of a deleted object is what "recover" restores:
        # take it now, so children added since the last save come back too.
        with create_revision():
            set_user(request.user)
            set_comment("Deleted.")
            for obj in objects:
                add_to_revision(obj)
                for extra in self.kept_on_delete(obj):
                    add_to_revision(extra)

    def kept_on_delete(self, obj):
        """Objects deleted with ``obj`` that recovery should bring back but a restore must not touch."""
        return ()

    def delete_model(self, request, obj):
        self._snapshot_before_delete(request, [obj])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        self._snapshot_before_delete(request, list(queryset))
        super().delete_queryset(request, queryset)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.compare_view),
                name="%s_%s_compare" % info,
            ),
        ] + super().get_urls()

    def history_view(self, request, object_id, extra_context=None):
        versions = (
            Version.objects.get_for_object_reference(self.model, unquote(object_id))
            .select_related("revision__user")
            .order_by("-pk")
        )
        context = {
            "versions": versions,
            "object_id": object_id,
            "compare_url_name": f"admin:{self.opts.app_label}_{self.opts.model_name}_compare",
        }
        context.update(extra_context or {})
        return super().history_view(request, object_id, context)

    def compare_view(self, request, object_id):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        obj = self.get_object(request, unquote(object_id))
        versions = Version.objects.get_for_object_reference(self.model, unquote(object_id))
        try:
            ids = sorted({int(request.GET["a"]), int(request.GET["b"])})
        except (KeyError, ValueError):
            raise Http404("Choose two revisions to compare.")
        if len(ids) != 2:
            raise Http404("Choose two different revisions to compare.")
        old = get_object_or_404(versions.select_related("revision__user"), pk=ids[0])
        new = get_object_or_404(versions.select_related("revision__user"), pk=ids[1])
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "object": obj,
            "object_id": object_id,
            "title": f"Compare revisions of {old.object_repr}",
            "old": old,
            "new": new,
            "rows": diff_versions(old, new),
            "history_url": reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_history", args=[quote(object_id)]
            ),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/editorial/compare.html", context)
