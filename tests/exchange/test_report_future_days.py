"""The programme report counts nothing dated after today, whatever its period: records written
on a laptop whose clock was a year ahead (then put right) hold days that have not come, and a
report run today for all dates, from a day on, or for this quarter must not count them."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeyapp.caseload import Caseload
from journeyapp.core.dates import years_from
from journeyapp.core.enums import Decision
from journeyapp.exchange.report import build_report
from tests.clock import ticking_clock

# Any today (the test does not depend on the day it runs): the laptop's clock was a year ahead.
TODAYS = st.dates(date(2024, 1, 1), date(2040, 12, 31))


def _quarter(day: date) -> tuple[date, date]:
    first = date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    after = date(
        first.year + (first.month == 10), first.month % 12 + 3 if first.month < 10 else 1, 1
    )
    return first, after - timedelta(days=1)


def _caseload(folder: Path, today: date) -> Caseload:
    """Ann, who joined half a year ago, with one contact and one first meeting by today; then,
    typed on a clock a year ahead: her job, a qualification, a contact, a self-assessment pair,
    a choice and a referral, a break, a move to In work, and Bea, who "joined" then, with a
    choice and a referral dated before today."""
    c = Caseload.open(folder / "ahead.db", create=True, plain=True)
    c.clock = ticking_clock(today)
    joined = today - timedelta(days=180)
    ann = c.enrol_participant("Ann", "fife", joined_on=joined).id
    c.log_contact(ann, on=joined + timedelta(days=1))
    c.record_milestone(ann, "first_meeting", achieved_on=joined + timedelta(days=1))
    c.record_assessment(ann, {"confidence": 3}, taken_on=joined + timedelta(days=1))
    ahead = years_from(today, 1)
    c.clock = ticking_clock(ahead)  # the clock a year ahead
    later = ahead - timedelta(days=3)
    c.add_job(ann, later, with_milestone=True)
    c.record_milestone(ann, "gained_qualification", achieved_on=later)
    c.log_contact(ann, on=later, minutes=600)
    c.record_assessment(ann, {"confidence": 9}, taken_on=later)
    c.choose_service(ann, "volunteering", Decision.CHOSEN, on=later)
    c.refer(ann, "Citizens Advice", on=later)
    c.pause(ann, on=later)
    c.set_stage(ann, "in_work", on=later)
    bea = c.enrol_participant("Bea", "fife", joined_on=later).id
    c.choose_service(bea, "money_advice", Decision.CHOSEN, on=today - timedelta(days=3))
    c.refer(bea, "Citizens Advice", on=today - timedelta(days=3))
    c.clock = ticking_clock(today)  # put right
    return c


def _counted(figures: dict[str, Any]) -> dict[str, Any]:
    return {
        "parents": figures["participants"],
        "started work": figures["milestones"]["started_work"]["participants"],
        "qualification": figures["milestones"]["gained_qualification"]["participants"],
        "first meeting": figures["milestones"]["first_meeting"]["participants"],
        "distance": figures["distance_travelled"].get("confidence"),
        "breaks": figures["pauses"]["taking_a_break_now"],
        "taking a break": figures["by_status"]["paused"],
        "active": figures["by_status"]["active"],
        "getting started": figures["by_stage"]["getting_started"],
        "in work": figures["by_stage"]["in_work"],
        "chosen": sum(figures["services_chosen"].values()),
        "referred": sum(figures["referral_outcomes"].values()),
    }


NOTHING_AHEAD = {
    "parents": 1,
    "started work": 0,
    "qualification": 0,
    "first meeting": 1,
    "distance": None,
    "breaks": 0,
    "taking a break": 0,
    "active": 1,
    "getting started": 1,
    "in work": 0,
    "chosen": 0,
    "referred": 0,
}


@settings(
    max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(today=TODAYS, period=st.sampled_from(["all", "from", "quarter", "to next year"]))
def test_a_report_run_today_counts_nothing_dated_after_today(
    tmp_path_factory: pytest.TempPathFactory, today: date, period: str
) -> None:
    c = _caseload(tmp_path_factory.mktemp("r"), today)
    try:
        since, until = {
            "all": (None, None),
            "from": (today - timedelta(days=365), None),
            "quarter": _quarter(today),
            "to next year": (today - timedelta(days=365), years_from(today, 2)),
        }[period]
        report = build_report(c, since=since, until=until)
        figures = report.to_json_data(suppress=False)
    finally:
        c.close()
    if period == "quarter" and today - timedelta(days=179) < _quarter(today)[0]:
        # Ann joined before this quarter and did nothing in it by today: not reached in it.
        assert figures["participants"] == 0, figures
        return
    assert _counted(figures) == NOTHING_AHEAD, (period, figures)
    assert report.filters["to"] == (until.isoformat() if until else None)  # as asked
