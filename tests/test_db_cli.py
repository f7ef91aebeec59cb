"""``kehoach query|implementers|uncovered|deadlines|show|graph`` through typer's CliRunner."""

from __future__ import annotations

import csv
import io
import json

import networkx as nx
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.errors import ExitCode
from pipeline.store import Store
from pipeline.testing import held_database, load_archive, related_plans_archive

COMMANDS = ("query", "implementers", "uncovered", "deadlines", "show", "graph")


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("db") / "kehoach.duckdb"
    with Store(path) as s:
        load_archive(s)
    return path


@pytest.fixture(scope="module")
def runner():
    return CliRunner()


def run(runner, *args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.mark.parametrize("command", COMMANDS)
def test_help(runner, command):
    res = run(runner, command, "--help")
    assert res.exit_code == 0 and "--db" in res.output


def test_query_csv_and_json(runner, db):
    res = run(runner, "query", "SELECT node_id, level FROM nodes WHERE in_archive ORDER BY node_id LIMIT 2", "--db", db, "--csv")
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert rows[0] == {"node_id": "12-KH/HU@2022-03-20#Hà Tĩnh", "level": "district"}
    res = run(runner, "query", "SELECT count(*) AS n FROM documents", "--db", db, "--json")
    assert json.loads(res.stdout) == [{"n": 9}]


def test_query_is_read_only_and_reports_sql_errors(runner, db):
    res = run(runner, "query", "DELETE FROM nodes", "--db", db)
    assert res.exit_code == ExitCode.bad_args
    res = run(runner, "query", "SELECT * FROM nope", "--db", db)
    assert res.exit_code == ExitCode.bad_args and "nope" in res.output
    assert "remedy: check the SQL" in res.stderr


def test_implementers(runner, db):
    res = run(runner, "implementers", "23-KL/TW", "--db", db, "--json")
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert {r["node_id"] for r in rows if r["depth"] == 3} == {"5-KH/ĐU@2022-04-02#Hà Tĩnh"}
    table = run(runner, "implementers", "23-KL/TW", "--db", db)
    assert table.exit_code == 0 and "Implementers of 23-KL/TW" in table.stdout
    missing = run(runner, "implementers", "999-KL/TW", "--db", db)
    assert missing.exit_code == ExitCode.bad_args


def test_uncovered(runner, db):
    res = run(runner, "uncovered", "--db", db, "--csv")
    assert res.exit_code == 0
    ids = {r["node_id"] for r in csv.DictReader(io.StringIO(res.stdout))}
    assert "38-QĐ/TW@2021-11-05" in ids


def test_deadlines(runner, db):
    res = run(runner, "deadlines", "--before", "2022-04-30", "--unit", "Tuyên giáo", "--today", "2022-04-01", "--db", db, "--json")
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert [(r["unit"], r["overdue"]) for r in rows] == [("Ban Tuyên giáo Tỉnh ủy", True), ("Ban Tuyên giáo Huyện ủy", False)]
    bad = run(runner, "deadlines", "--before", "30/4/2022", "--db", db)
    assert bad.exit_code == ExitCode.bad_args


def test_show(runner, db):
    res = run(runner, "show", "33-KH/ĐUK", "--db", db, "--json")
    data = json.loads(res.stdout)
    assert len(data["matches"]) == 3
    ambiguous = next(m for m in data["matches"] if m["node"]["node_id"] == "33-KH/ĐUK#Hà Tĩnh")
    assert ambiguous["node"]["ambiguous"] and ambiguous["edges_in"][0]["type"] == "implements"
    table = run(runner, "show", "ha_tinh/tu_57.txt", "--db", db)
    assert table.exit_code == 0 and "Implemented / cited by" in table.stdout and "u_57.md" in table.stdout  # the .md render (rich wraps the path)
    assert run(runner, "show", "nope", "--db", db).exit_code == ExitCode.bad_args


@pytest.mark.parametrize("fmt", ["graphml", "json", "html", "png"])
def test_graph_formats(runner, db, tmp_path, fmt):
    out = tmp_path / f"g.{fmt}"
    res = run(runner, "graph", "--format", fmt, "--out", out, "--db", db)
    assert res.exit_code == 0, res.output
    assert out.stat().st_size > 0 and str(out) in res.stdout


def test_graph_root_and_default_path(runner, db):
    res = run(runner, "graph", "--format", "graphml", "--root", "12-KH/HU", "--db", db)
    assert res.exit_code == 0, res.output
    g = nx.read_graphml(db.parent / "graph.graphml")
    assert g.number_of_nodes() == 3
    assert run(runner, "graph", "--format", "svg", "--db", db).exit_code == ExitCode.bad_args


def test_missing_database(runner, tmp_path):
    res = run(runner, "uncovered", "--db", tmp_path / "none.duckdb")
    assert res.exit_code == ExitCode.input_file and "kehoach ingest" in res.output


def test_read_commands_never_write_a_stale_graph(runner, tmp_path):
    """A run that did not finish leaves the graph stale: reads say so and change nothing."""
    path = tmp_path / "k.duckdb"
    with Store(path) as s:
        load_archive(s)
        f = related_plans_archive()[0]
        s.mark_deleted(s.begin_run("t", {}), [f.info.path, "ha_tinh/tu_57.md"])
        assert s.graph_stale()
    before = path.stat().st_mtime_ns, path.stat().st_size
    res = run(runner, "show", "57-KH/TU#Hà Tĩnh", "--db", path, "--json")
    assert res.exit_code == 0 and "the graph is older than the documents" in res.stderr
    assert json.loads(res.stdout)["matches"][0]["node"]["in_archive"] is True  # not rebuilt
    assert (path.stat().st_mtime_ns, path.stat().st_size) == before
    with Store(path, read_only=True) as s:
        assert s.graph_stale()


def test_locked_database_exit_code(runner, tmp_path):
    path = tmp_path / "k.duckdb"
    Store(path).close()
    with held_database(path):
        res = run(runner, "uncovered", "--db", path)
        assert res.exit_code == ExitCode.database_locked
        assert "DatabaseLocked" in res.stderr and "remedy: an ingest is writing it" in res.stderr
