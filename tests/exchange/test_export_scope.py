"""An export for a period, a locality or a keyworker holds the parents in it and their records,
and nobody else's: every row that belongs to a parent names a parent in the export's own list
of parents (who had joined by the end of the period), and every record of those parents that
the period takes in is there."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeyapp.caseload import Caseload
from journeyapp.core.records import RECORD_TYPES, Participant, belongs_to_a_parent, period_field
from journeyapp.demo import build_demo
from journeyapp.exchange.export import ExportOptions, Pseudonyms, export
from tests.clock import ticking_clock
from tests.conftest import TODAY


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Caseload]:
    c = Caseload.open(tmp_path_factory.mktemp("scope") / "demo.db", create=True, demo=True)
    c.clock = ticking_clock(TODAY)
    build_demo(c, participants=40, seed=11, today=TODAY)
    yield c
    c.close()


def _rows(folder: Path, kind: str) -> list[dict[str, str]]:
    with (folder / f"{kind}.csv").open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    until_back=st.one_of(st.none(), st.integers(0, 500)),
    length=st.one_of(st.none(), st.integers(0, 400)),
    locality=st.sampled_from([None, "fife", "glasgow"]),
)
def test_a_filtered_export_holds_its_parents_records_and_no_one_elses(
    demo: Caseload,
    tmp_path_factory: pytest.TempPathFactory,
    until_back: int | None,
    length: int | None,
    locality: str | None,
) -> None:
    until = TODAY - timedelta(days=until_back) if until_back is not None else None
    since = (until or TODAY) - timedelta(days=length) if length is not None else None
    key = demo.exchange.pseudonym_key()
    out = tmp_path_factory.mktemp("export") / "out"
    options = ExportOptions(since=since, until=until, locality=locality, key=key)
    export(demo, out, options)
    pseudonym = Pseudonyms(key)
    # The parents the export is about: in the locality, joined by the end of the period.
    scope = {
        p.id
        for p in demo.all_records(Participant)
        if (locality is None or p.locality == locality) and (until is None or p.joined_on <= until)
    }
    listed = {row["participant"] for row in _rows(out, Participant.KIND)}
    assert listed == {pseudonym(i) for i in scope}

    def in_period(day: date | None) -> bool:
        if day is None:
            return since is None and until is None
        return (since is None or day >= since) and (until is None or day <= until)

    for cls in RECORD_TYPES:
        if cls is Participant or not belongs_to_a_parent(cls):
            continue
        rows = _rows(out, cls.KIND)
        # (Feedback may be about the programme, no one parent: it names none.)
        strays = [row for row in rows if row["participant"] and row["participant"] not in listed]
        assert not strays, (cls.KIND, strays[:2])
        # Nothing of theirs left out: every record of a parent in scope that the period takes in.
        name = period_field(cls)
        wanted = [
            r
            for r in demo.all_records(cls)
            if (
                (owner := getattr(r, "participant_id", None)) in scope
                or (owner is None and locality is None)
            )
            and (name is None or in_period(getattr(r, name)))
        ]
        assert len(rows) == len(wanted), cls.KIND
