"""Progress plans: one plan against a bare reportlab document of the same text, and 100 plans in a batch."""

from __future__ import annotations

import io
import time
from datetime import date

from benchmarks.common import REPEAT, figure, heading, interleaved, scratch
from journeyapp.caseload import Caseload
from journeyapp.core.action_plan import build_document
from journeyapp.demo import build_demo
from journeyapp.plans.documents import pdf_bytes

TODAY = date(2026, 11, 28)


def _bare_reportlab(paragraphs: list[str]) -> bytes:
    """The baseline: the same words as plain Paragraphs in reportlab's default font, no chart."""
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    out = io.BytesIO()
    style = getSampleStyleSheet()["BodyText"]
    doc = SimpleDocTemplate(out, pagesize=A4, invariant=1)
    doc.build([Paragraph(escape(p), style) for p in paragraphs])
    return out.getvalue()


def main() -> None:
    """Print the plan figures beside their same-run baseline and targets."""
    heading("plans")
    folder = scratch() / "plans"
    folder.mkdir()
    caseload = Caseload.open(folder / "bench.db", create=True, plain=True)
    caseload.today = lambda: TODAY
    build_demo(caseload, participants=100, seed=3, today=TODAY)
    people = caseload.participants()
    journeys = [caseload.journey(p.id) for p in people]
    catalogue = caseload.catalogue
    # The fullest journey is the fair "one plan" case.
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
        f"{len(journeys)} plans, one file each",
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


if __name__ == "__main__":
    main()
