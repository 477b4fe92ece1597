"""A constructed caseload for This week: one record of every kind that must appear on the fixed
day, and beside each one the near misses that must not (done, answered, next week, erased...)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from journeyapp.caseload import Caseload
from journeyapp.core.enums import Pace, ParticipantStatus, ReferralOutcome, Rhythm


@dataclass
class Made:
    """The ids of what was made, by a short name."""

    parents: dict[str, str] = field(default_factory=dict)
    records: dict[str, str] = field(default_factory=dict)


def build(c: Caseload, today: date) -> Made:
    """Fill `c` (empty, its clock at `today`) and return the ids."""
    made = Made()
    d = lambda n: today + timedelta(days=n)  # noqa: E731

    def enrol(name: str, joined: int = -200, rhythm: Rhythm | None = None) -> str:
        pid = c.enrol_participant(name, "glasgow", joined_on=d(joined)).id
        if rhythm is not None:
            c.change_pace(pid, Pace.STEADY, rhythm, on=d(joined))
        made.parents[name] = pid
        return pid

    # Amira: a meeting today (so her check-in due this week is not listed twice), and the
    # keyworker's steps: one past its day, one this week; and the misses.
    amira = enrol("Amira", rhythm=Rhythm.WEEKLY)
    c.log_contact(amira, on=d(-2))
    made.records["meeting today"] = c.arrange_meeting(
        amira, today, time="14:00", place="the Hub", with_whom="Kim"
    ).id
    made.records["meeting yesterday"] = c.arrange_meeting(amira, d(-1), time="10:00").id
    goal = c.add_goal(amira, "Find a coffee morning")
    made.records["step late"] = c.add_step(goal.id, "Ask about Tuesday", "keyworker", d(-1)).id
    made.records["step soon"] = c.add_step(goal.id, "Phone the nursery", "keyworker", d(3)).id
    made.records["step later"] = c.add_step(goal.id, "Book the room", "keyworker", d(8)).id
    made.records["step hers"] = c.add_step(goal.id, "Look at the leaflet", "me", d(0)).id
    done = c.add_step(goal.id, "Print the timetable", "keyworker", d(-3))
    c.complete_step(done.id, on=d(-2))
    made.records["step done"] = done.id
    made.records["step undated"] = c.add_step(goal.id, "Some day", "keyworker").id

    # Beth: a meeting on day 3, and one next week (not listed).
    beth = enrol("Beth", rhythm=Rhythm.MONTHLY)
    c.log_contact(beth, on=d(-3))
    made.records["meeting thursday"] = c.arrange_meeting(beth, d(3), time="10:00").id
    made.records["meeting next week"] = c.arrange_meeting(beth, d(7), time="10:00").id

    # Cara: fortnightly, last seen 20 days ago (overdue); referrals: one waiting long enough,
    # one answered, one too recent.
    cara = enrol("Cara", rhythm=Rhythm.FORTNIGHTLY)
    c.log_contact(cara, on=d(-20))
    made.records["referral waiting"] = c.refer(cara, "Money Matters", on=d(-20)).id
    answered = c.refer(cara, "Wellbeing Hub", on=d(-25))
    c.set_referral_outcome(answered.id, ReferralOutcome.ATTENDED)
    made.records["referral answered"] = answered.id
    made.records["referral recent"] = c.refer(cara, "College", on=d(-5)).id

    # Dan: monthly, 40 days without contact: an overdue check-in (listed once, not as quiet too).
    dan = enrol("Dan", rhythm=Rhythm.MONTHLY)
    c.log_contact(dan, on=d(-40))

    # Eve: gets in touch herself, 45 days since: no check-in, but a month without contact.
    eve = enrol("Eve", rhythm=Rhythm.WHEN_I_GET_IN_TOUCH)
    c.log_contact(eve, on=d(-45))

    # Fay: on a break, asked to hear from us in two days. Gus: in ten days (not this week).
    fay = enrol("Fay", rhythm=Rhythm.WEEKLY)
    c.log_contact(fay, on=d(-60))
    made.records["break fay"] = c.pause(
        fay, on=d(-30), reason="back after the move", follow_up_on=d(2)
    ).id
    gus = enrol("Gus", rhythm=Rhythm.WEEKLY)
    c.log_contact(gus, on=d(-60))
    made.records["break gus"] = c.pause(gus, on=d(-30), follow_up_on=d(10)).id

    # Hal: would appear in every group, then is erased.
    hal = enrol("Hal", rhythm=Rhythm.WEEKLY)
    c.log_contact(hal, on=d(-50))
    c.arrange_meeting(hal, today, time="09:00")
    hal_goal = c.add_goal(hal, "Something")
    c.add_step(hal_goal.id, "Call Hal back", "keyworker", d(0))
    c.refer(hal, "Money Matters", on=d(-30))
    c.safety.erase_participant(hal, "Hal")

    # Ivy: moved on, with a keyworker step still open and a referral still waiting.
    ivy = enrol("Ivy", rhythm=Rhythm.WEEKLY)
    c.log_contact(ivy, on=d(-50))
    ivy_goal = c.add_goal(ivy, "Done now")
    c.add_step(ivy_goal.id, "Send Ivy the form", "keyworker", d(0))
    c.refer(ivy, "College", on=d(-30))
    c.set_status(ivy, ParticipantStatus.MOVED_ON)

    # Group sessions: tomorrow (listed), yesterday and next week (not).
    made.records["group tomorrow"] = c.create_group_session(
        "Coffee morning", on=d(1), venue="Community centre"
    ).id
    c.create_group_session("Coffee morning", on=d(-1))
    c.create_group_session("Coffee morning", on=d(7))
    return made
