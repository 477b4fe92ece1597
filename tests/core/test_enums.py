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


def test_one_vocabulary_for_a_break_and_things_in_the_way() -> None:
    """The list, the header, the tabs and the plan take these words from one place."""
    from journeyapp.core.documents.held_records import STATUS_WORDS
    from journeyapp.core.enums import (
        SOMETHING_IN_THE_WAY,
        TAKING_A_BREAK,
        ParticipantStatus,
        StrengthOrBarrier,
        label,
    )

    assert label(ParticipantStatus.PAUSED) == TAKING_A_BREAK
    assert label(StrengthOrBarrier.BARRIER) == SOMETHING_IN_THE_WAY
    assert STATUS_WORDS[ParticipantStatus.PAUSED].startswith(TAKING_A_BREAK)
