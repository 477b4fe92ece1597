"""Demo caseloads: realistic, varied and clearly fictional journeys for trying the app out."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta

from journeyapp.caseload import Caseload
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
    localities = [loc for loc in catalogue.keys("localities")]
    milestone_keys = set(catalogue.keys("milestone_types"))
    kinds = catalogue.keys("contact_kinds")
    with caseload.batch("demo data"):
        caseload.mark_demo()
        enrolled: list[str] = []
        for n in range(participants):
            enrolled.append(
                _one_journey(
                    caseload, rng, day, stages, areas, services, localities, milestone_keys, kinds
                )
            )
            if progress is not None:
                progress(n + 1)
        _groups(caseload, rng, day, enrolled)


def _one_journey(
    caseload: Caseload,
    rng: random.Random,
    today: date,
    stages: tuple[str, ...],
    areas: tuple[str, ...],
    services: tuple[str, ...],
    localities: list[str],
    milestone_keys: set[str],
    kinds: tuple[str, ...],
) -> str:
    first = rng.choice(FIRST_NAMES)
    surname = rng.choice(SURNAMES)
    locality = rng.choice(localities)
    keyworker = rng.choice(KEYWORKERS.get(locality, ("Keyworker (demo)",)))
    final = min(_final_stage(rng), len(stages) - 1)
    span = rng.randint(30 + final * 40, 60 + final * 90)
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
    p = caseload.enrol_participant(
        first,
        locality,
        joined,
        full_name=f"{first} {surname}",
        date_of_birth=dob,
        phone=f"07700 900{rng.randint(0, 999):03d}",
        keyworker=keyworker,
        referral_source=rng.choice(REFERRAL_SOURCES),
        destination=destination,
        stage=stages[0],
    )
    pid = p.id
    for purpose in ConsentPurpose:
        given = purpose is ConsentPurpose.HOLDING_DATA or rng.random() < 0.8
        caseload.record_consent(pid, purpose, given, on=joined, how_recorded="Signed form")
    for _ in range(rng.randint(1, 3)):
        caseload.add_child(
            pid,
            birth_year=today.year - rng.randint(0, 15),
            childcare_needs=rng.choice(("", "After-school club", "Nursery place", "Holiday cover")),
        )
    caseload.add_strength(pid, rng.choice(STRENGTHS), area=rng.choice(areas))
    caseload.add_strength(pid, rng.choice(STRENGTHS), area=rng.choice(areas))
    caseload.add_strength(
        pid, rng.choice(BARRIERS), kind=StrengthOrBarrier.BARRIER, area=rng.choice(areas)
    )
    rhythm = rng.choice((Rhythm.WEEKLY, Rhythm.FORTNIGHTLY, Rhythm.FORTNIGHTLY, Rhythm.MONTHLY))
    caseload.change_pace(
        pid,
        rng.choice((Pace.GENTLY, Pace.GENTLY, Pace.STEADY)),
        rhythm,
        on=joined,
        reason="To start with",
    )
    # Goals in the parent's words, each with a couple of steps.
    goal_areas = rng.sample(areas, k=min(len(areas), rng.randint(1, 4)))
    for area in goal_areas:
        words = rng.choice(GOAL_WORDS.get(area, ("Something for me",)))
        status = rng.choice(
            (
                GoalStatus.NOT_STARTED,
                GoalStatus.WORKING_ON_IT,
                GoalStatus.WORKING_ON_IT,
                GoalStatus.ACHIEVED,
            )
        )
        goal = caseload.add_goal(
            pid,
            words,
            area=area,
            status=status,
            voice=rng.choice((Voice.PARENT, Voice.PARENT, Voice.TOGETHER)),
            by_when=rng.choice(
                ("", "by the summer", "after Christmas", "when the wee one starts school")
            ),
            set_on=joined,
        )
        for k in range(rng.randint(1, 3)):
            step = caseload.add_step(
                goal.id,
                rng.choice(
                    (
                        "Phone the college",
                        "Visit the group",
                        "Look at bus times",
                        "Ask about help with costs",
                        "Try it for two weeks",
                    )
                ),
                who=rng.choice(("me", "me", "keyworker", "Local college")),
                due=min(today + timedelta(days=rng.randint(-20, 40)), today + timedelta(days=60)),
            )
            if status is GoalStatus.ACHIEVED or (k == 0 and rng.random() < 0.5):
                caseload.complete_step(
                    step.id, on=min(today, joined + timedelta(days=rng.randint(5, span)))
                )
    # Choices: most chosen, some "not for me now" (a valid choice).
    for service in rng.sample(services, k=min(len(services), rng.randint(2, 5))):
        decision = rng.choice(
            (Decision.CHOSEN, Decision.CHOSEN, Decision.NOT_FOR_ME_NOW, Decision.MAYBE_LATER)
        )
        caseload.choose_service(
            pid,
            service,
            decision,
            on=joined + timedelta(days=rng.randint(0, 14)),
            reason="" if decision is Decision.CHOSEN else rng.choice(REASONS_NOT_NOW),
        )
    # Stages and milestones along the way.
    steps_on = sorted(rng.sample(range(1, max(span, final + 2)), k=final)) if final else []
    for index, offset in enumerate(steps_on, start=1):
        caseload.set_stage(pid, stages[index], on=joined + timedelta(days=offset))
    stage_day = {0: joined, **{i: joined + timedelta(days=o) for i, o in enumerate(steps_on, 1)}}
    for stage_index, key in _PATH:
        if key not in milestone_keys or stage_index > final:
            continue
        if stage_index > 0 and rng.random() < 0.35 and key not in ("started_work", "first_meeting"):
            continue
        start = stage_day.get(stage_index, joined)
        when = min(today, start + timedelta(days=rng.randint(0, 20)))
        if key == "in_work_13_weeks":
            when = stage_day.get(5, joined) + timedelta(weeks=13)
        if key == "in_work_26_weeks":
            when = stage_day.get(5, joined) + timedelta(weeks=26)
        if when > today:
            continue
        caseload.record_milestone(
            pid, key, achieved_on=when, note=rng.choice(("", "So proud of this", "Big step!"))
        )
    if final >= 4 and rng.random() < 0.3:
        caseload.record_milestone(
            pid,
            "started_college_or_training",
            achieved_on=min(today, joined + timedelta(days=span // 2)),
        )
    # Self-assessments: the parent's own scores, usually rising.
    base = {a: rng.randint(2, 6) for a in areas}
    n_assess = 1 + min(3, span // 90)
    for k in range(n_assess):
        taken = joined + timedelta(days=(span * k) // max(1, n_assess))
        scores = {
            a: max(1, min(10, base[a] + k * rng.randint(0, 2) - rng.randint(0, 1))) for a in areas
        }
        view = (
            {a: max(1, min(10, s + rng.randint(-1, 1))) for a, s in scores.items()}
            if rng.random() < 0.5
            else None
        )
        caseload.record_assessment(
            pid,
            scores,
            taken_on=taken,
            keyworker_scores=view,
            comment=rng.choice(("", "Feeling more like myself", "Still a way to go but better")),
        )
    # Contacts at roughly the chosen rhythm.
    gap = {Rhythm.WEEKLY: 7, Rhythm.FORTNIGHTLY: 14, Rhythm.MONTHLY: 28}.get(rhythm, 21)
    on = joined
    while on <= today:
        caseload.log_contact(
            pid,
            rng.choice(kinds),
            on=on,
            venue=rng.choice(VENUES),
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
        on += timedelta(days=gap + rng.randint(-2, 10))
    for _ in range(rng.randint(0, 2)):
        to, service = rng.choice(REFERRAL_TO)
        caseload.refer(
            pid,
            to,
            service=service,
            reason="Parent asked for help with this",
            on=joined + timedelta(days=rng.randint(0, span)),
        )
    referrals = caseload.journey(pid).referrals if rng.random() < 0.7 else ()
    for referral in referrals:
        caseload.set_referral_outcome(referral.id, rng.choice(list(ReferralOutcome)))
    if rng.random() < 0.15:
        caseload.change_pace(
            pid,
            Pace.READY_TO_PUSH_ON,
            Rhythm.WEEKLY,
            on=joined + timedelta(days=span // 2),
            reason="Feeling ready for more",
        )
    if rng.random() < 0.12 and final < 5:
        caseload.pause(
            pid, on=today - timedelta(days=rng.randint(1, 30)), reason=rng.choice(PAUSE_REASONS)
        )
    elif final == 6 and rng.random() < 0.5:
        caseload.set_status(pid, ParticipantStatus.MOVED_ON)
    if rng.random() < 0.2:
        caseload.add_feedback(
            "The group helped me feel less on my own",
            participant_id=pid,
            we_did="Added a second group on Thursdays",
            on=min(today, joined + timedelta(days=20)),
        )
    return pid


def _groups(caseload: Caseload, rng: random.Random, today: date, enrolled: list[str]) -> None:
    registers = [
        pid for pid in enrolled if caseload.has_consent(pid, ConsentPurpose.GROUP_REGISTERS)
    ]
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
