"""The bundle file: keyed with the NFC passphrase, and bundles keyed before that still open."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlcipher3.dbapi2 as sqlcipher
from hypothesis import given, settings
from hypothesis import strategies as st

from journeyapp.caseload import Caseload
from journeyapp.core.errors import WrongPassphrase
from journeyapp.exchange.bundle import read_bundle, write_bundle
from journeyapp.store import bundle_file
from tests.clock import ticking_clock
from tests.conftest import TODAY

COMPOSED = "caf\u00e9 au lait, s'il vous pla\u00eet"
DECOMPOSED = unicodedata.normalize("NFD", COMPOSED)


@pytest.fixture
def laptop(tmp_path: Path) -> Iterator[Caseload]:
    from journeyapp.demo import build_demo

    c = Caseload.open(tmp_path / "laptop.db", create=True, plain=True, actor="keyworker a")
    c.clock = ticking_clock(TODAY)
    build_demo(c, participants=2, seed=4, today=TODAY)
    yield c
    c.close()


def _opens_with(path: Path, raw_key: str) -> bool:
    """Whether SQLCipher itself opens the file with exactly this key (no normalising)."""
    conn = sqlcipher.connect(str(path))
    try:
        conn.execute("PRAGMA key = '" + raw_key.replace("'", "''") + "'")
        conn.execute("PRAGMA cipher_compatibility = 4")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher.DatabaseError:
        return False
    finally:
        conn.close()
    return True


def _keyed_as_before(path: Path, new: Path, raw_key: str) -> Path:
    """Re-key a bundle with the passphrase exactly as typed: what versions before NFC wrote."""
    conn = sqlcipher.connect(str(path))
    conn.execute("PRAGMA key = '" + unicodedata.normalize("NFC", raw_key).replace("'", "''") + "'")
    conn.execute("PRAGMA cipher_compatibility = 4")
    conn.execute("PRAGMA rekey = '" + raw_key.replace("'", "''") + "'")
    conn.close()
    path.rename(new)
    return new


def test_a_bundle_is_keyed_with_the_nfc_passphrase(laptop: Caseload, tmp_path: Path) -> None:
    out = tmp_path / "decomposed.jlb"
    count = write_bundle(laptop, out, DECOMPOSED)  # typed on a system that decomposes accents
    assert _opens_with(out, COMPOSED)
    assert not _opens_with(out, DECOMPOSED)
    for typed in (COMPOSED, DECOMPOSED):
        info, events = read_bundle(out, typed)
        assert len(events) == count == laptop.counts()["journey_log"]
        assert info["device_id"] == laptop.device_id


def test_a_bundle_keyed_before_normalisation_still_opens(laptop: Caseload, tmp_path: Path) -> None:
    made = tmp_path / "made.jlb"
    count = write_bundle(laptop, made, COMPOSED)
    old = _keyed_as_before(made, tmp_path / "old.jlb", DECOMPOSED)
    assert _opens_with(old, DECOMPOSED)
    assert not _opens_with(old, COMPOSED)
    for typed in (DECOMPOSED, COMPOSED):  # as it was typed then, or composed on another laptop
        _info, events = read_bundle(old, typed)
        assert len(events) == count
    with pytest.raises(WrongPassphrase):
        read_bundle(old, "cafe au lait, s'il vous plait")


@settings(max_examples=30, deadline=None)
@given(st.text(min_size=1, max_size=12))
def test_every_form_of_a_passphrase_is_tried_nfc_first(text: str) -> None:
    forms = bundle_file.passphrase_forms(text)
    assert forms[0] == unicodedata.normalize("NFC", text)
    assert text in forms
    assert unicodedata.normalize("NFD", text) in forms
    assert len(forms) == len(set(forms)) <= 3


ACCENTED = st.text(
    alphabet=st.sampled_from(
        "aeiouncAEIOUNC \u00e9\u00e8\u00f1\u00e7\u00fc\u0301\u0300\u0303\u0327"
    ),
    min_size=8,
    max_size=16,
).filter(lambda t: len(unicodedata.normalize("NFC", t)) >= 8)


@settings(max_examples=6, deadline=None)
@given(typed=ACCENTED)
def test_any_typing_of_the_same_words_opens_the_bundle(
    typed: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Written with the words typed one way, read with them typed any other way (composed,
    decomposed or as typed), before the change (keyed as typed) or after (keyed NFC)."""
    folder = tmp_path_factory.mktemp("forms")
    info = {"device_id": "d", "made_at": "2026-11-28T12:00:00+00:00", "made_by": "a"}
    new = folder / "new.jlb"
    bundle_file.write(new, typed, {**info, "events": "0"}, [], total=0)
    bundle_file.write(folder / "o.jlb", typed, {**info, "events": "0"}, [], total=0)
    old = _keyed_as_before(folder / "o.jlb", folder / "old.jlb", typed)
    for form in ("NFC", "NFD"):
        again = unicodedata.normalize(form, typed)
        assert bundle_file.read(new, again)[0]["device_id"] == "d"
    assert bundle_file.read(old, typed)[0]["device_id"] == "d"
