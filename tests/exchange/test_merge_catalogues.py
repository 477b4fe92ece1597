"""Laptops with different catalogues merged into a coordinator's caseload with a third: every
record is merged with the keys its laptop's catalogue gave it and counted in the coordinator's
report, shown under its key where the coordinator's catalogue lacks it. Real caseload files."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeyapp.caseload import Caseload
from journeyapp.core.catalogue import NOT_LISTED, Catalogue, parse_catalogue
from journeyapp.demo import build_demo
from journeyapp.exchange.report import NOT_MAPPED, build_report
from tests.catalogues import DEFAULT, retired
from tests.clock import ticking_clock
from tests.conftest import TODAY

# A laptop's own entries the coordinator's catalogue has never had.
FIRST_STAGE = """[[stages]]
key = "finding_my_feet"
label = "Finding my feet"
pipeline = 1
"""
EXTRAS = """
[[localities]]
key = "dundee"
label = "Dundee"
[[services]]
key = "cafe_club"
label = "Café club"
[[milestone_types]]
key = "own_business"
label = "Started my own business"
job_entry = true
[[outcome_areas]]
key = "housing"
label = "Home and housing"
[[contact_kinds]]
key = "walk_and_talk"
label = "Walk and talk"
"""
RETIRABLE = ("fife", "money_advice", "joined_group", "money", "home_visit", "learning_and_trying")


def laptop(path: Path, catalogue: Catalogue, seed: int) -> Caseload:
    c = Caseload.open(path, create=True, plain=True, catalogue=catalogue, actor=path.stem)
    c.clock = ticking_clock(TODAY)
    build_demo(c, participants=12, seed=seed, today=TODAY)
    return c


def held(c: Caseload) -> dict[str, list[str]]:
    """Every catalogue key the caseload's records hold, by what it is, sorted."""
    found: dict[str, list[str]] = {k: [] for k in ("locality", "stage", "service", "type", "kind")}
    found["area"] = []
    for p in c.participants():
        journey = c.journey(p.id)
        found["locality"].append(p.locality)
        found["stage"].append(p.stage)
        found["service"] += [x.service for x in journey.choices]
        found["type"] += [m.type for m in journey.milestones]
        found["kind"] += [x.kind for x in journey.contacts]
        found["area"] += [a for x in journey.assessments for a in x.scores]
    return {k: sorted(v) for k, v in found.items()}


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(gone=st.frozensets(st.sampled_from(RETIRABLE)))
def test_laptops_with_other_catalogues_merge_whole_and_are_counted(
    gone: frozenset[str],
) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        ours = parse_catalogue(DEFAULT, "default")
        # Their own first stage, where every demo journey starts.
        theirs_text = retired(["fife"]).replace("[[stages]]", FIRST_STAGE + "[[stages]]", 1)
        theirs = parse_catalogue(theirs_text + EXTRAS, "theirs")
        coordinators = parse_catalogue(retired(gone), "coordinator")
        a = laptop(folder / "a.db", ours, 2)
        b = laptop(folder / "b.db", theirs, 3)
        coordinator = Caseload.open(
            folder / "c.db", create=True, plain=True, catalogue=coordinators, actor="c"
        )
        coordinator.clock = ticking_clock(TODAY)
        try:
            coordinator.exchange.merge_logs([a.events(), b.events()])
            sent = {k: sorted(held(a)[k] + held(b)[k]) for k in held(a)}
            # Nothing refused, dropped or changed: every key as its laptop's catalogue gave it.
            assert held(coordinator) == sent
            data = build_report(coordinator).to_json_data(suppress=False)
            assert data["participants"] == 24
            assert sum(data["by_locality"].values()) == 24
            assert sum(data["by_stage"].values()) == 24
            for key in set(sent["locality"]) - coordinators.key_set("localities"):
                assert data["by_locality"][key] == sent["locality"].count(key)
            # Parents at a stage this catalogue does not list are at a stage, not unrecorded.
            assert sum(data["by_pipeline_stage"].values()) == 24
            text = build_report(coordinator).to_text()
            pipeline = text.split("pipeline stage\n", 1)[1].split("\n\n", 1)[0]
            assert "not recorded" not in pipeline
            unmapped = set(sent["stage"]) - coordinators.key_set("stages")
            assert unmapped
            assert NOT_MAPPED in pipeline
            for key, row in data["milestones"].items():
                listed = key in coordinators.key_set("milestone_types")
                assert row["label"].endswith(NOT_LISTED) is not listed
        finally:
            for c in (a, b, coordinator):
                c.close()
