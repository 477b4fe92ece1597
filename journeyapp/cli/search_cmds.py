"""Search on the command line: `search` finds parents by name and what was written about them,
with the store's one search, as the window's search box does (the same parents, the same
places, the same words marked)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from journeyapp.cli.options import CaseloadTarget, caseload_options, open_caseload
from journeyapp.core.access import Access

if TYPE_CHECKING:
    from journeyapp.core.records import Participant

# As many places as the window's list shows before "+" (caseload_panel.HITS_SHOWN is 50).
SHOWN = 50


def _harmless(text: str) -> str:
    """`text` with each control character (or line break) shown as its escape ('\\x1b'):
    words held from another laptop never act on the terminal."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def _marked(snippet: str, typed: str, colour: bool) -> str:
    """The snippet with the words that matched in bold on a terminal, or between [ and ]
    elsewhere (a file, a pipe), as the window's list shows them in bold."""
    from journeyapp.core.search import marked

    pieces = []
    for piece, on in marked(snippet, typed):
        shown = _harmless(piece)
        if on:
            shown = click.style(shown, bold=True) if colour else f"[{shown}]"
        pieces.append(shown)
    return "".join(pieces)


@click.command()
@click.argument("words")
@caseload_options
def search(target: CaseloadTarget, words: str) -> None:
    """Find parents by name, and every note, goal, step, strength, referral or feedback whose
    words hold WORDS (capitals, accents, apostrophes and hyphens as the window's search box
    reads them: "dont" finds "don't", "oneills" finds "O'Neill's").

    The words that matched are shown in bold on a terminal, between [ and ] in a file.

    \b
    Example:
        journeyapp search "college course" --db caseload.db
        journeyapp search "oneills" --db caseload.db
    """
    from journeyapp.core.describe import KIND_WORDS
    from journeyapp.core.search import too_many_words
    from journeyapp.core.search import words as query_words
    from journeyapp.core.text import quoted

    if not query_words(words):
        raise click.ClickException(
            "Give the words to look for (a name, or words written in a note, a goal…), e.g. "
            'journeyapp search "college". Nothing was looked for.'
        )
    refused = too_many_words(words)
    if refused is not None:  # (the caseload refuses it too: said before it is opened)
        raise click.ClickException(f"{refused} Nothing was looked for.")
    colour = sys.stdout.isatty()
    with open_caseload(target, access=Access.READ) as caseload:
        parents = {p.id: p for p in caseload.participants()}
        named = caseload.search_ids(words)
        found = caseload.search_everything(words, limit=SHOWN + 1, names=False)
    shown_names = _names(parents, [*named, *(hit.participant_id for hit in found)])
    if not named and not found:
        click.echo(f"Nothing found for {quoted(words)}.")
        return
    for pid in named[:SHOWN]:
        click.echo(f"Parent: {_marked(shown_names[pid], words, colour)} (id {pid})")
    if len(named) > SHOWN:
        click.echo(f"… and {len(named) - SHOWN} more parents; give more of the name.")
    for hit in found[:SHOWN]:
        what = KIND_WORDS.get(hit.kind, hit.kind)
        name = _harmless(shown_names.get(hit.participant_id, ""))
        click.echo(f"{name} · {what}: {_marked(hit.snippet, words, colour)} (id {hit.record_id})")
    if len(found) > SHOWN:
        click.echo(f"… and more written; give more words to find fewer than {SHOWN}.")


def _names(parents: dict[str, Participant], ids: list[str]) -> dict[str, str]:
    """Each parent's name as the caseload list shows it ("Liam D." where two share a name)."""
    from collections import Counter

    from journeyapp.core.text import with_family_initial

    counts = Counter(p.preferred_name for p in parents.values())
    shown = {}
    for pid in ids:
        p = parents.get(pid)
        if p is not None:
            shared = counts[p.preferred_name] > 1
            name = with_family_initial(p.preferred_name, p.full_name) if shared else None
            shown[pid] = name or p.preferred_name
    return shown


COMMANDS = (search,)
