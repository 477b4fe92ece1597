"""Feedback about one parent on the command line: `feedback` lists it ("you said, we did"),
records what was said, adds what changed as a result or corrects only what was given, or
removes one entered by mistake, with the same use cases (and so the same journey-log events)
as the window's Feedback tab."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from journeyapp.cli.goal_cmds import _day, _one_value
from journeyapp.cli.options import CaseloadTarget, caseload_options, open_caseload
from journeyapp.cli.plans_cmds import one_participant
from journeyapp.cli.records_cmds import _one_of_theirs, _removed, _what_to_do, _words
from journeyapp.core.access import Access
from journeyapp.core.enums import FeedbackSource, label

if TYPE_CHECKING:
    from journeyapp.caseload import Caseload
    from journeyapp.core.records import Participant

_NOTHING = "Nothing was recorded."


def _show_feedback(caseload: Caseload, person: Participant) -> None:
    """Each piece of feedback on one line, most recent first as the Feedback tab lists it:
    the day, who gave it, what was said and what changed as a result, as typed."""
    from journeyapp.core.describe import marked_day

    today = caseload.today()
    given = sorted(
        caseload.journey(person.id).feedback, key=lambda f: (f.on, f.created_at), reverse=True
    )
    if not given:
        click.echo(f"No feedback from or about {person.preferred_name} yet.")
    for f in given:
        line = f"{f.id}  {marked_day(f.on.isoformat(), f.on, today)}, {label(f.source)}"
        line += f", you said: {_words(f.said)}"
        line += f", we did: {_words(f.we_did)}" if f.we_did else ", what changed: not added yet"
        click.echo(line)


@click.command()
@click.argument("participant")
@caseload_options
@click.option("--log", "logging", is_flag=True, help="Record new feedback (give --said).")
@click.option(
    "--id",
    "feedback_id",
    metavar="ID",
    default=None,
    help="Add what changed to, or correct, the feedback with this id instead (as listed; the "
    "start of it will do).",
)
@click.option(
    "--remove", is_flag=True, help="Remove the feedback given by --id (one entered by mistake)."
)
@click.option("--said", default=None, help="What was said (you said), as it was said.")
@click.option(
    "--we-did",
    "we_did",
    default=None,
    help="What changed as a result (we did); optional, it can be added later with --id.",
)
@click.option(
    "--source",
    metavar="WHO",
    default=None,
    help="Who gave it: parent (the default for new feedback), keyworker or partner (or the "
    "words the window shows).",
)
@click.option(
    "--on", metavar="DATE", default=None, help="The day it was said (default for --log: today)."
)
def feedback(
    participant: str,
    target: CaseloadTarget,
    logging: bool,
    feedback_id: str | None,
    remove: bool,
    said: str | None,
    we_did: str | None,
    source: str | None,
    on: str | None,
) -> None:
    """List, record, add to, correct or remove feedback from or about one parent.

    With neither --log nor --id it lists their feedback ("you said, we did"), most recent
    first. PARTICIPANT is their id, their reference, or a unique part of their name.

    \b
    Example:
        journeyapp feedback "Siobhán" --db caseload.db --log \\
            --said "The group is hard to get to before nursery opens" --source parent
        journeyapp feedback "Siobhán" --db caseload.db --id FEEDBACK_ID \\
            --we-did "Moved the group to 10:00"
        journeyapp feedback "Siobhán" --db caseload.db --id FEEDBACK_ID --remove
    """
    from journeyapp.core.records import Feedback

    details: dict[str, Any] = {"--said": said, "--we-did": we_did, "--source": source, "--on": on}
    listing = _what_to_do(logging, feedback_id, remove, details, "feedback")
    if logging and said is None:
        raise click.ClickException(
            "Say what was said: --said TEXT (`journeyapp feedback NAME --log --said "
            f'"..." --source parent`). {_NOTHING}'
        )
    values: dict[str, Any] = {}
    # As the window's form saves them: words with their spaces at either end trimmed.
    if said is not None:
        values["said"] = said.strip()
    if we_did is not None:
        values["we_did"] = we_did.strip()
    if source is not None:
        values["source"] = _one_value(source, FeedbackSource, "--source")
    if on is not None:
        values["on"] = _day(on, "--on")
    with open_caseload(target, access=Access.READ if listing else Access.WRITE) as caseload:
        person = one_participant(caseload, participant)
        name = person.preferred_name
        if logging:
            made = caseload.add_feedback(values.pop("said"), participant_id=person.id, **values)
            click.echo(f"Recorded the feedback {_words(made.said)} for {name} (id {made.id}).")
        elif feedback_id is not None:
            record = _one_of_theirs(
                caseload,
                person,
                Feedback.KIND,
                feedback_id,
                (f.id for f in caseload.journey(person.id).feedback),
                noun="feedback",
                command="feedback",
                nouns="feedback",
            )
            assert isinstance(record, Feedback)
            if remove:
                click.echo(_removed(caseload, record))
            else:
                if not values:
                    raise click.ClickException(
                        "Say what to correct: --said, --we-did, --source or --on (or --remove). "
                        f"{_NOTHING}"
                    )
                caseload.update_record(Feedback.KIND, record.id, **values)
                if set(values) == {"we_did"} and values["we_did"]:
                    click.echo(f"Added what changed to the feedback {_words(record.said)}.")
                else:
                    click.echo(f"Corrected the feedback {record.id} for {name}.")
        _show_feedback(caseload, person)


COMMANDS = (feedback,)
