"""Use cases on records (enrol, goals, steps, contacts, …): one use case = one transaction.

A mixin of the Caseload façade, so the hundreds of callers keep writing
`caseload.enrol_participant(...)`; the transaction, undo and notification come from the façade.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from contextlib import AbstractContextManager
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from journeyapp.caseload.queries import RecordQueries
from journeyapp.caseload.undo import RemoveCreated, RestoreDeleted, RevertUpdate, Txn, Undo
from journeyapp.core.catalogue import Catalogue
from journeyapp.core.enums import (
    ConsentPurpose,
    Decision,
    FeedbackSource,
    GoalStatus,
    Pace,
    ParticipantStatus,
    ReferralOutcome,
    Rhythm,
    StrengthOrBarrier,
    Voice,
)
from journeyapp.core.errors import NotFound, ValidationError
from journeyapp.core.records import (
    BY_KIND,
    Assessment,
    Attendance,
    Child,
    Choice,
    Consent,
    Contact,
    Feedback,
    Goal,
    GroupSession,
    Milestone,
    PaceChange,
    Participant,
    Pause,
    Record,
    Referral,
    StageChange,
    Step,
    StrengthBarrier,
)
from journeyapp.core.validation import validate
from journeyapp.store import records as store
from journeyapp.store.db import Database

R = TypeVar("R", bound=Record)


class RecordUseCases(RecordQueries):
    """Every change a keyworker makes to the records, each one transaction (see Caseload)."""

    if TYPE_CHECKING:  # provided by the Caseload façade
        db: Database
        catalogue: Catalogue

        def today(self) -> date: ...

        def _write(
            self, description: str, *, undo: Undo = Undo.UNDOABLE
        ) -> AbstractContextManager[Txn]: ...

    # -- writing records --------------------------------------------------------------------

    def _create(self, txn: Txn, record: R) -> R:
        validate(record, self.catalogue, self.today())
        saved = store.insert(self.db, record, txn.ctx)
        txn.touched(saved.KIND, store.owner_id(saved))
        txn.inverse.append(RemoveCreated(record.KIND, saved.id))
        return saved

    def _update(self, txn: Txn, record: R, **changes: Any) -> R:
        candidate = dataclasses.replace(record, **changes)
        validate(candidate, self.catalogue, self.today())
        new, old = store.update(self.db, record, changes, txn.ctx)
        if old:
            txn.touched(record.KIND, store.owner_id(record))
            txn.inverse.append(RevertUpdate(record.KIND, record.id, old))
        return new

    def _delete(self, txn: Txn, record: Record) -> None:
        store.delete(self.db, record, txn.ctx)
        txn.touched(record.KIND, store.owner_id(record))
        txn.inverse.append(RestoreDeleted(record.KIND, store.to_row(record)))

    def _require_participant(self, participant_id: str) -> None:
        if not store.exists(self.db, "participants", participant_id):
            raise NotFound("That parent is no longer in this caseload.")

    def _create_or_update(self, txn: Txn, cls: type[R], key: dict[str, Any], **values: Any) -> R:
        """Set `values` on the record of `cls` with these `key` values, made if there is none."""
        existing = self._one(cls, key)
        if existing is not None:
            return self._update(txn, existing, **values)
        return self._create(txn, cls(**key, **values))

    def _on(self, value: date | None) -> date:
        return value if value is not None else self.today()

    def add_records(self, records: Iterable[Record], description: str = "import") -> int:
        """Add many prepared records at once (imports, demo data): validated, one transaction,
        a journey-log event for each. Returns how many were added."""
        items = list(records)
        today = self.today()
        for record in items:
            validate(record, self.catalogue, today)
        with self._write(description, undo=Undo.IRREVERSIBLE) as txn:
            added = store.insert_many(self.db, items, txn.ctx)
            txn.kinds.update(r.KIND for r in items)
            txn.participants.update(p for p in map(store.owner_id, items) if p)
        return added

    # -- participants -----------------------------------------------------------------------

    def enrol_participant(
        self,
        preferred_name: str,
        locality: str,
        joined_on: date | None = None,
        **details: Any,
    ) -> Participant:
        """Enrol a parent: their details, and the first stage of the journey."""
        joined = self._on(joined_on)
        stage = details.pop("stage", None) or self.catalogue.stages[0].key
        with self._write("enrol a parent") as txn:
            participant = self._create(
                txn,
                Participant(
                    preferred_name=preferred_name.strip(),
                    locality=locality,
                    joined_on=joined,
                    stage=stage,
                    **details,
                ),
            )
            self._create(txn, StageChange(participant_id=participant.id, stage=stage, on=joined))
        return participant

    def update_participant(self, participant_id: str, **changes: Any) -> Participant:
        """Change a parent's details (name, contact details, keyworker, destination...)."""
        if "stage" in changes:
            raise ValidationError("Use set_stage to move a parent to another stage.")
        with self._write("update details") as txn:
            return self._update(txn, self._get(Participant, participant_id), **changes)

    def set_stage(
        self, participant_id: str, stage: str, on: date | None = None, note: str = ""
    ) -> Participant:
        """Move the parent to a stage (forwards or back: journeys are not linear)."""
        with self._write("change stage") as txn:
            participant = self._get(Participant, participant_id)
            self._create(
                txn,
                StageChange(participant_id=participant_id, stage=stage, on=self._on(on), note=note),
            )
            return self._update(txn, participant, stage=stage)

    def set_status(self, participant_id: str, status: ParticipantStatus) -> Participant:
        """Mark a journey active, moved on or closed (pauses go through pause/resume)."""
        with self._write("change status") as txn:
            return self._update(txn, self._get(Participant, participant_id), status=status)

    # -- children and consent ---------------------------------------------------------------

    def add_child(
        self, participant_id: str, birth_year: int | None = None, childcare_needs: str = ""
    ) -> Child:
        """Note a child (birth year and childcare needs; no name needed)."""
        with self._write("add a child") as txn:
            self._require_participant(participant_id)
            return self._create(
                txn,
                Child(
                    participant_id=participant_id,
                    birth_year=birth_year,
                    childcare_needs=childcare_needs,
                ),
            )

    def record_consent(
        self,
        participant_id: str,
        purpose: ConsentPurpose,
        given: bool,
        on: date | None = None,
        how_recorded: str = "",
        detail: str = "",
    ) -> Consent:
        """Record consent given or withdrawn for one purpose (the journey log keeps the history)."""
        with self._write("record consent" if given else "record consent withdrawn") as txn:
            self._require_participant(participant_id)
            return self._create_or_update(
                txn,
                Consent,
                {"participant_id": participant_id, "purpose": purpose},
                given=given,
                on=self._on(on),
                how_recorded=how_recorded,
                detail=detail,
            )

    # -- strengths, goals and steps ---------------------------------------------------------

    def add_strength(
        self,
        participant_id: str,
        words: str,
        *,
        kind: StrengthOrBarrier = StrengthOrBarrier.STRENGTH,
        area: str = "",
        voice: Voice = Voice.PARENT,
    ) -> StrengthBarrier:
        """Note a strength (or, with kind=BARRIER, something in the way) in the parent's words."""
        with self._write(
            "add a strength" if kind is StrengthOrBarrier.STRENGTH else "add a barrier"
        ) as txn:
            self._require_participant(participant_id)
            return self._create(
                txn,
                StrengthBarrier(
                    participant_id=participant_id, kind=kind, area=area, words=words, voice=voice
                ),
            )

    def add_goal(
        self,
        participant_id: str,
        words: str,
        *,
        area: str = "",
        voice: Voice = Voice.PARENT,
        by_when: str = "",
        status: GoalStatus = GoalStatus.NOT_STARTED,
        set_on: date | None = None,
    ) -> Goal:
        """Add a goal, kept in the parent's own words."""
        with self._write("add a goal") as txn:
            self._require_participant(participant_id)
            return self._create(
                txn,
                Goal(
                    participant_id=participant_id,
                    words=words,
                    area=area,
                    voice=voice,
                    by_when=by_when,
                    status=status,
                    set_on=self._on(set_on),
                ),
            )

    def update_goal(self, goal_id: str, **changes: Any) -> Goal:
        """Change a goal's words, area, status or "by when"."""
        with self._write("change a goal") as txn:
            return self._update(txn, self._get(Goal, goal_id), **changes)

    def set_goal_status(self, goal_id: str, status: GoalStatus) -> Goal:
        """Mark a goal working on it, achieved, on hold or changed my mind."""
        return self.update_goal(goal_id, status=status)

    def add_step(self, goal_id: str, what: str, who: str = "me", due: date | None = None) -> Step:
        """Add a step towards a goal: what, who does it, and an optional date."""
        with self._write("add a step") as txn:
            goal = self._get(Goal, goal_id)
            return self._create(
                txn,
                Step(
                    participant_id=goal.participant_id, goal_id=goal_id, what=what, who=who, due=due
                ),
            )

    def complete_step(self, step_id: str, on: date | None = None) -> Step:
        """Tick a step done."""
        with self._write("tick a step done") as txn:
            return self._update(txn, self._get(Step, step_id), done_on=self._on(on))

    def reopen_step(self, step_id: str) -> Step:
        """Untick a step."""
        with self._write("untick a step") as txn:
            return self._update(txn, self._get(Step, step_id), done_on=None)

    def update_step(self, step_id: str, **changes: Any) -> Step:
        """Change a step's words, who or due date."""
        with self._write("change a step") as txn:
            return self._update(txn, self._get(Step, step_id), **changes)

    # -- choices, pace and pauses -----------------------------------------------------------

    def choose_service(
        self,
        participant_id: str,
        service: str,
        decision: Decision,
        *,
        on: date | None = None,
        reason: str = "",
        provider: str = "",
        voice: Voice = Voice.PARENT,
    ) -> Choice:
        """Record the parent's decision about a service: chosen, not for me now, or maybe later."""
        words = {
            Decision.CHOSEN: "choose a service",
            Decision.NOT_FOR_ME_NOW: "not for me now",
            Decision.MAYBE_LATER: "maybe later",
        }[Decision(decision)]
        with self._write(words) as txn:
            self._require_participant(participant_id)
            return self._create_or_update(
                txn,
                Choice,
                {"participant_id": participant_id, "service": service},
                decision=Decision(decision),
                decided_on=self._on(on),
                reason=reason,
                provider=provider,
                voice=voice,
            )

    def change_pace(
        self,
        participant_id: str,
        pace: Pace,
        rhythm: Rhythm,
        *,
        on: date | None = None,
        reason: str = "",
        voice: Voice = Voice.PARENT,
    ) -> PaceChange:
        """Record the pace and check-in rhythm the parent chose, and why."""
        with self._write("change pace") as txn:
            self._require_participant(participant_id)
            return self._create(
                txn,
                PaceChange(
                    participant_id=participant_id,
                    pace=Pace(pace),
                    rhythm=Rhythm(rhythm),
                    changed_on=self._on(on),
                    reason=reason,
                    voice=voice,
                ),
            )

    def pause(
        self,
        participant_id: str,
        *,
        on: date | None = None,
        reason: str = "",
        voice: Voice = Voice.PARENT,
    ) -> Pause:
        """The parent takes a break: their decision, never a failure."""
        with self._write("pause") as txn:
            participant = self._get(Participant, participant_id)
            if participant.status is ParticipantStatus.PAUSED:
                raise ValidationError(f"{participant.preferred_name} is already taking a break.")
            pause = self._create(
                txn,
                Pause(
                    participant_id=participant_id,
                    started_on=self._on(on),
                    reason=reason,
                    voice=voice,
                ),
            )
            self._update(txn, participant, status=ParticipantStatus.PAUSED)
            return pause

    def resume(self, participant_id: str, *, on: date | None = None) -> Participant:
        """The parent picks up again after a break."""
        with self._write("resume") as txn:
            participant = self._get(Participant, participant_id)
            for pause in store.list_where(
                self.db, Pause, "participant_id = ? AND ended_on IS NULL", [participant_id]
            ):
                self._update(txn, pause, ended_on=max(self._on(on), pause.started_on))
            return self._update(txn, participant, status=ParticipantStatus.ACTIVE)

    # -- milestones, assessments, contacts, referrals ---------------------------------------

    def record_milestone(
        self,
        participant_id: str,
        type: str,
        *,
        achieved_on: date | None = None,
        note: str = "",
        voice: Voice = Voice.PARENT,
    ) -> Milestone:
        """Record something the parent achieved."""
        with self._write("record a milestone") as txn:
            self._require_participant(participant_id)
            return self._create(
                txn,
                Milestone(
                    participant_id=participant_id,
                    type=type,
                    achieved_on=self._on(achieved_on),
                    note=note,
                    voice=voice,
                ),
            )

    def record_assessment(
        self,
        participant_id: str,
        scores: dict[str, int],
        *,
        taken_on: date | None = None,
        keyworker_scores: dict[str, int] | None = None,
        comment: str = "",
        voice: Voice = Voice.PARENT,
    ) -> Assessment:
        """Record a self-assessment: the parent's 1-10 per area (your view optional beside it)."""
        with self._write("record a self-assessment") as txn:
            self._require_participant(participant_id)
            return self._create(
                txn,
                Assessment(
                    participant_id=participant_id,
                    taken_on=self._on(taken_on),
                    scores=dict(scores),
                    keyworker_scores=dict(keyworker_scores or {}),
                    comment=comment,
                    voice=voice,
                ),
            )

    def log_contact(
        self,
        participant_id: str,
        kind: str = "one_to_one",
        *,
        on: date | None = None,
        venue: str = "",
        minutes: int = 30,
        note: str = "",
        next_step: str = "",
        childcare_needed: bool = False,
        childcare_arranged: bool = False,
    ) -> Contact:
        """Log a contact (defaults: today, one-to-one, 30 minutes)."""
        with self._write("log a contact") as txn:
            self._require_participant(participant_id)
            return self._create(
                txn,
                Contact(
                    participant_id=participant_id,
                    on=self._on(on),
                    kind=kind,
                    venue=venue,
                    minutes=minutes,
                    note=note,
                    next_step=next_step,
                    childcare_needed=childcare_needed,
                    childcare_arranged=childcare_arranged,
                ),
            )

    def refer(
        self,
        participant_id: str,
        to: str,
        *,
        reason: str = "",
        on: date | None = None,
        service: str = "",
    ) -> Referral:
        """Refer the parent to another service or organisation."""
        with self._write("refer") as txn:
            self._require_participant(participant_id)
            return self._create(
                txn,
                Referral(
                    participant_id=participant_id,
                    to=to,
                    reason=reason,
                    on=self._on(on),
                    service=service,
                ),
            )

    def set_referral_outcome(self, referral_id: str, outcome: ReferralOutcome) -> Referral:
        """Record what came of a referral."""
        with self._write("record a referral outcome") as txn:
            return self._update(
                txn, self._get(Referral, referral_id), outcome=ReferralOutcome(outcome)
            )

    # -- groups and feedback ----------------------------------------------------------------

    def create_group_session(
        self, activity: str, *, on: date | None = None, venue: str = ""
    ) -> GroupSession:
        """Create a group session."""
        with self._write("create a group session") as txn:
            return self._create(txn, GroupSession(activity=activity, on=self._on(on), venue=venue))

    def record_attendance(
        self, session_id: str, participant_ids: Iterable[str], minutes: int = 90
    ) -> list[Attendance]:
        """Register who came to a session; each attendee gets a group contact.

        Only parents who have agreed to be on group registers can be registered.
        """
        with self._write("record attendance") as txn:
            session = self._get(GroupSession, session_id)
            already = {a.participant_id for a in self.attendance(session_id)}
            result = []
            for pid in participant_ids:
                if pid in already:
                    continue
                participant = self._get(Participant, pid)
                if not self.has_consent(pid, ConsentPurpose.GROUP_REGISTERS):
                    raise ValidationError(
                        f"{participant.preferred_name} has not agreed to be on group registers; "
                        "record their consent first, or leave them off the register."
                    )
                result.append(
                    self._create(txn, Attendance(participant_id=pid, session_id=session_id))
                )
                contact = Contact(
                    participant_id=pid,
                    on=session.on,
                    kind=self._group_kind(),
                    venue=session.venue,
                    minutes=minutes,
                    note=session.activity,
                    group_session_id=session_id,
                )
                self._create(txn, contact)
            return result

    def record_group_session(
        self,
        activity: str,
        *,
        on: date | None = None,
        venue: str = "",
        attendees: Iterable[str] = (),
        minutes: int = 90,
    ) -> GroupSession:
        """Create a group session and register who came, as one change (one undo)."""
        with self._write("record a group session"):
            session = self.create_group_session(activity, on=on, venue=venue)
            wanted = list(attendees)
            if wanted:
                self.record_attendance(session.id, wanted, minutes)
        return session

    def _group_kind(self) -> str:
        return (
            "group"
            if "group" in self.catalogue.keys("contact_kinds")
            else self.catalogue.contact_kinds[0].key
        )

    def add_feedback(
        self,
        said: str,
        *,
        source: FeedbackSource = FeedbackSource.PARENT,
        we_did: str = "",
        on: date | None = None,
        participant_id: str | None = None,
    ) -> Feedback:
        """Record feedback ("you said") and, when known, what changed ("we did")."""
        with self._write("add feedback") as txn:
            if participant_id:
                self._require_participant(participant_id)
            return self._create(
                txn,
                Feedback(
                    said=said,
                    source=FeedbackSource(source),
                    we_did=we_did,
                    on=self._on(on),
                    participant_id=participant_id,
                ),
            )

    # -- generic edits ----------------------------------------------------------------------

    def update_record(self, kind: str, record_id: str, **changes: Any) -> Record:
        """Change fields of any record (the window's inline edits)."""
        cls = BY_KIND[kind]
        if cls is Participant:
            return self.update_participant(record_id, **changes)
        with self._write(f"change {kind}") as txn:
            return self._update(txn, self._get(cls, record_id), **changes)

    def delete_record(self, kind: str, record_id: str) -> None:
        """Remove a record entered by mistake (not a parent: closing or erasing is for that)."""
        cls = BY_KIND[kind]
        if cls is Participant:
            raise ValidationError("A parent's record is closed or erased, not deleted.")
        with self._write(f"remove {kind}") as txn:
            record = self._get(cls, record_id)
            if isinstance(record, Goal):
                for step in store.list_where(self.db, Step, "goal_id = ?", [record.id]):
                    self._delete(txn, step)
            if isinstance(record, GroupSession):
                for row in self.attendance(record.id):
                    self._delete(txn, row)
            self._delete(txn, record)
