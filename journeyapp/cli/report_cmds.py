"""The programme report: `report` (a module of its own, so running it builds no other
command: issue 18)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from journeyapp.cli.options import (
    CaseloadTarget,
    FileName,
    caseload_options,
    date_options,
    open_caseload,
)
from journeyapp.core.access import Access
from journeyapp.core.bulk import loading_code
from journeyapp.core.file_names import kind_of_name, wrong_ending
from journeyapp.core.text import quoted

if TYPE_CHECKING:
    from journeyapp.caseload import Caseload


def locality_key(caseload: Caseload, locality: str | None) -> str | None:
    """The key of a locality typed as its key or its label, whether the catalogue lists it or
    only parents are recorded in it (as the report shows it); any other is refused. None
    (every locality) when not given or given as "" (as the export always took it)."""
    if not locality:
        return None
    catalogue, held = caseload.catalogue, caseload.localities()
    found = catalogue.find_key("localities", locality, held)
    if found is None:
        known = ", ".join(
            key if key in catalogue.key_set("localities") else label
            for key, label in catalogue.choices("localities", held)
        )
        raise click.ClickException(f"Locality {quoted(locality)} is unknown; use one of: {known}.")
    return found


_FORMATS = ("text", "json", "csv", "xlsx", "pdf")


def report_format(fmt: str | None, out: Path | None) -> str:
    """The report's format: --format, or the one --out's name ends with (report.pdf), else
    text; refused in one line when the name's ending says another format than --format."""
    if out is not None:
        fmt = fmt or kind_of_name(out, _FORMATS) or "text"
        refused = wrong_ending(out, "--out", f"the {fmt} report", fmt)
        if refused is not None:
            raise click.ClickException(refused)
    return fmt or "text"


@click.command()
@caseload_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(_FORMATS),
    default=None,
    help="text (to the screen unless --out), json, csv (numbers as numbers), xlsx or pdf "
    "(xlsx and pdf need --out). Without it: the ending of --out's name (report.pdf), or text.",
)
@click.option(
    "--out",
    type=FileName("report.pdf", screen=True, dir_okay=False),
    help="File to write (- for the screen, as without --out: text, json and csv).",
)
@date_options
@click.option("--locality", help="Only parents in this locality (key or name).")
@click.option(
    "--exact",
    is_flag=True,
    help="Show counts under 5 exactly (for your own use only; never publish these).",
)
def report(
    target: CaseloadTarget,
    fmt: str | None,
    out: Path | None,
    since: Any,
    until: Any,
    locality: str | None,
    exact: bool,
) -> None:
    """The programme report: reach, stages, milestones, distance travelled and more.

    No names are shown. Counts from 1 to 4 appear as "withheld", and so do a few larger ones
    chosen so that no small count can be worked out from totals, other rows or the same report
    for each locality. Pauses are shown as the parents' own choice to take a break.

    \b
    Example:
        journeyapp report --db coordinator.db
        journeyapp report --db coordinator.db --format pdf --out report.pdf --from 2026-04-01
        journeyapp report --db coordinator.db --format json --locality fife
    """
    fmt = report_format(fmt, out)  # before the report's code is loaded: nothing to wait for
    if "journeyapp.exchange.report" not in sys.modules:  # loaded once a process
        with loading_code():  # the report's code, and the caseload's with it
            import journeyapp.exchange.report  # noqa: F401
    from journeyapp.exchange.report import (
        EXACT_USE,
        build_report,
        nobody_yet,
        refuse_period_to_come,
    )

    if fmt in ("pdf", "xlsx") and out is None:
        raise click.ClickException(
            f"The {fmt} report is a file, not shown on the screen: give --out FILE.{fmt}."
        )
    if out is not None and out.exists():
        raise click.ClickException(f"{out} already exists; choose a new file name.")
    with open_caseload(target, access=Access.READ) as caseload:
        refuse_period_to_come(since, caseload.today())
        programme = build_report(
            caseload, since=since, until=until, locality=locality_key(caseload, locality)
        )
    suppress = not exact
    # A new caseload's report: what to do first, beside it (the report itself stays as is).
    first = nobody_yet(programme, since, until, locality)

    def written() -> None:
        click.echo(f"Wrote the programme report to {out}.")
        if exact:  # the file holds counts that can pick a parent out
            click.echo(f"Its small counts are exact: {EXACT_USE}")
        if first:
            click.echo(f"Note: {first}", err=True)

    if fmt == "pdf":
        assert out is not None
        from journeyapp.plans.report import write_report_pdf

        write_report_pdf(
            out,
            programme.title,
            programme.period,
            programme.pdf_sections(suppress),
            footnote=programme.pdf_footnote(suppress),
        )
        written()
        return
    if fmt == "xlsx":  # the report's table as numbers in a workbook
        assert out is not None
        programme.write_xlsx(out, suppress)
        written()
        return
    text = {"text": programme.to_text, "json": programme.to_json, "csv": programme.to_csv}[fmt](
        suppress
    )
    if out is None:
        click.echo(text, nl=False)
        if first:
            click.echo(f"Note: {first}", err=True)
        return
    from journeyapp.exchange.report import write_report_file

    write_report_file(out, text.encode("utf-8-sig" if fmt == "csv" else "utf-8"))
    written()


COMMANDS = (report,)
