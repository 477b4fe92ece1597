"""A journey's moments in day order, in the words the Journey tab and the `journey` command both
use: stage moves, milestones, and the turning points between them (each day the journey ended,
moved on and where to or closed; each day the parent was welcomed back; each break, from – to
or since)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from journeyapp.core.catalogue import Catalogue
from journeyapp.core.dates import long_date
from journeyapp.core.describe import said
from journeyapp.core.enums import JOURNEY_ENDED, Destination, ParticipantStatus, label
from journeyapp.core.records import Journey, Record

STAGE = "stage"
MILESTONE = "milestone"
BREAK = "break"
ENDED = "ended"
BACK = "back"

# On one day: moves and milestones first, then the journey's end (its last day), a welcome
# back (after an ending the same day), and a break begun that day.
_ORDER = {STAGE: 0, MILESTONE: 1, ENDED: 2, BACK: 3, BREAK: 4}


@dataclass(frozen=True)
class StatusTurn:
    """One change of where a parent's journey stands, from the journey log (Caseload
    .status_turns): its day (for an ending the day it ended, for a welcome back the day they
    came back, as given), the status from then, who recorded it and, for a move on, where to
    (as held while it stood: corrected since, as corrected)."""

    on: date
    status: ParticipantStatus
    actor: str = ""
    destination: Destination | None = None


@dataclass(frozen=True)
class Moment:
    """One moment of the journey: a stage reached, a milestone, a turning point."""

    on: date
    kind: str  # STAGE, MILESTONE, BREAK, ENDED or BACK
    what: str
    detail: str = ""
    # The record the moment comes from (a move, a milestone, a break: corrected, removed or its
    # history shown from the Journey tab); None for an ending or a welcome back.
    record: Record | None = None
    # A break's last day, or the day a journey that ended was taken up again (None: not yet).
    until: date | None = None
    # How a journey ended (an ENDED moment's: moved on or closed).
    status: ParticipantStatus | None = None


def ended_words(status: ParticipantStatus, destination: Destination | None) -> str:
    """How a journey ended, in a line of its own: "Moved on (to work)", "Moved on" (where to
    not decided), "Journey closed"."""
    if status is not ParticipantStatus.MOVED_ON:
        return "Journey closed"
    if destination is None or destination is Destination.NOT_DECIDED:
        return "Moved on"
    return f"Moved on (to {label(destination).lower()})"


WELCOMED_BACK = "Welcomed back"


def _ending(on: date, status: ParticipantStatus, destination: Destination | None) -> Moment:
    return Moment(on, ENDED, ended_words(status, destination), status=status)


def break_words(started_on: date, ended_on: date | None) -> str:
    """A break from – to, or since ("Took a break (their choice): 3 Nov 2026 – 20 Nov 2026",
    "Taking a break (their choice) since 3 Nov 2026")."""
    if ended_on is None:
        return f"Taking a break (their choice) since {long_date(started_on)}"
    return f"Took a break (their choice): {long_date(started_on)} – {long_date(ended_on)}"


def turning_points(journey: Journey, turns: Sequence[StatusTurn]) -> list[Moment]:
    """The days the journey turned, oldest first: each ending (moved on, and where to, or
    closed) and each welcome back, from `turns` (the journey log's status changes; where it
    holds none, as the parent's record holds them: the day it ended, the day they were last
    welcomed back), and each break, from – to (or since, while it goes on)."""
    found: list[Moment] = []
    previous: ParticipantStatus | None = None
    for turn in turns:
        if turn.status in JOURNEY_ENDED and previous not in JOURNEY_ENDED:
            found.append(_ending(turn.on, turn.status, turn.destination))
        elif turn.status in JOURNEY_ENDED and found and found[-1].kind == ENDED:
            # Moved on, then closed (or the other way) with no welcome back between: one ending,
            # as it stands last.
            found[-1] = _ending(found[-1].on, turn.status, turn.destination)
        elif turn.status is ParticipantStatus.ACTIVE and previous in JOURNEY_ENDED:
            found.append(Moment(turn.on, BACK, WELCOMED_BACK))
        previous = turn.status
    p = journey.participant
    if not turns:
        if p.came_back_on is not None:
            found.append(Moment(p.came_back_on, BACK, WELCOMED_BACK))
        if p.status in JOURNEY_ENDED and p.ended_on is not None:
            found.append(_ending(p.ended_on, p.status, p.destination))
    # Each ending until the welcome back after it.
    found.sort(key=lambda m: (m.on, _ORDER[m.kind]))
    for n, moment in enumerate(found):
        if moment.kind == ENDED:
            back = next((m.on for m in found[n + 1 :] if m.kind == BACK), None)
            found[n] = replace(moment, until=back)
    # What the parent said as their journey ended (m022), beside the latest ending, whose words
    # they are marked as everywhere ("agreed together", "noted by their keyworker").
    last = max((n for n, m in enumerate(found) if m.kind == ENDED), default=None)
    if last is not None and p.ending_words.strip():
        found[last] = replace(found[last], detail=said(p.ending_words.strip(), p.ending_voice))
    found += [
        Moment(
            pause.started_on,
            BREAK,
            break_words(pause.started_on, pause.ended_on),
            said(pause.reason, pause.voice),
            pause,
            pause.ended_on,
        )
        for pause in journey.pauses
    ]
    return sorted(found, key=lambda m: (m.on, _ORDER[m.kind]))


def moments(
    journey: Journey,
    catalogue: Catalogue,
    turns: Sequence[StatusTurn] = (),
    *,
    milestone_notes: dict[str, str] | None = None,
) -> list[Moment]:
    """Stage moves, milestones and turning points (`turning_points`), oldest first.
    `milestone_notes`: words to add after a milestone's note, by its id (the Journey tab's
    "No job recorded with it yet")."""
    notes = milestone_notes or {}
    found = [
        Moment(s.on, STAGE, f"Stage: {catalogue.shown('stages', s.stage)}", s.note, s)
        for s in journey.stages
    ]
    found += [
        Moment(
            m.achieved_on,
            MILESTONE,
            catalogue.shown("milestone_types", m.type),
            " ".join(words for words in (said(m.note, m.voice), notes.get(m.id, "")) if words),
            m,
        )
        for m in journey.milestones
    ]
    found += turning_points(journey, turns)
    return sorted(found, key=lambda m: (m.on, _ORDER[m.kind]))


def moment_line(moment: Moment, today: date) -> str:
    """One moment in a line of the command line's listing ("3 Nov 2026: Moved on (to work)",
    its note after a dash; a day after today marked to check)."""
    from journeyapp.core.describe import marked_day

    line = f"{marked_day(long_date(moment.on), moment.on, today)}: {moment.what}"
    return f"{line} — {moment.detail}" if moment.detail else line
