"""Work-arounds for defects of PySide 6.12 that would otherwise end the app."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, QTimer

# PySide 6.12 drops one reference to None each time a Qt method returns a null pointer (an
# unset property, a hidden widget's windowHandle(), activeWindow() with no window active...).
# On Python 3.11 None is an ordinary object: when its count reaches zero the interpreter stops
# with "deallocating None". A day's use of the window makes thousands of such calls; holding
# extra references, topped up while the app runs, keeps the count far from zero.
_HELD: list[list[None]] = []
_LOW = 200_000
_TOP_UP = 1_000_000
# Held at once at start-up: a whole top-up (8 MB written) was 3-10 ms of the window's start
# (issue 18); this tenth keeps the count about ten times what the whole start-up holds besides,
# until the whole top-up a second later.
_FIRST = 100_000
FIRST_TOP_UP_MS = 1_000
CHECK_MS = 10_000


def top_up(count: int = _TOP_UP) -> None:
    """Hold `count` more references to None when the count has fallen low (below _LOW plus
    half of what is held)."""
    if sys.getrefcount(None) < _LOW + sum(map(len, _HELD)) // 2:
        # Kept as made: extending one list copied it (16 MB written, 7-10 ms at start-up,
        # where this is 8 MB and about 3 ms).
        _HELD.append([None] * count)


_TIMERS: list[QTimer] = []


def guard_none(app: QObject) -> None:
    """Top up a little now, in full a second later (the window is up by then) and every few
    seconds while the application runs (started once)."""
    top_up(_FIRST)
    if not _TIMERS:
        QTimer.singleShot(FIRST_TOP_UP_MS, app, top_up)
        timer = QTimer(app)
        timer.setInterval(CHECK_MS)
        timer.timeout.connect(top_up)
        timer.start()
        _TIMERS.append(timer)
