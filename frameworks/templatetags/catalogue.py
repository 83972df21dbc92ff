"""Template tags for catalogue figures.

``{% source measurement %}`` renders a figure's "as of <date>, <source>"
line, or "collected from GitHub on 2 Dec 2026" for a collected figure.
``{% source measurement provenance=True %}`` also says "entered by an
editor" of the others: profile cards and framework pages have the room,
dense tables do not. It is a tag rather than an include because the directory renders it
for every framework and metric, and an include per cell doubles that page's
rendering time.

``{{ url|url_text }}`` shows a URL as link text: without its scheme, and
free to wrap after a slash or before a dot, but only where the line would
otherwise overflow.
"""

import re

from django import template
from django.utils.dateformat import format as format_date
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def source(measurement, provenance=False) -> str:
    if not measurement:
        return ""
    if measurement.collector:
        # Collected figures are dated the day they were collected.
        return format_html(
            '<span class="asof"><a href="{}" rel="nofollow">collected from {}</a> on <time datetime="{}">{}</time>'
            "</span>",
            measurement.source_url,
            measurement.source_name,
            measurement.as_of.isoformat(),
            format_date(measurement.as_of, "j M Y"),
        )
    return format_html(
        '<span class="asof">as of <time datetime="{}">{}</time>, <a href="{}" rel="nofollow">{}</a>{}</span>',
        measurement.as_of.isoformat(),
        format_date(measurement.as_of, "j M Y"),
        measurement.source_url,
        measurement.source_name,
        ", entered by an editor" if provenance else "",
    )


# Where a long address may wrap: after a slash, before a dot (so no line ends in one).
_URL_BREAKS = re.compile(r"(?<=/)(?!/)|(?<=[^/])(?=\.)")


@register.filter
def url_text(url) -> SafeString:
    """``https://github.com/django/django`` → ``github.com/<wbr>django/<wbr>django``, escaped."""
    text = re.sub(r"^https?://", "", str(url or ""), flags=re.IGNORECASE)
    if text.count("/") == 1 and text.endswith("/"):
        text = text[:-1]  # a bare host reads better without its slash
    return mark_safe("<wbr>".join(escape(part) for part in _URL_BREAKS.split(text) if part))
