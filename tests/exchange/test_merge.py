"""Merging laptops: bundles round trip, idempotence, clashing edits, erasure wins."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from journeyapp.caseload import Caseload
from journeyapp.core.enums import Action
from journeyapp.core.errors import WrongPassphrase
from journeyapp.core.records import Event
from journeyapp.exchange.bundle import BundleError, merge_bundle, read_bundle, write_bundle
from journeyapp.store import merge as store_merge
from tests.exchange.conftest import PASSPHRASE

Laptop = Callable[..., Caseload]


def bundle(caseload: Caseload, folder: Path) -> Path:
    out = folder / f"{caseload.actor}-{uuid.uuid4().hex[:6]}.jlb"
    write_bundle(caseload, out, PASSPHRASE)
    return out


def erase(caseload: Caseload, participant_id: str) -> None:
    """What the security branch's erase_participant does: ERASE event + tombstone, one transaction."""
    event = Event(
        event_id=str(uuid.uuid4()),
        at="2026-11-28T12:00:00.000000Z",
        device_id=caseload.device_id,
        actor=caseload.actor,
        participant_id=participant_id,
        kind="participants",
        record_id=participant_id,
        action=str(Action.ERASE),
        fields={},
    )
    with caseload.db.atomic():
        store_merge.erase(caseload.db, participant_id, event)


def test_two_laptops_merge_into_one_coordinator(laptop: Laptop, tmp_path: Path) -> None:
    a, b, coord = laptop("a", 12, seed=1), laptop("b", 9, seed=2), laptop("coord")
    first = merge_bundle(coord, bundle(a, tmp_path), PASSPHRASE)
    second = merge_bundle(coord, bundle(b, tmp_path), PASSPHRASE)
    totals = coord.counts()
    for kind, n in totals.items():
        assert n == a.counts()[kind] + b.counts()[kind], kind
    assert first.applied == a.counts()["journey_log"]
    assert second.new_decisions == 0
    assert coord.safety.problems() == []
    # The merged parents read back as the same records.
    some = a.participants()[0]
    assert coord.journey(some.id) == a.journey(some.id)
    assert {p.full_name for p in coord.find_participants(some.preferred_name)} >= {some.full_name}

    again = [merge_bundle(coord, bundle(x, tmp_path), PASSPHRASE) for x in (a, b)]
    assert [r.applied for r in again] == [0, 0]
    assert [r.already_had for r in again] == [a.counts()["journey_log"], b.counts()["journey_log"]]
    assert coord.counts() == totals


def test_edits_to_different_fields_merge_and_a_clash_waits_for_a_decision(
    laptop: Laptop, tmp_path: Path
) -> None:
    a, coord = laptop("a", 5, seed=3), laptop("coord")
    merge_bundle(coord, bundle(a, tmp_path), PASSPHRASE)
    parent = a.participants()[0]
    coord.update_participant(parent.id, keyworker="Coordinator's pick", referral_source="School")
    a.update_participant(parent.id, keyworker="Keyworker's pick", phone="07700 900123")
    heard = []
    coord.subscribe(heard.append)

    result = merge_bundle(coord, bundle(a, tmp_path), PASSPHRASE)

    merged = coord.participant(parent.id)
    assert merged.phone == "07700 900123"  # a different field: merged
    assert merged.referral_source == "School"  # the coordinator's own edit stays
    assert merged.keyworker == "Coordinator's pick"  # never silently overwritten
    assert result.new_decisions == 1
    [clash] = coord.exchange.decisions()
    assert (clash.field, clash.here.value, clash.incoming.value) == (
        "keyworker",
        "Coordinator's pick",
        "Keyworker's pick",
    )
    assert clash.here.actor == "coord"
    assert clash.incoming.actor == "a"
    assert heard
    assert heard[-1].touches("merge_decisions")

    # Merging the same bundle again does not duplicate the decision.
    assert merge_bundle(coord, bundle(a, tmp_path), PASSPHRASE).new_decisions == 0
    assert len(coord.exchange.decisions()) == 1

    decided = coord.exchange.resolve_decision(clash.id, "incoming")
    assert decided.choice == "incoming"
    assert not decided.is_open
    assert coord.participant(parent.id).keyworker == "Keyworker's pick"
    assert coord.exchange.decisions() == []

    # The keyworker's laptop then takes the coordinator's log and settles on the same values.
    merge_bundle(a, bundle(coord, tmp_path), PASSPHRASE)
    assert a.participant(parent.id) == coord.participant(parent.id)
    assert a.exchange.decisions() == []


def test_keeping_the_value_here_is_also_sent_on(laptop: Laptop, tmp_path: Path) -> None:
    a, coord = laptop("a", 3, seed=4), laptop("coord")
    merge_bundle(coord, bundle(a, tmp_path), PASSPHRASE)
    parent = a.participants()[0]
    coord.update_participant(parent.id, locality="fife")
    a.update_participant(parent.id, locality="glasgow")
    merge_bundle(coord, bundle(a, tmp_path), PASSPHRASE)
    [clash] = coord.exchange.decisions()
    coord.exchange.resolve_decision(clash.id, "here")
    merge_bundle(a, bundle(coord, tmp_path), PASSPHRASE)
    assert a.participant(parent.id).locality == coord.participant(parent.id).locality == "fife"


def test_an_erasure_is_not_undone_by_another_laptops_bundle(laptop: Laptop, tmp_path: Path) -> None:
    a, b, coord = laptop("a", 6, seed=5), laptop("b"), laptop("coord")
    for device in (b, coord):  # the partnership has enrolled a's laptop
        device.exchange.enrol_device(a.device_id, "a")
    merge_bundle(b, bundle(a, tmp_path), PASSPHRASE)  # a colleague's laptop holds a's parents
    merge_bundle(coord, bundle(a, tmp_path), PASSPHRASE)
    gone = a.participants()[0]
    a.log_contact(gone.id, note="a later contact, made before the erasure reached anyone")
    erase(a, gone.id)
    stale = bundle(b, tmp_path)  # still holds the erased parent's records

    erased = merge_bundle(coord, bundle(a, tmp_path), PASSPHRASE)
    assert erased.erased == 1
    late = merge_bundle(coord, stale, PASSPHRASE)

    assert late.applied == 0
    assert coord.find_participants(gone.id) == []
    assert coord.events(gone.id)[-1].action == "erase"
    assert len(coord.events(gone.id)) == 1
    # And the colleague's laptop loses them too when it takes the keyworker's log.
    merge_bundle(b, bundle(a, tmp_path), PASSPHRASE)
    assert b.find_participants(gone.id) == []
    assert b.counts()["participants"] == coord.counts()["participants"] == 5


def test_a_bundle_is_encrypted_and_needs_its_passphrase(laptop: Laptop, tmp_path: Path) -> None:
    a = laptop("a", 2, seed=6)
    path = bundle(a, tmp_path)
    data = path.read_bytes()
    assert not data.startswith(b"SQLite format 3")
    assert a.participants()[0].full_name.encode() not in data
    with pytest.raises(WrongPassphrase):
        read_bundle(path, "not the passphrase")
    info, events = read_bundle(path, PASSPHRASE)
    assert info["device_id"] == a.device_id
    assert len(events) == a.counts()["journey_log"]
    with pytest.raises(BundleError, match="already exists"):
        write_bundle(a, path, PASSPHRASE)


def test_a_plain_sqlite_file_is_not_taken_for_a_bundle(laptop: Laptop, tmp_path: Path) -> None:
    a = laptop("a")
    with pytest.raises(BundleError, match="not encrypted"):
        read_bundle(a.path, PASSPHRASE)


def test_altered_events_are_refused_whole(laptop: Laptop) -> None:
    a, coord = laptop("a", 2, seed=8), laptop("coord")
    events = a.events()
    bad = next(i for i, e in enumerate(events) if e.kind == "participants")
    altered = list(events)
    altered[bad] = Event(
        **{**vars(events[bad]), "fields": {**events[bad].fields, "status": "gone"}}
    )
    with pytest.raises(
        store_merge.MergeRefused, match=r"Event \d+ .*status .gone. that is not one of"
    ):
        coord.exchange.merge_events(altered)
    assert coord.counts()["journey_log"] == 0
    assert coord.counts()["participants"] == 0
    coord.exchange.merge_events(events)  # the genuine log still merges afterwards
    assert coord.counts()["participants"] == 2


def test_a_corrected_contact_merges_and_a_different_correction_elsewhere_is_a_clash(
    laptop: Laptop, tmp_path: Path
) -> None:
    a, coord = laptop("a", 3, seed=5), laptop("coord")
    parent = a.participants()[0]
    contact = a.log_contact(parent.id, "phone_text", note="Talked about mony", minutes=10)
    removed = a.add_strength(parent.id, "Entered by mistake")
    merge_bundle(coord, bundle(a, tmp_path), PASSPHRASE)
    # The same field corrected differently on the two laptops; another field only on one.
    coord.update_record("contacts", contact.id, note="Talked about money (coordinator)")
    a.update_record("contacts", contact.id, note="Talked about money", minutes=15)
    a.delete_record("strengths", removed.id)

    result = merge_bundle(coord, bundle(a, tmp_path), PASSPHRASE)

    merged = coord.record("contacts", contact.id)
    assert merged.minutes == 15  # type: ignore[attr-defined]
    assert merged.note == "Talked about money (coordinator)"  # type: ignore[attr-defined]
    assert result.new_decisions == 1
    [clash] = coord.exchange.decisions()
    assert (clash.kind, clash.field, clash.incoming.value) == (
        "contacts",
        "note",
        "Talked about money",
    )
    # A removal travels too.
    assert [s for s in coord.journey(parent.id).strengths if s.id == removed.id] == []
