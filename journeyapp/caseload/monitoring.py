"""Use cases for the funder's return (issue 19): equalities answers (only with that consent),
circumstances at the start, jobs grown from the "started work" milestone, and the facts the
return reads. A mixin of the Caseload façade, like records.py.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from journeyapp.caseload.activities import ActivityUseCases
from journeyapp.caseload.undo import RestoreDeleted, Txn
from journeyapp.core.drafts import Draft
from journeyapp.core.enums import ConsentPurpose, Voice
from journeyapp.core.errors import NotFound, StorageError, ValidationError
from journeyapp.core.merge import keyed_id
from journeyapp.core.records import (
    Child,
    Circumstances,
    Consent,
    Equalities,
    Job,
    Milestone,
    Participant,
    Pause,
    Record,
    StageChange,
)
from journeyapp.store import drafts as store_drafts
from journeyapp.store import monitoring as store_monitoring
from journeyapp.store import records as store
from journeyapp.store.db import DatabaseError

if TYPE_CHECKING:  # loaded for the funder's return and circumstances only (issue 18)
    from journeyapp.core.monitoring import ReturnFacts

R = TypeVar("R", bound=Record)
A = TypeVar("A", Equalities, Circumstances)

EQUALITIES = ConsentPurpose.EQUALITIES_MONITORING
NO_CONSENT = (
    "Equalities questions are asked only when the parent has agreed to equalities monitoring; "
    "record that consent first (About > Consent), or leave the questions out."
)


class MonitoringUseCases(ActivityUseCases):
    """Equalities, circumstances and jobs: each change one transaction, undoable, in the log."""

    # -- equalities monitoring (special-category: only with the consent) ---------------------

    def equalities(self, participant_id: str) -> Equalities | None:
        """The parent's equalities answers, or None (not answered, or no consent)."""
        return store.find(self.db, Equalities, keyed_id(Equalities.KIND, participant_id, ""))

    def set_equalities(
        self, participant_id: str, *, answered_on: date | None = None, **answers: str
    ) -> Equalities | None:
        """Set some or all equalities answers (codes; "" clears one). Refused without the
        parent's equalities-monitoring consent. All answers cleared removes the record."""
        from journeyapp.core.codes import EQUALITIES_LISTS

        unknown = set(answers) - set(EQUALITIES_LISTS)
        if unknown:
            raise ValidationError(
                f"{sorted(unknown)[0]!r} is not an equalities question; the questions are "
                f"{', '.join(EQUALITIES_LISTS)}."
            )
        with self._write("change equalities answers") as txn:
            self._require_participant(participant_id)
            if not self.has_consent(participant_id, EQUALITIES):
                raise ValidationError(NO_CONSENT, field="consent")
            existing = self.equalities(participant_id)
            values = {k: (v or "").strip() for k, v in answers.items()}
            merged = {n: getattr(existing, n) if existing else "" for n in EQUALITIES_LISTS}
            merged.update(values)
            return self._save_answers(
                txn, Equalities, participant_id, existing, merged, values, answered_on
            )

    def _without_equalities_consent(self, participant_ids: Iterable[str]) -> list[str]:
        """Those of these parents who have not given (or have withdrawn) equalities consent."""
        ids = sorted(participant_ids)
        agreed = {
            c.participant_id
            for c in store.list_where(
                self.db,
                Consent,
                "purpose = ? AND participant_id IN (SELECT value FROM json_each(?))",
                [str(EQUALITIES), json.dumps(ids)],
            )
            if c.given
        }
        return [pid for pid in ids if pid not in agreed]

    def drafts(self) -> list[Draft]:
        """Every draft kept, oldest first; special-category answers in a draft about a parent
        without equalities consent now (a form still open when it was withdrawn kept them
        again) are dropped first, quietly."""
        kept = super().drafts()
        special = {d.participant_id for d in kept if d.participant_id and d.context.get("special")}
        without = self._without_equalities_consent(special) if special else []
        if not without:
            return kept
        try:
            with self.saving(), self.db.atomic():
                store_drafts.forget_special(self.db, without)
        except DatabaseError as exc:
            raise StorageError(f"Could not tidy the kept drafts ({exc}).") from None
        return super().drafts()

    def _drop_unconsented_equalities(self, txn: Txn) -> None:
        """Remove the equalities answers of any parent this write touched who has not given (or
        has withdrawn) the consent: a journey-log delete each, undone with the write."""
        without = self._without_equalities_consent(txn.participants)
        if not without:
            return
        # Answers being typed (a Background draft) go too, before they could be offered back.
        store_drafts.forget_special(self.db, without)
        held = store.list_where(
            self.db,
            Equalities,
            "participant_id IN (SELECT value FROM json_each(?))",
            [json.dumps(without)],
        )
        for record in held:
            store.delete(self.db, record, txn.ctx)
            txn.touched(record.KIND, record.participant_id)
            # Undo puts them back with the consent (the values live in memory only till then).
            txn.inverse.append(RestoreDeleted(record.KIND, store.to_row(record)))
        # And out of the journey log and any clash: kept only while the parent agrees.
        if store_monitoring.scrub_special(self.db, without):
            txn.kinds.add(Equalities.KIND)

    # -- circumstances at the start ---------------------------------------------------------

    def circumstances(self, participant_id: str) -> Circumstances | None:
        """The family's circumstances when the parent started, or None if not asked yet."""
        return store.find(self.db, Circumstances, keyed_id(Circumstances.KIND, participant_id, ""))

    def set_circumstances(
        self,
        participant_id: str,
        *,
        answered_on: date | None = None,
        **answers: Any,
    ) -> Circumstances | None:
        """Set some or all circumstances answers: postcode, lone_parent, employment_status,
        time_out_of_work (codes) and benefits (a list of codes). "" (or []) clears one."""
        from journeyapp.core.codes import CIRCUMSTANCES_LISTS
        from journeyapp.core.monitoring import normalise_postcode

        allowed = {"postcode", *CIRCUMSTANCES_LISTS}
        unknown = set(answers) - allowed
        if unknown:
            raise ValidationError(
                f"{sorted(unknown)[0]!r} is not a circumstances question; the questions are "
                f"{', '.join(sorted(allowed))}."
            )
        values: dict[str, Any] = {}
        for name, value in answers.items():
            if name == "benefits":
                if isinstance(value, str):
                    value = [v.strip() for v in value.split(",") if v.strip()]
                values[name] = list(dict.fromkeys(value or []))
            elif name == "postcode":
                values[name] = normalise_postcode(str(value or ""))
            else:
                values[name] = str(value or "").strip()
        with self._write("change circumstances") as txn:
            self._require_participant(participant_id)
            existing = self.circumstances(participant_id)
            names = ("postcode", *CIRCUMSTANCES_LISTS)
            merged: dict[str, Any] = {
                n: getattr(existing, n) if existing else ([] if n == "benefits" else "")
                for n in names
            }
            merged.update(values)
            return self._save_answers(
                txn, Circumstances, participant_id, existing, merged, values, answered_on
            )

    def set_answers(
        self,
        participant_id: str,
        *,
        circumstances: dict[str, Any] | None = None,
        equalities: dict[str, str] | None = None,
        answered_on: date | None = None,
    ) -> tuple[Circumstances | None, Equalities | None]:
        """The window's one form: circumstances and (only with the consent) equalities answers
        saved together, one change and one undo. `equalities` None leaves them as they are."""
        with self._write("change background answers"):
            found = self.set_circumstances(
                participant_id, answered_on=answered_on, **(circumstances or {})
            )
            held = self.equalities(participant_id)
            if equalities is not None:
                held = self.set_equalities(participant_id, answered_on=answered_on, **equalities)
            return found, held

    def _save_answers(
        self,
        txn: Txn,
        cls: type[A],
        participant_id: str,
        existing: A | None,
        merged: dict[str, Any],
        values: dict[str, Any],
        answered_on: date | None,
    ) -> A | None:
        """Write one parent's keyed answers record: removed when every answer is cleared,
        created on the first answer, else updated with just the answers given."""
        if not any(merged.values()):
            if existing is not None:
                self._delete(txn, existing)
            return None
        day = answered_on or (existing.answered_on if existing else None) or self.today()
        if existing is None:
            return self._create(
                txn,
                cls(
                    id=keyed_id(cls.KIND, participant_id, ""),
                    participant_id=participant_id,
                    answered_on=day,
                    **merged,
                ),
            )
        return self._update(txn, existing, answered_on=day, **values)

    # -- jobs -------------------------------------------------------------------------------

    def jobs(self, participant_id: str) -> list[Job]:
        """The jobs a parent started, by start date."""
        return sorted(
            store.list_for(self.db, Job, participant_id), key=lambda j: (j.started_on, j.created_at)
        )

    def job_for_milestone(self, milestone_id: str) -> Job | None:
        """The job grown from a "started work" milestone, or None."""
        found = store.list_where(self.db, Job, "milestone_id = ?", [milestone_id])
        return found[0] if found else None

    def add_job(
        self,
        participant_id: str,
        started_on: date | None = None,
        *,
        milestone_id: str | None = None,
        with_milestone: bool = False,
        **details: Any,
    ) -> Job:
        """Record a job the parent started. From a "started work" milestone (`milestone_id`),
        it starts that day unless told otherwise; `with_milestone` also records the milestone."""
        unknown = set(details) - (
            set(Job.FIELDS) - {"participant_id", "milestone_id", "started_on"}
        )
        if unknown:
            raise ValidationError(f"{sorted(unknown)[0]!r} is not part of a job record.")
        with self._write("record a job") as txn:
            self._require_participant(participant_id)
            if milestone_id is not None:
                milestone = store.find(self.db, Milestone, milestone_id)
                if milestone is None or milestone.participant_id != participant_id:
                    raise NotFound("That milestone is no longer in this parent's journey.")
                if milestone.type not in self.catalogue.job_entry_types:
                    raise ValidationError(
                        "A job grows from a 'started work' milestone; choose that milestone."
                    )
                if self.job_for_milestone(milestone_id) is not None:
                    raise ValidationError(
                        "That milestone already has a job record; change it instead."
                    )
                started_on = started_on or milestone.achieved_on
            day = self._on(started_on)
            job = Job(participant_id=participant_id, milestone_id=milestone_id, started_on=day)
            # Said of the job, before its milestone would say when the milestone happened.
            self._check_days(job, None)
            if with_milestone and milestone_id is None:
                started = self.catalogue.job_entry_types
                if not started:
                    raise ValidationError(
                        "The partnership's catalogue has no milestone type for starting work "
                        "(job_entry = true); record the job without its milestone."
                    )
                milestone_id = self.record_milestone(participant_id, started[0], achieved_on=day).id
            return self._create(
                txn,
                Job(
                    participant_id=participant_id,
                    milestone_id=milestone_id,
                    started_on=day,
                    **details,
                ),
            )

    def record_milestone(
        self,
        participant_id: str,
        type: str,
        *,
        achieved_on: date | None = None,
        note: str = "",
        voice: Voice = Voice.PARENT,
        with_job: bool = False,
    ) -> Milestone:
        """Record something the parent achieved. `with_job` (the window's form and the
        `milestone` command): a "started work" milestone is recorded with its job from that
        day (every detail but its start optional, added when known), as one corrected into
        "started work" gets one: the two are one change, one undo, so no parent counts as in
        work with no job to add hours, contract or pay to, whichever way it was recorded."""
        with self._write("record a milestone"):
            made = super().record_milestone(
                participant_id, type, achieved_on=achieved_on, note=note, voice=voice
            )
            if with_job and made.type in self.catalogue.job_entry_types:
                self.add_job(participant_id, milestone_id=made.id)
            return made

    def correct_milestone(
        self, milestone_id: str, *, keep_job: bool = False, **changes: Any
    ) -> Milestone:
        """Correct a milestone (its type, day, note, whose words): one change, one undo.

        Its job follows its type, as when one is recorded or removed: corrected into "started
        work", its job is recorded from its day (unless it has one); corrected away from it,
        the job recorded with it is removed too, unless the keyworker chose `keep_job` (the
        parent did start that job, only the milestone's type was wrong)."""
        work = self.catalogue.job_entry_types
        with self._write("change the milestone") as txn:
            milestone = self._get(Milestone, milestone_id)
            corrected = self._update(txn, milestone, **changes)
            job = self.job_for_milestone(milestone.id)
            if corrected.type in work and milestone.type not in work and job is None:
                self.add_job(corrected.participant_id, milestone_id=corrected.id)
            elif (
                milestone.type in work
                and corrected.type not in work
                and job is not None
                and not keep_job
            ):
                self._delete(txn, job)
            return corrected

    def update_job(self, job_id: str, **changes: Any) -> Job:
        """Change a job's details (hours, contract, pay, progression, leaving date and reason)."""
        if "participant_id" in changes or "milestone_id" in changes:
            raise ValidationError("A job stays with its parent and its milestone.")
        with self._write("change a job") as txn:
            return self._update(txn, self._get(Job, job_id), **changes)

    # -- what the return reads --------------------------------------------------------------

    def return_facts(self, ids: Sequence[str] | None = None) -> list[ReturnFacts]:
        """Everything the funder's return reads, one per parent (all, or those `ids`), in
        preferred-name order: one query per table, not one per parent."""
        from journeyapp.core.monitoring import ReturnFacts

        where, params = "", []
        if ids is not None:
            where = "participant_id IN (SELECT value FROM json_each(?))"
            params = [json.dumps(list(ids))]
        people = (
            store.list_where(
                self.db,
                Participant,
                "id IN (SELECT value FROM json_each(?))",
                params,
                order="preferred_name COLLATE NOCASE",
            )
            if ids is not None
            else self.participants()
        )

        def grouped(cls: type[R]) -> dict[str, list[R]]:
            found: dict[str, list[R]] = defaultdict(list)
            for record in store.list_where(self.db, cls, where, params, order="created_at, rowid"):
                found[str(store.owner_id(record))].append(record)
            return found

        children, milestones = grouped(Child), grouped(Milestone)
        stages, pauses, jobs = grouped(StageChange), grouped(Pause), grouped(Job)
        equalities = {e.participant_id: e for es in grouped(Equalities).values() for e in es}
        circumstances = {c.participant_id: c for cs in grouped(Circumstances).values() for c in cs}
        consented = self.consented(EQUALITIES)
        return [
            ReturnFacts(
                participant=p,
                children=tuple(children.get(p.id, ())),
                equalities=equalities.get(p.id) if p.id in consented else None,
                equalities_consent=p.id in consented,
                circumstances=circumstances.get(p.id),
                jobs=tuple(sorted(jobs.get(p.id, ()), key=lambda j: j.started_on)),
                milestones=tuple(sorted(milestones.get(p.id, ()), key=lambda m: m.achieved_on)),
                stages=tuple(sorted(stages.get(p.id, ()), key=lambda s: s.on)),
                pauses=tuple(sorted(pauses.get(p.id, ()), key=lambda b: b.started_on)),
            )
            for p in people
        ]


__all__ = ["MonitoringUseCases"]
