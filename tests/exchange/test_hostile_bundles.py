"""Hostile or broken bundles: each attack is refused (or held for a decision), nothing is
written, and the command line says one line, never a traceback."""

from __future__ import annotations

import dataclasses
import json
import re
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3.dbapi2 as sqlcipher
from click.testing import CliRunner

from journeyapp.caseload import Caseload
from journeyapp.cli import cli
from journeyapp.core.records import EVENT_COLUMNS, Event
from journeyapp.exchange.bundle import merge_bundle, merge_bundles
from journeyapp.store import merge_checks
from journeyapp.store.bundle_file import FORMAT, VERSION
from tests.clock import real_days_ago, real_today
from tests.exchange.conftest import PASSPHRASE
from tests.exchange.test_merge import bundle

Laptop = Callable[..., Caseload]
# When the forged events say they were written (on the attacker's laptop clock).
WRITTEN = datetime(2026, 11, 20, 10, tzinfo=UTC)
# A day in the future for both clocks whenever the suite runs (it must pass at any date, under
# faketime too): after the real today and after the day the events were written, as a merge
# takes a day valid on the laptop that wrote it (a fixed year becomes the past one day).
FUTURE = (max(real_today(), WRITTEN.date()) + timedelta(days=3 * 365)).isoformat()


def forge(path: Path, events: list[Event], device: str = "attacker") -> Path:
    """A bundle as anyone who knows the passphrase could make one (same format, any events)."""
    conn = sqlcipher.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA key = '" + PASSPHRASE + "'")
    conn.execute("BEGIN")
    conn.execute("CREATE TABLE bundle_info (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    conn.execute(
        "CREATE TABLE events (seq INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, "
        "at TEXT NOT NULL, device_id TEXT NOT NULL, actor TEXT NOT NULL, participant_id TEXT, "
        "kind TEXT NOT NULL, record_id TEXT NOT NULL, action TEXT NOT NULL, "
        "fields TEXT NOT NULL, txn TEXT NOT NULL)"
    )
    info = {"format": FORMAT, "version": VERSION, "device_id": device, "events": str(len(events))}
    conn.executemany("INSERT INTO bundle_info VALUES (?, ?)", list(info.items()))
    conn.executemany(
        f"INSERT INTO events({', '.join(EVENT_COLUMNS)}) VALUES ({', '.join('?' * 10)})",
        [
            (*(getattr(e, c) for c in EVENT_COLUMNS[:-2]), json.dumps(e.fields), e.txn)
            for e in events
        ],
    )
    conn.execute("COMMIT")
    conn.close()
    return path


def event(pid: str | None, kind: str, rid: str, action: str, fields: dict[str, Any]) -> Event:
    return Event(
        str(uuid.uuid4()),
        WRITTEN.isoformat().replace("+00:00", "Z"),
        "attacker",
        "mallory",
        pid,
        kind,
        rid,
        action,
        fields,
    )


def state(c: Caseload) -> tuple[dict[str, int], list[Event], int]:
    """Everything a refused merge must leave as it was."""
    return c.counts(), c.events(), len(c.exchange.decisions(open_only=False))


@pytest.fixture
def coordinator(laptop: Laptop, tmp_path: Path) -> tuple[Caseload, Caseload]:
    """A keyworker's laptop with three parents, merged into the coordinator's caseload."""
    a, coord = laptop("a", 3, seed=11), laptop("coord")
    coord.exchange.enrol_device(a.device_id, "Aileen's laptop")
    merge_bundle(coord, bundle(a, tmp_path), PASSPHRASE)
    return a, coord


def run_merge(coord: Caseload, *files: Path) -> Any:
    secret = coord.path.parent / "bundle-pass.txt"  # type: ignore[union-attr]
    secret.write_text(PASSPHRASE)
    return CliRunner().invoke(
        cli,
        [
            "merge",
            "--db",
            str(coord.path),
            *map(str, files),
            "--bundle-passphrase-file",
            str(secret),
        ],
    )


def refused(coord: Caseload, path: Path, match: str) -> None:
    """The bundle is refused whole with a one-line message and nothing changes."""
    before = state(coord)
    result = run_merge(coord, path)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    # (an unencrypted test caseload may get a warning line first; the refusal is one line)
    [message] = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert "nothing was merged" in message.lower() or "no bundle was merged" in message.lower()
    assert re.search(match, message), message
    assert state(coord) == before
    assert coord.safety.problems() == []


def test_an_erasure_from_an_unknown_device_waits_for_a_decision(
    coordinator: tuple[Caseload, Caseload], tmp_path: Path
) -> None:
    _a, coord = coordinator
    victim = coord.participants()[0]
    attack = forge(
        tmp_path / "erase.jlb", [event(victim.id, "participants", victim.id, "erase", {})]
    )
    result = merge_bundle(coord, attack, PASSPHRASE)
    assert result.erased == 0
    assert result.new_decisions == 1
    assert coord.participant(victim.id) == victim  # still here
    assert not coord.safety.is_erased(victim.id)
    [waiting] = coord.exchange.decisions()
    assert waiting.field == "_erase"
    assert waiting.incoming.device_id == "attacker"
    # Merging it again asks once only; keeping the parent closes it; nothing travels on.
    assert merge_bundle(coord, attack, PASSPHRASE).new_decisions == 0
    coord.exchange.resolve_decision(waiting.id, "here")
    assert coord.exchange.decisions() == []
    assert all(e.action != "erase" for e in coord.events())
    lines = CliRunner().invoke(cli, ["decisions", "--db", str(coord.path)])
    assert lines.exit_code == 0


def test_agreeing_to_an_unknown_devices_erasure_erases_here(
    coordinator: tuple[Caseload, Caseload], tmp_path: Path
) -> None:
    _a, coord = coordinator
    victim = coord.participants()[1]
    attack = forge(
        tmp_path / "erase.jlb", [event(victim.id, "participants", victim.id, "erase", {})]
    )
    merge_bundle(coord, attack, PASSPHRASE)
    listed = CliRunner().invoke(cli, ["decisions", "--db", str(coord.path)])
    assert victim.preferred_name in listed.output
    assert "erase this parent" in listed.output
    [waiting] = coord.exchange.decisions()
    coord.exchange.resolve_decision(waiting.id, "incoming")
    assert coord.safety.is_erased(victim.id)
    assert coord.events(victim.id)[-1].device_id == coord.device_id


def test_moving_a_contact_to_another_parent_is_refused(
    coordinator: tuple[Caseload, Caseload], tmp_path: Path
) -> None:
    _a, coord = coordinator
    contact = next(e for e in coord.events() if e.kind == "contacts" and e.action == "create")
    other = next(p.id for p in coord.participants() if p.id != contact.participant_id)
    by_field = forge(
        tmp_path / "move1.jlb",
        [
            event(
                contact.participant_id,
                "contacts",
                contact.record_id,
                "update",
                {"participant_id": other},
            )
        ],
    )
    refused(coord, by_field, r"Event 1 .*moves a record to another parent")
    by_event = forge(
        tmp_path / "move2.jlb",
        [event(other, "contacts", contact.record_id, "update", {"note": "now about someone else"})],
    )
    refused(coord, by_event, r"Event 1 .*moves a record to another parent")


@pytest.mark.parametrize(
    ("fields", "match"),
    [
        ({"minutes": 10**12}, "minutes that is not a sensible whole number"),
        ({"minutes": -30}, "Event 2 .*refuses"),
        ({"on": "2026-13-45"}, "on '2026-13-45' that is not a date"),
        ({"on": FUTURE}, "Event 2 .*in the future"),
        # A kind another laptop's catalogue may list is kept (tests/exchange/
        # test_merge_catalogues.py); one not written as a key is refused.
        ({"kind": "Teleport now!"}, "Event 2 .*refuses"),
        ({"kind": "x" * 5_000}, "Event 2 .*refuses"),
        ({"childcare_needed": "maybe"}, "neither yes nor no"),
        ({"note": "x" * 25_000}, "note of 25,000 characters"),
        ({"note": "x" * 1_000_000}, "longer than 100,000 characters"),
        ({"mood": "blue"}, "field 'mood'"),
        ({"note": {"not": "text"}}, "note that is not text"),
    ],
)
def test_out_of_range_or_damaged_values_are_refused_naming_the_event(
    coordinator: tuple[Caseload, Caseload],
    tmp_path: Path,
    fields: dict[str, Any],
    match: str,
) -> None:
    _a, coord = coordinator
    pid = coord.participants()[0].id
    cid = str(uuid.uuid4())
    good = {
        "participant_id": pid,
        "on": real_days_ago(27).isoformat(),  # merged by the command, run for real
        "kind": "one_to_one",
        "venue": "Library",
        "minutes": 30,
        "note": "",
        "next_step": "",
        "childcare_needed": 0,
        "childcare_arranged": 0,
        "group_session_id": None,
    }
    first = event(pid, "contacts", str(uuid.uuid4()), "create", {**good})
    bad = event(pid, "contacts", cid, "create", {**good, **fields})
    refused(coord, forge(tmp_path / "bad.jlb", [first, bad]), match)


def test_scores_out_of_range_and_unknown_kinds_are_refused(
    coordinator: tuple[Caseload, Caseload], tmp_path: Path
) -> None:
    _a, coord = coordinator
    pid = coord.participants()[0].id
    scores = event(
        pid,
        "assessments",
        str(uuid.uuid4()),
        "create",
        {
            "participant_id": pid,
            "taken_on": real_days_ago(27).isoformat(),
            "scores": json.dumps({"confidence": 99}),
        },
    )
    refused(coord, forge(tmp_path / "scores.jlb", [scores]), "not scores from 1 to 10")
    junk = [event(None, "junk", str(n), "create", {"x": n}) for n in range(20_000)]
    refused(coord, forge(tmp_path / "junk.jlb", junk), "Event 1 .*'junk', which is not a kind")


def test_too_many_events_are_refused_before_reading_them(
    coordinator: tuple[Caseload, Caseload], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, coord = coordinator
    import journeyapp.store.bundle_file as bundle_module  # the file format lives in store

    monkeypatch.setattr(bundle_module, "MAX_EVENTS", 10)
    refused(coord, bundle(a, tmp_path), "the most one merge takes is 10")


def test_several_bundles_merge_all_or_nothing(
    laptop: Laptop, coordinator: tuple[Caseload, Caseload], tmp_path: Path
) -> None:
    a, coord = coordinator
    b = laptop("b", 2, seed=12)
    a.enrol_participant("Newly met", "fife", joined_on=date(2026, 11, 2))
    good_a, good_b = bundle(a, tmp_path), bundle(b, tmp_path)
    pid = coord.participants()[0].id
    bad = forge(
        tmp_path / "bad.jlb", [event(pid, "participants", pid, "update", {"status": "gone"})]
    )
    before = state(coord)
    result = run_merge(coord, good_a, good_b, bad)
    assert result.exit_code == 1
    assert "bad.jlb" in result.output or "Event 1" in result.output
    assert state(coord) == before
    merged = merge_bundles(coord, [good_a, good_b], PASSPHRASE)
    assert merged.applied > 0
    assert coord.counts()["participants"] == 3 + 1 + 2


def test_a_refused_merge_leaves_report_export_and_check_working(
    coordinator: tuple[Caseload, Caseload], tmp_path: Path
) -> None:
    _a, coord = coordinator
    pid = coord.participants()[0].id
    bad = forge(
        tmp_path / "bad.jlb",
        [event(pid, "participants", pid, "update", {"joined_on": "not a date"})],
    )
    refused(coord, bad, "joined on 'not a date' that is not a date")
    runner = CliRunner()
    for args in (
        ["check", "--db", str(coord.path)],
        ["report", "--db", str(coord.path)],
        ["export", "--db", str(coord.path), "--format", "csv", "--out", str(tmp_path / "out")],
    ):
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, (args, result.output)


def test_events_are_checked_before_anything_is_read_into_the_log() -> None:
    """The checks on their own: every refusal names its event and says nothing was merged."""
    ok = event("p", "participants", "p", "erase", {})
    wrong = dataclasses.replace(ok, record_id="q")
    with pytest.raises(merge_checks.MergeRefused, match=r"Event 2 .*erases something other") as no:
        merge_checks.check_events([ok, wrong])
    # Who to ask: a bundle can reach a coordinator through another coordinator (a relay).
    assert "Ask whoever sent it (its keyworker, or the coordinator who passed it on)" in str(
        no.value
    )
