"""Progress on stderr for long commands (export, bundle, demo), fed by the library's callbacks."""

from __future__ import annotations

import sys
from typing import Any

import click


class ProgressBar:
    """A click progress bar on stderr fed by (done, total) callbacks."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar: Any = None
        self.last = 0

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=max(total, 1), label=self.label, file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.last)
        self.last = done

    def close(self) -> None:
        """End the bar's line (if it was ever shown)."""
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
