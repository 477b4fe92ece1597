"""Dataclass methods from kept code: the same classes, nothing compiled again, and a kept file
that is damaged or not safely this user's is ignored (core.dataclass_code)."""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
from pathlib import Path

import pytest

from journeyapp.core import dataclass_code

ROOT = Path(__file__).resolve().parents[2]

# Makes a few dataclasses (frozen, keyword-only, defaults, slots) with the kept code in the
# folder named first, counting what dataclasses still has to compile, and prints what the
# classes do.
SCRIPT = """
import sys
from pathlib import Path
from journeyapp.core import dataclass_code
if sys.argv[1] != "-":
    dataclass_code.install(Path(sys.argv[1]))
compiled = []
real = compile
def counting(*args, **kwargs):
    compiled.append(args[0])
    return real(*args, **kwargs)
vars(dataclass_code)["compile"] = counting
from dataclasses import FrozenInstanceError, dataclass, field

@dataclass(frozen=True, kw_only=True)
class Goal:
    words: str
    voice: str = "parent"
    steps: tuple[str, ...] = field(default_factory=tuple)

@dataclass(order=True, slots=True)
class Step:
    what: str
    done: bool = False

g = Goal(words="a job", steps=("cv",))
try:
    g.words = "x"
    frozen = "no"
except FrozenInstanceError:
    frozen = "yes"
print(repr(g), g == Goal(words="a job", steps=("cv",)), hash(g) == hash(Goal(words="a job", steps=("cv",))), frozen)
print(repr(Step("cv")), Step("a") < Step("b"), Step("cv", True) == Step("cv", True))
print("compiled", len(compiled))
"""


def _run(folder: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, folder],
        cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_kept_code_makes_the_same_classes_without_compiling_again(tmp_path: Path) -> None:
    plain = _run("-")
    first = _run(str(tmp_path))
    assert dataclass_code.kept_file(tmp_path).is_file()
    again = _run(str(tmp_path))
    assert plain[:2] == first[:2] == again[:2]
    assert "Goal(words='a job', voice='parent', steps=('cv',)) True True yes" in plain
    assert first[2] != "compiled 0"  # the first run compiled them
    assert again[2] == "compiled 0"  # the next one used what it kept


def test_a_damaged_or_unsafe_kept_file_is_not_used(tmp_path: Path) -> None:
    kept = dataclass_code.kept_file(tmp_path)
    code = compile("x = 1", "<string>", "exec")
    kept.write_bytes(marshal.dumps({"x = 1": code, 3: code, "y": "not code"}))
    kept.chmod(0o600)
    assert dataclass_code._read(kept) == {"x = 1": code}
    kept.write_bytes(b"not marshal at all")
    assert dataclass_code._read(kept) == {}
    assert dataclass_code._read(tmp_path / "missing.marshal") == {}


@pytest.mark.skipif(os.name != "posix", reason="mode bits are POSIX")
def test_a_kept_file_others_can_change_is_not_used(tmp_path: Path) -> None:
    kept = dataclass_code.kept_file(tmp_path)
    code = compile("x = 1", "<string>", "exec")
    kept.write_bytes(marshal.dumps({"x = 1": code}))
    kept.chmod(0o666)
    assert dataclass_code._read(kept) == {}
    # And a damaged file is replaced by one that works.
    kept.write_bytes(b"damaged")
    kept.chmod(0o600)
    assert _run(str(tmp_path))[2] != "compiled 0"
    assert _run(str(tmp_path))[2] == "compiled 0"


def test_code_is_compiled_as_exec_would_compile_it() -> None:
    # This test module and dataclass_code have `from __future__ import annotations`; the
    # generated code must not take it (annotations stay objects, as dataclasses makes them).
    namespace: dict[str, object] = {}
    dataclass_code._exec("def f_kept_test(x: int) -> None: pass", {}, namespace)
    function = namespace["f_kept_test"]
    assert function.__annotations__ == {"x": int, "return": None}  # type: ignore[attr-defined]
