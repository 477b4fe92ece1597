"""Who this laptop's plans are from, on the command line: `settings` shows and changes what the
window's File > Settings holds (the organisation, your name, the phone and email printed on
every plan for parents to get in touch, the programme's name, this laptop's name), with the
same checks, so a laptop set up from the command line prints plans a parent can call back from.
"""

from __future__ import annotations

import click

from journeyapp.cli.options import CaseloadTarget, caseload_options, one_line, open_caseload
from journeyapp.core.access import Access

_NOTHING = "Nothing was changed."

# Each setting: its option, the Sender field, and what the window's Settings calls it.
_FIELDS = (
    ("--organisation", "organisation", "Organisation"),
    ("--your-name", "keyworker", "Your name"),
    ("--phone", "phone", "Phone"),
    ("--email", "email", "Email"),
    ("--programme", "programme", "Programme name"),
    ("--laptop-name", "device_name", "This laptop's name"),
)
_LONGEST = 200  # characters, as the window's boxes take


def _checked(option: str, text: str) -> str:
    """`text` as the window's one-line box would hold it, or a refusal in one line."""
    one_line(text, option, where="the window's Settings", nothing=_NOTHING)
    if len(text) > _LONGEST:
        raise click.ClickException(
            f"{option} is {len(text):,} characters long; Settings keeps at most {_LONGEST}. "
            f"{_NOTHING}"
        )
    return text


@click.command("settings")
@caseload_options
@click.option("--organisation", default=None, help="Printed on every plan as who to call.")
@click.option(
    "--your-name",
    "your_name",
    default=None,
    help="Your name: printed on plans; the journey log records changes by it; This week shows "
    "the parents whose keyworker it is (spell it as their records do).",
)
@click.option("--phone", default=None, help="The number parents can call you on.")
@click.option("--email", default=None, help="An email address parents can write to.")
@click.option("--programme", default=None, help="The programme's name, e.g. Making It Work.")
@click.option(
    "--laptop-name", "laptop_name", default=None, help="A name for this laptop in histories."
)
def settings(
    target: CaseloadTarget,
    organisation: str | None,
    your_name: str | None,
    phone: str | None,
    email: str | None,
    programme: str | None,
    laptop_name: str | None,
) -> None:
    """Show or change who this laptop's plans are from (the window's File > Settings).

    With no option it shows them. Each option given is changed ("" clears it); what is not
    given stays as it is. The phone and email are printed on every plan so a parent can get in
    touch: an email must be an address, and each must fit on the plan's contact line.

    \b
    Example:
        journeyapp settings --db caseload.db
        journeyapp settings --db caseload.db --your-name "Aileen" --phone "07700 900123" \\
            --organisation "One Parent Families Fife"
    """
    import dataclasses

    given = dict(
        zip(
            (field for _option, field, _label in _FIELDS),
            (organisation, your_name, phone, email, programme, laptop_name),
            strict=True,
        )
    )
    changes = {
        field: _checked(option, text)
        for option, field, _label in _FIELDS
        if (text := given[field]) is not None
    }
    with open_caseload(target, access=Access.WRITE if changes else Access.READ) as caseload:
        held = caseload.settings.sender()
        if changes:
            wanted = dataclasses.replace(held, **changes)
            if wanted == held:
                click.echo("Nothing to change: the settings already say that.")
            else:
                caseload.settings.set_sender(wanted)  # the window's checks (refused: unchanged)
                held = caseload.settings.sender()
                click.echo("Settings saved.")
        for _option, field, label in _FIELDS:
            value = getattr(held, field)
            click.echo(f"{label}: {value if value else '(not given)'}")
        if not held.reachable:
            click.echo(
                "Plans say 'Ask your keyworker for a number to call.': give --phone or --email "
                "so a parent can get in touch.",
                err=True,
            )


COMMANDS = (settings,)
