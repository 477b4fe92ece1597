"""Fixtures for exchange tests: several laptops' caseloads on real files."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from journeyapp.caseload import Caseload
from journeyapp.demo import build_demo
from tests.clock import ticking_clock
from tests.conftest import TODAY

PASSPHRASE = "correct horse battery"


@pytest.fixture
def laptop(tmp_path: Path) -> Iterator[Callable[..., Caseload]]:
    """Make a named laptop's caseload (a demo one when participants > 0); all closed afterwards.

    The laptops made are one partnership: each is enrolled on every other with its enrolment
    code, so their sealed bundles are trusted (core.seals); `enrolled=False` makes an outsider.
    """
    opened: list[Caseload] = []
    partnership: list[Caseload] = []

    def make(name: str, participants: int = 0, seed: int = 1, enrolled: bool = True) -> Caseload:
        c = Caseload.open(tmp_path / f"{name}.db", create=True, plain=True, actor=name)
        c.clock = ticking_clock(TODAY)
        if participants:
            build_demo(c, participants=participants, seed=seed, today=TODAY)
        opened.append(c)
        if enrolled:
            for other in partnership:
                other.exchange.enrol_code(c.exchange.enrolment_code(), f"{name}'s laptop")
                c.exchange.enrol_code(other.exchange.enrolment_code(), f"{other.actor}'s laptop")
            partnership.append(c)
        return c

    yield make
    for c in opened:
        c.close()
