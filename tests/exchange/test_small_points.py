"""Issue 16's smaller points: milestones before joining, private files, the pipeline's stage 4."""

from __future__ import annotations

import stat
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from journeyapp.caseload import Caseload
from journeyapp.core.errors import ValidationError
from journeyapp.exchange.export import write_key_file
from journeyapp.exchange.report import build_report
from tests.exchange.test_merge import bundle

Laptop = Callable[..., Caseload]


def test_a_milestone_before_joining_is_refused(caseload: Caseload) -> None:
    parent = caseload.enrol_participant("Ana", "fife", joined_on=date(2026, 6, 1))
    with pytest.raises(ValidationError, match=r"before they joined \(1 Jun 2026\)"):
        caseload.record_milestone(parent.id, "first_meeting", achieved_on=date(2025, 1, 1))
    assert caseload.journey(parent.id).milestones == ()
    caseload.record_milestone(parent.id, "first_meeting", achieved_on=date(2026, 6, 1))


def test_the_partnership_key_and_bundles_are_readable_by_their_owner_only(
    laptop: Laptop, tmp_path: Path
) -> None:
    a = laptop("a", 2, seed=3)
    key = tmp_path / "partnership.key"
    write_key_file(a.exchange.pseudonym_key(), key)
    made = bundle(a, tmp_path)
    for path in (key, made):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_parents_in_work_are_counted_at_job_entry(caseload: Caseload) -> None:
    parent = caseload.enrol_participant("Bo", "fife", joined_on=date(2026, 6, 1))
    caseload.set_stage(parent.id, "in_work", on=date(2026, 9, 1))
    pipeline = build_report(caseload).to_json_data(suppress=False)["by_pipeline_stage"]
    assert pipeline["4"] == 1
