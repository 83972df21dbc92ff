"""Start a new content generation whenever content changes.

Invalidation is not a write to another model, so a signal is the right
tool here: whatever saves content (the admin, a service, a command, the
shell) makes every cached page fresh on its next request, and no write path
can forget to. Receivers are connected per content model, so unrelated
models keep Django's fast deletes.

Each change bumps the generation at once, and again when the transaction
commits: a page rendered between the two from the not-yet-committed state
is stored under the first token and never served after the commit.
"""

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from . import generation, schedule

DISPATCH_UID = "pagecache-invalidate"


def _is_content(model) -> bool:
    # Historical models used by migrations live in the "__fake__" module.
    return (
        model._meta.app_label in settings.PAGE_CACHE_CONTENT_APPS
        and model._meta.label not in settings.PAGE_CACHE_IGNORED_MODELS
        and model.__module__ != "__fake__"
    )


def invalidate(sender, **kwargs) -> None:
    if not _is_content(sender) or kwargs.get("action", "post_").startswith("pre_"):
        return
    recompute = schedule.is_scheduled(sender)
    generation.bump(recompute_boundary=recompute)
    transaction.on_commit(lambda: generation.bump(recompute_boundary=recompute), using=kwargs.get("using"))


def connect() -> None:
    for label in settings.PAGE_CACHE_CONTENT_APPS:
        for model in apps.get_app_config(label).get_models():
            if not _is_content(model):
                continue
            post_save.connect(invalidate, sender=model, dispatch_uid=f"{DISPATCH_UID}-save-{model._meta.label}")
            post_delete.connect(invalidate, sender=model, dispatch_uid=f"{DISPATCH_UID}-delete-{model._meta.label}")
    # The sender of m2m_changed is the through model, which may be auto-created.
    m2m_changed.connect(invalidate, dispatch_uid=f"{DISPATCH_UID}-m2m")
