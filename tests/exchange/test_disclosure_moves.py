"""The audit's shortcut (exchange.disclosure._pinned_by_moves) gives the integer program's
answer whenever it answers: on generated tables of counts with totals, and on every group of
withheld counts of real report sets."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journeyapp.caseload import Caseload
from journeyapp.demo import build_demo
from journeyapp.exchange import disclosure
from journeyapp.exchange.report import build_report_set
from tests.clock import ticking_clock
from tests.conftest import TODAY


def _by_solver_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(disclosure, "_pinned_by_moves", lambda *args: None)


@st.composite
def tables(draw: st.DrawFn) -> tuple[dict[Any, int], list[tuple[Any, list[Any]]], set[Any]]:
    """A few two-way tables of small counts (rows x columns, places), with row, column and
    grand totals and a whole table summing the places: the shape of a report set."""
    rows, cols, places = draw(st.integers(1, 3)), draw(st.integers(2, 4)), draw(st.integers(1, 3))
    counts = st.integers(0, 3)  # small counts: moves often blocked at 1
    values: dict[Any, int] = {}
    relations: list[tuple[Any, list[Any]]] = []
    for p in range(places):
        for r in range(rows):
            for c in range(cols):
                values[(p, r, c)] = draw(counts)
    for p in [*range(places), "all"]:
        for r in range(rows):
            for c in range(cols):
                if p == "all":
                    values[(p, r, c)] = sum(values[(q, r, c)] for q in range(places))
        for r in range(rows):
            values[(p, r, "total")] = sum(values[(p, r, c)] for c in range(cols))
            relations.append(((p, r, "total"), [(p, r, c) for c in range(cols)]))
        for c in [*range(cols), "total"]:
            values[(p, "total", c)] = sum(values[(p, r, c)] for r in range(rows))
            relations.append(((p, "total", c), [(p, r, c) for r in range(rows)]))
    for r in [*range(rows), "total"]:
        for c in [*range(cols), "total"]:
            relations.append((("all", r, c), [(p, r, c) for p in range(places)]))
    nonzero = sorted((k for k, v in values.items() if v), key=str)
    hidden = set(draw(st.lists(st.sampled_from(nonzero), unique=True))) if nonzero else set()
    return values, relations, hidden


@settings(max_examples=300, deadline=None)
@given(tables())
def test_the_shortcut_agrees_with_the_integer_program(
    table: tuple[dict[Any, int], list[tuple[Any, list[Any]]], set[Any]],
) -> None:
    values, relations, hidden = table
    fast = disclosure.solvable(values, relations, hidden)
    with pytest.MonkeyPatch.context() as patch:
        _by_solver_only(patch)
        assert disclosure.solvable(values, relations, hidden) == fast


def test_report_sets_protect_the_same_counts_with_and_without_the_shortcut(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    c = Caseload.open(tmp_path / "demo.db", create=True, demo=True, clock=ticking_clock(TODAY))
    try:
        build_demo(c, participants=60, seed=1, today=TODAY)
        periods = [(None, None), (date(2026, 4, 1), date(2026, 6, 30)), (date(2026, 7, 1), None)]
        fast = [build_report_set(c, since=s, until=u) for s, u in periods]
        _by_solver_only(monkeypatch)
        assert [build_report_set(c, since=s, until=u) for s, u in periods] == fast
    finally:
        c.close()
