"""Passphrase guidance (what makes a good one) and the throttle that slows repeated wrong tries.

One strength rule for caseloads and bundles, in the window and on the command line (issue 17):
the house rules below (length, no repeats or runs, not a first guess) and a measured estimate
of how many guesses an attacker would need (zxcvbn: dictionaries, names, keyboard patterns,
dates, l33t). SQLCipher spends about 0.35 s of one core per guess, so 10^10 guesses is decades
for one laptop's thief and still months for a rack of graphics cards.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

MIN_LENGTH = 12
MAX_LENGTH = 1024
# log10 of the guesses an attacker needs, by zxcvbn's estimate: below this, refused.
MIN_GUESSES_LOG10 = 10.0
# Words anyone would try first against this app's files.
_APP_WORDS = ("journeyapp", "journey", "keyworker", "caseload", "bundle", "parent", "lone")

_CHOOSING = (
    "Choose a passphrase of at least 12 characters: three or four ordinary words that mean "
    "something only to you work well (for example four unrelated words with spaces). "
)
GUIDANCE = _CHOOSING + (
    "It protects the parents' records if this laptop is lost. It is not stored anywhere: "
    "if it is forgotten, the caseload cannot be opened, so keep it somewhere safe away from "
    "the laptop, as your organisation advises."
)
# A bundle's passphrase is not the caseload's: it protects the file on its way to the
# coordinator, and the coordinator needs to be told it.
BUNDLE_GUIDANCE = _CHOOSING + (
    "It protects the parents' records while this file travels to your coordinator. It is not "
    "stored anywhere: tell it to your coordinator in person or by phone, never with the file. "
    "If it is forgotten, the file cannot be opened; you can send a new one."
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


def guesses_log10(passphrase: str, hints: Sequence[str] = ()) -> float:
    """log10 of the guesses needed to find `passphrase` (zxcvbn), knowing the `hints`."""
    from zxcvbn import zxcvbn  # type: ignore[import-untyped]  # imported when asked: it loads its word lists (~40 ms)

    sample = passphrase[:100]  # zxcvbn slows down sharply on very long input; 100 is plenty
    words = [w for hint in (*_APP_WORDS, *hints) for w in hint.split() if w]
    return float(zxcvbn(sample, user_inputs=words)["guesses_log10"])


def assess(
    passphrase: str,
    again: str | None = None,
    *,
    not_the_same_as: Sequence[str | bytes | None] = (),
    hints: Sequence[str] = (),
) -> Verdict:
    """Check a candidate passphrase (and its second typing, when given) against the policy.

    Rules: at least 12 characters, not one word or character repeated, not a plain sequence,
    not a well-known password, at least 10^10 guesses by zxcvbn's estimate, not one of
    `not_the_same_as` (a bundle must not reuse the caseload's own passphrase), and typed the
    same twice. `hints` are words an attacker would know (the keyworker's name, the file's).
    """
    text = normalise(passphrase)
    problems: list[str] = []
    if len(text) < MIN_LENGTH:
        problems.append(
            f"It is {len(text)} character{'' if len(text) == 1 else 's'} long; use at least "
            f"{MIN_LENGTH} "
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
    if any(
        isinstance(other, str) and other and normalise(other) == text for other in not_the_same_as
    ):
        problems.append(
            "It is the caseload's own passphrase; choose a different one for the bundle, so "
            "whoever opens the bundle cannot open the caseload too."
        )
    measured = guesses_log10(text, hints) if text.strip() else 0.0
    if not problems and measured < MIN_GUESSES_LOG10:
        problems.append(
            "It is made of words or patterns that are guessed early (common words, names, "
            "dates, keyboard runs); add another uncommon word or two."
        )
    if again is not None and normalise(again) != text:
        # Typed in two boxes in the window, at two prompts on the command line.
        problems.append("The two passphrases are not the same; type the same one both times.")
    strength, explanation = _strength(measured, bool(problems))
    return Verdict(tuple(problems), strength, explanation)


def _strength(measured: float, refused: bool) -> tuple[str, str]:
    if refused:
        return "too weak", "Someone with a stolen laptop could guess this quickly."
    if measured >= 16:
        return "strong", "Long and varied: it would take a very long time to guess."
    if measured >= 12:
        return "good", "A good passphrase; another word would make it stronger still."
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
        sleep: Callable[[float], None] | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self.free = free
        self.base = base
        self.cap = cap
        self._sleep = sleep or time.sleep
        self._clock = clock or time.monotonic
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
            f"JourneyApp waits {seconds(pause)} before the next one."
        )


def waiting_words(failures: int, waiting: float) -> str:
    """What a passphrase box says while wrong tries from before hold the next back: "After 4
    wrong tries, JourneyApp waits 8 seconds before the next one." (a wait under a second is
    said as 1 second)."""
    tries = "1 wrong try" if failures == 1 else f"{failures} wrong tries"
    return f"After {tries}, JourneyApp waits {seconds(max(waiting, 1))} before the next one."


def seconds(pause: float) -> str:
    """A wait in words: "1 second", "8 seconds" (rounded to whole seconds)."""
    whole = round(pause)
    return f"{whole} second{'' if whole == 1 else 's'}"


class RememberedThrottle(Throttle):
    """A Throttle that keeps its wrong tries in a small file, per caseload or bundle, so that
    starting the command again (or the window) does not start the count again (issue 17).

    The file holds a hash of the file's path, the count and the time the next try is
    allowed; nothing else. Times are wall-clock seconds, as they must survive a restart.
    """

    def __init__(self, state_file: Path, target: Path, **options: object) -> None:
        options.setdefault("clock", time.time)
        super().__init__(**options)  # type: ignore[arg-type]  # the Throttle keywords
        self.state_file = Path(state_file)
        # Imported here: only an encrypted caseload's throttle hashes (OpenSSL, issue 18).
        import hashlib

        self.name = hashlib.sha256(str(Path(target).resolve()).encode()).hexdigest()[:32]
        entry = self._load().get(self.name)
        if isinstance(entry, dict):
            self.failures = int(entry.get("failures", 0))
            self._not_before = float(entry.get("not_before", 0.0))

    def _load(self) -> dict[str, object]:
        with contextlib.suppress(OSError, ValueError):
            data = json.loads(self.state_file.read_text(encoding="utf-8"))
            if isinstance(data, dict):
                return data
        return {}

    def _save(self) -> None:
        data = self._load()
        now = self._clock()
        # Forget entries whose delay ended over a day ago, so the file stays small.
        data = {
            k: v
            for k, v in data.items()
            if isinstance(v, dict) and float(v.get("not_before", 0.0)) > now - 86_400
        }
        if self.failures:
            data[self.name] = {"failures": self.failures, "not_before": self._not_before}
        else:
            data.pop(self.name, None)
        with contextlib.suppress(OSError):
            self.state_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            tmp = self.state_file.with_name(self.state_file.name + ".partial")
            tmp.write_text(json.dumps(data), encoding="utf-8")
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.state_file)

    def failed(self) -> float:
        """Record a wrong try (and keep it for the next run); returns the delay imposed."""
        delay = super().failed()
        self._save()
        return delay

    def succeeded(self) -> None:
        """A right passphrase: forget the failures here and in the file. With none to forget
        (the usual unlock) the file is left as it is: no write between Enter and the window
        (#18)."""
        to_forget = self.failures > 0 or self.name in self._load()
        super().succeeded()
        if to_forget:
            self._save()
