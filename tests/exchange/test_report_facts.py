"""The report reads contacts and milestones as just the fields it uses: the same figures."""

from __future__ import annotations

from datetime import date

import pytest

from journeyapp.caseload import Caseload
from journeyapp.exchange import report


@pytest.mark.parametrize(
    ("since", "until"),
    [(None, None), (date(2026, 4, 1), date(2026, 9, 30)), (None, date(2026, 6, 1))],
)
def test_facts_give_the_figures_whole_records_give(
    demo_caseload: Caseload, monkeypatch: pytest.MonkeyPatch, since: date | None, until: date | None
) -> None:
    slim = report.build_report_set(demo_caseload, since=since, until=until)
    monkeypatch.setattr(report, "_FACTS", {})  # every table read as whole records, as before
    whole = report.build_report_set(demo_caseload, since=since, until=until)
    assert slim.keys() == whole.keys()
    for place in whole:
        assert slim[place] == whole[place], place
