"""Names told apart by the family name's initial: the caseload list's one pass over many
parents (`with_family_initials`) against the rule for one (`with_family_initial`)."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from journeyapp.core.text import with_family_initial, with_family_initials


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text(max_size=8),
            st.one_of(st.none(), st.text(alphabet=" \t\u00a0\nAaÓŁ\u0301z.", max_size=12)),
        ),
        max_size=10,
    )
)
@example([("Ana", "Ana Moore"), ("Ana", "Ana  moore "), ("Zoë", None), ("Jo", ""), ("x", "x Ł")])
def test_many_names_get_the_initial_one_name_gets(pairs: list[tuple[str, str | None]]) -> None:
    names = [name for name, _ in pairs]
    fulls = [full for _, full in pairs]
    assert with_family_initials(names, fulls) == [with_family_initial(n, f) for n, f in pairs]
