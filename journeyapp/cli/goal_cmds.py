"""A parent's goals (and their steps), referrals and self-assessments on the command line:
`goal`, `step`, `referral` and `assessment` list them, record one, correct one with only what
was given, or remove one entered by mistake, with the same use cases (and so the same
journey-log events) as the window's Goals, Referrals and Self-assessment tabs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from journeyapp.cli.options import CaseloadTarget, caseload_options, open_caseload
from journeyapp.cli.plans_cmds import one_participant
from journeyapp.cli.records_cmds import (
    _harmless,
    _key,
    _one_of_theirs,
    _removed,
    _what_to_do,
    _words,
)
from journeyapp.core import derived
from journeyapp.core.access import Access
from journeyapp.core.enums import GoalStatus, ReferralOutcome, Voice, label

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import date
    from enum import StrEnum

    from journeyapp.caseload import Caseload
    from journeyapp.core.records import Goal, Participant

_NOTHING = "Nothing was recorded."

_CHOSEN_BY_HELP = (
    "Whose words {what} is: parent (the default for a new one), together or keyworker, as "
    "the window's 'Whose words' asks."
)


def _plain(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _one_value(typed: str, values: type[StrEnum], option: str) -> Any:
    """The value of `values` (GoalStatus, ReferralOutcome) that `typed` names, by its key or
    its words as the window shows them, in any case; or a refusal naming them all."""
    from journeyapp.core.text import quoted

    wanted = _plain(typed)
    for value in values:
        if wanted and wanted in (_plain(value.value), _plain(label(value))):
            return value
    choices = ", ".join(f"{v.value} ({label(v)})" for v in values)
    raise click.ClickException(f"{option} {quoted(typed)} is not one of: {choices}. {_NOTHING}")


def _optional_key(caseload: Caseload, list_name: str, typed: str, option: str, held: str) -> str:
    """A catalogue key, or "" for none ("", or the window's "No particular …")."""
    if not typed.strip() or _plain(typed) in {"none", _plain(f"no particular {option[2:]}")}:
        return ""
    return _key(caseload, list_name, typed, option, held)


def _day(typed: str, option: str) -> date:
    from journeyapp.core.validation import parse_date

    return parse_date(typed, option)


def _optional_day(typed: str, option: str) -> date | None:
    """A day, or None for "" (a day taken away, as the window's empty date box)."""
    return None if not typed.strip() else _day(typed, option)


def _said(text: str, voice: Voice) -> str:

    return f"{_words(text)} ({label(voice)})"


# -- goal and step -------------------------------------------------------------------------------


def _who(caseload: Caseload, typed: str) -> str:
    """Who does a step, as the window's "Who" box keeps it: me, keyworker, a partner as the
    catalogue spells it (in any case), or any other name as typed."""
    text = typed.strip()
    if not text:
        raise click.ClickException(
            f"Say who does this step: --who me, keyworker, or a partner. {_NOTHING}"
        )
    for key in ("me", "keyworker"):
        if _plain(text) == key:
            return key
    for entry in caseload.catalogue.partners:
        if _plain(text) == _plain(str(entry.label)):
            return str(entry.label)
    return text


def _who_words(who: str, name: str) -> str:
    if who == "me":
        return name or "the parent"
    return who


def _show_goals(caseload: Caseload, person: Participant) -> None:
    """Each goal on one line in the Goals tab's order (working on it first, then not started,
    on hold, achieved, changed my mind), its words as typed and whose they are; each of its
    steps on a line beneath, with who does it, by when and the day it was done."""
    from journeyapp.core.describe import marked_day

    today = caseload.today()
    catalogue = caseload.catalogue
    journey = caseload.journey(person.id)
    name = person.preferred_name
    goals = derived.goals_in_order(journey.goals)
    if not goals:
        click.echo(f"No goals recorded for {name}.")
    for g in goals:
        line = f"{g.id}  {_said(g.words, g.voice)}, {label(g.status)}"
        if g.area:
            line += f", {catalogue.shown('outcome_areas', g.area)}"
        if g.by_when.strip():
            line += f", by when: {_words(g.by_when)}"
        if g.set_on is not None:
            line += f", set {marked_day(g.set_on.isoformat(), g.set_on, today)}"
        click.echo(line)
        for s in journey.steps_for(g.id):
            step = f"  step {s.id}  {_words(s.what)}, {_who_words(s.who, name)}"
            if s.due is not None:
                step += f", by {s.due.isoformat()}"
            if s.done_on is not None:
                step += f", done {marked_day(s.done_on.isoformat(), s.done_on, today)}"
            click.echo(step)


def _step_said(caseload: Caseload, step_id: str, name: str, *, corrected: bool) -> str:
    """What was done to a step: corrected, or (only) ticked done or not done."""
    from journeyapp.core.dates import long_date
    from journeyapp.core.records import Step

    now = caseload.record(Step.KIND, step_id)
    assert isinstance(now, Step)
    if corrected:
        return f"Corrected the step {step_id} for {name}."
    if now.done_on is not None:
        return f"Ticked the step {_words(now.what)} done on {long_date(now.done_on)}."
    return f"The step {_words(now.what)} is not done yet."


def _goal_of_theirs(caseload: Caseload, person: Participant, typed: str) -> Goal:
    from journeyapp.core.records import Goal

    found = _one_of_theirs(
        caseload,
        person,
        Goal.KIND,
        typed,
        (g.id for g in caseload.journey(person.id).goals),
        noun="goal",
        command="goal",
    )
    assert isinstance(found, Goal)
    return found


@click.command()
@click.argument("participant")
@caseload_options
@click.option("--log", "logging", is_flag=True, help="Record a new goal (give --words).")
@click.option(
    "--id",
    "goal_id",
    metavar="ID",
    default=None,
    help="Correct the goal with this id instead (as listed; the start of it will do).",
)
@click.option(
    "--remove",
    is_flag=True,
    help="Remove the goal given by --id (one entered by mistake; its steps go with it).",
)
@click.option("--words", default=None, help="What they want, as they said it.")
@click.option(
    "--area",
    metavar="AREA",
    default=None,
    help="The outcome area, its key or its label from the catalogue (optional; '' for none).",
)
@click.option(
    "--chosen-by",
    type=click.Choice([v.value for v in Voice]),
    default=None,
    help=_CHOSEN_BY_HELP.format(what="the goal"),
)
@click.option("--by-when", "by_when", default=None, help="By when, in their terms (optional).")
@click.option(
    "--status",
    metavar="STATUS",
    default=None,
    help="Where it stands: not_started (the default for a new one), working_on_it, achieved, "
    "changed_my_mind or on_hold (or the words the window shows).",
)
@click.option(
    "--on",
    metavar="DATE",
    default=None,
    help="The day the goal was set (default for --log: today).",
)
def goal(
    participant: str,
    target: CaseloadTarget,
    logging: bool,
    goal_id: str | None,
    remove: bool,
    words: str | None,
    area: str | None,
    chosen_by: str | None,
    by_when: str | None,
    status: str | None,
    on: str | None,
) -> None:
    """List, record, correct or remove what one parent wants (their goals), in their words.

    With neither --log nor --id it lists their goals with each goal's steps (add a step with
    `journeyapp step NAME --log --goal GOAL_ID --what ...`). PARTICIPANT is their id, their
    reference, or a unique part of their name.

    \b
    Example:
        journeyapp goal "Siobhán" --db caseload.db --log \\
            --words "I want to feel confident speaking in a group" --area confidence \\
            --chosen-by parent --by-when "by the summer"
        journeyapp goal "Siobhán" --db caseload.db --id GOAL_ID --status "working on it"
        journeyapp goal "Siobhán" --db caseload.db --id GOAL_ID --remove
    """
    details: dict[str, Any] = {
        "--words": words,
        "--area": area,
        "--chosen-by": chosen_by,
        "--by-when": by_when,
        "--status": status,
        "--on": on,
    }
    listing = _what_to_do(logging, goal_id, remove, details, "goal")
    if logging and words is None:
        raise click.ClickException(
            "Say what they want, in their words: --words TEXT (`journeyapp goal NAME --log "
            f'--words "I want to ..."`). {_NOTHING}'
        )
    chosen = None if status is None else _one_value(status, GoalStatus, "--status")
    with open_caseload(target, access=Access.READ if listing else Access.WRITE) as caseload:
        person = one_participant(caseload, participant)
        name = person.preferred_name
        # As the window's form saves them: words with their spaces at either end trimmed.
        values: dict[str, Any] = {}
        if words is not None:
            values["words"] = words.strip()
        if chosen_by is not None:
            values["voice"] = Voice(chosen_by)
        if by_when is not None:
            values["by_when"] = by_when.strip()
        if on is not None:
            values["set_on"] = _day(on, "--on")
        if logging:
            if area is not None:
                values["area"] = _optional_key(caseload, "outcome_areas", area, "--area", "")
            words_typed = values.pop("words")
            # As the window does it: the goal (not started), then its status changed.
            with caseload.batch("add a goal"):
                made = caseload.add_goal(person.id, words_typed, **values)
                if chosen is not None and chosen is not made.status:
                    caseload.set_goal_status(made.id, chosen)
            click.echo(f"Recorded the goal {_words(made.words)} for {name} (id {made.id}).")
        elif goal_id is not None:
            record = _goal_of_theirs(caseload, person, goal_id)
            if remove:
                from journeyapp.core.describe import describe

                steps = len(caseload.journey(person.id).steps_for(record.id))
                what = describe(record, caseload.catalogue, caseload.today(), steps=steps)
                caseload.delete_record(record.KIND, record.id)
                click.echo(f"Removed {_harmless(what)}.")
            else:
                if area is not None:
                    values["area"] = _optional_key(
                        caseload, "outcome_areas", area, "--area", record.area
                    )
                if not values and chosen is None:
                    raise click.ClickException(
                        "Say what to correct: --words, --area, --chosen-by, --by-when, --status "
                        f"or --on (or --remove). {_NOTHING}"
                    )
                # As the window does it: the goal's form, then its status drop-down.
                with caseload.batch("change a goal"):
                    if values:
                        caseload.update_goal(record.id, **values)
                    if chosen is not None:
                        caseload.set_goal_status(record.id, chosen)
                if values:
                    click.echo(f"Corrected the goal {record.id} for {name}.")
                else:
                    assert chosen is not None
                    click.echo(
                        f"The goal {_words(record.words)} for {name} is now: {label(chosen)}."
                    )
        _show_goals(caseload, person)


@click.command()
@click.argument("participant")
@caseload_options
@click.option(
    "--log", "logging", is_flag=True, help="Add a step to a goal (give --goal and --what)."
)
@click.option(
    "--id",
    "step_id",
    metavar="ID",
    default=None,
    help="Correct, tick or untick the step with this id instead (as listed; the start of it "
    "will do).",
)
@click.option(
    "--remove", is_flag=True, help="Remove the step given by --id (one entered by mistake)."
)
@click.option(
    "--goal",
    "goal_id",
    metavar="GOAL_ID",
    default=None,
    help="The goal the new step is towards (its id as `journeyapp goal NAME` lists it).",
)
@click.option("--what", default=None, help="What the step is, e.g. 'Phone the college'.")
@click.option(
    "--who",
    default=None,
    help="Who does it: me (the parent; the default), keyworker, or a partner's name.",
)
@click.option("--due", metavar="DATE", default=None, help="By when (optional; '' to take it away).")
@click.option(
    "--done/--not-done",
    "done",
    default=None,
    help="Tick the step done (on --on, default today) or untick it.",
)
@click.option(
    "--on", metavar="DATE", default=None, help="The day the step was done (goes with --done)."
)
def step(
    participant: str,
    target: CaseloadTarget,
    logging: bool,
    step_id: str | None,
    remove: bool,
    goal_id: str | None,
    what: str | None,
    who: str | None,
    due: str | None,
    done: bool | None,
    on: str | None,
) -> None:
    """List, add, correct, tick done or remove the steps towards one parent's goals.

    With neither --log nor --id it lists their goals with each goal's steps. PARTICIPANT is
    their id, their reference, or a unique part of their name.

    \b
    Example:
        journeyapp step "Siobhán" --db caseload.db --log --goal GOAL_ID \\
            --what "Phone the college about the course" --who me --due 2026-12-18
        journeyapp step "Siobhán" --db caseload.db --id STEP_ID --done
        journeyapp step "Siobhán" --db caseload.db --id STEP_ID --remove
    """
    from journeyapp.core.records import Step

    details: dict[str, Any] = {
        "--goal": goal_id,
        "--what": what,
        "--who": who,
        "--due": due,
        "--done/--not-done": done,
        "--on": on,
    }
    listing = _what_to_do(logging, step_id, remove, details, "step")
    if logging and (goal_id is None or what is None):
        raise click.ClickException(
            "Say which goal the step is towards and what it is: --goal GOAL_ID --what TEXT "
            f"(`journeyapp goal NAME` lists the goals with their ids). {_NOTHING}"
        )
    if goal_id is not None and not logging:
        raise click.ClickException(
            f"--goal goes with --log (a new step); a step stays with its goal. {_NOTHING}"
        )
    if on is not None and done is False:
        raise click.ClickException(
            f"--on is the day the step was done; it does not go with --not-done. {_NOTHING}"
        )
    with open_caseload(target, access=Access.READ if listing else Access.WRITE) as caseload:
        person = one_participant(caseload, participant)
        name = person.preferred_name
        values: dict[str, Any] = {}
        if what is not None:
            values["what"] = what.strip()  # as the window's form saves it
        if who is not None:
            values["who"] = _who(caseload, who)
        if due is not None:
            values["due"] = _optional_day(due, "--due")
        done_on = None if on is None else _day(on, "--on")
        ticked = bool(done) or on is not None
        if logging:
            assert goal_id is not None
            towards = _goal_of_theirs(caseload, person, goal_id)
            # As the window does it: the step added, then ticked done.
            with caseload.batch("add a step"):
                made = caseload.add_step(towards.id, values.pop("what"), **values)
                if ticked:
                    caseload.complete_step(made.id, on=done_on)
            click.echo(
                f"Added the step {_words(made.what)} towards the goal {_words(towards.words)} "
                f"for {name} (id {made.id})."
            )
        elif step_id is not None:
            record = _one_of_theirs(
                caseload,
                person,
                Step.KIND,
                step_id,
                (s.id for s in caseload.journey(person.id).steps),
                noun="step",
                command="step",
            )
            assert isinstance(record, Step)
            if remove:
                click.echo(_removed(caseload, record))
            else:
                if not values and done is None and on is None:
                    raise click.ClickException(
                        "Say what to correct: --what, --who, --due, --done (with --on) or "
                        f"--not-done (or --remove). {_NOTHING}"
                    )
                # As the window does it: the step's form, then its box ticked or unticked.
                with caseload.batch("change a step"):
                    if values:
                        caseload.update_step(record.id, **values)
                    if ticked:
                        caseload.complete_step(record.id, on=done_on)
                    elif done is False:
                        caseload.reopen_step(record.id)
                click.echo(_step_said(caseload, record.id, name, corrected=bool(values)))
        _show_goals(caseload, person)


# -- referral -------------------------------------------------------------------------------------


def _show_referrals(caseload: Caseload, person: Participant) -> None:
    """Each referral on one line, most recent first as the Referrals tab lists them: to whom
    (as typed), the service, the day, what came of it and why."""
    from journeyapp.core.describe import marked_day

    today = caseload.today()
    referrals = sorted(
        caseload.journey(person.id).referrals, key=lambda r: (r.on, r.created_at), reverse=True
    )
    if not referrals:
        click.echo(f"No referrals recorded for {person.preferred_name}.")
    for r in referrals:
        line = f"{r.id}  {marked_day(r.on.isoformat(), r.on, today)}, to {_words(r.to)}"
        if r.service:
            line += f", {caseload.catalogue.shown('services', r.service)}"
        line += f", {label(r.outcome)}"
        if r.reason.strip():
            line += f", reason: {_words(r.reason)}"
        click.echo(line)


@click.command()
@click.argument("participant")
@caseload_options
@click.option("--log", "logging", is_flag=True, help="Record a new referral (give --organisation).")
@click.option(
    "--id",
    "referral_id",
    metavar="ID",
    default=None,
    help="Correct the referral with this id instead (as listed; the start of it will do).",
)
@click.option(
    "--remove", is_flag=True, help="Remove the referral given by --id (one entered by mistake)."
)
@click.option(
    "--organisation",
    "to",  # the field it gives (a refusal of its words names --organisation)
    metavar="NAME",
    default=None,
    help="Who the referral is to: a partner from the catalogue or any organisation's name.",
)
@click.option(
    "--service",
    metavar="SERVICE",
    default=None,
    help="The service, its key or its label from the catalogue (optional; '' for none).",
)
@click.option("--reason", default=None, help="Why (optional).")
@click.option(
    "--on", metavar="DATE", default=None, help="The day of the referral (default for --log: today)."
)
@click.option(
    "--outcome",
    metavar="OUTCOME",
    default=None,
    help="What came of it: waiting (the default for a new one), attended, did_not_attend or "
    "no_longer_needed (or the words the window shows).",
)
def referral(
    participant: str,
    target: CaseloadTarget,
    logging: bool,
    referral_id: str | None,
    remove: bool,
    to: str | None,
    service: str | None,
    reason: str | None,
    on: str | None,
    outcome: str | None,
) -> None:
    """List, record, correct or remove one parent's referrals to other services.

    With neither --log nor --id it lists their referrals, most recent first. PARTICIPANT is
    their id, their reference, or a unique part of their name.

    \b
    Example:
        journeyapp referral "Siobhán" --db caseload.db --log \\
            --organisation "Citizens Advice" --service money_advice --reason "Debt worries"
        journeyapp referral "Siobhán" --db caseload.db --id REFERRAL_ID --outcome attended
        journeyapp referral "Siobhán" --db caseload.db --id REFERRAL_ID --remove
    """
    from journeyapp.core.records import Referral

    details: dict[str, Any] = {
        "--organisation": to,
        "--service": service,
        "--reason": reason,
        "--on": on,
        "--outcome": outcome,
    }
    listing = _what_to_do(logging, referral_id, remove, details, "referral")
    if logging and to is None:
        raise click.ClickException(
            "Say who the referral is to: --organisation NAME (a partner or any "
            f"organisation). {_NOTHING}"
        )
    if to is not None and not to.strip():
        raise click.ClickException(
            "Say who the referral is to: --organisation is empty; give a partner or an "
            f"organisation's name. {_NOTHING}"
        )
    came = None if outcome is None else _one_value(outcome, ReferralOutcome, "--outcome")
    with open_caseload(target, access=Access.READ if listing else Access.WRITE) as caseload:
        person = one_participant(caseload, participant)
        name = person.preferred_name
        values: dict[str, Any] = {}
        if to is not None:
            values["to"] = to.strip()  # as the window's form saves it
        if reason is not None:
            values["reason"] = reason.strip()
        if on is not None:
            values["on"] = _day(on, "--on")
        if logging:
            if service is not None:
                values["service"] = _optional_key(caseload, "services", service, "--service", "")
            # As the window does it: the referral (waiting), then what came of it.
            with caseload.batch("refer"):
                made = caseload.refer(person.id, values.pop("to"), **values)
                if came is not None and came is not made.outcome:
                    caseload.set_referral_outcome(made.id, came)
            click.echo(f"Recorded the referral to {_words(made.to)} for {name} (id {made.id}).")
        elif referral_id is not None:
            record = _one_of_theirs(
                caseload,
                person,
                Referral.KIND,
                referral_id,
                (r.id for r in caseload.journey(person.id).referrals),
                noun="referral",
                command="referral",
            )
            assert isinstance(record, Referral)
            if remove:
                click.echo(_removed(caseload, record))
            else:
                if service is not None:
                    values["service"] = _optional_key(
                        caseload, "services", service, "--service", record.service
                    )
                if not values and came is None:
                    raise click.ClickException(
                        "Say what to correct: --organisation, --service, --reason, --on or "
                        f"--outcome (or --remove). {_NOTHING}"
                    )
                # As the window does it: the referral's form, then its outcome drop-down.
                with caseload.batch("change a referral"):
                    if values:
                        caseload.update_record(Referral.KIND, record.id, **values)
                    if came is not None:
                        caseload.set_referral_outcome(record.id, came)
                if values:
                    click.echo(f"Corrected the referral {record.id} for {name}.")
                else:
                    assert came is not None
                    click.echo(f"The referral to {_words(record.to)} is now: {label(came)}.")
        _show_referrals(caseload, person)


# -- assessment -----------------------------------------------------------------------------------

LOWEST, HIGHEST = 1, 10  # the partnership's scale (core.validation holds scores to it)


def _scores(
    caseload: Caseload, typed: Iterable[str], option: str, held: Iterable[str] = ()
) -> dict[str, int | None]:
    """{area key: score} from AREA=N as typed (an area by its key or label, in any case; N a
    whole number on the scale, or nothing to leave the area unscored), or a refusal saying
    what is wrong and the scale."""
    from journeyapp.core.text import quoted

    found: dict[str, int | None] = {}
    for item in typed:
        area_typed, sep, number = item.rpartition("=")
        if not sep or not area_typed.strip():
            raise click.ClickException(
                f"{option} {quoted(item)} is not AREA=SCORE; give the outcome area and the "
                f"score, e.g. {option} confidence=6. {_NOTHING}"
            )
        # An area the catalogue no longer lists is taken while the record holds it.
        key = caseload.catalogue.find_key("outcome_areas", area_typed, held) or _key(
            caseload, "outcome_areas", area_typed, option
        )
        if key in found:
            raise click.ClickException(
                f"{option} gives {caseload.catalogue.shown('outcome_areas', key)} twice; give "
                f"each area once. {_NOTHING}"
            )
        text = number.strip()
        if not text:
            found[key] = None  # not scored this time, as an empty box in the window
            continue
        if not text.isdecimal() or not LOWEST <= int(text) <= HIGHEST:
            entry = caseload.catalogue.entry("outcome_areas", key)
            scale = f"from {LOWEST} to {HIGHEST}"
            if entry is not None and entry.low and entry.high:
                scale = f"from {LOWEST} ({_words(entry.low)}) to {HIGHEST} ({_words(entry.high)})"
            raise click.ClickException(
                f"{option} {quoted(item)}: {quoted(text)} is not a score for "
                f"{caseload.catalogue.shown('outcome_areas', key)}; the scale is a whole "
                f"number {scale}, or nothing (AREA=) for an area not scored. {_NOTHING}"
            )
        found[key] = int(text)
    return found


def _show_assessments(caseload: Caseload, person: Participant) -> None:
    """Each self-assessment on one line, most recent first as the Self-assessment tab lists
    them, then the change from the first to the latest by today, in words, as the tab says it."""
    from journeyapp.core.describe import marked_day, scores_words

    today = caseload.today()
    catalogue = caseload.catalogue
    journey = caseload.journey(person.id)
    taken = sorted(journey.assessments, key=lambda a: (a.taken_on, a.created_at), reverse=True)
    if not taken:
        click.echo(f"No self-assessments recorded for {person.preferred_name}.")
    for a in taken:
        line = f"{a.id}  {marked_day(a.taken_on.isoformat(), a.taken_on, today)}, "
        line += scores_words(a, catalogue)
        if a.comment.strip():
            line += f", comment: {_said(a.comment, a.voice)}"
        click.echo(line)
    by_today = journey.as_of(today)
    held = [area for a in by_today.assessments for area in a.scores]
    areas = [key for key, _ in catalogue.choices("outcome_areas", held)]
    changes = derived.distance_travelled(by_today.assessments, areas)
    if changes:
        click.echo("Change, first to latest:")
    elif by_today.assessments:
        click.echo("One self-assessment so far; the change shows after the next one.")
    for change in changes:
        shown = catalogue.shown("outcome_areas", change.area)
        click.echo(f"  {derived.describe_change(shown, change)}")


@click.command()
@click.argument("participant")
@caseload_options
@click.option("--log", "logging", is_flag=True, help="Record a new self-assessment (give --score).")
@click.option(
    "--id",
    "assessment_id",
    metavar="ID",
    default=None,
    help="Correct the self-assessment with this id instead (as listed; the start of it will do).",
)
@click.option(
    "--remove",
    is_flag=True,
    help="Remove the self-assessment given by --id (one entered by mistake).",
)
@click.option(
    "--score",
    "scores",
    metavar="AREA=N",
    multiple=True,
    help="The parent's own score for an outcome area (its key or label), 1 to 10; give it "
    "once for each area scored. Their rating is the record. AREA= leaves an area unscored.",
)
@click.option(
    "--your-view",
    "views",
    metavar="AREA=N",
    multiple=True,
    help="Your view beside their score (optional), 1 to 10, as --score.",
)
@click.option("--comment", default=None, help="A comment, in their words (optional).")
@click.option(
    "--chosen-by",
    type=click.Choice([v.value for v in Voice]),
    default=None,
    help=_CHOSEN_BY_HELP.format(what="the comment"),
)
@click.option(
    "--on",
    metavar="DATE",
    default=None,
    help="The day it was taken (default for --log: today).",
)
def assessment(
    participant: str,
    target: CaseloadTarget,
    logging: bool,
    assessment_id: str | None,
    remove: bool,
    scores: tuple[str, ...],
    views: tuple[str, ...],
    comment: str | None,
    chosen_by: str | None,
    on: str | None,
) -> None:
    """List, record, correct or remove how one parent rates themselves (self-assessments).

    With neither --log nor --id it lists their self-assessments, most recent first, and the
    change per area from the first to the latest. Scores go from 1 to 10 per outcome area;
    the parent's own rating is the record. A correction changes only the areas given.
    PARTICIPANT is their id, their reference, or a unique part of their name.

    \b
    Example:
        journeyapp assessment "Siobhán" --db caseload.db --log --score confidence=4 \\
            --score "Friends and support=6" --your-view confidence=5 \\
            --comment "Better than last month" --chosen-by parent
        journeyapp assessment "Siobhán" --db caseload.db --id ASSESSMENT_ID --score money=7
        journeyapp assessment "Siobhán" --db caseload.db --id ASSESSMENT_ID --remove
    """
    from journeyapp.core.records import Assessment

    details: dict[str, Any] = {
        "--score": scores or None,
        "--your-view": views or None,
        "--comment": comment,
        "--chosen-by": chosen_by,
        "--on": on,
    }
    listing = _what_to_do(logging, assessment_id, remove, details, "self-assessment")
    if logging and not scores:
        raise click.ClickException(
            "Give the parent's own scores: --score AREA=N for each area scored, 1 to 10 "
            f"(`journeyapp assessment NAME --log --score confidence=6`). {_NOTHING}"
        )
    with open_caseload(target, access=Access.READ if listing else Access.WRITE) as caseload:
        person = one_participant(caseload, participant)
        name = person.preferred_name
        values: dict[str, Any] = {}
        if on is not None:
            values["taken_on"] = _day(on, "--on")
        if comment is not None:
            values["comment"] = comment.strip()  # as the window's form saves it
        if chosen_by is not None:
            values["voice"] = Voice(chosen_by)
        if logging:
            theirs = _scored(caseload, {}, _scores(caseload, scores, "--score"))
            view = _scored(caseload, {}, _scores(caseload, views, "--your-view"))
            if not theirs:
                raise click.ClickException(
                    "Give at least one score from 1 to 10 in the parent's own --score; their "
                    f"rating is the record. {_NOTHING}"
                )
            made = caseload.record_assessment(person.id, theirs, keyworker_scores=view, **values)
            click.echo(f"Recorded the self-assessment for {name} (id {made.id}).")
        elif assessment_id is not None:
            record = _one_of_theirs(
                caseload,
                person,
                Assessment.KIND,
                assessment_id,
                (a.id for a in caseload.journey(person.id).assessments),
                noun="self-assessment",
                command="assessment",
            )
            assert isinstance(record, Assessment)
            if remove:
                click.echo(_removed(caseload, record))
            else:
                held = [*record.scores, *record.keyworker_scores]
                if scores:
                    values["scores"] = _scored(
                        caseload, record.scores, _scores(caseload, scores, "--score", held)
                    )
                    if not values["scores"]:
                        raise click.ClickException(
                            "That would leave no score of the parent's own; keep at least one "
                            f"(their rating is the record), or remove it with --remove. "
                            f"{_NOTHING}"
                        )
                if views:
                    values["keyworker_scores"] = _scored(
                        caseload,
                        record.keyworker_scores,
                        _scores(caseload, views, "--your-view", held),
                    )
                if not values:
                    raise click.ClickException(
                        "Say what to correct: --score, --your-view, --comment, --chosen-by or "
                        f"--on (or --remove). {_NOTHING}"
                    )
                caseload.update_record(Assessment.KIND, record.id, **values)
                click.echo(f"Corrected the self-assessment {record.id} for {name}.")
        _show_assessments(caseload, person)


def _scored(
    caseload: Caseload, held: dict[str, int], typed: dict[str, int | None]
) -> dict[str, int]:
    """`held` scores with those typed put in (an area typed with no score left out), in the
    catalogue's order of the areas, as the window's form reads its boxes."""
    scores = dict(held)
    for key, score in typed.items():
        if score is None:
            scores.pop(key, None)
        else:
            scores[key] = score
    order = caseload.catalogue.choices("outcome_areas", scores)
    return {key: scores[key] for key, _ in order if key in scores}


COMMANDS = (goal, step, referral, assessment)
