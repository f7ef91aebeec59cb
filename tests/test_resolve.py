"""Identity: restarting numbers, scoped issuer codes, undated citations, merging renders."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.resolve import CiteRef, DocRef, level_of, resolve

# fmt: off
LEVELS = [
    ("Ban Chấp hành Trung ương", "", "central"),
    ("Bộ Chính trị", "", "central"),
    ("Tỉnh ủy Phú Yên", "", "province"),
    ("Ban Thường vụ Tỉnh uỷ", "", "province"),
    ("Đảng ủy Khối các cơ quan tỉnh Hà Tĩnh", "ĐUK", "province"),
    ("Huyện ủy Thanh Bình", "HU", "district"),
    ("Ban Tuyên giáo Thị ủy", "BTG", "district"),
    ("Ủy ban nhân dân thị xã Đông Triều", "UBND", "district"),
    ("Đảng ủy xã Tân Phước", "ĐU", "commune"),
    ("Đảng ủy Sở Tài chính", "ĐU", "unit"),
    (None, "TU", "province"),
    (None, "HU", "district"),
    (None, "XYZ", "unknown"),
]
# fmt: on


@pytest.mark.parametrize("issuer,code,level", LEVELS)
def test_level_of(issuer, code, level):
    assert level_of(issuer, code) == level


def test_central_flag_wins():
    assert level_of("Tỉnh ủy", "TU", central=True) == "central"


def _doc(doc_id, key, scope="Hà Tĩnh", **kw):
    return DocRef(doc_id, key, scope=scope, **kw)


def _ids(res):
    return {n.node_id for n in res.nodes}


def test_restarted_number_gives_two_nodes():
    docs = [_doc("new", "33-KH/ĐUK@2022-04-21")]
    cites = [CiteRef("new", 0, "33-KH/ĐUK@2016-12-12")]
    res = resolve(docs, cites)
    assert _ids(res) == {"33-KH/ĐUK@2022-04-21#Hà Tĩnh", "33-KH/ĐUK@2016-12-12#Hà Tĩnh"}
    (edge,) = res.edges
    assert edge.type == "cites"


def test_same_local_symbol_in_two_provinces_is_two_nodes_but_central_is_one():
    docs = [_doc("hd", "42-KH/ĐUK@2022-03-07"), _doc("qn", "20-KH/HU@2022-03-15", scope="Phú Yên")]
    cites = [
        CiteRef("hd", 0, "57-KH/TU@2022-01-24", implements=True),
        CiteRef("qn", 0, "57-KH/TU@2022-01-24", implements=True),
        CiteRef("hd", 1, "23-KL/TW@2021-11-05"),
        CiteRef("qn", 1, "23-KL/TW@2021-11-05"),
    ]
    res = resolve(docs, cites)
    assert {"57-KH/TU@2022-01-24#Hà Tĩnh", "57-KH/TU@2022-01-24#Phú Yên", "23-KL/TW@2021-11-05"} <= _ids(res)
    central = next(n for n in res.nodes if n.node_id == "23-KL/TW@2021-11-05")
    assert central.scope is None and central.level == "central"


def test_undated_citation_joins_the_unique_dated_node_of_its_scope():
    docs = [_doc("a", "57-KH/TU@2022-01-24"), _doc("b", "12-KH/HU@2022-03-20"), _doc("q", "57-KH/TU@2021-05-01", scope="Phú Yên")]
    cites = [CiteRef("b", 0, "57-KH/TU", implements=True)]
    res = resolve(docs, cites)
    assert res.citation_node[("b", 0)] == "57-KH/TU@2022-01-24#Hà Tĩnh"
    assert not any(n.ambiguous for n in res.nodes)


def test_undated_citation_with_two_candidates_stays_ambiguous():
    docs = [_doc("new", "33-KH/ĐUK@2022-04-21"), _doc("so", "8-KH/ĐU@2022-05-05")]
    cites = [CiteRef("new", 0, "33-KH/ĐUK@2016-12-12"), CiteRef("so", 0, "33-KH/ĐUK", implements=True)]
    res = resolve(docs, cites)
    node = next(n for n in res.nodes if n.node_id == "33-KH/ĐUK#Hà Tĩnh")
    assert node.ambiguous and node.candidates == 2 and not node.in_archive


def test_undated_citation_without_candidate_is_its_own_ambiguous_node():
    res = resolve([_doc("a", "1-KH/ĐU@2022-01-01")], [CiteRef("a", 0, "167-QĐ/ThU")])
    node = next(n for n in res.nodes if n.key == "167-QĐ/ThU")
    assert node.ambiguous and node.candidates == 0


def test_state_symbol_with_its_year_is_not_ambiguous_alone():
    res = resolve([_doc("a", "87/2025/NQ-HĐND@2025-12-09")], [CiteRef("a", 0, "61/2024/QH15"), CiteRef("a", 1, "318/BC-HĐND")])
    flags = {n.key: n.ambiguous for n in res.nodes}
    assert flags == {"87/2025/NQ-HĐND@2025-12-09": False, "61/2024/QH15": False, "318/BC-HĐND": True}
    assert res.citation_node[("a", 0)] == "61/2024/QH15"  # central: no scope


def test_year_only_key_joins_only_a_date_of_that_year():
    docs = [_doc("a", "11-KH/TU@2016-03-11"), _doc("b", "9-KH/ĐU@2022-01-01")]
    cites = [CiteRef("b", 0, "11-KH/TU@2016"), CiteRef("b", 1, "11-KH/TU@2019")]
    res = resolve(docs, cites)
    assert res.citation_node[("b", 0)] == "11-KH/TU@2016-03-11#Hà Tĩnh"
    assert res.citation_node[("b", 1)] == "11-KH/TU@2019#Hà Tĩnh"


def test_injected_undated_resolver_and_scope():
    docs = [_doc("a", "57-KH/TU@2022-01-24"), _doc("b", "12-KH/HU@2022-03-20")]
    cites = [CiteRef("b", 0, "57-KH/TU")]
    never = resolve(docs, cites, resolve_undated_key=lambda base, partial, dates: None)
    assert never.citation_node[("b", 0)] == "57-KH/TU#Hà Tĩnh"
    one_scope = resolve(docs, cites, scope_of=lambda d: "X")
    assert one_scope.doc_node["a"] == "57-KH/TU@2022-01-24#X"


def test_renders_and_cited_only_nodes_merge_with_the_archive_document():
    docs = [_doc("txt", "57-KH/TU@2022-01-24"), _doc("pdf", "57-KH/TU@2022-01-24"), _doc("hu", "12-KH/HU@2022-03-20")]
    cites = [CiteRef("hu", 0, "57-KH/TU@2022-01-24", implements=True)]
    res = resolve(docs, cites)
    node = next(n for n in res.nodes if n.node_id == "57-KH/TU@2022-01-24#Hà Tĩnh")
    assert node.in_archive and set(node.doc_ids) == {"txt", "pdf"}
    assert res.doc_node["txt"] == res.doc_node["pdf"] == res.citation_node[("hu", 0)]


def test_documents_without_symbol_share_a_node_across_renders():
    a = DocRef("a", None, doc_type="Kế hoạch", issuer="Tỉnh ủy Phú Yên", title="Tổ chức hội nghị học tập chuyên đề")
    b = DocRef("b", None, doc_type="Kế hoạch", issuer="Tỉnh ủy Phú Yên", title="tổ chức hội nghị  học tập chuyên đề.")
    c = DocRef("c", None, doc_type="Kế hoạch", issuer="Đảng ủy xã Tân Phước", title="Tổ chức hội nghị học tập chuyên đề")
    res = resolve([a, b, c], [])
    assert res.doc_node["a"] == res.doc_node["b"] != res.doc_node["c"]
    assert res.doc_node["a"].startswith("doc:")


def test_edges_implements_wins_self_citation_dropped_count_per_text():
    docs = [_doc("a", "42-KH/ĐUK@2022-03-07"), _doc("a2", "42-KH/ĐUK@2022-03-07")]
    cites = [
        CiteRef("a", 0, "23-KL/TW@2021-11-05", mentions=5, implements=True, evidence="Thực hiện Kết luận số 23-KL/TW"),
        CiteRef("a", 1, "23-KL/TW", mentions=2),  # an undated short mention of the same conclusion
        CiteRef("a", 2, "42-KH/ĐUK@2022-03-07"),  # the document's own symbol
        CiteRef("a2", 0, "23-KL/TW@2021-11-05", mentions=4, implements=True),
    ]
    res = resolve(docs, cites)
    (edge,) = res.edges
    assert edge.type == "implements" and edge.count == 7 and not edge.inferred
    assert edge.evidence == "Thực hiện Kết luận số 23-KL/TW"
    assert set(edge.doc_ids) == {"a", "a2"}


def test_carried_out_citation_gives_an_inferred_edge():
    docs = [_doc("duk", "42-KH/ĐUK@2022-03-07")]
    cites = [
        CiteRef("duk", 0, "57-KH/TU@2022-01-24", implements=True, carries_out=("23-KL/TW@2021-11-05",), evidence="e"),
        CiteRef("duk", 1, "23-KL/TW@2021-11-05", implements=True),
    ]
    res = resolve(docs, cites)
    inferred = [e for e in res.edges if e.inferred]
    assert [(e.source, e.target, e.type) for e in inferred] == [
        ("57-KH/TU@2022-01-24#Hà Tĩnh", "23-KL/TW@2021-11-05", "implements")
    ]


def test_undated_render_joins_its_dated_render_by_title():
    docs = [
        _doc("docx", "33-KH/ĐUK@2022-04-21", title="Tổ chức hội nghị học tập chuyên đề"),
        _doc("scan", "33-KH/ĐUK", title="tổ chức hội nghị học tập chuyên đề"),  # OCR lost the date line
        _doc("other", "9-KH/ĐU@2022-05-01"),
    ]
    cites = [CiteRef("docx", 0, "33-KH/ĐUK@2016-12-12")]
    res = resolve(docs, cites)
    assert res.doc_node["scan"] == res.doc_node["docx"] == "33-KH/ĐUK@2022-04-21#Hà Tĩnh"
    untitled = resolve([*docs[:1], _doc("scan", "33-KH/ĐUK")], cites)
    assert untitled.doc_node["scan"] == "33-KH/ĐUK#Hà Tĩnh"  # two candidates, nothing to tell them apart


_DOCS = [
    _doc("hd51", "57-KH/TU@2022-01-24"), _doc("hd51b", "57-KH/TU@2022-01-24"),
    _doc("qn51", "57-KH/TU@2022-01-24", scope="Phú Yên"), _doc("hu", "12-KH/HU@2022-03-20"),
    _doc("new31", "33-KH/ĐUK@2022-04-21"), _doc("so", "8-KH/ĐU@2022-05-05"),
    DocRef("x", None, doc_type="Kế hoạch", issuer="Đảng ủy xã An Phú", title="t"),
]
_CITES = [
    CiteRef("hd51", 0, "23-KL/TW@2021-11-05", implements=True), CiteRef("hd51b", 0, "23-KL/TW", implements=True),
    CiteRef("qn51", 0, "23-KL/TW@2021-11-05", implements=True), CiteRef("hu", 0, "57-KH/TU", implements=True),
    CiteRef("new31", 0, "33-KH/ĐUK@2016-12-12"), CiteRef("so", 0, "33-KH/ĐUK", implements=True),
    CiteRef("x", 0, "12-KH/HU@2022-03-20", implements=True, carries_out=("57-KH/TU",)),
    CiteRef("x", 1, "57-KH/TU"),
]


@given(st.permutations(_DOCS), st.permutations(_CITES))
@settings(max_examples=40, deadline=None)
def test_resolution_does_not_depend_on_input_order(docs, cites):
    assert resolve(docs, cites) == resolve(_DOCS, _CITES)
