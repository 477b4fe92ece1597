"""`python -m journeyapp` runs the command line (no sub-command opens the window)."""

import multiprocessing

from journeyapp.cli import main

if __name__ == "__main__":
    # A packaged build starts its helper processes (a big CSV export) through this same
    # program: freeze_support() runs the helper's work there instead of the command line.
    multiprocessing.freeze_support()
    main()
