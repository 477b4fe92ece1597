"""The funder's return written as tables only (the workbook to publish) says how many parents it
counts as its tables do: withheld where they withhold it. Its About sheet said "Parents in the
return: 3" beside a table whose "All parents, On the programme" was withheld, and spoke of an
individual sheet it does not have."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from journeyapp.caseload import Caseload
from journeyapp.core.returns import parse_quarter
from journeyapp.exchange.returns import build_return, load_mapping
from tests.clock import ticking_clock
from tests.conftest import TODAY

QUARTER = parse_quarter("2026Q3")  # ended before the tests' today (28 Nov 2026)


def _about(path: Path) -> dict[str, object]:
    return {str(r[0]): r[1] for r in load_workbook(path)["About"].iter_rows(values_only=True)}


def _on_programme(path: Path) -> object:
    rows = list(load_workbook(path)["Tables"].iter_rows(values_only=True))
    heading = next(r for r in rows if r[0] == "All parents" and r[1] == "On the programme")
    return rows[rows.index(heading) + 1][1]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(joined=st.lists(st.integers(0, 91), min_size=1, max_size=9))
def test_the_published_workbook_gives_the_parents_as_its_tables_do(
    tmp_path_factory: pytest.TempPathFactory, joined: list[int]
) -> None:
    folder = tmp_path_factory.mktemp("tables")
    c = Caseload.open(folder / "c.db", create=True, plain=True)
    c.clock = ticking_clock(TODAY)
    try:
        for n, day in enumerate(joined):
            c.enrol_participant(f"Parent {n}", "fife", QUARTER.start + timedelta(days=day))
        result = build_return(c, QUARTER)
    finally:
        c.close()
    mapping = load_mapping()
    tables, whole = folder / "tables.xlsx", folder / "whole.xlsx"
    result.write_xlsx(tables, mapping, tables_only=True)
    result.write_xlsx(whole, mapping)
    assert load_workbook(tables).sheetnames == ["About", "Tables", "Columns"]
    said = _about(tables)["Parents in the return"]
    assert said == _on_programme(tables)
    if len(joined) < 5:
        assert said == mapping.withheld
    # It speaks of no individual sheet it does not have.
    assert "individual sheet" not in str(_about(tables)["What is left out"])
    assert "individual sheet" in str(_about(whole)["What is left out"])
    # With the individual lines, which give the number anyway, the number is said.
    assert _about(whole)["Parents in the return"] == len(joined)
