"""Changes that are due later: content that goes live at a time set in advance.

The page cache knows no content app. An app whose rows can become visible
on their own at a future time (a scheduled guide) registers, for that
model, a function that returns the next such moment::

    schedule.register(Article, Article.objects.next_publish_at)

The content generation carries the earliest of these moments, so cached
pages turn over when it passes, and a change to a registered model
recomputes it.
"""

from collections.abc import Callable
from datetime import datetime

_next_change: dict[str, Callable[[], datetime | None]] = {}


def register(model, next_change: Callable[[], datetime | None]) -> None:
    """``next_change()`` returns when the next row of ``model`` goes live, or None."""
    _next_change[model._meta.label] = next_change


def is_scheduled(model) -> bool:
    """Whether a change to ``model`` can move the next scheduled change."""
    return model._meta.label in _next_change


def next_change() -> datetime | None:
    """The earliest moment any registered model has content going live, or None."""
    moments = [when for find in _next_change.values() if (when := find()) is not None]
    return min(moments, default=None)
