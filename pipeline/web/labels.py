"""Vietnamese labels for stored codes (levels, statuses, reasons, kinds): ``labels.json``."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any


@lru_cache(maxsize=1)
def table() -> dict[str, dict[str, str]]:
    data = json.loads((Path(__file__).with_name("labels.json")).read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("#")}


def label(group: str, value: Any) -> str:
    """The label of ``value`` in ``group``; the value itself when there is none."""
    if value is None:
        return ""
    return table().get(group, {}).get(str(value), str(value))


def vn_date(value: Any) -> str:
    """``dd/mm/yyyy`` (``dd/mm/yyyy HH:MM`` for a time, shown in local time: the store
    writes UTC); empty for None."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.astimezone().strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, str) and len(value) >= 10 and value[4] == "-" and value[7] == "-":
        try:
            return date.fromisoformat(value[:10]).strftime("%d/%m/%Y")
        except ValueError:
            return value
    return "" if value is None else str(value)


__all__ = ["label", "table", "vn_date"]
