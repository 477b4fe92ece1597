"""`python -m journeyapp` runs the command line (no sub-command opens the window)."""

from journeyapp.cli import main

main()
