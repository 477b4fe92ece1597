"""JourneyApp: offline journey records and progress plans for keyworkers and the parents they support."""

from journeyapp.core import dataclass_code

# Before any module of ours makes its dataclasses: their methods' compiled code is reused
# from the last run instead of compiled again (core/dataclass_code.py, issue 18).
dataclass_code.install()

__version__ = "0.1.0"
