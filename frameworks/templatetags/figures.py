from django import template
from django.conf import settings

from frameworks import figures_admin, selectors

register = template.Library()


@register.simple_tag
def stale_figures() -> dict:
    """The number of current figures older than the staleness age, for the admin index."""
    return {"count": selectors.stale_current_count(), "days": settings.STALE_FIGURE_DAYS}


@register.simple_tag
def collection_summary() -> dict:
    """The last collection run, the review queue and failing frameworks, for the admin index."""
    return selectors.collection_summary()


@register.simple_tag
def stale_mark(as_of) -> str:
    """The amber "⚠ 7 years old" mark of a stale figure, as the Measurements list shows it."""
    return figures_admin.stale_mark(as_of)
