"""Regular expressions that libraries compile when imported, compiled when first used instead.

sqlite-utils and reportlab compile a few large patterns at import that a caseload or a plan
almost never uses (sqlite-utils' CREATE VIRTUAL TABLE parser, reportlab's URL matcher and its
CJK splitter): about a quarter of a second of every command's and the window's start on this
machine (issue 18). `lazy_compiles(modules)` swaps `re.compile` while those libraries are
imported, and only there: a pattern compiled at the top level of one of `modules` becomes a
`LazyPattern`, which compiles the real pattern on its first use and hands on every attribute
(`match`, `split`, `pattern`, …) from then on. Anything else compiled meanwhile, by any other
module or inside a function, is compiled at once, as it would have been.

A `LazyPattern` is not an `re.Pattern`: `re.match(lazy, …)` or `isinstance(lazy, re.Pattern)`
would not take it. So a module goes in the list only once every use of its top-level patterns
has been read and found to be a method call or an attribute (see the callers' comments).
"""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["LazyPattern", "lazy_compiles"]

_real_compile = re.compile
# One swap at a time (another thread's would restore the wrong function); the same thread may
# nest them, each putting back what it found.
_swap = threading.RLock()


class LazyPattern:
    """A regular expression compiled the first time anything of it is used."""

    def __init__(self, source: str | bytes, flags: int | re.RegexFlag = 0) -> None:
        self._source = source
        self._flags = flags

    def __getattr__(self, name: str) -> Any:
        # Only called for what this object does not have yet: compile once, then keep each
        # attribute asked for (a compiled pattern never changes), so later uses cost no more
        # than on the real pattern.
        compiled = self.__dict__.get("_compiled")
        if compiled is None:
            if name.startswith("_"):  # copy, pickle and friends probing: nothing to compile
                raise AttributeError(name)
            compiled = self.__dict__["_compiled"] = _real_compile(self._source, self._flags)
        value = getattr(compiled, name)
        self.__dict__[name] = value
        return value

    def __repr__(self) -> str:
        return f"LazyPattern({self._source!r}, {self._flags!r})"


@contextmanager
def lazy_compiles(modules: frozenset[str]) -> Iterator[None]:
    """While inside: patterns compiled at the top level of `modules` (by their __name__) are
    `LazyPattern`s; every other `re.compile` call compiles as usual."""

    def compile_lazily(pattern: Any, flags: int | re.RegexFlag = 0) -> Any:
        caller = sys._getframe(1)
        if (
            caller.f_code.co_name == "<module>"
            and caller.f_globals.get("__name__") in modules
            and isinstance(pattern, str | bytes)
        ):
            return LazyPattern(pattern, flags)
        return _real_compile(pattern, flags)

    with _swap:
        before = re.compile
        re.compile = compile_lazily
        try:
            yield
        finally:
            re.compile = before
