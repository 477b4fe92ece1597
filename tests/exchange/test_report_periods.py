"""Programme reports for different periods, read together, give away no withheld count: a
coordinator publishes each quarter's report, the year's (calendar, and financial: April to
March) and the one over all dates to the same partnership board, and a reader sets them side
by side (tests/exchange/readers.py: every sum such a reader knows). On the old withholding each
period's reports were withheld on their own: the third quarter's report showed 14 parents
joined and the year's showed July 5 and August 5, so September's withheld 4 was 14 - 5 - 5."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from journeyapp.caseload import Caseload
from journeyapp.exchange.report import ProgrammeReport, build_report, build_report_set
from tests.exchange.audit import recovered
from tests.exchange.readers import (
    Period,
    across_periods,
    merged_demo,
    published,
    published_exact,
    relations,
    tagged_seen,
    tagged_sums,
    what_else_a_reader_knows,
)
from tests.exchange.test_returns import on

Q3 = (date(2026, 7, 1), date(2026, 9, 30))


def standard_periods(year: int) -> list[Period]:
    """What a coordinator publishes about a year: each calendar quarter's report, the
    calendar year's, the financial year's from April (with the next year's first quarter),
    and all dates'."""
    quarters = [
        (date(year, 1, 1), date(year, 3, 31)),
        (date(year, 4, 1), date(year, 6, 30)),
        Q3 if year == 2026 else (date(year, 7, 1), date(year, 9, 30)),
        (date(year, 10, 1), date(year, 12, 31)),
        (date(year + 1, 1, 1), date(year + 1, 3, 31)),
    ]
    return [
        *quarters,
        (date(year, 1, 1), date(year, 12, 31)),
        (date(year, 4, 1), date(year + 1, 3, 31)),
        (None, None),
    ]


def read_together(
    caseload: Caseload, periods: list[Period]
) -> tuple[dict[Any, int | None], list[Any]]:
    """What a reader of every period's report set sees, and every sum they know."""
    seen: dict[Any, int | None] = {}
    sums: list[Any] = []
    sets: dict[Period, dict[str | None, ProgrammeReport]] = {}
    for period in periods:
        since, until = period
        reports = sets[period] = build_report_set(caseload, since=since, until=until)
        more, unknown = what_else_a_reader_knows(reports, published_exact(reports), caseload)
        seen |= tagged_seen(period, {**published(reports), **unknown})
        sums += tagged_sums(period, relations(reports) + more)
    return seen, sums + across_periods(sets)


def worked_out(caseload: Caseload, periods: list[Period]) -> list[Any]:
    seen, sums = read_together(caseload, periods)
    return [c for c in recovered(seen, sums) if "a reader's unknown" not in str(c[1])]


# Parents joining Fife each month of 2026 (and two in Glasgow), as in the brief's example:
# July 5, August 5, September 4.
JOINED = {1: 6, 2: 7, 3: 5, 4: 6, 5: 8, 6: 6, 7: 5, 8: 5, 9: 4, 10: 6, 11: 7}


def joined_each_month(
    path: Path, *, today: date = date(2027, 6, 1), glasgow: bool = True, ahead: bool = True
) -> Caseload:
    """A caseload of the parents in JOINED (and two in Glasgow), read on `today` (by default
    once the year is over); `ahead`: also those dated after it, written on a clock ahead."""
    c = Caseload.open(path, create=True, plain=True)
    for month, n in JOINED.items():
        for i in range(n):
            day = date(2026, month, 1 + i)
            if day <= today or ahead:
                on(c, day).enrol_participant(f"P{month}-{i}", "fife", day)
    for day in (date(2026, 2, 3), date(2026, 8, 4)) if glasgow else ():
        on(c, day).enrol_participant(f"G{day.month}", "glasgow", day)
    on(c, today)
    return c


@pytest.fixture(scope="module")
def months(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Caseload]:
    c = joined_each_month(Path(tmp_path_factory.mktemp("months")) / "c.db")
    yield c
    c.close()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Caseload]:
    """Two demo laptops merged into a coordinator's caseload."""
    coord = merged_demo(tmp_path_factory.mktemp("demo"), sizes=(30, 20))
    yield coord
    coord.close()


def test_the_year_and_its_third_quarter_give_away_nothing(months: Caseload) -> None:
    """The brief's example: September's 4 is not 14 - 5 - 5 (nor anything else pinned)."""
    assert worked_out(months, standard_periods(2026)) == []
    september = build_report(months, since=Q3[0], until=Q3[1]).section("by_month_joined")
    assert next(r for r in september.rows if r.key == "2026-09").withheld


def test_every_standard_period_of_the_demo_read_together_gives_away_nothing(
    demo: Caseload,
) -> None:
    assert worked_out(demo, [standard_periods(2026)[i] for i in (0, 1, 2, 3, 5, 7)]) == []


def test_a_report_is_the_same_whichever_is_asked_for_first(
    tmp_path: Path, months: Caseload
) -> None:
    """The third quarter's report alone is the one made beside the others (nothing held over
    from reports made before it changes it)."""
    first = build_report(months, since=Q3[0], until=Q3[1]).to_json()
    for since, until in standard_periods(2026):
        build_report_set(months, since=since, until=until)
    assert build_report(months, since=Q3[0], until=Q3[1]).to_json() == first
    again = joined_each_month(tmp_path / "same.db")
    try:
        year = build_report(again, since=date(2026, 1, 1), until=date(2026, 12, 31))
        assert build_report(again, since=Q3[0], until=Q3[1]).to_json() == first
        assert (
            year.to_json()
            == build_report(months, since=date(2026, 1, 1), until=date(2026, 12, 31)).to_json()
        )
    finally:
        again.close()


def test_a_report_for_a_period_of_its_own_says_what_it_was_checked_beside(
    months: Caseload,
) -> None:
    own = build_report(months, since=date(2026, 7, 15), until=date(2026, 9, 30))
    assert "not beside reports for other periods of their own choosing" in own.to_text()
    assert "own choosing" not in build_report(months, since=Q3[0], until=Q3[1]).to_text()


def test_records_dated_after_today_change_no_report_of_any_period(tmp_path: Path) -> None:
    """Parents "joined" later this year on a laptop whose clock was ahead (then put right) are
    in no report yet: every standard period's report is as if they were not there (the counts
    the periods share are worked out up to today too, as each report's are)."""
    today = date(2026, 8, 31)

    plain = joined_each_month(tmp_path / "plain.db", today=today, glasgow=False, ahead=False)
    written = joined_each_month(tmp_path / "ahead.db", today=today, glasgow=False)
    try:
        for since, until in standard_periods(2026):
            assert (
                build_report(written, since=since, until=until).to_json()
                == build_report(plain, since=since, until=until).to_json()
            ), (since, until)
    finally:
        plain.close()
        written.close()
