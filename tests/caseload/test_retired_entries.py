"""A catalogue entry retired (or never listed: another laptop's) after records hold it: the
records keep it, and everything else about them can still be changed; only a key typed now must
be listed. Real caseload files, reopened under the partnership's changed catalogue."""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeyapp.caseload import Caseload
from journeyapp.core.catalogue import Catalogue, parse_catalogue
from journeyapp.core.enums import Decision, GoalStatus, ParticipantStatus
from journeyapp.core.errors import ValidationError
from journeyapp.core.records import Assessment, Contact, Milestone
from tests.catalogues import retired
from tests.clock import ticking_clock
from tests.conftest import TODAY

# (list, key): what one parent's records hold, each of which the partnership may retire.
HELD = (
    ("localities", "fife"),
    ("stages", "learning_and_trying"),
    ("outcome_areas", "money"),
    ("services", "money_advice"),
    ("milestone_types", "joined_group"),
    ("contact_kinds", "home_visit"),
)


def without(keys: frozenset[str]) -> Catalogue:
    """The default catalogue with the entries `keys` taken out (retired)."""
    return parse_catalogue(retired(keys), "ours.toml")


def record_everything(path: Path) -> dict[str, str]:
    """One parent holding every HELD entry, under the default catalogue; their ids by kind."""
    c = Caseload.open(path, create=True, plain=True)
    c.clock = ticking_clock(TODAY)
    joined = TODAY - timedelta(days=60)
    try:
        pid = c.enrol_participant("Ruth", "fife", joined).id
        c.set_stage(pid, "learning_and_trying", on=joined + timedelta(days=10))
        goal = c.add_goal(pid, "Sort my money out", area="money")
        c.choose_service(pid, "money_advice", Decision.MAYBE_LATER, on=joined)
        milestone = c.record_milestone(pid, "joined_group", achieved_on=joined + timedelta(days=5))
        contact = c.log_contact(pid, "home_visit", on=joined + timedelta(days=3))
        strength = c.add_strength(pid, "Good with money", area="money")
        referral = c.refer(pid, "Citizens Advice", service="money_advice", on=joined)
        assessment = c.record_assessment(
            pid, {"money": 3, "confidence": 4}, taken_on=joined + timedelta(days=1)
        )
    finally:
        c.close()
    return {
        "participant": pid,
        "goal": goal.id,
        "milestone": milestone.id,
        "contact": contact.id,
        "assessment": assessment.id,
        "referral": referral.id,
        "strength": strength.id,
    }


def held_keys(c: Caseload, pid: str) -> dict[str, object]:
    """The catalogue keys the parent's records hold."""
    journey = c.journey(pid)
    return {
        "locality": journey.participant.locality,
        "area": journey.goals[0].area,
        "service": journey.choices[0].service,
        "type": journey.milestones[0].type,
        "kind": journey.contacts[0].kind,
        "areas": sorted(journey.assessments[0].scores),
    }


SLOW = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SLOW
@given(gone=st.frozensets(st.sampled_from([key for _, key in HELD])))
def test_records_holding_a_retired_entry_can_still_be_changed(gone: frozenset[str]) -> None:
    with tempfile.TemporaryDirectory() as name:
        path = Path(name) / "caseload.db"
        ids = record_everything(path)
        pid = ids["participant"]
        c = Caseload.open(path, plain=True, catalogue=without(gone))
        c.clock = ticking_clock(TODAY)
        try:
            before = held_keys(c, pid)
            # Everyday changes to records whose entries the catalogue no longer lists.
            c.update_participant(pid, phone="07700 900123")
            c.set_stage(pid, "in_work")
            c.set_status(pid, ParticipantStatus.ACTIVE)
            c.set_goal_status(ids["goal"], GoalStatus.WORKING_ON_IT)
            c.choose_service(pid, "money_advice", Decision.CHOSEN)
            c.update_record(Milestone.KIND, ids["milestone"], note="So proud")
            c.update_record(Contact.KIND, ids["contact"], minutes=45)
            c.update_record(
                Assessment.KIND, ids["assessment"], scores={"money": 5, "confidence": 4}
            )
            # Nothing held was changed or dropped by the catalogue.
            assert held_keys(c, pid) == before
            journey = c.journey(pid)
            assert journey.participant.phone == "07700 900123"
            assert journey.milestones[0].note == "So proud"
            assert journey.contacts[0].minutes == 45
            assert journey.assessments[0].scores == {"money": 5, "confidence": 4}
            assert journey.choices[0].decision is Decision.CHOSEN
        finally:
            c.close()


def test_a_key_typed_now_must_be_listed(tmp_path: Path) -> None:
    path = tmp_path / "caseload.db"
    ids = record_everything(path)
    pid = ids["participant"]
    c = Caseload.open(path, plain=True, catalogue=without(frozenset({"fife", "money"})))
    c.clock = ticking_clock(TODAY)
    try:
        # Moving to a retired entry is refused, as is one never listed.
        with pytest.raises(ValidationError, match="'fife' is not in the catalogue"):
            c.enrol_participant("Ann", "fife")
        with pytest.raises(ValidationError, match="'dundee' is not in the catalogue"):
            c.update_participant(pid, locality="dundee")
        with pytest.raises(ValidationError, match="'money' is not in the catalogue"):
            c.add_goal(pid, "Save up", area="money")
        with pytest.raises(ValidationError, match="'money' is not in the catalogue"):
            c.record_assessment(pid, {"money": 5})
        # Changing a held entry to a listed one is fine; it cannot then go back.
        c.update_participant(pid, locality="glasgow")
        with pytest.raises(ValidationError, match="'fife' is not in the catalogue"):
            c.update_participant(pid, locality="fife")
        assert c.journey(pid).participant.locality == "glasgow"
    finally:
        c.close()
