"""This week over 10,000 parents: the whole home view's state beside the bare SQL queries."""

from __future__ import annotations

from datetime import timedelta

from benchmarks.caseloads import LARGE, TODAY, caseload_file, fresh_copy
from benchmarks.common import figure, heading, interleaved
from tests.clock import ticking_clock


def main() -> None:
    from journeyapp.caseload import Caseload
    from journeyapp.caseload.this_week import QUIET_DAYS, WEEK_DAYS, this_week
    from journeyapp.store import this_week as sql

    heading(f"This week ({LARGE:,} parents)")
    path = fresh_copy(caseload_file(LARGE), "week")
    caseload = Caseload.open(path)
    caseload.clock = ticking_clock(TODAY)
    last = TODAY + timedelta(days=WEEK_DAYS - 1)
    before = TODAY - timedelta(days=caseload.settings.referral_wait_days)
    since = TODAY - timedelta(days=QUIET_DAYS)

    def bare(kw: str | None) -> None:
        for text, params in sql.statements(TODAY, last, before, since, kw).values():
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
        baseline_name="the same seven SQL queries, rows fetched, nothing built",
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
        baseline_name="the same seven SQL queries, rows fetched, nothing built",
        target="< 50 ms",
        ok=ours < 0.050,
    )
    print("   " + week.summary())
    caseload.close()


if __name__ == "__main__":
    main()
