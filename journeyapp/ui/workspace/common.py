"""Where the workspace's shared pieces used to live, kept so older imports still work.

Split by job (#12): labels and layouts in ui.widgets.layout, forms and FormDialog in
ui.widgets.forms, the date field in ui.widgets.date_edit, record tables in
ui.widgets.record_table, the Section base in ui.workspace.section, and words (dates in one
place: core.dates) in ui.formatting. New code imports from those.
"""

from __future__ import annotations

from journeyapp.ui.formatting import DATE_HINT, fmt_date, input_date, quote, voice_words
from journeyapp.ui.widgets.forms import (
    FieldForm,
    FormDialog,
    TextBox,
    area_combo,
    combo_key,
    field_date,
    field_with_message,
    fill_combo,
    heading_row,
    optional_field_date,
    voice_combo,
)
from journeyapp.ui.widgets.layout import (
    REMOVED_PROPERTY,
    SPACING,
    WrapLabel,
    clear_layout,
    heading,
    is_removed,
    layout_widgets,
    muted,
    scrolled,
    set_muted,
    show_items,
    wrapping_label,
)
from journeyapp.ui.widgets.record_table import (
    RECORD_ROLE,
    Column,
    RecordTableModel,
    fit_rows,
    record_table,
)
from journeyapp.ui.workspace.section import Section

__all__ = [
    "DATE_HINT",
    "RECORD_ROLE",
    "REMOVED_PROPERTY",
    "SPACING",
    "Column",
    "FieldForm",
    "FormDialog",
    "RecordTableModel",
    "Section",
    "TextBox",
    "WrapLabel",
    "area_combo",
    "clear_layout",
    "combo_key",
    "field_date",
    "field_with_message",
    "fill_combo",
    "fit_rows",
    "fmt_date",
    "heading",
    "heading_row",
    "input_date",
    "is_removed",
    "layout_widgets",
    "muted",
    "optional_field_date",
    "quote",
    "record_table",
    "scrolled",
    "set_muted",
    "show_items",
    "voice_combo",
    "voice_words",
    "wrapping_label",
]
