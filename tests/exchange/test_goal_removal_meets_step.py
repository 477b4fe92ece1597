"""A goal removed on one laptop (its steps with it) while one of its steps, or the goal's own
words, was changed on another that had not seen the removal: nothing is left behind or lost
silently. The goal and its steps come back together, as the removal saw them with the change,
each removal asked about; keeping one keeps the rest of that one change, removing the goal
removes its steps, and every device ends the same, whichever bundle came first."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from journeyapp.caseload import Caseload
from journeyapp.cli import cli
from journeyapp.core.records import Goal, Step
from journeyapp.exchange.bundle import merge_bundle, write_bundle
from journeyapp.exchange.decisions import describe_all
from tests.conftest import TODAY
from tests.exchange.conftest import PASSPHRASE

Laptop = Callable[..., Caseload]
GOAL = "Get my driving licence"
STEP = "Book the theory test"
CHANGED = "Book the theory test for March, when the wee one starts nursery"


def _bundle(caseload: Caseload, folder: Path) -> Path:
    out = folder / f"{caseload.actor}-{uuid.uuid4().hex[:6]}.jlb"
    write_bundle(caseload, out, PASSPHRASE)
    return out


def _held(caseload: Caseload) -> tuple[list[str], list[tuple[str, str]]]:
    """The goals' words, and each step's words with its goal's words ("(none)": orphaned)."""
    goals = {g.id: g.words for g in caseload.all_records(Goal)}
    steps = sorted((s.what, goals.get(s.goal_id, "(none)")) for s in caseload.all_records(Step))
    return sorted(goals.values()), steps


def _relay(devices: list[Caseload], folder: Path) -> None:
    for _ in range(2):
        for src in devices:
            path = _bundle(src, folder)
            for dst in devices:
                if dst is not src:
                    merge_bundle(dst, path, PASSPHRASE)


@pytest.fixture
def three(laptop: Laptop) -> tuple[Caseload, Caseload, Caseload]:
    return laptop("aileen"), laptop("brian"), laptop("coord")


@pytest.mark.parametrize("first", ["removal", "change"])
@pytest.mark.parametrize("changed", ["step", "goal"])
def test_a_goal_removed_while_a_step_or_its_words_changed_comes_back_whole_and_asks(
    three: tuple[Caseload, Caseload, Caseload], tmp_path: Path, first: str, changed: str
) -> None:
    a, b, coord = three
    pid = a.enrol_participant("Siobhán", "fife", TODAY - timedelta(days=60)).id
    goal = a.add_goal(pid, GOAL)
    step = a.add_step(goal.id, STEP)
    other = a.add_step(goal.id, "Ask Gran about lessons")
    merge_bundle(b, _bundle(a, tmp_path), PASSPHRASE)

    a.delete_record("goals", goal.id)  # its steps go with it
    if changed == "step":
        b.update_record("steps", step.id, what=CHANGED)
        expected = ([GOAL], sorted([(CHANGED, GOAL), ("Ask Gran about lessons", GOAL)]))
    else:
        b.update_record("goals", goal.id, words="Pass my driving test by the summer")
        words = "Pass my driving test by the summer"
        expected = ([words], sorted([(STEP, words), ("Ask Gran about lessons", words)]))
    from_a, from_b = _bundle(a, tmp_path), _bundle(b, tmp_path)
    order = (from_a, from_b) if first == "removal" else (from_b, from_a)
    for path in order:
        merge_bundle(coord, path, PASSPHRASE)

    # The goal and every step back, none without its goal; each removal asked about.
    assert _held(coord) == expected
    asked = coord.exchange.decisions()
    assert {(d.kind, d.record_id) for d in asked} == {
        ("goals", goal.id),
        ("steps", step.id),
        ("steps", other.id),
    }
    assert all(d.field == "_remove" for d in asked)
    for line in describe_all(coord, asked):
        assert "removed on one laptop and changed on another" in line.about
        assert (line.here, line.incoming) == ("keep", "remove")
    listed = CliRunner().invoke(cli, ["decisions", "--db", str(coord.path)], catch_exceptions=False)
    assert listed.output.count("removed on one laptop and changed on another") == 3
    for path in order:
        assert not merge_bundle(coord, path, PASSPHRASE).changed_anything
    _relay([a, b, coord], tmp_path)
    for device in (a, b, coord):
        assert _held(device) == expected, device.actor

    # Kept: one answer keeps the whole change, and travels.
    [about_goal] = [d for d in asked if d.kind == "goals"]
    coord.exchange.resolve_decision(about_goal.id, "here")
    assert coord.exchange.decisions() == []
    _relay([a, b, coord], tmp_path)
    for device in (a, b, coord):
        assert _held(device) == expected, device.actor
        assert device.exchange.decisions() == []


def test_removing_the_goal_after_all_removes_its_steps_everywhere(
    three: tuple[Caseload, Caseload, Caseload], tmp_path: Path
) -> None:
    a, b, coord = three
    pid = a.enrol_participant("Siobhán", "fife", TODAY - timedelta(days=60)).id
    goal = a.add_goal(pid, GOAL)
    step = a.add_step(goal.id, STEP)
    merge_bundle(b, _bundle(a, tmp_path), PASSPHRASE)
    a.delete_record("goals", goal.id)
    b.update_record("steps", step.id, what=CHANGED)
    for device in (a, b):
        merge_bundle(coord, _bundle(device, tmp_path), PASSPHRASE)
    [about_goal] = [d for d in coord.exchange.decisions() if d.kind == "goals"]
    coord.exchange.resolve_decision(about_goal.id, "incoming")
    assert _held(coord) == ([], [])
    assert coord.exchange.decisions() == []
    _relay([a, b, coord], tmp_path)
    for device in (a, b, coord):
        assert _held(device) == ([], []), device.actor
        assert device.exchange.decisions() == []
