"""An attacker with every report a coordinator can publish (locality x quarter) recovers no
withheld count; the same attacker does recover counts when only 1-4 are withheld."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

from journeyapp.caseload import Caseload
from journeyapp.demo import build_demo
from journeyapp.exchange.disclosure import withhold
from journeyapp.exchange.report import PARTITIONS, ProgrammeReport, build_report_set
from tests.clock import ticking_clock
from tests.conftest import TODAY
from tests.exchange.audit import recovered
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
    folder: Path = tmp_path_factory.mktemp("partnership")
    coord = Caseload.open(folder / "coord.db", create=True, plain=True, actor="coordinator")
    coord.clock = ticking_clock(TODAY)
    for n, size in enumerate((50, 35, 25), 1):
        laptop = Caseload.open(
            folder / f"laptop{n}.db", create=True, plain=True, actor=f"keyworker{n}"
        )
        laptop.clock = ticking_clock(TODAY)
        build_demo(laptop, participants=size, seed=40 + n, today=TODAY)
        coord.exchange.merge_events(laptop.events())
        laptop.close()
    yield coord
    coord.close()


Cell = tuple[Any, str, str]


def published(reports: dict[str | None, ProgrammeReport]) -> dict[Cell, int | None]:
    """What a reader sees: every count of every report (None where withheld)."""
    seen: dict[Cell, int | None] = {}
    for place, report in reports.items():
        data = report.to_json_data(suppress=True)
        seen[(place, "reach", "participants")] = data["participants"]
        for section in report.sections:
            for row in section.rows:
                if not row.is_count:
                    continue
                value = data[section.key][row.key.removeprefix("pct:")]
                seen[(place, section.key, row.key)] = (
                    value["participants"] if isinstance(value, dict) else value
                )
    return seen


def relations(reports: dict[str | None, ProgrammeReport]) -> list[tuple[Cell, list[Cell]]]:
    """Every sum a reader knows: partition rows add up to the total; localities add up to the
    whole partnership, figure by figure."""
    found: list[tuple[Cell, list[Cell]]] = []
    places = [p for p in reports if p is not None]
    for place, report in reports.items():
        for section in report.sections:
            if section.key in PARTITIONS:
                total = (place, "reach", "participants")
                found.append((total, [(place, section.key, r.key) for r in section.rows]))
    found.append(((None, "reach", "participants"), [(p, "reach", "participants") for p in places]))
    for section in reports[None].sections:
        for row in section.rows:
            if row.is_count:
                found.append(
                    ((None, section.key, row.key), [(p, section.key, row.key) for p in places])
                )
    return found


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


def what_else_a_reader_knows(
    reports: dict[str | None, ProgrammeReport], exact: dict[Cell, int], caseload: Caseload
) -> tuple[list[tuple[Cell, list[Cell]]], dict[Cell, None]]:
    """Sums a reader can also use, and the figures they stand on that are never published: each
    pipeline stage is the journey stages the partnership's catalogue maps to it; the parents who
    chose a break are those on one now and those who picked up again; the keyworkers'
    caseloads add up to the parents active plus those on a break (that sum is not published:
    an unknown); rows that count the same parents are taken for one another when equal (the
    attacker is told when they are, a stronger attacker than a reader)."""
    stage_to_pipeline = {e.key: str(e.pipeline or "") for e in caseload.catalogue.stages}
    found: list[tuple[Cell, list[Cell]]] = []
    unknown: dict[Cell, None] = {}
    for place, report in reports.items():

        def at(section: str, row: str, place: str | None = place) -> Cell:
            return (place, section, row)

        keys = {s.key: [r.key for r in s.rows] for s in report.sections}
        for pipeline in keys["by_pipeline_stage"]:
            stages = [k for k in keys["by_stage"] if stage_to_pipeline.get(k, "") == pipeline]
            found.append((at("by_pipeline_stage", pipeline), [at("by_stage", k) for k in stages]))
        found.append(
            (
                at("pauses", "parents_who_chose_a_break"),
                [at("pauses", "taking_a_break_now"), at("pauses", "picked_up_again")],
            )
        )
        on_caseload = at("a reader's unknown", "on a keyworker's caseload")
        unknown[on_caseload] = None
        found.append((on_caseload, [at("by_status", "active"), at("by_status", "paused")]))
        found.append(
            (on_caseload, [at("caseload_per_keyworker", k) for k in keys["caseload_per_keyworker"]])
        )
        for one, other in (
            (at("by_status", "paused"), at("pauses", "taking_a_break_now")),
            (at("by_status", "moved_on"), at("starts_and_leavers", "moved_on")),
            (at("by_status", "closed"), at("starts_and_leavers", "closed")),
            (at("reach", "participants"), at("starts_and_leavers", "started")),
        ):
            if exact.get(one) == exact.get(other):
                found.append((one, [other]))
    return found, unknown


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


def published_exact(reports: dict[str | None, ProgrammeReport]) -> dict[Cell, int]:
    exact: dict[Cell, int] = {}
    for place, report in reports.items():
        exact[(place, "reach", "participants")] = report.participants
        for section in report.sections:
            for row in section.rows:
                if row.is_count and row.value is not None:
                    exact[(place, section.key, row.key)] = int(row.value)
    return exact


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
