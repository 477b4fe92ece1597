"""The programme report: figures from the records, small counts suppressed, every format."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from click.testing import CliRunner
from pypdf import PdfReader

from journeyapp.caseload import Caseload
from journeyapp.cli import cli
from journeyapp.core.records import Milestone, Participant
from journeyapp.exchange.report import FEWER, build_report
from tests.clock import past


def test_json_has_the_documented_keys_and_matches_the_records(demo_caseload: Caseload) -> None:
    programme = build_report(demo_caseload)
    exact = programme.to_json_data(suppress=False)
    parents = demo_caseload.all_records(Participant)
    assert exact["participants"] == len(parents) == 30
    assert sum(exact["by_locality"].values()) == 30
    assert exact["by_locality"]["glasgow"] == sum(p.locality == "glasgow" for p in parents)
    work = {
        m.participant_id for m in demo_caseload.all_records(Milestone) if m.type == "started_work"
    }
    assert exact["milestones"]["started_work"]["participants"] == len(work)
    assert exact["milestones"]["started_work"]["percent"] == round(100 * len(work) / 30, 1)
    assert set(exact["milestones"]) == set(demo_caseload.catalogue.keys("milestone_types"))

    published = json.loads(programme.to_json())
    assert published["participants"] == 30
    for section, values in published.items():
        if isinstance(values, dict) and section not in (
            "filters",
            "medians_days",
            "parents_behind",
        ):
            for value in values.values():
                number = value["participants"] if isinstance(value, dict) else value
                assert (
                    number is None
                    or not (0 < number < 5)
                    or section
                    in (
                        "distance_travelled",
                        "improved",
                        "contacts",
                        "median_days",
                    )
                ), (section, value)
    # Averages, medians and shares say how many parents they rest on: never 1 to 4.
    behind = [n for rows in published["parents_behind"].values() for n in rows.values()]
    assert behind
    assert not any(n is not None and 0 < n < 5 for n in behind)
    suppressed = [k for k, v in exact["by_locality"].items() if 0 < v < 5]
    for key in suppressed:
        assert published["by_locality"][key] is None


def test_text_report_suppresses_small_counts_and_names_nobody(demo_caseload: Caseload) -> None:
    text = build_report(demo_caseload).to_text()
    assert "Parents reached: 30" in text
    assert FEWER in text
    for parent in demo_caseload.all_records(Participant):
        assert parent.full_name not in text
    assert "Breaks parents chose to take" in text
    for word in ("drop-out", "failed", "missed", "non-engaging"):
        assert word not in text.lower()


def test_filters_by_locality_and_period(demo_caseload: Caseload) -> None:
    fife = build_report(demo_caseload, locality="fife").to_json_data(suppress=False)
    assert fife["participants"] == sum(
        p.locality == "fife" for p in demo_caseload.all_records(Participant)
    )
    assert set(k for k, v in fife["by_locality"].items() if v) <= {"fife"}
    early = build_report(demo_caseload, until=date(2026, 1, 31)).to_json_data(suppress=False)
    assert early["participants"] == sum(
        p.joined_on <= date(2026, 1, 31) for p in demo_caseload.all_records(Participant)
    )


def test_report_command_writes_csv_json_and_a_pdf_with_escaped_text(
    real_demo_caseload: Caseload, tmp_path: Path
) -> None:
    for _ in range(5):
        real_demo_caseload.enrol_participant(
            "Ava", "fife", past(2026, 3, 1), keyworker="Sam <b>&amp; <img src='x.png'/>"
        )
    db = real_demo_caseload.path
    real_demo_caseload.close()
    runner = CliRunner()
    pdf = tmp_path / "report.pdf"
    result = runner.invoke(cli, ["report", "--db", str(db), "--format", "pdf", "--out", str(pdf)])
    assert result.exit_code == 0, result.output
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Parents reached" in text
    assert "Sam <b>&amp; <img src='x.png'/>" in text
    assert FEWER in text
    as_json = runner.invoke(cli, ["report", "--db", str(db), "--format", "json"])
    assert json.loads(as_json.stdout)["participants"] == 35
    csv_out = tmp_path / "r.csv"
    runner.invoke(cli, ["report", "--db", str(db), "--format", "csv", "--out", str(csv_out)])
    assert csv_out.read_bytes().startswith(
        b'\xef\xbb\xbf"section","item","label","count","percent","value","unit","parents",'
    )
    again = runner.invoke(
        cli, ["report", "--db", str(db), "--format", "csv", "--out", str(csv_out)]
    )
    assert again.exit_code == 1
    assert "already exists" in again.output
