"""Finding a parent every way the app offers (the window's search box and list, the caseload's
search, the commands): the same parents for the same words, and a name copied from a list
finds the parent it names."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeyapp.caseload import Caseload
from journeyapp.ui.models.caseload_table_model import CaseloadFilter, CaseloadTableModel
from tests.clock import ticking_clock
from tests.conftest import TODAY

LOCALITIES = ["fife", "glasgow", "north_lanarkshire", "edinburgh"]
FAMILY = ["Quinn", "Quigley", "Brown", "brown", "Ní Dhuibhir", "Nowhere-Smith", ""]
FIRST = ["Jolene", "Zoë", "Bethany", "Ana-María", "Liam"]


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


def shown_names(caseload: Caseload) -> dict[str, str]:
    """Each parent's name as the caseload list shows it ("Jolene Q., Fife")."""
    model = CaseloadTableModel(caseload.catalogue, today=caseload.today)
    model.set_rows(caseload.caseload())
    return {model.row_at(n).id: model.display_name(n) for n in range(model.rowCount())}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    people=st.lists(
        st.tuples(st.sampled_from(FIRST), st.sampled_from(FAMILY), st.sampled_from(LOCALITIES)),
        min_size=2,
        max_size=9,
    )
)
def test_a_name_copied_from_the_list_finds_that_parent(
    people: list[tuple[str, str, str]],
) -> None:
    """Every name the list shows, copied into the search box or a command, finds the parent
    it is shown for, and a name the list ends with a place finds only parents in that place
    ("Bethany B., Glasgow" found nobody: the place was looked for in the names)."""
    with a_caseload(people) as caseload:
        where = {p.id: p.locality for p in caseload.participants()}
        labels = {e.key: e.label for e in caseload.catalogue.localities}
        proxy = CaseloadFilter(find=caseload.found_ids)
        model = CaseloadTableModel(caseload.catalogue, today=caseload.today)
        model.set_rows(caseload.caseload())
        proxy.setSourceModel(model)
        for pid, shown in shown_names(caseload).items():
            found = caseload.search_ids(shown)
            assert pid in found, (shown, people)
            proxy.set_search(shown)
            assert {r.id for r in proxy.visible_rows()} == set(found)
            assert [r.id for r in caseload.caseload(shown)] == found
            if shown.endswith(f", {labels[where[pid]]}"):
                assert {where[other] for other in found} == {where[pid]}, shown
