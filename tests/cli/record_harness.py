"""What the record commands' harnesses share (`strength`, `meeting`, `feedback`, `group`): the
command's caseload file beside the window's, the parent in it, the id a command printed, and the
journey log with ids and times left out, to compare the two field for field."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from click.testing import Result
from hypothesis import strategies as st

from journeyapp.caseload import Caseload
from journeyapp.core.records import Event
from tests.clock import real_days_ago, real_today, ticking_clock

NAME = "Siobhán"


@dataclass
class Held:
    """One record: its id on the command's file and on the window's, and what it holds."""

    a: str
    b: str
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass
class Files:
    """The command's caseload (a) and the window's (b, open throughout), with what each holds."""

    a: Path
    b: Caseload
    pid_b: str
    held: list[Held] = field(default_factory=list)


@contextmanager
def caseload_at(path: Path) -> Iterator[Caseload]:
    opened = Caseload.open(path, create=not path.exists(), plain=True)
    opened.clock = ticking_clock(real_today())
    try:
        if not opened.participants():
            opened.enrol_participant(NAME, "fife", joined_on=real_days_ago(200))
        yield opened
    finally:
        opened.close()


def pid_of(caseload: Caseload) -> str:
    [person] = caseload.participants()
    return person.id


def made_id(result: Result) -> str:
    assert result.exit_code == 0, result.output
    found = re.search(r"\(id ([0-9a-f-]{36})\)", result.stdout)
    assert found, result.stdout
    return found.group(1)


def events(caseload: Caseload, pid: str) -> list[tuple[str, str, dict[str, object]]]:
    """The journey log after the parent was added, ids and times left out."""
    ids = {"id", "participant_id", "created_at", "updated_at"}

    def fields(e: Event) -> dict[str, object]:
        kept = {k: v for k, v in e.fields.items() if k not in ids}
        replaced = kept.get("_replaced")
        if isinstance(replaced, dict):  # the events replaced: their ids differ by nature
            kept["_replaced"] = {k: len(v) for k, v in replaced.items()}
        return kept

    return [(e.kind, e.action, fields(e)) for e in caseload.events(pid) if e.kind != "participants"]


# What a harness step is: it does one thing to both files (through the command on a, the
# window's use cases on b) and checks them; whether it needs a record held already.
Doing = Callable[[Files, Callable[..., Any]], None]


def drive(
    tmp_path: Path,
    data: st.DataObject,
    doings: dict[str, tuple[Doing, bool]],
    opened: Callable[[Path], AbstractContextManager[Caseload]] = caseload_at,
) -> None:
    """The harness: the command's file (alone in its folder, for the refusals' folder check)
    and the window's, then 6 to 14 doings drawn from `doings`, each one that needs a record
    only once one is held."""
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    (folder / "command").mkdir()
    a = folder / "command" / "caseload.db"
    with opened(a):
        pass
    with opened(folder / "window.db") as b:
        files = Files(a, b, pid_of(b))
        for _ in range(data.draw(st.integers(6, 14), label="how many")):
            can = [name for name, (_, needs) in doings.items() if not needs or files.held]
            doing, _ = doings[data.draw(st.sampled_from(can), label="doing")]
            doing(files, data.draw)
