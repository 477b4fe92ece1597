"""Plain words for the fixed vocabularies: one value can mean different things in two of them."""

from __future__ import annotations

from journeyapp.core.enums import FeedbackSource, Voice, label


def test_a_value_two_vocabularies_share_is_worded_for_each() -> None:
    assert label(Voice.PARENT) == "in their words"
    assert label(Voice.KEYWORKER) == "keyworker's note"
    assert [label(s) for s in FeedbackSource] == ["The parent", "Keyworker", "Partner organisation"]
    assert label("keyworker") == "keyworker's note"  # a bare value keeps the shared words


def test_an_unknown_value_reads_as_itself() -> None:
    assert label("not_a_known_value") == "Not a known value"
