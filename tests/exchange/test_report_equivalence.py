"""The report's figures, read with SQL and added up per parent, are the figures the plain
computation over whole records gives (report_reference.py): on demo caseloads and on generated
journeys full of ties, breaks, status changes and undated edges, for every kind of period."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeyapp.caseload import Caseload
from journeyapp.core.enums import Decision, ParticipantStatus, ReferralOutcome
from journeyapp.core.errors import JourneyError
from journeyapp.demo import build_demo
from journeyapp.exchange import report as report_module
from journeyapp.exchange.report import build_report_set
from tests.clock import ticking_clock
from tests.conftest import TODAY
from tests.exchange.report_reference import reference_report_set
from tests.store.migrating import FIXTURE

PERIODS: list[tuple[date | None, date | None]] = [
    (None, None),
    (date(2026, 4, 1), date(2026, 6, 30)),
    (date(2026, 7, 1), date(2026, 9, 30)),
    (date(2026, 1, 1), None),
    (None, date(2025, 12, 31)),
    (date(2024, 1, 1), date(2024, 3, 31)),  # before anyone joined
]


def assert_same_reports(caseload: Caseload) -> None:
    """Every period's report set, fast and plain, equal in every figure and withheld mark."""
    for since, until in PERIODS:
        fast = build_report_set(caseload, since=since, until=until)
        plain = reference_report_set(caseload, since=since, until=until)
        assert list(fast) == list(plain), (since, until)
        for place in plain:
            assert fast[place] == plain[place], (since, until, place)


@pytest.mark.parametrize(("parents", "seed"), [(30, 7), (80, 2), (150, 5)])
def test_demo_caseloads_give_the_plain_figures(tmp_path: Path, parents: int, seed: int) -> None:
    c = Caseload.open(tmp_path / "demo.db", create=True, demo=True, clock=ticking_clock(TODAY))
    try:
        build_demo(c, participants=parents, seed=seed, today=TODAY)
        assert_same_reports(c)
    finally:
        c.close()


# Few days, on and either side of the periods' edges, so records often share a day.
EDGES = [date(2025, 12, 31), date(2026, 1, 1), date(2026, 3, 31), date(2026, 4, 1)]
EDGES += [date(2026, 6, 30), date(2026, 7, 1), date(2026, 9, 30), date(2026, 10, 1)]
day = st.sampled_from([date(2025, 11, 5), *EDGES, date(2026, 5, 15), date(2027, 1, 4)])

action = st.one_of(
    st.tuples(st.just("contact"), st.integers(0, 5), day, st.integers(0, 180)),
    st.tuples(
        st.just("milestone"),
        st.integers(0, 5),
        day,
        st.sampled_from(["first_meeting", "started_work", "agreed_plan", "joined_group"]),
    ),
    st.tuples(
        st.just("assessment"),
        st.integers(0, 5),
        day,
        st.dictionaries(
            st.sampled_from(["confidence", "wellbeing", "money", "not_an_area"]),
            st.integers(1, 10),
        ),
    ),
    st.tuples(
        st.just("stage"),
        st.integers(0, 5),
        day,
        st.sampled_from(["getting_started", "building_confidence", "in_work", "moving_on"]),
    ),
    st.tuples(
        st.just("status"),
        st.integers(0, 5),
        day,
        st.sampled_from(
            [ParticipantStatus.ACTIVE, ParticipantStatus.MOVED_ON, ParticipantStatus.CLOSED]
        ),
    ),
    st.tuples(st.just("pause"), st.integers(0, 5), day, st.none()),
    st.tuples(st.just("resume"), st.integers(0, 5), day, st.none()),
    st.tuples(
        st.just("choice"),
        st.integers(0, 5),
        day,
        st.tuples(
            st.sampled_from(["volunteering", "money_advice", "odd_service"]),
            st.sampled_from(list(Decision)),
        ),
    ),
    st.tuples(st.just("referral"), st.integers(0, 5), day, st.sampled_from(list(ReferralOutcome))),
)
parent = st.tuples(
    day,
    st.sampled_from(["fife", "glasgow", "edinburgh"]),
    st.sampled_from(["Kim", "Lee", None]),
)


def frozen_clock(moment: date) -> Callable[[], datetime]:
    """A clock that never moves: records made together share their recorded-at time (ties)."""
    at = datetime(moment.year, moment.month, moment.day, 9, tzinfo=UTC)
    return lambda: at


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    parents=st.lists(parent, min_size=1, max_size=6),
    actions=st.lists(st.tuples(action, st.booleans()), max_size=60),
)
def test_generated_journeys_give_the_plain_figures(
    parents: list[tuple[date, str, str | None]], actions: list[tuple[tuple[object, ...], bool]]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        c = Caseload.open(Path(folder) / "gen.db", create=True, plain=True)
        try:
            ids = []
            for joined, place, keyworker in parents:
                c.clock = ticking_clock(joined)
                ids.append(c.enrol_participant("Ann", place, joined, keyworker=keyworker).id)
            for (what, who, on, extra), frozen in actions:
                pid = ids[int(str(who)) % len(ids)]
                assert isinstance(on, date)
                # A frozen clock makes records share a recorded-at time: ties to break.
                c.clock = frozen_clock(on) if frozen else ticking_clock(on)
                # Refused as a keyworker would be (a milestone before joining, ...): go on.
                with contextlib.suppress(JourneyError):
                    _apply(c, str(what), pid, on, extra)
            # Reported after every day generated: nothing dated after today is counted, and
            # the plain computation has no today (test_report_future_days checks that rule).
            c.clock = ticking_clock(date(2027, 2, 1))
            assert_same_reports(c)
        finally:
            c.close()


def _apply(c: Caseload, what: str, pid: str, on: date, extra: object) -> None:
    if what == "contact":
        assert isinstance(extra, int)
        c.log_contact(pid, on=on, minutes=extra)
    elif what == "milestone":
        c.record_milestone(pid, str(extra), achieved_on=on)
    elif what == "assessment":
        assert isinstance(extra, dict)
        c.record_assessment(pid, extra, taken_on=on)
    elif what == "stage":
        c.set_stage(pid, str(extra), on=on)
    elif what == "status":
        assert isinstance(extra, ParticipantStatus)
        c.set_status(pid, extra)
    elif what == "pause":
        c.pause(pid, on=on)
    elif what == "resume":
        c.resume(pid, on=on)
    elif what == "choice":
        assert isinstance(extra, tuple)
        c.choose_service(pid, extra[0], extra[1], on=on)
    elif what == "referral":
        assert isinstance(extra, ReferralOutcome)
        referral = c.refer(pid, "Someone", on=on)
        if extra is not ReferralOutcome.WAITING:
            c.set_referral_outcome(referral.id, extra)


def test_ties_break_as_the_plain_computation_breaks_them(tmp_path: Path) -> None:
    """Self-assessments and stages on one day recorded at one moment: first and latest, and the
    stage at a period's end, are the ones a stable sort of the stored records picks."""
    c = Caseload.open(tmp_path / "ties.db", create=True, plain=True)
    try:
        for place in ("fife", "glasgow"):
            c.clock = ticking_clock(date(2025, 11, 5))
            pid = c.enrol_participant("Ann", place, date(2025, 11, 5), keyworker="Kim").id
            for when in (date(2026, 5, 1), date(2026, 8, 1)):  # reached in both quarters
                c.clock = ticking_clock(when)
                c.log_contact(pid, on=when)
            for when, scores, stage in (
                (date(2026, 4, 1), 3, "getting_started"),
                (date(2026, 4, 1), 5, "in_work"),
                (date(2026, 6, 30), 7, "moving_on"),
                (date(2026, 6, 30), 9, "building_confidence"),
                (date(2026, 6, 30), 2, "getting_started"),
            ):
                c.clock = frozen_clock(when)
                c.record_assessment(
                    pid, {"confidence": scores, "money": 10 - scores}, taken_on=when
                )
                c.set_stage(pid, stage, on=when)
            c.clock = ticking_clock(date(2026, 5, 2))
            c.set_status(pid, ParticipantStatus.MOVED_ON)
            c.clock = ticking_clock(date(2026, 8, 2))
            c.set_status(pid, ParticipantStatus.ACTIVE)
        assert_same_reports(c)
    finally:
        c.close()


def test_the_oldest_schema_caseload_upgraded_gives_the_plain_figures(tmp_path: Path) -> None:
    """A caseload as the first version wrote it, upgraded on opening: every period's report
    set, each locality's with it, as the plain computation gives them."""
    path = tmp_path / "oldest.db"
    shutil.copyfile(FIXTURE, path)
    # Read on the pinned day, after every record the fixture holds: the plain computation has
    # no today, so on the real clock a run before the fixture's days would compare different sets.
    c = Caseload.open(path, clock=ticking_clock(TODAY))
    try:
        assert_same_reports(c)
    finally:
        c.close()


def test_milestone_types_over_several_numbers_give_the_plain_figures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The milestone types a parent reached read as several numbers of bits (a catalogue of
    more types than one number holds; here 3 types to a number) give the same figures."""
    monkeypatch.setattr(report_module, "_BITS", 3)
    c = Caseload.open(tmp_path / "demo.db", create=True, demo=True, clock=ticking_clock(TODAY))
    try:
        build_demo(c, participants=60, seed=4, today=TODAY)
        assert_same_reports(c)
    finally:
        c.close()
