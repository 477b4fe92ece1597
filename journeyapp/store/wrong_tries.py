"""Wrong passphrase tries per caseload file, kept between runs (a JSON file in the state folder),
so quitting and starting again does not reset the delay. Holds no passphrase and no name: a hash
of the file's path, a count and a time."""

from __future__ import annotations

import hashlib
import json
import os
from contextlib import suppress
from pathlib import Path


def _key(caseload: Path) -> str:
    return hashlib.sha256(str(Path(caseload).resolve()).encode()).hexdigest()[:32]


def _read(store: Path) -> dict[str, dict[str, float]]:
    with suppress(OSError, ValueError):
        data = json.loads(store.read_text(encoding="utf-8"))
        if isinstance(data, dict):
            return data
    return {}


def load(store: Path, caseload: Path) -> tuple[int, float]:
    """(wrong tries in a row, wall-clock time before which no try is allowed) for a caseload."""
    entry = _read(store).get(_key(caseload), {})
    return int(entry.get("failures", 0)), float(entry.get("not_before", 0.0))


def save(store: Path, caseload: Path, failures: int, not_before: float) -> None:
    """Remember the tries for a caseload (forget them when `failures` is 0)."""
    data = _read(store)
    if failures:
        data[_key(caseload)] = {"failures": failures, "not_before": not_before}
    else:
        data.pop(_key(caseload), None)
    # A failure to write must not stop an unlock: the delay then lasts only this run.
    with suppress(OSError):
        store.parent.mkdir(parents=True, exist_ok=True)
        scratch = store.with_suffix(".tmp")
        scratch.write_text(json.dumps(data), encoding="utf-8")
        os.replace(scratch, store)
