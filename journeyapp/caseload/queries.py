"""Reading the records (a parent, their journey, the caseload list, the log): no writes here.

A mixin of the Caseload façade, so callers keep writing `caseload.journey(pid)`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from journeyapp import paths
from journeyapp.core.bulk import paused_gc
from journeyapp.core.catalogue import Catalogue, job_entries_with, keys_written
from journeyapp.core.enums import JOURNEY_ENDED, ConsentPurpose, Destination, ParticipantStatus
from journeyapp.core.records import (
    BY_KIND,
    Appointment,
    Assessment,
    Attendance,
    CaseloadOutline,
    CaseloadRow,
    Child,
    Choice,
    Circumstances,
    Consent,
    Contact,
    Equalities,
    Event,
    Feedback,
    Goal,
    GroupSession,
    Job,
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
)
from journeyapp.core.search import ID_START_LEAST, Hit, place_named, too_many_words
from journeyapp.store import db as queries_db
from journeyapp.store import figures, queries
from journeyapp.store import records as store
from journeyapp.store import search as store_search
from journeyapp.store.db import Database

if TYPE_CHECKING:
    from journeyapp.core.codes import Codes
    from journeyapp.core.documents import ActionPlan
    from journeyapp.core.turning_points import StatusTurn

R = TypeVar("R", bound=Record)


# The settings key under which a merge keeps the milestone types the merged laptops' catalogues
# mark as starting work (a bundle's "job_entry_types"): a JSON list of keys.
MERGED_JOB_ENTRY_TYPES = "merged_job_entry_types"


class RecordQueries:
    """What the window, the plans and the exports read (see Caseload)."""

    if TYPE_CHECKING:  # provided by the Caseload façade
        from journeyapp.caseload.settings import Settings

        db: Database
        catalogue: Catalogue
        device_id: str
        settings: Settings

        def today(self) -> date: ...

        @property
        def codes(self) -> Codes: ...

    def _get(self, cls: type[R], record_id: str) -> R:
        return store.get(self.db, cls, record_id)

    def _one(self, cls: type[R], key: dict[str, Any]) -> R | None:
        """The record of `cls` with these field values (a parent has one consent per purpose,
        one choice per service), or None."""
        where = " AND ".join(f'"{name}" = ?' for name in key)
        found = store.list_where(self.db, cls, where, [str(v) for v in key.values()])
        return found[0] if found else None

    # -- parents ----------------------------------------------------------------------------

    def participant(self, participant_id: str) -> Participant:
        """One parent's details."""
        return self._get(Participant, participant_id)

    def participants(self) -> list[Participant]:
        """Every parent in the caseload, by preferred name."""
        return store.list_where(self.db, Participant, order="preferred_name COLLATE NOCASE")

    def find_participants(self, text: str) -> list[Participant]:
        """Parents `text` finds, in the caseload list's order: the one search (store.search)
        the window's list and every command use (every word part of the name, accents and
        case ignored; or their id or reference)."""
        return self.participants_named(self.search_ids(text))

    def erased_on(self, participant_id: str) -> date | None:
        """The day (UK time) the parent with this id was erased, or None when they were not:
        a command given an erased parent's id says so, rather than "no parent matches"."""
        from journeyapp.core.documents.history import UK
        from journeyapp.store.erasure_register import erased_at

        at = erased_at(self.db, participant_id.strip())
        if at is None:
            return None
        try:
            return datetime.fromisoformat(at.replace("Z", "+00:00")).astimezone(UK).date()
        except ValueError:
            return None  # a tombstone's time not as written here: said as not found

    def erased_named(self, typed: str) -> tuple[str, date | None] | None:
        """The erased parent `typed` names, as an id is copied from a list (the whole id, or
        its start: `least` hex digits or more, naming one erased parent alone), with the day
        they were erased; None when it names none (or is not an id at all)."""
        from journeyapp.store.erase import is_erased

        if is_erased(self.db, typed.strip()):  # one look-up for a name not found
            return typed.strip(), self.erased_on(typed)
        start = typed.strip().rstrip(".…").strip()
        if len(start) < ID_START_LEAST:
            return None
        found = store_search.erased_ids_starting(self.db, start)
        whole = [pid for pid in found if pid.casefold() == start.casefold()]
        if whole or len(found) == 1:
            pid = (whole or found)[0]
            return pid, self.erased_on(pid)
        return None

    def participants_named(self, ids: list[str]) -> list[Participant]:
        """These parents, in the order given (ids no longer held are left out)."""
        if not ids:
            return []
        found = {
            p.id: p
            for p in store.list_where(
                self.db, Participant, "id IN (SELECT value FROM json_each(?))", [json.dumps(ids)]
            )
        }
        return [found[i] for i in ids if i in found]

    def _placed(self, text: str) -> tuple[str, str | None]:
        """`text` and the locality after its last comma, when a name was typed (or copied) as
        a list shows it: "Bethany B., Glasgow" is the Bethany B. in Glasgow (core.search).
        Refused (ValidationError) when it is more words than a search looks for."""
        refused = too_many_words(text)
        if refused is not None:
            from journeyapp.core.errors import ValidationError

            raise ValidationError(f"{refused} Nothing was looked for.")
        if "," not in text:
            return text, None
        return place_named(text, ((e.key, e.label) for e in self.catalogue.localities))

    def search_ids(self, text: str) -> list[str]:
        """The ids of the parents `text` finds, in the caseload list's order."""
        return store_search.find_parents(self.db, *self._placed(text))

    def ids_starting(self, start: str) -> list[str]:
        """The ids of the parents whose id starts with `start` (hex digits and dashes, as
        listed), in the caseload list's order, without reading every parent."""
        return store_search.ids_starting(self.db, start)

    def found_ids(self, text: str) -> frozenset[str]:
        """The same parents as `search_ids`, in no order (the window's search box asks this on
        every keystroke; its list keeps its own order)."""
        return store_search.found_set(self.db, *self._placed(text))

    def search_everything(self, text: str, *, limit: int = 200, names: bool = True) -> list[Hit]:
        """Names and every piece of text written about a parent that `text` finds, with which
        record matched and a snippet of it (`names` False: the records' words only)."""
        lead, locality = self._placed(text)
        return store_search.search_everything(
            self.db, lead, limit=limit, names=names, locality=locality
        )

    def has_consent(self, participant_id: str, purpose: ConsentPurpose) -> bool:
        """True if the parent has given (and not withdrawn) consent for `purpose`."""
        found = self._one(Consent, {"participant_id": participant_id, "purpose": purpose})
        return found is not None and found.given

    def consented(self, purpose: ConsentPurpose) -> set[str]:
        """Every parent who has given (and not withdrawn) consent for `purpose`: one query,
        where asking `has_consent` parent by parent would be one each."""
        found = store.list_where(self.db, Consent, '"purpose" = ?', [str(purpose)])
        return {c.participant_id for c in found if c.given}

    def document(
        self,
        participant_id: str,
        *,
        contact: str = "",
        what_we_hold: bool = False,
        language: str = "",
        journey: Journey | None = None,
    ) -> ActionPlan:
        """One parent's plan as of today in their language (or `language`), or with
        `what_we_hold` their "What we hold about you" (which also needs their journey-log events,
        the group sessions they attended and the retention period); signed from this laptop's
        settings. `journey`: the parent's, when the caller has just read it."""
        # The builders and wording are loaded here, not with the caseload: the window does not
        # need them to start (issue 18).
        from journeyapp.core.documents import Words, build_document

        journey = journey if journey is not None else self.journey(participant_id)
        chosen = language or journey.participant.language or "en"
        return build_document(
            journey,
            self.catalogue,
            self.today(),
            contact=contact,
            what_we_hold=what_we_hold,
            events=self.events(participant_id) if what_we_hold else (),
            sessions={s.id: s for s in self.group_sessions()} if what_we_hold else None,
            words=Words(chosen, paths.resource("translations")),
            sender=self.settings.sender(),
            retention_years=self.settings.retention_years if what_we_hold else None,
            device_id=self.device_id,
            codes=self.codes,
        )

    def dated_after_words(self, journey: Journey) -> str:
        """What the keyworker is told of a parent's records dated after today, which the plan
        and the workspace show as not happened yet (core.describe.dated_after_words; "" when
        none is)."""
        from journeyapp.core.describe import dated_after_words

        today = self.today()
        return dated_after_words(journey.dated_after(today), self.catalogue, today)

    def days_to_check(self) -> list[tuple[str, str]]:
        """(the parent's name, what to check) for each day held that cannot be right today: a
        day that happens dated after today (a record kept as written from a laptop whose clock
        was ahead: Journey.dated_after) and a date of birth no parent on the programme can have
        (core.dates.check_birth; one held from before the rule, or from another laptop). The
        records stay as they are; `journeyapp check` lists them to be put right."""
        from journeyapp.core.dates import check_birth
        from journeyapp.core.describe import dated_after_line
        from journeyapp.core.errors import ValidationError
        from journeyapp.core.records import (
            RECORD_TYPES,
            DatedAfter,
            happened_days,
            happened_fields,
        )

        today = self.today()
        parents = {p.id: p for p in store.list_where(self.db, Participant)}
        found: list[tuple[str, str]] = []
        for p in parents.values():
            if p.joined_on > today:
                found.append(
                    (
                        p.preferred_name,
                        dated_after_line(
                            DatedAfter(p, "joined_on", p.joined_on), self.catalogue, today
                        ),
                    )
                )
            if p.date_of_birth is not None:
                spec = Participant.FIELDS["date_of_birth"]
                try:
                    check_birth(spec.label, p.date_of_birth, "date_of_birth", today, p.joined_on)
                except ValidationError as wrong:
                    found.append((p.preferred_name, wrong.message))
        for cls in RECORD_TYPES:
            days = happened_fields(cls)
            if cls is Participant or not days or "participant_id" not in cls.FIELDS:
                continue
            where = " OR ".join(f'"{n}" > ?' for n in days)
            for record in store.list_where(self.db, cls, where, [today.isoformat()] * len(days)):
                owner = parents.get(str(getattr(record, "participant_id", "")))
                name = owner.preferred_name if owner else "(no parent)"
                for day, value in happened_days(record):
                    if value > today:
                        line = dated_after_line(
                            DatedAfter(record, day, value), self.catalogue, today
                        )
                        found.append((name, line))
        return sorted(found, key=lambda pair: pair[0].casefold())

    # -- groups and feedback ----------------------------------------------------------------

    def group_sessions(self) -> list[GroupSession]:
        """Every group session, most recent first."""
        return store.list_where(self.db, GroupSession, order='"on" DESC, created_at DESC')

    def attendance(self, session_id: str) -> list[Attendance]:
        """Who came to a session."""
        return store.list_where(self.db, Attendance, "session_id = ?", [session_id])

    def all_feedback(self) -> list[Feedback]:
        """All feedback, most recent first."""
        return store.list_where(self.db, Feedback, order='"on" DESC, created_at DESC')

    def all_records(self, cls: type[R]) -> list[R]:
        """Every record of one kind (exports and the programme report)."""
        return store.list_where(self.db, cls)

    def iter_records(self, cls: type[R]) -> Iterator[R]:
        """Every record of one kind, as `all_records` orders them, read a batch at a time."""
        return store.iter_where(self.db, cls)

    def job_entry_types(self) -> tuple[str, ...]:
        """The milestone types that mean starting work: the catalogue's, then those a merged
        laptop's catalogue marked so that this catalogue does not list (core.catalogue
        .job_entries_with; kept by the merge, MERGED_JOB_ENTRY_TYPES)."""
        merged = queries_db.setting(self.db, MERGED_JOB_ENTRY_TYPES)
        return job_entries_with(self.catalogue, keys_written(merged))

    def report_facts(
        self, since: date | None, until: date | None, *, bits: int, happened: date | None = None
    ) -> figures.ReportFacts:
        """The rows the programme report for a period rests on, read with SQL (store.figures);
        `bits`: how many milestone types to a number. Starting work is reaching any of the
        catalogue's job-entry milestone types. `happened`: the last day anything dated is
        counted on (store.figures.report_facts). For a period with no start whose `happened`
        is today, what report_months reads comes with them (`months`), read in the same go."""
        return figures.report_facts(
            self.db,
            since.isoformat() if since else None,
            until.isoformat() if until else None,
            statuses=[str(s) for s in ParticipantStatus],
            milestone_types=self.catalogue.keys("milestone_types"),
            work=self.job_entry_types(),
            bits=bits,
            happened=happened.isoformat() if happened else None,
            months=since is None and happened is not None and happened == self.today(),
        )

    def report_months(self) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        """Parents joined (locality, month, how many) and contacts (locality, month, month
        the parent joined, how many) by month: what programme reports for different periods
        have in common (store.figures); nothing dated after today, as no report counts it."""
        happened = self.today().isoformat()
        return figures.joined_by_month(self.db, happened), figures.contacts_by_month(
            self.db, happened
        )

    def report_counts(
        self, since: date | None, until: date | None, parents: Sequence[str] | None
    ) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        """Choices (locality, service, decision, how many) and referrals (locality, outcome, how
        many) dated in a period, of these parents (None: every parent), per locality."""
        start = since.isoformat() if since else None
        end = until.isoformat() if until else None
        return (
            figures.choices_by_place(self.db, start, end, parents),
            figures.referrals_by_place(self.db, start, end, parents),
        )

    def open_decision_count(self) -> int:
        """How many merged edits wait for a decision (those `exchange.decisions()` lists),
        counted without loading the merges' code (the programme report says how many)."""
        return figures.open_decisions(self.db)

    def record_count(self, cls: type[Record]) -> int:
        """How many records of one kind there are."""
        return store.count(self.db, cls.KIND)

    # -- journeys and the caseload list -----------------------------------------------------

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
            equalities=next(iter(rows(Equalities)), None),
            circumstances=next(iter(rows(Circumstances)), None),
            jobs=tuple(sorted(rows(Job), key=lambda j: (j.started_on, j.created_at))),
            appointments=rows(Appointment),
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
            search, search_locality = self._placed(search)
            lines = queries.caseload_lines(
                self.db,
                today=today or self.today(),
                search=search,
                search_locality=search_locality,
                stage=stage,
                status=status,
                locality=locality,
                keyworker=keyworker,
                overdue_only=overdue_only,
                ids=ids,
            )
            return list(map(CaseloadRow, lines))

    def caseload_outline(self, *, today: date | None = None) -> CaseloadOutline:
        """The whole caseload list in brief (ids, preferred and full names and localities in
        the list's order, and how many check-ins are overdue), for showing the list before
        all its rows."""
        with paused_gc():
            ids, names, full_names, localities, overdue = queries.caseload_outline(
                self.db, today=today or self.today()
            )
        return CaseloadOutline(
            ids=ids, names=names, full_names=full_names, localities=localities, overdue=overdue
        )

    def picked_ids(
        self, *, keyworker: str | None = None, goal_status: str | None = None
    ) -> frozenset[str] | None:
        """The parents of a keyworker and/or with a goal of this status, in no order (the
        window's quick filters); None when neither is asked for (everyone)."""
        if not keyworker and not goal_status:
            return None
        return queries.picked_ids(self.db, keyworker=keyworker, goal_status=goal_status)

    def keyworkers(self) -> list[str]:
        """The keyworkers named in this caseload."""
        return queries.keyworkers(self.db)

    def keyworker_spellings(self, name: str) -> tuple[list[str], list[str]]:
        """The keyworkers recorded for parents that are `name` (capitals aside, as This week and
        the calendar match them), and up to three whose names hold it (accents aside): for
        saying "no parent has 'Denise' as keyworker; the records say 'Denise (demo)'"."""
        from journeyapp.core.text import fold

        named = self.keyworkers()
        wanted = name.strip()
        same = [known for known in named if known.casefold() == wanted.casefold()]
        like = [known for known in named if fold(wanted) in fold(known)][:3]
        return same, like

    def localities(self) -> list[str]:
        """The localities parents in this caseload are recorded in, whether or not the
        partnership's catalogue lists them (one it no longer lists, or another laptop's)."""
        return queries.distinct_values(self.db, "locality")

    def stages(self) -> list[str]:
        """The stages parents in this caseload are at, whether or not the partnership's
        catalogue lists them (one it no longer lists, or another laptop's)."""
        return queries.distinct_values(self.db, "stage")

    def events(self, participant_id: str | None = None) -> list[Event]:
        """Journey-log events, oldest first (for one parent, or all)."""
        return store.events_for(self.db, participant_id=participant_id)

    def status_changes(self, participant_id: str) -> list[tuple[date, ParticipantStatus, str]]:
        """Each change of where the parent's journey stands (active, taking a break, moved on,
        closed), from the journey log: its day, the status, and who recorded it (status_turns,
        without where to)."""
        return [(t.on, t.status, t.actor) for t in self.status_turns(participant_id)]

    def status_turns(self, participant_id: str) -> list[StatusTurn]:
        """Each change of where the parent's journey stands (active, taking a break, moved on,
        closed), from the journey log: its day, the status, who recorded it and, for a move
        on, where to (as corrected while it stood). The day is the one recorded, or for an
        ending the day it ended, as given (and as corrected since), and for a welcome back the
        day they came back, as given (reopen_journey); the first entry is where it stood when
        they were added."""
        # Here, not at the top: the words it comes with load what a report never needs.
        from journeyapp.core.turning_points import StatusTurn

        found: list[StatusTurn] = []
        ended: object = None  # the day the journey ended, as held after each event
        where: object = None  # where they were working towards, as held after each event
        for event in self.record_history(participant_id):
            if event.kind != Participant.KIND:
                continue
            fields = event.fields
            if "ended_on" in fields:
                ended = fields["ended_on"]
            if "destination" in fields:
                where = fields["destination"]
            status = ParticipantStatus(str(fields.get("status", found[-1].status if found else "")))
            to = _destination(where) if status is ParticipantStatus.MOVED_ON else None
            if status in JOURNEY_ENDED and ended:
                day = date.fromisoformat(str(ended))
            elif status is ParticipantStatus.ACTIVE and "status" in fields and ended:
                # Welcomed back on the day given (reopen_journey: as the event gives it, or
                # the day it ended when the event left that as held).
                day = date.fromisoformat(str(ended))
            elif "status" in fields:
                day = date.fromisoformat(event.at[:10])
            else:
                if found and found[-1].status is status and to != found[-1].destination:
                    found[-1] = replace(found[-1], destination=to)  # where to, corrected
                continue
            if found and found[-1].status is status:
                if status in JOURNEY_ENDED and ended:  # its day given, or corrected
                    found[-1] = replace(found[-1], on=day)
                found[-1] = replace(found[-1], destination=to)
                continue
            found.append(StatusTurn(day, status, event.actor, to))
        return found

    def record_history(self, record_id: str) -> list[Event]:
        """One record's journey-log events, oldest first: what it said before, when, who."""
        return store.events_for(self.db, record_id=record_id)

    def counts(self) -> dict[str, int]:
        """How many records of each kind, plus journey-log events."""
        result = {kind: store.count(self.db, kind) for kind in BY_KIND}
        result["journey_log"] = store.count(self.db, "journey_log")
        return result


def _destination(value: object) -> Destination | None:
    """A destination as the journey log holds it (None: none held, or one this version does
    not know)."""
    try:
        return Destination(str(value)) if value else None
    except ValueError:
        return None
