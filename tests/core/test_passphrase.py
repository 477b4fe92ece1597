"""Passphrase guidance and the growing delay after wrong tries (no real sleeping)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from journeyapp.core.passphrase import Throttle, assess, waiting_words


@pytest.mark.parametrize(
    ("candidate", "problem"),
    [
        ("short one", "at least 12"),
        ("catcatcatcat", "repeated"),
        ("cat cat cat cat", "repeated"),
        ("aaaaaaaaaaaaaaaa", "repeated"),
        ("abcdefghijklmnop", "neighbouring"),
        ("123456789012", "only numbers"),
        ("987654321098", "only numbers"),
        ("Password2024!", "first passphrases"),
        ("harbour lamp 7", None),
        ("  four quiet river stones", "space"),
    ],
)
def test_weak_passphrases_are_explained(candidate: str, problem: str | None) -> None:
    verdict = assess(candidate, candidate)
    if problem is None:
        assert verdict.ok
    else:
        assert not verdict.ok
        assert any(problem in p for p in verdict.problems), verdict.problems
        assert verdict.strength == "too weak"


def test_well_known_passwords_are_refused_even_when_long() -> None:
    assert not assess("passwordpassword1").ok
    assert not assess("password123").ok
    assert "first passphrases" in " ".join(assess("Password123!").problems)


def test_good_passphrases_pass_with_a_strength_explanation() -> None:
    fair = assess("harbour lamp 7", "harbour lamp 7")
    assert fair.ok
    assert fair.strength == "fair"
    strong = assess("four quiet river stones", "four quiet river stones")
    assert strong.strength == "strong"
    assert "guess" in strong.explanation


def test_typed_twice_must_match_and_accents_compare_equal() -> None:
    assert "not the same" in " ".join(
        assess("four quiet river stones", "four quiet river stone").problems
    )
    assert assess("café by the harbour", "cafe\u0301 by the harbour").ok


def test_throttle_grows_and_resets_without_real_sleep() -> None:
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    throttle = Throttle(free=2, base=1.0, cap=8.0, sleep=sleep, clock=lambda: now[0])
    delays = [throttle.failed() for _ in range(7)]
    assert delays == [0.0, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]
    assert "waits 8 seconds" in throttle.message()
    assert throttle.wait() == 8.0
    assert slept == [8.0]
    assert throttle.remaining == 0
    throttle.succeeded()
    assert throttle.failed() == 0.0


@pytest.mark.parametrize(
    "weak",
    [
        "password",
        "12345678",
        "aaaaaaaa",
        "harbour lamp",
        "Zebedee2026!",
        "qwertyuiop12",
        "iloveyou2026",
        "journeyapp2026",
    ],
)
def test_one_measured_rule_refuses_what_is_guessed_early(weak: str) -> None:
    """The attack's list (password, 12345678, aaaaaaaa) and dictionary words are refused."""
    from journeyapp.core.passphrase import MIN_GUESSES_LOG10, guesses_log10

    verdict = assess(weak)
    assert not verdict.ok
    assert verdict.strength == "too weak"
    if len(weak) >= 12:
        assert guesses_log10(weak) < MIN_GUESSES_LOG10 or verdict.problems


def test_a_bundle_refuses_the_caseloads_own_passphrase() -> None:
    verdict = assess("four quiet river stones", not_the_same_as=["four quiet river stones"])
    assert "caseload's own passphrase" in " ".join(verdict.problems)
    assert assess("five loud canal bricks", not_the_same_as=["four quiet river stones"]).ok


def test_wrong_tries_are_remembered_across_runs_per_file(tmp_path: Path) -> None:
    from journeyapp.core.passphrase import RememberedThrottle

    state = tmp_path / "state" / "delays.json"
    now = [1000.0]
    first = RememberedThrottle(state, tmp_path / "a.db", clock=lambda: now[0], free=1)
    first.failed()
    assert first.failed() > 0
    # A new run (a new object) starts where the last one left off, for that file only.
    again = RememberedThrottle(state, tmp_path / "a.db", clock=lambda: now[0], free=1)
    assert again.failures == 2
    assert again.remaining > 0
    other = RememberedThrottle(state, tmp_path / "b.db", clock=lambda: now[0], free=1)
    assert other.failures == 0
    assert "a.db" not in state.read_text()  # only a hash of the path is kept
    assert state.stat().st_mode & 0o777 == 0o600
    again.succeeded()
    assert RememberedThrottle(state, tmp_path / "a.db", clock=lambda: now[0]).failures == 0


def test_a_right_passphrase_with_no_wrong_tries_writes_nothing(tmp_path: Path) -> None:
    """The usual unlock (no wrong try, here or kept from another run) leaves the file alone;
    one after wrong tries, kept in the file by another run, forgets them there."""
    from journeyapp.core.passphrase import RememberedThrottle

    state = tmp_path / "state" / "delays.json"
    RememberedThrottle(state, tmp_path / "a.db", free=1).succeeded()
    assert not state.exists()  # nothing written
    RememberedThrottle(state, tmp_path / "b.db", free=1).failed()  # another file's wrong try
    kept = state.read_bytes()
    written = state.stat().st_mtime_ns
    RememberedThrottle(state, tmp_path / "a.db", free=1).succeeded()
    assert state.read_bytes() == kept
    assert state.stat().st_mtime_ns == written
    # Wrong tries kept by another run (a command beside the window) are forgotten.
    unlocking = RememberedThrottle(state, tmp_path / "a.db", free=1)
    RememberedThrottle(state, tmp_path / "a.db", free=1).failed()
    unlocking.succeeded()
    assert RememberedThrottle(state, tmp_path / "a.db").failures == 0
    assert RememberedThrottle(state, tmp_path / "b.db").failures == 1


@given(failures=st.integers(min_value=1, max_value=99), waiting=st.floats(0.01, 3600))
def test_the_wait_after_wrong_tries_is_said_in_words(failures: int, waiting: float) -> None:
    words = waiting_words(failures, waiting)
    assert not re.search(r"\b1 seconds|\b0 second", words), words
    assert ("1 wrong try," in words) == (failures == 1)
    assert words.endswith("before the next one.")
