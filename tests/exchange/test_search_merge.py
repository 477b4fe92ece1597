"""The one search after merges: merged names and notes are found, a decided clash is found by
the value kept, and an erasure merged from another laptop takes the parent's words away."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path

from journeyapp.caseload import Caseload
from journeyapp.exchange.bundle import merge_bundle, write_bundle
from journeyapp.store import search as store_search
from tests.exchange.conftest import PASSPHRASE

Laptop = Callable[..., Caseload]


def _bundle(caseload: Caseload, folder: Path) -> Path:
    out = folder / f"{caseload.actor}-{uuid.uuid4().hex[:6]}.jlb"
    write_bundle(caseload, out, PASSPHRASE)
    return out


def _found(caseload: Caseload, text: str) -> set[str]:
    return {h.record_id for h in caseload.search_everything(text)}


def test_merged_words_are_found_and_follow_decisions_and_erasures(
    laptop: Laptop, tmp_path: Path
) -> None:
    a, coord = laptop("a"), laptop("coord")
    coord.exchange.enrol_device(a.device_id, "a")  # its erasures are carried out, not held
    siobhan = a.enrol_participant(
        "Siobhán", "fife", date(2026, 3, 2), full_name="Siobhán Ní Bhriain"
    )
    keir = a.enrol_participant("Keir", "fife", date(2026, 3, 2))
    contact = a.log_contact(siobhan.id, on=date(2026, 4, 1), note="Asked about the Gorbals pool")
    a.log_contact(keir.id, on=date(2026, 4, 2), note="Wants the Quorndale bakery job")
    merge_bundle(coord, _bundle(a, tmp_path), PASSPHRASE)
    assert coord.search_ids("iob") == [siobhan.id]
    assert _found(coord, "gorbals") == {contact.id}

    # Both change the same note: the coordinator keeps the laptop's words.
    coord.update_record("contacts", contact.id, note="Asked about the Leith pool")
    a.update_record("contacts", contact.id, note="Asked about the Portobello pool")
    merge_bundle(coord, _bundle(a, tmp_path), PASSPHRASE)
    [clash] = coord.exchange.decisions()
    assert _found(coord, "leith") == {contact.id}
    coord.exchange.resolve_decision(clash.id, "incoming")
    assert _found(coord, "leith") == set()
    assert _found(coord, "portobello") == {contact.id}

    # Keir is erased on the laptop; the coordinator's search forgets him with the merge.
    a.safety.erase_participant(keir.id, "Keir")
    merge_bundle(coord, _bundle(a, tmp_path), PASSPHRASE)
    assert _found(coord, "quorndale") == set()
    assert coord.search_ids("keir") == []
    assert store_search.problems(coord.db) == []
