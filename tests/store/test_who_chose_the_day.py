"""Who chose a break's day to get in touch again, kept apart from whose words its reason is
(m019): a caseload as a version before it left it is upgraded (a verified copy first) with each
break that has a day taking the break's voice, so every plan printed from it says what it said;
nothing else changes, and the journey log is read back as it was written."""

from __future__ import annotations

import io
import re
import sqlite3
from datetime import timedelta
from pathlib import Path

from pypdf import PdfReader

from journeyapp.caseload import Caseload
from journeyapp.core.documents import build_action_plan
from journeyapp.core.enums import Voice
from journeyapp.plans.documents import pdf_with_pages
from tests.clock import ticking_clock
from tests.conftest import TODAY
from tests.store.migrating import fixed_clock, upgrade_copies, user_tables

M019 = "m019_who_chose_the_day"
CHOSEN = {
    Voice.PARENT: "You chose this day.",
    Voice.TOGETHER: "We chose this day together.",
    Voice.KEYWORKER: "Your keyworker chose this day.",
}


def _as_before_m019(path: Path) -> None:
    """The file as a version without m019 left it: no column for who chose the day."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("ALTER TABLE pauses DROP COLUMN follow_up_chosen_by")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = ?", [M019])
        conn.commit()
    finally:
        conn.close()


def _plan_text(caseload: Caseload, pid: str) -> str:
    plan = build_action_plan(caseload.journey(pid), caseload.catalogue, caseload.today())
    data, _ = pdf_with_pages([plan], False)
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))


def test_each_break_with_a_day_takes_its_voice_and_its_plan_prints_the_same(
    tmp_path: Path,
) -> None:
    path = tmp_path / "caseload.db"
    c = Caseload.open(path, create=True, plain=True, clock=ticking_clock(TODAY))
    breaks: dict[str, tuple[str, Voice, bool]] = {}
    for name, voice, with_day in (
        ("Ada", Voice.PARENT, True),
        ("Bea", Voice.TOGETHER, True),
        ("Cal", Voice.KEYWORKER, True),
        ("Dot", Voice.KEYWORKER, False),
    ):
        pid = c.enrol_participant(name, "fife", joined_on=TODAY - timedelta(days=60)).id
        pause = c.pause(
            pid,
            on=TODAY - timedelta(days=5),
            reason="moving house",
            voice=voice,
            follow_up_on=TODAY + timedelta(days=20) if with_day else None,
        )
        breaks[pause.id] = (pid, voice, with_day)
    c.close()
    _as_before_m019(path)
    before = user_tables(path)

    caseload = Caseload.open(path, clock=fixed_clock)  # migrates, a verified copy first
    try:
        assert M019 in caseload.schema_version()
        assert caseload.safety.problems() == []
        for pause_id, (pid, voice, with_day) in breaks.items():
            [pause] = caseload.journey(pid).pauses
            assert pause.id == pause_id
            assert pause.voice is voice
            assert pause.follow_up_chosen_by is (voice if with_day else None)
            text = _plan_text(caseload, pid)
            for who, sentence in CHOSEN.items():
                assert (sentence in text) == (with_day and who is voice), (sentence, text)
    finally:
        caseload.close()

    [copy] = upgrade_copies(path)
    assert copy.name.startswith(f"{path.name}.before-{M019}")
    assert user_tables(copy) == before
    after = user_tables(path)
    assert after.keys() == before.keys()
    # Every table as it was (the journey log too: the migration records no one's edit), the
    # breaks' rows with the new column at their end.
    for name in before.keys() - {"pauses"}:
        assert after[name] == before[name], name
    chosen = {row[0]: row[-1] for row in after["pauses"]}
    assert sorted(row[:-1] for row in after["pauses"]) == sorted(before["pauses"])
    assert chosen == {
        pause_id: (voice.value if with_day else None)
        for pause_id, (_, voice, with_day) in breaks.items()
    }
