"""Kept font metrics make the same face as reading the font file; a bad or missing kept copy
means the file is read again (issue 18)."""

from __future__ import annotations

import marshal
from pathlib import Path
from typing import Any

import pytest
from reportlab.pdfbase.ttfonts import TTFont, TTFontFile

from journeyapp.paths import resource
from journeyapp.plans import font_metrics

FONTS = ["DejaVuSans", "DejaVuSans-Bold"]


def _plain(face: Any) -> dict[str, Any]:
    return {k: v for k, v in vars(face).items() if k != "_pdfScale"}


def _read_face(name: str) -> Any:
    return TTFont(name, str(resource(f"fonts/{name}.ttf"))).face


@pytest.mark.parametrize("name", FONTS)
def test_kept_metrics_make_the_same_face(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    first = font_metrics.ttfont(name, resource(f"fonts/{name}.ttf")).face
    kept = list(font_metrics.folder().glob(f"{name}-*.marshal"))
    assert len(kept) == 1

    def no_reading(self: Any, charInfo: Any = 1) -> None:  # noqa: N803
        raise AssertionError("the font file was read again")

    monkeypatch.setattr(TTFontFile, "extractInfo", no_reading)
    second = font_metrics.ttfont(name, resource(f"fonts/{name}.ttf")).face
    monkeypatch.undo()
    read = _read_face(name)
    for face in (first, second):
        assert _plain(face) == _plain(read)
        assert {k: type(v) for k, v in _plain(face).items()} == {
            k: type(v) for k, v in _plain(read).items()
        }
        assert face.name.ustr == read.name.ustr
        for units in (0, 1, 1000, 2048, -512.5):
            assert face._pdfScale(units) == read._pdfScale(units)
    # The font program embedded in a PDF is cut the same way (this moves each face's cursor).
    subset = read.makeSubset([0, 65, 66, 0x105])
    assert first.makeSubset([0, 65, 66, 0x105]) == subset
    assert second.makeSubset([0, 65, 66, 0x105]) == subset


@pytest.mark.parametrize(
    "damage",
    [b"", b"not marshal", b"\xe9\x00\x00", marshal.dumps({"__names__": {}, "unitsPerEm": 2048})],
)
def test_a_damaged_kept_copy_is_read_again_and_replaced(damage: bytes) -> None:
    path = resource("fonts/DejaVuSans.ttf")
    font_metrics.ttfont("DejaVuSans", path)
    (kept,) = font_metrics.folder().glob("DejaVuSans-*.marshal")
    kept.write_bytes(damage)
    face = font_metrics.ttfont("DejaVuSans", path).face
    assert _plain(face) == _plain(_read_face("DejaVuSans"))
    assert kept.read_bytes() != damage


def test_no_folder_to_keep_them_in_still_prints(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocked = tmp_path / "a file, not a folder"
    blocked.write_text("")
    monkeypatch.setattr(font_metrics, "folder", lambda: blocked / "font-metrics")
    face = font_metrics.ttfont("DejaVuSans", resource("fonts/DejaVuSans.ttf")).face
    assert _plain(face) == _plain(_read_face("DejaVuSans"))


def test_a_copy_kept_for_another_font_file_goes_and_the_other_fonts_stay() -> None:
    font_metrics.ttfont("DejaVuSans-Bold", resource("fonts/DejaVuSans-Bold.ttf"))
    old = font_metrics.folder() / ("DejaVuSans-" + "0" * 24 + ".marshal")
    old.write_bytes(b"kept for an older reportlab")
    font_metrics.ttfont("DejaVuSans", resource("fonts/DejaVuSans.ttf"))
    kept = sorted(p.name.rsplit("-", 1)[0] for p in font_metrics.folder().iterdir())
    assert kept == ["DejaVuSans", "DejaVuSans-Bold"]
    assert not old.exists()
