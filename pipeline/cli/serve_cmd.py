"""``kehoach serve``: the read-only web explorer over the database (``pipeline.web``)."""

from __future__ import annotations

from pathlib import Path

import typer

from pipeline.cli.app import DbOption, app
from pipeline.cli.output import err
from pipeline.errors import KehoachError, Reason


@app.command("serve")
def serve_command(
    db: Path = DbOption,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (127.0.0.1: this computer only)."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
    archive: Path | None = typer.Option(None, "--archive", help="Archive folder for the original files (default: the one the ingest read)."),
    reports: Path | None = typer.Option(None, "--reports", help="Folder of report PNGs (default: reports/ beside the database)."),
    notebooks: Path = typer.Option(Path("notebooks"), "--notebooks", help="Folder of the analysis notebooks to link to."),
) -> None:
    """Browse the tables in a web browser: search, documents, trees, deadlines, graph."""
    import uvicorn

    from pipeline.web.app import Settings, create_app, guarded

    if not db.is_file():
        raise KehoachError(Reason.unreadable, str(db), "database not found; run `kehoach ingest` first")
    settings = Settings(db=db.resolve(), archive=archive.resolve() if archive else None,
                        reports=reports.resolve() if reports else None, notebooks=notebooks.resolve())
    err.print(f"kehoach serve: http://{host}:{port}/ (read-only: {db}); Ctrl+C to stop", highlight=False, markup=False)
    uvicorn.run(guarded(create_app(settings), host), host=host, port=port, log_level="warning")
