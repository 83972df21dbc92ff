"""The one staleness rule: a figure measured more than ``settings.STALE_FIGURE_DAYS`` days ago is stale.

``Measurement.is_stale`` and ``Measurement.objects.stale()`` apply it to
rows; guides apply it to their oldest figure.
"""

from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone


def stale_cutoff() -> date:
    """Figures measured before this day are stale."""
    return timezone.localdate() - timedelta(days=settings.STALE_FIGURE_DAYS)


def is_stale(as_of: date | None) -> bool:
    return as_of is not None and as_of < stale_cutoff()
