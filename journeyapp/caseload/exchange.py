"""Exchange between laptops: merging journey logs, deciding clashes, reading the log for
exports and bundles, and the partnership's pseudonym key (`caseload.exchange`)."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import secrets
import uuid
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from journeyapp.caseload.queries import MERGED_JOB_ENTRY_TYPES
from journeyapp.caseload.undo import Txn, Undo
from journeyapp.core import seals
from journeyapp.core.bulk import paused_gc
from journeyapp.core.catalogue import keys_written
from journeyapp.core.enums import Action
from journeyapp.core.errors import DatabaseInUse, NotFound, ValidationError
from journeyapp.core.merge import AHEAD, MergeDecision, MergeResult
from journeyapp.core.records import BY_KIND, Event, Participant, Record, StageChange
from journeyapp.core.validation import EVERY_KEY, validate
from journeyapp.store import bundle_file, bundle_merge, merged_bundles
from journeyapp.store import bundle_seals as store_seals
from journeyapp.store import db as store_db
from journeyapp.store import duplicates as store_duplicates
from journeyapp.store import erase as store_erase
from journeyapp.store import journal as store_journal
from journeyapp.store import merge as store_merge
from journeyapp.store import records as store
from journeyapp.store import versions as store_versions
from journeyapp.store.bundle_file import SealedBundle
from journeyapp.store.merged_bundles import Receipt

if TYPE_CHECKING:
    from journeyapp.caseload import Caseload


def replaced_code_words(earlier: str) -> str:
    """What enrolling a laptop again with another code did (see Exchange.enrolment_replaces):
    said after the enrolment, by the window and the command line alike."""
    return (
        f"That laptop was enrolled before, as {earlier}, with another code: this one replaces "
        "it, so bundles sealed with the earlier code are no longer trusted here. If its code "
        "has not changed, check the code on that laptop (Show this laptop's code, or "
        "journeyapp devices --code) and enrol it again."
    )


DEVICES_SETTING = "partnership_devices"  # the laptops whose erasures are carried out (issue 16)
DEVICE_KEYS_SETTING = "partnership_device_keys"  # their keys, from their enrolment codes
OWN_KEY_SETTING = "device_key"  # this laptop's own key: it seals the bundles written here
JOB_ENTRY_INFO = "job_entry_types"  # a bundle's: the milestone types meaning starting work


class Exchange:
    """`caseload.exchange`: what travels between laptops and to the coordinator."""

    def __init__(self, caseload: Caseload) -> None:
        self._caseload = caseload

    def merge_logs(self, logs: Sequence[Iterable[Event]]) -> MergeResult:
        """Merge several laptops' logs in one transaction, one after another: all or nothing.

        Clashing edits are kept for a decision (see `decisions`); an erasure from an enrolled
        laptop always wins, one from elsewhere waits as a decision (issue 16). (Logs handed
        over in this process; a bundle from elsewhere goes through `merge_sealed`.)
        """
        return self._merge_all([(list(log), None, None) for log in logs])

    def merge_sealed(self, bundles: Sequence[SealedBundle]) -> MergeResult:
        """Merge bundles whose seals were checked (store.bundle_file.read_sealed), in one
        transaction: an event no enrolled laptop vouched for may add records but changes,
        removes or erases nothing here without a decision, and is never vouched for by this
        laptop's own bundles."""
        marked = [key for b in bundles for key in keys_written(b.info.get(JOB_ENTRY_INFO))]
        return self._merge_all(
            [(b.events, b.unsealed, b.receipt) for b in bundles], job_entry_types=marked
        )

    def _merge_all(
        self,
        logs: Sequence[tuple[Collection[Event], frozenset[str] | None, Receipt | None]],
        *,
        job_entry_types: Sequence[str] = (),
    ) -> MergeResult:
        total = MergeResult()
        db = self._caseload.db
        with self._caseload._write("merge journey logs", undo=Undo.IRREVERSIBLE) as txn:
            if job_entry_types:
                # Kept with the merge (all or nothing): which of the merged milestone types
                # mean starting work, by the catalogue of the laptop that recorded them.
                kept = keys_written(store_db.setting(db, MERGED_JOB_ENTRY_TYPES))
                now = list(dict.fromkeys([*kept, *job_entry_types]))
                if now != list(kept):
                    store_db.set_setting(db, MERGED_JOB_ENTRY_TYPES, json.dumps(now))
            for log, unsealed, receipt in logs:
                known = store_seals.known(db, unsealed) if unsealed else set()
                # A bundle recognised as merged before comes with no events: nothing to do. Many
                # new events are read and merged a chunk at a time, in order (store.bundle_merge).
                result = MergeResult()
                if isinstance(log, bundle_merge.ChunkedEvents):
                    # The indexes of the tables they fill dropped once, rebuilt once at the end.
                    # The collector paused from the first chunk to the last: between chunks it
                    # would walk every object the merge holds (none of them in a cycle).
                    with store_merge.deferred_indexes(db, len(log)) as deferred, paused_gc():
                        for part in log.chunks():
                            held = log.known(part)
                            result = result + self._merge_in(txn, part, unsealed, deferred, held)
                            log.merged(part)
                        # Each record's decisions once, from its heads after its last event.
                        settled = store_merge.settle_decisions(db, deferred, txn.ctx.at)
                        txn.kinds.update(settled.kinds)
                        result = result + settled
                elif log:
                    given = log if isinstance(log, bundle_merge.NumberedEvents) else list(log)
                    result = self._merge_in(txn, given, unsealed)
                if unsealed:
                    new = unsealed - known
                    store_seals.note_unsealed(db, new)
                    result = dataclasses.replace(result, unsealed=len(new))
                if receipt is not None and result.applied == receipt.fresh == len(log):
                    # Every new event of it landed (none held, left out or skipped): a merge of
                    # this file again is recognised (store.merged_bundles), and a later bundle
                    # from its laptop that starts with it (unless this merge erased a parent).
                    merged_bundles.note(db, receipt, txn.ctx.at, prefix=not result.erased)
                total = total + result
            asked = self._fold_duplicates(txn)
        if asked:
            total = dataclasses.replace(total, new_decisions=total.new_decisions + asked)
        if total.ahead:
            # The laptops whose clocks were ahead, by the names they were enrolled with here,
            # and today here beside them.
            names = self.enrolled_devices()
            total = dataclasses.replace(
                total,
                ahead_laptops=frozenset(
                    names.get(d) or f"laptop {d[:8]}" for d in total.ahead_laptops
                ),
                today_here=self._caseload.today(),
            )
        if total.erased:
            self._caseload.safety.after_erasure()
        return total

    def open_bundle(
        self, path: Path, passphrase: str, number: int = 0
    ) -> bundle_merge.BundleReading | None:
        """A bundle file attached for merging, its new events found inside SQLite without
        reading the rest (see store.bundle_merge); None when it must be read whole
        (read_bundle), as it is for all but the first few of many. Close it after the merge."""
        if number >= bundle_merge.MAX_ATTACHED:
            return None
        reading = bundle_merge.BundleReading(self._caseload.db, Path(path), passphrase, number)
        return reading if reading.open() else None

    def open_sealed_bundle(
        self, path: Path, passphrase: str, number: int = 0
    ) -> tuple[bundle_merge.BundleReading, SealedBundle] | None:
        """A bundle file attached for merging with only its new events read, its seals checked
        against the laptops enrolled here as read_sealed_bundle checks them (the same
        refusals); None when it must be read whole (read_sealed_bundle). Close the reading
        after the merge."""
        if number >= bundle_merge.MAX_ATTACHED:
            return None
        reading = bundle_merge.BundleReading(self._caseload.db, Path(path), passphrase, number)
        if not reading.open(find_new=False):
            return None
        try:
            # The seal first; then (unless the bundle is recognised as merged here before) the
            # events this caseload lacks.
            sealed = reading.sealed(self.device_keys(), self.enrolled_devices())
        except BaseException:
            reading.close()
            raise
        if sealed is None:
            reading.close()
            return None
        return reading, sealed

    def merge_events(self, events: Iterable[Event]) -> MergeResult:
        """Merge journey-log events from another laptop: one transaction, idempotent by event id."""
        return self.merge_logs([list(events)])

    def _merge_in(
        self,
        txn: Txn,
        incoming: Sequence[Event],
        unsealed: frozenset[str] | None = None,
        deferred: store_merge.DeferredIndexes | None = None,
        known: set[str] | None = None,
    ) -> MergeResult:
        caseload = self._caseload
        # Every record a merge builds is validated as if typed in here or, failing that, as if
        # typed in on the day it was last written, on its own laptop's clock: a record valid
        # where it was typed is never refused because the clocks differ (this one behind, that
        # one ahead), and a date in the future for both is. A day's grace either way, for time
        # zones. Erasures only from devices the partnership enrolled.
        today = caseload.today()

        def check(record: Record, written: datetime | None) -> None:
            day = today if written is None else max(today, written.astimezone(UTC).date())
            # Its catalogue keys as its laptop's catalogue gave them (shown "(not in the
            # catalogue)" here where this one lacks them): never refused for those.
            validate(record, caseload.catalogue, day + timedelta(days=1), caseload.codes, EVERY_KEY)

        result = store_merge.apply_events(
            caseload.db,
            incoming,
            found_at=txn.ctx.at,
            check=check,
            # Handed over in this process: enrolled device ids are trusted. From a bundle: only
            # what an enrolled laptop sealed and vouched for (core.seals).
            trusted=frozenset(self.enrolled_devices()) if unsealed is None else None,
            unsealed=unsealed or frozenset(),
            deferred=deferred,
            known=known,
            # Events written later than this (a laptop whose clock is ahead) are counted.
            ahead_of=caseload.clock() + AHEAD,
            # Some of a bundle's events: a refusal names one by its number in the bundle.
            numbers=incoming.numbers if isinstance(incoming, bundle_merge.NumberedEvents) else None,
        )
        txn.kinds.update(result.kinds)
        if result.new_decisions:
            txn.kinds.add("merge_decisions")
        txn.participants.update(result.participant_ids)
        return result

    def fold_duplicates(self) -> int:
        """Fold old repeats of one-per-parent records (two laptops' consent for one purpose,
        choice about one service, before such records had one id): identical ones are removed,
        differing ones wait as a decision. Returns how many decisions were opened."""
        if not store_duplicates.find(self._caseload.db) and not self._open_duplicates():
            return 0
        with self._caseload._write("fold repeated records", undo=Undo.IRREVERSIBLE) as txn:
            return self._fold_duplicates(txn)

    def _open_duplicates(self) -> bool:
        return any(d.field == store_duplicates.DUPLICATE_FIELD for d in self.decisions())

    def _fold_duplicates(self, txn: Txn) -> int:
        caseload = self._caseload
        asked = 0
        for duplicate in store_duplicates.find(caseload.db):
            if duplicate.differ:
                if store_duplicates.ask(caseload.db, duplicate, txn.ctx.at):
                    asked += 1
                    txn.kinds.add("merge_decisions")
                continue
            caseload._delete(txn, duplicate.other)  # the same record twice: one goes
        if store_duplicates.settle_gone(caseload.db, txn.ctx.at):
            txn.kinds.add("merge_decisions")
        return asked

    def decisions(self, *, open_only: bool = True) -> list[MergeDecision]:
        """Clashing edits from merges that wait for the coordinator to pick a value."""
        return store_merge.decisions(self._caseload.db, open_only=open_only)

    def decision(self, decision_id: str) -> MergeDecision:
        """One decision by its id, open or settled (NotFound when there is none)."""
        return store_merge.decision(self._caseload.db, decision_id)

    def resolve_decision(self, decision_id: str, choice: str) -> MergeDecision:
        """Keep one value of a clash: "here" (this laptop's) or "incoming" (the other one's)."""
        choice = {"local": "here", "mine": "here", "theirs": "incoming"}.get(choice, choice)
        caseload = self._caseload
        found = store_merge.decision(caseload.db, decision_id)
        if found.field == store_duplicates.DUPLICATE_FIELD and found.is_open:
            return self._decide_duplicate(found, choice)
        if found.field == store_merge.REMOVE_FIELD and choice == "incoming" and found.is_open:
            # A removal no enrolled laptop vouched for, agreed to: remove the record here (a
            # removal made here, undoable and carried on as any removal is).
            with contextlib.suppress(NotFound):
                caseload.delete_record(found.kind, found.record_id)
            with caseload._write("decide a removal", undo=Undo.IRREVERSIBLE) as txn:
                # (The removal here settled it, unless the record had gone already.)
                decided = store_merge.decision(caseload.db, decision_id)
                if decided.is_open:
                    decided = store_merge.resolve(caseload.db, decision_id, choice, txn.ctx)
                txn.kinds.update({found.kind, "merge_decisions"})
                if found.participant_id:
                    txn.participants.add(found.participant_id)
            return decided
        if found.field == store_merge.ERASE_FIELD and choice == "incoming" and found.is_open:
            # An erasure from a device not enrolled here, agreed to: erase the parent here (the
            # erasure is then this laptop's, and travels as any erasure does).
            with caseload._write("erase a parent", undo=Undo.IRREVERSIBLE) as txn:
                if store.exists(caseload.db, "participants", found.record_id):
                    store_erase.erase_participant(caseload.db, found.record_id, txn.ctx)
                txn.kinds.update({*BY_KIND, "merge_decisions"})
                txn.participants.add(found.record_id)
            caseload.safety.after_erasure()
            return dataclasses.replace(
                found, resolved_at=caseload.now_text(), choice=choice, resolved_by=caseload.actor
            )
        with caseload._write("decide between two edits", undo=Undo.IRREVERSIBLE) as txn:
            decided = store_merge.resolve(caseload.db, decision_id, choice, txn.ctx)
            txn.kinds.update({decided.kind, "merge_decisions"})
            unseen = store_merge.UNSEEN_REMOVAL
            if found.field == store_merge.REMOVE_FIELD and found.here.value == unseen:
                # Kept: so are the records removed in the same change (a goal and its
                # steps), each asked about beside it; each answer travels as this one does.
                for other in self.decisions():
                    if (
                        other.field == found.field
                        and other.here.value == unseen
                        and _same_change(other, found)
                    ):
                        store_merge.resolve(caseload.db, other.id, "here", txn.ctx)
                        txn.kinds.add(other.kind)
            if decided.participant_id:
                txn.participants.add(decided.participant_id)
            pid = decided.participant_id
            if (
                decided.kind in (StageChange.KIND, Participant.KIND)
                and pid
                and store.exists(caseload.db, Participant.KIND, pid)
            ):
                # Whichever move or stage was kept, the parent's stage is their latest move's.
                caseload._restage(txn, pid)
        return decided

    def _decide_duplicate(self, found: MergeDecision, choice: str) -> MergeDecision:
        """Keep one of a parent's two records of one thing: "here" keeps the values of the record
        kept everywhere, "incoming" gives it the other's; either way the other one goes."""
        if choice not in ("here", "incoming"):
            raise ValidationError("Choose the value here or the incoming value.")
        caseload = self._caseload
        with caseload._write("decide between two records", undo=Undo.IRREVERSIBLE) as txn:
            cls = BY_KIND[found.kind]
            other = (
                store.get(caseload.db, cls, found.record_id)
                if store.exists(caseload.db, found.kind, found.record_id)
                else None
            )
            keep_id = found.here.event_id
            keep = (
                store.get(caseload.db, cls, keep_id)
                if store.exists(caseload.db, found.kind, keep_id)
                else None
            )
            if other is not None and keep is not None and choice == "incoming":
                names = list(found.incoming.value) if isinstance(found.incoming.value, dict) else []
                changes = {n: getattr(other, n) for n in names if hasattr(other, n)}
                caseload._update_as_written(txn, keep, **changes)
            if other is not None:
                caseload._delete(txn, other)
            caseload.db.execute(
                "UPDATE merge_decisions SET resolved_at = ?, choice = ?, resolved_by = ? "
                "WHERE id = ?",
                [txn.ctx.at, choice, txn.ctx.actor, found.id],
            )
            txn.kinds.update({found.kind, "merge_decisions"})
            if found.participant_id:
                txn.participants.add(found.participant_id)
        return store_merge.decision(caseload.db, found.id)

    def enrolled_devices(self) -> dict[str, str]:
        """The devices whose erasures this caseload carries out: id -> name (this one included)."""
        raw = store_db.setting(self._caseload.db, DEVICES_SETTING)
        devices: dict[str, str] = json.loads(raw) if raw else {}
        return {self._caseload.device_id: "this laptop", **devices}

    def device_key(self) -> bytes:
        """This laptop's own device key (made on first use, kept in the encrypted caseload)."""
        value = store_db.setting(self._caseload.db, OWN_KEY_SETTING)
        if value is None:
            value = seals.new_key().hex()
            with self._caseload.saving(), self._caseload.db.atomic():
                store_db.set_setting(self._caseload.db, OWN_KEY_SETTING, value)
        return bytes.fromhex(value)

    def enrolment_code(self) -> str:
        """This laptop's enrolment code: its device id and key, for another caseload to enrol it
        with (`enrol_code`). Whoever holds it can seal bundles in this laptop's name: pass it
        in person, as a bundle passphrase."""
        return seals.enrolment_code(self._caseload.device_id, self.device_key())

    def enrolment_replaces(self, code: str) -> str | None:
        """The name a laptop is enrolled under here when `code` is its code with another key
        than the one it was enrolled with: enrolling it replaces that key, and bundles sealed
        with the earlier code are refused from then on (`replaced_code_words` says so). None
        for a new laptop, the same code again, a laptop enrolled before codes had keys, or a
        code that is not one (enrol_code says what is wrong with it)."""
        try:
            device_id, key = seals.parse_enrolment_code(code)
        except ValidationError:
            return None
        known = self.device_keys().get(device_id)
        if known is None or known == key or device_id == self._caseload.device_id:
            return None
        return self.enrolled_devices().get(device_id) or f"laptop {device_id[:8]}"

    def enrol_code(self, code: str, name: str) -> str:
        """Enrol a partnership laptop from its enrolment code; returns its device id. Its sealed
        bundles are then trusted here: their edits, removals and erasures are carried out."""
        device_id, key = seals.parse_enrolment_code(code)
        if device_id == self._caseload.device_id:
            raise ValidationError(
                "That is this laptop's own code; enrol it on the other caseloads instead.",
                field="code",
            )
        self.enrol_device(device_id, name, key=key)
        return device_id

    def device_keys(self) -> dict[str, bytes]:
        """The keys that check bundle seals here: id -> key (this laptop's own included once it
        has one: none is made here, as a laptop without one has sealed nothing, and a merge
        refused saves nothing, not even a key)."""
        raw = store_db.setting(self._caseload.db, DEVICE_KEYS_SETTING)
        keys = {k: bytes.fromhex(v) for k, v in (json.loads(raw) if raw else {}).items()}
        own = store_db.setting(self._caseload.db, OWN_KEY_SETTING)
        if own is not None:
            keys[self._caseload.device_id] = bytes.fromhex(own)
        return keys

    def enrol_device(self, device_id: str, name: str, *, key: bytes | None = None) -> None:
        """Enrol a partnership laptop: its erasures are carried out when merged, not held. With
        its `key` (from its enrolment code) its sealed bundles are checked and trusted too."""
        device_id, name = device_id.strip(), name.strip()
        if not device_id or len(device_id) > 200 or not name:
            raise ValidationError(
                "Give the laptop's device id (journeyapp devices, on that laptop) and a name.",
                field="device_id",
            )
        # Said as what is wrong with the name given (it used to be "Give … a name"); a line
        # break would split the laptop's line in the list of enrolled laptops.
        if len(name) > 200:
            raise ValidationError(
                f"The name is {len(name):,} characters long; the most it can hold is 200 "
                "(who uses that laptop, e.g. Aileen, Fife).",
                field="name",
            )
        if any(ch < " " or ch == "\x7f" for ch in name):
            raise ValidationError(
                "The name holds a line break or another control character; give it on one "
                "line (who uses that laptop, e.g. Aileen, Fife).",
                field="name",
            )
        raw = store_db.setting(self._caseload.db, DEVICES_SETTING)
        devices: dict[str, str] = json.loads(raw) if raw else {}
        devices[device_id] = name
        raw_keys = store_db.setting(self._caseload.db, DEVICE_KEYS_SETTING)
        keys: dict[str, str] = json.loads(raw_keys) if raw_keys else {}
        if key is not None:
            keys[device_id] = key.hex()
        with self._caseload.saving(), self._caseload.db.atomic():
            store_db.set_setting(
                self._caseload.db, DEVICES_SETTING, json.dumps(devices, sort_keys=True)
            )
            store_db.set_setting(
                self._caseload.db, DEVICE_KEYS_SETTING, json.dumps(keys, sort_keys=True)
            )

    def field_history(self, kind: str, name: str) -> dict[str, list[tuple[str, Any]]]:
        """Every value a field was given, per record, from the journey log: (at, value)."""
        return store_versions.field_history(self._caseload.db, kind, name)

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

    def reading_once(self) -> contextlib.AbstractContextManager[None]:
        """While everything is read once (an export): a small page cache, then as it was."""
        return store_db.small_page_cache(self._caseload.db)

    def write_bundle(
        self, out: Path, passphrase: str, *, progress: Callable[[int, int], None] | None = None
    ) -> int:
        """Write this laptop's whole journey log to a new encrypted bundle file; returns the count."""
        caseload = self._caseload
        total = self.journal_count()
        info = {
            "device_id": caseload.device_id,
            "made_at": caseload.clock().astimezone(UTC).isoformat(timespec="seconds"),
            "made_by": caseload.actor,
            "events": str(total),
            # A caseload that is not encrypted takes in no bundle from one that is
            # (exchange.bundle): real parents' details never end up in a demo's plain file.
            "encrypted": "1" if caseload.is_encrypted else "0",
            # The milestone types meaning starting work here, so a coordinator whose catalogue
            # lacks one counts its job entries all the same (Caseload.job_entry_types).
            JOB_ENTRY_INFO: json.dumps(list(caseload.job_entry_types())),
            # The catalogue's name, so a coordinator merging it hears when a laptop was left
            # with another catalogue than the partnership's (exchange.bundle).
            "catalogue": caseload.catalogue.name,
        }
        # Sealed with this laptop's key; it vouches for every event but those it took in
        # without an enrolled laptop's seal (core.seals).
        unsealed = store_seals.all_unsealed(caseload.db)
        sealing = bundle_file.Sealing(self.device_key(), lambda event_id: event_id not in unsealed)
        return bundle_file.write(
            out,
            passphrase,
            info,
            self.journal_rows(),
            total=total,
            progress=progress,
            sealing=sealing,
        )

    def pseudonym_key(self) -> bytes:
        """The partnership's key for pseudonyms in exports (made on first use, kept in settings)."""
        value = store_db.setting(self._caseload.db, "pseudonym_key")
        if value is None:
            value = secrets.token_hex(32)
            try:
                with self._caseload.saving(), self._caseload.db.atomic():
                    store_db.set_setting(self._caseload.db, "pseudonym_key", value)
            except DatabaseInUse:  # a reader beside the window: the key cannot be kept now
                raise DatabaseInUse(
                    f"{self._caseload.path} has no pseudonym key yet: the first export makes "
                    "one and keeps it in the caseload, which cannot be done while it is open "
                    "in the JourneyApp window. Close the window and run the command again, or "
                    "give the partnership's key with --key-file. Nothing was written."
                ) from None
        return bytes.fromhex(value)

    def kept_pseudonym_key(self) -> bytes | None:
        """The pseudonym key this caseload keeps, or None before its first pseudonymised export
        (or a key loaded): read only, nothing made."""
        value = store_db.setting(self._caseload.db, "pseudonym_key")
        return None if value is None else bytes.fromhex(value)

    def set_pseudonym_key(self, key: bytes) -> None:
        """Use the partnership's shared key (from the coordinator's key file) for pseudonyms."""
        if len(key) < 16:
            raise ValidationError(
                "A pseudonym key needs at least 16 bytes; use the key file as given."
            )
        with self._caseload.saving(), self._caseload.db.atomic():
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


def _same_change(one: MergeDecision, other: MergeDecision) -> bool:
    """Whether two removal questions ask about removals made in one change (one parent's, on
    one laptop, at one moment: a goal removed with its steps)."""
    a, b = one.incoming, other.incoming
    return (
        one.id != other.id
        and one.participant_id == other.participant_id
        and (a.at, a.device_id) == (b.at, b.device_id)
    )


def require_bundle(path: Path) -> None:
    """BundleError saying what the file at `path` is when it cannot be a bundle (missing, a
    folder, empty, unencrypted, another kind of file): asked before its passphrase is."""
    bundle_file.require_bundle(Path(path))


def read_bundle(path: Path, passphrase: str) -> tuple[dict[str, str], list[Event]]:
    """A bundle's info and its checked events (WrongPassphrase or BundleError if not)."""
    return bundle_file.read(Path(path), passphrase)


def read_sealed_bundle(caseload: Caseload, path: Path, passphrase: str) -> SealedBundle:
    """A bundle with its seals checked against the laptops enrolled on `caseload` (MergeRefused
    naming the first event whose seal does not hold)."""
    exchange = caseload.exchange
    return bundle_file.read_sealed(
        Path(path), passphrase, exchange.device_keys(), exchange.enrolled_devices()
    )
