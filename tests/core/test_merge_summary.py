"""A merge's summary counts in words a person reads: one event, one parent, never "1 parents
erased as asked" or "1 events received"."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from journeyapp.core.merge import MergeResult

COUNT = st.integers(0, 3) | st.integers(1_000, 2_000)
PLURAL_AFTER_ONE = re.compile(r"(?<![\d,])1 (events|parents|decisions|edits|laptops)\b")


@given(
    received=COUNT,
    applied=COUNT,
    already_had=COUNT,
    erased=COUNT,
    dropped_erased=COUNT,
    skipped_removed=COUNT,
    new_decisions=COUNT,
    settled=COUNT,
    unsealed=COUNT,
)
def test_one_of_anything_is_said_as_one(
    received: int,
    applied: int,
    already_had: int,
    erased: int,
    dropped_erased: int,
    skipped_removed: int,
    new_decisions: int,
    settled: int,
    unsealed: int,
) -> None:
    said = MergeResult(
        received=received,
        applied=applied,
        already_had=already_had,
        erased=erased,
        dropped_erased=dropped_erased,
        skipped_removed=skipped_removed,
        new_decisions=new_decisions,
        settled=settled,
        unsealed=unsealed,
    ).summary()
    assert not PLURAL_AFTER_ONE.search(said), said
    assert said.startswith(f"{received:,} event{'' if received == 1 else 's'} received; ")
    if erased:
        assert f"{erased:,} parent{'' if erased == 1 else 's'} erased as asked" in said
