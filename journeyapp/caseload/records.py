"""Use cases on records (enrol, details, children, consent, strengths, goals, steps, and
edits and removals of any record): one use case = one transaction.

A mixin of the Caseload façade, so the hundreds of callers keep writing
`caseload.enrol_participant(...)`; the transaction, undo and notification come from the façade.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from contextlib import AbstractContextManager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from journeyapp.caseload.queries import RecordQueries
from journeyapp.caseload.undo import RemoveCreated, RestoreDeleted, RevertUpdate, Txn, Undo
from journeyapp.core.dates import long_date
from journeyapp.core.drafts import Draft
from journeyapp.core.enums import (
    ConsentPurpose,
    GoalStatus,
    ParticipantStatus,
    StrengthOrBarrier,
    Voice,
)
from journeyapp.core.errors import NotFound, StorageError, ValidationError
from journeyapp.core.file_trouble import storage_error
from journeyapp.core.merge import ONE_PER_PARENT, keyed_id
from journeyapp.core.records import (
    BY_KIND,
    Attendance,
    Child,
    Consent,
    Contact,
    Goal,
    GroupSession,
    Job,
    Milestone,
    Participant,
    Pause,
    Record,
    StageChange,
    Step,
    StrengthBarrier,
)
from journeyapp.core.typed import typed_record, typed_values
from journeyapp.store import drafts as store_drafts
from journeyapp.store import records as store
from journeyapp.store.db import DatabaseError

R = TypeVar("R", bound=Record)


class RecordUseCases(RecordQueries):
    """Every change a keyworker makes to the records, each one transaction (see Caseload)."""

    if TYPE_CHECKING:  # provided by the Caseload façade

        def _write(
            self, description: str, *, undo: Undo = Undo.UNDOABLE
        ) -> AbstractContextManager[Txn]: ...

        def now_text(self) -> str: ...

        def saving(self) -> AbstractContextManager[None]: ...

        path: Path | None

        def correct_milestone(
            self, milestone_id: str, *, keep_job: bool = False, **changes: Any
        ) -> Milestone: ...

    # -- writing records --------------------------------------------------------------------

    def _create(self, txn: Txn, record: R) -> R:
        # Validation loads when a record is first saved, not to open a caseload (issue 18).
        from journeyapp.core.validation import validate

        record = typed_record(record)
        self._check_days(record, None)
        validate(record, self.catalogue, self.today(), self.codes)
        saved = store.insert(self.db, record, txn.ctx)
        txn.touched(saved.KIND, store.owner_id(saved))
        txn.inverse.append(RemoveCreated(record.KIND, saved.id))
        return saved

    def _update(self, txn: Txn, record: R, **changes: Any) -> R:
        # The words typed now are kept by the one rule (core.typed); what was held already
        # is not refused again for a change to another field.
        changes = typed_values(type(record), changes)
        self._check_days(dataclasses.replace(record, **changes), record)
        return self._update_as_written(txn, record, **changes)

    def _update_as_written(self, txn: Txn, record: R, **changes: Any) -> R:
        """`_update` with values written elsewhere (another laptop's, chosen in a merge
        decision): their days are kept as they were written, not checked as days typed."""
        from journeyapp.core.validation import validate_change

        candidate = dataclasses.replace(record, **changes)
        # A date kept as it was is not refused again (one merged from a laptop whose clock
        # was ahead can be after today here); a date typed now is.
        validate_change(record, candidate, self.catalogue, self.today(), self.codes)
        new, old = store.update(self.db, record, changes, txn.ctx)
        if old:
            txn.touched(record.KIND, store.owner_id(record))
            txn.inverse.append(RevertUpdate(record.KIND, record.id, old))
        return new

    def _check_days(self, record: Record, before: Record | None) -> None:
        """The days typed into `record` (those not as they were `before`) are days that can be
        right: core.validation.check_typed_days, with the day the parent joined."""
        from journeyapp.core.validation import check_typed_days, journey_days_typed

        joined = None
        owner = getattr(record, "participant_id", None)
        if owner and journey_days_typed(record, before):
            found = store.list_where(self.db, Participant, "id = ?", [owner])
            joined = found[0].joined_on if found else None
        check_typed_days(record, before, self.today(), joined)

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
        thing = ONE_PER_PARENT.get(cls.KIND)
        if thing is not None and "participant_id" in key:
            # The same id on every laptop: two laptops' records of it merge (issue 16).
            values["id"] = keyed_id(cls.KIND, str(key["participant_id"]), str(key[thing]))
        return self._create(txn, cls(**key, **values))

    def _on(self, value: date | None) -> date:
        return value if value is not None else self.today()

    def add_records(
        self, records: Iterable[Record], description: str = "import", *, checked: bool = False
    ) -> int:
        """Add many prepared records at once (imports, demo data): validated, one transaction,
        a journey-log event for each. Returns how many were added.

        `checked`: the caller has validated every record as `_create` would (with this
        caseload's catalogue, today and codes) and reported any refusal row by row (the
        spreadsheet import), so they are not validated a second time here."""
        from journeyapp.core.validation import validate

        items = [typed_record(record) for record in records]
        today = self.today()
        for record in [] if checked else items:
            validate(record, self.catalogue, today, self.codes)
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
        """Move the parent to a stage (forwards or back: journeys are not linear). Their stage is
        that of their latest move by day: a move dated before a later one is history."""
        with self._write("change stage") as txn:
            self._get(Participant, participant_id)
            self._create(
                txn,
                StageChange(participant_id=participant_id, stage=stage, on=self._on(on), note=note),
            )
            return self._restage(txn, participant_id)

    def correct_stage_move(
        self,
        move_id: str,
        *,
        stage: str | None = None,
        on: date | None = None,
        note: str | None = None,
    ) -> StageChange:
        """Correct a stage move (its stage, its day, what changed); the parent's stage follows
        their latest move by day."""
        with self._write("correct a stage move") as txn:
            move = self._get(StageChange, move_id)
            changes: dict[str, Any] = {}
            if stage is not None and stage != move.stage:
                changes["stage"] = stage
            if on is not None and on != move.on:
                changes["on"] = on
            if note is not None and note != move.note:
                changes["note"] = note
            if not changes:
                return move
            moved = self._update(txn, move, **changes)
            self._restage(txn, move.participant_id)
            return moved

    def remove_stage_move(self, move_id: str) -> None:
        """Remove a stage move recorded by mistake (not a parent's only one: it is corrected
        instead); the parent's stage follows their latest move by day."""
        with self._write("remove a stage move") as txn:
            move = self._get(StageChange, move_id)
            if self.only_stage_move(move.participant_id) == move.id:
                raise ValidationError(
                    f"The move to {self.catalogue.label('stages', move.stage)} on "
                    f"{long_date(move.on)} is their only stage move, so it cannot be removed: "
                    "correct its stage or day instead. Nothing was changed."
                )
            self._delete(txn, move)
            self._restage(txn, move.participant_id)

    def only_stage_move(self, participant_id: str) -> str | None:
        """The id of a parent's stage move when it is their only one (None when they have
        more): it holds their stage, so it is corrected, never removed."""
        moves = self._stage_moves(participant_id)
        return moves[0].id if len(moves) == 1 else None

    def _stage_moves(self, participant_id: str) -> list[StageChange]:
        """A parent's stage moves, latest first: by day, then the one recorded last (ties: the
        one stored first), as store.queries.stage_by_today and the report read them."""
        return store.list_where(
            self.db,
            StageChange,
            "participant_id = ?",
            [participant_id],
            order='"on" DESC, created_at DESC, rowid',
        )

    def _restage(self, txn: Txn, participant_id: str) -> Participant:
        """Hold as the parent's stage that of their latest move by day."""
        participant = self._get(Participant, participant_id)
        moves = self._stage_moves(participant_id)
        if moves and moves[0].stage != participant.stage:
            return self._update_as_written(txn, participant, stage=moves[0].stage)
        return participant

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

    def record_consents(
        self,
        participant_id: str,
        choices: dict[ConsentPurpose, tuple[bool, str]],
        on: date | None = None,
        *,
        dates: dict[ConsentPurpose, date] | None = None,
    ) -> list[Consent]:
        """Record consent for several purposes at once ({purpose: (given, how recorded)}): one
        change, one undo. `dates` gives a purpose a day of its own instead of `on` (a consent
        whose wording is corrected keeps the day it was given)."""
        days = dates or {}
        with self._write("record consent"):
            return [
                self.record_consent(
                    participant_id, purpose, given, on=days.get(purpose, on), how_recorded=how
                )
                for purpose, (given, how) in choices.items()
            ]

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
            # In the window's words (Undo says it, on a screen the parent may see).
            "add a strength" if kind is StrengthOrBarrier.STRENGTH else "add something in the way"
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

    # -- generic edits ----------------------------------------------------------------------

    def update_record(self, kind: str, record_id: str, /, **changes: Any) -> Record:
        """Change fields of any record (the window's inline edits)."""
        from journeyapp.core.describe import KIND_WORDS

        cls = BY_KIND[kind]
        if cls is Participant:
            return self.update_participant(record_id, **changes)
        if cls is StageChange:  # the parent's stage follows their moves
            return self.correct_stage_move(record_id, **changes)
        if cls is Milestone:  # its job follows its type
            return self.correct_milestone(record_id, **changes)
        with self._write(f"change the {KIND_WORDS.get(kind, kind)}") as txn:
            record = self._get(cls, record_id)
            if (
                isinstance(record, Contact)
                and record.group_session_id
                and changes.get("on", record.on) != record.on
            ):
                # The day of a parent's place at a group session is the session's: moved alone,
                # their contact and the register would tell two days.
                raise ValidationError(
                    f"This contact is a place at the group session on {long_date(record.on)}: "
                    "correct the session's date in Groups > Past group sessions, and every parent's "
                    "contact from it moves with it. Nothing was changed.",
                    "on",
                )
            return self._update(txn, record, **changes)

    def record(self, kind: str, record_id: str) -> Record:
        """One record of any kind by its id (NotFound when it has gone)."""
        return self._get(BY_KIND[kind], record_id)

    def delete_record(self, kind: str, record_id: str) -> None:
        """Remove a record entered by mistake (not a parent: closing or erasing is for that)."""
        from journeyapp.core.describe import KIND_WORDS

        cls = BY_KIND[kind]
        if cls is Participant:
            raise ValidationError("A parent's record is closed or erased, not deleted.")
        if cls is StageChange:  # the parent's stage follows their moves
            self.remove_stage_move(record_id)
            return
        with self._write(f"remove the {KIND_WORDS.get(kind, kind)}") as txn:
            record = self._get(cls, record_id)
            if isinstance(record, Goal):
                for step in store.list_where(self.db, Step, "goal_id = ?", [record.id]):
                    self._delete(txn, step)
            if isinstance(record, GroupSession):
                # The whole session goes: its register and the contact it made for each parent.
                for row in self.attendance(record.id):
                    self._delete(txn, row)
                for contact in store.list_where(
                    self.db, Contact, "group_session_id = ?", [record.id]
                ):
                    self._delete(txn, contact)
            # A job grows from its "started work" milestone: removing the one removes the other.
            if isinstance(record, Milestone):
                for job in store.list_where(self.db, Job, "milestone_id = ?", [record.id]):
                    self._delete(txn, job)
            # Being at a group session is two records (the register and the group contact):
            # removing either removes both, so the list of contacts and the register agree.
            if isinstance(record, Attendance):
                for contact in store.list_where(
                    self.db,
                    Contact,
                    "participant_id = ? AND group_session_id = ?",
                    [record.participant_id, record.session_id],
                ):
                    self._delete(txn, contact)
            if isinstance(record, Contact) and record.group_session_id:
                for row in store.list_where(
                    self.db,
                    Attendance,
                    "participant_id = ? AND session_id = ?",
                    [record.participant_id, record.group_session_id],
                ):
                    self._delete(txn, row)
            # A break entered by mistake: without it the parent is no longer taking a break.
            if isinstance(record, Pause) and record.ended_on is None:
                participant = self._get(Participant, record.participant_id)
                others = store.list_where(
                    self.db,
                    Pause,
                    "participant_id = ? AND ended_on IS NULL AND id != ?",
                    [record.participant_id, record.id],
                )
                if participant.status is ParticipantStatus.PAUSED and not others:
                    self._update(txn, participant, status=ParticipantStatus.ACTIVE)
            self._delete(txn, record)

    # -- drafts: typing kept until it is saved or thrown away ---------------------------------

    def keep_draft(self, draft: Draft) -> None:
        """Keep what is typed in an unsaved form (overwrites the form's earlier draft).

        Not a use case: no journey-log event, no undo, no change notification; the words stay
        inside the (encrypted) caseload and nowhere else.
        """
        with self.saving():
            try:
                with self.db.atomic():
                    kept = dataclasses.replace(draft, updated_at=self.now_text())
                    store_drafts.keep(self.db, kept)
            except DatabaseError as exc:
                raise storage_error(
                    exc,
                    self.path or Path("caseload.db"),
                    "keep what you are typing to come back to if it closes",
                    after="What you typed is still on screen: save it once that is put right.",
                ) from None

    def discard_draft(self, key: str) -> None:
        """Forget a draft (its form was saved, or the keyworker threw the words away)."""
        try:
            with self.saving(), self.db.atomic():
                store_drafts.discard(self.db, key)
        except DatabaseError as exc:
            raise StorageError(f"Could not forget the draft ({exc}).") from None

    def drafts(self) -> list[Draft]:
        """Every draft kept, oldest first (offered back when the window opens)."""
        return store_drafts.all_drafts(self.db)
