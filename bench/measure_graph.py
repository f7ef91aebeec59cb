"""Graph queries on an ingested archive: transitive implementers of central directives.

Timings come from ``pipeline.queries.implementers`` on the database the end-to-end run
wrote. The answer is checked against the generator's gold: the plans (files) that carry out a
directive, directly or through other plans, follow from every gold ``implements`` list;
precision and recall compare them with the files of the implementer nodes found.
"""

from __future__ import annotations

import json
import statistics
import time
from collections import defaultdict
from pathlib import Path
from typing import Any


def gold_implementers(archive_dir: Path) -> dict[str, set[str]]:
    """Central directive key → the stems of every plan that carries it out, at any depth."""
    own: dict[str, str] = {}  # stem → its own key
    children: dict[str, set[str]] = defaultdict(set)  # key → stems that implement it
    for g in (archive_dir / "gold").glob("*.json"):
        data = json.loads(g.read_text(encoding="utf-8"))
        h = data["header"]
        num, rest = h["symbol"].split("-", 1)
        own[data["doc"]] = f"{int(num)}-{rest}@{h['date']}"
        for key in data["implements"]:
            children[key].add(data["doc"])
    out: dict[str, set[str]] = {}
    for target in (k for k in children if "/TW@" in k):
        seen: set[str] = set()
        stack = [target]
        while stack:
            for stem in children.get(stack.pop(), ()):
                if stem not in seen:
                    seen.add(stem)
                    stack.append(own[stem])
        out[target] = seen
    return out


def bench_queries(db: Path, archive_dir: Path, targets: int = 20, repeat: int = 3) -> dict[str, Any]:
    """Time ``implementers`` for the directives with the most direct implementers."""
    from pipeline.queries import implementers
    from pipeline.store import Store

    expected = gold_implementers(archive_dir)
    with Store(str(db), read_only=True) as store:
        con = store.con
        n_nodes = con.execute("SELECT count(*) FROM nodes").fetchone()[0]
        n_edges = con.execute("SELECT count(*) FROM edges").fetchone()[0]
        rows = con.execute(
            "SELECT n.node_id, n.key, count(*) AS direct FROM edges e JOIN nodes n ON n.node_id = e.target "
            "WHERE e.type = 'implements' AND n.key LIKE '%/TW@%' GROUP BY 1, 2 ORDER BY 3 DESC, 1 LIMIT ?",
            [targets],
        ).fetchall()
        timings: list[float] = []
        per_target = []
        for node_id, key, direct in rows:
            best = None
            for _ in range(repeat):
                t = time.perf_counter()
                res = implementers(con, node_id)
                s = time.perf_counter() - t
                best = s if best is None else min(best, s)
                timings.append(s)
            found = {Path(f.strip()).stem for r in res.rows if r.get("files") for f in r["files"].split(";")}
            depth = max((r["depth"] for r in res.rows), default=0)
            want = expected.get(key, set())
            hit = len(found & want)
            per_target.append({"key": key, "direct": direct, "rows": len(res.rows), "implementers": len(found),
                               "gold_implementers": len(want), "correct": hit, "max_depth": depth,
                               "best_ms": round(1000 * best, 1)})
    timings.sort()
    return {
        "nodes": n_nodes, "edges": n_edges, "queries": len(timings),
        "median_ms": round(1000 * statistics.median(timings), 1) if timings else None,
        "p95_ms": round(1000 * timings[int(0.95 * (len(timings) - 1))], 1) if timings else None,
        "max_ms": round(1000 * timings[-1], 1) if timings else None,
        "precision": round(sum(t["correct"] for t in per_target) / max(1, sum(t["implementers"] for t in per_target)), 3),
        "recall": round(sum(t["correct"] for t in per_target) / max(1, sum(t["gold_implementers"] for t in per_target)), 3),
        "targets": per_target,
    }
