"""Optimistic locking for admin change forms: no save overwrites a change it has not seen.

The change form carries the object's ``updated_at`` as a hidden token; a
save whose token no longer matches the row (read under
``select_for_update`` inside the admin's transaction) is refused with a
message naming who changed it and when. The editor's input, inlines
included, stays on the re-rendered form.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format

from .revisions import last_change

LOCK_FIELD = "lock_token"


def lock_token(obj: models.Model) -> str:
    stamp = getattr(obj, "updated_at", None)
    return stamp.isoformat() if stamp else ""


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
