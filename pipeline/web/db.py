"""The web app's one read-only handle on the database, released whenever it is idle.

DuckDB lets one process write a file or several read it, never both. Opening the file
costs tens of milliseconds, too much to pay on every request, while holding it for good
would lock out every ingest. So the first request opens it read-only, concurrent and
following requests share it (each through its own cursor, which also keeps their temp
tables apart), and it is closed once no request has used it for ``idle_seconds``: an
ingest started while nobody is browsing finds the file free, and while an ingest holds
it the pages answer "busy" (``DatabaseLocked``) until it is done.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

IDLE_SECONDS = 2.0


class Reader:
    """Read-only cursors on ``path``; see the module docstring."""

    def __init__(self, path: Path, idle_seconds: float = IDLE_SECONDS) -> None:
        self.path = path
        self.idle_seconds = idle_seconds
        self._store: object | None = None
        self._users = 0
        self._last = 0.0
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor for one request. Raises ``DatabaseLocked`` while an ingest holds the
        file, ``KehoachError`` when it does not exist."""
        from pipeline.store import Store

        with self._lock:
            if self._store is None:
                self._store = Store(self.path, read_only=True)
            self._users += 1
            con = self._store.con.cursor()  # type: ignore[attr-defined]
        try:
            yield con
        finally:
            con.close()
            with self._lock:
                self._users -= 1
                self._last = time.monotonic()
                if self._users == 0:
                    self._schedule()

    def _schedule(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer = threading.Timer(self.idle_seconds, self._release_if_idle)
        self._timer.daemon = True
        self._timer.start()

    def _release_if_idle(self) -> None:
        with self._lock:
            if self._users == 0 and self._store is not None and time.monotonic() - self._last >= self.idle_seconds * 0.9:
                self._store.close()  # type: ignore[attr-defined]
                self._store = None

    def close(self) -> None:
        """Release the file now (shutdown, tests)."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            if self._store is not None:
                self._store.close()  # type: ignore[attr-defined]
                self._store = None


__all__ = ["IDLE_SECONDS", "Reader"]
