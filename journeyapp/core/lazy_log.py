"""A named logger that loads `logging` only when a message could go somewhere (issue 18).

`logging` and what it loads (traceback, string, textwrap) cost every command about 1.5% of
`journeyapp report`'s instructions, for the one INFO line each caseload opening writes. Until
something loads `logging`, nothing can have set it up: an INFO or DEBUG message would go
nowhere (the root logger stops everything below WARNING), so it is dropped without loading it.
Anything else, and every message once `logging` is loaded (the window's log, pytest's caplog),
goes to `logging.getLogger(name)` as it would have, naming the caller as its origin.
"""

from __future__ import annotations

import sys
from typing import Any

__all__ = ["LazyLogger"]


class LazyLogger:
    """`logging.getLogger(name)`'s debug, info, warning and error, with logging loaded only
    when a message could be kept."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def _log(self, level: str, msg: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        import logging

        kwargs.setdefault("stacklevel", 3)  # the caller of debug()/info()/..., not this module
        getattr(logging.getLogger(self.name), level)(msg, *args, **kwargs)

    def debug(self, msg: str, *args: Any, **kwargs: Any) -> None:
        if "logging" in sys.modules:  # else nothing set logging up: it goes nowhere
            self._log("debug", msg, args, kwargs)

    def info(self, msg: str, *args: Any, **kwargs: Any) -> None:
        if "logging" in sys.modules:  # else nothing set logging up: it goes nowhere
            self._log("info", msg, args, kwargs)

    def warning(self, msg: str, *args: Any, **kwargs: Any) -> None:
        self._log("warning", msg, args, kwargs)

    def error(self, msg: str, *args: Any, **kwargs: Any) -> None:
        self._log("error", msg, args, kwargs)
