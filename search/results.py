"""One page of search results, ready for the template: highlighted titles and snippets, compare links.

Highlighting escapes the text first and only then wraps the matched words
in ``<mark>``, so nothing a reader or an editor typed is ever trusted as HTML.
"""

import re
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from frameworks.compare_paths import MAX_FRAMEWORKS, canonical_path
from frameworks.models import Adoption, Framework

from .models import Kind, SearchEntry

SNIPPET_LENGTH = 200
SNIPPET_LEAD = 60


def word_pattern(words: list[str]) -> re.Pattern | None:
    """Words starting with any query word (longest first), case-insensitively."""
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})\w*", re.IGNORECASE)


def highlight(text: str, pattern: re.Pattern | None) -> SafeString:
    """`text` escaped, with the words `pattern` matches wrapped in <mark>."""
    if pattern is None:
        return escape(text)
    out, last = [], 0
    for m in pattern.finditer(text):
        out.append(escape(text[last : m.start()]))
        out.append(f"<mark>{escape(m.group())}</mark>")
        last = m.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))


def snippet(body: str, pattern: re.Pattern | None) -> SafeString:
    """About SNIPPET_LENGTH characters of `body` around its first match (or its start), highlighted."""
    text = " ".join(body.split())
    if not text:
        return mark_safe("")
    found = pattern.search(text) if pattern else None
    start = 0
    if found and found.start() > SNIPPET_LEAD:
        start = text.rfind(" ", 0, found.start() - SNIPPET_LEAD) + 1
    end = start + SNIPPET_LENGTH
    if end < len(text):
        end = text.rfind(" ", start, end) if " " in text[start:end] else end
    piece = text[start:end]
    prefix = "… " if start else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + highlight(piece, pattern) + suffix)


@dataclass
class Hit:
    kind: str  # the label readers see: Framework, Guide, Capability, Adopter
    title: SafeString
    url: str
    snippet: SafeString
    slug: str = ""
    add_url: str = ""  # frameworks: the compare page of the chosen frameworks plus this one
    start_url: str = ""  # frameworks, nothing chosen yet: search for one to compare it with
    in_comparison: bool = False
    uses: list[Framework] = field(default_factory=list)  # adopters: the published frameworks they use


def build_hits(entries: list[SearchEntry], words: list[str], chosen: list[Framework], search_url: str) -> list[Hit]:
    """Hits for one page of entries. One query, for the adopters on the page (if any)."""
    pattern = word_pattern(words)
    chosen_slugs = [fw.slug for fw in chosen]
    uses = _frameworks_used([e.organization_id for e in entries if e.kind == Kind.ORGANISATION])
    hits = []
    for entry in entries:
        hit = Hit(
            kind=entry.get_kind_display(),
            title=highlight(entry.title, pattern),
            url=entry.url,
            snippet=snippet(entry.body, pattern),
            slug=entry.slug,
        )
        if entry.kind == Kind.FRAMEWORK:
            if entry.slug in chosen_slugs:
                hit.in_comparison = True
            elif chosen and len(chosen) < MAX_FRAMEWORKS:
                hit.add_url = canonical_path([*chosen_slugs, entry.slug])
            elif not chosen:
                hit.start_url = f"{search_url}?with={entry.slug}"
        elif entry.kind == Kind.ORGANISATION:
            hit.uses = uses.get(entry.organization_id, [])
            if hit.uses:
                hit.url = hit.uses[0].get_absolute_url() + "#adopters"
        hits.append(hit)
    return hits


def _frameworks_used(organization_ids: list[int]) -> dict[int, list[Framework]]:
    if not organization_ids:
        return {}
    used: dict[int, list[Framework]] = {}
    adoptions = (
        Adoption.objects.filter(organization_id__in=organization_ids, framework__in=Framework.objects.published())
        .select_related("framework")
        .only("organization_id", "framework__name", "framework__slug")
        .order_by("framework__name")
    )
    for adoption in adoptions:
        used.setdefault(adoption.organization_id, []).append(adoption.framework)
    return used
