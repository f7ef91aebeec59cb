"""Small drawing helpers shared by the figures."""

from __future__ import annotations

from typing import Any

from matplotlib.axes import Axes


def fit(ax: Axes, points: Any) -> None:
    """Frame the node positions (curved edges do not update the data limits)."""
    xs, ys = zip(*points)
    for low, high, setter in ((min(xs), max(xs), ax.set_xlim), (min(ys), max(ys), ax.set_ylim)):
        pad = 0.15 * ((high - low) or 1.0)
        setter(low - pad, high + pad)


def no_data(ax: Axes, message: str) -> None:
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes)
    ax.axis("off")
