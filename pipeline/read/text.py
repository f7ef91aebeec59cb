"""Plain text and Markdown: decode, turn tables into cells, keep other markup out.

Archive texts are Markdown-ish exports: ``**bold**``, ``## headings``, backslash escapes,
and tables written three ways — tab-separated rows whose cells hold HTML fragments
(``<ol><li>``, ``<p>``, ``<b>``), HTML ``<table>`` and Markdown pipe tables. Tables become
:class:`RawTable` cells (``<li>``/``<p>``/``<br>`` as line breaks inside a cell); all other
lines keep their words, spacing and indentation as written, because extraction offsets
and quoted titles come from them.

A tab-separated block is a table only when a line has at least two non-empty cells and
the next non-blank line is tab-separated too; lines that merely start with a tab (tab as
indentation) stay text. Blank lines inside such a block do not end it.

Decoding: UTF-8 (BOM or not), UTF-16 (BOM or not), else Windows-1258 when the result reads
as Vietnamese; bytes of a TCVN3/VNI font encoding are decoded as Windows-1252 for
``read`` to convert (``legacy``); other encodings as charset-normalizer guesses them;
undecodable bytes raise ``Reason.encoding``.
"""

from __future__ import annotations

import codecs
import html
import re
from html.parser import HTMLParser
from pathlib import Path

from pipeline.errors import KehoachError, Reason
from pipeline.read.assemble import Block, RawPage, RawRead, RawTable
from pipeline.read.language import letter_stats
from pipeline.read.sniff import utf16_without_bom

_TAG_NAMES = (
    "p|b|i|u|s|em|strong|br|ol|ul|li|span|div|sup|sub|font|a|h[1-6]|table|tr|td|th|"
    "tbody|thead|tfoot|caption|colgroup|col|center|blockquote|small|big|hr"
)
_TAG = re.compile(rf"</?(?:{_TAG_NAMES})\b[^<>]*>", re.IGNORECASE)
_BREAK_TAG = re.compile(r"<br\s*/?>|</?(?:p|li|div|tr|h[1-6])\b[^<>]*>", re.IGNORECASE)
_ENTITY = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{1,6}|#x[0-9a-fA-F]{1,6});")
_HEADING = re.compile(r"^(\s*)#{1,6}[ \t]+")
_EMPHASIS = re.compile(r"\*\*|__")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")
_LINK = re.compile(r"!?\[([^\]\n]*)\]\((?:[^)\s]+)(?:\s+\"[^\"]*\")?\)")
_PIPE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?\s*$")


def read_text(path: Path, data: bytes) -> RawRead:
    """Read a ``.txt``/``.md`` file's bytes into one page of text blocks and tables."""
    text, note = decode(data, str(path))
    return RawRead(pages=(RawPage(blocks=tuple(parse_markup(text))),), notes=(note,) if note else ())


# ---------------------------------------------------------------------------- decoding


def decode(data: bytes, path: str) -> tuple[str, str | None]:
    """Bytes → str, with a note when a legacy encoding was used."""
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", path), None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", path), None
    utf16 = utf16_without_bom(data[:8192])
    if utf16:
        return _strict(data, utf16, path), f"decoded as {utf16.upper()} (no byte-order mark)"
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    legacy = data.decode("cp1258", errors="replace")
    stats = letter_stats(legacy)
    if stats.words and stats.vietnamese >= 0.15 and stats.alien < 0.02 and "\ufffd" not in legacy:
        return legacy, "decoded as Windows-1258 (not UTF-8)"
    if stats.words >= 5 and stats.alien >= 0.1 and legacy.count("\ufffd") < 0.01 * len(legacy):
        # TCVN3/VNI bytes: read converts them (or fails with Reason.encoding)
        return data.decode("cp1252", errors="replace").replace("\ufffd", ""), "not UTF-8: a legacy font encoding?"
    guess = _guess(data)
    if guess:
        return guess
    raise KehoachError(Reason.encoding, path, "not valid UTF-8, UTF-16 or Windows-1258 text")


def _guess(data: bytes) -> tuple[str, str] | None:
    """charset-normalizer's decoding when it is confident and the text has no undecodable bytes."""
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None or best.chaos > 0.1:
        return None
    text = data.decode(best.encoding, errors="replace")
    printable = sum(ch.isprintable() or ch in "\n\r\t" for ch in text)
    if "\ufffd" in text or printable < 0.98 * len(text):
        return None
    return text, f"decoded as {best.encoding} (not UTF-8)"


def _strict(data: bytes, encoding: str, path: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as e:
        raise KehoachError(Reason.encoding, path, f"invalid {encoding} at byte {e.start}") from None


# ----------------------------------------------------------------------------- markup


def parse_markup(text: str) -> list[Block]:
    """Split Markdown-ish text into text blocks (markup stripped) and tables."""
    lines = text.splitlines(keepends=True)
    blocks: list[Block] = []
    buf: list[str] = []

    def flush() -> None:
        if buf:
            blocks.append("".join(buf))
            buf.clear()

    i = 0
    while i < len(lines):
        line = lines[i]
        if "<table" in line.lower():
            end = _find_table_end(lines, i)
            if end is not None:
                chunk = "".join(lines[i : end + 1])
                before, rest = re.split(r"(?i)<table", chunk, maxsplit=1)
                inner, after = re.split(r"(?i)</table\s*>", rest, maxsplit=1)
                if before.strip():
                    buf.append(strip_markup(before).rstrip("\n") + "\n")
                flush()
                blocks.append(RawTable(parse_html_table("<table" + inner + "</table>")))
                if after.strip():
                    buf.append(strip_markup(after.lstrip()))
                i = end + 1
                continue
        if line.lstrip().startswith("|") and i + 1 < len(lines) and _PIPE_SEPARATOR.match(lines[i + 1]):
            j = i + 2
            while j < len(lines) and lines[j].lstrip().startswith("|"):
                j += 1
            flush()
            blocks.append(RawTable(_pipe_rows([lines[i]] + lines[i + 2 : j])))
            i = j
            continue
        if _is_tsv_start(lines, i):
            j, rows = _tsv_block(lines, i)
            flush()
            blocks.append(RawTable(rows))
            i = j
            continue
        buf.append(strip_markup(line))
        i += 1
    flush()
    return blocks


def strip_markup(line: str) -> str:
    """Markdown/HTML decoration out, words and spacing kept: ``## **I- MỤC ĐÍCH**`` → ``I- MỤC ĐÍCH``."""
    s = _HEADING.sub(r"\1", line)
    s = _EMPHASIS.sub("", s)
    s = _LINK.sub(r"\1", s)
    if "<" in s:
        s = _BREAK_TAG.sub(lambda m: "\n" if m.group(0).lower().startswith("<br") else "", s)
        s = _TAG.sub("", s)
    if "&" in s:
        s = _ENTITY.sub(lambda m: html.unescape(m.group(0)), s)
    return _ESCAPE.sub(r"\1", s)


def cell_text(fragment: str) -> str:
    """An HTML/Markdown cell fragment → text, ``<li>``/``<p>``/``<br>`` as line breaks."""
    s = _BREAK_TAG.sub("\n", fragment)
    s = _TAG.sub("", s)
    s = html.unescape(s)
    s = _EMPHASIS.sub("", s)
    s = _ESCAPE.sub(r"\1", s)
    lines = (" ".join(part.split()) for part in s.split("\n"))
    return "\n".join(line for line in lines if line)


def _find_table_end(lines: list[str], i: int) -> int | None:
    for j in range(i, len(lines)):
        if re.search(r"(?i)</table\s*>", lines[j]):
            return j
    return None


def _pipe_rows(lines: list[str]) -> tuple[tuple[str, ...], ...]:
    rows = []
    for line in lines:
        s = line.strip()
        s = s[1:] if s.startswith("|") else s
        s = s[:-1] if s.endswith("|") and not s.endswith("\\|") else s
        cells = re.split(r"(?<!\\)\|", s)
        rows.append(tuple(cell_text(c.replace("\\|", "|")) for c in cells))
    return tuple(rows)


def _tsv_cells(line: str) -> list[str]:
    return line.rstrip("\r\n").split("\t")


def _non_empty(cells: list[str]) -> int:
    return sum(1 for c in cells if cell_text(c))


def _next_nonblank(lines: list[str], j: int) -> int | None:
    while j < len(lines) and not lines[j].strip():
        j += 1
    return j if j < len(lines) else None


def _is_tsv_start(lines: list[str], i: int) -> bool:
    line = lines[i]
    if "\t" not in line or _non_empty(_tsv_cells(line)) < 2:
        return False
    nxt = _next_nonblank(lines, i + 1)
    return nxt is not None and "\t" in lines[nxt] and len(_tsv_cells(lines[nxt])) >= 2


def _tsv_block(lines: list[str], i: int) -> tuple[int, tuple[tuple[str, ...], ...]]:
    """Rows of the tab-separated table starting at ``i``; returns (next line, rows)."""
    width = len(_tsv_cells(lines[i]))
    rows: list[tuple[str, ...]] = []
    j = i
    while j < len(lines):
        if not lines[j].strip():
            nxt = _next_nonblank(lines, j)
            if nxt is None or "\t" not in lines[nxt] or len(_tsv_cells(lines[nxt])) < 2:
                break
            j = nxt
            continue
        cells = _tsv_cells(lines[j])
        if "\t" not in lines[j] or len(cells) < 2:
            break
        row = [cell_text(c) for c in cells]
        row += [""] * (width - len(row))
        rows.append(tuple(row))
        j += 1
    return j, tuple(rows)


class _HTMLTable(HTMLParser):
    """Collect the cells of the outermost ``<table>``; nested tables become cell text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._depth += 1
        if self._depth != 1:
            if self._cell is not None and tag in ("br", "p", "li", "tr"):
                self._cell.append("\n")
            return
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            if not self.rows:
                self.rows.append([])
            self._cell = []
        elif self._cell is not None and tag in ("br", "p", "li", "div"):
            self._cell.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._depth == 1 and self._cell is not None:
            self.rows[-1].append(cell_text("".join(self._cell)))
            self._cell = None
        elif tag in ("p", "li", "div") and self._cell is not None:
            self._cell.append("\n")
        if tag == "table":
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data.replace("<", "&lt;"))


def parse_html_table(markup: str) -> tuple[tuple[str, ...], ...]:
    """``<table>`` markup → rows of cell texts (rows padded to the widest)."""
    parser = _HTMLTable()
    parser.feed(markup)
    parser.close()
    rows = [r for r in parser.rows if r]
    width = max((len(r) for r in rows), default=0)
    return tuple(tuple(r + [""] * (width - len(r))) for r in rows)


__all__ = ["cell_text", "decode", "parse_html_table", "parse_markup", "read_text", "strip_markup"]
