"""Helpers for benchmarks: time things, print each figure beside a same-run baseline and a
verdict, run ours and the baseline interleaved, and keep every scratch file in one folder."""

from __future__ import annotations

import atexit
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# --quick (run.py) sets this: smaller caseloads and 3 repeats, for a sanity run.
QUICK = os.environ.get("JOURNEYAPP_BENCH_QUICK") == "1"
REPEAT = 3 if QUICK else 5

_scratch: Path | None = None


def scratch() -> Path:
    """The run's one temporary folder (removed when the run ends, however it ends)."""
    global _scratch
    if _scratch is None:
        # JOURNEYAPP_BENCH_DIR: put the folder on the disk to measure (fsync cost depends on it).
        _scratch = Path(
            tempfile.mkdtemp(prefix="journeyapp-bench-", dir=os.environ.get("JOURNEYAPP_BENCH_DIR"))
        )
        atexit.register(remove_scratch)
    return _scratch


def remove_scratch() -> None:
    """Remove the run's temporary folder and everything in it."""
    global _scratch
    if _scratch is not None:
        shutil.rmtree(_scratch, ignore_errors=True)
        _scratch = None


def timed(func: Callable[[], object], repeat: int = 5, warmup: int = 1) -> float:
    """Median wall time of `func()` in seconds over `repeat` runs (after `warmup` runs)."""
    for _ in range(warmup):
        func()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def interleaved(
    ours: Callable[[], object],
    baseline: Callable[[], object],
    repeat: int = REPEAT,
    warmup: int = 1,
) -> tuple[float, float]:
    """Median wall times (ours, baseline) in seconds, run ours, baseline, ours, baseline…

    Interleaving makes a busy moment on the shared machine hit both sides alike.
    """
    for _ in range(warmup):
        ours()
        baseline()
    mine, theirs = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        ours()
        mine.append(time.perf_counter() - start)
        start = time.perf_counter()
        baseline()
        theirs.append(time.perf_counter() - start)
    return statistics.median(mine), statistics.median(theirs)


@dataclass(frozen=True)
class Run:
    """One subprocess run: wall seconds from start to exit, CPU seconds, peak memory in MiB (of
    the whole process tree at once) and the largest peak of any one process in it."""

    wall: float
    cpu: float
    peak_mib: float
    stdout: str
    one_process_mib: float = float("nan")


# Runs a module (-m NAME) or a script with its arguments, then writes the process's peak
# resident memory in KiB: VmHWM of its own address space (ru_maxrss would also count the
# benchmark's own memory, inherited across fork and exec), or a helper process's if larger.
PEAK_WRAPPER = """
import atexit, resource, runpy, sys
out = sys.argv[1]
def _peak():
    own = 0
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                own = int(line.split()[1])
    helpers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    with open(out, "w") as handle:
        handle.write(str(max(own, helpers)))
atexit.register(_peak)
if sys.argv[2] == "-m":
    sys.argv = [sys.argv[3], *sys.argv[4:]]
    runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
else:
    sys.argv = sys.argv[2:]
    runpy.run_path(sys.argv[0], run_name="__main__")
"""


def run_process(
    args: Sequence[str], env: dict[str, str] | None = None, cwd: Path | None = None
) -> Run:
    """Run a Python process (`python -m NAME …` or `python SCRIPT …`) to its end: its wall time,
    CPU time and peak resident memory: the larger of its own peak (PEAK_WRAPPER) and the most
    the whole process tree held at once (sampled, so a helper process it starts, such as a big
    export's second writer, counts together with it, not only whichever of the two was larger)."""
    wrapper = scratch() / "peak_wrapper.py"
    if not wrapper.exists():
        wrapper.write_text(PEAK_WRAPPER, encoding="utf-8")
    peak_file = scratch() / "peak.txt"
    peak_file.unlink(missing_ok=True)
    command = [args[0], str(wrapper), str(peak_file), *args[1:]]
    with tempfile.TemporaryFile(dir=scratch()) as out, tempfile.TemporaryFile(dir=scratch()) as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            command, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=err
        )
        tree = _TreeSampler(proc.pid)
        tree.start()
        # os.wait4 reaps this one child and gives its own CPU times.
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        tree.stop()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text, problem = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} exited {proc.returncode}:\n{problem[-2000:]}")
    peak = int(peak_file.read_text()) / 1024 if peak_file.exists() else float("nan")
    cpu = usage.ru_utime + usage.ru_stime
    return Run(wall, cpu, max(peak, tree.peak_mib), text, peak)


def _tree_rss_kib(pid: int) -> int:
    """The resident memory of a process and all its descendants now, in KiB (0 once gone)."""
    total = 0
    waiting = [pid]
    while waiting:
        current = waiting.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
                    break
            for task in Path(f"/proc/{current}/task").iterdir():
                waiting.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, ValueError):
            continue  # ended meanwhile
    return total


class _TreeSampler:
    """Samples a process tree's resident memory every few milliseconds, in a thread."""

    def __init__(self, pid: int, every: float = 0.005) -> None:
        import threading

        self._pid, self._every = pid, every
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.peak_kib = 0

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        while not self._done.wait(self._every):
            self.peak_kib = max(self.peak_kib, _tree_rss_kib(self._pid))

    def stop(self) -> None:
        self._done.set()
        self._thread.join()

    @property
    def peak_mib(self) -> float:
        return self.peak_kib / 1024


def peak_mib(pid: int) -> float:
    """The peak resident memory (VmHWM) of a running process, in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def median_runs(runs: Sequence[Run]) -> Run:
    """The median wall time, CPU time and peak memory of several runs of one thing."""
    return Run(
        statistics.median(r.wall for r in runs),
        statistics.median(r.cpu for r in runs),
        statistics.median(r.peak_mib for r in runs),
        runs[-1].stdout,
        statistics.median(r.one_process_mib for r in runs),
    )


def interleaved_runs(
    ours: Callable[[], Run], baseline: Callable[[], Run], repeat: int = REPEAT
) -> tuple[Run, Run]:
    """Run two subprocess measurements interleaved (ours, baseline, ours…); their medians."""
    mine: list[Run] = []
    theirs: list[Run] = []
    for _ in range(repeat):
        mine.append(ours())
        theirs.append(baseline())
    return median_runs(mine), median_runs(theirs)


_compiled = False


def python_env(**extra: str) -> dict[str, str]:
    """The environment for a benchmark's subprocess: offscreen Qt, this worktree's code first,
    compiled as installed.

    An installed JourneyApp runs compiled modules (pip compiles a wheel's at install, and the
    PyInstaller build carries them), as the libraries here do; a working copy run with
    $PYTHONDONTWRITEBYTECODE would compile ours afresh in every process, a cost no person
    pays. So ours are compiled once per run into the run's folder and used from there."""
    global _compiled
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(scratch() / "pycache")
    if not _compiled:
        subprocess.run(
            [sys.executable, "-m", "compileall", "-q", str(ROOT / "journeyapp")],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        _compiled = True
    env.update(extra)
    return env


def figure(
    name: str,
    value: float,
    unit: str,
    *,
    baseline: float | None = None,
    baseline_name: str = "",
    target: str = "",
    ok: bool | None = None,
) -> None:
    """Print one benchmark figure, with its baseline and ratio when there is one, and a verdict
    (MET / NOT MET) for its target: a target must come with `ok`, so none is silently missed."""
    if target and ok is None:
        raise ValueError(f"figure {name!r} has a target but no verdict (pass ok=)")
    line = f"{name}: {value:,.3f} {unit}"
    if baseline is not None:
        ratio = value / baseline if baseline else float("inf")
        line += f"  | baseline ({baseline_name}): {baseline:,.3f} {unit}  | ratio {ratio:.2f}x"
    if target:
        line += f"  | target: {target} {'MET' if ok else 'NOT MET'}"
    print(line, flush=True)


def heading(text: str) -> None:
    """Print a section heading."""
    print(f"\n== {text} ==", flush=True)
