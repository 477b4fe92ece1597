"""Old duplicates (#16): a parent's choice about one service (or consent for one purpose) made as
two records on two laptops before such records had one id everywhere. After a merge the same
record twice is folded into one; two that differ wait as one decision, and deciding leaves one
record, counted once."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from journeyapp.caseload import Caseload
from journeyapp.cli import cli
from journeyapp.core.enums import ConsentPurpose, Decision
from journeyapp.core.merge import keyed_id
from journeyapp.exchange.bundle import merge_bundles
from journeyapp.store import eventlog
from tests.exchange.conftest import PASSPHRASE
from tests.exchange.test_merge import bundle

Laptop = Callable[..., Caseload]
ON = date(2026, 11, 3)


def as_made_before_the_fix(c: Caseload, kind: str, record_id: str) -> str:
    """Give a record (and its journey-log events) a random id, as older versions did."""
    old = str(uuid.uuid4())
    with c.db.atomic():
        c.db.execute(f'UPDATE "{kind}" SET id = ? WHERE id = ?', [old, record_id])
        c.db.execute(
            "UPDATE journal SET record_id = ? WHERE record_id = ?",
            [eventlog.key(old), eventlog.key(record_id)],
        )
    return old


def two_laptops(laptop: Laptop, tmp_path: Path) -> tuple[Caseload, Caseload, Caseload, str]:
    a, b, coord = laptop("a"), laptop("b"), laptop("coord")
    pid = a.enrol_participant("Zoë", "glasgow", date(2026, 10, 1)).id
    merge_bundles(b, [bundle(a, tmp_path)], PASSPHRASE)
    return a, b, coord, pid


def test_the_same_choice_twice_is_folded_into_one(laptop: Laptop, tmp_path: Path) -> None:
    a, b, coord, pid = two_laptops(laptop, tmp_path)
    for c in (a, b):
        made = c.choose_service(pid, "volunteering", Decision.CHOSEN, on=ON, reason="Likes it")
        as_made_before_the_fix(c, "choices", made.id)
    result = merge_bundles(coord, [bundle(a, tmp_path), bundle(b, tmp_path)], PASSPHRASE)
    assert result.new_decisions == 0
    [choice] = coord.journey(pid).choices
    assert (choice.decision, choice.reason) == (Decision.CHOSEN, "Likes it")
    # The fold is a removal in the log: it travels, and every laptop keeps the same record.
    merge_bundles(a, [bundle(coord, tmp_path)], PASSPHRASE)
    merge_bundles(b, [bundle(coord, tmp_path)], PASSPHRASE)
    assert a.journey(pid).choices == b.journey(pid).choices == (choice,)


def test_two_different_choices_wait_as_one_decision(laptop: Laptop, tmp_path: Path) -> None:
    a, b, coord, pid = two_laptops(laptop, tmp_path)
    first = a.choose_service(pid, "volunteering", Decision.NOT_FOR_ME_NOW, on=ON, reason="Busy")
    as_made_before_the_fix(a, "choices", first.id)
    second = b.choose_service(pid, "volunteering", Decision.CHOSEN, on=ON)
    as_made_before_the_fix(b, "choices", second.id)
    consent = a.record_consent(pid, ConsentPurpose.EVALUATION_QUOTES, True, on=ON)
    assert consent.id == keyed_id("consents", pid, ConsentPurpose.EVALUATION_QUOTES.value)
    result = merge_bundles(coord, [bundle(a, tmp_path), bundle(b, tmp_path)], PASSPHRASE)
    assert result.new_decisions == 1
    [waiting] = coord.exchange.decisions()
    assert waiting.field == "_duplicate"
    assert waiting.here.value == {"decision": "chosen", "reason": ""} or waiting.here.value == {
        "decision": "not_for_me_now",
        "reason": "Busy",
    }
    listed = CliRunner().invoke(cli, ["decisions", "--db", str(coord.path)])
    assert "recorded twice" in listed.output
    assert "Zoë" in listed.output
    # Merging again asks nothing more.
    again = merge_bundles(coord, [bundle(a, tmp_path), bundle(b, tmp_path)], PASSPHRASE)
    assert again.new_decisions == 0
    # Deciding leaves one record with the values chosen; the removal travels and settles the
    # same question on a laptop that had it too.
    merge_bundles(a, [bundle(b, tmp_path)], PASSPHRASE)
    assert len(a.exchange.decisions()) == 1
    incoming = waiting.incoming.value
    coord.exchange.resolve_decision(waiting.id, "incoming")
    [choice] = coord.journey(pid).choices
    assert choice.decision.value == incoming["decision"]
    merge_bundles(a, [bundle(coord, tmp_path)], PASSPHRASE)
    assert a.exchange.decisions() == []
    assert a.journey(pid).choices == (choice,)
