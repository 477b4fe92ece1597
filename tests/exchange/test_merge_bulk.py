"""Merging a big log (the bulk path: deferred indexes, rowid-range value check) keeps every rule."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest

from journeyapp.caseload import Caseload
from journeyapp.core.records import BY_KIND, Event
from journeyapp.store import caseload_list
from journeyapp.store import merge as store_merge

Laptop = Callable[..., Caseload]
PARENTS = 1_100  # 50 events each: past store_merge.BULK, so indexes are dropped and rebuilt
KINDS = ("one_to_one", "phone_text", "home_visit", "group", "outreach")


def big_log(seed: int = 7) -> list[Event]:
    """A laptop's log shaped like real use: parents, contacts (some edited), milestones."""
    rng = random.Random(seed)
    device = str(uuid.UUID(int=rng.getrandbits(128)))
    events: list[Event] = []

    def new_id() -> str:
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))

    def add(pid: str, kind: str, rid: str, action: str, fields: dict[str, Any], at: str) -> None:
        events.append(Event(new_id(), at, device, "bulk", pid, kind, rid, action, fields, "t"))

    for n in range(PARENTS):
        pid = new_id()
        joined = date(2025, 1, 6) + timedelta(days=rng.randint(0, 300))  # all before TODAY
        at = f"{joined.isoformat()}T10:00:00.000000Z"
        base = {"created_at": at, "updated_at": at, "recorded_by": "bulk"}
        parent = {
            **base,
            "id": pid,
            "preferred_name": f"Parent {n}",
            "full_name": f"Parent {n} Bulk",
            "date_of_birth": "1990-01-01",
            "phone": "",
            "email": "",
            "address": "",
            "locality": "fife",
            "keyworker": "bulk",
            "referral_source": "School",
            "joined_on": joined.isoformat(),
            "status": "active",
            "stage": "getting_started",
            "destination": "not_decided",
            "ref": None,
            "notes": "",
        }
        add(pid, "participants", pid, "create", parent, at)
        contacts = []
        for k in range(40):
            on = (joined + timedelta(days=7 * k)).isoformat()
            cid = new_id()
            contacts.append(cid)
            contact = {
                **base,
                "id": cid,
                "participant_id": pid,
                "on": on,
                "kind": rng.choice(KINDS),
                "venue": "Family hub",
                "minutes": 30,
                "note": "",
                "next_step": "",
                "childcare_needed": 0,
                "childcare_arranged": 0,
                "group_session_id": None,
            }
            add(pid, "contacts", cid, "create", contact, f"{on}T11:00:00.000000Z")
        for k in range(3):
            mid = new_id()
            milestone = {
                **base,
                "id": mid,
                "participant_id": pid,
                "type": "first_meeting",
                "achieved_on": joined.isoformat(),
                "note": "",
                "voice": "parent",
            }
            add(pid, "milestones", mid, "create", milestone, f"{joined.isoformat()}T12:0{k}:00Z")
        for k in range(5):
            on = (joined + timedelta(days=30 + k)).isoformat()
            add(pid, "contacts", contacts[k], "update", {"minutes": 45}, f"{on}T13:00:00Z")
        add(pid, "participants", pid, "update", {"stage": "building_confidence"}, f"{at[:10]}T14Z")
    assert len(events) > store_merge.BULK
    return events


def snapshot(c: Caseload) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table this test touches, in a fixed order."""
    tables = [*BY_KIND, "tombstones", "merge_decisions", "participant_search", "caseload_list"]
    found = {t: sorted(map(tuple, c.db.execute(f'SELECT * FROM "{t}"').fetchall())) for t in tables}
    found["journey_log"] = [
        tuple(r) for r in c.db.execute("SELECT * FROM journey_log ORDER BY seq").fetchall()
    ]
    found["indexes"] = sorted(
        tuple(r)
        for r in c.db.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger')"
        )
    )
    return found


@pytest.mark.slow
def test_a_bulk_merge_equals_merging_the_same_log_in_small_batches(laptop: Laptop) -> None:
    events = big_log()
    bulk, batched = laptop("bulk"), laptop("batched")
    result = bulk.exchange.merge_events(events)
    for start in range(0, len(events), 5_000):  # below BULK: indexes are never dropped
        batched.exchange.merge_events(events[start : start + 5_000])
    assert result.applied == len(events)
    # seq numbers and the journey log order match too, so the whole snapshot compares equal
    assert snapshot(bulk) == snapshot(batched)
    assert bulk.counts()["contacts"] == PARENTS * 40
    assert {c.minutes for c in bulk.journey(events[0].participant_id).contacts} == {30, 45}
    assert bulk.safety.problems() == []
    assert caseload_list.problems(bulk.db) == []

    before = snapshot(bulk)
    again = bulk.exchange.merge_events(events)
    assert (again.applied, again.already_had) == (0, len(events))
    assert snapshot(bulk) == before


@pytest.mark.slow
def test_a_bulk_merge_keeps_clashes_erasures_and_edits_to_other_fields(laptop: Laptop) -> None:
    here = laptop("coord")
    mine = here.enrol_participant("Ava", "edinburgh", date(2026, 1, 5))
    gone = here.enrol_participant("Bea", "fife", date(2026, 1, 6))
    seen_by_sender = here.events()  # the keyworker's laptop took this log earlier
    here.update_participant(mine.id, locality="fife")  # not seen by the sender
    here.safety.erase_participant(gone.id, "Bea")

    sender = laptop("sender")
    sender.exchange.merge_events(seen_by_sender)
    sender.update_participant(mine.id, locality="glasgow", keyworker="Keyworker's pick")
    sender.log_contact(gone.id, note="a contact the erasure must not bring back")
    log = sender.events() + big_log()
    doomed = log[-1].participant_id
    assert doomed is not None
    log.append(
        Event(
            str(uuid.uuid4()),
            "2027-01-01T00:00:00Z",
            "x",
            "bulk",
            doomed,
            "participants",
            doomed,
            "erase",
            {},
            "t",
        )
    )

    here.exchange.enrol_device("x", "the bulk laptop")  # its erasures are carried out, not held
    result = here.exchange.merge_events(log)

    assert result.new_decisions == 1
    [clash] = here.exchange.decisions()
    assert (clash.record_id, clash.field) == (mine.id, "locality")
    assert (clash.here.value, clash.incoming.value) == ("fife", "glasgow")
    kept = here.participant(mine.id)
    assert kept.locality == "fife"  # never silently overwritten
    assert kept.keyworker == "Keyworker's pick"  # a different field: merged
    assert here.safety.is_erased(gone.id)
    assert here.find_participants("Bea") == []
    assert [e.action for e in here.events(gone.id)] == ["erase"]
    assert here.safety.is_erased(doomed)
    assert [e.action for e in here.events(doomed)] == ["erase"]
    assert here.counts()["participants"] == 1 + PARENTS - 1
    assert here.counts()["contacts"] == (PARENTS - 1) * 40
    assert here.safety.problems() == []
    assert caseload_list.problems(here.db) == []
    assert here.exchange.merge_events(log).applied == 0


@pytest.mark.slow
def test_a_damaged_bulk_merge_changes_nothing(laptop: Laptop) -> None:
    here = laptop("coord")
    here.enrol_participant("Ava", "edinburgh", date(2026, 1, 5))
    before = snapshot(here)
    events = big_log()
    last = events[-2]  # a contact update near the end, after every index was dropped
    events[-2] = Event(**{**vars(last), "fields": {"minutes": "forty"}})
    assert last.kind == "contacts"
    with pytest.raises(store_merge.MergeRefused, match=f"Event {len(events) - 1:,} .*minutes"):
        here.exchange.merge_events(events)
    assert snapshot(here) == before


def test_fields_this_version_does_not_know_refuse_the_merge(laptop: Laptop) -> None:
    here = laptop("coord")
    log = big_log()[:3]  # a parent and two contacts
    newer = log[1]
    log[1] = Event(**{**vars(newer), "fields": {**newer.fields, "mood_ring": "blue"}})
    with pytest.raises(store_merge.MergeRefused, match=r"Event 2 .*'mood_ring'.*newer JourneyApp"):
        here.exchange.merge_events(log)
    assert here.counts()["journey_log"] == 0
    # An older sender that never had this field is fine: the record has its default, as one
    # made here without it would (m022: not None in a field that holds words).
    del log[2].fields["venue"]
    log[1] = newer
    here.exchange.merge_events(log)
    by_id = {c.id: c for c in here.journey(newer.participant_id or "").contacts}
    assert by_id[newer.record_id].venue == "Family hub"
    assert by_id[log[2].record_id].venue == ""
