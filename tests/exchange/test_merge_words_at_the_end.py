"""The parent's words at the end of their journey (m022) merge as any of their words do: one
laptop's correction of whose words they are merges beside another's of the words, and two
different words for the same ending wait as a decision, neither silently lost."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from journeyapp.caseload import Caseload
from journeyapp.core.enums import ParticipantStatus, Voice
from journeyapp.exchange.bundle import merge_bundle
from tests.conftest import TODAY
from tests.exchange.conftest import PASSPHRASE
from tests.exchange.test_merge import bundle

Laptop = Callable[..., Caseload]
MOVED_ON = ParticipantStatus.MOVED_ON


def test_two_laptops_giving_different_words_at_a_journeys_end_wait_for_a_decision(
    laptop: Laptop, tmp_path: Path
) -> None:
    a, coord = laptop("a"), laptop("coord")
    pid = a.enrol_participant("Noor", "fife", TODAY - timedelta(days=60)).id
    a.end_journey(pid, MOVED_ON, words="Off to college")
    merge_bundle(coord, bundle(a, tmp_path), PASSPHRASE)
    assert coord.participant(pid).ending_words == "Off to college"
    coord.end_journey(pid, MOVED_ON, words="Off to college in Fife")
    a.end_journey(pid, MOVED_ON, voice=Voice.TOGETHER)
    a.end_journey(pid, MOVED_ON, words="Off to Fife College")
    result = merge_bundle(coord, bundle(a, tmp_path), PASSPHRASE)
    merged = coord.participant(pid)
    assert merged.ending_voice is Voice.TOGETHER  # only one laptop changed it: merged
    assert merged.ending_words == "Off to college in Fife"  # never silently overwritten
    assert result.new_decisions == 1
    [clash] = coord.exchange.decisions()
    assert (clash.field, clash.here.value, clash.incoming.value) == (
        "ending_words",
        "Off to college in Fife",
        "Off to Fife College",
    )
    coord.exchange.resolve_decision(clash.id, "incoming")
    assert coord.participant(pid).ending_words == "Off to Fife College"
    assert coord.safety.problems() == []
    # The keyworker's laptop then takes the coordinator's log and settles on the same values.
    merge_bundle(a, bundle(coord, tmp_path), PASSPHRASE)
    here, there = a.participant(pid), coord.participant(pid)
    assert (here.ending_words, here.ending_voice) == (there.ending_words, there.ending_voice)
    assert a.exchange.decisions() == []
