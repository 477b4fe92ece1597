"""Erasure leaves no trace of a parent in the file; tombstone + ERASE event remain; retention."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeyapp.caseload import Caseload
from journeyapp.core.enums import Action, ParticipantStatus
from journeyapp.core.errors import ValidationError

CANARY = "Zyxwoqcanary"


def _bytes_of(path: Path) -> bytes:
    data = b""
    for suffix in ("", "-wal", "-shm", "-journal"):
        file = Path(str(path) + suffix)
        if file.exists():
            data += file.read_bytes()
    return data


def _hits(data: bytes, canary: str = CANARY) -> list[str]:
    forms = {
        "utf-8": canary.encode(),
        "utf-8 lower": canary.lower().encode(),
        "utf-16-le": canary.encode("utf-16-le"),
        "utf-16-le lower": canary.lower().encode("utf-16-le"),
    }
    return [name for name, form in forms.items() if form in data]


def _enrol_canary(caseload: Caseload) -> str:
    parent = caseload.enrol_participant(
        CANARY,
        "fife",
        full_name=f"{CANARY} Smith",
        phone="07700 900123",
        notes=f"{CANARY} likes mornings",
    )
    caseload.update_participant(parent.id, address=f"1 {CANARY} Road")
    caseload.log_contact(parent.id, note=f"Talked with {CANARY} about college", venue="Library")
    caseload.add_child(parent.id, birth_year=2020, childcare_needs=f"{CANARY}'s nursery")
    return parent.id


def test_erasure_leaves_no_canary_in_an_unencrypted_file(caseload: Caseload, db_path: Path) -> None:
    others = [caseload.enrol_participant(f"Other {i}", "fife").id for i in range(5)]
    pid = _enrol_canary(caseload)
    caseload.safety.checkpoint()
    assert _hits(_bytes_of(db_path)), "the test must see the canary before erasure"

    caseload.safety.erase_participant(pid, CANARY.lower())

    assert _hits(_bytes_of(db_path)) == []
    assert caseload.safety.is_erased(pid)
    assert [p.id for p in caseload.participants()] == sorted(
        others, key=lambda i: caseload.participant(i).preferred_name
    )
    events = caseload.events(pid)
    assert [(e.action, e.fields) for e in events] == [(str(Action.ERASE), {})]
    tomb = caseload.db.execute("SELECT * FROM tombstones").fetchall()
    assert len(tomb) == 1
    assert tomb[0][0] == pid
    assert caseload.safety.problems() == []
    assert not caseload.can_undo


def test_erasure_needs_the_preferred_name_typed(caseload: Caseload) -> None:
    pid = caseload.enrol_participant("Aoife", "fife").id
    with pytest.raises(ValidationError, match="does not match"):
        caseload.safety.erase_participant(pid, "Aoif")
    assert caseload.participant(pid).preferred_name == "Aoife"
    assert not caseload.safety.is_erased(pid)


def test_erasure_removes_the_name_from_search(caseload: Caseload) -> None:
    pid = caseload.enrol_participant("Siobhán", "fife").id
    caseload.enrol_participant("Siobhan Other", "fife")
    caseload.safety.erase_participant(pid, "siobhán")
    assert [r.preferred_name for r in caseload.caseload("siob")] == ["Siobhan Other"]


def test_retention_lists_closed_journeys_older_than_the_period(caseload: Caseload) -> None:
    old = caseload.enrol_participant("Old closed", "fife")
    caseload.set_status(old.id, ParticipantStatus.CLOSED)
    recent = caseload.enrol_participant("Recent closed", "fife")
    caseload.set_status(recent.id, ParticipantStatus.MOVED_ON)
    caseload.enrol_participant("Active", "fife")
    # Everything was written "today" (the clock): a day four years on sees both closed ones.
    later = caseload.today().replace(year=caseload.today().year + 4)
    assert {r.preferred_name for r in caseload.safety.retention_due(later)} == {
        "Old closed",
        "Recent closed",
    }
    assert caseload.safety.retention_due(caseload.today()) == []
    caseload.settings.set_retention_years(5)
    assert caseload.settings.retention_years == 5
    assert caseload.safety.retention_due(later) == []
    with pytest.raises(ValidationError):
        caseload.settings.set_retention_years(0)


def test_an_erasure_merged_from_another_laptop_leaves_no_canary_either(tmp_path: Path) -> None:
    """The coordinator's copy of an erased parent goes as completely as the keyworker's."""
    laptop = Caseload.open(tmp_path / "laptop.db", create=True, plain=True, actor="Aileen")
    coordinator = Caseload.open(
        tmp_path / "coordinator.db", create=True, plain=True, actor="Coordinator"
    )
    coordinator.exchange.enrol_device(
        laptop.device_id, "Aileen's laptop"
    )  # its erasures are carried out
    try:
        for i in range(5):
            laptop.enrol_participant(f"Other {i}", "fife")
        pid = _enrol_canary(laptop)
        coordinator.exchange.merge_events(laptop.events())
        coordinator.safety.checkpoint()
        assert _hits(_bytes_of(tmp_path / "coordinator.db")), "the test must see the canary first"

        laptop.safety.erase_participant(pid, CANARY)
        result = coordinator.exchange.merge_events(laptop.events())

        assert result.erased == 1
        assert _hits(_bytes_of(tmp_path / "coordinator.db")) == []
        assert coordinator.safety.is_erased(pid)
        assert coordinator.find_participants(CANARY) == []
        assert len(coordinator.participants()) == 5
        assert coordinator.safety.problems() == []
    finally:
        laptop.close()
        coordinator.close()
