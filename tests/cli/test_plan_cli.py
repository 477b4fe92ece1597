"""`journeyapp plan` and `journeyapp plans` on a real caseload file, read back with pypdf."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from pathlib import Path

from click.testing import CliRunner
from pypdf import PdfReader

from journeyapp.caseload import Caseload
from journeyapp.cli import cli
from journeyapp.core.dates import long_date
from journeyapp.core.enums import GoalStatus, ParticipantStatus, Voice
from tests.clock import past_on_both, real_days_ago, real_today, ticking_clock
from tests.conftest import TODAY


def _text(path: Path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))


def _parents(caseload: Caseload) -> dict[str, str]:
    siobhan = caseload.enrol_participant(
        "Siobhán", "fife", joined_on=date(2026, 3, 1), full_name="Siobhán Kelly", keyworker="Morag"
    )
    caseload.add_goal(
        siobhan.id, "Get back into college <b>this</b> year", status=GoalStatus.WORKING_ON_IT
    )
    sarah = caseload.enrol_participant("Sarah", "glasgow", full_name="Sarah Kerr")
    closed = caseload.enrol_participant("Dana", "glasgow")
    caseload.set_status(closed.id, ParticipantStatus.CLOSED)
    return {"siobhan": siobhan.id, "sarah": sarah.id, "closed": closed.id}


def test_plan_by_unique_name_part(caseload: Caseload, db_path: Path, tmp_path: Path) -> None:
    _parents(caseload)
    out = tmp_path / "plan.pdf"
    result = CliRunner().invoke(
        cli,
        ["plan", "siobhan", "--db", str(db_path), "--out", str(out), "--contact", "0131 496 0000"],
    )
    assert result.exit_code == 0, result.output
    assert "Wrote “Your plan” for Siobhán" in result.output
    text = _text(out)
    assert "“Get back into college <b>this</b> year” (in your words)" in text
    assert "Contact: 0131 496 0000" in text


def test_plan_by_id_large_print_and_what_we_hold(
    caseload: Caseload, db_path: Path, tmp_path: Path
) -> None:
    ids = _parents(caseload)
    out = tmp_path / "held.pdf"
    result = CliRunner().invoke(
        cli,
        [
            "plan",
            ids["siobhan"],
            "--db",
            str(db_path),
            "--out",
            str(out),
            "--what-we-hold",
            "--large-print",
        ],
    )
    assert result.exit_code == 0, result.output
    text = _text(out)
    assert "What we hold about you" in text
    assert "Full name: Siobhán Kelly" in text
    assert "Every change we recorded" in text


def test_ambiguous_name_lists_matches_and_exits_1(
    caseload: Caseload, db_path: Path, tmp_path: Path
) -> None:
    _parents(caseload)
    out = tmp_path / "plan.pdf"
    result = CliRunner().invoke(cli, ["plan", "S", "--db", str(db_path), "--out", str(out)])
    assert result.exit_code == 1
    assert "2 parents match 'S'" in result.output
    assert "Siobhán (Siobhán Kelly) · Fife · keyworker Morag · id " in result.output
    assert "Sarah (Sarah Kerr) · Glasgow · id " in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_parents_of_one_name_are_told_apart_and_found_by_reference(
    caseload: Caseload, db_path: Path, tmp_path: Path
) -> None:
    """Two parents both called Zoë: the list says what tells them apart (the reference a
    spreadsheet gave one of them, the locality, the keyworker), and the reference finds her."""
    first = caseload.enrol_participant("Zoë", "fife", keyworker="Morag")
    csv = tmp_path / "parents.csv"
    joined = past_on_both(TODAY).isoformat()  # the command checks dates on the real clock
    csv.write_text(f"ref,preferred_name,locality,joined_on\nP-002,Zoë,glasgow,{joined}\n")
    runner = CliRunner()
    imported = runner.invoke(cli, ["import", "--db", str(db_path), str(csv)])
    assert imported.exit_code == 0, imported.output
    out = tmp_path / "plan.pdf"
    result = runner.invoke(cli, ["plan", "Zoë", "--db", str(db_path), "--out", str(out)])
    assert result.exit_code == 1
    lines = [line.strip() for line in result.output.splitlines()]
    assert f"Zoë · Fife · keyworker Morag · id {first.id}" in lines
    assert any(line.startswith("Zoë · ref P-002 · Glasgow · id ") for line in lines), lines
    assert "Use more of the name, their reference, or one of the ids above." in result.output
    assert not out.exists()
    by_ref = runner.invoke(cli, ["plan", "P-002", "--db", str(db_path), "--out", str(out)])
    assert by_ref.exit_code == 0, by_ref.output
    assert out.exists()


def test_no_match_and_unwritable_are_one_clear_line(
    caseload: Caseload, db_path: Path, tmp_path: Path
) -> None:
    _parents(caseload)
    runner = CliRunner()
    result = runner.invoke(
        cli, ["plan", "nobody", "--db", str(db_path), "--out", str(tmp_path / "x.pdf")]
    )
    assert result.exit_code == 1
    assert "No parent matches 'nobody'" in result.output
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = runner.invoke(
        cli, ["plan", "Sarah", "--db", str(db_path), "--out", str(blocker / "x.pdf")]
    )
    assert result.exit_code == 1
    # Said of --out before the caseload is opened, as for every file to write.
    assert f"--out {blocker / 'x.pdf'}: {blocker} is a file, not a folder" in result.output
    assert "Nothing was done" in result.output
    assert "Traceback" not in result.output


def test_plans_writes_one_safe_file_per_open_journey(
    caseload: Caseload, db_path: Path, tmp_path: Path
) -> None:
    ids = _parents(caseload)
    out = tmp_path / "plans"
    result = CliRunner().invoke(cli, ["plans", "--db", str(db_path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Wrote 2 plans" in result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(
        [f"plan-siobhan-kelly-{ids['siobhan'][:8]}.pdf", f"plan-sarah-kerr-{ids['sarah'][:8]}.pdf"]
    )
    assert "Siobhán" in _text(out / names[1])


def test_commands_have_help_with_an_example() -> None:
    for command in ("plan", "plans"):
        result = CliRunner().invoke(cli, [command, "--help"])
        assert result.exit_code == 0
        assert "Example:" in result.output


def test_plan_in_the_language_asked_for(caseload: Caseload, db_path: Path, tmp_path: Path) -> None:
    ids = _parents(caseload)
    out = tmp_path / "pl.pdf"
    result = CliRunner().invoke(
        cli, ["plan", ids["sarah"], "--db", str(db_path), "--out", str(out), "--language", "pl"]
    )
    assert result.exit_code == 0, result.output
    assert "Wrote “Twój plan” for Sarah" in result.output
    assert "Twój plan" in _text(out)


def test_one_page_and_one_plan_are_counted_in_the_singular(
    caseload: Caseload, db_path: Path, tmp_path: Path
) -> None:
    """A one-page plan said "(1 pages)", and a batch of one "Wrote 1 plans"."""
    sarah = caseload.enrol_participant("Sarah", "glasgow", full_name="Sarah Kerr")
    out = tmp_path / "plan.pdf"
    result = CliRunner().invoke(cli, ["plan", sarah.id, "--db", str(db_path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    pages = len(PdfReader(io.BytesIO(out.read_bytes())).pages)
    assert pages == 1
    # stdout: on a real day before the pinned one, a note on stderr names the records dated
    # after it (the parent joined on the pinned day).
    assert result.stdout.rstrip().endswith(f"to {out} (1 page).")
    result = CliRunner().invoke(
        cli, ["plans", "--db", str(db_path), "--out", str(tmp_path / "all")]
    )
    assert result.exit_code == 0, result.output
    assert f"Wrote 1 plan to {tmp_path / 'all'}." in result.output


def test_what_we_hold_says_whose_words_each_break_is_and_who_chose_its_day(
    caseload: Caseload, db_path: Path, tmp_path: Path
) -> None:
    """A subject-access document shows what is recorded about a break: its reason's voice and
    who chose the day to get in touch again (Pause.voice, Pause.day_chosen_by), as the plan
    does."""
    ids = _parents(caseload)
    pid = ids["siobhan"]
    caseload.pause(
        pid,
        on=date(2026, 4, 1),
        reason="Agreed to stop over the exams",
        voice=Voice.TOGETHER,
        follow_up_on=date(2026, 5, 4),
        follow_up_chosen_by=Voice.KEYWORKER,
    )
    caseload.resume(pid, on=date(2026, 5, 4))
    caseload.pause(
        pid,
        on=date(2026, 6, 1),
        reason="My mum is poorly",
        follow_up_on=date(2026, 7, 6),
        follow_up_chosen_by=Voice.PARENT,
    )
    out = tmp_path / "held.pdf"
    result = CliRunner().invoke(
        cli, ["plan", pid, "--db", str(db_path), "--out", str(out), "--what-we-hold"]
    )
    assert result.exit_code == 0, result.output
    text = _text(out)
    first = text[text.index("From 1 April 2026 to 4 May 2026") :]
    first = first[: first.index("From 1 June 2026")]
    assert "Why: Agreed to stop over the exams" in first
    assert "We agreed this together." in first
    assert "Your keyworker chose this day." in first
    second = text[text.index("From 1 June 2026") :]
    assert "Why: My mum is poorly" in second
    assert "In your words." in second
    assert "You chose this day." in second


def test_plan_leaves_out_a_milestone_dated_after_today_and_says_so(tmp_path: Path) -> None:
    """A "started work" dated next month (written while a laptop's clock was a year ahead) is
    not printed as done; the command names it, so the keyworker can put the date right. The
    command runs on the real clock, so the days are worked out from it."""
    path = tmp_path / "caseload.db"
    c = Caseload.open(path, create=True, plain=True)
    try:
        pid = c.enrol_participant("Siobhán", "fife", joined_on=real_days_ago(60)).id
        c.record_milestone(pid, "had_interview", achieved_on=real_days_ago(5))
        ahead = real_today() + timedelta(days=30)
        c.clock = ticking_clock(real_today() + timedelta(days=365))
        c.record_milestone(pid, "started_work", achieved_on=ahead)
    finally:
        c.close()
    out = tmp_path / "plan.pdf"
    result = CliRunner().invoke(cli, ["plan", "Siob", "--db", str(path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = _text(out)
    assert "Had an interview" in text
    assert "Started work" not in text
    assert (
        f"Note: Dated after today ({long_date(real_today())}), so not counted as happened yet: "
        f"the milestone “Started work” on {long_date(ahead)}. Check the date"
    ) in result.stderr
    folder = tmp_path / "plans"
    result = CliRunner().invoke(cli, ["plans", "--db", str(path), "--out", str(folder)])
    assert result.exit_code == 0, result.output
    assert "Note: 1 plan leaves out records dated after today" in result.stderr
    assert "(Siobhán)" in result.stderr
    (printed,) = folder.iterdir()
    assert "Started work" not in _text(printed)


def test_an_erased_parent_is_said_to_be_erased_not_unknown(
    caseload: Caseload, db_path: Path, tmp_path: Path
) -> None:
    """`plan ID` for a parent erased on this laptop said "No parent matches …", as if the id
    were mistyped; a keyworker answering a request for what is held needs to know that they
    were erased, and when."""
    ids = _parents(caseload)
    caseload.safety.erase_participant(ids["sarah"], "Sarah")
    day = caseload.erased_on(ids["sarah"])
    assert day is not None
    out = tmp_path / "held.pdf"
    for extra in ([], ["--what-we-hold"]):
        result = CliRunner().invoke(
            cli, ["plan", ids["sarah"], "--db", str(db_path), "--out", str(out), *extra]
        )
        assert result.exit_code == 1, result.output
        said = " ".join(result.output.split())
        assert f"was erased on {long_date(day)}" in said
        assert "nothing about them is held here any more" in said
        assert "Traceback" not in result.output
        assert not out.exists()
    assert caseload.erased_on(ids["siobhan"]) is None
    assert caseload.erased_on("not an id") is None
