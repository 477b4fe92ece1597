"""Right-to-left and joined scripts on the page: bidi order per line, HarfBuzz shaping per run.

reportlab shapes a run of one direction (through uharfbuzz) but has no bidi algorithm here, so
each line is split into runs by its Unicode bidi embedding levels (python-bidi: the unicode-bidi
crate, or its older pure-Python algorithm as a fallback), the runs are put in visual order
(rule L2), and each run is drawn shaped.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from bidi import get_display
from bidi.algorithm import (
    explicit_embed_and_overrides,
    get_embedding_levels,
    get_empty_storage,
    resolve_implicit_levels,
    resolve_neutral_types,
    resolve_weak_types,
)
from bidi.mirror import MIRRORED
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import shapeStr

from journeyapp.plans import fonts

# Scripts written right to left or with letters that join (Hebrew, Arabic, Syriac, Thaana, NKo
# and the Arabic presentation forms): text with any of these is laid out here, not by Paragraph.
_COMPLEX = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff\u2066-\u2069]")
# Directional isolates (set around filled-in values on right-to-left pages): they steer the bidi
# algorithm and are never drawn.
ISOLATES = "\u2066\u2067\u2068\u2069"
_NOT_DRAWN = str.maketrans("", "", ISOLATES)
_RTL_LETTER = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def needs_layout(text: str) -> bool:
    """True when `text` holds right-to-left or joining letters that need bidi and shaping."""
    return bool(_COMPLEX.search(text))


_LEVEL = re.compile(r"Level\(\s*(\d+),?\s*\)")


def _levels(text: str, rtl: bool) -> list[int]:
    """Each character's resolved bidi embedding level (rules up to I2, then L1 for the line)."""
    levels = _rust_levels(text, rtl) or _python_levels(text, rtl)
    # L1: spaces at the end of a line take the paragraph's level.
    i = len(text) - 1
    while i >= 0 and text[i].isspace():
        levels[i] = 1 if rtl else 0
        i -= 1
    return levels


def _rust_levels(text: str, rtl: bool) -> list[int] | None:
    """Levels from the unicode-bidi crate (current UBA, bracket pairs included), read from the
    report python-bidi gives with debug=True: one level per UTF-8 byte, after the quoted text."""
    report = str(get_display(text, base_dir="R" if rtl else "L", debug=True))
    start = report.find('text: "')
    if start < 0:
        return None
    i = start + len('text: "')
    while i < len(report) and report[i] != '"':
        i += 2 if report[i] == "\\" else 1  # skip escaped characters inside the literal
    rest = report[i:].partition("levels:")[2]
    block = rest.partition("]")[0]
    per_byte = [int(m) for m in _LEVEL.findall(block)]
    levels = []
    offset = 0
    for ch in text:
        if offset >= len(per_byte):
            return None
        levels.append(per_byte[offset])
        offset += len(ch.encode("utf-8"))
    return levels if offset == len(per_byte) else None


def _python_levels(text: str, rtl: bool) -> list[int]:
    """Levels from python-bidi's reference implementation (an older UBA, no bracket pairs)."""
    storage: dict[str, Any] = get_empty_storage()
    storage["base_level"] = 1 if rtl else 0
    storage["base_dir"] = "R" if rtl else "L"
    get_embedding_levels(text, storage)
    explicit_embed_and_overrides(storage)
    resolve_weak_types(storage)
    resolve_neutral_types(storage, False)
    resolve_implicit_levels(storage, False)
    return [int(ch["level"]) for ch in storage["chars"]]


def visual_runs(line: str, rtl: bool) -> list[tuple[str, bool]]:
    """`line` (logical order) as runs in visual order, left to right: (text, right-to-left)."""
    if not line:
        return []
    if not needs_layout(line) and not rtl:
        return [(line, False)]
    levels = _levels(line, rtl)
    runs: list[tuple[str, int]] = []
    start = 0
    for i in range(1, len(line) + 1):
        if i == len(line) or levels[i] != levels[start]:
            runs.append((line[start:i], levels[start]))
            start = i
    # L2: from the highest level down to the lowest odd one, reverse every sequence at or above it.
    highest = max(level for _, level in runs)
    lowest_odd = min((level for _, level in runs if level % 2), default=highest + 1)
    for level in range(highest, lowest_odd - 1, -1):
        i = 0
        while i < len(runs):
            if runs[i][1] >= level:
                j = i
                while j < len(runs) and runs[j][1] >= level:
                    j += 1
                runs[i:j] = reversed(runs[i:j])
                i = j
            else:
                i += 1
    drawn = [(text.translate(_NOT_DRAWN), level % 2 == 1) for text, level in runs]
    return [(text, rtl) for text, rtl in drawn if text]


@cache
def _shaped(text: str, font: str, size: float) -> tuple[Any, float]:
    shaped = shapeStr(text, font, size)
    data = getattr(shaped, "__shapeData__", None)
    if data is None:
        return text, stringWidth(text, font, size)
    return shaped, sum(d.x_advance for d in data) * size / 1000


def _run_text(text: str, rtl: bool) -> tuple[str, bool]:
    """The text to draw for a run and whether HarfBuzz should shape it."""
    if needs_layout(text):
        return text, True  # HarfBuzz orders and joins a right-to-left run itself
    if rtl:
        # Spaces and punctuation alone at a right-to-left level: reversed and mirrored here.
        return "".join(MIRRORED.get(ch, ch) for ch in reversed(text)), False
    return text, False


def _plain_width(text: str, font: str, size: float) -> float:
    """The width of unshaped text, each run in its font (the fallback's letters in it)."""
    return sum(stringWidth(run, face or font, size) for run, face in fonts.runs(text))


def width(text: str, font: str, size: float) -> float:
    """The printed width of `text` (shaped where it needs it)."""
    if not needs_layout(text):
        return _plain_width(text, font, size)
    return sum(
        _shaped(t, font, size)[1] if s else _plain_width(t, font, size)
        for t, s in (_run_text(r, rtl) for r, rtl in visual_runs(text, False))
    )


def draw_line(
    canvas: Any, x: float, y: float, line: str, font: str, size: float, rtl: bool
) -> float:
    """Draw one line from `x` (its left edge) in visual order; returns its width."""
    start = x
    canvas.setFont(font, size)
    for run, run_rtl in visual_runs(line, rtl):
        text, shape = _run_text(run, run_rtl)
        if shape:
            shaped, w = _shaped(text, font, size)
            canvas.drawString(x, y, shaped, shaping=False)
            x += w
            continue
        for part, face in fonts.runs(text):
            # The fallback font's letters (Chinese, Japanese, Korean) in it, the rest in `font`.
            canvas.setFont(face or font, size)
            canvas.drawString(x, y, part)
            x += stringWidth(part, face or font, size)
        canvas.setFont(font, size)
    return x - start
