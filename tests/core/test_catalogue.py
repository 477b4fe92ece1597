"""The catalogue is configuration: defaults ship in resources/, a partnership can use its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeyapp.caseload import Caseload, default_catalogue
from journeyapp.core.catalogue import load_catalogue, parse_catalogue
from journeyapp.core.errors import ValidationError
from journeyapp.paths import resource


def test_default_catalogue_has_the_programme_lists() -> None:
    catalogue = default_catalogue()
    assert next(e.label for e in catalogue.stages) == "Getting started"
    assert "started_work" in catalogue.keys("milestone_types")
    assert catalogue.label("milestone_types", "in_work_13_weeks") == "13 weeks in work"
    assert len(catalogue.outcome_areas) == 7
    assert catalogue.pipeline_stage("in_work") == 4  # job entry
    assert catalogue.pipeline_stage("moving_on") == 5
    # Every step of the pipeline has a stage that maps to it, so none is always 0 (#16).
    assert {catalogue.pipeline_stage(k) for k in catalogue.keys("stages")} == {1, 2, 3, 4, 5}
    assert catalogue.find_key("localities", "north lanarkshire") == "north_lanarkshire"


def test_partnership_catalogue_replaces_the_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = resource("catalogue.toml").read_text(encoding="utf-8")
    own = text.replace('label = "Fife"', 'label = "Kingdom of Fife"') + (
        '\n[[milestone_types]]\nkey = "passed_driving_test"\nlabel = "Passed my driving test"\n'
    )
    path = tmp_path / "ours.toml"
    path.write_text(own, encoding="utf-8")
    monkeypatch.setenv("JOURNEYAPP_CATALOGUE", str(path))
    caseload = Caseload.open(None)
    assert caseload.catalogue.label("localities", "fife") == "Kingdom of Fife"
    parent = caseload.enrol_participant("Ruth", "fife")
    caseload.record_milestone(parent.id, "passed_driving_test")
    assert caseload.journey(parent.id).milestones[0].type == "passed_driving_test"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("stages = [", "not valid TOML"),
        ("name = 'x'", "has no [[stages]] entries"),
    ],
)
def test_broken_catalogue_is_explained(text: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message.replace("[", r"\[")):
        parse_catalogue(text, "ours.toml")


def test_missing_catalogue_file_is_explained(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="Cannot read the catalogue"):
        load_catalogue(tmp_path / "nope.toml")
