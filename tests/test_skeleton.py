"""``skeleton``: the C path gives what the one-to-one table gives, for any text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.structure import skeleton as sk

_ALPHABET = st.sampled_from(
    list("aAzZ019 \n\t|:-") + list("ÀÁẠẢÃÂẦẤẬẨẪĂẰẮẶẲẴÈÉẸẺẼÊỀẾỆỂỄÌÍỊỈĨÒÓỌỎÕÔỒỐỘỔỖƠỜỚỢỞỠÙÚỤỦŨƯỪỨỰỬỮỲÝỴỶỸđĐðÐƉ")
    + list("àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹ")
    + list("“”–…•ßøæŒİıſΑάЖ€ｆ\u0301\u0323\u00a0\u2003") + ["ǅ", "ﬁ", "Å", "Ω"]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(_ALPHABET, max_size=80).map("".join))
def test_skeleton_is_the_table(s: str) -> None:
    want = s.translate(sk._TABLE)
    sk.cache_clear()
    assert sk.skeleton(s) == want
    assert sk.skeleton(s) == want  # from the cache


def test_primed_lines_are_cut_from_the_text() -> None:
    text = "ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐỒNG “Số: 12/KH-UBND”\nKính gửi: các sở, ban, ngành"
    spans = [(0, 15), (16, 46), (47, len(text))]
    sk.cache_clear()
    sk.prime(text, spans)
    for s, e in spans:
        assert sk.skeleton(text[s:e]) == text[s:e].translate(sk._TABLE)
    assert sk.skeleton(text) == text.translate(sk._TABLE)
    assert sk.skeleton("Kính gửi") == "KINH GUI"
