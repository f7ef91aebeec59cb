"""Graph build and exports: GraphML, node-link JSON, PNG, and an HTML page opened in headless Chromium."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import networkx as nx
import pytest
from PIL import Image

from pipeline import graph
from pipeline.store import Store
from pipeline.testing import load_archive

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


@pytest.fixture(scope="module")
def g():
    with Store(":memory:") as s:
        load_archive(s)
        return graph.build_graph(s.con)


def _scalar(v):
    return isinstance(v, (str, int, float, bool))


def test_build_graph_attributes(g):
    assert g.number_of_nodes() == 12 and g.number_of_edges() == 11
    assert all(_scalar(v) for _, a in g.nodes(data=True) for v in a.values())
    assert all(_scalar(v) for _, _, a in g.edges(data=True) for v in a.values())
    node = g.nodes["57-KH/TU@2022-01-24#Hà Tĩnh"]
    assert node["files"] == "ha_tinh/tu_57.md; ha_tinh/tu_57.txt" and node["level"] == "province"
    assert node["colour"] == graph.TYPE_COLOURS["Kế hoạch"]
    edge = g.edges["42-KH/ĐUK@2022-03-07#Hà Tĩnh", "38-QĐ/TW@2021-11-05"]
    assert edge["type"] == "cites" and edge["colour"] == graph.EDGE_COLOURS["cites"]


def test_graphml_round_trip(g, tmp_path):
    path = graph.export(g, "graphml", tmp_path / "g.graphml")
    back = nx.read_graphml(path)
    assert set(back.nodes) == set(g.nodes) and back.number_of_edges() == g.number_of_edges()
    assert back.nodes["23-KL/TW@2021-11-05"]["level"] == "central"


def test_node_link_json(g, tmp_path):
    path = graph.export(g, "json", tmp_path / "g.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert len(data["nodes"]) == 12 and len(data["links"]) == 11
    assert all(v is not None and not isinstance(v, list) for n in data["nodes"] for v in n.values())
    back = nx.node_link_graph(data, edges="links")
    assert back.has_edge("5-KH/ĐU@2022-04-02#Hà Tĩnh", "12-KH/HU@2022-03-20#Hà Tĩnh")


def test_png(g, tmp_path):
    path = graph.export(g, "png", tmp_path / "g.png")
    with Image.open(path) as img:
        assert img.width > 400 and img.height > 300
        assert len(img.convert("RGB").getcolors(maxcolors=1 << 20) or ()) > 10  # not blank


def test_layered_positions_put_central_on_top(g):
    pos = graph.layered_positions(g)
    assert pos["23-KL/TW@2021-11-05"][1] > pos["12-KH/HU@2022-03-20#Hà Tĩnh"][1] > pos["5-KH/ĐU@2022-04-02#Hà Tĩnh"][1]


def test_subgraph(g):
    sub = graph.subgraph(g, ["12-KH/HU@2022-03-20#Hà Tĩnh"])
    assert set(sub.nodes) == {"12-KH/HU@2022-03-20#Hà Tĩnh", "57-KH/TU@2022-01-24#Hà Tĩnh", "5-KH/ĐU@2022-04-02#Hà Tĩnh"}


def test_unknown_format(g, tmp_path):
    with pytest.raises(ValueError):
        graph.export(g, "svg", tmp_path / "g.svg")


def test_html_is_self_contained(g, tmp_path):
    html = graph.export(g, "html", tmp_path / "g.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "new vis.Network" in html and "57-KH/TU@2022-01-24" in html


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (scripts/bootstrap.sh installs it)")
def test_html_opens_in_headless_browser(g, tmp_path):
    page = graph.export(g, "html", tmp_path / "g.html")
    shot = tmp_path / "shot.png"
    proc = subprocess.run(
        [
            CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}",
            f"--screenshot={shot}", "--window-size=1200,800", "--virtual-time-budget=5000",
            "--enable-logging=stderr", "--v=0", page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    console = [line for line in proc.stderr.splitlines() if ":CONSOLE" in line]
    assert any("kehoach-graph-drawn 12" in line for line in console), proc.stderr[-2000:]
    assert not [line for line in console if "Uncaught" in line or "Error" in line]
    with Image.open(shot) as img:
        assert img.size == (1200, 800)
        assert len(img.convert("RGB").getcolors(maxcolors=1 << 20) or ()) > 20


def test_graphml_keeps_one_type_per_attribute(g, tmp_path):
    text = graph.export(g, "graphml", tmp_path / "g.graphml").read_text(encoding="utf-8")
    names = re.findall(r'<key id="\w+" for="node" attr.name="(\w+)"', text)
    assert len(names) == len(set(names)) and "year" in names
