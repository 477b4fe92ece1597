"""Dataclass methods compiled once and kept beside the package's bytecode, as Python keeps a module's.

`dataclasses` writes each class's `__init__`, `__repr__`, `__eq__`, `__hash__`, … as source
text and compiles it while the module is imported: 70-100 ms of the window's start (issue
18). What that compiles to depends on the text alone, so the compiled code is kept, keyed by
the text itself, in a file in the package's `__pycache__` (where `PYTHONPYCACHEPREFIX` puts
bytecode; nothing is written under `PYTHONDONTWRITEBYTECODE`), and later runs execute it
instead of compiling the same text again: the classes come out exactly as `dataclasses` makes
them. A missing, unreadable or foreign file (another Python) is simply not used.
"""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import marshal
import os
import sys
from importlib.util import MAGIC_NUMBER, cache_from_source
from types import CodeType
from typing import Any

_FORMAT = b"journeyapp dataclass code 1 "
# Text compiled -> its code, marshalled: from the file (unmarshalled only when used), and new.
_kept: dict[str, bytes] | None = None
_new: dict[str, bytes] = {}
_builtin_exec = exec


def _file() -> str:
    """Where the compiled methods are kept: beside the package's bytecode."""
    beside = os.path.join(os.path.dirname(os.path.dirname(__file__)), "_dataclass_code.py")
    return cache_from_source(beside)[: -len(".pyc")] + ".marshal"


def _load() -> dict[str, bytes]:
    try:
        with open(_file(), "rb") as handle:
            header, kept = marshal.load(handle)
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    if header != _FORMAT + MAGIC_NUMBER or not isinstance(kept, dict):
        return {}
    return kept


def _code(source: str) -> CodeType:
    """The code `exec(source)` runs: kept from an earlier run, or compiled now (and kept)."""
    global _kept
    if _kept is None:
        _kept = _load()
    data = _kept.get(source) or _new.get(source)
    if data is not None:
        try:
            code = marshal.loads(data)
        except (EOFError, ValueError, TypeError):
            code = None
        if isinstance(code, CodeType):
            return code
    # As exec(source) compiles it: no __future__ flags taken from this module.
    code = compile(source, "<string>", "exec", dont_inherit=True)
    _new[source] = marshal.dumps(code)
    return code


def _exec(source: Any, globals: Any = None, locals: Any = None) -> None:
    """`exec` as dataclasses calls it (source text, globals, locals), with kept code."""
    if not isinstance(source, str) or globals is None:
        frame = sys._getframe(1)  # exec without globals runs in its caller's namespace
        if globals is None:
            globals, locals = frame.f_globals, frame.f_locals if locals is None else locals
        _builtin_exec(source, globals, locals)
        return
    _builtin_exec(_code(source), globals, locals)


def save() -> None:
    """Write the methods compiled in this run to the file, with those kept there already (once
    the window is up, and at exit); quietly nothing when bytecode is not written or the
    folder is read-only (an installed copy, a frozen build)."""
    global _kept
    if not _new or sys.dont_write_bytecode:
        return
    kept = _kept = {**(_kept if _kept is not None else _load()), **_new}
    _new.clear()
    target = _file()
    temporary = f"{target}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(temporary, "wb") as handle:
            marshal.dump((_FORMAT + MAGIC_NUMBER, kept), handle)
        os.replace(temporary, target)  # whole or not at all, as Python writes bytecode
    except OSError:
        with contextlib.suppress(OSError):
            os.remove(temporary)


def install() -> None:
    """From now on, dataclasses made in this process use kept code (once per process)."""
    if getattr(dataclasses, "exec", None) is not _exec:
        # dataclasses calls exec() by its global name: this module's one takes its place.
        dataclasses.exec = _exec  # type: ignore[attr-defined]
        atexit.register(save)
