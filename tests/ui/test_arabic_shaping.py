"""Arabic on the printed page checked against Qt's own text engine, not against our code's idea.

The same words are drawn by our PDF path (bidi + HarfBuzz through reportlab, rasterised by
pdftoppm) and by Qt's QTextLayout into a QImage; the two pictures must match closely, and much
more closely than the PDF path's picture of the same letters unjoined and in typed order.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QImage, QPainter, QTextLayout, QTextOption
from reportlab.pdfgen.canvas import Canvas

from journeyapp.paths import resource
from journeyapp.plans import fonts, scripts

SIZE = 40
LINES = ["نور محمد", "أتعلم وأستخدم مهارات أفخر بها 2026"]
PARAGRAPH = (
    "نحتفظ بمعلوماتك ما دمت مشاركًا. وعندما تنتهي نحتفظ بها لمدة 3 سنوات أخرى، "
    "ثم نراجعها ونحذف ما لم يعد ضروريًا. اتصلي بنور على 01592 555 0123."
)
WIDTH, LEADING, PSIZE = 420, 30, 20
pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs pdftoppm")


def _ink_box(image: QImage, size: tuple[int, int] = (240, 40)) -> QImage:
    gray = image.convertToFormat(QImage.Format.Format_Grayscale8)
    xs, ys = [], []
    for y in range(gray.height()):
        for x in range(gray.width()):
            if gray.pixelColor(x, y).value() < 128:
                xs.append(x)
                ys.append(y)
    box = gray.copy(min(xs), min(ys), max(xs) - min(xs) + 1, max(ys) - min(ys) + 1)
    return box.scaled(
        240, 40, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation
    )


def _pixels(image: QImage) -> list[float]:
    return [
        image.pixelColor(x, y).value() / 255
        for y in range(image.height())
        for x in range(image.width())
    ]


def _similarity(a: QImage, b: QImage) -> float:
    pa, pb = _pixels(a), _pixels(b)
    ma, mb = sum(pa) / len(pa), sum(pb) / len(pb)
    cov = sum((x - ma) * (y - mb) for x, y in zip(pa, pb, strict=True))
    va = sum((x - ma) ** 2 for x in pa) ** 0.5
    vb = sum((y - mb) ** 2 for y in pb) ** 0.5
    return cov / (va * vb)


def _pdf_picture(text: str, tmp: Path, *, ours: bool) -> QImage:
    fonts.register()
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(900, 120))
    if ours:
        scripts.draw_line(canvas, 20, 40, text, fonts.REGULAR, SIZE, True)
    else:  # the old way: letters as typed, unjoined, left to right
        canvas.setFont(fonts.REGULAR, SIZE)
        canvas.drawString(20, 40, text)
    canvas.save()
    pdf = tmp / "line.pdf"
    pdf.write_bytes(out.getvalue())
    subprocess.run(
        ["pdftoppm", "-png", "-r", "72", "-singlefile", str(pdf), str(tmp / "line")], check=True
    )
    return _ink_box(QImage(str(tmp / "line.png")))


def _qt_picture(text: str) -> QImage:
    family = QFontDatabase.applicationFontFamilies(
        QFontDatabase.addApplicationFont(str(resource("fonts/DejaVuSans.ttf")))
    )[0]
    font = QFont(family)
    font.setPixelSize(SIZE)
    image = QImage(900, 120, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setTextDirection(Qt.LayoutDirection.RightToLeft)
    layout.setTextOption(option)
    layout.beginLayout()
    line = layout.createLine()
    line.setLineWidth(860)
    layout.endLayout()
    painter = QPainter(image)
    painter.setPen(QColor("black"))
    layout.draw(painter, QPointF(20, 20))
    painter.end()
    return _ink_box(image)


@pytest.mark.parametrize("text", LINES)
def test_arabic_line_matches_qts_own_shaping(qapp: object, tmp_path: Path, text: str) -> None:
    qt = _qt_picture(text)
    shaped = _similarity(_pdf_picture(text, tmp_path, ours=True), qt)
    unshaped = _similarity(_pdf_picture(text, tmp_path, ours=False), qt)
    assert shaped > 0.75, shaped
    assert shaped > unshaped + 0.15, (shaped, unshaped)


def _pdf_paragraph(tmp: Path, *, ours: bool) -> tuple[QImage, int]:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    from journeyapp.plans.text import ScriptParagraph

    fonts.register()
    style = ParagraphStyle("p", fontName=fonts.REGULAR, fontSize=PSIZE, leading=LEADING)
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(WIDTH + 40, 400))
    if ours:
        flowable = ScriptParagraph([(PARAGRAPH, "black")], style, True)
    else:  # reportlab's own paragraph: letters as typed, unjoined, left to right
        flowable = Paragraph(PARAGRAPH, style)
    _, height = flowable.wrap(WIDTH, 400)
    flowable.drawOn(canvas, 20, 380 - height)
    canvas.save()
    pdf = tmp / "para.pdf"
    pdf.write_bytes(out.getvalue())
    subprocess.run(
        ["pdftoppm", "-png", "-r", "72", "-singlefile", str(pdf), str(tmp / "para")], check=True
    )
    return _ink_box(QImage(str(tmp / "para.png")), (300, 90)), int(height // LEADING)


def _qt_paragraph() -> tuple[QImage, int]:
    family = QFontDatabase.applicationFontFamilies(
        QFontDatabase.addApplicationFont(str(resource("fonts/DejaVuSans.ttf")))
    )[0]
    font = QFont(family)
    font.setPixelSize(PSIZE)
    image = QImage(WIDTH + 40, 400, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    layout = QTextLayout(PARAGRAPH, font)
    option = QTextOption()
    option.setTextDirection(Qt.LayoutDirection.RightToLeft)
    option.setAlignment(Qt.AlignmentFlag.AlignRight)
    layout.setTextOption(option)
    layout.beginLayout()
    lines = 0
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(WIDTH)
        line.setPosition(QPointF(0, lines * LEADING))
        lines += 1
    layout.endLayout()
    painter = QPainter(image)
    painter.setPen(QColor("black"))
    layout.draw(painter, QPointF(20, 20))
    painter.end()
    return _ink_box(image, (300, 90)), lines


def test_wrapped_arabic_paragraph_matches_qts_own_layout(qapp: object, tmp_path: Path) -> None:
    qt, qt_lines = _qt_paragraph()
    ours, our_lines = _pdf_paragraph(tmp_path, ours=True)
    theirs, _ = _pdf_paragraph(tmp_path, ours=False)
    assert our_lines == qt_lines >= 2  # the same words on the same lines
    shaped = _similarity(ours, qt)
    unshaped = _similarity(theirs, qt)
    assert shaped > 0.7, shaped
    assert shaped > unshaped + 0.15, (shaped, unshaped)
