"""The workspace's sections in tab order (sections still being built show a short note)."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from journeyapp.caseload import Caseload
from journeyapp.ui.workspace.common import Section, wrapping_label
from journeyapp.ui.workspace.contacts import ContactsSection


class _Coming(Section):
    """A section not built yet."""

    def __init__(self, caseload: Caseload, title: str, parent: QWidget | None = None) -> None:
        self.title = title
        super().__init__(caseload, parent)
        layout = QVBoxLayout(self)
        layout.addWidget(wrapping_label(f"{title}: coming soon."))
        layout.addStretch(1)


def placeholder_sections(caseload: Caseload) -> list[Section]:
    """Every section after About, in the order of the tabs."""
    titles = [
        "Journey",
        "Goals",
        "Choices",
        "Pace",
        "Self-assessment",
        "Contacts",
        "Referrals",
        "Strengths and barriers",
        "Feedback",
    ]
    sections: list[Section] = []
    for title in titles:
        if title == "Contacts":
            sections.append(ContactsSection(caseload))
        else:
            sections.append(_Coming(caseload, title))
    return sections
