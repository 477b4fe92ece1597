"""Helpers for bulk steps that make many small objects at once (merges, exports, the list)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause Python's cyclic garbage collector around a bulk step (a million events, or a
    10,000-parent caseload list).

    The bulk steps make no reference cycles, but each full collection walks every live object,
    and a million events are millions of objects: merging ran about 1.7 times faster without it.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def loading_code() -> Iterator[None]:
    """Load modules (or build anything else that lives until the process ends) without the
    cyclic garbage collector, then move what was made out of its sight (gc.freeze).

    Loading code makes thousands of objects that live as long as the process and no garbage.
    Only pausing the collector would leave them all young, to be walked at the next collection
    and again in each older generation, and once more as the process ends; frozen, they are
    never walked (a command's start-up: about 2% of `journeyapp report`'s work, issue 18).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()
