"""Every save and delete of an indexed model refreshes its search entry (see ``indexing``).

Deleting a guide also deletes its sections, each sending ``post_delete``;
refreshing the guide then would re-create the entry of a guide being
deleted. ``pre_delete`` notes the guides on their way out so their sections
leave them alone. Adoptions need no receiver: whether an organisation shows
is decided when searching.
"""

import threading

from django.db import connections
from django.db.models.signals import post_delete, post_migrate, post_save, pre_delete

from articles.models import Article, Section
from frameworks.models import Capability, Framework, Organization

from . import indexing

_dying = threading.local()


def _dying_articles() -> set[int]:
    if not hasattr(_dying, "articles"):
        _dying.articles = set()
    return _dying.articles


def on_save(sender, instance, **kwargs) -> None:
    # Raw saves too: django-reversion restores revisions with them. (A section loaded before its
    # guide finds no guide and is skipped; the guide's own save indexes it.)
    indexing.refresh(instance)


def on_article_pre_delete(sender, instance, **kwargs) -> None:
    _dying_articles().add(instance.pk)


def on_article_post_delete(sender, instance, **kwargs) -> None:
    _dying_articles().discard(instance.pk)


def on_section_delete(sender, instance, **kwargs) -> None:
    if instance.article_id not in _dying_articles():
        indexing.refresh(instance)


def fill_empty_index(sender, using="default", **kwargs) -> None:
    """After ``migrate``: an empty index over existing content (a first deploy of search) is built."""
    from .models import SearchEntry

    tables = set(connections[using].introspection.table_names())
    needed = {SearchEntry._meta.db_table, Framework._meta.db_table, Article._meta.db_table}
    if needed <= tables and not SearchEntry.objects.using(using).exists():
        if Framework.objects.using(using).exists() or Article.objects.using(using).exists():
            indexing.rebuild()


def connect(app_config) -> None:
    for model in (Framework, Article, Section, Capability, Organization):
        post_save.connect(on_save, sender=model, dispatch_uid=f"search-save-{model._meta.label}")
    pre_delete.connect(on_article_pre_delete, sender=Article, dispatch_uid="search-article-pre-delete")
    post_delete.connect(on_article_post_delete, sender=Article, dispatch_uid="search-article-post-delete")
    post_delete.connect(on_section_delete, sender=Section, dispatch_uid="search-section-delete")
    post_migrate.connect(fill_empty_index, sender=app_config, dispatch_uid="search-fill-empty-index")
