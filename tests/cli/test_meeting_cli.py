"""`journeyapp meeting` on real caseload files, by a scripted harness: Hypothesis draws a
sequence of meetings arranged (on days past and to come), changed, removed and refused through
the real command; after each, what the window reads (appointments_for) is what the command
said, listed in the window's order, a refused command leaves the folder as it was, and the
journey log holds the same events, field for field, as the window's use cases called as its
forms call them on a second file."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeyapp.caseload import Caseload
from journeyapp.cli import cli
from journeyapp.core.documents.sender import Sender
from tests.cli.record_harness import NAME, Files, Held, drive, events, made_id, pid_of
from tests.cli.refusals import folder_state, refused
from tests.cli.test_goals_cli import PADDED, WORDS
from tests.clock import real_days_ago, real_today, ticking_clock
from tests.held_words import written_elsewhere

ME = "Denise"  # this laptop's keyworker, File > Settings > Your name
SETTINGS = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FIELDS = ("on", "time", "minutes", "place", "with_whom")
TIMES = st.sampled_from(["", "00:00", "09:30", "10:30", "14:00", "23:59"])
DAYS = st.integers(-60, 300)  # days from today: a meeting may be one to come


def day(offset: int) -> date:
    return real_today() + timedelta(days=offset)


@contextmanager
def caseload_at(path: Path) -> Iterator[Caseload]:
    opened = Caseload.open(path, create=not path.exists(), plain=True)
    opened.clock = ticking_clock(real_today())
    try:
        if not opened.participants():
            opened.enrol_participant(NAME, "fife", joined_on=real_days_ago(200))
            opened.settings.set_sender(Sender(keyworker=ME))
        yield opened
    finally:
        opened.close()


def command(path: Path, *args: str) -> Result:
    """`journeyapp meeting Siob --db FILE ARGS…`."""
    return CliRunner().invoke(cli, ["meeting", "Siob", "--db", str(path), *args])


def held_now(caseload: Caseload) -> dict[str, dict[str, Any]]:
    """What the window reads of the parent's meetings."""
    return {
        a.id: {n: getattr(a, n) for n in FIELDS}
        for a in caseload.appointments_for(pid_of(caseload))
    }


def check(files: Files, result: Result) -> None:
    """After a command that did what it was asked: the window's model holds what the command
    said, both journey logs agree, and the listing is in the window's order (from today on,
    soonest first; then past ones, latest first, marked past)."""
    from journeyapp.core.derived import meetings_in_order

    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    with caseload_at(files.a) as a:
        assert held_now(a) == {h.a: h.fields for h in files.held}
        assert events(a, pid_of(a)) == events(files.b, files.pid_b)
        order = meetings_in_order(a.appointments_for(pid_of(a)), real_today())
    listed = [line for line in result.stdout.splitlines() if line[:1] not in ("", " ")]
    if not order:
        assert listed[-1] == f"No meetings arranged with {NAME}."
        return
    listed = listed[-len(order) :]
    assert [line.split()[0] for line in listed] == [m.id for m in order]
    for m, line in zip(order, listed, strict=True):
        assert line.endswith(" (past)") == (m.on < real_today()), line
        assert f"{m.on.isoformat()}{', ' + m.time if m.time else ''}, {m.minutes} min" in line


def check_refused(files: Files, args: list[str], words: str) -> None:
    before = folder_state(files.a.parent)
    refused(command(files.a, *args), words)
    assert folder_state(files.a.parent) == before


def arrange(files: Files, draw: st.DrawFn) -> None:
    on = day(draw(DAYS))
    time = draw(st.none() | TIMES)
    minutes = draw(st.none() | st.integers(0, 24 * 60))
    place = draw(st.none() | PADDED | st.just(""))
    with_whom = draw(st.none() | PADDED | st.just(""))
    args = ["--log", "--on", draw(st.sampled_from([on.isoformat(), on.strftime("%d/%m/%Y")]))]
    for option, value in (
        ("--time", time),
        ("--minutes", minutes),
        ("--place", place),
        ("--with", with_whom),
    ):
        if value is not None:
            args += [option, str(value)]
    result = command(files.a, *args)
    # The window's Arrange a meeting… as it starts (60 minutes, the place of the last meeting,
    # you from Settings), with what was given typed over it.
    earlier = files.b.appointments_for(files.pid_b)
    fields = {
        "on": on,
        "time": time or "",
        "minutes": 60 if minutes is None else minutes,
        "place": (earlier[-1].place if earlier else "") if place is None else place.strip(),
        "with_whom": ME if with_whom is None else with_whom.strip(),
    }
    b = files.b.arrange_meeting(files.pid_b, **fields)
    files.held.append(Held(made_id(result), b.id, fields))
    check(files, result)


def change(files: Files, draw: st.DrawFn) -> None:
    held = draw(st.sampled_from(files.held))
    args = ["--id", held.a[: draw(st.integers(6, 36))]]
    changes: dict[str, Any] = {}
    if draw(st.booleans()):
        on = day(draw(DAYS))
        args += ["--on", on.isoformat()]
        changes["on"] = on
    if draw(st.booleans()):
        time = draw(TIMES)
        args += ["--time", time]
        changes["time"] = time
    if draw(st.booleans()):
        minutes = draw(st.integers(0, 24 * 60))
        args += ["--minutes", str(minutes)]
        changes["minutes"] = minutes
    for option, name in (("--place", "place"), ("--with", "with_whom")):
        if draw(st.booleans()):
            text = draw(WORDS)
            args += [option, text]
            changes[name] = text.strip()
    if not changes:
        check_refused(files, args, "Say what to change")
        return
    result = command(files.a, *args)
    # The window's Change… (every box as it is, or as typed; the same use case).
    files.b.update_record("appointments", held.b, **(held.fields | changes))
    held.fields.update(changes)
    check(files, result)
    assert result.stdout.startswith("Changed the meeting ")


def remove(files: Files, draw: st.DrawFn) -> None:
    held = draw(st.sampled_from(files.held))
    result = command(files.a, "--id", held.a[:8], "--remove")
    files.b.delete_record("appointments", held.b)
    files.held.remove(held)
    check(files, result)
    assert result.stdout.startswith("Removed the meeting on ")


def mistype(files: Files, draw: st.DrawFn) -> None:
    soon = day(7).isoformat()
    cases: list[tuple[list[str], str]] = [
        (["--log"], "Say which day the meeting is"),
        (["--log", "--time", "10:30"], "Say which day the meeting is"),
        (["--log", "--on", "someday"], "--on 'someday' is not a date"),
        (["--log", "--on", day(365 * 4).isoformat()], "more than 3 years ahead"),
        (["--log", "--on", soon, "--time", "9.30"], "is not a time of day"),
        (["--log", "--on", soon, "--time", "9:30"], "e.g. 09:30 or 14:00"),
        (["--log", "--on", soon, "--time", "24:00"], "24-hour clock"),
        (["--log", "--on", soon, "--time", "half ten"], "HH:MM"),
        (["--log", "--on", soon, "--time", "10:30\x1b"], "is not a time of day"),
        (["--log", "--on", soon, "--minutes", "1441"], "from 0 to 1,440"),
        (
            ["--log", "--on", soon, "--place", "x" * 20_001],
            "The place (--place) is too long: 20,001 characters",
        ),
        (["--id", "zzzzzzzz", "--time", "10:00"], f"No meeting of {NAME}'s"),
        (["--time", "10:00"], "Say what to do"),
        (["--remove"], "--remove needs"),
    ]
    if files.held:
        some = draw(st.sampled_from(files.held)).a
        cases += [
            (["--id", some, "--remove", "--time", "10:00"], "does not go with --remove"),
            (["--log", "--id", some], "not both"),
            (["--id", some, "--time", "7pm"], "is not a time of day"),
        ]
    args, words = draw(st.sampled_from(cases))
    check_refused(files, args, words)


DOINGS = {"arrange": (arrange, False), "change": (change, True), "remove": (remove, True)}
DOINGS["mistype"] = (mistype, False)


@SETTINGS
@given(data=st.data())
def test_meetings_by_command_are_the_windows(tmp_path: Path, data: st.DataObject) -> None:
    drive(tmp_path, data, DOINGS, caseload_at)


def test_the_listing_is_the_windows_meetings_list(tmp_path: Path) -> None:
    path = tmp_path / "caseload.db"
    with caseload_at(path) as c:
        pid = pid_of(c)
        past = c.arrange_meeting(pid, real_days_ago(3), time="10:00", place="Library")
        later = c.arrange_meeting(pid, day(9), minutes=30)
        soon = c.arrange_meeting(pid, day(2), time="14:00", place="Hub", with_whom="Kim")
        written_elsewhere(c, "appointments", soon.id, place="Hub\x1b[2J")  # held from elsewhere
        sooner = c.arrange_meeting(pid, day(2), time="09:30")
    listed = command(path)
    assert listed.exit_code == 0, listed.output

    def shown(d: date) -> str:
        return f"{d:%a} {d.isoformat()}"

    assert listed.stdout.splitlines() == [
        f"{sooner.id}  {shown(day(2))}, 09:30, 60 min",
        f"{soon.id}  {shown(day(2))}, 14:00, 60 min, at 'Hub\\x1b[2J', with 'Kim'",
        f"{later.id}  {shown(day(9))}, 30 min",
        f"{past.id}  {shown(real_days_ago(3))}, 10:00, 60 min, at 'Library' (past)",
    ]
    assert "\x1b" not in listed.stdout


def test_a_meeting_arranged_says_what_was_taken_as_the_window_starts_it(tmp_path: Path) -> None:
    path = tmp_path / "caseload.db"
    with caseload_at(path) as c:
        c.arrange_meeting(pid_of(c), real_days_ago(7), place="Community centre")
    done = command(path, "--log", "--on", day(7).isoformat(), "--time", "10:30")
    made = made_id(done)
    assert done.stdout.splitlines()[0] == (
        f"Arranged a meeting with {NAME} (id {made}): {day(7):%a} {day(7).isoformat()}, "
        f"10:30, 60 min, at 'Community centre', with '{ME}'. Not given, so the place as last "
        f"time and who will be there from File > Settings (your name); change it with --id "
        f"{made[:8]}."
    )


@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    on=DAYS,
    time=TIMES,
    minutes=st.integers(0, 24 * 60).map(lambda m: m - m % 15),
    place=PADDED,
    with_whom=PADDED,
    again=TIMES,
)
def test_what_the_windows_form_saves_the_command_saves_alike(
    qtbot: Any,
    tmp_path: Path,
    on: int,
    time: str,
    minutes: int,
    place: str,
    with_whom: str,
    again: str,
) -> None:
    """Meetings with … > Arrange a meeting… (once typed over, once as it starts) and Change…,
    filled in and saved in the real dialog on one file; the same on the command line on
    another: the same meetings and the same journey-log events."""
    from journeyapp.core.records import Appointment
    from journeyapp.ui.workspace.meetings import MeetingDialog

    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    here, there = folder / "window.db", folder / "command.db"

    def saved(dialog: Any) -> Any:
        dialog._try_save()
        assert dialog.result_value is not None, dialog.general_error.text()
        dialog.forget_draft()
        made = dialog.result_value
        dialog.close()
        dialog.deleteLater()
        qtbot.wait(1)
        return made

    with caseload_at(here) as c:
        pid = pid_of(c)
        form = MeetingDialog(c, pid)
        form.on.setText(day(on).strftime("%d/%m/%Y"))
        form.time.setText(time)
        form.minutes.setValue(minutes)
        form.place.setText(place)
        form.with_whom.setText(with_whom)
        made = saved(form)
        assert isinstance(made, Appointment)
        form = MeetingDialog(c, None, existing=made)
        form.time.setText(again)
        saved(form)
        form = MeetingDialog(c, pid)  # as it starts: 60 minutes, the last place, you
        form.on.setText(day(on + 1).strftime("%d/%m/%Y"))
        saved(form)

    with caseload_at(there):
        pass
    argv = ["--log", "--on", day(on).isoformat(), "--time", time, "--minutes", str(minutes)]
    first = made_id(command(there, *argv, "--place", place, "--with", with_whom))
    assert command(there, "--id", first[:6], "--time", again).exit_code == 0
    made_id(command(there, "--log", "--on", day(on + 1).isoformat()))

    with caseload_at(here) as a, caseload_at(there) as b:
        assert list(held_now(a).values()) == list(held_now(b).values())
        assert events(a, pid_of(a)) == events(b, pid_of(b))
