"""Writes to guides that editors trigger from the admin, and the record of what readers saw change.

A guide's change feed (``articles.changes``) reads figure changes from the catalogue's history; what
only the guide knows, its sections and its publication, is recorded here as ``GuideChange`` rows. The
admin takes a ``guide_states`` snapshot before a save and hands it, with one taken after, to
``record_guide_changes``. Seeds, fixtures and the shell record nothing: only editors' saves through
the admin (and ``publish``) are changes readers are told about.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.text import Truncator

from .models import Article, GuideChange, Section

HEADING_SHOWN = 80  # characters of a heading quoted in a change's summary

# How a section without a heading is named in a change: "Pull quote edited", "Chart of GitHub stars added".
UNTITLED = {
    Section.Kind.PROSE: "Text section",
    Section.Kind.PROFILE: "Profile card of {framework}",
    Section.Kind.TABLE: "Table of figures",
    Section.Kind.MATRIX: "Capability matrix",
    Section.Kind.CHART: "Chart of {metric}",
    Section.Kind.QUOTE: "Pull quote",
}


@dataclass(frozen=True)
class SectionState:
    """What readers see of one section (its position aside: a reorder is not reported)."""

    position: int
    label: str
    heading: str
    content: tuple


@dataclass(frozen=True)
class GuideState:
    status: str
    is_live: bool
    published_before: bool
    sections: dict[int, SectionState]


def _quoted(heading: str) -> str:
    return f"“{Truncator(heading).chars(HEADING_SHOWN)}”"


def _label(row: dict) -> str:
    if row["heading"]:
        return f"Section {_quoted(row['heading'])}"
    template = UNTITLED.get(row["kind"], "Section")
    return template.format(framework=row["framework__name"] or "a framework", metric=row["metric__name"] or "a metric")


def guide_states(article_ids: Iterable[int | None]) -> dict[int, GuideState]:
    """The guides' status and sections as readers see them, keyed by guide id. Queries: 4 (none for no ids)."""
    ids = {pk for pk in article_ids if pk is not None}
    if not ids:
        return {}
    now = timezone.now()
    published_before = GuideChange.objects.filter(article=OuterRef("pk"), kind__in=GuideChange.PUBLICATION_KINDS)
    articles = (
        Article.objects.filter(pk__in=ids)
        .annotate(published_before=Exists(published_before))
        .values("pk", "status", "publish_at", "published_before")
    )
    chosen: dict[str, dict[int, set[int]]] = {}
    for name in ("metrics", "capabilities"):
        through = Section._meta.get_field(name).remote_field.through
        target = "metric_id" if name == "metrics" else "capability_id"
        chosen[name] = defaultdict(set)
        for section_id, target_id in through.objects.filter(section__article_id__in=ids).values_list(
            "section_id", target
        ):
            chosen[name][section_id].add(target_id)
    sections: dict[int, dict[int, SectionState]] = defaultdict(dict)
    for row in Section.objects.filter(article_id__in=ids).order_by().values(
        "pk", "article_id", "position", "kind", "heading", "body", "attribution", "caption",
        "framework_id", "metric_id", "framework__name", "metric__name",
    ):
        content = (
            row["kind"], row["heading"], row["body"], row["attribution"], row["caption"],
            row["framework_id"], row["metric_id"],
            frozenset(chosen["metrics"][row["pk"]]), frozenset(chosen["capabilities"][row["pk"]]),
        )
        sections[row["article_id"]][row["pk"]] = SectionState(row["position"], _label(row), row["heading"], content)
    return {
        a["pk"]: GuideState(
            status=a["status"],
            is_live=a["status"] == Article.Status.PUBLISHED and a["publish_at"] <= now,
            published_before=a["published_before"],
            sections=sections[a["pk"]],
        )
        for a in articles
    }


def _section_changes(article_id: int, old: GuideState, new: GuideState) -> list[GuideChange]:
    changes = []
    for pk, section in sorted(new.sections.items(), key=lambda item: (item[1].position, item[0])):
        was = old.sections.get(pk)
        if was is None:
            changes.append(GuideChange(article_id=article_id, kind=GuideChange.Kind.SECTION_ADDED,
                                       summary=f"{section.label} added", section_id=pk))
        elif was.content != section.content:
            summary = f"{section.label} edited"
            if was.heading and section.heading and was.heading != section.heading:
                summary += f" (was {_quoted(was.heading)})"
            changes.append(GuideChange(article_id=article_id, kind=GuideChange.Kind.SECTION_EDITED,
                                       summary=summary, section_id=pk))
    for pk, section in sorted(old.sections.items(), key=lambda item: (item[1].position, item[0])):
        if pk not in new.sections:
            changes.append(GuideChange(article_id=article_id, kind=GuideChange.Kind.SECTION_REMOVED,
                                       summary=f"{section.label} removed"))
    return changes


def _publication(article_id: int, published_before: bool) -> GuideChange:
    kind = GuideChange.Kind.REPUBLISHED if published_before else GuideChange.Kind.PUBLISHED
    return GuideChange(article_id=article_id, kind=kind, summary=kind.label)


@transaction.atomic
def record_guide_changes(before: dict[int, GuideState], after: dict[int, GuideState]) -> list[GuideChange]:
    """Record what readers see change between two snapshots of guides (``guide_states``).

    A guide that goes from draft (or from not existing) to published gets "Published" the first
    time and "Republished" after; section edits saved with that move are part of it. Otherwise a
    section added, edited or removed is recorded only while the guide is live, before and after:
    a draft or a scheduled guide has no readers to tell. Returns the rows saved.
    """
    changes = []
    for article_id, new in after.items():
        old = before.get(article_id)
        if new.status == Article.Status.PUBLISHED and (old is None or old.status != Article.Status.PUBLISHED):
            changes.append(_publication(article_id, new.published_before))
        elif old is not None and old.is_live and new.is_live:
            changes.extend(_section_changes(article_id, old, new))
    for change in changes:
        change.save()
    return changes


@transaction.atomic
def publish(articles) -> tuple[int, int]:
    """Mark guides published. A guide whose publish time is still ahead stays scheduled.

    A guide that was a draft gets its "Published" (or "Republished") change.
    Returns (published now, scheduled for later).
    """
    now = timezone.now()
    live = scheduled = 0
    for article in articles.select_for_update():
        was_draft = article.status != Article.Status.PUBLISHED
        published_before = was_draft and article.changes.filter(kind__in=GuideChange.PUBLICATION_KINDS).exists()
        article.status = Article.Status.PUBLISHED
        article.save(update_fields=["status", "updated_at"])
        if was_draft:
            _publication(article.pk, published_before).save()
        if article.publish_at <= now:
            live += 1
        else:
            scheduled += 1
    return live, scheduled


@transaction.atomic
def unpublish(articles) -> int:
    """Take guides back to draft; readers stop seeing them at once."""
    count = 0
    for article in articles.select_for_update():
        article.status = Article.Status.DRAFT
        article.save(update_fields=["status", "updated_at"])
        count += 1
    return count
