"""A report for a quarter reads each journey as it stood at the quarter's end."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from journeyapp.caseload import Caseload
from journeyapp.core.enums import ParticipantStatus
from journeyapp.exchange.report import build_report
from tests.clock import ticking_clock

Q3 = (date(2026, 7, 1), date(2026, 9, 30))


def on(c: Caseload, day: date) -> Caseload:
    """Set the caseload's clock to a day, as if the keyworker recorded things then."""
    c.clock = ticking_clock(day)
    return c


def journeys(c: Caseload) -> dict[str, str]:
    """Six parents with known histories around the third quarter of 2026."""
    ids: dict[str, str] = {}

    def enrol(name: str, joined: date) -> str:
        ids[name] = on(c, joined).enrol_participant(name, "fife", joined, keyworker="Kim").id
        return ids[name]

    ann = enrol("Ann", date(2026, 5, 1))  # before the quarter; busy in it and after it
    c.record_milestone(ann, "first_meeting", achieved_on=date(2026, 5, 1))
    on(c, date(2026, 5, 2)).record_assessment(ann, {"confidence": 3}, taken_on=date(2026, 5, 2))
    on(c, date(2026, 7, 5)).log_contact(ann, on=date(2026, 7, 5))
    on(c, date(2026, 8, 1)).record_milestone(ann, "agreed_plan", achieved_on=date(2026, 8, 1))
    on(c, date(2026, 8, 10)).set_stage(ann, "building_confidence", on=date(2026, 8, 10))
    on(c, date(2026, 9, 1)).record_assessment(ann, {"confidence": 6}, taken_on=date(2026, 9, 1))
    on(c, date(2026, 10, 15)).set_stage(ann, "looking_for_work", on=date(2026, 10, 15))
    on(c, date(2026, 10, 20)).record_assessment(ann, {"confidence": 9}, taken_on=date(2026, 10, 20))

    bea = enrol("Bea", date(2026, 3, 1))  # on a break she chose for the whole quarter
    on(c, date(2026, 6, 15)).pause(bea, on=date(2026, 6, 15), reason="family first")

    cat = enrol("Cat", date(2026, 8, 20))  # started and moved on within the quarter
    on(c, date(2026, 9, 25)).set_status(cat, ParticipantStatus.MOVED_ON)

    dee = enrol("Dee", date(2026, 7, 10))  # started in the quarter, closed after it
    on(c, date(2026, 10, 5)).set_status(dee, ParticipantStatus.CLOSED)

    enrol("Eve", date(2026, 10, 10))  # joined after the quarter
    enrol("Fay", date(2026, 1, 10))  # nothing in the quarter
    on(c, date(2026, 11, 28))
    return ids


def test_each_figure_of_a_quarter_is_as_at_its_end(tmp_path: Path) -> None:
    c = Caseload.open(tmp_path / "q.db", create=True, plain=True)
    try:
        journeys(c)
        report = build_report(c, since=Q3[0], until=Q3[1])
        figures = report.to_json_data(suppress=False)
    finally:
        c.close()

    assert figures["participants"] == 4  # Ann, Bea (on a break), Cat, Dee
    assert figures["by_status"] == {"active": 2, "paused": 1, "moved_on": 1, "closed": 0}
    stages = {k: v for k, v in figures["by_stage"].items() if v}
    assert stages == {"getting_started": 3, "building_confidence": 1}  # not Ann's October move
    assert figures["starts_and_leavers"] == {"started": 2, "moved_on": 1, "closed": 0}
    # First to latest self-assessment by the quarter's end: 3 -> 6, not 3 -> 9.
    assert figures["distance_travelled"]["confidence"] == 3.0
    # Days from joining to the first milestone ever (on the day Ann joined), not to August's.
    assert figures["medians_days"]["joining_to_first_milestone"] == 0.0
    assert figures["milestones"]["agreed_plan"]["participants"] == 1
    assert figures["milestones"]["first_meeting"]["participants"] == 0  # reached before Q3
    assert figures["pauses"]["taking_a_break_now"] == 1
    # Bea, on a break, is still on Kim's caseload; Cat has moved on.
    assert figures["caseload_per_keyworker"] == {"Kim": 3}
    assert figures["open_decisions"] == 0


def test_the_whole_time_report_reads_todays_journeys(tmp_path: Path) -> None:
    c = Caseload.open(tmp_path / "all.db", create=True, plain=True)
    try:
        journeys(c)
        figures = build_report(c).to_json_data(suppress=False)
    finally:
        c.close()
    assert figures["participants"] == 6
    assert figures["by_status"] == {"active": 3, "paused": 1, "moved_on": 1, "closed": 1}
    assert figures["distance_travelled"]["confidence"] == 6.0
