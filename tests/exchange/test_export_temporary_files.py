"""An identifiable workbook export keeps the parents' details where the person chose: the
sheets openpyxl writes to temporary files first are made beside the export, not in the system's
shared temporary folder, and go when the export ends, is stopped, or (killed) at the next start."""

from __future__ import annotations

import os
import signal
import sys
import tempfile
from pathlib import Path

import pytest

from journeyapp import paths
from journeyapp.caseload import Caseload
from journeyapp.core.private_files import remove_abandoned
from journeyapp.exchange.export import ExportOptions, export
from tests.store.test_erasure import CANARY, _enrol_canary, _hits

KEY = bytes(range(32))


def _with_canary(folder: Path) -> list[str]:
    return [
        str(p.relative_to(folder))
        for p in folder.rglob("*")
        if p.is_file() and not p.is_symlink() and _hits(p.read_bytes())
    ]


@pytest.fixture
def system_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The system's shared temporary folder, as this test's own folder."""
    folder = tmp_path / "system-temp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def caseload(tmp_path: Path) -> Caseload:
    caseload = Caseload.open(tmp_path / "caseload.db", KEY, create=True)
    pid = _enrol_canary(caseload)
    for n in range(300):  # enough rows that the export reports progress several times
        caseload.log_contact(pid, note=f"{CANARY} visit {n}")
    yield caseload
    caseload.close()


class Stop(Exception):
    """Cancel, pressed part-way through."""


def test_a_stopped_identifiable_workbook_export_leaves_no_details_anywhere(
    caseload: Caseload, tmp_path: Path, system_temp: Path
) -> None:
    out = tmp_path / "chosen" / "everyone.xlsx"
    seen: list[list[str]] = []

    def progress(done: int, total: int) -> None:
        # Part-way: what is written so far is beside the export, never in the shared folder.
        seen.append(_with_canary(system_temp))
        if done > total // 2:
            raise Stop

    with pytest.raises(Stop):
        export(caseload, out, ExportOptions(format="xlsx", identifiable=True), progress=progress)
    assert seen
    assert seen == [[] for _ in seen]
    assert list(system_temp.iterdir()) == []
    assert list(out.parent.iterdir()) == []  # nothing half-written beside it either
    # The caseload itself is encrypted: the details are nowhere readable.
    assert _with_canary(tmp_path) == []


def test_a_finished_identifiable_workbook_export_is_the_only_readable_copy(
    caseload: Caseload, tmp_path: Path, system_temp: Path
) -> None:
    out = tmp_path / "chosen" / "everyone.xlsx"
    export(caseload, out, ExportOptions(format="xlsx", identifiable=True))
    assert list(system_temp.iterdir()) == []
    assert sorted(p.name for p in out.parent.iterdir()) == ["everyone.xlsx"]
    assert (out.stat().st_mode & 0o777) == 0o600


@pytest.mark.skipif(sys.platform == "win32" or not hasattr(os, "fork"), reason="needs fork")
def test_a_killed_identifiable_workbook_export_is_removed_at_the_next_start(
    caseload: Caseload, tmp_path: Path, system_temp: Path
) -> None:
    out = tmp_path / "chosen" / "everyone.xlsx"
    ready_read, ready_write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the killed run
        try:
            os.close(ready_read)

            def progress(done: int, total: int) -> None:
                if done > total // 2:
                    os.write(ready_write, b"x")
                    signal.pause()  # killed here, part-way through

            export(
                caseload.reopen(),
                out,
                ExportOptions(format="xlsx", identifiable=True),
                progress=progress,
            )
        finally:
            os._exit(1)
    os.close(ready_write)
    assert os.read(ready_read, 1) == b"x"
    os.kill(child, signal.SIGKILL)
    os.waitpid(child, 0)
    os.close(ready_read)
    assert list(system_temp.iterdir()) == []
    left = list(out.parent.iterdir())
    assert left  # the half-written sheets, in the folder the person chose
    remove_abandoned(paths.in_progress_register())  # what the next start does
    assert list(out.parent.iterdir()) == []
    assert _with_canary(tmp_path) == []
