"""The counts reports for the standard periods share (report._shared_counts), worked out month by
month, are what the straightforward computation gives: every period's contacts added up over
every count of the place's (as it was first written), on random caseloads' months; and the
months read with SQL are the caseload's records counted one by one."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeyapp.caseload import Caseload
from journeyapp.core.records import Contact, Participant
from journeyapp.demo import build_demo
from journeyapp.exchange.report import _shared_counts, _standard_periods, _whole_months
from journeyapp.store import figures
from tests.clock import ticking_clock
from tests.conftest import TODAY


def straightforward(
    joins: list[tuple[Any, ...]], contacts: list[tuple[Any, ...]]
) -> tuple[dict[Any, int], list[Any], list[Any]]:
    """_shared_counts as first written: each period's contacts summed over all the counts."""
    cells: dict[Any, int] = {}
    by_month: dict[str | None, Counter[str]] = defaultdict(Counter)
    for place, month, n in joins:
        if month:
            by_month[place][month] += n
            by_month[None][month] += n
    met: Counter[tuple[Any, Any, Any]] = Counter()
    for place, month, joined, n in contacts:
        met[(place, month, joined)] += n
        met[(None, month, joined)] += n
    dated = [m for m in (*(m for c in by_month.values() for m in c), *(k[1] for k in met)) if m]
    if not dated:
        return {}, [], []
    periods = _standard_periods(min(dated), max(dated))
    places = sorted({*by_month, *(k[0] for k in met)}, key=str)
    localities = [p for p in places if p is not None]
    sums: list[Any] = []
    last: list[Any] = []
    for place in places:
        months = by_month[place]
        for m, n in months.items():
            cells[("month", place, m)] = n
        cells[("total", place)] = sum(months.values())
        sums.append((("total", place), [("month", place, m) for m in months]))
        last.append(("total", place))
        for period in periods:
            since, until = period
            within = _whole_months(since, until)
            if within is not None and until is not None:
                started = ("started", place, period)
                cells[started] = sum(months[m] for m in within)
                sums.append((started, [("month", place, m) for m in within if m in months]))
                last.append(started)
                end = until.isoformat()[:7]
                inside = set(within)
                n = sum(
                    v for (p, m, j), v in met.items() if p == place and m in inside and j <= end
                )
            else:
                n = sum(v for (p, _m, _j), v in met.items() if p == place)
            cells[("contacts", place, period)] = n
    for kind in ("month", "total", "started", "contacts"):
        for cell in [c for c in cells if c[0] == kind and c[1] is None]:
            parts = [(kind, p, *cell[2:]) for p in localities]
            sums.append((cell, [p for p in parts if p in cells]))
    quarters = [p for p in periods if len(_whole_months(*p) or ()) == 3]
    for place in places:
        for whole in periods:
            spans = set(_whole_months(*whole) or ())
            parts = [
                q for q in quarters if whole == (None, None) or set(_whole_months(*q) or ()) < spans
            ]
            cell = ("contacts", place, whole)
            if len(parts) > 1 and cells[cell] == sum(cells[("contacts", place, q)] for q in parts):
                sums.append((cell, [("contacts", place, q) for q in parts]))
    return cells, sums, last


MONTHS = [f"{y}-{m:02d}" for y in (2024, 2025, 2026) for m in range(1, 13)]
PLACES = ["edinburgh", "fife", "glasgow", "old_place"]
months = st.sampled_from(MONTHS)
places = st.sampled_from(PLACES)


@settings(max_examples=300, deadline=None)
@given(
    joins=st.lists(st.tuples(places, months | st.just(""), st.integers(1, 40)), max_size=25),
    contacts=st.lists(st.tuples(places, months, months, st.integers(1, 60)), max_size=40),
)
def test_shared_counts_are_the_straightforward_ones(
    joins: list[tuple[Any, ...]], contacts: list[tuple[Any, ...]]
) -> None:
    fast_cells, fast_sums, fast_last = _shared_counts(joins, contacts)
    cells, sums, last = straightforward(joins, contacts)
    # The same cells in the same order, the same sums in the same order: withholding reads them
    # in order, so the same counts are withheld.
    assert list(fast_cells.items()) == list(cells.items())
    assert fast_sums == sums
    assert fast_last == last


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 1000), ahead=st.integers(0, 40))
def test_months_read_with_sql_are_the_records_counted(
    tmp_path_factory: Any, seed: int, ahead: int
) -> None:
    path: Path = tmp_path_factory.mktemp("months") / "demo.db"
    c = Caseload.open(path, create=True, demo=True, clock=ticking_clock(TODAY))
    try:
        build_demo(c, participants=40, seed=seed, today=TODAY)
        # A parent who joined, and contacts made, after today (typed on a laptop whose clock
        # was ahead, then put right): counted by no report.
        c.clock = ticking_clock(TODAY + timedelta(days=ahead + 1))
        day = TODAY + timedelta(days=ahead + 1)
        later = c.enrol_participant("Later", "fife", joined_on=day)
        c.log_contact(later.id, on=day)
        c.log_contact(c.all_records(Participant)[0].id, on=day)
        c.clock = ticking_clock(TODAY)
        happened = c.today().isoformat()
        joins, met = c.report_months()
        parents = {p.id: p for p in c.all_records(Participant)}
        expected_joins: Counter[tuple[Any, ...]] = Counter(
            (p.locality, p.joined_on.isoformat()[:7])
            for p in parents.values()
            if p.joined_on.isoformat() <= happened
        )
        assert {(place, m): n for place, m, n in joins} == expected_joins
        expected: Counter[tuple[Any, ...]] = Counter()
        for contact in c.all_records(Contact):
            parent = parents[contact.participant_id]
            joined = parent.joined_on.isoformat()
            if contact.on.isoformat() <= happened and joined <= happened:
                expected[(parent.locality, contact.on.isoformat()[:7], joined[:7])] += 1
        assert {(place, m, j): n for place, m, j, n in met} == expected
        assert sum(expected.values()) > 0
        # Read with an all-dates report's own facts (one reading of the contacts): the same
        # months, and each parent's contacts as the period's reader gives them, for every
        # parent who joined by today (no report counts another).
        facts = c.report_facts(None, None, bits=60, happened=c.today())
        assert facts.months is not None
        by_month = {(place, m, j): n for place, m, j, n in facts.months[1]}
        assert by_month == expected
        assert sorted(facts.months[0]) == sorted(joins)
        joined = {pid for pid, p in parents.items() if p.joined_on.isoformat() <= happened}
        alone = figures.contacts_per_parent(c.db, None, happened)
        assert sorted(facts.contacts) == sorted(row for row in alone if row[0] in joined)
        # A period with a start, or ending before today, reads them apart.
        assert c.report_facts(TODAY, None, bits=60, happened=c.today()).months is None
        earlier = TODAY - timedelta(days=30)
        assert c.report_facts(None, earlier, bits=60, happened=earlier).months is None
    finally:
        c.close()


def test_a_caseload_with_nothing_dated_shares_nothing() -> None:
    assert _shared_counts([], []) == ({}, [], [])
    assert _shared_counts([("fife", "", 3)], []) == ({}, [], [])
    assert straightforward([("fife", "", 3)], []) == ({}, [], [])
    assert date(2026, 1, 1).isoformat()[:7] in MONTHS


def test_months_strung_together_are_the_months_grouped_by_sqlite(demo_caseload: Caseload) -> None:
    """The contacts' months counted in Python are those SQLite groups, and a date that is not
    a date (a comma in it, say, written by another program) is counted as SQLite groups it."""
    db = demo_caseload.db
    happened = TODAY.isoformat()

    def same() -> None:
        fast = figures.contacts_by_month(db, happened)
        grouped = figures._contacts_by_month_grouped(db, happened)
        assert sorted(fast, key=repr) == sorted(grouped, key=repr)
        assert len(fast) == len({row[:3] for row in fast})  # each month once

    same()
    db.execute(
        "UPDATE contacts SET \"on\" = '2026-0,-01' WHERE rowid = (SELECT min(rowid) FROM contacts)"
    )
    db.execute("UPDATE contacts SET \"on\" = '' WHERE rowid = (SELECT max(rowid) FROM contacts)")
    same()
