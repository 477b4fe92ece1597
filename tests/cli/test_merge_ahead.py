"""A merge's digest and key started from the command line's first lines (journeyapp.ahead):
the command reuses them (one derivation, one digest per file), and every other command line
behaves exactly as it did without the early start (issue 18)."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from journeyapp import ahead, paths
from journeyapp.cli import cli, options
from journeyapp.core import file_digests, key_derivation
from tests.exchange.test_cli import COORDINATOR, make_laptop

ROOT = Path(__file__).resolve().parents[2]
BUNDLE_PHRASE = "a long bundle passphrase"
# main() with the early start turned off: the command line as it was before journeyapp.ahead.
WITHOUT = """
import sys
import journeyapp.ahead
journeyapp.ahead.start = lambda argv=None: None
sys.argv = ["journeyapp", *sys.argv[1:]]
from journeyapp.cli import main
main()
"""


@pytest.fixture
def setting(tmp_path: Path) -> dict[str, Path]:
    """A bundle from a laptop, a coordinator's encrypted caseload, a bundle passphrase file."""
    make_laptop(tmp_path / "a.db", 1)
    env = {"JOURNEYAPP_BUNDLE_PASSPHRASE": BUNDLE_PHRASE}
    out = tmp_path / "a.jlb"
    runner = CliRunner()
    made = runner.invoke(
        cli, ["bundle", "--db", str(tmp_path / "a.db"), "--out", str(out)], env=env
    )
    assert made.exit_code == 0, made.output
    coordinator = tmp_path / "coord.db"
    made = runner.invoke(
        cli, ["new", "--db", str(coordinator)], env={"JOURNEYAPP_PASSPHRASE": COORDINATOR}
    )
    assert made.exit_code == 0, made.output
    secret = tmp_path / "bundle.txt"
    secret.write_text(BUNDLE_PHRASE + "\n")
    secret.chmod(0o600)
    return {"bundle": out, "db": coordinator, "secret": secret, "dir": tmp_path}


def test_names_agree_with_the_options() -> None:
    assert ahead.BUNDLE_PASSPHRASE_ENV == options.BUNDLE_PASSPHRASE_ENV
    assert ahead.DB_ENV == paths.DB_ENV


def test_which_lines_start_early(setting: dict[str, Path]) -> None:
    bundle, db, secret = str(setting["bundle"]), str(setting["db"]), str(setting["secret"])
    env = {"JOURNEYAPP_BUNDLE_PASSPHRASE": "from the environment"}
    starts = [
        (["merge", "--db", db, bundle], env, "from the environment"),
        (["merge", bundle, "--db", db], env, "from the environment"),
        (["merge", f"--db={db}", "--", bundle], env, "from the environment"),
        (["import", "--db", db, bundle], env, "from the environment"),
        (
            ["merge", "--bundle-passphrase-file", secret, bundle],
            {"JOURNEYAPP_DB": db},
            BUNDLE_PHRASE,
        ),
        (["merge", bundle, "--passphrase-file", secret, "--db", db], env, "from the environment"),
    ]
    for argv, environ, phrase in starts:
        assert ahead.plan(argv, environ) == ([Path(bundle)], phrase), argv
    nothing: list[tuple[list[str], dict[str, str]]] = [
        (["merge"], env),
        (["merge", "--db", db], env),
        (["merge", "--db", db, str(setting["dir"])], env),
        (["merge", "--db", db, str(setting["dir"] / "missing.jlb")], env),
        (["merge", bundle], env),  # no --db: the default caseload is the command's to find
        (["merge", "--db", str(setting["dir"] / "none.db"), bundle], env),
        (["merge", "--db", db, bundle], {}),  # the passphrase will be asked for
        (["merge", "--db", db, bundle, "--help"], env),
        (["merge", "--db", db, "--db", db, bundle], env),
        (["merge", "--db", db, bundle, "--unknown"], env),
        (["merge", "--db"], env),
        (["import", "--db", db, bundle, "--dry-run"], env),
        (["import", "--db", db, bundle, bundle], env),
        (["import", "--db", db, str(setting["db"])], env),  # a spreadsheet's way, not a bundle's
        (["--db", db, "merge", bundle], env),
        (["export", "--db", db, bundle], env),
        (["merge", "--db", db, "--bundle-passphrase-file", db, bundle], env),  # not one line
        (["merge", "--db", db, "--bundle-passphrase-file", str(setting["dir"]), bundle], env),
        ([], env),
    ]
    for argv, environ in nothing:
        assert ahead.plan(argv, environ) == ([], ""), argv


def test_the_command_reuses_what_was_started(
    setting: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    derivations: list[bytes] = []
    digests: list[Path] = []
    real_pbkdf2 = hashlib.pbkdf2_hmac
    real_start = file_digests._start

    def counting_pbkdf2(name: str, secret: bytes, salt: bytes, *args: Any) -> bytes:
        derivations.append(salt)
        return real_pbkdf2(name, secret, salt, *args)

    def counting_start(path: Path) -> file_digests.FileDigest:
        digests.append(path)
        return real_start(path)

    monkeypatch.setattr(hashlib, "pbkdf2_hmac", counting_pbkdf2)
    monkeypatch.setattr(file_digests, "_start", counting_start)
    key_derivation.forget()
    bundle = setting["bundle"]
    argv = ["merge", str(bundle), "--db", str(setting["db"])]
    argv += ["--bundle-passphrase-file", str(setting["secret"])]
    monkeypatch.setenv("JOURNEYAPP_PASSPHRASE", COORDINATOR)
    ahead.start(argv)
    merged = CliRunner().invoke(cli, argv)
    assert merged.exit_code == 0, merged.output
    assert "0 already here" in merged.output
    salt = bundle.read_bytes()[: key_derivation.SALT_BYTES]
    assert derivations.count(salt) == 1  # the bundle's key, derived once
    assert [Path(p) for p in digests].count(bundle) == 1  # its digest, worked out once


def _run(code: list[str], args: list[str], env: dict[str, str]) -> tuple[int, str, str]:
    done = subprocess.run(
        [sys.executable, *code, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.returncode, done.stdout, done.stderr


def test_odd_lines_behave_as_before(setting: dict[str, Path]) -> None:
    bundle, db, secret = str(setting["bundle"]), str(setting["db"]), str(setting["secret"])
    folder = setting["dir"]
    kept = folder / "coord-kept.db"
    shutil.copyfile(db, kept)
    home = folder / "home"
    home.mkdir()
    env = {key: value for key, value in os.environ.items() if not key.startswith("JOURNEYAPP_")}
    env.update(
        PYTHONPATH=str(ROOT),
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_CACHE_HOME=str(home / "cache"),
        JOURNEYAPP_PASSPHRASE=COORDINATOR,
    )
    wrong = {"JOURNEYAPP_BUNDLE_PASSPHRASE": "not the bundle's passphrase"}
    right = {"JOURNEYAPP_BUNDLE_PASSPHRASE": BUNDLE_PHRASE}
    lines: list[tuple[list[str], dict[str, str]]] = [
        (["merge"], right),
        (["merge", "--db", db], right),
        (["merge", "--db", db, str(folder)], right),
        (["merge", "--db", db, str(folder / "missing.jlb")], right),
        (["merge", bundle], right),  # no --db: the default caseload, which is not there
        (["merge", "--db", str(folder / "none.db"), bundle], right),
        (["merge", bundle, "--db", db], wrong),  # early start with a wrong passphrase: refused
        (["merge", "--bundle-passphrase-file", secret, "--db", db, bundle], {}),  # merged
        (["merge", "--db", db, bundle, "--help"], right),
        (["merge", "--help"], right),
        (["merge", "--db", db, bundle, "--unknown"], right),
        (["import", "--db", db, bundle, "--dry-run"], right),
        (["import", bundle, "--db", db], right),  # merged
    ]
    codes = []
    for args, extra in lines:
        results = []
        for code in (["-m", "journeyapp"], ["-c", WITHOUT]):
            shutil.copyfile(kept, db)  # each run merges into the same caseload, as it was
            results.append(_run(code, args, {**env, **extra}))
        assert results[0] == results[1], args
        codes.append(results[0][0])
    # (the lines really ran: refused with 1 or 2, merged or helped with 0)
    assert codes == [2, 2, 1, 1, 1, 1, 1, 0, 0, 0, 2, 1, 0]
    merged = _run(["-m", "journeyapp"], ["merge", "--db", db, bundle], {**env, **right})
    assert merged[0] == 0, merged
    assert "already here" in merged[1]
