"""`journeyapp contact` and `journeyapp milestone` on real caseload files: a record logged,
corrected or removed on the command line is the window's (the same caseload state and the same
journey-log events, field for field); refusals say what is wrong in one line and change
nothing; the plan printed from the file shows what was logged."""

from __future__ import annotations

import io
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.cli import cli
from journeyapp.core.records import Contact, Event
from tests.cli.refusals import folder_state, refused
from tests.clock import real_days_ago, real_today, ticking_clock

NAME = "Siobhán"
SETTINGS = settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Words as a person types them (no control characters: the window's boxes take none either; a
# no-break space comes back from the window's note box as a plain one, a quirk of Qt's).
WORDS = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp"), whitelist_characters=" "),
    max_size=25,
)


def run(db_path: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [*args[:2], "--db", str(db_path), *args[2:]])
    return result.exit_code, result.output


@contextmanager
def caseload_at(path: Path) -> Iterator[Caseload]:
    """A caseload file whose today is the real one (the command's), with the one parent."""
    opened = Caseload.open(path, create=not path.exists(), plain=True)
    opened.clock = ticking_clock(real_today())
    try:
        if not opened.participants():
            opened.enrol_participant(NAME, "fife", joined_on=real_days_ago(200))
        yield opened
    finally:
        opened.close()


def pid_of(caseload: Caseload) -> str:
    [person] = caseload.participants()
    return person.id


def state(caseload: Caseload) -> dict[str, Any]:
    """The parent's records and what their journey stands at, without ids and timestamps."""
    pid = pid_of(caseload)
    journey = caseload.journey(pid)

    def plain(record: Any) -> dict[str, Any]:
        return {
            k: v
            for k, v in vars(record).items()
            if k not in {"id", "participant_id", "created_at", "updated_at", "milestone_id"}
        } | {"has_milestone": bool(getattr(record, "milestone_id", None))}

    return {
        "contacts": sorted(repr(plain(c)) for c in journey.contacts),
        "milestones": sorted(repr(plain(m)) for m in journey.milestones),
        "jobs": sorted(repr(plain(j)) for j in caseload.jobs(pid)),
        "pauses": sorted(repr(plain(p)) for p in journey.pauses),
        "status": caseload.participant(pid).status,
    }


def events(caseload: Caseload) -> list[tuple[str, str, dict[str, object]]]:
    """The journey log after the parent was added: kind, action and the changed fields, with
    ids and times left out (they differ between two files by nature)."""

    def fields(e: Event) -> dict[str, object]:
        kept = {
            k: v
            for k, v in e.fields.items()
            if k not in {"id", "participant_id", "created_at", "updated_at", "milestone_id"}
        }
        replaced = kept.get("_replaced")
        if isinstance(replaced, dict):  # the ids of the events each change replaced
            kept["_replaced"] = {k: len(v) for k, v in replaced.items()}
        if "milestone_id" in e.fields:
            kept["has_milestone"] = bool(e.fields["milestone_id"])
        return kept

    found = caseload.events(pid_of(caseload))
    return [(e.kind, e.action, fields(e)) for e in found if e.kind != "participants"]


def same_in_both(
    tmp_path: Path,
    window: Callable[[Caseload, str], None],
    command: Callable[[Path], None],
    before: Callable[[Caseload, str], None] | None = None,
) -> None:
    """Do the same thing in the window (to one file) and on the command line (to another);
    both files hold the same records and the same journey-log events after."""
    # A folder of its own for each example Hypothesis tries (no file, nor its -wal, reused).
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    here, there = folder / "window.db", folder / "command.db"
    for path in (here, there):
        with caseload_at(path) as caseload:
            if before is not None:
                before(caseload, pid_of(caseload))
    with caseload_at(here) as caseload:
        window(caseload, pid_of(caseload))
    command(there)
    with caseload_at(here) as a, caseload_at(there) as b:
        assert state(a) == state(b)
        assert events(a) == events(b)


def plan_text(db_path: Path, out: Path) -> str:
    code, said = run(db_path, "plan", "Siob", "--out", str(out))
    assert code == 0, said
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))


# -- contact ---------------------------------------------------------------------------------


@SETTINGS
@given(
    kind=st.sampled_from(["one_to_one", "phone_text", "home_visit", "group", "outreach"]),
    minutes=st.integers(0, 24 * 60),
    back=st.integers(0, 150),
    venue=WORDS,
    note=WORDS,
    next_step=WORDS,
    childcare=st.tuples(st.booleans(), st.booleans()),
)
def test_a_contact_logged_on_the_command_line_is_the_windows(
    qtbot: QtBot,
    tmp_path: Path,
    kind: str,
    minutes: int,
    back: int,
    venue: str,
    note: str,
    next_step: str,
    childcare: tuple[bool, bool],
) -> None:
    from journeyapp.ui.widgets.forms import select_key
    from journeyapp.ui.workspace.contacts import LogContactDialog

    day = real_days_ago(back)

    def window(caseload: Caseload, pid: str) -> None:
        dialog = LogContactDialog(caseload, pid)
        qtbot.addWidget(dialog)
        dialog.on.setText(day.strftime("%d/%m/%Y"))
        select_key(dialog.kind, kind)
        dialog.venue.setText(venue)
        dialog.minutes.setValue(minutes)
        dialog.note.setText(note)
        dialog.next_step.setText(next_step)
        dialog.childcare_needed.setChecked(childcare[0])
        dialog.childcare_arranged.setChecked(childcare[1])
        dialog._try_save()
        assert dialog.result_value is not None
        dialog.forget_draft()

    def command(path: Path) -> None:
        code, out = run(
            path,
            "contact",
            "Siob",
            "--log",
            "--on",
            day.isoformat(),
            "--kind",
            kind,
            "--minutes",
            str(minutes),
            "--venue",
            venue,
            "--note",
            note,
            "--next-step",
            next_step,
            *(["--childcare-needed"] if childcare[0] else []),  # no is the default
            "--childcare-arranged" if childcare[1] else "--no-childcare-arranged",
        )
        assert code == 0, out
        assert "Logged a contact with Siobhán" in out

    same_in_both(tmp_path, window, command)


KINDS = ["one_to_one", "phone_text", "home_visit", "group", "outreach"]


@SETTINGS
@given(
    earlier=st.lists(
        st.tuples(
            st.sampled_from(KINDS), st.sampled_from(["", "Hub", "Library"]), st.integers(1, 60)
        ),
        max_size=3,
    ),
    kind=st.none() | st.sampled_from(KINDS),
    venue=st.none() | st.sampled_from(["", "Community café"]),
    minutes=st.none() | st.integers(0, 120),
    back=st.none() | st.integers(0, 20),
)
def test_a_contact_logged_with_defaults_starts_as_the_windows_form_and_says_them(
    qtbot: QtBot,
    tmp_path: Path,
    earlier: list[tuple[str, str, int]],
    kind: str | None,
    venue: str | None,
    minutes: int | None,
    back: int | None,
) -> None:
    """`contact NAME --log` with only some details given: what was not given is what the
    window's Log contact form starts with (today, their last kind and venue, 30 minutes),
    and the "Logged" line says what it was logged as, naming each option not given; it was
    one-to-one with no venue, silently."""
    from journeyapp.core.dates import long_date
    from journeyapp.ui.widgets.forms import select_key
    from journeyapp.ui.workspace.contacts import LogContactDialog

    said: list[str] = []

    def before(caseload: Caseload, pid: str) -> None:
        for k, v, back in earlier:
            caseload.log_contact(pid, k, on=real_days_ago(back), venue=v)

    def window(caseload: Caseload, pid: str) -> None:
        dialog = LogContactDialog(caseload, pid)
        qtbot.addWidget(dialog)
        if kind is not None:
            select_key(dialog.kind, kind)
        if venue is not None:
            dialog.venue.setText(venue)
        if minutes is not None:
            dialog.minutes.setValue(minutes)
        if back is not None:
            dialog.on.setText(real_days_ago(back).strftime("%d/%m/%Y"))
        dialog._try_save()
        assert dialog.result_value is not None
        dialog.forget_draft()

    def command(path: Path) -> None:
        args = ["--log"]
        args += [] if back is None else ["--on", real_days_ago(back).isoformat()]
        args += [] if kind is None else ["--kind", kind]
        args += [] if venue is None else ["--venue", venue]
        args += [] if minutes is None else ["--minutes", str(minutes)]
        code, out = run(path, "contact", "Siob", *args)
        assert code == 0, out
        said.append(out)

    same_in_both(tmp_path, window, command, before=before)
    [line] = [x for x in said[0].splitlines() if x.startswith("Logged a contact")]
    with caseload_at(tmp_path / "check.db") as caseload:
        catalogue = caseload.catalogue
    # The most recent: fewest days back, then the one logged last.
    order = sorted(enumerate(earlier), key=lambda e: (-e[1][2], e[0]))
    latest = order[-1][1] if order else None
    shown_kind = kind or (latest[0] if latest else "one_to_one")
    day = "today, " + long_date(real_today()) if back is None else long_date(real_days_ago(back))
    assert f": {day}, {catalogue.shown('contact_kinds', shown_kind)}" in line
    not_given = [
        option
        for option, value in (
            ("--on", back),
            ("--kind", kind),
            ("--venue", venue),
            ("--minutes", minutes),
        )
        if value is None
    ]
    if not not_given:
        assert "Not given" not in line
    else:
        listed = (
            not_given[0]
            if len(not_given) == 1
            else f"{', '.join(not_given[:-1])} and {not_given[-1]}"
        )
        assert f"Not given: {listed};" in line
    assert f"{30 if minutes is None else minutes} min" in line
    if venue is None:
        with_venue = [e for _n, e in order if e[1]]
        last_venue = with_venue[-1] if with_venue else None
        if last_venue is None:
            assert ", no venue," in line
        else:
            assert f"at {last_venue[1]!r} (as last time)" in line


def _a_contact(caseload: Caseload, pid: str) -> None:
    caseload.log_contact(
        pid, "phone_text", on=real_days_ago(20), minutes=10, venue="Phone", note="Talked"
    )


@SETTINGS
@given(
    minutes=st.none() | st.integers(0, 24 * 60),
    note=st.none() | WORDS,
    back=st.none() | st.integers(0, 150),
    kind=st.none() | st.sampled_from(["One-to-one", "HOME_VISIT", "outreach"]),
    needed=st.none() | st.booleans(),
)
def test_a_contact_corrected_on_the_command_line_is_the_windows_change(
    qtbot: QtBot,
    tmp_path: Path,
    minutes: int | None,
    note: str | None,
    back: int | None,
    kind: str | None,
    needed: bool | None,
) -> None:
    """Only what was given changes, in one update event, as the window's Change… writes it."""
    from journeyapp.ui.widgets.forms import select_key
    from journeyapp.ui.workspace.contacts import LogContactDialog

    if minutes is None and note is None and back is None and kind is None and needed is None:
        minutes = 45
    key = None if kind is None else kind.lower().replace("-", "_")

    def window(caseload: Caseload, pid: str) -> None:
        [existing] = caseload.journey(pid).contacts
        dialog = LogContactDialog(caseload, pid, existing=existing)
        qtbot.addWidget(dialog)
        if back is not None:
            dialog.on.setText(real_days_ago(back).strftime("%d/%m/%Y"))
        if key is not None:
            select_key(dialog.kind, key)
        if minutes is not None:
            dialog.minutes.setValue(minutes)
        if note is not None:
            dialog.note.setText(note)
        if needed is not None:
            dialog.childcare_needed.setChecked(needed)
        dialog._try_save()
        assert dialog.result_value is not None
        dialog.forget_draft()

    def command(path: Path) -> None:
        with caseload_at(path) as caseload:
            [existing] = caseload.journey(pid_of(caseload)).contacts
        args = ["--id", existing.id[:8]]
        if back is not None:
            args += ["--on", real_days_ago(back).isoformat()]
        if kind is not None:
            args += ["--kind", kind]
        if minutes is not None:
            args += ["--minutes", str(minutes)]
        if note is not None:
            args += ["--note", note]
        if needed is not None:
            args += ["--childcare-needed" if needed else "--no-childcare-needed"]
        code, out = run(path, "contact", "Siob", *args)
        assert code == 0, out

    same_in_both(tmp_path, window, command, before=_a_contact)


def test_a_contact_removed_on_the_command_line_is_the_windows_removal(tmp_path: Path) -> None:
    said: list[str] = []

    def window(caseload: Caseload, pid: str) -> None:
        [existing] = caseload.journey(pid).contacts
        caseload.delete_record(Contact.KIND, existing.id)

    def command(path: Path) -> None:
        with caseload_at(path) as caseload:
            [existing] = caseload.journey(pid_of(caseload)).contacts
        code, out = run(path, "contact", "Siob", "--id", existing.id, "--remove")
        assert code == 0, out
        said.append(out)

    same_in_both(tmp_path, window, command, before=_a_contact)
    day = real_days_ago(20)
    shown = f"{day.day} {day.strftime('%b')}" + (
        "" if day.year == real_today().year else f" {day.year}"
    )
    assert f"Removed the contact on {shown} (phone or text, 10 min)." in said[0]
    assert "No contacts recorded for Siobhán." in said[0]


REFUSED_CONTACT = {
    "log and id": (["--log", "--id", "abcdef12"], "not both"),
    "remove without id": (["--remove"], "--remove needs the contact"),
    "remove with a change": (["--id", "{id}", "--remove", "--minutes", "5"], "does not go with"),
    "detail alone": (["--note", "hello"], "Say what to do"),
    "no such kind": (["--log", "--kind", "carrier pigeon"], "one_to_one (One-to-one)"),
    "after today": (["--log", "--on", "{tomorrow}"], "is after today"),
    "not a date": (["--log", "--on", "someday"], "is not a date"),
    "too long": (["--log", "--minutes", "1441"], "a whole number from 0 to 1,440"),
    "no such contact": (["--id", "zzzzzzzz", "--minutes", "5"], "No contact of Siobhán's"),
    "nothing to correct": (["--id", "{id}"], "Say what to correct"),
    "empty id": (["--id", "", "--minutes", "5"], "No id was given"),
}


@pytest.mark.parametrize("case", REFUSED_CONTACT, ids=list(REFUSED_CONTACT))
def test_a_contact_refused_says_why_in_one_line_and_changes_nothing(
    tmp_path: Path, case: str
) -> None:
    args, words = REFUSED_CONTACT[case]
    path = tmp_path / "caseload.db"
    with caseload_at(path) as caseload:
        _a_contact(caseload, pid_of(caseload))
        [existing] = caseload.journey(pid_of(caseload)).contacts
    filled = {
        "{id}": existing.id,
        "{tomorrow}": (real_today() + timedelta(days=1)).isoformat(),
        "{before}": (real_days_ago(200) - timedelta(days=1)).isoformat(),
    }
    before = folder_state(tmp_path)
    result = CliRunner().invoke(
        cli, ["contact", "Siob", "--db", str(path), *[filled.get(a, a) for a in args]]
    )
    refused(result, words)
    assert "Traceback" not in result.output
    assert folder_state(tmp_path) == before


def test_a_contact_logged_on_the_command_line_is_listed_as_typed_and_on_the_plan(
    tmp_path: Path,
) -> None:
    path = tmp_path / "caseload.db"
    with caseload_at(path):
        pass
    note = "Talked about the\tcourse"  # a tab kept in a note, shown as its escape
    code, out = run(
        path,
        "contact",
        "Siob",
        "--log",
        "--kind",
        "phone or text",
        "--minutes",
        "10",
        "--note",
        note,
        "--next-step",
        "Call the college about the childcare course",
    )
    assert code == 0, out
    # The words as typed, the escape shown, never sent to the terminal.
    assert "\x1b" not in out
    assert repr(note) in out
    assert ", Phone or text, 10 min" in out
    text = plan_text(path, tmp_path / "plan.pdf")
    assert "Call the college about the childcare course" in text


def test_a_contact_day_after_today_is_marked_in_the_list(tmp_path: Path) -> None:
    from journeyapp.core.describe import AFTER_TODAY

    path = tmp_path / "caseload.db"
    with caseload_at(path) as caseload:
        _a_contact(caseload, pid_of(caseload))
        # Written on a laptop whose clock was ahead.
        ahead: date = real_today() + timedelta(days=3)
        caseload.clock = ticking_clock(ahead)
        caseload.log_contact(pid_of(caseload), on=ahead)
    code, out = run(path, "contact", "Siob")
    assert code == 0, out
    assert f"{ahead.isoformat()} ({AFTER_TODAY})" in out


# -- milestone -------------------------------------------------------------------------------

NOT_WORK = ["first_meeting", "agreed_plan", "joined_group", "gained_qualification", "better_job"]


def _window_milestone(
    qtbot: QtBot, caseload: Caseload, pid: str, type_: str, back: int, note: str, voice: str
) -> None:
    """The window's Record a milestone…, then for 'started work' its job form, cancelled
    (the job was recorded with the milestone, from its day: nothing more to give)."""
    from journeyapp.core.records import Milestone
    from journeyapp.ui.widgets.forms import select_key
    from journeyapp.ui.workspace.background import JobDialog
    from journeyapp.ui.workspace.journey import MilestoneDialog

    dialog = MilestoneDialog(caseload, pid)
    qtbot.addWidget(dialog)
    select_key(dialog.type, type_)
    dialog.on.setText(real_days_ago(back).strftime("%d/%m/%Y"))
    dialog.note.setText(note)
    select_key(dialog.voice, voice)
    dialog._try_save()
    made = dialog.result_value
    assert isinstance(made, Milestone)
    dialog.forget_draft()
    if made.type in caseload.catalogue.job_entry_types:
        recorded = caseload.job_for_milestone(made.id)
        assert recorded is not None
        job = JobDialog(caseload, pid, existing=recorded, milestone=made, just_recorded=True)
        qtbot.addWidget(job)
        job.reject()


@SETTINGS
@given(
    type_=st.sampled_from([*NOT_WORK, "started_work"]),
    back=st.integers(0, 150),
    note=WORDS,
    voice=st.sampled_from(["parent", "together", "keyworker"]),
)
def test_a_milestone_recorded_on_the_command_line_is_the_windows(
    qtbot: QtBot, tmp_path: Path, type_: str, back: int, note: str, voice: str
) -> None:
    """A 'started work' milestone comes with its job from its day, in the window as on the
    command line, even when the window's job form (opened after it) is cancelled."""

    def window(caseload: Caseload, pid: str) -> None:
        _window_milestone(qtbot, caseload, pid, type_, back, note, voice)

    def command(path: Path) -> None:
        typed = type_.replace("_", " ").upper()  # a label in any case will do
        code, out = run(
            path,
            "milestone",
            "Siob",
            "--log",
            "--type",
            typed if type_ != "better_job" else type_,
            "--on",
            real_days_ago(back).isoformat(),
            "--note",
            note,
            "--chosen-by",
            voice,
        )
        assert code == 0, out
        assert "Recorded the milestone" in out
        assert ("and its job" in out) == (type_ == "started_work")

    same_in_both(tmp_path, window, command)


def _two_milestones(caseload: Caseload, pid: str) -> None:
    caseload.record_milestone(pid, "agreed_plan", achieved_on=real_days_ago(30), note="My plan")
    caseload.add_job(pid, real_days_ago(10), with_milestone=True, job_title="Care assistant")


@SETTINGS
@given(
    type_=st.none() | st.sampled_from(NOT_WORK),
    back=st.none() | st.integers(0, 150),
    note=st.none() | WORDS,
    voice=st.none() | st.sampled_from(["parent", "together", "keyworker"]),
)
def test_a_milestone_corrected_on_the_command_line_is_the_windows_change(
    qtbot: QtBot,
    tmp_path: Path,
    type_: str | None,
    back: int | None,
    note: str | None,
    voice: str | None,
) -> None:
    from journeyapp.ui.widgets.forms import select_key
    from journeyapp.ui.workspace.journey import MilestoneDialog

    if type_ is None and back is None and note is None and voice is None:
        voice = "keyworker"

    def the_plan(caseload: Caseload) -> Any:
        return next(
            m for m in caseload.journey(pid_of(caseload)).milestones if m.type == "agreed_plan"
        )

    def window(caseload: Caseload, pid: str) -> None:
        dialog = MilestoneDialog(caseload, pid, existing=the_plan(caseload))
        qtbot.addWidget(dialog)
        if type_ is not None:
            select_key(dialog.type, type_)
        if back is not None:
            dialog.on.setText(real_days_ago(back).strftime("%d/%m/%Y"))
        if note is not None:
            dialog.note.setText(note)
        if voice is not None:
            select_key(dialog.voice, voice)
        dialog._try_save()
        assert dialog.result_value is not None
        dialog.forget_draft()

    def command(path: Path) -> None:
        with caseload_at(path) as caseload:
            whole = the_plan(caseload).id
        args = ["--id", whole[:8]]
        if type_ is not None:
            args += ["--type", type_]
        if back is not None:
            args += ["--on", real_days_ago(back).isoformat()]
        if note is not None:
            args += ["--note", note]
        if voice is not None:
            args += ["--chosen-by", voice]
        code, out = run(path, "milestone", "Siob", *args)
        assert code == 0, out

    same_in_both(tmp_path, window, command, before=_two_milestones)


@SETTINGS
@given(back=st.none() | st.integers(0, 25))
def test_a_milestone_corrected_into_started_work_gets_its_job_as_in_the_window(
    qtbot: QtBot, tmp_path: Path, back: int | None
) -> None:
    """`milestone NAME --id ID --type started_work` records the job that grows from it, as
    the window's Change… does (the job form opened after it, saved as it opens: only its
    start, the milestone's day), and says how to add its details; it got no job."""
    from journeyapp.core.records import Milestone
    from journeyapp.ui.widgets.forms import select_key
    from journeyapp.ui.workspace.background import JobDialog
    from journeyapp.ui.workspace.journey import MilestoneDialog

    said: list[str] = []
    paths: list[Path] = []

    def a_plan(caseload: Caseload, pid: str) -> None:
        caseload.record_milestone(pid, "agreed_plan", achieved_on=real_days_ago(30))

    def the_plan(caseload: Caseload) -> Milestone:
        [found] = caseload.journey(pid_of(caseload)).milestones
        return found

    def window(caseload: Caseload, pid: str) -> None:
        dialog = MilestoneDialog(caseload, pid, existing=the_plan(caseload))
        qtbot.addWidget(dialog)
        select_key(dialog.type, "started_work")
        if back is not None:
            dialog.on.setText(real_days_ago(back).strftime("%d/%m/%Y"))
        dialog._try_save()
        made = dialog.result_value
        assert isinstance(made, Milestone)
        dialog.forget_draft()
        # Its job is recorded with the correction; the form the window opens after shows it.
        job = JobDialog(caseload, pid, existing=caseload.job_for_milestone(made.id), milestone=made)
        qtbot.addWidget(job)
        job._try_save()
        assert job.result_value is not None
        job.forget_draft()

    def command(path: Path) -> None:
        with caseload_at(path) as caseload:
            whole = the_plan(caseload).id
        args = ["--id", whole[:8], "--type", "Started work"]
        args += [] if back is None else ["--on", real_days_ago(back).isoformat()]
        code, out = run(path, "milestone", "Siob", *args)
        assert code == 0, out
        said.append(out)
        paths.append(path)

    same_in_both(tmp_path, window, command, before=a_plan)
    assert "Its job is recorded too, from that day" in said[-1]
    assert "journeyapp job 'Siobhán' --id" in said[-1]
    # Corrected again (its note), it keeps its one job: no second one.
    there = paths[-1]
    with caseload_at(there) as caseload:
        whole = the_plan(caseload).id
    code, out = run(there, "milestone", "Siob", "--id", whole[:8], "--note", "Care home")
    assert code == 0, out
    assert "Its job" not in out
    with caseload_at(there) as caseload:
        assert len(caseload.jobs(pid_of(caseload))) == 1


def test_a_started_work_milestone_removed_takes_its_job_and_says_so(tmp_path: Path) -> None:
    said: list[str] = []

    def started(caseload: Caseload) -> Any:
        return next(
            m for m in caseload.journey(pid_of(caseload)).milestones if m.type == "started_work"
        )

    def window(caseload: Caseload, pid: str) -> None:
        caseload.delete_record("milestones", started(caseload).id)

    def command(path: Path) -> None:
        with caseload_at(path) as caseload:
            whole = started(caseload).id
        code, out = run(path, "milestone", "Siob", "--id", whole, "--remove")
        assert code == 0, out
        said.append(out)

    same_in_both(tmp_path, window, command, before=_two_milestones)
    assert "Removed the milestone “Started work” on " in said[0]
    assert "and its job's details (hours, contract, how it went)." in said[0]
    [folder] = tmp_path.iterdir()
    with caseload_at(folder / "command.db") as caseload:
        assert caseload.jobs(pid_of(caseload)) == []
        assert [m.type for m in caseload.journey(pid_of(caseload)).milestones] == ["agreed_plan"]


@SETTINGS
@given(type_=st.sampled_from(NOT_WORK), keep=st.booleans())
def test_a_started_work_milestone_corrected_away_asks_about_its_job_as_the_window_does(
    qtbot: QtBot, tmp_path: Path, type_: str, keep: bool
) -> None:
    """`milestone NAME --id ID --type OTHER` on a 'started work' milestone with its job takes
    the keyworker's choice, as the window's question does: --remove-job is "Remove the job
    too", --keep-job is "Keep the job" (same records, same journey log); without either it is
    refused naming the job and both ways, nothing changed."""
    from journeyapp.ui.widgets.forms import select_key
    from journeyapp.ui.workspace.journey import MilestoneDialog
    from tests.ui.shell_helpers import answer_question

    said: list[str] = []
    asked: list[list[str]] = []

    def started(caseload: Caseload) -> Any:
        return next(
            m for m in caseload.journey(pid_of(caseload)).milestones if m.type == "started_work"
        )

    def window(caseload: Caseload, pid: str) -> None:
        dialog = MilestoneDialog(caseload, pid, existing=started(caseload))
        qtbot.addWidget(dialog)
        select_key(dialog.type, type_)
        asked.append(answer_question(qtbot, "Keep the job" if keep else "Remove the job too"))
        dialog._try_save()
        assert dialog.result_value is not None
        dialog.forget_draft()

    def command(path: Path) -> None:
        with caseload_at(path) as caseload:
            whole = started(caseload).id
        before = folder_state(path.parent)
        result = CliRunner().invoke(
            cli, ["milestone", "Siob", "--db", str(path), "--id", whole[:8], "--type", type_]
        )
        refused(result, "--remove-job", code=1)
        assert "--keep-job" in result.output
        assert "Care assistant" in result.output
        assert folder_state(path.parent) == before
        choice = "--keep-job" if keep else "--remove-job"
        code, out = run(path, "milestone", "Siob", "--id", whole[:8], "--type", type_, choice)
        assert code == 0, out
        said.append(out)

    same_in_both(tmp_path, window, command, before=_two_milestones)
    assert asked[-1], asked
    assert "job as Care assistant, starting" in asked[-1][0]
    assert ("Kept the job" if keep else "Removed the job as Care assistant") in said[-1]
    [*_, folder] = sorted(tmp_path.iterdir(), key=lambda p: p.stat().st_mtime)
    with caseload_at(folder / "command.db") as caseload:
        assert len(caseload.jobs(pid_of(caseload))) == (1 if keep else 0)


REFUSED_MILESTONE = {
    "no type": (["--log"], "Say what was achieved: --type"),
    "no such type": (["--log", "--type", "won the lottery"], "agreed_plan (Agreed my plan)"),
    "before they joined": (["--log", "--type", "agreed_plan", "--on", "{before}"], "joined"),
    "after today": (["--log", "--type", "agreed_plan", "--on", "{tomorrow}"], "after today"),
    "not whose": (["--log", "--type", "agreed_plan", "--chosen-by", "mum"], "mum"),
    "remove with a change": (["--id", "{id}", "--remove", "--note", "x"], "does not go with"),
    "nothing to correct": (["--id", "{id}"], "Say what to correct"),
    "no such milestone": (["--id", "zzzzzzzz", "--note", "x"], "No milestone of Siobhán's"),
    "detail alone": (["--type", "agreed_plan"], "Say what to do"),
    "keep a job it has not": (["--id", "{id}", "--note", "x", "--keep-job"], "--keep-job is for"),
}


@pytest.mark.parametrize("case", REFUSED_MILESTONE, ids=list(REFUSED_MILESTONE))
def test_a_milestone_refused_says_why_in_one_line_and_changes_nothing(
    tmp_path: Path, case: str
) -> None:
    args, words = REFUSED_MILESTONE[case]
    path = tmp_path / "caseload.db"
    with caseload_at(path) as caseload:
        _two_milestones(caseload, pid_of(caseload))
        first = caseload.journey(pid_of(caseload)).milestones[0]
    filled = {
        "{id}": first.id,
        "{tomorrow}": (real_today() + timedelta(days=1)).isoformat(),
        "{before}": (real_days_ago(200) - timedelta(days=1)).isoformat(),
    }
    before = folder_state(tmp_path)
    result = CliRunner().invoke(
        cli, ["milestone", "Siob", "--db", str(path), *[filled.get(a, a) for a in args]]
    )
    refused(result, words, code=2 if case == "not whose" else 1)
    assert "Traceback" not in result.output
    assert folder_state(tmp_path) == before


def test_a_milestone_recorded_on_the_command_line_is_on_the_plan(tmp_path: Path) -> None:
    path = tmp_path / "caseload.db"
    with caseload_at(path):
        pass
    code, out = run(
        path,
        "milestone",
        "Siob",
        "--log",
        "--type",
        "Gained a qualification",
        "--note",
        "Passed my food hygiene certificate",
    )
    assert code == 0, out
    assert "note: 'Passed my food hygiene certificate' (in their words)" in out
    text = plan_text(path, tmp_path / "plan.pdf")
    assert "Gained a qualification" in text
    assert "Passed my food hygiene certificate" in text


# -- job and break removed ---------------------------------------------------------------------


def test_a_job_removed_on_the_command_line_is_the_windows_removal(tmp_path: Path) -> None:
    """The job goes; its 'started work' milestone stays, as in the window, and it says how to
    remove that too."""
    said: list[str] = []

    def window(caseload: Caseload, pid: str) -> None:
        [job] = caseload.jobs(pid)
        caseload.delete_record("jobs", job.id)

    def command(path: Path) -> None:
        with caseload_at(path) as caseload:
            [job] = caseload.jobs(pid_of(caseload))
        code, out = run(path, "job", "Siob", "--id", job.id[:8], "--remove")
        assert code == 0, out
        said.append(out)

    same_in_both(tmp_path, window, command, before=_two_milestones)
    assert "Removed the job “Care assistant” started on " in said[0]
    assert "Its 'started work' milestone stays in the journey" in said[0]
    assert "No jobs recorded for Siobhán." in said[0]
    [folder] = tmp_path.iterdir()
    with caseload_at(folder / "command.db") as caseload:
        assert len(caseload.journey(pid_of(caseload)).milestones) == 2


@pytest.mark.parametrize("ended", [False, True], ids=["being taken", "ended"])
def test_a_break_removed_on_the_command_line_is_the_windows_removal(
    tmp_path: Path, ended: bool
) -> None:
    """A break being taken removed: the parent is no longer taking a break (the window's
    removal does the same), and it says so; an ended one leaves where they stand alone."""
    from journeyapp.core.enums import ParticipantStatus

    said: list[str] = []

    def a_break(caseload: Caseload, pid: str) -> None:
        caseload.pause(pid, on=real_days_ago(20), reason="moving house")
        if ended:
            caseload.resume(pid, on=real_days_ago(5))

    def window(caseload: Caseload, pid: str) -> None:
        [pause] = caseload.journey(pid).pauses
        caseload.delete_record("pauses", pause.id)

    def command(path: Path) -> None:
        with caseload_at(path) as caseload:
            [pause] = caseload.journey(pid_of(caseload)).pauses
        code, out = run(path, "break", "Siob", "--id", pause.id[:8], "--remove")
        assert code == 0, out
        said.append(out)

    same_in_both(tmp_path, window, command, before=a_break)
    assert "Removed the break from " in said[0]
    assert ("Siobhán is no longer taking a break." in said[0]) is not ended
    assert "No breaks recorded for Siobhán." in said[0]
    [folder] = tmp_path.iterdir()
    with caseload_at(folder / "command.db") as caseload:
        assert caseload.participant(pid_of(caseload)).status is ParticipantStatus.ACTIVE


REFUSED_REMOVAL = {
    "job without id": (["job", "Siob", "--remove"], "--remove takes the job"),
    "job with a change": (["job", "Siob", "--id", "{job}", "--remove", "--set", "note=x"], "job"),
    "job not theirs": (["job", "Siob", "--id", "zzzzzzzz", "--remove"], "No job of Siobhán's"),
    "break without id": (["break", "Siob", "--remove"], "--remove takes the break"),
    "break with a change": (
        ["break", "Siob", "--id", "{break}", "--remove", "--reason", "x"],
        "--remove takes the break",
    ),
    "break with take": (["break", "Siob", "--take", "--remove"], "--remove takes the break"),
    "break not theirs": (["break", "Siob", "--id", "zzzzzzzz", "--remove"], "No break of"),
}


@pytest.mark.parametrize("case", REFUSED_REMOVAL, ids=list(REFUSED_REMOVAL))
def test_a_removal_refused_says_why_in_one_line_and_changes_nothing(
    tmp_path: Path, case: str
) -> None:
    args, words = REFUSED_REMOVAL[case]
    path = tmp_path / "caseload.db"
    with caseload_at(path) as caseload:
        pid = pid_of(caseload)
        _two_milestones(caseload, pid)
        caseload.pause(pid, on=real_days_ago(5))
        [job] = caseload.jobs(pid)
        [pause] = caseload.journey(pid).pauses
    filled = {"{job}": job.id, "{break}": pause.id}
    before = folder_state(tmp_path)
    argv = [filled.get(a, a) for a in args]
    result = CliRunner().invoke(cli, [*argv[:2], "--db", str(path), *argv[2:]])
    refused(result, words)
    assert "Traceback" not in result.output
    assert folder_state(tmp_path) == before


@pytest.mark.parametrize("command", ["contact", "milestone"])
def test_a_removal_by_a_start_several_ids_share_is_refused_naming_them(
    tmp_path: Path, command: str
) -> None:
    """17 records: more than there are hex digits, so two ids start alike whatever they are."""
    path = tmp_path / "caseload.db"
    with caseload_at(path) as caseload:
        pid = pid_of(caseload)
        for i in range(17):
            if command == "contact":
                caseload.log_contact(pid, on=real_days_ago(i), note=f"contact {i}")
            else:
                caseload.record_milestone(pid, "joined_group", achieved_on=real_days_ago(i))
        journey = caseload.journey(pid)
        ids = [r.id for r in (journey.contacts if command == "contact" else journey.milestones)]
    first = [i[0] for i in ids]
    shared = next(c for c in first if first.count(c) > 1)
    sharing = [i for i in ids if i.startswith(shared)]
    before = folder_state(tmp_path)
    line = refused(
        CliRunner().invoke(cli, [command, "Siob", "--db", str(path), "--id", shared, "--remove"]),
        f"{len(sharing)} {command}s of Siobhán's have ids starting '{shared}'",
        "give more of the id",
    )
    for whole in sharing:
        assert whole in line
    assert folder_state(tmp_path) == before
