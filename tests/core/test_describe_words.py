"""A record in a few words (core.describe.describe) for questions and check's lines."""

from __future__ import annotations

from datetime import date

from journeyapp.caseload import Caseload
from journeyapp.core.describe import describe


def test_a_parents_details_are_their_details(caseload: Caseload) -> None:
    """A parent's own record in words (check's days to check): "their details", never "this
    details"."""
    person = caseload.enrol_participant("Agnieszka", "fife", joined_on=date(2026, 3, 1))
    assert describe(person, caseload.catalogue, caseload.today()) == "their details"
