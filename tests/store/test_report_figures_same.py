"""The programme report's readers answer exactly as they did before issue 18's third round
(tests/store/report_figures_before.py): on tables holding what the app writes and what it never
would (values that are NULL, empty, hold the separators the readers string values with, or a
NUL; records of parents not in the caseload; milestone types the catalogue does not list), for
periods open and closed at either end, with and without a list of parents."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeyapp.caseload import Caseload
from journeyapp.store import figures
from journeyapp.store.db import Database
from tests.clock import ticking_clock
from tests.conftest import TODAY
from tests.store import report_figures_before as before

PARENTS = [f"00000000-0000-4000-8000-00000000000{i}" for i in range(5)]
ORPHANS = ["00000000-0000-4000-8000-0000000000aa", "not-a-parent"]
_text = st.sampled_from(["fife", "glasgow", "", "a\x1fb", "c\x1ed", "Zoë", "x\x00y", "\x1f"])
_value = st.none() | _text | st.sampled_from(["chosen", "not_for_me_now", "attended"])
_day = st.none() | st.sampled_from(
    ["2025-12-31", "2026-01-01", "2026-03-31", "2026-04-01", "2026-06-30", "2026-07-01"]
)
_whose = st.sampled_from(PARENTS + ORPHANS)
CATALOGUE = ["first_meeting", "agreed_plan", "started_work"]
_type = st.none() | st.sampled_from([*CATALOGUE, *CATALOGUE, "retired", "", "z\x1f"])
PERIODS = [
    (None, None),
    (None, "2026-03-31"),
    ("2026-01-01", "2026-03-31"),
    ("2026-04-01", None),
    ("2026-07-02", "2026-12-31"),  # nothing in it
]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    path = tmp_path_factory.mktemp("figures") / "demo.db"
    c = Caseload.open(path, create=True, demo=True, clock=ticking_clock(TODAY))
    try:
        yield c.db
    finally:
        c.close()


def _fill(db: Database, parents: list[Any], tables: dict[str, list[tuple[Any, ...]]]) -> None:
    for table in ("participants", "choices", "referrals", "milestones", "contacts"):
        db.execute(f'DELETE FROM "{table}"')
    for n, (pid, locality) in enumerate(zip(PARENTS, parents, strict=True)):
        db.execute(
            "INSERT INTO participants (id, locality, joined_on, status, stage, created_at) "
            "VALUES (?, ?, '2025-01-01', 'active', 'getting_started', ?)",
            [pid, locality, f"2025-01-01T00:00:0{n}.000000Z"],
        )
    columns = {
        "choices": ("participant_id", "service", "decision", "decided_on"),
        "referrals": ("participant_id", "outcome", '"on"'),
        "milestones": ("participant_id", "type", "achieved_on"),
        "contacts": ("participant_id", '"on"', "minutes"),
    }
    for table, rows in tables.items():
        for n, row in enumerate(rows):
            names = ", ".join(("id", *columns[table]))
            marks = ", ".join("?" * (len(row) + 1))
            db.execute(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', [f"r{n}", *row])


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    parents=st.lists(st.none() | _text, min_size=5, max_size=5),
    choices=st.lists(st.tuples(_whose, _value, _value, _day), max_size=25),
    referrals=st.lists(st.tuples(_whose, _value, _day), max_size=15),
    some=st.lists(st.sampled_from(PARENTS + ORPHANS), unique=True),
)
def test_choices_and_referrals_by_place_as_before(
    db: Database,
    parents: list[Any],
    choices: list[tuple[Any, ...]],
    referrals: list[tuple[Any, ...]],
    some: list[str],
) -> None:
    _fill(db, parents, {"choices": choices, "referrals": referrals})
    for since, until in PERIODS:
        for chosen in (None, some):
            assert figures.choices_by_place(db, since, until, chosen) == before.by_place(
                db, "choices", "service, decision", "decided_on", since, until, chosen
            )
            assert figures.referrals_by_place(db, since, until, chosen) == before.by_place(
                db, "referrals", "outcome", "on", since, until, chosen
            )


def _reached(types: list[str], rows: list[tuple[Any, ...]], bits: int) -> dict[Any, Any]:
    """Each parent's row with the types they reached as names (their bits depend on `types`)."""
    found = {}
    for pid, inside, *masks, first, work in rows:
        names = {
            types[chunk * bits + i]
            for chunk, mask in enumerate(masks)
            for i in range(bits)
            if mask >> i & 1
        }
        found[pid] = (inside, names, first, work)
    return found


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    milestones=st.lists(st.tuples(_whose, _type, _day), max_size=25),
    bits=st.sampled_from([1, 2, 3, 60]),
    catalogue=st.sampled_from([CATALOGUE, CATALOGUE[:1], CATALOGUE[::-1]]),
)
def test_milestones_as_before(
    db: Database, milestones: list[tuple[Any, ...]], bits: int, catalogue: list[str]
) -> None:
    _fill(db, [None] * 5, {"milestones": milestones})
    work = ["started_work"]
    for since, until in PERIODS:
        types, rows = figures.milestones_with_types(db, since, until, catalogue, work, bits)
        held = before.held_milestone_types(db, catalogue)
        old = before.milestones_per_parent(db, since, until, held, work, bits)
        assert _reached(types, rows, bits) == _reached(held, old, bits)
        # The types read: the catalogue's in its order, then others by key (any held in no
        # reading changes no figure: it is reached by nobody).
        assert types[: len(catalogue)] == catalogue
        assert types == [t for t in held if t in types]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    places=st.lists(st.none() | _text, min_size=5, max_size=5),
    joined=st.lists(
        _day | st.sampled_from(["2026-02", "2026-02-03x", "20260203", "Z"]), min_size=5, max_size=5
    ),
)
def test_months_joined_counted_from_the_parents_read_as_before(
    db: Database, places: list[Any], joined: list[Any]
) -> None:
    _fill(db, places, {})
    for n, (pid, day) in enumerate(zip(PARENTS, joined, strict=True)):
        db.execute("UPDATE participants SET joined_on = ? WHERE id = ?", [day, pid])
        if n == 4:  # two parents in one locality and month
            db.execute("UPDATE participants SET locality = ? WHERE id = ?", [places[0], pid])
    for happened in ("2026-03-31", "2026-12-31", "2025-01-01"):
        read = figures.participants(db, happened)
        assert figures.joined_by_month_of(read) == before.joined_by_month(db, happened)


# Ids of every form: canonical (kept as 16 bytes in the log), another's upper-case and dashless
# spellings (kept as text, though their hex is a canonical id's bytes), and plain text.
IDS = [
    "abcdef01-0000-4000-8000-000000000001",
    "ABCDEF01-0000-4000-8000-000000000001",
    "abcdef0100004000800000000000000" + "1",
    "abcdef01-0000-4000-8000-000000000002",
    "BEN-00001",
]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    events=st.lists(
        st.tuples(
            st.sampled_from(IDS),
            st.sampled_from(["create", "update", "delete"]),
            st.sampled_from(["active", "paused", "moved_on", "closed", "other"]),
        ),
        max_size=14,
    ),
    held=st.lists(st.sampled_from(IDS), unique=True, min_size=1),
)
def test_status_history_as_before(
    db: Database, events: list[tuple[str, str, str]], held: list[str]
) -> None:
    _fill(db, [None] * 5, {})
    db.execute("DELETE FROM participants")
    db.execute("DELETE FROM journal")
    for pid in held:
        db.execute(
            "INSERT INTO participants (id, locality, joined_on, status) "
            "VALUES (?, 'fife', '2025-01-01', 'active')",
            [pid],
        )
    for n, (pid, action, status) in enumerate(events):
        db.execute(
            "INSERT INTO journey_log(event_id, at, device_id, actor, participant_id, kind, "
            "record_id, action, fields, txn) VALUES (?, ?, 'd', 'kw', ?, 'participants', ?, ?, ?, 't')",
            [
                f"00000000-0000-4000-8000-{n:012d}",
                f"2026-01-01T00:00:{n:02d}.000000Z",
                pid,
                pid,
                action,
                json.dumps({"status": status}),
            ],
        )
    values = ["active", "paused", "moved_on", "closed"]
    for changed_only in (False, True):
        assert figures.status_history(
            db, values, changed_only=changed_only
        ) == before.status_history(db, values, changed_only=changed_only)


_contact_day = st.sampled_from(
    ["2025-12-31", "2026-01-01", "2026-01-20", "2026-03-31", "2026-04-01", "2026-07-01"]
) | st.sampled_from(
    ["2026-1-5", "20260105", "2026,01-02", "", "0001-01-01", "2026-13-01", "2026-02"]
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    places=st.lists(st.sampled_from(["fife", "glasgow"]) | st.none(), min_size=5, max_size=5),
    contacts=st.lists(
        st.tuples(_whose, _contact_day, st.none() | st.sampled_from([30, 45, "20", "x"])),
        max_size=30,
    ),
    odd=st.booleans(),
)
def test_contacts_by_month_as_before(
    db: Database, places: list[Any], contacts: list[tuple[Any, ...]], odd: bool
) -> None:
    _fill(db, places, {"contacts": contacts})
    if odd:  # parents who joined in one month, and on a day that is not a date
        db.execute("UPDATE participants SET joined_on = '2025-01-20' WHERE rowid % 2 = 0")
        db.execute("UPDATE participants SET joined_on = '2025-1-2' WHERE rowid = 3")
    for happened in ("2026-03-31", "2026-12-31"):
        rows, parents = figures.contacts_by_month_and_parent(db, happened)
        old_rows, old_parents = before.contacts_by_month_and_parent(db, happened)
        # The same counts (in another order: each month's, where one by one they came in the
        # order first met; they are added up).
        assert sorted(rows, key=repr) == sorted(old_rows, key=repr)
        assert len(rows) == len(old_rows)
        assert parents == old_parents
