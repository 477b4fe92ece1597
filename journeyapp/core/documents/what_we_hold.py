"""'What we hold about you': a reply to a subject access request (UK GDPR Article 15).

Who holds the information and why, who it is shared with, how long it is kept, where it came
from and the parent's rights; then the records themselves and a summary of the change history.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timezone

from journeyapp.core.catalogue import Catalogue
from journeyapp.core.documents.common import label, service_words, who_does
from journeyapp.core.documents.model import ActionPlan, Item, Section, Sender, Table
from journeyapp.core.documents.plan import (
    GOAL_STATUS_WORDS,
    OUTCOME_WORDS,
    PACE_WORDS,
    RHYTHM_WORDS,
)
from journeyapp.core.documents.wording import Words
from journeyapp.core.enums import (
    ConsentPurpose,
    Decision,
    FeedbackSource,
    ParticipantStatus,
    StrengthOrBarrier,
    Voice,
)
from journeyapp.core.records import Event, GroupSession, Journey

CONSENT_WORDS: dict[ConsentPurpose, str] = {
    ConsentPurpose.HOLDING_DATA: "Keeping your information",
    ConsentPurpose.SHARING_WITH_PARTNERS: "Sharing it with named partners",
    ConsentPurpose.REFERRALS: "Putting you in touch with other services",
    ConsentPurpose.EVALUATION_QUOTES: "Using your words (without your name) to show what works",
    ConsentPurpose.GROUP_REGISTERS: "Putting your name on group registers",
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

KIND_WORDS: dict[str, str] = {
    "participants": "your details",
    "children": "a child's details",
    "consents": "what you agreed to",
    "strengths": "a strength or something in the way",
    "goals": "a goal",
    "steps": "a step",
    "choices": "a choice about support",
    "pace": "your pace",
    "pauses": "a break",
    "stages": "where you are on your journey",
    "milestones": "something you achieved",
    "assessments": "a self-assessment",
    "contacts": "a meeting or call",
    "referrals": "putting you in touch with someone",
    "attendance": "a group session",
    "feedback": "feedback",
}

ACTION_WORDS: dict[str, str] = {
    "create": "Added",
    "update": "Changed",
    "delete": "Removed",
    "erase": "Erased",
}

ICO = (
    "Information Commissioner's Office (ICO): phone 0303 123 1113, "
    "or online at ico.org.uk/make-a-complaint"
)

try:  # local UK time for the change history; tz data may be missing on some systems
    from zoneinfo import ZoneInfo

    UK: timezone | ZoneInfo = ZoneInfo("Europe/London")
except Exception:  # pragma: no cover - depends on the system's time zone data
    UK = UTC


def _when(at: str, t: Words) -> str:
    """An event's time in UK local time, short: "2 December 2026, 14:05"."""
    try:
        moment = datetime.fromisoformat(at.replace("Z", "+00:00")).astimezone(UK)
    except ValueError:
        return at
    return f"{t.date(moment.date())}, {moment:%H:%M}"


def build_subject_access(
    journey: Journey,
    catalogue: Catalogue,
    today: date,
    events: Sequence[Event],
    sessions: Mapping[str, GroupSession] | None = None,
    *,
    words: Words | None = None,
    sender: Sender | None = None,
    retention_years: int | None = None,
    device_id: str = "",
) -> ActionPlan:
    """Everything held about the parent on this laptop, as a subject-access reply."""
    t = words or Words()
    sender = sender or Sender()
    p = journey.participant
    name = p.preferred_name.strip() or p.full_name.strip() or t("you")
    organisation = sender.organisation.strip() or t("your keyworker's organisation")
    sections = [
        Section(
            "intro",
            t("About this copy"),
            intro=(
                t(
                    "This is the information {organisation} holds about you on this laptop, on {date}.",
                    organisation=organisation,
                    date=t.date(today),
                ),
                t(
                    "You have a right to a copy under UK data protection law (UK GDPR, Article 15). "
                    "It is yours to keep."
                ),
                t(
                    "It comes from one keyworker's laptop. If you think other staff hold "
                    "information about you, ask us and we will include it."
                ),
            ),
        ),
        *_about_the_holding(journey, catalogue, t, sender, organisation, retention_years),
        *record_sections(journey, catalogue, t, sessions or {}),
        *_history(events, t, sender, device_id),
    ]
    printed = t.date(today)
    return ActionPlan(
        title=t("What we hold about you"),
        name=name,
        printed_on=today,
        subtitle=t("For {name}. Printed on {date}.", name=name, date=printed),
        sections=tuple(sections),
        footer=t("What we hold about you · {name} · printed {date}", name=name, date=printed),
        document="subject_access",
        language=t.language,
        rtl=t.rtl,
        page_words=t("Page {page} of {pages}"),
        sender=sender,
    )


def _about_the_holding(
    journey: Journey,
    catalogue: Catalogue,
    t: Words,
    sender: Sender,
    organisation: str,
    retention_years: int | None,
) -> list[Section]:
    """Who holds it, why, who it is shared with, how long, where it came from, your rights."""
    p = journey.participant
    who = [t("{organisation} holds your information.", organisation=organisation)]
    if sender.programme.strip():
        who.append(t("Programme: {name}", name=sender.programme.strip()))
    keyworker = sender.keyworker.strip() or p.keyworker.strip()
    if keyworker:
        who.append(t("Your keyworker: {name}", name=keyworker))
    if sender.phone.strip():
        who.append(t("Phone: {phone}", phone=sender.phone.strip()))
    if sender.email.strip():
        who.append(t("Email: {email}", email=sender.email.strip()))

    latest: dict[ConsentPurpose, tuple[date, str, bool]] = {}
    for c in journey.consents:
        key = (c.on, c.created_at, c.given)
        if c.purpose not in latest or key[:2] >= latest[c.purpose][:2]:
            latest[c.purpose] = key
    agreed = [purpose for purpose, (_, _, given) in latest.items() if given]
    why = [t("We hold it to support you on your journey, in the ways you agreed to:")]
    why_items = tuple(
        Item(
            t(CONSENT_WORDS.get(purpose, str(purpose))),
            (t("You agreed on {date}.", date=t.date(latest[purpose][0])),),
        )
        for purpose in ConsentPurpose
        if purpose in agreed
    )
    if not why_items:
        why = [t("We have no record of what you agreed to. Ask your keyworker about this.")]

    shared: list[Item] = []
    for c in journey.consents:
        if c.purpose is ConsentPurpose.SHARING_WITH_PARTNERS and c.given and c.detail.strip():
            shared.append(Item(t("Named partners you agreed to: {names}", names=c.detail.strip())))
    for r in sorted(journey.referrals, key=lambda r: (r.on, r.created_at)):
        what = r.to.strip()
        if r.service:
            what = t(
                "{who}: {service}", who=what, service=label(catalogue, "services", r.service, t)
            )
        shared.append(Item(what, (t("We put you in touch on {date}.", date=t.date(r.on)),)))
    shared_intro = (
        (t("Our records show we shared information about you with:"),)
        if shared
        else (t("Our records show no sharing of your information with anyone else."),)
    )

    years = retention_years or 3
    keep = (
        t(
            "We keep your information while you take part. When you finish, we keep it for "
            "{years} more years, then review it and delete what is no longer needed.",
            years=t.number(years),
        ),
    )
    source = [t("Most of it comes from you, in our meetings and calls.")]
    if p.referral_source.strip():
        source.append(t("How you came to us: {source}", source=p.referral_source.strip()))
    source.append(t("Where your keyworker wrote something, this copy says so beside it."))

    rights = (
        t("You can ask us to correct anything that is wrong."),
        t("You can ask us to delete your information."),
        t("You can ask us to stop using it, or object to how we use it."),
        t("You can take back anything you agreed to, at any time."),
        t("You can ask for a copy like this one at any time. It is free."),
    )
    rights_outro = (
        t(
            "To use any of these rights, speak to your keyworker or contact {organisation}.",
            organisation=organisation,
        ),
        t(
            "If you are unhappy with how we use your information, you can complain to the {ico}.",
            ico=t(ICO),
        ),
    )
    return [
        Section("who", t("Who holds your information"), intro=tuple(who)),
        Section("why", t("Why we hold it"), intro=tuple(why), items=why_items),
        Section("shared", t("Who we share it with"), intro=shared_intro, items=tuple(shared)),
        Section("keep", t("How long we keep it"), intro=keep),
        Section("source", t("Where it came from"), intro=tuple(source)),
        Section(
            "rights",
            t("Your rights"),
            items=tuple(Item(r) for r in rights),
            outro=rights_outro,
        ),
    ]


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
    journey: Journey, catalogue: Catalogue, t: Words, sessions: Mapping[str, GroupSession]
) -> list[Section]:
    """Every record held about the parent, kind by kind (the one place that lists them)."""
    p = journey.participant
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
        m(t, "Where you are now", lab("stages", p.stage) if p.stage else ""),
        m(t, "Working towards", t(DESTINATION_WORDS.get(p.destination.value, "not decided yet"))),
        m(t, "Language for printed papers", _language_name(getattr(p, "language", ""))),
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
                t(GOAL_STATUS_WORDS[g.status]),
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


def _language_name(code: str) -> str:
    from journeyapp.core.documents.wording import language_name

    return language_name(code) if code else ""


def _history(events: Sequence[Event], t: Words, sender: Sender, device_id: str) -> list[Section]:
    """The change history: counts per kind of record, then one short table row per change."""
    if not events:
        return []
    ordered = sorted(events, key=lambda e: e.at)
    counts: Counter[tuple[str, str]] = Counter((e.kind, e.action) for e in ordered)
    kinds: dict[str, Counter[str]] = {}
    for (kind, action), n in counts.items():
        kinds.setdefault(kind, Counter())[action] = n
    summary = []
    for kind, actions in kinds.items():
        parts = ", ".join(
            t("{action} {count}", action=t(ACTION_WORDS.get(a, a)).lower(), count=t.number(n))
            for a, n in actions.items()
        )
        summary.append(
            Item(
                t(
                    "{what}: {parts}",
                    what=t(KIND_WORDS.get(kind, kind.replace("_", " "))).capitalize(),
                    parts=parts,
                )
            )
        )
    first = _when(ordered[0].at, t).split(",")[0]
    last = _when(ordered[-1].at, t).split(",")[0]
    rows = []
    for e in ordered:
        rows.append(
            (
                _when(e.at, t),
                t(
                    "{action} {what}",
                    action=t(ACTION_WORDS.get(e.action, e.action)),
                    what=t(KIND_WORDS.get(e.kind, e.kind.replace("_", " "))),
                )
                + _fields(e),
                _actor(e.actor, t),
                _device(e.device_id, t, sender, device_id),
            )
        )
    return [
        Section(
            "history",
            t("Every change we recorded"),
            intro=(
                t(
                    "JourneyApp keeps a log of every change, so we can show what changed and when. "
                    "{count} changes, from {first} to {last}. Times are UK time.",
                    count=t.number(len(ordered)),
                    first=first,
                    last=last,
                ),
            ),
            items=tuple(summary),
            table=Table(
                (t("When"), t("What"), t("Recorded by"), t("Laptop")),
                tuple(rows),
                (0.3, 0.3, 0.22, 0.18),
            ),
        )
    ]


def _fields(event: Event) -> str:
    """Which fields an update changed, by name: " (status, by when)"."""
    if event.action != "update" or not event.fields:
        return ""
    return " (" + ", ".join(sorted(str(k).replace("_", " ") for k in event.fields)) + ")"


def _actor(actor: str, t: Words) -> str:
    # Changes made before the keyworker's name was set in File > Settings carry a generic word.
    return t("your keyworker") if actor.strip() in ("", "keyworker") else actor


def _device(device: str, t: Words, sender: Sender, here: str) -> str:
    if device == here:
        return sender.device_name.strip() or t("this laptop")
    return t("another laptop ({id})", id=device[:8])
