"""A CRF over syllable tokens for the units told to act, judged against the rules by
cross-validation across the gold sets (train on four sets, test on the fifth).

Issue 13 asks for a small statistical model where a rule keeps failing on one kind of
text; unit boundaries ("cut too short and split too much") are that case. This script
derives token-level span annotations from the gold (each gold unit located in the lines
of its document's assigning regions, ``assignments.regions``), trains a CRF
(python-crfsuite) with BIO tags over the syllable tokens of ``units.tokens``, and scores
each held-out set the way ``kehoach eval`` scores assignments (by unit, case- and
tone-folded), beside the rules on the same set.

    python bench/unit_model.py                 # cross-set table (reads the five sets)
    python bench/unit_model.py --cache /tmp/docs.pkl   # reuse read Documents

Sets: shared/gold (corpus), shared/dev, tests/resources/heldout, heldout2, dev2.
"""

from __future__ import annotations

import argparse
import json
import re
import pickle
import sys
import tempfile
import time
from bisect import bisect_left
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from pipeline.evaluate import FieldScore, _values, find_pairs  # noqa: E402
from pipeline.extract.units import UnitFinder, fold, unit_key  # noqa: E402

SHARED = ROOT.parent / "shared"
SETS = {
    "corpus": (SHARED / "gold", [SHARED / "corpus"]),
    "dev": (SHARED / "dev" / "gold", [SHARED / "dev" / "files"]),
    "heldout": (ROOT / "tests/resources/heldout/gold", [ROOT / "tests/resources/heldout"]),
    "heldout2": (ROOT / "tests/resources/heldout2/gold", [ROOT / "tests/resources/heldout2"]),
    "dev2": (ROOT / "tests/resources/dev2/gold", [SHARED / "dev2" / "files"]),
}
_KINDS = ("party", "state", "mass", "person", "office", "name", "proper", "stop", "prefix", "partner", "role", "directs")
_CUES = {"giao": "giao", "nghị": "denghi", "cầu": "yeucau", "với": "voi", "đạo": "chidao", "trì": "chutri", "hợp": "phoihop"}


@dataclass
class Item:
    set: str
    stem: str
    gold: dict[str, Any]
    doc: Any
    prepared: Any = None


# ------------------------------------------------------------------ data


def load_sets(cache: Path | None) -> dict[str, list[Item]]:
    if cache and cache.exists():
        raw = pickle.loads(cache.read_bytes())
        return {name: [Item(name, s, g, d) for s, _, g, d in items] for name, items in raw.items()}
    from pipeline.read import read

    out: dict[str, list[Item]] = {}
    raw: dict[str, list[tuple[str, str, dict, Any]]] = {}
    for name, (gold_dir, dirs) in SETS.items():
        pairs, _ = find_pairs(gold_dir, dirs)
        items = []
        for gp, dp in pairs:
            gold = json.loads(gp.read_text("utf-8"))
            try:
                doc = read(dp)
            except Exception:  # noqa: BLE001 - an unread file scores as empty
                doc = None
            items.append((gp.stem, str(dp), gold, doc))
        raw[name] = items
        out[name] = [Item(name, s, g, d) for s, _, g, d in items]
    if cache:
        cache.write_bytes(pickle.dumps(raw))
    return out


def prepare(item: Item) -> Any:
    """Header, deadlines and scope of a document (what ``find_assignments`` takes)."""
    if item.prepared is None and item.doc is not None:
        from pipeline.extract.deadlines import find_deadlines
        from pipeline.extract.header import find_header
        from pipeline.extract.scope import Scope
        from pipeline.structure import structure_of

        doc = item.doc
        st = structure_of(doc)
        scope = Scope.of(doc, st.zones)
        header = find_header(doc.text, doc.tables, structure=st, ocr=doc.ocr_used)
        item.prepared = (header, tuple(find_deadlines(doc, header, scope)), scope)
    return item.prepared


def region_lines(item: Item) -> list[tuple[str, UnitFinder, int, list[tuple[int, int]]]]:
    """For each assigning region: its text, its finder, its offset and its lines' token ranges."""
    from pipeline.extract.assignments import regions
    from pipeline.extract.sections import paragraphs

    header, _, scope = prepare(item)
    text = paragraphs(item.doc.text)
    out = []
    for part in regions(text, header, scope):
        body = part.body_start if part.kind in ("article", "body") else text.find("\n", part.start, part.end)
        body = part.end if body < 0 else body
        region = text[body : part.end]
        base = body
        finder = UnitFinder(region)
        lines, first = [], 0
        for i in range(1, len(finder.spans) + 1):
            if i == len(finder.spans) or "\n" in region[finder.spans[i - 1][1] : finder.spans[i][0]]:
                lines.append((first, i))
                first = i
        out.append((region, finder, base, lines))
    return out


# ------------------------------------------------------------------ features


def _coverage(finder: UnitFinder) -> list[set[str]]:
    inside: list[set[str]] = [set() for _ in finder.spans]
    for s, kinds in finder.at.items():
        for kind, e in kinds.items():
            for k in range(s + 1, min(e, len(inside))):
                inside[k].add(kind)
    return inside


def features(region: str, finder: UnitFinder, a: int, b: int, inside: list[set[str]]) -> list[list[str]]:
    words = [region[s:e] for s, e in finder.spans[a:b]]
    low = [fold(w) for w in words]
    out = []
    for n in range(len(words)):
        i = a + n
        w, lw = words[n], low[n]
        f = [f"w={lw}", f"shape={_shape(w)}", f"pos={min(n, 4)}"]
        for d in (-2, -1, 1, 2):
            m = n + d
            f.append(f"w{d:+d}=" + (low[m] if 0 <= m < len(words) else ("BOL" if m < 0 else "EOL")))
            if 0 <= m < len(words):
                f.append(f"s{d:+d}={_shape(words[m])}")
        f.append(f"bi-1={low[n - 1] if n else 'BOL'}|{lw}")
        f.append(f"bi+1={lw}|{low[n + 1] if n + 1 < len(words) else 'EOL'}")
        for kind in finder.at.get(i, {}):
            f.append(f"start={kind}")
        for kind in inside[i]:
            f.append(f"in={kind}")
        if finder.head_end(i):
            f.append("head")
        for back in range(1, 4):
            if n - back >= 0 and low[n - back] in _CUES:
                f.append(f"cue{back}={_CUES[low[n - back]]}")
        first = next((k for k in range(len(words)) if words[k] not in "-+•*–." and not words[k].isdigit() and words[k] != ")"), 0)
        f.append(f"from_first={min(n - first, 4)}" if n >= first else "label")
        if ":" in words[n + 1 : n + 12]:
            f.append("colon_ahead")
        if b - a <= 14:
            f.append("short_line")
        out.append(f)
    return out


def _shape(w: str) -> str:
    if w.isdigit():
        return "d"
    if not w[:1].isalpha():
        return w if len(w) == 1 else "p"
    if w.isupper() and len(w) > 1:
        return "U"
    return "T" if w[:1].isupper() else "l"


# ------------------------------------------------------------------ labels


def _gold_tokens(gold: dict[str, Any]) -> list[list[str]]:
    from pipeline.extract.units import tokens

    out = []
    for a in gold.get("assignments") or []:
        name = a["unit"]
        out.append([fold(name[s:e]) for s, e in tokens(name)])
    return sorted(out, key=len, reverse=True)


def labels(region: str, finder: UnitFinder, a: int, b: int, golds: list[list[str]]) -> list[str]:
    low = [unit_key(region[s:e]) for s, e in finder.spans[a:b]]
    tags = ["O"] * len(low)
    for g in golds:
        g = [unit_key(w) for w in g]
        n = len(g)
        for k in range(len(low) - n + 1):
            if low[k : k + n] == g and all(t == "O" for t in tags[k : k + n]):
                tags[k] = "B"
                for m in range(k + 1, k + n):
                    tags[m] = "I"
    return tags


def sequences(item: Item) -> list[tuple[list[list[str]], list[str], tuple[str, UnitFinder, int, int, int]]]:
    if item.doc is None:
        return []
    golds = _gold_tokens(item.gold)
    out = []
    for region, finder, _, lines in region_lines(item):
        inside = _coverage(finder)
        for a, b in lines:
            out.append((features(region, finder, a, b, inside), labels(region, finder, a, b, golds), (region, finder, a, b, 0)))
    return out


# ------------------------------------------------------------------ model


def train(items: list[Item], path: Path, c1: float = 0.1, c2: float = 0.05) -> None:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for item in items:
        for xs, ys, _ in sequences(item):
            if any(y != "O" for y in ys) or len(xs) < 60:
                trainer.append(xs, ys)
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": 150, "feature.possible_transitions": True})
    trainer.train(str(path))


def predict(item: Item, tagger: Any) -> set[str]:
    found = set()
    for xs, _, (region, finder, a, b, _) in sequences(item):
        tags = tagger.tag(xs)
        start = None
        for n, t in enumerate([*tags, "O"]):
            if start is not None and t != "I":
                s, e = finder.spans[a + start][0], finder.spans[a + n - 1][1]
                name = " ".join(region[s:e].split()).strip(" ,;:.-–")
                if name:
                    found.add(name)
                start = None
            if t == "B":
                start = n
    return found


def hybrid(item: Item, tagger: Any) -> set[str]:
    """Rules propose each unit's start; the model decides where the name ends and where a
    list splits (a rule member whose first token the model tags B is replaced by the
    model's spans from there to the rule member's end or the model's own end)."""
    from pipeline.extract.assignments import find_assignments
    from pipeline.extract.sections import paragraphs

    if item.doc is None:
        return set()
    header, deadlines, scope = prepare(item)
    text = paragraphs(item.doc.text)
    tagged: dict[int, tuple[str, int, int]] = {}  # text offset of a token -> (tag, start, end)
    for xs, _, (region, finder, a, b, _) in sequences(item):
        base = _base_of(item, region)
        for n, t in enumerate(tagger.tag(xs)):
            s, e = finder.spans[a + n]
            tagged[base + s] = (t, base + s, base + e)
    starts = sorted(tagged)
    out = set()
    for asg in find_assignments(item.doc, header, deadlines, scope):
        words = asg.unit.split()
        m = re.compile(r"\s+".join(re.escape(w) for w in words)).search(text, max(0, asg.offset))
        if not m or m.start() not in tagged or tagged[m.start()][0] != "B":
            out.add(asg.unit)
            continue
        # walk the model's tags from the rule's start
        k = bisect_left(starts, m.start())
        spans, cur = [], None
        while k < len(starts):
            t, s, e = tagged[starts[k]]
            if t == "B" and (cur is None or s < m.end()):
                if cur:
                    spans.append(cur)
                cur = [s, e]
            elif t == "I" and cur:
                cur[1] = e
            else:
                break
            k += 1
        if cur:
            spans.append(cur)
        for s, e in spans:
            out.add(" ".join(text[s:e].split()).strip(" ,;:.-–"))
    return out


def _base_of(item: Item, region: str) -> int:
    from pipeline.extract.sections import paragraphs

    return paragraphs(item.doc.text).find(region)


def rules(item: Item) -> set[str]:
    if item.doc is None:
        return set()
    from pipeline.extract.assignments import find_assignments

    header, deadlines, scope = prepare(item)
    return {a.unit for a in find_assignments(item.doc, header, deadlines, scope)}


def score(pred: set[str], gold: dict[str, Any]) -> FieldScore:
    p = _values({"assignments": [{"unit": u} for u in pred]}, "assignments")
    g = _values(gold, "assignments")
    return FieldScore(len(p & g), len(p - g), len(g - p))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", type=Path)
    ap.add_argument("--c1", type=float, default=0.1)
    ap.add_argument("--c2", type=float, default=0.05)
    ap.add_argument("--save", type=Path, help="train on every set and write the model here")
    args = ap.parse_args(argv)
    import pycrfsuite

    sets = load_sets(args.cache)
    if args.save:
        train([i for items in sets.values() for i in items], args.save, args.c1, args.c2)
        print(f"model: {args.save} ({args.save.stat().st_size} bytes)")
        return 0
    total_r, total_m, total_h = FieldScore(), FieldScore(), FieldScore()
    print("| held-out set | docs | rules P / R / F1 | CRF alone P / R / F1 | rules propose, CRF cuts P / R / F1 | CRF training CPU s |")
    print("|---|---|---|---|---|---|")
    for name, items in sets.items():
        train_items = [i for other, its in sets.items() if other != name for i in its]
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "m.crfsuite"
            t = time.process_time()
            train(train_items, path, args.c1, args.c2)
            trained = time.process_time() - t
            tagger = pycrfsuite.Tagger()
            tagger.open(str(path))
            r, m, h = FieldScore(), FieldScore(), FieldScore()
            for item in items:
                r += score(rules(item), item.gold)
                m += score(predict(item, tagger), item.gold)
                h += score(hybrid(item, tagger), item.gold)
        total_h = total_h + h
        total_r, total_m = total_r + r, total_m + m
        print(f"| {name} | {len(items)} | {r.precision:.3f} / {r.recall:.3f} / {r.f1:.3f} | "
              f"{m.precision:.3f} / {m.recall:.3f} / {m.f1:.3f} | {h.precision:.3f} / {h.recall:.3f} / {h.f1:.3f} | {trained:.1f} |")  # fmt: skip
    r, m, h = total_r, total_m, total_h
    print(f"| all | | {r.precision:.3f} / {r.recall:.3f} / {r.f1:.3f} | {m.precision:.3f} / {m.recall:.3f} / {m.f1:.3f} | {h.precision:.3f} / {h.recall:.3f} / {h.f1:.3f} | |")
    # size and tagging cost of the model trained on every set
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "all.crfsuite"
        every = [i for items in sets.values() for i in items]
        train(every, path, args.c1, args.c2)
        tagger = pycrfsuite.Tagger()
        tagger.open(str(path))
        seqs = [sequences(i) for i in every]
        t = time.process_time()
        for seq in seqs:
            for xs, _, _ in seq:
                tagger.tag(xs)
        tag_ms = 1000 * (time.process_time() - t) / len(every)
        print(f"\nmodel on all sets: {path.stat().st_size / 1024:.0f} KiB; tagging {tag_ms:.2f} CPU ms a document "
              f"(features not counted), {len(every)} documents")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
