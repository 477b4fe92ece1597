"""The name a journey log is offered under: the laptop's or keyworker's and the day, plain
letters, and never the name of a file already there (a bundle is never written over)."""

from __future__ import annotations

import re
import tempfile
from datetime import date
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from journeyapp.core.file_names import bundle_name

DAY = date(2026, 12, 5)


def test_named_after_the_laptop_and_the_day(tmp_path: Path) -> None:
    assert (
        bundle_name("Aileen's laptop", DAY, tmp_path) == tmp_path / "aileens-laptop-2026-12-05.jlb"
    )
    assert bundle_name("Siobhán Ó Briain", DAY, tmp_path).name == "siobhan-o-briain-2026-12-05.jlb"
    assert bundle_name("", DAY, tmp_path).name == "journey-log-2026-12-05.jlb"
    assert bundle_name("Юлія", DAY, tmp_path).name == "journey-log-2026-12-05.jlb"


def test_a_second_bundle_that_day_gets_a_name_of_its_own(tmp_path: Path) -> None:
    first = bundle_name("Ben", DAY, tmp_path)
    first.write_bytes(b"sent")
    second = bundle_name("Ben", DAY, tmp_path)
    assert second.name == "ben-2026-12-05-2.jlb"
    second.write_bytes(b"sent")
    assert bundle_name("Ben", DAY, tmp_path).name == "ben-2026-12-05-3.jlb"


@settings(max_examples=200, deadline=None)
@given(who=st.text(max_size=80), taken=st.integers(min_value=0, max_value=3))
def test_any_name_gives_a_plain_new_file_in_the_folder(who: str, taken: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        where = Path(folder)
        made = [bundle_name(who, DAY, where) for _ in range(taken)]
        for path in made:
            path.write_bytes(b"")
        offered = bundle_name(who, DAY, where)
        assert offered.parent == where
        assert not offered.exists()
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*-2026-12-05(-\d+)?\.jlb", offered.name)
        assert len(offered.name.encode()) <= 255
