"""``kehoach extract FILE`` (JSON of one document) and ``kehoach eval GOLD_DIR [DOCS_DIR...]``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.table import Table as RichTable

from pipeline.cli.app import JsonOption, VerboseOption, app
from pipeline.cli.output import emit_json, emit_rows, err, out
from pipeline.errors import KehoachError, Reason


def _reader(no_ocr: bool):  # noqa: ANN202 - a closure over the settings
    from pipeline.read import ReadSettings, read

    settings = ReadSettings(ocr=not no_ocr)
    return lambda path: read(path, settings)


@app.command("extract")
def extract_command(
    file: Path = typer.Argument(..., help="A plan in any format `kehoach read` takes."),
    pretty: bool = typer.Option(True, "--pretty/--compact", help="Indented JSON, or one line."),
    no_ocr: bool = typer.Option(False, "--no-ocr", help="Do not OCR scanned pages or images."),
    zones: bool = typer.Option(False, "--zones", help="Show the document's zones (kind, offsets, text) as a table instead."),
    verbose: bool = VerboseOption,
) -> None:
    """Print FILE's header, implements, citations, assignments, deadlines, signer,
    recipients, numbers and zones as JSON (offsets and evidence sentences included); with
    --zones, a table of its zones."""
    from pipeline.extract import extract

    doc = _reader(no_ocr)(file)
    ex = extract(doc)
    if zones:
        rows = [
            {"#": i, "kind": z.kind, "start": z.start, "end": z.end, "parent": z.parent, "label": z.label,
             "page": z.page, "text": " ".join(doc.text[z.start : z.end].split())[:100]}
            for i, z in enumerate(ex.zones)
        ]  # fmt: skip
        emit_rows(rows, ["#", "kind", "start", "end", "parent", "label", "page", "text"], title=f"zones: {file}")
        return
    data = ex.to_json()
    if pretty:
        emit_json(data)
    else:
        json.dump(data, sys.stdout, ensure_ascii=False, separators=(",", ":"), default=str)
        sys.stdout.write("\n")


@app.command("eval")
def eval_command(
    gold_dir: Path = typer.Argument(..., help="Folder of gold JSON files (<stem>.json), see shared/gold/SCHEMA.md."),
    docs_dirs: list[Path] = typer.Argument(
        None, help="Folders searched recursively for the documents (default: GOLD_DIR's sibling corpus/ or files/, else data/raw)."
    ),
    as_json: bool = JsonOption,
    formats: str = typer.Option(None, "--format", help="Only documents with these extensions, e.g. txt,docx."),
    no_ocr: bool = typer.Option(False, "--no-ocr", help="Do not OCR scanned pages or images."),
    verbose: bool = VerboseOption,
) -> None:
    """Score extraction against gold: per-field precision, recall and F1, header exact
    matches, and every document's failures."""
    from pipeline.evaluate import HEADER_FIELDS, evaluate

    if not gold_dir.is_dir():
        raise KehoachError(Reason.bad_args, str(gold_dir), "not a folder")
    fmts = [f.strip() for f in formats.split(",") if f.strip()] if formats else None
    report = evaluate(gold_dir, docs_dirs or None, fmts, reader=_reader(no_ocr))
    if as_json:
        emit_json(report.to_json())
        return
    for fmt in [None, *report.formats] if len(report.formats) > 1 else [None]:
        table = RichTable(title=f"kehoach eval: {gold_dir}" + (f" [{fmt}]" if fmt else ""))
        for col in ("field", "precision", "recall", "F1", "tp", "fp", "fn"):
            table.add_column(col, justify="left" if col == "field" else "right")
        for name, s in report.micro(fmt).items():
            table.add_row(name, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}", str(s.tp), str(s.fp), str(s.fn))
        ok, total = report.header_exact(fmt)
        table.add_row("header (exact)", "", "", f"{ok}/{total}", "", "", "")
        out.print(table)
    per_field = RichTable(title="header fields exact, per field")
    for name in HEADER_FIELDS:
        per_field.add_column(name, justify="right")
    per_field.add_row(*[f"{sum(d.header[n] for d in report.docs)}/{len(report.docs)}" for n in HEADER_FIELDS])
    out.print(per_field)
    for d in report.docs:
        if d.failures:
            out.print(f"[bold]{d.doc}[/bold] ({d.format}, {d.path})", highlight=False)
            for f in d.failures:
                out.print(f"  - {f}", highlight=False, markup=False)
    for path, message in report.errors:
        err.print(f"{path}: {message}", highlight=False, markup=False)
    for stem in report.missing:
        err.print(f"{stem}: no document found for this gold file", highlight=False, markup=False)
