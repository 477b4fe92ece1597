"""Exchange between laptops: merging journey logs, deciding clashes, reading the log for
exports and bundles, and the partnership's pseudonym key (`caseload.exchange`)."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from journeyapp.caseload.undo import Undo
from journeyapp.core.enums import Action
from journeyapp.core.errors import ValidationError
from journeyapp.core.merge import MergeDecision, MergeResult
from journeyapp.core.records import Event
from journeyapp.store import db as store_db
from journeyapp.store import journal as store_journal
from journeyapp.store import merge as store_merge
from journeyapp.store import records as store

if TYPE_CHECKING:
    from journeyapp.caseload import Caseload


class Exchange:
    """`caseload.exchange`: what travels between laptops and to the coordinator."""

    def __init__(self, caseload: Caseload) -> None:
        self._caseload = caseload

    def merge_events(self, events: Iterable[Event]) -> MergeResult:
        """Merge journey-log events from another laptop: one transaction, idempotent by event id.

        Clashing edits are kept for a decision (see `decisions`); an erasure always wins.
        """
        incoming = list(events)
        with self._caseload._write("merge journey logs", undo=Undo.IRREVERSIBLE) as txn:
            result = store_merge.apply_events(self._caseload.db, incoming, found_at=txn.ctx.at)
            txn.kinds.update(result.kinds)
            if result.new_decisions:
                txn.kinds.add("merge_decisions")
            txn.participants.update(result.participant_ids)
        if result.erased:
            self._caseload.safety.after_erasure()
        return result

    def decisions(self, *, open_only: bool = True) -> list[MergeDecision]:
        """Clashing edits from merges that wait for the coordinator to pick a value."""
        return store_merge.decisions(self._caseload.db, open_only=open_only)

    def resolve_decision(self, decision_id: str, choice: str) -> MergeDecision:
        """Keep one value of a clash: "here" (this laptop's) or "incoming" (the other one's)."""
        choice = {"local": "here", "mine": "here", "theirs": "incoming"}.get(choice, choice)
        with self._caseload._write("decide between two edits", undo=Undo.IRREVERSIBLE) as txn:
            decided = store_merge.resolve(self._caseload.db, decision_id, choice, txn.ctx)
            txn.kinds.update({decided.kind, "merge_decisions"})
            if decided.participant_id:
                txn.participants.add(decided.participant_id)
        return decided

    def journal_rows(
        self,
        *,
        omit: dict[str, Sequence[str]] | None = None,
        omit_everywhere: Sequence[str] = (),
        only_known: bool = False,
        since: str | None = None,
        until: str | None = None,
        participant_ids: Sequence[str] | None = None,
        pseudonym: Callable[[str], str | None] | None = None,
        neutralise: bool = False,
        csv_lines: bool = False,
    ) -> Iterator[list[tuple[Any, ...]]]:
        """Journey-log rows for an export, with personal fields left out (see store.merge)."""
        yield from store_journal.journal_rows(
            self._caseload.db,
            omit=omit,
            omit_everywhere=omit_everywhere,
            only_known=only_known,
            since=since,
            until=until,
            participant_ids=participant_ids,
            pseudonym=pseudonym,
            neutralise=neutralise,
            csv_lines=csv_lines,
        )

    def journal_count(
        self,
        *,
        since: str | None = None,
        until: str | None = None,
        participant_ids: Sequence[str] | None = None,
    ) -> int:
        """How many journey-log events `journal_rows` would give."""
        return store_journal.journal_count(
            self._caseload.db, since=since, until=until, participant_ids=participant_ids
        )

    def write_journal_csv(
        self,
        handle: IO[bytes],
        *,
        scratch: Path,
        progress: Callable[[int], None],
        **query: Any,
    ) -> int:
        """Write the journey log as CSV lines (`journal_rows` arguments); returns the count.

        A big log is written by two processes at once (see store.journal); `scratch` is a file
        name beside the output that the second one may use.
        """
        caseload = self._caseload
        source = None if caseload.path is None else (caseload.path, caseload._key)
        written, _processes = store_journal.write_csv_lines(
            self._caseload.db, handle, source=source, scratch=scratch, progress=progress, **query
        )
        return written

    def pseudonym_key(self) -> bytes:
        """The partnership's key for pseudonyms in exports (made on first use, kept in settings)."""
        value = store_db.setting(self._caseload.db, "pseudonym_key")
        if value is None:
            value = secrets.token_hex(32)
            with self._caseload.db.atomic():
                store_db.set_setting(self._caseload.db, "pseudonym_key", value)
        return bytes.fromhex(value)

    def set_pseudonym_key(self, key: bytes) -> None:
        """Use the partnership's shared key (from the coordinator's key file) for pseudonyms."""
        if len(key) < 16:
            raise ValidationError(
                "A pseudonym key needs at least 16 bytes; use the key file as given."
            )
        with self._caseload.db.atomic():
            store_db.set_setting(self._caseload.db, "pseudonym_key", key.hex())

    def record_identifiable_export(self, details: dict[str, Any]) -> Event:
        """Note in the journey log that identifiable data left this laptop (who, when, what)."""
        return self.record_audit("exports", details)

    def record_audit(self, kind: str, details: dict[str, Any]) -> Event:
        """Append an audit event (an export, an import) to the journey log; no record changes."""
        with self._caseload._write(f"note {kind}", undo=Undo.IRREVERSIBLE) as txn:
            event = store.new_event(
                txn.ctx, None, kind, str(uuid.uuid4()), Action.CREATE, dict(details)
            )
            store.append_events(self._caseload.db, [event])
            txn.kinds.add(kind)
        return event
