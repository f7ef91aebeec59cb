"""Shared fixtures: where the repo, the shared corpus/gold and the sample archive are.

Keep this file small; fixtures that belong to one stage live in that stage's test
module or in ``tests/helpers_<stage>.py``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("KEHOACH_SHARED", REPO.parent / "shared"))
SAMPLE = REPO / "data" / "raw"
SAMPLE_GOLD = REPO / "data" / "gold"

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")


@pytest.fixture(scope="session")
def shared() -> Path:
    """The shared corpus and gold (``../shared``); under CI (``CI=true``) a missing one fails."""
    if not SHARED.is_dir():
        message = f"shared materials not found at {SHARED} (set KEHOACH_SHARED)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)
    return SHARED


@pytest.fixture(scope="session")
def corpus(shared: Path) -> Path:
    return shared / "corpus"


@pytest.fixture(scope="session")
def gold(shared: Path) -> Path:
    return shared / "gold"


@pytest.fixture(scope="session")
def sample() -> Path:
    return SAMPLE
