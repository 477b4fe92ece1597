"""Helpers both documents share: the parent's words quoted and shortened, who does a step."""

from __future__ import annotations

from collections.abc import Iterable

from journeyapp.core.catalogue import Catalogue, Entry
from journeyapp.core.documents.wording import Words
from journeyapp.core.enums import Voice
from journeyapp.core.records import Choice, Step

# Longer words than this are shortened on the plan (never in "What we hold about you").
PLAN_LIMIT = 280


class Quoter:
    """Puts the parent's words in quotation marks, saying "in your words" the first time only.

    With `limit`, words longer than that are cut at a word boundary and end with
    "(the full words are in your record)".
    """

    def __init__(self, words: Words, limit: int | None = None) -> None:
        self.t = words
        self.limit = limit
        self.used = False

    def short(self, text: str) -> str:
        """`text` cut to the plan's limit at a word boundary, saying where the rest is (on a
        right-to-left page, isolated: see `isolated`)."""
        text = " ".join(text.split())  # a note's line breaks and runs of spaces, as one line
        if self.limit is None or len(text) <= self.limit:
            return isolated(text, self.t)
        cut = text[: self.limit]
        if " " in cut[self.limit // 2 :]:
            cut = cut[: cut.rindex(" ")]
        more = self.t("(the full words are in your record)")
        return isolated(cut.rstrip(" ,.;:") + "…", self.t) + " " + more

    def __call__(self, text: str, voice: Voice | str = Voice.PARENT) -> str:
        text = self.short(text.strip())
        if str(voice) != Voice.PARENT.value:
            # Written by the keyworker or agreed together: not the parent's verbatim words.
            return text
        quoted = self.t("“{words}”", words=text)
        if not self.used:
            self.used = True
            return self.t("{quoted} (in your words)", quoted=quoted)
        return quoted


def isolated(text: str, t: Words) -> str:
    """`text` (words as someone wrote them, in any language) as a line of a right-to-left page
    prints it in its own order: isolated, as a filled-in value is (Words), so an English step
    or label keeps its full stop on the right ("Phone the college.", not ".Phone the
    college"); as it is on a left-to-right page."""
    return f"\u2068{text}\u2069" if t.rtl and text else text


def who_does(step: Step, catalogue: Catalogue, keyworker: str, t: Words) -> str:
    """Who does a step, in plain words: "you", "your keyworker, Morag", a partner's name."""
    if step.who == "me":
        return t("you")
    if step.who == "keyworker":
        return t("your keyworker, {name}", name=keyworker) if keyworker else t("your keyworker")
    return catalogue.label("partners", step.who)


def latest_choices(choices: Iterable[Choice]) -> list[Choice]:
    """The latest decision per service (a parent can change their mind), in first-decided order."""
    latest: dict[str, Choice] = {}
    for choice in sorted(choices, key=lambda c: (c.decided_on, c.created_at)):
        latest.pop(choice.service, None)
        latest[choice.service] = choice
    return list(latest.values())


def service_words(choice: Choice, catalogue: Catalogue, t: Words) -> str:
    """A service's name (in the partnership's words for the language, or translated when it is
    one of the default catalogue's), and its provider."""
    name = label(catalogue, "services", choice.service, t)
    if choice.provider.strip():
        return t("{service}, with {provider}", service=name, provider=choice.provider.strip())
    return name


def label(catalogue: Catalogue, list_name: str, key: str, t: Words) -> str:
    """A catalogue label in the document's language: the partnership's own (label_pl = "…"),
    else the translation of a default label; a label with neither stays as written."""
    entry = catalogue.entry(list_name, key)
    if entry is None:
        # Retired from the catalogue since (or from a laptop with another one): still the
        # parent's, printed in words ("Money advice"), not as a key ("money_advice").
        return catalogue.label(list_name, key)
    return entry_words(entry, "label", t) or t(entry.label)


def entry_words(entry: Entry | None, field: str, t: Words) -> str:
    """An entry's label, low or high in the document's language: the partnership's own words
    for it, else the translation of the English; "" when the entry has none."""
    if entry is None:
        return ""
    own = entry.words(field, t.language)
    if own:
        return own
    english = str(getattr(entry, field))
    if not english:
        return ""
    if not t.has(english):
        # The partnership's English words on a right-to-left page keep their own order, their
        # full stop on the right (it printed ".I feel fine" in the Arabic plan's "10 means").
        return isolated(english, t)
    return t(english)
