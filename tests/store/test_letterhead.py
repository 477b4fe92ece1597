"""Who plans are from: this laptop's settings, remembered across opens, and the log's recorded-by."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from journeyapp.caseload import Caseload
from journeyapp.core.documents import Sender
from journeyapp.core.errors import ValidationError
from journeyapp.plans.documents import pdf_bytes
from tests.clock import ticking_clock
from tests.conftest import TODAY

SENDER = Sender(
    organisation="One Parent Families Fife",
    keyworker="Morag Campbell",
    phone=" 01592  555 0123 ",
    email="morag@example.org",
    programme="Making It Work",
    device_name="Morag's laptop",
)


def test_settings_are_remembered_and_tidied(db_path: Path) -> None:
    first = Caseload.open(db_path, create=True, plain=True)
    assert first.settings.sender() == Sender()
    first.settings.set_sender(SENDER)
    first.close()
    again = Caseload.open(db_path)
    try:
        held = again.settings.sender()
        assert held.organisation == "One Parent Families Fife"
        assert held.phone == "01592 555 0123"
        assert held.device_name == "Morag's laptop"
        # Changes made from now on are recorded by the keyworker's name.
        assert again.actor == "Morag Campbell"
    finally:
        again.close()


def test_recorded_by_and_laptop_name_in_what_we_hold(caseload: Caseload) -> None:
    caseload.settings.set_sender(SENDER)
    parent = caseload.enrol_participant("Aoife", "fife", language="pl")
    document = caseload.document(parent.id, what_we_hold=True)
    assert document.language == "pl"
    section = document.section("history")
    assert section is not None
    assert section.table is not None
    row = section.table.rows[0]
    assert row[2] == "Morag Campbell"
    assert row[3] == "Morag's laptop"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf_bytes([document]))).pages)
    assert "One Parent Families Fife" in " ".join(text.split())
    assert "0303 123 1113" in text


def test_the_parents_language_is_kept_and_checked(caseload: Caseload) -> None:
    parent = caseload.enrol_participant("Olena", "fife", language="uk")
    assert caseload.participant(parent.id).language == "uk"
    assert caseload.document(parent.id).title == "Ваш план"
    with pytest.raises(ValidationError, match="choose one of en, pl, uk, ar") as raised:
        caseload.update_participant(parent.id, language="xx")
    assert raised.value.field == "language"
    # A one-off print in another language leaves the parent's choice alone.
    assert caseload.document(parent.id, language="en").title == "Your plan"
    assert caseload.participant(parent.id).language == "uk"


def test_a_caseload_made_before_languages_opens_with_english(tmp_path: Path) -> None:
    import shutil

    old = tmp_path / "old.db"
    shutil.copy(Path(__file__).parent.parent / "fixtures" / "oldest-schema.db", old)
    caseload = Caseload.open(old)
    caseload.clock = ticking_clock(TODAY)
    try:
        people = caseload.participants()
        assert all(p.language == "" for p in people)
        if people:
            assert caseload.document(people[0].id).language == "en"
    finally:
        caseload.close()
