"""Ids typed on the command line as people copy them from a listing: the whole id, or the start
of it (`job X --id 7638…`, `break X --id c250…`, `decisions --id 3f2a...`, a parent's id given
as PARTICIPANT), read by one rule (cli.options.ids_starting / one_id). A start several ids share
is refused naming them; one that starts none says where the ids are listed; an erased parent's
id says they were erased. Refused, nothing in the caseload changes."""

from __future__ import annotations

import io
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from journeyapp.caseload import Caseload
from journeyapp.cli import cli
from journeyapp.cli.options import ids_starting, one_id
from journeyapp.core.records import Job, Pause
from tests.cli.refusals import refused
from tests.cli.test_sweep_bad_input import content
from tests.clock import real_days_ago

NAME = "Morven"
JOBS = 17  # more ids than hex digits: two of them start alike, whatever ids they are given


def run(db: Path, *argv: str) -> Result:
    return CliRunner().invoke(cli, [argv[0], "--db", str(db), *argv[1:]])


@pytest.fixture
def made(tmp_path: Path) -> tuple[Path, str]:
    """A caseload file with one parent who took three breaks and started 17 jobs (the path,
    their id)."""
    path = tmp_path / "caseload.db"
    caseload = Caseload.open(path, create=True, plain=True)
    try:
        pid = caseload.enrol_participant(NAME, "fife", joined_on=real_days_ago(500)).id
        for i in range(3):
            caseload.pause(pid, on=real_days_ago(400 - 60 * i), reason=f"reason {i}")
            caseload.resume(pid, on=real_days_ago(390 - 60 * i))
        for i in range(JOBS):
            caseload.add_job(pid, real_days_ago(300 - 10 * i), job_title=f"job {i}")
    finally:
        caseload.close()
    return path, pid


def _records(path: Path, pid: str) -> tuple[list[Pause], list[Job]]:
    caseload = Caseload.open(path, plain=True)
    try:
        return list(caseload.journey(pid).pauses), caseload.jobs(pid)
    finally:
        caseload.close()


def test_a_break_and_a_job_are_found_by_the_start_of_their_id(made: tuple[Path, str]) -> None:
    path, pid = made
    pauses, jobs = _records(path, pid)
    for i, pause in enumerate(pauses):
        # As copied: the first part, in capitals, or shortened with dots as the help writes it.
        typed = [pause.id[:8], pause.id[:13].upper(), pause.id[:9] + "..."][i]
        result = run(path, "break", NAME, "--id", typed, "--reason", f"new words {i}")
        assert result.exit_code == 0, result.output
        assert f"Corrected the break {pause.id} for {NAME}." in result.stdout
    job = jobs[5]
    result = run(path, "job", NAME, "--id", job.id[:8], "--set", "note=copied from the list")
    assert result.exit_code == 0, result.output
    assert f"Changed the job {job.id} for {NAME}." in result.stdout
    after_pauses, after_jobs = _records(path, pid)
    assert [p.reason for p in after_pauses] == [f"new words {i}" for i in range(3)]
    assert [j.note for j in after_jobs] == [
        "copied from the list" if j.id == job.id else j.note for j in jobs
    ]


def test_a_start_several_ids_share_is_refused_naming_them(made: tuple[Path, str]) -> None:
    path, pid = made
    _, jobs = _records(path, pid)
    first = [j.id[0] for j in jobs]
    shared = next(c for c in first if first.count(c) > 1)
    sharing = [j.id for j in jobs if j.id.startswith(shared)]
    before = content(path)
    line = refused(
        run(path, "job", NAME, "--id", shared, "--set", "note=x"),
        f"{len(sharing)} jobs of {NAME}'s have ids starting '{shared}'",
        "give more of the id",
        "Nothing was changed.",
    )
    for whole in sharing:
        assert whole in line
    assert content(path) == before


@pytest.mark.parametrize("command", ["job", "break"])
def test_an_id_none_starts_with_says_where_they_are_listed(
    made: tuple[Path, str], command: str
) -> None:
    path, _ = made
    before = content(path)
    what = {"job": "--set", "break": "--reason"}[command]
    value = {"job": "note=x", "break": "x"}[command]
    refused(
        run(path, command, NAME, "--id", "zz-not-an-id", what, value),
        f"No {command} of {NAME}'s has the id 'zz-not-an-id'",
        f"journeyapp {command} {NAME} lists them",
    )
    assert content(path) == before


def _plan_text(pdf: Path) -> str:
    reader = PdfReader(io.BytesIO(pdf.read_bytes()))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def test_a_parent_is_named_by_the_start_of_their_id(made: tuple[Path, str], tmp_path: Path) -> None:
    path, pid = made
    out = tmp_path / "plan.pdf"
    result = run(path, "plan", pid[:8], "--out", str(out))
    assert result.exit_code == 0, result.output
    assert NAME in _plan_text(out)
    # A few letters could be the start of anyone's id, or a name mistyped: not taken as an id.
    before = content(path)
    refused(run(path, "plan", pid[:4], "--out", str(tmp_path / "p2.pdf")), "first 6 characters")
    assert not (tmp_path / "p2.pdf").exists()
    assert content(path) == before


def test_erase_takes_the_start_of_an_id_and_an_erased_id_says_so(
    made: tuple[Path, str], tmp_path: Path
) -> None:
    path, pid = made
    erased = run(path, "erase", pid[:8], "--confirm-name", NAME)
    assert erased.exit_code == 0, erased.output
    assert f"Erased the parent {pid};" in erased.stdout
    before = content(path)
    for argv in (
        ["plan", pid, "--out", str(tmp_path / "p.pdf")],
        ["break", pid],
        ["job", pid],
        ["erase", pid, "--confirm-name", NAME],
    ):
        # It used to say "No parent matches '…'. Try part of their name …", as if mistyped.
        refused(run(path, *argv), f"The parent with the id {pid} was erased", "Nothing was done.")
    for start in (pid[:8], pid[:6].upper(), f"{pid[:10]}...", f" {pid[:12]}… "):
        # The start of their id, as copied from a list (as it erased them): said as theirs,
        # with the whole id (it said "No parent matches").
        for argv in (
            ["plan", start, "--out", str(tmp_path / "p.pdf")],
            ["answers", start],
            ["erase", start, "--confirm-name", NAME],
        ):
            refused(run(path, *argv), f"The parent with the id {pid} was erased", "Nothing was")
    assert "No parent matches" in run(path, "plan", pid[:5], "--out", "p.pdf").output
    assert content(path) == before


@given(
    ids=st.lists(st.uuids().map(str), min_size=1, max_size=40, unique=True),
    pick=st.integers(min_value=0),
    length=st.integers(min_value=1, max_value=36),
    upper=st.booleans(),
)
def test_one_id_is_the_id_the_start_names_or_a_refusal_that_names_the_matches(
    ids: list[str], pick: int, length: int, upper: bool
) -> None:
    meant = ids[pick % len(ids)]
    typed = meant[:length].upper() if upper else meant[:length]
    sharing = [i for i in ids if i.startswith(meant[:length])]
    assert meant in ids_starting(typed, ids)
    if len(sharing) == 1 or length == len(meant):
        assert one_id(typed, ids, thing="t", things="ts", listing="l", nothing="n.") == meant
        return
    with pytest.raises(click.ClickException) as refusal:
        one_id(typed, ids, thing="t", things="ts", listing="l", nothing="n.")
    said = refusal.value.message
    assert f"{len(sharing)} ts have ids starting" in said
    for whole in sharing[:10]:
        assert whole in said


@given(ids=st.lists(st.uuids().map(str), max_size=20, unique=True), typed=st.text(max_size=12))
def test_a_start_no_id_has_is_refused_saying_where_they_are_listed(
    ids: list[str], typed: str
) -> None:
    if ids_starting(typed, ids):
        return
    with pytest.raises(click.ClickException) as refusal:
        one_id(typed, ids, thing="job", things="jobs", listing="list them", nothing="Nothing.")
    empty = not typed.strip().rstrip(".…").strip()
    assert refusal.value.message.startswith(
        "No id was given (--id is empty)" if empty else "No job has the id "
    )
    assert "list them. Nothing." in refusal.value.message


@pytest.mark.parametrize("command", ["job", "break", "decisions"])
def test_an_empty_id_is_said_to_be_empty(made: tuple[Path, str], command: str) -> None:
    """`--id ""` (a script's unset variable) was taken as no --id at all: "Say what to do:
    --take, --id BREAK_ID …", "Give both --id and --keep", though both were given."""
    path, _ = made
    before = content(path)
    argv = {
        "job": ["job", NAME, "--id", "", "--set", "note=x"],
        "break": ["break", NAME, "--id", "", "--reason", "x"],
        "decisions": ["decisions", "--id", "", "--keep", "here"],
    }[command]
    refused(run(path, *argv), "No id was given (--id is empty)", f"journeyapp {command}")
    assert content(path) == before


@pytest.mark.parametrize("typed", ["", "   "])
@pytest.mark.parametrize("command", ["plan", "answers", "job", "break", "erase"])
def test_an_empty_parent_is_said_to_be_empty(
    made: tuple[Path, str], tmp_path: Path, command: str, typed: str
) -> None:
    """PARTICIPANT "" used to be answered "No parent matches ''", as if a name were mistyped."""
    path, _ = made
    before = content(path)
    extra = {"plan": ["--out", str(tmp_path / "p.pdf")], "erase": ["--confirm-name", NAME]}
    refused(run(path, command, typed, *extra.get(command, [])), "No parent was named")
    assert content(path) == before
    assert not (tmp_path / "p.pdf").exists()


def test_an_id_start_that_names_nobody_does_not_read_every_parent(tmp_path: Path) -> None:
    """The start of an id that is nobody's (a mistyped copy) is looked up in the ids' index:
    answering it costs fewer SQLite steps than there are parents (it used to read every
    parent, 130 ms at 10,000), and a start that is someone's still finds them alone."""
    from journeyapp.cli.plans_cmds import by_id_start

    path = tmp_path / "many.db"
    made = CliRunner().invoke(cli, ["demo", "--db", str(path), "-n", "300"])
    assert made.exit_code == 0, made.output
    caseload = Caseload.open(path, check="none")
    try:
        ids = [p.id for p in caseload.participants()]
        nobody = next(
            start
            for start in (f"{n:06x}" for n in range(0, 0xFFFFFF, 4099))
            if not any(i.startswith(start) for i in ids)
        )
        steps = 0

        def count() -> int:
            nonlocal steps
            steps += 1
            return 0

        caseload.db.conn.set_progress_handler(count, 1)
        assert by_id_start(caseload, nobody) == []
        assert by_id_start(caseload, nobody.upper() + "...") == []
        caseload.db.conn.set_progress_handler(None, 1)
        assert steps < len(ids), steps
        for pid in ids[:20]:
            assert [p.id for p in by_id_start(caseload, pid[:8])] == [pid]
            assert [p.id for p in by_id_start(caseload, pid[:8].upper() + "…")] == [pid]
            assert [p.id for p in by_id_start(caseload, pid)] == [pid]
    finally:
        caseload.close()
