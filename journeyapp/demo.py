"""Demo caseloads: realistic, varied and clearly fictional journeys for trying the app out."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable
from datetime import date, timedelta

from journeyapp.caseload import Caseload
from journeyapp.core import derived
from journeyapp.core.areas import Area
from journeyapp.core.catalogue import Catalogue
from journeyapp.core.codes import CIRCUMSTANCES_LISTS, EQUALITIES_LISTS, PREFER_NOT_TO_SAY, Codes
from journeyapp.core.enums import (
    ConsentPurpose,
    Decision,
    Destination,
    FeedbackSource,
    GoalStatus,
    Pace,
    ParticipantStatus,
    ReferralOutcome,
    Rhythm,
    StrengthOrBarrier,
    Voice,
)
from journeyapp.core.merge import keyed_id
from journeyapp.core.records import (
    Appointment,
    Assessment,
    Child,
    Choice,
    Circumstances,
    Consent,
    Contact,
    Equalities,
    Feedback,
    Goal,
    Job,
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

FIRST_NAMES = (
    "Siobhán",
    "Zoë",
    "Aoife",
    "Mairéad",
    "Eilidh",
    "Chloé",
    "Renée",
    "Łucja",
    "Ana-María",
    "Jolene",
    "Kirsty",
    "Shona",
    "Morven",
    "Fiona",
    "Ishbel",
    "Niamh",
    "Grace",
    "Amira",
    "Fatima",
    "Joanne",
    "Leanne",
    "Demi",
    "Tegan",
    "Ruth",
    "Hannah",
    "Marta",
    "Agnieszka",
    "Björk",
    "Sinéad",
    "Caitlín",
    "Darren",
    "Liam",
    "Tomás",
    "Jamie",
    "Craig",
    "Keir",
    "Precious",
    "Blessing",
    "Noor",
    "Yasmin",
    "Kerry-Ann",
    "Bethany",
    "Stacey",
    "Louise",
)
SURNAMES = (
    "Brightwater",
    "Fernhollow",
    "Quillan",
    "Marrowby",
    "Thistlewood",
    "Ó Fictíosa",
    "MacExample",
    "Sampleton",
    "Testmuir",
    "Heatherbrae",
    "Lochfiction",
    "Demoford",
    "Inventa",
    "Pretendleigh",
    "Storybrook",
    "Makebelieve",
    "Nowhere-Smith",
    "Imaginor",
)
KEYWORKERS = {
    "edinburgh": ("Aileen (demo)", "Mohammed (demo)"),
    "fife": ("Brenda (demo)", "Callum (demo)"),
    "glasgow": ("Denise (demo)", "Euan (demo)", "Farah (demo)"),
    "north_lanarkshire": ("Gillian (demo)", "Hamish (demo)"),
    "south_lanarkshire": ("Isla (demo)", "Jordan (demo)"),
}
VENUES = ("Community centre", "Family hub", "Library", "Café", "Parent's home", "Phone")
# Where a kind of contact happens, when it can happen in one place only (a home visit at the
# parent's home, a phone call on the phone); a kind met anywhere takes the venue drawn, but not
# those two.
_ONLY_VENUE = {"home_visit": "Parent's home", "phone_text": "Phone"}
_BOUND_VENUES = frozenset(_ONLY_VENUE.values())

REFERRAL_SOURCES = (
    "Health visitor",
    "School",
    "Self-referral",
    "Jobcentre",
    "Housing officer",
    "Friend on the programme",
    "Nursery",
)
GOAL_WORDS = {
    "confidence": (
        "I want to feel less nervous meeting new people",
        "Speak up at the school parents' evening",
        "Go out on my own more",
    ),
    "wellbeing": (
        "Sleep better and feel less tired",
        "Get out for a walk most days",
        "Feel on top of things again",
    ),
    "friends_support": (
        "Make some pals who get what it's like",
        "Join the Tuesday group",
        "Have someone I can call when it's hard",
    ),
    "childcare_family": (
        "Find childcare I trust for the wee one",
        "Sort out the school run so I can do a course",
    ),
    "money": (
        "Get on top of the council tax arrears",
        "Know what I'm entitled to",
        "Budget so we don't run out before payday",
    ),
    "skills_learning": (
        "Do a computer course",
        "Get my food hygiene certificate",
        "Go back to college part-time",
    ),
    "ready_for_work": (
        "Get a job in a nursery",
        "Work part-time around school hours",
        "Write a CV I'm proud of",
        "Get back into care work",
    ),
}
STRENGTHS = (
    "Brilliant with kids",
    "Good at organising",
    "Really determined",
    "Kind and patient",
    "Great cook",
    "Good with numbers",
    "Knows everyone in the street",
    "Funny",
)
BARRIERS = (
    "Childcare for the youngest",
    "Bus fares",
    "Nervous in groups",
    "Debt worries",
    "No recent work experience",
    "Health ups and downs",
)
REASONS_NOT_NOW = (
    "Not ready for that yet",
    "Too much on with the kids just now",
    "Maybe after the summer",
    "Don't fancy groups at the moment",
)
PAUSE_REASONS = (
    "Family illness",
    "Moving house",
    "Needed a break",
    "New baby",
    "Focusing on the children for a bit",
)
REFERRAL_TO = (
    ("Citizens Advice", "money_advice"),
    ("Local college", "vocational_training"),
    ("Family information service", "childcare_help"),
    ("Community health and wellbeing team", "wellbeing_support"),
    ("Volunteer centre", "volunteering"),
)
STEP_WORDS = (
    "Phone the college",
    "Visit the group",
    "Look at bus times",
    "Ask about help with costs",
    "Try it for two weeks",
)
GROUP_ACTIVITIES = (
    "Confidence group",
    "Cook and chat",
    "Walking group",
    "CV workshop",
    "Coffee morning",
)

# Milestones along the journey, by the stage index they belong to.
_PATH = (
    (0, "first_meeting"),
    (1, "agreed_plan"),
    (1, "joined_group"),
    (2, "childcare_sorted"),
    (3, "started_course"),
    (3, "finished_course"),
    (3, "gained_qualification"),
    (3, "started_volunteering"),
    (4, "started_work_experience"),
    (4, "applied_for_job"),
    (4, "had_interview"),
    (5, "started_work"),
    (5, "in_work_13_weeks"),
    (6, "in_work_26_weeks"),
)


@dataclasses.dataclass(frozen=True)
class _Route:
    """How a demo journey runs through the partnership's catalogue: its milestone types by the
    stage (index) they belong to, the type that means starting work, and the stage of work.
    The default catalogue's is _PATH; a partnership's own spreads its own types along its own
    stages, so a demo made with it has milestones and job entries too."""

    path: tuple[tuple[int, str], ...]
    job_type: str | None
    work: int  # the index of the stage a journey reaching work is at (default: In work, 5)
    last: int  # the index of the last stage
    keys: frozenset[str]

    @classmethod
    def of(cls, catalogue: Catalogue) -> _Route:
        keys = frozenset(catalogue.keys("milestone_types"))
        job_type = next(iter(catalogue.job_entry_types), None)
        last = len(catalogue.stages) - 1
        work = next((i for i, e in enumerate(catalogue.stages) if e.pipeline == 4), last)
        if all(key in keys for _, key in _PATH):
            return cls(_PATH, job_type, work, last, keys)
        # Starting work is the first job-entry type, at the stage of work; other job-entry
        # types (self-employment beside a job) are left out rather than reached on the way.
        before = [
            k for k in catalogue.keys("milestone_types") if k not in catalogue.job_entry_types
        ]
        room = max(0, work - 1)
        path = [(round(n * room / max(1, len(before) - 1)), key) for n, key in enumerate(before)]
        if job_type is not None:
            path.append((work, job_type))
        return cls(tuple(sorted(path, key=lambda p: p[0])), job_type, work, last, keys)

    def stage(self, far: int) -> int:
        """The stage index a journey that got `far` along the default's seven (0-6) is at."""
        if far >= 5:
            return min(self.last, self.work + far - 5)
        return min(self.last, int(far * max(0, self.work - 1) / 4 + 0.5))


def _final_stage(rng: random.Random) -> int:
    """How far this journey has got: about 30% reach work, as in the programme."""
    roll = rng.random()
    if roll < 0.30:
        return rng.choice((5, 5, 5, 6))
    return rng.choice((0, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4))


def build_demo(
    caseload: Caseload,
    participants: int = 60,
    seed: int = 1,
    today: date | None = None,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Fill `caseload` with `participants` fictional journeys, in one transaction."""
    rng = random.Random(seed)
    day = today or caseload.today()
    catalogue = caseload.catalogue
    stages = catalogue.keys("stages")
    areas = catalogue.keys("outcome_areas")
    services = catalogue.keys("services")
    localities = list(catalogue.keys("localities"))
    route = _Route.of(catalogue)
    kinds = catalogue.keys("contact_kinds")
    # The return's answers draw on their own generator, so the journeys stay as they were.
    answers = random.Random(seed + 19)
    # Meetings and follow-ups this week come from a second generator, so the journeys the
    # seed has always made stay the same.
    week_rng = random.Random(seed * 7919 + 14)
    with caseload.batch("demo data"):
        caseload.mark_demo()
        enrolled: list[str] = []
        registers: list[str] = []  # who agreed to be on group registers
        pending: list[Record] = []
        first_names: list[str] = []
        for n in range(participants):
            if not first_names:  # each first name once before any repeats, in a fresh order
                first_names = rng.sample(FIRST_NAMES, k=len(FIRST_NAMES))
            pid, records = _one_journey(
                rng,
                answers,
                caseload.codes,
                day,
                stages,
                areas,
                services,
                localities,
                route,
                kinds,
                first_names.pop(),
            )
            enrolled.append(pid)
            records = _this_week(week_rng, day, records)
            if any(_on_registers(r) for r in records):
                registers.append(pid)
            pending.extend(records)
            # Write in chunks: one statement per record kind per chunk keeps SQLite busy.
            if len(pending) >= 20_000 or n == participants - 1:
                caseload.add_records(pending, "demo data")
                pending = []
            if progress is not None:
                progress(n + 1)
        _groups(caseload, rng, day, enrolled, registers)
        caseload.areas.replace(demo_areas(), scheme=6, sha256="demo")
        for offset, activity, venue in (
            (1, "Coffee morning", "Family hub"),
            (3, "Toddler music", "Library"),
        ):
            caseload.create_group_session(activity, on=day + timedelta(days=offset), venue=venue)


MEETING_TIMES = ("09:30", "10:00", "11:00", "13:30", "14:00", "15:00", "")
# Who chose a demo break's day to get in touch again: mostly the parent, some agreed together,
# a few suggested by the keyworker.
_DAY_CHOSEN_BY = (Voice.PARENT, Voice.TOGETHER, Voice.PARENT, Voice.KEYWORKER, Voice.TOGETHER)


def _this_week(rng: random.Random, today: date, records: list[Record]) -> list[Record]:
    """A demo journey with what makes This week worth a look: for about a quarter of active
    parents a meeting in the next fortnight (a few today), and for most of those taking a break
    a day to get in touch again: the parent's choice, agreed together or the keyworker's
    suggestion (the break and its reason stay the parent's)."""
    parent = records[0]
    assert isinstance(parent, Participant)
    out = []
    for record in records:
        if isinstance(record, Pause) and record.ended_on is None and rng.random() < 0.7:
            days = rng.randint(-3, 12)
            # Who chose the day follows from the day drawn: no further draw, so every other
            # part of a demo made from a seed stays as it was.
            record = dataclasses.replace(
                record,
                follow_up_on=today + timedelta(days=days),
                follow_up_chosen_by=_DAY_CHOSEN_BY[days % len(_DAY_CHOSEN_BY)],
            )
        out.append(record)
    if parent.status is ParticipantStatus.ACTIVE and rng.random() < 0.25:
        place = rng.choice(VENUES)
        on = today + timedelta(days=rng.choice((0, 0, 1, 2, 3, 4, 6, 8, 10, 13)))
        if on != today and on.weekday() >= 5:  # keyworkers meet on weekdays
            on += timedelta(days=7 - on.weekday())
        out.append(
            Appointment(
                participant_id=parent.id,
                on=on,
                time=rng.choice(MEETING_TIMES),
                minutes=rng.choice((30, 45, 60, 60, 90)),
                place="" if place == "Phone" else place,
                with_whom=parent.keyworker,
            )
        )
    return out


def _one_journey(
    rng: random.Random,
    answers: random.Random,
    codes: Codes,
    today: date,
    stages: tuple[str, ...],
    areas: tuple[str, ...],
    services: tuple[str, ...],
    localities: list[str],
    route: _Route,
    kinds: tuple[str, ...],
    first: str,
) -> tuple[str, list[Record]]:
    """One fictional journey, as prepared records (each gets its journey-log event when added)."""
    surname = rng.choice(SURNAMES)
    locality = rng.choice(localities)
    # A partnership's own locality borrows a default one's keyworkers, by its place in the list
    # (one keyworker for everyone made a report withhold nearly every count).
    team = (
        KEYWORKERS.get(locality)
        or list(KEYWORKERS.values())[localities.index(locality) % len(KEYWORKERS)]
    )
    keyworker = rng.choice(team)
    far = _final_stage(rng)  # how far along the default's seven stages (0-6)
    final = route.stage(far)
    span = rng.randint(30 + far * 40, 60 + far * 90)
    joined = today - timedelta(days=span)
    dob = date(today.year - rng.randint(19, 48), rng.randint(1, 12), rng.randint(1, 28))
    destination = rng.choice(
        (
            Destination.WORK,
            Destination.WORK,
            Destination.TRAINING_EDUCATION,
            Destination.VOLUNTEERING,
            Destination.NOT_DECIDED,
        )
    )
    pid = new_id()
    out: list[Record] = []
    add = out.append

    def day_in(offset: int) -> date:
        return min(today, joined + timedelta(days=offset))

    # Stages along the way (journeys are not linear, but demo ones mostly move forward).
    steps_on = sorted(rng.sample(range(1, max(span, final + 2)), k=final)) if final else []
    stage_day = {0: joined, **{i: day_in(o) for i, o in enumerate(steps_on, 1)}}
    for index, on in stage_day.items():
        add(StageChange(participant_id=pid, stage=stages[index], on=on))
    status = ParticipantStatus.ACTIVE
    pause: Pause | None = None
    if rng.random() < 0.12 and far < 5:
        status = ParticipantStatus.PAUSED
        pause = Pause(
            participant_id=pid,
            started_on=today - timedelta(days=rng.randint(1, 30)),
            reason=rng.choice(PAUSE_REASONS),
        )
    elif far == 6 and rng.random() < 0.5:
        status = ParticipantStatus.MOVED_ON
    out.insert(
        0,
        Participant(
            id=pid,
            preferred_name=first,
            locality=locality,
            joined_on=joined,
            full_name=f"{first} {surname}",
            date_of_birth=dob,
            phone=f"07700 900{rng.randint(0, 999):03d}",
            keyworker=keyworker,
            referral_source=rng.choice(REFERRAL_SOURCES),
            destination=destination,
            stage=stages[final],
            status=status,
        ),
    )
    if pause is not None:
        add(pause)
    for purpose in ConsentPurpose:
        if purpose is ConsentPurpose.EQUALITIES_MONITORING:
            given = answers.random() < 0.7
        else:
            given = purpose is ConsentPurpose.HOLDING_DATA or rng.random() < 0.8
        if purpose is ConsentPurpose.EQUALITIES_MONITORING and given:
            add(_equalities(answers, codes, pid, joined))
        add(
            Consent(
                participant_id=pid,
                purpose=purpose,
                given=given,
                on=joined,
                how_recorded="Signed form",
            )
        )
    for _ in range(rng.randint(1, 3)):
        add(
            Child(
                participant_id=pid,
                birth_year=today.year - rng.randint(0, 15),
                childcare_needs=rng.choice(
                    ("", "After-school club", "Nursery place", "Holiday cover")
                ),
            )
        )
    for words in rng.sample(STRENGTHS, k=2):
        add(
            StrengthBarrier(
                participant_id=pid,
                kind=StrengthOrBarrier.STRENGTH,
                words=words,
                area=rng.choice(areas),
            )
        )
    add(
        StrengthBarrier(
            participant_id=pid,
            kind=StrengthOrBarrier.BARRIER,
            words=rng.choice(BARRIERS),
            area=rng.choice(areas),
        )
    )
    rhythm = rng.choice((Rhythm.WEEKLY, Rhythm.FORTNIGHTLY, Rhythm.FORTNIGHTLY, Rhythm.MONTHLY))
    add(
        PaceChange(
            participant_id=pid,
            pace=rng.choice((Pace.GENTLY, Pace.GENTLY, Pace.STEADY)),
            rhythm=rhythm,
            changed_on=joined,
            reason="To start with",
        )
    )
    if rng.random() < 0.15:
        add(
            PaceChange(
                participant_id=pid,
                pace=Pace.READY_TO_PUSH_ON,
                rhythm=Rhythm.WEEKLY,
                changed_on=day_in(span // 2),
                reason="Feeling ready for more",
            )
        )
    # Goals in the parent's words, each with a couple of steps.
    for area in rng.sample(areas, k=min(len(areas), rng.randint(1, 4))):
        goal_status = rng.choice(
            (
                GoalStatus.NOT_STARTED,
                GoalStatus.WORKING_ON_IT,
                GoalStatus.WORKING_ON_IT,
                GoalStatus.ACHIEVED,
            )
        )
        goal = Goal(
            participant_id=pid,
            words=rng.choice(GOAL_WORDS.get(area, ("Something for me",))),
            area=area,
            status=goal_status,
            voice=rng.choice((Voice.PARENT, Voice.PARENT, Voice.TOGETHER)),
            by_when=rng.choice(
                ("", "by the summer", "after Christmas", "when the wee one starts school")
            ),
            set_on=joined,
        )
        add(goal)
        for k in range(rng.randint(1, 3)):
            done = goal_status is GoalStatus.ACHIEVED or (k == 0 and rng.random() < 0.5)
            add(
                Step(
                    participant_id=pid,
                    goal_id=goal.id,
                    what=rng.choice(STEP_WORDS),
                    who=rng.choice(("me", "me", "keyworker", "Local college")),
                    due=today + timedelta(days=rng.randint(-20, 40)),
                    done_on=day_in(rng.randint(5, span)) if done else None,
                )
            )
    # Choices: most chosen, some "not for me now" (a valid choice).
    for service in rng.sample(services, k=min(len(services), rng.randint(2, 5))):
        decision = rng.choice(
            (Decision.CHOSEN, Decision.CHOSEN, Decision.NOT_FOR_ME_NOW, Decision.MAYBE_LATER)
        )
        add(
            Choice(
                participant_id=pid,
                service=service,
                decision=decision,
                decided_on=day_in(rng.randint(0, 14)),
                reason="" if decision is Decision.CHOSEN else rng.choice(REASONS_NOT_NOW),
            )
        )
    # Milestones: about 30% reach "started work", as in the programme.
    for stage_index, key in route.path:
        if key not in route.keys or stage_index > final:
            continue
        if (
            stage_index > 0
            and rng.random() < 0.35
            and key not in (route.job_type, route.path[0][1])
        ):
            continue
        when = min(today, stage_day.get(stage_index, joined) + timedelta(days=rng.randint(0, 20)))
        if key == "in_work_13_weeks":
            when = stage_day.get(5, joined) + timedelta(weeks=13)
        if key == "in_work_26_weeks":
            when = stage_day.get(5, joined) + timedelta(weeks=26)
        if when > today:
            continue
        add(
            Milestone(
                participant_id=pid,
                type=key,
                achieved_on=when,
                note=rng.choice(("", "So proud of this", "Big step!")),
            )
        )
    if final >= 4 and rng.random() < 0.3 and "started_college_or_training" in route.keys:
        add(
            Milestone(
                participant_id=pid,
                type="started_college_or_training",
                achieved_on=day_in(span // 2),
            )
        )
    add(_circumstances(answers, codes, pid, locality, joined))
    for record in list(out):
        if isinstance(record, Milestone) and record.type == route.job_type:
            add(_job(answers, codes, pid, record, today))
    # Self-assessments: the parent's own scores, usually rising.
    base = {a: rng.randint(2, 6) for a in areas}
    n_assess = 1 + min(3, span // 90)
    for k in range(n_assess):
        scores = {
            a: max(1, min(10, base[a] + k * rng.randint(0, 2) - rng.randint(0, 1))) for a in areas
        }
        view = (
            {a: max(1, min(10, s + rng.randint(-1, 1))) for a, s in scores.items()}
            if rng.random() < 0.5
            else {}
        )
        add(
            Assessment(
                participant_id=pid,
                taken_on=day_in((span * k) // n_assess),
                scores=scores,
                keyworker_scores=view,
                comment=rng.choice(
                    ("", "Feeling more like myself", "Still a way to go but better")
                ),
            )
        )
    # Contacts at roughly the chosen rhythm.
    gap = derived.RHYTHM_DAYS[rhythm] or derived.DEFAULT_RHYTHM_DAYS
    on = joined
    last_day = pause.started_on if pause is not None else today
    while on <= last_day:
        kind = rng.choice(kinds)
        add(
            Contact(
                participant_id=pid,
                on=on,
                kind=kind,
                venue=_venue_for(kind, rng.choice(VENUES)),
                minutes=rng.choice((15, 30, 30, 45, 60)),
                note=rng.choice(
                    (
                        "Caught up on the week",
                        "Talked about the course",
                        "Went through the budget together",
                        "",
                    )
                ),
                next_step=rng.choice(("", "Phone the college", "Bring the forms")),
                childcare_needed=rng.random() < 0.2,
            )
        )
        on += timedelta(days=gap + rng.randint(-2, 10))
    for _ in range(rng.randint(0, 2)):
        to, service = rng.choice(REFERRAL_TO)
        add(
            Referral(
                participant_id=pid,
                to=to,
                service=service,
                reason="Parent asked for help with this",
                on=day_in(rng.randint(0, span)),
                outcome=rng.choice(list(ReferralOutcome)),
            )
        )
    if rng.random() < 0.2:
        add(
            Feedback(
                participant_id=pid,
                said="The group helped me feel less on my own",
                we_did="Added a second group on Thursdays",
                on=day_in(20),
            )
        )
    return pid, out


def _on_registers(record: Record) -> bool:
    """True for the consent to be on group registers, given."""
    return (
        isinstance(record, Consent)
        and record.purpose is ConsentPurpose.GROUP_REGISTERS
        and record.given
    )


def _venue_for(kind: str, drawn: str) -> str:
    """A venue that fits the kind of contact, from the venue drawn (the random draws stay the
    same, so the rest of a demo made from a seed does too): a home visit at the parent's home, a
    phone call on the phone, and no other kind at either."""
    if kind in _ONLY_VENUE:
        return _ONLY_VENUE[kind]
    if drawn in _BOUND_VENUES:  # Parent's home -> Community centre, Phone -> Family hub
        return VENUES[VENUES.index(drawn) - 4]
    return drawn


def _groups(
    caseload: Caseload, rng: random.Random, today: date, enrolled: list[str], registers: list[str]
) -> None:
    for n in range(min(6, 1 + len(enrolled) // 10)):
        session = caseload.create_group_session(
            GROUP_ACTIVITIES[n % len(GROUP_ACTIVITIES)],
            on=today - timedelta(days=7 * (n + 1)),
            venue=rng.choice(VENUES[:3]),
        )
        if registers:
            caseload.record_attendance(
                session.id, rng.sample(registers, k=min(len(registers), rng.randint(2, 8)))
            )
    caseload.add_feedback(
        "Could the group be at a time that fits the school run?",
        source=FeedbackSource.PARENT,
        we_did="Moved it to 10am",
        on=today,
    )


# Fictional postcodes for each demo locality: the ZZ area does not exist, so no demo parent
# can be placed at a real address. The demo caseload's postcode lookup (DEMO_AREAS) gives them
# made-up SIMD quintiles and urban/rural classes; a real lookup comes from the partnership
# (journeyapp lookup) and is never shipped.
DEMO_POSTCODES: dict[str, tuple[str, ...]] = {
    "edinburgh": ("ZZ1 1AA", "ZZ1 2AB", "ZZ1 3AD"),
    "fife": ("ZZ2 1BA", "ZZ2 2BB", "ZZ2 3BD"),
    "glasgow": ("ZZ3 1CA", "ZZ3 2CB", "ZZ3 3CD"),
    "north_lanarkshire": ("ZZ4 1DA", "ZZ4 2DB"),
    "south_lanarkshire": ("ZZ5 1EA", "ZZ5 2EB"),
}
# (quintile, 6-fold urban/rural class) per demo postcode; ZZ5 2EB is left out on purpose, so
# the return's check has a postcode the lookup does not hold to show.
DEMO_AREAS: dict[str, tuple[int, int]] = {
    "ZZ1 1AA": (1, 1),
    "ZZ1 2AB": (3, 1),
    "ZZ1 3AD": (5, 1),
    "ZZ2 1BA": (2, 2),
    "ZZ2 2BB": (4, 3),
    "ZZ2 3BD": (1, 2),
    "ZZ3 1CA": (1, 1),
    "ZZ3 2CB": (2, 1),
    "ZZ3 3CD": (1, 1),
    "ZZ4 1DA": (2, 2),
    "ZZ4 2DB": (3, 5),
    "ZZ5 1EA": (4, 6),
}


def demo_areas() -> list[Area]:
    """The demo caseload's fictional postcode lookup."""
    return [Area(pc, q, ur) for pc, (q, ur) in DEMO_AREAS.items()]


def _pick(rng: random.Random, codes: Codes, list_name: str, blank: float = 0.1) -> str:
    """An answer from the registry, sometimes not answered and now and then "prefer not to say"."""
    roll = rng.random()
    if roll < blank:
        return ""
    keys = codes.keys(list_name)
    if roll < blank + 0.05 and PREFER_NOT_TO_SAY in keys:
        return PREFER_NOT_TO_SAY
    return rng.choice([k for k in keys if k != PREFER_NOT_TO_SAY] or list(keys))


def _equalities(rng: random.Random, codes: Codes, pid: str, on: date) -> Equalities:
    """Equalities answers for a parent who agreed to equalities monitoring."""
    values = {name: _pick(rng, codes, name) for name in EQUALITIES_LISTS if name != "age_band"}
    values["sex"] = "female" if rng.random() < 0.9 else values["sex"]
    return Equalities(
        id=keyed_id(Equalities.KIND, pid, ""), participant_id=pid, answered_on=on, **values
    )


def _circumstances(
    rng: random.Random, codes: Codes, pid: str, locality: str, on: date
) -> Circumstances:
    """Circumstances when the parent started."""
    values: dict[str, object] = {
        name: _pick(rng, codes, name) for name in CIRCUMSTANCES_LISTS if name != "benefits"
    }
    values["lone_parent"] = "yes" if rng.random() < 0.85 else values["lone_parent"]
    if values["employment_status"] in ("employed", "self_employed"):
        values["time_out_of_work"] = "in_work"  # as a keyworker would record it
    elif values["time_out_of_work"] == "in_work":
        values["time_out_of_work"] = "under_6_months"
    kinds = [k for k in codes.keys("benefits") if k not in ("none", PREFER_NOT_TO_SAY)]
    values["benefits"] = sorted(rng.sample(kinds, k=rng.randint(1, 3)), key=kinds.index)
    postcodes = DEMO_POSTCODES.get(locality, ("",))
    return Circumstances(
        id=keyed_id(Circumstances.KIND, pid, ""),
        participant_id=pid,
        postcode=rng.choice(postcodes) if rng.random() < 0.9 else "",
        answered_on=on,
        **values,  # type: ignore[arg-type]
    )


def _job(rng: random.Random, codes: Codes, pid: str, started: Milestone, today: date) -> Job:
    """The job a "started work" milestone grew (a few have ended, a few got better)."""
    hours = rng.choice((None, 12, 16, 16, 20, 22, 25, 30, 35, 37))
    ended = rng.random() < 0.15 and (today - started.achieved_on).days > 30
    better = rng.random() < 0.2 and (today - started.achieved_on).days > 60
    return Job(
        participant_id=pid,
        milestone_id=started.id,
        started_on=started.achieved_on,
        job_title=rng.choice(("Care assistant", "Shop assistant", "Admin assistant", "")),
        hours_per_week=hours,
        contract_type=_pick(rng, codes, "contract_type"),
        living_wage=_pick(rng, codes, "living_wage"),
        sector=_pick(rng, codes, "sector"),
        progression=rng.choice(codes.keys("progression")) if better else "",
        progressed_on=started.achieved_on + timedelta(days=45) if better else None,
        left_on=started.achieved_on + timedelta(days=28) if ended else None,
        leaving_reason=_pick(rng, codes, "leaving_reason", 0.0) if ended else "",
    )
