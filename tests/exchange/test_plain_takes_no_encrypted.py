"""A caseload that is not encrypted (a demo caseload) takes in no bundle from an encrypted one:
merged, real parents' details would sit in a file anyone can read. A plain caseload's bundle
still merges into a plain one (a trial run) and into an encrypted one; nothing is changed by a
refusal."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from journeyapp.caseload import Caseload
from journeyapp.cli import cli
from journeyapp.core.errors import BundleError
from journeyapp.demo import build_demo
from journeyapp.exchange.bundle import merge_bundle, write_bundle
from tests.clock import ticking_clock
from tests.conftest import TODAY

KEY = "four quiet river stones"
BUNDLE_KEY = "bundle pass phrase 42 x"
CANARY = "Zyxwoqcanary"


def _caseload(path: Path, *, encrypted: bool, participants: int = 0) -> Caseload:
    c = (
        Caseload.open(path, KEY, create=True)
        if encrypted
        else Caseload.open(path, create=True, plain=True)
    )
    c.clock = ticking_clock(TODAY)
    if participants:
        build_demo(c, participants=participants, seed=2, today=TODAY)
    return c


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("encrypted_source", [True, False], ids=["from-encrypted", "from-plain"])
@pytest.mark.parametrize("encrypted_target", [True, False], ids=["into-encrypted", "into-plain"])
def test_a_plain_caseload_takes_no_bundle_from_an_encrypted_one(
    tmp_path: Path, encrypted_source: bool, encrypted_target: bool
) -> None:
    source = _caseload(tmp_path / "laptop.db", encrypted=encrypted_source)
    source.enrol_participant(CANARY, "fife", full_name=f"{CANARY} Quill")
    out = tmp_path / "laptop.jlb"
    write_bundle(source, out, BUNDLE_KEY)
    source.close()
    target_path = tmp_path / "target.db"
    target = _caseload(target_path, encrypted=encrypted_target, participants=3)
    before = [p.id for p in target.participants()]
    if encrypted_source and not encrypted_target:
        target.close()
        held = _digest(target_path)
        with pytest.raises(BundleError, match="not encrypted") as refused:
            again = Caseload.open(target_path, plain=True)
            try:
                merge_bundle(again, out, BUNDLE_KEY)
            finally:
                again.close()
        assert "Nothing was merged" in refused.value.message
        assert "journeyapp passphrase" in refused.value.message
        assert _digest(target_path) == held
        assert CANARY.encode() not in b"".join(
            p.read_bytes() for p in tmp_path.glob("target.db*") if p.is_file()
        )
        # The command line refuses it in one line, the same words, and changes nothing.
        result = CliRunner(env={"JOURNEYAPP_BUNDLE_PASSPHRASE": BUNDLE_KEY}).invoke(
            cli, ["merge", "--db", str(target_path), str(out)]
        )
        assert result.exit_code == 1, result.output
        errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
        assert len(errors) == 1, result.output
        assert "not encrypted" in errors[0]
        assert _digest(target_path) == held
        return
    merge_bundle(target, out, BUNDLE_KEY)
    names = {p.preferred_name for p in target.participants()}
    assert CANARY in names
    assert len(names) == len(before) + 1
    target.close()
