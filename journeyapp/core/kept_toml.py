"""TOML texts parsed once per laptop and kept (issue 18).

Every command and the window read the partnership's catalogue (TOML) when a caseload opens:
loading tomllib and parsing the text were about 1.3% of `journeyapp report`'s instructions at
3,115 parents. What a text parses to depends only on the text, so a run keeps the result
(marshal, in JourneyApp's state folder beside the kept dataclass code: the catalogue and answer
codes hold no personal data) under the exact text, and later runs given exactly the same text
take the kept result instead of loading tomllib and parsing it again. Any other text is parsed
as before (and kept); a text that does not parse raises tomllib's error as before.

Only plain data is kept (tables, arrays, strings, numbers, booleans): a text with TOML dates
or times is parsed every time. A kept file that cannot be read, is not this user's or can be
changed by others is ignored (and replaced).
"""

from __future__ import annotations

import atexit
import marshal
from contextlib import suppress
from pathlib import Path
from typing import Any

from journeyapp.core.kept_files import read_ours, write_whole

__all__ = ["install", "keep", "kept_file", "loads"]

_FORMAT = 1  # bump when what is kept changes
_MOST = 50  # texts kept at most (a file that grew past it starts again)

_kept: dict[str, bytes] = {}  # text -> its parsed data, marshalled (loaded afresh each time)
_new: set[str] = set()
_file: Path | None = None


def kept_file(folder: Path) -> Path:
    """The file in `folder` for kept TOML (marshal's format is the same across versions)."""
    return folder / f"toml-{_FORMAT}.marshal"


def install(folder: Path) -> None:
    """From now on, `loads` uses what is kept in `folder` (and what is parsed anew is kept
    there when the process ends). Calling it again changes nothing."""
    global _file
    if _file is not None:
        return
    _file = kept_file(folder)
    _kept.update(_read(_file))
    atexit.register(keep)


def _read(path: Path) -> dict[str, bytes]:
    """The kept texts in `path`, or nothing when it is missing, damaged or not safely ours."""
    return {t: d for t, d in read_ours(path).items() if type(t) is str and type(d) is bytes}


def loads(text: str) -> dict[str, Any]:
    """`tomllib.loads(text)`: the result kept for exactly this text, else parsed (and kept once
    `install` has been called). Raises tomllib.TOMLDecodeError as tomllib does."""
    kept = _kept.get(text)
    if kept is not None:
        with suppress(ValueError, EOFError, TypeError):
            data = marshal.loads(kept)
            if type(data) is dict:
                return data
    import tomllib

    data = tomllib.loads(text)
    if _file is not None:
        with suppress(ValueError):  # a date or time in it: not kept
            _kept[text] = marshal.dumps(data)
            _new.add(text)
    return data


def keep() -> None:
    """Write what is kept and parsed anew, whole or not at all (another run may be writing): at
    exit, and by the window once it is up (it may never exit cleanly)."""
    if _file is None or not _new:
        return
    kept = _kept if len(_kept) <= _MOST else {t: _kept[t] for t in _new}
    write_whole(_file, kept)
    _new.clear()
