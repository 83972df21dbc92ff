"""Figures as plain data, for the JSON API and the readers' downloads.

One shape for a figure wherever it leaves the site as data, so a program
that reads the API reads a download the same way. Values are exact: a
figure stored as 61203.0000 is the integer 61203, and 12.50 ms is 12.5.
"""

from decimal import Decimal

from django.db.models import QuerySet

from .models import Framework, Measurement, Metric


def number(value: Decimal) -> int | float:
    """A stored figure as a JSON number: an integer when it is whole."""
    return int(value) if value == value.to_integral_value() else float(value)


def origin(measurement: Measurement) -> str:
    """ "collected" when a collector fetched the figure from a public API, "entered" when an editor typed it."""
    return "collected" if measurement.collector else "entered"


def figure_record(measurement: Measurement, *, framework: Framework, metric: Metric) -> dict:
    """One figure with everything a reader needs to trust it: value, unit, date, source and how it got here."""
    return {
        "framework": framework.slug,
        "metric": metric.slug,
        "value": number(measurement.value),
        "unit": metric.unit,
        "display": metric.format(measurement.value),
        "as_of": measurement.as_of,
        "source_name": measurement.source_name,
        "source_url": measurement.source_url,
        "origin": origin(measurement),
        "collected_from": measurement.get_collector_display() if measurement.collector else None,
        "collected_at": measurement.collected_at,
        "recorded_at": measurement.recorded_at,
        "note": measurement.note,
    }


def history(frameworks) -> QuerySet[Measurement]:
    """Every figure ever recorded for these frameworks, each pair oldest first.

    Only measurements: figures waiting for review are ReviewItems and are
    not part of it until an editor accepts them. Callers pass published
    frameworks. Framework and metric are joined in, so the rows cost one
    query however many there are.
    """
    return (
        Measurement.objects.filter(framework__in=list(frameworks))
        .select_related("framework", "metric")
        .order_by("framework__name", "metric__position", "metric__name", "as_of", "id")
    )
