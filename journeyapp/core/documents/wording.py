"""The fixed words of printed documents in the parent's language: gettext sentences, Babel dates.

A sentence missing from a language's catalogue (or whose translation is broken) prints in
English, so a page never breaks; the parent's own words are never translated.
"""

from __future__ import annotations

import gettext
from datetime import date
from functools import cache
from pathlib import Path

# The languages printed documents ship in: code -> the language's own name.
LANGUAGES: dict[str, str] = {
    "en": "English",
    "pl": "Polski",
    "uk": "Українська",
    "ar": "العربية",
}
# For a keyworker choosing a parent's language: the English name, then the language's own.
PRINT_LANGUAGES: dict[str, str] = {
    "en": "English",
    "pl": "Polish (Polski)",
    "uk": "Ukrainian (Українська)",
    "ar": "Arabic (العربية)",
}
RIGHT_TO_LEFT = frozenset({"ar"})
DOMAIN = "journeyapp"
# Babel's locale for each language (English dates as written in the UK: "3 March 2026").
_LOCALES = {"en": "en_GB", "pl": "pl_PL", "uk": "uk_UA", "ar": "ar"}
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def language_name(code: str) -> str:
    """The language's own name ("Polski"), or the code itself when unknown."""
    return LANGUAGES.get(code, code)


class Words:
    """Translates and fills in the fixed sentences of one document in one language."""

    def __init__(self, language: str = "en", folder: Path | None = None) -> None:
        self.language = language if language in LANGUAGES else "en"
        self.rtl = self.language in RIGHT_TO_LEFT
        self._catalogue = _translations(self.language, folder)

    def __call__(self, message: str, /, **values: object) -> str:
        """`message` in this language with `{name}` places filled; English when missing or broken."""
        if not message:
            return message  # gettext's "" is the catalogue's header, never a sentence
        translated = self._catalogue.gettext(message) if self._catalogue else message
        if not values:
            return translated  # no places to fill (a label may hold braces of its own)
        if self.rtl:
            # On a right-to-left page each filled-in value is isolated, so a phone number,
            # an email or an English name keeps its own order inside the Arabic sentence.
            values = {k: f"\u2068{v}\u2069" for k, v in values.items()}
        if translated != message:
            try:
                return translated.format(**values)
            except (KeyError, IndexError, ValueError, AttributeError):
                pass  # a broken translation falls back to the English sentence
        return message.format(**values)

    def has(self, message: str) -> bool:
        """True when this language has its own words for `message` (English always does)."""
        if self.language == "en":
            return True
        return self._catalogue is not None and self._catalogue.gettext(message) != message

    def date(self, day: date) -> str:
        """A date as people write it in this language: "3 March 2026", "3 marca 2026"."""
        if self.language == "en":
            # The common case needs no locale data (and every laptop prints the same).
            return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
        from babel.dates import format_date  # only when printing in another language

        return str(format_date(day, "d MMMM y", locale=_LOCALES[self.language]))

    def number(self, value: int) -> str:
        """A whole number written the way this language writes it."""
        if self.language == "en":
            return str(value)
        from babel.numbers import format_decimal

        return str(format_decimal(value, locale=_LOCALES[self.language]))


@cache
def _translations(language: str, folder: Path | None) -> gettext.NullTranslations | None:
    if language == "en" or folder is None:
        return None
    try:
        return gettext.translation(DOMAIN, localedir=str(folder), languages=[language])
    except OSError:
        return None  # no catalogue for this language: every sentence prints in English


def long_date(day: date) -> str:
    """A date in English as a parent writes it: "3 March 2026"."""
    return Words().date(day)
