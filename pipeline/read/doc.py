"""Legacy Word ``.doc`` (Word 97-2003): antiword, else LibreOffice headless.

antiword is small, fast and reads Vietnamese correctly with ``-m UTF-8.txt``; ``-w 0``
keeps each paragraph on one line, so symbols are not split by wrapping. It draws tables
as ``|cell |cell |`` lines, one per *visual* line and with no row borders, so rows are
rebuilt: a line whose first column is filled (or a blank line) starts a new row, and the
lines of each column within a row are joined into its cell. A layout table (issuer |
date) thus keeps one row per line; a data table keeps one row per first-column entry. A layout
table (header, signature) becomes column blocks as in Word files. LibreOffice
(``soffice --headless --convert-to txt``) is the fallback when antiword is missing or
fails; encrypted files are recognised from the FIB before either runs.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from pipeline.errors import KehoachError, MissingDependency, Reason
from pipeline.read.assemble import Block, RawPage, RawRead, RawTable
from pipeline.read.layout import layout_table_blocks

TIMEOUT_S = 120


def read_doc(path: Path, data: bytes) -> RawRead:
    """Read a ``.doc`` file with antiword (LibreOffice as fallback)."""
    spath = str(path)
    if _fib_encrypted(path):
        raise KehoachError(Reason.encrypted, spath, "password-protected Word document")
    antiword = shutil.which("antiword")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not antiword and not soffice:
        raise MissingDependency("antiword (or LibreOffice)", spath)
    error = ""
    if antiword:
        proc = subprocess.run(
            [antiword, "-w", "0", "-m", "UTF-8.txt", spath],
            capture_output=True,
            timeout=TIMEOUT_S,
            check=False,
        )
        out = proc.stdout.decode("utf-8", errors="replace")
        if proc.returncode == 0 and out.strip():
            return RawRead(pages=(RawPage(blocks=tuple(parse_antiword(out))),))
        error = proc.stderr.decode("utf-8", errors="replace").strip().splitlines()[-1:] or ["no text"]
        error = error[0]
        if "encrypt" in error.lower():  # antiword's own message; the FIB test above usually wins
            raise KehoachError(Reason.encrypted, spath, "password-protected Word document")
    if soffice:
        text = _soffice_text(soffice, path)
        if text is not None:
            return RawRead(pages=(RawPage(blocks=(text,)),), notes=("read with LibreOffice",))
    raise KehoachError(Reason.corrupt, spath, f"antiword could not read it: {error}" if error else "unreadable .doc")


def parse_antiword(out: str) -> list[Block]:
    """antiword text → text blocks and tables (``|...|`` line runs)."""
    blocks: list[Block] = []
    text: list[str] = []
    table: list[str] = []

    def flush_table() -> None:
        if table:
            rows = _table_rows(table)
            columns = layout_table_blocks(rows) if rows else None
            if columns:
                blocks.extend(columns)
            elif rows:
                blocks.append(RawTable(rows))
            table.clear()

    for line in out.splitlines(keepends=True):
        s = line.rstrip()
        if s.startswith("|") and s.endswith("|") and len(s) > 1:
            if text:
                blocks.append("".join(text))
                text.clear()
            table.append(s)
        else:
            flush_table()
            text.append(line)
    flush_table()
    if text:
        blocks.append("".join(text))
    return blocks


def _table_rows(lines: list[str]) -> tuple[tuple[str, ...], ...]:
    rows: list[tuple[str, ...]] = []
    group: list[list[str]] = []

    def close() -> None:
        if group:
            width = max(len(g) for g in group)
            cols = [[g[k].strip() for g in group if k < len(g) and g[k].strip()] for k in range(width)]
            rows.append(tuple("\n".join(c) for c in cols))
            group.clear()

    for line in lines:
        cells = line[1:-1].split("|")
        if not any(c.strip() for c in cells):
            close()
            continue
        if group and cells[0].strip():  # a filled first column starts a new row
            close()
        group.append(cells)
    close()
    width = max((len(r) for r in rows), default=0)
    return tuple(r + ("",) * (width - len(r)) for r in rows)


def _fib_encrypted(path: Path) -> bool:
    """The Word file is password-protected (msoffcrypto reads the FIB's fEncrypted bit)."""
    try:
        import msoffcrypto

        with path.open("rb") as fh:
            return bool(msoffcrypto.OfficeFile(fh).is_encrypted())
    except Exception:  # noqa: BLE001 - damaged OLE or not a Word file: antiword will report it
        return False


def _soffice_text(soffice: str, path: Path) -> str | None:
    with tempfile.TemporaryDirectory(prefix="kehoach-doc-") as tmp:
        src = Path(tmp) / ("in" + path.suffix.lower() if path.suffix else "in.doc")
        shutil.copyfile(path, src)  # work on a copy: the original is never touched
        try:
            subprocess.run(
                [soffice, "--headless", f"-env:UserInstallation=file://{tmp}/profile",
                 "--convert-to", "txt:Text (encoded):UTF8", "--outdir", tmp, str(src)],
                capture_output=True,
                timeout=TIMEOUT_S,
                check=False,
            )  # fmt: skip
        except subprocess.TimeoutExpired:
            return None
        out = src.with_suffix(".txt")
        if not out.exists():
            return None
        text = out.read_text(encoding="utf-8", errors="replace").lstrip("\ufeff")
        return text if text.strip() else None


__all__ = ["parse_antiword", "read_doc"]
