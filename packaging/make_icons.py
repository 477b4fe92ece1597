"""Render resources/icons/journeyapp.svg to the PNG sizes, a Windows .ico and a macOS .icns.

Run from the repository root after changing the SVG, then commit the results:

    /work/venv/bin/python packaging/make_icons.py

Needs PySide6 (QtSvg) and Pillow (for .ico/.icns, a dev extra).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SVG = ICONS / "journeyapp.svg"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)  # 256 is the largest size Windows reads from an .ico
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)  # 1024 is 512@2x for Retina screens


def png_path(size: int) -> Path:
    """Where the PNG of one size lives."""
    return ICONS / f"journeyapp-{size}.png"


def render(renderer: QSvgRenderer, size: int) -> QImage:
    """The SVG drawn on a transparent square of `size` pixels."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    return image


def main() -> int:
    """Write every icon file; return a process exit code."""
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        print(f"{SVG} is not a valid SVG", file=sys.stderr)  # noqa: T201
        return 1
    for size in SIZES:
        if not render(renderer, size).save(str(png_path(size)), "PNG"):
            print(f"could not write {png_path(size)}", file=sys.stderr)  # noqa: T201
            return 1
    from PIL import Image

    images = {size: Image.open(png_path(size)).convert("RGBA") for size in SIZES}
    # Each .ico/.icns entry is the SVG rendered at that size, not a downscale of the largest one,
    # so 16 px stays as crisp as the PNG.
    largest_ico = images[max(ICO_SIZES)]
    largest_ico.save(
        ICONS / "journeyapp.ico",
        format="ICO",
        sizes=[(s, s) for s in ICO_SIZES],
        append_images=[images[s] for s in ICO_SIZES if s != max(ICO_SIZES)],
    )
    with tempfile.TemporaryDirectory() as tmp:
        # 1024 px is only needed inside the .icns, so it is not kept as a PNG of its own.
        big = Path(tmp) / "1024.png"
        render(renderer, 1024).save(str(big), "PNG")
        images[1024] = Image.open(big).convert("RGBA")
    images[max(ICNS_SIZES)].save(
        ICONS / "journeyapp.icns",
        format="ICNS",
        append_images=[images[s] for s in ICNS_SIZES if s != max(ICNS_SIZES)],
    )
    print(f"wrote {len(SIZES)} PNGs, journeyapp.ico and journeyapp.icns in {ICONS}")  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
