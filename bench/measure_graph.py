"""Graph queries on an ingested archive: transitive implementers of central directives.

Timings come from ``pipeline.queries.implementers`` on the database the end-to-end run
wrote. The answer is checked against the generator's gold: the plans that carry out a
directive, directly or through other plans, follow from every gold ``implements`` list.
"""

from __future__ import annotations

import json
import statistics
import time
from collections import defaultdict
from pathlib import Path
from typing import Any


def gold_implementers(archive_dir: Path) -> dict[str, set[str]]:
    """Central directive key → the keys of every plan that carries it out, at any depth."""
    children: dict[str, set[str]] = defaultdict(set)
    for g in (archive_dir / "gold").glob("*.json"):
        data = json.loads(g.read_text(encoding="utf-8"))
        h = data["header"]
        num, rest = h["symbol"].split("-", 1)
        own = f"{int(num)}-{rest}@{h['date']}#{h['issuer']}"
        for key in data["implements"]:
            children[key].add(own)
    # plans are known by key@date#issuer; what they implement by key@date (+ province scope,
    # which the key alone does not give), so walk by key only for central targets
    by_key: dict[str, set[str]] = defaultdict(set)
    for parent, kids in children.items():
        by_key[parent] |= kids
    out: dict[str, set[str]] = {}
    for target in (k for k in by_key if "/TW@" in k):
        seen: set[str] = set()
        stack = [target]
        while stack:
            for kid in by_key.get(stack.pop(), ()):
                if kid not in seen:
                    seen.add(kid)
                    stack.append(kid.split("#")[0])
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
            found = {r["node_id"] for r in res.rows}
            depth = max((r["depth"] for r in res.rows), default=0)
            want = expected.get(key, set())
            per_target.append({"key": key, "direct": direct, "rows": len(res.rows), "implementers": len(found),
                               "gold_implementers": len(want), "max_depth": depth, "best_ms": round(1000 * best, 1)})
    timings.sort()
    return {
        "nodes": n_nodes, "edges": n_edges, "queries": len(timings),
        "median_ms": round(1000 * statistics.median(timings), 1) if timings else None,
        "p95_ms": round(1000 * timings[int(0.95 * (len(timings) - 1))], 1) if timings else None,
        "max_ms": round(1000 * timings[-1], 1) if timings else None,
        "found_over_gold": round(sum(t["implementers"] for t in per_target)
                                 / max(1, sum(t["gold_implementers"] for t in per_target)), 3),
        "targets": per_target,
    }
