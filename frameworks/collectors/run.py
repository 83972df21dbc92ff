"""A collection run: every source for every framework that names an identifier for it.

``queue_run`` records a run and enqueues the background task
(``frameworks.tasks.collect_figures``); ``execute`` is what the worker, or
``collect_figures --wait``, does with it:

- frameworks are taken in batches; within a batch each source is asked about
  each framework (a source whose rate limit is spent is not asked again until
  its reset, and the others go on; one framework's failure never stops the
  run);
- a value that fits the metric's recent pattern (``review.judge``) becomes a
  Measurement collected from that source, dated the day it was collected;
  any other value, every changed fact and every changed identifier wait in
  the review queue;
- each batch is written in one transaction, and cached pages are invalidated
  once per batch that recorded anything, never once per figure;
- a figure already recorded for that day (by an editor, or by a run
  working at the same time) is left as it is: the unique constraint on
  framework, metric and day makes the insert a no-op, so two runs never
  record a figure twice.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from pagecache import generation

from ..models import (
    CollectionResult,
    CollectionRun,
    Framework,
    Measurement,
    Metric,
    ReviewItem,
    SourceLimit,
    SourceState,
)
from . import identifiers, review
from .http import Outcome, SourceBudget
from .sources import SOURCES, Collected, Source

logger = logging.getLogger(__name__)

BATCH = 100
FAILED_AS_A_WHOLE = "Every call failed."


def queue_run(*, frameworks=(), sources=(), user=None, trigger="command", dry_run=False) -> CollectionRun:
    """Record a run and hand it to the worker. Returns the queued run."""
    from ..tasks import collect_figures  # the task module imports this one

    run = create_run(frameworks=frameworks, sources=sources, user=user, trigger=trigger, dry_run=dry_run)
    transaction.on_commit(lambda: collect_figures.enqueue(run.pk))
    return run


def create_run(*, frameworks=(), sources=(), user=None, trigger="command", dry_run=False) -> CollectionRun:
    unknown = set(sources) - set(SOURCES)
    if unknown:
        raise ValueError(f"Unknown source(s): {', '.join(sorted(unknown))}. Choose from {', '.join(SOURCES)}.")
    run = CollectionRun.objects.create(requested_by=user, trigger=trigger, sources=list(sources), dry_run=dry_run)
    if frameworks:
        run.frameworks.set(frameworks)
    return run


@dataclass
class _Batch:
    """What a batch decided, written together at its end."""

    figures: list[Measurement] = field(default_factory=list)
    items: list[ReviewItem] = field(default_factory=list)
    results: list[CollectionResult] = field(default_factory=list)
    states: dict[tuple[int, str], SourceState] = field(default_factory=dict)


def execute(run: CollectionRun) -> CollectionRun:
    """Run ``run`` to the end, recording its counts and results. Never raises for what a source does."""
    run.status, run.started_at = CollectionRun.Status.RUNNING, timezone.now()
    run.save(update_fields=["status", "started_at"])
    try:
        _collect(run)
    except Exception as exc:  # the run as a whole failed (database gone, a bug): say so and re-raise
        logger.exception("Collection run %s failed", run.pk)
        run.status, run.error = CollectionRun.Status.FAILED, f"{type(exc).__name__}: {exc}"
        run.finished_at = timezone.now()
        run.save()
        raise
    failed_as_a_whole = run.checked > 0 and run.failed == run.checked
    run.status = CollectionRun.Status.FAILED if failed_as_a_whole else CollectionRun.Status.SUCCEEDED
    run.error = FAILED_AS_A_WHOLE if failed_as_a_whole else ""
    run.finished_at = timezone.now()
    run.save()
    return run


def _collect(run: CollectionRun) -> None:
    sources = [SOURCES[name] for name in (run.sources or SOURCES)]
    metrics = {m.slug: m for m in Metric.objects.filter(slug__in=[s for src in sources for s in src.metrics])}
    budget = SourceBudget({limit.source: limit.until for limit in SourceLimit.objects.filter(until__gt=timezone.now())})
    wanted = Q()
    for source in sources:
        wanted |= ~Q(**{source.identifier_field: ""})
    frameworks = Framework.objects.filter(wanted).order_by("pk")
    chosen = list(run.frameworks.values_list("pk", flat=True))
    if chosen:
        frameworks = frameworks.filter(pk__in=chosen)
    last_pk = 0
    while True:
        batch = list(frameworks.filter(pk__gt=last_pk)[:BATCH])
        if not batch:
            break
        last_pk = batch[-1].pk
        _collect_batch(run, batch, sources, metrics, budget)
    if not run.dry_run:
        _save_limits(budget)


def _collect_batch(run, frameworks, sources: list[Source], metrics, budget: SourceBudget) -> None:
    pks = [fw.pk for fw in frameworks]
    states = {(s.framework_id, s.source): s for s in SourceState.objects.filter(framework__in=pks)}
    history = _recent_history(pks, metrics.values())
    batch = _Batch()
    now = timezone.now()
    for framework in frameworks:
        for source in sources:
            identifier = getattr(framework, source.identifier_field)
            if not identifier:
                continue
            state = states.get((framework.pk, source.name)) or SourceState(
                framework=framework, source=source.name, identifier=identifier
            )
            if state.identifier != identifier:  # an editor changed it: start afresh
                state.identifier, state.etag, state.gone, state.error = identifier, "", False, ""
            batch.states[framework.pk, source.name] = state
            if state.gone:
                _result(run, batch, framework, source, CollectionResult.Outcome.SKIPPED,
                        f"Stopped: {state.error} Change the identifier to try again.")
                continue
            try:
                collected = source.collect(
                    identifier, etag=state.etag or None, budget=budget, last_checked=state.succeeded_at
                )
            except Exception as exc:  # a bug in a parser must not stop the run for everyone else
                logger.exception("Collecting %s for %s", source.name, framework)
                collected = Collected(Outcome.INVALID, identifier, source.label, "", error=f"Internal error: {exc}")
            _apply(run, batch, framework, source, state, collected, metrics, history, now)
    if run.dry_run:
        CollectionResult.objects.bulk_create(batch.results)
    else:
        _write(batch)
    run.save(update_fields=["checked", "recorded", "unchanged", "queued_for_review", "failed"])


def _recent_history(framework_pks, metrics) -> dict[tuple[int, int], list]:
    """(framework, metric) → its most recent figures, newest first (at most ``review.RECENT``)."""
    rows = (
        Measurement.objects.filter(framework__in=framework_pks, metric__in=[m.pk for m in metrics])
        .order_by("framework_id", "metric_id", "-as_of")
        .values_list("framework_id", "metric_id", "as_of", "value")
    )
    history = defaultdict(list)
    for framework_id, metric_id, as_of, value in rows:
        figures = history[framework_id, metric_id]
        if len(figures) < review.RECENT:
            figures.append((as_of, value))
    return history


def _apply(run, batch: _Batch, framework, source, state, collected: Collected, metrics, history, now) -> None:
    Result = CollectionResult.Outcome
    if collected.outcome in (Outcome.SKIPPED, Outcome.RATE_LIMITED):
        # Not asked, and not this framework's failure: checked recently, or the source's limit is spent.
        _result(run, batch, framework, source, Result.SKIPPED, collected.error or "Checked recently.")
        return
    run.checked += 1
    state.checked_at = now
    if collected.outcome is Outcome.NOT_MODIFIED:
        state.succeeded_at, state.failing_since, state.error = now, None, ""
        run.unchanged += 1
        _result(run, batch, framework, source, Result.UNCHANGED, "Not modified since the last check.")
        return
    if not collected.ok:
        run.failed += 1
        state.error = (collected.error or collected.outcome.value)[:500]
        state.failing_since = state.failing_since or now
        if collected.outcome is Outcome.NOT_FOUND:
            state.gone = True
        _result(run, batch, framework, source, Result.FAILED, state.error)
        return

    state.etag = collected.etag or ""
    state.succeeded_at, state.failing_since, state.error = now, None, ""
    if collected.archived:
        state.gone, state.error = True, "The repository is archived."
    as_of = timezone.localdate(now)
    recorded = queued = 0
    moved = collected.moved_to
    if moved:
        batch.items.append(_item(framework, source, collected, now, kind=ReviewItem.Kind.IDENTIFIER,
                                 field=source.identifier_field, current=state.identifier, proposed=moved,
                                 reason=ReviewItem.Reason.MOVED, explanation=collected.error))
        queued += 1
    for slug, value in collected.values.items():
        metric = metrics.get(slug)
        if metric is None:
            continue  # the catalogue does not track this metric
        figures = history.get((framework.pk, metric.pk), [])
        if figures and figures[0][0] >= as_of:
            continue  # already recorded for today, by an editor or an earlier run
        verdict = review.judge(metric, figures, value, as_of)
        if moved:
            verdict = review.Verdict(ReviewItem.Reason.MOVED, f"Collected from {moved}, not {state.identifier}.")
        if verdict:
            batch.items.append(_item(framework, source, collected, now, kind=ReviewItem.Kind.FIGURE, metric=metric,
                                     field=metric.slug, proposed=metric.format(value), value=value, as_of=as_of,
                                     reason=verdict.reason, explanation=verdict.explanation,
                                     current=_current(metric, figures)))
            queued += 1
            continue
        batch.figures.append(
            Measurement(framework=framework, metric=metric, value=value, as_of=as_of,
                        source_name=collected.source_name, source_url=collected.source_url,
                        collector=source.name, collected_at=now)
        )
        recorded += 1
    for name, (current, proposed) in review.fact_changes(framework, collected.facts).items():
        batch.items.append(_item(framework, source, collected, now, kind=ReviewItem.Kind.FACT, field=name,
                                 current=current, proposed=proposed, reason=ReviewItem.Reason.CHANGED,
                                 explanation=f"The package index says {proposed!r}."))
        queued += 1
    run.recorded += recorded
    run.queued_for_review += queued
    if queued:
        outcome, detail = Result.QUEUED, f"{recorded} recorded, {queued} waiting for review."
    elif recorded:
        outcome, detail = Result.RECORDED, f"{recorded} recorded."
    else:
        outcome, detail = Result.UNCHANGED, "Nothing new."
        run.unchanged += 1
    if collected.archived:
        detail += " The repository is archived: it will not be asked again."
    _result(run, batch, framework, source, outcome, detail)


def _current(metric, figures) -> str:
    return metric.format(figures[0][1]) if figures else ""


def _item(framework, source, collected: Collected, now: datetime, **fields) -> ReviewItem:
    return ReviewItem(framework=framework, source=source.name, source_name=collected.source_name,
                      source_url=collected.source_url or source.reader_url(collected.identifier),
                      collected_at=now, **fields)


def _result(run, batch: _Batch, framework, source, outcome, detail: str) -> None:
    batch.results.append(
        CollectionResult(run=run, framework=framework, source=source.name, outcome=outcome, detail=detail[:500])
    )


@transaction.atomic
def _write(batch: _Batch) -> None:
    if batch.figures:
        # ignore_conflicts: a figure recorded for that day meanwhile (another run, an editor) stays as it is.
        Measurement.objects.bulk_create(batch.figures, ignore_conflicts=True)
        generation.bump_on_commit()
    if batch.items:
        # One waiting item per subject: a later collection replaces what waits.
        subjects = {(item.framework_id, item.kind, item.field) for item in batch.items}
        waiting = ReviewItem.objects.waiting().filter(framework__in={s[0] for s in subjects})
        replaced = [pk for pk, *subject in waiting.values_list("pk", "framework_id", "kind", "field")
                    if tuple(subject) in subjects]
        ReviewItem.objects.filter(pk__in=replaced).delete()
        # ignore_conflicts: if a run working at the same time queued the same subject first, its item stands.
        ReviewItem.objects.bulk_create(batch.items, ignore_conflicts=True)
    CollectionResult.objects.bulk_create(batch.results)
    new = [s for s in batch.states.values() if s.pk is None]
    old = [s for s in batch.states.values() if s.pk is not None]
    # A run working at the same time may have created the same states first; its ones stand.
    SourceState.objects.bulk_create(new, ignore_conflicts=True)
    SourceState.objects.bulk_update(
        old, ["identifier", "etag", "checked_at", "succeeded_at", "failing_since", "error", "gone"]
    )


def _save_limits(budget: SourceBudget) -> None:
    for source, until in budget.snapshot().items():
        SourceLimit.objects.update_or_create(source=source, defaults={"until": until, "reason": "Rate limit or quota"})


def package_facts(source: Source, name: str) -> dict:
    """What the package index says about ``name``, as initial values for a new framework's admin form.

    Returns ``{"ok": True, "initial": {field: text}}`` or ``{"ok": False, "error": message}``
    (JSON, since it travels back through the task queue).
    """
    collected = source.collect(name, budget=SourceBudget())
    if not collected.ok:
        return {"ok": False, "error": collected.error or f"The package index did not answer ({collected.outcome})."}
    facts = collected.facts
    initial = {
        "name": facts.get("name") or name,
        "tagline": facts.get("summary"),
        "license": facts.get("license"),
        "home_url": facts.get("home_url"),
        "repository_url": facts.get("repository_url"),
        "documentation_url": facts.get("documentation_url"),
        "year_created": facts.get("first_release_year"),
        "latest_version": facts.get("latest_version"),
        "latest_release_on": facts.get("latest_release_date"),
        "pypi_package": name,
        "github_repo": identifiers.github_repo_from_url(facts.get("repository_url") or facts.get("home_url") or ""),
    }
    return {"ok": True, "initial": {key: str(value) for key, value in initial.items() if value}}
