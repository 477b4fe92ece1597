"""Merging back through the coordinator never makes a laptop silently take another's value."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from journeyapp.caseload import Caseload
from journeyapp.core.enums import Decision
from journeyapp.exchange.bundle import merge_bundle
from tests.exchange.conftest import PASSPHRASE
from tests.exchange.test_merge import bundle

Laptop = Callable[..., Caseload]


def relay(a: Caseload, b: Caseload, coord: Caseload, folder: Path) -> None:
    """A and B each send to the coordinator, then each takes the coordinator's log."""
    merge_bundle(coord, bundle(a, folder), PASSPHRASE)
    merge_bundle(coord, bundle(b, folder), PASSPHRASE)
    from_coord = bundle(coord, folder)
    merge_bundle(a, from_coord, PASSPHRASE)
    merge_bundle(b, from_coord, PASSPHRASE)


def test_the_relay_keeps_each_value_and_the_open_decision_travels(
    laptop: Laptop, tmp_path: Path
) -> None:
    a, b, coord = laptop("a"), laptop("b"), laptop("coord")
    parent = a.enrol_participant(
        "Siobhán", "fife", joined_on=date(2026, 9, 1), phone="07700 900000"
    )
    merge_bundle(coord, bundle(a, tmp_path), PASSPHRASE)
    merge_bundle(b, bundle(coord, tmp_path), PASSPHRASE)
    a.update_participant(parent.id, phone="07700 900111")
    b.update_participant(parent.id, phone="07700 900222")

    relay(a, b, coord, tmp_path)

    assert len(coord.exchange.decisions()) == 1
    assert a.participant(parent.id).phone == "07700 900111"  # each keeps its own value
    assert b.participant(parent.id).phone == "07700 900222"
    for device in (a, b, coord):
        [open_] = device.exchange.decisions()
        assert open_.field == "phone"
        assert {open_.here.value, open_.incoming.value} == {"07700 900111", "07700 900222"}
    # Which laptop each value came from travels with it.
    [at_a] = a.exchange.decisions()
    assert (at_a.here.device_id, at_a.incoming.device_id) == (a.device_id, b.device_id)

    # Merging again, any way round, changes nothing and opens nothing new.
    relay(a, b, coord, tmp_path)
    assert [len(d.exchange.decisions()) for d in (a, b, coord)] == [1, 1, 1]
    assert a.participant(parent.id).phone == "07700 900111"

    # The coordinator's report says figures may still change.
    from journeyapp.exchange.report import build_report

    waiting = build_report(coord)
    assert waiting.open_decisions == 1
    assert "1 merged edit waits for a decision" in waiting.to_text()

    [clash] = coord.exchange.decisions()
    chosen = "here" if clash.here.value == "07700 900222" else "incoming"
    coord.exchange.resolve_decision(clash.id, chosen)
    relay(a, b, coord, tmp_path)

    for device in (a, b, coord):
        assert device.participant(parent.id).phone == "07700 900222"
        assert device.exchange.decisions() == []
        [settled] = device.exchange.decisions(open_only=False)
        assert not settled.is_open
    assert a.participant(parent.id).phone == b.participant(parent.id).phone
    # And both laptops' records now read the same (apart from when each laptop last wrote it).
    left, right = a.participant(parent.id), b.participant(parent.id)
    assert {**vars(left), "updated_at": ""} == {**vars(right), "updated_at": ""}


def test_one_parents_one_service_clashes_instead_of_counting_twice(
    laptop: Laptop, tmp_path: Path
) -> None:
    a, b, coord = laptop("a"), laptop("b"), laptop("coord")
    parent = a.enrol_participant("Mairi", "glasgow", joined_on=date(2026, 9, 1))
    merge_bundle(b, bundle(a, tmp_path), PASSPHRASE)
    a.choose_service(
        parent.id, "vocational_training", Decision.NOT_FOR_ME_NOW, on=date(2026, 10, 1)
    )
    b.choose_service(parent.id, "vocational_training", Decision.CHOSEN, on=date(2026, 10, 1))

    relay(a, b, coord, tmp_path)

    for device in (a, b, coord):
        choices = [
            c for c in device.journey(parent.id).choices if c.service == "vocational_training"
        ]
        assert len(choices) == 1
        assert [d.field for d in device.exchange.decisions()] == ["decision"]
    assert a.journey(parent.id).choices[0].decision == Decision.NOT_FOR_ME_NOW
    assert b.journey(parent.id).choices[0].decision == Decision.CHOSEN

    [clash] = coord.exchange.decisions()
    coord.exchange.resolve_decision(
        clash.id, "here" if clash.here.value == "chosen" else "incoming"
    )
    relay(a, b, coord, tmp_path)
    for device in (a, b, coord):
        [choice] = device.journey(parent.id).choices
        assert choice.decision == Decision.CHOSEN
        assert device.exchange.decisions() == []


def test_an_edit_after_seeing_the_value_replaces_it_through_a_relay(
    laptop: Laptop, tmp_path: Path
) -> None:
    a, b, coord = laptop("a"), laptop("b"), laptop("coord")
    parent = a.enrol_participant("Ana", "fife", joined_on=date(2026, 9, 1))
    a.update_participant(parent.id, phone="07700 900111")
    relay(a, b, coord, tmp_path)
    b.update_participant(parent.id, phone="07700 900333")  # B had seen A's value
    relay(a, b, coord, tmp_path)
    for device in (a, b, coord):
        assert device.participant(parent.id).phone == "07700 900333"
        assert device.exchange.decisions() == []


# -- a coordinator the laptops are not enrolled with ---------------------------------------------


def offered(c: Caseload, pid: str, field: str) -> set[object]:
    """The value a device holds for a detail, and every value waiting in a decision about it."""
    values = {getattr(c.participant(pid), field)}
    for d in c.exchange.decisions():
        if d.record_id == pid and d.field == field:
            values |= {d.here.value, d.incoming.value}
    return values


@pytest.mark.parametrize("programme_enrols", ["the area coordinator", "nobody"])
def test_a_coordinator_not_enrolled_with_the_laptops_offers_every_value_once(
    laptop: Laptop, tmp_path: Path, programme_enrols: str
) -> None:
    """The reported case: two laptops' bundles merged straight into a coordinator that did not
    enrol them (it enrolled only the area coordinator, or nobody)."""
    a, b, area = laptop("a"), laptop("b"), laptop("area")
    programme = laptop("programme", enrolled=False)
    if programme_enrols == "the area coordinator":
        programme.exchange.enrol_code(area.exchange.enrolment_code(), "area coordinator")
        area.exchange.enrol_code(programme.exchange.enrolment_code(), "programme coordinator")
    parent = a.enrol_participant("Siobhán", "fife", joined_on=date(2026, 9, 1), keyworker="Aileen")
    merge_bundle(area, bundle(a, tmp_path), PASSPHRASE)
    merge_bundle(b, bundle(area, tmp_path), PASSPHRASE)
    a.update_participant(parent.id, keyworker="Aileen Grant")
    b.update_participant(parent.id, keyworker="Ben Moss")  # not having seen A's
    from_a, from_b = bundle(a, tmp_path), bundle(b, tmp_path)

    merge_bundle(programme, from_a, PASSPHRASE)
    merge_bundle(programme, from_b, PASSPHRASE)
    # Nothing changed without a decision, and each laptop's value waits to be chosen.
    assert programme.participant(parent.id).keyworker == "Aileen"
    assert offered(programme, parent.id, "keyworker") == {"Aileen", "Aileen Grant", "Ben Moss"}
    asked = {d.id for d in programme.exchange.decisions()}

    [newer] = [d for d in programme.exchange.decisions() if d.incoming.value == "Ben Moss"]
    programme.exchange.resolve_decision(newer.id, "incoming")
    assert programme.participant(parent.id).keyworker == "Ben Moss"
    # A's value still waits, in the question already listed (no fresh one).
    [left] = programme.exchange.decisions()
    assert (left.here.value, left.incoming.value) == ("Ben Moss", "Aileen Grant")
    assert left.id in asked
    programme.exchange.resolve_decision(left.id, "here")

    # Merged again, either way round, or after the area coordinator's log: nothing comes back.
    for path in (from_b, from_a):
        merge_bundle(programme, path, PASSPHRASE)
    merge_bundle(area, from_a, PASSPHRASE)
    merge_bundle(area, from_b, PASSPHRASE)
    merge_bundle(programme, bundle(area, tmp_path), PASSPHRASE)
    assert programme.participant(parent.id).keyworker == "Ben Moss"
    assert programme.exchange.decisions() == []
