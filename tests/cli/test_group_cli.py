"""`journeyapp group` on real caseload files, by a scripted harness: Hypothesis draws a sequence
of group sessions recorded with their registers, corrected, removed and refused through the
real command; after each, what the window reads (group_sessions, attendance, each parent's
contacts) is what the command said, a refused command (a parent who has not agreed to be on
group registers among them) leaves the folder as it was, and the journey log holds the same
events, field for field, as the window's use cases called as its dialogs call them."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from journeyapp.caseload import Caseload
from journeyapp.cli import cli
from journeyapp.core.enums import ConsentPurpose
from journeyapp.core.records import Event
from tests.cli.record_harness import Held, made_id
from tests.cli.refusals import folder_state, refused
from tests.cli.test_goals_cli import PADDED, WORDS
from tests.clock import real_days_ago, real_today, ticking_clock

AGREED = ("Aoife", "Shona")  # on group registers
NOT_AGREED = "Bethany"
SETTINGS = settings(
    max_examples=12,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # a failure shown, not shrunk for minutes
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
DAYS = st.integers(-60, 60)  # a session may be one arranged to come


def day(offset: int) -> date:
    return real_today() + timedelta(days=offset)


@dataclass
class Files:
    a: Path
    b: Caseload
    held: list[Held] = field(default_factory=list)


@contextmanager
def caseload_at(path: Path) -> Iterator[Caseload]:
    opened = Caseload.open(path, create=not path.exists(), plain=True)
    opened.clock = ticking_clock(real_today())
    try:
        if not opened.participants():
            for name in (*AGREED, NOT_AGREED):
                p = opened.enrol_participant(name, "fife", joined_on=real_days_ago(200))
                if name in AGREED:
                    opened.record_consent(
                        p.id, ConsentPurpose.GROUP_REGISTERS, True, on=real_days_ago(200)
                    )
        yield opened
    finally:
        opened.close()


def ids_by_name(caseload: Caseload) -> dict[str, str]:
    return {p.preferred_name: p.id for p in caseload.participants()}


def command(path: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["group", "--db", str(path), *args])


def held_now(caseload: Caseload) -> dict[str, dict[str, Any]]:
    """What the window reads of the sessions: each one's activity, venue, day, who came, and
    the group contacts it made (their day, venue and note)."""
    names = {v: k for k, v in ids_by_name(caseload).items()}
    contacts = [c for p in names for c in caseload.journey(p).contacts if c.group_session_id]
    return {
        s.id: {
            "activity": s.activity,
            "venue": s.venue,
            "on": s.on,
            "came": sorted(names[a.participant_id] for a in caseload.attendance(s.id)),
            "contacts": sorted(
                (names[c.participant_id], c.on, c.venue, c.note)
                for c in contacts
                if c.group_session_id == s.id
            ),
        }
        for s in caseload.group_sessions()
    }


def events(caseload: Caseload) -> list[tuple[str, str, dict[str, object]]]:
    ids = {"id", "participant_id", "session_id", "group_session_id", "created_at", "updated_at"}

    def fields(e: Event) -> dict[str, object]:
        kept = {k: v for k, v in e.fields.items() if k not in ids}
        replaced = kept.get("_replaced")
        if isinstance(replaced, dict):  # the events replaced: their ids differ by nature
            kept["_replaced"] = {k: len(v) for k, v in replaced.items()}
        return kept

    return [
        (e.kind, e.action, fields(e))
        for e in caseload.events()
        if e.kind not in ("participants", "consents")
    ]


def expected(held: Held) -> dict[str, Any]:
    f = held.fields
    return f | {"contacts": sorted((n, f["on"], f["venue"], f["note"]) for n in f["came"])}


def check(files: Files, result: Result) -> None:
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    with caseload_at(files.a) as a:
        now = held_now(a)
        assert now == {
            h.a: {k: v for k, v in expected(h).items() if k != "note"} for h in files.held
        }
        assert events(a) == events(files.b)
    for h in files.held:
        assert h.a in result.stdout


def check_refused(files: Files, args: list[str], words: str) -> None:
    before = folder_state(files.a.parent)
    refused(command(files.a, *args), words)
    assert folder_state(files.a.parent) == before


def record(files: Files, draw: st.DrawFn) -> None:
    activity = draw(PADDED)
    venue = draw(st.none() | WORDS)
    on = draw(st.none() | DAYS)
    # Who came is for a session that has happened (their contacts are dated its day).
    came = draw(st.lists(st.sampled_from(AGREED), max_size=3)) if (on or 0) <= 0 else []
    args = ["--log", "--activity", activity]
    if venue is not None:
        args += ["--venue", venue]
    if on is not None:
        args += ["--on", day(on).isoformat()]
    for name in came:
        args += ["--came", draw(st.sampled_from([name, name.upper(), name[:3]]))]
    result = command(files.a, *args)
    # The window's Group session dialog (GroupSessionDialog.submit), the ticked parents.
    ids = ids_by_name(files.b)
    unique = sorted(set(came))
    b = files.b.record_group_session(
        activity.strip(),
        on=day(on or 0),
        venue=(venue or "").strip(),
        attendees=[ids[n] for n in dict.fromkeys(came)],
    )
    fields = {
        "activity": activity.strip(),
        "venue": (venue or "").strip(),
        "on": day(on or 0),
        "came": unique,
        "note": activity.strip(),
    }
    files.held.append(Held(made_id(result), b.id, fields))
    check(files, result)


def correct(files: Files, draw: st.DrawFn) -> None:
    held = draw(st.sampled_from(files.held))
    args = ["--id", held.a[: draw(st.integers(6, 36))]]
    changes: dict[str, Any] = {}
    if draw(st.booleans()):
        activity = draw(PADDED)
        args += ["--activity", activity]
        changes["activity"] = activity.strip()
    if draw(st.booleans()):
        venue = draw(WORDS)
        args += ["--venue", venue]
        changes["venue"] = venue.strip()
    if draw(st.booleans()):
        on = day(draw(DAYS))
        args += ["--on", on.isoformat()]
        changes["on"] = on
    if not changes:
        check_refused(files, args, "Say what to correct")
        return
    if changes.get("on", real_today()) > real_today() and held.fields["came"]:
        check_refused(files, args, "cannot move to a day to come")
        return
    result = command(files.a, *args)
    now = {k: v for k, v in (held.fields | changes).items() if k in ("activity", "venue", "on")}
    files.b.correct_group_session(held.b, **now)
    if held.fields["note"] == held.fields["activity"]:  # the contacts' note follows it
        changes["note"] = now["activity"]
    held.fields.update(changes)
    check(files, result)


def remove(files: Files, draw: st.DrawFn) -> None:
    held = draw(st.sampled_from(files.held))
    result = command(files.a, "--id", held.a[:8], "--remove")
    files.b.delete_record("groups", held.b)
    files.held.remove(held)
    check(files, result)
    assert result.stdout.startswith("Removed the group session ")


def mistype(files: Files, draw: st.DrawFn) -> None:
    cases: list[tuple[list[str], str]] = [
        (["--log"], "Write what the group did"),
        (["--log", "--activity", "  "], "Write what the group did"),
        (["--log", "--activity", "x", "--came", NOT_AGREED], "has not agreed to be on group"),
        (["--log", "--activity", "x", "--came", "Aoife", "--came", "Beth"], "record their"),
        (["--log", "--activity", "x", "--came", "Nobody"], "No parent matches"),
        (["--log", "--activity", "x", "--on", day(365 * 4).isoformat()], "3 years ahead"),
        (["--log", "--activity", "x", "--on", "someday"], "is not a date"),
        (
            ["--log", "--activity", "x", "--on", day(2).isoformat(), "--came", "Aoife"],
            "who came is recorded once the session has happened",
        ),
        (["--id", "zzzzzzzz", "--venue", "x"], "No group session has the id"),
        (["--venue", "x"], "Say what to do"),
    ]
    if files.held:
        some = draw(st.sampled_from(files.held)).a
        cases += [
            (["--id", some, "--came", "Aoife"], "--came goes with --log"),
            (["--id", some, "--remove", "--venue", "x"], "does not go with --remove"),
            (["--id", some, "--activity", " "], "--activity is empty"),
        ]
    args, words = draw(st.sampled_from(cases))
    check_refused(files, args, words)


DOINGS = {"record": (record, False), "correct": (correct, True), "remove": (remove, True)}
DOINGS["mistype"] = (mistype, False)


@SETTINGS
@given(data=st.data())
def test_group_sessions_by_command_are_the_windows(tmp_path: Path, data: st.DataObject) -> None:
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    (folder / "command").mkdir()
    a = folder / "command" / "caseload.db"
    with caseload_at(a):
        pass
    with caseload_at(folder / "window.db") as b:
        files = Files(a, b)
        for _ in range(data.draw(st.integers(5, 12), label="how many")):
            can = [name for name, (_, needs) in DOINGS.items() if not needs or files.held]
            doing, _ = DOINGS[data.draw(st.sampled_from(can), label="doing")]
            doing(files, data.draw)


def test_the_windows_dialog_and_the_command_record_a_session_alike(
    qtbot: Any, tmp_path: Path
) -> None:
    """Group session…, filled in and ticked in the real dialog on one file; the same on the
    command line on another: the same session, register, contacts and journey-log events."""
    from PySide6.QtCore import Qt

    from journeyapp.ui.dialogs.group_sessions import GroupSessionDialog

    here, there = tmp_path / "window.db", tmp_path / "command.db"
    with caseload_at(here) as c:
        dialog = GroupSessionDialog(c)
        qtbot.addWidget(dialog)
        assert dialog.attendees.count() == len(AGREED)  # Bethany is not offered
        dialog.activity.setCurrentText(" Confidence group ")
        dialog.venue.setCurrentText("Library")
        dialog.on.setText(day(-3).strftime("%d/%m/%Y"))
        for n in range(dialog.attendees.count()):
            dialog.attendees.item(n).setCheckState(Qt.CheckState.Checked)
        dialog.submit()
        assert dialog.session is not None
    with caseload_at(there):
        pass
    argv = ["--log", "--activity", " Confidence group ", "--venue", "Library"]
    made_id(command(there, *argv, "--on", day(-3).isoformat(), "--came", "Aoife", "--came", "Sho"))
    with caseload_at(here) as a, caseload_at(there) as b:
        assert list(held_now(a).values()) == list(held_now(b).values())
        assert events(a) == events(b)
