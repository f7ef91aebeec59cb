"""Tell a file's real format from its first bytes, not its name.

Archives hold PDFs saved as ``.doc``, DOCX renamed ``.pdf`` and Word files that are really
password-protected OLE containers; dispatching on content lets :func:`pipeline.read.read`
read what the file *is* and report a wrong extension instead of failing on it.

Formats returned: ``pdf``, ``docx``, ``doc``, ``image``, ``text``, and for files we cannot
read: ``office-encrypted`` (OLE with an ``EncryptedPackage`` stream: a password-protected
DOCX/XLSX), ``zip`` (a ZIP that is not a Word document: XLSX, ODT, archives), ``ole``
(another OLE file: XLS, PPT, MSG), ``rtf``, ``binary``, ``empty``.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
IMAGE_MAGICS = (
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",  # JPEG
    b"II*\x00",  # TIFF little-endian
    b"MM\x00*",  # TIFF big-endian
    b"BM",  # BMP
    b"GIF87a",
    b"GIF89a",
)

# What each supported suffix promises; the keys are the archive's supported suffixes.
SUFFIX_FORMATS: dict[str, str] = {
    ".txt": "text",
    ".md": "text",
    ".markdown": "text",
    ".docx": "docx",
    ".doc": "doc",
    ".pdf": "pdf",
    ".png": "image",
    ".jpg": "image",
    ".jpeg": "image",
    ".tif": "image",
    ".tiff": "image",
    ".bmp": "image",
    ".gif": "image",
    ".webp": "image",
}
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(SUFFIX_FORMATS)
READABLE = frozenset({"pdf", "docx", "doc", "image", "text"})


def sniff_bytes(head: bytes, path: Path | None = None) -> str:
    """Format of content starting with ``head`` (``path`` lets ZIP/OLE files be opened)."""
    if not head:
        return "empty"
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(IMAGE_MAGICS) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return "image"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _sniff_zip(path) if path else "zip"
    if head.startswith(OLE_MAGIC):
        return _sniff_ole(path) if path else "ole"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    return "text" if _looks_textual(head) else "binary"


def sniff_format(path: str | Path) -> str:
    """Real format of the file at ``path`` from its content (see the module docstring)."""
    p = Path(path)
    with p.open("rb") as f:
        head = f.read(8192)
    return sniff_bytes(head, p)


def suffix_format(path: str | Path) -> str | None:
    """The format a file's extension promises, or None for an unknown extension."""
    return SUFFIX_FORMATS.get(Path(path).suffix.lower())


def _sniff_zip(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        # A damaged ZIP: call it docx when its first entry says so, so the error is "corrupt".
        with path.open("rb") as f:
            head = f.read(4096)
        return "docx" if b"word/" in head or b"[Content_Types].xml" in head else "zip"
    return "docx" if "word/document.xml" in names else "zip"


def _sniff_ole(path: Path) -> str:
    try:
        import olefile

        with olefile.OleFileIO(str(path)) as ole:
            streams = {"/".join(s) for s in ole.listdir(streams=True, storages=True)}
    except Exception:  # noqa: BLE001 - a damaged OLE header: let the .doc reader say corrupt
        return "doc"
    if "EncryptedPackage" in streams or "EncryptionInfo" in streams:
        return "office-encrypted"
    if "WordDocument" in streams or not streams:  # no streams at all: a damaged container
        return "doc"
    return "ole"


def utf16_without_bom(head: bytes) -> str | None:
    """``utf-16-le``/``utf-16-be`` when every other byte is NUL (Windows "Unicode" text)."""
    n = len(head) - len(head) % 2
    if n < 8:
        return None
    even, odd = head[0:n:2], head[1:n:2]
    if odd.count(0) > 0.6 * len(odd) and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) > 0.6 * len(even) and odd.count(0) == 0:
        return "utf-16-be"
    return None


def _looks_textual(head: bytes) -> bool:
    """No NUL bytes (except UTF-16) and few control characters."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or utf16_without_bom(head):
        return True
    if b"\x00" in head:
        return False
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls <= max(2, len(head) // 100)


__all__ = ["READABLE", "SUFFIX_FORMATS", "SUPPORTED_SUFFIXES", "sniff_bytes", "sniff_format", "suffix_format"]
