"""Caseload: the façade with every use case the window and the command line share.

One use case = one transaction; listeners hear a Changes value after commit, never before.
"""

from __future__ import annotations

import dataclasses
import itertools
import os
import secrets
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import IO, Any, TypeVar

from journeyapp import paths
from journeyapp.core.action_plan import ActionPlan, build_document
from journeyapp.core.bulk import paused_gc
from journeyapp.core.catalogue import Catalogue, load_catalogue
from journeyapp.core.changes import Changes
from journeyapp.core.drafts import Draft
from journeyapp.core.enums import (
    Action,
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
from journeyapp.core.errors import NotFound, StorageError, ValidationError, WrongPassphrase
from journeyapp.core.merge import MergeDecision, MergeResult
from journeyapp.core.passphrase import assess as assess_passphrase
from journeyapp.core.passphrase import normalise as normalise_passphrase
from journeyapp.core.records import (
    BY_KIND,
    Assessment,
    Attendance,
    CaseloadOutline,
    CaseloadRow,
    Child,
    Choice,
    Consent,
    Contact,
    Event,
    Feedback,
    Goal,
    GroupSession,
    Journey,
    Milestone,
    PaceChange,
    Participant,
    Pause,
    Record,
    Referral,
    StageChange,
    Step,
    StrengthBarrier,
    new_id,
)
from journeyapp.core.text import fold
from journeyapp.core.validation import iso_utc, validate, wall_clock
from journeyapp.store import backup as store_backup
from journeyapp.store import caseload_list, queries
from journeyapp.store import db as store_db
from journeyapp.store import drafts as store_drafts
from journeyapp.store import erase as store_erase
from journeyapp.store import journal as store_journal
from journeyapp.store import merge as store_merge
from journeyapp.store import records as store
from journeyapp.store.db import Database, DatabaseError, open_database
from journeyapp.store.filelock import CaseloadLock

R = TypeVar("R", bound=Record)
Listener = Callable[[Changes], None]


@dataclass
class _Txn:
    """What one use case has done so far: for the Changes value and for undo."""

    ctx: store.EventContext
    kinds: set[str] = field(default_factory=set)
    participants: set[str] = field(default_factory=set)
    # Inverse operations, applied in reverse to undo: ("delete", kind, id),
    # ("update", kind, id, old_values) or ("restore", kind, row).
    inverse: list[tuple[Any, ...]] = field(default_factory=list)


@dataclass(frozen=True)
class UndoEntry:
    """One committed use case that can be undone."""

    description: str
    inverse: tuple[tuple[Any, ...], ...]


class Caseload:
    """Everything a keyworker can do with their records. The UI and the CLI call this; neither sees SQL."""

    def __init__(
        self,
        db: Database,
        catalogue: Catalogue | None = None,
        *,
        actor: str = "keyworker",
        clock: Callable[[], datetime] | None = None,
        path: Path | None = None,
    ) -> None:
        self.db = db
        self._closed = False
        self.catalogue = catalogue if catalogue is not None else default_catalogue()
        self.actor = actor
        # The one source of "now" (and so of today()); tests set a fixed, ticking clock.
        self.clock: Callable[[], datetime] = clock or wall_clock
        self.path = path
        self.device_id = store_db.setting(db, "device_id") or "unknown-device"
        self._listeners: list[Listener] = []
        self._txn: _Txn | None = None
        self._undo: list[UndoEntry] = []

    @classmethod
    def open(
        cls,
        path: Path | str | None,
        key: str | bytes | None = None,
        *,
        catalogue: Catalogue | None = None,
        actor: str = "keyworker",
        create: bool = True,
    ) -> Caseload:
        """Open (creating or migrating) the caseload database at `path` (None: in memory)."""
        db = open_database(path, key, create=create)
        caseload = cls(db, catalogue, actor=actor, path=Path(path) if path is not None else None)
        caseload._key = key  # kept in memory only, for verified encrypted backups (issue 6)
        return caseload

    def close(self) -> None:
        """Checkpoint the write-ahead log and close the database."""
        with suppress(DatabaseError):
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.db.close()
        self._closed = True
        self._release_hold()

    def today(self) -> date:
        """Today's date in local time, from the caseload's clock."""
        return self.clock().astimezone().date()

    def now_text(self) -> str:
        """The clock's time as the ISO-8601 UTC text records and events carry."""
        return iso_utc(self.clock())

    @property
    def is_closed(self) -> bool:
        """True once `close()` has been called."""
        return self._closed

    @property
    def is_demo(self) -> bool:
        """True for a demo caseload (made by `journeyapp demo`), which holds no real people."""
        return store_db.setting(self.db, "demo") == "1"

    # -- listeners and transactions ------------------------------------------------------------

    def subscribe(self, listener: Listener) -> None:
        """Call `listener(changes)` after every committed use case."""
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        """Stop calling `listener`."""
        if listener in self._listeners:
            self._listeners.remove(listener)

    @contextmanager
    def _write(self, description: str, *, undoable: bool = True) -> Iterator[_Txn]:
        """One use case: one transaction, then (after commit) undo bookkeeping and notification."""
        if self._txn is not None:  # nested use case (e.g. inside batch()): join the outer one
            yield self._txn
            return
        txn_id = str(uuid.uuid4())
        ctx = store.EventContext(
            device_id=self.device_id,
            actor=self.actor,
            at=self.now_text(),
            txn=txn_id,
            event_ids=(new_id() for _ in itertools.count()),
        )
        txn = _Txn(ctx)
        self._txn = txn
        try:
            with self.db.atomic():
                yield txn
        except DatabaseError as exc:
            raise StorageError(
                f"Could not save ({exc}). Nothing was changed; check there is free disk space "
                "and the caseload folder can be written."
            ) from None
        finally:
            self._txn = None
        if undoable and txn.inverse:
            self._undo.append(UndoEntry(description, tuple(txn.inverse)))
            del self._undo[:-100]
        self._notify(Changes(frozenset(txn.kinds), frozenset(txn.participants), description))

    @contextmanager
    def batch(self, description: str = "import") -> Iterator[None]:
        """Run many use cases as one transaction (imports, demo data): all or nothing."""
        with self._write(description, undoable=False):
            yield

    def _notify(self, changes: Changes) -> None:
        if changes:
            for listener in list(self._listeners):
                listener(changes)

    def _create(self, txn: _Txn, record: R) -> R:
        validate(record, self.catalogue, self.today())
        saved = store.insert(self.db, record, txn.ctx)
        _touched(txn, saved.KIND, store.owner_id(saved))
        txn.inverse.append(("delete", record.KIND, saved.id))
        return saved

    def _update(self, txn: _Txn, record: R, **changes: Any) -> R:
        candidate = dataclasses.replace(record, **changes)
        validate(candidate, self.catalogue, self.today())
        new, old = store.update(self.db, record, changes, txn.ctx)
        if old:
            _touched(txn, record.KIND, store.owner_id(record))
            txn.inverse.append(("update", record.KIND, record.id, old))
        return new

    def _delete(self, txn: _Txn, record: Record) -> None:
        store.delete(self.db, record, txn.ctx)
        _touched(txn, record.KIND, store.owner_id(record))
        txn.inverse.append(("restore", record.KIND, store.to_row(record)))

    def _require_participant(self, participant_id: str) -> None:
        if not store.exists(self.db, "participants", participant_id):
            raise NotFound("That parent is no longer in this caseload.")

    def add_records(self, records: Iterable[Record], description: str = "import") -> int:
        """Add many prepared records at once (imports, demo data): validated, one transaction,
        a journey-log event for each. Returns how many were added."""
        items = list(records)
        today = self.today()
        for record in items:
            validate(record, self.catalogue, today)
        with self._write(description, undoable=False) as txn:
            added = store.insert_many(self.db, items, txn.ctx)
            txn.kinds.update(r.KIND for r in items)
            txn.participants.update(p for p in map(store.owner_id, items) if p)
        return added

    def _get(self, cls: type[R], record_id: str) -> R:
        return store.get(self.db, cls, record_id)

    def _one(self, cls: type[R], key: dict[str, Any]) -> R | None:
        """The record of `cls` with these field values (a parent has one consent per purpose,
        one choice per service), or None."""
        where = " AND ".join(f'"{name}" = ?' for name in key)
        found = store.list_where(self.db, cls, where, [str(v) for v in key.values()])
        return found[0] if found else None

    def _create_or_update(self, txn: _Txn, cls: type[R], key: dict[str, Any], **values: Any) -> R:
        """Set `values` on the record of `cls` with these `key` values, made if there is none."""
        existing = self._one(cls, key)
        if existing is not None:
            return self._update(txn, existing, **values)
        return self._create(txn, cls(**key, **values))

    def _on(self, value: date | None) -> date:
        return value if value is not None else self.today()

    # -- undo --------------------------------------------------------------------------------------

    @property
    def can_undo(self) -> bool:
        """True when there is a change made in this session that can be undone."""
        return bool(self._undo)

    @property
    def undo_description(self) -> str:
        """What Undo would undo ("log contact"), or ""."""
        return self._undo[-1].description if self._undo else ""

    def undo(self) -> str:
        """Undo the last change made in this session (recorded as new journey-log events)."""
        if not self._undo:
            raise ValidationError("There is nothing to undo.")
        entry = self._undo[-1]
        with self._write(f"undo {entry.description}", undoable=False) as txn:
            for op in reversed(entry.inverse):
                kind = op[1]
                cls = BY_KIND[kind]
                # Whose journey this touched: the record's owner, known from what is at hand.
                owner: str | None = None
                if op[0] == "delete":
                    existing = store.find(self.db, cls, op[2])
                    if existing is not None:
                        self._delete(txn, existing)
                elif op[0] == "update":
                    existing = store.find(self.db, cls, op[2])
                    if existing is not None:
                        stored = store.to_row(existing)
                        stored.update(op[3])
                        restored = store.from_row(cls, stored)
                        changes = {k: getattr(restored, k) for k in op[3]}
                        new, _old = store.update(self.db, existing, changes, txn.ctx)
                        txn.kinds.add(kind)
                        owner = store.owner_id(new)
                else:
                    row = op[2]
                    if store.find(self.db, cls, row["id"]) is None:
                        store.restore_row(self.db, kind, row, txn.ctx)
                        txn.kinds.add(kind)
                    owner = str(row["participant_id"]) if row.get("participant_id") else None
                if kind == "participants":
                    owner = op[2] if isinstance(op[2], str) else op[2]["id"]
                if owner:
                    txn.participants.add(owner)
        self._undo.pop()
        return entry.description

    # -- participants ------------------------------------------------------------------------------

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

    def participant(self, participant_id: str) -> Participant:
        """One parent's details."""
        return self._get(Participant, participant_id)

    def participants(self) -> list[Participant]:
        """Every parent in the caseload, by preferred name."""
        return store.list_where(self.db, Participant, order="preferred_name COLLATE NOCASE")

    def find_participants(self, text: str) -> list[Participant]:
        """Parents whose id, reference or name matches `text` (accent-blind, any part of the name)."""
        text = text.strip()
        if not text:
            return []
        exact = store.find(self.db, Participant, text)
        if exact is not None:
            return [exact]
        by_ref = store.list_where(self.db, Participant, "ref = ?", [text])
        if by_ref:
            return by_ref
        wanted = fold(text)
        return [
            p
            for p in self.participants()
            if wanted in fold(p.preferred_name) or wanted in fold(p.full_name)
        ]

    # -- children and consent ----------------------------------------------------------------------

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
    ) -> list[Consent]:
        """Record consent for several purposes at once ({purpose: (given, how recorded)}): one
        change, one undo."""
        with self._write("record consent"):
            return [
                self.record_consent(participant_id, purpose, given, on=on, how_recorded=how)
                for purpose, (given, how) in choices.items()
            ]

    def has_consent(self, participant_id: str, purpose: ConsentPurpose) -> bool:
        """True if the parent has given (and not withdrawn) consent for `purpose`."""
        found = self._one(Consent, {"participant_id": participant_id, "purpose": purpose})
        return found is not None and found.given

    def document(
        self, participant_id: str, *, contact: str = "", what_we_hold: bool = False
    ) -> ActionPlan:
        """One parent's plan as of today, or with `what_we_hold` their "What we hold about you"
        (which also needs their journey-log events and the group sessions they attended)."""
        return build_document(
            self.journey(participant_id),
            self.catalogue,
            self.today(),
            contact=contact,
            what_we_hold=what_we_hold,
            events=self.events(participant_id) if what_we_hold else (),
            sessions={s.id: s for s in self.group_sessions()} if what_we_hold else None,
        )

    def consented(self, purpose: ConsentPurpose) -> set[str]:
        """Every parent who has given (and not withdrawn) consent for `purpose`: one query,
        where asking `has_consent` parent by parent would be one each."""
        found = store.list_where(self.db, Consent, '"purpose" = ?', [str(purpose)])
        return {c.participant_id for c in found if c.given}

    # -- strengths, goals and steps ----------------------------------------------------------------

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

    # -- choices, pace and pauses ------------------------------------------------------------------

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

    # -- milestones, assessments, contacts, referrals -----------------------------------------------

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

    # -- groups and feedback -----------------------------------------------------------------------

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

    def _group_kind(self) -> str:
        return (
            "group"
            if "group" in self.catalogue.keys("contact_kinds")
            else self.catalogue.contact_kinds[0].key
        )

    def group_sessions(self) -> list[GroupSession]:
        """Every group session, most recent first."""
        return store.list_where(self.db, GroupSession, order='"on" DESC, created_at DESC')

    def attendance(self, session_id: str) -> list[Attendance]:
        """Who came to a session."""
        return store.list_where(self.db, Attendance, "session_id = ?", [session_id])

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

    def all_feedback(self) -> list[Feedback]:
        """All feedback, most recent first."""
        return store.list_where(self.db, Feedback, order='"on" DESC, created_at DESC')

    # -- generic edits -----------------------------------------------------------------------------

    def update_record(self, kind: str, record_id: str, /, **changes: Any) -> Record:
        """Change fields of any record (the window's inline edits)."""
        cls = BY_KIND[kind]
        if cls is Participant:
            return self.update_participant(record_id, **changes)
        with self._write(f"change {kind}") as txn:
            return self._update(txn, self._get(cls, record_id), **changes)

    def record(self, kind: str, record_id: str) -> Record:
        """One record of any kind by its id (NotFound when it has gone)."""
        return self._get(BY_KIND[kind], record_id)

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

    # -- queries -----------------------------------------------------------------------------------

    def journey(self, participant_id: str) -> Journey:
        """Everything held about one parent."""
        participant = self._get(Participant, participant_id)

        def rows(cls: type[R]) -> tuple[R, ...]:
            return tuple(store.list_for(self.db, cls, participant_id))

        return Journey(
            participant=participant,
            children=rows(Child),
            consents=rows(Consent),
            strengths=tuple(sorted(rows(StrengthBarrier), key=lambda s: s.kind != "strength")),
            goals=rows(Goal),
            steps=rows(Step),
            choices=rows(Choice),
            pace=rows(PaceChange),
            pauses=rows(Pause),
            stages=rows(StageChange),
            milestones=rows(Milestone),
            assessments=rows(Assessment),
            contacts=rows(Contact),
            referrals=rows(Referral),
            attendance=rows(Attendance),
            feedback=rows(Feedback),
        )

    def caseload(
        self,
        search: str = "",
        *,
        stage: str | None = None,
        status: str | None = None,
        locality: str | None = None,
        keyworker: str | None = None,
        overdue_only: bool = False,
        today: date | None = None,
        ids: Sequence[str] | None = None,
    ) -> list[CaseloadRow]:
        """The caseload list, filtered: name search (accent-blind), stage, status, locality,
        keyworker, and only those whose check-in is overdue; `ids` keeps only those parents."""
        # Ten thousand lines are a burst of small objects that hold no cycles: the collector
        # walking the whole heap in the middle of it only adds pauses.
        with paused_gc():
            lines = queries.caseload_lines(
                self.db,
                today=today or self.today(),
                search=search,
                stage=stage,
                status=status,
                locality=locality,
                keyworker=keyworker,
                overdue_only=overdue_only,
                ids=ids,
            )
            return list(map(CaseloadRow, lines))

    def caseload_outline(self, *, today: date | None = None) -> CaseloadOutline:
        """The whole caseload list in brief (ids and preferred names in the list's order, and
        how many check-ins are overdue), for showing the list before all its rows."""
        with paused_gc():
            ids, names, overdue = queries.caseload_outline(self.db, today=today or self.today())
        return CaseloadOutline(ids=ids, names=names, overdue=overdue)

    def keyworkers(self) -> list[str]:
        """The keyworkers named in this caseload."""
        return queries.distinct_values(self.db, "keyworker")

    def events(self, participant_id: str | None = None) -> list[Event]:
        """Journey-log events, oldest first (for one parent, or all)."""
        return store.events_for(self.db, participant_id=participant_id)

    def record_history(self, record_id: str) -> list[Event]:
        """One record's journey-log events, oldest first: what it said before, when, who."""
        return store.events_for(self.db, record_id=record_id)

    # -- drafts: typing kept until it is saved or thrown away ------------------------------------

    def keep_draft(self, draft: Draft) -> None:
        """Keep what is typed in an unsaved form (overwrites the form's earlier draft).

        Not a use case: no journey-log event, no undo, no change notification; the words stay
        inside the (encrypted) caseload and nowhere else.
        """
        try:
            with self.db.atomic():
                store_drafts.keep(self.db, dataclasses.replace(draft, updated_at=self.now_text()))
        except DatabaseError as exc:
            raise StorageError(f"Could not keep the words typed so far ({exc}).") from None

    def discard_draft(self, key: str) -> None:
        """Forget a draft (its form was saved, or the keyworker threw the words away)."""
        try:
            with self.db.atomic():
                store_drafts.discard(self.db, key)
        except DatabaseError as exc:
            raise StorageError(f"Could not forget the draft ({exc}).") from None

    def drafts(self) -> list[Draft]:
        """Every draft kept, oldest first (offered back when the window opens)."""
        return store_drafts.all_drafts(self.db)

    def counts(self) -> dict[str, int]:
        """How many records of each kind, plus journey-log events."""
        result = {kind: store.count(self.db, kind) for kind in BY_KIND}
        result["journey_log"] = store.count(self.db, "journey_log")
        return result

    def integrity_problems(self) -> list[str]:
        """Problems found by SQLite's integrity check, and a caseload list out of step with the
        records (empty when all is well)."""
        damage, out_of_step = self.file_and_list_problems()
        return damage + out_of_step

    def file_and_list_problems(self) -> tuple[list[str], list[str]]:
        """SQLite's integrity problems, and (only when there are none: a damaged file cannot be
        compared) where the caseload list is out of step with the records."""
        damage = store_db.integrity_problems(self.db)
        return damage, [] if damage else caseload_list.problems(self.db)

    def list_problems(self) -> list[str]:
        """Where the caseload list (an index of the records) is out of step with them."""
        return caseload_list.problems(self.db)

    def rebuild_list(self) -> None:
        """Work the caseload list out again from the records (nothing else changes)."""
        with self.db.atomic():
            caseload_list.rebuild(self.db)

    def schema_version(self) -> list[str]:
        """The migrations applied to this caseload."""
        return store_db.schema_version(self.db)

    def mark_demo(self) -> None:
        """Mark this caseload as demo data (shown as DEMO everywhere)."""
        with self.db.atomic():
            store_db.set_setting(self.db, "demo", "1")

    # -- security (issue 6): passphrase, backups, erasure, retention ------------------------------
    # The key is held in memory only for the session (backups must be encrypted with it);
    # it is never written anywhere. `_hold` is the caseload's file lock, released by close().

    _key: str | bytes | None = None
    _hold: CaseloadLock | None = None

    def hold(self, lock: CaseloadLock) -> None:
        """Keep `lock` (already acquired) until this caseload is closed."""
        self._hold = lock

    def _release_hold(self) -> None:
        hold, self._hold = self._hold, None
        if hold is not None:
            hold.release()

    @property
    def is_encrypted(self) -> bool:
        """True when the caseload file is encrypted (opened with a passphrase or key)."""
        return self._key is not None

    def checkpoint(self) -> None:
        """Move everything from the write-ahead log into the file and empty the log (on lock)."""
        try:
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except DatabaseError as exc:
            raise StorageError(f"Could not finish writing the caseload ({exc}).") from None

    def check_passphrase(self, passphrase: str | bytes) -> bool:
        """True when `passphrase` opens this caseload file (used to unlock the window)."""
        if self._key is None or self.path is None:
            return True
        conn = store_db.plain_connection(self.path, passphrase)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except DatabaseError:
            return False
        finally:
            conn.close()
        return True

    def change_passphrase(self, current: str | bytes | None, new: str | bytes) -> None:
        """Re-encrypt with a new passphrase (a plain caseload becomes encrypted); backs up first.

        Raises WrongPassphrase when `current` is not the passphrase, ValidationError when a new
        text passphrase does not meet the guidance.
        """
        if isinstance(new, str):
            verdict = assess_passphrase(new)
            if not verdict.ok:
                raise ValidationError(" ".join(verdict.problems), field="passphrase")
        if self._key is not None and (current is None or not self.check_passphrase(current)):
            raise WrongPassphrase("The current passphrase is not right; nothing was changed.")
        if self.path is None:
            raise ValidationError("An in-memory caseload has no passphrase.")
        self.backup()
        if self._key is not None:
            try:
                store_db.rekey(self.db, new)
            except DatabaseError as exc:
                raise StorageError(
                    f"The passphrase could not be changed ({exc}); the old one still works."
                ) from None
            self._key = new
            return
        self._encrypt_plain_file(new)

    def _encrypt_plain_file(self, key: str | bytes) -> None:
        assert self.path is not None
        target = self.path.with_name(self.path.name + ".encrypting")
        store_backup.remove_with_sidecars(target)
        try:
            store_db.export_encrypted(self.db, target, key)
            store_backup.verify_backup(target, key)
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self.db.close()
            os.replace(target, self.path)
        except (DatabaseError, OSError) as exc:
            with suppress(FileNotFoundError):
                target.unlink()
            raise StorageError(f"The caseload could not be encrypted ({exc}).") from None
        for suffix in ("-wal", "-shm"):
            with suppress(FileNotFoundError):
                Path(str(self.path) + suffix).unlink()
        self.db = open_database(self.path, key)
        self._key = key

    def backup(
        self, out: Path | None = None, *, now: datetime | None = None
    ) -> store_backup.BackupCheck:
        """Make a verified backup now (to `backups/` beside the caseload, or to `out`)."""
        if self.path is None:
            raise ValidationError("An in-memory caseload cannot be backed up.")
        made = store_backup.make_backup(
            self.db, self.path, self._key, now=now or self.clock(), out=out
        )
        if out is None:
            store_backup.rotate(self.path)
        return made

    def backup_if_due(
        self, every: timedelta = timedelta(hours=3), *, now: datetime | None = None
    ) -> store_backup.BackupCheck | None:
        """Make a backup when the newest one is older than `every` (or there is none)."""
        if self.path is None:
            return None
        moment = now or self.clock()
        existing = store_backup.list_backups(self.path)
        if existing and moment - existing[0].made_at < every:
            return None
        return self.backup(now=moment)

    def backups(self) -> list[store_backup.BackupFile]:
        """This caseload's rotating backups, newest first."""
        return [] if self.path is None else store_backup.list_backups(self.path)

    def erase_participant(self, participant_id: str, confirm_name: str) -> None:
        """Erase a parent everywhere (tables, name index, journey log); a tombstone remains.

        `confirm_name` must be their preferred name as typed by the keyworker. Afterwards the
        write-ahead log is checkpointed so, with secure_delete on, the bytes are overwritten.
        """
        participant = self._get(Participant, participant_id)
        wanted = normalise_passphrase(participant.preferred_name.strip()).casefold()
        if normalise_passphrase(confirm_name.strip()).casefold() != wanted:
            raise ValidationError(
                "The name typed does not match this parent's preferred name; nothing was erased. "
                "Type their preferred name exactly as shown to confirm.",
                field="confirm_name",
            )
        with self._write("erase a parent", undoable=False) as txn:
            store_erase.erase_participant(self.db, participant_id, txn.ctx)
            txn.kinds.update(BY_KIND)
            txn.participants.add(participant_id)
        self._after_erasure()

    def _after_erasure(self) -> None:
        """After parents were erased (here or by a merge): forget undo entries, which can hold
        their details, and checkpoint so that, with secure_delete on, the bytes are overwritten."""
        self._undo.clear()
        self.checkpoint()

    def is_erased(self, participant_id: str) -> bool:
        """True when this parent was erased (a tombstone remains; merges must not bring them back)."""
        return store_erase.is_erased(self.db, participant_id)

    @property
    def retention_years(self) -> int:
        """Years after the last activity on a closed journey before it is due for review."""
        value = store_db.setting(self.db, RETENTION_SETTING)
        return int(value) if value and value.isdigit() else DEFAULT_RETENTION_YEARS

    def set_retention_years(self, years: int) -> None:
        """Change the retention period (1 to 50 years)."""
        if not 1 <= int(years) <= 50:
            raise ValidationError("Give a retention period between 1 and 50 years.", field="years")
        with self.db.atomic():
            store_db.set_setting(self.db, RETENTION_SETTING, str(int(years)))

    def retention_due(self, today: date | None = None) -> list[store_erase.RetentionFacts]:
        """Closed or moved-on journeys with no activity for the retention period: review them."""
        day = today or self.today()
        try:
            cutoff = day.replace(year=day.year - self.retention_years)
        except ValueError:  # 29 February
            cutoff = day.replace(year=day.year - self.retention_years, day=28)
        return [r for r in store_erase.ended_journeys(self.db) if r.last_activity <= cutoff]

    # -- window helpers (issue 3, desktop) ---------------------------------------------------------

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

    @property
    def lock_minutes(self) -> int:
        """Idle minutes before the window locks itself (default 5)."""
        value = store_db.setting(self.db, LOCK_SETTING)
        return int(value) if value and value.isdigit() else DEFAULT_LOCK_MINUTES

    def set_lock_minutes(self, minutes: int) -> None:
        """Change the idle time before the window locks (1 to 120 minutes)."""
        if not 1 <= int(minutes) <= 120:
            raise ValidationError("Give a lock time between 1 and 120 minutes.", field="minutes")
        with self.db.atomic():
            store_db.set_setting(self.db, LOCK_SETTING, str(int(minutes)))

    # -- exchange: merging laptops, decisions, exports (issue 5) --------------------------------

    def merge_events(self, events: Iterable[Event]) -> MergeResult:
        """Merge journey-log events from another laptop: one transaction, idempotent by event id.

        Clashing edits are kept for a decision (see `decisions`); an erasure always wins.
        """
        incoming = list(events)
        with self._write("merge journey logs", undoable=False) as txn:
            result = store_merge.apply_events(self.db, incoming, found_at=txn.ctx.at)
            txn.kinds.update(result.kinds)
            if result.new_decisions:
                txn.kinds.add("merge_decisions")
            txn.participants.update(result.participant_ids)
        if result.erased:
            self._after_erasure()
        return result

    def decisions(self, *, open_only: bool = True) -> list[MergeDecision]:
        """Clashing edits from merges that wait for the coordinator to pick a value."""
        return store_merge.decisions(self.db, open_only=open_only)

    def resolve_decision(self, decision_id: str, choice: str) -> MergeDecision:
        """Keep one value of a clash: "here" (this laptop's) or "incoming" (the other one's)."""
        choice = {"local": "here", "mine": "here", "theirs": "incoming"}.get(choice, choice)
        with self._write("decide between two edits", undoable=False) as txn:
            decided = store_merge.resolve(self.db, decision_id, choice, txn.ctx)
            txn.kinds.update({decided.kind, "merge_decisions"})
            if decided.participant_id:
                txn.participants.add(decided.participant_id)
        return decided

    def all_records(self, cls: type[R]) -> list[R]:
        """Every record of one kind (exports and the programme report)."""
        return store.list_where(self.db, cls)

    def journal_rows(
        self,
        *,
        omit: dict[str, Sequence[str]] | None = None,
        omit_everywhere: Sequence[str] = (),
        since: str | None = None,
        until: str | None = None,
        participant_ids: Sequence[str] | None = None,
        pseudonym: Callable[[str], str | None] | None = None,
        neutralise: bool = False,
        csv_lines: bool = False,
    ) -> Iterator[list[tuple[Any, ...]]]:
        """Journey-log rows for an export, with personal fields left out (see store.merge)."""
        yield from store_journal.journal_rows(
            self.db,
            omit=omit,
            omit_everywhere=omit_everywhere,
            since=since,
            until=until,
            participant_ids=participant_ids,
            pseudonym=pseudonym,
            neutralise=neutralise,
            csv_lines=csv_lines,
        )

    def journal_count(
        self,
        *,
        since: str | None = None,
        until: str | None = None,
        participant_ids: Sequence[str] | None = None,
    ) -> int:
        """How many journey-log events `journal_rows` would give."""
        return store_journal.journal_count(
            self.db, since=since, until=until, participant_ids=participant_ids
        )

    def write_journal_csv(
        self,
        handle: IO[bytes],
        *,
        scratch: Path,
        progress: Callable[[int], None],
        **query: Any,
    ) -> int:
        """Write the journey log as CSV lines (`journal_rows` arguments); returns the count.

        A big log is written by two processes at once (see store.journal); `scratch` is a file
        name beside the output that the second one may use.
        """
        source = None if self.path is None else (self.path, self._key)
        written, _processes = store_journal.write_csv_lines(
            self.db, handle, source=source, scratch=scratch, progress=progress, **query
        )
        return written

    def pseudonym_key(self) -> bytes:
        """The partnership's key for pseudonyms in exports (made on first use, kept in settings)."""
        value = store_db.setting(self.db, "pseudonym_key")
        if value is None:
            value = secrets.token_hex(32)
            with self.db.atomic():
                store_db.set_setting(self.db, "pseudonym_key", value)
        return bytes.fromhex(value)

    def set_pseudonym_key(self, key: bytes) -> None:
        """Use the partnership's shared key (from the coordinator's key file) for pseudonyms."""
        if len(key) < 16:
            raise ValidationError(
                "A pseudonym key needs at least 16 bytes; use the key file as given."
            )
        with self.db.atomic():
            store_db.set_setting(self.db, "pseudonym_key", key.hex())

    def record_identifiable_export(self, details: dict[str, Any]) -> Event:
        """Note in the journey log that identifiable data left this laptop (who, when, what)."""
        return self.record_audit("exports", details)

    def record_audit(self, kind: str, details: dict[str, Any]) -> Event:
        """Append an audit event (an export, an import) to the journey log; no record changes."""
        with self._write(f"note {kind}", undoable=False) as txn:
            event = store.new_event(
                txn.ctx, None, kind, str(uuid.uuid4()), Action.CREATE, dict(details)
            )
            store.append_events(self.db, [event])
            txn.kinds.add(kind)
        return event


RETENTION_SETTING = "retention_years"
LOCK_SETTING = "lock_minutes"
DEFAULT_LOCK_MINUTES = 5
DEFAULT_RETENTION_YEARS = 3


def _touched(txn: _Txn, kind: str, owner: str | None) -> None:
    """Note for the Changes value that `kind` changed, and whose journey (if anyone's)."""
    txn.kinds.add(kind)
    if owner:
        txn.participants.add(owner)


def default_catalogue() -> Catalogue:
    """The partnership catalogue from $JOURNEYAPP_CATALOGUE, or the bundled default."""
    return load_catalogue(paths.catalogue_path())


__all__ = ["Caseload", "NotFound", "default_catalogue"]
