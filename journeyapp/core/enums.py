"""Fixed vocabularies of the journey records (the partnership's own lists live in the catalogue)."""

from __future__ import annotations

from enum import StrEnum


class Voice(StrEnum):
    """Whose words a piece of text is."""

    PARENT = "parent"
    TOGETHER = "together"
    KEYWORKER = "keyworker"


class ParticipantStatus(StrEnum):
    """Where a parent's involvement stands; a pause is the parent's choice, not a failure."""

    ACTIVE = "active"
    PAUSED = "paused"
    MOVED_ON = "moved_on"
    CLOSED = "closed"


# A journey that has ended (moved on or closed): nothing is planned ahead, no break is taken.
JOURNEY_ENDED = (ParticipantStatus.MOVED_ON, ParticipantStatus.CLOSED)


class Destination(StrEnum):
    """What the parent has chosen to work towards."""

    WORK = "work"
    TRAINING_EDUCATION = "training_education"
    VOLUNTEERING = "volunteering"
    NOT_DECIDED = "not_decided"


class GoalStatus(StrEnum):
    """Where a goal stands, in the parent's terms."""

    NOT_STARTED = "not_started"
    WORKING_ON_IT = "working_on_it"
    ACHIEVED = "achieved"
    CHANGED_MY_MIND = "changed_my_mind"
    ON_HOLD = "on_hold"


class Decision(StrEnum):
    """The parent's decision about a service; declining is a valid choice."""

    CHOSEN = "chosen"
    NOT_FOR_ME_NOW = "not_for_me_now"
    MAYBE_LATER = "maybe_later"


class Pace(StrEnum):
    """The pace the parent has chosen."""

    GENTLY = "gently"
    STEADY = "steady"
    READY_TO_PUSH_ON = "ready_to_push_on"


class Rhythm(StrEnum):
    """How often the parent wants to check in."""

    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    MONTHLY = "monthly"
    WHEN_I_GET_IN_TOUCH = "when_i_get_in_touch"


class ReferralOutcome(StrEnum):
    """What came of a referral."""

    WAITING = "waiting"
    ATTENDED = "attended"
    DID_NOT_ATTEND = "did_not_attend"
    NO_LONGER_NEEDED = "no_longer_needed"


class ConsentPurpose(StrEnum):
    """What a parent can agree (or not) to."""

    HOLDING_DATA = "holding_data"
    SHARING_WITH_PARTNERS = "sharing_with_partners"
    REFERRALS = "referrals"
    EVALUATION_QUOTES = "evaluation_quotes"
    GROUP_REGISTERS = "group_registers"
    # Special-category answers for the funder's return: without it they are not asked or kept.
    EQUALITIES_MONITORING = "equalities_monitoring"


class StrengthOrBarrier(StrEnum):
    """Strengths come first."""

    STRENGTH = "strength"
    BARRIER = "barrier"


class FeedbackSource(StrEnum):
    """Who gave the feedback."""

    PARENT = "parent"
    KEYWORKER = "keyworker"
    PARTNER = "partner"


class Action(StrEnum):
    """What a journey-log event did."""

    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    ERASE = "erase"


# The words every screen and the plan share for the same things (the list, the header, the
# tabs and the plan say them alike; change them here, once).
TAKING_A_BREAK = "Taking a break"
THINGS_IN_THE_WAY = "Things in the way"
SOMETHING_IN_THE_WAY = "Something in the way"
STRENGTHS_AND_THINGS_IN_THE_WAY = "Strengths and things in the way"
CHECK_IN_DUE = "Check-in due"
DUE_SINCE = "Due since"  # in the list's "Next check-in" column: "Due since 28 Nov"


def check_in_due_since(when: str) -> str:
    """A check-in whose planned date has passed, in the words every screen uses."""
    return f"{CHECK_IN_DUE} since {when}"


def check_ins_due(count: int) -> str:
    """How many check-ins are due ("1 check-in due", "5 check-ins due")."""
    return f"{count} check-in due" if count == 1 else f"{count} check-ins due"


LABELS: dict[str, str] = {
    # Plain words for every enum value, for screens and printed plans.
    "parent": "in their words",
    "together": "agreed together",
    "keyworker": "keyworker's note",
    "active": "Active",
    "paused": TAKING_A_BREAK,
    "moved_on": "Moved on",
    "closed": "Closed",
    "work": "Work",
    "training_education": "Training or education",
    "volunteering": "Volunteering",
    "not_decided": "Not decided yet",
    "not_started": "Not started yet",
    "working_on_it": "Working on it",
    "achieved": "Achieved",
    "changed_my_mind": "Changed my mind",
    "on_hold": "On hold for now",
    "chosen": "Chosen",
    "not_for_me_now": "Not for me now",
    "maybe_later": "Maybe later",
    "gently": "Gently",
    "steady": "Steady",
    "ready_to_push_on": "Ready to push on",
    "weekly": "Weekly",
    "fortnightly": "Fortnightly",
    "monthly": "Monthly",
    "when_i_get_in_touch": "I'll get in touch",
    "waiting": "Waiting",
    "attended": "Attended",
    "did_not_attend": "Didn't go",
    "no_longer_needed": "No longer needed",
    "holding_data": "Holding their information",
    "sharing_with_partners": "Sharing with named partners",
    "referrals": "Referrals to other services",
    "evaluation_quotes": "Quotes for evaluation",
    "group_registers": "Being on group registers",
    "equalities_monitoring": "Equalities monitoring",
    "strength": "Strength",
    "barrier": SOMETHING_IN_THE_WAY,
    "partner": "Partner organisation",
}


# Where a vocabulary shares a value with another but means something else by it: "parent" is
# Voice's "in their words" in LABELS, but as who gave feedback it is "The parent".
LABELS_BY_TYPE: dict[type, dict[str, str]] = {
    FeedbackSource: {
        "parent": "The parent",
        "keyworker": "Keyworker",
        "partner": "Partner organisation",
    },
}


def label(value: str) -> str:
    """The plain-words label of an enum value (falls back to the value itself)."""
    own = LABELS_BY_TYPE.get(type(value))
    if own is not None and value in own:
        return own[value]
    return LABELS.get(str(value), str(value).replace("_", " ").capitalize())
