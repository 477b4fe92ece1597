"""Passphrase guidance and the growing delay after wrong tries (no real sleeping)."""

from __future__ import annotations

import pytest

from journeyapp.core.passphrase import Throttle, assess


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
    fair = assess("harbour lamp", "harbour lamp")
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
