"""A journey ends, and is taken up again: a keyworker records that a parent moved on (to work,
learning, volunteering or their own next step) or that their journey closed, and welcomes them
back when they return, from the window's Parent menu and from `journeyapp journey`.

Found by use: nothing in the window or on the command line could record that a parent had moved
on (only the demo and a spreadsheet import made one), and the refusal to take a break for such
a parent told the keyworker to "set their status back to Active first", which nothing could.

Invariants (a Hypothesis state machine over breaks, moves on, closures and welcomes back): the
status is always what the last accepted step made it; a refused step changes nothing (parent,
breaks, journey log); no break is left going on a journey that has ended; each accepted step is
one undoable change written to the journey log, and the log's status changes end with the
status held; and a bundle carries it all to another caseload.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from PySide6.QtWidgets import QComboBox, QDialog
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.cli import cli
from journeyapp.core.enums import JOURNEY_ENDED, Destination, ParticipantStatus, label
from journeyapp.core.errors import ValidationError
from journeyapp.store.figures import came_back_days, status_history
from journeyapp.ui.dialogs.journey_end import EndJourneyDialog, WelcomeBackDialog
from journeyapp.ui.formatting import fmt_date
from journeyapp.ui.main_window import END_JOURNEY, WELCOME_BACK
from journeyapp.ui.models.caseload_table_model import NONE_PLANNED, Column
from journeyapp.ui.widgets.forms import select_key
from tests.clock import past_on_both, real_today, ticking_clock
from tests.conftest import TODAY
from tests.ui.shell_helpers import make_window, with_modal
from tests.ui.workspace_helpers import press_enter, type_into

S = ParticipantStatus
PASSPHRASE = "correct horse battery"


def _enrol(caseload: Caseload) -> str:
    joined = past_on_both(TODAY) - timedelta(days=90)
    return caseload.enrol_participant("Noor", "fife", joined, full_name="Noor Haddad").id


def _state(caseload: Caseload, pid: str) -> tuple[object, ...]:
    """Everything a refusal must leave as it was: the parent, their breaks, the journey log."""
    journey = caseload.journey(pid)
    return (journey.participant, tuple(journey.pauses), len(caseload.events()))


class JourneySteps(RuleBasedStateMachine):
    """Breaks, moves on, closures (on days given or not) and welcomes back in any order,
    against a model of the status, where to, and the day the journey ended."""

    def __init__(self) -> None:
        super().__init__()
        import tempfile

        self.folder = tempfile.TemporaryDirectory()
        self.caseload = Caseload.open(Path(self.folder.name) / "c.db", create=True, plain=True)
        self.caseload.clock = ticking_clock(TODAY)
        self.pid = _enrol(self.caseload)
        self.joined = self.caseload.participant(self.pid).joined_on
        self.today = self.caseload.today()
        self.status = S.ACTIVE
        self.destination = Destination.NOT_DECIDED
        self.ended_on: date | None = None
        self.break_from: date | None = None
        # The day they came back, when the last step was a welcome back (given or today).
        self.back_on: date | None = None
        # The day of the latest welcome back still standing (participants.came_back_on): an
        # ending undone is none, and undoing a welcome back puts back the one before.
        self.came_back: date | None = None
        # The model before each accepted step, for undo to return to.
        self.before: list[
            tuple[
                ParticipantStatus, Destination, date | None, date | None, date | None, date | None
            ]
        ] = []
        self.undoable = {
            "take a break",
            "pick up again",
            "record moved on",
            "close the journey",
            "welcome back",
        }

    def teardown(self) -> None:
        self.caseload.close()
        self.folder.cleanup()

    def _try(self, act: Callable[[], object], accepted: bool, undo: str) -> bool:
        before = _state(self.caseload, self.pid)
        if not accepted:
            with pytest.raises(ValidationError) as refused:
                act()
            assert "Nothing was changed." in refused.value.message
            assert _state(self.caseload, self.pid) == before
            return False
        self.before.append(
            (
                self.status,
                self.destination,
                self.ended_on,
                self.break_from,
                self.back_on,
                self.came_back,
            )
        )
        act()
        assert self.caseload.undo_description == undo
        assert len(self.caseload.events()) > before[2]
        return True

    @rule()
    def take_a_break(self) -> None:
        if self._try(
            lambda: self.caseload.pause(self.pid), self.status is S.ACTIVE, "take a break"
        ):
            self.status, self.break_from, self.back_on = S.PAUSED, self.today, None

    @rule()
    def pick_up_again(self) -> None:
        if self._try(
            lambda: self.caseload.resume(self.pid), self.status is S.PAUSED, "pick up again"
        ):
            self.status, self.break_from, self.back_on = S.ACTIVE, None, None

    def _end(self, status: ParticipantStatus, to: Destination | None, back: int | None) -> None:
        on = None if back is None else self.today - timedelta(days=back)
        ended = self.status in JOURNEY_ENDED
        day = on if on is not None or not ended else self.ended_on
        if not ended and day is None:
            day = self.today
        same = self.status is status and to in (None, self.destination) and day == self.ended_on
        accepted = not same and (on is None or on >= self.joined)
        if self.break_from is not None and day is not None and day < self.break_from:
            accepted = False  # the break being taken began after that day
        if (on is not None or not ended) and self.came_back is not None and day is not None:
            # Its history would read ended, welcomed back, then ended before that.
            accepted = accepted and day >= self.came_back
        words = "record moved on" if status is S.MOVED_ON else "close the journey"
        act = lambda: self.caseload.end_journey(self.pid, status, on=on, destination=to)  # noqa: E731
        if self._try(act, accepted, words):
            self.status, self.ended_on, self.break_from, self.back_on = status, day, None, None
            if to is not None:
                self.destination = to

    @rule(
        to=st.one_of(st.none(), st.sampled_from(list(Destination))),
        back=st.one_of(st.none(), st.integers(0, 120)),
    )
    def move_on(self, to: Destination | None, back: int | None) -> None:
        self._end(S.MOVED_ON, to, back)

    @rule(back=st.one_of(st.none(), st.integers(0, 120)))
    def close(self, back: int | None) -> None:
        self._end(S.CLOSED, None, back)

    @rule(back=st.one_of(st.none(), st.integers(-3, 130)))
    def welcome_back(self, back: int | None) -> None:
        """Welcomed back today, or on a day given (refused after today, before the journey
        ended, before they joined)."""
        on = None if back is None else self.today - timedelta(days=back)
        day = self.today if on is None else on
        ended = self.ended_on
        accepted = self.status in JOURNEY_ENDED and (
            day == self.today
            or (day < self.today and day >= self.joined and (ended is None or day >= ended))
        )
        act = lambda: self.caseload.reopen_journey(self.pid, on=on)  # noqa: E731
        if self._try(act, accepted, "welcome back"):
            self.status, self.ended_on, self.back_on, self.came_back = S.ACTIVE, None, day, day

    @rule()
    def undo(self) -> None:
        """Undo puts the parent back as they were before the last step."""
        if not self.caseload.can_undo or self.caseload.undo_description not in self.undoable:
            return  # (the enrolment itself is not one of the steps)
        self.caseload.undo()
        (self.status, self.destination, self.ended_on, self.break_from, _back, self.came_back) = (
            self.before.pop()
        )
        # An undo is a change of its own in the log, recorded today: a welcome back before it
        # is not the last change any more.
        self.back_on = None

    @invariant()
    def as_the_last_step_left_it(self) -> None:
        journey = self.caseload.journey(self.pid)
        p = journey.participant
        assert (p.status, p.destination, p.ended_on) == (
            self.status,
            self.destination,
            self.ended_on,
        )
        # A journey going has no day it ended; one that ended has one.
        assert (p.ended_on is not None) == (p.status in JOURNEY_ENDED)
        going = [b for b in journey.pauses if b.ended_on is None]
        # A break is going exactly while they are taking one; none once the journey ended.
        assert bool(going) == (self.status is S.PAUSED)
        changes = self.caseload.status_changes(self.pid)
        assert changes[-1][1] is self.status
        # What the programme report reads: the same changes, each on its day.
        counted = [
            (at[:10], value)
            for pid, at, value in status_history(self.caseload.db, [v.value for v in S])
            if pid == self.pid
        ]
        assert counted[-1][1] == self.status.value
        if self.ended_on is not None:
            assert changes[-1][0] == self.ended_on
            assert counted[-1][0] == self.ended_on.isoformat()
        if self.back_on is not None:  # the welcome back counts on the day they came back
            assert changes[-1][0] == self.back_on
            assert counted[-1][0] == self.back_on.isoformat()
        # The day they came back is held where a welcome back (and only one) put it, and no
        # ending is held dated before it.
        assert p.came_back_on == self.came_back
        # Read again from the journey log (as m021 reads a caseload from before it), the same.
        read = came_back_days(self.caseload.db).get(self.pid)
        assert read == (self.came_back.isoformat() if self.came_back else None)
        if p.ended_on is not None and p.came_back_on is not None:
            assert p.ended_on >= p.came_back_on
        # The check-in counts from the last contact, the day they joined, or the day they
        # came back (welcomed back, or a break ended), whichever is latest: the same day in
        # the parent's header and plan as in the caseload list.
        ends = [b.ended_on for b in journey.pauses if b.ended_on is not None]
        since = max([self.joined, *ends, *([self.came_back] if self.came_back else [])])
        due = journey.next_checkin_on(self.today)
        assert due == (since + timedelta(days=14) if self.status is S.ACTIVE else None)
        [row] = self.caseload.caseload(today=self.today)
        assert (row.next_checkin_on, row.overdue) == (due, due is not None and due < self.today)


TestJourneySteps = JourneySteps.TestCase
TestJourneySteps.settings = settings(
    max_examples=25,
    stateful_step_count=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def bundle_into(laptop: Caseload, folder: Path) -> Caseload:
    """The coordinator's caseload (made on first use, enrolled with the laptop), with the
    laptop's whole journey log merged into it from a sealed bundle file."""
    from journeyapp.exchange.bundle import merge_bundle, write_bundle

    path = folder / "coordinator.db"
    fresh = not path.exists()
    coordinator = Caseload.open(path, create=True, plain=True, actor="coord")
    coordinator.clock = ticking_clock(TODAY)
    if fresh:
        coordinator.exchange.enrol_code(laptop.exchange.enrolment_code(), "Noor's keyworker")
        laptop.exchange.enrol_code(coordinator.exchange.enrolment_code(), "the coordinator")
    out = folder / f"laptop-{len(list(folder.glob('*.jlb')))}.jlb"
    write_bundle(laptop, out, PASSPHRASE)
    merge_bundle(coordinator, out, PASSPHRASE)
    return coordinator


def test_a_bundle_carries_the_end_of_a_journey_and_the_welcome_back(
    caseload: Caseload, tmp_path: Path
) -> None:
    """The coordinator's caseload learns that the parent moved on (and where to), and later
    that they came back, from the laptop's bundles, as the report counts it."""
    pid = _enrol(caseload)
    caseload.pause(pid, on=TODAY - timedelta(days=10))
    caseload.end_journey(
        pid, S.MOVED_ON, destination=Destination.WORK, on=TODAY - timedelta(days=5)
    )
    coordinator = bundle_into(caseload, tmp_path)
    try:
        journey = coordinator.journey(pid)
        assert journey.participant.status is S.MOVED_ON
        assert journey.participant.destination is Destination.WORK
        assert all(b.ended_on is not None for b in journey.pauses)
    finally:
        coordinator.close()
    back = TODAY - timedelta(days=2)  # entered late: the day they came back given
    caseload.reopen_journey(pid, on=back)
    coordinator = bundle_into(caseload, tmp_path)
    try:
        assert coordinator.participant(pid).status is S.ACTIVE
        assert coordinator.participant(pid).ended_on is None
        assert coordinator.participant(pid).came_back_on == back  # merged column for column
        # The coordinator's listing and report count it on that day too.
        assert coordinator.status_changes(pid)[-1][:2] == (back, S.ACTIVE)
        counted = [r for r in status_history(coordinator.db, [v.value for v in S]) if r[0] == pid]
        assert counted[-1][1:] == (back.isoformat(), S.ACTIVE.value)
    finally:
        coordinator.close()


@pytest.mark.parametrize(
    ("start", "args", "becomes"),
    [
        (S.ACTIVE, ["--moved-on", "--destination", "work"], S.MOVED_ON),
        (S.PAUSED, ["--closed"], S.CLOSED),
        (S.MOVED_ON, ["--welcome-back"], S.ACTIVE),
        (S.ACTIVE, ["--welcome-back"], None),
        (S.CLOSED, ["--closed"], None),
        (S.ACTIVE, ["--destination", "work"], None),
        (S.ACTIVE, ["--moved-on", "--closed"], None),
        (S.ACTIVE, ["--moved-on", "--destination", "space"], None),
        (S.ACTIVE, ["--closed", "--on", str(past_on_both(TODAY) - timedelta(days=10))], S.CLOSED),
        (S.PAUSED, ["--moved-on", "--on", str(past_on_both(TODAY) - timedelta(days=30))], None),
        (S.ACTIVE, ["--moved-on", "--on", "2099-01-01"], None),
        (S.ACTIVE, ["--moved-on", "--on", "someday"], None),
        (S.ACTIVE, ["--on", str(past_on_both(TODAY))], None),
    ],
)
def test_the_command_line_records_it_or_refuses_in_one_line_changing_nothing(
    caseload: Caseload,
    db_path: Path,
    start: ParticipantStatus,
    args: list[str],
    becomes: ParticipantStatus | None,
) -> None:
    pid = _enrol(caseload)
    if start is S.PAUSED:
        # Begun by the real today too: the command ends it on the real today.
        caseload.pause(pid, on=past_on_both(TODAY) - timedelta(days=10))
    elif start in JOURNEY_ENDED:
        caseload.end_journey(pid, start)
    before = _state(caseload, pid)
    caseload.close()
    result = CliRunner().invoke(cli, ["journey", pid, "--db", str(db_path), *args])
    again = Caseload.open(db_path)
    try:
        assert "Traceback" not in result.output
        if becomes is None:
            assert result.exit_code != 0, result.output
            errors = [line for line in result.output.splitlines() if line.startswith("Error")]
            assert len(errors) == 1, result.output
            assert _state(again, pid) == before
        else:
            assert result.exit_code == 0, result.output
            assert again.participant(pid).status is becomes
            # It then shows where the journey stands, and each change of it.
            shown = result.output.splitlines()
            [where] = [line for line in shown if line.startswith("Noor: ")]
            assert where.startswith(f"Noor: {label(becomes)}"), result.output
            changes = shown[: shown.index("The journey so far, day by day:")]
            assert f": {label(becomes)}, recorded by" in changes[-1], result.output
    finally:
        again.close()


def test_a_welcome_back_on_a_day_given_is_recorded_on_that_day_or_refused_in_one_line(
    caseload: Caseload, db_path: Path
) -> None:
    """`journey NAME --welcome-back --on DATE`: a keyworker entering it days late gives the
    day they came back; the listing and the report count it on that day. A day before the
    journey ended, after today, or no day at all is refused in one line, nothing changed."""
    from journeyapp.core.dates import long_date

    pid = _enrol(caseload)
    today = past_on_both(TODAY)  # no later than today on the real clock the command reads
    ended, back = today - timedelta(days=40), today - timedelta(days=20)
    caseload.end_journey(pid, S.MOVED_ON, on=ended)
    before = _state(caseload, pid)
    caseload.close()

    def run(*args: str) -> tuple[int, str]:
        result = CliRunner().invoke(cli, ["journey", "Noor", "--db", str(db_path), *args])
        assert "Traceback" not in result.output
        return result.exit_code, result.output

    for day, why in (
        (ended - timedelta(days=1), "before Noor's journey ended"),
        (real_today() + timedelta(days=400), "is after today"),  # the command's clock
        ("someday", "--on"),
    ):
        code, said = run("--welcome-back", "--on", str(day))
        errors = [line for line in said.splitlines() if line.startswith("Error")]
        assert code != 0, said
        assert len(errors) == 1, said
        assert why in errors[0], said
        again = Caseload.open(db_path)
        try:
            assert _state(again, pid) == before
        finally:
            again.close()
    code, said = run("--welcome-back", "--on", back.isoformat())
    assert code == 0, said
    assert f"taken up again, on {long_date(back)}." in said
    changes = said.splitlines()[: said.splitlines().index("The journey so far, day by day:")]
    assert changes[-1].startswith(f"  {long_date(back)}: Active, recorded by"), said
    assert said.splitlines()[-1] == f"  {long_date(back)}: Welcomed back", said
    again = Caseload.open(db_path)
    try:
        assert again.participant(pid).status is S.ACTIVE
        assert again.participant(pid).ended_on is None  # a journey going has no day it ended
        assert again.status_changes(pid)[-1][:2] == (back, S.ACTIVE)
        # The record's History says it in one entry: came back on that day (not an ending's
        # day moved, then taken away).
        from journeyapp.core.describe import history

        last = history(again.record_history(pid))[-1]
        assert {(c.field, c.after) for c in last.changes} == {
            ("came_back_on", back.isoformat()),
            ("status", "active"),
        }
        # The report as at a day between: moved on the day before they came back, on the
        # caseload again from that day.
        from journeyapp.exchange.report import build_report

        for until, status in ((back - timedelta(days=1), S.MOVED_ON), (back, S.ACTIVE)):
            rows = build_report(again, until=until).section("by_status").rows
            assert {r.key: r.value for r in rows if r.value}.get(status.value) == 1, until
    finally:
        again.close()


def test_the_listing_shows_each_change_with_its_day(caseload: Caseload, db_path: Path) -> None:
    pid = _enrol(caseload)
    caseload.end_journey(pid, S.MOVED_ON, destination=Destination.VOLUNTEERING)
    caseload.close()
    result = CliRunner().invoke(cli, ["journey", "Noor", "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    at = lines.index("Noor: Moved on (to volunteering)")
    assert "added, active" in lines[at + 1]
    assert lines[at + 2].startswith("  ")
    assert "Moved on" in lines[at + 2]


def test_the_parent_menu_records_a_move_on_and_welcomes_them_back(
    qtbot: QtBot, caseload: Caseload
) -> None:
    """Parent > Moved on or closed… asks how it ended and where to; the list, the header and
    the menu follow; Ctrl+Z undoes it; Parent > Welcome back… takes the journey up again."""
    pid = _enrol(caseload)
    caseload.pause(pid, on=TODAY - timedelta(days=20))
    window = make_window(qtbot, caseload)
    window.panel.select(pid)
    window.open_participant(pid)
    assert window.journey_end_action.text() == END_JOURNEY
    seen: list[str] = []
    ended = TODAY - timedelta(days=5)

    def move_on(dialog: QDialog) -> None:
        assert isinstance(dialog, EndJourneyDialog)
        seen.append(dialog.intro.text())
        combos = dialog.findChildren(QComboBox)
        assert combos[0].currentData() == S.MOVED_ON.value
        select_key(dialog.destination, Destination.TRAINING_EDUCATION.value)
        assert dialog.on.text() == ""  # empty: today
        # A day before the break began is refused beside the field, nothing saved.
        dialog.on.setText((TODAY - timedelta(days=30)).strftime("%d/%m/%Y"))
        dialog._try_save()
        assert dialog.isVisible()
        seen.append(dialog.errors["ended_on"].text())
        assert caseload.participant(pid).status is S.PAUSED
        dialog.on.setText(ended.strftime("%d/%m/%Y"))
        dialog._try_save()

    with_modal(qtbot, window.journey_end_action.trigger, move_on)
    assert "The break they are taking ends on the day their journey ended." in seen[0]
    assert "before Noor's break started" in seen[1]
    held = caseload.journey(pid)
    assert held.participant.status is S.MOVED_ON
    assert held.participant.destination is Destination.TRAINING_EDUCATION
    assert held.participant.ended_on == ended
    assert [b.ended_on for b in held.pauses] == [ended]
    assert window.statusBar().currentMessage() == "Saved: Noor moved on (to training or education)"
    qtbot.waitUntil(lambda: window.journey_end_action.text() == WELCOME_BACK)
    assert not window.pause_action.isEnabled()  # a break is for a journey still going
    header = window.workspace.header.summary_label
    since = f"Moved on since {fmt_date(ended)}"  # the day it ended, as given
    qtbot.waitUntil(lambda: header.text().replace("\u00a0", " ").endswith(since))
    # The list says what the header says: no check-in is planned (it said "when ready").
    model = window.panel.model
    row = model.row_of(pid)
    assert window.workspace.header.checkin_label.text() == "No check-in planned"
    assert model.index(row, Column.NEXT_CHECKIN).data() == NONE_PLANNED
    assert model.index(row, Column.STATUS).data() == "Moved on"
    window.undo()
    assert caseload.participant(pid).status is S.PAUSED
    assert [b.ended_on for b in caseload.journey(pid).pauses] == [None]
    qtbot.waitUntil(lambda: window.journey_end_action.text() == END_JOURNEY)
    assert window.pause_action.isEnabled()
    closed_on, back = TODAY - timedelta(days=10), TODAY - timedelta(days=4)
    caseload.end_journey(pid, S.CLOSED, on=closed_on)
    qtbot.waitUntil(lambda: window.journey_end_action.text() == WELCOME_BACK)

    def welcome(dialog: QDialog) -> None:
        assert isinstance(dialog, WelcomeBackDialog)
        seen.append(dialog.intro.text())
        assert dialog.on.text() == ""  # empty: today
        # A day before the journey ended is refused beside the field, nothing saved.
        type_into(qtbot, dialog.on, (closed_on - timedelta(days=1)).strftime("%d/%m/%Y"))
        press_enter(qtbot, dialog.on)
        assert dialog.isVisible()
        seen.append(dialog.errors["back_on"].text())
        assert caseload.participant(pid).status is S.CLOSED
        type_into(qtbot, dialog.on, back.strftime("%d/%m/%Y"))
        press_enter(qtbot, dialog.on)

    with_modal(qtbot, window.journey_end_action.trigger, welcome)
    assert seen[2].startswith("Welcome Noor back?")
    assert "before Noor's journey ended" in seen[3]
    assert caseload.participant(pid).status is S.ACTIVE
    assert caseload.status_changes(pid)[-1][:2] == (back, S.ACTIVE)
    assert window.statusBar().currentMessage() == "Saved: welcome back, Noor"
    qtbot.waitUntil(lambda: window.journey_end_action.text() == END_JOURNEY)
    window.undo()  # Ctrl+Z undoes it
    assert caseload.participant(pid).status is S.CLOSED
    assert caseload.participant(pid).ended_on == closed_on


@pytest.mark.parametrize("status", [S.MOVED_ON, S.CLOSED])
def test_what_we_hold_prints_the_day_the_journey_ended(caseload: Caseload, status: S) -> None:
    """ "What we hold about you" says where the journey stands and, once it has ended, the
    day it ended as the keyworker gave it; nothing of the kind once they are welcomed back."""
    from journeyapp.core.documents import build_document
    from journeyapp.plans.documents import pdf_with_pages
    from tests.plans.test_plan_on_a_break import Printed, words

    pid = _enrol(caseload)
    ended = caseload.today() - timedelta(days=12)
    caseload.end_journey(pid, status, on=ended)

    def printed() -> str:
        held = build_document(
            caseload.journey(pid),
            caseload.catalogue,
            caseload.today(),
            what_we_hold=True,
            words=words("en"),
        )
        return Printed.of(pdf_with_pages([held], False)[0]).flat

    text = printed()
    assert "Ended on" in text
    assert ended.strftime("%-d %B %Y") in text
    caseload.reopen_journey(pid)
    assert "Ended on" not in printed()


def test_an_ending_before_they_were_welcomed_back_is_refused_beside_the_field_and_on_the_command_line(
    qtbot: QtBot, caseload: Caseload, db_path: Path
) -> None:
    """Found by use: a journey that ended on one day, was taken up again on a later one, could
    be ended again on a day between, so its history read ended, back, then ended before they
    came back. Refused in one line (beside the day in the window), nothing changed. An ending
    undone is no welcome back: undoing an ending entered on the wrong day and entering it again
    on the right, earlier day is accepted."""
    from journeyapp.core.dates import long_date

    pid = _enrol(caseload)
    today = past_on_both(TODAY)  # no later than today on the real clock the command reads
    wrong, right = today - timedelta(days=10), today - timedelta(days=60)
    caseload.end_journey(pid, S.MOVED_ON, on=wrong)
    caseload.undo()
    caseload.end_journey(pid, S.MOVED_ON, on=right)  # the undone ending is no welcome back
    assert caseload.participant(pid).came_back_on is None
    ended, back = today - timedelta(days=40), today - timedelta(days=20)
    caseload.end_journey(pid, S.MOVED_ON, on=ended)
    caseload.reopen_journey(pid, on=back)
    assert caseload.participant(pid).came_back_on == back
    between = back - timedelta(days=5)
    said = f"{long_date(between)} is before Noor was welcomed back ({long_date(back)})"
    before = _state(caseload, pid)

    dialog = EndJourneyDialog(caseload, pid)
    select_key(dialog.ending, S.CLOSED.value)
    dialog.on.setText(between.strftime("%d/%m/%Y"))
    dialog._try_save()
    assert dialog.result_value is None
    assert said in dialog.errors["ended_on"].text()
    assert _state(caseload, pid) == before
    dialog.forget_draft()
    dialog.deleteLater()
    caseload.close()

    result = CliRunner().invoke(
        cli, ["journey", "Noor", "--db", str(db_path), "--closed", "--on", between.isoformat()]
    )
    assert "Traceback" not in result.output
    assert result.exit_code != 0, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("Error")]
    assert len(errors) == 1, result.output
    assert said in errors[0]
    assert "choose that day or a later one" in errors[0]
    again = Caseload.open(db_path)
    try:
        assert _state(again, pid) == before
    finally:
        again.close()
    # On the day they came back, or after, it ends.
    result = CliRunner().invoke(
        cli, ["journey", "Noor", "--db", str(db_path), "--closed", "--on", back.isoformat()]
    )
    assert result.exit_code == 0, result.output


def test_a_parent_welcomed_back_today_is_not_a_check_in_long_overdue(
    qtbot: QtBot, caseload: Caseload
) -> None:
    """Found by use: the check-in counted from the last contact before the journey ended (or
    before a break), so a parent welcomed back today showed as a check-in due since months
    ago in the caseload list, This week and their header. It counts from the day they came
    back (or the last contact, whichever is later)."""
    from journeyapp.caseload.this_week import this_week

    pid = _enrol(caseload)
    today = caseload.today()
    caseload.log_contact(pid, on=today - timedelta(days=80))
    caseload.end_journey(pid, S.MOVED_ON, on=today - timedelta(days=60))
    caseload.reopen_journey(pid)
    window = make_window(qtbot, caseload)
    window.panel.select(pid)
    window.open_participant(pid)
    due = today + timedelta(days=14)
    [row] = caseload.caseload()
    assert (row.next_checkin_on, row.overdue) == (due, False)
    week = this_week(caseload, today, keyworker="")
    assert week.overdue == 0
    assert [line.participant_id for line in week.group("checkins").lines] == []
    model = window.panel.model
    qtbot.waitUntil(
        lambda: model.index(model.row_of(pid), Column.NEXT_CHECKIN).data() != NONE_PLANNED
    )
    shown = model.index(model.row_of(pid), Column.NEXT_CHECKIN).data()
    assert "due since" not in shown.lower(), shown
    header = window.workspace.header.checkin_label
    qtbot.waitUntil(lambda: header.text() == f"Next check-in: due {fmt_date(due)}")
    # Likewise a break ended: they picked up again a week ago, a fortnight after the contact.
    other = caseload.enrol_participant("Ava", "fife", today - timedelta(days=90)).id
    caseload.log_contact(other, on=today - timedelta(days=50))
    caseload.pause(other, on=today - timedelta(days=45))
    caseload.resume(other, on=today - timedelta(days=7))
    row = next(r for r in caseload.caseload() if r.id == other)
    assert (row.next_checkin_on, row.overdue) == (today + timedelta(days=7), False)
    assert caseload.journey(other).next_checkin_on(today) == today + timedelta(days=7)


def test_a_welcome_back_from_a_laptop_without_its_column_counts_the_same_for_the_coordinator(
    caseload: Caseload, tmp_path: Path
) -> None:
    """A welcome back written by a version before m021 (its day only in the journey log, no
    came_back_on) and one written now, each merged from a laptop's bundle: the coordinator's
    status history and programme report count them as the laptop does, day for day."""
    from journeyapp.exchange.report import build_report
    from tests.store.test_the_day_they_came_back import _welcome_back_as_before

    ended, back = TODAY - timedelta(days=40), TODAY - timedelta(days=20)
    old = _enrol(caseload)
    new = caseload.enrol_participant("Ava", "fife", TODAY - timedelta(days=90)).id
    for pid in (old, new):
        caseload.end_journey(pid, S.MOVED_ON, on=ended)
    _welcome_back_as_before(caseload, old, back)
    caseload.reopen_journey(new, on=back)
    coordinator = bundle_into(caseload, tmp_path)
    try:
        statuses = [v.value for v in S]
        assert status_history(coordinator.db, statuses) == status_history(caseload.db, statuses)
        for until in (back - timedelta(days=1), back, TODAY):
            for report_from in (caseload, coordinator):
                rows = build_report(report_from, until=until).section("by_status").rows
                counted = {r.key: r.value for r in rows if r.value}
                assert counted == ({"moved_on": 2} if until < back else {"active": 2}), until
        assert coordinator.participant(new).came_back_on == back
    finally:
        coordinator.close()
