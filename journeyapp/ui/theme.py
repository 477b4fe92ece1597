"""The look (see STYLE.md): one calm palette in light and dark, the type scale, spacing, icons."""

from __future__ import annotations

import math
from functools import cache

from PySide6.QtCore import QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QIcon,
    QIconEngine,
    QPainter,
    QPalette,
    QPixmap,
)
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication, QWidget

from journeyapp import paths
from journeyapp.ui.overrides import override

# The palette: a warm off-white (or a soft charcoal) and one teal accent. Colours carry
# meaning only with words or an icon beside them (STYLE.md).
LIGHT = {
    "window": "#f6f5f2",
    "base": "#ffffff",
    "alternate": "#f1f0ec",
    "text": "#1f2328",
    "muted": "#5b6470",
    "accent": "#0f6e74",
    "accent_text": "#ffffff",
    "button": "#ecebe6",
    "border": "#d3d1ca",
    "tooltip": "#fff8e1",
    "link": "#0b5a60",
}
DARK = {
    "window": "#1e2124",
    "base": "#25292d",
    "alternate": "#2b3035",
    "text": "#e8e6e1",
    "muted": "#a3abb5",
    "accent": "#4fb3b9",
    "accent_text": "#0d1214",
    "button": "#30353a",
    "border": "#40464d",
    "tooltip": "#3a3526",
    "link": "#7fd0d5",
}
# The type scale, as multiples of the system's body size.
TITLE = 1.5
HEADING = 1.15
SMALL = 0.9
# Spacing: multiples of one unit (device-independent pixels).
UNIT = 4
ICON = 20


def is_dark() -> bool:
    """Whether the system asks for a dark look."""
    app = QGuiApplication.instance()
    if not isinstance(app, QGuiApplication):
        return False
    return app.styleHints().colorScheme() == Qt.ColorScheme.Dark


def colours() -> dict[str, str]:
    """The palette in use now (light or dark, following the system)."""
    return DARK if is_dark() else LIGHT


def palette(colors: dict[str, str]) -> QPalette:
    """A QPalette from one of the palettes above."""
    p = QPalette()
    role = QPalette.ColorRole
    pairs = {
        role.Window: "window",
        role.WindowText: "text",
        role.Base: "base",
        role.AlternateBase: "alternate",
        role.Text: "text",
        role.Button: "button",
        role.ButtonText: "text",
        role.Highlight: "accent",
        role.HighlightedText: "accent_text",
        role.ToolTipBase: "tooltip",
        role.ToolTipText: "text",
        role.PlaceholderText: "muted",
        role.Link: "link",
        role.LinkVisited: "link",
        role.Mid: "border",
        role.Midlight: "alternate",
        role.Dark: "border",
        role.Light: "base",
        role.BrightText: "accent_text",
        role.Accent: "accent",
    }
    for qt_role, name in pairs.items():
        p.setColor(qt_role, QColor(colors[name]))
    muted = QColor(colors["muted"])
    for qt_role in (role.WindowText, role.Text, role.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, qt_role, muted)
    return p


def _rules(colors: dict[str, str]) -> dict[str, str]:
    """The few rules a palette cannot say, by the object name of the widget they are for
    (set on that widget alone: an application-wide style sheet would slow every widget)."""
    c = colors
    return {
        "sectionList": f"""
QListWidget {{
    background: {c["window"]}; border: none; border-right: 1px solid {c["border"]};
    padding: {UNIT}px 0; outline: none;
}}
QListWidget::item {{
    padding: {UNIT + 2}px {UNIT * 3}px; border: 1px solid transparent;
    border-left: 3px solid transparent; color: {c["text"]};
}}
QListWidget::item:selected {{
    background: {c["base"]}; border-left: 3px solid {c["accent"]}; color: {c["text"]};
}}
QListWidget::item:selected:focus {{ border: 1px solid {c["accent"]}; border-left-width: 3px; }}
QListWidget::item:hover:!selected {{ background: {c["alternate"]}; }}
QListWidget[compact="true"] {{ padding: 0; }}
QListWidget[compact="true"]::item {{ padding: 1px {UNIT * 3}px; }}
""",
        # A flat button (the way back to the caseload list) shows the keyboard is on it, as
        # the other buttons do: Fusion draws no sign on a flat one.
        "backButton": f"""
QPushButton {{
    border: 2px solid transparent; border-radius: 4px; background: transparent;
    padding: {UNIT}px {UNIT * 2}px; outline: none;
}}
QPushButton:hover {{ background: {c["alternate"]}; }}
QPushButton:focus {{ border: 2px solid {c["accent"]}; }}
""",
        "mainToolBar": f"""
QToolBar {{
    border: none; border-bottom: 1px solid {c["border"]}; spacing: {UNIT * 2}px;
    padding: {UNIT}px {UNIT * 2}px;
}}
QToolButton {{ padding: {UNIT}px {UNIT * 2}px; border-radius: 4px; }}
QToolButton:hover {{ background: {c["alternate"]}; }}
""",
        # Words typed over several lines show the keyboard is on them, as a one-line field does
        # (Fusion draws no sign on them: only the caret blinked). Same size either way.
        "textBox": f"""
QPlainTextEdit, QTextEdit {{
    border: 1px solid {QColor(c["window"]).darker(140).name()}; border-radius: 2px;
    padding: 1px; background: {c["base"]};
}}
QPlainTextEdit:focus, QTextEdit:focus {{ border: 2px solid {c["accent"]}; padding: 0px; }}
""",
        # The same for pages or figures scrolled with the keyboard (the plan's preview).
        "scrollView": f"""
QScrollArea {{
    border: 1px solid {QColor(c["window"]).darker(140).name()}; padding: 1px;
}}
QScrollArea:focus {{ border: 2px solid {c["accent"]}; padding: 0px; }}
""",
        "searchResults": f"""
QListWidget {{ border: 1px solid {c["border"]}; border-radius: 4px; }}
QListWidget::item {{ padding: {UNIT}px {UNIT * 2}px; border-bottom: 1px solid {c["alternate"]}; }}
QListWidget::item:selected {{ background: {c["accent"]}; color: {c["accent_text"]}; }}
""",
    }


def style(widget: QWidget, name: str) -> None:
    """Name `widget` and give it its rules (again when the system turns dark or light)."""
    widget.setObjectName(name)
    widget.setStyleSheet(_rules(colours()).get(name, ""))


_THEMED: list[QApplication] = []
# Applications made by application(): Fusion already theirs.
_FUSION_FROM_THE_START: list[QApplication] = []


def application(argv: list[str]) -> QApplication:
    """The application, made with Fusion as its style from the start (Qt's own `-style`
    argument: the style setStyle("Fusion") sets, without PySide making a Python object of the
    style it returns, which sets up QStyle's type and its hundreds of named values before the
    window's first paint, #18)."""
    app = QApplication([*argv, "-style", "Fusion"])
    _FUSION_FROM_THE_START.append(app)
    return app


def apply(app: QApplication) -> None:
    """Give the application the look: style, palette and the few style rules (again whenever
    the system switches between light and dark)."""
    if _THEMED:
        return
    _THEMED.append(app)
    # Fusion as it is: a QProxyStyle written in Python would be asked thousands of questions
    # a second, and PySide 6.12 loses a reference to None on each (the interpreter crashes).
    # Pictures on Save / Cancel / Close are taken off by the dialog fitter (widgets.screen).
    if not any(made is app for made in _FUSION_FROM_THE_START):
        app.setStyle("Fusion")
    _apply_colours(app)
    app.styleHints().colorSchemeChanged.connect(lambda _scheme: _apply_colours(app))
    app.focusChanged.connect(_show_keyboard_focus)


def _show_keyboard_focus(_old: QWidget | None, new: QWidget | None) -> None:
    """Wherever the keyboard goes, its place shows: Fusion draws a button's or a drop-down's
    focus only once Tab has moved in that window, so after a dialog closed (Save pressed with
    Enter) the keyboard was back on "Add a step…" with nothing to show it."""
    if new is not None:
        new.window().setAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange)


def _apply_colours(app: QApplication) -> None:
    colors = colours()
    app.setPalette(palette(colors))
    icon.cache_clear()
    rules = _rules(colors)
    for widget in app.allWidgets():
        if widget.objectName() in rules:
            widget.setStyleSheet(rules[widget.objectName()])


class _SvgIcon(QIconEngine):
    """Draws one bundled SVG in the palette's colours, at the size asked for, when first asked
    (the window comes up without drawing icons it does not show yet)."""

    def __init__(self, svg: str) -> None:
        super().__init__()
        self._svg = svg
        self._drawn: dict[tuple[int, int, bool], QPixmap] = {}

    def _colour(self, mode: QIcon.Mode) -> str:
        return colours()["muted" if mode == QIcon.Mode.Disabled else "text"]

    @override
    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        side = max(1, min(size.width(), size.height()))
        key = (side, int(mode.value), is_dark())
        drawn = self._drawn.get(key)
        if drawn is None:
            renderer = QSvgRenderer(self._svg.replace("currentColor", self._colour(mode)).encode())
            drawn = QPixmap(QSize(side, side))
            drawn.fill(Qt.GlobalColor.transparent)
            painter = QPainter(drawn)
            try:
                renderer.render(painter, QRectF(0, 0, side, side))
            finally:
                painter.end()
            self._drawn[key] = drawn
        return drawn

    @override
    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        # The pixel ratio from the painter's transform to the device (the screen's scale, and any
        # scaling of the painter): asking painter.device() instead makes PySide wrap the widget
        # being painted, about 30 ms of the window's start for its first tool buttons (#18).
        to_device = painter.deviceTransform()
        ratio = math.hypot(to_device.m11(), to_device.m12()) or 1.0
        side = max(1, round(min(rect.width(), rect.height()) * ratio))
        pixmap = self.pixmap(QSize(side, side), mode, state)
        painter.drawPixmap(rect, pixmap)

    @override
    def clone(self) -> QIconEngine:
        copy = _SvgIcon(self._svg)
        _ENGINES.append(copy)
        return copy


# The engines live as long as the app: Qt holds them by pointer, Python must not free them.
_ENGINES: list[_SvgIcon] = []


@cache
def icon(name: str) -> QIcon:
    """One of the bundled icons (resources/icons/ui/NAME.svg), drawn in the text colour (the
    quiet colour when disabled), sharp at any scale. The same picture means the same thing
    everywhere (STYLE.md)."""
    engine = _SvgIcon(paths.resource(f"icons/ui/{name}.svg").read_text(encoding="utf-8"))
    _ENGINES.append(engine)
    return QIcon(engine)
