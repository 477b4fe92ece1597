"""Catalogue.find_key, worked out once per list, finds what a search in order finds."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from journeyapp.core.catalogue import Catalogue, _norm, load_catalogue
from journeyapp.paths import catalogue_path

CATALOGUE: Catalogue = load_catalogue(catalogue_path())
LISTS = ("stages", "outcome_areas", "services", "milestone_types", "localities", "contact_kinds")


def _in_order(catalogue: Catalogue, list_name: str, text: str) -> str | None:
    wanted = _norm(text)
    for entry in getattr(catalogue, list_name):
        if _norm(entry.key) == wanted or _norm(entry.label) == wanted:
            return str(entry.key)
    return None


def _spellings() -> st.SearchStrategy[str]:
    known = [e.key for n in LISTS for e in getattr(CATALOGUE, n)]
    known += [e.label for n in LISTS for e in getattr(CATALOGUE, n)]
    return st.one_of(
        st.sampled_from(known),
        st.sampled_from(known).map(lambda t: "  " + t.upper().replace(" ", "_") + " "),
        st.text(max_size=12),
    )


@given(st.sampled_from(LISTS), _spellings())
def test_find_key_matches_a_search_in_order(list_name: str, text: str) -> None:
    assert CATALOGUE.find_key(list_name, text) == _in_order(CATALOGUE, list_name, text)
