"""Extract throughput on text, the share of time per extractor, and accuracy against gold.

``pipeline.extract.extract`` is called as it is; the time of each sub-extractor it
calls is taken by wrapping the module attributes it looks up (``find_header`` …,
``deadlines.find_deadlines`` …) for the duration of the benchmark, so the split
follows whatever ``extract`` does at run time. Documents are streamed: read, extracted,
scored, dropped.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from pipeline.errors import KehoachError
from pipeline.models import Document

# (module, attribute, label): what extract() calls, as it looks them up.
TIMED = (
    ("pipeline.extract", "structure_of", "structure"),
    ("pipeline.extract", "find_header", "header"),
    ("pipeline.extract", "find_citations", "citations"),
    ("pipeline.extract", "find_implements", "implements"),
    ("pipeline.extract", "find_signer", "signature"),
    ("pipeline.extract", "find_recipients", "signature"),
    ("pipeline.extract.deadlines", "find_deadlines", "deadlines"),
    ("pipeline.extract.numbers", "find_numbers", "numbers"),
    ("pipeline.extract.assignments", "find_assignments", "assignments"),
)


@contextlib.contextmanager
def timed_extractors(totals: dict[str, float], clock: Callable[[], float] = time.perf_counter) -> Iterator[None]:
    """Wrap each sub-extractor so its seconds (wall by default, or ``clock``'s) add up in
    ``totals[label]``."""
    saved = []
    for mod_name, attr, label in TIMED:
        try:
            mod = importlib.import_module(mod_name)
        except ModuleNotFoundError:
            continue
        fn = getattr(mod, attr, None)
        if fn is None:
            continue

        def wrapper(*a: Any, __fn: Any = fn, __label: str = label, **k: Any) -> Any:
            t = clock()
            try:
                return __fn(*a, **k)
            finally:
                totals[__label] += clock() - t

        saved.append((mod, attr, fn))
        setattr(mod, attr, wrapper)
    try:
        yield
    finally:
        for mod, attr, fn in saved:
            setattr(mod, attr, fn)


class ExtractBench:
    """Accumulates extract timings and gold scores over documents fed one at a time."""

    def __init__(self, gold_dir: Path) -> None:
        from pipeline.evaluate import FieldScore

        self.gold_dir = gold_dir
        self.totals: dict[str, float] = defaultdict(float)
        self.seconds = 0.0
        self.docs = 0
        self.bytes = 0
        self.failed: dict[str, int] = defaultdict(int)
        self.fields: dict[str, dict[str, Any]] = defaultdict(lambda: defaultdict(FieldScore))
        self.header: dict[str, list[int]] = defaultdict(lambda: [0, 0])

    def feed(self, record: dict[str, Any], doc: Document, timed: bool = True) -> None:
        """Extract one document (timed when it is text) and score it against its gold."""
        from pipeline.evaluate import score_document
        from pipeline.extract import extract

        t = time.perf_counter()
        try:
            ex = extract(doc, strict=False)
        except KehoachError as e:
            self.failed[e.reason.value] += 1
            return
        s = time.perf_counter() - t
        if timed:
            self.seconds += s
            self.docs += 1
            self.bytes += len(doc.text.encode("utf-8"))
        gold = json.loads((self.gold_dir / f"{record['stem']}.json").read_text(encoding="utf-8"))
        score = score_document(ex.to_json(), gold, record["path"], record["format"])
        for fmt in (record["format"], "all"):
            for name, fs in score.fields.items():
                self.fields[fmt][name] = self.fields[fmt][name] + fs
            ok = self.header[fmt]
            ok[0] += sum(score.header.values())
            ok[1] += len(score.header)

    def throughput(self) -> dict[str, Any]:
        shares = {k: round(v / self.seconds, 3) for k, v in sorted(self.totals.items(), key=lambda kv: -kv[1])}
        shares["other (composition, to_json)"] = round(1 - sum(shares.values()), 3)
        return {
            "docs": self.docs, "seconds": round(self.seconds, 3),
            "docs_per_s": round(self.docs / self.seconds, 2) if self.seconds else None,
            "mb_per_s": round(self.bytes / 1e6 / self.seconds, 3) if self.seconds else None,
            "ms_per_doc": round(1000 * self.seconds / self.docs, 2) if self.docs else None,
            "share": shares, "failed": dict(self.failed),
        }

    def accuracy(self) -> dict[str, Any]:
        out = {}
        for fmt, fields in sorted(self.fields.items()):
            ok, total = self.header[fmt]
            out[fmt] = {"header_exact": round(ok / total, 3) if total else None,
                        **{name: fs.to_json() for name, fs in fields.items()}}
        return out


def bench_text(archive_dir: Path, records: list[dict[str, Any]], limit: int) -> ExtractBench:
    """Read (untimed) and extract (timed, per extractor) up to ``limit`` text files."""
    from pipeline.read import read

    bench = ExtractBench(archive_dir / "gold")
    with timed_extractors(bench.totals):
        for r in [r for r in records if r["format"] == "txt"][:limit]:
            try:
                doc = read(archive_dir / r["path"])
            except KehoachError as e:
                bench.failed[e.reason.value] += 1
                continue
            bench.feed(r, doc)
    return bench
