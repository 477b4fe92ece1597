"""The contact line printed on a plan (`--contact`, the preview's field, File > Settings): a short
line, printed whole; one longer than a contact line can be is refused with what to give instead,
never a plan of dozens of pages, and nothing saved changes."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from journeyapp.caseload import Caseload
from journeyapp.cli import cli
from journeyapp.core.documents import Sender
from journeyapp.core.documents.sender import CONTACT_LIMIT
from journeyapp.core.errors import ValidationError
from journeyapp.plans.documents import pdf_with_pages

# What contact lines are written in (the fonts print all of it): Latin with accents, Polish,
# Ukrainian, digits and the marks of numbers and addresses.
ALPHABET = "abcxyzABZ0123456789éñŁłąęśżЯїєґЖ+()@.-/"
PASTED = "Call Morag on 0131 555 0123 " * 3_600  # a page of text pasted by mistake (~100,000)


def _pages(data: bytes) -> list[str]:
    return [re.sub(r"\s+", " ", p.extract_text() or "") for p in PdfReader(io.BytesIO(data)).pages]


@pytest.fixture
def parent(caseload: Caseload) -> str:
    return caseload.enrol_participant("Aoife", "fife", full_name="Aoife Byrne").id


def test_a_pasted_page_of_text_is_refused_by_plan_and_plans(
    caseload: Caseload, db_path: Path, tmp_path: Path, parent: str
) -> None:
    """It made a plan of 38 pages, the contact line running over all of them."""
    before = db_path.read_bytes()
    out = tmp_path / "plan.pdf"
    folder = tmp_path / "plans"
    runs = [
        ["plan", "Aoife", "--db", str(db_path), "--out", str(out), "--contact", PASTED],
        [
            "plan",
            "Aoife",
            "--db",
            str(db_path),
            "--out",
            str(out),
            "--what-we-hold",
            "--contact",
            PASTED,
        ],
        ["plans", "--db", str(db_path), "--out", str(folder), "--contact", PASTED],
    ]
    for args in runs:
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 2, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        said = " ".join(result.output.split())
        length = len(" ".join(PASTED.split()))
        assert f"The contact line is {length:,} characters long" in said
        assert f"a plan prints at most {CONTACT_LIMIT}" in said
        assert "such as a phone number" in said
        assert "Traceback" not in result.output
    assert not out.exists()
    assert not folder.exists()
    assert db_path.read_bytes() == before


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    words=st.lists(
        st.text(ALPHABET, min_size=1, max_size=14),
        min_size=1,
        max_size=20,
    ),
    breaks=st.sampled_from([" ", "\n", "  ", "\t"]),
)
def test_a_contact_line_is_printed_whole_on_the_first_page_or_refused(
    caseload: Caseload, parent: str, words: list[str], breaks: str
) -> None:
    """Invariant: a contact line is printed on page 1 as one line of the words given (however
    they were spaced), the plan no longer than with the number alone; or it is refused, saying
    its length, and then only when it is longer than CONTACT_LIMIT."""
    typed = breaks.join(words)
    line = " ".join(typed.split())
    short = pdf_with_pages([caseload.document(parent, contact="07700 900123")])[1]
    if len(line) > CONTACT_LIMIT:
        with pytest.raises(ValidationError, match=f"is {len(line):,} characters long"):
            caseload.document(parent, contact=typed)
        return
    data, pages = pdf_with_pages([caseload.document(parent, contact=typed)])
    assert pages <= short
    first = _pages(data)[0]
    assert all(word in first for word in words)


def test_what_we_hold_prints_the_contact_given_for_this_print(
    caseload: Caseload, db_path: Path, tmp_path: Path, parent: str
) -> None:
    """`plan --what-we-hold --contact …` printed the settings' phone number and dropped the
    contact given, without a word."""
    caseload.settings.set_sender(Sender(keyworker="Morag", phone="01592 555 0123"))
    out = tmp_path / "held.pdf"
    result = CliRunner().invoke(
        cli,
        [
            "plan",
            "Aoife",
            "--db",
            str(db_path),
            "--out",
            str(out),
            "--what-we-hold",
            "--contact",
            "Text Morag\non 07700 900123",
        ],
    )
    assert result.exit_code == 0, result.output
    first = _pages(out.read_bytes())
    text = " ".join(first)
    assert "Contact: Text Morag on 07700 900123" in text
    assert "01592 555 0123" not in text


@pytest.mark.parametrize("field", ["phone", "email"])
def test_settings_refuse_a_phone_or_email_longer_than_a_contact_line(
    caseload: Caseload, field: str
) -> None:
    saved = Sender(
        organisation="One Parent Families Fife", phone="01592 555 0123", email="m@example.org"
    )
    caseload.settings.set_sender(saved)
    long = "0" * (CONTACT_LIMIT + 1)
    with pytest.raises(ValidationError) as refused:
        caseload.settings.set_sender(Sender(organisation="Changed", **{field: long}))
    what = "The phone number" if field == "phone" else "The email address"
    assert refused.value.message.startswith(f"{what} is {CONTACT_LIMIT + 1} characters long")
    assert refused.value.field == field
    assert caseload.settings.sender() == saved  # nothing saved, nothing lost
    # The longest a contact line can be is taken (an email address that is one: checked too).
    longest = (
        "0" * CONTACT_LIMIT if field == "phone" else "m" * (CONTACT_LIMIT - 12) + "@example.org"
    )
    caseload.settings.set_sender(Sender(**{field: longest}))
    assert getattr(caseload.settings.sender(), field) == longest


@pytest.mark.parametrize("large_print", [False, True])
def test_a_contact_line_wrapped_on_an_arabic_plan_reads_in_its_own_order(
    caseload: Caseload, parent: str, large_print: bool
) -> None:
    """Read back from the PDF: each line the contact wraps onto is a piece of it as written
    (the second line printed ";or email morag.campbell@onepf.org.uk ,(Mon-Thu 9-5)")."""
    contact = (
        "Text or call Morag Campbell on 07700 900123 (Mon-Thu 9-5), "
        "or email morag.campbell@onepf.org.uk; Fridays ring 01592 555"
    )
    data, _ = pdf_with_pages(
        [caseload.document(parent, contact=contact, language="ar")], large_print
    )
    lines = [
        line.strip()
        for line in (PdfReader(io.BytesIO(data)).pages[0].extract_text() or "").splitlines()
    ]
    start = next(n for n, line in enumerate(lines) if line.startswith("Text or call"))
    end = next(n for n, line in enumerate(lines) if "Fridays" in line)
    # The line's Arabic label ("Contact:") is read back as a piece of its own: left out.
    assert " ".join(line for line in lines[start : end + 1] if line.isascii()) == contact
