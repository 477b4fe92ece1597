"""What a printed document is made of: items, sections, the chart, who it is from (no wording here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

# Sender lives in its own module (the window and the store read it without loading the rest of
# the document model); it is named here too, as part of what a document is made of.
from journeyapp.core.documents.sender import Sender

__all__ = ["ActionPlan", "Item", "Radar", "Section", "Sender", "Series", "Table"]


@dataclass(frozen=True)
class Item:
    """One entry in a section: a main line and smaller lines under it (status, who, by when)."""

    text: str
    details: tuple[str, ...] = ()
    # "todo": a box the parent can tick by hand; "done": already ticked; "": a plain bullet;
    # "sub": a step printed under its goal (indented, its own box).
    mark: str = ""


@dataclass(frozen=True)
class Series:
    """One self-assessment drawn on the chart: its label, a score per area, and its line style."""

    label: str
    scores: tuple[int, ...]
    dashed: bool


@dataclass(frozen=True)
class Radar:
    """The "how far you have come" chart: area names spelled out, first (dashed) and latest (solid)."""

    areas: tuple[str, ...]
    series: tuple[Series, ...]
    maximum: int = 10


@dataclass(frozen=True)
class Table:
    """A compact table (the change history): a header row and rows of short cells."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    # Each column's share of the width (equal shares when empty).
    widths: tuple[float, ...] = ()


@dataclass(frozen=True)
class Section:
    """A part of the document with a heading; only built when it has something to say."""

    key: str
    heading: str
    intro: tuple[str, ...] = ()
    items: tuple[Item, ...] = ()
    outro: tuple[str, ...] = ()
    chart: Radar | None = None
    table: Table | None = None
    write_space: bool = False
    # Plans run an item's details together as short sentences; a record listing puts each
    # "label: value" detail on its own line.
    compact: bool = True
    # The front page ends after the last section marked `front`.
    front: bool = False

    def text(self) -> str:
        """Every word of the section, for search and tests."""
        parts = [self.heading, *self.intro]
        for item in self.items:
            parts.append(item.text)
            parts.extend(item.details)
        parts.extend(self.outro)
        if self.chart is not None:
            parts.extend(self.chart.areas)
            parts.extend(s.label for s in self.chart.series)
        if self.table is not None:
            parts.append(" ".join(self.table.header))
            parts.extend(" ".join(row) for row in self.table.rows)
        return "\n".join(parts)


@dataclass(frozen=True)
class ActionPlan:
    """A printed document (the plan, or "What we hold about you"): a title block, then sections."""

    title: str
    name: str
    printed_on: date
    subtitle: str
    sections: tuple[Section, ...]
    footer: str = ""
    document: str = "plan"
    language: str = "en"
    rtl: bool = False
    # Words the renderer draws itself, in the document's language ("Page {page} of {pages}").
    page_words: str = "Page {page} of {pages}"
    sender: Sender = field(default_factory=Sender)

    def section(self, key: str) -> Section | None:
        """The section with this key, or None when the document leaves it out."""
        return next((s for s in self.sections if s.key == key), None)

    @property
    def keys(self) -> tuple[str, ...]:
        """The keys of the sections present, in order."""
        return tuple(s.key for s in self.sections)

    def text(self) -> str:
        """Every word of the document, for search and tests."""
        return "\n".join([self.title, self.subtitle, *(s.text() for s in self.sections)])
