"""A parent's contacts and milestones on the command line: `contact` and `milestone` list them,
log one, correct one with only what was given, or remove one entered by mistake, with the same
use cases (and so the same journey-log events) as the window's forms and its Remove."""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING, Any

import click

from journeyapp.cli.options import (
    CaseloadTarget,
    WholeNumber,
    caseload_options,
    one_id,
    open_caseload,
)
from journeyapp.cli.plans_cmds import one_participant
from journeyapp.core.access import Access
from journeyapp.core.enums import Voice

if TYPE_CHECKING:
    from collections.abc import Iterable

    from journeyapp.caseload import Caseload
    from journeyapp.core.records import Participant, Record

_NOTHING = "Nothing was recorded."


def _words(text: str) -> str:
    """Words as typed, shown whole in quotation marks with escapes made harmless (a pasted
    control character shows as '\\x1b', never acts on the terminal)."""
    return repr(text)


def _harmless(text: str) -> str:
    """`text` with each control character shown as its escape ('\\x1b'), as _words shows them,
    for a line that names a record in the window's words (describe) rather than quoting it."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def _what_to_do(
    logging: bool, record_id: str | None, remove: bool, details: dict[str, Any], noun: str
) -> bool:
    """Refuse options that do not go together (`details`: each detail's option and the value
    given, None when not given); True when the records are only listed."""
    given = [name for name, value in details.items() if value is not None]
    correcting = record_id is not None  # --id "" too: refused later as no id
    upper = noun.upper()
    if logging and correcting:
        raise click.ClickException(
            f"Give --log to record a new {noun}, or --id {upper}_ID to correct one, not both. "
            f"{_NOTHING}"
        )
    if remove and not correcting:
        raise click.ClickException(
            f"--remove needs the {noun} to remove: --id {upper}_ID (as listed). {_NOTHING}"
        )
    if remove and given:
        raise click.ClickException(
            f"{given[0]} does not go with --remove: remove the {noun}, or correct it without "
            f"--remove. {_NOTHING}"
        )
    if not (logging or correcting) and given:
        raise click.ClickException(
            f"Say what to do: --log (a new {noun}) or --id {upper}_ID (correct one). {_NOTHING}"
        )
    return not (logging or correcting)


def _one_of_theirs(
    caseload: Caseload,
    person: Participant,
    kind: str,
    typed: str,
    ids: Iterable[str],
    *,
    noun: str,
    command: str,
    nouns: str = "",
) -> Record:
    """The parent's record of `kind` with id `typed` (whole, or the start of it as listed);
    `nouns`: the plural of `noun` when it is not `noun` + "s"."""
    from journeyapp.core.errors import NotFound

    try:
        found: Record | None = caseload.record(kind, typed)
    except NotFound:
        found = None
    if found is not None and getattr(found, "participant_id", None) == person.id:
        return found
    name = person.preferred_name
    whole = one_id(
        typed,
        ids,
        thing=f"{noun} of {name}'s",
        things=f"{nouns or noun + 's'} of {name}'s",
        listing=f"journeyapp {command} {shlex.quote(name)} lists them, each starting with its id",
        nothing=_NOTHING,
    )
    return caseload.record(kind, whole)


def _key(caseload: Caseload, list_name: str, typed: str, option: str, held: str = "") -> str:
    """The catalogue key `typed` names (its key or its label, in any case), or a refusal
    naming every one there is."""
    from journeyapp.core.text import quoted

    found = caseload.catalogue.find_key(list_name, typed, [held] if held else [])
    if found is None:
        keys = ", ".join(f"{k} ({label})" for k, label in caseload.catalogue.choices(list_name))
        raise click.ClickException(
            f"{option} {quoted(typed)} is not in the partnership's catalogue; give one of: "
            f"{keys}. {_NOTHING}"
        )
    return found


def _removed(caseload: Caseload, record: Record, *, with_job: bool = False) -> str:
    """Remove `record` (the window's Remove: the same use case) and say what went."""
    from journeyapp.core.describe import describe

    what = describe(record, caseload.catalogue, caseload.today(), with_job=with_job)
    caseload.delete_record(record.KIND, record.id)
    return f"Removed {_harmless(what)}."


# -- contact --------------------------------------------------------------------------------------


def _show_contacts(caseload: Caseload, person: Participant) -> None:
    """Each contact on one line, most recent first as the Contacts tab lists them; a day after
    today (from a laptop whose clock was ahead) marked to be checked."""
    from journeyapp.core.describe import marked_day

    today = caseload.today()
    catalogue = caseload.catalogue
    contacts = sorted(
        caseload.journey(person.id).contacts, key=lambda c: (c.on, c.created_at), reverse=True
    )
    if not contacts:
        click.echo(f"No contacts recorded for {person.preferred_name}.")
    for c in contacts:
        line = (
            f"{c.id}  {marked_day(c.on.isoformat(), c.on, today)}, "
            f"{catalogue.shown('contact_kinds', c.kind)}, {c.minutes} min"
        )
        if c.venue.strip():
            line += f", at {_words(c.venue)}"
        if c.group_session_id:
            line += ", at a group session"
        if c.childcare_needed:
            line += ", childcare arranged" if c.childcare_arranged else ", childcare needed"
        if c.note.strip():
            line += f", note: {_words(c.note)}"
        if c.next_step.strip():
            line += f", next step: {_words(c.next_step)}"
        click.echo(line)


def _log_contact(
    caseload: Caseload, person: Participant, kind: str | None, values: dict[str, Any]
) -> str:
    """Log a contact as the window's form starts one (today, the parent's last kind and venue,
    30 minutes) with what was given over it; the line says what it was logged as, marks what
    was not given (nothing assumed unseen) and says how to correct it."""
    from journeyapp.core.dates import long_date
    from journeyapp.core.derived import latest_kind, latest_venue, new_contact_kind

    catalogue = caseload.catalogue
    contacts = caseload.journey(person.id).contacts
    given = {**values, "kind": kind}
    not_given = [
        f"--{field}" for field in ("on", "kind", "venue", "minutes") if given.get(field) is None
    ]
    if kind is not None:
        values["kind"] = _key(caseload, "contact_kinds", kind, "--kind")
    else:
        values["kind"] = new_contact_kind(contacts, catalogue.keys("contact_kinds"))
    if "venue" not in values:
        values["venue"] = latest_venue(contacts)
    made = caseload.log_contact(person.id, **values)
    last = " (as last time)"
    parts = [
        ("today, " if "--on" in not_given else "") + long_date(made.on),
        catalogue.shown("contact_kinds", made.kind)
        + (last if "--kind" in not_given and made.kind == latest_kind(contacts) else ""),
        (f"at {_words(made.venue)}" if made.venue else "no venue")
        + (last if "--venue" in not_given and made.venue else ""),
        f"{made.minutes} min",
    ]
    line = f"Logged a contact with {person.preferred_name} (id {made.id}): {', '.join(parts)}."
    if not_given:
        line += (
            f" Not given: {_or(not_given)}; if one is not right, correct it with --id "
            f"{made.id[:8]}."
        )
    return line


def _or(options: list[str]) -> str:
    """ "--a, --b and --c"."""
    return options[0] if len(options) == 1 else f"{', '.join(options[:-1])} and {options[-1]}"


@click.command()
@click.argument("participant")
@caseload_options
@click.option("--log", "logging", is_flag=True, help="Log a new contact.")
@click.option(
    "--id",
    "contact_id",
    metavar="ID",
    default=None,
    help="Correct the contact with this id instead (as listed; the start of it will do).",
)
@click.option(
    "--remove", is_flag=True, help="Remove the contact given by --id (one entered by mistake)."
)
@click.option(
    "--on", metavar="DATE", default=None, help="The day of the contact (default for --log: today)."
)
@click.option(
    "--kind",
    metavar="KIND",
    default=None,
    help="The kind of contact, its key or its label from the catalogue (default for --log: "
    "the kind of their last contact, as the window starts it; one to one for a first).",
)
@click.option(
    "--minutes",
    metavar="N",
    type=WholeNumber(0, 24 * 60, what="how long the contact was, in minutes", example=30),
    default=None,
    help="How long it was, in minutes (default for --log: 30).",
)
@click.option(
    "--venue",
    default=None,
    help="Where it was (default for --log: the venue of their last contact that had one, as "
    "the window starts it; --venue '' for none).",
)
@click.option("--note", default=None, help="What you talked about (optional).")
@click.option(
    "--next-step", "next_step", default=None, help="What happens next (optional; on the plan)."
)
@click.option(
    "--childcare-needed/--no-childcare-needed",
    "childcare_needed",
    default=None,
    help="Whether the parent needed childcare to come (default for --log: no).",
)
@click.option(
    "--childcare-arranged/--no-childcare-arranged",
    "childcare_arranged",
    default=None,
    help="Whether childcare was arranged (default for --log: no).",
)
def contact(
    participant: str,
    target: CaseloadTarget,
    logging: bool,
    contact_id: str | None,
    remove: bool,
    on: str | None,
    kind: str | None,
    minutes: int | None,
    venue: str | None,
    note: str | None,
    next_step: str | None,
    childcare_needed: bool | None,
    childcare_arranged: bool | None,
) -> None:
    """List, log, correct or remove one parent's contacts.

    With neither --log nor --id it lists their contacts, most recent first. PARTICIPANT is
    their id, their reference, or a unique part of their name.

    \b
    Example:
        journeyapp contact "Siobhán" --db caseload.db --log --kind phone_text --minutes 10 \\
            --note "Talked about the course" --next-step "Call the college on Monday"
        journeyapp contact "Siobhán" --db caseload.db --id CONTACT_ID --minutes 15
        journeyapp contact "Siobhán" --db caseload.db --id CONTACT_ID --remove
    """
    from journeyapp.core.records import Contact
    from journeyapp.core.validation import parse_date

    details: dict[str, Any] = {
        "--on": on,
        "--kind": kind,
        "--minutes": minutes,
        "--venue": venue,
        "--note": note,
        "--next-step": next_step,
        "--childcare-needed": childcare_needed,
        "--childcare-arranged": childcare_arranged,
    }
    listing = _what_to_do(logging, contact_id, remove, details, "contact")
    with open_caseload(target, access=Access.READ if listing else Access.WRITE) as caseload:
        person = one_participant(caseload, participant)
        name = person.preferred_name
        # As the window's form saves them: words with their spaces at either end trimmed.
        values: dict[str, Any] = {}
        if on is not None:
            values["on"] = parse_date(on, "--on")
        if minutes is not None:
            values["minutes"] = minutes
        for field, text in (("venue", venue), ("note", note), ("next_step", next_step)):
            if text is not None:
                values[field] = text.strip()
        for field, flag in (
            ("childcare_needed", childcare_needed),
            ("childcare_arranged", childcare_arranged),
        ):
            if flag is not None:
                values[field] = flag
        if logging:
            click.echo(_log_contact(caseload, person, kind, values))
        elif contact_id is not None:
            record = _one_of_theirs(
                caseload,
                person,
                Contact.KIND,
                contact_id,
                (c.id for c in caseload.journey(person.id).contacts),
                noun="contact",
                command="contact",
            )
            assert isinstance(record, Contact)
            if remove:
                click.echo(_removed(caseload, record))
            else:
                if kind is not None:
                    values["kind"] = _key(caseload, "contact_kinds", kind, "--kind", record.kind)
                if not values:
                    raise click.ClickException(
                        "Say what to correct: --on, --kind, --minutes, --venue, --note, "
                        f"--next-step or --childcare-needed/--childcare-arranged (or --remove). "
                        f"{_NOTHING}"
                    )
                caseload.update_record(Contact.KIND, record.id, **values)
                click.echo(f"Corrected the contact {record.id} with {name}.")
        _show_contacts(caseload, person)


def _job_details(name: str, job_id: str) -> str:
    """How to add the rest of a job just made from its milestone."""
    return (
        f"add hours, contract and pay with journeyapp job {shlex.quote(name)} --id "
        f"{job_id[:8]} --set hours_per_week=20 ..."
    )


def _as(job_title: str) -> str:
    """ " as Care assistant" for a job with its title, "" for one without."""
    return f" as {_harmless(job_title.strip())}" if job_title.strip() else ""


def _job_made(name: str, job_id: str) -> str:
    """The line saying a corrected "started work" milestone's job was recorded."""
    return f"Its job is recorded too, from that day (id {job_id}): {_job_details(name, job_id)}"


# -- milestone ------------------------------------------------------------------------------------

_CHOSEN_BY_HELP = (
    "Whose words the note is: parent (the default for a new milestone), together or "
    "keyworker, as the window's 'Whose words' asks."
)


def _show_milestones(caseload: Caseload, person: Participant) -> None:
    """Each milestone on one line, most recent first as the Journey tab lists them, with the
    note as typed and whose words it is; a 'started work' milestone's job said beside it."""
    from journeyapp.core.describe import marked_day
    from journeyapp.core.enums import label

    today = caseload.today()
    catalogue = caseload.catalogue
    milestones = sorted(
        caseload.journey(person.id).milestones,
        key=lambda m: (m.achieved_on, m.created_at),
        reverse=True,
    )
    with_jobs = {j.milestone_id: j.id for j in caseload.jobs(person.id) if j.milestone_id}
    if not milestones:
        click.echo(f"No milestones recorded for {person.preferred_name}.")
    for m in milestones:
        line = (
            f"{m.id}  {marked_day(m.achieved_on.isoformat(), m.achieved_on, today)}, "
            f"{catalogue.shown('milestone_types', m.type)}"
        )
        if m.id in with_jobs:
            line += f", job {with_jobs[m.id]}"
        if m.note.strip():
            line += f", note: {_words(m.note)} ({label(m.voice)})"
        click.echo(line)


@click.command()
@click.argument("participant")
@caseload_options
@click.option("--log", "logging", is_flag=True, help="Record a new milestone (give --type).")
@click.option(
    "--id",
    "milestone_id",
    metavar="ID",
    default=None,
    help="Correct the milestone with this id instead (as listed; the start of it will do).",
)
@click.option(
    "--remove",
    is_flag=True,
    help="Remove the milestone given by --id (one entered by mistake; a 'started work' "
    "milestone's job goes with it).",
)
@click.option(
    "--on", metavar="DATE", default=None, help="The day it happened (default for --log: today)."
)
@click.option(
    "--type",
    "type_",
    metavar="TYPE",
    default=None,
    help="What was achieved: its key or its label from the catalogue (e.g. agreed_plan or "
    "'agreed my plan').",
)
@click.option("--note", default=None, help="A note, in their words (optional).")
@click.option(
    "--chosen-by",
    type=click.Choice([v.value for v in Voice]),
    default=None,
    help=_CHOSEN_BY_HELP,
)
@click.option(
    "--keep-job",
    is_flag=True,
    help="With --id and --type: a 'started work' milestone corrected into another type keeps "
    "the job recorded with it.",
)
@click.option(
    "--remove-job",
    is_flag=True,
    help="With --id and --type: a 'started work' milestone corrected into another type has "
    "the job recorded with it removed too.",
)
def milestone(
    participant: str,
    target: CaseloadTarget,
    logging: bool,
    milestone_id: str | None,
    remove: bool,
    on: str | None,
    type_: str | None,
    note: str | None,
    chosen_by: str | None,
    keep_job: bool,
    remove_job: bool,
) -> None:
    """List, record, correct or remove what one parent achieved (their milestones).

    With neither --log nor --id it lists their milestones, most recent first. A 'started
    work' milestone is recorded with its job, as `journeyapp job --started-on` records it
    (add hours, contract and pay with `journeyapp job NAME --id JOB_ID --set ...`).
    PARTICIPANT is their id, their reference, or a unique part of their name.

    \b
    Example:
        journeyapp milestone "Siobhán" --db caseload.db --log --type "agreed my plan" \\
            --note "I want to start with the confidence group" --chosen-by parent
        journeyapp milestone "Siobhán" --db caseload.db --id MILESTONE_ID --on 2026-11-03
        journeyapp milestone "Siobhán" --db caseload.db --id MILESTONE_ID --remove
    """
    from journeyapp.core.dates import long_date
    from journeyapp.core.records import Milestone
    from journeyapp.core.validation import parse_date

    details: dict[str, Any] = {
        "--on": on,
        "--type": type_,
        "--note": note,
        "--chosen-by": chosen_by,
    }
    listing = _what_to_do(logging, milestone_id, remove, details, "milestone")
    if logging and type_ is None:
        raise click.ClickException(
            "Say what was achieved: --type KEY or LABEL (`journeyapp milestone NAME --log "
            f"--type agreed_plan`). {_NOTHING}"
        )
    with open_caseload(target, access=Access.READ if listing else Access.WRITE) as caseload:
        person = one_participant(caseload, participant)
        name = person.preferred_name
        values: dict[str, Any] = {}
        if on is not None:
            values["achieved_on"] = parse_date(on, "--on")
        if note is not None:
            values["note"] = note.strip()  # as the window's form saves it
        if chosen_by is not None:
            values["voice"] = Voice(chosen_by)
        if logging:
            assert type_ is not None
            kind = _key(caseload, "milestone_types", type_, "--type")
            what = caseload.catalogue.label("milestone_types", kind)
            # A "started work" milestone comes with its job from that day, as in the window
            # (Caseload.record_milestone): both, or neither.
            made = caseload.record_milestone(person.id, kind, with_job=True, **values)
            job = caseload.job_for_milestone(made.id)
            if job is not None:
                click.echo(
                    f"Recorded the milestone “{what}” for {name} (id {made.id}) and its job "
                    f"(id {job.id}): {_job_details(name, job.id)}"
                )
            else:
                click.echo(f"Recorded the milestone “{what}” for {name} (id {made.id}).")
        elif milestone_id is not None:
            record = _one_of_theirs(
                caseload,
                person,
                Milestone.KIND,
                milestone_id,
                (m.id for m in caseload.journey(person.id).milestones),
                noun="milestone",
                command="milestone",
            )
            assert isinstance(record, Milestone)
            if remove:
                with_job = caseload.job_for_milestone(record.id) is not None
                click.echo(_removed(caseload, record, with_job=with_job))
            else:
                if type_ is not None:
                    values["type"] = _key(caseload, "milestone_types", type_, "--type", record.type)
                if not values:
                    raise click.ClickException(
                        "Say what to correct: --on, --type, --note or --chosen-by (or --remove). "
                        f"{_NOTHING}"
                    )
                work = caseload.catalogue.job_entry_types
                had = caseload.job_for_milestone(record.id)
                away = (
                    had is not None
                    and record.type in work
                    and values.get("type", record.type) not in work
                )
                if (keep_job or remove_job) and not away:
                    flag = "--keep-job" if keep_job else "--remove-job"
                    raise click.ClickException(
                        f"{flag} is for a 'started work' milestone with a job, corrected into "
                        f"another type with --type. {_NOTHING}"
                    )
                if keep_job and remove_job:
                    raise click.ClickException(
                        f"Give --keep-job or --remove-job, not both. {_NOTHING}"
                    )
                if away and not (keep_job or remove_job):
                    assert had is not None
                    raise click.ClickException(
                        f"This 'started work' milestone has {name}'s job{_as(had.job_title)} "
                        f"recorded with it (id {had.id}, started {long_date(had.started_on)}): "
                        "add --remove-job to "
                        "remove the job too (the milestone was the wrong type and so is the "
                        f"job), or --keep-job to keep it ({name} did start that job). {_NOTHING}"
                    )
                # Its job follows its type (Caseload.correct_milestone, as the window saves
                # it): into "started work", its job from that day; away from it, the job
                # recorded with it goes too unless --keep-job. One change, one undo.
                caseload.correct_milestone(record.id, keep_job=keep_job, **values)
                now = caseload.job_for_milestone(record.id)
                click.echo(f"Corrected the milestone {record.id} for {name}.")
                if now is not None and had is None:
                    click.echo(_job_made(name, now.id))
                elif had is not None and now is None:
                    click.echo(
                        f"Removed the job{_as(had.job_title)} recorded with it (id {had.id}, "
                        "started "
                        f"{long_date(had.started_on)})."
                    )
                elif keep_job:
                    click.echo(
                        f"Kept the job{_as(had.job_title) if had else ''} recorded with it "
                        f"(id {had.id if had else ''}): "
                        f"{name} still counts as having started work."
                    )
        _show_milestones(caseload, person)


COMMANDS = (contact, milestone)
