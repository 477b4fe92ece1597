"""Kill a child process just before its Nth file operation (copy, sync, link, rename,
remove), to see what a stop at each step of a whole-file change leaves behind."""

from __future__ import annotations

import os
import shutil
import signal
from collections.abc import Callable
from typing import Any

STEPS = (
    (os, "replace"),
    (os, "link"),
    (os, "rename"),
    (os, "fsync"),
    (os, "unlink"),
    (shutil, "copyfile"),
)


def killed_at(step: int, work: Callable[[], object]) -> bool:
    """Run `work` in a forked child that kills itself just before its `step`th file
    operation; True when the child finished instead (`work` has fewer operations)."""
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        done = [0]

        def counting(real: Any) -> Any:
            def call(*args: Any, **kwargs: Any) -> Any:
                if done[0] == step:
                    os.kill(os.getpid(), signal.SIGKILL)
                done[0] += 1
                return real(*args, **kwargs)

            return call

        for module, name in STEPS:
            setattr(module, name, counting(getattr(module, name)))
        try:
            work()
        finally:
            os._exit(0)
    _, status = os.waitpid(child, 0)
    return os.WIFEXITED(status)
