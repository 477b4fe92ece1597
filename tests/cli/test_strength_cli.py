"""`journeyapp strength` on real caseload files, by a scripted harness: Hypothesis draws a
sequence of strengths and things in the way noted, corrected, removed and refused through the
real command; after each, what the window reads (caseload.journey) is what the command said,
a refused command leaves the folder as it was, and the journey log holds the same events,
field for field, as the window's use cases called as its forms call them on a second file."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeyapp.caseload import Caseload
from journeyapp.cli import cli
from journeyapp.core.enums import StrengthOrBarrier, Voice
from tests.cli.record_harness import NAME, Files, Held, caseload_at, drive, events, made_id, pid_of
from tests.cli.refusals import folder_state, refused
from tests.cli.test_goals_cli import LABELS, PADDED, SOME_WORDS, VOICES, typed_key
from tests.held_words import written_elsewhere

SETTINGS = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
AREAS = ["confidence", "wellbeing", "friends_support", "money", "ready_for_work"]
KINDS = list(StrengthOrBarrier)
FIELDS = ("kind", "words", "area", "voice")


def command(path: Path, *args: str) -> Result:
    """`journeyapp strength Siob --db FILE ARGS…`."""
    return CliRunner().invoke(cli, ["strength", "Siob", "--db", str(path), *args])


def held_now(caseload: Caseload) -> dict[str, dict[str, Any]]:
    """What the window reads of the parent's strengths and things in the way."""
    journey = caseload.journey(pid_of(caseload))
    return {s.id: {n: getattr(s, n) for n in FIELDS} for s in journey.strengths}


def check(files: Files, result: Result) -> None:
    """After a command that did what it was asked: the window's model holds what the command
    said, the listing names each by its id with strengths first, and both journey logs agree."""
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    with caseload_at(files.a) as a:
        assert held_now(a) == {h.a: h.fields for h in files.held}
        assert events(a, pid_of(a)) == events(files.b, files.pid_b)
    lines = result.stdout.splitlines()
    if not files.held:
        assert lines[-1] == f"No strengths or things in the way noted for {NAME}."
        return
    at = lines.index("Strengths:")
    way = lines.index("Things in the way:")
    for h in files.held:  # each under its heading: strengths first
        [row] = [n for n, line in enumerate(lines) if line.startswith(f"  {h.a}  ")]
        assert (at < row < way) == (h.fields["kind"] is StrengthOrBarrier.STRENGTH)
        assert row > at


def check_refused(files: Files, args: list[str], words: str) -> None:
    before = folder_state(files.a.parent)
    refused(command(files.a, *args), words)
    assert folder_state(files.a.parent) == before


def note(files: Files, draw: st.DrawFn) -> None:
    words = draw(PADDED)
    kind = draw(st.sampled_from(KINDS))
    area = draw(st.sampled_from(["", *AREAS]))
    voice = draw(st.none() | st.sampled_from(VOICES))
    args = ["--log", "--words", words]
    if kind is StrengthOrBarrier.BARRIER:
        args.append("--in-the-way")
    elif draw(st.booleans()):
        args.append("--strength")
    if area or draw(st.booleans()):
        args += ["--area", typed_key(draw, LABELS, area)]
    if voice is not None:
        args += ["--chosen-by", voice]
    result = command(files.a, *args)
    # The window's Add a strength… / Add something in the way… (StrengthDialog.save).
    kept = Voice(voice or Voice.PARENT)
    b = files.b.add_strength(files.pid_b, words.strip(), kind=kind, area=area, voice=kept)
    fields = {"kind": kind, "words": words.strip(), "area": area, "voice": kept}
    files.held.append(Held(made_id(result), b.id, fields))
    check(files, result)


def correct(files: Files, draw: st.DrawFn) -> None:
    held = draw(st.sampled_from(files.held))
    args = ["--id", held.a[: draw(st.integers(6, 36))]]
    changes: dict[str, Any] = {}
    if draw(st.booleans()):
        words = draw(PADDED)
        args += ["--words", words]
        changes["words"] = words.strip()
    if draw(st.booleans()):
        area = draw(st.sampled_from(["", *AREAS]))
        args += ["--area", typed_key(draw, LABELS, area)]
        changes["area"] = area
    if draw(st.booleans()):
        voice = draw(st.sampled_from(VOICES))
        args += ["--chosen-by", voice]
        changes["voice"] = Voice(voice)
    if draw(st.booleans()):
        kind = draw(st.sampled_from(KINDS))
        args.append("--strength" if kind is StrengthOrBarrier.STRENGTH else "--in-the-way")
        changes["kind"] = kind
    if not changes:
        check_refused(files, args, "Say what to correct")
        return
    result = command(files.a, *args)
    # The window's Change a strength (every box as it is, or as typed; the same use case).
    files.b.update_record("strengths", held.b, **(held.fields | changes))
    held.fields.update(changes)
    check(files, result)
    assert result.stdout.startswith("Corrected the ")


def remove(files: Files, draw: st.DrawFn) -> None:
    held = draw(st.sampled_from(files.held))
    result = command(files.a, "--id", held.a[:8], "--remove")
    files.b.delete_record("strengths", held.b)
    files.held.remove(held)
    check(files, result)
    what = "strength" if held.fields["kind"] is StrengthOrBarrier.STRENGTH else "thing in the way"
    # In the window's words (describe: spaces run together, a long one cut short), any
    # character that is not printable shown as its escape.
    assert result.stdout.startswith(f"Removed the {what} “")


def mistype(files: Files, draw: st.DrawFn) -> None:
    cases: list[tuple[list[str], str]] = [
        (["--log"], "Say what it is, in their words"),
        (["--log", "--words", "   "], "cannot be left empty"),
        (
            ["--log", "--words", "x" * 20_001],
            "What was said (--words) is too long: 20,001 characters, at most 20,000",
        ),
        (["--log", "--words", "x", "--area", "Flying"], "confidence (Confidence)"),
        (["--id", "zzzzzzzz", "--words", "x"], "No strength or thing in the way of Siobhán's"),
        (["--id", "", "--words", "x"], "No id was given"),
        (["--words", "x"], "Say what to do"),
        (["--remove"], "--remove needs"),
    ]
    if files.held:
        some = draw(st.sampled_from(files.held)).a
        cases += [
            (["--id", some, "--remove", "--words", "x"], "does not go with --remove"),
            (["--log", "--id", some], "not both"),
            (["--id", some, "--words", " "], "cannot be left empty"),
        ]
    args, words = draw(st.sampled_from(cases))
    check_refused(files, args, words)


DOINGS = {"note": (note, False), "correct": (correct, True), "remove": (remove, True)}
DOINGS["mistype"] = (mistype, False)


@SETTINGS
@given(data=st.data())
def test_strengths_by_command_are_the_windows(tmp_path: Path, data: st.DataObject) -> None:
    drive(tmp_path, data, DOINGS)


def test_the_listing_shows_strengths_first_in_their_words_as_typed(tmp_path: Path) -> None:
    path = tmp_path / "caseload.db"
    with caseload_at(path) as c:
        pid = pid_of(c)
        # Noted first, but listed after every strength.
        way = c.add_strength(pid, "Buses are hard", kind=StrengthOrBarrier.BARRIER)
        # Merged from a laptop that kept a pasted escape: shown harmless.
        written_elsewhere(c, "strengths", way.id, words="Buses are \x1b[31mhard")
        good = c.add_strength(pid, "Good with people", area="confidence", voice=Voice.TOGETHER)
    listed = command(path)
    assert listed.exit_code == 0, listed.output
    assert listed.stdout.splitlines() == [
        "Strengths:",
        f"  {good.id}  'Good with people' (agreed together), Confidence",
        "Things in the way:",
        f"  {way.id}  'Buses are \\x1b[31mhard' (in their words)",
    ]
    with caseload_at(path) as c:
        c.delete_record("strengths", good.id)
    assert command(path).stdout.splitlines()[:2] == ["Strengths:", "  No strengths noted yet."]


@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    words=PADDED,
    kind=st.sampled_from(KINDS),
    area=st.sampled_from(["", *AREAS]),
    voice=st.sampled_from(VOICES),
    again=SOME_WORDS,
)
def test_what_the_windows_form_saves_the_command_saves_alike(
    qtbot: Any,
    tmp_path: Path,
    words: str,
    kind: StrengthOrBarrier,
    area: str,
    voice: str,
    again: str,
) -> None:
    """Add a strength… (or something in the way…) and its Change, filled in and saved in the
    real dialog on one file; the same on the command line on another: the same records and the
    same journey-log events."""
    from journeyapp.core.records import StrengthBarrier
    from journeyapp.ui.widgets.forms import select_key
    from journeyapp.ui.workspace.strengths import StrengthDialog

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
        form = StrengthDialog(c, pid, kind, NAME)
        form.words.setText(words)
        select_key(form.area, area)
        select_key(form.voice, voice)
        made = saved(form)
        assert isinstance(made, StrengthBarrier)
        form = StrengthDialog(c, pid, kind, NAME, existing=made)
        form.words.setText(again)
        saved(form)

    with caseload_at(there):
        pass
    way = ["--strength"] if kind is StrengthOrBarrier.STRENGTH else ["--in-the-way"]
    argv = ["--log", "--words", words, *way, "--area", area, "--chosen-by", voice]
    made_id_there = made_id(command(there, *argv))
    assert command(there, "--id", made_id_there[:6], "--words", again).exit_code == 0

    with caseload_at(here) as a, caseload_at(there) as b:
        assert list(held_now(a).values()) == list(held_now(b).values())
        assert events(a, pid_of(a)) == events(b, pid_of(b))
