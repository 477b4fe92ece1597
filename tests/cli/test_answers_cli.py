"""`journeyapp answers` and `journeyapp job` (issue 19): the return's answers for scripts, set and
shown by code; equalities refused in one line without that consent."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from click.testing import CliRunner

from journeyapp.caseload import Caseload
from journeyapp.cli import cli
from journeyapp.core.enums import ConsentPurpose
from journeyapp.core.validation import wall_clock
from tests.clock import real_days_ago
from tests.held_words import written_elsewhere


def run(db_path: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [*args[:2], "--db", str(db_path), *args[2:]])
    return result.exit_code, result.output


def test_answers_set_and_show(caseload: Caseload, db_path: Path) -> None:
    pid = caseload.enrol_participant("Siobhán", "fife", joined_on=date(2026, 3, 1)).id
    code, out = run(
        db_path,
        "answers",
        "Siob",
        "--set",
        "lone_parent=yes",
        "--set",
        "benefits=universal_credit,child_benefit",
        "--set",
        "postcode=ky13nb",
    )
    assert code == 0, out
    assert "lone_parent: yes (Yes)" in out
    assert "postcode: KY1 3NB" in out
    assert "not asked (no equalities-monitoring consent)" in out

    code, out = run(db_path, "answers", "Siob", "--set", "sex=female")
    assert code == 1
    assert "Traceback" not in out
    assert len([line for line in out.splitlines() if "equalities" in line]) == 1  # one line
    assert "agreed to equalities monitoring" in out
    assert caseload.equalities(pid) is None

    caseload.record_consent(pid, ConsentPurpose.EQUALITIES_MONITORING, True)
    code, out = run(db_path, "answers", "Siob", "--set", "sex=female", "--set", "ethnicity=arab")
    assert code == 0, out
    assert "ethnicity: arab (Arab, Scottish Arab or British Arab)" in out
    held = caseload.equalities(pid)
    assert held is not None
    assert held.sex == "female"

    code, out = run(db_path, "answers", "Siob", "--set", "sex=woman")
    assert code == 1
    assert "not one of the answers" in out
    code, out = run(db_path, "answers", "Siob", "--set", "lone parent")
    assert code == 1
    assert "NAME=CODE" in out
    code, out = run(db_path, "answers", "Siob", "--codes")
    assert "care_experience: yes, no, prefer_not_to_say" in out


def test_job_record_change_and_list(caseload: Caseload, db_path: Path) -> None:
    # The command runs on the real clock: the caseload too, and every day is a real past one.
    caseload.clock = wall_clock
    joined, started, left, too_early = (real_days_ago(d) for d in (300, 264, 87, 359))
    pid = caseload.enrol_participant("Siobhán", "fife", joined_on=joined).id
    code, out = run(
        db_path,
        "job",
        "Siob",
        "--started-on",
        started.isoformat(),
        "--set",
        "hours_per_week=20",
        "--set",
        "contract_type=permanent",
    )
    assert code == 0, out
    assert "20 h/week, Permanent, still in work" in out
    [made] = caseload.jobs(pid)
    assert any(m.type == "started_work" for m in caseload.journey(pid).milestones)
    code, out = run(
        db_path,
        "job",
        "Siob",
        "--id",
        made.id,
        "--set",
        f"left_on={left}",
        "--set",
        "leaving_reason=contract_ended",
    )
    assert code == 0, out
    assert f"ended {left}" in out
    for typed in ("lots", "²", "1²"):  # '²' is a digit int() cannot read: it raised ValueError
        code, out = run(db_path, "job", "Siob", "--id", made.id, "--set", f"hours_per_week={typed}")
        assert code == 1
        assert "whole number" in out
        assert "Traceback" not in out
    code, out = run(db_path, "job", "Siob", "--id", made.id, "--set", f"left_on={too_early}")
    assert code == 1
    assert "ends before it starts" in out
    assert caseload.jobs(pid)[0].left_on == left  # nothing saved lost


def test_codes_with_a_parent_finds_the_parent_and_shows_their_answers(
    caseload: Caseload, db_path: Path
) -> None:
    """A parent named beside --codes is found as every command finds one: a name that
    matches nobody is refused (it used to be ignored, the codes listed, exit 0), one that
    matches several lists them, and one parent's answers follow the codes."""
    caseload.enrol_participant("Siobhán", "fife", joined_on=date(2026, 3, 1))
    caseload.enrol_participant(
        "Siobhan", "fife", joined_on=date(2026, 3, 1), full_name="Siobhan Roe"
    )
    caseload.enrol_participant("Kelly", "fife", joined_on=date(2026, 3, 1))
    code, out = run(db_path, "answers", "Nobody At All", "--codes")
    assert code == 1, out
    assert "No parent matches 'Nobody At All'" in out
    assert "care_experience:" not in out
    code, out = run(db_path, "answers", "siobhan", "--codes")
    assert code == 1, out
    assert "2 parents match 'siobhan'" in out
    assert "Use more of the name" in out
    code, out = run(db_path, "answers", "Kelly", "--codes")
    assert code == 0, out
    assert "care_experience: yes, no, prefer_not_to_say" in out
    assert "lone_parent: -" in out
    code, out = run(db_path, "answers", "--codes")
    assert code == 0, out
    assert "care_experience: yes, no, prefer_not_to_say" in out
    assert "lone_parent: -" not in out


def test_the_job_list_names_each_job_so_the_one_to_correct_is_known(
    caseload: Caseload, db_path: Path
) -> None:
    caseload.clock = wall_clock
    joined, first, second = (real_days_ago(d) for d in (300, 264, 100))
    pid = caseload.enrol_participant("Siobhán", "fife", joined_on=joined).id
    care = caseload.add_job(pid, first, job_title="Care assistnat", hours_per_week=20)
    shop = caseload.add_job(pid, second, job_title="Shop work")
    # Escapes held from another laptop stay harmless.
    written_elsewhere(caseload, "jobs", shop.id, job_title="Shop \x1b[2Jwork")
    caseload.add_job(pid, second)  # no title: the line says as much as before
    code, out = run(
        db_path, "job", "Siob", "--id", care.id[:8], "--set", "job_title=Care assistant"
    )
    assert code == 0, out
    lines = [line for line in out.splitlines() if "  started " in line]
    assert f"{care.id}  started {first}, 'Care assistant', 20 h/week" in lines[0]
    assert any(", 'Shop \\x1b[2Jwork', hours not known" in line for line in lines)
    assert "\x1b" not in out
    assert any(
        line.endswith(f"started {second}, hours not known, contract not known, still in work")
        for line in lines
    )


def test_a_jobs_start_typed_wrong_is_corrected_on_the_command_line_as_in_the_window(
    caseload: Caseload, db_path: Path
) -> None:
    caseload.clock = wall_clock
    joined, wrong, right = (real_days_ago(d) for d in (300, 30, 40))
    pid = caseload.enrol_participant("Siobhán", "fife", joined_on=joined).id
    code, out = run(db_path, "job", "Siob", "--started-on", wrong.isoformat())
    assert code == 0, out
    [made] = caseload.jobs(pid)
    code, out = run(db_path, "job", "Siob", "--id", made.id[:8], "--set", f"started_on={right}")
    assert code == 0, out
    assert f"{made.id}  started {right}" in out
    [update] = [e for e in caseload.record_history(made.id) if e.action == "update"]
    assert {k for k in update.fields if k != "_replaced"} == {"started_on"}  # as the window's

    before = caseload.jobs(pid)
    for args, words in (
        (("--started-on", str(right), "--set", f"started_on={right}"), "--started-on DATE"),
        (("--id", made.id, "--set", "started_on="), "needs the day it started"),
        (("--id", made.id, "--set", f"started_on={real_days_ago(-30)}"), "after today"),
    ):
        code, out = run(db_path, "job", "Siob", *args)
        assert code == 1, out
        assert words in out, out
        assert "Traceback" not in out
        assert caseload.jobs(pid) == before
