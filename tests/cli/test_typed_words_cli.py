"""Words given to a record command's option are kept by the one rule for typed words
(core.typed), as the window's forms keep them: too long, or holding a control character or a
direction override, they are refused in one line that names the field as the form does and
the option that gave them ("The contact's note (--note) is too long: …"), and nothing is
written. Real caseload file, the real command."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from journeyapp.cli import cli
from journeyapp.core.validation import MAX_NAME, MAX_TEXT
from tests.cli.record_harness import caseload_at
from tests.clock import real_days_ago

# Each record command with one of its text options given {}, and the field's name.
GIVES_TEXT = {
    "contact --note": (["contact", "Siob", "--log", "--note", "{}"], "The contact's note"),
    "contact --venue": (["contact", "Siob", "--log", "--venue", "{}"], "The venue"),
    "contact --next-step": (["contact", "Siob", "--log", "--next-step", "{}"], "The next step"),
    "strength --words": (["strength", "Siob", "--log", "--words", "{}"], "What was said"),
    "goal --words": (["goal", "Siob", "--log", "--words", "{}"], "The goal, in their words,"),
    "goal --by-when": (
        ["goal", "Siob", "--log", "--words", "Drive", "--by-when", "{}"],
        "When they want it by",
    ),
    "referral --organisation": (
        ["referral", "Siob", "--log", "--organisation", "{}"],
        "Who the referral is to",
    ),
    "referral --reason": (
        ["referral", "Siob", "--log", "--organisation", "CAB", "--reason", "{}"],
        "The reason for the referral",
    ),
    "feedback --said": (["feedback", "Siob", "--log", "--said", "{}"], "What was said"),
    "milestone --note": (
        ["milestone", "Siob", "--log", "--type", "agreed my plan", "--note", "{}"],
        "The note on the milestone",
    ),
    "meeting --place": (
        ["meeting", "Siob", "--log", "--on", "{soon}", "--place", "{}"],
        "The place",
    ),
    "pace --reason": (
        ["pace", "Siob", "--set", "gently", "--check-in", "weekly", "--reason", "{}"],
        "The reason for the pace",
    ),
    "choice --reason": (
        ["choice", "Siob", "--service", "volunteering", "--decision", "chosen", "--reason", "{}"],
        "The reason for the choice",
    ),
    "break --reason": (["break", "Siob", "--take", "--reason", "{}"], "The reason for the break"),
    "stage --note": (
        ["stage", "Siob", "--to", "Building confidence", "--note", "{}"],
        "The note on the stage",
    ),
    "group --venue": (
        ["group", "--log", "--activity", "Confidence group", "--venue", "{}"],
        "The venue",
    ),
}


def _run(path: Path, argv: list[str], text: str) -> tuple[int, str]:
    soon = real_days_ago(-3).isoformat()
    argv = [a.replace("{soon}", soon).replace("{}", text) for a in argv]
    done = CliRunner().invoke(cli, [*argv, "--db", str(path)])
    return done.exit_code, done.output


def _option(argv: list[str]) -> str:
    return argv[argv.index("{}") - 1]


@pytest.mark.parametrize(("argv", "label"), GIVES_TEXT.values(), ids=GIVES_TEXT.keys())
def test_words_too_long_are_refused_naming_the_field_and_the_option(
    tmp_path: Path, argv: list[str], label: str
) -> None:
    path = tmp_path / "caseload.db"
    with caseload_at(path):
        pass
    before = path.read_bytes()
    code, said = _run(path, argv, "x" * (MAX_TEXT + 1))
    assert code == 1, said
    assert (
        f"Error: {label} ({_option(argv)}) is too long: {MAX_TEXT + 1:,} characters, at most "
        in (said)
    )
    assert " — shorten it" in said
    assert path.read_bytes() == before


@pytest.mark.parametrize(("argv", "label"), GIVES_TEXT.values(), ids=GIVES_TEXT.keys())
def test_a_control_character_is_refused_naming_the_field_and_the_option(
    tmp_path: Path, argv: list[str], label: str
) -> None:
    path = tmp_path / "caseload.db"
    with caseload_at(path):
        pass
    before = path.read_bytes()
    code, said = _run(path, argv, "line\x07\x1b[31m red")
    assert code == 1, said
    assert f"Error: {label} ({_option(argv)}) holds a control character (U+0007) after “line”" in (
        said
    )
    assert "\x1b" not in said
    assert path.read_bytes() == before


def test_a_name_too_long_names_the_option(tmp_path: Path) -> None:
    path = tmp_path / "caseload.db"
    with caseload_at(path):
        pass
    code, said = _run(path, ["parent", "Siob", "--full-name", "{}"], "A" * (MAX_NAME + 1))
    assert code == 1, said
    assert f"The full name (--full-name) is too long: {MAX_NAME + 1} characters" in said


def test_a_line_break_or_a_tab_in_a_one_line_option_is_kept_as_a_space(tmp_path: Path) -> None:
    """As the window's one-line boxes show one pasted into them (before, a phone number with a
    tab was refused on the command line and kept with it from the window)."""
    path = tmp_path / "caseload.db"
    with caseload_at(path):
        pass
    code, said = _run(
        path, ["parent", "Siob", "--phone", "{}", "--full-name", "Ann\r\nBo"], "0770\t0900"
    )
    assert code == 0, said
    with caseload_at(path) as c:
        [person] = c.participants()
        assert (person.phone, person.full_name) == ("0770 0900", "Ann Bo")
