"""Use cases along a journey: choices, pace and pauses, milestones, self-assessments,
contacts, referrals, group sessions and feedback. One use case = one transaction.

A mixin of the Caseload façade (through RecordUseCases, whose helpers it uses), so callers
keep writing `caseload.log_contact(...)`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from journeyapp.caseload.records import RecordUseCases
from journeyapp.caseload.undo import Txn
from journeyapp.core.dates import long_date
from journeyapp.core.enums import (
    JOURNEY_ENDED,
    ConsentPurpose,
    Decision,
    Destination,
    FeedbackSource,
    Pace,
    ParticipantStatus,
    ReferralOutcome,
    Rhythm,
    Voice,
)
from journeyapp.core.errors import ValidationError
from journeyapp.core.merge import keyed_id
from journeyapp.core.records import (
    Appointment,
    Assessment,
    Attendance,
    Choice,
    Contact,
    Feedback,
    GroupSession,
    Milestone,
    PaceChange,
    Participant,
    Pause,
    Referral,
)
from journeyapp.store import records as store


class ActivityUseCases(RecordUseCases):
    """What happens along a parent's journey, recorded (see Caseload)."""

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
        follow_up_on: date | None = None,
        follow_up_chosen_by: Voice | None = None,
    ) -> Pause:
        """The parent takes a break: their decision, never a failure; `voice`: whose words the
        reason is. `follow_up_on`: the day to get in touch again, shown in This week when it
        comes; `follow_up_chosen_by`: who chose that day (by default as `voice`; none without
        a day)."""
        from journeyapp.core.validation import check_break_can_start

        with self._write("take a break") as txn:
            participant = self._get(Participant, participant_id)
            check_break_can_start(participant)
            day = self._on(on)
            # A break whose end is dated after the day (a laptop's clock ahead) is still being
            # taken on it (Journey.status_by): a second one would overlap it.
            taking = store.list_where(
                self.db,
                Pause,
                "participant_id = ? AND ended_on > ? AND started_on <= ?",
                [participant_id, day.isoformat(), day.isoformat()],
            )
            ends = [b.ended_on for b in taking if b.ended_on is not None]
            if ends:
                raise ValidationError(
                    f"{participant.preferred_name} is already taking a break: its end is dated "
                    f"{long_date(max(ends))}, after {long_date(day)}. If that day is wrong, "
                    "correct the day the break ended first. Nothing was changed."
                )
            pause = self._create(
                txn,
                Pause(
                    participant_id=participant_id,
                    started_on=day,
                    reason=reason,
                    voice=voice,
                    follow_up_on=follow_up_on,
                    follow_up_chosen_by=(
                        None if follow_up_on is None else (follow_up_chosen_by or voice)
                    ),
                ),
            )
            self._update(txn, participant, status=ParticipantStatus.PAUSED)
            return pause

    def resume(self, participant_id: str, *, on: date | None = None) -> Participant:
        """The parent picks up again after a break (refused when they are not on one: it would
        make a journey that moved on or closed active again without anyone deciding so). A
        break whose end is dated after the day they pick up again (written on a laptop whose
        clock was ahead) is still being taken on that day (Journey.status_by): its end is
        put right to that day."""
        with self._write("pick up again") as txn:
            participant = self._get(Participant, participant_id)
            name = participant.preferred_name
            day = self._on(on)
            breaks = self._breaks_going_on(participant_id, day)
            if participant.status is not ParticipantStatus.PAUSED and not breaks:
                raise ValidationError(
                    f"{name} is not taking a break, so there is nothing to pick up again from. "
                    "Nothing was changed."
                )
            self._end_breaks(txn, name, breaks, day)
            return self._update(txn, participant, status=ParticipantStatus.ACTIVE)

    def _breaks_going_on(self, participant_id: str, day: date) -> list[Pause]:
        """The parent's breaks being taken on `day`: not ended, or ended after it."""
        return store.list_where(
            self.db,
            Pause,
            "participant_id = ? AND (ended_on IS NULL OR (ended_on > ? AND started_on <= ?))",
            [participant_id, day.isoformat(), day.isoformat()],
        )

    def _end_breaks(self, txn: Txn, name: str, breaks: Iterable[Pause], day: date) -> None:
        """End each break on `day` (refused when one starts after it: check the date)."""
        for pause in breaks:
            if day < pause.started_on:
                raise ValidationError(
                    f"{long_date(day)} is before {name}'s break started "
                    f"({long_date(pause.started_on)}); check the date. Nothing was changed.",
                    "ended_on",
                )
            self._update(txn, pause, ended_on=day)

    # -- the journey ends, and parents come back ---------------------------------------------

    def end_journey(
        self,
        participant_id: str,
        status: ParticipantStatus,
        *,
        on: date | None = None,
        destination: Destination | None = None,
        words: str | None = None,
        voice: Voice | None = None,
    ) -> Participant:
        """The journey ended on `on` (default today): the parent moved on (to `destination`,
        what they chose: work, training or education, volunteering...) or it closed. A break
        being taken then ends that day with it. Their records stay as they are; they are
        welcome back at any time (reopen_journey). Said again of a journey that has ended, it
        corrects how, when or where to.

        `words`: what the parent wants said about where they are going or why they are
        stopping, kept as written (m022), and `voice` whose words they are (the parent's
        unless said). A journey ending now takes the words given, none if none: words from an
        earlier ending were about that one (the journey log keeps them). Correcting one that
        has ended, None keeps the words (and whose they are) as held."""
        from journeyapp.core.validation import check_journey_can_end

        doing = "record moved on" if status is ParticipantStatus.MOVED_ON else "close the journey"
        with self._write(doing) as txn:
            participant = self._get(Participant, participant_id)
            status = ParticipantStatus(status)
            check_journey_can_end(participant, status, destination, on, words, voice)
            changes: dict[str, Any] = {"status": status}
            # No day given: today for a journey ending now; as held for one that had ended.
            if on is not None or participant.status not in JOURNEY_ENDED:
                day = self._on(on)
                back = participant.came_back_on
                if back is not None and day < back:
                    # Its history would read ended, welcomed back, then ended before that.
                    # (An ending undone is no welcome back: only reopen_journey sets the day.)
                    raise ValidationError(
                        f"{long_date(day)} is before {participant.preferred_name} was welcomed "
                        f"back ({long_date(back)}): choose that day or a later one. "
                        "Nothing was changed.",
                        "ended_on",
                    )
                self._end_breaks(
                    txn,
                    participant.preferred_name,
                    self._breaks_going_on(participant_id, day),
                    day,
                )
                if day != participant.ended_on:
                    changes["ended_on"] = day
            if destination is not None and destination != participant.destination:
                changes["destination"] = Destination(destination)
            changes.update(_ending_words(participant, words, voice))
            return self._update(txn, participant, **changes)

    def reopen_journey(self, participant_id: str, *, on: date | None = None) -> Participant:
        """Welcome back: a journey that moved on or closed is taken up again (Active) on `on`
        (default today: a welcome back is often recorded days after they came back), with
        every record as it was. Refused for a day after today, or before their journey ended.

        A day other than today is written to the journey log as the day of the change, as an
        ending's is: the reopening event carries it as `ended_on` (the day the status held
        since began, given by the keyworker; the day it ended, as held, where that is the day
        they came back), and a second event of the same change clears it (a journey going
        has no day it ended). The status history and the programme report
        count the welcome back on that day; every laptop merges it, column for column. The
        day is also kept as `came_back_on` (m021), which only a welcome back sets (an ending
        undone puts back what it changed, and is none): no ending is dated before it, and
        check-ins count from it."""
        from journeyapp.core.validation import check_journey_can_reopen, check_welcome_back_day

        with self._write("welcome back") as txn:
            participant = self._get(Participant, participant_id)
            check_journey_can_reopen(participant)
            today = self.today()
            if on is not None and on != today:
                changes = self.status_changes(participant_id)
                ended = participant.ended_on or (changes[-1][0] if changes else None)
                check_welcome_back_day(participant, on, ended, today)
                back = self._update_as_written(
                    txn,
                    participant,
                    status=ParticipantStatus.ACTIVE,
                    ended_on=on,
                    came_back_on=on,
                )
                return self._update_as_written(txn, back, ended_on=None)
            changes_: dict[str, Any] = {"status": ParticipantStatus.ACTIVE, "came_back_on": today}
            if participant.ended_on is not None:
                changes_["ended_on"] = None
            return self._update(txn, participant, **changes_)

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
            # A milestone belongs to the journey here (issue 16: it made medians negative):
            # _create refuses a day before they joined (core.validation.check_typed_days).
            day = self._on(achieved_on)
            return self._create(
                txn,
                Milestone(
                    participant_id=participant_id,
                    type=type,
                    achieved_on=day,
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

    # -- appointments -----------------------------------------------------------------------

    def arrange_meeting(
        self,
        participant_id: str,
        on: date,
        *,
        time: str = "",
        minutes: int = 60,
        place: str = "",
        with_whom: str = "",
    ) -> Appointment:
        """Arrange a meeting with the parent: the day, the time ("14:00", or "" for some time
        that day), where, and who will be there. Undoable; edit or remove it as any record."""
        with self._write("arrange a meeting") as txn:
            self._require_participant(participant_id)
            return self._create(
                txn,
                Appointment(
                    participant_id=participant_id,
                    on=on,
                    time=time.strip(),
                    minutes=minutes,
                    place=place.strip(),
                    with_whom=with_whom.strip(),
                ),
            )

    def appointments_for(self, participant_id: str) -> list[Appointment]:
        """A parent's meetings, by day and time."""
        found = store.list_for(self.db, Appointment, participant_id)
        return sorted(found, key=lambda a: (a.on, a.time or "99:99", a.created_at))

    def appointments_between(self, first: date, last: date) -> list[Appointment]:
        """Every meeting from `first` to `last` (both included), by day and time."""
        return store.list_where(
            self.db,
            Appointment,
            '"on" BETWEEN ? AND ?',
            [first.isoformat(), last.isoformat()],
            order="\"on\", coalesce(nullif(\"time\", ''), '99:99'), created_at",
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
            wanted = list(participant_ids)
            if wanted and session.on > self.today():
                # Said of the session: its contacts' own check named "the day of the contact"
                # and guessed a year back.
                raise ValidationError(
                    f"The session on {long_date(session.on)} is after today: who came is "
                    "recorded once it has happened. Record the session without anyone on its "
                    "register now, and who came on the day."
                )
            participant_ids = wanted
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
                    self._create(
                        txn,
                        Attendance(
                            id=keyed_id(Attendance.KIND, pid, session_id),
                            participant_id=pid,
                            session_id=session_id,
                        ),
                    )
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

    def correct_group_session(
        self, session_id: str, *, activity: str, venue: str, on: date
    ) -> GroupSession:
        """Correct a session's activity, venue or date, and the contact it made for each parent
        who came (their date and venue, and the activity as the note while it is unchanged)."""
        with self._write("correct a group session") as txn:
            session = self._get(GroupSession, session_id)
            made = store.list_where(self.db, Contact, "group_session_id = ?", [session_id])
            if made and on > self.today() and on != session.on:
                came = f"{len(made)} parent{'' if len(made) == 1 else 's'}"
                raise ValidationError(
                    f"{came} came to this session (its register), so it cannot move to "
                    f"{long_date(on)}, a day to come: a session that has happened stays on the "
                    "day it happened; check the day."
                )
            for contact in made:
                changes: dict[str, object] = {"on": on, "venue": venue}
                if contact.note == session.activity:
                    changes["note"] = activity
                self._update(txn, contact, **changes)
            return self._update(txn, session, activity=activity, venue=venue, on=on)

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


def _ending_words(
    participant: Participant, words: str | None, voice: Voice | None
) -> dict[str, Any]:
    """The changes to a parent's words at the end of their journey (Activities.end_journey):
    as given; for a journey ending now, none when none are given and the parent's when no one
    says whose; for one that had ended, each kept as held unless given."""
    ending_now = participant.status not in JOURNEY_ENDED
    if words is None and ending_now:
        words = ""
    if voice is None and ending_now:
        voice = Voice.PARENT
    changes: dict[str, Any] = {}
    if words is not None and words.strip() != participant.ending_words:
        changes["ending_words"] = words.strip()
    if voice is not None and Voice(voice) is not participant.ending_voice:
        changes["ending_voice"] = Voice(voice)
    return changes
