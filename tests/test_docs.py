"""The README documents every command, and every command has help (sqlite-utils' habit)."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(c.name for c in app.registered_commands)
STABLE = ["read", "extract", "eval", "ingest", "query", "implementers", "uncovered", "deadlines", "show", "graph"]


def test_the_stable_command_names_exist() -> None:
    assert set(STABLE) <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_and_a_readme_mention(name: str) -> None:
    result = CliRunner().invoke(app, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output
    assert re.search(rf"`kehoach {name}\b", README), f"README does not mention `kehoach {name}`"


@pytest.mark.parametrize("name", ["query", "implementers", "uncovered", "deadlines", "show", "graph", "ingest"])
def test_database_commands_take_db(name: str) -> None:
    assert "--db" in CliRunner().invoke(app, [name, "--help"], terminal_width=200).output


@pytest.mark.parametrize("name", ["query", "implementers", "uncovered", "deadlines"])
def test_table_commands_take_csv_and_json(name: str) -> None:
    output = CliRunner().invoke(app, [name, "--help"], terminal_width=200).output
    assert "--csv" in output and "--json" in output


def test_readme_opens_with_the_two_commands() -> None:
    head = README[:1500]
    assert "bash scripts/run.sh" in head and "bash scripts/test.sh" in head
    assert (REPO / ".ci" / "run").read_text().count("scripts/test.sh") == 1
