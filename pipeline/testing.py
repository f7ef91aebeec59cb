"""Factories for tests of every stage (eyecite ships ``test_factories.py`` the same way).

``make_document`` / ``make_citation`` / ``make_extraction`` build the stage dataclasses
from a little text; ``related_plans_archive`` builds a small archive of related plans,
written for the tests (invented symbols, dates, places and units, not copied from any real document),
several levels deep, with a number that restarts and the same ``KH/TU`` symbol in two
provinces; ``load_archive`` writes it through a ``Store``.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from pipeline.models import (
    Assignment,
    Citation,
    Deadline,
    Document,
    Extraction,
    FileInfo,
    Header,
    Mention,
    NumberFact,
    Signer,
)
from pipeline.identity import parse_symbol, rules, split_key


_TYPE_WORDS = "|".join(re.escape(t) for t in rules()["type_words"])


def make_document(text: str, path: str = "doc.txt", *, format: str = "txt", ocr_used: bool = False) -> Document:
    """A ``Document`` whose text is already normalised."""
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Document(path=path, sha256=sha, format=format, text=text, raw_text=text, ocr_used=ocr_used)


def file_info(doc: Document, *, mtime: float = 0.0) -> FileInfo:
    """The ``FileInfo`` an ingest would have found for ``doc``."""
    return FileInfo(path=doc.path, sha256=doc.sha256, size=len(doc.text.encode("utf-8")), mtime=mtime, format=doc.format)


def sentence_at(text: str, start: int, end: int) -> str:
    """The sentence (between '.', ';'-free line breaks) around ``text[start:end]``."""
    left = max(text.rfind(". ", 0, start) + 2, text.rfind("\n", 0, start) + 1, 0)
    right_candidates = [i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0]
    right = min(right_candidates) + 1 if right_candidates else len(text)
    return text[left:right].strip()


def make_citation(
    key: str,
    text: str = "",
    *,
    mention: str | None = None,
    doc_type: str | None = None,
    issuer: str | None = None,
    resolved: bool = True,
) -> Citation:
    """A ``Citation`` of ``key`` whose mentions are every occurrence of ``mention`` in ``text``.

    ``mention`` defaults to the symbol as written in the key (``23-KL/TW``).
    """
    base, date = split_key(key)
    parts = parse_symbol(base)
    if mention:
        needle = re.escape(mention)
    else:  # "Kế hoạch số 057-KH/TU, ngày 24/01/2022": a type word, then the symbol
        symbol = re.escape(base).replace(r"\-", r"\s*-\s*")
        needle = rf"(?:{_TYPE_WORDS})\s+(?:số\s+)?0*{symbol}(?!\w)(?:,?\s*ngày\s+\d{{1,2}}/\d{{1,2}}/\d{{4}})?"
    mentions = tuple(
        Mention(m.start(), m.end(), m.group(0), sentence_at(text, m.start(), m.end()))
        for m in re.finditer(needle, text)
    )
    if doc_type is None and mentions and not mention:
        doc_type = next((t for t in rules()["type_words"] if mentions[0].text.startswith(t)), None)
    return Citation(
        key=key,
        doc_type=doc_type,
        symbol=base,
        date=date if len(date) == 10 else None,
        issuer=issuer,
        number=parts.plain_number if parts else "",
        type_code=parts.type_code if parts else "",
        issuer_code=parts.issuer_code if parts else "",
        year=int(date[:4]) if date[:4].isdigit() else (parts.year if parts else None),
        mentions=mentions,
        resolved=resolved,
    )


def make_extraction(
    text: str = "",
    *,
    doc: str = "doc",
    doc_type: str | None = "Kế hoạch",
    symbol: str | None = None,
    date: str | None = None,
    issuer: str | None = None,
    place: str | None = None,
    scope: str | None = None,
    title: str | None = None,
    implements: Sequence[str] = (),
    citations: Iterable[Citation | str] = (),
    assignments: Iterable[Assignment] = (),
    deadlines: Iterable[Deadline] = (),
    numbers: Iterable[NumberFact] = (),
    signer: Signer | None = None,
    recipients: Sequence[str] = (),
) -> Extraction:
    """An ``Extraction``; keys in ``implements`` are added to ``citations`` when missing.

    Citations given as plain keys get mentions located in ``text``.
    """
    cites = [c if isinstance(c, Citation) else make_citation(c, text) for c in citations]
    have = {c.key for c in cites}
    cites += [make_citation(k, text) for k in implements if k not in have]
    return Extraction(
        doc=doc,
        header=Header(doc_type=doc_type, symbol=symbol, issuer=issuer, place=place, date=date, title=title, scope=scope),
        implements=tuple(implements),
        citations=tuple(cites),
        assignments=tuple(assignments),
        deadlines=tuple(deadlines),
        signer=signer,
        recipients=tuple(recipients),
        numbers=tuple(numbers),
    )


@dataclass(frozen=True)
class ArchivedFile:
    """One file of a test archive, as the ingest would hand it to the store."""

    info: FileInfo
    doc: Document
    extraction: Extraction


def archived(path: str, text: str, **extraction_args: object) -> ArchivedFile:
    doc = make_document(text, path, format=path.rsplit(".", 1)[-1])
    ex = make_extraction(text, doc=doc.stem, **extraction_args)  # type: ignore[arg-type]
    return ArchivedFile(file_info(doc), doc, ex)


KL23 = "23-KL/TW@2021-11-05"
QD38 = "38-QĐ/TW@2021-11-05"


def related_plans_archive() -> list[ArchivedFile]:
    """A small archive of related plans, four levels deep, in two provinces.

    - central: Kết luận 23-KL/TW (cited only) and Quy định 38-QĐ/TW (cited, implemented by nobody);
    - Hà Tĩnh: Tỉnh ủy plan 57-KH/TU (in two renders, .txt and .md) → 23-KL/TW;
      Đảng ủy Khối plan 42-KH/ĐUK → 57-KH/TU and 23 (nested "57 ... thực hiện 23");
      Huyện ủy Thanh Bình plan 12-KH/HU → 57-KH/TU cited *without date*;
      Đảng ủy xã An Phú plan 5-KH/ĐU → 12-KH/HU;
      Đảng ủy Khối plans 33-KH/ĐUK of 2016 (cited only) and of 2022 (number restarts);
      Đảng ủy Sở Xây dựng plan 8-KH/ĐU cites "33-KH/ĐUK" without date (ambiguous).
    - Phú Yên: Tỉnh ủy plan 57-KH/TU of the same date (another document) → 23-KL/TW;
      Huyện ủy Đông Sơn plan 20-KH/HU → 57-KH/TU (Phú Yên's).
    """
    ht_57 = (
        "TỈNH ỦY HÀ TĨNH\nSố 57-KH/TU\nHà Tĩnh, ngày 24 tháng 01 năm 2022\nKẾ HOẠCH\n"
        "thực hiện Kết luận số 23-KL/TW, ngày 05/11/2021 của Ban Chấp hành Trung ương Đảng\n"
        "Thực hiện Kết luận số 23-KL/TW, ngày 05/11/2021 của Ban Chấp hành Trung ương Đảng, "
        "Ban Thường vụ Tỉnh ủy ban hành kế hoạch thực hiện như sau:\n"
        "III. TỔ CHỨC THỰC HIỆN\n1. Ban Tuyên giáo Tỉnh ủy chủ trì tổ chức quán triệt, hoàn thành trong tháng 3/2022.\n"
        "2. Ủy ban Kiểm tra Tỉnh ủy chủ trì kiểm tra, giám sát việc thực hiện hằng năm.\n"
    )
    ht_57_args = dict(
        symbol="57-KH/TU", date="2022-01-24", issuer="Tỉnh ủy Hà Tĩnh", place="Hà Tĩnh", scope="Hà Tĩnh",
        title="thực hiện Kết luận số 23-KL/TW", implements=[KL23],
        assignments=[
            Assignment("Ban Tuyên giáo Tỉnh ủy", "chủ trì", "hoàn thành trong tháng 3/2022", task="tổ chức quán triệt",
                       deadline_start="2022-03-01", deadline_end="2022-03-31"),
            Assignment("Ủy ban Kiểm tra Tỉnh ủy", "chủ trì", "hằng năm", task="kiểm tra, giám sát"),
        ],
        deadlines=[Deadline("hoàn thành trong tháng 3/2022", "2022-03-01", "2022-03-31", kind="window", period="month")],
        numbers=[NumberFact("100% chi bộ", 100.0, "%", "chi bộ", kind="percent")],
        signer=Signer("T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "Nguyễn Văn A"),
        recipients=["Ban Bí thư Trung ương Đảng", "Các huyện ủy, thị ủy, thành ủy"],
    )
    py_57 = (
        "TỈNH ỦY PHÚ YÊN\nSố 57-KH/TU\nPhú Yên, ngày 24 tháng 01 năm 2022\nKẾ HOẠCH\n"
        "tổ chức sinh hoạt chính trị\nThực hiện Kết luận số 23-KL/TW, ngày 05/11/2021 của Ban Chấp hành "
        "Trung ương Đảng, Ban Thường vụ Tỉnh ủy ban hành kế hoạch.\n"
        "III. TỔ CHỨC THỰC HIỆN\nBan Tổ chức Tỉnh ủy chủ trì hướng dẫn, hoàn thành trước ngày 30/6/2022.\n"
    )
    duk_42 = (
        "ĐẢNG BỘ TỈNH HÀ TĨNH\nĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH\nSố 42-KH/ĐUK\nHà Tĩnh, ngày 07 tháng 3 năm 2022\n"
        "KẾ HOẠCH\nThực hiện Kế hoạch số 57-KH/TU, ngày 24/01/2022 của Ban Thường vụ Tỉnh ủy thực hiện "
        "Kết luận số 23-KL/TW, ngày 05/11/2021 của Ban Chấp hành Trung ương Đảng, Ban Thường vụ Đảng ủy Khối "
        "xây dựng kế hoạch như sau:\nGắn với Quy định số 38-QĐ/TW, ngày 05/11/2021 về những điều đảng viên "
        "không được làm.\nIII. TỔ CHỨC THỰC HIỆN\nBan Tuyên giáo Đảng ủy Khối chủ trì, hoàn thành trong quý II/2022.\n"
    )
    hu_12 = (
        "HUYỆN ỦY THANH BÌNH\nSố 12-KH/HU\nThanh Bình, ngày 20 tháng 3 năm 2022\nKẾ HOẠCH\n"
        "Thực hiện Kế hoạch số 57-KH/TU của Ban Thường vụ Tỉnh ủy, Ban Thường vụ Huyện ủy ban hành kế hoạch.\n"
        "III. TỔ CHỨC THỰC HIỆN\nBan Tuyên giáo Huyện ủy chủ trì, hoàn thành trước ngày 15/4/2022.\n"
    )
    xa_5 = (
        "ĐẢNG ỦY XÃ AN PHÚ\nSố 05-KH/ĐU\nAn Phú, ngày 02 tháng 4 năm 2022\nKẾ HOẠCH\n"
        "Thực hiện Kế hoạch số 12-KH/HU, ngày 20/3/2022 của Ban Thường vụ Huyện ủy, Đảng ủy xã xây dựng kế hoạch.\n"
        "III. TỔ CHỨC THỰC HIỆN\nCác chi bộ trực thuộc thực hiện, báo cáo trước ngày 30/4/2022.\n"
    )
    duk_33_new = (
        "ĐẢNG BỘ TỈNH HÀ TĨNH\nĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH\nSố 33-KH/ĐUK\nHà Tĩnh, ngày 21 tháng 4 năm 2022\n"
        "KẾ HOẠCH\nThực hiện Kế hoạch số 42-KH/ĐUK, ngày 07/3/2022 của Ban Thường vụ Đảng ủy Khối.\n"
        "Tiếp tục Kế hoạch số 33-KH/ĐUK, ngày 12/12/2016 của Ban Thường vụ Đảng ủy Khối.\n"
    )
    so_8 = (
        "ĐẢNG ỦY SỞ XÂY DỰNG\nSố 08-KH/ĐU\nHà Tĩnh, ngày 05 tháng 5 năm 2022\nKẾ HOẠCH\n"
        "Thực hiện Kế hoạch số 33-KH/ĐUK của Ban Thường vụ Đảng ủy Khối, Đảng ủy Sở xây dựng kế hoạch.\n"
        "III. TỔ CHỨC THỰC HIỆN\nVăn phòng Sở phối hợp thực hiện trong năm 2022.\n"
    )
    py_hu_20 = (
        "HUYỆN ỦY ĐÔNG SƠN\nSố 20-KH/HU\nĐông Sơn, ngày 15 tháng 3 năm 2022\nKẾ HOẠCH\n"
        "Thực hiện Kế hoạch số 57-KH/TU, ngày 24/01/2022 của Ban Thường vụ Tỉnh ủy, Huyện ủy ban hành kế hoạch.\n"
        "III. TỔ CHỨC THỰC HIỆN\nBan Dân vận Huyện ủy phối hợp, hoàn thành trước ngày 31/5/2022.\n"
    )
    hd = {"scope": "Hà Tĩnh"}
    return [
        archived("ha_tinh/tu_57.txt", ht_57, **ht_57_args),
        archived("ha_tinh/tu_57.md", ht_57, **ht_57_args),
        archived(
            "phu_yen/tu_57.txt", py_57, symbol="57-KH/TU", date="2022-01-24", issuer="Tỉnh ủy Phú Yên",
            place="Phú Yên", scope="Phú Yên", title="tổ chức sinh hoạt chính trị", implements=[KL23],
            assignments=[Assignment("Ban Tổ chức Tỉnh ủy", "chủ trì", "trước ngày 30/6/2022", task="hướng dẫn",
                                    deadline_end="2022-06-30")],
            deadlines=[Deadline("trước ngày 30/6/2022", None, "2022-06-30", kind="before")],
        ),
        archived(
            "ha_tinh/duk_42.txt", duk_42, symbol="42-KH/ĐUK", date="2022-03-07",
            issuer="Đảng ủy Khối các cơ quan tỉnh Hà Tĩnh", place="Hà Tĩnh", **hd,
            implements=["57-KH/TU@2022-01-24", KL23], citations=[QD38],
            assignments=[Assignment("Ban Tuyên giáo Đảng ủy Khối", "chủ trì", "trong quý II/2022",
                                    deadline_start="2022-04-01", deadline_end="2022-06-30")],
            deadlines=[Deadline("trong quý II/2022", "2022-04-01", "2022-06-30", period="quarter")],
        ),
        archived(
            "ha_tinh/hu_12.txt", hu_12, symbol="12-KH/HU", date="2022-03-20", issuer="Huyện ủy Thanh Bình",
            place="Thanh Bình", **hd, implements=["57-KH/TU"],
            assignments=[Assignment("Ban Tuyên giáo Huyện ủy", "chủ trì", "trước ngày 15/4/2022",
                                    deadline_end="2022-04-15")],
            deadlines=[Deadline("trước ngày 15/4/2022", None, "2022-04-15", kind="before")],
        ),
        archived(
            "ha_tinh/xa_5.txt", xa_5, symbol="05-KH/ĐU", date="2022-04-02", issuer="Đảng ủy xã An Phú",
            place="An Phú", **hd, implements=["12-KH/HU@2022-03-20"],
            assignments=[Assignment("Các chi bộ trực thuộc", "thực hiện", "trước ngày 30/4/2022",
                                    deadline_end="2022-04-30")],
        ),
        archived(
            "ha_tinh/duk_33.txt", duk_33_new, symbol="33-KH/ĐUK", date="2022-04-21",
            issuer="Đảng ủy Khối các cơ quan tỉnh Hà Tĩnh", place="Hà Tĩnh", **hd,
            implements=["42-KH/ĐUK@2022-03-07"], citations=["33-KH/ĐUK@2016-12-12"],
        ),
        archived(
            "ha_tinh/so_8.txt", so_8, symbol="08-KH/ĐU", date="2022-05-05", issuer="Đảng ủy Sở Xây dựng",
            place="Hà Tĩnh", **hd, implements=["33-KH/ĐUK"],
            assignments=[Assignment("Văn phòng Sở", "phối hợp", "trong năm 2022", deadline_start="2022-01-01",
                                    deadline_end="2022-12-31")],
        ),
        archived(
            "phu_yen/hu_20.txt", py_hu_20, symbol="20-KH/HU", date="2022-03-15", issuer="Huyện ủy Đông Sơn",
            place="Đông Sơn", scope="Phú Yên", implements=["57-KH/TU@2022-01-24"],
            assignments=[Assignment("Ban Dân vận Huyện ủy", "phối hợp", "trước ngày 31/5/2022",
                                    deadline_end="2022-05-31")],
        ),
    ]


def load_archive(store: object, files: Iterable[ArchivedFile] | None = None, *, archive: str = "test") -> str:
    """Write ``files`` (default: ``related_plans_archive()``) through ``store``; returns the run id."""
    files = list(related_plans_archive() if files is None else files)
    run_id = store.begin_run(archive, {"files": len(files)})  # type: ignore[attr-defined]
    for f in files:
        store.put_document(run_id, f.info, f.doc, f.extraction)  # type: ignore[attr-defined]
    store.rebuild_graph()  # type: ignore[attr-defined]
    store.finish_run(run_id, {"new": len(files)}, "ok")  # type: ignore[attr-defined]
    return run_id


@contextmanager
def held_database(path: object, seconds: float = 60) -> Iterator[None]:
    """Another process holds the DuckDB file ``path`` open for writing while the block runs
    (or for ``seconds``, whichever ends first)."""
    script = f"import duckdb, time; c = duckdb.connect({str(path)!r}); print('ok', flush=True); time.sleep({seconds})"
    holder = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ok"
        yield
    finally:
        holder.kill()
        holder.wait()


__all__ = [
    "held_database",
    "ArchivedFile",
    "archived",
    "file_info",
    "load_archive",
    "make_citation",
    "make_document",
    "make_extraction",
    "related_plans_archive",
    "sentence_at",
]
