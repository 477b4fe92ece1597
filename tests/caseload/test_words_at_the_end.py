"""The parent's own words as their journey ends: what they want said about where they are going,
or why they are stopping, recorded as theirs (or marked as agreed together, or a keyworker's
note), from the window's "Moved on or closed" form and from `journeyapp journey --words`.

Invariants: the words are kept as written with whose they are, found by the one search, listed
in "What we hold about you" and printed on the plan once the journey has ended, in the plan's
language, never put in the parent's mouth when they are not theirs; a journey ending now takes
only the words given (words from an earlier ending stay in the journey log); correcting an
ending keeps the words unless new ones are given; a refusal changes nothing; a laptop's bundle
carries them to the coordinator, and a bundle from a laptop without them (before m022) merges
with none.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.cli import cli
from journeyapp.core.enums import Destination, ParticipantStatus, Voice
from journeyapp.core.errors import ValidationError
from journeyapp.ui.dialogs.journey_end import EndJourneyDialog
from journeyapp.ui.widgets.forms import select_key
from tests.caseload.test_journey_ends import _enrol, _state, bundle_into
from tests.clock import past_on_both, ticking_clock
from tests.conftest import TODAY
from tests.plans.test_plan_on_a_break import Printed, words
from tests.store.migrating import upgrade_copies, user_tables
from tests.ui.shell_helpers import make_window, with_modal

S = ParticipantStatus
SAID = "I start at the library on Monday. Thank you for everything."
M022 = "m022_their_words_at_the_end"


def _plan(caseload: Caseload, pid: str, language: str = "en") -> Printed:
    from journeyapp.core.documents import build_action_plan
    from journeyapp.plans.documents import pdf_with_pages

    plan = build_action_plan(
        caseload.journey(pid), caseload.catalogue, caseload.today(), words=words(language)
    )
    return Printed.of(pdf_with_pages([plan], False)[0])


def _held(caseload: Caseload, pid: str) -> Printed:
    from journeyapp.core.documents import build_document
    from journeyapp.plans.documents import pdf_with_pages

    held = build_document(
        caseload.journey(pid),
        caseload.catalogue,
        caseload.today(),
        what_we_hold=True,
        words=words("en"),
    )
    return Printed.of(pdf_with_pages([held], False)[0])


def test_the_words_are_kept_as_theirs_found_and_kept_or_cleared_as_the_journey_goes(
    caseload: Caseload,
) -> None:
    pid = _enrol(caseload)
    ended = caseload.end_journey(
        pid, S.MOVED_ON, destination=Destination.WORK, words=f"  {SAID}\n", voice=Voice.PARENT
    )
    assert (ended.ending_words, ended.ending_voice) == (SAID, Voice.PARENT)
    assert caseload.undo_description == "record moved on"
    # The one search finds the parent by their words (the text written about each parent).
    found = caseload.search_everything("the library on mon", names=False)
    assert [(h.participant_id, h.field) for h in found] == [(pid, "ending_words")]
    # The same ending said again with the same words changes nothing, and says so.
    before = _state(caseload, pid)
    with pytest.raises(ValidationError) as refused:
        caseload.end_journey(pid, S.MOVED_ON, words=SAID)
    assert "Nothing was changed." in refused.value.message
    assert _state(caseload, pid) == before
    # Correcting the ending (another day) keeps the words; whose they are can be corrected.
    caseload.end_journey(pid, S.MOVED_ON, on=TODAY - timedelta(days=1))
    assert caseload.participant(pid).ending_words == SAID
    caseload.end_journey(pid, S.MOVED_ON, voice=Voice.TOGETHER)
    assert caseload.participant(pid).ending_voice is Voice.TOGETHER
    # Welcomed back, they keep them (what we hold lists them); an ending now takes only the
    # words it is given: the earlier ones were about that ending.
    caseload.reopen_journey(pid)
    assert caseload.participant(pid).ending_words == SAID
    again = caseload.end_journey(pid, S.CLOSED)
    assert (again.ending_words, again.ending_voice) == ("", Voice.PARENT)
    assert caseload.search_everything("the library on mon", names=False) == []
    caseload.undo()
    assert caseload.participant(pid).ending_words == SAID


def test_the_command_line_records_and_shows_them_or_refuses_in_one_line(
    caseload: Caseload, db_path: Path
) -> None:
    pid = _enrol(caseload)
    before = _state(caseload, pid)
    caseload.close()

    def run(*args: str) -> tuple[int, str]:
        result = CliRunner().invoke(cli, ["journey", "Noor", "--db", str(db_path), *args])
        assert "Traceback" not in result.output
        return result.exit_code, result.output

    for args, why in (
        (["--words", SAID], "give them with --moved-on or --closed"),
        (["--welcome-back", "--words", SAID], "give them with --moved-on or --closed"),
        (["--moved-on", "--chosen-by", "parent"], "give the words too"),
        (["--moved-on", "--words", SAID, "--chosen-by", "someone"], "--chosen-by"),
    ):
        code, said = run(*args)
        errors = [line for line in said.splitlines() if line.startswith("Error")]
        assert code != 0, said
        assert len(errors) == 1, said
        assert why in errors[0], said
        again = Caseload.open(db_path)
        try:
            assert _state(again, pid) == before
        finally:
            again.close()
    code, said = run("--moved-on", "--words", SAID, "--chosen-by", "together")
    assert code == 0, said
    # Beside the ending in the journey day by day (the Journey tab's list says the same).
    assert f"Moved on — “{SAID}” (agreed together)" in said, said
    again = Caseload.open(db_path)
    try:
        held = again.participant(pid)
        assert (held.status, held.ending_words, held.ending_voice) == (
            S.MOVED_ON,
            SAID,
            Voice.TOGETHER,
        )
    finally:
        again.close()
    # Corrected: whose words (given again with them), then taken away with --words "".
    code, said = run("--moved-on", "--words", SAID, "--chosen-by", "parent")
    assert code == 0, said
    assert f"Moved on — “{SAID}”\n" in said, said
    code, said = run("--moved-on", "--words", "")
    assert code == 0, said
    assert SAID not in said
    again = Caseload.open(db_path)
    try:
        assert again.participant(pid).ending_words == ""
    finally:
        again.close()


def test_the_form_records_their_words_and_whose_they_are(qtbot: QtBot, caseload: Caseload) -> None:
    pid = _enrol(caseload)
    window = make_window(qtbot, caseload)
    window.panel.select(pid)
    window.open_participant(pid)

    def move_on(dialog: QDialog) -> None:
        assert isinstance(dialog, EndJourneyDialog)
        assert dialog.words.text() == ""  # a journey ending now starts with none
        assert dialog.form.labelForField(dialog.voice.parentWidget()) is not None
        dialog.words.setText(SAID)
        select_key(dialog.voice, Voice.KEYWORKER.value)
        assert dialog.draft_fields()["ending_words"] == SAID  # kept as a draft while typed
        dialog._try_save()

    with_modal(qtbot, window.journey_end_action.trigger, move_on)
    held = caseload.participant(pid)
    assert (held.status, held.ending_words, held.ending_voice) == (
        S.MOVED_ON,
        SAID,
        Voice.KEYWORKER,
    )
    # Opened again to correct the ending, it shows the words held and whose they are.
    dialog = EndJourneyDialog(caseload, pid)
    qtbot.addWidget(dialog)
    assert dialog.words.text() == SAID
    assert dialog.voice.currentData() == Voice.KEYWORKER.value
    dialog.words.setText("")
    dialog._try_save()
    assert caseload.participant(pid).ending_words == ""


@pytest.mark.parametrize(
    ("language", "voice", "sentence"),
    [
        ("en", Voice.PARENT, "About moving on, you said: “{w}” (in your words)"),
        ("en", Voice.TOGETHER, "About moving on, we noted together: {w}"),
        ("en", Voice.KEYWORKER, "About moving on, your keyworker noted: {w}"),
        ("pl", Voice.PARENT, "Twoje słowa o tym, co dalej:"),
        ("uk", Voice.TOGETHER, "Про те, що далі, ми записали разом:"),
    ],
)
def test_the_plan_prints_their_words_once_the_journey_has_ended(
    caseload: Caseload, language: str, voice: Voice, sentence: str
) -> None:
    pid = _enrol(caseload)
    caseload.end_journey(pid, S.MOVED_ON, words=SAID, voice=voice)
    printed = _plan(caseload, pid, language)
    assert sentence.format(w=SAID) in printed.flat, printed.flat
    assert SAID in printed.flat
    # Not theirs: not in quotation marks as if they said it.
    quoted = words(language)("“{words}”", words=SAID)  # the language's quotation marks
    assert (quoted in printed.flat) == (voice is Voice.PARENT)
    caseload.reopen_journey(pid)
    assert SAID not in _plan(caseload, pid, language).flat  # a journey going again


def test_the_arabic_plan_prints_them_in_its_own_framing(caseload: Caseload) -> None:
    pid = _enrol(caseload)
    caseload.end_journey(pid, S.CLOSED, words="Thank you all", voice=Voice.PARENT)
    printed = _plan(caseload, pid, "ar")
    frame = "قلت بشأن خطوتك القادمة"  # "You said, about your next step"
    assert any(frame in line or frame in line[::-1] for line in printed.lines), printed.lines
    assert "Thank you all" in printed.flat
    assert "About moving on" not in printed.flat


def test_what_we_hold_lists_them_with_whose_they_are(caseload: Caseload) -> None:
    pid = _enrol(caseload)
    caseload.end_journey(pid, S.CLOSED, words=SAID, voice=Voice.TOGETHER)
    text = _held(caseload, pid).flat
    assert f"About moving on: {SAID} We agreed this together." in text, text
    caseload.reopen_journey(pid)
    assert SAID in _held(caseload, pid).flat  # still held, so still listed


def test_a_bundle_carries_them_and_one_from_a_laptop_without_them_merges_with_none(
    caseload: Caseload, tmp_path: Path
) -> None:
    pid = _enrol(caseload)
    caseload.end_journey(pid, S.MOVED_ON, words=SAID, voice=Voice.TOGETHER)
    coordinator = bundle_into(caseload, tmp_path)
    try:
        held = coordinator.participant(pid)
        assert (held.ending_words, held.ending_voice) == (SAID, Voice.TOGETHER)
        found = coordinator.search_everything("library", names=False)
        assert [h.participant_id for h in found] == [pid]
        assert coordinator.safety.problems() == []
    finally:
        coordinator.close()
    # A laptop before m022: its events carry no such fields (taken out of this log).
    other = tmp_path / "older"
    other.mkdir()
    old = Caseload.open(other / "old.db", create=True, plain=True)
    old.clock = ticking_clock(TODAY)
    try:
        oid = old.enrol_participant("Ada", "fife", TODAY - timedelta(days=30)).id
        old.end_journey(oid, S.CLOSED)
        for event in old.events():
            assert "ending_words" not in event.fields or event.fields["ending_words"] == ""
        conn = old.db.conn
        for seq, fields in conn.execute("SELECT seq, fields FROM journey_log").fetchall():
            if isinstance(fields, str) and "ending_" in fields:
                kept = {k: v for k, v in json.loads(fields).items() if not k.startswith("ending_")}
                conn.execute(
                    "UPDATE journey_log SET fields = ? WHERE seq = ?", [json.dumps(kept), seq]
                )
        conn.commit()
        coordinator = bundle_into(old, other)
        try:
            held = coordinator.participant(oid)
            assert (held.status, held.ending_words, held.ending_voice) == (
                S.CLOSED,
                "",
                Voice.PARENT,
            )
            assert coordinator.safety.problems() == []
        finally:
            coordinator.close()
    finally:
        old.close()


def test_an_older_caseload_is_upgraded_with_no_words_and_everything_else_as_it_was(
    tmp_path: Path,
) -> None:
    path = tmp_path / "caseload.db"
    c = Caseload.open(path, create=True, plain=True, clock=ticking_clock(TODAY))
    pid = _enrol(c)
    c.add_goal(pid, "Get back into work")
    c.end_journey(pid, S.MOVED_ON)
    c.close()
    conn = sqlite3.connect(path)
    try:
        conn.execute("ALTER TABLE participants DROP COLUMN ending_words")
        conn.execute("ALTER TABLE participants DROP COLUMN ending_voice")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = ?", [M022])
        conn.commit()
    finally:
        conn.close()
    before = user_tables(path)
    caseload = Caseload.open(path, clock=ticking_clock(TODAY))  # migrates, a copy first
    try:
        assert M022 in caseload.schema_version()
        assert caseload.safety.problems() == []
        held = caseload.participant(pid)
        assert (held.ending_words, held.ending_voice) == ("", Voice.PARENT)
        caseload.end_journey(pid, S.MOVED_ON, words=SAID)
        assert caseload.participant(pid).ending_words == SAID
    finally:
        caseload.close()
    [copy] = upgrade_copies(path)
    assert copy.name.startswith(f"{path.name}.before-{M022}")
    assert user_tables(copy) == before


def test_erasing_the_parent_takes_their_words_away(caseload: Caseload, db_path: Path) -> None:
    pid = _enrol(caseload)
    caseload.end_journey(pid, S.MOVED_ON, words="Zanzibarian lighthouse keeper")
    assert caseload.search_everything("zanzibarian", names=False)
    caseload.safety.erase_participant(pid, "Noor")
    assert caseload.search_everything("zanzibarian", names=False) == []
    caseload.close()
    for file in db_path.parent.glob(f"{db_path.name}*"):
        assert b"Zanzibarian" not in file.read_bytes(), file


def test_the_command_line_day_is_not_needed(caseload: Caseload, db_path: Path) -> None:
    """--words with --closed on a journey ending now is dated today (the command's clock)."""
    pid = _enrol(caseload)
    caseload.close()
    result = CliRunner().invoke(
        cli, ["journey", "Noor", "--db", str(db_path), "--closed", "--words", SAID]
    )
    assert result.exit_code == 0, result.output
    again = Caseload.open(db_path)
    try:
        held = again.participant(pid)
        assert held.ending_words == SAID
        assert held.ended_on is not None
        assert held.ended_on >= past_on_both(TODAY)
    finally:
        again.close()


def test_words_that_look_like_markup_are_printed_as_written(caseload: Caseload) -> None:
    """The parent's words reach the PDF escaped: markup in them is printed, never obeyed."""
    from tests.journeys import HOSTILE, HOSTILE_PARTS

    pid = _enrol(caseload)
    caseload.end_journey(pid, S.MOVED_ON, words=HOSTILE)
    printed = _plan(caseload, pid)
    for part in HOSTILE_PARTS:
        assert part in printed.flat, part
