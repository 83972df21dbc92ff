"""Sets of 2 to 4 frameworks and the one URL each set's compare page lives at.

A set has one canonical path: its slugs in alphabetical order, joined by
``-vs-``. ``split_slugs`` and ``find_frameworks`` tell a view whether a
requested path names a valid set; ``canonical_path`` says where it lives.
"""

from collections.abc import Iterable, Sequence

from django.http import Http404
from django.urls import reverse

from .models import Framework

SEPARATOR = "-vs-"
MIN_FRAMEWORKS = 2
MAX_FRAMEWORKS = 4
NO_SUCH_COMPARISON = "No such comparison: name 2 to 4 different published frameworks."


def canonical_path(slugs: Iterable[str]) -> str:
    """The one URL of a set of frameworks: slugs sorted, joined by -vs-."""
    return reverse("compare:detail", kwargs={"slugs": SEPARATOR.join(sorted(slugs))})


def compare_url(frameworks: Iterable[Framework]) -> str | None:
    """The compare page of these frameworks, or None if they cannot form one."""
    slugs = {fw.slug for fw in frameworks}
    if not MIN_FRAMEWORKS <= len(slugs) <= MAX_FRAMEWORKS:
        return None
    return canonical_path(slugs)


def split_slugs(slugs: str, *, min_size: int = MIN_FRAMEWORKS) -> list[str] | None:
    """The slugs named in a compare path, or None if they cannot form a set (``min_size`` to 4, no repeats)."""
    parts = slugs.split(SEPARATOR)
    if not min_size <= len(parts) <= MAX_FRAMEWORKS or len(set(parts)) != len(parts) or "" in parts:
        return None
    return parts


def find_frameworks(slugs: Sequence[str]) -> list[Framework] | None:
    """The published frameworks named, in alphabetical slug order; None if any is unknown. One query."""
    frameworks = list(Framework.objects.published().filter(slug__in=slugs).order_by("slug"))
    return frameworks if len(frameworks) == len(slugs) else None


def resolve_set(slugs: str, *, not_found: str, min_size: int = MIN_FRAMEWORKS) -> tuple[list[Framework], bool]:
    """The published frameworks a path's ``a-vs-b`` part names, in slug order, and whether the path
    names them in that (canonical) order; a view redirects when it does not. One query.

    Http404 with ``not_found`` when the part cannot form a set or names an unknown or unpublished
    framework. Compare pages, their social cards and chart embeds all read their sets here.
    """
    wanted = split_slugs(slugs, min_size=min_size)
    frameworks = find_frameworks(wanted) if wanted else None
    if not frameworks:
        raise Http404(not_found)
    return frameworks, slugs == SEPARATOR.join(fw.slug for fw in frameworks)
