"""The bundled fonts' metrics, read from the font file once per laptop and kept (issue 18).

reportlab reads a TrueType font's metrics (each character's glyph and width, the names, the
box) in Python, about 200 million instructions for DejaVu Sans and its bold: the largest part
of printing one plan beyond reportlab's own start. What it works out depends only on the font
file and reportlab's version, so the first print keeps it (marshal, in JourneyApp's state
folder: no personal data) under a name made from both (the file's path, size and time), and
later prints load it. The PDF is the same: the font program embedded in it is still cut from
the font file itself.

A kept copy that cannot be read, or that does not match, is ignored (and replaced): the font is
then read as before. Only values marshal writes exactly are kept; if reportlab ever sets
anything else, nothing is kept and every print reads the font.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, Literal

import reportlab
from reportlab.pdfbase import ttfonts
from reportlab.pdfbase.ttfonts import TTFNameBytes, TTFont, TTFontFace

from journeyapp import paths
from journeyapp.core.bulk import paused_gc

_FORMAT = 1  # bump when what is kept changes
_MARSHAL_VERSION = 4
_NAMES = "__names__"  # the PostScript and family names (bytes that also carry their text)
# What a face cannot print without: a kept copy lacking any of them is not used.
_NEEDED = frozenset(
    {"name", "unitsPerEm", "charToGlyph", "charWidths", "defaultWidth", "hmetrics", "glyphPos"}
)
_swap = threading.Lock()


def folder() -> Path:
    """Where kept metrics go: JourneyApp's own state folder (no personal data)."""
    return paths.state_dir() / "font-metrics"


def _kept_path(font_file: Path) -> Path:
    # Named from the file's path, size and time and reportlab's version: a changed font file or
    # another reportlab finds no kept copy (hashing the file's bytes cost a tenth of the gain).
    found = font_file.stat()
    key = f"{font_file.resolve()}:{found.st_size}:{found.st_mtime_ns}:{reportlab.Version}:{_FORMAT}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:24]
    return folder() / f"{font_file.stem}-{digest}.marshal"


def _encode(found: dict[str, Any]) -> bytes | None:
    """What extractInfo set, as marshal bytes; None if any of it is not plain data."""
    plain: dict[str, Any] = {_NAMES: {}}
    for key, value in found.items():
        if key == "_pdfScale":
            continue  # a function of unitsPerEm, made again on loading
        if isinstance(value, TTFNameBytes):
            plain[_NAMES][key] = value.ustr
            continue
        plain[key] = value
    try:
        data = marshal.dumps(plain, _MARSHAL_VERSION)
    except ValueError:
        return None
    return data if marshal.loads(data) == plain else None


def _decode(data: bytes) -> dict[str, Any]:
    with paused_gc():  # tens of thousands of new objects and no cycles: a third faster
        plain = marshal.loads(data)
    if not isinstance(plain, dict) or not isinstance(plain.get(_NAMES), dict):
        raise ValueError("not kept font metrics")
    if not _NEEDED.issubset(plain.keys() | plain[_NAMES].keys()):
        raise ValueError("kept font metrics with parts missing")
    names = plain.pop(_NAMES)
    for key, text in names.items():
        plain[key] = TTFNameBytes(text.encode("utf8"))
    units = plain["unitsPerEm"]
    plain["_pdfScale"] = (lambda x: x) if units == 1000 else _scale(1000 / units)
    return plain


def _scale(factor: float) -> Any:
    return lambda x: x * factor


class _KeptFace(TTFontFace):
    """A TrueType face whose metrics come from the kept copy when there is one."""

    def extractInfo(self, charInfo: Literal[0, 1] | bool = 1) -> None:  # noqa: N802, N803
        # (reportlab's names)
        kept = _kept_path(Path(self.filename))
        with suppress(OSError, ValueError, EOFError, TypeError, KeyError):
            self.__dict__.update(_decode(kept.read_bytes()))
            return
        before = dict(self.__dict__)
        super().extractInfo(charInfo)
        found = {k: v for k, v in self.__dict__.items() if k not in before or before[k] is not v}
        data = _encode(found)
        if data is not None:
            _keep(kept, data)
            _forget_others(kept)


def _forget_others(kept: Path) -> None:
    """Remove copies kept for this font before (another font file or reportlab), not those of
    another font ("DejaVuSans-Bold-…" also starts "DejaVuSans-")."""
    stem = kept.name.rsplit("-", 1)[0]
    with suppress(OSError):
        for other in kept.parent.glob(f"{stem}-*.marshal"):
            if other != kept and other.name.rsplit("-", 1)[0] == stem:
                other.unlink(missing_ok=True)


def _keep(path: Path, data: bytes) -> None:
    """Write `path` whole or not at all (a second process may be reading or writing it)."""
    with suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
        try:
            partial.write_bytes(data)
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)


@contextmanager
def _faces_kept() -> Iterator[None]:
    # TTFont makes its face through the module's TTFontFace: ours while the font is made.
    with _swap:
        names = vars(ttfonts)
        names["TTFontFace"] = _KeptFace
        try:
            yield
        finally:
            names["TTFontFace"] = TTFontFace


def ttfont(name: str, font_file: Path) -> TTFont:
    """reportlab's TTFont for `font_file`, its metrics kept between runs."""
    with _faces_kept():
        return TTFont(name, str(font_file))
