"""A demo made with a partnership's own catalogue is a demo of it: journeys spread along its own
stages, reaching its own milestone types, and starting work as its job-entry type says (a demo
with any other catalogue than the default made no job entries and no milestone but the first).
Generated catalogues, real caseload files."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeyapp.caseload import Caseload
from journeyapp.core.catalogue import parse_catalogue
from journeyapp.demo import build_demo
from journeyapp.exchange.report import build_report
from tests.clock import ticking_clock
from tests.conftest import TODAY
from tests.core.test_catalogue_rules import catalogues, toml_text

DEMOS = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@DEMOS
@given(lists=catalogues(), mark=st.integers(0, 5), seed=st.integers(1, 50))
def test_a_demo_with_a_partnerships_own_catalogue_uses_it(
    lists: dict[str, list[tuple[str, str]]], mark: int, seed: int
) -> None:
    types = lists["milestone_types"]
    job = types[mark % len(types)][0]
    catalogue = parse_catalogue(toml_text(lists, job=job), "ours.toml")
    assert catalogue.job_entry_types == (job,)
    with tempfile.TemporaryDirectory() as name:
        c = Caseload.open(Path(name) / "demo.db", create=True, demo=True, catalogue=catalogue)
        c.clock = ticking_clock(TODAY)
        try:
            build_demo(c, participants=40, seed=seed, today=TODAY)
            data = build_report(c).to_json_data(suppress=False)
        finally:
            c.close()
    assert data["participants"] == 40
    assert sum(data["by_stage"].values()) == 40
    # Every parent is at a stage of the catalogue's, and they are not all at one.
    assert set(data["by_stage"]) <= set(catalogue.keys("stages"))
    if len(catalogue.stages) > 1:
        assert sum(1 for n in data["by_stage"].values() if n) > 1
    # Some start work, as the catalogue's job-entry type; the first milestone is everyone's.
    reached = {key: row["participants"] for key, row in data["milestones"].items()}
    assert set(reached) <= set(catalogue.keys("milestone_types"))
    assert reached[job] > 0
    if len(types) > 1:
        first = next(k for k in catalogue.keys("milestone_types") if k != job)
        assert reached[first] == 40
