"""The return's record side (issue 19): equalities answers live only with their consent (in the
table, the journey log and clashes), circumstances and jobs are records like any other (undo,
journey log, merges), and the facts the return reads are derived, not typed."""

from __future__ import annotations

import json
import shutil
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule

from journeyapp.caseload import Caseload, default_codes
from journeyapp.core.codes import EQUALITIES_LISTS
from journeyapp.core.enums import ConsentPurpose
from journeyapp.core.errors import ValidationError
from journeyapp.core.monitoring import (
    FamilyFacts,
    ReturnFacts,
    age_band_at,
    family_facts,
    is_full_time,
    normalise_postcode,
    priority_groups,
    weeks_in_work,
)
from journeyapp.core.records import Child, Equalities, Job, Participant
from journeyapp.store.merge_checks import MergeRefused
from journeyapp.store.monitoring import SPECIAL_FIELDS
from tests.clock import ticking_clock
from tests.conftest import TODAY

EQ = ConsentPurpose.EQUALITIES_MONITORING
JOINED = date(2026, 1, 5)


def enrol(caseload: Caseload, name: str = "Morag", **details: Any) -> str:
    return caseload.enrol_participant(name, "fife", joined_on=JOINED, **details).id


def special_values_in_log(caseload: Caseload, pid: str) -> list[str]:
    """Every non-empty special-category value any journey-log event of this parent holds."""
    found = []
    for event in caseload.events(pid):
        for name in SPECIAL_FIELDS & event.fields.keys():
            if event.fields[name]:
                found.append(f"{event.kind}.{name}={event.fields[name]}")
    return found


def stored_equalities(caseload: Caseload) -> list[tuple[str, ...]]:
    return [tuple(r) for r in caseload.db.execute("SELECT * FROM equalities").fetchall()]


# -- consent gating ------------------------------------------------------------------------------


def test_without_the_consent_nothing_is_stored(caseload: Caseload) -> None:
    pid = enrol(caseload)
    with pytest.raises(ValidationError, match="agreed to equalities monitoring"):
        caseload.set_equalities(pid, sex="female", ethnicity="african")
    caseload.record_consent(pid, EQ, False)  # asked, said no
    with pytest.raises(ValidationError, match="agreed to equalities monitoring"):
        caseload.set_answers(pid, circumstances={"lone_parent": "yes"}, equalities={"sex": "male"})
    assert stored_equalities(caseload) == []
    assert special_values_in_log(caseload, pid) == []
    # The circumstances in the same refused change were not kept either (one transaction).
    assert caseload.circumstances(pid) is None
    # Without equalities the same form saves the circumstances.
    caseload.set_answers(pid, circumstances={"lone_parent": "yes"}, equalities=None)
    found = caseload.circumstances(pid)
    assert found is not None
    assert found.lone_parent == "yes"


def test_withdrawing_removes_the_answers_everywhere_and_undo_puts_them_back(
    caseload: Caseload,
) -> None:
    pid = enrol(caseload)
    caseload.record_consent(pid, EQ, True)
    caseload.set_equalities(pid, sex="female", ethnicity="african", disability="yes_a_little")
    caseload.set_equalities(pid, ethnicity="arab")
    assert caseload.equalities(pid) is not None
    assert special_values_in_log(caseload, pid)

    caseload.record_consent(pid, EQ, False)
    assert caseload.equalities(pid) is None
    assert stored_equalities(caseload) == []
    # Gone from the journey log too: the events stay (merges line up) with the answers blank.
    assert special_values_in_log(caseload, pid) == []
    kinds = [(e.kind, e.action) for e in caseload.events(pid)]
    assert kinds[-2:] == [("consents", "update"), ("equalities", "delete")] or kinds[-2:] == [
        ("equalities", "delete"),
        ("consents", "update"),
    ]
    held = caseload.document(pid, what_we_hold=True).text()
    assert "Your ethnic group" not in held
    assert "Arab" not in held

    # One undo reverses the withdrawal: the consent and the answers come back together.
    assert caseload.undo_description == "record consent withdrawn"
    caseload.undo()
    assert caseload.has_consent(pid, EQ)
    back = caseload.equalities(pid)
    assert back is not None
    assert (back.sex, back.ethnicity) == ("female", "arab")


def test_answers_are_codes_from_the_registry_and_each_is_optional(caseload: Caseload) -> None:
    pid = enrol(caseload)
    caseload.record_consent(pid, EQ, True)
    with pytest.raises(ValidationError, match="not one of the answers") as info:
        caseload.set_equalities(pid, sex="Female")
    assert info.value.field == "sex"
    with pytest.raises(ValidationError, match="not an equalities question"):
        caseload.set_equalities(pid, religion="none")
    for name in EQUALITIES_LISTS:
        assert "prefer_not_to_say" in caseload.codes.keys(name)
    answered = caseload.set_equalities(pid, care_experience="prefer_not_to_say")
    assert answered is not None
    assert answered.sex == ""
    # Clearing every answer removes the record.
    assert caseload.set_equalities(pid, care_experience="") is None
    assert caseload.equalities(pid) is None


def test_circumstances_are_checked_and_normalised(caseload: Caseload) -> None:
    pid = enrol(caseload)
    kept = caseload.set_circumstances(
        pid, postcode=" eh11aa ", benefits="universal_credit, child_benefit"
    )
    assert kept is not None
    assert (kept.postcode, kept.benefits) == ("EH1 1AA", ["universal_credit", "child_benefit"])
    with pytest.raises(ValidationError, match="does not look like a UK postcode"):
        caseload.set_circumstances(pid, postcode="not a place")
    with pytest.raises(ValidationError, match="cannot be ticked with other kinds"):
        caseload.set_circumstances(pid, benefits=["none", "universal_credit"])
    with pytest.raises(ValidationError, match="not one of the answers"):
        caseload.set_circumstances(pid, benefits=["£100 a week"])
    assert caseload.circumstances(pid) == kept  # nothing saved lost


# -- jobs ----------------------------------------------------------------------------------------


def test_a_job_grows_from_the_started_work_milestone(caseload: Caseload) -> None:
    pid = enrol(caseload)
    started = caseload.record_milestone(pid, "started_work", achieved_on=date(2026, 3, 2))
    job = caseload.add_job(pid, milestone_id=started.id, hours_per_week=16, sector="care")
    assert job.started_on == date(2026, 3, 2)
    assert caseload.job_for_milestone(started.id) == job
    with pytest.raises(ValidationError, match="already has a job record"):
        caseload.add_job(pid, milestone_id=started.id)
    other = caseload.record_milestone(pid, "joined_group", achieved_on=date(2026, 2, 2))
    with pytest.raises(ValidationError, match="started work"):
        caseload.add_job(pid, milestone_id=other.id)

    changed = caseload.update_job(job.id, left_on=date(2026, 6, 1), leaving_reason="contract_ended")
    assert weeks_in_work(changed, TODAY) == 13  # 2 March to 1 June: 91 days
    caseload.undo()
    assert caseload.jobs(pid)[0].left_on is None
    with pytest.raises(ValidationError, match="ends before it starts"):
        caseload.update_job(job.id, left_on=date(2026, 1, 1))
    with pytest.raises(ValidationError, match="needs the date it ended"):
        caseload.update_job(job.id, leaving_reason="health")
    with pytest.raises(ValidationError, match="not a working week"):
        caseload.update_job(job.id, hours_per_week=120)

    # Removing the milestone removes its job; one undo brings both back.
    caseload.delete_record("milestones", started.id)
    assert caseload.jobs(pid) == []
    caseload.undo()
    assert [j.id for j in caseload.jobs(pid)] == [job.id]
    assert caseload.safety.problems() == []
    events = [(e.kind, e.action) for e in caseload.events(pid) if e.kind == "jobs"]
    assert events[0] == ("jobs", "create")
    assert ("jobs", "update") in events


def test_a_job_recorded_on_its_own_records_its_milestone(caseload: Caseload) -> None:
    pid = enrol(caseload)
    job = caseload.add_job(pid, date(2026, 4, 1), with_milestone=True, working_pattern="part_time")
    milestone = next(m for m in caseload.journey(pid).milestones if m.type == "started_work")
    assert job.milestone_id == milestone.id
    assert is_full_time(job, caseload.codes) is False
    with pytest.raises(ValidationError, match="before they joined"):
        caseload.add_job(pid, date(2025, 1, 1))


# -- merges --------------------------------------------------------------------------------------


@pytest.mark.parametrize("with_milestone", [True, False])
def test_a_job_not_started_yet_is_refused_as_a_job(
    caseload: Caseload, with_milestone: bool
) -> None:
    """A job starting tomorrow is refused in the job's words ("The day the job started, … is
    after today"), not its milestone's ("The day it happened …"), and neither is recorded."""
    from datetime import timedelta

    pid = caseload.enrol_participant("Ama", "fife", caseload.today() - timedelta(days=60)).id
    tomorrow = caseload.today() + timedelta(days=1)
    with pytest.raises(
        ValidationError, match=r"^The day the job started, .* is after today"
    ) as refused:
        caseload.add_job(pid, tomorrow, with_milestone=with_milestone)
    assert refused.value.field == "started_on"
    assert not caseload.jobs(pid)
    assert not caseload.journey(pid).milestones
    # Today is fine.
    assert caseload.add_job(pid, caseload.today(), with_milestone=with_milestone).started_on


def test_merges_carry_the_answers_and_a_withdrawal(laptop_pair: tuple[Caseload, Caseload]) -> None:
    a, coord = laptop_pair
    pid = enrol(a)
    a.record_consent(pid, EQ, True)
    a.set_equalities(pid, sex="female", sexual_orientation="bisexual")
    a.set_circumstances(pid, postcode="G42 8QS", lone_parent="yes")
    job = a.add_job(pid, date(2026, 5, 4), with_milestone=True, hours_per_week=30)
    coord.exchange.merge_events(a.events())
    assert coord.equalities(pid) == a.equalities(pid)
    assert coord.circumstances(pid) == a.circumstances(pid)
    assert coord.jobs(pid) == [job]

    a.record_consent(pid, EQ, False)
    coord.exchange.merge_events(a.events())
    assert coord.equalities(pid) is None
    assert special_values_in_log(coord, pid) == []
    assert coord.safety.problems() == []


def test_a_merge_keeps_no_answers_its_consent_does_not_allow(
    laptop_pair: tuple[Caseload, Caseload],
) -> None:
    a, coord = laptop_pair
    pid = enrol(a)
    a.record_consent(pid, EQ, True)
    a.set_equalities(pid, ethnicity="mixed")
    # An altered bundle: the answers without the consent that allowed them.
    events = [e for e in a.events() if not (e.kind == "consents" and e.fields.get("purpose"))]
    coord.exchange.merge_events(events)
    assert coord.equalities(pid) is None
    assert special_values_in_log(coord, pid) == []


def test_a_merge_refuses_answers_that_are_not_codes(laptop_pair: tuple[Caseload, Caseload]) -> None:
    a, coord = laptop_pair
    pid = enrol(a)
    a.set_circumstances(pid, benefits=["universal_credit"])
    events = a.events()
    bad = [
        e
        if e.kind != "circumstances"
        else type(e)(**{**e.__dict__, "fields": {**e.fields, "benefits": json.dumps([3])}})
        for e in events
    ]
    with pytest.raises(MergeRefused, match="not a list of answer codes"):
        coord.exchange.merge_events(bad)
    worse = [
        e
        if e.kind != "circumstances"
        else type(e)(**{**e.__dict__, "fields": {**e.fields, "lone_parent": "maybe"}})
        for e in events
    ]
    with pytest.raises(MergeRefused, match="not one of the answers"):
        coord.exchange.merge_events(worse)
    a.add_job(pid, date(2026, 2, 2), with_milestone=True, hours_per_week=20)
    long_week = [
        e
        if e.kind != "jobs"
        else type(e)(**{**e.__dict__, "fields": {**e.fields, "hours_per_week": 500}})
        for e in a.events()
    ]
    with pytest.raises(MergeRefused, match="not a working week"):
        coord.exchange.merge_events(long_week)
    assert coord.participants() == []


@pytest.fixture
def laptop_pair(tmp_path: Path) -> Any:
    a = Caseload.open(tmp_path / "a.db", create=True, plain=True, actor="a")
    coord = Caseload.open(tmp_path / "coord.db", create=True, plain=True, actor="coord")
    for c in (a, coord):
        c.clock = ticking_clock(TODAY)
    yield a, coord
    a.close()
    coord.close()


# -- derived facts -------------------------------------------------------------------------------


def test_family_facts_come_from_the_children_recorded() -> None:
    on = date(2026, 11, 28)

    def kids(*years: int | None) -> list[Child]:
        return [Child(participant_id="p", birth_year=y) for y in years]

    assert family_facts(kids(2026, 2019), on) == FamilyFacts(2, False, True)
    assert family_facts(kids(2025, 2019, 2018), on) == FamilyFacts(3, True, None)
    assert family_facts(kids(2020, None), on) == FamilyFacts(2, False, False)
    assert family_facts([], on) == FamilyFacts(0, False, False)


def test_age_band_and_priority_groups(caseload: Caseload) -> None:
    codes = caseload.codes
    on = date(2026, 11, 28)
    young = Participant(preferred_name="A", joined_on=JOINED, date_of_birth=date(2003, 12, 1))
    assert age_band_at(young, None, on, codes) == "20_24"
    unknown = Participant(preferred_name="B", joined_on=JOINED)
    said = Equalities(participant_id=unknown.id, age_band="35_49", sex="female")
    assert age_band_at(unknown, said, on, codes) == "35_49"
    assert age_band_at(unknown, None, on, codes) == ""
    facts = ReturnFacts(
        participant=young,
        children=(Child(participant_id=young.id, birth_year=2026),),
        equalities=Equalities(
            participant_id=young.id, sex="female", ethnicity="african", disabled_child="yes"
        ),
        equalities_consent=True,
    )
    assert priority_groups(facts, on, codes) == {
        "youngest_under_one",
        "disabled_parent_or_child",
        "minority_ethnic",
        "young_mother",
    }
    job = Job(participant_id="p", started_on=date(2026, 1, 1), hours_per_week=30)
    assert is_full_time(job, codes) is True
    assert is_full_time(Job(participant_id="p", started_on=on), codes) is None
    assert normalise_postcode("g428qs") == "G42 8QS"


def test_return_facts_read_everyone_in_one_go(caseload: Caseload) -> None:
    first, second = enrol(caseload, "Aileen"), enrol(caseload, "Beth")
    caseload.record_consent(first, EQ, True)
    caseload.set_equalities(first, sex="female")
    caseload.add_child(second, 2024)
    caseload.add_job(second, date(2026, 2, 2), with_milestone=True)
    facts = {f.participant.id: f for f in caseload.return_facts()}
    assert facts[first].equalities_consent
    assert facts[first].equalities is not None
    assert not facts[second].equalities_consent
    assert facts[second].equalities is None
    assert len(facts[second].jobs) == 1
    assert len(facts[second].children) == 1
    assert [f.participant.id for f in caseload.return_facts([second])] == [second]


# -- the invariant, attacked -----------------------------------------------------------------------

CODES = default_codes()
# Some answers to some questions, each one of that question's codes (or "" to clear it).
ANSWERS = st.lists(st.sampled_from(EQUALITIES_LISTS), min_size=1, unique=True).flatmap(
    lambda names: st.fixed_dictionaries({n: st.sampled_from(("", *CODES.keys(n))) for n in names})
)


class ConsentMachine(RuleBasedStateMachine):
    """Any mix of consent given and withdrawn, answers set, circumstances, undo and merges from
    another laptop: no equalities answer is ever kept (table or journey log) without consent."""

    parents = Bundle("parents")

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="consent-machine-"))
        self.here = Caseload.open(self.folder / "here.db", create=True, plain=True, actor="here")
        self.there = Caseload.open(self.folder / "there.db", create=True, plain=True, actor="x")
        for c in (self.here, self.there):
            c.clock = ticking_clock(TODAY)

    def teardown(self) -> None:
        self.here.close()
        self.there.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    @rule(target=parents, name=st.sampled_from(["Aileen", "Zoë", "Morag"]))
    def enrol(self, name: str) -> str:
        pid = enrol(self.here, name)
        self.here.forget_undo()  # parents stay: the machine is about their answers
        self.there.exchange.merge_events(self.here.events())
        return pid

    @rule(pid=parents, given=st.booleans(), there=st.booleans())
    def consent(self, pid: str, given: bool, there: bool) -> None:
        (self.there if there else self.here).record_consent(pid, EQ, given)

    @rule(pid=parents, answers=ANSWERS, there=st.booleans())
    def answer(self, pid: str, answers: dict[str, str], there: bool) -> None:
        caseload = self.there if there else self.here
        try:
            caseload.set_equalities(pid, **answers)
        except ValidationError:
            assert not caseload.has_consent(pid, EQ)  # refused only for want of the consent
        else:
            assert caseload.has_consent(pid, EQ)

    @rule(pid=parents, lone=st.sampled_from(["", "yes", "no"]))
    def circumstances(self, pid: str, lone: str) -> None:
        self.here.set_circumstances(pid, lone_parent=lone)

    @rule()
    def undo(self) -> None:
        if self.here.can_undo:
            self.here.undo()

    @rule(both=st.booleans())
    def merge(self, both: bool) -> None:
        self.here.exchange.merge_events(self.there.events())
        if both:
            self.there.exchange.merge_events(self.here.events())

    @invariant()
    def nothing_kept_without_consent(self) -> None:
        for caseload in (self.here, self.there):
            for p in caseload.participants():
                if not caseload.has_consent(p.id, EQ):
                    assert caseload.equalities(p.id) is None
                    assert special_values_in_log(caseload, p.id) == []
                    kept = caseload.db.execute(
                        "SELECT count(*) FROM merge_decisions WHERE kind = 'equalities' "
                        "AND participant_id = ?",
                        [p.id],
                    ).fetchone()[0]
                    assert kept == 0


ConsentMachine.TestCase.settings = settings(
    max_examples=40,
    stateful_step_count=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_no_sequence_keeps_equalities_without_consent = ConsentMachine.TestCase


def test_a_clash_settled_as_withdrawn_removes_the_answers(
    laptop_pair: tuple[Caseload, Caseload],
) -> None:
    a, coord = laptop_pair
    pid = enrol(a)
    a.record_consent(pid, EQ, True)
    coord.exchange.merge_events(a.events())
    # The coordinator's laptop: consent taken back and given again, then answers.
    coord.record_consent(pid, EQ, False)
    coord.record_consent(pid, EQ, True)
    coord.set_equalities(pid, sex="female", ethnicity="african")
    # Meanwhile the keyworker's laptop records the consent withdrawn: the two clash.
    a.record_consent(pid, EQ, False)
    result = coord.exchange.merge_events(a.events())
    assert result.new_decisions >= 1
    clash = next(d for d in coord.exchange.decisions() if d.field == "given")
    # Withdrawn holds until someone decides (the safer: core.merge.Unit), and what it covers
    # goes at once.
    assert not coord.has_consent(pid, EQ)
    assert coord.equalities(pid) is None
    assert special_values_in_log(coord, pid) == []

    assert not clash.here.value["given"]  # the one held, shown as the value here
    withdrawn = "here"
    coord.exchange.resolve_decision(clash.id, withdrawn)
    assert not coord.has_consent(pid, EQ)
    assert coord.equalities(pid) is None
    assert special_values_in_log(coord, pid) == []
