"""The journey timeline's names never overlap: a break's "break" was drawn apart from the
milestones' names, so a milestone a few days into a break put its name over it."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache
from itertools import combinations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QRectF
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.core.catalogue import Catalogue, load_catalogue
from journeyapp.core.enums import ParticipantStatus as S
from journeyapp.core.records import Journey, Milestone, Pause, StageChange
from journeyapp.core.turning_points import StatusTurn
from journeyapp.paths import resource
from journeyapp.ui.workspace.journey import TimelineWidget
from tests.journeys import PID, participant
from tests.ui.workspace_helpers import painted_timeline


@cache
def catalogue() -> Catalogue:
    return load_catalogue(resource("catalogue.toml"))


def overlaps(rects: list[tuple[str, QRectF]]) -> list[tuple[str, str]]:
    """Pairs of names whose rectangles share any area (touching edges is not overlapping)."""
    found = []
    for (a, ra), (b, rb) in combinations(rects, 2):
        both = ra.intersected(rb)
        if both.width() > 0.01 and both.height() > 0.01:
            found.append((a, b))
    return found


def test_a_milestone_just_after_a_break_began_leaves_break_in_sight(
    qtbot: QtBot, caseload: Caseload
) -> None:
    """The window as a keyworker saw it: a break from 1 September, a milestone on 4
    September. "break" was drawn under the line and "Joined a group"'s patch covered it."""
    today = caseload.today()
    start = today - timedelta(days=90)
    pid = caseload.enrol_participant("Zoë", "glasgow", today - timedelta(days=330)).id
    caseload.record_milestone(pid, "first_meeting", achieved_on=today - timedelta(days=330))
    caseload.pause(pid, on=start, reason="moving house")
    caseload.resume(pid, on=start + timedelta(days=49))
    caseload.record_milestone(pid, "started_volunteering", achieved_on=start + timedelta(days=3))
    caseload.record_milestone(pid, "joined_group", achieved_on=start + timedelta(days=62))
    with painted_timeline(qtbot, caseload, pid, 1366, 740) as timeline:
        names = [words for words, _rect in timeline.label_rects]
        assert "break" in names
        assert {"Started volunteering", "Joined a group", "Today"} <= set(names)
        assert overlaps(timeline.label_rects) == []


TODAY = date(2026, 11, 28)
TYPES = [e.key for e in load_catalogue(resource("catalogue.toml")).milestone_types]
STAGES = [e.key for e in load_catalogue(resource("catalogue.toml")).stages]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    joined_ago=st.integers(0, 2000),
    milestones=st.lists(st.tuples(st.floats(0, 1), st.sampled_from(TYPES)), max_size=12),
    stages=st.lists(st.tuples(st.floats(0, 1), st.sampled_from(STAGES)), max_size=6),
    breaks=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 200)), max_size=4),
    open_break=st.booleans(),
    width=st.integers(200, 1400),
    points=st.sampled_from([9, 12, 18]),
    turned=st.lists(
        st.tuples(st.floats(0, 1), st.sampled_from([S.MOVED_ON, S.CLOSED])), max_size=4
    ),
)
def test_no_two_names_on_the_timeline_overlap(
    qtbot: QtBot,
    joined_ago: int,
    milestones: list[tuple[float, str]],
    stages: list[tuple[float, str]],
    breaks: list[tuple[float, int]],
    open_break: bool,
    width: int,
    points: int,
    turned: list[tuple[float, S]],
) -> None:
    """Any journey (milestones, stage changes and breaks on any days from joining to today,
    the last break still going on or not; ended and welcomed back, again and again), any
    width from the narrowest, any size of font: no name drawn on the timeline covers
    another, "break", "moved on", "closed", "welcomed back" and the line's ends included."""
    joined = TODAY - timedelta(days=joined_ago)

    def day(at: float) -> date:
        return joined + timedelta(days=round(at * joined_ago))

    pauses = []
    for n, (at, length) in enumerate(sorted(breaks)):
        start = day(at)
        last = open_break and n == len(breaks) - 1
        end = None if last else min(TODAY, start + timedelta(days=length))
        pauses.append(Pause(participant_id=PID, started_on=start, ended_on=end))
    journey = Journey(
        participant=participant(joined_on=joined),
        milestones=tuple(
            Milestone(participant_id=PID, type=kind, achieved_on=day(at)) for at, kind in milestones
        ),
        stages=tuple(StageChange(participant_id=PID, stage=s, on=day(at)) for at, s in stages),
        pauses=tuple(pauses),
    )
    timeline = TimelineWidget()
    qtbot.addWidget(timeline)
    font = timeline.font()
    font.setPointSize(points)
    timeline.setFont(font)
    # Ended (moved on or closed), then welcomed back, and so on: the journey log's turns.
    turns = [StatusTurn(joined, S.ACTIVE)]
    for n, (at, how) in enumerate(sorted(turned)):
        turns.append(StatusTurn(day(at), how if n % 2 == 0 else S.ACTIVE))
    timeline.set_journey(journey, catalogue(), TODAY, turns)
    timeline.resize(width, timeline.sizeHint().height())
    timeline.grab()  # painted: the names are placed
    assert overlaps(timeline.label_rects) == []
    names = [words for words, _rect in timeline.label_rects]
    assert any(w.startswith("Joined") for w in names)
    # Names are placed newest first: the newest thing under the line always has its name
    # (an old one is left out first), a milestone before a break begun the same day.
    newest_milestone = max((day(at) for at, _ in milestones), default=None)
    newest_break = max((p.started_on for p in pauses), default=None)
    newest_turn = max((t.on for t in turns[1:]), default=None)
    others = [d for d in (newest_milestone, newest_break) if d is not None]
    if newest_turn is not None and newest_turn >= max(others, default=newest_turn):
        # A welcome back or an ending on the newest day is named before a milestone that day.
        assert {"moved on", "closed", "welcomed back"} & set(names)
    elif newest_milestone is not None and (
        newest_break is None or newest_milestone >= newest_break
    ):
        assert any(
            catalogue().label("milestone_types", kind).capitalize() in names
            for at, kind in milestones
            if day(at) == newest_milestone
        )
    elif newest_break is not None:
        assert "break" in names
