"""The translations of printed documents: complete, in step with their .po files, and safe."""

from __future__ import annotations

import io
import string
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from journeyapp.core.documents.wording import LANGUAGES, Words
from journeyapp.paths import resource
from tools import translations

FOLDER = Path(resource("translations"))
SHIPPED = [code for code in LANGUAGES if code != "en"]


def _catalog(code: str, suffix: str):  # type: ignore[no-untyped-def]
    path = FOLDER / code / "LC_MESSAGES" / f"journeyapp.{suffix}"
    with path.open("rb") as handle:
        return read_po(handle) if suffix == "po" else read_mo(handle)


def _places(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("code", SHIPPED)
def test_every_sentence_is_translated(code: str) -> None:
    po = _catalog(code, "po")
    have = {m.id for m in po if m.id and m.string}
    missing = [m for m in translations.messages() if m not in have]
    assert not missing, missing[:5]


@pytest.mark.parametrize("code", SHIPPED)
def test_compiled_catalogue_matches_its_po_file(code: str) -> None:
    po = _catalog(code, "po")
    fresh = io.BytesIO()
    write_mo(fresh, po)
    shipped = (FOLDER / code / "LC_MESSAGES" / "journeyapp.mo").read_bytes()
    assert shipped == fresh.getvalue(), "run: python tools/translations.py compile"


@pytest.mark.parametrize("code", SHIPPED)
def test_translations_fill_the_same_places(code: str) -> None:
    for message in _catalog(code, "po"):
        if message.id and message.string:
            assert _places(message.string) == _places(message.id), message.id


def test_a_broken_translation_falls_back_to_english() -> None:
    words = Words("pl", FOLDER)
    # A translation with a place the English does not have would raise; it prints English.
    words._catalogue._catalog["Phone: {phone}"] = "Telefon: {numer}"  # type: ignore[union-attr]
    try:
        assert words("Phone: {phone}", phone="0131") == "Phone: 0131"
    finally:
        words._catalogue._catalog["Phone: {phone}"] = "Telefon: {phone}"  # type: ignore[union-attr]


def test_dates_and_numbers_follow_the_language() -> None:
    from datetime import date

    day = date(2026, 3, 2)
    assert Words("en", FOLDER).date(day) == "2 March 2026"
    assert Words("pl", FOLDER).date(day) == "2 marca 2026"
    assert Words("uk", FOLDER).date(day) == "2 березня 2026"
    assert "2026" in Words("ar", FOLDER).date(day) or "٢٠٢٦" in Words("ar", FOLDER).date(day)
    assert Words("xx", FOLDER).language == "en"
