"""A reader with a quarter's funder's return and the programme reports a coordinator sends
beside it (every quarter's of its calendar and financial year, those years', all dates') works
out no count the return withholds, nor one the reports withhold that they do not give away on
their own (tests/exchange/readers.py: every sum such a reader knows). On the old withholding
the demo's 2026Q1 return withheld its parents who started (16), which the quarter's report
shows."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from journeyapp.caseload import Caseload
from journeyapp.core.returns import Quarter, parse_quarter
from journeyapp.exchange.lookup import import_lookup
from journeyapp.exchange.report import build_report_set
from journeyapp.exchange.returns import FunderReturn, build_return
from tests.exchange.audit import recovered
from tests.exchange.readers import (
    between,
    merged_demo,
    published,
    published_exact,
    relations,
    return_seen,
    return_sums,
    tagged_seen,
    tagged_sums,
    what_else_a_reader_knows,
)
from tests.exchange.test_returns import LOOKUP, partnership


def periods_beside(quarter: Quarter) -> list[tuple[date | None, date | None]]:
    """The reports a reader has beside a quarter's return: every quarter's of its calendar
    year and of its financial year (April to March), those years', and all dates'."""
    january = date(quarter.start.year, 1, 1)
    april = date(quarter.start.year - (quarter.start.month < 4), 4, 1)
    quarters = {
        (start, parse_quarter(f"{start.year}Q{(start.month + 2) // 3}").end)
        for first in (january, april)
        for start in (
            date(first.year + (first.month + m > 12), (first.month + m - 1) % 12 + 1, 1)
            for m in (0, 3, 6, 9)
        )
    }
    return [
        *sorted(quarters),
        (january, date(january.year, 12, 31)),
        (april, date(april.year + 1, 3, 31)),
        (None, None),
    ]


@dataclass
class Published:
    """A quarter's return and the report sets beside it, as a reader sees them, and the sums
    the reader knows (the return's cells tagged "return", the reports' ("report", period))."""

    seen: dict[Any, int | None]
    result: FunderReturn
    sums: list[Any]


def publish(caseload: Caseload, quarter: Quarter) -> Published:
    seen: dict[Any, int | None] = {}
    sums: list[Any] = []
    result = build_return(caseload, quarter)
    sums += tagged_sums("return", return_sums(result, caseload))
    for period in periods_beside(quarter):
        since, until = period
        reports = build_report_set(caseload, since=since, until=until)
        more, unknown = what_else_a_reader_knows(reports, published_exact(reports), caseload)
        seen |= tagged_seen(("report", period), {**published(reports), **unknown})
        sums += tagged_sums(("report", period), relations(reports) + more)
        sums += between("return", result, ("report", period), reports, caseload)
    return Published(seen, result, sums)


def worked_out(sent: Published, *, return_withheld_whole: bool = False) -> list[Any]:
    """The withheld counts pinned by everything published (with every non-zero count of the
    return withheld, when `return_withheld_whole`: what the reports give away on their own,
    with the zeros the return shows)."""
    shown = return_seen(sent.result)
    if return_withheld_whole:
        shown = {cell: (None if sent.result.counts[cell] else 0) for cell in shown}
    seen = sent.seen | tagged_seen("return", shown)
    return [c for c in recovered(seen, sent.sums) if "a reader's unknown" not in str(c[1])]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Caseload]:
    """Two demo laptops merged into a coordinator's caseload."""
    coord = merged_demo(tmp_path_factory.mktemp("demo"), sizes=(30, 20))
    yield coord
    coord.close()


@pytest.fixture(scope="module")
def known(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Caseload]:
    """The seven parents of tests/exchange/test_returns.py, with the postcode lookup."""
    c = Caseload.open(Path(tmp_path_factory.mktemp("known")) / "c.db", create=True, plain=True)
    import_lookup(c, LOOKUP)
    partnership(c)
    yield c
    c.close()


@pytest.mark.parametrize(
    ("which", "quarter"),
    [("demo", "2026Q1"), ("known", "2026Q3"), ("known", "2026Q4")],
)
def test_a_return_and_the_reports_beside_it_give_away_nothing_withheld(
    which: str, quarter: str, request: pytest.FixtureRequest
) -> None:
    """A reader of a quarter's return and the programme reports beside it (the quarters' and
    years' around it, all dates) who knows how they fit together (the parents who started are
    those joining in the quarter's months; the same parents counted under one name in the
    return and the quarter's report) works out none of the return's withheld counts, nor any
    of the reports' that the reports do not give away on their own."""
    caseload: Caseload = request.getfixturevalue(which)
    sent = publish(caseload, parse_quarter(quarter))
    pinned = worked_out(sent)
    if not pinned:
        return
    alone = worked_out(sent, return_withheld_whole=True)
    # A return's withheld count is worked out only where the reports give it away on their
    # own (a year's report less three of its quarters', say): then it is one from 1 to 4.
    given = [(c, sent.result.counts[c[1]]) for c in pinned if c[0] == "return"]
    assert [(c, n) for c, n in given if c not in alone or n >= 5] == []
    # A report's withheld count is worked out only where the reports alone give it away.
    assert [c for c in pinned if c[0] != "return" and c not in alone] == []
