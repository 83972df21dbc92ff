"""What the editors' dashboard on the admin index shows, each read in a fixed number of queries.

Guides sit on the catalogue (they show its figures), so the dashboard's
readers live here, above ``frameworks``, and reach down into it:

- ``stale_guides``: published guides whose figures have gone stale, worst first;
- ``review_queue``: collected values waiting for review, oldest first;
- ``scheduled_guides``: guides that will go live on their own, soonest first;
- ``drafts``: draft guides, last edited first, with who edited them last;
- ``recent_changes``: the last saves in the admin (reversion revisions), with their authors.

Every list is capped, so the index costs the same whatever the size of the
catalogue: 12 queries for the five modules (see ``QUERIES``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.db.models import CharField, Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Cast, Coalesce
from django.urls import NoReverseMatch, reverse
from reversion.models import Revision, Version

from frameworks.freshness import stale_cutoff
from frameworks.models import Measurement, ReviewItem
from frameworks.selectors import capped

from .models import Article, ArticleFramework, Section

SHOWN = 10
REVIEW_SHOWN = 5
# Queries for the five modules together, pinned by tests/editors/test_admin_screens.py.
QUERIES = 12


@dataclass
class StaleGuide:
    guide: Article
    stale: int  # stale figures among those the guide shows
    figures: int  # figures the guide shows
    framework_ids: list[int]

    @property
    def figures_url(self) -> str:
        """The Measurements list narrowed to the guide's stale figures."""
        ids = ",".join(str(pk) for pk in self.framework_ids)
        return reverse("admin:frameworks_measurement_changelist") + f"?age=stale&framework__id__in={ids}"


@dataclass
class Listing:
    rows: list = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


def stale_guides(shown: int = SHOWN) -> Listing:
    """Published guides with stale figures, the most stale first. Queries: 4.

    A guide shows the current figures of the frameworks it compares and of
    those its profile cards show (as its page does, ``articles.blocks``); a
    figure is stale by ``frameworks.freshness``. Each framework's current
    figures are counted once, in SQL, then summed per guide.
    """
    current = Measurement.objects.current().values("pk")
    per_framework = {
        row["framework_id"]: (row["stale"], row["figures"])
        for row in Measurement.objects.filter(pk__in=current)
        .order_by()
        .values("framework_id")
        .annotate(figures=Count("pk"), stale=Count("pk", filter=Q(as_of__lt=stale_cutoff())))
    }
    published = Article.objects.published().values("pk")
    shows: dict[int, set[int]] = defaultdict(set)
    for article_id, framework_id in ArticleFramework.objects.filter(article__in=published).values_list(
        "article_id", "framework_id"
    ):
        shows[article_id].add(framework_id)
    for article_id, framework_id in Section.objects.filter(
        article__in=published, kind=Section.Kind.PROFILE, framework__isnull=False
    ).values_list("article_id", "framework_id"):
        shows[article_id].add(framework_id)

    counts = []
    for article_id, frameworks in shows.items():
        stale = sum(per_framework.get(fw, (0, 0))[0] for fw in frameworks)
        if stale:
            figures = sum(per_framework.get(fw, (0, 0))[1] for fw in frameworks)
            counts.append((article_id, stale, figures, sorted(fw for fw in frameworks if per_framework.get(fw, (0,))[0])))
    counts.sort(key=lambda c: (-c[1], c[0]))
    top = counts[:shown]
    guides = Article.objects.only("pk", "title", "slug").in_bulk([c[0] for c in top])
    rows = [StaleGuide(guides[pk], stale, figures, ids) for pk, stale, figures, ids in top if pk in guides]
    return Listing(rows, len(counts))


def review_queue(shown: int = REVIEW_SHOWN) -> Listing:
    """Collected values waiting for review, the oldest first. Queries: 2."""
    waiting = ReviewItem.objects.waiting().select_related("framework", "metric").order_by("collected_at", "id")
    rows, total = capped(waiting, shown)
    return Listing(rows, total)


def scheduled_guides(shown: int = SHOWN) -> Listing:
    """Guides that go live on their own at their publish time, the soonest first. Queries: 2."""
    rows, total = capped(Article.objects.scheduled().only("pk", "title", "publish_at").order_by("publish_at", "id"), shown)
    return Listing(rows, total)


def _username_of(prefix: str) -> str:
    return f"{prefix}__{get_user_model().USERNAME_FIELD}"


def drafts(shown: int = SHOWN) -> Listing:
    """Draft guides, the last edited first, each with ``last_editor``. Queries: 2.

    The last editor is the author of the guide's latest revision, else of its
    latest admin log entry (as ``editorial.revisions.last_change`` says),
    read in the same query as the drafts.
    """
    key = Cast(OuterRef("pk"), CharField())
    revision_user = (
        Version.objects.filter(content_type__app_label="articles", content_type__model="article", object_id=key)
        .exclude(revision__user=None)
        .order_by("-pk")
        .values(_username_of("revision__user"))[:1]
    )
    logged_user = (
        LogEntry.objects.filter(content_type__app_label="articles", content_type__model="article", object_id=key)
        .order_by("-action_time", "-pk")
        .values(_username_of("user"))[:1]
    )
    queryset = (
        Article.objects.filter(status=Article.Status.DRAFT)
        .only("pk", "title", "updated_at")
        .annotate(last_editor=Coalesce(Subquery(revision_user), Subquery(logged_user)))
        .order_by("-updated_at", "-id")
    )
    rows, total = capped(queryset, shown)
    return Listing(rows, total)


@dataclass
class Change:
    when: datetime
    who: str
    comment: str
    what: str
    url: str | None


def _admin_url(version: Version, many: bool) -> str | None:
    ct = version.content_type
    try:
        if many:
            return reverse(f"admin:{ct.app_label}_{ct.model}_changelist")
        return reverse(f"admin:{ct.app_label}_{ct.model}_change", args=[version.object_id])
    except NoReverseMatch:
        return None


def recent_changes(shown: int = SHOWN) -> list[Change]:
    """The last ``shown`` saves made in the admin, by anyone, with what they touched. Queries: 2.

    Every admin save, restore, delete and round of figures is a reversion
    revision with its author; a revision's first object names it, with how
    many more it holds.
    """
    versions = Version.objects.select_related("content_type").only(
        "revision_id", "object_id", "object_repr", "content_type__app_label", "content_type__model"
    ).order_by("pk")
    revisions = (
        Revision.objects.select_related("user")
        .prefetch_related(Prefetch("version_set", queryset=versions, to_attr="shown_versions"))
        .order_by("-date_created", "-pk")[:shown]
    )
    changes = []
    for revision in revisions:
        objects = revision.shown_versions
        first = objects[0] if objects else None
        what = first.object_repr if first else "—"
        if len(objects) > 1:
            what += f" and {len(objects) - 1} more"
        many = len({v.content_type_id for v in objects}) == 1 and len(objects) > 1
        user = revision.user.get_username() if revision.user else "unknown"
        url = _admin_url(first, many) if first else None
        changes.append(Change(revision.date_created, user, revision.get_comment(), what, url))
    return changes
