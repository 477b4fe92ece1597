"""Dataclass methods compiled in one run are reused in the next, and the classes are the same."""

from __future__ import annotations

import dataclasses
import marshal
import os
import subprocess
import sys
from pathlib import Path

import pytest

from journeyapp.core import dataclass_code

ROOT = Path(__file__).resolve().parents[2]

# A child process: makes a frozen, keyword-only dataclass (as core.records does) and prints
# what its methods do, and whether the compiled code came from the file.
CHILD = """
import dataclasses, sys
import journeyapp
from journeyapp.core import dataclass_code

@dataclasses.dataclass(frozen=True, kw_only=True)
class Goal:
    words: str
    status: str = "not_started"
    steps: tuple[str, ...] = ()

a = Goal(words="find a course")
b = Goal(words="find a course")
try:
    a.words = "x"
    frozen = False
except dataclasses.FrozenInstanceError:
    frozen = True
print(repr(a), a == b, hash(a) == hash(b), frozen, Goal.__match_args__, Goal.__init__.__annotations__)
print("kept" if dataclass_code._kept else "compiled")
dataclass_code.save()
"""


def _run(prefix: Path, *, write: bool = True) -> list[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONPYCACHEPREFIX=str(prefix))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if not write:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    done = subprocess.run(
        [sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.splitlines()


def _kept_files(prefix: Path) -> list[Path]:
    return sorted(prefix.rglob("_dataclass_code.*.marshal"))


def test_the_next_run_reuses_the_compiled_methods_and_makes_the_same_class(
    tmp_path: Path,
) -> None:
    first = _run(tmp_path)
    assert first[1] == "compiled"
    assert len(_kept_files(tmp_path)) == 1
    second = _run(tmp_path)
    assert second[1] == "kept"
    assert second[0] == first[0]
    assert first[0] == (
        "Goal(words='find a course', status='not_started', steps=()) True True True () "
        "{'words': <class 'str'>, 'status': <class 'str'>, 'steps': tuple[str, ...], "
        "'return': None}"
    )


def test_nothing_is_written_without_bytecode_and_a_damaged_file_is_not_used(
    tmp_path: Path,
) -> None:
    assert _run(tmp_path, write=False)[1] == "compiled"
    assert _kept_files(tmp_path) == []
    _run(tmp_path)
    (kept,) = _kept_files(tmp_path)
    kept.write_bytes(b"not marshal data")
    assert _run(tmp_path)[1] == "compiled"  # and it is written whole again
    _header, methods = marshal.loads(kept.read_bytes())
    assert methods


def test_code_is_compiled_as_exec_would_compile_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dataclass_code, "_kept", {})
    monkeypatch.setattr(dataclass_code, "_new", {})
    # This test module has `from __future__ import annotations`; the generated code must not
    # take it (annotations stay objects, as dataclasses makes them).
    namespace: dict[str, object] = {}
    dataclass_code._exec("def f(x: int) -> None: pass", {}, namespace)
    assert namespace["f"].__annotations__ == {"x": int, "return": None}  # type: ignore[attr-defined]
    assert dataclasses.exec is dataclass_code._exec  # type: ignore[attr-defined]


def test_a_later_save_keeps_what_an_earlier_one_wrote(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dataclass_code, "_file", lambda: str(tmp_path / "kept.marshal"))
    monkeypatch.setattr(dataclass_code, "_kept", None)
    monkeypatch.setattr(dataclass_code, "_new", {})
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    namespace: dict[str, object] = {}
    dataclass_code._exec("x = 1", {}, namespace)
    dataclass_code.save()  # once the window is up…
    dataclass_code._exec("y = 2", {}, namespace)
    dataclass_code.save()  # …and at exit
    _header, methods = marshal.loads((tmp_path / "kept.marshal").read_bytes())
    assert set(methods) == {"x = 1", "y = 2"}
    assert namespace == {"x": 1, "y": 2}
