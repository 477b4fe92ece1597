"""Work-arounds for defects of PySide 6.12 that would otherwise end the app."""

from __future__ import annotations

import atexit
import sys

from PySide6.QtCore import QObject, QTimer

# PySide 6.12 drops one reference to None each time a Qt method returns nothing or a null
# pointer (setText(), hide(), an unset property, activeWindow() with no window active...). On
# Python 3.11 None is an ordinary object: when its count reaches zero the interpreter stops with
# "deallocating None". A day's use of the window makes thousands of such calls. References held
# in a list are not enough on their own: as the interpreter ends, the list goes before the
# objects that hold None, and a long run then stops at exit (a benchmark run did). So the guard
# holds a few references at once (cheap, before the window's first paint) and, a second later,
# gives None as many references as Python 3.12 gives its immortal objects: never used up.
# PySide 6.12 drops references to True likewise, twice each time a list is searched or filtered
# (a model's layoutAboutToBeChanged and layoutChanged emitted with no arguments): a few thousand
# keystrokes in the search box stopped the window with "deallocating True or False". True and
# False are guarded as None is.
_HELD: list[list[object]] = []
_FIRST = 100_000  # about ten times what the whole start-up holds besides (0.8 MB, ~0.3 ms)
_FIRST_BOOLS = 10_000  # True and False: two per search or filter change until a second is up
_GUARDED = (None, True, False)
IMMORTAL_AFTER_MS = 1_000
_IMMORTAL = 1 << 60
_STARTED: list[QTimer] = []


def make_none_immortal() -> None:
    """Give None, True and False references that no process can use up (Python 3.11; once is
    enough)."""
    if sys.version_info >= (3, 12):
        return  # None, True and False are immortal already
    import ctypes  # here: about 3 ms, paid once the window is up

    for guarded in _GUARDED:
        count = ctypes.c_ssize_t.from_address(id(guarded))  # ob_refcnt, a PyObject's first field
        if count.value < _IMMORTAL:
            count.value += _IMMORTAL


def guard_none(app: QObject) -> None:
    """Hold a little now, and make None immortal a second later (the window is up by then),
    or as the process ends if that comes first (a run shorter than a second, or one whose event
    loop never ran the timer); once per process."""
    if _STARTED:
        return
    _HELD.extend(([None] * _FIRST, [True] * _FIRST_BOOLS, [False] * _FIRST_BOOLS))
    atexit.register(make_none_immortal)  # before the interpreter lets go of _HELD
    timer = QTimer(app)
    timer.setSingleShot(True)
    timer.setInterval(IMMORTAL_AFTER_MS)
    timer.timeout.connect(make_none_immortal)
    timer.start()
    _STARTED.append(timer)
