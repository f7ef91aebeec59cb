"""Typed errors with a reason, an exit code and a remedy: the only errors kehoach raises.

A reader or stage raises ``KehoachError(reason, path, detail)``; the per-file boundary
(``pipeline.ingest.process_file``) records ``(file, reason, message)`` and goes on. The
command line has one boundary (``pipeline.cli.main``): it prints the message and the
remedy and exits with the error's code. Errors are classified by type and ``Reason``,
never by their message text; the exit code of a reason is :data:`EXIT_CODES`.
"""

from __future__ import annotations

from enum import Enum, IntEnum


class ExitCode(IntEnum):
    ok = 0
    bad_args = 1  # typer/click use 2 for usage errors; we keep 1 for our own
    input_file = 2  # the one file asked for could not be read
    finished_with_failures = 3  # a batch completed, some files failed
    missing_dependency = 4  # tesseract, antiword, ... not installed
    database_locked = 5  # another ingest holds the database
    crashed = 10  # an unexpected exception escaped
    interrupted = 130  # Ctrl-C (128 + SIGINT), as shells report it


class Reason(str, Enum):
    """Why a file could not be read or processed (stored in ``files.error_reason``)."""

    empty = "empty"  # zero bytes, or no text at all
    corrupt = "corrupt"  # truncated/damaged container
    encrypted = "encrypted"  # password-protected PDF or Office file
    wrong_ext = "wrong_ext"  # content does not match the extension (and cannot be read as what it is)
    unsupported = "unsupported"  # a format we do not read
    no_text = "no_text"  # OCR or text layer gave (almost) nothing
    not_vietnamese = "not_vietnamese"
    too_large = "too_large"
    encoding = "encoding"  # undecodable text
    ocr_failed = "ocr_failed"
    missing_dependency = "missing_dependency"
    unreadable = "unreadable"  # permission, symlink loop, vanished file
    extract_failed = "extract_failed"
    internal = "internal"  # a bug: an unexpected exception
    # not about one file: the command itself could not go on
    bad_args = "bad_args"  # an option or argument that cannot be used
    no_match = "no_match"  # a key or path that names no stored document
    bad_query = "bad_query"  # SQL that DuckDB refuses
    database_locked = "database_locked"  # another process writes the database
    no_server = "no_server"  # a command that needs a running Prefect server found none


REMEDIES: dict[Reason, str] = {
    Reason.empty: "the file has no content; re-export it from the source system",
    Reason.corrupt: "the file is damaged or truncated; obtain a fresh copy",
    Reason.encrypted: "remove the password (e.g. qpdf --decrypt, or save unprotected) and re-ingest",
    Reason.wrong_ext: "rename the file to match its real format",
    Reason.unsupported: "convert it to PDF, DOCX or text",
    Reason.no_text: "no readable text was found; check the scan quality (≥200 dpi)",
    Reason.not_vietnamese: "the text does not look Vietnamese; kehoach only extracts Vietnamese plans",
    Reason.too_large: "split the file or raise the size limit",
    Reason.encoding: "save the text as UTF-8",
    Reason.ocr_failed: "Tesseract failed on this file; check the image",
    Reason.missing_dependency: "install the missing program (see README: setup)",
    Reason.unreadable: "check the path, permissions and links",
    Reason.extract_failed: "report this document to the maintainers",
    Reason.internal: "report this bug with the file to the maintainers",
    Reason.bad_args: "see `kehoach COMMAND --help`",
    Reason.no_match: "list what is stored with `kehoach query \"SELECT key, label FROM nodes\"`",
    Reason.bad_query: "check the SQL against the tables of the README (section Tables)",
    Reason.database_locked: (
        "an ingest is writing it: wait for it to finish (`kehoach ingest --wait SECONDS` waits), "
        "or read the Parquet files of the last run"
    ),
    Reason.no_server: "start the Prefect server first: `bash scripts/nightly.sh` starts one and serves the nightly run",
}

EXIT_CODES: dict[Reason, ExitCode] = {
    Reason.missing_dependency: ExitCode.missing_dependency,
    Reason.database_locked: ExitCode.database_locked,
    Reason.bad_args: ExitCode.bad_args,
    Reason.no_match: ExitCode.bad_args,
    Reason.bad_query: ExitCode.bad_args,
    Reason.no_server: ExitCode.bad_args,
    Reason.internal: ExitCode.crashed,
}  # every other reason: ExitCode.input_file


class KehoachError(Exception):
    """An expected failure, with a machine-readable reason, an exit code and a remedy."""

    def __init__(self, reason: Reason, path: str | None = None, detail: str = "") -> None:
        self.reason = Reason(reason)
        self.path = path
        self.detail = detail
        super().__init__(self.message)

    @property
    def exit_code(self) -> ExitCode:
        return EXIT_CODES.get(self.reason, ExitCode.input_file)

    @property
    def message(self) -> str:
        """One line: ``path: reason: detail``."""
        parts = [p for p in (self.path, self.reason.value, self.detail) if p]
        return ": ".join(parts)

    @property
    def remedy(self) -> str:
        return REMEDIES.get(self.reason, "")

    def record(self) -> dict[str, str | None]:
        """The machine-readable error record stored in ``files``."""
        return {
            "path": self.path,
            "reason": self.reason.value,
            "detail": self.detail,
            "remedy": self.remedy,
        }


class MissingDependency(KehoachError):
    def __init__(self, program: str, path: str | None = None) -> None:
        super().__init__(Reason.missing_dependency, path, f"{program} is not installed")


class DatabaseLocked(KehoachError):
    """Another process holds the database for writing (DuckDB: one writer per file)."""

    def __init__(self, path: str, detail: str = "another process holds the database") -> None:
        super().__init__(Reason.database_locked, path, detail)

    @property
    def message(self) -> str:
        return f"{self.path}: {self.detail}"


def usage(detail: str) -> KehoachError:
    """A command-line value that cannot be used (exit 1)."""
    return KehoachError(Reason.bad_args, None, detail)
