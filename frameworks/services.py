"""Writes to the catalogue that span rows or models.

The admin, the seed command and imports call these; each is atomic and
validates every row with ``full_clean()`` before anything is saved.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction

from .models import Framework, Measurement, Metric
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


def check_figures(measurements: Sequence[Measurement]) -> dict[int, dict[str, list[str]]]:
    """Every problem of every unsaved figure, keyed by its index then by field.

    Runs ``full_clean()`` on each and also catches two rows of the batch that
    claim the same framework, metric and date. Saves nothing.
    """
    errors: dict[int, dict[str, list[str]]] = {}
    seen: dict[tuple, int] = {}
    for index, measurement in enumerate(measurements):
        try:
            measurement.full_clean()
        except ValidationError as exc:
            errors[index] = exc.message_dict
        key = (measurement.framework_id, measurement.metric_id, measurement.as_of)
        if key in seen:
            errors.setdefault(index, {}).setdefault("as_of", []).append(
                "Repeats an earlier row of this batch: one value per framework, metric and date."
            )
        else:
            seen[key] = index
    return errors


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

    Raises ValidationError with ``error_dict`` mapping "row <n>" to that row's
    messages (and saves nothing) when any figure is invalid.
    """
    errors = check_figures(measurements)
    if errors:
        raise ValidationError(
            {
                f"row {index + 1}": [
                    f"{'' if field == NON_FIELD_ERRORS else field + ': '}{message}"
                    for field, messages in fields.items()
                    for message in messages
                ]
                for index, fields in errors.items()
            }
        )
    try:
        with transaction.atomic():
            for measurement in measurements:
                measurement.recorded_by = recorded_by
                measurement.save()
    except IntegrityError as exc:
        # Validated a moment ago: another editor saved a clashing figure in between.
        raise ValidationError(
            "Another editor recorded one of these figures at the same moment. Nothing was saved; try again."
        ) from exc
    return list(measurements)
