""" "What we hold about you" lists the day a parent was welcomed back among their journey's
days, beside the day it ended, in their language: printed from the command line here and from
the window's preview (tests/ui/test_journey_turning_points.py)."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from journeyapp.caseload import Caseload
from journeyapp.cli import cli
from journeyapp.core.documents.wording import Words
from journeyapp.core.enums import ParticipantStatus
from journeyapp.paths import resource
from tests.clock import past_on_both
from tests.conftest import TODAY

# "Welcomed back on" as each language's page says it.
LABELS = {"en": "Welcomed back on", "pl": "Data powrotu", "uk": "Дата повернення"}


def _text(path: Path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))


@pytest.mark.parametrize("language", ["en", "pl", "uk"])
def test_what_we_hold_says_the_day_they_were_welcomed_back(
    caseload: Caseload, db_path: Path, tmp_path: Path, language: str
) -> None:
    today = past_on_both(TODAY)
    pid = caseload.enrol_participant("Noor", "fife", today - timedelta(days=200)).id
    caseload.update_participant(pid, language=language)
    caseload.end_journey(pid, ParticipantStatus.MOVED_ON, on=today - timedelta(days=100))
    back = today - timedelta(days=40)
    caseload.reopen_journey(pid, on=back)
    caseload.close()
    out = tmp_path / "held.pdf"
    result = CliRunner().invoke(
        cli, ["plan", "Noor", "--db", str(db_path), "--out", str(out), "--what-we-hold"]
    )
    assert result.exit_code == 0, result.output
    day = Words(language, Path(resource("translations"))).date(back)
    assert f"{LABELS[language]}: {day}" in _text(out)


def test_moved_on_again_it_lists_both_days(
    caseload: Caseload, db_path: Path, tmp_path: Path
) -> None:
    today = past_on_both(TODAY)
    pid = caseload.enrol_participant("Noor", "fife", today - timedelta(days=200)).id
    caseload.end_journey(pid, ParticipantStatus.CLOSED, on=today - timedelta(days=100))
    back = today - timedelta(days=40)
    caseload.reopen_journey(pid, on=back)
    caseload.end_journey(pid, ParticipantStatus.MOVED_ON, on=today - timedelta(days=10))
    caseload.close()
    out = tmp_path / "held.pdf"
    result = CliRunner().invoke(
        cli,
        ["plan", "Noor", "--db", str(db_path), "--out", str(out), "--what-we-hold"],
    )
    assert result.exit_code == 0, result.output
    words = Words("en", Path(resource("translations")))
    text = _text(out)
    welcomed = f"Welcomed back on: {words.date(back)}"
    ended = f"Ended on: {words.date(today - timedelta(days=10))}"
    assert welcomed in text
    assert ended in text
    assert text.index(welcomed) < text.index(ended)  # in the order they happened


@pytest.mark.parametrize(("language", "label"), [*LABELS.items(), ("ar", "تاريخ العودة")])
def test_every_language_names_the_day(caseload: Caseload, language: str, label: str) -> None:
    """The document's own words, before any PDF (Arabic is shaped for the page, so read here)."""
    from journeyapp.core.documents import build_document

    today = caseload.today()
    pid = caseload.enrol_participant("Noor", "fife", today - timedelta(days=200)).id
    caseload.end_journey(pid, ParticipantStatus.MOVED_ON, on=today - timedelta(days=100))
    back = today - timedelta(days=40)
    caseload.reopen_journey(pid, on=back)
    words = Words(language, Path(resource("translations")))
    held = build_document(
        caseload.journey(pid), caseload.catalogue, today, what_we_hold=True, words=words
    )
    [details] = [s for s in held.sections if s.key == "details"]
    # (Right-to-left pages hold each part in direction isolates: read without them.)
    texts = [item.text.replace("\u2068", "").replace("\u2069", "") for item in details.items]
    assert f"{label}: {words.date(back)}" in texts
