"""Turn a rendered admin add/change page back into the POST data a browser would send for it."""

from typing import Any

from django import forms
from django.http import HttpResponse


def admin_post_data(response: HttpResponse, **changes: Any) -> dict[str, Any]:
    """The POST data of the admin add/change page in `response`, as rendered, with `changes` on top.

    As a browser submits the page untouched: the main form, then each inline's management form
    and every inline form shown, extra (blank) ones included, which Django skips while they are
    unchanged. Text inputs and selects send their text ("" when empty), ticked checkboxes "on"
    and unticked ones nothing, date-time fields their `_0` (date) and `_1` (time) parts in the
    current time zone, multiple choices a list; file inputs send nothing (pass a file in
    `changes`). A page re-rendered after a refused POST gives back what was posted.
    """
    data = _form_data(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(_form_data(formset.management_form))
        for form in formset.forms:
            data.update(_form_data(form))
    data.update(changes)
    return data


def _form_data(form: forms.BaseForm) -> dict[str, str | list[str]]:
    """What one form's inputs send, keyed by their HTML names (prefix included)."""
    data: dict[str, str | list[str]] = {}
    for bound in form:
        field = bound.field
        widget = getattr(field.widget, "widget", field.widget)  # the admin wraps relation widgets
        name, value = bound.html_name, bound.value()
        if isinstance(field, forms.FileField):
            continue
        if isinstance(widget, forms.MultiWidget):
            # A bound form's value is already the list of parts; an initial value is split as the widget does.
            parts = value if isinstance(value, (list, tuple)) else widget.decompress(value)
            data.update({f"{name}_{i}": "" if part is None else str(part) for i, part in enumerate(parts)})
        elif isinstance(widget, forms.CheckboxInput):
            if value:
                data[name] = "on"
        elif isinstance(value, (list, tuple)):
            data[name] = [str(v) for v in value]
        elif value is None:
            data[name] = [] if getattr(widget, "allow_multiple_selected", False) else ""
        else:
            data[name] = str(value)
    return data
