"""Template tags for the editors' dashboard on the admin index (``templates/admin/index.html``).

Each tag loads one module's data from ``articles.dashboard``; the template
calls a tag only when the editor may see that module.
"""

from django import template

from articles import dashboard

register = template.Library()


@register.simple_tag
def stale_guides():
    return dashboard.stale_guides()


@register.simple_tag
def review_queue():
    return dashboard.review_queue()


@register.simple_tag
def scheduled_guides():
    return dashboard.scheduled_guides()


@register.simple_tag
def draft_guides():
    return dashboard.drafts()


@register.simple_tag
def recent_changes():
    return dashboard.recent_changes()
