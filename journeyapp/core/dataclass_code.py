"""Dataclass methods compiled once per laptop and kept (issue 18).

Python's dataclasses write each class's `__init__`, `__repr__`, `__eq__`, `__hash__` (and, for a
frozen class, `__setattr__` and `__delattr__`) as source text and compile it while the class is
made: about 460 texts for what `journeyapp report` or `plan` loads, and compiling them was about
a third of loading JourneyApp's own code. A text depends only on the class's fields and
Python's version, so a run keeps the code it compiled (marshal, in JourneyApp's state folder:
no personal data) in a file named for the interpreter's bytecode, and later runs use the kept
code for exactly the same text instead of compiling it again: the classes are the same.

A kept file that cannot be read, is not this user's or can be changed by others is ignored
(and replaced); only code kept for the exact text dataclasses asks for is used, and any other
text is compiled as before.
"""

from __future__ import annotations

import atexit
import builtins
import dataclasses
from importlib.util import MAGIC_NUMBER
from pathlib import Path
from types import CodeType
from typing import Any

from journeyapp.core.kept_files import read_ours, write_whole

_FORMAT = 1  # bump when what is kept changes
_MOST = 5_000  # texts kept at most (a file that grew past it starts again)

_kept: dict[str, CodeType] = {}
_new: dict[str, CodeType] = {}
_file: Path | None = None


def kept_file(folder: Path) -> Path:
    """The file in `folder` for this interpreter's bytecode."""
    return folder / f"dataclasses-{MAGIC_NUMBER.hex()}-{_FORMAT}.marshal"


def install(folder: Path) -> None:
    """From now on, dataclass methods use code kept in `folder` (and what is compiled anew is
    kept there when the process ends). Calling it again changes nothing."""
    global _file
    if _file is not None:
        return
    _file = kept_file(folder)
    _kept.update(_read(_file))
    # dataclasses calls exec() by its module's name first: only dataclasses sees this one.
    vars(dataclasses)["exec"] = _exec
    atexit.register(keep)


def _read(path: Path) -> dict[str, CodeType]:
    """The kept code in `path`, or nothing when it is missing, damaged or not safely ours."""
    return {t: c for t, c in read_ours(path).items() if type(t) is str and type(c) is CodeType}


def _exec(source: Any, globals: Any = None, locals: Any = None) -> None:
    """exec() for dataclasses: kept code for a text compiled before, else compiled and kept."""
    if type(source) is str:
        code = _kept.get(source)
        if code is None:
            # As exec(source) compiles it from dataclasses: no __future__ flags of this module.
            code = _kept[source] = _new[source] = compile(
                source, "<string>", "exec", dont_inherit=True
            )
        source = code
    builtins.exec(source, globals, locals)


def keep() -> None:
    """Write what was kept and compiled anew, whole or not at all (another run may be writing):
    at exit, and by the window once it is up (it may never exit cleanly)."""
    if _file is None or not _new:
        return
    kept = _kept if len(_kept) <= _MOST else _new
    write_whole(_file, kept)
    _new.clear()
