"""A batch (and a batch insert) uses a larger page cache for its statements and gives the setting back."""

from __future__ import annotations

from pathlib import Path

from journeyapp.caseload import Caseload
from journeyapp.demo import build_demo
from journeyapp.store.records import BATCH_CACHE_KIB
from tests.clock import ticking_clock
from tests.conftest import TODAY


def test_a_demo_build_leaves_the_page_cache_setting_as_it_found_it(tmp_path: Path) -> None:
    caseload = Caseload.open(tmp_path / "c.db", create=True, demo=True, clock=ticking_clock(TODAY))
    before = caseload.db.execute("PRAGMA cache_size").fetchone()[0]
    with caseload.batch("look inside"):
        # Held for the whole batch, so a big one's chunks share the cached index pages.
        assert caseload.db.execute("PRAGMA cache_size").fetchone()[0] == BATCH_CACHE_KIB
    assert caseload.db.execute("PRAGMA cache_size").fetchone()[0] == before
    build_demo(caseload, participants=30, seed=2, today=TODAY)
    assert caseload.db.execute("PRAGMA cache_size").fetchone()[0] == before
    assert caseload.counts()["participants"] == 30  # and the batch was written
    caseload.close()
