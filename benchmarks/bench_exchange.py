"""Exchange figures: merging a sealed bundle file end to end (process start to exit) with
`journeyapp merge` itself (`python -m journeyapp merge --db CASELOAD BUNDLE`, the bundle's
passphrase in $JOURNEYAPP_BUNDLE_PASSPHRASE as a script gives it), beside the same merge called
directly (exchange_probe.py) and the old path (the sealed bundle read and checked whole, then
merged event by event), interleaved; the end-to-end limit with no check (nocheck_probe.py:
the same bundle file attached to an encrypted caseload with its settings and copied inside
SQLite, interleaved with our merge into the same encrypted caseload, and the share of each part
of that copy); re-merging it; a partnership's whole-log bundle with a few thousand new events;
the true limit in the same run (SQLite alone writing the same compact rows with no journal and
no sync); and a 1,000,000-event journey log exported to CSV against the sqlite3 tool dumping
the same table.

The log is synthetic but shaped like real use (parents, stages, contacts, milestones, edits that
say what they replaced). Its bundles are sealed as an enrolled laptop seals its export (the
writer's device key, every event vouched for; bundle_file.write with the Sealing that
Exchange.write_bundle passes), and every merge starts from a caseload on which that laptop is
enrolled with its key, as a coordinator's is: the seals are checked and the events trusted.
Generated events, bundles and caseloads live in the run's one temporary folder (removed at the
end). Run from the repository root: python benchmarks/run.py exchange (1,000,000 events), or
python -m benchmarks.bench_exchange [EVENTS] [merge|limit] for another size ("merge" leaves out
the export and XLSX figures; "limit" runs only our merge beside the no-check limit, and the true
limit); run.py takes group names only.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import random
import re
import shutil
import subprocess
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from benchmarks.common import (
    QUICK,
    REPEAT,
    Run,
    figure,
    heading,
    median_runs,
    python_env,
    run_process,
    scratch,
)
from journeyapp.caseload import Caseload
from journeyapp.core.merge import REPLACED
from journeyapp.core.records import BY_KIND, Event
from journeyapp.core.seals import new_key, row_digest, same
from journeyapp.core.text import fold
from journeyapp.core.validation import validate
from journeyapp.exchange.export import ExportOptions, export
from journeyapp.store import bundle_file, eventlog, merge_checks, search
from journeyapp.store.backup import remove_with_sidecars
from journeyapp.store.db import export_encrypted
from journeyapp.store.records import columns, encode_event_fields, event_rows, from_row

PASSPHRASE = "benchmark passphrase, not a secret"
BUNDLE_PASSPHRASE = "benchmark bundle passphrase"  # as exchange_probe.py has it
CACHE = scratch() / "exchange"  # the run's one temporary folder (JOURNEYAPP_BENCH_DIR: where)
EVENTS = 100_000 if QUICK else 1_000_000
PART = 50_000  # events read and checked at a time, as the merge reads a big bundle
WRITER_KEY = new_key()  # the sending laptop's device key, for this run's bundles
START = date(2024, 6, 3)  # the first parent's joining day (the last event: 2026-08-15)


KINDS = ("one_to_one", "phone_text", "home_visit", "group", "outreach")
MILESTONES = ("first_meeting", "agreed_plan", "joined_group", "started_course", "started_work")
LOCALITIES = ("edinburgh", "fife", "glasgow", "north_lanarkshire", "south_lanarkshire")
NOTES = (
    "Talked about the college open day; she wants to go with a friend.",
    "Childcare for the wee one sorted through the nursery; feeling more settled.",
    "Phoned to say the interview went well — waiting to hear.",
    "Not a good week; agreed to take things gently for now.",
)


def synthetic_events(total: int, seed: int = 1) -> list[Event]:
    """A journey log from one laptop: about 50 events per parent, oldest first."""
    path = CACHE / f"events-v4-{total}-{seed}.pickle"
    if path.exists():
        with path.open("rb") as handle:
            cached: list[Event] = pickle.load(handle)
        return cached
    rng = random.Random(seed)
    device = str(uuid.UUID(int=rng.getrandbits(128)))
    events: list[Event] = []
    # Every event is dated before the day this is run (the latest: START plus 803 days), as a
    # real laptop's are: `journeyapp merge` checks each new record against the real clock and
    # refuses a date more than a day ahead of it.
    start = START

    def new_id() -> str:
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))

    # Event ids as this version makes them (core.records.new_event_id): time-ordered (version
    # 7), so a laptop's log holds them in the order it wrote them; its clock moves on a little
    # between events. Record ids stay random (version 4), as core.records.new_id makes them.
    clock = int(datetime(2024, 6, 3, tzinfo=UTC).timestamp() * 1000)

    def new_event_id() -> str:
        nonlocal clock
        clock += rng.randint(1, 400)
        return str(
            uuid.UUID(
                int=(clock << 80)
                | (0x7 << 76)
                | (rng.getrandbits(12) << 64)
                | (0b10 << 62)
                | rng.getrandbits(62)
            )
        )

    last: dict[tuple[str, str], str] = {}  # (record, field) -> the event that set it last

    def add(pid: str, kind: str, rid: str, action: str, fields: dict[str, object], at: str) -> None:
        event_id = new_event_id()
        if action == "update":  # as this version writes edits: what each value replaced
            fields = {**fields, REPLACED: {name: [last[(rid, name)]] for name in fields}}
        for name in fields:
            last[(rid, name)] = event_id
        events.append(
            Event(event_id, at, device, "Aileen (demo)", pid, kind, rid, action, fields, "")
        )

    n = 0
    while len(events) < total:
        n += 1
        pid = new_id()
        joined = start + timedelta(days=rng.randint(0, 600))
        at = f"{joined.isoformat()}T10:00:00.000000Z"
        base = {"created_at": at, "updated_at": at, "recorded_by": "Aileen (demo)"}
        add(
            pid,
            "participants",
            pid,
            "create",
            {
                **base,
                "id": pid,
                "preferred_name": f"Parent {n}",
                "full_name": f"Parent {n} Synthetic",
                "date_of_birth": f"19{rng.randint(75, 99)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                "phone": f"07700 9{rng.randint(0, 99999):05d}",
                "email": "",
                "address": "",
                "locality": rng.choice(LOCALITIES),
                "keyworker": "Aileen (demo)",
                "referral_source": "School",
                "joined_on": joined.isoformat(),
                "status": "active",
                "stage": "getting_started",
                "destination": "not_decided",
                "ref": None,
                "notes": "",
            },
            at,
        )
        sid = new_id()
        add(
            pid,
            "stages",
            sid,
            "create",
            {
                **base,
                "id": sid,
                "participant_id": pid,
                "stage": "getting_started",
                "on": joined.isoformat(),
                "note": "",
            },
            at,
        )
        contacts = []
        for k in range(30):
            on = (joined + timedelta(days=7 * k)).isoformat()
            cid = new_id()
            contacts.append(cid)
            add(
                pid,
                "contacts",
                cid,
                "create",
                {
                    **base,
                    "id": cid,
                    "participant_id": pid,
                    "on": on,
                    "kind": rng.choice(KINDS),
                    "venue": "Family hub",
                    "minutes": rng.choice((15, 30, 45, 60)),
                    "note": rng.choice(NOTES),
                    "next_step": "",
                    "childcare_needed": 0,
                    "childcare_arranged": 0,
                    "group_session_id": None,
                },
                f"{on}T11:00:00.000000Z",
            )
        for k, m in enumerate(MILESTONES * 2):
            mid = new_id()
            on = (joined + timedelta(days=20 * k)).isoformat()
            add(
                pid,
                "milestones",
                mid,
                "create",
                {
                    **base,
                    "id": mid,
                    "participant_id": pid,
                    "type": m,
                    "achieved_on": on,
                    "note": "",
                    "voice": "parent",
                },
                f"{on}T12:00:00.000000Z",
            )
        for k in range(6):
            on = (joined + timedelta(days=30 + 10 * k)).isoformat()
            add(
                pid,
                "contacts",
                rng.choice(contacts),
                "update",
                {"minutes": rng.choice((20, 40, 50)), "note": rng.choice(NOTES)},
                f"{on}T13:00:00.000000Z",
            )
        add(
            pid,
            "participants",
            pid,
            "update",
            {"stage": "building_confidence"},
            f"{joined.isoformat()}T14:00:00.000000Z",
        )
        add(
            pid,
            "participants",
            pid,
            "update",
            {"status": rng.choice(("active", "paused"))},
            f"{joined.isoformat()}T15:00:00.000000Z",
        )
    del events[total:]
    CACHE.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        pickle.dump(events, out, protocol=pickle.HIGHEST_PROTOCOL)
    return events


def write_bundle(events: list[Event], out: Path) -> Path:
    """The events as a sealed bundle file, as the enrolled laptop that made them sends them
    (the writer's key; it vouches for every event; made once per run)."""
    if not out.exists():
        rows = event_rows(events, [encode_event_fields(e.fields) for e in events])
        bundle_file.write(
            out,
            BUNDLE_PASSPHRASE,
            {"device_id": events[0].device_id, "events": str(len(rows))},
            [rows[i : i + 50_000] for i in range(0, len(rows), 50_000)],
            total=len(rows),
            sealing=bundle_file.Sealing(WRITER_KEY, lambda _event_id: True),
        )
    return out


def enrolled_caseload(events: list[Event]) -> Path:
    """An empty caseload on which the bundles' writer is enrolled with its key (made once)."""
    path = CACHE / "enrolled-empty.db"
    if not path.exists():
        caseload = Caseload.open(path, create=True, plain=True)
        try:
            caseload.exchange.enrol_device(events[0].device_id, "Aileen's laptop", key=WRITER_KEY)
        finally:
            caseload.close()
    return path


def enrolled_encrypted_caseload(events: list[Event]) -> tuple[Path, Path]:
    """As `enrolled_caseload`, encrypted as a real caseload is (SQLCipher, PASSPHRASE), and the
    file holding its passphrase (for the probes; made once)."""
    path, key = CACHE / "enrolled-empty-encrypted.db", CACHE / "caseload-passphrase.txt"
    if not path.exists():
        key.write_text(PASSPHRASE, encoding="utf-8")
        caseload = Caseload.open(path, PASSPHRASE, create=True)
        try:
            caseload.exchange.enrol_device(events[0].device_id, "Aileen's laptop", key=WRITER_KEY)
        finally:
            caseload.close()
    return path, key


def _probe(mode: str, bundle: Path, db: Path, start_from: Path) -> Run:
    """One merge of `bundle` into a copy of `start_from`, in its own process: "command" as a
    person runs it (`python -m journeyapp merge --db CASELOAD BUNDLE`, the bundle's passphrase
    given as a script gives it, in $JOURNEYAPP_BUNDLE_PASSPHRASE), or exchange_probe.py's
    "ours" (the same merge called directly) or "whole" (the old path)."""
    remove_with_sidecars(db)
    shutil.copyfile(start_from, db)
    if mode == "command":
        args = [sys.executable, "-m", "journeyapp", "merge", "--db", str(db), str(bundle)]
        env = python_env(JOURNEYAPP_BUNDLE_PASSPHRASE=BUNDLE_PASSPHRASE)
        env.pop("JOURNEYAPP_PASSPHRASE", None)  # the caseloads here have none
    else:
        script = str(Path(__file__).with_name("exchange_probe.py"))
        args, env = [sys.executable, script, mode, str(bundle), str(db)], python_env()
    return run_process(args, env=env)


def _seconds(run: Run) -> float:
    """The merge's own seconds, from opening the caseload to closing it (the probe prints them)."""
    return float(run.stdout.split()[0])


def _applied(run: Run) -> int:
    """How many events the merge applied (the probe prints it; the command says "N new")."""
    said = re.search(r"([\d,]+) new\b", run.stdout)
    if said is not None:
        return int(said[1].replace(",", ""))
    return int(run.stdout.split()[2])


def three_way(
    bundle: Path,
    db: Path,
    start_from: Path,
    applied: int,
    pairs: int,
    *,
    keep: Path | None = None,
) -> tuple[Run, Run, Run]:
    """The command, the probe and the old path, interleaved `pairs` times: their medians. With
    `keep`, a copy of the caseload as the command left it (what a person merges into next)."""
    runs: list[list[Run]] = [[], [], []]
    for _ in range(pairs):
        for kept, mode in zip(runs, ("command", "ours", "whole"), strict=True):
            kept.append(_checked(_probe(mode, bundle, db, start_from), applied))
            if mode == "command" and keep is not None and not keep.exists():
                shutil.copyfile(db, keep)
    command, probe, whole = (median_runs(kept) for kept in runs)
    return command, probe, whole


def _beside_probe(command: Run, probe: Run) -> None:
    """The shortcut's figures beside the command's (the same merge, called directly)."""
    figure(
        "  the same merge called directly (exchange_probe.py, from its process start)",
        probe.wall,
        "s",
        baseline=command.wall,
        baseline_name="the command",
    )
    figure(
        "  CPU time of the command",
        command.cpu,
        "s",
        baseline=probe.cpu,
        baseline_name="the same merge called directly",
    )


def _checked(run: Run, applied: int) -> Run:
    """`run`, after checking it applied what it should (a benchmark of a wrong merge is none)."""
    if _applied(run) != applied:
        raise RuntimeError(f"the merge applied {_applied(run):,} events, not {applied:,}")
    return run


def bench_merge(events: list[Event], bundle: Path) -> tuple[float, float]:
    """End to end from the encrypted sealed bundle file to the committed caseload: ours against
    the old path (the sealed bundle read and checked whole, then the per-event merge),
    interleaved; then merging it again."""
    n = len(events)
    heading(
        f"Merge a sealed bundle of {n:,} events into an empty caseload (its writer enrolled), "
        "end to end (process start to exit)"
    )
    print(f"(bundle file: {bundle.stat().st_size / 1e6:,.1f} MB)", flush=True)
    empty = enrolled_caseload(events)
    db = CACHE / "merged.db"
    # At 1,000,000 events one pair takes several minutes (the old path alone ~3-4 min): one pair.
    pairs = 1 if n >= 1_000_000 else REPEAT
    # The caseload `journeyapp merge` made is the one merged into again (the old path's result
    # holds the same records but does not know the bundle's file, as no person's caseload does).
    merged = CACHE / "merged-once.db"
    remove_with_sidecars(merged)
    ours, probe, whole = three_way(bundle, db, empty, n, pairs, keep=merged)
    rate, old_rate = n / ours.wall, n / whole.wall
    figure(
        "merge, end to end",
        rate,
        "events/s",
        baseline=old_rate,
        baseline_name="old path: whole sealed read, then the per-event merge",
        target=">= 100,000 events/s",
        ok=rate >= 100_000,
    )
    figure("  wall time", ours.wall, "s", baseline=whole.wall, baseline_name="old path")
    figure("  CPU time", ours.cpu, "s", baseline=whole.cpu, baseline_name="old path")
    figure(
        "  peak memory",
        ours.peak_mib,
        "MiB",
        baseline=whole.peak_mib,
        baseline_name="old path",
        target="< 1 GiB",
        ok=ours.peak_mib < 1024,
    )
    _beside_probe(ours, probe)
    print(f"  ({pairs} interleaved run(s) of each; medians)", flush=True)
    # Again, into the caseload the command made: nothing is new.
    again_pairs = 3 if n >= 1_000_000 else REPEAT
    bench_remerge(bundle, merged, n, again_pairs)
    return rate, old_rate


def bench_remerge(bundle: Path, merged: Path, n: int, again_pairs: int) -> None:
    """Merging `bundle` again into `merged`, which holds it already: `journeyapp merge` as a
    person runs it, beside the same merge called directly and the old path."""
    again, probe, again_whole = three_way(bundle, CACHE / "again.db", merged, 0, again_pairs)
    figure(
        "re-merge of the same bundle (nothing new), end to end",
        again.wall,
        "s",
        baseline=again_whole.wall,
        baseline_name="old path",
        target="< 1 s",
        ok=again.wall < 1,
    )
    figure("  of which the merge itself (open to close)", _seconds(probe), "s")
    figure(
        "  peak memory",
        again.peak_mib,
        "MiB",
        baseline=again_whole.peak_mib,
        baseline_name="old path",
    )
    _beside_probe(again, probe)
    print(f"  ({again_pairs} interleaved runs of each; medians; n={n:,})", flush=True)


def bench_whole_log(events: list[Event]) -> None:
    """A partnership's whole-log bundle (about 450,000 events) with a few thousand new."""
    total, new = min(450_000, len(events)), 3_000
    if QUICK:
        total, new = min(100_000, len(events)), 1_000
    heading(f"A sealed whole-log bundle of {total:,} events, {new:,} of them new here, end to end")
    head = write_bundle(events[: total - new], CACHE / f"head-{total - new}.jlb")
    whole = write_bundle(events[:total], CACHE / f"whole-{total}.jlb")
    start = CACHE / "before-whole-log.db"
    # The caseload as it was: everything but the last few thousand, merged from the writer.
    _checked(_probe("ours", head, start, enrolled_caseload(events)), total - new)
    pairs = 3 if len(events) >= 1_000_000 else REPEAT
    ours, probe, baseline = three_way(whole, CACHE / "wl.db", start, new, pairs)
    figure(
        "whole-log bundle, a few thousand new, end to end",
        ours.wall,
        "s",
        baseline=baseline.wall,
        baseline_name="old path",
        target="< 3 s",
        ok=ours.wall < 3,
    )
    figure("  of which the merge itself (open to close)", _seconds(probe), "s")
    figure(
        "  peak memory", ours.peak_mib, "MiB", baseline=baseline.peak_mib, baseline_name="old path"
    )
    _beside_probe(ours, probe)
    print(f"  ({pairs} interleaved runs of each; medians)", flush=True)


def _same_results(ours: Path, limit: Path, key: Path) -> list[str]:
    """Where the no-check copy's caseload differs from our merge's: the journal row for row, and
    every record table and the caseload list (the search indexes hold the same entries, the
    texts lower-cased rather than folded, so they are not compared)."""
    import sqlcipher3.dbapi2 as sqlcipher

    passphrase = key.read_text(encoding="utf-8").strip()
    conn = sqlcipher.connect(str(limit), isolation_level=None)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute("PRAGMA key = '" + passphrase.replace("'", "''") + "'")
        conn.execute("ATTACH DATABASE ? AS ours KEY ?", [str(ours), passphrase])
        columns = (
            "event_id, at, device, actor, participant_id, kind, record_id, action, fields, txn"
        )
        tables = {"journal": f"SELECT {columns} FROM {{}}.journal ORDER BY seq"}
        for kind in (*BY_KIND, "caseload_list"):
            tables[kind] = f'SELECT * FROM {{}}."{kind}"'
        differ = []
        for name, sql in tables.items():
            one, other = sql.format("main"), sql.format("ours")
            (count,) = conn.execute(
                f"SELECT count(*) FROM (SELECT * FROM ({one}) EXCEPT SELECT * FROM ({other}))"
            ).fetchone()
            (more,) = conn.execute(
                f"SELECT count(*) FROM (SELECT * FROM ({other}) EXCEPT SELECT * FROM ({one}))"
            ).fetchone()
            if count or more:
                differ.append(f"{name}: {count:,} rows differ, {more:,} missing")
        return differ
    finally:
        conn.close()


def bench_nocheck_limit(events: list[Event], bundle: Path) -> float:
    """Same run: the end-to-end limit with no check (nocheck_probe.py: from process start, the
    sealed bundle attached to an encrypted caseload with the caseload's settings, every event
    and record copied by INSERT…SELECT inside SQLite, the indexes brought up to date, one
    commit), interleaved with our merge into the same encrypted caseload; then the same copy a
    part at a time, for the share of each. Returns our merge's events/s here."""
    n = len(events)
    heading(
        f"End-to-end limit with no check (same run): {n:,} events from the sealed bundle file "
        "into an encrypted caseload, copied inside SQLite, one transaction, WAL, synchronous FULL"
    )
    start_from, key = enrolled_encrypted_caseload(events)
    here = Path(__file__).parent
    probes = {
        "ours": [str(here / "exchange_probe.py"), "ours"],
        "limit": [str(here / "nocheck_probe.py"), "limit"],
        "parts": [str(here / "nocheck_probe.py"), "parts"],
    }
    dbs = {mode: CACHE / f"e2e-{mode}.db" for mode in probes}

    def run(mode: str) -> Run:
        db = dbs[mode]
        remove_with_sidecars(db)
        shutil.copyfile(start_from, db)
        args = [sys.executable, *probes[mode], str(bundle), str(db), str(key)]
        done = run_process(args, env=python_env())
        copied = int(done.stdout.split()[1 if mode != "ours" else 2])
        if copied != n:
            raise RuntimeError(f"{mode} wrote {copied:,} events, not {n:,}")
        return done

    pairs = 2 if n >= 1_000_000 else REPEAT
    runs: dict[str, list[Run]] = {"ours": [], "limit": []}
    for _ in range(pairs):
        for mode, kept in runs.items():
            kept.append(run(mode))
    ours, limit = median_runs(runs["ours"]), median_runs(runs["limit"])
    rate, limit_rate = n / ours.wall, n / limit.wall
    figure(
        "end-to-end limit with no check (process start to exit)",
        limit_rate,
        "events/s",
        baseline=rate,
        baseline_name="our merge into the same encrypted caseload, end to end",
        target=">= 100,000 events/s",
        ok=limit_rate >= 100_000,
    )
    figure("  wall time", limit.wall, "s", baseline=ours.wall, baseline_name="our merge")
    figure("  CPU time", limit.cpu, "s", baseline=ours.cpu, baseline_name="our merge")
    figure(
        "  peak memory", limit.peak_mib, "MiB", baseline=ours.peak_mib, baseline_name="our merge"
    )
    figure(
        "  by CPU time (the machine is shared: wall time waits on others)",
        n / limit.cpu,
        "events/s",
        baseline=n / ours.cpu,
        baseline_name="our merge",
    )
    figure("  our merge as a share of the no-check limit", rate / limit_rate, "x")
    print(f"  ({pairs} interleaved runs of each; medians)", flush=True)
    figure("  the limit's copy itself (open to close)", float(limit.stdout.split()[0]), "s")
    for line in limit.stdout.splitlines()[1:]:
        seconds, name = line.split(" ", 1)
        figure(f"  the limit's step: {name}", float(seconds), "s")
    differ = _same_results(dbs["ours"], dbs["limit"], key)
    print(
        "  (the no-check copy's journal, records and caseload list are our merge's, row for row)"
        if not differ
        else "  (the no-check copy differs from our merge: " + "; ".join(differ) + ")",
        flush=True,
    )
    # The same copy, a part at a time (each part reads the bundle again): the share of each.
    parts = run("parts")
    took: dict[str, float] = {}
    reads: dict[str, int] = {}  # how many times the step read the whole bundle
    for line in parts.stdout.splitlines()[1:]:
        seconds, name = line.split(" ", 1)
        took[name] = float(seconds)
        said = re.search(r"\((a|\d+) reads? of the bundle\)", name)
        reads[name] = 0 if said is None else 1 if said[1] == "a" else int(said[1])
    read = took["read every event row of the bundle (decrypted), alone"]

    def alone(*starts: str) -> float:
        """The steps named so, their reads of the bundle taken off."""
        names = [name for name in took if name.startswith(starts)]
        return sum(took[name] - reads[name] * read for name in names)

    checks = alone("checks inside SQLite")
    split = {
        "attach and read (key derived, every row decrypted)": alone("open the caseload", "read "),
        "journal insert (laptops and people numbered, fields packed, rows written)": alone(
            "laptops and people", "journal insert"
        ),
        "record inserts and edits": alone("record inserts"),
        "index maintenance (search indexes filled, indexes and caseload list built)": alone(
            "search indexes", "indexes and"
        ),
        "commit (WAL written, synced) and close": alone("commit", "closed"),
    }
    whole = sum(split.values())
    print(
        "  the copy a part at a time (one run; each step's reads of the bundle taken off it and "
        "counted once, in the first part; shares of the parts' sum):",
        flush=True,
    )
    for name, seconds in split.items():
        figure(f"    {name}", seconds, f"s ({seconds / whole:.0%})")
    figure(
        "  beside them: checks made inside SQLite, set-based (ids, moments, kinds by pattern and "
        "list, fields as JSON objects, each field's type, length, day or choice; its read "
        "taken off)",
        checks,
        "s",
        baseline=split["journal insert (laptops and people numbered, fields packed, rows written)"],
        baseline_name="the journal insert",
    )
    figure(
        "  the no-check limit with those checks added (its CPU time plus theirs)",
        n / (limit.cpu + checks),
        "events/s",
        baseline=n / ours.cpu,
        baseline_name="our merge, by its CPU time",
    )
    print(
        "  (100,000 events/s end to end is out of reach here even with no check: copying inside "
        f"SQLite alone reaches {limit_rate:,.0f} events/s)"
        if limit_rate < 100_000
        else "  (copying inside SQLite with no check passes 100,000 events/s here)",
        flush=True,
    )
    bench_rows_design(n, dbs["limit"], key, start_from, limit, ours)
    for path in dbs.values():
        remove_with_sidecars(path)
    return rate


def bench_rows_design(
    n: int, copied: Path, key: Path, start_from: Path, limit: Run, ours: Run
) -> None:
    """Same run, a design figure: what the no-check copy takes when the bundle carries the
    caseload's own rows (nocheck_probe.write_rows_bundle: the journal packed, each record as
    its row, encrypted as a bundle is) instead of each event's JSON, with the search indexes
    filled in the merge's transaction, or after its commit in one of their own."""
    from benchmarks.nocheck_probe import write_rows_bundle

    rows = CACHE / "rows.jlb"
    rows.unlink(missing_ok=True)
    write_rows_bundle(copied, key.read_text(encoding="utf-8").strip(), rows)
    print(
        f"  design: a bundle of the caseload's own rows ({rows.stat().st_size / 1e6:,.1f} MB, "
        f"against {(CACHE / f'all-{n}.jlb').stat().st_size / 1e6:,.1f} MB of events), "
        "copied with no check:",
        flush=True,
    )
    probe = str(Path(__file__).with_name("nocheck_probe.py"))
    db = CACHE / "e2e-rows.db"
    runs: dict[str, list[Run]] = {"rows": [], "rows-later": []}
    for _ in range(2 if n >= 1_000_000 else REPEAT):
        for mode, kept in runs.items():
            remove_with_sidecars(db)
            shutil.copyfile(start_from, db)
            kept.append(
                run_process(
                    [sys.executable, probe, mode, str(rows), str(db), str(key)], env=python_env()
                )
            )
    remove_with_sidecars(db)
    rows.unlink(missing_ok=True)
    for mode, name in (
        ("rows", "search indexes filled in the merge"),
        ("rows-later", "search indexes filled after its commit"),
    ):
        done = median_runs(runs[mode])
        figure(
            f"    {name}, process start to exit, by CPU time",
            n / done.cpu,
            "events/s",
            baseline=n / limit.cpu,
            baseline_name="the no-check limit",
            target=">= 100,000 events/s",
            ok=n / done.cpu >= 100_000,
        )
        figure("      wall time", done.wall, "s", baseline=ours.wall, baseline_name="our merge")
        figure("      peak memory", done.peak_mib, "MiB")
        steps = [line.split(" ", 1) for line in done.stdout.splitlines()[1:]]
        for seconds, step in steps:
            figure(f"      step: {step}", float(seconds), "s")
        if mode == "rows-later":
            committed = 0.0
            for seconds, step in steps:
                committed += float(seconds)
                if step.startswith("commit"):
                    break
            figure(
                "      the merge committed (open to commit), events a second",
                n / committed,
                "events/s",
                baseline=n / float(limit.stdout.split()[0]),
                baseline_name="the no-check limit, open to close",
            )


def bench_true_limit(events: list[Event], rate: float, old_rate: float | None) -> float:
    """Same run: SQLite alone writing the rows the merge writes, in their compact form (worked
    out beforehand, untimed), with no merge logic, no journal and no syncing, 64 KiB pages,
    every index built once at the end. Nothing any merge could do in this process is faster.
    """
    import sqlcipher3.dbapi2 as sqlcipher

    heading("The true limit (same run): SQLite writing the same compact rows, no journal, no sync")
    db = CACHE / "limit.db"
    remove_with_sidecars(db)
    caseload = Caseload.open(db, create=True, plain=True)
    try:
        log_rows = eventlog.rows(
            caseload.db, events, [encode_event_fields(e.fields) for e in events]
        )
        schema = [
            str(r[0])
            for r in caseload.db.execute(
                "SELECT sql FROM sqlite_master WHERE type IN ('table', 'index') AND sql IS NOT NULL "
                "AND name NOT LIKE 'sqlite_%' AND (tbl_name IN ('journal', 'journal_devices', "
                "'journal_actors') OR tbl_name IN (SELECT DISTINCT kind FROM journey_log))"
            )
        ]
        kinds = {e.kind for e in events}
        schema += [
            str(r[0])
            for r in caseload.db.execute(
                "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' "
                f"AND tbl_name IN ({', '.join('?' * len(kinds))})",
                sorted(kinds),
            )
        ]
        tables = {kind: [c.name for c in columns(BY_KIND[kind])] for kind in kinds}
        devices = caseload.db.execute("SELECT id, device_id FROM journal_devices").fetchall()
        actors = caseload.db.execute("SELECT id, actor FROM journal_actors").fetchall()
    finally:
        caseload.close()
    records: dict[str, dict[str, dict[str, object]]] = {}
    for e in events:
        if e.action == "create":
            records.setdefault(e.kind, {})[e.record_id] = dict(e.fields)
        elif e.action == "update":
            records[e.kind][e.record_id].update(
                {k: v for k, v in e.fields.items() if k in tables[e.kind]}
            )
    record_rows = {
        kind: [tuple(r.get(n) for n in tables[kind]) for r in found.values()]
        for kind, found in records.items()
    }
    remove_with_sidecars(db)
    creates = [sql for sql in dict.fromkeys(schema) if sql.startswith("CREATE TABLE")]
    indexes = [sql for sql in dict.fromkeys(schema) if not sql.startswith("CREATE TABLE")]
    conn = sqlcipher.connect(str(db), isolation_level=None)
    try:
        for pragma in ("page_size = 65536", "journal_mode = OFF", "synchronous = OFF"):
            conn.execute(f"PRAGMA {pragma}")
        for sql in creates:
            conn.execute(sql)
        conn.execute("PRAGMA cache_size = -262144")
        started = time.perf_counter()
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO journal_devices VALUES (?, ?)", devices)
        conn.executemany("INSERT INTO journal_actors VALUES (?, ?)", actors)
        conn.executemany(eventlog.INSERT, log_rows)
        for kind, found in record_rows.items():
            marks = ", ".join("?" * len(tables[kind]))
            conn.executemany(f'INSERT INTO "{kind}" VALUES ({marks})', found)
        for sql in indexes:
            conn.execute(sql)
        conn.execute("COMMIT")
        took = time.perf_counter() - started
    finally:
        conn.close()
        remove_with_sidecars(db)
    limit = len(events) / took
    figure(
        "true limit: SQLite writing the merge's compact rows",
        limit,
        "events/s",
        baseline=rate,
        baseline_name="our merge, end to end",
    )
    if old_rate is not None:
        figure(
            "  the old per-event merge, end to end, as a share of the limit", old_rate / limit, "x"
        )
    figure("  our merge, end to end, as a share of the limit", rate / limit, "x")
    print(
        "(100,000 events/s is above what SQLite alone writes here: out of reach on this machine)"
        if limit < 100_000
        else "(SQLite alone writes more than 100,000 events/s here)",
        flush=True,
    )
    return took


def bench_reading_limit(events: list[Event], bundle: Path, written: float, rate: float) -> None:
    """Same run: what a merge that keeps every check does besides writing, each part timed
    alone, a part of the bundle (PART events) at a time as the merge reads it: every event row
    and its mark decrypted and read, each event's digest against its mark (core.seals), each
    parsed and type-checked (bundle_file._event), each checked as the merge checks it, its
    fields encoded as the log stores them (merge_checks.check_events), each record's latest
    value validated as if typed in, its fields packed as the journal stores them (the true
    limit writes them packed already), and the searched texts folded into the trigram index. With
    `written` (the true limit's seconds for the same events) it gives the most a merge could
    reach here without dropping a check: the true limit above leaves all of this out."""
    import sqlcipher3.dbapi2 as sqlcipher

    heading("Beside the true limit (same run): reading and checking what the merge writes")
    latest: dict[tuple[str, str], dict[str, object]] = {}
    for e in events:
        if e.action == "create":
            latest[(e.kind, e.record_id)] = dict(e.fields)
        elif e.action == "update":
            latest[(e.kind, e.record_id)].update(e.fields)
    caseload = Caseload.open(enrolled_caseload(events), plain=True)
    catalogue, codes = caseload.catalogue, caseload.codes
    day = caseload.today() + timedelta(days=1)
    caseload.close()
    records = []
    while latest:  # (each record's fields let go of as its row is made: one copy at a time)
        (kind, _rid), fields = latest.popitem()
        row: dict[str, object] = dict.fromkeys(c.name for c in columns(BY_KIND[kind]))
        row.update((name, value) for name, value in fields.items() if name in row)
        records.append((kind, row))
    names = (
        "decrypt and read every event row and its mark",
        "each event's digest against its mark",
        "each event parsed and type-checked",
        "each event checked as the merge checks it (fields encoded as the log stores them)",
        "each event's fields packed as the journal stores them (eventlog's packing)",
        f"each record's latest value validated ({len(records):,} records)",
        "the searched texts folded and put in the trigram index",
        "(of the digests: SHA-256 alone, in C)",
    )
    took = dict.fromkeys(names, 0.0)
    conn = bundle_file._open_with(bundle, BUNDLE_PASSPHRASE)  # the key derived here, untimed
    index = sqlcipher.connect(":memory:", isolation_level=None)
    index.execute(search.TEXT_SCHEMA[0])
    read = 0
    try:
        gc.disable()  # as the merge reads and parses (paused_gc)
        for first in range(1, len(events) + 1, PART):
            clock = time.perf_counter()
            rows = conn.execute(
                "SELECT e.seq, e.event_id, e.at, e.device_id, e.actor, e.participant_id, "
                "e.kind, e.record_id, e.action, e.fields, e.txn, s.digest FROM events AS e "
                "JOIN seals AS s ON s.seq = e.seq WHERE e.rowid BETWEEN ? AND ? ORDER BY e.rowid",
                [first, first + PART - 1],
            ).fetchall()
            steps = [time.perf_counter()]
            altered = sum(not same(row_digest(r[1:-1]).hex(), r[-1]) for r in rows)
            steps.append(time.perf_counter())
            part = [bundle_file._event(r[0], r[1:-1]) for r in rows]
            steps.append(time.perf_counter())
            texts = merge_checks.check_events(part)
            steps.append(time.perf_counter())
            pack = eventlog._packer()
            for e, text in zip(part, texts, strict=True):
                pack(str(text), e.at, e.record_id, e.participant_id, e.actor, e.kind)
            steps.append(time.perf_counter())
            durations = [b - a for a, b in zip((clock, *steps[:-1]), steps, strict=True)]
            for name, seconds in zip(names, durations, strict=False):
                took[name] += seconds
            assert altered == 0
            assert None not in texts
            # (SHA-256 alone, in C, of the text each digest covers: no Python removes that.)
            covered = [
                "|".join("-" if v is None else f"{len(v)}:{v}" for v in r[1:-1]).encode()
                for r in rows
            ]
            clock = time.perf_counter()
            for text in covered:
                hashlib.sha256(text)
            took[names[-1]] += time.perf_counter() - clock
            read += len(rows)
        clock = time.perf_counter()
        for kind, row in records:
            validate(from_row(BY_KIND[kind], row), catalogue, day, codes)
        took[names[5]] = time.perf_counter() - clock
        clock = time.perf_counter()
        index.execute("BEGIN")
        index.executemany(
            f"INSERT INTO {search.TEXT}(text) VALUES (?)",
            (
                (fold(value),)
                for kind, row in records
                for name in search._searched(kind)
                if isinstance(value := row.get(name), str) and value.strip()
            ),
        )
        index.execute("COMMIT")
        took[names[6]] = time.perf_counter() - clock
    finally:
        gc.enable()
        conn.close()
        index.close()
    assert read == len(events)
    n = len(events)
    for name, seconds in took.items():
        figure(f"  {name}", seconds, "s")
    reading = sum(took[name] for name in names[:-1])
    figure("reading and checking alone", n / reading, "events/s")
    figure(
        "the most a merge keeping every check reaches here (reading and checking, then the "
        "true limit's writes)",
        n / (reading + written),
        "events/s",
        baseline=rate,
        baseline_name="our merge, end to end",
        target=">= 100,000 events/s",
        ok=n / (reading + written) >= 100_000,
    )


def bench_export(db: Path) -> None:
    heading("Export the journey log to CSV, against the sqlite3 tool dumping the same table")
    out_dir = CACHE / "exports"
    shutil.rmtree(out_dir, ignore_errors=True)
    out_dir.mkdir(parents=True)
    sqlite3 = shutil.which("sqlite3")
    baseline = None
    if sqlite3:
        started = time.perf_counter()
        with (out_dir / "sqlite3.csv").open("wb") as handle:
            subprocess.run(
                [sqlite3, "-csv", "-header", str(db), "SELECT * FROM journey_log"],
                stdout=handle,
                check=True,
            )
        baseline = time.perf_counter() - started
        figure("sqlite3 -csv journey_log", baseline, "s")
    caseload = Caseload.open(db, create=True, plain=True)
    try:
        for name, identifiable in (("identifiable", True), ("pseudonymised", False)):
            started = time.perf_counter()
            result = export(
                caseload,
                out_dir / name,
                ExportOptions(tables=("journey_log",), identifiable=identifiable),
            )
            took = time.perf_counter() - started
            figure(
                f"journeyapp export ({name})",
                took,
                "s",
                baseline=baseline,
                baseline_name="sqlite3 CLI",
                target="within 2x",
                ok=None if baseline is None else took <= 2 * baseline,
            )
            figure(f"  rows ({name})", result.rows["journey_log"], "rows")
    finally:
        caseload.close()
    # Real caseloads are encrypted (SQLCipher): the same log, encrypted, against the same
    # baseline (the sqlite3 tool cannot read an encrypted file at all).
    encrypted = db.with_name(db.stem + "-encrypted.db")
    if not encrypted.exists() or encrypted.stat().st_mtime < db.stat().st_mtime:
        encrypted.unlink(missing_ok=True)
        plain = Caseload.open(db, create=True, plain=True)
        try:
            export_encrypted(plain.db, encrypted, PASSPHRASE)
        finally:
            plain.close()
    caseload = Caseload.open(encrypted, PASSPHRASE, create=True)
    try:
        started = time.perf_counter()
        export(caseload, out_dir / "encrypted", ExportOptions(tables=("journey_log",)))
        figure(
            "journeyapp export (pseudonymised, from an encrypted caseload)",
            time.perf_counter() - started,
            "s",
            baseline=baseline,
            baseline_name="sqlite3 CLI, unencrypted",
        )
    finally:
        caseload.close()


def bench_xlsx_writers(rows: int = 100_000) -> None:
    """Choose the XLSX writer by measurement: openpyxl modes, with and without lxml."""
    heading(f"XLSX writers, {rows:,} rows x 10 columns")
    probe = Path(__file__).resolve().parent / "xlsx_writer_probe.py"
    results = {}
    for mode in ("normal", "write_only", "write_only_forced"):
        for lxml in ("False", "True"):
            env = {**os.environ, "OPENPYXL_LXML": lxml}
            out = CACHE / f"probe-{mode}-{lxml}.xlsx"
            done = subprocess.run(
                [sys.executable, str(probe), mode, str(out), str(rows)],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.split()
            took, used_lxml = float(done[0]), done[1] == "1"
            results[(mode, used_lxml)] = took
            figure(f"openpyxl {mode}{' + lxml' if used_lxml else ''}", took, "s")
            out.unlink(missing_ok=True)
    best = min(results, key=lambda k: results[k])
    print(f"fastest: {best[0]}{' + lxml' if best[1] else ''}", flush=True)


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:] if a.isdigit()]
    total = sizes[0] if sizes else EVENTS
    started = time.perf_counter()
    events = synthetic_events(total)
    bundle = write_bundle(events, CACHE / f"all-{total}.jlb")
    figure("generate or load the synthetic log and its bundle", time.perf_counter() - started, "s")
    if "limit" in sys.argv[1:]:  # the limits alone: ours and the no-check copy, the true limit
        rate = bench_nocheck_limit(events, bundle)
        bench_true_limit(events, rate, None)
        return
    rate, old_rate = bench_merge(events, bundle)
    bench_nocheck_limit(events, bundle)
    bench_whole_log(events)
    written = bench_true_limit(events, rate, old_rate)
    bench_reading_limit(events, bundle, written, rate)
    if "merge" in sys.argv[1:]:
        return
    del events  # an export runs in a process that holds no million events
    gc.collect()
    bench_export(CACHE / "merged.db")
    bench_xlsx_writers()


if __name__ == "__main__":
    main()
