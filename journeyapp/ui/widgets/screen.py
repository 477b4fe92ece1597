"""Keeping windows on the screen: the available area, dialogs that fit it, the window's size."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QByteArray, QObject, QRect, QSettings, QSize, Qt
from PySide6.QtGui import QGuiApplication, QIcon, QShowEvent, QWindow
from PySide6.QtWidgets import (
    QApplication,
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QLayout,
    QScrollArea,
    QSpacerItem,
    QVBoxLayout,
    QWidget,
    QWidgetItem,
)

from journeyapp import paths
from journeyapp.ui.overrides import override

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog, QDialogButtonBox

# Screens narrower than this (device-independent pixels) get the main window maximised.
MAXIMISE_BELOW = 1600
# A window (or a screen) shorter than this, in device-independent pixels, is laid out
# compactly: 200% on a 1366x768 laptop (384 high, less a task bar) or 150% with a tall panel.
SHORT = 560
# Room for a window manager's frame around a window (title bar and borders), when Qt cannot
# know it yet (before the window is first shown).
FRAME = QSize(16, 40)
_NO_ICON = QIcon()
# Marks a dialog fitted once (dynamicPropertyNames: never a missing property read as None).
_FITTED_NAME = "journeyapp_fitted"
_FITTED = QByteArray(_FITTED_NAME.encode())


def available_geometry(widget: QWidget | None = None) -> QRect:
    """The part of the widget's screen (or the primary screen) that windows may use: the
    screen less task bars and docks, in device-independent pixels."""
    screen = widget.screen() if widget is not None else None
    if screen is None:
        screen = QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def frame_extra(widget: QWidget) -> QSize:
    """How much the window manager's frame adds around `widget`: what it measures once shown,
    and never less than a usual title bar and borders (the frame may not be known yet)."""
    extra = widget.frameGeometry().size() - widget.geometry().size()
    return extra.expandedTo(FRAME)


def fit_window(widget: QWidget, wanted: QSize | None = None) -> None:
    """Resize `widget` (to `wanted`, or its size now) within the available screen, frame and
    all, and move it so that every part of it is on the screen."""
    area = available_geometry(widget)
    extra = frame_extra(widget)
    room = QSize(max(1, area.width() - extra.width()), max(1, area.height() - extra.height()))
    size = (wanted or widget.size()).boundedTo(room)
    # A layout's minimum wins over resize(): lower a minimum set by hand that does not fit.
    minimum = widget.minimumSize()
    if minimum.width() > room.width() or minimum.height() > room.height():
        widget.setMinimumSize(minimum.boundedTo(room))
    widget.resize(size.expandedTo(widget.minimumSizeHint().boundedTo(room)).boundedTo(room))
    frame = widget.frameGeometry()
    frame.setSize(widget.size() + extra)
    x = min(max(frame.x(), area.left()), area.right() + 1 - frame.width())
    y = min(max(frame.y(), area.top()), area.bottom() + 1 - frame.height())
    if (x, y) != (frame.x(), frame.y()):
        widget.move(max(x, area.left()), max(y, area.top()))


def _fresh_size_hint(dialog: QWidget) -> QSize:
    """The size `dialog` asks for with what its scroll areas hold now."""
    # Qt keeps a widget's size hint in its parent's layout until the widget says it changed,
    # and a scroll area never says so when what it holds grows: the dialog (its body in a
    # scroll area, screen.scroll_body) would keep its size and scroll to a message, or cut
    # off a column added after the body was made (Consent's "How recorded").
    for area in dialog.findChildren(QScrollArea):
        area.updateGeometry()
    layout = dialog.layout()
    if layout is not None:
        layout.activate()
    return dialog.sizeHint()


def fit_to_contents(dialog: QDialog) -> None:
    """Grow a dialog so a message that just appeared is shown whole (never shrink it)."""
    fit_window(dialog, dialog.size().expandedTo(_fresh_size_hint(dialog)))


def fit_to_hint(dialog: QDialog) -> None:
    """Make a dialog coming up as tall as what it holds asks for, shorter too: Qt sizes a
    window before it is shown, from what its words asked for before they knew their width (a
    form then opened with empty room under its fields). As wide as it is, or wider if its
    contents need it; within the screen (a form too tall for it scrolls)."""
    hint = _fresh_size_hint(dialog)
    middle = dialog.geometry().center().y()
    fit_window(dialog, QSize(max(dialog.width(), hint.width()), hint.height()))
    # Where Qt put it (over the window it belongs to), by its middle, as it was placed.
    top = middle - dialog.height() // 2
    if top != dialog.y():
        dialog.move(dialog.x(), top)
        fit_window(dialog)


def resize_within(widget: QWidget, width: int, height: int) -> None:
    """`widget.resize(width, height)`, but no larger than the available screen."""
    fit_window(widget, QSize(width, height))


class DialogFitter(QObject):
    """Every window that comes up (a dialog, a message box, a file chooser) is fitted to the
    screen the moment it becomes the active window, and its Save / Cancel / Close buttons lose
    the pictures some desktops give them (a floppy disk, a red X): words alone say what they
    do. One place, so no dialog is forgotten."""

    def __init__(self, app: QGuiApplication) -> None:
        super().__init__(app)
        app.focusWindowChanged.connect(self._window_activated)

    def _window_activated(self, window: QWindow | None) -> None:
        if window is None:
            return
        for widget in QApplication.topLevelWidgets():
            # Only shown dialogs are asked for their window: PySide 6.12 drops a reference to
            # None each time a method returns a null pointer (a hidden widget's windowHandle),
            # and enough of those crash the interpreter. Asked by Qt's class name: importing
            # QDialog has PySide set up its type, and the main window is activated before its
            # first paint with no dialog in sight (#18).
            if (
                widget.inherits("QDialog")
                and widget.isVisible()
                and widget.windowHandle() is window
            ):
                from PySide6.QtWidgets import QDialogButtonBox

                for box in widget.findChildren(QDialogButtonBox):
                    for button in box.buttons():
                        button.setIcon(_NO_ICON)
                    tab_along_the_row(box)
                fit_window(widget, _first_size(widget))
                return


def tab_along_the_row(box: QDialogButtonBox) -> None:
    """Tab goes through a row of buttons (a QDialogButtonBox's) in the order they are seen.

    Qt keeps the order they were added in: About's Close, added first but shown last, came
    before Licence… on its left, and Tab went from the last button back to the middle.

    The buttons are read from the box and put in the order of where they stand, not from its
    layout: a layout's items are Qt's own, and a Python handle on one outlives it when Qt
    deletes it with its dialog; the next widget made where it was then came back as that item
    (an "object has no attribute 'window'" and a crash, seen in the lock walk)."""
    row = sorted(
        (b for b in box.buttons() if not b.isHidden()),
        key=lambda b: (b.y(), b.x()),
    )
    for before, after in itertools.pairwise(row):
        QWidget.setTabOrder(before, after)


def _first_size(dialog: QWidget) -> QSize | None:
    """The size a dialog coming up for the first time asks for: room for all its words.

    Qt opens a new window within two thirds of the screen, so on a small one (200% on a
    laptop: 384 points high) a form opened shorter than its fields and scrolled them with the
    room to show them to spare. Later it keeps the size it has (a person may have made it
    smaller); None then."""
    if _FITTED in dialog.dynamicPropertyNames():
        return None
    dialog.setProperty(_FITTED_NAME, True)
    return dialog.size().expandedTo(_fresh_size_hint(dialog))


# The fitter at work, kept here rather than looked up: app.findChild() has PySide make a Python
# object of each of the application's children, and so set up their classes' Python types
# (the style's among them, with its hundreds of named values, before the first paint, #18).
_FITTER: list[DialogFitter] = []


def fit_every_dialog() -> None:
    """Start fitting every dialog to the screen (once per application)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    if _FITTER and shiboken6.isValid(_FITTER[0]) and _FITTER[0].parent() is app:
        return
    _FITTER[:] = [DialogFitter(app)]


def _settings() -> QSettings:
    # The window's size belongs to the laptop, not to the caseload: kept beside the app's state.
    return QSettings(str(paths.state_dir() / "window.ini"), QSettings.Format.IniFormat)


def restore_main_geometry(window: QWidget) -> bool:
    """Give the main window its remembered size, if that still fits this screen; otherwise
    most of the screen. True when it should be shown maximised: nothing remembered and a
    laptop-sized screen (under 1600 pixels wide)."""
    area = available_geometry(window)
    settings = _settings()
    # contains() first: PySide 6.12's value() of a missing key returns None with a reference
    # missing, which crashes the interpreter a few windows later.
    saved = settings.value("main/geometry") if settings.contains("main/geometry") else None
    if isinstance(saved, QByteArray) and not saved.isEmpty() and window.restoreGeometry(saved):
        fit_window(window)
        return False
    fit_window(window, QSize(min(1440, area.width() * 9 // 10), min(900, area.height())))
    return area.width() < MAXIMISE_BELOW


def save_main_geometry(window: QWidget) -> None:
    """Remember the main window's size and place for next time (no personal data)."""
    settings = _settings()
    settings.setValue("main/geometry", window.saveGeometry())
    settings.sync()


class _WholeBody(QScrollArea):
    """A scroll area that asks for room for all it holds (the dialog then opens as tall as
    its words need, and only a screen too small for them makes it scroll).

    It is a stop for the Tab key only when nothing in it is: then arrows and Page Down scroll
    the words. With fields in it, the fields are the stops (the area scrolls to each one); the
    area itself was a stop with nothing to see, where the keyboard seemed lost."""

    @override
    def showEvent(self, event: QShowEvent) -> None:
        inner = self.widget()
        stops = inner is not None and any(
            child.focusPolicy() & Qt.FocusPolicy.TabFocus and not child.isHidden()
            for child in inner.findChildren(QWidget)
        )
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus if stops else Qt.FocusPolicy.StrongFocus)
        super().showEvent(event)

    @override
    def sizeHint(self) -> QSize:
        inner = self.widget()
        if inner is None:
            return super().sizeHint()
        hint = inner.sizeHint()
        bar = self.verticalScrollBar().sizeHint().width()
        return QSize(
            hint.width() + bar + 2 * self.frameWidth(), hint.height() + 2 * self.frameWidth()
        )


def scroll_body(dialog: QDialog) -> QScrollArea:
    """Put everything in `dialog`'s layout above its button row into a frameless scroll area,
    so that on a small screen (or at 200%) the words scroll and the buttons stay in sight.

    Call it at the end of the dialog's __init__, once its layout is complete.
    """
    from PySide6.QtWidgets import QDialogButtonBox

    layout = dialog.layout()
    assert isinstance(layout, QBoxLayout), "scroll_body needs a dialog laid out in a box"
    stretches = [layout.stretch(n) for n in range(layout.count())]
    entries = [(stretch, layout.takeAt(0)) for stretch in stretches]
    last = entries[-1][1] if entries else None
    keep_out = (
        entries.pop()[1]
        if isinstance(last, QWidgetItem) and isinstance(last.widget(), QDialogButtonBox)
        else None
    )
    body = QWidget()
    inner = QVBoxLayout(body)
    margins = layout.contentsMargins()
    inner.setContentsMargins(margins.left(), margins.top(), margins.right(), 0)
    inner.setSpacing(layout.spacing())
    for stretch, item in entries:
        widget = item.widget() if isinstance(item, QWidgetItem) else None
        if widget is not None:
            inner.addWidget(widget, stretch)
        elif isinstance(item, QLayout):
            inner.addLayout(item, stretch)
        elif isinstance(item, QSpacerItem):
            inner.addItem(item)
    area = _WholeBody()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(body)
    layout.setContentsMargins(0, 0, 0, margins.bottom())
    layout.addWidget(area, 1)
    if keep_out is not None:
        buttons = keep_out.widget()
        assert buttons is not None
        row = QHBoxLayout()
        row.setContentsMargins(margins.left(), 0, margins.right(), 0)
        row.addWidget(buttons)
        layout.addLayout(row)
    return area
