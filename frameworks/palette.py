"""Each framework's colour and marker shape in charts, the same on every page.

A framework keeps one of eight slots: the one an editor chose (its
``chart_colour``), or else one picked from its slug, so it never changes when
frameworks are added. Each slot pairs a colour with a marker shape, so a
reader who cannot tell two colours apart still tells the series apart.

The light colours keep at least 3:1 contrast against the white chart
background (WCAG 1.4.11), the dark ones against the dark surface; hues are
spread so the common colour-vision deficiencies still separate most pairs,
and the shape always does.

Two frameworks of one chart may land on the same slot. Then the one an
editor set, or else the older one, keeps it and the other takes the next
free slot: distinct within a chart, and stable wherever the pair does not
meet.
"""

import functools
import math
import zlib
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Slot:
    index: int
    name: str
    light: str  # on the white chart background and in embeds
    dark: str  # on the dark surface (prefers-color-scheme: dark)
    shape: str

    @property
    def key_marker(self) -> str:
        """The marker drawn in a legend's 24x14 key."""
        return marker(self.shape, 12, 7, 4.5)


SLOTS = (
    Slot(0, "Blue, circle", "#0b5cad", "#7db7f0", "circle"),
    Slot(1, "Vermilion, square", "#c2410c", "#fb8f5e", "square"),
    Slot(2, "Teal, triangle", "#0f766e", "#4fd1c5", "triangle"),
    Slot(3, "Purple, diamond", "#7e3fa3", "#c4a5f0", "diamond"),
    Slot(4, "Ochre, inverted triangle", "#a15c07", "#f2c14e", "triangle-down"),
    Slot(5, "Magenta, star", "#be185d", "#f48fb1", "star"),
    Slot(6, "Olive, plus", "#4d7c0f", "#a3d96b", "plus"),
    Slot(7, "Slate, hexagon", "#475569", "#b6c2d1", "hexagon"),
)
CHOICES = [(slot.index, slot.name) for slot in SLOTS]


def own_slot(framework) -> int:
    """The framework's slot before any clash: the editor's choice, or one fixed by its slug."""
    chosen = getattr(framework, "chart_colour", None)
    if chosen is not None:
        return chosen
    return zlib.crc32(framework.slug.encode()) % len(SLOTS)


def assign(frameworks: Sequence) -> dict[int, Slot]:
    """Slots for the frameworks of one chart, keyed by framework id, each distinct (up to eight)."""
    # Who keeps a contested slot: an editor's choice first, then the older framework.
    claimants = sorted(frameworks, key=lambda fw: (getattr(fw, "chart_colour", None) is None, fw.pk or 0))
    taken: set[int] = set()
    slots: dict[int, Slot] = {}
    for fw in claimants:
        index = own_slot(fw)
        for step in range(len(SLOTS)):
            candidate = (index + step) % len(SLOTS)
            if candidate not in taken:
                index = candidate
                break
        taken.add(index)
        slots[fw.pk] = SLOTS[index]
    return slots


def _n(value: float) -> str:
    """A coordinate to a tenth, without a trailing zero: 5, -4.5 (never -0)."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _outline(points: Sequence[tuple[float, float]]) -> str:
    """A closed outline from its first point, as relative steps: the same text for every marker of a shape."""
    steps = " ".join(f"{_n(bx - ax)},{_n(by - ay)}" for (ax, ay), (bx, by) in zip(points, points[1:]))
    return f"l{steps}z"


def _regular(n: int, r: float, rotation: float = -math.pi / 2) -> list[tuple[float, float]]:
    angles = [rotation + 2 * math.pi * k / n for k in range(n)]
    return [(r * math.cos(a), r * math.sin(a)) for a in angles]


@functools.cache
def _shape(shape: str, r: float) -> tuple[tuple[float, float], str]:
    """Where a marker's outline starts, relative to its centre, and the outline from there."""
    if shape == "circle":
        return (-r, 0.0), f"a{_n(r)},{_n(r)} 0 1,0 {_n(2 * r)},0a{_n(r)},{_n(r)} 0 1,0 {_n(-2 * r)},0z"
    if shape == "square":
        s = r * 0.9
        points = [(-s, -s), (s, -s), (s, s), (-s, s)]
    elif shape == "triangle":
        points = _regular(3, r * 1.3)
    elif shape == "triangle-down":
        points = _regular(3, r * 1.3, math.pi / 2)
    elif shape == "diamond":
        points = _regular(4, r * 1.25)
    elif shape == "hexagon":
        points = _regular(6, r * 1.1)
    elif shape == "star":
        outer, inner = r * 1.45, r * 0.65
        points = [(rr * math.cos(-math.pi / 2 + math.pi * k / 5), rr * math.sin(-math.pi / 2 + math.pi * k / 5))
                  for k, rr in zip(range(10), [outer, inner] * 5)]
    elif shape == "plus":
        a, b = r * 1.2, r * 0.45
        points = [(-b, -a), (b, -a), (b, -b), (a, -b), (a, b), (b, b), (b, a), (-b, a), (-b, b),
                  (-a, b), (-a, -b), (-b, -b)]
    else:
        raise ValueError(f"unknown marker shape {shape!r}")
    return points[0], _outline(points)


def marker(shape: str, x: float, y: float, r: float) -> str:
    """SVG path data for a marker of about the same area whatever its shape, centred on (x, y).

    Only the starting point changes from marker to marker: a chart of a few
    hundred points stays small.
    """
    (dx, dy), outline = _shape(shape, r)
    return f"M{_n(x + dx)},{_n(y + dy)}{outline}"
