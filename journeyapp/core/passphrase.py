"""Passphrase guidance (what makes a good one) and the throttle that slows repeated wrong tries."""

from __future__ import annotations

import itertools
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

MIN_LENGTH = 12
MAX_LENGTH = 1024

GUIDANCE = (
    "Choose a passphrase of at least 12 characters: three or four ordinary words that mean "
    "something only to you work well (for example four unrelated words with spaces). "
    "It protects the parents' records if this laptop is lost. It is not stored anywhere: "
    "if it is forgotten, the caseload cannot be opened, so keep it somewhere safe away from "
    "the laptop, as your organisation advises."
)

# Passphrases seen first in every leaked-password list: refused even when long enough.
_DENY = {
    "password",
    "passphrase",
    "passw0rd",
    "qwerty",
    "letmein",
    "welcome",
    "journeyapp",
    "iloveyou",
    "abc123",
    "123456",
    "changeme",
    "admin",
}


def normalise(passphrase: str) -> str:
    """The form a passphrase is used in: Unicode NFC, so an accent typed on any system matches."""
    return unicodedata.normalize("NFC", passphrase)


@dataclass(frozen=True)
class Verdict:
    """What the policy says about a candidate passphrase."""

    problems: tuple[str, ...]
    strength: str  # "too weak", "fair", "good", "strong"
    explanation: str

    @property
    def ok(self) -> bool:
        """True when the passphrase may be used."""
        return not self.problems


def _repeats_one_word(text: str) -> bool:
    """True for "catcatcatcat", "cat cat cat", "aaaaaaaaaaaa": one short unit repeated."""
    squashed = "".join(text.lower().split())
    if not squashed:
        return True
    words = text.lower().split()
    if len(words) > 1 and len(set(words)) == 1:
        return True
    for size in range(1, len(squashed) // 2 + 1):
        if len(squashed) % size == 0 and squashed[:size] * (len(squashed) // size) == squashed:
            return True
    return False


def _is_sequence(text: str) -> bool:
    squashed = "".join(text.lower().split())
    steps = {ord(b) - ord(a) for a, b in itertools.pairwise(squashed)}
    return len(steps) == 1 and steps <= {1, -1}


def assess(passphrase: str, again: str | None = None) -> Verdict:
    """Check a candidate passphrase (and its second typing, when given) against the policy.

    Rules: at least 12 characters, not one word or character repeated, not a plain sequence,
    not a well-known password, and typed the same twice.
    """
    text = normalise(passphrase)
    problems: list[str] = []
    if len(text) < MIN_LENGTH:
        problems.append(
            f"It is {len(text)} characters long; use at least {MIN_LENGTH} "
            "(three or four words are easier to remember than symbols)."
        )
    if len(text) > MAX_LENGTH:
        problems.append(f"It is longer than {MAX_LENGTH} characters; choose a shorter one.")
    if text and text.strip() != text:
        problems.append("It starts or ends with a space, which is easy to forget; remove it.")
    folded = "".join(text.lower().split())
    # The part before trailing digits and symbols ("Password2024!" -> "password").
    core = folded.rstrip("0123456789!?.,@#$%&*-_") or folded
    if text.strip() and (_repeats_one_word(text) or _repeats_one_word(core)):
        problems.append("It is one word or character repeated; use different words.")
    elif text.strip() and _is_sequence(text):
        problems.append("It is a run of neighbouring characters (like abcd… or 1234…).")
    elif folded.isdigit():
        problems.append("It is only numbers; ordinary words are easier to remember and stronger.")
    if core in _DENY or folded in _DENY or any(core == w * (len(core) // len(w)) for w in _DENY):
        problems.append("It is one of the first passphrases anyone would try; choose another.")
    if again is not None and normalise(again) != text:
        problems.append("The two passphrases are not the same; type it again in both boxes.")
    strength, explanation = _strength(text, bool(problems))
    return Verdict(tuple(problems), strength, explanation)


def _strength(text: str, refused: bool) -> tuple[str, str]:
    words = len(text.split())
    classes = sum(
        any(test(ch) for ch in text)
        for test in (str.islower, str.isupper, str.isdigit, lambda c: not c.isalnum())
    )
    if refused:
        return "too weak", "Someone with a stolen laptop could guess this quickly."
    if len(text) >= 20 and (words >= 4 or classes >= 3):
        return "strong", "Long and varied: it would take a very long time to guess."
    if len(text) >= 16 or words >= 3:
        return "good", "A good length; another word would make it stronger still."
    return "fair", "Long enough, but adding a word or two would make it much harder to guess."


class Throttle:
    """Growing delay after repeated wrong passphrases (Cyber Essentials: slow brute force).

    The first `free` failures cost nothing; then each failure doubles the wait, from `base`
    seconds up to `cap`. `sleep` and `clock` are injected so tests never really wait.
    """

    def __init__(
        self,
        *,
        free: int = 3,
        base: float = 1.0,
        cap: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.free = free
        self.base = base
        self.cap = cap
        self._sleep = sleep
        self._clock = clock
        self.failures = 0
        self._not_before = 0.0

    def delay_for(self, failures: int) -> float:
        """How long to wait after `failures` wrong tries in a row."""
        if failures < self.free:
            return 0.0
        return float(min(self.cap, self.base * 2.0 ** (failures - self.free)))

    @property
    def remaining(self) -> float:
        """Seconds until the next try is allowed (0 when it may go ahead now)."""
        return max(0.0, self._not_before - self._clock())

    def failed(self) -> float:
        """Record a wrong try; returns the delay now imposed before the next one."""
        self.failures += 1
        delay = self.delay_for(self.failures)
        self._not_before = self._clock() + delay
        return delay

    def succeeded(self) -> None:
        """A right passphrase: forget the failures."""
        self.failures = 0
        self._not_before = 0.0

    def wait(self) -> float:
        """Block (through the injected sleep) until the next try is allowed; returns the wait."""
        pause = self.remaining
        if pause > 0:
            self._sleep(pause)
        return pause

    def message(self) -> str:
        """What to tell the person after a wrong try."""
        pause = self.remaining
        if pause <= 0:
            return "That passphrase does not open this caseload. Check it and try again."
        return (
            "That passphrase does not open this caseload. After several wrong tries, "
            f"JourneyApp waits {pause:.0f} seconds before the next one."
        )
