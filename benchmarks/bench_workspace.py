"""Opening a parent's workspace: a parent with 200 contacts in a large caseload (target < 150 ms).

Usage: python benchmarks/bench_workspace.py [--parents N] [--contacts N]
       (or python benchmarks/run.py workspace)
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script, too

from benchmarks.common import figure, heading, timed

TODAY = date(2026, 11, 28)


def build(path: Path, parents: int, contacts: int) -> tuple[object, str]:
    """A caseload of `parents` parents; one of them has `contacts` contacts and a full journey."""
    from journeyapp.caseload import Caseload
    from journeyapp.core.enums import Decision, Pace, Rhythm

    caseload = Caseload.open(path, create=True, plain=True)
    caseload.today = lambda: TODAY
    with caseload.batch("benchmark"):
        for n in range(parents - 1):
            caseload.enrol_participant(f"Parent {n}", "glasgow", joined_on=date(2025, 1, 1))
        pid = caseload.enrol_participant(
            "Zoë", "glasgow", joined_on=TODAY - timedelta(days=contacts * 2)
        ).id
        caseload.change_pace(pid, Pace.STEADY, Rhythm.FORTNIGHTLY, on=TODAY - timedelta(days=300))
        for k in range(contacts):
            caseload.log_contact(
                pid,
                "one_to_one",
                on=TODAY - timedelta(days=2 * k),
                venue="Family hub",
                note="Caught up on the week and talked about the college course",
                next_step="Phone the college",
            )
        for g in range(6):
            goal = caseload.add_goal(pid, f"Goal number {g} in the parent's own words")
            for s in range(3):
                caseload.add_step(goal.id, f"Step {s}")
        for service in caseload.catalogue.keys("services")[:6]:
            caseload.choose_service(pid, service, Decision.CHOSEN, on=TODAY)
        areas = caseload.catalogue.keys("outcome_areas")
        for a in range(4):
            caseload.record_assessment(
                pid, {k: 3 + a for k in areas}, taken_on=TODAY - timedelta(days=90 * a)
            )
    return caseload, pid


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--parents", type=int, default=2000)
    parser.add_argument("--contacts", type=int, default=200)
    args = parser.parse_args(argv if argv is not None else [])

    from PySide6.QtWidgets import QApplication

    from journeyapp.ui.change_bus import ChangeBus
    from journeyapp.ui.workspace import ParticipantWorkspace
    from journeyapp.ui.workspace.contacts import ContactsSection

    heading(f"workspace: a parent with {args.contacts} contacts among {args.parents} parents")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        caseload, pid = build(Path(tmp) / "bench.db", args.parents, args.contacts)
        print(f"(built in {time.perf_counter() - start:.1f} s)")
        bus = ChangeBus(caseload)  # type: ignore[arg-type]
        workspace = ParticipantWorkspace(caseload, bus)  # type: ignore[arg-type]
        workspace.resize(1000, 700)
        workspace.show()
        app.processEvents()

        def open_on(index: int) -> None:
            workspace.show_participant(None)
            workspace.tabs.setCurrentIndex(index)
            workspace.show_participant(pid)
            app.processEvents()  # layout and paint, as the person would see it

        journey = timed(lambda: caseload.journey(pid), repeat=9)  # type: ignore[attr-defined]
        about = timed(lambda: open_on(0), repeat=9)
        contacts_index = workspace.tabs.indexOf(workspace.section(ContactsSection))
        on_contacts = timed(lambda: open_on(contacts_index), repeat=9)
        every = []
        for index in range(workspace.tabs.count()):
            every.append(
                (workspace.tabs.tabText(index), timed(lambda i=index: open_on(i), repeat=5))
            )
        figure(
            "open workspace (About tab)",
            about * 1000,
            "ms",
            baseline=journey * 1000,
            baseline_name="loading the journey alone",
            target="< 150 ms",
            ok=about < 0.150,
        )
        figure(
            "open workspace on the Contacts tab",
            on_contacts * 1000,
            "ms",
            baseline=journey * 1000,
            baseline_name="loading the journey alone",
            target="< 150 ms",
            ok=on_contacts < 0.150,
        )
        slowest = max(every, key=lambda t: t[1])
        figure(
            f"slowest tab to open on ({slowest[0]})",
            slowest[1] * 1000,
            "ms",
            target="< 150 ms",
            ok=slowest[1] < 0.150,
        )
        bus.detach()
        caseload.close()  # type: ignore[attr-defined]


if __name__ == "__main__":
    main(sys.argv[1:])
