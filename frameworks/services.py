"""Writes to the catalogue that span rows or models.

The admin, the seed command and imports call these; each is atomic and
validates every row by the model's rules before anything is saved.
"""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from pagecache import generation

from .models import Framework, Measurement, Metric, ReviewItem
from .selectors import current_figures


@transaction.atomic
def record_measurements(
    *,
    framework: Framework,
    values: Mapping[Metric, Decimal | int | str],
    as_of: date,
    source_name: str,
    source_url: str,
    recorded_by=None,
    note: str = "",
) -> list[Measurement]:
    """Record new figures for one framework as of one date.

    A figure never replaces an earlier one: each value becomes a new
    Measurement. Raises ValidationError (and saves nothing) if any value is
    invalid or already recorded for that date.
    """
    return record_round(
        [
            Measurement(
                framework=framework,
                metric=metric,
                value=Decimal(str(value)),
                as_of=as_of,
                source_name=source_name,
                source_url=source_url,
                note=note,
            )
            for metric, value in values.items()
        ],
        recorded_by=recorded_by,
    )


class FigureErrors(ValidationError):
    """A batch of figures that cannot be saved, with every problem of every row.

    ``rows`` maps a row's index in the batch to ``{field name: [messages]}``
    (``NON_FIELD_ERRORS`` for the row as a whole), so a form can put each
    message beside the value it is about.
    """

    def __init__(self, rows: dict[int, dict[str, list[str]]]):
        self.rows = rows
        super().__init__(
            [
                ValidationError("Row %(row)s: %(message)s", params={"row": index + 1, "message": message})
                for index, fields in sorted(rows.items())
                for messages in fields.values()
                for message in messages
            ]
        )


def _constraint(name: str):
    return next(c for c in Measurement._meta.constraints if c.name == name)


def check_figures(measurements: Sequence[Measurement]) -> dict[int, dict[str, list[str]]]:
    """Every problem of every unsaved figure, keyed by its index then by field. Saves nothing.

    The same rules as ``full_clean()``, in a fixed number of queries for the
    whole batch: each row's fields are validated in Python, then one query
    each checks that the frameworks and metrics exist and that no figure
    is already recorded for a row's framework, metric and date. Two rows of
    the batch that claim the same framework, metric and date are caught too.
    """
    errors: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for index, measurement in enumerate(measurements):
        try:
            measurement.full_clean(exclude=["framework", "metric"], validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                errors[index][name] += messages

    for name, model in (("framework", Framework), ("metric", Metric)):
        field = Measurement._meta.get_field(name)
        wanted = {getattr(m, field.attname) for m in measurements} - {None}
        found = set(model._base_manager.filter(pk__in=wanted).order_by().values_list("pk", flat=True))
        for index, measurement in enumerate(measurements):
            pk = getattr(measurement, field.attname)
            if pk is None:
                errors[index][name].append(str(field.error_messages["null"]))
            elif pk not in found:
                errors[index][name].append(
                    str(field.error_messages["invalid"])
                    % {"model": model._meta.verbose_name, "pk": pk, "field": "id", "value": pk}
                )

    keys = [(m.framework_id, m.metric_id, m.as_of) for m in measurements]
    complete = [key for key in keys if None not in key]
    recorded = set()
    if complete:
        recorded = set(
            Measurement.objects.filter(
                framework_id__in={k[0] for k in complete},
                metric_id__in={k[1] for k in complete},
                as_of__in={k[2] for k in complete},
            )
            .order_by()
            .values_list("framework_id", "metric_id", "as_of")
        )
    already = _constraint("one_value_per_framework_metric_day").get_violation_error_message()
    seen: set[tuple] = set()
    for index, key in enumerate(keys):
        if key in recorded:
            errors[index][NON_FIELD_ERRORS].append(already)
        if key in seen:
            errors[index]["as_of"].append(
                "Repeats an earlier row of this batch: one value per framework, metric and date."
            )
        seen.add(key)
    return {index: dict(fields) for index, fields in errors.items() if fields}


@dataclass(frozen=True)
class Drop:
    """A new figure less than half of the current one: a typo as often as news."""

    measurement: Measurement
    previous: Measurement


def find_drops(measurements: Sequence[Measurement]) -> list[Drop]:
    """The figures that fall by more than half against the current value, in one query."""
    current = current_figures(
        frameworks={m.framework_id for m in measurements}, metrics={m.metric for m in measurements}
    )
    drops = []
    for measurement in measurements:
        previous = current.get((measurement.framework_id, measurement.metric_id))
        if previous is not None and previous.value > 0 and measurement.value * 2 < previous.value:
            drops.append(Drop(measurement, previous))
    return drops


@transaction.atomic
def record_round(measurements: Sequence[Measurement], *, recorded_by=None) -> list[Measurement]:
    """Save a batch of new figures all together or not at all.

    Raises ``FigureErrors`` (and saves nothing) when any figure is invalid.
    The batch is checked and inserted in a fixed number of queries, however
    many rows it has, and cached pages are invalidated once, when the
    transaction commits. The saved figures are returned with their ids.
    """
    errors = check_figures(measurements)
    if errors:
        raise FigureErrors(errors)
    for measurement in measurements:
        measurement.recorded_by = recorded_by
    try:
        saved = Measurement.objects.bulk_create(measurements)
    except IntegrityError as exc:
        # Validated a moment ago: another editor saved a clashing figure in between.
        raise ValidationError(
            "Another editor recorded one of these figures at the same moment. Nothing was saved; try again."
        ) from exc
    # A bulk insert sends no model signals: tell the page cache once for the batch.
    generation.bump_on_commit()
    return saved


@dataclass
class ReviewOutcome:
    approved: int = 0
    rejected: int = 0
    skipped: list[str] | None = None  # why some could not be approved


@transaction.atomic
def approve(items, *, user) -> ReviewOutcome:
    """Apply waiting review items: a figure is recorded with its collection date, a fact or identifier set.

    Items already decided are left alone. A figure that clashes with one
    recorded since (same framework, metric and date) is not approved and
    says so; the rest go ahead.
    """
    outcome = ReviewOutcome(skipped=[])
    now = timezone.now()
    items = list(
        ReviewItem.objects.select_for_update(of=("self",))
        .filter(pk__in=[item.pk for item in items], status=ReviewItem.Status.WAITING)
        .select_related("framework", "metric")
    )
    figures, frameworks = [], {}
    for item in items:
        if item.kind == ReviewItem.Kind.FIGURE:
            if Measurement.objects.filter(framework=item.framework, metric=item.metric, as_of=item.as_of).exists():
                outcome.skipped.append(f"{item}: a figure for {item.as_of:%-d %b %Y} is already recorded.")
                continue
            figures.append(
                Measurement(
                    framework=item.framework,
                    metric=item.metric,
                    value=item.value,
                    as_of=item.as_of,
                    source_name=item.source_name,
                    source_url=item.source_url,
                    note=f"Approved after review: {item.get_reason_display().lower()}.",
                    collector=item.source,
                    collected_at=item.collected_at,
                )
            )
        else:
            # One instance per framework, so approving two of its facts keeps both.
            framework = frameworks.setdefault(item.framework_id, item.framework)
            field = Framework._meta.get_field(item.field)
            try:
                setattr(framework, item.field, field.to_python(item.proposed))
                framework.full_clean(validate_unique=True, validate_constraints=True)
            except ValidationError as exc:
                framework.refresh_from_db()
                outcome.skipped.append(f"{item}: {'; '.join(exc.messages)}")
                continue
            framework.save()
        item.status, item.decided_by, item.decided_at = ReviewItem.Status.APPROVED, user, now
        outcome.approved += 1
    if figures:
        record_round(figures, recorded_by=user)
    ReviewItem.objects.bulk_update(
        [i for i in items if i.status == ReviewItem.Status.APPROVED], ["status", "decided_by", "decided_at"]
    )
    return outcome


@transaction.atomic
def reject(items, *, user) -> ReviewOutcome:
    """Set waiting review items aside: nothing is recorded, and the decision is kept."""
    count = ReviewItem.objects.filter(pk__in=[i.pk for i in items], status=ReviewItem.Status.WAITING).update(
        status=ReviewItem.Status.REJECTED, decided_by=user, decided_at=timezone.now()
    )
    return ReviewOutcome(rejected=count, skipped=[])
