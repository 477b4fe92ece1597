"""A consent, and where a journey stands, changed on two laptops that had not seen each other's
change: each is merged as one thing (core.merge.Unit), never half of one laptop's and half of
the other's. The coordinator is asked once, and until then every device holds the same one:
the consent withdrawn (what it covers stays removed), the journey as the latest by day left
it. The answer travels, and every device ends the same, whichever bundle came first."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from journeyapp.caseload import Caseload
from journeyapp.cli import cli
from journeyapp.core.enums import ConsentPurpose, Destination, ParticipantStatus
from journeyapp.core.records import Consent
from journeyapp.exchange.bundle import merge_bundle, write_bundle
from journeyapp.exchange.decisions import describe_all
from tests.conftest import TODAY
from tests.exchange.conftest import PASSPHRASE

Laptop = Callable[..., Caseload]
EQUALITIES = ConsentPurpose.EQUALITIES_MONITORING
S = ParticipantStatus


def _bundle(caseload: Caseload, folder: Path) -> Path:
    out = folder / f"{caseload.actor}-{uuid.uuid4().hex[:6]}.jlb"
    write_bundle(caseload, out, PASSPHRASE)
    return out


def _consent(caseload: Caseload, pid: str) -> tuple[bool, str, str]:
    [found] = [c for c in caseload.all_records(Consent) if c.participant_id == pid]
    return found.given, found.on.isoformat(), found.how_recorded


def _journey(caseload: Caseload, pid: str) -> tuple[str, str | None, str, str | None]:
    p = caseload.participant(pid)
    days = (d.isoformat() if d else None for d in (p.ended_on, p.came_back_on))
    ended, back = days
    return str(p.status), ended, str(p.destination), back


def _relay(devices: list[Caseload], folder: Path) -> None:
    """Every device's bundle merged into every other, twice round."""
    for _ in range(2):
        for src in devices:
            path = _bundle(src, folder)
            for dst in devices:
                if dst is not src:
                    merge_bundle(dst, path, PASSPHRASE)


@pytest.mark.parametrize("first", ["withdrawal", "given again"])
def test_consent_withdrawn_on_one_laptop_and_given_again_on_another_is_asked_withdrawn_holding(
    laptop: Laptop, tmp_path: Path, first: str
) -> None:
    a, b, coord = laptop("aileen"), laptop("brian"), laptop("coord")
    pid = a.enrol_participant("Siobhán", "fife", TODAY - timedelta(days=60)).id
    a.record_consent(pid, EQUALITIES, True, on=TODAY - timedelta(days=50))
    a.set_equalities(pid, sex="female")
    merge_bundle(b, _bundle(a, tmp_path), PASSPHRASE)
    assert b.equalities(pid) is not None

    # Aileen records the withdrawal; Brian, not having seen it, records the consent given again.
    withdrawn_on, again_on = TODAY - timedelta(days=5), TODAY - timedelta(days=3)
    a.record_consent(pid, EQUALITIES, False, on=withdrawn_on)
    b.record_consent(pid, EQUALITIES, True, on=again_on, how_recorded="said again on the phone")
    from_a, from_b = _bundle(a, tmp_path), _bundle(b, tmp_path)
    order = (from_a, from_b) if first == "withdrawal" else (from_b, from_a)
    results = [merge_bundle(coord, path, PASSPHRASE) for path in order]

    # Withdrawn, whole (not withdrawn "said again on the phone"), and the answers it covers
    # removed; one question, about the consent.
    withdrawn = (False, withdrawn_on.isoformat(), "")
    assert _consent(coord, pid) == withdrawn
    assert coord.equalities(pid) is None
    assert sum(r.new_decisions for r in results) == 1
    [asked] = coord.exchange.decisions()
    [line] = describe_all(coord, [asked])
    assert line.about.startswith("consent for Equalities monitoring, withdrawn until you decide")
    assert "given on one laptop and withdrawn on another" in line.about
    assert line.here == f"withdrawn on {withdrawn_on.day} {withdrawn_on:%b %Y}"
    assert line.incoming == (f"given on {again_on.day} {again_on:%b %Y} (said again on the phone)")
    assert line.here_from.startswith("aileen")
    assert line.incoming_from.startswith("brian")
    listed = CliRunner().invoke(cli, ["decisions", "--db", str(coord.path)], catch_exceptions=False)
    assert listed.exit_code == 0, listed.output
    assert "withdrawn until you decide" in listed.output
    assert "given on" in listed.output
    assert "(said again on the phone)" in listed.output

    # Merged again: nothing changes. Relayed: every device withdrawn, the answers gone from
    # Brian's too, and the same question asked there.
    for path in order:
        assert not merge_bundle(coord, path, PASSPHRASE).changed_anything
    _relay([a, b, coord], tmp_path)
    for device in (a, b, coord):
        assert _consent(device, pid) == withdrawn, device.actor
        assert device.equalities(pid) is None
        assert [d.field for d in device.exchange.decisions()] == ["given"]

    # The coordinator, having asked the parent, keeps it given: whole, everywhere, once.
    coord.exchange.resolve_decision(asked.id, "incoming")
    _relay([a, b, coord], tmp_path)
    for device in (a, b, coord):
        assert _consent(device, pid) == (True, again_on.isoformat(), "said again on the phone")
        assert device.exchange.decisions() == []
        assert device.equalities(pid) is None  # removed with the withdrawal: asked again


@pytest.mark.parametrize("first", ["ending", "welcome back"])
def test_an_ending_and_a_welcome_back_neither_saw_hold_the_latest_by_day_whole_until_decided(
    laptop: Laptop, tmp_path: Path, first: str
) -> None:
    a, b, coord = laptop("aileen"), laptop("brian"), laptop("coord")
    pid = a.enrol_participant("Siobhán", "fife", TODAY - timedelta(days=90)).id
    ended_on = TODAY - timedelta(days=12)
    a.end_journey(pid, S.MOVED_ON, on=ended_on, destination=Destination.WORK)
    merge_bundle(b, _bundle(a, tmp_path), PASSPHRASE)

    # Brian welcomes her back; Aileen, not having seen that, corrects the day it ended.
    back_on, corrected = TODAY - timedelta(days=2), TODAY - timedelta(days=10)
    b.reopen_journey(pid, on=back_on)
    a.end_journey(pid, S.MOVED_ON, on=corrected)
    from_a, from_b = _bundle(a, tmp_path), _bundle(b, tmp_path)
    order = (from_a, from_b) if first == "ending" else (from_b, from_a)
    for path in order:
        merge_bundle(coord, path, PASSPHRASE)

    # Going again, as the welcome back (the later day) left it: no day it ended.
    welcomed = ("active", None, "work", back_on.isoformat())
    assert _journey(coord, pid) == welcomed
    [asked] = coord.exchange.decisions()
    [line] = describe_all(coord, [asked])
    assert "where their journey stands" in line.about
    assert "the latest by day holds" in line.about
    assert line.here == f"Active, welcomed back {back_on.day} {back_on:%b %Y}"
    assert line.incoming == f"Moved on, {corrected.day} {corrected:%b %Y}, to work"
    listed = CliRunner().invoke(cli, ["decisions", "--db", str(coord.path)], catch_exceptions=False)
    assert "where their journey stands" in listed.output
    assert "Moved on" in listed.output

    for path in order:
        assert not merge_bundle(coord, path, PASSPHRASE).changed_anything
    _relay([a, b, coord], tmp_path)
    for device in (a, b, coord):
        assert _journey(device, pid) == welcomed, device.actor
        assert len(device.exchange.decisions()) == 1

    # The coordinator keeps the ending (the welcome back was a mistake): whole, everywhere.
    coord.exchange.resolve_decision(asked.id, "incoming")
    _relay([a, b, coord], tmp_path)
    for device in (a, b, coord):
        assert _journey(device, pid) == ("moved_on", corrected.isoformat(), "work", None)
        assert device.exchange.decisions() == []
    rows = [r for r in coord.caseload() if r.id == pid]
    assert rows
    assert str(rows[0].status) == "moved_on"


def test_an_ending_corrected_after_seeing_the_welcome_back_just_follows(
    laptop: Laptop, tmp_path: Path
) -> None:
    """One saw the other: nothing to ask, the later write holds (as for any field)."""
    a, coord = laptop("aileen"), laptop("coord")
    pid = a.enrol_participant("Siobhán", "fife", TODAY - timedelta(days=90)).id
    a.end_journey(pid, S.CLOSED, on=TODAY - timedelta(days=12))
    merge_bundle(coord, _bundle(a, tmp_path), PASSPHRASE)
    coord.reopen_journey(pid, on=TODAY - timedelta(days=4))
    merge_bundle(a, _bundle(coord, tmp_path), PASSPHRASE)
    a.end_journey(pid, S.MOVED_ON, on=TODAY - timedelta(days=1))
    merge_bundle(coord, _bundle(a, tmp_path), PASSPHRASE)
    assert coord.exchange.decisions() == []
    assert _journey(coord, pid)[:2] == ("moved_on", (TODAY - timedelta(days=1)).isoformat())


def test_an_ending_no_enrolled_laptop_vouched_for_is_not_held_before_the_journey_going(
    laptop: Laptop, tmp_path: Path
) -> None:
    """From a laptop not enrolled here, an ending waits as a decision however late its day:
    the journey as a vouched-for laptop left it holds meanwhile."""
    a, coord = laptop("aileen"), laptop("coord")
    outsider = laptop("outsider", enrolled=False)
    pid = a.enrol_participant("Siobhán", "fife", TODAY - timedelta(days=90)).id
    from_a = _bundle(a, tmp_path)
    merge_bundle(outsider, from_a, PASSPHRASE)
    outsider.end_journey(pid, S.CLOSED, on=TODAY - timedelta(days=1))
    merge_bundle(coord, from_a, PASSPHRASE)
    merge_bundle(coord, _bundle(outsider, tmp_path), PASSPHRASE)
    assert _journey(coord, pid) == ("active", None, "not_decided", None)
    [asked] = coord.exchange.decisions()
    [line] = describe_all(coord, [asked])
    assert line.incoming.startswith("Closed, ")
    coord.exchange.resolve_decision(asked.id, "incoming")
    assert _journey(coord, pid)[:2] == ("closed", (TODAY - timedelta(days=1)).isoformat())
