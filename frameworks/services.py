"""Writes to the catalogue that span rows or models.

The admin, the seed command and imports call these; each is atomic and
validates every row with ``full_clean()`` before anything is saved.
"""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from django.db import transaction

from .models import Framework, Measurement, Metric


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
    created = []
    for metric, value in values.items():
        measurement = Measurement(
            framework=framework,
            metric=metric,
            value=Decimal(str(value)),
            as_of=as_of,
            source_name=source_name,
            source_url=source_url,
            note=note,
            recorded_by=recorded_by,
        )
        measurement.full_clean()
        measurement.save()
        created.append(measurement)
    return created
