"""Progress plans: one plan against a bare reportlab document of the same text; the `plan` and
`plans` commands on the user's path (one parent of 10,000; 60 parents), each interleaved with a
minimal reportlab program writing the same text in the same run."""

from __future__ import annotations

import io
import os
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from benchmarks.caseloads import LARGE, caseload_file, fresh_copy
from benchmarks.common import REPEAT, ROOT, figure, heading, interleaved, scratch
from journeyapp.caseload import Caseload
from journeyapp.core.documents import build_document
from journeyapp.demo import build_demo
from journeyapp.plans.documents import pdf_bytes

TODAY = date(2026, 11, 28)
BIG = int(os.environ.get("BENCH_PLANS_BIG", str(LARGE)))

# The baseline program: import reportlab, write each text file as plain Paragraphs, one PDF each.
BARE = """
import sys
from pathlib import Path
from xml.sax.saxutils import escape
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate
style = getSampleStyleSheet()["BodyText"]
for text in sys.argv[1:]:
    lines = Path(text).read_text(encoding="utf-8").splitlines()
    doc = SimpleDocTemplate(text + ".pdf", pagesize=A4, invariant=1)
    doc.build([Paragraph(escape(line), style) for line in lines])
"""


def _bare_reportlab(paragraphs: list[str]) -> bytes:
    """The in-process baseline: the same words as plain Paragraphs in reportlab's default font."""
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    out = io.BytesIO()
    style = getSampleStyleSheet()["BodyText"]
    doc = SimpleDocTemplate(out, pagesize=A4, invariant=1)
    doc.build([Paragraph(escape(p), style) for p in paragraphs])
    return out.getvalue()


# As installed: compiled modules are kept (a working copy run with PYTHONDONTWRITEBYTECODE set
# would compile journeyapp afresh each run while reportlab's are cached: unfair to one side).
_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _wall(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, cwd=ROOT, env=_ENV)
    return time.perf_counter() - start


def _interleaved(ours: list[str], bare: list[str], runs: int) -> tuple[float, float]:
    """Median wall times of two commands run turn about (so both see the same machine load)."""
    mine, base = [], []
    _wall(ours)  # warm the file cache for both
    _wall(bare)
    for _ in range(runs):
        mine.append(_wall(ours))
        base.append(_wall(bare))
    return statistics.median(mine), statistics.median(base)


def in_process(folder: Path) -> None:
    """Content + PDF for one full plan, and 100 plans, inside one process."""
    caseload = Caseload.open(Path(folder) / "bench.db", create=True, plain=True)
    caseload.today = lambda: TODAY  # type: ignore[method-assign]
    build_demo(caseload, participants=100, seed=3, today=TODAY)
    people = caseload.participants()
    journeys = [caseload.journey(p.id) for p in people]
    catalogue = caseload.catalogue
    journey = max(journeys, key=lambda j: len(j.goals) + len(j.milestones) + len(j.steps))
    plan = build_document(journey, catalogue, TODAY, contact="07700 900123")
    pdf_bytes([plan])  # fonts registered once per process, as in the app
    words = plan.text().splitlines()
    # Interleaved (ours, baseline, ours…; medians), so a busy moment hits both sides alike.
    one, bare = interleaved(
        lambda: pdf_bytes([build_document(journey, catalogue, TODAY)]),
        lambda: _bare_reportlab(words),
        repeat=15,
    )
    figure(
        "one plan (content + PDF)",
        one * 1000,
        "ms",
        baseline=bare * 1000,
        baseline_name="bare reportlab, same text",
        target="< 100 ms",
        ok=one < 0.1,
    )

    def batch() -> None:
        for j in journeys:
            pdf_bytes([build_document(j, catalogue, TODAY)])

    def bare_batch() -> None:
        for j in journeys:
            _bare_reportlab(build_document(j, catalogue, TODAY).text().splitlines())

    many, bare_many = interleaved(batch, bare_batch, repeat=REPEAT, warmup=0)
    figure(
        f"{len(journeys)} plans, one file each (in process)",
        many,
        "s",
        baseline=bare_many,
        baseline_name="bare reportlab, same text",
        target="< 10 s",
        ok=many < 10,
    )
    start = time.perf_counter()
    combined = pdf_bytes([build_document(j, catalogue, TODAY) for j in journeys])
    together = time.perf_counter() - start
    figure(
        f"{len(journeys)} plans in one PDF ({len(combined) // 1024} KiB)",
        together,
        "s",
        target="< 10 s",
        ok=together < 10,
    )
    caseload.close()


def commands(folder: Path) -> None:
    """`journeyapp plan` on one parent of a 10,000-parent caseload, and `plans` for 60."""
    python = sys.executable
    env_note = f"{BIG:,} parents"
    for size, label in ((BIG, env_note), (60, "60 parents")):
        db = folder / f"demo-{size}.db"
        if size == BIG:  # the run's large demo caseload, built once per run
            db = fresh_copy(caseload_file(BIG), "plans")
        else:
            subprocess.run(
                [python, "-m", "journeyapp", "demo", "--db", str(db), "-n", str(size)],
                check=True,
                capture_output=True,
                cwd=ROOT,
                env=_ENV,
            )
        caseload = Caseload.open(db)
        people = caseload.participants()
        first = people[0]
        texts = []
        for n, person in enumerate(people if size == 60 else [first]):
            text = folder / f"text-{size}-{n}.txt"
            text.write_text(caseload.document(person.id).text(), encoding="utf-8")
            texts.append(str(text))
        caseload.close()
        bare = [python, "-c", BARE, *texts]
        if size == BIG:
            ours = [python, "-m", "journeyapp", "plan", first.id, "--db", str(db)]
            ours += ["--out", str(folder / "one.pdf")]
            mine, base = _interleaved(ours, bare, runs=7)
            figure(
                f"journeyapp plan, one parent of {label} (wall, new process)",
                mine,
                "s",
                baseline=base,
                baseline_name="minimal reportlab program, same text",
                target="< 1.0 s",
                ok=mine < 1.0,
            )
        else:
            ours = [python, "-m", "journeyapp", "plans", "--db", str(db)]
            ours += ["--out", str(folder / "plans")]
            mine, base = _interleaved(ours, bare, runs=3)
            figure(
                f"journeyapp plans, {label}, one file each (wall, new process)",
                mine,
                "s",
                baseline=base,
                baseline_name="minimal reportlab program, same 60 texts",
                target="< 5 s",
                ok=mine < 5.0,
            )


def main() -> None:
    """Print the plan figures beside their same-run baselines and targets."""
    heading("plans")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    print(f"(machine load average {load:.1f} on {os.cpu_count()} cores)", flush=True)
    folder = scratch() / "plans"  # the run's one temporary folder, removed at the end
    folder.mkdir()
    in_process(folder)
    commands(folder)


if __name__ == "__main__":
    main()
