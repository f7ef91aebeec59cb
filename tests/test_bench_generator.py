"""The synthetic archive generator (bench/make_archive.py): deterministic, valid files, SCHEMA gold.

The benchmark itself is not run here; only the generator, on a tiny archive.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))

import make_archive  # noqa: E402

FORMATS = "txt=0.4,docx=0.15,pdf=0.15,scan=0.15,png=0.15"
KEY = re.compile(r"^[1-9][0-9]*-[A-Za-zĐđ]+/[A-Za-zĐđ]+(@\d{4}(-\d{2}-\d{2})?)?$")


def _build(out: Path, n: int, seed: int, formats: str = FORMATS) -> list[dict]:
    assert make_archive.main([str(out), "--n", str(n), "--seed", str(seed), "--formats", formats, "--quiet"]) == 0
    return [json.loads(line) for line in (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]


def _digests(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict]]:
    out = tmp_path_factory.mktemp("arch") / "a"
    return out, _build(out, 14, seed=5)


def test_same_seed_same_bytes_other_seed_other_plans(archive, tmp_path: Path) -> None:
    out, manifest = archive
    again = _build(tmp_path / "b", 14, seed=5)
    assert again == manifest
    assert _digests(tmp_path / "b") == _digests(out)
    other = _build(tmp_path / "c", 14, seed=6, formats="txt=1")
    golds = {json.loads(p.read_text(encoding="utf-8"))["header"]["title"] for p in (tmp_path / "c" / "gold").glob("*.json")}
    assert golds != {json.loads(p.read_text(encoding="utf-8"))["header"]["title"] for p in (out / "gold").glob("*.json")}


def test_manifest_lists_every_file_with_its_gold(archive) -> None:
    out, manifest = archive
    assert len(manifest) == 14
    assert len({r["stem"] for r in manifest}) == 14
    for rec in manifest:
        assert (out / rec["path"]).is_file()
        assert (out / "gold" / f"{rec['stem']}.json").is_file()
        assert rec["pages"] >= 1 and rec["bytes"] > 0
    assert {r["format"] for r in manifest} >= {"txt", "pdf"}
    assert {r["level"] for r in manifest} >= {"province", "district", "commune"}


def test_gold_follows_schema(archive) -> None:
    out, manifest = archive
    for rec in manifest:
        g = json.loads((out / "gold" / f"{rec['stem']}.json").read_text(encoding="utf-8"))
        assert set(g) == {"doc", "header", "implements", "citations", "assignments", "deadlines", "signer", "recipients"}
        assert g["doc"] == rec["stem"]
        assert set(g["header"]) == {"doc_type", "symbol", "issuer", "place", "date", "title"}
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", g["header"]["date"])
        keys = [c["key"] for c in g["citations"]]
        assert len(keys) == len(set(keys)) and all(KEY.match(k) for k in keys)
        assert g["implements"] and set(g["implements"]) <= set(keys)
        own = f"{int(g['header']['symbol'].split('-')[0])}-{g['header']['symbol'].split('-', 1)[1]}@{g['header']['date']}"
        assert own not in keys  # a plan never cites itself
        for c in g["citations"]:
            assert set(c) == {"key", "doc_type", "symbol", "date", "issuer"}
            assert c["key"].split("@")[0] == f"{int(c['symbol'].split('-')[0])}-{c['symbol'].split('-', 1)[1]}"
            assert (c["date"] is None) == ("@" not in c["key"])
        for a in g["assignments"]:
            assert set(a) == {"unit", "role", "deadline"} and a["unit"] and a["role"]
        for d in g["deadlines"]:
            assert set(d) == {"text", "start", "end"}
            if d["start"] and d["end"]:
                assert d["start"] <= d["end"]
        assert g["signer"]["name"] and g["recipients"]


def test_parents_come_first_and_numbers_are_reused(tmp_path: Path) -> None:
    out = tmp_path / "t"
    manifest = _build(out, 120, seed=2, formats="txt=1")
    own: set[str] = set()
    symbols: dict[str, set[str]] = {}
    for rec in manifest:
        g = json.loads((out / "gold" / f"{rec['stem']}.json").read_text(encoding="utf-8"))
        parent = g["implements"][0]
        if "/TW@" not in parent:
            assert parent in own or any(parent == k for k in own)
        h = g["header"]
        own.add(f"{int(h['symbol'].split('-')[0])}-{h['symbol'].split('-', 1)[1]}@{h['date']}")
        symbols.setdefault(h["symbol"], set()).add(h["issuer"])
    assert any(len(issuers) > 1 for issuers in symbols.values())  # same number, other committee


def _squash(s: str) -> str:
    return re.sub(r"\s*-\s*", "-", re.sub(r"\s+", " ", s.replace("**", "")))


def test_text_files_contain_what_the_gold_says(archive) -> None:
    out, manifest = archive
    for rec in (r for r in manifest if r["format"] == "txt"):
        text = _squash((out / rec["path"]).read_text(encoding="utf-8"))
        g = json.loads((out / "gold" / f"{rec['stem']}.json").read_text(encoding="utf-8"))
        assert _squash(g["header"]["title"]) in text
        assert g["header"]["symbol"] in text and g["header"]["place"] in text
        for c in g["citations"]:
            assert f"{c['doc_type']} số {c['symbol']}" in text
        for a in g["assignments"]:
            assert a["unit"] in text
        for d in g["deadlines"]:
            assert d["text"] in text
        assert g["signer"]["name"] in text
        for r in g["recipients"]:
            assert r in text


def test_binary_formats_open(archive) -> None:
    import docx
    import pypdfium2 as pdfium
    from PIL import Image

    out, manifest = archive
    for rec in manifest:
        path = out / rec["path"]
        g = json.loads((out / "gold" / f"{rec['stem']}.json").read_text(encoding="utf-8"))
        if rec["format"] == "docx":
            d = docx.Document(str(path))
            body = "\n".join(p.text for p in d.paragraphs)
            cells = "\n".join(c.text for t in d.tables for row in t.rows for c in row.cells)
            assert g["header"]["symbol"] in _squash(cells) and "III. TỔ CHỨC THỰC HIỆN" in body
        elif rec["format"] in ("pdf", "scan"):
            pdf = pdfium.PdfDocument(str(path))
            text = "".join(p.get_textpage().get_text_range() for p in pdf)
            assert len(pdf) == rec["pages"]
            if rec["format"] == "pdf":
                assert g["header"]["symbol"] in _squash(text)
            else:
                assert text.strip() == ""  # image only: needs OCR
        elif rec["format"] == "png":
            with Image.open(path) as im:
                assert im.format == "PNG" and im.height > im.width


def test_bad_format_spec_is_refused() -> None:
    with pytest.raises(ValueError):
        make_archive.parse_formats("txt=1,odt=1")
    assert make_archive.parse_formats("txt=3,pdf=1") == {"txt": 0.75, "pdf": 0.25}
