"""A file that cannot be a journey-log bundle is named for what it is before anyone is asked for
a passphrase, and nothing is merged: a coordinator given a caseload, a picture, a text file, an
empty or cut-short copy learns that from the file, not from "That passphrase does not open…"
after typing one."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeyapp.cli import cli
from journeyapp.core.errors import BundleError
from journeyapp.exchange.bundle import require_bundle, write_bundle
from tests.exchange.test_cli import make_laptop

PAGE = 512  # every SQLite or SQLCipher file is whole pages of at least this size


def _dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture(scope="module")
def laptop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("laptop") / "laptop.db"
    make_laptop(path, 7)
    return path


def _refused_without_asking(
    runner: CliRunner, db: Path, bundle: Path, commands: tuple[str, ...] = ("merge", "import")
) -> str:
    """The one error line of `merge` and of `import` of `bundle`, given no passphrase at all
    (none in the environment, none typed): the file is what is wrong, not the passphrase."""
    lines = []
    for command in commands:
        result = runner.invoke(cli, [command, "--db", str(db), str(bundle)], input="")
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output
        errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
        assert len(errors) == 1, result.output
        assert "passphrase" not in errors[0].casefold(), errors[0]
        lines.append(errors[0])
    assert len(set(lines)) == 1
    return lines[0]


@pytest.mark.parametrize(
    ("contents", "said"),
    [
        (b"Aileen's notes for the coordinator\n", "is a text file, not a journey-log bundle"),
        (b"\x89PNG\r\n\x1a\n" + bytes(3000), "is a PNG picture, not a journey-log bundle"),
        (b"%PDF-1.7\n" + bytes(900), "is a PDF document, not a journey-log bundle"),
        (b"", "is empty, so it is not a journey-log bundle"),
        (bytes(range(256)) * 20 + b"cut", "is not a whole journey-log bundle"),
    ],
)
def test_a_file_that_cannot_be_a_bundle_is_named_before_any_passphrase(
    tmp_path: Path, laptop: Path, contents: bytes, said: str
) -> None:
    db = tmp_path / "coordinator.db"
    shutil.copyfile(laptop, db)
    before = _dump(db)
    bundle = tmp_path / "from-aileen.jlb"
    bundle.write_bytes(contents)
    line = _refused_without_asking(CliRunner(), db, bundle)
    assert f"from-aileen.jlb {said}" in line
    assert "Send my journey log" in line  # how to get the right file
    assert _dump(db) == before


def test_a_caseload_given_as_a_bundle_is_named_and_neither_file_changes(
    tmp_path: Path, laptop: Path
) -> None:
    db = tmp_path / "coordinator.db"
    shutil.copyfile(laptop, db)
    before = _dump(db)
    # As a caseload file, to merge; renamed as a bundle, to merge or import.
    for name, commands in (("aileen.db", ("merge",)), ("aileen.jlb", ("merge", "import"))):
        given = tmp_path / name
        shutil.copyfile(laptop, given)
        given_before = given.read_bytes()
        line = _refused_without_asking(CliRunner(), db, given, commands)
        assert f"{name} is not encrypted, so it is not a journey-log bundle" in line
        assert "caseload" in line
        assert given.read_bytes() == given_before
    assert _dump(db) == before


def test_a_folder_is_named_as_a_folder(tmp_path: Path, laptop: Path) -> None:
    db = tmp_path / "coordinator.db"
    shutil.copyfile(laptop, db)
    folder = tmp_path / "bundles"
    folder.mkdir()
    result = CliRunner().invoke(cli, ["merge", "--db", str(db), str(folder)], input="")
    assert result.exit_code == 1
    assert f"{folder} is a folder; choose the bundle file (.jlb) inside it." in result.output


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(contents=st.binary(min_size=1, max_size=3 * PAGE))
def test_no_file_of_ragged_size_or_plain_sqlite_gets_to_the_passphrase(
    tmp_path_factory: pytest.TempPathFactory, contents: bytes
) -> None:
    """The invariant: whatever its bytes, a file that is not whole pages, or whose header says
    it is unencrypted SQLite, is refused by its kind; only whole pages of unknown bytes are
    left for a passphrase to tell."""
    for data in (contents, b"SQLite format 3\x00" + contents):
        path = tmp_path_factory.mktemp("odd") / "odd.jlb"
        path.write_bytes(data)
        if len(data) % PAGE == 0 and not data.startswith(b"SQLite format 3\x00"):
            require_bundle(path)  # may be a bundle: the passphrase decides
            continue
        with pytest.raises(BundleError) as refused:
            require_bundle(path)
        assert "journey-log bundle" in refused.value.message
        assert "passphrase" not in refused.value.message.casefold()


def test_a_real_bundle_is_not_refused_by_its_kind(tmp_path: Path, laptop: Path) -> None:
    from journeyapp.caseload import Caseload

    caseload = Caseload.open(laptop)
    try:
        out = tmp_path / "real.jlb"
        write_bundle(caseload, out, "a long bundle passphrase")
    finally:
        caseload.close()
    require_bundle(out)  # nothing to say before the passphrase


SQLCIPHER_PAGE = 4096  # a bundle's pages (SQLCipher 4's default)
BUNDLE_PASSPHRASE = "a long bundle passphrase"


@pytest.fixture(scope="module")
def sent(tmp_path_factory: pytest.TempPathFactory, laptop: Path) -> tuple[Path, Path]:
    """A real bundle of the laptop's journeys, and an empty coordinator's caseload that has
    none of them (so a merge reads every page it needs)."""
    from journeyapp.caseload import Caseload

    folder = tmp_path_factory.mktemp("sent")
    caseload = Caseload.open(laptop)
    try:
        write_bundle(caseload, folder / "aileen.jlb", BUNDLE_PASSPHRASE)
    finally:
        caseload.close()
    Caseload.open(folder / "coordinator.db", create=True, plain=True).close()
    return folder / "aileen.jlb", folder / "coordinator.db"


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_a_bundle_damaged_after_its_first_page_is_named_damaged_in_one_line(
    tmp_path_factory: pytest.TempPathFactory,
    sent: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
    data: st.DataObject,
) -> None:
    """The invariant: a bundle cut short at a page boundary, or with any byte after its first
    page changed (as a bad copy or a hand would), opened with the right passphrase, is either
    merged (a page the merge never needed) or refused in one short line that says the file is
    damaged and to ask for a new one: not that the passphrase is wrong (it is right), and no
    lines of SQLite's own check; the coordinator's caseload is unchanged."""
    # Not compared with the whole read (differential_merge undone): that refuses a damaged
    # page the shortcut never needs to read (test_bundle_merge, one byte flipped).
    monkeypatch.undo()
    bundle, coordinator = sent
    whole = bundle.read_bytes()
    pages = len(whole) // SQLCIPHER_PAGE
    assert pages >= 3
    if data.draw(st.booleans(), label="cut short"):
        damaged = whole[: SQLCIPHER_PAGE * data.draw(st.integers(1, pages - 1), label="pages")]
    else:
        at = data.draw(st.integers(SQLCIPHER_PAGE, len(whole) - 1), label="byte")
        flipped = bytearray(whole)
        flipped[at] ^= data.draw(st.integers(1, 255), label="bits")
        damaged = bytes(flipped)
    folder = tmp_path_factory.mktemp("damaged")
    db = folder / "coordinator.db"
    shutil.copyfile(coordinator, db)
    before = _dump(db)
    copy = folder / "aileen.jlb"
    copy.write_bytes(damaged)
    result = CliRunner().invoke(
        cli,
        ["merge", "--db", str(db), str(copy)],
        env={"JOURNEYAPP_BUNDLE_PASSPHRASE": BUNDLE_PASSPHRASE},
    )
    assert "Traceback" not in result.output
    if result.exit_code == 0:
        return
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1, result.output
    line = lines[0]
    assert line.startswith("Error: aileen.jlb is damaged"), line
    assert "ask for a new bundle" in line.casefold(), line
    assert "passphrase" not in line.casefold(), line
    for internal in ("***", "btree", "tree ", "page ", "malformed", "error code"):
        assert internal not in line.casefold(), line
    assert len(line) < 300, line
    assert _dump(db) == before
