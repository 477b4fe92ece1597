"""`python -m journeyapp` runs the command line (no sub-command opens the window)."""

import sys

from journeyapp.core.private_files import harden_process

harden_process()  # before anything else runs: no core dumps, private files (issue 17)

from journeyapp.start import main  # noqa: E402 - after hardening, on purpose

if __name__ == "__main__":
    if getattr(sys, "frozen", False):
        # A packaged build starts its helper processes (a big CSV export) through this same
        # program: freeze_support() runs the helper's work there instead of the command line.
        # Only a packaged build needs it, and only it pays for loading multiprocessing here.
        import multiprocessing

        multiprocessing.freeze_support()
    main()  # hardens again (it is also the console scripts' entry point): a few system calls
