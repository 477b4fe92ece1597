"""Parents by month joined: every month from the first to the last, none skipped, adding up to
the parents reached (a real caseload, the real `journeyapp report` command, its JSON read back)."""

from __future__ import annotations

import json
import tempfile
from datetime import date
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeyapp.caseload import Caseload
from journeyapp.cli import cli
from tests.clock import in_real_past, past, ticking_clock
from tests.conftest import TODAY


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(joined=st.lists(st.dates(past(2024, 11, 1), in_real_past(TODAY)), min_size=1, max_size=8))
def test_months_joined_run_without_a_gap_and_add_up(joined: list[date]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "c.db"
        c = Caseload.open(db, create=True, plain=True, clock=ticking_clock(in_real_past(TODAY)))
        try:
            for day in joined:
                c.enrol_participant("Ann", "fife", day)
        finally:
            c.close()
        result = CliRunner().invoke(cli, ["report", "--db", str(db), "--format", "json", "--exact"])
        assert result.exit_code == 0, result.output
        months = json.loads(result.stdout)["by_month_joined"]
        first, last = min(joined), max(joined)
        span = (last.year - first.year) * 12 + last.month - first.month + 1
        assert list(months) == sorted(months)
        assert len(months) == span
        assert next(iter(months)) == f"{first:%Y-%m}"
        assert list(months)[-1] == f"{last:%Y-%m}"
        assert sum(months.values()) == len(joined)
        for month, n in months.items():
            assert n == sum(f"{day:%Y-%m}" == month for day in joined)
