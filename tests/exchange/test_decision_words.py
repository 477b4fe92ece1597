"""`journeyapp decisions` words each clash by its detail's own name, its values as people read them."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from journeyapp.caseload import Caseload
from journeyapp.core.classification import Holds
from journeyapp.core.describe import CATALOGUE_LISTS, field_words
from journeyapp.core.enums import LABELS
from journeyapp.core.records import BY_KIND
from journeyapp.core.text import fold, with_family_initial
from journeyapp.exchange.bundle import merge_bundle
from journeyapp.exchange.decisions import describe, describe_all
from tests.exchange.conftest import PASSPHRASE
from tests.exchange.test_merge import bundle

Laptop = Callable[..., Caseload]

# Words people type that are also the names of enum values ("keyworker", "together", "closed"):
# a keyworker's name or a parent's goal can be any of them.
_TYPED = sorted(k for k in LABELS if k.isalpha())


def _clashing_edits(a: Caseload, rng: random.Random) -> list[tuple[str, str, str, Any, Any]]:
    """(kind, record id, field, A's value, B's value) for details of every kind that can clash:
    catalogue keys, enum values, people's words and staff names (two values, neither the one
    held now)."""
    cat = a.catalogue
    edits: list[tuple[str, str, str, Any, Any]] = []

    def clash(kind: str, record: Any, field: str, choices: list[str]) -> None:
        mine, theirs = rng.sample([c for c in choices if c != getattr(record, field)], 2)
        edits.append((kind, record.id, field, mine, theirs))

    for parent in a.participants():
        journey = a.journey(parent.id)
        clash("participants", parent, "keyworker", _TYPED)
        clash("participants", parent, "locality", list(cat.keys("localities")))
        for contact in journey.contacts[:1]:
            clash("contacts", contact, "kind", list(cat.keys("contact_kinds")))
        for milestone in journey.milestones[:1]:
            clash("milestones", milestone, "type", list(cat.keys("milestone_types")))
        for goal in journey.goals[:1]:
            clash("goals", goal, "area", list(cat.keys("outcome_areas")))
            clash("goals", goal, "words", _TYPED)
        for step in journey.steps[:1]:
            clash("steps", step, "who", ["me", "keyworker", *cat.keys("partners")])
    return edits


def test_every_clash_names_its_detail_and_shows_catalogue_labels_and_typed_words(
    laptop: Laptop, tmp_path: Path
) -> None:
    a, b, coord = laptop("a", participants=8, seed=3), laptop("b"), laptop("coord")
    merge_bundle(b, bundle(a, tmp_path), PASSPHRASE)
    edits = _clashing_edits(a, random.Random(7))
    assert len(edits) > 30
    for kind, record_id, field, mine, theirs in edits:
        a.update_record(kind, record_id, **{field: mine})
        b.update_record(kind, record_id, **{field: theirs})
    merge_bundle(coord, bundle(a, tmp_path), PASSPHRASE)
    merge_bundle(coord, bundle(b, tmp_path), PASSPHRASE)

    waiting = coord.exchange.decisions()
    assert {(d.kind, d.record_id, d.field) for d in waiting} == {e[:3] for e in edits}
    cat = coord.catalogue
    for decision in waiting:
        line = describe(coord, decision)
        # The detail by its own name: a keyworker is not a "keyworker's note".
        assert line.about.endswith(", " + field_words(decision.field)), line.text()
        spec = BY_KIND[decision.kind].FIELDS[decision.field]
        listed = CATALOGUE_LISTS.get((decision.kind, decision.field)) or CATALOGUE_LISTS.get(
            decision.field
        )
        for side, shown in ((decision.here, line.here), (decision.incoming, line.incoming)):
            if listed is not None:  # the partnership's own label, never its key
                assert shown == repr(cat.label(listed, side.value)), line.text()
            elif spec.holds is not Holds.CODED:  # what a person typed, as typed
                assert shown == repr(side.value), line.text()


def test_parents_who_share_a_name_are_told_apart_as_the_caseload_list_does(
    laptop: Laptop, tmp_path: Path
) -> None:
    """A coordinator's merged caseload has many parents of one name: each clash names its
    parent with their family initial wherever another parent shares the (accent-blind) name."""
    a, b, coord = laptop("a"), laptop("b"), laptop("coord")
    rng = random.Random(4)
    firsts = ["Zoë", "Zoe", "Ana", "Bea", "Łucja", "Siobhán"]
    families = ["Morrison", "Quinn", "Ní Bhriain", "MacLeod", ""]
    parents = []
    for _ in range(24):
        first, family = rng.choice(firsts), rng.choice(families)
        full = f"{first} {family}" if family else ""
        parents.append(a.enrol_participant(first, "fife", full_name=full))
    merge_bundle(b, bundle(a, tmp_path), PASSPHRASE)
    for n, parent in enumerate(parents):
        a.update_participant(parent.id, phone=f"07700 900{n:03d}")
        b.update_participant(parent.id, phone=f"07700 901{n:03d}")
    merge_bundle(coord, bundle(a, tmp_path), PASSPHRASE)
    merge_bundle(coord, bundle(b, tmp_path), PASSPHRASE)

    waiting = coord.exchange.decisions()
    assert len(waiting) == len(parents)
    named = {
        d.participant_id: line.parent
        for d, line in zip(waiting, describe_all(coord, waiting), strict=True)
    }
    folded = Counter(fold(p.preferred_name) for p in parents)
    for parent in parents:
        alone = folded[fold(parent.preferred_name)] == 1
        expected = (
            parent.preferred_name
            if alone
            else with_family_initial(parent.preferred_name, parent.full_name)
        )
        assert named[parent.id] == expected
    assert len(set(named.values())) > len(folded)  # some were told apart


def test_settling_a_clash_says_whose_detail_and_which_value_was_kept(
    laptop: Laptop, tmp_path: Path
) -> None:
    """`journeyapp decisions --id --keep` answers with the parent, the detail and the value
    kept, in the words its list used (it said "Kept the here value for area.")."""
    from click.testing import CliRunner

    from journeyapp.cli import cli

    a, b, coord = laptop("a", participants=6, seed=5), laptop("b"), laptop("coord")
    merge_bundle(b, bundle(a, tmp_path), PASSPHRASE)
    for kind, record_id, field, mine, theirs in _clashing_edits(a, random.Random(3)):
        a.update_record(kind, record_id, **{field: mine})
        b.update_record(kind, record_id, **{field: theirs})
    merge_bundle(coord, bundle(a, tmp_path), PASSPHRASE)
    merge_bundle(coord, bundle(b, tmp_path), PASSPHRASE)
    lines = describe_all(coord, coord.exchange.decisions())
    assert len(lines) > 20
    runner = CliRunner()
    for n, line in enumerate(lines):
        keep = ("here", "incoming")[n % 2]
        settled = runner.invoke(
            cli, ["decisions", "--db", str(tmp_path / "coord.db"), "--id", line.id, "--keep", keep]
        )
        assert settled.exit_code == 0, settled.output
        value, which = (
            (line.here, "the value here")
            if keep == "here"
            else (line.incoming, "the incoming value")
        )
        assert f"Kept {value} for {line.parent}: {line.about} ({which}).\n" in settled.output
    assert coord.exchange.decisions() == []


def test_a_clash_between_two_answers_shows_the_answers_words_not_their_codes(
    laptop: Laptop, tmp_path: Path
) -> None:
    """An answer for the funder's return (a parent's circumstances at the start, equalities)
    is a code of the partnership's registry: a clash shows each side as the registry words
    it ("Prefer not to say"), as the answers are shown everywhere else, never the code."""
    a, b, coord = laptop("a", participants=8, seed=5), laptop("b"), laptop("coord")
    merge_bundle(b, bundle(a, tmp_path), PASSPHRASE)
    codes, rng = a.codes, random.Random(11)
    clashed = 0
    for parent in a.participants():
        journey = a.journey(parent.id)
        for record in (journey.circumstances, journey.equalities):
            if record is None:
                continue
            for name, spec in type(record).FIELDS.items():
                held = getattr(record, name)
                keys = [k for k in codes.keys(name) if k != held]
                if spec.holds is not Holds.CODED or not isinstance(held, str) or len(keys) < 2:
                    continue
                mine, theirs = rng.sample(keys, 2)
                a.update_record(record.KIND, record.id, **{name: mine})
                b.update_record(record.KIND, record.id, **{name: theirs})
                clashed += 1
    assert clashed > 5
    merge_bundle(coord, bundle(a, tmp_path), PASSPHRASE)
    merge_bundle(coord, bundle(b, tmp_path), PASSPHRASE)
    answers = [d for d in coord.exchange.decisions() if codes.entries(d.field)]
    assert len(answers) == clashed
    for decision, line in zip(answers, describe_all(coord, answers), strict=True):
        for side, shown in ((decision.here, line.here), (decision.incoming, line.incoming)):
            assert shown == repr(codes.label(decision.field, side.value)), line.text()


def test_a_yes_no_clash_reads_yes_or_no_and_typed_words_stay_as_typed(
    laptop: Laptop, tmp_path: Path
) -> None:
    """A clash on a yes/no detail (childcare arranged for a contact) reads "yes" and "no" in
    `journeyapp decisions` and in the window's decision list, not 1 and 0; words a keyworker
    typed are shown exactly as typed, underscores and all (never reworded into a label)."""
    from journeyapp.ui.models.decisions_model import describe_value

    a, b, coord = laptop("a", participants=6, seed=8), laptop("b"), laptop("coord")
    merge_bundle(b, bundle(a, tmp_path), PASSPHRASE)
    rng = random.Random(2)
    expected: dict[tuple[str, str], set[str]] = {}
    for parent in a.participants():
        journey = a.journey(parent.id)
        for contact in journey.contacts[:2]:
            field = rng.choice(["childcare_needed", "childcare_arranged"])
            held = bool(getattr(contact, field))
            a.update_record("contacts", contact.id, **{field: not held})
            b.update_record("contacts", contact.id, **{field: not held, "note": "x"})
            b.update_record("contacts", contact.id, **{field: held})
        for goal in journey.goals[:1]:
            a.update_record("goals", goal.id, words="my_own_words")
            b.update_record("goals", goal.id, words="back_to_college")
            expected[("goals", goal.id)] = {"my_own_words", "back_to_college"}
    merge_bundle(coord, bundle(a, tmp_path), PASSPHRASE)
    merge_bundle(coord, bundle(b, tmp_path), PASSPHRASE)
    waiting = coord.exchange.decisions()
    yes_no = [d for d in waiting if d.field in ("childcare_needed", "childcare_arranged")]
    typed = [d for d in waiting if d.field == "words"]
    assert len(yes_no) > 3
    assert len(typed) > 3
    for decision, line in zip(waiting, describe_all(coord, waiting), strict=True):
        sides = (decision.here, decision.incoming)
        window = [
            describe_value(s.value, coord.catalogue, decision.kind, decision.field, coord.codes)
            for s in sides
        ]
        if decision in yes_no:
            assert {line.here, line.incoming} == {"'yes'", "'no'"}, line.text()
            assert set(window) == {"yes", "no"}
        elif decision in typed:
            assert {line.here, line.incoming} == {
                repr(w) for w in expected[(decision.kind, decision.record_id)]
            }, line.text()
            assert set(window) == expected[(decision.kind, decision.record_id)]
