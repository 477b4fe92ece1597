"""Every window and dialog the app has fits a 1366x768 laptop at 100%, 150% and 200% scaling:
the whole window (frame and all) on the screen's free area, every button inside it and on the
screen, no words cut off (issue 14, "Fits every laptop")."""

from __future__ import annotations

import gc
import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QEvent, QPoint, QRect, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

import journeyapp.ui
from journeyapp.caseload import Caseload
from journeyapp.ui.change_bus import ChangeBus
from journeyapp.ui.dialogs.about import TextViewer
from journeyapp.ui.dialogs.backup import RestoreDialog
from journeyapp.ui.dialogs.first_run import FirstRunDialog
from journeyapp.ui.dialogs.journey_end import WelcomeBackDialog
from journeyapp.ui.dialogs.passphrase import UnlockDialog
from journeyapp.ui.main_window import RECORD_MENU, MainWindow
from journeyapp.ui.operations import running, stop_all
from journeyapp.ui.widgets import screen
from journeyapp.ui.widgets.date_edit import DateEdit
from journeyapp.ui.workspace.journey import StageMoveDialog
from tests.ui.shell_helpers import make_window, new_windows

# A 1366x768 laptop with a 40-pixel panel, in device-independent pixels at each scale.
SCREENS = {
    "100%": QRect(0, 0, 1366, 728),
    "150%": QRect(0, 0, 910, 485),
    "200%": QRect(0, 0, 683, 364),
}
# Actions that open nothing, or end the session, or a menu where the keyboard is.
_SKIP = {"&Quit", "&Lock", "&Undo", RECORD_MENU}
# Dialog classes no walk can open here, with the reason.
_NOT_REACHED: dict[str, str] = {}


@pytest.fixture(params=list(SCREENS))
def area(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> QRect:
    """Pretend the screen's free area is a laptop's at one of the scales."""
    rect = SCREENS[request.param]
    monkeypatch.setattr(screen, "available_geometry", lambda _widget=None: QRect(rect))
    return rect


def _global_rect(widget: QWidget) -> QRect:
    return QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())


def _in_scroll_area(widget: QWidget, top: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


# What a person reads or types in: cut off at the side, a column of a form can't be used.
_SEEN = (QLabel, QLineEdit, QComboBox, QAbstractSpinBox, QAbstractButton, QTextEdit)


def _cut_off_at_the_side(window: QWidget, name: str) -> list[str]:
    """Words and fields in a scroll area that does not scroll sideways (a form's body) that
    run past its right edge: a column of a form cut off ("How recorded" in Consent), which no
    scroll bar brings into sight."""
    found = []
    for area in window.findChildren(QScrollArea):
        if not area.isVisibleTo(window) or area.window() is not window:
            continue
        if area.horizontalScrollBarPolicy() != Qt.ScrollBarPolicy.ScrollBarAlwaysOff:
            continue
        viewport = _global_rect(area.viewport())
        for child in area.viewport().findChildren(QWidget):
            if not isinstance(child, _SEEN) or not child.isVisibleTo(window):
                continue
            rect = _global_rect(child)
            if rect.width() > 0 and rect.right() > viewport.right():
                words = child.text() if isinstance(child, QLabel | QLineEdit) else ""
                what = child.accessibleName() or words or type(child).__name__
                found.append(f"{name}: {what[:40]!r} cut off at the side")
    return found


def _headers_cut_off(window: QWidget, name: str) -> list[str]:
    """A table's column headings too narrow for their words."""
    found = []
    for header in window.findChildren(QHeaderView):
        if not header.isVisibleTo(window) or header.orientation() != Qt.Orientation.Horizontal:
            continue
        model = header.model()
        if model is None:
            continue
        metrics = header.fontMetrics()
        for n in range(header.count()):
            if header.isSectionHidden(n):
                continue
            text = str(model.headerData(n, Qt.Orientation.Horizontal) or "")
            room = header.sectionSize(n) - 8
            if text and metrics.horizontalAdvance(text) > room:
                found.append(f"{name}: heading {text!r} cut off ({header.sectionSize(n)})")
    return found


def misfits(window: QWidget, area: QRect) -> list[str]:
    """What does not fit: the window with its frame, buttons, and words cut off."""
    name = f"{type(window).__name__} {window.windowTitle()!r}"
    found = []
    # Offscreen windows have no frame: count the room a window manager's frame takes.
    framed = QRect(window.pos(), window.size() + screen.FRAME)
    if not area.contains(framed):
        found.append(f"{name}: {framed.width()}x{framed.height()} at {framed.x()},{framed.y()}")
    inside = _global_rect(window)
    for button in window.findChildren(QAbstractButton):
        if not button.isVisibleTo(window) or button.window() is not window:
            continue
        in_box = isinstance(button.parentWidget(), QDialogButtonBox)
        if _in_scroll_area(button, window) and not in_box:
            continue  # scrolled to; the scroll area itself must fit
        rect = _global_rect(button)
        whole = button.visibleRegion().boundingRect().size() == button.size()
        if not inside.contains(rect) or not area.contains(rect) or not whole:
            found.append(f"{name}: button {button.text()!r} outside or cut off")
    found.extend(_cut_off_at_the_side(window, name))
    found.extend(_headers_cut_off(window, name))
    for label in window.findChildren(QLabel):
        if not label.isVisibleTo(window) or not label.text() or _in_scroll_area(label, window):
            continue
        if label.wordWrap():
            short = label.height() + 1 < label.heightForWidth(label.width())
        else:
            short = label.width() + 1 < label.minimumSizeHint().width()
        if short:
            found.append(f"{name}: words cut off in {label.text()[:40]!r}")
    return found


def walk(
    qtbot: QtBot, trigger: Callable[[], object], area: QRect, seen: dict[str, list[str]]
) -> None:
    """Trigger something that opens windows (modal or not); measure each one and close it."""
    # Every wrapper is held (so no id is reused); the ones on screen now are not new.
    held = list(QApplication.topLevelWidgets())
    before = {id(w): w for w in held if w.isVisible()}
    done: list[bool] = []
    tries: list[int] = []

    def probe() -> None:
        found = new_windows(before)
        if not found:
            tries.append(1)
            if len(tries) > 12:
                done.append(True)
            else:
                QTimer.singleShot(15, probe)
            return
        tries.clear()
        window = found[-1]
        before[id(window)] = window
        held.extend(found)
        # Fitted when it becomes the active window, as on a desktop.
        window.activateWindow()
        for _ in range(20):
            if window.isActiveWindow():
                break
            QApplication.processEvents()
        QApplication.processEvents()
        seen.setdefault(type(window).__name__, []).extend(misfits(window, area))
        if isinstance(window, QDialog):
            window.reject()
        else:
            window.close()
        QTimer.singleShot(15, probe)  # it may open another one next

    QTimer.singleShot(0, probe)
    trigger()
    qtbot.waitUntil(lambda: bool(done), timeout=30000)


def _all_dialog_classes() -> set[str]:
    names = set()
    for module in pkgutil.walk_packages(journeyapp.ui.__path__, "journeyapp.ui."):
        loaded = importlib.import_module(module.name)
        for _name, cls in inspect.getmembers(loaded, inspect.isclass):
            if issubclass(cls, QDialog) and cls.__module__.startswith("journeyapp.ui"):
                names.add(cls.__name__)
    return names


@pytest.fixture
def shown(qtbot: QtBot, demo_caseload: Caseload, area: QRect) -> Iterator[MainWindow]:
    window = make_window(qtbot, demo_caseload)
    window.protect(backups=False, check=False)
    yield window
    # Work the walk started (Back up now runs off the window's thread) ends with the test, so
    # no thread outlives the caseload it was reading.
    stop_all(demo_caseload)
    qtbot.waitUntil(lambda: not running(demo_caseload), timeout=30_000)
    window.bus.detach()


def test_the_main_window_fits_and_shows_every_section(
    qtbot: QtBot, shown: MainWindow, area: QRect
) -> None:
    window = shown
    assert misfits(window, area) == []
    status = _global_rect(window.statusBar())
    assert area.contains(status), "the status bar ('Saved') is on the screen"
    first = window.caseload.participants()[0].id
    window.panel.select(first)
    window.open_participant(first)
    window.switch_pane()  # the workspace, in whatever layout this width has
    QApplication.processEvents()
    workspace = window.workspace
    assert workspace.isVisible()
    names = workspace.tabs.tabBar()
    viewport = names.viewport().rect()
    hidden = [
        names.item(n).text()
        for n in range(names.count())
        if not viewport.contains(names.visualItemRect(names.item(n)))
    ]
    if area.width() >= 900:
        assert hidden == [], "every section's name is in sight"
    assert misfits(window, area) == []
    if area.width() < 1000:
        # One pane at a time: the way back to the list is in sight and works.
        back = workspace.back_button
        assert back.isVisible()
        assert area.contains(_global_rect(back))
        qtbot.mouseClick(back, Qt.MouseButton.LeftButton)
        assert window.panel.isVisible()
        assert not window.workspace_area.isVisible()
    # The lock screen's words fit too.
    assert window.lock is not None
    window.lock.lock()
    QApplication.processEvents()
    assert misfits(window, area) == []
    window.lock.try_unlock("")


def test_every_dialog_fits(
    qtbot: QtBot, shown: MainWindow, area: QRect, demo_caseload: Caseload, tmp_path: Path
) -> None:
    window = shown
    seen: dict[str, list[str]] = {}
    first = demo_caseload.participants()[0].id
    actions = sorted(
        (
            a
            for a in window.findChildren(type(window.new_parent_action))
            if a.text() and a.text() not in _SKIP and not a.menu()
        ),
        key=lambda a: a.text(),
    )
    for action in actions:
        if window.caseload.is_closed:
            break
        window.panel.select(first)
        window.open_participant(first)
        if action.isEnabled():
            walk(qtbot, action.trigger, area, seen)
    # Every button of every section of a parent's workspace that opens something.
    window.open_participant(first)
    for section in window.workspace.sections:
        window.workspace.tabs.setCurrentWidget(section)
        QApplication.processEvents()
        # Each section's tables: their column headings whole.
        seen.setdefault("MainWindow", []).extend(_headers_cut_off(window, "MainWindow"))
        clicked: set[str] = set()
        for button in section.findChildren(QPushButton):
            if not (shiboken6.isValid(button) and button.isVisible() and button.isEnabled()):
                continue
            if button.text() not in clicked:
                clicked.add(button.text())
                walk(qtbot, button.click, area, seen)
    # The header's buttons (the parent's meetings).
    for button in window.workspace.header.findChildren(QPushButton):
        if shiboken6.isValid(button) and button.isVisible() and button.isEnabled():
            walk(qtbot, button.click, area, seen)
    # The windows that come before the main one, and the ones opened from inside dialogs.
    assert demo_caseload.path is not None
    made: dict[int, QDialog] = {}
    for make in (
        lambda: FirstRunDialog(tmp_path / "new.db"),
        lambda: UnlockDialog(demo_caseload.path),  # type: ignore[arg-type]
        lambda: RestoreDialog(demo_caseload.path, None),  # type: ignore[arg-type]
        lambda: TextViewer(None, "Licence", "A line of the licence. " * 400),
        # Opened with Enter on a stage move in the Journey tab's list, not by a button.
        lambda: StageMoveDialog(
            demo_caseload, first, None, existing=demo_caseload.journey(first).stages[-1]
        ),
        # Parent > Welcome back opens it for a parent whose journey ended (the walk's is going).
        lambda: WelcomeBackDialog(demo_caseload, first, None),
    ):
        dialog = make()
        made[id(dialog)] = dialog  # qtbot closes these
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        QApplication.processEvents()
        seen.setdefault(type(dialog).__name__, []).extend(misfits(dialog, area))
        dialog.hide()
    problems = [p for found in seen.values() for p in found]
    assert problems == [], "\n".join(problems)
    missing = (
        _all_dialog_classes()
        - set(seen)
        - set(_NOT_REACHED)
        # The bases, never opened themselves.
        - {
            "AsksBeforeLeaving",
            "FormDialog",
            "ParentRecordDialog",
            "CheckThenImportDialog",
            "_JourneyDayDialog",
        }
    )
    assert missing == set(), "every dialog class was opened and measured"
    # The dialogs the walk closed go now, inside this test, not in a later one's time.
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QDialog) and id(widget) not in made:
            widget.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()


def test_the_window_remembers_its_size_and_opens_maximised_on_a_laptop(
    qtbot: QtBot, caseload: Caseload, monkeypatch: pytest.MonkeyPatch
) -> None:
    laptop = QRect(0, 0, 1366, 728)
    monkeypatch.setattr(screen, "available_geometry", lambda _widget=None: QRect(laptop))
    first = MainWindow(caseload, ChangeBus(caseload))
    qtbot.addWidget(first)
    assert first.maximise, "nothing remembered, a screen under 1600 wide: maximised"
    first.show()
    first.resize(700, 500)  # within the offscreen test screen (restoreGeometry checks it)
    first.close()
    first.bus.detach()
    second = MainWindow(caseload, ChangeBus(caseload))
    qtbot.addWidget(second)
    assert not second.maximise
    assert (second.width(), second.height()) == (700, 500)
    second.bus.detach()
    # Remembered on a bigger screen, opened on a small one: fitted to it.
    small = SCREENS["200%"]
    monkeypatch.setattr(screen, "available_geometry", lambda _widget=None: QRect(small))
    third = MainWindow(caseload, ChangeBus(caseload))
    qtbot.addWidget(third)
    third.show()
    assert misfits(third, small) == []
    third.bus.detach()


def test_ctrl_page_down_and_up_step_through_the_sections(
    qtbot: QtBot, shown: MainWindow, area: QRect
) -> None:
    window = shown
    first = window.caseload.participants()[0].id
    window.panel.select(first)
    window.open_participant(first)
    tabs = window.workspace.tabs
    assert tabs.currentIndex() == 0
    ctrl = Qt.KeyboardModifier.ControlModifier
    qtbot.keyClick(window.panel.table, Qt.Key.Key_PageDown, ctrl)
    assert tabs.currentIndex() == 1
    assert window.workspace_area.isVisible()
    for _ in range(tabs.count() - 1):
        qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_PageDown, ctrl)
    assert tabs.currentIndex() == 0, "round from the last section to the first"
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_PageUp, ctrl)
    assert tabs.currentIndex() == tabs.count() - 1


def test_a_form_opened_shorter_than_its_fields_grows_to_them_once(
    qtbot: QtBot, caseload: Caseload, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 200% on a laptop Qt opens a new window within two thirds of the screen: the enrol
    form came up scrolling its last fields with room below to show them. The first time it
    comes up it grows to them (within the screen); later it keeps the size given to it."""

    from journeyapp.ui.dialogs.enrol_dialog import EnrolDialog

    area = SCREENS["200%"]
    monkeypatch.setattr(screen, "available_geometry", lambda _widget=None: QRect(area))
    screen.fit_every_dialog()
    dialog = EnrolDialog(caseload)
    qtbot.addWidget(dialog)
    dialog.resize(dialog.width(), area.height() * 2 // 3 - screen.FRAME.height())
    scroll = dialog.findChild(QScrollArea)
    assert isinstance(scroll, QScrollArea)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    qtbot.wait(50)  # the layout settles
    assert misfits(dialog, area) == []
    assert scroll.verticalScrollBar().maximum() == 0, "every field in sight"
    # Made smaller by hand, it keeps that size when it comes back to the front.
    dialog.resize(dialog.width(), 200)
    other = QDialog()
    qtbot.addWidget(other)
    other.show()
    other.activateWindow()
    qtbot.waitActive(other)
    other.close()
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    assert dialog.height() == 200


def _whole_in(label: QLabel, area: QWidget) -> bool:
    """`label` is shown, all its lines, and inside `area` (a scroll area's viewport)."""
    rect = QRect(label.mapTo(area, QPoint(0, 0)), label.size())
    lines_fit = label.height() + 1 >= label.heightForWidth(label.width())
    return label.isVisible() and lines_fit and area.rect().contains(rect)


def test_at_200_percent_the_header_is_two_rows_and_the_sections_have_the_height(
    qtbot: QtBot, demo_caseload: Caseload, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 200% on a laptop the parent's header took half the height (the way back to the
    list, the name, the stage line, the meeting line), and the whole workspace scrolled,
    header and all, with every section. Compact, it takes two rows; every word in it stays
    in sight and whole, and the workspace itself never scrolls: a section that needs more
    room scrolls on its own, under the header."""
    area = SCREENS["200%"]
    monkeypatch.setattr(screen, "available_geometry", lambda _widget=None: QRect(area))
    window = make_window(qtbot, demo_caseload)
    # A parent with a meeting arranged, so every line of the header has its words.
    today = demo_caseload.today()
    meeting = demo_caseload.appointments_between(today, today + timedelta(days=60))[0]
    window.panel.select(meeting.participant_id)
    window.open_participant(meeting.participant_id)
    window.switch_pane()
    workspace = window.workspace
    header = workspace.header
    viewport = window.workspace_area.viewport()
    bar = window.workspace_area.verticalScrollBar()
    # One pane at a time at this width: the workspace has the window's width once laid out.
    qtbot.waitUntil(lambda: viewport.width() > area.width() // 2, timeout=2000)
    assert header.meeting_label.text().startswith("Next meeting: ")
    for index in range(workspace.tabs.count()):
        workspace.tabs.setCurrentIndex(index)
        name = workspace.tabs.tabText(index)
        qtbot.waitUntil(lambda: bar.maximum() == 0, timeout=2000)
        assert bar.maximum() == 0, f"{name}: the workspace scrolls as a whole"
        for label in (
            header.name_label,
            header.summary_label,
            header.checkin_label,
            header.meeting_label,
        ):
            assert _whole_in(label, viewport), f"{name}: {label.text()!r} cut off or out of sight"
        for button in (workspace.back_button, header.meetings_button):
            rect = QRect(button.mapTo(viewport, QPoint(0, 0)), button.size())
            assert button.isVisible(), button.text()
            assert viewport.rect().contains(rect), button.text()
    # Tab from the section names goes on into the page: the room a page sits in (which
    # scrolls it when the window is too short) is not a stop of its own.
    workspace.tabs.setCurrentIndex(0)
    workspace.tabs.setFocus()
    for _ in range(3):
        qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Tab)
        focus = QApplication.focusWidget()
        assert focus is not None
        assert focus.parentWidget() is not workspace.tabs.pages, "an invisible stop"
    # The sections begin within the top two fifths (they began past half way).
    top = workspace.tabs.mapTo(viewport, QPoint(0, 0)).y()
    assert top <= viewport.height() * 2 // 5, (top, viewport.height())
    assert header.compact
    # A taller window has the header of four rows back, the name at a title's size.
    small_name = header.name_label.font().pointSizeF()
    window.resize(window.width(), 700)
    qtbot.waitUntil(lambda: not header.compact, timeout=2000)
    assert header.name_label.font().pointSizeF() > small_name
    meeting_row = header.meeting_label.geometry()
    assert header.meetings_button.geometry().top() < meeting_row.bottom(), "beside the meeting"
    window.resize(window.width(), area.height() - screen.FRAME.height())
    qtbot.waitUntil(lambda: header.compact, timeout=2000)
    window.bus.detach()


def test_at_200_percent_a_message_under_a_field_fits_without_scrolling(
    qtbot: QtBot, caseload: Caseload, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 200% on a laptop Log a contact came up as tall as the screen with wide margins,
    and a message under a field (a date that is not a date) pushed its last fields out of
    sight: the form scrolled. Its margins are narrower on a short screen and it grows to the
    message where there is room, as Enrol a new parent does. (With a task bar too, 364
    high, the message still needs a few lines more than there are, and the form scrolls.)"""
    from journeyapp.ui.workspace.contacts import LogContactDialog

    # 200% on a 1366x768 laptop whose task bar hides itself (as on Xvfb with openbox).
    area = QRect(0, 0, 683, 384)
    monkeypatch.setattr(screen, "available_geometry", lambda _widget=None: QRect(area))
    screen.fit_every_dialog()
    pid = caseload.enrol_participant("Zoë", "glasgow").id
    dialog = LogContactDialog(caseload, pid)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    bar = dialog.scroll_area.verticalScrollBar()
    try:
        qtbot.waitUntil(lambda: bar.maximum() == 0, timeout=2000)
        on = dialog.fields["on"]
        assert isinstance(on, DateEdit)
        on.setText("31/02/2026")
        qtbot.keyClick(on, Qt.Key.Key_Return)
        error = dialog.errors["on"]
        qtbot.waitUntil(error.isVisible, timeout=2000)
        assert dialog.isVisible(), "not saved"
        qtbot.waitUntil(lambda: bar.maximum() == 0, timeout=2000)
        assert misfits(dialog, area) == []
    finally:
        QDialog.reject(dialog)  # no question about the typing, pass or fail


@pytest.mark.parametrize("scale", ["100%", "200%"])
def test_every_form_opens_as_tall_as_its_fields_with_no_empty_room_below(
    qtbot: QtBot, caseload: Caseload, monkeypatch: pytest.MonkeyPatch, scale: str
) -> None:
    """Found by use: the parent record forms came up with empty room under their fields (Qt
    sized them before their words knew their width, from a taller size hint). Each opens as
    tall as its fields ask for (a long one scrolls within the screen), and still fits."""
    from journeyapp.ui.widgets.forms import FormDialog
    from tests.ui.draft_forms import FORMS

    area = SCREENS[scale]
    monkeypatch.setattr(screen, "available_geometry", lambda _widget=None: QRect(area))
    screen.fit_every_dialog()
    pid = caseload.enrol_participant("Zoë", "glasgow", caseload.today()).id
    roomy = []
    for form in FORMS:
        dialog = form.build(caseload, pid)
        if not isinstance(dialog, FormDialog) or dialog._scroll_inner is not None:
            dialog.deleteLater()
            continue  # a long form sizes itself to scroll (FormDialog(scrolling=True))
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.activateWindow()
        qtbot.waitActive(dialog)
        qtbot.wait(20)  # the layout settles
        assert misfits(dialog, area) == [], form.form
        wanted = screen._fresh_size_hint(dialog).height()
        room = area.height() - screen.FRAME.height()
        if dialog.height() > min(wanted, room) + 2:
            roomy.append(f"{form.form}: {dialog.height()} high for {wanted}")
        dialog.forget_draft()
        QDialog.reject(dialog)
    assert roomy == []
