"""The return's answers on paper (issue 19): "What we hold about you" lists every one in plain
words; the printed plan (its PDF read back) shows none of them."""

from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader

from journeyapp.caseload import Caseload
from journeyapp.core.enums import ConsentPurpose
from journeyapp.plans.documents import pdf_bytes

EQ = ConsentPurpose.EQUALITIES_MONITORING


def pdf_text(data: bytes) -> str:
    return " ".join(
        " ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(data)).pages
    )


def answered(caseload: Caseload) -> str:
    pid = caseload.enrol_participant("Siobhán", "fife", joined_on=date(2026, 1, 5)).id
    caseload.add_goal(pid, "Find work that fits school hours")
    caseload.record_consent(pid, EQ, True)
    caseload.set_equalities(
        pid,
        sex="female",
        ethnicity="asian_bangladeshi",
        disability="yes_a_little",
        sexual_orientation="bisexual",
        care_experience="yes",
        gender_identity="prefer_not_to_say",
    )
    caseload.set_circumstances(
        pid,
        postcode="KY1 3NB",
        lone_parent="yes",
        employment_status="unemployed_looking",
        time_out_of_work="2_to_5_years",
        benefits=["universal_credit", "scottish_child_payment"],
    )
    caseload.add_job(
        pid,
        date(2026, 6, 1),
        with_milestone=True,
        job_title="Classroom assistant",
        hours_per_week=25,
        contract_type="fixed_term",
        living_wage="yes",
        sector="childcare_education",
        note="Loves the early shifts",
    )
    return pid


# Words only the answers would put on paper.
ANSWER_WORDS = (
    "Bangladeshi",
    "Bisexual",
    "Yes, a little",
    "Care experienced",
    "KY1 3NB",
    "Scottish Child Payment",
    "2 to 5 years",
    "Fixed term",
    "Classroom assistant",
    "Childcare or education",
    "Loves the early shifts",
)


def test_what_we_hold_lists_them_in_plain_words(caseload: Caseload) -> None:
    pid = answered(caseload)
    text = pdf_text(pdf_bytes([caseload.document(pid, what_we_hold=True)]))
    for words in ANSWER_WORDS:
        assert words in text, words
    assert "Your equalities monitoring answers" in text
    assert "take this back at any time" in text
    assert "Jobs you started" in text
    assert "Hours a week: 25" in text


def test_the_plan_never_shows_them(caseload: Caseload) -> None:
    pid = answered(caseload)
    for large in (False, True):
        text = pdf_text(pdf_bytes([caseload.document(pid)], large_print=large))
        assert "Find work that fits school hours" in text  # the plan itself is there
        for words in ANSWER_WORDS:
            assert words not in text, words
        for heading in ("equalities", "Ethnic", "postcode", "benefit"):
            assert heading.lower() not in text.lower(), heading


def test_an_unnamed_organisation_starts_its_sentence_with_a_capital(caseload: Caseload) -> None:
    pid = answered(caseload)
    text = caseload.document(pid, what_we_hold=True).text()
    assert "Your keyworker's organisation holds your information." in text
    assert "your keyworker's organisation holds your information." not in text
