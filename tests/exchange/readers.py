"""What a reader of published figures knows, for the attacker (tests/exchange/audit.py): every
count of a programme report set and of a funder's return (None where withheld), and every sum
and equality a reader can use, within one document and between them. Written apart from the
withholding (exchange.report._protect, exchange.returns._tabulate): from what is published, the
partnership's configuration and what the figures mean."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from journeyapp.caseload import Caseload
from journeyapp.demo import build_demo
from journeyapp.exchange.report import PARTITIONS, ProgrammeReport
from journeyapp.exchange.returns import MEASURES, FunderReturn
from tests.clock import ticking_clock
from tests.conftest import TODAY

Sum = tuple[Any, list[Any]]


def merged_demo(folder: Path, sizes: Iterable[int] = (50, 35, 25), seed: int = 40) -> Caseload:
    """Demo laptops merged into a coordinator's caseload (open: the caller closes it)."""
    coord = Caseload.open(folder / "coord.db", create=True, plain=True, actor="coordinator")
    coord.clock = ticking_clock(TODAY)
    for n, size in enumerate(sizes, 1):
        laptop = Caseload.open(
            folder / f"laptop{n}.db", create=True, plain=True, actor=f"keyworker{n}"
        )
        laptop.clock = ticking_clock(TODAY)
        build_demo(laptop, participants=size, seed=seed + n, today=TODAY)
        coord.exchange.merge_events(laptop.events())
        laptop.close()
    return coord


def tagged(tag: Hashable, cell: Any) -> tuple[Hashable, Any]:
    """A cell of one document among several (its period, or the return's quarter)."""
    return (tag, cell)


def tagged_sums(tag: Hashable, sums: Iterable[tuple[Any, Iterable[Any]]]) -> list[Sum]:
    return [(tagged(tag, total), [tagged(tag, p) for p in parts]) for total, parts in sums]


def tagged_seen(tag: Hashable, seen: dict[Any, Any]) -> dict[Any, Any]:
    return {tagged(tag, cell): value for cell, value in seen.items()}


# -- the programme report --------------------------------------------------------------------

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


def published_exact(reports: dict[str | None, ProgrammeReport]) -> dict[Cell, int]:
    exact: dict[Cell, int] = {}
    for place, report in reports.items():
        exact[(place, "reach", "participants")] = report.participants
        for section in report.sections:
            for row in section.rows:
                if row.is_count and row.value is not None:
                    exact[(place, section.key, row.key)] = int(row.value)
    return exact


# -- the funder's return ---------------------------------------------------------------------


def return_seen(result: FunderReturn) -> dict[Any, int | None]:
    """What a reader sees of a return's tables: every count (None where withheld)."""
    return {
        (d, g, m): result.count(d, g, m)
        for d, rows in result.tables.items()
        for g, _ in rows
        for m in MEASURES
    }


def return_sums(result: FunderReturn, caseload: Caseload) -> list[Sum]:
    """Every sum a reader of a return's tables knows: each table but the priority groups is
    every parent once, so its rows add up to the whole; the minority ethnic group is the
    ethnic groups the partnership's codes mark minority."""
    minority = caseload.codes.flagged("ethnicity", "minority")
    found: list[Sum] = []
    for m in MEASURES:
        whole = ("all", "all", m)
        for d, rows in result.tables.items():
            if d not in ("all", "priority_group"):
                found.append((whole, [(d, g, m) for g, _ in rows]))
        found.append(
            (
                ("priority_group", "minority_ethnic", m),
                [("ethnicity", g, m) for g, _ in result.tables["ethnicity"] if g in minority],
            )
        )
    return found


def months_of(since: date, until: date) -> list[str]:
    """Every month ("2026-04") from `since` to `until`."""
    months, (year, month) = [], (since.year, since.month)
    while (year, month) <= (until.year, until.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def between(
    returned: Hashable,
    result: FunderReturn,
    reported: Hashable,
    reports: dict[str | None, ProgrammeReport],
    caseload: Caseload,
) -> list[Sum]:
    """What a reader of a quarter's return and of a report set for a period knows of the two
    together (cells tagged `returned` and `reported`): the parents who started in the quarter
    are those the report has joining in the quarter's months, when its period takes in the
    quarter (every parent who joined in the period is reached in it), and the report's parents
    who started, when its period is the quarter. Where the return and a report for the quarter
    count the same parents under one name (left: moved on or closed; started work, gained a
    qualification, started volunteering, progressed in work: the one milestone type the
    partnership counts for it), the reader takes them for one another when they are equal
    (the attacker is told when: stronger than a reader)."""
    q = result.quarter
    whole = reports[None]
    rows = {s.key: {r.key for r in s.rows} for s in whole.sections}

    def ret(measure: str) -> Any:
        return tagged(returned, ("all", "all", measure))

    def rep(section: str, row: str) -> Any:
        return tagged(reported, (None, section, row))

    since, until = whole.filters.get("from"), whole.filters.get("to")
    found: list[Sum] = []
    if (since is None or since <= q.start.isoformat()) and (
        until is None or until >= q.end.isoformat()
    ):
        found.append(
            (ret("starts"), [rep("by_month_joined", m) for m in months_of(q.start, q.end)])
        )
    if (since, until) != (q.start.isoformat(), q.end.isoformat()):
        return found
    found.append((ret("starts"), [rep("starts_and_leavers", "started")]))
    exact = published_exact(reports)

    def told(measure: str, parts: list[Any]) -> None:
        if result.counts[("all", "all", measure)] == sum(exact.get(p[1], 0) for p in parts):
            found.append((ret(measure), parts))

    told("leavers", [rep("starts_and_leavers", "moved_on"), rep("starts_and_leavers", "closed")])
    codes, catalogue = caseload.codes, caseload.catalogue
    single = {
        "job_entries": set(catalogue.job_entry_types),
        **{o: set(codes.outcome_milestones(o)) for o in MEASURES if codes.outcome_milestones(o)},
    }
    for measure, types in single.items():
        if len(types) == 1 and f"pct:{next(iter(types))}" in rows["milestones"]:
            told(measure, [rep("milestones", f"pct:{next(iter(types))}")])
    return found


# -- programme reports for different periods -------------------------------------------------

Period = tuple[date | None, date | None]


def whole_months(period: Period) -> list[str] | None:
    """The months a dated period is made of, when it starts on a 1st and ends on a month's
    last day (None otherwise, and for a period open at either end)."""
    since, until = period
    if since is None or until is None or since.day != 1:
        return None
    if (until.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1) != until:
        return None
    return months_of(since, until)


def across_periods(sets: dict[Period, dict[str | None, ProgrammeReport]]) -> list[Sum]:
    """Every sum a reader of report sets for several periods knows (cells tagged by period):
    a month's parents joined are the same in every report whose period takes in the whole
    month (every parent who joined in the period is reached in it), and are everyone who
    joined that month in the report over all dates; a period's parents who joined are its
    months' (in any report that shows those months); the contacts of a period made of others
    are theirs added up (every parent contacted in a period is reached in it)."""
    found: list[Sum] = []
    first_seen: dict[tuple[str | None, str], Any] = {}
    for period, reports in sets.items():
        months = whole_months(period)
        for place, report in reports.items():
            shown = {r.key for r in report.section("by_month_joined").rows}
            inside = shown if period == (None, None) else set(months or ()) & shown
            for month in sorted(inside):
                cell = tagged(period, (place, "by_month_joined", month))
                if (place, month) in first_seen:
                    found.append((first_seen[(place, month)], [cell]))
                else:
                    first_seen[(place, month)] = cell
            if months:
                found.append(
                    (
                        tagged(period, (place, "starts_and_leavers", "started")),
                        [tagged(period, (place, "by_month_joined", m)) for m in months],
                    )
                )
    for whole, reports in sets.items():
        months = whole_months(whole)
        if not months:
            continue
        parts = [p for p in sets if p != whole and (m := whole_months(p)) and set(m) < set(months)]
        covered = sorted(m for p in parts for m in whole_months(p) or ())
        if covered != sorted(months):
            continue  # not made of the others exactly (or made of them twice over)
        for place in reports:
            found.append(
                (
                    tagged(whole, (place, "contacts", "total")),
                    [tagged(p, (place, "contacts", "total")) for p in parts],
                )
            )
    return found
