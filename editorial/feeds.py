"""Feed generators that deliver editors' text as text.

Feed readers render an RSS title and description, and an Atom entry whose
type is "html", as HTML. Django's generators write what they are given, so a
summary typed as ``<script>…`` would arrive as a script element. Here every
value the site passes is plain text, and each format is told so:

- RSS 2.0 has no way to say "text", so titles and descriptions (of the
  channel and of each item) are escaped as HTML: a reader shows the
  characters exactly as typed.
- Atom has: title, subtitle and summary are written with ``type="text"``.

Content that is already HTML (Markdown rendered and sanitised for the page)
would go in an Atom ``content`` element of type "html", which this leaves
as Django writes it.
"""

import html

from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

ATOM_TEXT_CONSTRUCTS = frozenset({"title", "subtitle", "summary", "rights"})


def html_text(value: str | None) -> str | None:
    """Plain text as HTML that displays it unchanged."""
    return html.escape(value, quote=False) if value else value


class TextRssFeed(Rss201rev2Feed):
    def __init__(self, title, link, description, **kwargs):
        super().__init__(html_text(title), link, html_text(description), **kwargs)

    def add_item(self, title, link, description, **kwargs):
        super().add_item(html_text(title), link, html_text(description), **kwargs)


class _TextConstructs:
    """Stands in for the XML writer, marking Atom's text constructs as plain text."""

    def __init__(self, handler):
        self._handler = handler

    def __getattr__(self, name):
        return getattr(self._handler, name)

    def addQuickElement(self, name, contents=None, attrs=None):  # noqa: N802 (the writer's own name)
        if name in ATOM_TEXT_CONSTRUCTS:
            attrs = {**(attrs or {}), "type": "text"}
        self._handler.addQuickElement(name, contents, attrs)


class TextAtomFeed(Atom1Feed):
    def add_root_elements(self, handler):
        super().add_root_elements(_TextConstructs(handler))

    def add_item_elements(self, handler, item):
        super().add_item_elements(_TextConstructs(handler), item)
