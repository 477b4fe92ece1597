"""The parent's plan: a front page "at a glance", then the rest only where it has something to say.

Only true things: a step whose date has passed is still to do with no date pressure, goals on
hold or done show no steps, a break replaces the pace and holds every step's date until the
parent is ready, and no future is stated that the records do not hold.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from journeyapp.core.catalogue import Catalogue
from journeyapp.core.documents.common import (
    PLAN_LIMIT,
    Quoter,
    entry_words,
    isolated,
    label,
    latest_choices,
    service_words,
    who_does,
)
from journeyapp.core.documents.model import (
    ActionPlan,
    Item,
    Radar,
    Section,
    Sender,
    Series,
    Table,
)
from journeyapp.core.documents.wording import Words
from journeyapp.core.enums import (
    JOURNEY_ENDED,
    Decision,
    GoalStatus,
    Pace,
    ParticipantStatus,
    ReferralOutcome,
    Rhythm,
    StrengthOrBarrier,
    Voice,
)
from journeyapp.core.records import Assessment, Goal, Journey, Pause, Step

GOAL_STATUS_WORDS: dict[GoalStatus, str] = {
    GoalStatus.WORKING_ON_IT: "You are working on this.",
    GoalStatus.NOT_STARTED: "Not started yet.",
    GoalStatus.ON_HOLD: "On hold for now.",
    GoalStatus.ACHIEVED: "Done. Well done!",
    GoalStatus.CHANGED_MY_MIND: "You changed your mind. That is fine.",
}
GOAL_ORDER = tuple(GOAL_STATUS_WORDS)
# A parent who has moved on (or whose journey was closed) reads where a goal had got to, not
# that it is being worked on now or still to start: the plan plans nothing ahead for them.
ENDED_GOAL_STATUS_WORDS: dict[GoalStatus, str] = {
    GoalStatus.WORKING_ON_IT: "You were working on this.",
    GoalStatus.NOT_STARTED: "Not started.",
}


def goal_status_words(status: GoalStatus, ended: bool) -> str:
    """Where a goal stands, in the plan's words (English; translate with `t`): for a journey
    that has ended, where it had got to."""
    if ended and status in ENDED_GOAL_STATUS_WORDS:
        return ENDED_GOAL_STATUS_WORDS[status]
    return GOAL_STATUS_WORDS[status]


LIVE = (GoalStatus.WORKING_ON_IT, GoalStatus.NOT_STARTED)
# A journey that has ended: the plan keeps what was recorded but plans nothing ahead.
ENDED = JOURNEY_ENDED
# The front page shows this many goals and achievements; the rest follow on later pages.
GLANCE_GOALS = 5
GLANCE_DONE = 3

PACE_WORDS: dict[Pace, str] = {
    Pace.GENTLY: "You want to take things gently.",
    Pace.STEADY: "You want to go at a steady pace.",
    Pace.READY_TO_PUSH_ON: "You feel ready to push on.",
}

RHYTHM_WORDS: dict[Rhythm, str] = {
    Rhythm.WEEKLY: "We meet every week.",
    Rhythm.FORTNIGHTLY: "We meet every two weeks.",
    Rhythm.MONTHLY: "We meet once a month.",
    Rhythm.WHEN_I_GET_IN_TOUCH: "You get in touch when you want to meet.",
}

OUTCOME_WORDS: dict[ReferralOutcome, str] = {
    ReferralOutcome.WAITING: "Waiting to hear back.",
    ReferralOutcome.ATTENDED: "You went along.",
    ReferralOutcome.DID_NOT_ATTEND: "Not taken up.",
    ReferralOutcome.NO_LONGER_NEEDED: "No longer needed.",
}

# Who chose the day to get in touch again during a break (Pause.day_chosen_by), said apart
# from whose words the break's reason is ("You said: …" or "Why: …").
CHOSEN_BY_WORDS: dict[Voice, str] = {
    Voice.PARENT: "You chose this day.",
    Voice.TOGETHER: "We chose this day together.",
    Voice.KEYWORKER: "Your keyworker chose this day.",
}

DESTINATION_WORDS: dict[str, str] = {
    "work": "You are working towards work.",
    "training_education": "You are working towards training or education.",
    "volunteering": "You are working towards volunteering.",
}


def on_break(journey: Journey) -> bool:
    """True while the parent is taking a break (their status says so, or a break is open)."""
    return journey.participant.status is ParticipantStatus.PAUSED or journey.open_pause is not None


def step_details(
    step: Step,
    today: date,
    catalogue: Catalogue,
    keyworker: str,
    t: Words,
    *,
    paused: bool = False,
    moved_on: bool = False,
) -> tuple[str, ...]:
    """Who does an open step and, only if it is still ahead, the date aimed for; during a
    break no date at all (the pace is the parent's), and none once they have moved on (no
    new date will be picked together)."""
    who = who_does(step, catalogue, keyworker, t)
    lines = [t("Who: {who}.", who=who)]
    if step.due is not None and not moved_on:
        if paused:
            # A date aimed for reads as a deadline while the parent has stopped for a while.
            lines.append(t("No date while you take a break."))
        elif step.due >= today:
            lines.append(t("Aiming for {date}.", date=t.date(step.due)))
        else:
            # A date that has passed is not a broken promise: the step is simply still to do.
            lines.append(t("Still to do. We can pick a new date together."))
    return tuple(lines)


def open_steps(journey: Journey, goal: Goal) -> list[Step]:
    """A goal's steps still to do, soonest first (undated last); none for goals on hold or done."""
    if goal.status not in LIVE:
        return []
    steps = [s for s in journey.steps if s.goal_id == goal.id and s.done_on is None]
    return sorted(steps, key=lambda s: (s.due is None, s.due or date.max, s.created_at))


def build_action_plan(
    journey: Journey,
    catalogue: Catalogue,
    today: date,
    keyworker_contact: str = "",
    *,
    words: Words | None = None,
    sender: Sender | None = None,
) -> ActionPlan:
    """What the parent's printed plan says: a front page at a glance, then the detail; as the
    journey stood on `today` (Journey.as_of): a milestone, a step done or a contact dated
    after it (merged from a laptop whose clock was ahead) is not yet done, nor the last time
    we met. The window and the command line name what was left out (Journey.dated_after)."""
    journey = journey.as_of(today)
    t = words or Words()
    sender = sender or Sender()
    p = journey.participant
    quote = Quoter(t, PLAN_LIMIT)
    name = p.preferred_name.strip() or p.full_name.strip() or t("you")
    keyworker = sender.keyworker.strip() or p.keyworker.strip()
    goals = sorted(
        (g for g in journey.goals if g.words.strip()), key=lambda g: GOAL_ORDER.index(g.status)
    )
    glance = _glance(journey, goals, today, catalogue, keyworker, quote, t)
    nxt = _next(journey, today, quote, t)
    sections: list[Section] = [
        _who_to_call(sender, keyworker, " ".join(keyworker_contact.split()), t),
        # During a break, "Your break" comes before the goals: a long list of goals and steps
        # would push it off the front page, and it is what the parent needs to read first.
        *((nxt, *glance) if on_break(journey) else (*glance, nxt)),
    ]

    rest: list[Section] = []
    ended = journey.participant.status in ENDED
    progress = _progress(journey.assessments, catalogue, quote, t, ended=ended)
    if progress is not None:
        # The chart opens the second page, so it never leaves a near-blank page before it.
        rest.append(progress)
    other_goals = _goals(journey, goals, today, catalogue, keyworker, quote, t)
    if other_goals is not None:
        rest.append(other_goals)
    strengths = [s for s in journey.strengths if s.kind is StrengthOrBarrier.STRENGTH]
    in_the_way = [s for s in journey.strengths if s.kind is StrengthOrBarrier.BARRIER]
    barriers = any(s.words.strip() for s in in_the_way)
    if any(s.words.strip() for s in strengths):
        rest.append(
            Section(
                "strengths",
                t("What you are good at"),
                items=tuple(Item(quote(s.words, s.voice)) for s in strengths if s.words.strip()),
            )
        )
    elif barriers and not ended:
        # Strengths before barriers: a plan never lists only what gets in the way.
        rest.append(
            Section(
                "strengths",
                t("What you are good at"),
                intro=(t("We will write down what you are good at together."),),
            )
        )
    if barriers:
        rest.append(
            Section(
                "in_the_way",
                t("Things that can get in the way"),
                # Once the journey has ended no work together is ahead to promise.
                intro=() if ended else (t("We will work on these together, at your pace."),),
                items=tuple(Item(quote(s.words, s.voice)) for s in in_the_way if s.words.strip()),
            )
        )
    rest.extend(_support(journey, catalogue, quote, t))
    done = _done(journey, catalogue, quote, t)
    if len(done) > GLANCE_DONE:
        rest.append(
            Section(
                "done_before",
                t("What you did before that"),
                items=tuple(item for _, item in done[:-GLANCE_DONE]),
            )
        )
    sections.append(
        Section(
            "write",
            t("Anything you want to change?"),
            # A journey that has ended has no next meeting to bring it to.
            intro=(
                t("Write it here. This plan is yours to keep.")
                if journey.participant.status in ENDED
                else t("Write it here, and bring this plan next time we meet."),
            ),
            write_space=True,
            # Its few lines share the front page, which is seldom full.
            front=True,
        )
    )
    printed = t.date(today)
    return ActionPlan(
        title=t("Your plan"),
        name=name,
        printed_on=today,
        subtitle=t("For {name}. Printed on {date}.", name=name, date=printed),
        sections=(*sections, *rest),
        footer=t("Your plan · {name} · printed {date}", name=name, date=printed),
        language=t.language,
        rtl=t.rtl,
        page_words=t("Page {page} of {pages}"),
        sender=sender,
    )


def _who_to_call(sender: Sender, keyworker: str, contact: str, t: Words) -> Section:
    lines: list[str] = []
    if keyworker:
        lines.append(t("Your keyworker: {name}", name=keyworker))
    if sender.organisation.strip():
        lines.append(t("Organisation: {name}", name=sender.organisation.strip()))
    if sender.programme.strip():
        lines.append(t("Programme: {name}", name=sender.programme.strip()))
    if contact:
        lines.append(t("Contact: {contact}", contact=contact))
    elif sender.phone.strip():
        lines.append(t("Phone: {phone}", phone=sender.phone.strip()))
    if sender.email.strip():
        lines.append(t("Email: {email}", email=sender.email.strip()))
    if not contact and not sender.reachable:
        lines.append(t("Ask your keyworker for a number to call."))
    return Section("call", t("Who to call"), intro=tuple(lines), front=True)


def _goal_items(
    journey: Journey,
    goal: Goal,
    today: date,
    catalogue: Catalogue,
    keyworker: str,
    quote: Quoter,
    t: Words,
) -> list[Item]:
    """A goal, then its steps still to do under it (none for goals on hold or done)."""
    words = quote(goal.words, goal.voice)  # first, so "(in your words)" goes with the goal
    paused = on_break(journey)
    moved_on = journey.participant.status in ENDED
    if paused and not moved_on and goal.status is GoalStatus.WORKING_ON_IT:
        # Not "You are working on this": a break is a pause from the work, and that is fine.
        details = [t("Waiting for you.")]
    else:
        details = [t(goal_status_words(goal.status, moved_on))]
    if goal.by_when.strip():
        details.append(t("By when: {when}", when=quote(goal.by_when, goal.voice)))
    steps = open_steps(journey, goal)
    if goal.status in LIVE and not steps and not moved_on:
        details.append(t("We will choose the next step together."))
    mark = "done" if goal.status is GoalStatus.ACHIEVED else ""
    items = [Item(words, tuple(details), mark)]
    items.extend(
        Item(
            quote.short(step.what),
            step_details(step, today, catalogue, keyworker, t, paused=paused, moved_on=moved_on),
            "sub",
        )
        for step in steps
    )
    return items


def front_goals(goals: Sequence[Goal]) -> list[Goal]:
    """The goals the front page shows: those being worked on, the first few of them; when
    none is, the first few of the rest (on hold, done), so a parent whose goals are all done
    or paused sees them there rather than a plan still to be filled in."""
    live = [g for g in goals if g.status in LIVE]
    return (live or list(goals))[:GLANCE_GOALS]


def _glance(
    journey: Journey,
    goals: Sequence[Goal],
    today: date,
    catalogue: Catalogue,
    keyworker: str,
    quote: Quoter,
    t: Words,
) -> list[Section]:
    """Each goal being worked on with its steps under it (or, when none is, the others), and
    the latest things achieved."""
    shown = front_goals(goals)
    items = [
        item
        for goal in shown
        for item in _goal_items(journey, goal, today, catalogue, keyworker, quote, t)
    ]
    outro: tuple[str, ...] = ()
    live = len([g for g in goals if g.status in LIVE])
    more = (live or len(goals)) - len(shown)
    if more > 0:
        outro = (
            (t("And one more goal, later in this plan."),)
            if more == 1
            else (t("And {count} more goals, on the next pages.", count=t.number(more)),)
        )
    sections = [
        Section(
            "glance",
            t("Your plan at a glance"),
            intro=() if items else (t("We will fill in this plan together as we go."),),
            items=tuple(items),
            outro=outro,
            front=True,
        )
    ]
    if not items and journey.participant.status in ENDED:
        # A journey that has ended with no goals written: nothing to fill in any more, and
        # no heading left empty.
        sections = []
    done = _done(journey, catalogue, quote, t)
    if done:
        # The latest few achievements on the front page; the full list follows only if longer.
        sections.append(
            Section(
                "done",
                t("What you have done so far"),
                intro=(t("Every step counts."),),
                items=tuple(item for _, item in done[-GLANCE_DONE:]),
                outro=((t("More is on the next pages."),) if len(done) > GLANCE_DONE else ()),
                front=True,
            )
        )
    return sections


def _goals(
    journey: Journey,
    goals: Sequence[Goal],
    today: date,
    catalogue: Catalogue,
    keyworker: str,
    quote: Quoter,
    t: Words,
) -> Section | None:
    """The goals the front page does not show (on hold, done, changed, or more than it holds)."""
    shown = {g.id for g in front_goals(goals)}
    items = [
        item
        for goal in goals
        if goal.id not in shown
        for item in _goal_items(journey, goal, today, catalogue, keyworker, quote, t)
    ]
    if not items:
        return None
    heading = t("Your other goals") if shown else t("What you want to do")
    return Section("goals", heading, items=tuple(items))


def _support(journey: Journey, catalogue: Catalogue, quote: Quoter, t: Words) -> list[Section]:
    sections: list[Section] = []
    choices = latest_choices(journey.choices)
    chosen = [c for c in choices if c.decision is Decision.CHOSEN]
    declined = [c for c in choices if c.decision is not Decision.CHOSEN]
    if chosen:
        items = []
        for choice in chosen:
            what = t(
                "{service}, since {date}",
                service=service_words(choice, catalogue, t),
                date=t.date(choice.decided_on),
            )
            why = (
                (t("Why: {why}", why=quote(choice.reason, choice.voice)),)
                if choice.reason.strip()
                else ()
            )
            items.append(Item(what, why))
        sections.append(Section("chosen", t("Support you have chosen"), items=tuple(items)))
    if declined:
        items = []
        for choice in declined:
            details = [
                t("Maybe later.") if choice.decision is Decision.MAYBE_LATER else t("Not for now.")
            ]
            if choice.reason.strip():
                details.append(t("Why: {why}", why=quote(choice.reason, choice.voice)))
            items.append(Item(service_words(choice, catalogue, t), tuple(details)))
        sections.append(
            Section(
                "not_for_now",
                t("Support you are leaving for now"),
                intro=(t("That is your choice. You can change your mind at any time."),),
                items=tuple(items),
            )
        )
    if journey.referrals:
        items = []
        for ref in sorted(journey.referrals, key=lambda r: (r.on, r.created_at)):
            what = isolated(ref.to.strip(), t)
            if ref.service:
                what = t(
                    "{who}: {service}",
                    who=what,
                    service=label(catalogue, "services", ref.service, t),
                )
            items.append(
                Item(what, (t("On {date}.", date=t.date(ref.on)), t(OUTCOME_WORDS[ref.outcome])))
            )
        sections.append(
            Section("in_touch", t("People we put you in touch with"), items=tuple(items))
        )
    return sections


def _done(
    journey: Journey, catalogue: Catalogue, quote: Quoter, t: Words
) -> list[tuple[tuple[date, str], Item]]:
    """Milestones and steps done, oldest first."""
    done: list[tuple[tuple[date, str], Item]] = []
    for m in journey.milestones:
        # One line each: what and when, then the note (if any) under it.
        what = t(
            "{what}, on {date}",
            what=label(catalogue, "milestone_types", m.type, t),
            date=t.date(m.achieved_on),
        )
        note = (quote(m.note, m.voice),) if m.note.strip() else ()
        done.append(((m.achieved_on, m.created_at), Item(what, note, "done")))
    for s in journey.steps:
        if s.done_on is not None:
            what = t("{what}, done on {date}", what=quote.short(s.what), date=t.date(s.done_on))
            done.append(((s.done_on, s.created_at), Item(what, (), "done")))
    done.sort(key=lambda pair: pair[0])
    return done


def _meaning(catalogue: Catalogue, area: str, t: Words) -> tuple[str, str]:
    """What 1 and 10 mean for an area, from the catalogue (blank when it does not say)."""
    entry = catalogue.entry("outcome_areas", area)
    return entry_words(entry, "low", t), entry_words(entry, "high", t)


def _progress(
    assessments: Sequence[Assessment],
    catalogue: Catalogue,
    quote: Quoter,
    t: Words,
    *,
    ended: bool = False,
) -> Section | None:
    """The chart, and a table saying each area's scores and what 1 and 10 mean for it; no
    "next time" once the journey has ended."""
    ordered = sorted(assessments, key=lambda a: (a.taken_on, a.created_at))
    if not ordered:
        return None
    first, latest = ordered[0], ordered[-1]
    known = catalogue.keys("outcome_areas")
    order = [k for k in known if k in latest.scores] + [k for k in latest.scores if k not in known]
    if len(ordered) > 1:
        order = [a for a in order if a in first.scores]
    if not order:
        return None
    names = tuple(label(catalogue, "outcome_areas", a, t) for a in order)
    n = t.number
    if len(ordered) == 1:
        chart = Radar(
            names, (Series(t.date(first.taken_on), tuple(first.scores[a] for a in order), False),)
        )
        scores = [n(first.scores[a]) for a in order]
        intro: tuple[str, ...] = (
            t("You scored yourself from 1 to 10 on {date}.", date=t.date(first.taken_on)),
            *(() if ended else (t("Next time, we will see how far you have come."),)),
        )
    else:
        chart = Radar(
            names,
            (
                Series(
                    t("First time, {date}", date=t.date(first.taken_on)),
                    tuple(first.scores[a] for a in order),
                    True,
                ),
                Series(
                    t("Latest, {date}", date=t.date(latest.taken_on)),
                    tuple(latest.scores[a] for a in order),
                    False,
                ),
            ),
        )
        scores = [
            _number_kept_with_its_word(
                t("was {first}, now {latest}", first=n(first.scores[a]), latest=n(latest.scores[a]))
            )
            for a in order
        ]
        intro = (
            t(
                "You scored yourself from 1 to 10, first on {first} and most recently on {latest}.",
                first=t.date(first.taken_on),
                latest=t.date(latest.taken_on),
            ),
            t("The dashed line is the first time. The solid line is the latest."),
        )
    rows = tuple(
        (name, score, *_meaning(catalogue, a, t))
        for a, name, score in zip(order, names, scores, strict=True)
    )
    table = Table(
        (t("Area"), t("Your score"), t("1 means"), t("10 means")), rows, (0.25, 0.15, 0.3, 0.3)
    )
    outro: tuple[str, ...] = ()
    if latest.comment.strip():
        outro = (_said(latest.comment, latest.voice, quote, t),)
    return Section(
        "progress", t("How far you have come"), intro=intro, outro=outro, chart=chart, table=table
    )


def _number_kept_with_its_word(text: str) -> str:
    """`text` with the space before each number made a no-break space: in the narrow score
    column "was 2, now 3" wraps as "was 2," / "now 3", never "was 2, now" / "3". (A filled-in
    number on a right-to-left page comes isolated: \u2068.)"""
    return re.sub(r" (?=\u2068?\d)", "\u00a0", text)


def _meeting(journey: Journey, today: date, t: Words) -> list[str]:
    """The next meeting arranged (day, time, place, who), in lines; none when none is."""
    meeting = journey.next_appointment(today)
    if meeting is None:
        return []
    if meeting.time:
        when = t("Our next meeting: {date} at {time}.", date=t.date(meeting.on), time=meeting.time)
    else:
        when = t("Our next meeting: {date}.", date=t.date(meeting.on))
    lines = [when]
    if meeting.place.strip():
        lines.append(t("Where: {place}", place=meeting.place.strip()))
    if meeting.with_whom.strip():
        lines.append(t("With: {who}", who=meeting.with_whom.strip()))
    return lines


def _next(journey: Journey, today: date, quote: Quoter, t: Words) -> Section:
    """When we next meet and at what pace, as far as the records say; during a break, the
    break instead of the pace (never a promise the records do not hold)."""
    p = journey.participant
    lines: list[str] = []
    pace = journey.current_pace
    pause = journey.open_pause
    meeting = _meeting(journey, today, t)
    if on_break(journey):
        if pause is not None:
            lines.append(t("You are taking a break, since {date}.", date=t.date(pause.started_on)))
        else:
            lines.append(t("You are taking a break."))
        lines.append(t("That is your choice, and that is fine."))
        if pause is not None and pause.reason.strip():
            lines.append(_why_break(pause, quote, t))
        lines.extend(meeting)
        lines.extend(_get_in_touch(pause, today, t))
        shown = (g for g in journey.goals if g.words.strip())
        if any(step.due is not None for g in shown for step in open_steps(journey, g)):
            # Said once here, not under every step whose date the break holds.
            lines.append(t("When you are ready, we can pick new dates for your steps together."))
        return Section("next", t("Your break"), intro=tuple(lines), front=True)
    if p.status in ENDED:
        lines.append(t("You have moved on. You are welcome to get in touch at any time."))
        if p.ending_words.strip():
            lines.append(_ending_said(p.ending_words, p.ending_voice, quote, t))
        return Section("next", t("What happens next"), intro=tuple(lines), front=True)
    due = journey.next_checkin_on(today)
    if meeting:
        lines.extend(meeting)
    elif due is None:
        # Only "I'll get in touch" leaves no day due here, and the pace line below says so
        # ("You get in touch when you want to meet."): not said twice.
        if pace is None or pace.rhythm is not Rhythm.WHEN_I_GET_IN_TOUCH:
            lines.append(t("Get in touch when you want to meet."))
    elif due <= today:
        lines.append(t("It is time for our next meeting. We will be in touch to arrange it."))
    else:
        lines.append(t("We plan to meet again around {date}.", date=t.date(due)))
    last = max(journey.contacts, key=lambda c: (c.on, c.created_at), default=None)
    if last is not None and last.next_step.strip():
        lines.append(t("Last time we agreed: {what}", what=quote.short(last.next_step)))
    if pace is not None:
        # Your pace, with what happens next: how fast, and how often we meet.
        lines.append(t(PACE_WORDS[pace.pace]) + " " + t(RHYTHM_WORDS[pace.rhythm]))
        if pace.reason.strip():
            lines.append(t("Why: {why}", why=quote(pace.reason, pace.voice)))
    if p.destination.value == "work" and in_work(journey, today):
        # Not "working towards work" under "Started work": they are there.
        lines.append(t("You are in work now."))
    elif p.destination.value in DESTINATION_WORDS:
        lines.append(t(DESTINATION_WORDS[p.destination.value]))
    return Section("next", t("What happens next"), intro=tuple(lines), front=True)


def in_work(journey: Journey, today: date) -> bool:
    """True when a job the parent started by `today` has not ended by then."""
    return any(
        job.started_on <= today and (job.left_on is None or job.left_on > today)
        for job in journey.jobs
    )


def _said(words: str, voice: Voice | str, quote: Quoter, t: Words) -> str:
    """A comment as whose it is: "You said: “…”" only in the parent's own words; noted together
    or by the keyworker, it is not put in the parent's mouth."""
    if str(voice) == Voice.TOGETHER.value:
        return t("We noted together: {words}", words=quote(words, voice))
    if str(voice) == Voice.KEYWORKER.value:
        return t("Your keyworker noted: {words}", words=quote(words, voice))
    return t("You said: {words}", words=quote(words, voice))


def _ending_said(words: str, voice: Voice | str, quote: Quoter, t: Words) -> str:
    """What the parent wanted said as their journey ended, as whose words it is: "About
    moving on, you said: “…”" only in their own words (as `_said`)."""
    if str(voice) == Voice.TOGETHER.value:
        return t("About moving on, we noted together: {words}", words=quote(words, voice))
    if str(voice) == Voice.KEYWORKER.value:
        return t("About moving on, your keyworker noted: {words}", words=quote(words, voice))
    return t("About moving on, you said: {words}", words=quote(words, voice))


def _why_break(pause: Pause, quote: Quoter, t: Words) -> str:
    """Why the parent is taking a break: "You said: “…”" in their own words; a reason agreed
    together or written by the keyworker is not put in the parent's mouth."""
    if str(pause.voice) == Voice.PARENT.value:
        return _said(pause.reason, pause.voice, quote, t)
    return t("Why: {why}", why=quote(pause.reason, pause.voice))


def _get_in_touch(pause: Pause | None, today: date, t: Words) -> list[str]:
    """During a break: the day recorded to get in touch again and who chose it (its own
    chooser, not the reason's voice); only when no day was set, the parent gets in touch
    whenever they are ready."""
    chosen_by = None if pause is None else pause.day_chosen_by
    if pause is None or pause.follow_up_on is None or chosen_by is None:
        return [t("Get in touch whenever you are ready.")]
    day = t.date(pause.follow_up_on)
    if pause.follow_up_on >= today:
        lines = [t("We will get in touch again on {date}.", date=day)]
    else:
        # The day has come and gone during the break: still true, and not a broken promise.
        lines = [t("We planned to get in touch again on {date}.", date=day)]
    lines.append(t(CHOSEN_BY_WORDS[chosen_by]))
    lines.append(t("You can get in touch at any time."))
    return lines
