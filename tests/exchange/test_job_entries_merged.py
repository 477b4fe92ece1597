"""Job entries recorded on a laptop under a milestone type the coordinator's catalogue lacks
("started_self_employment", marked `job_entry = true` on the laptop): merged from its bundle,
they were shown "(not in the catalogue)" in the programme report but not counted as starting
work. The bundle says which types mean starting work where it was written; the coordinator's
report counts them, and a type the coordinator's catalogue lists is as that catalogue marks
it. Real caseload files, a real bundle, the real `journeyapp report`, its file read back."""

from __future__ import annotations

import contextlib
import json
import tempfile
from datetime import date
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from journeyapp.caseload import Caseload
from journeyapp.core.catalogue import load_catalogue, unlisted
from journeyapp.core.errors import JourneyError
from journeyapp.exchange.bundle import merge_bundle, write_bundle
from tests.clock import ticking_clock
from tests.exchange.test_report_catalogue import (
    DAYS,
    EVERY_EXTRA,
    PERIODS,
    REPORTS,
    TYPES,
    _in,
    catalogue_text,
    period_args,
    report,
    write_catalogue,
)

PASSPHRASE = "correct horse battery"
# What the laptop's catalogue may mark as starting work (its own extra types among them).
WORK_TYPES = ["started_work", "into_work", "started_self_employment"]


def laptop(
    folder: Path, parents: list[date], milestones: list[tuple[int, date, str]], marks: frozenset
) -> tuple[Path, dict[str, date], list[tuple[str, str, date]]]:
    """A laptop's caseload under its catalogue (every extra, `marks` starting work), and its
    bundle: (the bundle, each parent's joining day, the milestones recorded)."""
    wide = load_catalogue(write_catalogue(folder, "laptop", catalogue_text(EVERY_EXTRA, marks)))
    c = Caseload.open(folder / "laptop.db", create=True, plain=True, catalogue=wide)
    joined: dict[str, date] = {}
    held: list[tuple[str, str, date]] = []
    try:
        ids = []
        for day in parents:
            c.clock = ticking_clock(day)
            ids.append(c.enrol_participant("Ann", "fife", day).id)
            joined[ids[-1]] = day
        for who, on, kind in milestones:
            pid = ids[who % len(ids)]
            c.clock = ticking_clock(on)
            with contextlib.suppress(JourneyError):  # before joining: refused
                c.record_milestone(pid, kind, achieved_on=on)
                held.append((pid, kind, on))
        bundle = folder / "laptop.jlog"
        write_bundle(c, bundle, PASSPHRASE)
    finally:
        c.close()
    return bundle, joined, held


@REPORTS
@given(
    parents=st.lists(st.sampled_from(DAYS[:3]), min_size=1, max_size=5),
    milestones=st.lists(
        st.tuples(st.integers(0, 4), st.sampled_from(DAYS), st.sampled_from(TYPES)), max_size=15
    ),
    marks=st.frozensets(st.sampled_from(WORK_TYPES), min_size=1),
    keep=st.frozensets(st.sampled_from(sorted(EVERY_EXTRA))),
    period=st.sampled_from(PERIODS),
)
def test_job_entries_merged_under_a_type_the_coordinator_lacks_are_counted(
    parents: list[date],
    milestones: list[tuple[int, date, str]],
    marks: frozenset[str],
    keep: frozenset[str],
    period: tuple[date | None, date | None],
) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        bundle, joined, held = laptop(folder, parents, milestones, marks)
        ours_path = write_catalogue(folder, "ours", catalogue_text(keep))
        ours = load_catalogue(ours_path)
        coordinator = folder / "coordinator.db"
        c = Caseload.open(coordinator, create=True, plain=True, catalogue=ours)
        try:
            merge_bundle(c, bundle, PASSPHRASE)
        finally:
            c.close()
        out = folder / "out"
        out.mkdir()
        data = json.loads(
            report(coordinator, ours_path, out, "json", *period_args(*period)).read_text()
        )
        since, until = period
        # Starting work: what the coordinator's catalogue marks, and what the laptop marked
        # among the types the coordinator's catalogue does not list.
        listed = ours.key_set("milestone_types")
        work = set(ours.job_entry_types) | {k for k in marks if k not in listed}
        reached = set(joined)
        if since is not None or until is not None:
            active = {p for p, day in joined.items() if _in(day, since, until)}
            active |= {p for p, _k, on in held if _in(on, since, until)}
            reached = {p for p in active if until is None or joined[p] <= until}
        started = {pid for pid, kind, on in held if kind in work and (until is None or on <= until)}
        assert data["parents_behind"]["median_days"]["joining_to_work"] == len(started & reached)
        # Still shown under its key where the coordinator's catalogue lacks it.
        for kind, row in data["milestones"].items():
            if kind not in listed:
                assert row["label"] == unlisted(kind)
