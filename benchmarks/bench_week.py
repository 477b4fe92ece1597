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
    from journeyapp.store.queries import julian_day

    heading(f"This week ({LARGE:,} parents)")
    path = fresh_copy(caseload_file(LARGE), "week")
    caseload = Caseload.open(path)
    caseload.clock = ticking_clock(TODAY)
    last = TODAY + timedelta(days=WEEK_DAYS - 1)
    wait = caseload.settings.referral_wait_days
    conn = caseload.db.conn
    queries = [
        (sql.MEETINGS_SQL, {"first": TODAY.isoformat(), "last": last.isoformat()}),
        (sql.CHECKINS_SQL, {"last_jd": julian_day(last), "today": TODAY.isoformat()}),
        (sql.STEPS_SQL, {"last": last.isoformat()}),
        (sql.REFERRALS_SQL, {"before": (TODAY - timedelta(days=wait)).isoformat()}),
        (sql.FOLLOW_UPS_SQL, {"last": last.isoformat()}),
        (sql.GROUPS_SQL, {"first": TODAY.isoformat(), "last": last.isoformat()}),
        (sql.QUIET_SQL, {"since": (TODAY - timedelta(days=QUIET_DAYS)).isoformat()}),
    ]

    def bare(batch: list[tuple[str, dict[str, object]]]) -> None:
        for text, params in batch:
            conn.execute(text, params).fetchall()

    # One keyworker's week (the laptop's keyworker, as the window shows it): the target.
    who = "Denise (demo)"
    mine = [(text, {**params, "kw": who}) for text, params in queries]
    week = this_week(caseload, keyworker=who)
    parents = conn.execute(
        "SELECT count(*) FROM caseload_list WHERE keyworker IN ('', ?)", [who]
    ).fetchone()[0]
    ours, baseline = interleaved(lambda: this_week(caseload, keyworker=who), lambda: bare(mine))
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
    every = [(text, {**params, "kw": None}) for text, params in queries]
    week = this_week(caseload, keyworker="")
    ours, baseline = interleaved(lambda: this_week(caseload, keyworker=""), lambda: bare(every))
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
