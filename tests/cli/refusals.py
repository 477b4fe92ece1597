"""What a refused command must look like: exit 1, no traceback, one line starting "Error:"."""

from __future__ import annotations

from click.testing import Result


def refused(result: Result, *words: str) -> str:
    """The one error line of a refused command, checked to hold `words`."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, result.stderr
    for word in words:
        assert word in errors[0], errors[0]
    return errors[0]
