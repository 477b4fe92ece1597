"""Registers the bundled DejaVu Sans with reportlab, a fallback font for the Chinese, Japanese and
Korean letters it lacks, and swaps out characters neither can draw."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from reportlab import rl_config
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics

from journeyapp.paths import resource
from journeyapp.plans import font_metrics

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"
BOLD_ITALIC = "DejaVuSans-BoldOblique"
# WenQuanYi Micro Hei draws the Chinese, Japanese and Korean letters DejaVu Sans lacks (a
# parent's words in them were left out). Registered only when a text needs it.
FALLBACK = "WenQuanYiMicroHei"
FALLBACK_FILE = "fonts/wqy-microhei.ttc"
# A character DejaVu Sans has no glyph for (most emoji) is left out cleanly: a box would read
# as a fault in the parent's own words.
REPLACEMENT = ""


@cache
def register() -> str:
    """Register the DejaVu Sans family once per process; returns the regular face's name."""
    # Binary (not ASCII85) streams: smaller PDFs, and reportlab's pure-Python ASCII85
    # encoder was a tenth of the time of a plan. Only plans/ uses reportlab in this app.
    rl_config.useA85 = 0
    # Plans and reports use the regular and bold faces only; reading the two oblique faces
    # was a tenth of the time to print one plan. Italic markup falls back to upright.
    # Their metrics are read once per laptop and kept (font_metrics): reading them was the
    # largest part of printing one plan after reportlab's own start.
    for name in (REGULAR, BOLD):
        pdfmetrics.registerFont(font_metrics.ttfont(name, resource(f"fonts/{name}.ttf")))
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, REGULAR)
    addMapping(REGULAR, 1, 1, BOLD)
    return REGULAR


@cache
def _glyphs() -> frozenset[int]:
    register()
    font = pdfmetrics.getFont(REGULAR)
    return frozenset(font.face.charToGlyph)  # type: ignore[attr-defined]


@cache
def _fallback_glyphs() -> frozenset[int]:
    """What the fallback font draws: registered the first time a character DejaVu Sans lacks
    is met (its metrics kept between runs, as DejaVu Sans's are)."""
    register()
    pdfmetrics.registerFont(font_metrics.ttfont(FALLBACK, resource(FALLBACK_FILE)))
    font = pdfmetrics.getFont(FALLBACK)
    return frozenset(font.face.charToGlyph) - _glyphs()  # type: ignore[attr-defined]


def runs(text: str) -> list[tuple[str, str | None]]:
    """`text` in runs of one font: None for DejaVu Sans (regular or bold, as the caller draws
    it), FALLBACK for the letters only the fallback font has."""
    if text.isascii():
        return [(text, None)] if text else []
    glyphs = _glyphs()
    found: list[tuple[str, str | None]] = []
    start = 0
    face: str | None = None
    for i, ch in enumerate(text):
        code = ord(ch)
        now = FALLBACK if code not in glyphs and code in _fallback_glyphs() else None
        if now != face and i > start:
            found.append((text[start:i], face))
            start = i
        face = now
    if start < len(text):
        found.append((text[start:], face))
    return found


def printable(text: str) -> str:
    """`text` with every character the fonts cannot draw replaced, and invisible controls removed.

    Newlines and tabs are kept (the caller decides how to show them); emoji and the joiners and
    variation selectors around them are left out, and the double space they leave is closed, as
    is a space they leave at the start or end of the words.
    """
    if text.isascii() and text.isprintable():
        return text  # the common case: plain ASCII, all of which DejaVu Sans can draw
    kept = _printable(text)
    if _LEFT_OUT in kept:
        # The space beside a left-out emoji at the end of the words, or at their start, goes
        # too: “Started at the bakery 🎉” printed “Started at the bakery ”.
        kept = _BESIDE_LEFT_OUT.sub("", kept).replace(_LEFT_OUT, REPLACEMENT)
    return _SPACES.sub(" ", kept)


_SPACES = re.compile(r"(?<=\S) {2,}(?=\S)")
# Where a character neither font draws was left out (never in text: controls are dropped first).
_LEFT_OUT = "\x00"
_OPENING = "\n“‘«„(\\[\"'"
_CLOSING = "\n”’»)\\]\"'.,;:!?…"
_BESIDE_LEFT_OUT = re.compile(
    f"(?:^|(?<=[{_OPENING}]))\x00+[ \t]+|[ \t]+\x00+(?=$|[{_CLOSING}])", re.MULTILINE
)


def _printable(text: str) -> str:
    glyphs = _glyphs()
    out: list[str] = []
    for ch in text:
        code = ord(ch)
        if ch in "\n\t":
            out.append(ch)
            continue
        category = unicodedata.category(ch)
        if code == 0x200C and code in glyphs:
            out.append(ch)  # the zero-width non-joiner shapes Persian words (HarfBuzz uses it)
            continue
        if 0x2066 <= code <= 0x2069:
            out.append(ch)  # directional isolates steer bidi order; plans.scripts never draws them
            continue
        if category in ("Cc", "Cf", "Cs", "Co", "Cn") or 0xFE00 <= code <= 0xFE0F:
            continue  # invisible controls: nothing to print
        if code in glyphs or code in _fallback_glyphs():
            out.append(ch)
            continue
        if category == "Mn" or ch.isspace():
            # A combining mark the font lacks is dropped; unusual spaces become a plain space.
            out.append(" " if ch.isspace() else "")
            continue
        if 0x1F3FB <= code <= 0x1F3FF:
            continue  # skin-tone modifiers belong to the emoji before them
        out.append(_LEFT_OUT)
    return "".join(out)
