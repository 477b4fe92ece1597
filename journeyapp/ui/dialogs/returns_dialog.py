"""The funder's return in the window: the postcode lookup, the answers to complete, the workbook."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from journeyapp.caseload import Caseload
from journeyapp.core.errors import JourneyError
from journeyapp.core.file_names import with_ending
from journeyapp.core.returns import Quarter, quarter_of
from journeyapp.exchange.lookup import LookupReport, import_lookup
from journeyapp.exchange.returns import (
    BUILT_IN_LAYOUT,
    Problem,
    build_return,
    check_return,
    default_mapping_path,
    layout_name,
    load_mapping,
)
from journeyapp.ui.dialogs.import_dialog import CheckThenImportDialog
from journeyapp.ui.dialogs.launch import open_window_modal
from journeyapp.ui.errors import show_error
from journeyapp.ui.operations import Operation
from journeyapp.ui.widgets.wheel import ChoiceBox

# Opens the parent a line of the check is about, at the record (and field) to put right.
OpenParent = Callable[[Problem], None]


class LookupDialog(CheckThenImportDialog[LookupReport]):
    """Partnership > Postcode lookup…: check the partnership's file, then make it the lookup."""

    title = "Postcode lookup"
    intro_text = (
        "The funder's return gives each parent's SIMD quintile (and urban/rural class) from "
        "their postcode, through a lookup file your partnership provides: any CSV or Excel "
        "file with a postcode column and a quintile column. The file is checked first; if "
        "any row needs correcting, the lookup is not changed."
    )
    file_text = "The lookup file"
    browse_caption = "Choose the postcode lookup"
    import_text = "Use this lookup"
    import_label = "Importing the lookup…"
    failed_text = "The file could not be used."
    stopped_text = "Stopped: the lookup was not changed."

    def _above_the_file(self) -> list[QWidget]:
        self.held = QLabel(self.caseload.areas.info().describe())
        self.held.setWordWrap(True)
        return [self.held]

    def _check_work(self, path: Path) -> Callable[[Caseload], LookupReport]:
        return lambda own: import_lookup(own, path, dry_run=True)

    def _import_work(self, checked: LookupReport) -> Callable[[Caseload], LookupReport]:
        return lambda own: import_lookup(own, checked.file, checked=checked)

    def _show(self, report: LookupReport) -> None:
        self.summary.setText("\n".join([report.summary(), *report.notes]))
        self.problems.clear()
        self.problems.addItems(report.problem_lines())
        self.problems.setVisible(bool(report.problems))
        self.held.setText(self.caseload.areas.info().describe())


def recent_quarters(today_quarter: Quarter, n: int = 8) -> list[Quarter]:
    """The quarter before this one first (the one usually being returned), then this one and
    those before."""
    quarters = [today_quarter]
    for _ in range(n - 1):
        quarters.append(quarters[-1].previous())
    return [quarters[1], quarters[0], *quarters[2:]]


class ReturnDialog(QDialog):
    """Partnership > Funder's return…: pick a quarter, see what to complete, save the workbook."""

    def __init__(
        self,
        caseload: Caseload,
        parent: QWidget | None = None,
        *,
        open_parent: OpenParent | None = None,
    ) -> None:
        super().__init__(parent)
        self.caseload = caseload
        self.open_parent = open_parent
        self.setWindowTitle("Funder's quarterly return")
        intro = QLabel(
            "One line per parent on the programme in the quarter, under the partnership's "
            "pseudonym and in codes only, and the tables with small counts withheld. Check the "
            "answers first: each line below opens the parent, so you can complete or correct it."
        )
        intro.setWordWrap(True)
        self.quarter = ChoiceBox()
        self.quarter.setAccessibleName("Quarter")
        for q in recent_quarters(quarter_of(caseload.today())):
            self.quarter.addItem(f"{q.name}  ({q.start:%d %b %Y} to {q.end:%d %b %Y})", q)
        # activated: a person chose (not the list emptied as the dialog closes).
        self.quarter.activated.connect(lambda _i: self.check())
        # The built-in layout by name (its install path means nothing to a person); a chosen
        # file by its path.
        self.mapping = QLineEdit(BUILT_IN_LAYOUT)
        self.mapping.setAccessibleName("Column layout (mapping file)")
        choose = QPushButton("Layout…")
        choose.setToolTip("Use your council's column layout (a copy of smf.toml, edited)")
        choose.clicked.connect(self._choose_mapping)
        top = QHBoxLayout()
        top.addWidget(QLabel("Quarter:"))
        top.addWidget(self.quarter)
        top.addWidget(self.mapping, 1)
        top.addWidget(choose)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.problems = QListWidget()
        self.problems.setAccessibleName("Answers to complete or correct")
        self.problems.setWordWrap(True)
        self.problems.itemActivated.connect(self._open)
        self.tables_only = QCheckBox("Only the tables (for publishing: no line per parent)")
        self.save_button = QPushButton("Save the return…")
        self.save_button.clicked.connect(self._save)
        self.recheck = QPushButton("Check again")
        self.recheck.clicked.connect(self.check)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.recheck, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.problems, 1)
        layout.addWidget(self.tables_only)
        layout.addWidget(buttons)
        self.found: list[Problem] = []
        self.operation: Operation[Any] | None = None
        self.resize(760, 520)
        # The list has the focus: arrow keys pick a line, Enter opens that parent.
        self.problems.setFocus()
        self.check()

    def current_quarter(self) -> Quarter:
        """The quarter chosen."""
        quarter: Quarter = self.quarter.currentData()
        return quarter

    def mapping_path(self) -> Path | None:
        """The layout file chosen, or None for the built-in one."""
        text = self.mapping.text().strip()
        return None if text in ("", BUILT_IN_LAYOUT) else Path(text)

    def _choose_mapping(self) -> None:
        chosen = self.mapping_path() or default_mapping_path()
        name, _ = QFileDialog.getOpenFileName(
            self, "Column layout", str(chosen.parent), "Layouts (*.toml)"
        )
        if name:
            self.mapping.setText(layout_name(Path(name)))

    def check(self) -> Operation[list[Problem]] | None:
        """List the answers the quarter's return still needs (worked out off the window's
        thread: a large partnership takes a second or two)."""
        if self.operation is not None and self.operation.running:
            return None
        quarter = self.current_quarter()
        self.summary.setText(f"Checking what the {quarter.name} return needs…")
        self._busy(True)
        self.operation = (
            Operation(
                parent=self,
                caseload=self.caseload,
                op=lambda own, _progress: check_return(own, quarter),
                success=lambda found: self._show(quarter, found),
                title="Funder's return",
            )
            .failure(self._failed)
            .run_in_background()
        )
        return self.operation

    def _busy(self, busy: bool) -> None:
        for button in (self.recheck, self.save_button):
            button.setEnabled(not busy)
        self.quarter.setEnabled(not busy)

    def _failed(self, exc: JourneyError) -> None:
        self._busy(False)
        self.summary.setText("That did not work; the message says why.")
        show_error(self, exc, "Funder's return")

    def _show(self, quarter: Quarter, found: list[Problem]) -> None:
        self._busy(False)
        self.found = found
        self.problems.clear()
        for n, problem in enumerate(found):
            item = QListWidgetItem(str(problem))
            item.setData(Qt.ItemDataRole.UserRole, n)
            if problem.participant_id:
                item.setToolTip("Double-click or press Enter to open this parent")
            self.problems.addItem(item)
        if self.problems.count():
            self.problems.setCurrentRow(0)
        parents = len({p.participant_id for p in found if p.participant_id})
        if found:
            self.summary.setText(
                f"{len(found)} answer{'s' if len(found) != 1 else ''} to complete or correct "
                f"for {parents} parent{'s' if parents != 1 else ''} in {quarter.name}. The "
                "return can be saved as it is; what is missing is left empty."
            )
        else:
            self.summary.setText(f"Everything the {quarter.name} return needs is recorded.")

    def _open(self, item: QListWidgetItem) -> None:
        n = item.data(Qt.ItemDataRole.UserRole)
        problem = self.found[n] if isinstance(n, int) and 0 <= n < len(self.found) else None
        if problem is not None and problem.participant_id and self.open_parent is not None:
            self.open_parent(problem)

    def _save(self) -> None:
        quarter = self.current_quarter()
        name, _ = QFileDialog.getSaveFileName(
            self,
            "Save the return",
            f"return-{quarter.name.replace(' ', '')}.xlsx",
            "Excel workbook (*.xlsx)",
        )
        if name:
            # The dialog saves a workbook: a name typed without .xlsx (or with another
            # ending) gets it, so the file opens as what its name says.
            out = with_ending(name, "xlsx")
            if out != Path(name) and out.exists():
                self.summary.setText(
                    f"{out.name} already exists; choose another name. Nothing was written."
                )
                return
            self.save_to(out)

    def save_to(self, out: Path) -> Operation[int] | None:
        """Write the chosen quarter's return to `out`, off the window's thread."""
        if self.operation is not None and self.operation.running:
            return None
        quarter = self.current_quarter()
        mapping_path = self.mapping_path()
        tables_only = self.tables_only.isChecked()

        def write(own: Caseload) -> int:
            mapping = load_mapping(mapping_path)
            result = build_return(own, quarter)
            result.write_xlsx(out, mapping, tables_only=tables_only)
            return len(result.people)

        def written(parents: int) -> None:
            self._busy(False)
            self.summary.setText(
                f"Saved the {quarter.name} tables to {out}."
                if tables_only
                else f"Saved the {quarter.name} return ({parents} "
                f"parent{'' if parents == 1 else 's'}) to {out}. Send the "
                "individual sheet only as your data-sharing agreement says; publish only the "
                "tables."
            )

        self._busy(True)
        self.operation = (
            Operation(
                parent=self,
                caseload=self.caseload,
                op=lambda own, _progress: write(own),
                success=written,
                title="Funder's return",
            )
            .with_progress(f"Writing the {quarter.name} return…")
            .failure(self._failed)
            .on_cancelled(lambda: self._busy(False))
            .run_in_background()
        )
        return self.operation


def open_lookup(parent: QWidget | None, caseload: Caseload) -> LookupDialog:
    """Show the postcode lookup dialog (window-modal)."""
    return open_window_modal(LookupDialog(caseload, parent))


def open_return(
    parent: QWidget | None, caseload: Caseload, open_parent: OpenParent | None = None
) -> ReturnDialog:
    """Show the funder's return beside the window, not blocking it: a line of its list opens
    the parent there, to be completed while the list stays open ("Check again" refreshes it).
    The window keeps one, shown again (and checked again) when asked for a second time."""
    kept = parent.findChild(ReturnDialog) if parent is not None else None
    if kept is not None and kept.caseload is caseload:
        kept.check()
    else:
        kept = ReturnDialog(caseload, parent, open_parent=open_parent)
    kept.setModal(False)
    kept.show()
    kept.raise_()
    kept.activateWindow()
    return kept
