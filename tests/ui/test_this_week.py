"""This week in the window: the home view lists exactly the constructed caseload's items on the
fixed day, each line opens its parent at the right section and record, meetings are arranged,
changed and removed (undoably) from This week and from the parent's header."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QFileDialog
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.caseload.this_week import Section, WeekLine, this_week
from journeyapp.ui.dialogs.group_sessions import GroupSessionDialog
from journeyapp.ui.dialogs.settings import SettingsDialog
from journeyapp.ui.main_window import MainWindow
from journeyapp.ui.widgets.this_week import LINE_ROLE
from journeyapp.ui.workspace.goals import GoalsSection
from journeyapp.ui.workspace.meetings import MeetingDialog, MeetingsDialog
from journeyapp.ui.workspace.pace import PaceSection
from journeyapp.ui.workspace.record_actions import RECORD_PROPERTY
from journeyapp.ui.workspace.referrals import ReferralsSection
from tests.caseload.week_caseload import Made, build
from tests.conftest import TODAY
from tests.ui.shell_helpers import make_window, shortcut, with_modal

EXPECTED = [
    "Amira · 14:00 at the Hub, with Kim",
    "Beth · Tue 1 Dec 10:00",
    "Dan · check-in due since 16 Nov",
    "Cara · check-in due since 22 Nov",
    "Amira · “Ask about Tuesday” · was due 27 Nov",
    "Amira · “Phone the nursery” · due 1 Dec",
    "Cara · referral to Money Matters · waiting since 8 Nov (20 days)",
    "Fay · get in touch again on 30 Nov (Fay's choice) · “back after the move”",
    "Sun 29 Nov · Coffee morning at Community centre",
    "Eve · last contact 14 Oct (45 days)",
]


@pytest.fixture
def week(qtbot: QtBot, caseload: Caseload) -> Iterator[tuple[MainWindow, Made]]:
    made = build(caseload, TODAY)
    win = make_window(qtbot, caseload)
    win.resize(1360, 740)  # both panes side by side, as on a laptop
    qtbot.waitUntil(lambda: win.workspace.this_week.isVisible())
    yield win, made
    win.bus.detach()


def _open(qtbot: QtBot, win: MainWindow, line: WeekLine) -> None:
    view = win.workspace.this_week
    item = view.item_for(line)
    assert item is not None, line.text
    view.tree.setCurrentItem(item)
    view.tree.setFocus()
    qtbot.keyClick(view.tree, Qt.Key.Key_Return)


def _focused_record() -> object:
    focus = QApplication.focusWidget()
    return focus.property(RECORD_PROPERTY) if focus is not None else None


def test_this_week_is_home_and_lists_exactly_the_items(
    qtbot: QtBot, week: tuple[MainWindow, Made]
) -> None:
    win, _made = week
    view = win.workspace.this_week
    assert view.isVisible()
    assert [line.text for line in view.lines()] == EXPECTED
    assert view.lines() == list(this_week(win.caseload).lines)
    assert win.statusBar().currentMessage().startswith("1 meeting today · 2 check-ins due")
    heads = [view.tree.topLevelItem(i).text(0) for i in range(view.tree.topLevelItemCount())]
    assert heads[0] == "Meetings today (1)"
    # Overdue lines carry an icon as well as the words, never colour alone.
    overdue = [i.text(0) for i in view._line_items() if not i.icon(0).isNull()]
    assert overdue == [EXPECTED[2], EXPECTED[3], EXPECTED[4]]


def test_each_line_opens_the_parent_at_the_right_place(
    qtbot: QtBot, week: tuple[MainWindow, Made]
) -> None:
    win, made = week
    r = made.records
    for line in list(win.workspace.this_week.lines()):
        shortcut(qtbot, win, Qt.Key.Key_1)  # back to This week
        assert win.workspace.current_participant_id() is None
        if line.participant_id is None:
            seen: list[QDialog] = []
            with_modal(
                qtbot,
                lambda line=line: _open(qtbot, win, line),
                lambda d, seen=seen: (seen.append(d), d.reject()),
                kind=GroupSessionDialog,
            )
            assert isinstance(seen[0], GroupSessionDialog)
            continue
        _open(qtbot, win, line)
        assert win.workspace.current_participant_id() == line.participant_id, line.text
        assert win.panel.current_participant_id() == line.participant_id
        current = win.workspace.tabs.currentWidget()
        if line.section is Section.MEETINGS:
            dialogs = [d for d in win.workspace.findChildren(MeetingsDialog) if d.isVisible()]
            assert len(dialogs) == 1
            selected = dialogs[0].selected()
            assert selected is not None
            assert selected.id == line.record_id
            dialogs[0].reject()
            qtbot.waitUntil(
                lambda: not [d for d in win.workspace.findChildren(MeetingsDialog) if d.isVisible()]
            )
            win.activateWindow()
            qtbot.waitUntil(win.isActiveWindow)
        elif line.kind == "steps":
            assert isinstance(current, GoalsSection)
            qtbot.waitUntil(lambda line=line: _focused_record() == line.record_id)
        elif line.kind == "referrals":
            assert isinstance(current, ReferralsSection)
            qtbot.waitUntil(lambda line=line: _focused_record() == line.record_id)
        elif line.kind == "pauses":
            assert isinstance(current, PaceSection)
            assert line.record_id == r["break fay"]
        else:  # a check-in or a month without contact: their contacts
            assert current is not None
            assert current.title == "Contacts"


def test_arrange_a_meeting_from_this_week_then_undo(
    qtbot: QtBot, week: tuple[MainWindow, Made]
) -> None:
    win, made = week
    view = win.workspace.this_week

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, MeetingDialog)
        assert dialog.who is not None
        dialog.who.setCurrentIndex(dialog.who.findData(made.parents["Eve"]))
        dialog.time.setText("9.30")
        dialog.place.setText("Library")
        dialog.buttons.accepted.emit()
        # A time that is not a time is refused beside its field; nothing is saved.
        assert "not a time of day" in dialog.errors["time"].text()
        dialog.time.setText("09:30")
        dialog.buttons.accepted.emit()

    with_modal(qtbot, view.arrange_button.click, fill)
    today = [line.text for line in view.lines() if line.group == "today"]
    assert today == ["Eve · 09:30 at Library", "Amira · 14:00 at the Hub, with Kim"]
    # A meeting arranged is not a contact yet: Eve is still a month without contact.
    assert "Eve · last contact 14 Oct (45 days)" in [line.text for line in view.lines()]
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    view.tree.setFocus()
    shortcut(qtbot, win, Qt.Key.Key_Z)
    assert [line.text for line in view.lines() if line.group == "today"] == [EXPECTED[0]]


def test_the_header_shows_the_next_meeting_and_its_list_changes_it(
    qtbot: QtBot, week: tuple[MainWindow, Made]
) -> None:
    win, made = week
    beth = made.parents["Beth"]
    win.panel.select(beth)
    win.open_participant(beth)
    header = win.workspace.header
    assert header.meeting_label.text() == "Next meeting: Tue 1 Dec 2026, 10:00"
    dialog = win.workspace.show_meetings()
    assert dialog is not None
    texts = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert texts == ["Tue 1 Dec 2026, 10:00", "Sat 5 Dec 2026, 10:00"]

    def change(form: QDialog) -> None:
        assert isinstance(form, MeetingDialog)
        form.place.setText("Kirkcaldy Hub")
        form.with_whom.setText("Morag")
        form.buttons.accepted.emit()

    with_modal(qtbot, dialog.change, change)
    assert header.meeting_label.text() == (
        "Next meeting: Tue 1 Dec 2026, 10:00 at Kirkcaldy Hub, with Morag"
    )
    dialog.reject()
    win.undo()
    assert header.meeting_label.text() == "Next meeting: Tue 1 Dec 2026, 10:00"


def _shown_words(win: MainWindow) -> list[str]:
    """Every piece of text a person sees in the window: labels, buttons, the status bar."""
    from PySide6.QtWidgets import QAbstractButton, QLabel

    shown = [w.text() for w in win.findChildren(QLabel) if w.isVisible()]
    shown += [w.text() for w in win.findChildren(QAbstractButton) if w.isVisible()]
    return [*shown, win.statusBar().currentMessage()]


def test_an_empty_caseload_says_enrol_your_first_parent(qtbot: QtBot, caseload: Caseload) -> None:
    """The first days' screen says to enrol the first parent once, on its button; the list
    says what it will hold and the status bar where to begin (all three said "Enrol your
    first parent")."""
    win = make_window(qtbot, caseload)
    win.resize(1360, 740)
    view = win.workspace.this_week
    qtbot.waitUntil(view.isVisible)
    said = [t for t in _shown_words(win) if "first parent" in t.casefold()]
    assert said == ["Enrol your first parent…"], said
    assert win.statusBar().currentMessage() == (
        "No parents in this caseload yet: This week says how to begin."
    )
    assert "listed here with their stage, pace and next check-in" in (win.panel.empty_label.text())
    assert view.enrol_button.isVisible()
    assert not view.tree.isVisible()
    assert not view.arrange_button.isEnabled()
    assert "Ctrl+N" in view.hint.text()
    caseload.enrol_participant("Ama", "fife", joined_on=TODAY)
    assert view.tree.isVisible()
    assert not view.enrol_button.isVisible()
    win.bus.detach()


def test_save_my_calendar_from_this_week(
    qtbot: QtBot, week: tuple[MainWindow, Made], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    win, _made = week
    out = tmp_path / "mine.ics"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    win.workspace.this_week.calendar_button.click()
    text = out.read_bytes().decode("utf-8")
    assert "SUMMARY:Meeting with Amira" in text
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert win.statusBar().currentMessage().startswith("Saved 5 meetings and group sessions")


def test_a_calendar_saved_under_a_name_without_ics_is_given_it(
    qtbot: QtBot, week: tuple[MainWindow, Made], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    win, _made = week
    saved = tmp_path / "saved"
    saved.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(saved / "mine"), ""))
    win.workspace.this_week.calendar_button.click()
    assert [p.name for p in saved.iterdir()] == ["mine.ics"]
    assert (saved / "mine.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert " to mine.ics " in win.statusBar().currentMessage()


def test_parent_menu_opens_the_meetings_of_the_open_parent(
    qtbot: QtBot, week: tuple[MainWindow, Made]
) -> None:
    win, made = week
    assert not win.meetings_action.isEnabled()  # no parent open: This week
    win.panel.select(made.parents["Amira"])
    win.open_participant(made.parents["Amira"])
    assert win.meetings_action.isEnabled()
    win.meetings_action.trigger()
    dialogs = [d for d in win.workspace.findChildren(MeetingsDialog) if d.isVisible()]
    assert [d.windowTitle() for d in dialogs] == ["Meetings with Amira"]
    texts = [dialogs[0].list.item(i).text() for i in range(dialogs[0].list.count())]
    assert texts == ["Sat 28 Nov 2026, 14:00 at the Hub, with Kim", "Fri 27 Nov 2026, 10:00 (past)"]
    dialogs[0].reject()


def test_a_line_cut_off_at_the_list_s_edge_is_whole_in_its_tooltip(
    qtbot: QtBot, week: tuple[MainWindow, Made]
) -> None:
    """A long name and what is due ran past the list's edge at 1366 wide, ending "…", and the
    tooltip only said where the line opens: the rest could not be read."""
    win, _made = week
    caseload = win.caseload
    name = "Bartholomew-Krzysztofiakowska Oleksandrivna Nowakowska-Szczepańska"
    pid = caseload.enrol_participant(name, "glasgow", TODAY).id
    what = "Phone the nursery about the afternoons and ask about the waiting list for Tuesdays"
    caseload.add_step(caseload.add_goal(pid, "Get back to work").id, what, "keyworker", TODAY)
    view = win.workspace.this_week
    view.refresh()
    qtbot.waitUntil(lambda: any(what in line.text for line in view.lines()))
    items = view._line_items()
    assert items
    for item in items:
        line = item.data(0, LINE_ROLE)
        assert item.toolTip(0).startswith(line.text), item.toolTip(0)
    long_one = next(i for i in items if what in i.text(0))
    assert view.tree.fontMetrics().horizontalAdvance(long_one.text(0)) > view.tree.width()


def test_your_name_spelled_unlike_the_parents_records_is_said_not_an_empty_week(
    qtbot: QtBot, caseload: Caseload
) -> None:
    """Your name "Denise" where the parents' records say "Denise (demo)": This week showed an
    empty week under "Denise's parents", as if nothing was due. It says no parent has that
    keyworker and how the records spell it; saved as they do, her parents are listed, and
    This week follows Settings at once (it kept the old heading until shown again)."""
    from journeyapp.ui.dialogs.settings import SettingsDialog

    pid = caseload.enrol_participant("Leanne", "fife", TODAY, keyworker="Denise (demo)").id
    caseload.arrange_meeting(pid, TODAY, time="09:30", with_whom="Denise (demo)")
    win = make_window(qtbot, caseload)
    win.resize(1360, 740)
    view = win.workspace.this_week
    qtbot.waitUntil(view.isVisible)
    qtbot.waitUntil(lambda: view.week is not None)
    assert "everyone in this caseload" in view.dates.text()
    assert view.week is not None
    assert view.week.group("today").count == 1

    def save_name(name: str) -> None:
        def handle(dialog: QDialog) -> None:
            assert isinstance(dialog, SettingsDialog)
            dialog.edits["keyworker"].setText(name)
            dialog.save()

        with_modal(qtbot, win.edit_settings, handle)

    save_name("Denise")
    said = view.dates.text()
    assert "no parent has “Denise” as keyworker (the records say “Denise (demo)”)" in said
    assert "set Your name in File > Settings" in said
    assert view.week is not None
    assert view.week.nobody_theirs
    assert view.week.group("today").count == 0
    save_name("denise (DEMO)")
    assert "denise (DEMO)'s parents" in view.dates.text()
    assert view.week is not None
    assert not view.week.nobody_theirs
    assert view.week.group("today").count == 1
    assert this_week(caseload, keyworker="Nobody").spelled == ()
    win.bus.detach()


def test_a_new_laptop_says_to_fill_in_settings_before_the_first_parent(
    qtbot: QtBot, caseload: Caseload
) -> None:
    """A keyworker's first minutes: File > Settings is empty, so a parent enrolled now would
    have no keyworker and a plan printed now "Ask your keyworker for a number to call."; This
    week says so, until Settings are saved through the real dialog."""
    win = make_window(qtbot, caseload)
    win.resize(1360, 740)
    view = win.workspace.this_week
    qtbot.waitUntil(view.isVisible)
    assert "put your name, phone and organisation in File > Settings" in view.hint.text()

    def fill_in(dialog: QDialog) -> None:
        assert isinstance(dialog, SettingsDialog)
        qtbot.keyClicks(dialog.edits["keyworker"], "Aileen")
        qtbot.keyClicks(dialog.edits["phone"], "01382 000000")
        buttons = dialog.findChild(QDialogButtonBox)
        assert buttons is not None
        buttons.button(QDialogButtonBox.StandardButton.Save).click()

    with_modal(qtbot, win.edit_settings, fill_in, kind=SettingsDialog)
    assert "Once parents are enrolled" in view.hint.text()
    assert "File > Settings" not in view.hint.text()
    # Nor, with no parent yet, that no parent has their name (set it as the records spell
    # it): there are no records to spell it.
    assert view.dates.text().endswith("· Aileen's parents (and any with no keyworker noted)")
    # The first parent enrolled has them as keyworker.
    assert caseload.settings.sender().keyworker == "Aileen"
    win.bus.detach()


def test_a_parent_welcomed_back_from_the_window_counts_from_that_day(
    qtbot: QtBot, week: tuple[MainWindow, Made]
) -> None:
    """Parent > Welcome back on a day 40 days ago: This week lists them as quiet since then
    ("welcomed back on …"), not by their last contact before they moved on; welcomed back
    today, they are not listed at all."""
    from datetime import timedelta

    from journeyapp.core.dates import short_date
    from journeyapp.core.enums import ParticipantStatus
    from journeyapp.ui.dialogs.journey_end import WelcomeBackDialog

    win, made = week
    c = win.caseload
    eve = made.parents["Eve"]  # quiet since her last contact, 45 days ago
    c.end_journey(eve, ParticipantStatus.MOVED_ON, on=TODAY - timedelta(days=44))
    back = TODAY - timedelta(days=40)

    def welcome(dialog: QDialog) -> None:
        assert isinstance(dialog, WelcomeBackDialog)
        dialog.on.setText(back.strftime("%d/%m/%Y"))
        dialog.buttons.accepted.emit()

    win.panel.select(eve)
    win.open_participant(eve)
    with_modal(qtbot, win.end_or_reopen_journey, welcome)
    assert c.participant(eve).came_back_on == back
    shortcut(qtbot, win, Qt.Key.Key_1)  # back to This week
    view = win.workspace.this_week
    quiet = [line.text for line in view.lines() if line.group == "quiet"]
    assert quiet == [f"Eve · welcomed back on {short_date(back, TODAY)} (40 days)"]
    # Welcomed back today: not a month without contact.
    c.end_journey(eve, ParticipantStatus.MOVED_ON, on=TODAY)
    c.reopen_journey(eve)
    view.refresh()
    assert [line.text for line in view.lines() if line.group == "quiet"] == []
