"""Finding a parent every way the app offers (the window's search box and list, the caseload's
search, Search everything's names, the commands): the same parents for the same words however
they are written, a name copied from the list finds the parent it names, and a name several
parents share is never taken for one of them."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager

import click
import pytest
import shiboken6
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtWidgets import QApplication

from journeyapp.caseload import Caseload
from journeyapp.cli.plans_cmds import one_participant, told_apart
from journeyapp.core.search import marked
from journeyapp.core.text import fold
from journeyapp.ui.models.caseload_table_model import CaseloadFilter, CaseloadTableModel
from journeyapp.ui.pyside_fixes import guard_none, make_none_immortal
from tests.clock import ticking_clock
from tests.conftest import TODAY

LOCALITIES = ["fife", "glasgow", "north_lanarkshire", "edinburgh"]
FAMILY = ["Quinn", "Quigley", "Brown", "brown", "Ní Dhuibhir", "Nowhere-Smith", ""]
FIRST = ["Jolene", "Zoë", "Bethany", "Ana-María", "Liam"]

# Names written the many ways people write them: accents or none, composed or not (NFD), an
# apostrophe typed or pasted, a hyphen or a space, other scripts, an initial, names that start
# others, spaces at the ends or doubled.
NAMES = [
    "Zoë", "Zoe", unicodedata.normalize("NFD", "Zoë"), "Siobhán", "Ann", "Anna", "Annabel",
    "Ana-María", "Ana María", "Олена", "محمد", "李", "J", "Łucja", "Žaneta",
]  # fmt: skip
FAMILIES = [
    "O'Neil", "O’Neil", "Nowhere-Smith", "Nowhere Smith", "Brown", "", "Ní Dhuibhir",
    "McCarthy-Jones", "D’Souza-O'Hara", "Oneil",
    "Петренко", unicodedata.normalize("NFD", "Žák"), "Ž",
]  # fmt: skip
SPACING = ["{}", " {} ", "{}  "]


@pytest.fixture(scope="module", autouse=True)
def _guarded(qapp: QApplication) -> None:
    """PySide guarded as the window guards it: these tests search thousands of times, and
    each search drops references PySide 6.12 does not hold (ui.pyside_fixes)."""
    guard_none(qapp)
    make_none_immortal()


@contextmanager
def a_caseload(people: list[tuple[str, str, str]]) -> Iterator[Caseload]:
    """An in-memory caseload holding these (preferred name, family name, locality)."""
    caseload = Caseload.open(None)
    caseload.clock = ticking_clock(TODAY)
    try:
        for first, family, place in people:
            full = f"{first} {family}" if family else ""
            caseload.enrol_participant(first, place, TODAY, full_name=full)
        yield caseload
    finally:
        caseload.close()


@contextmanager
def the_list(caseload: Caseload) -> Iterator[tuple[CaseloadTableModel, CaseloadFilter]]:
    """The window's caseload list and its filter (the search box's) over the caseload, deleted
    on leaving (Qt objects left to the collector at the interpreter's exit can crash it)."""
    model = CaseloadTableModel(caseload.catalogue, today=caseload.today)
    model.set_rows(caseload.caseload())
    proxy = CaseloadFilter(find=caseload.found_ids)
    proxy.setSourceModel(model)
    try:
        yield model, proxy
    finally:
        shiboken6.delete(proxy)
        shiboken6.delete(model)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    people=st.lists(
        st.tuples(st.sampled_from(FIRST), st.sampled_from(FAMILY), st.sampled_from(LOCALITIES)),
        min_size=2,
        max_size=9,
    )
)
def test_a_name_copied_from_the_list_finds_that_parent(
    qapp: QApplication, people: list[tuple[str, str, str]]
) -> None:
    """Every name the list shows, copied into the search box or a command, finds the parent
    it is shown for, and a name the list ends with a place finds only parents in that place
    ("Bethany B., Glasgow" found nobody: the place was looked for in the names)."""
    with a_caseload(people) as caseload, the_list(caseload) as (model, proxy):
        where = {p.id: p.locality for p in caseload.participants()}
        labels = {e.key: e.label for e in caseload.catalogue.localities}
        shown = {model.row_at(n).id: model.display_name(n) for n in range(model.rowCount())}
        for pid, name in shown.items():
            found = caseload.search_ids(name)
            assert pid in found, (name, people)
            proxy.set_search(name)
            assert {r.id for r in proxy.visible_rows()} == set(found)
            assert [r.id for r in caseload.caseload(name)] == found
            if name.endswith(f", {labels[where[pid]]}"):
                assert {where[other] for other in found} == {where[pid]}, name
        for someone in caseload.participants():
            # As a command lists the parents a name matches ("Bethany (Bethany Sampleton) ·
            # Glasgow · …"), and as a register writes a name ("Sampleton, Bethany"): it found
            # nobody, the brackets and the comma looked for in the names.
            listed = told_apart(caseload, someone).split(" · ")[0]
            assert someone.id in caseload.search_ids(listed), listed
            if " " in someone.full_name:
                first, family = someone.full_name.rsplit(" ", 1)
                assert someone.id in caseload.search_ids(f"{family}, {first}"), family


def _variants(query: str) -> list[str]:
    """`query` written other ways a keyworker might: its case, composed or decomposed, an
    apostrophe typed or pasted, a hyphen or a space, spaces at the ends or doubled."""
    return [
        query,
        query.upper(),
        query.lower(),
        unicodedata.normalize("NFD", query),
        unicodedata.normalize("NFC", query),
        query.replace("'", "’"),
        query.replace("’", "'"),
        query.replace("-", " "),
        f"  {query.replace(' ', '  ')} ",
    ]


def _without_joiners(name: str) -> list[str]:
    """`name` written without its apostrophes, its hyphens, or both, as a keyworker types it
    in a hurry ("oneil" for O'Neil, "mccarthyjones" for McCarthy-Jones)."""
    apostrophes = str.maketrans(dict.fromkeys("'’"))
    hyphens = str.maketrans(dict.fromkeys("-"))
    return [
        name.translate(apostrophes),
        name.translate(hyphens),
        name.translate(apostrophes).translate(hyphens).lower(),
        fold(name).translate(apostrophes).translate(hyphens),
    ]


def _found_every_way(caseload: Caseload, proxy: CaseloadFilter, query: str) -> set[str]:
    """The parents `query` finds, asserted the same every way the app offers."""
    found = caseload.search_ids(query)  # every command's (one_participant, erase)
    assert len(found) == len(set(found))
    proxy.set_search(query)  # the window's search box
    assert {r.id for r in proxy.visible_rows()} == set(found), query
    assert set(caseload.found_ids(query)) == set(found), query
    assert [r.id for r in caseload.caseload(query)] == found, query  # the list, filtered
    names = [h.participant_id for h in caseload.search_everything(query) if h.field == "names"]
    assert names == found, query  # Search everything's names
    return set(found)


def _one_parent(caseload: Caseload, typed: str) -> tuple[str | None, str, str]:
    """What every command taking a parent makes of `typed` (cli.plans_cmds.one_participant):
    the id of the one parent it names, or None and the refusal; and what it listed."""
    with CliRunner().isolation() as (_out, err, _both):
        try:
            return one_participant(caseload, typed).id, "", err.getvalue().decode()
        except click.ClickException as exc:
            return None, exc.message, err.getvalue().decode()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    people=st.lists(
        st.tuples(st.sampled_from(NAMES), st.sampled_from(FAMILIES), st.sampled_from(SPACING)),
        min_size=1,
        max_size=7,
    ),
    query=st.lists(
        st.sampled_from([*NAMES, *filter(None, FAMILIES), "N.", "b", "ann", "o n"]),
        min_size=1,
        max_size=3,
    ),
    erased=st.integers(min_value=0, max_value=6),
)
def test_every_way_finds_the_same_parents_however_the_name_is_written(
    qapp: QApplication, people: list[tuple[str, str, str]], query: list[str], erased: int
) -> None:
    """The window's search box, the list filtered, Search everything's names and the commands
    find the same parents for the same words, and the same for the words written any other
    way (each parent by their own name however it is written); an erased parent is found by
    none of them; the commands take one parent found, and list every parent several found
    with their ids, never taking one of them."""
    with a_caseload([]) as caseload:
        for first, family, spacing in people:
            full = spacing.format(f"{first} {family}") if family else ""
            caseload.enrol_participant(first, "fife", TODAY, full_name=full)
        held = caseload.participants()
        gone = held[erased] if erased < len(held) else None
        if gone is not None:
            caseload.safety.erase_participant(gone.id, gone.preferred_name)
        with the_list(caseload) as (_model, proxy):
            for someone in caseload.participants():
                # The start of their id, as copied from a list: them alone, every way (the
                # window's search box found no one by it).
                for start in (someone.id[:8], f"{someone.id[:6].upper()}...", someone.id):
                    assert _found_every_way(caseload, proxy, start) == {someone.id}, start
                own = someone.full_name or someone.preferred_name
                for variant in [*_variants(own), *_without_joiners(own)]:
                    found_own = _found_every_way(caseload, proxy, variant)
                    assert someone.id in found_own, (own, variant)
                    # The list's bold covers every letter of the name, however it was typed.
                    bold = "".join(text for text, on in marked(own, variant) if on)
                    assert [ch for ch in own if ch.isalnum()] == [
                        ch for ch in bold if ch.isalnum()
                    ], (own, variant, marked(own, variant))
            typed = " ".join(query)
            found = _found_every_way(caseload, proxy, typed)
            for variant in _variants(typed):
                assert _found_every_way(caseload, proxy, variant) == found, (typed, variant)
        assert gone is None or gone.id not in found
        for pid in found:  # found by their names: some word typed is in them
            p = caseload.participant(pid)
            names = fold(f"{p.preferred_name} {p.full_name}")
            assert any(word[0] in names for word in fold(typed).split()), (typed, names)
        chosen, refusal, listed = _one_parent(caseload, typed)
        if len(found) == 1:
            assert chosen in found, (refusal, listed)
        else:
            assert chosen is None
            for pid in found:  # each listed with their id, to choose by
                assert f"id {pid}" in listed
            if found:
                assert "Use more of the name, their reference, or one of the ids" in refusal
            else:
                assert "No parent matches" in refusal
