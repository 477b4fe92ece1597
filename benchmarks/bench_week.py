"""This week over 10,000 parents: the whole home view's state, and the view as the window shows it, beside the bare SQL queries."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from benchmarks.caseloads import LARGE, TODAY, caseload_file, fresh_copy
from benchmarks.common import figure, heading, interleaved
from tests.clock import ticking_clock


def main() -> None:
    from journeyapp.caseload import Caseload
    from journeyapp.caseload.this_week import MOST_LINES, QUIET_DAYS, WEEK_DAYS, this_week
    from journeyapp.store import this_week as sql

    heading(f"This week ({LARGE:,} parents)")
    path = fresh_copy(caseload_file(LARGE), "week")
    caseload = Caseload.open(path)
    caseload.clock = ticking_clock(TODAY)
    last = TODAY + timedelta(days=WEEK_DAYS - 1)
    before = TODAY - timedelta(days=caseload.settings.referral_wait_days)
    since = TODAY - timedelta(days=QUIET_DAYS)

    def bare(kw: str | None) -> None:
        asked = sql.statements(TODAY, last, before, since, kw, MOST_LINES)
        for text, params in asked.values():
            conn.execute(text, params).fetchall()

    conn = caseload.db.conn
    # One keyworker's week (the laptop's keyworker, as the window shows it): the target.
    who = "Denise (demo)"
    week = this_week(caseload, keyworker=who)
    parents = conn.execute(
        "SELECT count(*) FROM caseload_list WHERE keyworker IN ('', ?)", [who]
    ).fetchone()[0]
    ours, baseline = interleaved(lambda: this_week(caseload, keyworker=who), lambda: bare(who))
    figure(
        f"This week built for one keyworker ({parents:,} of the {LARGE:,} parents; "
        f"{len(week.lines):,} lines)",
        ours * 1000,
        "ms",
        baseline=baseline * 1000,
        baseline_name="the same SQL (each list's first 100 rows and its count), nothing built",
        target="< 50 ms",
        ok=ours < 0.050,
    )
    print("   " + week.summary())
    # Everyone's (a coordinator's merged caseload with no keyworker name set).
    week = this_week(caseload, keyworker="")
    ours, baseline = interleaved(lambda: this_week(caseload, keyworker=""), lambda: bare(None))
    figure(
        f"This week built for all {LARGE:,} parents ({len(week.lines):,} lines listed, "
        f"{sum(g.count for g in week.groups):,} counted)",
        ours * 1000,
        "ms",
        baseline=baseline * 1000,
        baseline_name="the same SQL (each list's first 100 rows and its count), nothing built",
        target="< 50 ms",
        ok=ours < 0.050,
    )
    print("   " + week.summary())
    _window(caseload, bare)
    caseload.close()


def _window(caseload: Any, bare: Callable[[str | None], None]) -> None:
    """The keyworker's path: This week shown in the window (Ctrl+1, or after a change while it
    is on screen), for the laptop's keyworker from Settings (the demo names none: everyone's),
    the tree of lines built and laid out, from the caseload already open."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from journeyapp.ui.change_bus import ChangeBus
    from journeyapp.ui.pyside_fixes import guard_none
    from journeyapp.ui.widgets.this_week import ThisWeekView

    app = QApplication.instance() or QApplication([])
    guard_none(app)  # (None made immortal at exit too, if these refreshes end within a second)
    bus = ChangeBus(caseload)
    view = ThisWeekView(caseload, bus)
    view.resize(700, 700)
    view.show()
    app.processEvents()
    kw = caseload.settings.sender().keyworker.strip() or None

    def shown() -> None:
        view.refresh()
        for _ in range(3):
            app.processEvents()

    ours, baseline = interleaved(shown, lambda: bare(kw))
    week = view.week
    assert week is not None
    figure(
        f"This week shown in the window ({week.keyworker or 'everyone'}'s; "
        f"{len(week.lines):,} lines; refresh and paint)",
        ours * 1000,
        "ms",
        baseline=baseline * 1000,
        baseline_name="the same SQL (each list's first 100 rows and its count), nothing built",
        target="< 50 ms",
        ok=ours < 0.050,
    )
    view.close()
    bus.detach()


if __name__ == "__main__":
    main()
