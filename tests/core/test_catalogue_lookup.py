"""Catalogue.find_key, worked out once per list, finds what a search in order finds."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from journeyapp.core.catalogue import Catalogue, _norm, load_catalogue, unlisted
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


@given(
    st.lists(
        st.one_of(
            st.sampled_from(["fife", "Fife", "dundee", "old_town", "leith", ""]),
            st.text(st.characters(categories=["L", "N", "Pc"]), min_size=1, max_size=8),
        ),
        max_size=6,
    )
)
def test_every_locality_offered_is_found_again_by_its_key_or_as_shown(held: list[str]) -> None:
    """A locality parents are recorded in that the catalogue does not list is offered after
    the catalogue's, as a report shows it, and typed either way it is found; the catalogue's
    own are found as before, first."""
    offered = CATALOGUE.choices("localities", held)
    listed = [(e.key, e.label) for e in CATALOGUE.localities]
    assert offered[: len(listed)] == listed
    keys = [key for key, _ in offered]
    assert len(keys) == len(set(keys))
    for key, shown in offered[len(listed) :]:
        assert key in held
        assert shown == unlisted(key)
        assert shown.endswith("(not in this partnership's list)")
    for key, shown in offered:
        spellings = [key, shown, f" {shown.upper()} "]
        for typed in spellings[: 3 if _norm(shown.upper()) == _norm(shown) else 2]:
            found = CATALOGUE.find_key("localities", typed, held)
            # The first offered that reads the same (ignoring case and spacing) is found.
            same = next(k for k, s in offered if _norm(typed) in (_norm(k), _norm(s)))
            assert found == same
    assert set(keys) >= {k for k in held if k}
