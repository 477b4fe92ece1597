"""Files of work kept between runs (compiled dataclass code, parsed TOML): read only when they
are safely this user's, written whole or not at all. Used by core.dataclass_code and
core.kept_toml; what they keep holds no personal data."""

from __future__ import annotations

import marshal
import os
import stat
from contextlib import suppress
from pathlib import Path
from typing import Any

__all__ = ["read_ours", "write_whole"]


def read_ours(path: Path) -> dict[Any, Any]:
    """The dict marshalled in `path`, or an empty one when the file is missing, damaged, not
    a dict, or (on POSIX) not this user's or writable by others."""
    with suppress(OSError, ValueError, EOFError, TypeError):
        with path.open("rb") as handle:
            found = os.fstat(handle.fileno())
            if os.name == "posix" and (
                found.st_uid != os.getuid() or found.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
            ):
                return {}
            kept = marshal.loads(handle.read())
        if isinstance(kept, dict):
            return kept
    return {}


def write_whole(path: Path, value: dict[Any, Any]) -> None:
    """`value` marshalled into `path` (readable by this user only), whole or not at all:
    another run may be writing the same file. A failure leaves the file as it was."""
    with suppress(OSError, ValueError):
        data = marshal.dumps(value)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
        try:
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
