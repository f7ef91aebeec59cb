"""Typed errors with a reason and a remedy, and the CLI's exit codes.

A reader or stage raises ``KehoachError(reason, path, detail)``; the per-file boundary
(the ingest flow, ``kehoach read``) records ``(file, reason, message)`` and goes on.
Errors are classified by type and ``Reason``, never by their message text.
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
}


class KehoachError(Exception):
    """An expected failure on one input, with a machine-readable reason."""

    exit_code: ExitCode = ExitCode.input_file

    def __init__(self, reason: Reason, path: str | None = None, detail: str = "") -> None:
        self.reason = Reason(reason)
        self.path = path
        self.detail = detail
        super().__init__(self.message)

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
    exit_code = ExitCode.missing_dependency

    def __init__(self, program: str, path: str | None = None) -> None:
        super().__init__(Reason.missing_dependency, path, f"{program} is not installed")


class DatabaseLocked(Exception):
    """Another process holds the database for writing."""

    exit_code = ExitCode.database_locked
