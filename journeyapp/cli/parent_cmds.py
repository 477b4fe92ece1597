"""A parent's own details, chosen pace and choices of services on the command line: `parent`
shows what the About tab shows, enrols a new parent as the window's New parent form does, or
corrects only the details given (the About tab's Save details); `pace` lists the pace the parent
chose and every change of it, records one, corrects or removes one (the Pace tab's form);
`choice` lists their decisions about the partnership's services, records, corrects or removes
one (the Choices tab's form). The same use cases, so the journey log gets the same events."""

from __future__ import annotations

import shlex
from contextlib import nullcontext
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import click

from journeyapp.cli.options import CaseloadTarget, caseload_options, one_line, open_caseload
from journeyapp.cli.plans_cmds import one_participant, told_apart
from journeyapp.cli.records_cmds import _NOTHING, _key, _one_of_theirs, _removed, _words
from journeyapp.core.access import Access
from journeyapp.core.enums import (
    ConsentPurpose,
    Decision,
    Destination,
    Pace,
    ParticipantStatus,
    Rhythm,
    Voice,
    label,
)

if TYPE_CHECKING:
    from journeyapp.caseload import Caseload
    from journeyapp.core.records import Child, Choice, Consent, Journey, Participant

_CHOSEN_BY = click.Choice([v.value for v in Voice])


def _norm(text: str) -> str:
    """Typed words compared as the catalogue compares them: case, spaces, - and _ aside."""
    return " ".join(text.replace("_", " ").replace("-", " ").casefold().split())


def _one_value(kind: type[StrEnum], typed: str, option: str) -> Any:
    """The value of `kind` that `typed` names (its key or its words, in any case), or a refusal
    naming every one there is."""
    from journeyapp.core.text import quoted

    wanted = _norm(typed)
    for value in kind:
        if wanted in (_norm(value.value), _norm(label(value))):
            return value
    each = ", ".join(f"{v.value} ({label(v)})" for v in kind)
    raise click.ClickException(f"{option} {quoted(typed)} is not one of: {each}. {_NOTHING}")


def _shown(text: str) -> str:
    """Words as typed; with a control character in them, shown harmless (as `_words`)."""
    return text if text.isprintable() else _words(text)


def _day(value: date, today: date) -> str:
    from journeyapp.core.describe import marked_day

    return marked_day(value.isoformat(), value, today)


# -- parent ---------------------------------------------------------------------------------------

# (field, option, words) of the details the About tab edits, in the order it shows them.
_TEXTS = (
    ("preferred_name", "--name", "Name to call them by"),
    ("full_name", "--full-name", "Full name"),
    ("date_of_birth", "--date-of-birth", "Date of birth"),
    ("phone", "--phone", "Phone"),
    ("email", "--email", "Email"),
    ("address", "--address", "Address"),
    ("keyworker", "--keyworker", "Keyworker"),
    ("referral_source", "--referral-source", "Heard about us from"),
)


_OPTION_OF = {field: option for field, option, _words in _TEXTS}


def _one_line(text: str, option: str) -> None:
    """Refuse a detail that is not one line, as the window's About tab boxes take it."""
    one_line(text, option, where="the window", nothing=_NOTHING)


def _language(typed: str) -> str:
    """The code of the printed plan's language `typed` names (its code or its name)."""
    from journeyapp.core.documents.wording import PRINT_LANGUAGES
    from journeyapp.core.text import quoted

    wanted = _norm(typed)
    for code, name in PRINT_LANGUAGES.items():
        english = name.split(" (", 1)[0]
        if wanted in (_norm(code), _norm(name), _norm(english)):
            return code
    each = ", ".join(f"{code} ({name})" for code, name in PRINT_LANGUAGES.items())
    raise click.ClickException(
        f"--language {quoted(typed)} is not a language plans are printed in; give one of: "
        f"{each}. {_NOTHING}"
    )


def _show_parent(caseload: Caseload, journey: Journey) -> None:
    """What the About tab shows: the details, the stage by today, children, consent."""
    from journeyapp.core.documents.wording import PRINT_LANGUAGES
    from journeyapp.core.enums import ConsentPurpose

    today = caseload.today()
    catalogue = caseload.catalogue
    p = journey.participant
    click.echo(f"{_shown(p.preferred_name)} (id {p.id}{f', ref {p.ref}' if p.ref else ''})")
    for field, _option, words in _TEXTS:
        value = getattr(p, field)
        if field == "date_of_birth":
            text = value.isoformat() if value else ""
        else:
            text = _shown(str(value or "").strip())
        click.echo(f"  {words}: {text or '(not given)'}")
    click.echo(f"  Locality: {catalogue.shown('localities', p.locality)}")
    click.echo(f"  Working towards: {label(p.destination)}")
    language = p.language or "en"
    click.echo(f"  Printed plan in: {PRINT_LANGUAGES.get(language, language)}")
    click.echo(f"  Joined on: {_day(p.joined_on, today)}")
    by_today = journey.as_of(today)
    click.echo(f"  Journey: {label(by_today.participant.status)}")
    now = journey.stage_by(today)
    stage = catalogue.shown("stages", now) if now else "none yet"
    since = max((s.on for s in journey.stages if s.stage == now and s.on <= today), default=None)
    click.echo(f"Stage: {stage}" + (f", since {since.isoformat()}" if since else ""))
    click.echo("Children and childcare:")
    if not journey.children:
        click.echo("  No children noted yet.")
    for kid in journey.children:
        born = f"Born {kid.birth_year}" if kid.birth_year else "Birth year not noted"
        if kid.birth_year and today.year >= kid.birth_year:
            born += f" (about {today.year - kid.birth_year})"
        needs = _shown(kid.childcare_needs.strip()) or "no childcare needs noted"
        click.echo(f"  {kid.id}  {born}, childcare: {needs}")
    click.echo("Consent:")
    consents = {c.purpose: c for c in journey.consents}
    for purpose in ConsentPurpose:
        consent = consents.get(purpose)
        if consent is None:
            words = "not asked yet"
        elif consent.given:
            words = f"given on {consent.on.isoformat()}"
        else:
            words = f"withdrawn or not given, {consent.on.isoformat()}"
        if consent is not None and consent.how_recorded.strip():
            words += f" ({_shown(consent.how_recorded.strip())})"
        click.echo(f"  {label(purpose)}: {words}")


def _same_names(caseload: Caseload, made: Participant) -> list[Participant]:
    """The other parents called what the new one is called (capitals and accents aside)."""
    from journeyapp.core.text import fold

    name = fold(made.preferred_name)
    return [
        p
        for p in caseload.find_participants(made.preferred_name)
        if p.id != made.id and fold(p.preferred_name) == name
    ]


@click.command("parent")
@click.argument("participant", required=False)
@caseload_options
@click.option(
    "--new", "enrolling", is_flag=True, help="Enrol a new parent (give --name and --locality)."
)
@click.option(
    "--name",
    "--preferred-name",
    "preferred_name",
    default=None,
    help="The name they like to be called (needed to enrol; the window's Preferred name).",
)
@click.option("--full-name", default=None, help="Their full name (optional).")
@click.option(
    "--locality",
    default=None,
    help="Where they live: its key or its name from the catalogue (needed to enrol).",
)
@click.option(
    "--joined-on",
    metavar="DATE",
    default=None,
    help="With --new: the day they joined (default today).",
)
@click.option(
    "--date-of-birth",
    metavar="DATE",
    default=None,
    help='Their date of birth (optional; "" clears it).',
)
@click.option("--phone", default=None, help='Their phone number ("" clears it).')
@click.option("--email", default=None, help='Their email address ("" clears it).')
@click.option("--address", default=None, help='Their address ("" clears it).')
@click.option(
    "--keyworker",
    default=None,
    help="Their keyworker (for --new: this laptop's keyworker unless given).",
)
@click.option(
    "--referral-source",
    default=None,
    help="Who suggested the programme to them (the window's 'Heard about us from').",
)
@click.option(
    "--destination",
    default=None,
    help="What they are working towards: work, training_education, volunteering or "
    "not_decided (or its words).",
)
@click.option(
    "--language",
    default=None,
    help="The language their printed plan is in: en, pl, uk or ar (or its name; default English).",
)
@click.option(
    "--add-child",
    "child",
    metavar="AGE_OR_YEAR",
    default=None,
    help='Note a child: their age (e.g. 3) or the year they were born (e.g. 2021); "" when '
    "not noted. No name is needed.",
)
@click.option(
    "--childcare-needs",
    default=None,
    help="With --add-child or --child: the child's childcare needs (optional).",
)
@click.option(
    "--child",
    "child_id",
    metavar="ID",
    default=None,
    help="Correct (with --age-or-year, --childcare-needs) or remove (--remove-child) the child "
    "with this id (as listed; the start of it will do).",
)
@click.option(
    "--age-or-year",
    default=None,
    help='With --child: their age or the year they were born, corrected ("" when not noted).',
)
@click.option(
    "--remove-child",
    is_flag=True,
    help="With --child: remove that child (noted by mistake).",
)
@click.option(
    "--consent",
    "consents",
    metavar="PURPOSE=given|withdrawn",
    multiple=True,
    help="Record consent for one purpose (repeat for more): holding_data, "
    "sharing_with_partners, referrals, evaluation_quotes, group_registers or "
    "equalities_monitoring (or its words), =given or =withdrawn.",
)
@click.option(
    "--how",
    default=None,
    help="With --consent: how it was recorded (e.g. 'signed form'; as it was unless given).",
)
@click.option(
    "--consent-on",
    metavar="DATE",
    default=None,
    help="With --consent: the day it was given or withdrawn (default today; for a consent "
    "that does not change, its day corrected).",
)
def parent(
    participant: str | None,
    target: CaseloadTarget,
    enrolling: bool,
    preferred_name: str | None,
    full_name: str | None,
    locality: str | None,
    joined_on: str | None,
    date_of_birth: str | None,
    phone: str | None,
    email: str | None,
    address: str | None,
    keyworker: str | None,
    referral_source: str | None,
    destination: str | None,
    language: str | None,
    child: str | None,
    childcare_needs: str | None,
    child_id: str | None,
    age_or_year: str | None,
    remove_child: bool,
    consents: tuple[str, ...],
    how: str | None,
    consent_on: str | None,
) -> None:
    """Show one parent's details (the About tab), enrol a new parent, or correct details.

    PARTICIPANT is their id, their reference, or a unique part of their name. Given details
    with it, only those are changed ("" clears one); with --new (and no PARTICIPANT) a new
    parent is enrolled, as the window's Parent > New parent… does, and their id printed.

    \b
    Example:
        journeyapp parent --new --db caseload.db --name "Siobhán" --locality Fife \\
            --full-name "Siobhán Kelly" --phone "07700 900123"
        journeyapp parent "Siobhán" --db caseload.db
        journeyapp parent "Siobhán" --db caseload.db --phone "07700 900456" --email ""
        journeyapp parent "Siobhán" --db caseload.db --add-child 3 --childcare-needs "nursery"
        journeyapp parent "Siobhán" --db caseload.db --consent holding_data=given \\
            --consent referrals=given --how "signed form"
    """
    from journeyapp.core.validation import parse_date, parse_optional_date

    # Days first, as click reads a value it has a type for: a day that is not one is named
    # whatever else the command line says.
    joined = None if joined_on is None else parse_date(joined_on, "--joined-on")
    born = None if date_of_birth is None else parse_optional_date(date_of_birth, "--date-of-birth")
    consent_day = None if consent_on is None else parse_date(consent_on, "--consent-on")
    texts: dict[str, str | None] = {
        "preferred_name": preferred_name,
        "full_name": full_name,
        "phone": phone,
        "email": email,
        "address": address,
        "keyworker": keyworker,
        "referral_source": referral_source,
    }
    given = {field: text.strip() for field, text in texts.items() if text is not None}
    from journeyapp.core import records
    from journeyapp.core.errors import FieldProblem
    from journeyapp.core.typed import typed_values

    try:
        # The one rule for typed words (core.typed), before anything is opened: a line break,
        # a tab or a control character is refused as the About tab refuses it, naming the option.
        given = typed_values(records.Participant, given)
    except FieldProblem as exc:
        said = exc.said(_OPTION_OF.get(exc.field or ""))
        raise click.ClickException(f"{said} {_NOTHING}") from None
    if date_of_birth is not None:
        given["date_of_birth"] = born  # type: ignore[assignment]
    if enrolling and participant is not None:
        raise click.ClickException(
            f"--new enrols a new parent: give their name with --name, not {participant!r} "
            f"before the options (or leave out --new to show or correct that parent). {_NOTHING}"
        )
    if not enrolling and participant is None:
        raise click.ClickException(
            "Say which parent (PARTICIPANT: their id, reference or part of their name), or "
            f"--new --name NAME --locality PLACE to enrol one. {_NOTHING}"
        )
    if joined is not None and not enrolling:
        raise click.ClickException(
            "--joined-on goes with --new (the day a new parent joined); the About tab does not "
            f"change it. {_NOTHING}"
        )
    if (how is not None or consent_on is not None) and not consents:
        first = "--how" if how is not None else "--consent-on"
        raise click.ClickException(
            f"{first} goes with --consent PURPOSE=given|withdrawn (the consent it is about). "
            f"{_NOTHING}"
        )
    if how is not None:
        _one_line(how, "--how")
    _child_options_go_together(
        enrolling, child, childcare_needs, child_id, age_or_year, remove_child
    )
    if enrolling and not (preferred_name or "").strip():
        raise click.ClickException(
            "Write the name the parent likes to be called with --name; it cannot be left "
            f"empty. {_NOTHING}"
        )
    changing = (
        bool(given)
        or bool(consents)
        or any(v is not None for v in (locality, destination, language, child, child_id))
    )
    access = Access.WRITE if enrolling or changing else Access.READ
    with open_caseload(target, access=access) as caseload:
        values: dict[str, Any] = dict(given)
        if destination is not None:
            values["destination"] = _one_value(Destination, destination, "--destination")
        if language is not None:
            values["language"] = _language(language)
        if enrolling:
            if locality is None or not locality.strip():
                places = ", ".join(
                    f"{k} ({n})" for k, n in caseload.catalogue.choices("localities")
                )
                raise click.ClickException(
                    f"Choose the locality the parent lives in: --locality with one of: {places}. "
                    f"{_NOTHING}"
                )
            place = _key(caseload, "localities", locality, "--locality")
            name = values.pop("preferred_name")
            if "keyworker" not in values and caseload.actor != "keyworker":
                values["keyworker"] = caseload.actor  # as the form offers it
            values.setdefault("language", "en")  # the form's first choice
            kid = _child(caseload, child, childcare_needs)
            agreed = _consents(consents, how, consent_day, {})
            # With a child or consent: all, or nothing (one refused enrols no one).
            with caseload.batch("enrol a parent") if kid or agreed else nullcontext():
                made = caseload.enrol_participant(name, place, joined, **values)
                if kid:
                    caseload.add_child(made.id, *kid)
                if agreed:
                    caseload.record_consents(made.id, agreed[0], on=consent_day)
            click.echo(f"Enrolled {made.preferred_name} (id {made.id}).")
            if agreed:
                click.echo(f"Recorded their consent ({_consent_words(agreed[0])}).")
            for other in _same_names(caseload, made):
                click.echo(
                    f"Note: another parent is called {made.preferred_name} too: "
                    f"{told_apart(caseload, other)}. If that is the same person, the new record "
                    f"can be closed: journeyapp journey {made.id[:8]} --closed",
                    err=True,
                )
            _show_parent(caseload, caseload.journey(made.id))
            return
        assert participant is not None
        person = one_participant(caseload, participant)
        if locality is not None:
            values["locality"] = _key(
                caseload, "localities", locality, "--locality", person.locality
            )
        # Only what differs from what is saved, as the About tab's Save details writes it.
        changes = {field: value for field, value in values.items() if value != _held(person, field)}
        kid = _child(caseload, child, childcare_needs)
        journey = caseload.journey(person.id)
        theirs = None if child_id is None else _their_child(caseload, journey, child_id)
        fixed: dict[str, Any] = {}
        if theirs is not None and not remove_child:
            if age_or_year is not None:
                _one_line(age_or_year, "--age-or-year")
                from journeyapp.core.validation import birth_year_from

                fixed["birth_year"] = birth_year_from(age_or_year, caseload.today().year)
            if childcare_needs is not None:
                fixed["childcare_needs"] = childcare_needs.strip()
            fixed = {k: v for k, v in fixed.items() if v != getattr(theirs, k)}
        held = {c.purpose: c for c in journey.consents}
        agreed = _consents(consents, how, consent_day, held)
        if values and not changes:
            click.echo("Nothing to change: the details are as they were.")
        if consents and not (agreed and agreed[0]):
            click.echo("Nothing to change: consent is as it was.")
        # All that was given, or nothing (a child refused leaves the details as they were).
        gone = theirs if remove_child else None
        if theirs is not None and not remove_child and not fixed:
            click.echo("Nothing to change: the child is noted as they were.")
        many = sum(map(bool, (changes, kid, agreed and agreed[0], fixed, gone))) > 1
        with caseload.batch("update details") if many else nullcontext():
            if changes:
                caseload.update_participant(person.id, **changes)
            if kid:
                caseload.add_child(person.id, *kid)
            if theirs is not None and fixed:
                caseload.update_record(theirs.KIND, theirs.id, **fixed)
            if gone is not None:
                removed = _removed(caseload, gone)
            if agreed and agreed[0]:
                caseload.record_consents(person.id, agreed[0], on=consent_day, dates=agreed[1])
        if changes:
            fields = ", ".join(_detail_words(field) for field in changes)
            click.echo(f"Saved {person.preferred_name}'s details ({fields}).")
        if kid:
            click.echo(f"Noted a child of {person.preferred_name}'s.")
        if theirs is not None and fixed:
            click.echo(f"Corrected the child {theirs.id} of {person.preferred_name}'s.")
        if gone is not None:
            click.echo(removed)
        if agreed and agreed[0]:
            click.echo(f"Recorded {person.preferred_name}'s consent ({_consent_words(agreed[0])}).")
        _show_parent(caseload, caseload.journey(person.id))


def _child_options_go_together(
    enrolling: bool,
    child: str | None,
    needs: str | None,
    child_id: str | None,
    age_or_year: str | None,
    remove_child: bool,
) -> None:
    """Refuse the child options that do not go together, before anything is opened."""
    problem = ""
    if child_id is not None and (enrolling or child is not None):
        problem = "--child ID corrects a child noted before; --add-child notes a new one: not both"
    elif child_id is None and (age_or_year is not None or remove_child):
        first = "--age-or-year" if age_or_year is not None else "--remove-child"
        problem = f"{first} goes with --child ID (the child, as listed; a new one: --add-child)"
    elif needs is not None and child is None and child_id is None:
        problem = "--childcare-needs goes with --add-child AGE_OR_YEAR or --child ID"
    elif remove_child and (age_or_year is not None or needs is not None):
        problem = "--remove-child takes the child whole: correct them, or remove them, not both"
    elif child_id is not None and not remove_child and age_or_year is None and needs is None:
        problem = (
            "Say what to correct of the child: --age-or-year, --childcare-needs or --remove-child"
        )
    if problem:
        raise click.ClickException(f"{problem}. {_NOTHING}")


def _their_child(caseload: Caseload, journey: Journey, typed: str) -> Child:
    """The parent's child with the id `typed` (whole, or the start of it as listed)."""
    from journeyapp.core.records import Child

    found = _one_of_theirs(
        caseload,
        journey.participant,
        Child.KIND,
        typed,
        (c.id for c in journey.children),
        noun="child",
        command="parent",
    )
    assert isinstance(found, Child)
    return found


def _child(
    caseload: Caseload, typed: str | None, needs: str | None
) -> tuple[int | None, str] | None:
    """The child --add-child notes, as the window's child form reads it: (birth year, needs)."""
    from journeyapp.core.validation import birth_year_from

    if typed is None:
        return None
    words = (needs or "").strip()
    _one_line(typed, "--add-child")
    return birth_year_from(typed, caseload.today().year), words


_GIVEN_WORDS = {"given": True, "yes": True, "withdrawn": False, "not given": False, "no": False}


def _consent_typed(typed: str) -> tuple[ConsentPurpose, bool]:
    """PURPOSE=given or PURPOSE=withdrawn as typed (the purpose by its key or its words)."""
    from journeyapp.core.text import quoted

    purpose, sep, state = typed.partition("=")
    if not sep or _norm(state) not in _GIVEN_WORDS:
        raise click.ClickException(
            f"--consent {quoted(typed)} is not PURPOSE=given or PURPOSE=withdrawn (e.g. "
            f"--consent holding_data=given). {_NOTHING}"
        )
    return _one_value(ConsentPurpose, purpose, "--consent"), _GIVEN_WORDS[_norm(state)]


def _consents(
    typed: tuple[str, ...],
    how: str | None,
    day: date | None,
    held: dict[ConsentPurpose, Consent],
) -> tuple[dict[ConsentPurpose, tuple[bool, str]], dict[ConsentPurpose, date]] | None:
    """What the About tab's consent form would save for --consent (and --how, --consent-on):
    a purpose whose consent changes, or whose wording (or, with --consent-on, day) is
    corrected; a wording corrected alone keeps the day it was given or withdrawn."""
    if not typed:
        return None
    wanted: dict[ConsentPurpose, bool] = {}
    for each in typed:
        purpose, given = _consent_typed(each)
        if wanted.get(purpose, given) != given:
            raise click.ClickException(
                f"--consent gives {label(purpose).lower()} as both given and withdrawn: give "
                f"it once. {_NOTHING}"
            )
        wanted[purpose] = given
    changes: dict[ConsentPurpose, tuple[bool, str]] = {}
    kept_days: dict[ConsentPurpose, date] = {}
    for purpose in ConsentPurpose:  # in the form's order, so the journey log's is the same
        if purpose not in wanted:
            continue
        given = wanted[purpose]
        known = held.get(purpose)
        words = how.strip() if how is not None else (known.how_recorded if known else "")
        if known is None or known.given != given:
            changes[purpose] = (given, words)
        elif known.how_recorded != words or (day is not None and known.on != day):
            changes[purpose] = (given, words)
            if day is None:
                kept_days[purpose] = known.on
    return changes, kept_days


def _consent_words(changes: dict[ConsentPurpose, tuple[bool, str]]) -> str:
    """What was recorded, purpose by purpose ("referrals to other services: given")."""
    return "; ".join(
        f"{label(purpose).lower()}: {'given' if yes else 'withdrawn or not given'}"
        for purpose, (yes, _how) in changes.items()
    )


def _held(person: Participant, field: str) -> Any:
    """A detail as the About tab shows it saved (no language: English; no text: empty)."""
    value = getattr(person, field)
    if field == "language":
        return value or "en"
    if field in ("date_of_birth", "destination", "locality"):
        return value
    return value or ""


def _detail_words(field: str) -> str:
    words = {f: w for f, _o, w in _TEXTS}
    words.update(
        locality="locality", destination="working towards", language="printed plan language"
    )
    return words.get(field, field).lower()


# -- pace -----------------------------------------------------------------------------------------


def _show_pace(caseload: Caseload, person: Participant) -> None:
    """The pace chosen by today, then each change most recent first: its id, day, pace and
    check-in, who chose it and why (the parent's own words in quotation marks)."""
    from journeyapp.core.describe import check_in_words, chosen_by_words, said

    today = caseload.today()
    journey = caseload.journey(person.id)
    name = person.preferred_name
    now = journey.as_of(today).current_pace
    if now is None:
        click.echo(f"{name} has not chosen a pace yet; check-ins every fortnight until they do.")
    else:
        click.echo(
            f"{name}'s pace: {label(now.pace)}, checking in {check_in_words(now.rhythm)} "
            f"(since {now.changed_on.isoformat()})"
        )
    by_today = journey.as_of(today)
    if by_today.participant.status is ParticipantStatus.PAUSED:
        # As the Pace tab says it under the pace: a break is their choice, never a failure.
        pause = by_today.open_pause
        since = f" since {pause.started_on.isoformat()}" if pause else ""
        click.echo(
            f"{name} is taking a break{since} (their choice; journeyapp break "
            f"{shlex.quote(name)} lists their breaks)."
        )
    changes = sorted(journey.pace, key=lambda p: (p.changed_on, p.created_at), reverse=True)
    for p in changes:
        line = (
            f"{p.id}  {_day(p.changed_on, today)}, {label(p.pace)}, checking in "
            f"{check_in_words(p.rhythm)}, {chosen_by_words(p.voice, name)}"
        )
        if p.reason.strip():
            line += f", why: {_shown(said(p.reason, p.voice))}"
        click.echo(line)


@click.command("pace")
@click.argument("participant")
@caseload_options
@click.option(
    "--set",
    "pace",
    metavar="PACE",
    default=None,
    help="The pace they chose: gently, steady or ready_to_push_on (or its words).",
)
@click.option(
    "--check-in",
    "rhythm",
    metavar="RHYTHM",
    default=None,
    help="How often they want to check in: weekly, fortnightly, monthly or "
    "when_i_get_in_touch (for a new change: as it was, else fortnightly).",
)
@click.option(
    "--id",
    "pace_id",
    metavar="ID",
    default=None,
    help="Correct the pace change with this id instead (as listed; the start of it will do).",
)
@click.option(
    "--remove", is_flag=True, help="Remove the pace change given by --id (entered by mistake)."
)
@click.option(
    "--on", metavar="DATE", default=None, help="The day it changed (default for --set: today)."
)
@click.option("--reason", "--note", "reason", default=None, help="Why, in their words (optional).")
@click.option(
    "--chosen-by",
    type=_CHOSEN_BY,
    default=None,
    help="Who chose it, and whose words the reason are: parent (the default for a new "
    "change), together or keyworker.",
)
def pace(
    participant: str,
    target: CaseloadTarget,
    pace: str | None,
    rhythm: str | None,
    pace_id: str | None,
    remove: bool,
    on: str | None,
    reason: str | None,
    chosen_by: str | None,
) -> None:
    """List, record, correct or remove the pace one parent chose (the pace is theirs).

    With neither --set, --check-in nor --id it lists their pace and every change of it, most
    recent first. PARTICIPANT is their id, their reference, or a unique part of their name.

    \b
    Example:
        journeyapp pace "Siobhán" --db caseload.db --set gently --check-in weekly \\
            --reason "Just moved house" --chosen-by parent
        journeyapp pace "Siobhán" --db caseload.db --id PACE_ID --on 2026-11-03
        journeyapp pace "Siobhán" --db caseload.db --id PACE_ID --remove
    """
    from journeyapp.core.describe import check_in_words
    from journeyapp.core.records import PaceChange
    from journeyapp.core.validation import parse_date

    day = None if on is None else parse_date(on, "--on")
    correcting = pace_id is not None  # --id "" too: refused later as no id
    new = not correcting and (pace is not None or rhythm is not None)
    details = {"--on": on, "--reason": reason, "--chosen-by": chosen_by}
    given = [n for n, v in details.items() if v is not None]
    if remove and not correcting:
        raise click.ClickException(
            f"--remove needs the pace change to remove: --id PACE_ID (as listed). {_NOTHING}"
        )
    if remove and (given or pace is not None or rhythm is not None):
        first = (given or ["--set" if pace is not None else "--check-in"])[0]
        raise click.ClickException(
            f"{first} does not go with --remove: remove the pace change, or correct it without "
            f"--remove. {_NOTHING}"
        )
    if not (new or correcting) and given:
        raise click.ClickException(
            f"Say what to do: --set PACE (the pace they chose) or --id PACE_ID (correct one). "
            f"{_NOTHING}"
        )
    if correcting and not remove and not (given or pace is not None or rhythm is not None):
        raise click.ClickException(
            f"Say what to correct: --set, --check-in, --on, --reason or --chosen-by (or "
            f"--remove). {_NOTHING}"
        )
    chosen = None if pace is None else _one_value(Pace, pace, "--set")
    every = None if rhythm is None else _one_value(Rhythm, rhythm, "--check-in")
    with open_caseload(target, access=Access.WRITE if new or correcting else Access.READ) as c:
        person = one_participant(c, participant)
        name = person.preferred_name
        if new:
            current = c.journey(person.id).current_pace  # the form starts from it
            if chosen is None and current is None:
                raise click.ClickException(
                    f"{name} has not chosen a pace yet: give it with --set (gently, steady or "
                    f"ready_to_push_on). {_NOTHING}"
                )
            made = c.change_pace(
                person.id,
                chosen if chosen is not None else current.pace,  # type: ignore[union-attr]
                every or (current.rhythm if current else Rhythm.FORTNIGHTLY),
                on=day,
                reason=(reason or "").strip(),
                voice=Voice(chosen_by or Voice.PARENT),
            )
            click.echo(
                f"Recorded {name}'s pace: {label(made.pace)}, checking in "
                f"{check_in_words(made.rhythm)} (id {made.id})."
            )
        elif pace_id is not None:
            record = _one_of_theirs(
                c,
                person,
                PaceChange.KIND,
                pace_id,
                (p.id for p in c.journey(person.id).pace),
                noun="pace change",
                command="pace",
            )
            assert isinstance(record, PaceChange)
            if remove:
                click.echo(_removed(c, record))
            else:
                wanted: dict[str, Any] = {
                    "pace": chosen,
                    "rhythm": every,
                    "changed_on": day,
                    "reason": None if reason is None else reason.strip(),
                    "voice": None if chosen_by is None else Voice(chosen_by),
                }
                changes = {
                    k: v for k, v in wanted.items() if v is not None and v != getattr(record, k)
                }
                if changes:
                    c.update_record(PaceChange.KIND, record.id, **changes)
                    click.echo(f"Corrected the pace change {record.id} for {name}.")
                else:
                    click.echo(f"Nothing to change: the pace change {record.id} is as it was.")
        _show_pace(c, person)


# -- choice ---------------------------------------------------------------------------------------


def _decision_words(choice: Choice, name: str) -> str:
    """A decision in neutral words (declining is a choice like any other), as the Choices tab
    says it: the day, who decided, the provider and the reason in whose words it is."""
    from journeyapp.core.describe import chosen_by_words, said

    words = f"{label(choice.decision)} (decided {choice.decided_on.isoformat()}, "
    words += f"{chosen_by_words(choice.voice, name)})"
    if choice.provider.strip():
        words += f", provider: {_shown(choice.provider.strip())}"
    if choice.reason.strip():
        words += f", reason: {_shown(said(choice.reason, choice.voice))}"
    return words


def _show_choices(caseload: Caseload, person: Participant) -> None:
    """Every service of the catalogue with the parent's decision about it, in the catalogue's
    order, as the Choices tab lists them; then any about a service the catalogue no longer
    lists, under its key (never hidden)."""
    from journeyapp.core.catalogue import unlisted

    name = person.preferred_name
    choices = {c.service: c for c in caseload.journey(person.id).choices}
    listed = caseload.catalogue.key_set("services")
    click.echo(f"{name}'s choices (“not for me now” and “maybe later” are choices too):")
    for entry in caseload.catalogue.services:
        choice = choices.get(str(entry.key))
        words = "not talked about yet" if choice is None else _decision_words(choice, name)
        click.echo(f"  {entry.label}: {words}")
    for key, choice in sorted(choices.items()):
        if key not in listed:
            click.echo(f"  {unlisted(key)}: {_decision_words(choice, name)}")


@click.command("choice")
@click.argument("participant")
@caseload_options
@click.option(
    "--service",
    default=None,
    help="The service: its key or its name from the catalogue (e.g. volunteering).",
)
@click.option(
    "--decision",
    default=None,
    help="Their decision: chosen, not_for_me_now or maybe_later (or its words; needed for a "
    "service not talked about yet).",
)
@click.option(
    "--on",
    metavar="DATE",
    default=None,
    help="The day they decided (default for a new decision: today).",
)
@click.option("--reason", default=None, help="Their reason, in their words (optional).")
@click.option("--provider", default=None, help="Who provides it (optional).")
@click.option(
    "--chosen-by",
    type=_CHOSEN_BY,
    default=None,
    help="Who decided, and whose words the reason are: parent (the default for a new "
    "decision), together or keyworker.",
)
@click.option(
    "--remove",
    is_flag=True,
    help="Remove their decision about --service (one recorded by mistake).",
)
def choice(
    participant: str,
    target: CaseloadTarget,
    service: str | None,
    decision: str | None,
    on: str | None,
    reason: str | None,
    provider: str | None,
    chosen_by: str | None,
    remove: bool,
) -> None:
    """List, record, correct or remove one parent's choices of services.

    With no --service it lists every service with their decision about it. With --service it
    records their decision about it, or corrects only what is given of the one recorded.
    PARTICIPANT is their id, their reference, or a unique part of their name.

    \b
    Example:
        journeyapp choice "Siobhán" --db caseload.db --service volunteering --decision chosen \\
            --reason "I want to get out of the house" --chosen-by parent
        journeyapp choice "Siobhán" --db caseload.db --service "job search support" \\
            --decision "not for me now"
        journeyapp choice "Siobhán" --db caseload.db --service volunteering --remove
    """
    from journeyapp.core.records import Choice
    from journeyapp.core.validation import parse_date

    day = None if on is None else parse_date(on, "--on")
    details = {
        "--decision": decision,
        "--on": on,
        "--reason": reason,
        "--provider": provider,
        "--chosen-by": chosen_by,
    }
    given = [n for n, v in details.items() if v is not None]
    if service is None and (given or remove):
        raise click.ClickException(
            f"Say which service: --service KEY or NAME (`journeyapp choice NAME` lists them). "
            f"{_NOTHING}"
        )
    if remove and given:
        raise click.ClickException(
            f"{given[0]} does not go with --remove: remove the decision, or correct it without "
            f"--remove. {_NOTHING}"
        )
    decided = None if decision is None else _one_value(Decision, decision, "--decision")
    with open_caseload(target, access=Access.READ if service is None else Access.WRITE) as c:
        person = one_participant(c, participant)
        name = person.preferred_name
        if service is not None:
            held = {ch.service: ch for ch in c.journey(person.id).choices}
            key = c.catalogue.find_key("services", service, held)
            if key is None:
                key = _key(c, "services", service, "--service")  # refused, naming them
            what = c.catalogue.shown("services", key)
            current = held.get(key)
            if remove:
                if current is None:
                    theirs = "; ".join(
                        f"{c.catalogue.shown('services', k)} ({label(ch.decision).lower()})"
                        for k, ch in held.items()
                    )
                    raise click.ClickException(
                        f"{name} has no decision recorded about {what}"
                        + (f"; theirs are about: {theirs}" if theirs else " (nor any other)")
                        + f". {_NOTHING}"
                    )
                assert isinstance(current, Choice)
                click.echo(_removed(c, current))
            elif current is None and decided is None:
                raise click.ClickException(
                    f"Say what {name} decided about {what}: --decision chosen, not_for_me_now "
                    f"or maybe_later. {_NOTHING}"
                )
            elif current is not None and not given:
                raise click.ClickException(
                    "Say what to correct: --decision, --on, --reason, --provider or "
                    f"--chosen-by (or --remove). {_NOTHING}"
                )
            else:
                # As the Choices tab's form: it starts from the decision held, and saves all.
                was: dict[str, Any] = {
                    "decision": current.decision if current else Decision.CHOSEN,
                    "on": current.decided_on if current else None,
                    "reason": current.reason if current else "",
                    "provider": current.provider if current else "",
                    "voice": current.voice if current else Voice.PARENT,
                }
                values: dict[str, Any] = {
                    "decision": decided or was["decision"],
                    "on": day or was["on"],
                    "reason": was["reason"] if reason is None else reason.strip(),
                    "provider": was["provider"] if provider is None else provider.strip(),
                    "voice": Voice(chosen_by) if chosen_by else was["voice"],
                }
                if current is not None and values == was:
                    click.echo(f"Nothing to change: the decision about {what} is as it was.")
                else:
                    made = c.choose_service(person.id, key, **values)
                    done = "Corrected" if current is not None else "Recorded"
                    click.echo(f"{done} {name}'s decision about {what}: {label(made.decision)}.")
        _show_choices(c, person)


COMMANDS = (parent, pace, choice)
