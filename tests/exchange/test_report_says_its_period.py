"""Every format of the programme report says which period (and locality) its figures cover, says
so when its small counts are exact, and says a demo caseload's figures are about fictional
people: the real command on a real caseload, files read back."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from pypdf import PdfReader

from journeyapp.caseload import Caseload
from journeyapp.cli import cli
from journeyapp.demo import build_demo
from tests.clock import ticking_clock
from tests.conftest import TODAY

EXACT = "EXACT small counts"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    c = Caseload.open(path, create=True, demo=True, clock=ticking_clock(TODAY))
    build_demo(c, participants=30, seed=7, today=TODAY)
    c.close()
    return path


def said(fmt: str, out: Path) -> str:
    """What a person (or a program) reads above the figures of one report file."""
    if fmt in ("text", "json"):
        data = out.read_text(encoding="utf-8")
        if fmt == "text":
            return data
        parsed = json.loads(data)
        return f"{parsed['title']} {parsed['period']} {'' if parsed['suppressed_below'] else EXACT}"
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
        return " ".join(r["label"] for r in rows if r["section"] == "report")
    if fmt == "xlsx":
        sheet = load_workbook(out).active
        assert sheet is not None
        return " ".join(str(sheet.cell(row, 1).value) for row in (1, 2))
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(out).pages)


def in_every_format(demo_db: Path, args: list[str]) -> Iterator[tuple[str, Path]]:
    """The report command run for each format with `args`, and the file it wrote."""
    with tempfile.TemporaryDirectory() as folder:
        for fmt in ("text", "json", "csv", "xlsx", "pdf"):
            out = Path(folder) / f"report.{'txt' if fmt == 'text' else fmt}"
            command = ["report", "--db", str(demo_db), "--format", fmt, "--out", str(out)]
            result = CliRunner().invoke(cli, [*command, *args])
            assert result.exit_code == 0, result.output
            yield fmt, out


day = st.dates(date(2025, 1, 1), TODAY)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    since=st.none() | day,
    length=st.none() | st.integers(0, 400),
    locality=st.sampled_from([None, "fife", "North Lanarkshire"]),
    exact=st.booleans(),
)
def test_every_format_says_its_period_and_whether_it_is_exact(
    demo_db: Path, since: date | None, length: int | None, locality: str | None, exact: bool
) -> None:
    until = None if length is None else (since or date(2025, 1, 1)) + timedelta(days=length)
    args = [*(["--from", since.isoformat()] if since else [])]
    args += [*(["--to", until.isoformat()] if until else [])]
    args += [*(["--locality", locality] if locality else []), *(["--exact"] if exact else [])]
    period = "All dates"
    if since or until:
        start = since.isoformat() if since else "the start"
        period = f"From {start} to {until.isoformat() if until else 'today'}"
    place = {None: "", "fife": " · Fife", "North Lanarkshire": " · North Lanarkshire"}[locality]
    for fmt, out in in_every_format(demo_db, args):
        words = said(fmt, out)
        assert f"{period}{place}" in words, fmt
        assert (EXACT in words) is exact, fmt
        assert "DEMO (fictional people)" in words, fmt


def words_of(fmt: str, out: Path) -> str:
    """Every word a person (or a program) reads in one report file, spaces evened out."""
    if fmt == "text":
        text = out.read_text(encoding="utf-8")
    elif fmt == "json":
        text = json.dumps(json.loads(out.read_text(encoding="utf-8")), ensure_ascii=False)
    elif fmt == "csv":
        rows = csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig")))
        text = " ".join(" ".join(row) for row in rows)
    elif fmt == "xlsx":
        sheet = load_workbook(out).active
        assert sheet is not None
        text = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    else:
        text = " ".join(p.extract_text() for p in PdfReader(out).pages)
    return " ".join(text.split())


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(since=st.none() | day, length=st.none() | st.integers(0, 400))
def test_every_format_says_how_small_counts_were_treated_and_beside_what(
    demo_db: Path, since: date | None, length: int | None
) -> None:
    """The note under the figures (small counts withheld; for a period of its own choosing,
    which reports it was checked beside) is in every format, not only the text and the PDF:
    a coordinator who sends on the CSV or the workbook sends the same caution."""
    from journeyapp.exchange.report import (
        OTHER_PERIODS_NOTE,
        SUPPRESSION_NOTE,
        is_standard_period,
    )

    until = None if length is None else (since or date(2025, 1, 1)) + timedelta(days=length)
    args = [*(["--from", since.isoformat()] if since else [])]
    args += [*(["--to", until.isoformat()] if until else [])]
    own_choosing = not is_standard_period(since, until)
    for fmt, out in in_every_format(demo_db, args):
        words = words_of(fmt, out)
        assert " ".join(SUPPRESSION_NOTE.split()) in words, fmt
        assert (" ".join(OTHER_PERIODS_NOTE.split()) in words) is own_choosing, fmt
