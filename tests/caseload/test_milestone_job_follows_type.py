"""A milestone's job follows its type (Caseload.correct_milestone, which the window's Change…
and `journeyapp milestone NAME --id ID --type` both save through).

Found by use: a "started work" milestone corrected into another type (the keyworker picked the
wrong one) kept its job, so the parent still counted as in work in the report, This week and
their plan; only the other direction (into started work) got its job.

Invariants over any sequence of type corrections, both directions, with the keyworker's choice
to keep the job or not: a "started work" milestone has exactly one job; a job points at a
milestone of another type only when the keyworker chose to keep it; each correction is one
undoable change, and undoing them one by one gives back each state before, job and all.
"""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeyapp.caseload import Caseload
from journeyapp.core.records import Job, Milestone
from tests.clock import past_on_both, ticking_clock
from tests.conftest import TODAY

TYPES = ["started_work", "applied_for_job", "had_interview", "agreed_plan"]
STEPS = st.lists(st.tuples(st.sampled_from(TYPES), st.booleans()), min_size=1, max_size=8)


def _state(caseload: Caseload, pid: str) -> tuple[object, ...]:
    """The parent's milestones and jobs, every field but when each was last written (undo
    writes anew)."""

    def plain(records: list[Any]) -> tuple[object, ...]:
        return tuple(
            sorted(repr({k: v for k, v in vars(r).items() if k != "updated_at"}) for r in records)
        )

    return (plain(caseload.journey(pid).milestones), plain(caseload.jobs(pid)))


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(first=st.sampled_from(TYPES), steps=STEPS)
def test_a_milestones_job_follows_its_type_and_undo_restores_both(
    first: str, steps: list[tuple[str, bool]]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        caseload = Caseload.open(Path(folder) / "c.db", create=True, plain=True)
        try:
            caseload.clock = ticking_clock(TODAY)
            joined = past_on_both(TODAY) - timedelta(days=90)
            pid = caseload.enrol_participant("Noor", "fife", joined).id
            day = joined + timedelta(days=30)
            if first == "started_work":
                job = caseload.add_job(pid, day, with_milestone=True, job_title="Care assistant")
                assert job.milestone_id is not None
                mid = job.milestone_id
            else:
                mid = caseload.record_milestone(pid, first, achieved_on=day).id
            work = set(caseload.catalogue.job_entry_types)
            kept: set[str] = set()  # jobs the keyworker chose to keep, with their milestone
            states = [_state(caseload, pid)]
            changes = []
            for type_, keep_job in steps:
                before = caseload.record("milestones", mid)
                had = caseload.job_for_milestone(mid)
                events = len(caseload.events())
                caseload.correct_milestone(mid, keep_job=keep_job, type=type_)
                now = caseload.record("milestones", mid)
                assert isinstance(now, Milestone)
                assert isinstance(before, Milestone)
                assert now.type == type_
                jobs: list[Job] = caseload.jobs(pid)
                if type_ in work:
                    assert len(jobs) == 1
                    assert jobs[0].milestone_id == mid
                    kept.discard(jobs[0].id)
                for job in jobs:
                    if type_ not in work:
                        # Only kept by choice, when it left "started work" with its job.
                        if before.type in work and had is not None and keep_job:
                            kept.add(had.id)
                        assert job.id in kept, (steps, job)
                if type_ not in work and not kept:
                    assert jobs == []
                changed = len(caseload.events()) > events
                if changed:
                    assert caseload.can_undo
                    changes.append(caseload.undo_description)
                    states.append(_state(caseload, pid))
            # Undo, one change at a time, gives back each state before it (job and all).
            states.pop()
            while states:
                caseload.undo()
                assert _state(caseload, pid) == states.pop()
        finally:
            caseload.close()
