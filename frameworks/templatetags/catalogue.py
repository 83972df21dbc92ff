"""Template tags for catalogue figures.

``{% source measurement %}`` renders a figure's "as of <date>, <source>"
line. It is a tag rather than an include because the directory renders it
for every framework and metric, and an include per cell doubles that page's
rendering time.
"""

from django import template
from django.utils.dateformat import format as format_date
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def source(measurement) -> str:
    if not measurement:
        return ""
    return format_html(
        '<span class="asof">as of <time datetime="{}">{}</time>, <a href="{}" rel="nofollow">{}</a></span>',
        measurement.as_of.isoformat(),
        format_date(measurement.as_of, "j M Y"),
        measurement.source_url,
        measurement.source_name,
    )
