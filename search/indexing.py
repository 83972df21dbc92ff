"""Keeping the search index in step with the catalogue and the guides.

``refresh(obj)`` rewrites the entries a saved object feeds (a section feeds its
guide's entry); the receivers in ``signals`` call it on every save and delete,
so the admin, services, commands and the seed all keep the index current.
Deleting a target deletes its entry through the foreign key's CASCADE.

Writers that skip signals (``bulk_create``, ``QuerySet.update``, raw SQL) must
call ``rebuild()`` afterwards, or ``manage.py rebuild_search_index``. The
collectors write only figures, which are not indexed, and change framework
facts through ``Framework.save()`` (``frameworks.services.approve``), which
sends the signal.

Visibility is not stored: an entry exists for drafts and unpublished
frameworks too, and ``SearchEntry.objects.visible()`` filters when searching.
"""

import html

from django.db import connection, transaction
from django.db.models import Prefetch
from django.utils.html import strip_tags

from articles.models import Article, Section
from frameworks.models import Capability, Framework, Organization
from pagecache import generation

from .models import Kind, SearchEntry

BATCH = 2000


def _join(*parts: str) -> str:
    return "\n".join(p.strip() for p in parts if p and p.strip())


def _framework_fields(fw: Framework) -> dict:
    return {
        "kind": Kind.FRAMEWORK,
        "title": fw.name,
        "body": _join(fw.tagline, fw.description, fw.language, fw.license),
        "url": fw.get_absolute_url(),
        "slug": fw.slug,
    }


def _section_text(section: Section) -> str:
    if section.kind == Section.Kind.PROSE:
        text = html.unescape(strip_tags(section.body_html)) if section.body_html else section.body
    elif section.kind == Section.Kind.QUOTE:
        text = section.body
    else:
        text = ""
    return _join(section.heading, text)


def _article_fields(article: Article, sections) -> dict:
    return {
        "kind": Kind.GUIDE,
        "title": article.title,
        "body": _join(article.standfirst, article.summary, *(_section_text(s) for s in sections)),
        "url": article.get_absolute_url(),
        "slug": article.slug,
    }


def _capability_fields(capability: Capability) -> dict:
    return {
        "kind": Kind.CAPABILITY,
        "title": capability.name,
        "body": capability.description,
        "url": capability.get_absolute_url(),
        "slug": capability.slug,
    }


def _organization_fields(org: Organization) -> dict:
    return {"kind": Kind.ORGANISATION, "title": org.name, "body": "", "url": org.get_absolute_url(), "slug": org.slug}


_SECTIONS = Section.objects.only("article_id", "kind", "heading", "body", "body_html").order_by("position", "id")


def _fields_for(obj) -> tuple[str, dict] | None:
    """(the entry's foreign key name, its fields) for an indexed object, or None."""
    if isinstance(obj, Framework):
        return "framework", _framework_fields(obj)
    if isinstance(obj, Article):
        return "article", _article_fields(obj, _SECTIONS.filter(article=obj))
    if isinstance(obj, Capability):
        return "capability", _capability_fields(obj)
    if isinstance(obj, Organization):
        return "organization", _organization_fields(obj)
    return None


def refresh(obj) -> None:
    """Write the entry of a framework, guide, capability or organisation as it is now.

    A section refreshes its guide. An object whose row is gone (or any other
    model) is ignored: its entry went with it.
    """
    if isinstance(obj, Section):
        obj = Article.objects.filter(pk=obj.article_id).first()
        if obj is None:
            return
    found = _fields_for(obj)
    if found is None or obj.pk is None:
        return
    key, fields = found
    with transaction.atomic():
        entry, _ = SearchEntry.objects.update_or_create(**{key: obj}, defaults=fields)
        _fill_vectors(SearchEntry.objects.filter(pk=entry.pk))


def _entries():
    """Every entry the catalogue and guides call for, unsaved."""
    for fw in Framework.objects.order_by("pk").iterator(chunk_size=BATCH):
        yield SearchEntry(framework=fw, **_framework_fields(fw))
    articles = Article.objects.order_by("pk").prefetch_related(Prefetch("sections", queryset=_SECTIONS))
    for article in articles.iterator(chunk_size=BATCH):
        yield SearchEntry(article=article, **_article_fields(article, article.sections.all()))
    for capability in Capability.objects.order_by("pk"):
        yield SearchEntry(capability=capability, **_capability_fields(capability))
    for org in Organization.objects.order_by("pk").iterator(chunk_size=BATCH):
        yield SearchEntry(organization=org, **_organization_fields(org))


@transaction.atomic
def rebuild() -> int:
    """Rewrite the whole index from the catalogue and guides; returns the number of entries.

    Call it after writes that send no signals (bulk inserts, ``update()``).
    """
    SearchEntry.objects.all().delete()
    count = len(SearchEntry.objects.bulk_create(_entries(), batch_size=BATCH))
    _fill_vectors(SearchEntry.objects.all())
    _analyze()
    # Cached search pages show the new index: now, and again once it commits (as pagecache.signals does).
    generation.bump(recompute_boundary=False)
    generation.bump_on_commit()
    return count


def _fill_vectors(entries) -> None:
    """PostgreSQL: compute the weighted tsvector (title A, body B) of these entries in the database."""
    if connection.vendor != "postgresql":
        return  # SQLite: the FTS5 table's triggers keep it in step.
    from django.contrib.postgres.search import SearchVector

    entries.update(
        search_vector=SearchVector("title", weight="A", config="simple")
        + SearchVector("body", weight="B", config="simple")
    )


def _analyze() -> None:
    """PostgreSQL: fresh planner statistics after rewriting the table (autovacuum would get there later)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {SearchEntry._meta.db_table}")
