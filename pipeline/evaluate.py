"""Scoring extractions against gold annotations, as ``shared/gold/SCHEMA.md`` defines it.

Per field, precision and recall over the set of normalised values of each document:
citations and implements by key, assignments by unit, deadlines by (start, end),
recipients by line, numbers by (value, first word of the unit) where the gold has the
field; header fields by exact match after normalisation (whitespace squashed, old/new
tone placement folded; for the issuer "Ban Thường vụ X" ≡ "X"). Micro scores sum
true/false positives over all documents. Every miss is listed as a failure so a person
can see what went wrong where. A document that cannot be read or extracted is scored as
an empty extraction (everything in its gold missed), not left out: a reader that rejects
real documents must cost recall.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from pipeline.errors import KehoachError
from pipeline.models import Document, Extraction
from pipeline.normalise import fold_tones

SET_FIELDS = ("citations", "implements", "assignments", "deadlines", "recipients", "numbers")
OPTIONAL_FIELDS = frozenset({"numbers"})  # scored only where the gold has the field
HEADER_FIELDS = ("doc_type", "symbol", "issuer", "place", "date", "title")
_STANDING = re.compile(r"^(?:Ban Thường vụ|BTV)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class FieldScore:
    """True/false positives and false negatives of one field (one document or summed)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else (1.0 if not self.fn else 0.0)

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else (1.0 if not self.fp else 0.0)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: FieldScore) -> FieldScore:
        return FieldScore(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def to_json(self) -> dict[str, float | int]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
                "tp": self.tp, "fp": self.fp, "fn": self.fn}  # fmt: skip


@dataclass(frozen=True)
class DocScore:
    """One document's scores and what it got wrong."""

    doc: str
    path: str
    format: str
    fields: dict[str, FieldScore]
    header: dict[str, bool]
    failures: tuple[str, ...] = ()


@dataclass(frozen=True)
class Report:
    """All documents' scores, summed."""

    docs: tuple[DocScore, ...]
    errors: tuple[tuple[str, str], ...] = ()  # (path, message) of documents that failed to read/extract
    missing: tuple[str, ...] = ()  # gold stems with no document

    def micro(self, fmt: str | None = None) -> dict[str, FieldScore]:
        out = {f: FieldScore() for f in SET_FIELDS}
        seen: set[str] = set()
        for d in self.docs:
            if fmt is None or d.format == fmt:
                for f, score in d.fields.items():
                    out[f] = out[f] + score
                    seen.add(f)
        return {f: s for f, s in out.items() if f not in OPTIONAL_FIELDS or f in seen}

    def header_exact(self, fmt: str | None = None) -> tuple[int, int]:
        docs = [d for d in self.docs if fmt is None or d.format == fmt]
        return sum(sum(d.header.values()) for d in docs), sum(len(d.header) for d in docs)

    @property
    def formats(self) -> list[str]:
        return sorted({d.format for d in self.docs})

    def to_json(self) -> dict[str, Any]:
        def block(fmt: str | None) -> dict[str, Any]:
            ok, total = self.header_exact(fmt)
            return {"fields": {k: v.to_json() for k, v in self.micro(fmt).items()}, "header_exact": [ok, total]}

        return {
            "micro": block(None),
            "by_format": {f: block(f) for f in self.formats},
            "documents": [
                {"doc": d.doc, "path": d.path, "format": d.format,
                 "fields": {k: v.to_json() for k, v in d.fields.items()}, "header": d.header,
                 "failures": list(d.failures)}  # fmt: skip
                for d in self.docs
            ],
            "errors": [{"path": p, "error": m} for p, m in self.errors],
            "missing": list(self.missing),
        }


# ------------------------------------------------------------------ normalisation


def _norm(s: Any) -> Any:
    if not isinstance(s, str):
        return s
    return " ".join(fold_tones(s).split())


def _norm_issuer(s: str | None) -> str | None:
    return _STANDING.sub("", _norm(s)) if s else s


def _unit(s: str) -> str:
    return _norm(s).casefold().strip(" .,;:")


def _values(data: dict[str, Any], name: str) -> set[Any]:
    """The set of normalised values of one field of an extraction or gold JSON."""
    items = data.get(name) or []
    if name == "citations":  # keys compare case-insensitively (gold NOTES §5.3: QĐi ≡ QĐI)
        return {_norm(c["key"]).casefold() for c in items if c.get("resolved", True)}
    if name == "implements":
        return {_norm(k).casefold() for k in items}
    if name == "assignments":
        return {_unit(a["unit"]) for a in items}
    if name == "deadlines":
        return {(d.get("start"), d.get("end")) for d in items}
    if name == "recipients":
        return {_norm(r).strip(" .,;:") for r in items}
    if name == "numbers":
        return {_number_key(n) for n in items}
    raise ValueError(name)


def _shown(data: dict[str, Any], name: str) -> dict[Any, str]:
    """Keys as written, for the failure list (they are compared case-folded)."""
    if name == "citations":
        return {_norm(c["key"]).casefold(): _norm(c["key"]) for c in data.get(name) or []}
    if name == "implements":
        return {_norm(k).casefold(): _norm(k) for k in data.get(name) or []}
    return {}


def _number_key(n: dict[str, Any]) -> tuple[float | None, str]:
    """(value, first word of the unit): gold writes the unit or counted noun after the
    number in ``unit``; an extraction may hold the counted noun in ``counted``."""
    value = n.get("value")
    unit = n.get("unit") or n.get("counted") or ""
    # the first word, without the punctuation of a listed or rated unit ("xã, phường" → xã;
    # "lần/tháng" → lần)
    words = re.findall(r"[^\s/,;:.()]+", _norm(str(unit)).casefold())
    return (round(float(value), 6) if isinstance(value, (int, float)) else None, words[0] if words else "")


def score_document(pred: dict[str, Any], gold: dict[str, Any], path: str = "", fmt: str = "") -> DocScore:
    """Score one extraction (``Extraction.to_json()``) against its gold JSON."""
    fields: dict[str, FieldScore] = {}
    failures: list[str] = []
    for name in SET_FIELDS:
        if name in OPTIONAL_FIELDS and name not in gold:
            continue
        p, g = _values(pred, name), _values(gold, name)
        fields[name] = FieldScore(len(p & g), len(p - g), len(g - p))
        shown = {**_shown(pred, name), **_shown(gold, name)}
        failures += [f"{name}: missing {shown.get(v, v)!r}" for v in sorted(g - p, key=str)]
        failures += [f"{name}: extra {shown.get(v, v)!r}" for v in sorted(p - g, key=str)]
    header: dict[str, bool] = {}
    ph, gh = pred.get("header") or {}, gold.get("header") or {}
    for name in HEADER_FIELDS:
        norm = _norm_issuer if name == "issuer" else _norm
        ok = norm(ph.get(name)) == norm(gh.get(name))
        header[name] = ok
        if not ok:
            failures.append(f"header.{name}: got {ph.get(name)!r}, gold {gh.get(name)!r}")
    return DocScore(str(gold.get("doc") or pred.get("doc")), path, fmt, fields, header, tuple(failures))


# ------------------------------------------------------------------ documents


def default_docs_dir(gold_dir: Path) -> list[Path]:
    """Where documents for ``gold_dir`` live: a sibling corpus/ or files/, else data/raw."""
    for name in ("corpus", "files", "raw"):
        sib = gold_dir.parent / name
        if sib.is_dir():
            return [sib]
    return [Path("data/raw")]


def find_pairs(
    gold_dir: Path, docs_dirs: Sequence[Path], formats: Iterable[str] | None = None
) -> tuple[list[tuple[Path, Path]], list[str]]:
    """``(gold, document)`` pairs matched by file stem (documents searched recursively; one
    pair per format when a stem has several renders), and gold stems with no document."""
    wanted = {f.lower().lstrip(".") for f in formats} if formats else None
    by_stem: dict[str, list[Path]] = {}
    for d in docs_dirs:
        for p in sorted(Path(d).rglob("*")):
            if not p.is_file() or p.suffix.lower() == ".json" or p.name.startswith("."):
                continue
            if wanted is not None and p.suffix.lower().lstrip(".") not in wanted:
                continue
            by_stem.setdefault(p.stem, []).append(p)
    pairs: list[tuple[Path, Path]] = []
    missing: list[str] = []
    for g in sorted(Path(gold_dir).glob("*.json")):
        docs = by_stem.get(g.stem, [])
        if not docs:
            missing.append(g.stem)
        pairs += [(g, d) for d in docs]
    return pairs, missing


def evaluate(
    gold_dir: Path,
    docs_dirs: Sequence[Path] | None = None,
    formats: Iterable[str] | None = None,
    *,
    reader: Callable[[Path], Document] | None = None,
    extractor: Callable[[Document], Extraction] | None = None,
) -> Report:
    """Read, extract and score every document that has a gold JSON in ``gold_dir``."""
    if reader is None:
        from pipeline.read import read as reader  # noqa: PLC0415 - the readers are heavy
    lenient: Callable[[Document], Extraction] | None = None
    if extractor is None:
        from pipeline.extract import extract as extractor  # noqa: PLC0415

        lenient = partial(extractor, strict=False)
    dirs = list(docs_dirs) if docs_dirs else default_docs_dir(Path(gold_dir))
    pairs, missing = find_pairs(Path(gold_dir), dirs, formats)
    scores: list[DocScore] = []
    errors: list[tuple[str, str]] = []
    for gold_path, doc_path in pairs:
        gold = json.loads(gold_path.read_text("utf-8"))
        gold.setdefault("doc", gold_path.stem)
        try:
            doc = reader(doc_path)
        except KehoachError as e:
            errors.append((str(doc_path), e.message))
            scores.append(score_document({}, gold, str(doc_path), "unread"))
            continue
        try:
            pred = extractor(doc).to_json()
        except KehoachError as e:
            errors.append((str(doc_path), e.message))
            pred = lenient(doc).to_json() if lenient is not None else {}  # score what the others found
        scores.append(score_document(pred, gold, str(doc_path), doc.format))
    return Report(tuple(scores), tuple(errors), tuple(missing))


__all__ = ["OPTIONAL_FIELDS", "DocScore", "FieldScore", "Report", "default_docs_dir", "evaluate", "find_pairs", "score_document"]
