"""Keeping a caseload safe: `passphrase`, `backup`, `restore`, `retention`, `erase`."""

from __future__ import annotations

from pathlib import Path

import click

from journeyapp.cli.options import (
    CaseloadTarget,
    FileName,
    WholeNumber,
    caseload_options,
    hidden_prompt,
    open_caseload,
    read_secret_file,
)
from journeyapp.cli.plans_cmds import by_id_start, not_found, told_apart
from journeyapp.core.access import Access
from journeyapp.core.file_names import wrong_ending
from journeyapp.core.text import backup_counts, quoted


@click.command()
@caseload_options
@click.option(
    "--new-passphrase-file",
    type=FileName(
        "new-passphrase.txt",
        does="read",
        dash="to pipe it in, leave out --new-passphrase-file: it is read twice, a line each",
        stream_ok=True,
    ),
    default=None,
    help="Read the new passphrase from this file instead of typing it twice.",
)
def passphrase(target: CaseloadTarget, new_passphrase_file: Path | None) -> None:
    """Change the caseload's passphrase (or encrypt an unencrypted caseload).

    A backup is made first. The passphrase is stored nowhere: keep it safe.

    \b
    Example:
        journeyapp passphrase --db caseload.db
        journeyapp passphrase --db caseload.db --new-passphrase-file new-passphrase.txt
    """
    from journeyapp.core.passphrase import GUIDANCE, assess

    if new_passphrase_file is not None:
        # Read before opening, so a wrong file is named before anything is asked or locked.
        new = read_secret_file(new_passphrase_file, "new passphrase")
    with open_caseload(target, access=Access.WHOLE) as caseload:
        if new_passphrase_file is not None:
            again = new
        else:
            click.echo(GUIDANCE, err=True)
            try:
                new = hidden_prompt("New passphrase")
                again = hidden_prompt("Type it again")
            except click.Abort:  # no input to read (a script, stdin closed) or Ctrl-C
                raise click.ClickException(
                    "The new passphrase was not typed, so the passphrase was not changed. Type "
                    "it twice when asked, or use --new-passphrase-file (for scripts)."
                ) from None
        verdict = assess(new, again)
        if not verdict.ok:
            raise click.ClickException(
                " ".join(verdict.problems) + " The passphrase was not changed."
            )
        note = caseload.safety.change_passphrase(caseload._key, new)
    click.echo(f"Passphrase changed for {target.path} ({verdict.strength}: {verdict.explanation})")
    if note:
        click.echo(note)


@click.command()
@caseload_options
@click.option(
    "--out",
    type=FileName("caseload-backup.db", dir_okay=False, kind="backup", thing="the backup"),
    default=None,
    help="Write the backup to this file (default: the backups folder beside the caseload).",
)
def backup(target: CaseloadTarget, out: Path | None) -> None:
    """Make a verified backup of the caseload (encrypted with the same passphrase).

    \b
    Example:
        journeyapp backup --db caseload.db
        journeyapp backup --db caseload.db --out /media/usb/caseload-backup.db
    """
    with open_caseload(target) as caseload:
        made = caseload.safety.backup(out)
    protection = "encrypted" if made.encrypted else "NOT encrypted (demo or unencrypted caseload)"
    click.echo(
        f"Backup written to {made.path}: {backup_counts(made.parents, made.events)}; "
        f"{protection}; checked by reopening it."
    )


@click.command()
@caseload_options
@click.argument(
    "backup_file",
    type=FileName(
        "backups/caseload-20261127-090000.db",
        does="read",
        wanted="a backup file (from the backups folder beside the caseload)",
    ),
)
def restore(target: CaseloadTarget, backup_file: Path) -> None:
    """Put a backup in place of the caseload; the current file is kept aside first.

    Close the window first: restore refuses while the caseload is open anywhere. An
    encrypted backup's passphrase comes from --passphrase-file, $JOURNEYAPP_PASSPHRASE or a prompt.

    \b
    Example:
        journeyapp restore --db caseload.db backups/caseload-20261127-090000.db
    """
    from journeyapp import security

    # A missing caseload is allowed (a backup restored onto a new laptop); a folder is not,
    # nor a name ending as another kind of file (report.pdf), as `new` refuses it.
    target.refuse_not_a_file()
    if not target.path.exists():
        refused = wrong_ending(target.path, target.given or "--db", "a caseload", "backup")
        if refused is not None:
            raise click.ClickException(refused)
    target.refuse_file_as_folder("restore the backup")
    if backup_file.is_dir():
        raise click.ClickException(
            f"{backup_file} is a folder, not a backup: give one of the backup files in it "
            f"(named after the caseload and when it was made, e.g. {target.path.stem}"
            "-20261127-090000.db). Nothing was changed."
        )
    if not backup_file.is_file():
        raise click.ClickException(
            f"There is no backup file at {backup_file}; backups are kept in the backups folder "
            "beside the caseload."
        )
    # While the window has the caseload open: said first, before its passphrase is asked for
    # or who would be erased again is said, as if the restore were going ahead.
    security.refuse_if_open(target.path)
    key = (
        target.ask_passphrase(of=backup_file)
        if security.describe(backup_file).needs_passphrase
        else None
    )
    again = security.erased_since(target.path, backup_file, key)
    if again:
        click.echo(security.erased_since_text(again), err=True)
    check, aside = security.restore(target.path, backup_file, key)
    click.echo(
        f"Restored {target.path} from {backup_file}: "
        f"{backup_counts(check.parents - again, check.events)}."
        + (f" Erased again: {again}." if again else "")
    )
    if aside is not None:
        click.echo(f"The previous file was kept at {aside}.")


@click.command()
@caseload_options
@click.option(
    "--years",
    type=WholeNumber(
        1, 50, what="the retention period (years since a journey's last activity)", example=6
    ),
    default=None,
    help="Set the retention period (years since last activity) before listing.",
)
def retention(target: CaseloadTarget, years: int | None) -> None:
    """List closed and moved-on journeys due for review (no activity for the retention period).

    Erase one with `journeyapp erase`.

    \b
    Example:
        journeyapp retention --db caseload.db
        journeyapp retention --db caseload.db --years 6
    """
    with open_caseload(target, access=Access.READ if years is None else Access.WRITE) as caseload:
        if years is not None:
            caseload.settings.set_retention_years(years)
        period = caseload.settings.retention_years
        due = caseload.safety.retention_due()
    if not due:
        click.echo(f"No closed journeys are older than {_years(period)} since their last activity.")
        return
    click.echo(f"{len(due)} closed journeys with no activity for {_years(period)} or more:")
    for item in due:
        click.echo(
            f"{item.participant_id}  {item.preferred_name}  ({item.status.replace('_', ' ')}, "
            f"last activity {item.last_activity.isoformat()})"
        )


def _years(n: int) -> str:
    return f"{n} year" if n == 1 else f"{n} years"


@click.command()
@caseload_options
@click.argument("participant")
@click.option(
    "--confirm-name",
    default=None,
    help="The parent's preferred name, to confirm without a prompt (for scripts).",
)
def erase(target: CaseloadTarget, participant: str, confirm_name: str | None) -> None:
    """Erase a parent's personal data everywhere (a record that they were erased remains).

    PARTICIPANT is their id (or its first 6 characters or more, as listed) or reference. You
    are asked to type their preferred name.
    Backups made earlier still hold their record until rotation removes them.

    \b
    Example:
        journeyapp erase --db caseload.db 5d0c7a9e-...
    """
    with open_caseload(target, access=Access.WHOLE) as caseload:
        found = caseload.find_participants(participant)
        # Their id or reference, or the start of their id as copied from a listing (found by
        # it, as the search finds an id's start no name holds); not part of a name.
        named = len(found) == 1 and (
            participant in (found[0].id, found[0].ref)
            or [p.id for p in by_id_start(caseload, participant)] == [found[0].id]
        )
        if not named:
            if not found:
                raise not_found(
                    caseload,
                    participant,
                    "Give their id or reference (part of their name lists the parents it "
                    "matches, with their ids).",
                )
            # Part of a name is never enough to erase (another parent could share it): the
            # parents it matches are listed with what to type instead.
            listed = "; ".join(told_apart(caseload, p) for p in found[:10])
            more = f", and {len(found) - 10} more" if len(found) > 10 else ""
            raise click.ClickException(
                f"Erasing needs a parent's id or reference, not part of a name, so that nobody "
                f"else is erased. {quoted(participant)} matches: {listed}{more}. Nothing was erased."
            )
        who = found[0]
        if confirm_name is None:
            click.echo(
                f"This erases {who.preferred_name}'s record, notes and journey log for good.",
                err=True,
            )
            try:
                confirm_name = str(click.prompt("Type their preferred name to confirm", err=True))
            except click.Abort:  # no input to read (a script, stdin closed) or Ctrl-C
                click.echo(err=True)  # end the prompt's line
                raise click.ClickException(
                    "No name was typed, so nothing was erased. Type their preferred name when "
                    "asked, or give it with --confirm-name (for scripts)."
                ) from None
        caseload.safety.erase_participant(who.id, confirm_name)
    click.echo(f"Erased the parent {who.id}; a record that they were erased remains.")


COMMANDS = (passphrase, backup, restore, retention, erase)
