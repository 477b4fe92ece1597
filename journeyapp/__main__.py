"""`python -m journeyapp` runs the command line (no sub-command opens the window)."""

import sys

from journeyapp.core.private_files import harden_process

harden_process()  # before anything else runs: no core dumps, private files (issue 17)

from journeyapp import ahead  # noqa: E402 - after hardening, on purpose

ahead.start()  # a merge's digest and key start now, before click and the commands load

from journeyapp.core.bulk import loading_code  # noqa: E402 - after hardening, on purpose

with loading_code():
    from journeyapp.cli import compile_once, main

    compile_once()  # before the commands' modules make their dataclasses

if __name__ == "__main__":
    if getattr(sys, "frozen", False):
        # A packaged build starts its helper processes (a big CSV export) through this same
        # program: freeze_support() runs the helper's work there instead of the command line.
        # Only a packaged build needs it, and only it pays for loading multiprocessing here.
        import multiprocessing

        multiprocessing.freeze_support()
    main()
