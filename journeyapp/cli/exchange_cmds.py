"""Sharing between laptops and reporting: `export`, `partnership-key`, `bundle`, `merge`,
`decisions`, `import`, `lookup`, `return` (`report` is in report_cmds)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from journeyapp.cli.options import (
    CaseloadTarget,
    FileName,
    bundle_passphrase_option,
    caseload_options,
    date_options,
    given_bundle_passphrase,
    key_file_option,
    key_file_to_read,
    keyworker_name,
    one_id,
    open_caseload,
    read_bundle_passphrase,
)
from journeyapp.cli.progress import ProgressBar
from journeyapp.cli.report_cmds import locality_key
from journeyapp.core.access import Access
from journeyapp.core.file_names import file_ending_for_folder, kind_of_name, wrong_ending

if TYPE_CHECKING:
    from journeyapp.caseload import Caseload
    from journeyapp.core.merge import MergeResult


@click.command()
@caseload_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "jsonl", "xlsx"]),
    default=None,
    help="csv and jsonl: a folder with one file per table; xlsx: one workbook. "
    "Without it: xlsx for a name ending .xlsx, csv otherwise.",
)
@click.option(
    "--out",
    type=FileName("q1.xlsx", noun="a folder or .xlsx file name"),
    required=True,
    help="Folder or .xlsx file.",
)
@date_options
@click.option("--locality", help="Only parents in this locality (key or name).")
@click.option("--keyworker", help="Only this keyworker's parents.")
@click.option(
    "--identifiable",
    is_flag=True,
    help="Include names, contact details and notes (recorded in the journey log).",
)
@click.option("--yes", is_flag=True, help="Do not ask to confirm an identifiable export.")
@key_file_option("The partnership's pseudonym key file, so exports from every laptop line up.")
def export(
    target: CaseloadTarget,
    fmt: str | None,
    out: Path,
    since: Any,
    until: Any,
    locality: str | None,
    keyworker: str | None,
    identifiable: bool,
    yes: bool,
    key_file: Path | None,
) -> None:
    """Export every table and the journey log (pseudonymised unless --identifiable).

    Pseudonymised exports hold no names, contact details, dates of birth (an age band instead)
    or free text, and every parent appears under a keyed pseudonym.

    \b
    Example:
        journeyapp export --db caseload.db --format xlsx --out q1.xlsx --from 2026-01-01 --to 2026-03-31
        journeyapp export --db caseload.db --format csv --out q1-csv --locality fife
    """
    from journeyapp.exchange.export import ExportOptions, read_key_file
    from journeyapp.exchange.export import export as run_export

    fmt = fmt or ("xlsx" if kind_of_name(out) == "xlsx" else "csv")
    refused = (
        wrong_ending(out, "--out", "the xlsx export", "xlsx")
        if fmt == "xlsx"
        else file_ending_for_folder(
            out, "--out", f"the {fmt} export is a folder with one file per table"
        )
    )
    if refused is not None:
        raise click.ClickException(refused)
    target.require_existing()
    if identifiable and not yes:
        try:
            agreed = click.confirm(
                "This export will hold names, contact details and notes, and it will be noted "
                "in the journey log. Keep it encrypted and delete it when done. Continue?",
                err=True,
            )
        except click.Abort:  # no input to read (a script, stdin closed) or Ctrl-C
            click.echo(err=True)  # end the question's line
            agreed = False
        if not agreed:
            raise click.ClickException(
                "Nothing was exported. Answer y to export names and notes, or give --yes "
                "(for scripts) if you mean to."
            )
    # A pseudonymised export only reads (beside the window too); an identifiable one is noted
    # in the journey log, so it saves.
    with open_caseload(target, access=Access.WRITE if identifiable else Access.READ) as caseload:
        options = ExportOptions(
            format=fmt,
            since=since,
            until=until,
            locality=locality_key(caseload, locality),
            keyworker=keyworker_name(
                caseload, keyworker, everyone="leave out --keyworker to export everyone"
            ),
            identifiable=identifiable,
            key=read_key_file(key_file) if key_file else None,
        )
        bar = ProgressBar("Exporting")
        try:
            result = run_export(caseload, out, options, progress=bar)
        finally:
            bar.close()
    click.echo(result.summary())


@click.command(name="partnership-key")
@caseload_options
@click.option(
    "--save",
    type=FileName("partnership.key", dir_okay=False, kind="key", thing="the partnership's key"),
    help="Write this caseload's key to a file to share.",
)
@click.option(
    "--load",
    type=key_file_to_read(),
    help="Use the key in this file from now on.",
)
def partnership_key(target: CaseloadTarget, save: Path | None, load: Path | None) -> None:
    """Share the pseudonym key, so pseudonymised exports from every laptop line up.

    The coordinator saves the key once and gives the file to each keyworker, who loads it.
    Keep the file as safe as the caseload: with it, pseudonyms can be checked against ids.

    \b
    Example:
        journeyapp partnership-key --db coordinator.db --save partnership.key
        journeyapp partnership-key --db caseload.db --load partnership.key
    """
    from journeyapp.exchange.export import read_key_file, refuse_existing_key_file, write_key_file

    if (save is None) == (load is None):
        raise click.ClickException("Give either --save FILE or --load FILE.")
    if save is not None:
        refuse_existing_key_file(save)  # before the passphrase is asked for
    with open_caseload(target) as caseload:
        if save is not None:
            write_key_file(caseload.exchange.pseudonym_key, save)
            click.echo(f"Saved the partnership key to {save}; share it only with the partnership.")
        elif load is not None:
            caseload.exchange.set_pseudonym_key(read_key_file(load))
            click.echo("This caseload now uses the partnership key from the file.")


@click.command()
@caseload_options
@click.option(
    "--out",
    type=FileName(
        "aileen-2026-11.jlb",
        dir_okay=False,
        kind="bundle",
        thing="what you take to the other laptop",
    ),
    required=True,
    help="The bundle file to write (.jlb).",
)
@bundle_passphrase_option
def bundle(target: CaseloadTarget, out: Path, bundle_passphrase_file: Path | None) -> None:
    """Write this laptop's journey log to an encrypted bundle for the coordinator.

    The bundle holds identifiable data: it is encrypted (SQLCipher) with the passphrase you
    choose. Tell the coordinator the passphrase in person or by phone, never with the file.

    \b
    Example:
        journeyapp bundle --db caseload.db --out aileen-2026-11.jlb
        journeyapp bundle --db caseload.db --out aileen.jlb --bundle-passphrase-file bundle.txt
    """
    from journeyapp.exchange.bundle import check_passphrase, write_bundle

    target.require_existing()
    # One given in a file or the environment is checked first (nothing opened for a bad one);
    # one to be typed is asked for once the caseload is open, so a wrong caseload passphrase
    # is said before the bundle's is chosen (typed twice) for nothing.
    given = given_bundle_passphrase(bundle_passphrase_file)
    if given is not None:
        check_passphrase(given)
    with open_caseload(target) as caseload:
        passphrase = given
        if passphrase is None:
            passphrase = read_bundle_passphrase(None, confirm=True)
            check_passphrase(passphrase)
        check_passphrase(passphrase, caseload)  # not the caseload's own passphrase (issue 17)
        bar = ProgressBar("Writing the bundle")
        try:
            count = write_bundle(caseload, out, passphrase, progress=bar)
        finally:
            bar.close()
    click.echo(f"Wrote {count:,} journey-log events to {out} (encrypted).")
    # What comes next, as the window says it.
    click.echo(
        "Give the file to your coordinator, and tell them its passphrase in person or by "
        "phone, never with the file; they merge it with journeyapp merge."
    )


def _require_input_file(file: Path, wanted: str) -> None:
    """Refuse, in one line, a file to read that is a folder, missing, or not a file at all (a
    device such as /dev/null), saying what to give instead."""
    if not file.is_file():
        what = "a folder" if file.is_dir() else "not a file" if file.exists() else "missing"
        raise click.ClickException(f"{file} is {what}; give {wanted}.")


def _merge_bundle_files(
    target: CaseloadTarget, files: Sequence[Path], bundle_passphrase_file: Path | None
) -> MergeResult:
    """Merge bundles into an existing caseload: what `merge` and `import FILE.jlb` both do."""
    from journeyapp.core import file_digests, key_derivation
    from journeyapp.core.errors import require_bundle_file
    from journeyapp.exchange.bundle import merge_bundles, require_bundle

    # A missing caseload is refused before the bundle's passphrase is asked for; a coordinator
    # starts with `journeyapp new`, so the merged records are encrypted from the first one.
    target.require_existing()
    # A missing bundle (whichever place it has), then a file that cannot be one (a caseload,
    # a picture, an empty copy), is named before its passphrase is asked for (as the
    # caseload is).
    for path in files:
        require_bundle_file(path)
    for path in files:
        require_bundle(path)
    for path in files:
        # Each file's digest (which recognises a bundle merged here before) is worked out on
        # the other cores from now, while the caseload and the libraries load.
        file_digests.ahead(path)
    passphrase = read_bundle_passphrase(bundle_passphrase_file, confirm=False)
    for path in files:
        # And each bundle's key, from its passphrase, on another thread while the caseload
        # and the libraries load (the bundle is then opened with it).
        key_derivation.begin(path, passphrase)
    with open_caseload(target) as caseload:
        return merge_bundles(caseload, list(files), passphrase)


@click.command()
@caseload_options
@click.argument(
    "bundle_files",
    nargs=-1,
    required=True,
    type=FileName(
        "aileen-2026-11.jlb", does="read", wanted="the bundle file (.jlb) from the other laptop"
    ),
)
@bundle_passphrase_option
def merge(
    target: CaseloadTarget, bundle_files: tuple[Path, ...], bundle_passphrase_file: Path | None
) -> None:
    """Merge journey-log bundles from other laptops (merging twice changes nothing).

    Several bundles (one passphrase) are merged all or nothing: if one cannot be read or holds
    an event JourneyApp would refuse, none is merged. Two different edits to the same detail are
    both kept and listed under `journeyapp decisions`. The caseload must exist: a coordinator
    makes an empty one first with `journeyapp new`.

    \b
    Example:
        journeyapp new --db coordinator.db
        journeyapp merge --db coordinator.db aileen-2026-11.jlb ben-2026-11.jlb
    """
    result = _merge_bundle_files(target, bundle_files, bundle_passphrase_file)
    click.echo(result.summary())
    if result.unenrolled:
        click.echo(result.enrol_note())
    if result.other_catalogues:
        click.echo(result.catalogue_note())
    if result.ahead:
        click.echo(result.clock_note())
    if result.new_decisions:
        click.echo("See them with: journeyapp decisions")


@click.command()
@caseload_options
@click.option(
    "--keep", type=click.Choice(["here", "incoming"]), help="Which value to keep for --id."
)
@click.option(
    "--id",
    "decision_id",
    help="The decision to settle (from the list; the start of its id will do).",
)
def decisions(target: CaseloadTarget, keep: str | None, decision_id: str | None) -> None:
    """List edits from merges that clash, or settle one with --id and --keep.

    Each line names the parent, what the values are about, and who set each on which laptop.

    \b
    Example:
        journeyapp decisions --db coordinator.db
        journeyapp decisions --db coordinator.db --id 3f2a... --keep incoming
    """
    from journeyapp.exchange.decisions import describe_all

    settling = decision_id is not None  # --id "" too: refused below as no id
    if (settling or keep) and not (settling and keep):
        raise click.ClickException("Give both --id and --keep to settle a decision.")
    with open_caseload(target) as caseload:
        if decision_id is not None and keep:
            # Worded before it is settled: the line says whose detail and which value was kept.
            full_id = _decision_id(caseload, decision_id)
            chosen = caseload.exchange.decision(full_id)
            lines = describe_all(caseload, [chosen] if chosen.is_open else [])
            decided = caseload.exchange.resolve_decision(full_id, keep)
            if not lines:
                click.echo(f"Kept the {keep} value for {decided.field.strip('_')}.")
                return
            [line] = lines
            value, which = (
                (line.here, "the value here")
                if keep == "here"
                else (line.incoming, "the incoming value")
            )
            click.echo(f"Kept {value} for {line.parent}: {line.about} ({which}).")
            return
        # Repeats merged by an older version (one parent's one choice made on two laptops)
        # are folded or asked about here too.
        caseload.exchange.fold_duplicates()
        waiting = caseload.exchange.decisions()
        if not waiting:
            click.echo("No edits are waiting for a decision.")
            return
        for line in describe_all(caseload, waiting):
            click.echo(line.text())


def _decision_id(caseload: Caseload, typed: str) -> str:
    """The whole id of the waiting decision `typed` names: itself, or the start of one (the
    help's "--id 3f2a..."), whatever its capitals; an id no decision has is refused here."""
    from journeyapp.core.errors import NotFound

    try:
        return caseload.exchange.decision(typed).id  # (one already decided says so itself)
    except NotFound:
        pass
    return one_id(
        typed,
        (d.id for d in caseload.exchange.decisions()),
        thing="decision waiting",
        things="decisions waiting",
        listing="journeyapp decisions lists those waiting, each starting with its id",
        nothing="Nothing was decided.",
    )


@click.command()
@caseload_options
@click.option(
    "--code", "show_code", is_flag=True, help="Show this laptop's enrolment code (keep it secret)."
)
@click.option(
    "--enrol",
    "code",
    help="Enrol a partnership laptop with its enrolment code (from --code on that laptop).",
)
@click.option("--name", help="Who uses that laptop (with --enrol).")
def devices(target: CaseloadTarget, show_code: bool, code: str | None, name: str | None) -> None:
    """Show this laptop's device id and the enrolled laptops, show its code, or enrol one.

    Bundles are sealed with the key of the laptop that made them. A bundle sealed by an
    enrolled laptop is trusted: its edits, removals and erasures are carried out. Events that
    no enrolled laptop vouched for may add records, but a change, a removal or an erasure
    they ask for waits under `journeyapp decisions`. Enrol both ways: the coordinator enrols
    each laptop, and each laptop enrols the coordinator. An enrolment code lets whoever holds
    it seal bundles in that laptop's name: pass it in person, as a bundle passphrase.

    \b
    Example:
        journeyapp devices --db laptop.db --code
        journeyapp devices --db coordinator.db --enrol 5b1e....9f3c --name "Aileen's laptop"
    """
    # Options that do not go together are refused before the caseload is opened: one left
    # out without a word would leave the person thinking it was done.
    if code and show_code:
        raise click.ClickException(
            "Give --code (this laptop's code) or --enrol CODE (another laptop's), not both; "
            "nothing was done."
        )
    if code and not name:
        raise click.ClickException("Give --name: who uses that laptop.")
    if name and not code:
        raise click.ClickException(
            "--name says who uses a laptop being enrolled: give it with --enrol CODE. "
            "Nothing was done."
        )
    # The list only reads (beside the window too); a code shown may make this laptop's key.
    listing = not (code or show_code)
    with open_caseload(target, access=Access.READ if listing else Access.WRITE) as caseload:
        if code:
            assert name is not None
            earlier = caseload.exchange.enrolment_replaces(code)
            device_id = caseload.exchange.enrol_code(code, name)
            click.echo(f"Enrolled {name} ({device_id}): its sealed bundles are trusted here.")
            if earlier is not None:
                from journeyapp.caseload.exchange import replaced_code_words

                click.echo(replaced_code_words(earlier))
            return
        if show_code:
            click.echo(f"Enrolment code for this laptop: {caseload.exchange.enrolment_code()}")
            click.echo(
                "Give it in person to whoever enrols this laptop on theirs (the coordinator, "
                "or each keyworker for the coordinator's laptop: journeyapp devices --enrol "
                "CODE --name NAME); whoever holds it can seal bundles in this laptop's name."
            )
            return
        click.echo(f"This laptop: {caseload.device_id}")
        keys = caseload.exchange.device_keys()
        others = {
            known: called
            for known, called in caseload.exchange.enrolled_devices().items()
            if known != caseload.device_id
        }
        for known, called in others.items():
            sealed = "" if known in keys else "  (no key: enrol it again with its code)"
            click.echo(f"Enrolled: {known}  {called}{sealed}")
        if not others:
            # A first day: say what enrolling is for and the two steps, as the window does.
            click.echo(
                "No other laptop is enrolled here yet, so a change, a removal or an erasure "
                "in another laptop's bundle waits for a decision. Enrol both ways: the "
                "coordinator enrols each keyworker's laptop, and each laptop enrols the "
                "coordinator's. On the other laptop, journeyapp devices --code shows its "
                "code; here, journeyapp devices --enrol CODE --name NAME."
            )


@click.command(name="import")
@caseload_options
@click.argument(
    "file",
    type=FileName(
        "parents.xlsx", does="read", wanted="a spreadsheet (.csv, .xlsx) or a bundle (.jlb)"
    ),
)
@click.option(
    "--dry-run", is_flag=True, help="Check every row and show what would change; save nothing."
)
@bundle_passphrase_option
def import_(
    target: CaseloadTarget, file: Path, dry_run: bool, bundle_passphrase_file: Path | None
) -> None:
    """Import parents, milestones or contacts from a spreadsheet (CSV, XLSX, or the
    tab-separated "Unicode Text" Excel saves).

    The kind of list is recognised from the first row (case, spaces and underscores ignored):
    parents (ref, preferred_name, locality, joined_on; optional full_name, date_of_birth,
    keyworker, referral_source, status), milestones (ref, milestone, achieved_on; optional note,
    whose_words: parent, together or keyworker) or contacts (ref, on, kind; optional minutes, note). Dates as 2026-03-01 or 01/03/2026.
    If any row is wrong nothing is imported, and every wrong row is listed. Importing the same
    file again changes nothing; imported again with a row corrected (a parent's details, or a
    milestone's or contact's note, minutes or whose_words, same parent, kind and day), it
    corrects that record; an empty cell changes nothing. A journey-log bundle (.jlb) is merged as by `journeyapp merge`.
    The caseload must exist (make one with `journeyapp new`).

    \b
    Example:
        journeyapp import --db caseload.db parents.xlsx --dry-run
        journeyapp import --db caseload.db parents.xlsx
    """
    from journeyapp.exchange.spreadsheet import import_file

    _require_input_file(file, "a spreadsheet (.csv, .xlsx) or a bundle (.jlb)")
    if file.suffix.casefold() == ".jlb":
        # A journey-log bundle from another laptop: the same as `journeyapp merge`.
        if dry_run:
            raise click.ClickException(
                "A bundle cannot be dry-run; merging it twice changes nothing."
            )
        result = _merge_bundle_files(target, [file], bundle_passphrase_file)
        click.echo(result.summary())
        if result.unenrolled:
            click.echo(result.enrol_note())
        if result.other_catalogues:
            click.echo(result.catalogue_note())
        if result.ahead:
            click.echo(result.clock_note())
        return
    with open_caseload(target) as caseload:
        report = import_file(caseload, file, dry_run=dry_run)
    for note in report.notes:  # how the file was read: sheet, headings, dates
        click.echo(note)
    for problem in report.problems:
        click.echo(str(problem), err=True)
    if report.problems:
        raise click.ClickException(report.summary())
    click.echo(report.summary() + (" (dry run: nothing was saved)" if dry_run else ""))


@click.command()
@caseload_options
@click.argument(
    "file",
    type=FileName("simd-postcodes.xlsx", does="read", wanted="the lookup file (.csv or .xlsx)"),
    required=False,
)
@click.option(
    "--dry-run", is_flag=True, help="Check every row and say what it holds; save nothing."
)
def lookup(target: CaseloadTarget, file: Path | None, dry_run: bool) -> None:
    """Import the partnership's postcode lookup: SIMD quintile and urban/rural class.

    For the funder's return (journeyapp return). Any CSV or XLSX with a postcode column and a
    SIMD quintile column (1 most deprived to 5 least) will do, such as the Scottish Government's
    SIMD postcode lookup; an urban/rural column (UR6 or UR8: the class number) is optional.
    JourneyApp never ships or downloads this file: the partnership provides it. If any row is
    wrong nothing changes, and each wrong row is listed by line. A good file replaces the lookup
    held. With no FILE, says what lookup is held.

    \b
    Example:
        journeyapp lookup --db coordinator.db simd-postcodes.xlsx --dry-run
        journeyapp lookup --db coordinator.db simd-postcodes.xlsx
        journeyapp lookup --db coordinator.db
    """
    from journeyapp.exchange.lookup import import_lookup

    target.require_existing()
    if file is None and dry_run:  # else it said what is held, as if the file had been fine
        raise click.ClickException(
            "--dry-run checks a lookup file: give the FILE to check (journeyapp lookup "
            "--db CASELOAD FILE --dry-run). Nothing was done."
        )
    if file is None:  # only says what is held: beside the window too
        with open_caseload(target, access=Access.READ) as caseload:
            click.echo(caseload.areas.info().describe())
        return
    _require_input_file(file, "the lookup file (.csv or .xlsx)")
    with open_caseload(target) as caseload:
        result = import_lookup(caseload, file, dry_run=dry_run)
    for note in result.notes:
        click.echo(note)
    for line in result.problem_lines():
        click.echo(line, err=True)
    if result.problems:
        raise click.ClickException(result.summary())
    click.echo(result.summary() + (" (dry run: nothing was saved)" if dry_run else ""))


@click.command(name="return")
@caseload_options
@click.option(
    "--quarter",
    required=True,
    help="The quarter: 2026Q3 (July to September 2026) or 2026-27 Q1 (April to June 2026).",
)
@click.option(
    "--out",
    type=FileName("return.xlsx", dir_okay=False, kind="xlsx", thing="the return"),
    help="The workbook to write (.xlsx).",
)
@click.option(
    "--mapping",
    type=FileName("fife.toml", does="read", dir_okay=False, wanted="the mapping file (.toml)"),
    help="Column layout matching your council's template (default: the built-in Scottish "
    "Government layout, Shared Measurement Framework).",
)
@click.option(
    "--check",
    "check_only",
    is_flag=True,
    help="List the parents whose answers the return needs are missing or contradict; write nothing.",
)
@click.option(
    "--tables-only",
    is_flag=True,
    help="Write only the tables (for publishing), no individual rows.",
)
@key_file_option(
    "The partnership's pseudonym key file, so pseudonyms match the partnership's exports."
)
def return_(
    target: CaseloadTarget,
    quarter: str,
    out: Path | None,
    mapping: Path | None,
    check_only: bool,
    tables_only: bool,
    key_file: Path | None,
) -> None:
    """The funder's quarterly return: one coded row per parent, and the tables.

    One row per parent on the programme in the quarter, under the partnership's keyed
    pseudonym, with codes only: no names, words, postcodes or dates of birth. The tables count
    starts, leavers, job entries, in work at 13, 26 and 52 weeks and other outcomes in the
    quarter by priority family group, age band, sex, ethnic group, disability and SIMD quintile,
    with counts from 1 to 4 (and a few others, so none can be worked out) withheld. The column
    layout comes from a mapping file, so it can match your council's template. Run --check
    first: it lists the answers to complete or correct, parent by parent.

    \b
    Example:
        journeyapp return --db coordinator.db --quarter 2026Q3 --check
        journeyapp return --db coordinator.db --quarter 2026Q3 --out return.xlsx
        journeyapp return --db coordinator.db --quarter 2026-27Q2 --out r.xlsx --mapping fife.toml
    """
    from journeyapp.core.returns import parse_quarter
    from journeyapp.exchange.export import read_key_file
    from journeyapp.exchange.report import refuse_period_to_come
    from journeyapp.exchange.returns import build_return, check_return, load_mapping

    period = parse_quarter(quarter)
    if not check_only and out is None:
        raise click.ClickException(
            "Say where to write the return with --out FILE.xlsx (or use --check to list the "
            "answers it needs)."
        )
    if check_only and (out is not None or tables_only):
        given = "--out" if out is not None else "--tables-only"
        raise click.ClickException(
            f"--check lists the answers the return needs and writes nothing: leave out {given} "
            "(or leave out --check to write the return). Nothing was done."
        )
    if out is not None and out.exists():
        raise click.ClickException(f"{out} already exists; choose a new file name.")
    # A mapping given with --check is read too: a wrong one is said now, not when writing.
    layout = None if check_only and mapping is None else load_mapping(mapping)
    key = read_key_file(key_file) if key_file else None
    target.require_existing()
    with open_caseload(target, access=Access.READ) as caseload:
        refuse_period_to_come(period.start, caseload.today(), f"The quarter {period.name}")
        if check_only:
            # The check shows no pseudonyms, so it needs no key, and makes none in the
            # caseload (a check writes nothing; beside the window it could not).
            unshown = key if key is not None else bytes(32)
            problems = check_return(caseload, period, build_return(caseload, period, key=unshown))
            for problem in problems:
                click.echo(str(problem))
            parents = len({p.participant_id for p in problems if p.participant_id})
            whose = f" for {_counted(parents, 'parent')}" if parents else ""
            click.echo(
                f"{_counted(len(problems), 'answer')} to complete or correct{whose} in "
                f"{period.name}."
                if problems
                else f"Everything the {period.name} return needs is recorded."
            )
            return
        assert out is not None
        assert layout is not None
        result = build_return(caseload, period, key=key)
        problems = check_return(caseload, period, result)
    result.write_xlsx(out, layout, tables_only=tables_only)
    what = "tables" if tables_only else f"{_counted(len(result.people), 'parent')} and the tables"
    click.echo(f"Wrote the {period.name} return ({what}) to {out}.")
    if problems:
        click.echo(
            f"{_counted(len(problems), 'answer')} it needs "
            f"{'is' if len(problems) == 1 else 'are'} missing or contradictory; see them with "
            f"journeyapp return --quarter {quarter} --check.",
            err=True,
        )


def _counted(n: int, noun: str) -> str:
    """`n` and `noun`, plural unless one: "1 answer", "3 answers"."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


COMMANDS = (
    export,
    partnership_key,
    bundle,
    merge,
    decisions,
    devices,
    import_,
    lookup,
    return_,
)
