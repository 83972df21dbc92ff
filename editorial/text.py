"""Keep control characters out of stored text.

Editors paste from word processors and terminals; a stray form feed or NUL
in a title makes every RSS/Atom feed invalid XML and can break layouts. Text
and char fields of the project's own models are cleaned on every save (admin,
services, seed, shell alike), so nothing downstream has to care.
"""

import functools
import re

from django.apps import apps
from django.db import models

from .project import is_project_app

# C0 controls except tab, newline and carriage return; DEL; C1 controls;
# lone surrogates; and the noncharacters XML 1.0 forbids.
CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def strip_control_chars(value: str) -> str:
    return CONTROL_CHARS.sub("", value)


@functools.cache
def _is_project_model(model) -> bool:
    config = apps.get_containing_app_config(model.__module__)
    return config is not None and is_project_app(config)


def clean_text_fields(sender, instance, raw=False, **kwargs) -> None:
    """pre_save receiver: strip control characters from every text field."""
    if raw or not _is_project_model(sender):
        return
    for field in sender._meta.concrete_fields:
        if isinstance(field, (models.CharField, models.TextField)):
            value = getattr(instance, field.attname)
            if isinstance(value, str) and CONTROL_CHARS.search(value):
                setattr(instance, field.attname, strip_control_chars(value))
