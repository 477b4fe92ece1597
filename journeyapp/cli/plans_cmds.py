"""Printing progress plans: `plan` (one parent) and `plans` (everyone whose journey is open)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from journeyapp.cli.options import (
    CaseloadTarget,
    FileName,
    caseload_options,
    ids_starting,
    open_caseload,
    typed_id,
)
from journeyapp.core.access import Access
from journeyapp.core.dates import long_date
from journeyapp.core.search import ID_START_LEAST
from journeyapp.core.text import quoted

if TYPE_CHECKING:
    from journeyapp.caseload import Caseload
    from journeyapp.core.records import Participant

_CONTACT_HELP = (
    "How the parent can reach their keyworker, printed instead of the phone number from "
    "File > Settings for this print only, e.g. a mobile number (a short line: at most "
    "120 characters)."
)


def _contact_line(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    """The --contact line as printed; one longer than a contact line can be is refused before
    the caseload is opened (core.documents.sender.check_contact)."""
    from journeyapp.core.documents.sender import check_contact
    from journeyapp.core.errors import ValidationError

    try:
        return check_contact(value)
    except ValidationError as exc:
        raise click.BadParameter(exc.message) from None


contact_option = click.option("--contact", default="", help=_CONTACT_HELP, callback=_contact_line)


def by_id_start(caseload: Caseload, text: str) -> list[Participant]:
    """The parents whose id `text` is the start of (as copied from a listing: "af34001f"), when
    it is long enough and could be one (letters a-f, digits and dashes); else none."""
    start = typed_id(text)
    if len(start) < ID_START_LEAST or start.strip("0123456789abcdefABCDEF-"):
        return []
    # Only the parents whose id starts so are read (a start that names nobody in a caseload
    # of 10,000 read every parent), then the one rule for an id as typed picks among them.
    return caseload.participants_named(ids_starting(start, caseload.ids_starting(start)))


def not_found(caseload: Caseload, text: str, instead: str) -> click.ClickException:
    """The refusal of `text`, which names no parent: said as erased when it is the id of a
    parent who was (nothing is held about them), else with what to try (`instead`)."""
    if not text.strip():  # PARTICIPANT "" (a script's unset variable): nobody was named
        return click.ClickException(f"No parent was named (it is empty). {instead}")
    erased = caseload.erased_named(text)  # the whole id, or its start as listed
    if erased is not None:
        pid, day = erased
        when = f" on {long_date(day)}" if day is not None else ""
        return click.ClickException(
            f"The parent with the id {pid} was erased{when}: nothing about them is "
            "held here any more, only a note that they were erased. Nothing was done."
        )
    if not caseload.counts().get("participants"):
        # A new caseload: no name would do; what to do is enrol the first parent.
        instead = (
            "There are no parents in this caseload yet: enrol one with journeyapp parent "
            "--new --name NAME --locality PLACE (in the window: Parent > New parent…)."
        )
    return click.ClickException(f"No parent matches {quoted(text)}. {instead}")


def one_participant(caseload: Caseload, text: str) -> Participant:
    """The one parent `text` names (id or its start, reference, or part of the name); several =
    list them, exit 1."""
    # The one search: it finds the start of an id as copied from a listing too.
    matches = caseload.find_participants(text)
    if not matches:
        raise not_found(
            caseload,
            text,
            "Try part of their name, their reference, or their id (the whole of it, or its "
            f"first {ID_START_LEAST} characters or more).",
        )
    if len(matches) > 1:
        click.echo(f"{len(matches)} parents match {quoted(text)}:", err=True)
        for p in matches:
            click.echo(f"  {told_apart(caseload, p)}", err=True)
        raise click.ClickException(
            "Use more of the name, their reference, or one of the ids above."
        )
    return matches[0]


def told_apart(caseload: Caseload, p: Participant) -> str:
    """One line naming a parent with what tells them apart from another of the same name: their
    full name, reference, locality and keyworker, then their id."""
    full = f" ({p.full_name})" if p.full_name and p.full_name != p.preferred_name else ""
    parts = [f"{p.preferred_name}{full}"]
    if p.ref:
        parts.append(f"ref {p.ref}")
    if p.locality:
        parts.append(caseload.catalogue.label("localities", p.locality))
    if p.keyworker:
        parts.append(f"keyworker {p.keyworker}")
    parts.append(f"id {p.id}")
    return " · ".join(parts)


@click.command()
@click.argument("participant")
@caseload_options
@click.option(
    "--out",
    "out",
    type=FileName("plan.pdf", dir_okay=False, kind="pdf", thing="the plan"),
    required=True,
    help="The PDF file to write.",
)
@click.option("--large-print", is_flag=True, help="Print at 16 pt instead of 12 pt.")
@click.option(
    "--what-we-hold",
    is_flag=True,
    help='Print "What we hold about you" (everything held, for a subject-access request).',
)
@contact_option
@click.option(
    "--language",
    type=click.Choice(["en", "pl", "uk", "ar"]),
    default=None,
    help="Print in this language instead of the parent's own choice (en, pl, uk, ar).",
)
def plan(
    participant: str,
    target: CaseloadTarget,
    out: Path,
    large_print: bool,
    what_we_hold: bool,
    contact: str,
    language: str | None,
) -> None:
    """Print one parent's progress plan (or what we hold about them) as a PDF.

    PARTICIPANT is their id, their reference, or a unique part of their name.

    \b
    Example:
        journeyapp plan "Siobhán" --db caseload.db --out siobhan.pdf --large-print
        journeyapp plan "Kelly" --db caseload.db --out held.pdf --what-we-hold
    """
    from journeyapp.plans.documents import pdf_with_pages, write_file

    with open_caseload(target, access=Access.READ) as caseload:
        person = one_participant(caseload, participant)
        journey = caseload.journey(person.id)  # read once, for the plan and the note
        document = caseload.document(
            person.id,
            contact=contact,
            what_we_hold=what_we_hold,
            language=language or "",
            journey=journey,
        )
        data, pages = pdf_with_pages([document], large_print)
        ahead = "" if what_we_hold else caseload.dated_after_words(journey)
        nobody = "" if what_we_hold else _nobody_to_call(caseload, contact)
    write_file(out, data)
    counted = f"{pages} page{'s' if pages != 1 else ''}"
    click.echo(f"Wrote “{document.title}” for {person.preferred_name} to {out} ({counted}).")
    if nobody:
        click.echo(nobody, err=True)
    if ahead:
        # Left off the plan as not happened yet: said, so the keyworker can put it right.
        click.echo(f"Note: {ahead}", err=True)


@click.command()
@caseload_options
@click.option(
    "--out",
    "out",
    type=FileName(
        "plans",
        noun="a folder name",
        file_okay=False,
        kind="folder",
        thing="the plans go into a folder, one PDF each",
    ),
    required=True,
    help="The folder to write one PDF per parent into (made if missing).",
)
@click.option("--large-print", is_flag=True, help="Print at 16 pt instead of 12 pt.")
@contact_option
def plans(target: CaseloadTarget, out: Path, large_print: bool, contact: str) -> None:
    """Print a progress plan for every parent in the caseload, one PDF each.

    Parents whose journey is closed are left out. Files are named after the parent
    (accents folded) plus the start of their id, so two people with one name never clash.

    \b
    Example:
        journeyapp plans --db caseload.db --out plans/ --large-print
    """
    from journeyapp.core.enums import ParticipantStatus
    from journeyapp.core.file_trouble import storage_error
    from journeyapp.core.private_files import private_dir
    from journeyapp.plans.documents import pdf_bytes, safe_file_name, write_file

    written = 0
    ahead: list[str] = []
    with open_caseload(target, access=Access.READ) as caseload:
        everyone = caseload.participants()
        people = [p for p in everyone if p.status is not ParticipantStatus.CLOSED]
        if not people:
            raise click.ClickException(
                "Every parent's journey in this caseload is closed: there is no plan to print "
                "(journeyapp plan NAME prints one parent's)."
                if everyone
                else "There are no parents in this caseload yet, so no plans to print. Enrol "
                "your first parent in the window (Parent > New parent, Ctrl+N), or import a "
                "list of them (journeyapp import --db CASELOAD parents.xlsx)."
            )
        nobody = _nobody_to_call(caseload, contact)
        try:
            private_dir(out)  # 0700: plans for the whole caseload are personal data
        except OSError as exc:  # said as a plan's file is, not in the system's words
            raise storage_error(exc, out, "make the folder for the plans") from None
        with click.progressbar(people, label="Printing plans", file=sys.stderr) as bar:
            for person in bar:
                journey = caseload.journey(person.id)  # read once, for the plan and the note
                document = caseload.document(person.id, contact=contact, journey=journey)
                name = person.full_name or person.preferred_name
                write_file(
                    out / safe_file_name(name, person.id), pdf_bytes([document], large_print)
                )
                written += 1
                if journey.dated_after(caseload.today()):
                    ahead.append(person.preferred_name)
    click.echo(f"Wrote {written} plan{'s' if written != 1 else ''} to {out}.")
    if nobody:
        click.echo(nobody, err=True)
    if ahead:
        # Left off their plans as not happened yet: named, so the keyworker can put it right.
        click.echo(
            f"Note: {len(ahead)} plan{'s leave' if len(ahead) != 1 else ' leaves'} out records dated "
            f"after today, not counted as happened yet ({', '.join(ahead[:10])}"
            f"{', …' if len(ahead) > 10 else ''}). Check the dates: `journeyapp plan NAME` "
            "names them.",
            err=True,
        )


def _nobody_to_call(caseload: Caseload, contact: str) -> str:
    """A note when the plans give the parent no number or email to reach their keyworker
    ("Ask your keyworker for a number to call."): where to put one ("" when they give one)."""
    if contact or caseload.settings.sender().reachable:
        return ""
    return (
        "Note: no phone number or email is printed under “Who to call” (it says “Ask your "
        "keyworker for a number to call.”): put yours in the window's File > Settings, once, "
        'or give one for this print with --contact "07700 900123".'
    )


COMMANDS = (plan, plans)
