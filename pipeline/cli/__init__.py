"""``kehoach`` command line: thin commands over the ``pipeline`` library.

Each command module registers on the shared ``app``; importing them here is what
makes the commands exist. Command names are a public interface: keep them stable.
"""

from __future__ import annotations

import sys

from pipeline.cli.app import app
from pipeline.cli import read_cmd, extract_cmd, ingest_cmd, db_cmd, serve_cmd  # noqa: F401  (registration)


def main() -> None:
    """Console-script entry point; maps escaped exceptions to exit codes."""
    from pipeline.errors import ExitCode, KehoachError
    from pipeline.cli.output import err

    verbose = "-v" in sys.argv or "--verbose" in sys.argv
    try:
        app()
    except KehoachError as e:
        err.print(f"[red]{type(e).__name__}[/red]: {e.message}", highlight=False)
        if verbose:
            raise
        sys.exit(e.exit_code)
    except SystemExit:
        raise
    except Exception as e:  # noqa: BLE001 - the one boundary that turns bugs into exit 10
        err.print(f"[red]{type(e).__name__}[/red]: {e}", highlight=False)
        if verbose:
            raise
        sys.exit(ExitCode.crashed)
