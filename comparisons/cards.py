"""Draw a social card (``frameworks.social.SocialCard``) as a 1200×630 PNG with Pillow.

The card: the site's mark and name, what the page is (guide, framework,
comparison), its title as large as fits (wrapped between words, an ellipsis
only for a title too long for four lines at the smallest size), a
framework's tagline, and the key figures as tiles: the value, whose or what
it is, and its date, each tile edged in the framework's chart colour.

Everything is drawn at twice the size and scaled down, which smooths the
edges of shapes (Pillow draws those without anti-aliasing), then reduced to
a palette: a card weighs some 30 to 60 KB. The fonts are the committed Inter
files in ``comparisons/fonts/`` (SIL OFL), never the system's, so a card
looks the same on every server. Drawing reads nothing but the card and the
fonts: no database, no network.
"""

import io
import unicodedata
from functools import lru_cache
from pathlib import Path

from django.utils.dateformat import format as format_date
from PIL import Image, ImageDraw, ImageFont

from frameworks import palette
from frameworks.social import HEIGHT, WIDTH, SocialCard

FONT_DIR = Path(__file__).resolve().parent / "fonts"
REGULAR, SEMIBOLD, BOLD = "Inter-Regular.ttf", "Inter-SemiBold.ttf", "Inter-Bold.ttf"

SCALE = 2  # drawn at 2400×1260, then scaled down
MARGIN = 72
TITLE_TOP = 136
TITLE_SIZES = (88, 80, 72, 64, 58, 52, 48, 44, 40)
TITLE_LINES = 4
VALUE_SIZES = (64, 58, 52, 46, 40, 34, 28, 24, 20)
LINE_HEIGHT = 1.14
CAP_HEIGHT, DESCENDER = 0.73, 0.25  # Inter's, in ems
SUBTITLE_SIZE, SUBTITLE_GAP = 30, 22
ELLIPSIS = "…"
UNPRINTABLE = {"Cc", "Cs", "Zl", "Zp"}  # controls, lone surrogates, line and paragraph separators

BACKGROUND = "#fbfaf7"
SURFACE = "#ffffff"
TEXT = "#1c1f23"
MUTED = "#575f68"
LINE = "#dcd8cf"
ACCENT = "#0b5cad"
ACCENT_TINT = "#e3edf8"
BEST = "#e6f4ea"
BEST_TEXT = "#0d5323"


@lru_cache(maxsize=64)
def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_DIR / name), size * SCALE)


def _printable(text: str) -> str:
    """``text`` on one line without control characters, which text layout refuses (raqm fails on a line
    break). Measuring and drawing both go through it, so they always agree."""
    return "".join(ch for ch in " ".join(text.split()) if unicodedata.category(ch) not in UNPRINTABLE)


def _width(text: str, font: ImageFont.FreeTypeFont) -> float:
    return font.getlength(_printable(text)) / SCALE


def _most(upper: int, fits) -> int:
    """The largest n in 0..upper for which ``fits(n)``, when it holds up to some n and not after; 0 if none."""
    low, high = 0, upper
    while low < high:
        middle = (low + high + 1) // 2
        if fits(middle):
            low = middle
        else:
            high = middle - 1
    return low


def _shorten(text: str, font: ImageFont.FreeTypeFont, width: float, *, always: bool = False) -> str:
    """``text`` if it fits (unless ``always``), else cut to end in an ellipsis: after a whole word when one
    fits, else after the characters that fit."""
    if not always and _width(text, font) <= width:
        return text
    words = text.split()

    def first(n: int) -> str:
        return " ".join(words[:n]).rstrip(",;:–—-") + ELLIPSIS

    if count := _most(len(words) if always else len(words) - 1, lambda n: _width(first(n), font) <= width):
        return first(count)
    word = words[0] if words else ""
    return word[: _most(len(word), lambda n: _width(word[:n] + ELLIPSIS, font) <= width)] + ELLIPSIS


def _wrap(
    text: str, font: ImageFont.FreeTypeFont, width: float, *, limit: int, shorten: bool = False
) -> list[str] | None:
    """The lines of ``text`` broken between words, stopping once there are more than ``limit``; None if one
    word alone is wider than ``width`` (with ``shorten``, such a word is cut short with an ellipsis instead)."""
    lines: list[str] = []
    for word in text.split():
        if _width(word, font) > width:
            if not shorten:
                return None
            word = _shorten(word, font, width)
        if lines and _width(f"{lines[-1]} {word}", font) <= width:
            lines[-1] += f" {word}"
        elif len(lines) == limit:
            return lines + [word]
        else:
            lines.append(word)
    return lines


def fit_text(
    text: str, name: str, sizes: tuple[int, ...], width: float, height: float, max_lines: int
) -> tuple[int, list[str]]:
    """The largest of ``sizes`` at which ``text`` fits the box in at most ``max_lines``, and its lines.

    Lines break between words only. When even the smallest size needs more
    lines than that, the last line that fits ends in an ellipsis.
    """
    for size in sizes:
        lines = _wrap(text, _font(name, size), width, limit=max_lines)
        if lines is not None and len(lines) <= max_lines and len(lines) * size * LINE_HEIGHT <= height:
            return size, lines
    size = sizes[-1]
    font = _font(name, size)
    room = max(1, min(max_lines, int(height // (size * LINE_HEIGHT))))
    lines = _wrap(text, font, width, limit=room, shorten=True)
    if len(lines) > room:
        lines = lines[:room]
        lines[-1] = _shorten(lines[-1], font, width, always=True)
    return size, lines


class _Canvas:
    """ImageDraw in card units (1200×630) on the double-size image."""

    def __init__(self):
        self.image = Image.new("RGB", (WIDTH * SCALE, HEIGHT * SCALE), BACKGROUND)
        self.draw = ImageDraw.Draw(self.image)

    def box(self, x0, y0, x1, y1, *, fill=None, outline=None, width=0, radius=0, square_left=False):
        self.draw.rounded_rectangle(
            [round(v * SCALE) for v in (x0, y0, x1, y1)],
            radius=round(radius * SCALE),
            fill=fill,
            outline=outline,
            width=round(width * SCALE),
            corners=(False, True, True, False) if square_left else None,
        )

    def text(self, x, y, text, name, size, fill, anchor="la"):
        self.draw.text((x * SCALE, y * SCALE), _printable(text), font=_font(name, size), fill=fill, anchor=anchor)

    def line(self, points, fill, width):
        scaled = [(x * SCALE, y * SCALE) for x, y in points]
        self.draw.line(scaled, fill=fill, width=round(width * SCALE), joint="curve")
        r = width * SCALE / 2
        for x, y in (scaled[0], scaled[-1]):  # round caps
            self.draw.ellipse([x - r, y - r, x + r, y + r], fill=fill)

    def png(self) -> bytes:
        image = self.image.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)
        image = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=True)
        return out.getvalue()


def _short_date(day) -> str:
    return format_date(day, "j M Y")


def _header(canvas: _Canvas, card: SocialCard) -> None:
    # The site's mark (static/favicon.svg) and name, as in the page header.
    x, y, s = MARGIN, 52, 52 / 32
    canvas.box(x, y, x + 32 * s, y + 32 * s, fill=ACCENT, radius=7 * s)
    canvas.line([(x + px * s, y + py * s) for px, py in ((7, 22), (13, 15), (18, 19), (25, 10))], "#ffffff", 3 * s)
    name_x = x + 52 + 16
    canvas.text(name_x, y + 26, "compare", BOLD, 34, TEXT, anchor="lm")
    canvas.text(name_x + _width("compare", _font(BOLD, 34)), y + 26, "_site", BOLD, 34, ACCENT, anchor="lm")
    kind = _shorten(card.kind.upper(), _font(SEMIBOLD, 22), 560)
    kind_width = _width(kind, _font(SEMIBOLD, 22))
    right = WIDTH - MARGIN
    canvas.box(right - kind_width - 36, y + 6, right, y + 46, fill=ACCENT_TINT, radius=20)
    canvas.text(right - 18, y + 26, kind, SEMIBOLD, 22, ACCENT, anchor="rm")


def _tiles(canvas: _Canvas, card: SocialCard, top: float) -> None:
    figures = card.figures
    gap = 24
    inner = WIDTH - 2 * MARGIN
    width = min((inner - gap * (len(figures) - 1)) / len(figures), 400)
    height = HEIGHT - 56 - top
    colours = palette.assign(card.frameworks)
    text_w = width - 34 - 22
    value_size = _value_size([fig.number for fig in figures], text_w)
    for i, fig in enumerate(figures):
        x = MARGIN + i * (width + gap)
        canvas.box(x, top, x + width, top + height, fill=colours[fig.framework.pk].light, radius=18)
        canvas.box(
            x + 10, top, x + width, top + height, fill=SURFACE, outline=LINE, width=2, radius=18, square_left=True
        )
        text_x = x + 34
        badge = 0
        if fig.is_best:
            badge = _width("best", _font(SEMIBOLD, 18)) + 24
            canvas.box(x + width - 20 - badge, top + 22, x + width - 20, top + 52, fill=BEST, radius=15)
            canvas.text(x + width - 20 - badge / 2, top + 37, "best", SEMIBOLD, 18, BEST_TEXT, anchor="mm")
        label_size = next((s for s in (28, 26, 24, 22) if _width(fig.label, _font(SEMIBOLD, s)) <= text_w - badge), 22)
        label = _shorten(fig.label, _font(SEMIBOLD, label_size), text_w - badge)
        canvas.text(text_x, top + 37, label, SEMIBOLD, label_size, TEXT, anchor="lm")
        ink = TEXT if fig.as_of else MUTED
        canvas.text(text_x, top + height - 58, fig.number, BOLD, value_size, ink, anchor="ls")
        if not fig.as_of:
            when = "not measured yet"
        else:
            when = "" if card.as_of else f"as of {_short_date(fig.as_of)}"  # a shared date is in the heading
        unit = "" if card.metric else fig.unit  # one metric's unit is in the heading
        note = " · ".join(filter(None, [unit, when]))
        if note:
            note_size = next((s for s in (22, 20, 18) if _width(note, _font(REGULAR, s)) <= text_w), 18)
            note = _shorten(note, _font(REGULAR, note_size), text_w)
            canvas.text(text_x, top + height - 24, note, REGULAR, note_size, MUTED, anchor="ls")


def _value_size(numbers: list[str], width: float) -> int:
    """The largest size at which every value fits its tile: one size for all, so they read as peers.
    A figure is never cut short, only made smaller."""
    widest = max(numbers, key=lambda number: _width(number, _font(BOLD, VALUE_SIZES[-1])))
    for size in VALUE_SIZES:
        if _width(widest, _font(BOLD, size)) <= width:
            return size
    smallest = VALUE_SIZES[-1]
    return max(8, int(smallest * width / _width(widest, _font(BOLD, smallest))))


def _figures_heading(card: SocialCard) -> str:
    what = card.metric.name if card.metric else "Current figures"
    if card.metric and card.metric.unit:
        what += f" ({card.metric.unit})"
    if card.as_of:
        what += f"  ·  as of {_short_date(card.as_of)}"
    if len(card.frameworks) > len(card.figures) > 1:
        what += f"  ·  the first {len(card.figures)} of {len(card.frameworks)}"
    return what


def _names(canvas: _Canvas, card: SocialCard, top: float) -> None:
    """The frameworks' names as pills, for a card with no figure to show."""
    colours = palette.assign(card.frameworks)
    x = MARGIN
    for fw in card.frameworks:
        width = _width(fw.name, _font(SEMIBOLD, 30)) + 70
        if x + width > WIDTH - MARGIN:
            break
        canvas.box(x, top, x + width, top + 60, fill=SURFACE, outline=LINE, width=2, radius=30)
        canvas.box(x + 20, top + 21, x + 38, top + 39, fill=colours[fw.pk].light, radius=9)
        canvas.text(x + 48, top + 30, fw.name, SEMIBOLD, 30, TEXT, anchor="lm")
        x += width + 16


def render_png(card: SocialCard) -> bytes:
    """The card as PNG bytes, WIDTH×HEIGHT."""
    canvas = _Canvas()
    canvas.box(0, 0, WIDTH, 10, fill=ACCENT)
    _header(canvas, card)

    if card.figures:
        tiles_top = HEIGHT - 56 - 176
        bottom = tiles_top - 64
        canvas.text(MARGIN, tiles_top - 22, _figures_heading(card), SEMIBOLD, 24, MUTED, anchor="ls")
        _tiles(canvas, card, tiles_top)
    elif len(card.frameworks) > 1:
        names_top = HEIGHT - 56 - 60
        bottom = names_top - 40
        _names(canvas, card, names_top)
    else:
        bottom = HEIGHT - 56

    inner = WIDTH - 2 * MARGIN
    top = TITLE_TOP
    subtitle: list[str] = []
    if card.subtitle:
        _, subtitle = fit_text(card.subtitle, REGULAR, (SUBTITLE_SIZE,), inner, bottom - top, max_lines=2)
    subtitle_height = (SUBTITLE_GAP + len(subtitle) * SUBTITLE_SIZE * LINE_HEIGHT) if subtitle else 0
    size, lines = fit_text(card.title, BOLD, TITLE_SIZES, inner, bottom - top - subtitle_height, TITLE_LINES)
    # The title block is centred between the header and the figures: from the capitals' top to the last
    # line's descenders, and the subtitle's.
    block = size * ((len(lines) - 1) * LINE_HEIGHT + CAP_HEIGHT + DESCENDER)
    if subtitle:
        block += SUBTITLE_GAP + SUBTITLE_SIZE * ((len(subtitle) - 1) * LINE_HEIGHT + CAP_HEIGHT + DESCENDER)
    baseline = top + max(0, (bottom - top - block) / 2) + size * CAP_HEIGHT
    for line in lines:
        canvas.text(MARGIN, baseline, line, BOLD, size, TEXT, anchor="ls")
        baseline += size * LINE_HEIGHT
    baseline += SUBTITLE_GAP + SUBTITLE_SIZE * CAP_HEIGHT - size * (LINE_HEIGHT - DESCENDER)
    for line in subtitle:
        canvas.text(MARGIN, baseline, line, REGULAR, SUBTITLE_SIZE, MUTED, anchor="ls")
        baseline += SUBTITLE_SIZE * LINE_HEIGHT
    return canvas.png()
