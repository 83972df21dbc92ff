"""What changed in a published guide: its figures, its sections, its publication. Newest first.

Figures are not copied anywhere: a new figure is a new ``Measurement`` row, so the figure changes
of a guide are read from the catalogue's history. Sections and publication have no history of their
own and are recorded as ``GuideChange`` rows (see ``services``). The feed
(``feeds.GuideChangesFeed``) and the guide page's "What changed since …" box both read here.

The figures a guide shows, as pairs of (framework, metric), published frameworks only:

- tables: the compared frameworks on the table's metrics (none chosen: every metric);
- charts: the compared frameworks on the chart's metric;
- profile cards: the card's framework on every metric;
- capability matrices, prose and quotes: none.

A figure change is a measurement of one of those pairs, recorded after the guide's publish time and
dated on or after the day of it, that became the pair's current figure when it was recorded. A
backfill (a figure dated before one already recorded) changed nothing readers saw, so it is not
one; nor is a figure dated before the guide was published but loaded later (a seed, an import of
history): it was already true when the guide came out.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import DateTimeField, Exists, ExpressionWrapper, OuterRef, Q, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import TruncDate
from django.utils import timezone

from frameworks.models import Measurement

from .models import Article, GuideChange, Section

FEED_ENTRIES = 30
PAGE_ENTRIES = 5


@dataclass(frozen=True)
class Change:
    """One entry: a sentence for readers, when it happened, and an anchor unique to it."""

    anchor: str
    when: datetime
    title: str
    description: str
    url: str


def shown_pairs(frameworks, sections) -> dict[int, frozenset[int] | None]:
    """The figures the guide shows: for each published framework's id, the ids of its metrics shown
    (None: every metric). Empty when the guide shows no figure. No queries.

    ``frameworks`` are the guide's compared frameworks, ``sections`` its sections with their
    ``framework`` loaded and ``metrics`` prefetched.
    """
    every_metric, metric_ids = False, set()
    for section in sections:
        if section.kind == Section.Kind.TABLE:
            chosen = {m.pk for m in section.metrics.all()}
            every_metric = every_metric or not chosen
            metric_ids |= chosen
        elif section.kind == Section.Kind.CHART and section.metric_id:
            metric_ids.add(section.metric_id)
    pairs: dict[int, frozenset[int] | None] = {}
    if every_metric or metric_ids:
        compared_metrics = None if every_metric else frozenset(metric_ids)
        pairs.update((fw.pk, compared_metrics) for fw in frameworks if fw.is_published)
    for section in sections:
        if section.kind == Section.Kind.PROFILE and section.framework is not None and section.framework.is_published:
            pairs[section.framework_id] = None
    return pairs


def _recorded_before() -> Q:
    """Recorded before the outer measurement (the id breaks a tie on the time)."""
    return Q(recorded_at__lt=OuterRef("recorded_at")) | Q(recorded_at=OuterRef("recorded_at"), pk__lt=OuterRef("pk"))


def _newest_changes(article: Article, pairs: dict[int, frozenset[int] | None], limit: int) -> RawSQL:
    """The ids of each framework's ``limit`` newest figure changes, as one subquery: a UNION ALL of one
    ``ORDER BY recorded_at DESC LIMIT limit`` per framework, each walking index
    measurement_framework_recorded from its newest end and stopping at ``limit`` changes. One query
    over all the guide's frameworks would test every figure they have had since the guide came out
    (13,000 a guide after two years of daily figures), then sort them. Django cannot union sliced
    querysets on SQLite, so the arms are Django's own SQL joined here, as in
    ``frameworks.selectors.newest_adoptions``.

    The backfill test reads only figures dated between this one and two days after it was recorded:
    no figure is dated after the day it is recorded (``validate_not_future``; the slack is for time
    zones), so one dated later but recorded earlier lies in that range, a short range of index
    measurement_latest whatever the length of the history.
    """
    latest_possible = TruncDate(
        ExpressionWrapper(OuterRef("recorded_at") + timedelta(days=2), output_field=DateTimeField())
    )
    seen_later_first = Measurement.objects.filter(
        _recorded_before(),
        framework=OuterRef("framework"),
        metric=OuterRef("metric"),
        as_of__gt=OuterRef("as_of"),
        as_of__lt=latest_possible,
    )
    since = Measurement.objects.filter(
        recorded_at__gt=article.publish_at, as_of__gte=timezone.localdate(article.publish_at)
    ).exclude(Exists(seen_later_first))
    arms, params = [], []
    for n, (framework_id, metric_ids) in enumerate(sorted(pairs.items())):
        rows = since.filter(framework_id=framework_id)
        if metric_ids is not None:
            rows = rows.filter(metric_id__in=sorted(metric_ids))
        sql, arm_params = rows.order_by("-recorded_at", "-id").values("id")[:limit].query.sql_with_params()
        arms.append(f"SELECT id FROM ({sql}) AS newest_{n}")
        params.extend(arm_params)
    return RawSQL(" UNION ALL ".join(arms), params)


def figure_changes(article: Article, pairs: dict[int, frozenset[int] | None], limit: int):
    """The ``limit`` newest figure changes among ``pairs`` (``shown_pairs``, not empty) since the guide
    was published, newest first, each with ``previous``: the pair's current value just before it was
    recorded (None for a first figure). One query; see ``_newest_changes`` for how it stays short.
    """
    previous = (
        Measurement.objects.filter(
            _recorded_before(), framework=OuterRef("framework"), metric=OuterRef("metric"), as_of__lt=OuterRef("as_of")
        )
        .order_by("-as_of", "-id")
        .values("value")[:1]
    )
    return (
        Measurement.objects.filter(pk__in=_newest_changes(article, pairs, limit))
        .select_related("framework", "metric")
        .annotate(previous=Subquery(previous))
        .order_by("-recorded_at", "-id")[:limit]
    )


def _figure_change(article: Article, m: Measurement) -> Change:
    """ "Flask GitHub stars 45,761 → 61,203, as of 3 Dec 2026", with the source in the description."""
    name, new = f"{m.framework.name} {m.metric.name}", m.display_value
    if m.previous is None:
        title, was = f"{name}: first figure {new}", ""
    elif m.previous == m.value:
        title, was = f"{name} unchanged at {new}", ", unchanged"
    else:
        before = m.metric.format(m.previous)
        title, was = f"{name} {before} → {new}", f", {'up' if m.value > m.previous else 'down'} from {before}"
    description = (
        f"{name}: {new} on {m.as_of:%-d %B %Y}{was}. Source: {m.source_name} ({m.source_url}), {m.provenance}."
    )
    if m.note:
        description += f" {m.note}"
    anchor = f"change-figure-{m.pk}"
    url = f"{article.get_absolute_url()}#{anchor}"
    return Change(anchor, m.recorded_at, f"{title}, as of {m.as_of:%-d %b %Y}", description, url)


def recorded_changes(article: Article, limit: int, *, first_publication: bool = True):
    """The guide's ``limit`` newest recorded changes (``GuideChange``), newest first. One query."""
    rows = GuideChange.objects.filter(article=article)
    if not first_publication:
        rows = rows.exclude(kind=GuideChange.Kind.PUBLISHED)
    return rows.order_by("-happened_at", "-id")[:limit]


def _recorded_change(article: Article, row: GuideChange) -> Change:
    row.article = article
    if row.kind in GuideChange.PUBLICATION_KINDS:
        description = f"“{article.title}” was {row.get_kind_display().lower()}."
    else:
        description = f"{row.summary} in “{article.title}”."
    return Change(row.anchor, row.shown_at, row.summary, description, row.get_absolute_url())


def guide_changes(article: Article, *, frameworks, sections, limit: int = FEED_ENTRIES,
                  first_publication: bool = True) -> list[Change]:
    """The guide's ``limit`` newest changes, figures and recorded ones merged, newest first.

    ``frameworks`` and ``sections`` as the guide page loads them (see ``shown_pairs``).
    ``first_publication=False`` leaves out the "Published" entry, which the page already dates.
    Queries: 2, or 1 when the guide shows no figure.
    """
    pairs = shown_pairs(frameworks, sections)
    recorded = recorded_changes(article, limit, first_publication=first_publication)
    changes = [_recorded_change(article, row) for row in recorded]
    if pairs:
        changes += [_figure_change(article, m) for m in figure_changes(article, pairs, limit)]
    changes.sort(key=lambda change: change.when, reverse=True)
    return changes[:limit]


def load_guide_changes(article: Article, limit: int = FEED_ENTRIES) -> list[Change]:
    """``guide_changes`` for a guide whose frameworks and sections are not loaded yet. Queries: 5 or 4."""
    frameworks = [af.framework for af in article.article_frameworks.select_related("framework")]
    sections = list(
        article.sections.select_related("framework").prefetch_related("metrics").order_by("position", "id")
    )
    return guide_changes(article, frameworks=frameworks, sections=sections, limit=limit)
