"""Every command, listed by walking the click group: help with an example, the shared options,
a line in the README, and one way in to a caseload."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from journeyapp.cli import cli

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
CLI_PACKAGE = ROOT / "journeyapp" / "cli"

# The one command that opens no existing caseload and takes no passphrase: a demo caseload
# holds fictional people and is unencrypted on purpose. Every other command opens (or, for
# `new`, creates) an encrypted caseload and so takes --passphrase-file.
NO_PASSPHRASE = {"demo"}
# The commands that write or read a bundle, whose passphrase is the bundle's own.
BUNDLE_COMMANDS = {"bundle", "merge", "import"}


def walk(group: click.Group, prefix: str = "") -> Iterator[tuple[str, click.Command]]:
    """Every command under `group`, sub-groups included, as ("name sub", command), asked for as
    click does (the top group imports a command's module only when it is asked for)."""
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, name
        full = f"{prefix}{name}"
        if isinstance(command, click.Group):
            yield from walk(command, f"{full} ")
        else:
            yield full, command


COMMANDS = list(walk(cli))  # type: ignore[arg-type]
NAMES = [name for name, _ in COMMANDS]


def test_every_command_module_is_in_the_lazy_table() -> None:
    """The group's table of command modules names every command of every *_cmds module, each
    in its own module, and nothing else: a command missing from it could not be run."""
    import importlib

    from journeyapp.cli import COMMAND_MODULES

    found = {}
    for path in sorted(CLI_PACKAGE.glob("*_cmds.py")):
        module = importlib.import_module(f"journeyapp.cli.{path.stem}")
        for command in module.COMMANDS:
            assert command.name not in found, command.name
            found[command.name] = path.stem
    assert found == COMMAND_MODULES


def option_names(command: click.Command) -> set[str]:
    return {opt for p in command.params if isinstance(p, click.Option) for opt in p.opts}


def test_the_walk_finds_every_command() -> None:
    # A walk that found nothing would make every test below pass without checking anything.
    assert {"new", "demo", "check", "merge", "import", "report", "plan", "bundle"} <= set(NAMES)
    assert len(NAMES) >= 17


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=NAMES)
def test_every_command_has_help_with_an_example(name: str, command: click.Command) -> None:
    result = CliRunner().invoke(cli, [*name.split(), "--help"])
    assert result.exit_code == 0, result.output
    assert "Example:" in result.output
    example = result.output.split("Example:", 1)[1]
    assert f"journeyapp {name}" in example, f"the example of {name} does not use it"
    assert (command.help or "").strip(), f"{name} has no help text"
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden:
            assert param.help, f"{name} {param.opts[0]} has no help"


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=NAMES)
def test_every_command_that_opens_a_caseload_takes_db_and_passphrase_file(
    name: str, command: click.Command
) -> None:
    options = option_names(command)
    assert "--db" in options, f"{name} has no --db"
    if name in NO_PASSPHRASE:
        assert "--passphrase-file" not in options
    else:
        assert "--passphrase-file" in options, (
            f"{name} opens a caseload but has no --passphrase-file"
        )
        db = next(p for p in command.params if "--db" in getattr(p, "opts", ()))
        file = next(p for p in command.params if "--passphrase-file" in getattr(p, "opts", ()))
        # Both come from the one decorator, which puts them side by side in the help.
        assert command.params.index(file) == command.params.index(db) + 1


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=NAMES)
def test_bundle_commands_take_the_bundles_passphrase_by_its_own_option(
    name: str, command: click.Command
) -> None:
    options = option_names(command)
    assert ("--bundle-passphrase-file" in options) == (name in BUNDLE_COMMANDS), name
    if name in BUNDLE_COMMANDS:
        helps = {
            opt: p.help or ""
            for p in command.params
            if isinstance(p, click.Option)
            for opt in p.opts
        }
        assert "bundle" in helps["--bundle-passphrase-file"]
        assert "caseload" in helps["--passphrase-file"]


@pytest.mark.parametrize("name", NAMES)
def test_every_command_is_in_the_readme_commands_table(name: str) -> None:
    table = README.read_text(encoding="utf-8").split("## Commands", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| `journeyapp")]
    assert any(re.match(rf"\| `journeyapp {re.escape(name)}\b", row) for row in rows), (
        f"README.md's commands table has no row for `journeyapp {name}`"
    )


def _calls_outside_options() -> Iterator[tuple[str, str]]:
    """(file, what) for every way of opening a caseload used outside cli/options.py."""
    for path in sorted(CLI_PACKAGE.glob("*.py")):
        if path.name == "options.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module in {
                "journeyapp.security",
                "journeyapp.caseload",
                "journeyapp.caseload.safety",
                "journeyapp.store.db",
            }:
                for alias in node.names:
                    if alias.name in {"open_caseload", "Unlocker", "open_database"}:
                        yield path.name, f"imports {alias.name} from {node.module}"
            if isinstance(node, ast.Attribute) and node.attr in {
                "open_caseload",
                "open",
                "open_database",
            }:
                owner = node.value
                if isinstance(owner, ast.Name) and owner.id in {"security", "Caseload", "db"}:
                    yield path.name, f"calls {owner.id}.{node.attr}"


def test_the_command_line_opens_caseloads_only_through_options() -> None:
    # When the library's way of opening changes, one function (options.connect) changes.
    assert list(_calls_outside_options()) == []
    tree = ast.parse((CLI_PACKAGE / "options.py").read_text(encoding="utf-8"))
    opening = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and (
            (isinstance(node.func, ast.Name) and node.func.id == "open_checked")
            or (
                isinstance(node.func, ast.Attribute)
                and node.func.attr == "open"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "Caseload"
            )
        )
    ]
    assert len(opening) == 1, "options.py should open a caseload in one place (connect)"


def test_the_group_itself_takes_db_for_the_window() -> None:
    assert "--db" in option_names(cli)
