"""The plans' own XML escape writes exactly what xml.sax.saxutils.escape writes (issue 18: ours
spares a plan's start loading urllib, http, email and ssl)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from xml.sax.saxutils import escape as sax_escape

from hypothesis import given
from hypothesis import strategies as st

from journeyapp.plans.text import escape

ROOT = Path(__file__).resolve().parents[2]


@given(
    st.text()
    | st.lists(st.sampled_from(["&", "<", ">", "&amp;", "&lt;", '"', "'", "a", "\n"])).map("".join)
)
def test_escape_is_saxutils_escape(text: str) -> None:
    assert escape(text) == sax_escape(text)


def test_the_plans_load_no_xml_sax_or_urllib() -> None:
    script = (
        "import sys, journeyapp.plans.render, journeyapp.plans.report\n"
        "print(sorted(m for m in sys.modules if m.startswith(('xml.sax', 'urllib.request'))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert done.stdout.strip() == "[]"
