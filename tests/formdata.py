"""Turn a rendered admin change form back into the POST data a browser would send."""

from datetime import date, datetime


def _value(field):
    value = field.value()
    widget = field.field.widget
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else None
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    if isinstance(value, datetime):
        return [value.strftime("%Y-%m-%d"), value.strftime("%H:%M:%S")] if hasattr(widget, "widgets") else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _add(data, form):
    for field in form:
        value = _value(field)
        if value is None:
            continue
        if isinstance(value, list) and hasattr(field.field.widget, "widgets"):
            for i, part in enumerate(value):
                data[f"{field.html_name}_{i}"] = part
        else:
            data[field.html_name] = value


def change_form_data(response) -> dict:
    """The admin form and every inline, as the page shows them."""
    data = {}
    _add(data, response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        _add(data, formset.management_form)
        for form in formset.initial_forms:
            _add(data, form)
    return data
