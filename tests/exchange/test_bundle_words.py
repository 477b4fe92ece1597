"""What a merge quotes of a bundle's own details (its laptop's catalogue, its device id): one
line of printable words, never longer than asked, whatever a forged bundle holds."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from journeyapp.exchange.bundle import _shown


@example(value="0" * 23 + "\ufbc3" + "0", most=24)  # cut just after a space (was kept)
@given(value=st.one_of(st.text(), st.binary(), st.integers(), st.none()), most=st.integers(0, 200))
def test_a_bundles_detail_is_quoted_as_one_short_printable_line(value: object, most: int) -> None:
    shown = _shown(value, most)
    assert len(shown) <= most
    assert shown.isprintable()
    assert shown == shown.strip()
    if not isinstance(value, str):
        assert shown == ""


def test_words_are_kept_as_written() -> None:
    assert _shown("Tayside Parents\n\x1b[31mRED", 120) == "Tayside Parents [31mRED"
    assert _shown("Making It Work (default catalogue)", 120) == "Making It Work (default catalogue)"
