"""The checks on incoming events made together (each field's values of many events at once)
answer as the checks made one event after another: the same texts, or the same refusal naming
the same event (store.merge_checks: check_events against check_each)."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeyapp.core.records import Event
from journeyapp.store import merge_checks
from journeyapp.store.merge_checks import MAX_FIELD, MergeRefused

PARENTS = ("p1", "p2")
KINDS = (
    "participants",
    "contacts",
    "contacts",
    "milestones",
    "assessments",
    "exports",
    "no_such_kind",
)
ACTIONS = ("create", "create", "create", "update", "update", "delete", "erase", "rename")
NAMES = {
    "participants": ("preferred_name", "joined_on", "status", "ref", "locality"),
    "contacts": ("on", "kind", "minutes", "note", "childcare_needed", "participant_id"),
    "milestones": ("type", "achieved_on", "note", "voice", "participant_id"),
    "assessments": ("scores", "taken_on", "participant_id"),
    "exports": ("what",),
    "no_such_kind": ("note",),
}
EXTRA = ("created_at", "recorded_by", "_replaced", "_decided", "shoe_size")
# A value each field takes (most events are good ones).
GOOD: dict[str, Any] = {
    "preferred_name": "Ana",
    "joined_on": "2026-03-01",
    "status": "active",
    "ref": None,
    "locality": "edinburgh",
    "on": "2026-03-02",
    "kind": "one_to_one",
    "minutes": 30,
    "note": "Siobhán phoned",
    "childcare_needed": True,
    "type": "first_meeting",
    "achieved_on": "2026-03-03",
    "voice": "parent",
    "scores": '{"confidence": 4}',
    "taken_on": "2026-03-04",
    "what": "an export",
    "created_at": "2026-03-01T10:00:00Z",
    "recorded_by": "Aileen",
    "_replaced": {"note": ["e1"]},
    "_decided": True,
    "shoe_size": 5,
    "participant_id": "p1",
}
VALUES = st.one_of(
    st.sampled_from(
        [
            "",
            "a note",
            "Siobhán",
            "2026-03-01",
            "2026-02-30",
            "1850-01-01",
            "one_to_one",
            "first_meeting",
            "parent",
            "active",
            "edinburgh",
            "not_a_code",
            '{"confidence": 4}',
            '{"confidence": 11}',
            "[not json",
            "x" * (MAX_FIELD + 1),
            "y" * 201,
        ]
    ),
    st.none(),
    st.booleans(),
    st.integers(min_value=-2_000_000, max_value=2_000_000),
    st.sampled_from([0, 1, 2, -1, 0.0, 1.0, float("nan")]),
    st.just([]),
    st.just({"p1": ["e1"]}),
    st.just({"note": "not a list"}),
)


@st.composite
def events(draw: st.DrawFn) -> list[Event]:
    made = []
    for number in range(draw(st.integers(min_value=1, max_value=12))):
        kind = draw(st.sampled_from(KINDS))
        parent = draw(st.sampled_from(PARENTS))
        record = parent if kind == "participants" else draw(st.sampled_from(("r1", "r2", "r3")))
        names = draw(st.lists(st.sampled_from(NAMES[kind] + EXTRA), max_size=6, unique=True))
        fields: dict[str, Any] = {
            name: draw(VALUES) if draw(st.integers(0, 9)) == 0 else GOOD[name] for name in names
        }
        if "participant_id" in fields and draw(st.booleans()):
            fields["participant_id"] = parent
        made.append(
            Event(
                f"e{number}",
                draw(st.sampled_from(("2026-03-01T10:00:00.000000Z", "2026-03-02T10:00:00Z"))),
                "laptop",
                "Aileen",
                None if kind == "exports" else parent,
                kind,
                record,
                draw(st.sampled_from(ACTIONS)),
                fields,
            )
        )
    # Many events alike (the case the checks together are for), now and then one unlike them.
    return made * draw(st.sampled_from((1, 3)))


def outcome(check: Any, given: list[Event]) -> object:
    try:
        return check(given)
    except MergeRefused as exc:
        return ("refused", exc.message)
    except Exception as exc:  # (the same failure either way, whatever it is)
        return (type(exc).__name__, str(exc))


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events())
def test_checks_together_answer_as_one_by_one(given: list[Event]) -> None:
    assert outcome(merge_checks.check_events, given) == outcome(merge_checks.check_each, given)


def test_a_bad_value_among_many_good_ones_is_named_by_its_event() -> None:
    """One contact in a hundred with minutes no contact has: refused, naming that event."""
    good = [
        Event(
            f"e{n}",
            "2026-03-01T10:00:00.000000Z",
            "laptop",
            "Aileen",
            "p1",
            "contacts",
            f"c{n}",
            "create",
            {"participant_id": "p1", "on": "2026-03-01", "kind": "one_to_one", "minutes": 30},
        )
        for n in range(100)
    ]
    good[57].fields["minutes"] = 5_000_000
    refused = outcome(merge_checks.check_events, good)
    assert refused == ("refused", outcome(merge_checks.check_each, good)[1])  # type: ignore[index]
    assert "Event 58 " in str(refused)


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events())
def test_any_values_are_taken_or_refused_with_a_message(given: list[Event]) -> None:
    """Whatever a bundle's fields hold (a list or an object where a code belongs, say), the
    checks take the events or refuse them saying which and why: never another failure, which a
    coordinator would see as an unexpected error."""
    for check in (merge_checks.check_events, merge_checks.check_each):
        answer = outcome(check, given)
        taken = isinstance(answer, list)  # (each event's fields as the log stores them)
        assert taken or answer[0] == "refused", answer  # type: ignore[index]


def test_a_list_where_a_code_belongs_is_refused_by_name() -> None:
    """A parent whose status is a list (no laptop writes one; a doctored bundle can)."""
    fields = {"preferred_name": "Ana", "joined_on": "2026-03-01", "status": ["active"]}
    given = [
        Event(
            "e1",
            "2026-03-01T10:00:00.000000Z",
            "laptop",
            "Aileen",
            "p1",
            "participants",
            "p1",
            "create",
            fields,
        )
    ]
    for check in (merge_checks.check_events, merge_checks.check_each):
        answer = outcome(check, given)
        assert answer[0] == "refused", answer  # type: ignore[index]
        assert "status" in answer[1], answer  # type: ignore[index]
