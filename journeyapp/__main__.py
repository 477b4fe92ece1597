"""`python -m journeyapp` runs the command line (no sub-command opens the window)."""

import sys

from journeyapp.core.bulk import loading_code

# What start-up loads lives as long as the process: loaded without the cyclic garbage collector
# walking it again and again (core.bulk.loading_code; as start.main loads the rest, issue 18).
with loading_code():
    from journeyapp.core.private_files import harden_process

harden_process()  # before anything else runs: no core dumps, private files (issue 17)

with loading_code():
    from journeyapp.start import main  # after hardening, on purpose

if __name__ == "__main__":
    if getattr(sys, "frozen", False):
        # A packaged build starts its helper processes (a big CSV export) through this same
        # program: freeze_support() runs the helper's work there instead of the command line.
        # Only a packaged build needs it, and only it pays for loading multiprocessing here.
        import multiprocessing

        multiprocessing.freeze_support()
    main()  # hardens again (it is also the console scripts' entry point): a few system calls
