"""Serving an original file: only one the ``files`` table records, only inside the archive.

A link names a file by its path relative to the archive root (``files.path``). The path
is refused unless it is relative, has no ``..`` part, is recorded in ``files`` (and not
deleted), and, once every symlink is resolved, still lies inside the archive root of the
run that read it (``runs.archive``, or ``--archive``). The response type comes from the
sniffed format, never from the file; anything that is not a PDF, an image or plain text
is sent as a download, and a sandbox policy stops served content from running scripts.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import duckdb

INLINE_TYPES = {"pdf": "application/pdf", "pdf-scan": "application/pdf", "txt": "text/plain; charset=utf-8",
                "md": "text/plain; charset=utf-8"}
DOWNLOAD_TYPES = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                  "doc": "application/msword"}


@dataclass(frozen=True)
class Original:
    """A file that may be served: where it is, and how to send it."""

    path: Path
    media_type: str
    inline: bool


def safe_relative(rel: str) -> PurePosixPath | None:
    """``rel`` as a relative POSIX path without ``..``, or None."""
    if not rel or "\x00" in rel or "\\" in rel:
        return None
    p = PurePosixPath(rel)
    if p.is_absolute() or any(part in ("..", "") for part in rel.split("/")):
        return None
    return p


def find_original(con: duckdb.DuckDBPyConnection, rel: str, archive: Path | None = None) -> Original | None:
    """The file ``rel`` if it may be served (see the module docstring), else None."""
    p = safe_relative(rel)
    if p is None:
        return None
    rows = con.execute(
        """SELECT f.format, coalesce(r.archive, (SELECT archive FROM runs ORDER BY started_at DESC LIMIT 1))
           FROM files f LEFT JOIN runs r USING (run_id) WHERE f.path = ? AND f.status <> 'deleted'""",
        [str(p)],
    ).fetchall()
    if not rows:
        return None
    fmt, run_archive = rows[0]
    base = archive or (Path(run_archive) if run_archive else None)
    if base is None:
        return None
    try:
        root = base.resolve(strict=True)
        target = (root / p).resolve(strict=True)
        target.relative_to(root)
    except (OSError, ValueError, RuntimeError):
        return None
    if not target.is_file():
        return None
    if fmt in INLINE_TYPES:
        return Original(target, INLINE_TYPES[fmt], True)
    if fmt == "image":
        guessed = mimetypes.guess_type(target.name)[0] or ""
        if guessed.startswith("image/") and guessed != "image/svg+xml":
            return Original(target, guessed, True)
    return Original(target, DOWNLOAD_TYPES.get(fmt or "", "application/octet-stream"), False)


__all__ = ["Original", "find_original", "safe_relative"]
