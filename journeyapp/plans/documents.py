"""From one parent's document (core.documents.build_document) to PDF bytes, and safe file
names for plans written in a batch."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from pathlib import Path

from journeyapp import paths
from journeyapp.core.documents import ActionPlan
from journeyapp.core.file_names import name_part
from journeyapp.core.private_files import write_private
from journeyapp.plans.render import Progress, render_plans


def pdf_with_pages(
    plans: Sequence[ActionPlan], large_print: bool = False, progress: Progress | None = None
) -> tuple[bytes, int]:
    """One or more plans rendered into a single PDF: its bytes and how many pages it has.

    `progress(done, total)` is called as the pages are laid out; raising from it stops the build.
    """
    buffer = io.BytesIO()
    pages = render_plans(plans, buffer, large_print, progress)
    return buffer.getvalue(), pages


def pdf_bytes(plans: Sequence[ActionPlan], large_print: bool = False) -> bytes:
    """One or more plans rendered into a single PDF, as bytes."""
    return pdf_with_pages(plans, large_print)[0]


def safe_file_name(name: str, participant_id: str, *, prefix: str = "plan") -> str:
    """A file name any system accepts: "plan-siobhan-kelly-1a2b3c4d.pdf", "plan-олена-
    1a2b3c4d.pdf" (the name as core.file_names.name_part keeps it, in any script; no paths).

    The id fragment keeps two parents with the same name from overwriting each other.
    """
    slug = name_part(name, "parent")
    tail = re.sub(r"[^A-Za-z0-9]", "", participant_id)[:8] or "x"
    return f"{prefix}-{slug}-{tail}.pdf"


def write_file(path: Path, data: bytes) -> None:
    """Write a whole file or nothing (a temp file renamed into place); failures as StorageError.
    A file already there is written over only if it is a PDF (never a caseload given by mistake)."""
    write_private(
        path,
        data,
        register=paths.in_progress_register(),
        doing="write the PDF",
        suffix=".pdf",
        replaces=(b"%PDF-", "a PDF"),
    )
