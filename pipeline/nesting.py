"""Nested implements: "Kế hoạch số 63-KH/TU ... của Ban Thường vụ Tỉnh ủy thực hiện Kết luận số 45-KL/TW".

A plan often names the plan it carries out together with what *that* plan carries
out. Reading the words between two citation mentions gives the graph the link from
the cited plan to its own directive, even when the cited plan is not in the archive.
The allowed gaps are regexes in ``patterns/identity.json`` (``nested_gap``,
``nested_list_gap``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from pipeline.identity import rules


def nested_implements(text: str, spans: Sequence[tuple[str, int, int]]) -> dict[str, tuple[str, ...]]:
    """Which cited documents the text says carry out other cited documents.

    ``"Thực hiện Kế hoạch số 63-KH/TU, ngày 17/02/2022 của Ban Thường vụ Tỉnh ủy thực
    hiện Kết luận số 45-KL/TW"`` → ``{"63-KH/TU@2022-02-17": ("45-KL/TW@2021-06-14",)}``:
    the plan 51 itself implements the conclusion 21, which gives the graph its second
    level even when plan 51 is not in the archive.

    Args:
        text: the document's normalised text.
        spans: ``(key, start, end)`` of every citation mention, any order.

    Returns:
        key → keys it carries out, in text order.
    """
    r = rules()
    ordered = sorted(spans, key=lambda s: (s[1], s[2]))
    out: dict[str, list[str]] = defaultdict(list)
    for i, (key_a, _, end_a) in enumerate(ordered[:-1]):
        key_b, start_b, end_b = ordered[i + 1]
        if key_b == key_a or not r["nested_gap"].match(text[end_a:start_b]):
            continue
        chain = [key_b]
        j = i + 1
        while j + 1 < len(ordered) and r["nested_list_gap"].match(text[ordered[j][2] : ordered[j + 1][1]]):
            j += 1
            chain.append(ordered[j][0])
        for k in chain:
            if k != key_a and k not in out[key_a]:
                out[key_a].append(k)
    return {k: tuple(v) for k, v in out.items()}


__all__ = ["nested_implements"]
