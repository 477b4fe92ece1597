"""Progress plans: one plan against a bare reportlab document of the same text, and 100 plans in a batch."""

from __future__ import annotations

import io
import tempfile
import time
from datetime import date
from pathlib import Path

from benchmarks.common import figure, heading, timed
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
    with tempfile.TemporaryDirectory() as folder:
        caseload = Caseload.open(Path(folder) / "bench.db", create=True, plain=True)
        caseload.today = lambda: TODAY
        build_demo(caseload, participants=100, seed=3, today=TODAY)
        people = caseload.participants()
        journeys = [caseload.journey(p.id) for p in people]
        catalogue = caseload.catalogue
        # The fullest journey is the fair "one plan" case.
        journey = max(journeys, key=lambda j: len(j.goals) + len(j.milestones) + len(j.steps))
        plan = build_document(journey, catalogue, TODAY, contact="07700 900123")
        pdf_bytes([plan])  # fonts registered once per process, as in the app

        one = timed(lambda: pdf_bytes([build_document(journey, catalogue, TODAY)]), repeat=15)
        words = plan.text().splitlines()
        bare = timed(lambda: _bare_reportlab(words), repeat=15)
        figure(
            "one plan (content + PDF)",
            one * 1000,
            "ms",
            baseline=bare * 1000,
            baseline_name="bare reportlab, same text",
            target="< 100 ms",
            ok=one < 0.1,
        )

        start = time.perf_counter()
        for j in journeys:
            pdf_bytes([build_document(j, catalogue, TODAY)])
        batch = time.perf_counter() - start
        start = time.perf_counter()
        for j in journeys:
            _bare_reportlab(build_document(j, catalogue, TODAY).text().splitlines())
        bare_batch = time.perf_counter() - start
        figure(
            f"{len(journeys)} plans, one file each",
            batch,
            "s",
            baseline=bare_batch,
            baseline_name="bare reportlab, same text",
            target="< 10 s",
            ok=batch < 10,
        )
        start = time.perf_counter()
        combined = pdf_bytes([build_document(j, catalogue, TODAY) for j in journeys])
        figure(
            f"{len(journeys)} plans in one PDF ({len(combined) // 1024} KiB)",
            time.perf_counter() - start,
            "s",
            target="< 10 s",
        )
        caseload.close()


if __name__ == "__main__":
    main()
