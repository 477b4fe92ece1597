"""`journeyapp feedback` on real caseload files, by a scripted harness: Hypothesis draws a
sequence of feedback recorded, added to ("we did"), corrected, removed and refused through the
real command; after each, what the window reads (caseload.journey) is what the command said,
a refused command leaves the folder as it was, and the journey log holds the same events,
field for field, as the window's use cases called as its form calls them on a second file."""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeyapp.caseload import Caseload
from journeyapp.cli import cli
from journeyapp.core.enums import FeedbackSource, label
from tests.cli.record_harness import NAME, Files, Held, caseload_at, drive, events, made_id, pid_of
from tests.cli.refusals import folder_state, refused
from tests.cli.test_goals_cli import PADDED, WORDS
from tests.clock import real_days_ago, real_today
from tests.held_words import written_elsewhere

SETTINGS = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FIELDS = ("said", "we_did", "source", "on")
BACK = st.integers(0, 150)


def command(path: Path, *args: str) -> Result:
    """`journeyapp feedback Siob --db FILE ARGS…`."""
    return CliRunner().invoke(cli, ["feedback", "Siob", "--db", str(path), *args])


def held_now(caseload: Caseload) -> dict[str, dict[str, Any]]:
    """What the window reads of the feedback from or about the parent."""
    journey = caseload.journey(pid_of(caseload))
    return {f.id: {n: getattr(f, n) for n in FIELDS} for f in journey.feedback}


def check(files: Files, result: Result) -> None:
    """After a command that did what it was asked: the window's model holds what the command
    said, both journey logs agree, and the listing names each, most recent first."""
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    with caseload_at(files.a) as a:
        assert held_now(a) == {h.a: h.fields for h in files.held}
        assert events(a, pid_of(a)) == events(files.b, files.pid_b)
        order = sorted(
            a.journey(pid_of(a)).feedback, key=lambda f: (f.on, f.created_at), reverse=True
        )
    lines = result.stdout.splitlines()
    if not order:
        assert lines[-1] == f"No feedback from or about {NAME} yet."
        return
    assert [line.split()[0] for line in lines[-len(order) :]] == [f.id for f in order]


def check_refused(files: Files, args: list[str], words: str) -> None:
    before = folder_state(files.a.parent)
    refused(command(files.a, *args), words)
    assert folder_state(files.a.parent) == before


def typed_source(draw: st.DrawFn, source: FeedbackSource) -> str:
    return draw(st.sampled_from([source.value, label(source), label(source).upper()]))


def record(files: Files, draw: st.DrawFn) -> None:
    said = draw(PADDED)
    we_did = draw(st.none() | WORDS)
    source = draw(st.none() | st.sampled_from(list(FeedbackSource)))
    back = draw(st.none() | BACK)
    args = ["--log", "--said", said]
    if we_did is not None:
        args += ["--we-did", we_did]
    if source is not None:
        args += ["--source", typed_source(draw, source)]
    if back is not None:
        args += ["--on", real_days_ago(back).isoformat()]
    result = command(files.a, *args)
    # The window's Add feedback… (FeedbackDialog.save).
    fields = {
        "said": said.strip(),
        "we_did": (we_did or "").strip(),
        "source": source or FeedbackSource.PARENT,
        "on": real_days_ago(back or 0),
    }
    b = files.b.add_feedback(
        fields["said"],
        source=fields["source"],
        we_did=fields["we_did"],
        on=fields["on"],
        participant_id=files.pid_b,
    )
    files.held.append(Held(made_id(result), b.id, fields))
    check(files, result)


def correct(files: Files, draw: st.DrawFn) -> None:
    held = draw(st.sampled_from(files.held))
    args = ["--id", held.a[: draw(st.integers(6, 36))]]
    changes: dict[str, Any] = {}
    if draw(st.booleans()):
        said = draw(PADDED)
        args += ["--said", said]
        changes["said"] = said.strip()
    if draw(st.booleans()):
        we_did = draw(WORDS)
        args += ["--we-did", we_did]
        changes["we_did"] = we_did.strip()
    if draw(st.booleans()):
        source = draw(st.sampled_from(list(FeedbackSource)))
        args += ["--source", typed_source(draw, source)]
        changes["source"] = source
    if draw(st.booleans()):
        back = draw(BACK)
        args += ["--on", real_days_ago(back).isoformat()]
        changes["on"] = real_days_ago(back)
    if not changes:
        check_refused(files, args, "Say what to correct")
        return
    result = command(files.a, *args)
    # The window's What changed / Edit… (every box as it is, or as typed; the same use case).
    files.b.update_record("feedback", held.b, **(held.fields | changes))
    held.fields.update(changes)
    check(files, result)
    if set(changes) == {"we_did"} and changes["we_did"]:
        assert result.stdout.startswith("Added what changed to the feedback ")
    else:
        assert result.stdout.startswith("Corrected the feedback ")


def remove(files: Files, draw: st.DrawFn) -> None:
    held = draw(st.sampled_from(files.held))
    result = command(files.a, "--id", held.a[:8], "--remove")
    files.b.delete_record("feedback", held.b)
    files.held.remove(held)
    check(files, result)
    assert result.stdout.startswith("Removed the feedback on ")


def mistype(files: Files, draw: st.DrawFn) -> None:
    later = (real_today() + timedelta(days=2)).isoformat()
    cases: list[tuple[list[str], str]] = [
        (["--log"], "Say what was said"),
        (["--log", "--said", "   "], "cannot be left empty"),
        (
            ["--log", "--said", "x" * 20_001],
            "What was said (--said) is too long: 20,001 characters, at most 20,000",
        ),
        (["--log", "--said", "x", "--source", "the council"], "partner (Partner organisation)"),
        (["--log", "--said", "x", "--on", later], "is after today"),
        (["--log", "--said", "x", "--on", "someday"], "is not a date"),
        (["--id", "zzzzzzzz", "--we-did", "x"], f"No feedback of {NAME}'s"),
        (["--we-did", "x"], "Say what to do"),
        (["--remove"], "--remove needs"),
    ]
    if files.held:
        some = draw(st.sampled_from(files.held)).a
        cases += [
            (["--id", some, "--remove", "--said", "x"], "does not go with --remove"),
            (["--log", "--id", some], "not both"),
            (["--id", some, "--on", later], "is after today"),
        ]
    args, words = draw(st.sampled_from(cases))
    check_refused(files, args, words)


DOINGS = {"record": (record, False), "correct": (correct, True), "remove": (remove, True)}
DOINGS["mistype"] = (mistype, False)


@SETTINGS
@given(data=st.data())
def test_feedback_by_command_is_the_windows(tmp_path: Path, data: st.DataObject) -> None:
    drive(tmp_path, data, DOINGS)


def test_the_listing_says_you_said_we_did_as_typed(tmp_path: Path) -> None:
    path = tmp_path / "caseload.db"
    with caseload_at(path) as c:
        pid = pid_of(c)
        old = c.add_feedback("Too early", on=real_days_ago(9), participant_id=pid)
        written_elsewhere(c, "feedback", old.id, said="Too early\x1b[2J")  # held from elsewhere
        c.update_record("feedback", old.id, we_did="Moved it to 10:00")
        new = c.add_feedback(
            "Asked for a crèche",
            source=FeedbackSource.PARTNER,
            on=real_days_ago(1),
            participant_id=pid,
        )
    listed = command(path)
    assert listed.exit_code == 0, listed.output
    assert listed.stdout.splitlines() == [
        f"{new.id}  {real_days_ago(1).isoformat()}, Partner organisation, you said: "
        "'Asked for a crèche', what changed: not added yet",
        f"{old.id}  {real_days_ago(9).isoformat()}, The parent, you said: "
        "'Too early\\x1b[2J', we did: 'Moved it to 10:00'",
    ]


@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    said=PADDED,
    we_did=PADDED,
    source=st.sampled_from(list(FeedbackSource)),
    back=BACK,
    later=PADDED,
)
def test_what_the_windows_form_saves_the_command_saves_alike(
    qtbot: Any,
    tmp_path: Path,
    said: str,
    we_did: str,
    source: FeedbackSource,
    back: int,
    later: str,
) -> None:
    """Feedback > Add feedback… and its Add what changed…, filled in and saved in the real
    dialog on one file; the same on the command line on another: the same feedback and the
    same journey-log events."""
    from journeyapp.core.records import Feedback
    from journeyapp.ui.widgets.forms import select_key
    from journeyapp.ui.workspace.feedback import FeedbackDialog

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
        form = FeedbackDialog(c, pid)
        form.said.setText(said)
        form.we_did.setText(we_did)
        select_key(form.source, source.value)
        form.on.setText(real_days_ago(back).strftime("%d/%m/%Y"))
        made = saved(form)
        assert isinstance(made, Feedback)
        form = FeedbackDialog(c, pid, existing=made)
        form.we_did.setText(later)
        saved(form)

    with caseload_at(there):
        pass
    argv = ["--log", "--said", said, "--we-did", we_did, "--source", source.value]
    first = made_id(command(there, *argv, "--on", real_days_ago(back).isoformat()))
    assert command(there, "--id", first[:6], "--we-did", later).exit_code == 0

    with caseload_at(here) as a, caseload_at(there) as b:
        assert list(held_now(a).values()) == list(held_now(b).values())
        assert events(a, pid_of(a)) == events(b, pid_of(b))
