"""JourneyApp: offline journey records and progress plans for keyworkers and the parents they support."""

__version__ = "0.1.0"
