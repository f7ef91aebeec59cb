"""``kehoach read FILE``: the normalised text of one file (``--json``: pages, tables, metadata)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer

from pipeline.cli.app import JsonOption, VerboseOption, app
from pipeline.cli.output import emit_json
from pipeline.models import Document, to_json


def document_json(doc: Document) -> dict[str, Any]:
    """The ``--json`` form: metadata, pages, tables and text (no offset map)."""
    data = to_json(doc)
    data.pop("source_offsets", None)
    data.pop("raw_text", None)
    data["stem"] = doc.stem
    return data


@app.command("read")
def read_command(
    file: Path = typer.Argument(..., help="A .txt/.md, .docx, .doc, .pdf or image file."),
    as_json: bool = JsonOption,
    no_ocr: bool = typer.Option(False, "--no-ocr", help="Do not OCR scanned pages or images."),
    verbose: bool = VerboseOption,
) -> None:
    """Print the normalised text of FILE (any supported format; scans are OCR'd)."""
    from pipeline.read import ReadSettings, read

    doc = read(file, ReadSettings(ocr=not no_ocr))
    if as_json:
        emit_json(document_json(doc))
        return
    for note in doc.notes:
        sys.stderr.write(f"{file}: note: {note}\n")
    sys.stdout.write(doc.text if doc.text.endswith("\n") else doc.text + "\n")
