"""Words held as another laptop or an earlier version wrote them, for the tests of how they are
shown: what a person types now is kept by core.typed's rule (a control character is refused),
but a record merged from elsewhere is kept as it was written, escapes and all, and every
listing must still show it harmless."""

from __future__ import annotations

from typing import Any

from journeyapp.caseload import Caseload
from journeyapp.core.records import Record


def written_elsewhere(caseload: Caseload, kind: str, record_id: str, **fields: Any) -> Record:
    """Write `fields` over the record as a merge decision writes another laptop's words (the
    store's own update, its journey-log event and search entries; not checked as typed)."""
    record = caseload.record(kind, record_id)
    with caseload._write("words written elsewhere") as txn:
        return caseload._update_as_written(txn, record, **fields)
