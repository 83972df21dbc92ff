from django import template
from django.conf import settings

from frameworks import selectors

register = template.Library()


@register.simple_tag
def stale_figures() -> dict:
    """The number of current figures older than the staleness age, for the admin index."""
    return {"count": selectors.stale_current_count(), "days": settings.STALE_FIGURE_DAYS}


@register.simple_tag
def collection_summary() -> dict:
    """The last collection run, the review queue and failing frameworks, for the admin index."""
    return selectors.collection_summary()
