"""The window shell driven by keys and clicks: enrol, Saved, undo, group sessions, help."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QLabel
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.core.enums import ConsentPurpose, StrengthOrBarrier
from journeyapp.ui.dialogs.about import AboutDialog
from journeyapp.ui.dialogs.enrol_dialog import EnrolDialog
from journeyapp.ui.dialogs.group_sessions import GroupSessionDialog
from journeyapp.ui.dialogs.help import ShortcutsDialog
from journeyapp.ui.dialogs.passphrase import ChoosePassphraseDialog
from journeyapp.ui.dialogs.plan_preview import PlanPreviewDialog
from journeyapp.ui.main_window import MainWindow
from tests.ui.shell_helpers import answer_question, shortcut, type_text, with_modal


def enrol_by_keyboard(qtbot: QtBot, win: MainWindow, preferred: str, full: str) -> None:
    """Ctrl+N, type the names, pick a locality with the keyboard, press Enter."""

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, EnrolDialog)
        assert dialog.preferred_name.hasFocus()
        type_text(qtbot, dialog.preferred_name, preferred)
        qtbot.keyClick(dialog.preferred_name, Qt.Key.Key_Tab)
        type_text(qtbot, dialog.full_name, full)
        qtbot.keyClick(dialog.full_name, Qt.Key.Key_Tab)
        assert dialog.locality.hasFocus()
        qtbot.keyClick(dialog.locality, Qt.Key.Key_Down)
        qtbot.keyClick(dialog.locality, Qt.Key.Key_Return)

    with_modal(qtbot, lambda: shortcut(qtbot, win, Qt.Key.Key_N), fill)


def test_enrol_with_ctrl_n_opens_the_new_parent(
    qtbot: QtBot, window: MainWindow, caseload: Caseload
) -> None:
    enrol_by_keyboard(qtbot, window, "Siobhán", "Siobhán Testmuir")
    [participant] = caseload.participants()
    assert participant.preferred_name == "Siobhán"
    assert participant.full_name == "Siobhán Testmuir"
    assert participant.locality == caseload.catalogue.localities[0].key
    assert participant.joined_on == caseload.today()
    assert window.workspace.current_participant_id() == participant.id
    assert window.panel.count_label.text().startswith("1 parent ·")
    assert window.statusBar().currentMessage() == "Saved"


@pytest.mark.parametrize("width", [1366, 800], ids=["side by side", "one pane at a time"])
def test_after_enrolling_their_workspace_is_in_sight_with_the_keyboard_on_it(
    qtbot: QtBot, window: MainWindow, caseload: Caseload, width: int
) -> None:
    """The parent beside the keyworker is the one to go on with: one pane at a time (200% on a
    laptop) the list stayed on screen with their workspace hidden; side by side the keyboard
    stayed in the search box, where the next word typed would have searched."""
    window.resize(width, 600)
    qtbot.waitUntil(lambda: window.panel.isVisible())
    enrol_by_keyboard(qtbot, window, "Amira", "Amira Testmuir")
    [participant] = caseload.participants()
    assert window.workspace.current_participant_id() == participant.id
    qtbot.waitUntil(lambda: window.workspace_area.isVisible())
    # Where the keyboard is in the window (once it is the active window again).
    qtbot.waitUntil(lambda: window.workspace.isAncestorOf(window.focusWidget()))


def test_undo_names_something_in_the_way_in_the_windows_words(
    qtbot: QtBot, window: MainWindow, caseload: Caseload
) -> None:
    """The Edit menu, the toolbar and the status bar said "Undo add a barrier", on a screen the
    parent may be looking at, where the tab says "Things in the way"."""
    pid = caseload.enrol_participant("Amira", "glasgow").id
    window.open_participant(pid)
    caseload.add_strength(pid, "Buses with the pram", kind=StrengthOrBarrier.BARRIER)
    qtbot.waitUntil(lambda: "in the way" in window.undo_action.text())
    assert "barrier" not in window.undo_action.text().lower()
    window.undo_action.trigger()  # Edit > Undo
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Undone"))
    assert window.statusBar().currentMessage() == "Undone: add something in the way. Saved."


def test_enrol_explains_problems_beside_the_field_and_keeps_what_was_typed(
    qtbot: QtBot, window: MainWindow, caseload: Caseload
) -> None:
    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, EnrolDialog)
        type_text(qtbot, dialog.full_name, "Zoë Quillan")
        dialog.joined_on.edit.selectAll()
        qtbot.keyClicks(dialog.joined_on.edit, "31/02/2026")
        qtbot.mouseClick(dialog.enrol_button, Qt.MouseButton.LeftButton)
        # No name yet: said beside the name, and the cursor is put there.
        assert dialog.isVisible()
        assert dialog.errors["preferred_name"].isVisible()
        assert dialog.preferred_name.hasFocus()
        type_text(qtbot, dialog.preferred_name, "Zoë")
        qtbot.mouseClick(dialog.enrol_button, Qt.MouseButton.LeftButton)
        assert dialog.errors["joined_on"].isVisible()
        assert "not a date" in dialog.errors["joined_on"].text()
        assert not dialog.errors["preferred_name"].isVisible()
        assert dialog.joined_on.text() == "31/02/2026"
        dialog.joined_on.edit.selectAll()
        qtbot.keyClicks(dialog.joined_on.edit, "01/02/2026")
        qtbot.mouseClick(dialog.enrol_button, Qt.MouseButton.LeftButton)
        assert dialog.errors["locality"].isVisible()
        assert caseload.participants() == []
        # Everything typed is still there while correcting.
        assert dialog.full_name.text() == "Zoë Quillan"
        assert dialog.preferred_name.text() == "Zoë"
        dialog.locality.setFocus()
        qtbot.keyClick(dialog.locality, Qt.Key.Key_Down)
        qtbot.mouseClick(dialog.enrol_button, Qt.MouseButton.LeftButton)

    with_modal(qtbot, lambda: shortcut(qtbot, window, Qt.Key.Key_N), fill)
    [participant] = caseload.participants()
    assert (participant.preferred_name, participant.full_name) == ("Zoë", "Zoë Quillan")
    assert participant.joined_on.isoformat() == "2026-02-01"


def test_saved_after_a_change_and_ctrl_z_undoes_it(
    qtbot: QtBot, window: MainWindow, caseload: Caseload
) -> None:
    assert not window.undo_action.isEnabled()
    enrol_by_keyboard(qtbot, window, "Aoife", "")
    assert window.statusBar().currentMessage() == "Saved"
    assert window.undo_action.isEnabled()
    assert window.undo_action.text() == "&Undo enrol a parent"
    window.panel.table.setFocus()
    window.undo_action.trigger()  # Edit > Undo
    assert caseload.participants() == []
    assert window.panel.model.rowCount() == 0
    assert window.workspace.current_participant_id() is None
    assert window.statusBar().currentMessage() == "Undone: enrol a parent. Saved."
    assert not window.undo_action.isEnabled()


def test_group_session_offers_only_consenting_parents_and_creates_contacts(
    qtbot: QtBot, demo_window: MainWindow, demo_caseload: Caseload
) -> None:
    consenting = {
        p.id
        for p in demo_caseload.participants()
        if demo_caseload.has_consent(p.id, ConsentPurpose.GROUP_REGISTERS)
        and p.status in ("active", "paused")
    }
    everyone = {p.id for p in demo_caseload.participants()}
    assert consenting
    assert consenting != everyone
    ticked: list[str] = []

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, GroupSessionDialog)
        assert set(dialog.offered_ids()) == consenting
        qtbot.keyClicks(dialog.activity.lineEdit(), "Confidence group")
        qtbot.keyClick(dialog.activity, Qt.Key.Key_Tab)
        qtbot.keyClicks(dialog.venue.lineEdit(), "Leith Community Centre")
        dialog.attendees.setFocus()
        qtbot.keyClick(dialog.attendees, Qt.Key.Key_Space)
        qtbot.keyClick(dialog.attendees, Qt.Key.Key_Down)
        qtbot.keyClick(dialog.attendees, Qt.Key.Key_Space)
        ticked.extend(dialog.ticked_ids())
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    with_modal(qtbot, lambda: shortcut(qtbot, demo_window, Qt.Key.Key_G), fill)
    assert len(ticked) == 2
    session = next(s for s in demo_caseload.group_sessions() if s.activity == "Confidence group")
    assert session.venue == "Leith Community Centre"
    assert {a.participant_id for a in demo_caseload.attendance(session.id)} == set(ticked)
    for pid in ticked:
        contacts = demo_caseload.journey(pid).contacts
        assert any(c.group_session_id == session.id for c in contacts)
    assert demo_window.statusBar().currentMessage() == "Saved"
    # One change, one undo: the session and its register go together.
    assert demo_window.undo_action.text() == "&Undo record a group session"
    demo_window.panel.table.setFocus()
    shortcut(qtbot, demo_window, Qt.Key.Key_Z)
    assert demo_caseload.attendance(session.id) == []


def test_group_session_needs_an_activity(qtbot: QtBot, demo_window: MainWindow) -> None:
    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, GroupSessionDialog)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert dialog.isVisible()
        assert dialog.errors["activity"].isVisible()
        QDialog.reject(dialog)  # close without the unsaved-changes question

    before = len(demo_window.caseload.group_sessions())
    with_modal(qtbot, lambda: shortcut(qtbot, demo_window, Qt.Key.Key_G), fill)
    assert len(demo_window.caseload.group_sessions()) == before


def test_print_plan_opens_the_preview_of_the_open_parent(qtbot: QtBot, window: MainWindow) -> None:
    assert not window.print_plan_action.isEnabled()  # no parent open yet
    enrol_by_keyboard(qtbot, window, "Morven", "Morven Heatherbrae")
    assert window.print_plan_action.isEnabled()
    shortcut(qtbot, window, Qt.Key.Key_P)
    qtbot.waitUntil(lambda: bool(window.findChildren(PlanPreviewDialog)))
    [preview] = window.findChildren(PlanPreviewDialog)
    qtbot.waitUntil(preview.isVisible)
    preview.close()


def test_back_up_now_makes_a_verified_backup(qtbot: QtBot, window: MainWindow) -> None:
    assert window.caseload.safety.backups() == []
    # The backup runs off the window's thread (a progress dialog with Cancel shows meanwhile);
    # that it worked is said in the status bar, not in a dialog to click away.
    window.backup_action.trigger()
    qtbot.waitUntil(
        lambda: "Backed up 0 parents" in window.statusBar().currentMessage(), timeout=10_000
    )
    [made] = window.caseload.safety.backups()
    assert made.path.exists()


def test_menus_a_keyworker_expects(window: MainWindow) -> None:
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == ["&File", "&Edit", "&Parent", "&View", "&Groups", "Pa&rtnership", "&Help"]
    shortcuts = {
        window.new_parent_action: "Ctrl+N",
        window.log_contact_action: "Ctrl+L",
        window.print_plan_action: "Ctrl+P",
        window.find_action: "Ctrl+F",
        window.undo_action: "Ctrl+Z",
        window.quit_action: "Ctrl+Q",
    }
    for action, keys in shortcuts.items():
        assert action.shortcut().toString() == keys


def test_log_contact_needs_an_open_parent(qtbot: QtBot, window: MainWindow) -> None:
    assert not window.log_contact_action.isEnabled()
    enrol_by_keyboard(qtbot, window, "Morven", "")
    assert window.log_contact_action.isEnabled()


def test_help_dialogs(qtbot: QtBot, window: MainWindow) -> None:
    seen: list[str] = []

    def look(dialog: QDialog) -> None:
        if isinstance(dialog, ShortcutsDialog):
            rows = dialog.table.rowCount()
            keys = {dialog.table.item(r, 0).text() for r in range(rows)}
            assert {"Ctrl+N", "Ctrl+F", "Ctrl+L", "Ctrl+P", "Ctrl+Z"} <= keys
        else:
            assert isinstance(dialog, AboutDialog)
            text = " ".join(label.text() for label in dialog.findChildren(QLabel))
            assert "GPL" in text
            assert "DejaVu" in text
            assert str(dialog.data_folder) in text
        seen.append(type(dialog).__name__)
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    with_modal(qtbot, lambda: qtbot.keyClick(window.panel.search, Qt.Key.Key_F1), look)
    with_modal(qtbot, window.about_action.trigger, look)
    assert seen == ["ShortcutsDialog", "AboutDialog"]


def test_demo_says_demo(demo_window: MainWindow) -> None:
    assert "DEMO" in demo_window.windowTitle()
    assert demo_window.demo_banner is not None
    assert demo_window.demo_banner.isVisible()
    assert "DEMO" in demo_window.demo_banner.text()


def test_real_caseload_has_no_demo_banner(window: MainWindow) -> None:
    assert "DEMO" not in window.windowTitle()
    assert window.demo_banner is None


def test_new_caseload_opens_in_place_of_this_one(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from journeyapp.ui import main_window

    target = tmp_path / "second.db"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )

    def choose(dialog: QDialog) -> None:
        assert isinstance(dialog, ChoosePassphraseDialog)
        qtbot.keyClicks(dialog.first, "four quiet river stones")
        qtbot.keyClicks(dialog.second, "four quiet river stones")
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)

    with_modal(qtbot, window.new_caseload_action.trigger, choose)
    qtbot.waitUntil(lambda: not window.isVisible())
    opened = main_window._WINDOWS[-1]
    qtbot.addWidget(opened)
    try:
        assert target.exists()
        assert opened.caseload.is_encrypted
        assert opened.caseload.path == target
        assert opened.panel.count_label.text() == "0 parents · 0 check-ins due"
    finally:
        opened.close()  # it owns its caseload: closing the window closes the file


def test_open_caseload_that_is_not_one_says_so(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    junk = tmp_path / "notes.db"
    junk.write_bytes(b"this is not a caseload" * 100)
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(junk), ""))
    )
    messages: list[str] = []

    def read(dialog: QDialog) -> None:
        messages.append(dialog.text())  # type: ignore[attr-defined]
        dialog.accept()

    with_modal(qtbot, window.open_caseload_action.trigger, read)
    assert messages
    assert "not a JourneyApp caseload" in messages[0]
    assert window.isVisible()


@pytest.mark.parametrize("answer", ["Go back", "Discard changes", "Save"])
def test_escape_on_the_enrol_form_with_typed_words_asks(
    qtbot: QtBot, window: MainWindow, caseload: Caseload, answer: str
) -> None:
    from journeyapp.ui.widgets.date_edit import DateEdit

    dialog = EnrolDialog(caseload, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert isinstance(dialog.joined_on, DateEdit)  # the one date field, dd/mm/yyyy shown
    assert dialog.joined_on.text() == caseload.today().strftime("%d/%m/%Y")
    type_text(qtbot, dialog.preferred_name, "Zoë")
    dialog.locality.setCurrentIndex(1)
    asked = answer_question(qtbot, answer)
    qtbot.keyClick(dialog.preferred_name, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: bool(asked))
    assert "not saved yet" in asked[0]
    if answer == "Go back":
        assert dialog.isVisible()
        assert dialog.preferred_name.text() == "Zoë"
        assert caseload.participants() == []
        QDialog.reject(dialog)
    elif answer == "Discard changes":
        assert not dialog.isVisible()
        assert caseload.participants() == []
    else:
        assert not dialog.isVisible()
        assert [p.preferred_name for p in caseload.participants()] == ["Zoë"]


def test_escape_on_a_group_session_with_ticks_asks(
    qtbot: QtBot, demo_window: MainWindow, demo_caseload: Caseload
) -> None:
    dialog = GroupSessionDialog(demo_caseload, demo_window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    # Nothing typed: Escape closes at once.
    asked = answer_question(qtbot, "Go back")
    dialog.reject()
    assert not dialog.isVisible()
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.attendees.setFocus()
    qtbot.keyClick(dialog.attendees, Qt.Key.Key_Space)
    qtbot.keyClick(dialog.attendees, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: bool(asked))
    assert dialog.isVisible()
    assert len(dialog.ticked_ids()) == 1
    QDialog.reject(dialog)


def test_a_past_group_session_is_corrected_and_removed_with_undo(
    qtbot: QtBot, window: MainWindow, caseload: Caseload
) -> None:
    from datetime import date, timedelta

    from journeyapp.ui.dialogs.group_sessions import PastSessionsDialog

    pid = caseload.enrol_participant("Zoë", "glasgow", date(2026, 10, 1)).id
    caseload.record_consent(pid, ConsentPurpose.GROUP_REGISTERS, True, on=date(2026, 10, 1))
    on = caseload.today() - timedelta(days=3)
    session = caseload.record_group_session(
        "Cook and chta", on=on, venue="Hall", attendees=[pid], minutes=60
    )
    past = PastSessionsDialog(caseload, window)
    qtbot.addWidget(past)
    past.show()
    qtbot.waitExposed(past)
    assert past.table.item(0, 1).text() == "Cook and chta"
    assert past.table.item(0, 3).text() == "1"

    def correct(dialog: QDialog) -> None:
        assert isinstance(dialog, GroupSessionDialog)
        assert dialog.windowTitle() == "Change a group session"
        assert not dialog.attendees.isVisible()
        assert dialog.activity.currentText() == "Cook and chta"
        dialog.activity.lineEdit().selectAll()
        qtbot.keyClicks(dialog.activity.lineEdit(), "Cook and chat")
        dialog.on.edit.selectAll()
        qtbot.keyClicks(dialog.on.edit, (on - timedelta(days=1)).strftime("%d/%m/%Y"))
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    past.table.setFocus()
    with_modal(qtbot, lambda: qtbot.keyClick(past.table, Qt.Key.Key_Return), correct)
    [corrected] = caseload.group_sessions()
    assert (corrected.activity, corrected.on) == ("Cook and chat", on - timedelta(days=1))
    [contact] = caseload.journey(pid).contacts
    assert (contact.note, contact.on) == ("Cook and chat", on - timedelta(days=1))
    assert [e.action for e in caseload.record_history(session.id)][-1] == "update"
    caseload.undo()
    assert caseload.group_sessions()[0].activity == "Cook and chta"
    assert caseload.journey(pid).contacts[0].note == "Cook and chta"

    # Delete asks a question naming the session; Remove takes the register and contacts too.
    past.refresh()
    asked = answer_question(qtbot, "Remove")
    qtbot.keyClick(past.table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: bool(asked))
    assert asked[0].startswith("Remove the group session “Cook and chta” on ")
    assert "(1 came)" in asked[0]
    assert caseload.group_sessions() == []
    assert caseload.journey(pid).contacts == ()
    assert caseload.record_history(session.id)[-1].action == "delete"
    caseload.undo()
    assert len(caseload.group_sessions()) == 1
    assert len(caseload.journey(pid).contacts) == 1
    past.reject()


def test_enrol_grows_to_show_a_problem_beside_its_field_without_scrolling(
    qtbot: QtBot, window: MainWindow, caseload: Caseload
) -> None:
    """On a laptop's screen there is room: the form grows for the message under a field
    rather than scrolling the last fields out of sight (it kept its size and scrolled)."""
    from PySide6.QtWidgets import QScrollArea

    from journeyapp.ui.widgets import screen

    dialog = EnrolDialog(caseload, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    screen.fit_window(dialog)  # as when it becomes the active window
    before = dialog.height()
    area = dialog.findChild(QScrollArea)
    assert isinstance(area, QScrollArea)
    bar = area.verticalScrollBar()
    type_text(qtbot, dialog.preferred_name, "Morag")
    qtbot.keyClick(dialog.preferred_name, Qt.Key.Key_Return)  # Enrol, pressed for a moment
    qtbot.waitUntil(dialog.errors["locality"].isVisible)
    assert dialog.focusWidget() is dialog.locality  # the cursor put where to look
    qtbot.wait(50)  # the layout settles
    assert dialog.height() > before
    assert bar.maximum() == 0, "every field and the message in sight, nothing to scroll"
    QDialog.reject(dialog)
