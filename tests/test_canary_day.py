"""The canary day (issue 17): a keyworker's scripted day with a canary name, SIGKILLs at a few
points, then every file under the data, temp, config, cache and state folders, the home folder
and the working folder is searched (caseload, backup and bundle files decrypted with their
keys), and the canary must turn up only where it is meant to be.

Meant: the encrypted caseload and backups (found only once decrypted), the encrypted bundle and
the coordinator's caseload (likewise), and the files the keyworker asked for (the identifiable
export, the plan PDF). Nowhere else, in no encoding, in no file name.

The short version runs in the suite; a longer one by hand:
    JOURNEYAPP_CANARY_KILLS=40 python -m pytest tests/test_canary_day.py -s
prints the files searched and where the canary was found (also saved as canary-report-*.json).
"""

from __future__ import annotations

import io
import json
import os
import random
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

from journeyapp.store.db import DatabaseError, FileKind, file_kind, plain_connection
from tests.clock import real_days_ago

CANARY = "Zyxwoqcanary"
SURNAME = "Quillfeather"
P1 = "four quiet river stones"
P2 = "five loud canal bricks"
BUNDLE = "seven green harbour lamps"
COORDINATOR = "three tall chimney pots"
ROOT = Path(__file__).resolve().parent.parent
KILLS = int(os.environ.get("JOURNEYAPP_CANARY_KILLS", "3"))


def _forms(word: str) -> dict[str, bytes]:
    return {
        "utf-8": word.encode(),
        "utf-8 lower": word.lower().encode(),
        "utf-16-le": word.encode("utf-16-le"),
        "utf-16-le lower": word.lower().encode("utf-16-le"),
        "utf-16-be": word.encode("utf-16-be"),
    }


def _hits(data: bytes) -> list[str]:
    return [name for name, form in _forms(CANARY).items() if form in data]


class Day:
    """The folders of one laptop, and the command line run in fresh processes within them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.folders = {
            name: root / name
            for name in ("home", "tmp", "data", "config", "cache", "state", "work")
        }
        for folder in self.folders.values():
            folder.mkdir(parents=True, exist_ok=True)
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("JOURNEYAPP")},
            "HOME": str(self.folders["home"]),
            "TMPDIR": str(self.folders["tmp"]),
            "XDG_DATA_HOME": str(self.folders["data"]),
            "XDG_CONFIG_HOME": str(self.folders["config"]),
            "XDG_CACHE_HOME": str(self.folders["cache"]),
            "XDG_STATE_HOME": str(self.folders["state"]),
            "XDG_RUNTIME_DIR": str(self.folders["tmp"]),
            "QT_QPA_PLATFORM": "offscreen",
            "PYTHONPATH": str(ROOT),
            "JOURNEYAPP_BUNDLE_PASSPHRASE": BUNDLE,
        }
        self.db = self.folders["data"] / "JourneyApp" / "caseload.db"
        self.work = self.folders["work"]
        self.passphrase = P1

    def run(self, *args: str, check: bool = True, code: str | None = None) -> str:
        env = {**self.env, "JOURNEYAPP_PASSPHRASE": self.passphrase}
        command = [sys.executable, "-c", code] if code else [sys.executable, "-m", "journeyapp"]
        done = subprocess.run(
            [*command, *args], env=env, cwd=self.work, capture_output=True, text=True, check=False
        )
        out = done.stdout + done.stderr
        assert "Traceback" not in out, out
        if check:
            assert done.returncode == 0, (args, out)
        return out

    def kill_during(self, *args: str, rng: random.Random) -> None:
        env = {**self.env, "JOURNEYAPP_PASSPHRASE": self.passphrase}
        process = subprocess.Popen(
            [sys.executable, "-m", "journeyapp", *args],
            env=env,
            cwd=self.work,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.3, 1.6))  # start-up takes most of a second
        process.send_signal(signal.SIGKILL)
        process.wait()


FIRST_RUN = """
import sys
from journeyapp import paths
from journeyapp.caseload import Caseload
from journeyapp.core.enums import ConsentPurpose
path = paths.default_db_path()
path.parent.mkdir(parents=True, exist_ok=True)
caseload = Caseload.open(path, sys.argv[1], create=True, exclusive=True)
canary = caseload.enrol_participant(
    "CANARY", "fife", full_name="CANARY SURNAME", address="CANARY's flat", notes="CANARY notes"
)
caseload.record_consent(canary.id, ConsentPurpose.HOLDING_DATA, given=True)
caseload.log_contact(canary.id, note="CANARY said the move to the refuge went well")
caseload.add_goal(canary.id, "I want CANARY's children settled at school")
caseload.add_feedback("CANARY liked the group", participant_id=canary.id)
with caseload.batch("others"):
    for n in range(150):
        caseload.enrol_participant(f"Parent {n}", "fife", full_name=f"Parent {n} " + "x" * 60)
print(canary.id)
caseload.close()
""".replace("SURNAME", SURNAME).replace("CANARY", CANARY)

NEW_CASELOAD = """
import sys
from pathlib import Path
from journeyapp.caseload import Caseload
Caseload.open(Path(sys.argv[1]), sys.argv[2], create=True).close()
"""


def _files(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path


def _decrypted(path: Path, keys: list[str]) -> tuple[str | None, str]:
    """(the key that opened it, all of its rows as text) for an SQLite/SQLCipher file."""
    kind, _ = file_kind(path)
    candidates: list[str | None] = [None] if kind == FileKind.PLAIN else list(keys)
    for key in candidates:
        conn = plain_connection(path, key)
        try:
            names = [
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            ]
            text = [repr(conn.execute(f'SELECT * FROM "{n}"').fetchall()) for n in names]
            return key, "\n".join(text)
        except DatabaseError:
            continue
        finally:
            conn.close()
    return None, ""


def _readable_text(path: Path, data: bytes) -> bytes:
    """What a person could read in a file: zip members (xlsx) unpacked, PDF text extracted."""
    if data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return b"".join(archive.read(name) for name in archive.namelist())
    if data[:4] == b"%PDF":
        from pypdf import PdfReader

        return "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).encode()
    return b""


def search(day: Day, meant: dict[Path, str], keys: list[str]) -> dict[str, object]:
    """Search every file; return what was found where, and every place it should not be."""
    report: dict[str, object] = {"files": 0, "bytes": 0, "hits": {}, "unexpected": []}
    hits: dict[str, str] = {}
    unexpected: list[str] = []
    for path in _files(day.root):
        data = path.read_bytes()
        report["files"] = int(report["files"]) + 1  # type: ignore[call-overload]
        report["bytes"] = int(report["bytes"]) + len(data)  # type: ignore[call-overload]
        where = str(path.relative_to(day.root))
        allowed = next((why for m, why in meant.items() if path == m or m in path.parents), None)
        found = _hits(data) + [f"inside: {h}" for h in _hits(_readable_text(path, data))]
        if CANARY.lower() in path.name.lower() and allowed is None:
            unexpected.append(f"{where}: the canary in the file name")
        if file_kind(path)[0] in (FileKind.PLAIN, FileKind.ENCRYPTED) and len(data) >= 512:
            key, text = _decrypted(path, keys)
            if key is not None and CANARY in text:
                found.append(f"decrypted ({'plain' if key is None else 'with its key'})")
            if file_kind(path)[0] == FileKind.PLAIN and CANARY in text:
                found.append("UNENCRYPTED SQLite")
        if not found:
            continue
        hits[where] = ", ".join(found)
        raw = [f for f in found if not f.startswith("decrypted")]
        if allowed is None or (allowed == "encrypted" and raw):
            unexpected.append(f"{where}: {', '.join(found)}")
    report["hits"] = hits
    report["unexpected"] = unexpected
    return report


def test_the_canary_is_only_where_it_is_meant_to_be(tmp_path: Path) -> None:
    rng = random.Random(17)
    day = Day(tmp_path)
    work = day.work
    # First run: a new encrypted caseload, a canary parent with notes in their own words.
    canary_id = day.run(P1, code=FIRST_RUN).strip().splitlines()[-1]
    # An import whose file name names the parent (the audit event must not keep it).
    sheet = work / f"{CANARY.lower()}-{SURNAME.lower()}-refuge-move.csv"
    joined = real_days_ago(60)  # `import` runs for real: a day past on the real clock
    sheet.write_text(f"ref,preferred_name,locality,joined_on\nR1,Ann,fife,{joined}\n", "utf-8")
    day.run("import", str(sheet))
    # Preview (in a window process, offscreen) and print to PDF.
    day.run(
        str(day.db),
        P1,
        canary_id,
        code=(
            "import sys\nfrom pathlib import Path\nfrom PySide6.QtWidgets import QApplication\n"
            "from journeyapp.caseload import Caseload\n"
            "from journeyapp.ui.dialogs.plan_preview import PlanPreviewDialog\n"
            "app = QApplication([])\n"
            "c = Caseload.open(Path(sys.argv[1]), sys.argv[2], exclusive=True)\n"
            "d = PlanPreviewDialog(c, sys.argv[3]); d.show(); d.kind.setCurrentIndex(1)\n"
            "assert d.document.pageCount() > 0\nd.close(); c.close()\n"
        ),
    )
    day.run("plan", CANARY, "--out", str(work / "asked" / "plan.pdf"))
    # Exports: identifiable (asked for) and pseudonymised (must hold no name).
    day.run("export", "--identifiable", "--yes", "--out", str(work / "asked" / "identifiable"))
    day.run("export", "--format", "xlsx", "--out", str(work / "pseudonymised.xlsx"))
    day.run("export", "--format", "jsonl", "--out", str(work / "pseudonymised"))
    # Bundle to the coordinator, merged into their own encrypted caseload.
    coordinator = work / "coordinator" / "coordinator.db"
    coordinator.parent.mkdir()
    day.run(str(coordinator), COORDINATOR, code=NEW_CASELOAD)
    day.run("bundle", "--out", str(work / "mine.jlb"))
    day.passphrase = COORDINATOR
    day.run("merge", "--db", str(coordinator), str(work / "mine.jlb"))
    day.passphrase = P1
    # Backups, one to a USB stick.
    day.run("backup")
    (work / "usb").mkdir()
    day.run("backup", "--out", str(work / "usb" / "copy.db"))
    # SIGKILL at a few points: a backup, an identifiable export, a bundle, a merge.
    half_written: list[str] = []
    for n in range(KILLS):
        what = n % 4
        if what == 0:
            day.kill_during("backup", rng=rng)
        elif what == 1:
            day.kill_during(
                "export", "--identifiable", "--yes", "--out", str(work / f"killed-{n}"), rng=rng
            )
        elif what == 2:
            day.kill_during("bundle", "--out", str(work / f"killed-{n}.jlb"), rng=rng)
        else:
            day.passphrase = COORDINATOR
            day.kill_during("merge", "--db", str(coordinator), str(work / "mine.jlb"), rng=rng)
            day.passphrase = P1
        half_written += [
            str(p.relative_to(tmp_path))
            for p in [*work.rglob("*.partial"), *day.db.parent.rglob("*.partial")]
            if str(p.relative_to(tmp_path)) not in half_written
        ]
        for leftover in work.glob(f"killed-{n}*"):  # whole ones were asked for: delete them
            if leftover.is_dir() and not leftover.name.endswith(".partial"):
                for f in leftover.iterdir():
                    f.unlink()
                leftover.rmdir()
            elif leftover.is_file() and not leftover.name.endswith(".partial"):
                leftover.unlink()
    day.run("check")  # the next start tidies what the killed runs left
    # The passphrase changes: every backup follows it.
    (day.folders["home"] / "new-passphrase").write_text(P2, "utf-8")
    out = day.run(
        "passphrase", "--new-passphrase-file", str(day.folders["home"] / "new-passphrase")
    )
    assert "now open with the new passphrase" in out
    day.passphrase = P2
    (day.folders["home"] / "new-passphrase").unlink()
    # Erase, then restore the backup from before the erasure: they are erased again.
    backups = sorted((day.db.parent / "backups").glob("caseload-*.db"))
    day.run("erase", canary_id, "--confirm-name", CANARY)
    out = day.run("restore", str(backups[-1]))
    assert "1 parent erased since this backup will be erased again." in out
    day.run("check")

    meant = {
        work / "asked": "asked for",
        sheet: "the keyworker's own file",
        day.db.parent / "backups": "encrypted",
        work / "usb": "encrypted",
        work / "mine.jlb": "encrypted",
        coordinator.parent: "encrypted",
    }
    # The restored caseload's set-aside file (from before the restore) is an encrypted backup.
    for aside in day.db.parent.glob("caseload.db.before-restore-*"):
        meant[aside] = "encrypted"
    report = search(day, meant, [P1, P2, BUNDLE, COORDINATOR])
    report["kills"] = KILLS
    report["half_written_by_kills_then_removed"] = half_written
    leftovers = [p for p in tmp_path.rglob("*") if p.name.endswith((".partial", ".rekeying"))]
    assert leftovers == [], leftovers
    summary = json.dumps(report, indent=2)
    sys.stdout.write(summary + "\n")  # the long run reports by hand (-s)
    (tmp_path.parent / f"canary-report-{tmp_path.name}.json").write_text(summary, "utf-8")
    assert report["unexpected"] == [], summary
    # And it was really searched for: found where it is meant to be.
    hits = report["hits"]
    assert isinstance(hits, dict)
    assert any(k.startswith("work/asked/identifiable") for k in hits), summary
    assert any("backups" in k and "decrypted" in v for k, v in hits.items()), summary
    assert any(k.endswith("coordinator.db") for k in hits), summary
    assert "data/JourneyApp/caseload.db" not in hits  # erased, and erased again after restore
