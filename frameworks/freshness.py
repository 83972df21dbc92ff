"""When a figure counts as stale: older than ``settings.STALE_FIGURE_DAYS`` (180 by default)."""

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Max
from django.utils import timezone


def stale_cutoff() -> date:
    """Figures measured before this day are stale."""
    return timezone.localdate() - timedelta(days=settings.STALE_FIGURE_DAYS)


def is_stale(as_of: date | None) -> bool:
    return as_of is not None and as_of < stale_cutoff()


def stale_current_count() -> int:
    """How many current figures (the latest per framework and metric) are stale, in one query."""
    from .models import Measurement

    return (
        Measurement.objects.values("framework", "metric")
        .annotate(latest=Max("as_of"))
        .filter(latest__lt=stale_cutoff())
        .count()
    )
