"""What a parent's printed plan (and "What we hold about you") says, section by section; no PDF here."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from journeyapp.core import derived
from journeyapp.core.catalogue import Catalogue
from journeyapp.core.enums import (
    TAKING_A_BREAK,
    ConsentPurpose,
    Decision,
    GoalStatus,
    Pace,
    ParticipantStatus,
    ReferralOutcome,
    Rhythm,
    StrengthOrBarrier,
    Voice,
)
from journeyapp.core.records import (
    RECORD_TYPES,
    Assessment,
    Choice,
    Event,
    GroupSession,
    Journey,
    Step,
)

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def long_date(day: date) -> str:
    """A date as a parent writes it: "3 March 2026" (no locale, so every laptop prints the same)."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


# -- what a plan is made of ------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One entry in a section: a main line and smaller lines under it (status, who, by when)."""

    text: str
    details: tuple[str, ...] = ()
    # "todo": a box the parent can tick by hand; "done": already ticked; "": a plain bullet.
    mark: str = ""


@dataclass(frozen=True)
class Series:
    """One self-assessment drawn on the chart: its label, a score per area, and its line style."""

    label: str
    scores: tuple[int, ...]
    dashed: bool


@dataclass(frozen=True)
class Radar:
    """The "how far you have come" chart: area names spelled out, first (dashed) and latest (solid)."""

    areas: tuple[str, ...]
    series: tuple[Series, ...]
    maximum: int = 10


@dataclass(frozen=True)
class Section:
    """A part of the plan with a heading; only built when it has something to say."""

    key: str
    heading: str
    intro: tuple[str, ...] = ()
    items: tuple[Item, ...] = ()
    outro: tuple[str, ...] = ()
    chart: Radar | None = None
    write_space: bool = False
    # Plans run an item's details together as short sentences; a record listing puts each
    # "label: value" detail on its own line.
    compact: bool = True

    def text(self) -> str:
        """Every word of the section, for search and tests."""
        parts = [self.heading, *self.intro]
        for item in self.items:
            parts.append(item.text)
            parts.extend(item.details)
        parts.extend(self.outro)
        if self.chart is not None:
            parts.extend(self.chart.areas)
            parts.extend(s.label for s in self.chart.series)
        return "\n".join(parts)


@dataclass(frozen=True)
class ActionPlan:
    """A parent's progress plan: a title block, then the sections that have something to say."""

    title: str
    name: str
    printed_on: date
    subtitle: str
    sections: tuple[Section, ...]
    footer: str = ""
    document: str = "plan"

    def section(self, key: str) -> Section | None:
        """The section with this key, or None when the plan leaves it out."""
        return next((s for s in self.sections if s.key == key), None)

    @property
    def keys(self) -> tuple[str, ...]:
        """The keys of the sections present, in order."""
        return tuple(s.key for s in self.sections)

    def text(self) -> str:
        """Every word of the plan, for search and tests."""
        return "\n".join([self.title, self.subtitle, *(s.text() for s in self.sections)])


# -- plain words -----------------------------------------------------------------------------------

GOAL_STATUS_WORDS: dict[GoalStatus, str] = {
    GoalStatus.WORKING_ON_IT: "You are working on this.",
    GoalStatus.NOT_STARTED: "Not started yet.",
    GoalStatus.ON_HOLD: "On hold for now.",
    GoalStatus.ACHIEVED: "Done. Well done!",
    GoalStatus.CHANGED_MY_MIND: "You changed your mind. That is fine.",
}
GOAL_ORDER = tuple(GOAL_STATUS_WORDS)

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

CONSENT_WORDS: dict[ConsentPurpose, str] = {
    ConsentPurpose.HOLDING_DATA: "Keeping your information",
    ConsentPurpose.SHARING_WITH_PARTNERS: "Sharing it with named partners",
    ConsentPurpose.REFERRALS: "Putting you in touch with other services",
    ConsentPurpose.EVALUATION_QUOTES: "Using your words (without your name) to show what works",
    ConsentPurpose.GROUP_REGISTERS: "Putting your name on group registers",
}

STATUS_WORDS: dict[ParticipantStatus, str] = {
    ParticipantStatus.ACTIVE: "Taking part",
    ParticipantStatus.PAUSED: f"{TAKING_A_BREAK} (your choice)",
    ParticipantStatus.MOVED_ON: "Moved on",
    ParticipantStatus.CLOSED: "Finished",
}

DESTINATION_WORDS: dict[str, str] = {
    "work": "work",
    "training_education": "training or education",
    "volunteering": "volunteering",
}

# How "What we hold about you" names each kind of record: from the registry (core.records).
KIND_WORDS: dict[str, str] = {cls.KIND: cls.HELD_AS for cls in RECORD_TYPES}

ACTION_WORDS: dict[str, str] = {
    "create": "Added",
    "update": "Changed",
    "delete": "Removed",
    "erase": "Erased",
}


class _Quoter:
    """Puts the parent's words in quotation marks, saying "in your words" the first time only."""

    def __init__(self) -> None:
        self.used = False

    def __call__(self, text: str, voice: Voice | str = Voice.PARENT) -> str:
        text = text.strip()
        if str(voice) != Voice.PARENT.value:
            # Written by the keyworker or agreed together: not the parent's verbatim words.
            return text
        quoted = f"“{text}”"
        if not self.used:
            self.used = True
            return f"{quoted} (in your words)"
        return quoted


def _who(step: Step, catalogue: Catalogue, keyworker: str) -> str:
    if step.who == "me":
        return "You"
    if step.who == "keyworker":
        return f"Your keyworker, {keyworker}" if keyworker else "Your keyworker"
    return catalogue.label("partners", step.who)


def _latest_choices(choices: Iterable[Choice]) -> list[Choice]:
    """The latest decision per service (a parent can change their mind), in first-decided order."""
    latest: dict[str, Choice] = {}
    for choice in sorted(choices, key=lambda c: (c.decided_on, c.created_at)):
        latest.pop(choice.service, None)
        latest[choice.service] = choice
    return list(latest.values())


def _service(choice: Choice, catalogue: Catalogue) -> str:
    name = catalogue.label("services", choice.service)
    return f"{name}, with {choice.provider}" if choice.provider.strip() else name


def _sentences(*parts: str) -> tuple[str, ...]:
    return tuple(p for p in parts if p)


# -- the plan --------------------------------------------------------------------------------------


def build_action_plan(
    journey: Journey, catalogue: Catalogue, today: date, keyworker_contact: str = ""
) -> ActionPlan:
    """What the parent's printed plan says, section by section (each left out when it has nothing to say)."""
    p = journey.participant
    quote = _Quoter()
    name = p.preferred_name.strip() or p.full_name.strip() or "you"
    keyworker = p.keyworker.strip()
    contact = keyworker_contact.strip()
    sections: list[Section] = []

    # Who the plan is for and who the keyworker is.
    about: list[str] = []
    if keyworker:
        about.append(f"Your keyworker is {keyworker}.")
    if contact:
        about.append(f"You can reach {keyworker or 'your keyworker'} on {contact}.")
    if p.stage:
        about.append(f"Where you are now: {catalogue.label('stages', p.stage)}.")
    if p.destination.value in DESTINATION_WORDS:
        about.append(f"You are working towards {DESTINATION_WORDS[p.destination.value]}.")
    if about:
        sections.append(Section("about", "You and your keyworker", intro=tuple(about)))

    strengths = [s for s in journey.strengths if s.kind is StrengthOrBarrier.STRENGTH]
    in_the_way = [s for s in journey.strengths if s.kind is StrengthOrBarrier.BARRIER]
    if strengths:
        sections.append(
            Section(
                "strengths",
                "What you are good at",
                items=tuple(Item(quote(s.words, s.voice)) for s in strengths if s.words.strip()),
            )
        )

    goals = sorted(
        (g for g in journey.goals if g.words.strip()), key=lambda g: GOAL_ORDER.index(g.status)
    )
    if goals:
        items = []
        for goal in goals:
            details = [GOAL_STATUS_WORDS[goal.status]]
            if goal.by_when.strip():
                details.append(f"By when: {quote(goal.by_when, goal.voice)}")
            mark = "done" if goal.status is GoalStatus.ACHIEVED else ""
            items.append(Item(quote(goal.words, goal.voice), tuple(details), mark))
        sections.append(Section("goals", "What you want to do", items=tuple(items)))

    live_goals = {
        g.id
        for g in journey.goals
        if g.status not in (GoalStatus.ACHIEVED, GoalStatus.CHANGED_MY_MIND)
    }
    open_steps = sorted(
        (s for s in journey.steps if s.done_on is None and s.goal_id in live_goals),
        key=lambda s: (s.due is None, s.due or today, s.created_at),
    )
    if open_steps:
        items = []
        for step in open_steps:
            who = _who(step, catalogue, keyworker)
            by = f", by {long_date(step.due)}" if step.due is not None else ""
            # "Your keyworker, Morag" needs its closing comma before the verb.
            who = who + "," if who.startswith("Your keyworker,") else who
            details = [f"{who} will do this{by}."]
            items.append(Item(step.what.strip(), tuple(details), "todo"))
        sections.append(Section("next_steps", "Your next steps", items=tuple(items)))

    if in_the_way:
        sections.append(
            Section(
                "in_the_way",
                "Things that can get in the way",
                intro=("We will work on these together, at your pace.",),
                items=tuple(Item(quote(s.words, s.voice)) for s in in_the_way if s.words.strip()),
            )
        )

    choices = _latest_choices(journey.choices)
    chosen = [c for c in choices if c.decision is Decision.CHOSEN]
    declined = [c for c in choices if c.decision is not Decision.CHOSEN]
    if chosen:
        items = []
        for choice in chosen:
            details = [f"Since {long_date(choice.decided_on)}."]
            if choice.reason.strip():
                details.append(f"Why: {quote(choice.reason, choice.voice)}")
            items.append(Item(_service(choice, catalogue), tuple(details)))
        sections.append(Section("chosen", "Support you have chosen", items=tuple(items)))
    if declined:
        items = []
        for choice in declined:
            details = [
                "Maybe later." if choice.decision is Decision.MAYBE_LATER else "Not for now."
            ]
            if choice.reason.strip():
                details.append(f"Why: {quote(choice.reason, choice.voice)}")
            items.append(Item(_service(choice, catalogue), tuple(details)))
        sections.append(
            Section(
                "not_for_now",
                "Support you said “not for now” to",
                intro=("That is your choice. You can change your mind at any time.",),
                items=tuple(items),
            )
        )

    if journey.referrals:
        items = []
        for ref in sorted(journey.referrals, key=lambda r: (r.on, r.created_at)):
            what = ref.to.strip()
            if ref.service:
                what = f"{what}: {catalogue.label('services', ref.service)}"
            items.append(Item(what, (f"On {long_date(ref.on)}.", OUTCOME_WORDS[ref.outcome])))
        sections.append(Section("in_touch", "People we put you in touch with", items=tuple(items)))

    pace = journey.current_pace
    pause = journey.open_pause
    pace_lines: list[str] = []
    if pause is not None:
        pace_lines.append(f"You are taking a break, since {long_date(pause.started_on)}.")
        pace_lines.append("That is your choice, and that is fine.")
        if pause.reason.strip():
            pace_lines.append(f"Why: {quote(pause.reason, pause.voice)}")
    if pace is not None:
        pace_lines.append(PACE_WORDS[pace.pace])
        pace_lines.append(RHYTHM_WORDS[pace.rhythm])
        if pace.reason.strip():
            pace_lines.append(f"Why: {quote(pace.reason, pace.voice)}")
    if pace_lines:
        sections.append(Section("pace", "Your pace", intro=tuple(pace_lines)))

    done: list[tuple[date, str, Item]] = []
    for m in journey.milestones:
        details = [f"On {long_date(m.achieved_on)}."]
        if m.note.strip():
            details.append(quote(m.note, m.voice))
        label = catalogue.label("milestone_types", m.type)
        done.append((m.achieved_on, m.created_at, Item(label, tuple(details), "done")))
    for s in journey.steps:
        if s.done_on is not None:
            item = Item(s.what.strip(), (f"Done on {long_date(s.done_on)}.",), "done")
            done.append((s.done_on, s.created_at, item))
    if done:
        done.sort(key=lambda t: (t[0], t[1]))
        sections.append(
            Section(
                "done",
                "What you have done so far",
                intro=("Every step counts.",),
                items=tuple(t[2] for t in done),
            )
        )

    progress = _progress(journey.assessments, catalogue, quote)
    if progress is not None:
        sections.append(progress)

    sections.append(_next(journey, today, name, keyworker, contact, quote))
    sections.append(
        Section(
            "write",
            "Anything you want to change?",
            intro=("Write it here, and bring this plan next time we meet.",),
            write_space=True,
        )
    )
    printed = long_date(today)
    return ActionPlan(
        title="Your plan",
        name=name,
        printed_on=today,
        subtitle=f"For {name}. Printed on {printed}.",
        sections=tuple(sections),
        footer=f"Your plan · {name} · printed {printed}",
    )


def _progress(
    assessments: Sequence[Assessment], catalogue: Catalogue, quote: _Quoter
) -> Section | None:
    ordered = sorted(assessments, key=lambda a: (a.taken_on, a.created_at))
    if not ordered:
        return None
    first, latest = ordered[0], ordered[-1]
    known = catalogue.keys("outcome_areas")
    order = [k for k in known if k in latest.scores] + [k for k in latest.scores if k not in known]
    if len(ordered) == 1:
        areas = order
        if not areas:
            return None
        chart = Radar(
            tuple(catalogue.label("outcome_areas", a) for a in areas),
            (Series(f"{long_date(first.taken_on)}", tuple(first.scores[a] for a in areas), False),),
        )
        items = tuple(
            Item(f"{catalogue.label('outcome_areas', a)}: {first.scores[a]} out of 10.")
            for a in areas
        )
        intro = (
            f"You scored yourself from 1 to 10 on {long_date(first.taken_on)}.",
            "Next time, we will see how far you have come.",
        )
    else:
        areas = [a for a in order if a in first.scores]
        if not areas:
            return None
        changes = derived.distance_travelled(ordered, areas)
        chart = Radar(
            tuple(catalogue.label("outcome_areas", a) for a in areas),
            (
                Series(
                    f"First time, {long_date(first.taken_on)}",
                    tuple(first.scores[a] for a in areas),
                    True,
                ),
                Series(
                    f"Latest, {long_date(latest.taken_on)}",
                    tuple(latest.scores[a] for a in areas),
                    False,
                ),
            ),
        )
        items = tuple(
            Item(derived.describe_change(catalogue.label("outcome_areas", c.area), c))
            for c in changes
        )
        intro = (
            f"You scored yourself from 1 to 10, first on {long_date(first.taken_on)} "
            f"and most recently on {long_date(latest.taken_on)}.",
            "The dashed line is the first time. The solid line is the latest.",
        )
    outro: tuple[str, ...] = ()
    if latest.comment.strip():
        outro = (f"You said: {quote(latest.comment, latest.voice)}",)
    return Section(
        "progress", "How far you have come", intro=intro, items=items, outro=outro, chart=chart
    )


def _next(
    journey: Journey, today: date, name: str, keyworker: str, contact: str, quote: _Quoter
) -> Section:
    p = journey.participant
    lines: list[str] = []
    pace = journey.current_pace
    if p.status is ParticipantStatus.PAUSED or journey.open_pause is not None:
        lines.append("You are on a break. Get in touch whenever you are ready.")
    elif p.status in (ParticipantStatus.MOVED_ON, ParticipantStatus.CLOSED):
        lines.append("You have moved on. You are welcome to get in touch at any time.")
    else:
        if not journey.goals:
            lines.append("We will fill in this plan together as we go.")
        due = derived.next_checkin_due(
            pace.rhythm if pace else None, journey.last_contact_on, p.joined_on, p.status
        )
        if due is None:
            lines.append("Get in touch when you want to meet.")
        elif due <= today:
            lines.append("It is time for our next meeting. We will be in touch to arrange it.")
        else:
            lines.append(f"We plan to meet again around {long_date(due)}.")
    last = max(journey.contacts, key=lambda c: (c.on, c.created_at), default=None)
    if last is not None and last.next_step.strip():
        lines.append(f"Last time we agreed: {last.next_step.strip()}")
    who = f"your keyworker, {keyworker}" if keyworker else "your keyworker"
    if contact:
        lines.append(f"Any questions? Contact {who}, on {contact}.")
    else:
        lines.append(f"Any questions? Ask {who}.")
    return Section("next", "What happens next", intro=tuple(lines))


# -- what we hold about you ------------------------------------------------------------------------


def _when(at: str) -> str:
    try:
        moment = datetime.fromisoformat(at.replace("Z", "+00:00"))
    except ValueError:
        return at
    return f"{long_date(moment.date())}, {moment:%H:%M}"


def _maybe(label: str, value: object) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, date):
        value = long_date(value)
    return f"{label}: {value}"


def build_subject_access(
    journey: Journey,
    catalogue: Catalogue,
    today: date,
    events: Sequence[Event],
    sessions: Mapping[str, GroupSession] | None = None,
) -> ActionPlan:
    """Everything held about the parent, plainly, for a subject-access request ("What we hold about you")."""
    p = journey.participant
    name = p.preferred_name.strip() or p.full_name.strip() or "you"
    label = catalogue.label
    sections: list[Section] = [
        Section(
            "intro",
            "About this copy",
            intro=(
                f"This is everything JourneyApp holds about you, on {long_date(today)}.",
                "It is yours to keep.",
                "If anything is wrong, tell your keyworker and we will put it right.",
            ),
        )
    ]

    def add(key: str, heading: str, items: Iterable[Item], intro: tuple[str, ...] = ()) -> None:
        listed = tuple(items)
        if listed:
            sections.append(Section(key, heading, intro=intro, items=listed, compact=False))

    def item(text: str, *details: str) -> Item:
        return Item(text, _sentences(*details))

    details = [
        _maybe("Name we call you", p.preferred_name),
        _maybe("Full name", p.full_name),
        _maybe("Date of birth", p.date_of_birth),
        _maybe("Phone", p.phone),
        _maybe("Email", p.email),
        _maybe("Address", p.address),
        _maybe("Area", label("localities", p.locality) if p.locality else ""),
        _maybe("Keyworker", p.keyworker),
        _maybe("How you came to us", p.referral_source),
        _maybe("Joined on", p.joined_on),
        _maybe("Taking part", STATUS_WORDS[p.status]),
        _maybe("Where you are now", label("stages", p.stage) if p.stage else ""),
        _maybe("Working towards", DESTINATION_WORDS.get(p.destination.value, "not decided yet")),
        _maybe("Reference", p.ref),
        _maybe("Notes", p.notes),
    ]
    add("details", "Your details", (Item(d) for d in details if d))
    add(
        "children",
        "Your children",
        (
            item(
                f"Born in {c.birth_year}" if c.birth_year else "A child",
                _maybe("Childcare", c.childcare_needs),
            )
            for c in journey.children
        ),
    )
    add(
        "consents",
        "What you agreed to",
        (
            item(
                CONSENT_WORDS.get(c.purpose, str(c.purpose)),
                f"{'Yes' if c.given else 'No'}, on {long_date(c.on)}.",
                _maybe("How it was recorded", c.how_recorded),
                _maybe("Details", c.detail),
            )
            for c in sorted(journey.consents, key=lambda c: (c.on, c.created_at))
        ),
    )
    add(
        "strengths",
        "Your strengths, and things that can get in the way",
        (
            item(
                s.words,
                "A strength." if s.kind is StrengthOrBarrier.STRENGTH else "Something in the way.",
                _maybe("Area", label("outcome_areas", s.area) if s.area else ""),
                _whose(s.voice),
            )
            for s in journey.strengths
        ),
    )
    add(
        "goals",
        "Your goals",
        (
            item(
                g.words,
                GOAL_STATUS_WORDS[g.status],
                _maybe("By when", g.by_when),
                _maybe("Area", label("outcome_areas", g.area) if g.area else ""),
                _maybe("Set on", g.set_on),
                _whose(g.voice),
            )
            for g in journey.goals
        ),
    )
    goal_words = {g.id: g.words for g in journey.goals}
    add(
        "steps",
        "Steps towards your goals",
        (
            item(
                s.what,
                _maybe("Towards", goal_words.get(s.goal_id, "")),
                _maybe("Who", _who(s, catalogue, p.keyworker.strip())),
                _maybe("By", s.due),
                _maybe("Done on", s.done_on),
            )
            for s in journey.steps
        ),
    )
    add(
        "choices",
        "Your choices about support",
        (
            item(
                _service(c, catalogue),
                {
                    Decision.CHOSEN: "You chose this.",
                    Decision.NOT_FOR_ME_NOW: "Not for now.",
                    Decision.MAYBE_LATER: "Maybe later.",
                }[c.decision],
                _maybe("On", c.decided_on),
                _maybe("Why", c.reason),
            )
            for c in sorted(journey.choices, key=lambda c: (c.decided_on, c.created_at))
        ),
    )
    add(
        "pace",
        "Your pace",
        (
            item(
                PACE_WORDS[c.pace],
                RHYTHM_WORDS[c.rhythm],
                _maybe("From", c.changed_on),
                _maybe("Why", c.reason),
            )
            for c in sorted(journey.pace, key=lambda c: (c.changed_on, c.created_at))
        ),
    )
    add(
        "pauses",
        "Breaks you took",
        (
            item(
                f"From {long_date(b.started_on)}"
                + (f" to {long_date(b.ended_on)}" if b.ended_on else " (still on a break)"),
                _maybe("Why", b.reason),
            )
            for b in sorted(journey.pauses, key=lambda b: b.started_on)
        ),
    )
    add(
        "stages",
        "Where you have been on your journey",
        (
            item(label("stages", s.stage), _maybe("From", s.on), _maybe("Note", s.note))
            for s in sorted(journey.stages, key=lambda s: (s.on, s.created_at))
        ),
    )
    add(
        "milestones",
        "What you have achieved",
        (
            item(
                label("milestone_types", m.type),
                _maybe("On", m.achieved_on),
                _maybe("Note", m.note),
            )
            for m in sorted(journey.milestones, key=lambda m: (m.achieved_on, m.created_at))
        ),
    )
    add(
        "assessments",
        "How you scored yourself",
        (
            item(
                f"On {long_date(a.taken_on)}",
                *(
                    f"{label('outcome_areas', area)}: {score} out of 10"
                    + (
                        f" (your keyworker's view: {a.keyworker_scores[area]})"
                        if area in a.keyworker_scores
                        else ""
                    )
                    for area, score in a.scores.items()
                ),
                _maybe("Comment", a.comment),
            )
            for a in sorted(journey.assessments, key=lambda a: (a.taken_on, a.created_at))
        ),
    )
    add(
        "contacts",
        "When we met or spoke",
        (
            item(
                f"{long_date(c.on)}: {label('contact_kinds', c.kind)}",
                _maybe("Where", c.venue),
                f"{c.minutes} minutes.",
                _maybe("Note", c.note),
                _maybe("Agreed next", c.next_step),
                "Childcare was needed" + (" and arranged." if c.childcare_arranged else ".")
                if c.childcare_needed
                else "",
            )
            for c in sorted(journey.contacts, key=lambda c: (c.on, c.created_at))
        ),
    )
    add(
        "in_touch",
        "People we put you in touch with",
        (
            item(
                r.to + (f": {label('services', r.service)}" if r.service else ""),
                _maybe("On", r.on),
                _maybe("Why", r.reason),
                OUTCOME_WORDS[r.outcome],
            )
            for r in sorted(journey.referrals, key=lambda r: (r.on, r.created_at))
        ),
    )
    known = sessions or {}
    add(
        "groups",
        "Group sessions you came to",
        (
            item(
                f"{long_date(known[a.session_id].on)}: {known[a.session_id].activity}"
                if a.session_id in known
                else "A group session",
                _maybe("Where", known[a.session_id].venue if a.session_id in known else ""),
            )
            for a in journey.attendance
        ),
    )
    add(
        "feedback",
        "What you told us, and what we did",
        (
            item(f.said, _maybe("On", f.on), _maybe("What we did", f.we_did))
            for f in journey.feedback
        ),
    )
    add(
        "history",
        "Every change we recorded",
        (
            item(
                f"{_when(e.at)}: {ACTION_WORDS.get(e.action, e.action)} "
                f"{KIND_WORDS.get(e.kind, e.kind.replace('_', ' '))}.",
                _changed_fields(e),
                f"Recorded by {e.actor} on computer {e.device_id[:8]}.",
            )
            for e in events
        ),
        intro=("JourneyApp keeps a log of every change, so we can show what changed and when.",),
    )
    printed = long_date(today)
    return ActionPlan(
        title="What we hold about you",
        name=name,
        printed_on=today,
        subtitle=f"For {name}. Printed on {printed}.",
        sections=tuple(sections),
        footer=f"What we hold about you · {name} · printed {printed}",
        document="subject_access",
    )


def _whose(voice: Voice) -> str:
    return {
        Voice.PARENT: "In your words.",
        Voice.TOGETHER: "We agreed this together.",
        Voice.KEYWORKER: "Your keyworker wrote this.",
    }[voice]


def _changed_fields(event: Event) -> str:
    if event.action != "update" or not event.fields:
        return ""
    names = sorted(str(k).replace("_", " ") for k in event.fields)
    return "What changed: " + ", ".join(names) + "."


__all__ = [
    "ActionPlan",
    "Item",
    "Radar",
    "Section",
    "Series",
    "build_action_plan",
    "build_subject_access",
    "long_date",
]


def build_document(
    journey: Journey,
    catalogue: Catalogue,
    today: date,
    *,
    contact: str = "",
    what_we_hold: bool = False,
    events: Sequence[Event] = (),
    sessions: Mapping[str, GroupSession] | None = None,
) -> ActionPlan:
    """The plan, or "What we hold about you" when `what_we_hold` is set."""
    if what_we_hold:
        return build_subject_access(journey, catalogue, today, events, sessions)
    return build_action_plan(journey, catalogue, today, contact)
