"""Loading the pattern tables (``pipeline/patterns/*.json``), shared by every stage.

Knowledge of the language lives in data files (eyecite's reporters-db style): keys
starting or ending with ``#`` are comments, and a list item that is a list starting with
``"#"`` is a comment row. Each table is read once per process.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

PATTERNS_DIR = Path(__file__).resolve().parent / "patterns"


def strip_comments(obj: Any) -> Any:
    """``obj`` without its comment keys and comment rows."""
    if isinstance(obj, dict):
        return {k: strip_comments(v) for k, v in obj.items() if not (k.startswith("#") or k.endswith("#"))}
    if isinstance(obj, list):
        return [strip_comments(x) for x in obj if not (isinstance(x, list) and x and x[0] == "#")]
    return obj


@cache
def load(name: str) -> Any:
    """The pattern table ``pipeline/patterns/<name>.json`` without its comment keys."""
    raw = (PATTERNS_DIR / f"{name}.json").read_text("utf-8")
    return strip_comments(json.loads(raw))


__all__ = ["PATTERNS_DIR", "load", "strip_comments"]
