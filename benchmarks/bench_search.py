"""Search everything with 10,000 parents and 500,000 notes: a keystroke in the window's search box beside the bare FTS query.

The caseload is the shared 10,000-parent demo with contacts added (through the caseload's own
bulk write, which keeps the index current) until 500,000 contacts carry a note. "Ours" is one
keystroke in the caseload list's search box, as typed (QTest.keyClick, then the events it
posts): the name search filters the list and the text search fills the "found in what was
written" list with snippets. The baseline, interleaved in the same run, is the bare FTS5 query
the text search issues (the first matches' keys from the trigram index, on the same
connection), with no Python around it.
"""

from __future__ import annotations

import os
import random
import statistics
import time
from datetime import timedelta

from benchmarks.caseloads import LARGE, TODAY, caseload_file, fresh_copy
from benchmarks.common import QUICK, figure, heading

NOTES = 50_000 if QUICK else 500_000
# Words the generated notes are made of; a few carry accents (the search ignores them).
_SENTENCES = (
    "talked about the café job and her cv nursery place bus pass money worries college course "
    "childcare costs confidence group coffee morning library volunteering interview practice "
    "benefits letter housing repair tenancy health visitor school run bakery shift warehouse "
    "retail care home cleaning hospitality forklift licence driving lessons english class "
    "maths tutor budget plan food bank energy bill debt advice counselling walk park toddler "
    "group rhyme time swimming ferry island ceilidh fiddle knitting sewing café crèche naïve "
    "résumé fiancé façade piñata jalapeño smörgåsbord"
)
_WORDS = _SENTENCES.split()
# What the keyworker types, letter by letter (rare and common words, one with an accent).
TYPED = ("creche", "smorgasbord", "forklift", "ferry island", "warehouse shift")


def _notes_caseload() -> str:
    from journeyapp.caseload import Caseload
    from journeyapp.core.records import Contact

    path = fresh_copy(caseload_file(LARGE), "search-everything")
    caseload = Caseload.open(path)
    held = caseload.db.execute("SELECT count(*) FROM contacts WHERE note != ''").fetchone()[0]
    ids = [row[0] for row in caseload.db.execute("SELECT id FROM participants").fetchall()]
    rng = random.Random(14)
    start = time.perf_counter()
    wanted = max(0, NOTES - held)
    chunk = 50_000
    while wanted > 0:
        batch = []
        for _ in range(min(chunk, wanted)):
            note = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(6, 18)))
            batch.append(
                Contact(
                    participant_id=rng.choice(ids),
                    on=TODAY - timedelta(days=rng.randint(1, 700)),
                    kind="phone_text",
                    note=note.capitalize() + ".",
                )
            )
        caseload.add_records(batch, "benchmark notes")
        wanted -= len(batch)
    total = caseload.db.execute("SELECT count(*) FROM contacts WHERE note != ''").fetchone()[0]
    print(
        f"(added notes to the {LARGE:,}-parent demo in {time.perf_counter() - start:.0f} s: "
        f"{total:,} contacts with a note)",
        flush=True,
    )
    caseload.close()
    return str(path)


def main() -> None:
    heading(f"Search everything: {LARGE:,} parents, {NOTES:,} notes")
    path = _notes_caseload()

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # also when run alone
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from journeyapp.caseload import Caseload
    from journeyapp.core.search import words
    from journeyapp.store import search as store_search
    from journeyapp.ui.pyside_fixes import guard_none
    from journeyapp.ui.widgets.caseload_panel import HITS_SHOWN, CaseloadPanel

    app = QApplication.instance() or QApplication([])
    guard_none(app)  # as the window does (the panel is measured alone here)
    caseload = Caseload.open(path)
    panel = CaseloadPanel(caseload)
    panel.resize(800, 700)
    panel.show()
    panel.model.load_rest()
    app.processEvents()

    def settle() -> None:
        for _ in range(3):
            app.processEvents()

    bare_sql = (
        f"SELECT p.participant_id, f.kind, k.record_id, f.field FROM "
        f"(SELECT rowid FROM {store_search.TEXT} WHERE {{where}} LIMIT {HITS_SHOWN + 1}) AS t "
        f"JOIN {store_search.KEYS} k ON k.id = t.rowid "
        f"JOIN {store_search.PARENTS} p ON p.id = k.parent "
        f"JOIN {store_search.FIELDS} f ON f.id = k.field"
    )
    search = panel.search
    search.setFocus()
    ours: list[float] = []
    store_only: list[float] = []
    bare: list[float] = []
    hits_seen: list[int] = []
    # Interleaved: each keystroke (ours), then the bare query for the same text (baseline).
    for word in TYPED:
        search.clear()
        settle()
        for n, char in enumerate(word, 1):
            typed = word[:n]
            start = time.perf_counter()
            QTest.keyClick(search, char)
            settle()
            took = time.perf_counter() - start
            wanted = words(typed)
            if not wanted or not all(len(w) >= 3 for w in wanted):
                continue  # too short for the text index: the list does not look in notes
            ours.append(took)
            hits_seen.append(panel.hits.count())
            where = " AND ".join("text GLOB ?" for _ in wanted)
            globs = [f"*{w}*" for w in wanted]
            start = time.perf_counter()
            caseload.db.execute(bare_sql.format(where=where), globs).fetchall()
            bare.append(time.perf_counter() - start)
            start = time.perf_counter()
            caseload.search_everything(typed, limit=HITS_SHOWN + 1, names=False)
            store_only.append(time.perf_counter() - start)
    search.clear()
    settle()
    mine, theirs = statistics.median(ours), statistics.median(bare)
    figure(
        f"search keystroke over notes ({NOTES:,} notes; {len(ours)} keystrokes of 3+ letters)",
        mine * 1000,
        "ms",
        baseline=theirs * 1000,
        baseline_name="the bare FTS5 query",
        target="< 50 ms (median)",
        ok=mine < 0.05,
    )
    figure(
        "  of which the store's search_everything (keys, values, snippets)",
        statistics.median(store_only) * 1000,
        "ms",
    )
    print(
        f"  slowest keystroke: {max(ours) * 1000:.1f} ms; bare query slowest "
        f"{max(bare) * 1000:.1f} ms; places listed per keystroke: median "
        f"{statistics.median(hits_seen):.0f}"
    )
    QTest.keyClick(search, Qt.Key.Key_Escape)
    panel.close()
    caseload.close()


if __name__ == "__main__":
    main()
