"""Build an admin form submission from the form the admin rendered, as a browser would."""

from django import forms


def _add_form(data: dict, form) -> None:
    for name, field in form.fields.items():
        bound = form[name]
        if isinstance(field, forms.FileField):
            continue  # a browser sends no file unless one is chosen
        value = bound.value()
        if value is None:
            continue
        if isinstance(value, bool):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(value, (list, tuple)):
            data[bound.html_name] = [str(v) for v in value]
        else:
            data[bound.html_name] = str(value)


def admin_post_data(response, **changes) -> dict:
    """The POST data of an admin add/change page as rendered (inlines and hidden fields included), with changes."""
    data: dict = {}
    _add_form(data, response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        _add_form(data, inline.formset.management_form)
        for form in inline.formset.forms:
            _add_form(data, form)
    data.update(changes)
    return data
