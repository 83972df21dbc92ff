"""Checks that a page or a feed lets no editor input act as markup or script.

``dangers(markup)`` lists every executable or page-hijacking construct in an HTML page.
``check_page(path, client)`` and ``check_feed(path, client)`` fetch a URL and return its problems as
strings (empty: fine), so a test can assert on them or show they catch a deliberately broken escape.
"""

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

import feedparser
from django.conf import settings
from django.test import Client
from django.urls import Resolver404, resolve

from articles.models import Article
from frameworks.models import Framework, Measurement

BAD_SCHEMES = ("javascript:", "data:", "vbscript:")
# Attributes whose value is fetched or navigated to (SVG animation targets included).
URL_ATTRS = {
    "action", "archive", "background", "cite", "classid", "codebase", "data", "dynsrc", "formaction", "from",
    "href", "icon", "longdesc", "lowsrc", "manifest", "ping", "poster", "profile", "src", "to", "usemap",
    "values", "xlink:href", "xml:base",
}
# Elements that run code, load another document or style, or take over the rest of the page.
FORBIDDEN_TAGS = {
    "applet", "base", "embed", "frame", "frameset", "iframe", "isindex", "listing", "math", "noembed",
    "noframes", "object", "plaintext", "portal", "style", "xmp",
}
# What the site's charts and the admin's icons draw with; anything else inside <svg> is foreign content.
SVG_TAGS = {
    "svg", "title", "desc", "g", "line", "text", "tspan", "polyline", "circle", "rect", "path", "symbol", "defs", "use",
}
DATA_SCRIPT_TYPES = {"application/ld+json", "application/json"}
LOADING_LINK_RELS = {"stylesheet", "import", "preload", "modulepreload", "prefetch", "manifest", "serviceworker"}
SHOWN = 60  # characters of an offending value quoted in a problem


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= SHOWN else text[:SHOWN] + "…"


def _own_static(url: str) -> bool:
    """A URL of the site's own static files (the only scripts and stylesheets it may load)."""
    return url.startswith(settings.STATIC_URL) and ".." not in url


def _squeeze(value: str) -> str:
    """A URL as a browser resolves its scheme: tabs, newlines and controls dropped, lower case."""
    return re.sub(r"[\x00-\x20\x7f]", "", value).lower()


class DangerFinder(HTMLParser):
    """Collects executable and page-hijacking constructs; ``problems`` describes each one.

    Attribute values arrive with character references decoded, once, as a browser decodes them.
    The text of data blocks (``<script type="application/ld+json">``) is kept in ``data_blocks``
    and must parse as JSON.
    """

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.data_blocks: list[str] = []
        self.in_svg = 0
        self._data_block: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        pairs = [(name, value or "") for name, value in attrs]
        first = {}  # a browser keeps the first of repeated attributes; each one is checked all the same
        for name, value in pairs:
            first.setdefault(name, value)
        self._check_element(tag, first)
        for name, value in pairs:
            self._check_attribute(tag, name, value)
        if tag == "svg":
            self.in_svg += 1

    def _check_element(self, tag, attrs):
        if self.in_svg and tag not in SVG_TAGS:
            self.problems.append(f"<{tag}> inside SVG")
        if tag == "use":  # an icon of the page itself, or of the site's static files
            href = attrs.get("href") or attrs.get("xlink:href") or ""
            if not (href.startswith("#") or _own_static(href)):
                self.problems.append(f"<use href={_short(href)}>")
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        if tag == "script":
            if attrs.get("type", "").strip().lower() in DATA_SCRIPT_TYPES and "src" not in attrs:
                self._data_block = []
            elif not _own_static(attrs.get("src", "")):
                # The nonce is new on every response; the rest names the script.
                self.problems.append(f"<script {_short({k: v for k, v in attrs.items() if k != 'nonce'})}>")
        if tag == "link":
            rels = set(attrs.get("rel", "").lower().split())
            if rels & LOADING_LINK_RELS and not _own_static(attrs.get("href", "")):
                self.problems.append(f"<link {_short(attrs)}>")
        if tag == "meta" and attrs.get("http-equiv", "").strip().lower() in {"refresh", "set-cookie"}:
            self.problems.append(f"<meta http-equiv={attrs['http-equiv']!r}>")
        if tag == "form":
            action = attrs.get("action", "")
            if action and (not action.startswith("/") or action.startswith("//")):
                self.problems.append(f"<form action={_short(action)}>")

    def _check_attribute(self, tag, name, value):
        if name.startswith("on"):
            self.problems.append(f"<{tag} {name}={_short(value)}>")
        elif name == "style":
            self.problems.append(f"<{tag} style={_short(value)}>")
        elif name == "srcdoc":
            self.problems.append(f"<{tag} srcdoc=…>")
        elif name == "srcset" or name == "imagesrcset":
            if any(_squeeze(c).startswith(BAD_SCHEMES) for c in value.split(",")):
                self.problems.append(f"<{tag} {name}={_short(value)}>")
        elif name in URL_ATTRS and _squeeze(value).startswith(BAD_SCHEMES):
            self.problems.append(f"<{tag} {name}={_short(value)}>")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag == "svg" and self.in_svg:
            self.in_svg -= 1
        if tag == "script" and self._data_block is not None:
            self.data_blocks.append("".join(self._data_block))
            self._data_block = None

    def handle_data(self, data):
        if self._data_block is not None:
            self._data_block.append(data)

    def handle_comment(self, data):
        if data.lstrip().lower().startswith("[if"):
            self.problems.append("conditional comment")

    def close(self):
        super().close()
        if self._data_block is not None:
            self.problems.append("unterminated data <script>")
        for block in self.data_blocks:
            self.problems.extend(data_block_problems(block))


def data_block_problems(text: str) -> list[str]:
    """A JSON data block must parse, and hold nothing that could end or re-open the <script> element."""
    problems = []
    if re.search(r"</script|<!--|<script", text, re.I):
        problems.append(f"data <script> holds markup: {_short(text)}")
    try:
        json.loads(text)
    except ValueError as exc:
        problems.append(f"data <script> is not JSON ({exc}): {_short(text)}")
    return problems


def dangers(markup: str) -> list[str]:
    """Every executable or page-hijacking construct in ``markup``, described; empty if none."""
    finder = DangerFinder()
    finder.feed(markup)
    finder.close()
    return finder.problems


def check_page(path: str, client: Client, *, allowed: Iterable[str] = ()) -> list[str]:
    """Problems of the HTML page at ``path``: a status other than 200, or ``dangers`` not in ``allowed``.

    ``allowed`` is the baseline: what the same kind of page shows for harmless content (the site's
    own constructs, if the rules above flag any).
    """
    response = client.get(path)
    if response.status_code != 200:
        return [f"{path}: status {response.status_code}"]
    allowed = set(allowed)
    return [f"{path}: {problem}" for problem in dangers(response.content.decode()) if problem not in allowed]


def check_xml(path: str, client: Client) -> list[str]:
    """Problems of an XML document (the sitemap): a status other than 200, or a strict parser refusing it."""
    response = client.get(path)
    if response.status_code != 200:
        return [f"{path}: status {response.status_code}"]
    try:
        ET.fromstring(response.content)
    except ET.ParseError as exc:
        return [f"{path}: not XML: {exc}"]
    return []


# --- Feeds --------------------------------------------------------------------------------------


class _TextOnly(HTMLParser):
    """Reads an HTML value as a feed reader displays it: the text, and whatever markup it holds."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.markup: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.markup.append(f"<{tag}>")

    def handle_endtag(self, tag):
        self.markup.append(f"</{tag}>")

    def handle_comment(self, data):
        self.markup.append("<!--…-->")

    def handle_decl(self, decl):
        self.markup.append(f"<!{decl}>")

    def unknown_decl(self, data):
        self.markup.append(f"<![{data}]>")

    def handle_pi(self, data):
        self.markup.append(f"<?{data}>")

    def handle_data(self, data):
        self.text.append(data)


@dataclass
class FeedText:
    """One text value of a parsed feed, as a feed reader shows it."""

    text: str  # HTML values decoded to their text; plain text as it is
    markup: list[str]  # elements, comments or declarations of an HTML value: there must be none


def reader_text(value: str, content_type: str | None = None) -> FeedText:
    """``value`` as a feed reader shows it, given feedparser's ``*_detail.type`` for it."""
    if content_type in ("text/html", "application/xhtml+xml"):
        parser = _TextOnly()
        parser.feed(value)
        parser.close()
        return FeedText("".join(parser.text), parser.markup)
    return FeedText(value, [])


def shown_texts(node) -> dict[str, FeedText]:
    """The text values a reader sees of a feedparser feed or entry: titles, subtitle, summary, contents,
    author, and each category (keys ``category 0``, ``category 1``…)."""
    shown = {}
    for key in ("title", "subtitle", "summary", "rights"):
        if key in node:
            detail = node.get(f"{key}_detail") or {}
            shown[key] = reader_text(node[key], detail.get("type"))
    for n, content in enumerate(node.get("content", [])):
        shown[f"content {n}"] = reader_text(content["value"], content.get("type"))
    if "author" in node:
        shown["author"] = reader_text(node["author"])  # a name: plain text in RSS and Atom alike
    for n, tag in enumerate(node.get("tags", [])):
        shown[f"category {n}"] = reader_text(tag.get("term") or "")  # an attribute or plain text
    return shown


def as_delivered(stored: str) -> str:
    """What a feed reader should show for a stored value: XML turns every line ending into a newline,
    and feed parsers strip the ends."""
    return re.sub(r"\r\n?", "\n", stored).strip()


# What a feed must show: (a key of shown_texts, or "categories" for all of them; "equals" or "contains";
# the text as stored).
Expectation = tuple[str, str, str]


def _figure_expectations(pk: str) -> list[Expectation]:
    m = Measurement.objects.select_related("framework", "metric").filter(pk=pk).first()
    if m is None:
        return [("id", "equals", f"figure {pk}, which does not exist")]
    return [
        ("title", "contains", m.framework.name),
        ("title", "contains", m.metric.name),
        *(("summary", "contains", text) for text in (m.framework.name, m.metric.name, m.source_name, m.note)),
        ("categories", "equals", _names([m.framework.name, m.metric.name])),
    ]


def _guide_expectations(slug: str) -> list[Expectation]:
    article = Article.objects.filter(slug=slug).prefetch_related("categories").first()
    if article is None:
        return [("link", "equals", f"guide {slug}, which does not exist")]
    expected = [
        ("title", "equals", article.title),
        ("summary", "equals", article.summary or article.standfirst),
        ("categories", "equals", _names(c.name for c in article.categories.all())),
    ]
    if article.byline and "@" not in article.byline:  # feedparser moves e-mail addresses out of authors
        expected.append(("author", "equals", article.byline))
    return expected


def _names(names: Iterable[str]) -> str:
    return "\n".join(sorted({as_delivered(name) for name in names} - {""}))


def entry_expectations(entry) -> list[Expectation]:
    """What an entry must show, read from the database: a figure by its id, a guide by its link."""
    figure = re.search(r"#figure-(\d+)$", entry.get("id", ""))
    if figure:
        return _figure_expectations(figure[1])
    try:
        match = resolve(urlsplit(entry.get("link", "")).path)
    except Resolver404:
        return []
    return _guide_expectations(match.kwargs["slug"]) if match.view_name == "articles:detail" else []


def feed_expectations(path: str) -> list[Expectation]:
    """What a feed itself must show: a framework's feed names the framework in its title and subtitle."""
    match = resolve(urlsplit(path).path)
    if match.view_name != "feeds:framework-figures":
        return []
    framework = Framework.objects.filter(slug=match.kwargs["slug"]).first()
    return [(key, "contains", framework.name) for key in ("title", "subtitle")] if framework else []


def text_problems(where: str, shown: dict[str, FeedText], expected: Iterable[Expectation]) -> list[str]:
    """Markup in any value of ``shown``, and every expectation it does not meet."""
    problems = [f"{where} {key} holds markup {t.markup[:3]}: {_short(t.text)}" for key, t in shown.items() if t.markup]
    categories = _names(t.text for key, t in shown.items() if key.startswith("category "))
    for key, how, stored in expected:
        want = as_delivered(stored)
        if key == "categories":
            got = categories
        else:
            got = shown[key].text.strip() if key in shown else None
        if got is None:
            problems.append(f"{where} has no {key}; expected {_short(want)}")
        elif how == "equals" and got != want:
            problems.append(f"{where} {key} shows {_short(got)}, not the stored {_short(want)}")
        elif how == "contains" and want not in got:
            problems.append(f"{where} {key} shows {_short(got)}, without the stored {_short(want)}")
    return problems


def check_feed(path: str, client: Client) -> list[str]:
    """Problems of the feed at ``path``; empty if it is fine.

    - a status other than 200, a strict XML parser refusing it, feedparser calling it malformed (bozo);
    - markup in any text value (titles, subtitle, summaries, contents, author, categories): a reader must
      get every value as text, so an HTML-typed value may hold character references but no element;
    - a value that does not show the reader what the editor stored: a guide's title, summary, author and
      categories; a figure's framework, metric, source and note; a framework feed's framework name.
    """
    response = client.get(path)
    if response.status_code != 200:
        return [f"{path}: status {response.status_code}"]
    problems = []
    try:
        ET.fromstring(response.content)
    except ET.ParseError as exc:
        problems.append(f"not XML: {exc}")
    # As a reader receives it: sanitizing would hide markup the feed should never have held.
    parsed = feedparser.parse(response.content, sanitize_html=False, resolve_relative_uris=False)
    if parsed.bozo:
        problems.append(f"feedparser: malformed (bozo): {parsed.get('bozo_exception')}")
    problems += text_problems("feed", shown_texts(parsed.feed), feed_expectations(path))
    for n, entry in enumerate(parsed.entries):
        problems += text_problems(f"entry {n}", shown_texts(entry), entry_expectations(entry))
    return [f"{path}: {problem}" for problem in problems]
