"""An attacker with every report a coordinator can publish (locality x quarter) recovers no
withheld count; the same attacker does recover counts when only 1-4 are withheld."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings

from journeyapp.caseload import Caseload
from journeyapp.exchange.disclosure import withhold
from journeyapp.exchange.report import build_report_set
from tests.exchange.audit import recovered
from tests.exchange.readers import (
    merged_demo,
    published,
    published_exact,
    relations,
    what_else_a_reader_knows,
)
from tests.exchange.test_disclosure_moves import tables

QUARTERS = [
    (date(2026, 1, 1), date(2026, 3, 31)),
    (date(2026, 4, 1), date(2026, 6, 30)),
    (date(2026, 7, 1), date(2026, 9, 30)),
    (date(2026, 10, 1), date(2026, 11, 28)),
]


@pytest.fixture(scope="module")
def partnership(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Caseload]:
    """Three demo laptops merged into a coordinator's caseload."""
    coord = merged_demo(tmp_path_factory.mktemp("partnership"))
    yield coord
    coord.close()


def test_no_withheld_count_can_be_solved_for_across_locality_and_quarter(
    partnership: Caseload,
) -> None:
    withheld_small = withheld_large = 0
    for since, until in QUARTERS:
        reports = build_report_set(partnership, since=since, until=until)
        seen = published(reports)
        exact = published_exact(reports)
        withheld_small += sum(1 for c, v in seen.items() if v is None and exact[c] < 5)
        withheld_large += sum(1 for c, v in seen.items() if v is None and exact[c] >= 5)
        assert recovered(seen, relations(reports)) == [], (since, until)
        # Percentages never give a withheld count away either: none is published for them.
        for place, report in reports.items():
            milestones = report.to_json_data()["milestones"]
            for key, value in milestones.items():
                if value["participants"] is None:
                    assert value["percent"] is None, (place, key)
    # The test exercised both kinds: counts from 1 to 4 and larger ones withheld beside them.
    assert withheld_small > 0
    assert withheld_large > 0


@pytest.mark.parametrize("period", [(None, None), *QUARTERS])
def test_a_reader_who_knows_how_the_rows_fit_together_recovers_nothing(
    partnership: Caseload, period: tuple[date | None, date | None]
) -> None:
    """The report's rows add up in more ways than its partitions of the parents reached (the
    pipeline stages are sums of journey stages; a break taken is one now or one ended; the
    keyworkers' caseloads are the parents active or on a break), and some rows count the same
    parents as others: a reader who knows all that pins no withheld count either."""
    since, until = period
    reports = build_report_set(partnership, since=since, until=until)
    exact = published_exact(reports)
    sums, unknown = what_else_a_reader_knows(reports, exact, partnership)
    seen = {**published(reports), **unknown}
    assert [c for c in recovered(seen, relations(reports) + sums) if c not in unknown] == []


def test_the_attacker_does_recover_counts_when_only_1_to_4_are_withheld(
    partnership: Caseload,
) -> None:
    """The attacker is strong enough to matter: primary suppression alone leaks."""
    leaked = 0
    for since, until in QUARTERS[:2]:
        reports = build_report_set(partnership, since=since, until=until)
        exact = published_exact(reports)
        naive = {c: (None if 0 < v < 5 else v) for c, v in exact.items()}
        leaked += len(recovered(naive, relations(reports)))
    assert leaked > 0


def test_withhold_adds_a_second_cell_and_avoids_sums_of_ones() -> None:
    values = {"t": 12, "a": 2, "b": 7, "c": 3}
    assert withhold(values, [("t", ["a", "b", "c"])]) == {"a", "c"}
    ones = {"t": 9, "a": 1, "b": 1, "c": 7}
    assert withhold(ones, [("t", ["a", "b", "c"])]) == {"a", "b", "c"}
    single = {"t": 9, "a": 2, "b": 7}
    assert withhold(single, [("t", ["a", "b"])]) == {"a", "b"}


def test_withhold_keeps_another_documents_withheld_count_from_being_worked_out() -> None:
    """A return's total of 6 (3 + 3, both withheld) is a report's count withheld there: shown
    in the return it would give the report's away, so the return withholds it too; a count
    the report shows is never withheld for it."""
    values = {"report": 6, "t": 6, "a": 3, "b": 3}
    relations = [("t", ["a", "b"]), ("t", ["report"])]
    assert withhold(values, relations) == {"a", "b"}  # t shown: the report's 6 with it
    assert withhold(values, relations, settled={"report": True}) == {"a", "b", "t"}
    assert withhold(values, relations, settled={"report": False}) == {"a", "b"}


@settings(max_examples=100, deadline=None)
@given(tables())
def test_no_withheld_count_of_any_table_can_be_worked_out(
    table: tuple[dict[Any, int], list[tuple[Any, list[Any]]], set[Any]],
) -> None:
    """Invariant: whatever the counts, an attacker written apart from the withholding (an
    integer program over every published count and sum) pins no withheld count; counts from
    1 to 4 are withheld and zeros shown."""
    values, relations, _ = table
    hidden = withhold(values, relations)
    assert all(cell in hidden for cell, n in values.items() if 0 < n < 5)
    assert all(values[cell] for cell in hidden)
    seen = {cell: None if cell in hidden else n for cell, n in values.items()}
    assert recovered(seen, relations) == []
