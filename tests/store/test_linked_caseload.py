"""A caseload opened through a link (kept on an encrypted drive or in a synced folder, linked
from where JourneyApp looks) is the file the link points to: encrypting it, restoring a
backup over it, its backups and its locks all act on that file, and the link stays a link."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from journeyapp import security
from journeyapp.caseload import Caseload
from journeyapp.core.access import Access
from journeyapp.core.errors import DatabaseInUse
from journeyapp.store.db import SQLITE_HEADER
from tests.clock import ticking_clock
from tests.store.test_plain_copies import _canary_in

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="links need privileges there")

CANARY = "Zyxwoqcanary"
START = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
PHRASE = "four quiet river stones"


def _linked(tmp_path: Path) -> tuple[Path, Path]:
    """(the link, the caseload file it points to), in two folders."""
    kept = tmp_path / "drive" / "caseload.db"
    kept.parent.mkdir()
    link = tmp_path / "home" / "caseload.db"
    link.parent.mkdir()
    link.symlink_to(kept)
    return link, kept


def test_encrypting_a_caseload_opened_through_a_link_encrypts_the_file_it_points_to(
    tmp_path: Path,
) -> None:
    link, kept = _linked(tmp_path)
    caseload = Caseload.open(link, create=True, plain=True)
    caseload.clock = ticking_clock(START)
    caseload.enrol_participant(CANARY, "fife", full_name=f"{CANARY} Quill")
    caseload.safety.backup(now=START)
    assert _canary_in(tmp_path)

    note = caseload.safety.change_passphrase(None, PHRASE)
    caseload.close()

    assert "1 unencrypted backup(s) made before were deleted" in note
    assert link.is_symlink()  # the person's link is kept, pointing at their caseload
    assert kept.read_bytes()[:16] not in (SQLITE_HEADER, bytes(16))
    assert _canary_in(tmp_path) == []
    for path in (link, kept):
        reopened = Caseload.open(path, PHRASE)
        try:
            assert [p.preferred_name for p in reopened.participants()] == [CANARY]
        finally:
            reopened.close()


def test_restoring_through_a_link_puts_the_backup_where_the_caseload_is_kept(
    tmp_path: Path,
) -> None:
    link, kept = _linked(tmp_path)
    caseload = Caseload.open(link, PHRASE, create=True)
    caseload.clock = ticking_clock(START)
    caseload.enrol_participant("Aoife", "fife")
    made = caseload.safety.backup(now=START)
    caseload.enrol_participant("Since", "fife")
    caseload.close()
    assert made.path.parent == kept.parent / "backups"  # beside the caseload itself
    assert [b.path for b in security.list_backups(link)] == [made.path]

    check, aside = security.restore(link, made.path, PHRASE, clock=ticking_clock(START))

    assert check.parents == 1
    assert link.is_symlink()
    assert aside is not None
    assert aside.parent == kept.parent
    assert not aside.is_symlink()
    assert aside.is_file()
    for path, names in ((link, ["Aoife"]), (aside, ["Aoife", "Since"])):
        reopened = Caseload.open(path, PHRASE)
        try:
            assert [p.preferred_name for p in reopened.participants()] == names
        finally:
            reopened.close()


def test_two_links_to_one_caseload_share_its_lock(tmp_path: Path) -> None:
    link, kept = _linked(tmp_path)
    other = tmp_path / "desktop.db"
    other.symlink_to(kept)
    Caseload.open(link, PHRASE, create=True).close()
    window = Caseload.open(link, PHRASE, access=Access.WINDOW)
    try:
        for path in (other, kept):
            with pytest.raises(DatabaseInUse, match="already open"):
                Caseload.open(path, PHRASE, access=Access.WINDOW)
    finally:
        window.close()
    Caseload.open(other, PHRASE, access=Access.WINDOW).close()


@pytest.mark.parametrize(
    "name",
    [
        "caseload.db.encrypting",
        "caseload.db.restoring",
        "caseload.db.plain-scrub-wal",
        "backups/caseload-20261201-090000.db.partial",
        "backups/caseload-20261201-090000.db.rekeying",
    ],
)
def test_a_link_named_like_a_half_written_file_is_removed_not_written_through(
    tmp_path: Path, name: str
) -> None:
    path = tmp_path / "caseload.db"
    Caseload.open(path, PHRASE, create=True).close()
    (tmp_path / "backups").mkdir(exist_ok=True)
    someone = tmp_path / "someone" / "thesis.txt"
    someone.parent.mkdir()
    someone.write_text("two years of work\n", encoding="utf-8")
    link = tmp_path / name
    link.symlink_to(someone)

    Caseload.open(path, PHRASE).close()  # every start tidies what a killed run left

    assert not link.is_symlink()
    assert someone.read_text(encoding="utf-8") == "two years of work\n"
