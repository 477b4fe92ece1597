"""The return's answers for scripts: `answers` (circumstances and, with that consent, equalities)
and `job` (a job grown from the "started work" milestone), shown or set by their codes."""

from __future__ import annotations

import shlex
from datetime import date
from typing import TYPE_CHECKING, Any

import click

from journeyapp.cli.options import CaseloadTarget, caseload_options, one_id, open_caseload
from journeyapp.cli.plans_cmds import one_participant
from journeyapp.cli.records_cmds import _harmless
from journeyapp.core.access import Access
from journeyapp.core.text import quoted

if TYPE_CHECKING:
    from journeyapp.caseload import Caseload

_SET_HELP = "NAME=CODE to set one answer (repeat it; NAME= clears one; benefits take codes a,b)."


def _pairs(values: tuple[str, ...]) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for value in values:
        name, sep, code = value.partition("=")
        if not sep or not name.strip():
            raise click.ClickException(
                f"--set {quoted(value)} is not NAME=CODE; write it like --set lone_parent=yes."
            )
        pairs[name.strip()] = code.strip()
    return pairs


def _show(caseload: Caseload, pid: str) -> None:
    from journeyapp.core.codes import CIRCUMSTANCES_LISTS, EQUALITIES_LISTS
    from journeyapp.core.enums import ConsentPurpose

    codes = caseload.codes

    def line(name: str, value: Any) -> None:
        if isinstance(value, list):
            shown = ", ".join(f"{v} ({codes.label(name, v)})" for v in value) or "-"
        elif name == "postcode":
            shown = value or "-"
        else:
            shown = f"{value} ({codes.label(name, value)})" if value else "-"
        click.echo(f"  {name}: {shown}")

    found = caseload.circumstances(pid)
    click.echo("When they started:")
    for name in ("postcode", *CIRCUMSTANCES_LISTS):
        line(name, getattr(found, name) if found else ([] if name == "benefits" else ""))
    click.echo("Equalities monitoring:")
    if not caseload.has_consent(pid, ConsentPurpose.EQUALITIES_MONITORING):
        click.echo("  not asked (no equalities-monitoring consent); nothing is kept")
    else:
        held = caseload.equalities(pid)
        for name in EQUALITIES_LISTS:
            line(name, getattr(held, name) if held else "")


@click.command()
@click.argument("participant", required=False)
@caseload_options
@click.option("--set", "sets", multiple=True, metavar="NAME=CODE", help=_SET_HELP)
@click.option(
    "--codes",
    "list_codes",
    is_flag=True,
    help="List every question's codes (no PARTICIPANT needed; with one, their answers follow).",
)
def answers(
    participant: str | None, target: CaseloadTarget, sets: tuple[str, ...], list_codes: bool
) -> None:
    """Show or set one parent's answers for the funder's return.

    Circumstances when they started (postcode, lone_parent, employment_status,
    time_out_of_work, benefits) and, only if the parent agreed to equalities monitoring,
    their equalities answers (sex, gender_identity, age_band, ethnicity, disability,
    disabled_child, sexual_orientation, care_experience). Every answer is optional.
    PARTICIPANT is their id, their reference, or a unique part of their name.

    \b
    Example:
        journeyapp answers "Siobhán" --db caseload.db
        journeyapp answers "Siobhán" --db caseload.db --set lone_parent=yes \\
            --set benefits=universal_credit,child_benefit --set sex=prefer_not_to_say
        journeyapp answers --db caseload.db --codes
    """
    from journeyapp.core.codes import EQUALITIES_LISTS

    if list_codes and sets:
        # Else the codes were listed and the answers given with --set quietly not saved.
        raise click.ClickException(
            "--codes lists the codes and saves nothing: leave out --set to list them, or "
            "--codes to save the answers. Nothing was saved."
        )
    if participant is None and not list_codes:
        raise click.UsageError(
            "Give the parent (their id, their reference, or a unique part of their name), or "
            "--codes to list every question's codes."
        )
    with open_caseload(target, access=Access.WRITE if sets else Access.READ) as caseload:
        # A parent named beside --codes is found first: a name that matches nobody (or
        # several) is said, not quietly ignored; their answers follow the codes.
        person = None if participant is None else one_participant(caseload, participant)
        if list_codes:
            for name, entries in caseload.codes.lists.items():
                click.echo(f"{name}: " + ", ".join(e.key for e in entries))
            if person is None:
                return
            click.echo()
        assert person is not None
        if sets:
            pairs = _pairs(sets)
            equalities = {k: v for k, v in pairs.items() if k in EQUALITIES_LISTS}
            circumstances: dict[str, Any] = {
                k: v for k, v in pairs.items() if k not in EQUALITIES_LISTS
            }
            caseload.set_answers(
                person.id,
                circumstances=circumstances,
                equalities=equalities or None,
            )
            click.echo(f"Saved {len(pairs)} answer(s) for {person.preferred_name}.")
        _show(caseload, person.id)


_JOB_FIELDS = (
    "started_on",  # with --id only: a start typed wrong is corrected as in the window
    "job_title",
    "hours_per_week",
    "working_pattern",
    "contract_type",
    "living_wage",
    "sector",
    "progression",
    "progressed_on",
    "left_on",
    "leaving_reason",
    "note",
)


def _job_values(pairs: dict[str, str]) -> dict[str, Any]:
    from journeyapp.core.validation import parse_optional_date

    unknown = sorted(set(pairs) - set(_JOB_FIELDS))
    if unknown:
        raise click.ClickException(
            f"{quoted(unknown[0])} is not part of a job; use {', '.join(_JOB_FIELDS)}."
        )
    values: dict[str, Any] = {}
    for name, text in pairs.items():
        if name == "hours_per_week":
            if text and not text.isdecimal():
                raise click.ClickException(
                    f"hours_per_week {quoted(text)} is not a whole number of hours (e.g. 16)."
                )
            values[name] = int(text) if text else None
        elif name.endswith("_on"):
            values[name] = parse_optional_date(text, name)
        else:
            values[name] = text
    return values


@click.command()
@click.argument("participant")
@caseload_options
@click.option(
    "--started-on",
    metavar="DATE",
    default=None,
    help="Record a new job that started on DATE (with its 'started work' milestone).",
)
@click.option(
    "--id",
    "job_id",
    default=None,
    help="Change the job with this id instead (as listed; the start of it will do).",
)
@click.option("--set", "sets", multiple=True, metavar="NAME=VALUE", help=_SET_HELP)
@click.option(
    "--remove",
    is_flag=True,
    help="Remove the job given by --id (one entered by mistake; its 'started work' milestone "
    "stays, as in the window).",
)
def job(
    participant: str,
    target: CaseloadTarget,
    started_on: str | None,
    job_id: str | None,
    sets: tuple[str, ...],
    remove: bool,
) -> None:
    """List, record or change the jobs one parent started.

    With neither --started-on nor --id it lists their jobs. Fields: job_title, hours_per_week,
    working_pattern, contract_type, living_wage, sector, progression, progressed_on,
    left_on, leaving_reason, note (codes from `journeyapp answers X --codes`); with --id,
    started_on too (a start typed wrong).

    \b
    Example:
        journeyapp job "Siobhán" --db caseload.db --started-on 2026-03-02 \\
            --set hours_per_week=20 --set contract_type=permanent --set living_wage=yes
        journeyapp job "Siobhán" --db caseload.db --id JOB_ID --set left_on=2026-09-30 \\
            --set leaving_reason=contract_ended
        journeyapp job "Siobhán" --db caseload.db --id JOB_ID --remove
    """
    from journeyapp.core.validation import parse_date

    if started_on is not None and job_id is not None:
        # Either would be a guess: a second job (and 'started work' milestone) recorded when
        # one was to be changed, or a start date dropped.
        raise click.ClickException(
            "Give --started-on DATE to record a new job, or --id JOB_ID to change one, not "
            "both; nothing was recorded."
        )
    if remove and (job_id is None or started_on is not None or sets):
        raise click.ClickException(
            "--remove takes the job to remove, --id JOB_ID (as listed), and nothing else: "
            "correct a job with --id JOB_ID --set NAME=VALUE. Nothing was changed."
        )
    values = _job_values(_pairs(sets))
    if "started_on" in values:
        if job_id is None:
            raise click.ClickException(
                "A new job's start is --started-on DATE; --set started_on=DATE corrects the "
                "start of one recorded before (with --id JOB_ID). Nothing was recorded."
            )
        if values["started_on"] is None:
            raise click.ClickException(
                "A job needs the day it started: give started_on=DATE to correct it. Nothing "
                "was changed."
            )
    listing = started_on is None and job_id is None
    with open_caseload(target, access=Access.READ if listing else Access.WRITE) as caseload:
        person = one_participant(caseload, participant)
        if started_on is not None:
            day: date = parse_date(started_on, "--started-on")
            made = caseload.add_job(person.id, day, with_milestone=True, **values)
            click.echo(f"Recorded a job for {person.preferred_name} (id {made.id}).")
        elif job_id is not None:
            # As listed, or the start of it: people copy the id from the list above.
            name = person.preferred_name
            whole = one_id(
                job_id,
                (j.id for j in caseload.jobs(person.id)),
                thing=f"job of {name}'s",
                things=f"jobs of {name}'s",
                listing=f"journeyapp job {shlex.quote(name)} lists them, each starting with its id",
                nothing="Nothing was changed.",
            )
            if remove:
                click.echo(_remove_job(caseload, whole, name))
            else:
                caseload.update_job(whole, **values)
                click.echo(f"Changed the job {whole} for {name}.")
        elif sets:
            raise click.ClickException("Say which job: --started-on DATE (new) or --id JOB_ID.")
        codes = caseload.codes
        jobs = caseload.jobs(person.id)
        if not jobs:
            click.echo(f"No jobs recorded for {person.preferred_name}.")
        for each in jobs:
            hours = f"{each.hours_per_week} h/week" if each.hours_per_week else "hours not known"
            ended = f", ended {each.left_on.isoformat()}" if each.left_on else ", still in work"
            contract = codes.label("contract_type", each.contract_type) or "contract not known"
            # The job as it was called: which one to change is told by more than its dates.
            title = f", {quoted(each.job_title)}" if each.job_title.strip() else ""
            click.echo(
                f"{each.id}  started {each.started_on.isoformat()}{title}, {hours}, "
                f"{contract}{ended}"
            )


def _remove_job(caseload: Caseload, job_id: str, name: str) -> str:
    """Remove one job as the window's Remove does (the same use case); what went, and where
    its 'started work' milestone is, which stays in the journey."""
    from journeyapp.core.describe import describe
    from journeyapp.core.records import Job

    found = caseload.record(Job.KIND, job_id)
    what = describe(found, caseload.catalogue, caseload.today())
    caseload.delete_record(Job.KIND, job_id)
    said = f"Removed {_harmless(what)}."
    if isinstance(found, Job) and found.milestone_id:
        said += (
            " Its 'started work' milestone stays in the journey: journeyapp milestone "
            f"{shlex.quote(name)} --id {found.milestone_id[:8]} --remove removes it too."
        )
    return said


COMMANDS = (answers, job)
