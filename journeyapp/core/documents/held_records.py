"""Every record held about a parent, kind by kind, as "What we hold about you" lists them.

record_sections() is the one place the listing is made, so the record registry can drive it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from datetime import date

from journeyapp.core.catalogue import Catalogue
from journeyapp.core.codes import CIRCUMSTANCES_LISTS, EQUALITIES_LISTS, Codes
from journeyapp.core.documents.common import label, service_words, who_does
from journeyapp.core.documents.model import Item, Section
from journeyapp.core.documents.plan import (
    CHOSEN_BY_WORDS,
    OUTCOME_WORDS,
    PACE_WORDS,
    RHYTHM_WORDS,
    goal_status_words,
)
from journeyapp.core.documents.wording import Words, language_name
from journeyapp.core.enums import (
    JOURNEY_ENDED,
    ConsentPurpose,
    Decision,
    FeedbackSource,
    ParticipantStatus,
    StrengthOrBarrier,
    Voice,
)
from journeyapp.core.records import GroupSession, Journey

CONSENT_WORDS: dict[ConsentPurpose, str] = {
    ConsentPurpose.HOLDING_DATA: "Keeping your information",
    ConsentPurpose.SHARING_WITH_PARTNERS: "Sharing it with named partners",
    ConsentPurpose.REFERRALS: "Putting you in touch with other services",
    ConsentPurpose.EVALUATION_QUOTES: "Using your words (without your name) to show what works",
    ConsentPurpose.GROUP_REGISTERS: "Putting your name on group registers",
    ConsentPurpose.EQUALITIES_MONITORING: "Keeping your equalities monitoring answers",
}

# How "What we hold about you" names each answer of the return's questions, to the parent.
ANSWER_WORDS: dict[str, str] = {
    "sex": "Your sex",
    "gender_identity": "Trans or with a trans history",
    "age_band": "Your age group",
    "ethnicity": "Your ethnic group",
    "disability": "A disability or long-term condition",
    "disabled_child": "A child with a disability or long-term condition",
    "sexual_orientation": "Your sexual orientation",
    "care_experience": "Care experienced",
    "postcode": "Your postcode",
    "lone_parent": "Bringing up your children on your own",
    "employment_status": "Working when you started",
    "time_out_of_work": "Time out of paid work when you started",
    "benefits": "Kinds of benefit when you started",
    "hours_per_week": "Hours a week",
    "working_pattern": "Full or part time",
    "contract_type": "Contract",
    "living_wage": "Paid at least the real Living Wage",
    "sector": "Kind of work",
    "progression": "How it got better",
    "progressed_on": "Got better on",
    "left_on": "Ended on",
    "leaving_reason": "Why it ended",
    "note": "Note",
}

STATUS_WORDS: dict[ParticipantStatus, str] = {
    ParticipantStatus.ACTIVE: "Taking part",
    ParticipantStatus.PAUSED: "Taking a break (your choice)",
    ParticipantStatus.MOVED_ON: "Moved on",
    ParticipantStatus.CLOSED: "Finished",
}

DESTINATION_WORDS: dict[str, str] = {
    "work": "work",
    "training_education": "training or education",
    "volunteering": "volunteering",
}


def _maybe(t: Words, label_text: str, value: object) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, date):
        value = t.date(value)
    return t("{label}: {value}", label=t(label_text), value=value)


def _whose(voice: Voice, t: Words) -> str:
    return {
        Voice.PARENT: t("In your words."),
        Voice.TOGETHER: t("We agreed this together."),
        Voice.KEYWORKER: t("Your keyworker wrote this."),
    }[voice]


def _sentences(*parts: str) -> tuple[str, ...]:
    return tuple(p for p in parts if p)


def record_sections(
    journey: Journey,
    catalogue: Catalogue,
    t: Words,
    sessions: Mapping[str, GroupSession],
    codes: Codes | None = None,
    today: date | None = None,
) -> list[Section]:
    """Every record held about the parent, kind by kind (the one place that lists them).
    Their taking part and stage are as they stand on `today` (Journey.status_by, stage_by): a
    move or a break's end dated after it is listed with its day, not said to be where they
    are now."""
    p = journey.participant
    if today is not None:
        p = replace(p, status=journey.status_by(today), stage=journey.stage_by(today))
    sections: list[Section] = []
    m = _maybe

    def add(key: str, heading: str, items: Iterable[Item]) -> None:
        listed = tuple(items)
        if listed:
            sections.append(Section(key, t(heading), items=listed, compact=False))

    def item(text: str, *details: str) -> Item:
        return Item(text, _sentences(*details))

    lab: Callable[[str, str], str] = lambda lst, key: label(catalogue, lst, key, t)  # noqa: E731
    details = [
        m(t, "Name we call you", p.preferred_name),
        m(t, "Full name", p.full_name),
        m(t, "Date of birth", p.date_of_birth),
        m(t, "Phone", p.phone),
        m(t, "Email", p.email),
        m(t, "Address", p.address),
        m(t, "Area", lab("localities", p.locality) if p.locality else ""),
        m(t, "Keyworker", p.keyworker),
        m(t, "How you came to us", p.referral_source),
        m(t, "Joined on", p.joined_on),
        m(t, "Taking part", t(STATUS_WORDS[p.status])),
        # The day they were last welcomed back after their journey ended (m021), beside the
        # day it ended: a day of their journey we hold like the others.
        m(t, "Welcomed back on", p.came_back_on),
        m(t, "Ended on", p.ended_on if p.status in JOURNEY_ENDED else None),
        # Their words as their journey ended, kept after a welcome back (as any words are).
        " ".join(
            _sentences(m(t, "About moving on", p.ending_words.strip()), _whose(p.ending_voice, t))
        )
        if p.ending_words.strip()
        else "",
        m(t, "Where you are now", lab("stages", p.stage) if p.stage else ""),
        m(t, "Working towards", t(DESTINATION_WORDS.get(p.destination.value, "not decided yet"))),
        m(t, "Language for printed papers", language_name(p.language) if p.language else ""),
        m(t, "Reference", p.ref),
        m(t, "Notes", p.notes),
    ]
    add("details", "Your details", (Item(d) for d in details if d))
    add(
        "children",
        "Your children",
        (
            item(
                t("Born in {year}", year=c.birth_year) if c.birth_year else t("A child"),
                m(t, "Childcare", c.childcare_needs),
            )
            for c in journey.children
        ),
    )
    add(
        "consents",
        "What you agreed to",
        (
            item(
                t(CONSENT_WORDS.get(c.purpose, str(c.purpose))),
                t("Yes, on {date}.", date=t.date(c.on))
                if c.given
                else t("No, on {date}.", date=t.date(c.on)),
                m(t, "How it was recorded", c.how_recorded),
                m(t, "Details", c.detail),
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
                t("A strength.")
                if s.kind is StrengthOrBarrier.STRENGTH
                else t("Something in the way."),
                m(t, "Area", lab("outcome_areas", s.area) if s.area else ""),
                _whose(s.voice, t),
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
                t(goal_status_words(g.status, p.status in JOURNEY_ENDED)),
                m(t, "By when", g.by_when),
                m(t, "Area", lab("outcome_areas", g.area) if g.area else ""),
                m(t, "Set on", g.set_on),
                _whose(g.voice, t),
            )
            for g in journey.goals
        ),
    )
    goal_words = {g.id: g.words for g in journey.goals}
    keyworker = p.keyworker.strip()
    add(
        "steps",
        "Steps towards your goals",
        (
            item(
                s.what,
                m(t, "Towards", goal_words.get(s.goal_id, "")),
                m(t, "Who", who_does(s, catalogue, keyworker, t)),
                m(t, "By", s.due),
                m(t, "Done on", s.done_on),
            )
            for s in journey.steps
        ),
    )
    decision_words = {
        Decision.CHOSEN: "You chose this.",
        Decision.NOT_FOR_ME_NOW: "Not for now.",
        Decision.MAYBE_LATER: "Maybe later.",
    }
    add(
        "choices",
        "Your choices about support",
        (
            item(
                service_words(c, catalogue, t),
                t(decision_words[c.decision]),
                m(t, "On", c.decided_on),
                m(t, "Why", c.reason),
            )
            for c in sorted(journey.choices, key=lambda c: (c.decided_on, c.created_at))
        ),
    )
    add(
        "pace",
        "Your pace",
        (
            item(
                t(PACE_WORDS[c.pace]),
                t(RHYTHM_WORDS[c.rhythm]),
                m(t, "From", c.changed_on),
                m(t, "Why", c.reason),
            )
            for c in sorted(journey.pace, key=lambda c: (c.changed_on, c.created_at))
        ),
    )
    add(
        "pauses",
        "Breaks you took",
        (
            item(
                t("From {start} to {end}", start=t.date(b.started_on), end=t.date(b.ended_on))
                if b.ended_on
                else t("From {start} (still on a break)", start=t.date(b.started_on)),
                m(t, "Why", b.reason),
                # Whose words the reason is, and who chose the day to get in touch again (its
                # own chooser), as the plan says them: what is recorded, in full.
                _whose(Voice(b.voice), t) if b.reason.strip() else "",
                m(t, "Get in touch again", b.follow_up_on),
                t(CHOSEN_BY_WORDS[chosen]) if (chosen := b.day_chosen_by) is not None else "",
            )
            for b in sorted(journey.pauses, key=lambda b: b.started_on)
        ),
    )
    add(
        "stages",
        "Where you have been on your journey",
        (
            item(lab("stages", s.stage), m(t, "From", s.on), m(t, "Note", s.note))
            for s in sorted(journey.stages, key=lambda s: (s.on, s.created_at))
        ),
    )
    add(
        "milestones",
        "What you have achieved",
        (
            item(lab("milestone_types", ms.type), m(t, "On", ms.achieved_on), m(t, "Note", ms.note))
            for ms in sorted(journey.milestones, key=lambda ms: (ms.achieved_on, ms.created_at))
        ),
    )
    add(
        "assessments",
        "How you scored yourself",
        (
            item(
                t("On {date}", date=t.date(a.taken_on)),
                *(
                    t(
                        "{area}: {score} out of 10",
                        area=lab("outcome_areas", area),
                        score=t.number(score),
                    )
                    + (
                        " "
                        + t(
                            "(your keyworker's view: {score})",
                            score=t.number(a.keyworker_scores[area]),
                        )
                        if area in a.keyworker_scores
                        else ""
                    )
                    for area, score in a.scores.items()
                ),
                m(t, "Comment", a.comment),
            )
            for a in sorted(journey.assessments, key=lambda a: (a.taken_on, a.created_at))
        ),
    )
    add(
        "contacts",
        "When we met or spoke",
        (
            item(
                t("{date}: {kind}", date=t.date(c.on), kind=lab("contact_kinds", c.kind)),
                m(t, "Where", c.venue),
                t("{minutes} minutes.", minutes=t.number(c.minutes)),
                m(t, "Note", c.note),
                m(t, "Agreed next", c.next_step),
                (
                    t("Childcare was needed and arranged.")
                    if c.childcare_arranged
                    else t("Childcare was needed.")
                )
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
                r.to + (": " + lab("services", r.service) if r.service else ""),
                m(t, "On", r.on),
                m(t, "Why", r.reason),
                t(OUTCOME_WORDS[r.outcome]),
            )
            for r in sorted(journey.referrals, key=lambda r: (r.on, r.created_at))
        ),
    )
    add(
        "groups",
        "Group sessions you came to",
        (
            item(
                t(
                    "{date}: {activity}",
                    date=t.date(sessions[a.session_id].on),
                    activity=sessions[a.session_id].activity,
                )
                if a.session_id in sessions
                else t("A group session"),
                m(t, "Where", sessions[a.session_id].venue if a.session_id in sessions else ""),
            )
            for a in journey.attendance
        ),
    )
    sections.extend(_return_sections(journey, t, codes))
    add(
        "meetings",
        "Meetings we arranged",
        (
            item(
                t("{date} at {time}", date=t.date(a.on), time=a.time) if a.time else t.date(a.on),
                m(t, "Where", a.place),
                m(t, "With", a.with_whom),
                t("{minutes} minutes.", minutes=t.number(a.minutes)),
            )
            for a in sorted(journey.appointments, key=lambda a: (a.on, a.time, a.created_at))
        ),
    )
    source_words = {
        FeedbackSource.PARENT: "From: you",
        FeedbackSource.KEYWORKER: "From: your keyworker",
        FeedbackSource.PARTNER: "From: a partner organisation",
    }
    add(
        "feedback",
        "Feedback, and what we did about it",
        (
            item(
                f.said,
                t(source_words.get(f.source, "From: a partner organisation")),
                m(t, "On", f.on),
                m(t, "What we did", f.we_did),
            )
            for f in sorted(journey.feedback, key=lambda f: (f.on, f.created_at))
        ),
    )
    return sections


def _answer(codes: Codes | None, list_name: str, key: str, t: Words) -> str:
    if not key:
        return ""
    if codes is None:
        return key.replace("_", " ").capitalize()
    return t(codes.label(list_name, key))


def _return_sections(journey: Journey, t: Words, codes: Codes | None) -> list[Section]:
    """The answers behind the funder's return: equalities (if kept), circumstances, jobs."""
    sections: list[Section] = []

    def said(name: str, value: str) -> str:
        return _maybe(t, ANSWER_WORDS[name], value)

    e = journey.equalities
    if e is not None:
        answers = [said(n, _answer(codes, n, getattr(e, n), t)) for n in EQUALITIES_LISTS]
        listed = tuple(Item(a) for a in answers if a)
        if listed:
            sections.append(
                Section(
                    "equalities",
                    t("Your equalities monitoring answers"),
                    intro=(
                        t(
                            "You chose to answer these. We use them only to count, without "
                            "your name, who the programme reaches. You can take this back at "
                            "any time and we will delete them."
                        ),
                    ),
                    items=listed,
                    compact=False,
                )
            )
    c = journey.circumstances
    if c is not None:
        answers = [said("postcode", c.postcode)]
        for n in CIRCUMSTANCES_LISTS:
            if n == "benefits":
                kinds = ", ".join(_answer(codes, n, b, t) for b in c.benefits)
                answers.append(said(n, kinds))
            else:
                answers.append(said(n, _answer(codes, n, getattr(c, n), t)))
        listed = tuple(Item(a) for a in answers if a)
        if listed:
            sections.append(
                Section(
                    "circumstances",
                    t("Your circumstances when you started"),
                    items=listed,
                    compact=False,
                )
            )
    jobs = []
    for j in journey.jobs:
        details = (
            t("Started on {date}.", date=t.date(j.started_on)),
            said("hours_per_week", t.number(j.hours_per_week) if j.hours_per_week else ""),
            *(
                said(n, _answer(codes, n, getattr(j, n), t))
                for n in ("working_pattern", "contract_type", "living_wage", "sector")
            ),
            said("progression", _answer(codes, "progression", j.progression, t)),
            said("progressed_on", t.date(j.progressed_on) if j.progressed_on else ""),
            said("left_on", t.date(j.left_on) if j.left_on else ""),
            said("leaving_reason", _answer(codes, "leaving_reason", j.leaving_reason, t)),
            said("note", j.note),
        )
        jobs.append(Item(j.job_title.strip() or t("A job"), _sentences(*details)))
    if jobs:
        sections.append(Section("jobs", t("Jobs you started"), items=tuple(jobs), compact=False))
    return sections
