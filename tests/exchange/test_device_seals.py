"""Claiming a device proves nothing (#16): bundles are sealed with the writer's device key, a
laptop's enrolment code carries that key, and events no enrolled laptop vouched for change,
remove or erase nothing without a decision; a bundle naming an enrolled laptop but not sealed
with its key is refused whole, naming the first event that fails."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3.dbapi2 as sqlcipher
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeyapp.caseload import Caseload
from journeyapp.cli import cli
from journeyapp.core.errors import ValidationError
from journeyapp.core.merge import REPLACED
from journeyapp.core.records import Event
from journeyapp.core.seals import enrolment_code, new_key, parse_enrolment_code
from journeyapp.exchange.bundle import merge_bundle
from journeyapp.store.bundle_file import SealedBundle, read
from tests.clock import past_on_both, ticking_clock
from tests.conftest import TODAY
from tests.exchange.conftest import PASSPHRASE
from tests.exchange.test_hostile_bundles import forge, refused, run_merge
from tests.exchange.test_merge import bundle

Laptop = Callable[..., Caseload]


def forged(real: Event, **changes: Any) -> Event:
    """A copy of a real event with a new id: what someone who read a bundle could write."""
    return dataclasses.replace(real, event_id=str(uuid.uuid4()), **changes)


def phone_event(c: Caseload, pid: str) -> Event:
    return [e for e in c.events(pid) if "phone" in e.fields][-1]


@pytest.fixture
def pair(laptop: Laptop, tmp_path: Path) -> tuple[Caseload, Caseload]:
    """Laptop a (enrolled both ways with the coordinator), merged into the coordinator."""
    a, coord = laptop("a", 3, seed=5), laptop("coord")
    merge_bundle(coord, bundle(a, tmp_path), PASSPHRASE)
    return a, coord


def test_an_edit_claiming_an_enrolled_laptop_in_an_unsealed_bundle_is_refused(
    pair: tuple[Caseload, Caseload], tmp_path: Path
) -> None:
    a, coord = pair
    pid = a.participants()[0].id
    a.update_participant(pid, phone="07700 900111")
    real = phone_event(a, pid)
    # The forger copies a's device, actor and what the edit replaced: only the value differs.
    fake = forged(real, fields={**real.fields, "phone": "07700 900666"})
    path = forge(tmp_path / "claims-a.jlb", [fake], device=a.device_id)
    refused(coord, path, r"not sealed with that laptop's key")


def test_a_changed_event_in_a_sealed_bundle_is_refused_naming_it(
    pair: tuple[Caseload, Caseload], tmp_path: Path
) -> None:
    a, coord = pair
    pid = a.participants()[0].id
    a.update_participant(pid, phone="07700 900111")
    path = bundle(a, tmp_path)
    events = read(path, PASSPHRASE)[1]
    number = next(n for n, e in enumerate(events, 1) if e.fields.get("phone") == "07700 900111")
    conn = sqlcipher.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA key = '" + PASSPHRASE + "'")
    conn.execute(
        "UPDATE events SET fields = replace(fields, '900111', '900666') WHERE seq = ?", [number]
    )
    conn.close()
    refused(coord, path, rf"Event {number:,} \(update of 'participants'\).*does not carry the seal")


def test_an_event_left_out_of_a_sealed_bundle_is_refused(
    pair: tuple[Caseload, Caseload], tmp_path: Path
) -> None:
    a, coord = pair
    a.update_participant(a.participants()[0].id, phone="07700 900111")
    path = bundle(a, tmp_path)
    conn = sqlcipher.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA key = '" + PASSPHRASE + "'")
    last = conn.execute("SELECT max(seq) FROM events").fetchone()[0]
    conn.execute("DELETE FROM events WHERE seq = ?", [last])
    conn.execute("DELETE FROM seals WHERE seq = ?", [last])
    conn.close()
    refused(coord, path, r"seal .* does not hold")


def test_an_outsider_can_add_but_changes_removes_or_erases_nothing_without_a_decision(
    pair: tuple[Caseload, Caseload], tmp_path: Path
) -> None:
    a, coord = pair
    parent = coord.participants()[0]
    a.update_participant(parent.id, phone="07700 900111")
    merge_bundle(coord, bundle(a, tmp_path), PASSPHRASE)
    real = phone_event(coord, parent.id)
    # a copy of it goes to `merge`, run for real: a day that is past on both clocks
    on = past_on_both(TODAY)
    contact = coord.log_contact(parent.id, "phone_text", on=on, note="Talked about money")
    before = coord.journey(parent.id)
    new_contact = forged(
        next(e for e in coord.events(parent.id) if e.record_id == contact.id),
        record_id=str(uuid.uuid4()),
        device_id="mallory-laptop",
        actor="mallory",
    )
    attack = [
        # claims a's device and actor, and says it replaced the value shown here
        forged(real, fields={"phone": "07700 900666", REPLACED: {"phone": [real.event_id]}}),
        forged(real, kind="contacts", record_id=contact.id, action="delete", fields={}),
        forged(real, kind="participants", action="erase", fields={}),
        new_contact,
    ]
    path = forge(tmp_path / "outsider.jlb", attack, device="mallory-laptop")
    result = run_merge(coord, path)
    assert result.exit_code == 0, result.output
    assert "4 not vouched for by a laptop enrolled here" in result.output
    after = coord.journey(parent.id)
    assert after.participant == before.participant  # the phone is as it was
    assert contact in after.contacts  # not removed
    assert not coord.safety.is_erased(parent.id)
    assert len(after.contacts) == len(before.contacts) + 1  # adding is fine
    waiting = {d.field: d for d in coord.exchange.decisions()}
    assert set(waiting) == {"phone", "_remove", "_erase"}
    assert waiting["phone"].incoming.value == "07700 900666"
    # The decisions say what they are about, in words.
    listed = CliRunner().invoke(cli, ["decisions", "--db", str(coord.path)])
    assert "remove this record?" in listed.output
    # Agreeing to the removal removes the contact here, as a removal made here.
    coord.exchange.resolve_decision(waiting["_remove"].id, "incoming")
    assert contact not in coord.journey(parent.id).contacts
    assert coord.record_history(contact.id)[-1].device_id == coord.device_id
    # This laptop never vouches for what it took in unsealed: a relay carries the doubt on.
    b = Caseload.open(tmp_path / "b.db", create=True, plain=True, actor="b")
    b.clock = ticking_clock(TODAY)
    try:
        b.exchange.enrol_code(coord.exchange.enrolment_code(), "the coordinator")
        relay = bundle(coord, tmp_path)
        merge_bundle(b, relay, PASSPHRASE)
        assert b.participant(parent.id).phone == "07700 900111"
        assert {d.field for d in b.exchange.decisions()} == {"phone"}
    finally:
        b.close()


def test_a_relay_through_the_coordinator_is_trusted_without_knowing_the_first_laptop(
    laptop: Laptop, tmp_path: Path
) -> None:
    """a and b know only the coordinator; a's edit reaches b vouched for by the coordinator."""
    a = laptop("a", 2, seed=9, enrolled=False)
    b = laptop("b", enrolled=False)
    coord = laptop("coord", enrolled=False)
    for laptop_ in (a, b):
        coord.exchange.enrol_code(laptop_.exchange.enrolment_code(), f"{laptop_.actor}'s laptop")
        laptop_.exchange.enrol_code(coord.exchange.enrolment_code(), "the coordinator")
    merge_bundle(coord, bundle(a, tmp_path), PASSPHRASE)
    merge_bundle(b, bundle(coord, tmp_path), PASSPHRASE)
    pid = a.participants()[0].id
    a.update_participant(pid, phone="07700 900222")
    merge_bundle(coord, bundle(a, tmp_path), PASSPHRASE)
    result = merge_bundle(b, bundle(coord, tmp_path), PASSPHRASE)
    assert b.participant(pid).phone == "07700 900222"
    assert result.new_decisions == 0
    a.safety.erase_participant(pid, a.participant(pid).preferred_name)
    merge_bundle(coord, bundle(a, tmp_path), PASSPHRASE)
    merge_bundle(b, bundle(coord, tmp_path), PASSPHRASE)
    assert b.safety.is_erased(pid)  # an enrolled laptop's erasure, vouched for, is carried out


def test_enrolment_codes_on_the_command_line(laptop: Laptop) -> None:
    a, coord = laptop("a", enrolled=False), laptop("coord", enrolled=False)
    shown = CliRunner().invoke(cli, ["devices", "--db", str(a.path), "--code"])
    assert shown.exit_code == 0, shown.output
    code = shown.output.split("Enrolment code for this laptop: ")[1].split()[0]
    assert parse_enrolment_code(code) == (a.device_id, a.exchange.device_key())
    enrol = ["devices", "--db", str(coord.path), "--enrol"]
    done = CliRunner().invoke(cli, [*enrol, code, "--name", "Aileen's laptop"])
    assert done.exit_code == 0, done.output
    assert coord.exchange.device_keys()[a.device_id] == a.exchange.device_key()
    listed = CliRunner().invoke(cli, ["devices", "--db", str(coord.path)])
    assert f"Enrolled: {a.device_id}  Aileen's laptop" in listed.output
    # A bare device id (the old way) says what is needed now, in one line.
    bare = CliRunner().invoke(cli, [*enrol, a.device_id, "--name", "Aileen's laptop"])
    assert bare.exit_code == 1
    assert "Traceback" not in bare.output
    assert "journeyapp devices --code" in bare.output


def test_an_enrolment_code_is_checked() -> None:
    key = new_key()
    assert parse_enrolment_code(enrolment_code("abc-123", key)) == ("abc-123", key)
    for bad in ("", "abc", "abc.123", "abc." + "g" * 64, "a b." + "0" * 64):
        with pytest.raises(ValidationError):
            parse_enrolment_code(bad)


@pytest.mark.parametrize(
    ("given", "device_id"),
    [
        ("0d5c8d36-8f5e-4a57-9f4b-6c1a3a0e2f16", True),
        ("  0D5C8D36-8F5E-4A57-9F4B-6C1A3A0E2F16\n", True),
        ("abc-def", False),
        ("hello", False),
        ("0d5c8d36-8f5e-4a57-9f4b", False),
        ("my laptop", False),
    ],
)
def test_a_device_id_alone_is_named_as_one_and_nothing_else_is(given: str, device_id: bool) -> None:
    """Only a laptop's device id (a UUID) given without its key is called a device id; any
    other text is "not an enrolment code" (it used to be called a device id whenever it held
    no dot: "abc-def", "hello")."""
    with pytest.raises(ValidationError) as refused:
        parse_enrolment_code(given)
    said = refused.value.message
    assert said.startswith("That is a device id") is device_id
    assert said.startswith("That is not an enrolment code") is not device_id


# -- the invariant, attacked with Hypothesis --------------------------------------------------

_FIELDS = ("phone", "keyworker", "referral_source", "email")


@st.composite
def attacks(draw: st.DrawFn) -> list[tuple[str, Any]]:
    """A forger's events: edits (with or without naming what they replaced), removals, an
    erasure, new records, and copies of records already here with other values."""
    op = st.one_of(
        st.tuples(
            st.just("edit"),
            st.tuples(
                st.sampled_from(_FIELDS),
                st.text("0123456789 ", min_size=1, max_size=12),
                st.sampled_from(["none", "head", "random"]),
            ),
        ),
        st.tuples(st.just("remove"), st.integers(0, 2)),
        st.tuples(st.just("erase"), st.none()),
        st.tuples(st.just("add"), st.text("abc ", min_size=1, max_size=20)),
        st.tuples(st.just("recreate"), st.text("abc ", min_size=1, max_size=20)),
    )
    return draw(st.lists(op, min_size=1, max_size=6))


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A coordinator's caseload with one parent, three contacts and a history of edits."""
    path = tmp_path_factory.mktemp("seeded") / "coord.db"
    c = Caseload.open(path, create=True, plain=True, actor="coord")
    c.clock = ticking_clock(TODAY)
    pid = c.enrol_participant("Zoë", "glasgow").id
    c.update_participant(pid, phone="07700 900100", keyworker="Ann")
    for n in range(3):
        c.log_contact(pid, "phone_text", on=TODAY, note=f"Call {n}")
    c.close()
    return path


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=attacks(), claim=st.sampled_from(["coord-device", "mallory"]))
def test_no_unsealed_event_changes_a_record_without_a_decision(
    seeded: Path, tmp_path_factory: pytest.TempPathFactory, ops: list[Any], claim: str
) -> None:
    folder = tmp_path_factory.mktemp("attack")
    path = folder / "coord.db"
    path.write_bytes(seeded.read_bytes())
    c = Caseload.open(path, plain=True)
    c.clock = ticking_clock(TODAY)
    try:
        [parent] = c.participants()
        pid = parent.id
        before = c.journey(pid)
        device = c.device_id if claim == "coord-device" else "mallory-laptop"
        log = c.events(pid)
        contacts = sorted(before.contacts, key=lambda x: x.id)
        made = [e for e in log if e.kind == "contacts" and e.action == "create"]
        events: list[Event] = []
        expect: set[tuple[str, str]] = set()  # (record id, field) that must wait as decisions
        for kind, arg in ops:
            base = Event(
                str(uuid.uuid4()),
                "2026-11-20T10:00:00Z",
                device,
                "coord",
                pid,
                "participants",
                pid,
                "update",
                {},
            )
            if kind == "edit":
                field, value, replaced = arg
                heads = [e.event_id for e in log if field in e.fields]
                said = {
                    "none": {},
                    "head": {REPLACED: {field: heads[-1:]}},
                    "random": {REPLACED: {field: [str(uuid.uuid4())]}},
                }[replaced]
                events.append(dataclasses.replace(base, fields={field: value, **said}))
                if value != getattr(before.participant, field):
                    expect.add((pid, field))
            elif kind == "remove":
                target = contacts[arg]
                events.append(
                    dataclasses.replace(base, kind="contacts", record_id=target.id, action="delete")
                )
                expect.add((target.id, "_remove"))
            elif kind == "erase":
                events.append(dataclasses.replace(base, action="erase"))
                expect.add((pid, "_erase"))
            elif kind == "add":
                events.append(
                    dataclasses.replace(
                        made[0],
                        event_id=str(uuid.uuid4()),
                        record_id=str(uuid.uuid4()),
                        device_id=device,
                        fields={**made[0].fields, "note": arg},
                    )
                )
            else:  # the same record made again elsewhere, with other words
                events.append(
                    dataclasses.replace(
                        made[0],
                        event_id=str(uuid.uuid4()),
                        device_id=device,
                        fields={**made[0].fields, "note": arg},
                    )
                )
                if arg != made[0].fields["note"]:
                    expect.add((made[0].record_id, "note"))
        unsealed = frozenset(e.event_id for e in events)
        c.exchange.merge_sealed([SealedBundle({}, events, unsealed, "")])

        after = c.journey(pid)
        # Nothing that was here changed: every record as it was (new ones may be added).
        assert after.participant == before.participant
        assert not c.safety.is_erased(pid)
        for record in before.contacts:
            assert c.record("contacts", record.id) == record
        # Each change asked for waits as a decision.
        waiting = {(d.record_id, d.field) for d in c.exchange.decisions()}
        assert expect <= waiting, (expect, waiting)
    finally:
        c.close()
