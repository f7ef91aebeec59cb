"""Helpers for the reliability suites: archives of plans, the CLI in a subprocess, table snapshots.

Subprocess ingests talk to the module's throw-away Prefect API (``prefect_api`` fixture)
instead of starting an ephemeral server each, which keeps every CLI run to a few seconds.
``SLOW_INGEST`` is ``kehoach ingest`` with a test hook around ``Store.put_documents``
(printing ``stored PATH`` after each commit, optionally hanging inside one document's
transaction, or waiting after its first commit until a gate file exists), so a test can kill
or race the process at a known point without any hook in the pipeline itself.
"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import time
import unicodedata
from pathlib import Path

import pytest

from helpers_ingest import plan_text, snapshot  # noqa: F401 (re-exported for the suites)

REPO = Path(__file__).resolve().parents[1]
KEHOACH = [sys.executable, "-c", "import sys; from pipeline.cli import main; sys.argv[0] = 'kehoach'; main()"]

SLOW_INGEST = r"""
import os, sys, time
from pipeline.store import Store

_put = Store.put_documents
_hang_at = int(os.environ.get("KEHOACH_TEST_HANG_AT", "0"))
_delay = float(os.environ.get("KEHOACH_TEST_WRITE_DELAY", "0"))
_gate = os.environ.get("KEHOACH_TEST_GATE", "")
_n = 0

def put_documents(self, run_id, items):
    global _n
    first, _n = _n, _n + len(items)
    if first < _hang_at <= _n:  # stop inside this batch's transaction, its rows inserted
        upsert = self._upsert_files
        def hang(*a, **k):
            upsert(*a, **k)
            print("hanging", items[_hang_at - first - 1][0].path, file=sys.stderr, flush=True)
            time.sleep(600)
        self._upsert_files = hang
    _put(self, run_id, items)
    # one write for the whole batch: a Ctrl-C right after the first line cannot cut the rest
    sys.stderr.write("".join(f"stored {info.path}\n" for info, _doc, _ex in items))
    sys.stderr.flush()
    time.sleep(_delay)
    for _ in range(3000):  # after a commit, wait until the test opens the gate (a file)
        if not _gate or os.path.exists(_gate):
            break
        time.sleep(0.1)

Store.put_documents = put_documents
from pipeline.cli import main
sys.argv[0] = "kehoach"
main()
"""

PROVINCES = ("Hải Dương", "Quảng Ninh", "Bắc Giang", "Thái Bình", "Nam Định")
NAMES = ("An", "Bình", "Cường", "Dũng", "Hà", "Lan", "Minh")


# ------------------------------------------------------------------------ archives


def write_plans(root: Path, count: int) -> list[str]:
    """``count`` small plan texts in a few folders; returns their archive paths."""
    paths = []
    for i in range(count):
        rel = f"{2020 + i % 4}/kh_{i + 1:03d}.txt"
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(plan_text(i + 10, PROVINCES[i % len(PROVINCES)], NAMES[i % len(NAMES)]), encoding="utf-8")
        paths.append(rel)
    return paths


# Unicode → TCVN3 (ABC) bytes for the lower-case letters; TCVN3 has no upper-case
# letters with tone marks (fonts draw them from the lower-case codes).
_TCVN3 = dict(
    zip(
        "àảãáạăằẳẵắặâầẩẫấậđèẻẽéẹêềểễếệìỉĩíịòỏõóọôồổỗốộơờởỡớợùủũúụưừửữứựỳỷỹýỵ",
        bytes.fromhex(
            "b5b6b7b8b9a8bbbcbdbec6a9c7c8c9cacbae" "cccecfd0d1aad2d3d4d5d6" "d7d8dcddde" "dfe1e2e3e4abe5e6e7e8e9"
            "aceaebecedee" "eff1f2f3f4adf5f6f7f8f9" "fafbfcfdfe"
        ),
    )
)
_TCVN3_UPPER = {"Ă": 0xA1, "Â": 0xA2, "Ê": 0xA3, "Ô": 0xA4, "Ơ": 0xA5, "Ư": 0xA6, "Đ": 0xA7}


def to_tcvn3(text: str) -> bytes:
    """Encode Vietnamese text as a TCVN3 (ABC font) file would hold it."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        if ch.isascii():
            out += ch.encode("ascii")
        elif ch in _TCVN3_UPPER:
            out.append(_TCVN3_UPPER[ch])
        else:
            out.append(_TCVN3[ch.lower()])
    return bytes(out)


def to_cp1258(text: str) -> bytes:
    """Encode Vietnamese text in Windows-1258: precomposed where it can, tone marks combining."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", ch)
        tones = "".join(m for m in marks if m not in "\u0302\u0306\u031b")
        shaped = unicodedata.normalize("NFC", base + "".join(m for m in marks if m in "\u0302\u0306\u031b"))
        out += (shaped + tones).encode("cp1258")
    return bytes(out)


# --------------------------------------------------------------------------- CLI


@pytest.fixture(scope="module")
def prefect_api(prefect_harness: None) -> str:
    """The URL of the module's throw-away Prefect API, for subprocess ingests."""
    from prefect.settings import PREFECT_API_URL

    return str(PREFECT_API_URL.value())


def cli_env(api_url: str, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PREFECT_API_URL=api_url,
        PREFECT_LOGGING_LEVEL="WARNING",
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        OMP_THREAD_LIMIT="1",
        PYTHONPATH=os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p),
    )
    env.update(extra)
    return env


def run_cli(args: list[str], api_url: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """``kehoach ARGS`` in a subprocess; returns the finished process (never raises on status)."""
    return subprocess.run(
        [*KEHOACH, *args], env=cli_env(api_url), cwd=REPO, capture_output=True, text=True, timeout=timeout
    )


class SlowIngest:
    """``kehoach ingest`` with the ``SLOW_INGEST`` hook, its stderr lines read by a thread."""

    def __init__(
        self,
        archive: Path,
        db: Path,
        api_url: str,
        *,
        hang_at: int = 0,
        delay: float = 0.0,
        gate: Path | None = None,
        args: tuple[str, ...] = (),
    ) -> None:
        env = cli_env(
            api_url,
            KEHOACH_TEST_HANG_AT=str(hang_at),
            KEHOACH_TEST_WRITE_DELAY=str(delay),
            KEHOACH_TEST_GATE=str(gate or ""),
        )
        self.proc = subprocess.Popen(
            [sys.executable, "-c", SLOW_INGEST, "ingest", str(archive), "--db", str(db), "--no-progress", "--no-reports",
             *args],
            env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self.pump = threading.Thread(target=self._pump, daemon=True)
        self.pump.start()

    def _pump(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, prefix: str, timeout: float = 240, *, anywhere: bool = False) -> str:
        """The first stderr line starting with (or, ``anywhere``, holding) ``prefix``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                if self.proc.poll() is not None and self.lines.empty():
                    break
                continue
            self.seen.append(line)
            if line.startswith(prefix) or (anywhere and prefix in line):
                return line
        raise AssertionError(f"no {prefix!r} line; rc={self.proc.poll()}; stderr:\n" + "\n".join(self.seen[-30:]))

    def stored(self) -> list[str]:
        """Paths committed so far, from the lines read."""
        return [line.split(" ", 1)[1] for line in self.seen if line.startswith("stored ")]

    def finish(self, timeout: float = 300) -> int:
        rc = self.proc.wait(timeout)
        self.pump.join(30)  # every line the process wrote, read to its end (EOF)
        while not self.lines.empty():
            self.seen.append(self.lines.get())
        return rc


# ---------------------------------------------------------------------- snapshots


def query(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    """Run one query on a database no one holds (opened read-only, then closed)."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def assert_consistent(db: Path) -> None:
    """No duplicate rows, no document without its files row, no ok file without its document."""
    for table in ("documents", "citations", "deadlines", "numbers", "assignments"):
        key = "doc_id" if table == "documents" else "doc_id, ordinal"
        dups = query(db, f"SELECT {key}, count(*) FROM {table} GROUP BY ALL HAVING count(*) > 1")
        assert not dups, f"duplicate rows in {table}: {dups[:5]}"
        orphans = query(
            db, f"SELECT DISTINCT t.path FROM {table} t LEFT JOIN files f ON f.path = t.path WHERE f.path IS NULL"
        )
        assert not orphans, f"{table} rows without a files row: {orphans[:5]}"
    assert not query(db, "SELECT path FROM files GROUP BY path HAVING count(*) > 1")
    missing = query(
        db,
        "SELECT f.path FROM files f LEFT JOIN documents d ON d.path = f.path WHERE f.status = 'ok' AND d.path IS NULL",
    )
    assert not missing, f"ok files without their document row: {missing[:5]}"

