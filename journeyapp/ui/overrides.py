"""`override` for the window's Qt overrides, without loading typing_extensions at start.

typing_extensions (Python 3.11 has no typing.override) is a large module: importing it for
this one decorator cost about 10 ms of the window's start (issue 18). Type checkers see
typing_extensions' own `override`; at run time it does what that one does: marks the method
(`__override__ = True`, where the object takes attributes) and returns it unchanged.
"""

from __future__ import annotations

from contextlib import suppress
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing_extensions import override
else:

    def override(method):
        """Mark `method` as overriding its base class's (as typing_extensions.override does)."""
        with suppress(AttributeError, TypeError):
            method.__override__ = True
        return method


__all__ = ["override"]
