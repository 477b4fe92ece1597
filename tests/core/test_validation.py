"""Validation gives messages a keyworker understands, and accepts everything sensible."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from journeyapp.caseload import default_catalogue
from journeyapp.core.errors import ValidationError
from journeyapp.core.records import Assessment, Contact, Goal, Milestone, Participant
from journeyapp.core.validation import parse_date, validate

CATALOGUE = default_catalogue()
TODAY = date(2026, 11, 28)


def _parent(**changes: object) -> Participant:
    fields: dict[str, object] = {
        "preferred_name": "Zoë",
        "locality": "fife",
        "joined_on": date(2026, 1, 1),
    }
    fields.update(changes)
    return Participant(**fields)  # type: ignore[arg-type]


def test_future_date_of_birth_is_explained() -> None:
    with pytest.raises(ValidationError) as err:
        validate(_parent(date_of_birth=date(2031, 2, 1)), CATALOGUE, TODAY)
    assert err.value.message == "Date of birth 2031-02-01 is in the future."
    assert err.value.field == "date_of_birth"


def test_empty_name_and_unknown_locality_are_explained() -> None:
    with pytest.raises(ValidationError, match="name to call them by is needed"):
        validate(_parent(preferred_name="  "), CATALOGUE, TODAY)
    with pytest.raises(ValidationError, match="Locality 'Atlantis' is not in the catalogue"):
        validate(_parent(locality="Atlantis"), CATALOGUE, TODAY)


def test_scores_must_be_one_to_ten() -> None:
    bad = Assessment(participant_id="p", taken_on=TODAY, scores={"confidence": 11})
    with pytest.raises(ValidationError, match="Confidence is 11; scores go from 1 to 10"):
        validate(bad, CATALOGUE, TODAY)


def test_unknown_milestone_and_contact_kind() -> None:
    with pytest.raises(ValidationError, match="Milestone 'won_lottery'"):
        validate(
            Milestone(participant_id="p", type="won_lottery", achieved_on=TODAY), CATALOGUE, TODAY
        )
    with pytest.raises(ValidationError, match="Contact kind 'telepathy'"):
        validate(Contact(participant_id="p", on=TODAY, kind="telepathy"), CATALOGUE, TODAY)


@given(words=st.text(min_size=1, max_size=500).filter(lambda s: s.strip()))
def test_any_goal_words_are_accepted_verbatim(words: str) -> None:
    goal = Goal(participant_id="p", words=words, area="confidence")
    validate(goal, CATALOGUE, TODAY)
    assert goal.words == words


@given(
    name=st.text(max_size=300),
    dob=st.one_of(st.none(), st.dates()),
    joined=st.dates(),
    locality=st.text(max_size=20),
)
def test_validation_raises_only_validation_errors(
    name: str, dob: date | None, joined: date, locality: str
) -> None:
    try:
        validate(
            _parent(preferred_name=name, date_of_birth=dob, joined_on=joined, locality=locality),
            CATALOGUE,
            TODAY,
        )
    except ValidationError as exc:
        assert exc.message  # noqa: PT017
        assert "\n" not in exc.message  # noqa: PT017


@given(st.dates(min_value=date(1900, 1, 1)))
def test_parse_date_reads_iso_and_uk(day: date) -> None:
    assert parse_date(day.isoformat()) == day
    assert parse_date(f"{day.day:02d}/{day.month:02d}/{day.year}") == day


@pytest.mark.parametrize("text", ["tomorrow", "2026-13-01", ""])
def test_parse_date_rejects_nonsense_clearly(text: str) -> None:
    with pytest.raises(ValidationError, match="is not a date; write it as 2026-03-01"):
        parse_date(text, "Joined on")


@pytest.mark.parametrize(
    ("text", "why"),
    [
        # "write it as 01/03/2026" after 31 February read as "you meant 1 March".
        ("31/02/2026", "is not a date: February 2026 has 28 days; write a day from 1 to 28."),
        ("31/04/2026", "is not a date: April 2026 has 30 days; write a day from 1 to 30."),
        # A date written month first, as a phone or a US form would.
        ("02/13/2026", "is not a date: there is no month 13. Write the day first: 13/02/2026."),
        ("01/00/2026", "is not a date: there is no month 0; a date is day/month/year"),
    ],
)
def test_a_day_or_month_that_does_not_exist_is_named(text: str, why: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_date(text, "Contact date")
    assert caught.value.message.startswith(f"Contact date '{text}' {why}")
