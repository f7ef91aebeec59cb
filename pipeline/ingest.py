"""The steps of an ingest run that touch files, not the database: find files, decide what
to redo, read+extract batches.

``pipeline.run`` drives them (and ``flows/ingest.py`` runs their batches as Prefect tasks);
nothing here imports Prefect or touches the database, so batches can run in threads,
processes or on Dask workers and send back picklable :class:`Outcome` values that the
main process writes through ``pipeline.store.Store``.

Paths are stored relative to the archive root (``FileInfo.path``), so moving or
re-mounting the archive does not re-ingest it; the absolute root is kept in
``runs.archive``.
"""

from __future__ import annotations

import errno
import hashlib
import importlib
import math
import os
import stat
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

from pipeline.errors import KehoachError, Reason
from pipeline.models import Document, Extraction, FileInfo

# Files that document the archive rather than belong to it, and our own outputs.
SKIP_PREFIXES = (".", "~$", "README", "readme", "Readme")
SKIP_SUFFIXES = frozenset({".json", ".duckdb", ".wal", ".parquet", ".tmp", ".part", ".lock"})
# OSErrors that may go away by trying again (flaky disks and network mounts); any other
# OSError (missing file, permission, PIL's "cannot identify image") is recorded at once.
TRANSIENT_ERRNOS = frozenset(
    {errno.EIO, errno.EAGAIN, errno.EBUSY, errno.EINTR, errno.ETIMEDOUT, errno.ESTALE, errno.ECONNRESET}
)
_CHUNK = 1 << 20
# Extraction is pure Python (the GIL gives threads nothing) and spaCy's Vocab/Matcher are
# not thread-safe ("E018 Can't retrieve string for hash"): one extraction at a time per
# process. Reading (Tesseract, pdfium, antiword) still overlaps across threads.
_EXTRACT_LOCK = threading.Lock()
# Set when the run is interrupted (Ctrl-C): workers in this process stop between files.
STOP = threading.Event()


class FileStateLike(Protocol):
    """What ``discover`` and ``plan`` need from ``pipeline.store.FileState``."""

    sha256: str
    pipeline_version: str
    status: str  # ok | failed | deleted
    size: int
    mtime: float
    format: str


class TransientError(OSError):
    """An I/O fault worth retrying (the Prefect task retries the batch on it)."""


# --------------------------------------------------------------------------- discover


def discover(
    root: str | Path,
    *,
    exclude: Iterable[str | Path] = (),
    known: Mapping[str, FileStateLike] | None = None,
    rehash: bool = False,
    hash_unknown: bool = True,
) -> list[FileInfo]:
    """Walk the archive and describe every file that should be ingested.

    Follows directory symlinks but never the same real directory twice (no loops).
    Skips hidden and Office lock files (``.x``, ``~$x``), ``README*``, ``*.json``, our
    own outputs (DuckDB, Parquet) and anything under ``exclude``. Every other file becomes
    a ``FileInfo``, including unsupported and unreadable ones, so they are recorded as
    failed rather than silently dropped (an unreadable file gets ``sha256 == ""``).

    A file that ``known`` (the store's state) lists with the same size and mtime keeps
    its stored sha256 and format: only a stat, no read (rsync's quick check). ``rehash``
    hashes every file anyway.

    Args:
        root: the archive folder.
        exclude: paths (files or folders) to leave out, e.g. the database and Parquet dir.
        known: the store's files by path (``Store.known_files()``).
        rehash: hash every file even when its size and mtime are unchanged.
        hash_unknown: hash the files ``known`` does not vouch for; False leaves their
            ``sha256`` empty (enough to tell whether there is any work at all).

    Returns:
        FileInfos sorted by path, ``path`` relative to ``root`` in POSIX form.

    Raises:
        KehoachError: ``Reason.unreadable`` if ``root`` is not a readable folder.
    """
    base = Path(root)
    if not base.is_dir():
        raise KehoachError(Reason.unreadable, str(root), "not a folder")
    excluded = {os.path.realpath(p) for p in exclude}
    seen_dirs: set[str] = set()
    found: list[FileInfo] = []
    known = {} if rehash or known is None else known

    def unreadable_dir(e: OSError) -> None:  # os.walk would skip it silently: record it instead
        path = Path(e.filename or base)
        if path != base:
            found.append(describe(path, path.relative_to(base).as_posix()))

    for dirpath, dirnames, filenames in os.walk(base, followlinks=True, onerror=unreadable_dir):
        real = os.path.realpath(dirpath)
        if real in seen_dirs or real in excluded:
            dirnames[:] = []
            continue
        seen_dirs.add(real)
        dirnames[:] = sorted(d for d in dirnames if not _skipped_dir(d))
        for name in filenames:
            full = Path(dirpath) / name
            if _skipped_file(name) or os.path.realpath(full) in excluded:
                continue
            rel = full.relative_to(base).as_posix()
            found.append(describe(full, rel, known.get(storable(rel)), hash_unknown=hash_unknown))
    return sorted(found, key=lambda f: f.path)


def _skipped_dir(name: str) -> bool:
    return name.startswith((".", "__"))


def _skipped_file(name: str) -> bool:
    return name.startswith(SKIP_PREFIXES) or Path(name).suffix.lower() in SKIP_SUFFIXES


def describe(path: Path, rel: str, known: FileStateLike | None = None, *, hash_unknown: bool = True) -> FileInfo:
    """Stat and hash one file; an unreadable or non-regular file gets ``sha256=""``, ``size=-1``.

    ``known`` with the same size and mtime (and a hash) gives its sha256 and format
    without reading the file.
    """
    key = storable(rel)
    source = rel if key != rel else ""
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):  # a FIFO or a link to /dev/zero would block the hash forever
            raise OSError(errno.EINVAL, "not a regular file")
        if known and known.sha256 and known.size == st.st_size and known.mtime == st.st_mtime:
            return FileInfo(key, known.sha256, st.st_size, st.st_mtime, known.format or sniff(path), source)
        if not hash_unknown:
            return FileInfo(key, "", st.st_size, st.st_mtime, _suffix_format(path), source)
        digest = sha256_file(path)
    except OSError:
        return FileInfo(path=key, sha256="", size=-1, mtime=0.0, format=_suffix_format(path), source=source)
    return FileInfo(path=key, sha256=digest, size=st.st_size, mtime=st.st_mtime, format=sniff(path), source=source)


def storable(text: str) -> str:
    """``text`` as valid UTF-8: undecodable file-name bytes become ``\\xNN`` escapes.

    A Windows archive unpacked on Linux keeps legacy (cp1258, TCVN3) bytes in its names;
    Python hands them over as lone surrogates, which DuckDB (UTF-8) cannot store.
    """
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def sniff(path: Path) -> str:
    """The format by content (``pipeline.read.sniff_format``), else by extension."""
    try:
        from pipeline.read import sniff_format
    except ImportError:  # readers not installed yet: extension only
        return _suffix_format(path)
    try:
        sniffed = sniff_format(path)
    except Exception:  # noqa: BLE001 - sniffing is a hint; reading reports the real error
        return _suffix_format(path)
    if sniffed == "text":  # name text files as Document.format does: txt or md
        return "md" if path.suffix.lower() == ".md" else "txt"
    return sniffed or _suffix_format(path)


def _suffix_format(path: Path) -> str:
    return path.suffix.lower().lstrip(".") or "unknown"


# ------------------------------------------------------------------------------- plan


@dataclass(frozen=True)
class Plan:
    """What this run must do, decided from sha256 + pipeline version against the store."""

    new: tuple[FileInfo, ...]
    changed: tuple[FileInfo, ...]
    unchanged: tuple[FileInfo, ...]
    deleted: tuple[str, ...]  # paths known to the store but gone from the archive

    @property
    def todo(self) -> tuple[FileInfo, ...]:
        """Files to read and extract: new, then changed."""
        return self.new + self.changed


def plan(
    files: Sequence[FileInfo],
    known: Mapping[str, FileStateLike],
    version: str,
    *,
    retry_failed: bool = False,
) -> Plan:
    """Sort discovered files into new / changed / unchanged, and find deleted ones.

    A file is unchanged when its sha256 and the pipeline version both match the stored
    state; that holds for failed files too (the same bytes fail the same way), unless
    ``retry_failed``. A file whose stored state is ``deleted`` and that is back counts
    as new. A file that could not be hashed is always redone, so its failure is recorded.
    """
    new: list[FileInfo] = []
    changed: list[FileInfo] = []
    unchanged: list[FileInfo] = []
    for info in files:
        state = known.get(info.path)
        if state is None or state.status == "deleted":
            new.append(info)
        elif (
            not info.sha256
            or state.sha256 != info.sha256
            or state.pipeline_version != version
            or (retry_failed and state.status == "failed")
        ):
            changed.append(info)
        else:
            unchanged.append(info)
    present = {f.path for f in files}
    deleted = sorted(p for p, s in known.items() if s.status != "deleted" and p not in present)
    return Plan(tuple(new), tuple(changed), tuple(unchanged), tuple(deleted))


def make_batches(files: Sequence[FileInfo], batch_size: int, workers: int = 1) -> list[tuple[FileInfo, ...]]:
    """Cut files into batches of at most ``batch_size``, but at least ``workers`` batches.

    One Prefect task per batch, not per file: task bookkeeping costs milliseconds and
    ~20 KB each. Files are dealt largest first so batches take similar time.
    """
    if not files:
        return []
    size = max(1, min(batch_size, math.ceil(len(files) / max(1, workers))))
    n = math.ceil(len(files) / size)
    ordered = sorted(files, key=lambda f: (-f.size, f.path))
    return [tuple(ordered[i::n]) for i in range(n)]


# ---------------------------------------------------------------------------- process


Reader = Callable[..., Document]
Extractor = Callable[[Document], Extraction]


@dataclass(frozen=True)
class BatchSettings:
    """Everything a worker needs to process a batch; picklable.

    ``reader``/``extractor`` are callables or ``"module:function"`` names, so tests and
    alternative stages can be injected (names resolve inside Dask worker processes).
    """

    root: str
    reader: str | Reader = "pipeline.read:read"
    extractor: str | Extractor = "pipeline.extract:extract"
    read_settings: Any = None  # pipeline.read.ReadSettings, passed through when given


@dataclass(frozen=True)
class ErrorRecord:
    """A picklable failure (``KehoachError`` itself does not survive pickling)."""

    reason: str
    detail: str

    def exception(self, path: str) -> KehoachError:
        return KehoachError(Reason(self.reason), path, self.detail)


@dataclass(frozen=True)
class Outcome:
    """What processing one file gave: a document and its extraction, or an error."""

    info: FileInfo
    format: str
    document: Document | None = None
    extraction: Extraction | None = None
    error: ErrorRecord | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None

    def exception(self) -> KehoachError | None:
        return self.error.exception(self.info.path) if self.error else None

    def light(self) -> Outcome:
        """The same outcome without the (large) document and extraction, for tallies."""
        return replace(self, document=None, extraction=None)


def failed(info: FileInfo, reason: Reason, detail: str, seconds: float = 0.0) -> Outcome:
    """A failure outcome for ``info``."""
    return Outcome(info, info.format, error=ErrorRecord(Reason(reason).value, storable(detail)), seconds=seconds)


def resolve_callable(ref: str | Callable[..., Any]) -> Callable[..., Any]:
    """``"pkg.module:function"`` → the function; callables are returned as they are."""
    if callable(ref):
        return ref
    module, _, name = ref.partition(":")
    return getattr(importlib.import_module(module), name)


def process_batch(
    infos: Iterable[FileInfo], settings: BatchSettings, *, raise_transient: bool = False
) -> list[Outcome]:
    """Read and extract each file, isolating every file's errors from the others.

    ``KehoachError`` becomes a failure with its reason; a permanent ``OSError`` becomes
    ``Reason.unreadable``; an exception in the extractor ``Reason.extract_failed``; any
    other exception ``Reason.internal`` with its type and message. A transient ``OSError``
    (EIO, EAGAIN, a flaky network mount) is raised as :class:`TransientError` when
    ``raise_transient`` so the caller can retry the batch, else recorded as unreadable.
    Workers never touch the database.
    """
    reader = resolve_callable(settings.reader)
    extractor = resolve_callable(settings.extractor)
    out = []
    for info in infos:
        if STOP.is_set():  # interrupted: the run is over, what is left is not needed
            break
        out.append(process_file(info, settings, reader, extractor, raise_transient=raise_transient))
    return out


def process_file(
    info: FileInfo,
    settings: BatchSettings,
    reader: Reader,
    extractor: Extractor,
    *,
    raise_transient: bool = False,
) -> Outcome:
    """One file through read → extract; see :func:`process_batch`."""
    t0 = time.perf_counter()
    path = Path(settings.root) / (info.source or info.path)
    try:
        doc = reader(path) if settings.read_settings is None else reader(path, settings=settings.read_settings)
        doc = replace(doc, path=info.path)
        try:
            with _EXTRACT_LOCK:
                extraction = extractor(doc)
        except KehoachError:
            raise
        except Exception as e:  # noqa: BLE001 - per-file boundary
            return failed(info, Reason.extract_failed, _describe(e), time.perf_counter() - t0)
        return Outcome(info, doc.format, doc, extraction, None, time.perf_counter() - t0)
    except KehoachError as e:
        return failed(info, e.reason, e.detail, time.perf_counter() - t0)
    except OSError as e:
        transient = isinstance(e, TransientError) or e.errno in TRANSIENT_ERRNOS
        if raise_transient and transient:
            raise TransientError(e.errno, f"{info.path}: {_describe(e)}") from e
        return failed(info, Reason.unreadable, _describe(e), time.perf_counter() - t0)
    except Exception as e:  # noqa: BLE001 - per-file boundary: a bug in a reader
        return failed(info, Reason.internal, _describe(e), time.perf_counter() - t0)


def _describe(e: BaseException) -> str:
    text = str(e).strip().splitlines()[0] if str(e).strip() else ""
    return f"{type(e).__name__}: {text}" if text else type(e).__name__


# -------------------------------------------------------------------------- summarise

COUNT_KEYS = ("new", "changed", "unchanged", "failed", "deleted")


class Tally:
    """A run's counts, built as outcomes come in (the outcomes themselves are not kept)."""

    def __init__(self, the_plan: Plan) -> None:
        # counts of the unchanged files, not the files: a run over a large archive should
        # not hold one FileInfo per unchanged file to its end (bench/RESULTS.md, issue 14)
        self.unchanged = len(the_plan.unchanged)
        self.deleted = the_plan.deleted
        self._changed = {f.path for f in the_plan.changed}
        self.stored = {"new": 0, "changed": 0}
        self.formats: dict[str, Counter[str]] = {}
        for f in the_plan.unchanged:
            self.formats.setdefault(f.format, Counter())["unchanged"] += 1
        self.failures: list[dict[str, str]] = []

    def add(self, o: Outcome) -> None:
        self.formats.setdefault(o.format, Counter())["ok" if o.ok else "failed"] += 1
        if o.error:
            self.failures.append({"path": o.info.path, "reason": o.error.reason, "detail": o.error.detail})
        else:
            self.stored["changed" if o.info.path in self._changed else "new"] += 1

    @property
    def done(self) -> int:
        return sum(self.stored.values()) + len(self.failures)

    def counts(self) -> dict[str, int]:
        """Counts for ``runs``: new/changed count files stored this run, failed the failures."""
        return {
            **self.stored,
            "unchanged": self.unchanged,
            "failed": len(self.failures),
            "deleted": len(self.deleted),
        }  # keys: COUNT_KEYS

    def summary(self, **extra: Any) -> dict[str, Any]:
        """A JSON-ready run summary: counts, per-format ok/failed, failures with reasons.

        ``extra`` is added as it is (run id, database and Parquet paths, seconds, ...).
        """
        return {
            "counts": self.counts(),
            "formats": {k: dict(v) for k, v in sorted(self.formats.items())},
            "failures": sorted(self.failures, key=lambda f: f["path"]),
            "deleted": list(self.deleted),
            **extra,
        }


def count(the_plan: Plan, outcomes: Iterable[Outcome]) -> dict[str, int]:
    """:meth:`Tally.counts` of these outcomes."""
    return tally(the_plan, outcomes).counts()


def summarise(the_plan: Plan, outcomes: Iterable[Outcome], **extra: Any) -> dict[str, Any]:
    """:meth:`Tally.summary` of these outcomes (light ones are enough)."""
    return tally(the_plan, outcomes).summary(**extra)


def tally(the_plan: Plan, outcomes: Iterable[Outcome]) -> Tally:
    t = Tally(the_plan)
    for o in outcomes:
        t.add(o)
    return t


def failure_line(outcome: Outcome) -> str:
    """The one log line for a failed file: ``path: reason: detail``."""
    exc = outcome.exception()
    return exc.message if exc else outcome.info.path


__all__ = [
    "COUNT_KEYS",
    "STOP",
    "BatchSettings",
    "ErrorRecord",
    "Outcome",
    "Plan",
    "Tally",
    "TransientError",
    "count",
    "describe",
    "discover",
    "failed",
    "failure_line",
    "make_batches",
    "plan",
    "process_batch",
    "storable",
    "process_file",
    "summarise",
]
