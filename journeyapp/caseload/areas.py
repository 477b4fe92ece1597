"""The partnership's postcode lookup held in the caseload (`caseload.areas`), for the return."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING

from journeyapp.caseload.undo import Undo
from journeyapp.core.areas import Area, LookupInfo
from journeyapp.core.enums import Action
from journeyapp.store import area_lookup
from journeyapp.store import records as store

if TYPE_CHECKING:
    from journeyapp.caseload import Caseload

LOOKUP_KIND = "area_lookup"  # what listeners hear changed when a lookup comes in


class Areas:
    """`caseload.areas`: postcode -> SIMD quintile and urban/rural class."""

    def __init__(self, caseload: Caseload) -> None:
        self._caseload = caseload

    def replace(self, areas: Sequence[Area], *, scheme: int | None, sha256: str) -> int:
        """Put a checked lookup in place of the one held, in one transaction, and note in the
        journey log that one came in (its fingerprint and size; never the file's name)."""
        caseload = self._caseload
        with caseload._write("import a postcode lookup", undo=Undo.IRREVERSIBLE) as txn:
            n = area_lookup.replace(
                caseload.db, areas, scheme=scheme, at=caseload.now_text(), sha256=sha256
            )
            event = store.new_event(
                txn.ctx,
                None,
                "imports",
                str(uuid.uuid4()),
                Action.CREATE,
                {
                    "source": "a postcode lookup",
                    "sha256": sha256,
                    "kind": "postcode_lookup",
                    "new": n,
                    "updated": 0,
                },
            )
            store.append_events(caseload.db, [event])
            txn.kinds.update({"imports", LOOKUP_KIND})
        return n

    def find(self, postcodes: Sequence[str]) -> dict[str, Area]:
        """What the lookup holds for these normalised postcodes (absent: not in the lookup)."""
        return area_lookup.find(self._caseload.db, postcodes)

    def info(self) -> LookupInfo:
        """How many postcodes are held, in which urban/rural scheme, since when."""
        return area_lookup.info(self._caseload.db)
