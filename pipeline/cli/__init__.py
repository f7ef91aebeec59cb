"""``kehoach`` command line: thin commands over the ``pipeline`` library.

Each command module registers on the shared ``app``; importing them here is what
makes the commands exist. Command names are a public interface: keep them stable.
Errors, exit codes and Ctrl-C are handled in one place: ``pipeline.cli.app.KehoachGroup``.
"""

from __future__ import annotations

from pipeline.cli.app import app
from pipeline.cli import read_cmd, extract_cmd, ingest_cmd, db_cmd, serve_cmd  # noqa: F401  (registration)


def main() -> None:
    """Console-script entry point."""
    app()
