"""Build the ``task_verbs`` list of ``pipeline/patterns/role_verbs.json`` (run by hand).

A unit's name ends where its predicate begins, and in Vietnamese the predicate begins with
a verb. The list is every word that a part-of-speech tagger calls a verb at least 70 % of
the times it sees it (and at least twice), from two sources:

- the VLSP 2013 POS test set that underthesea ships with its tagger (its gold column);
- underthesea's tagger run over Vietnamese administrative texts given on the command line
  (text and Word files; the dev2 files that have gold are not used, so the list is not
  tuned on them).

Words that also stand inside body names ('thuộc', 'liên quan', 'đầu tư', 'chỉ đạo' in
"Ban Chỉ đạo", ...) are taken out by ``DENY``. The result is written to stdout as JSON;
paste it into role_verbs.json. Nothing here runs at extraction time.

    python bench/build_task_verbs.py ../shared/corpus ../shared/dev/files tests/resources/heldout
"""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

DENY = {
    "thuộc", "trực thuộc", "phụ trách", "lệ thuộc", "phụ thuộc", "tuỳ thuộc", "thành", "định", "thu", "tiến", "chống",
    "giao", "có", "liên quan", "chuyên trách", "quản lí", "quản lý", "kiểm sát", "tự quản", "đầu tư", "phát triển",
    "kinh doanh", "sản xuất", "điều tra", "xét xử", "lập pháp", "hành pháp", "tư pháp", "kiểm tra", "chỉ đạo",
    "phục vụ", "lập hiến", "tài phán", "tố tụng", "thi hành", "bầu cử", "đối ngoại", "tiếp", "gồm", "bao gồm", "hết",
    "sang", "so", "đi", "lên", "ra", "xuống", "theo", "là", "được", "phòng chống", "cải cách", "hội nhập", "trợ giúp",
    "quản lí nhà nước", "vụ lợi", "ngôn luận", "tham nhũng", "phạm tội", "tội phạm hoá", "hình sự hoá",
    "phi hình sự hoá", "phi tội phạm hoá", "thể chế hoá", "tái áp dụng", "cai trị", "lập quy", "bao cấp", "du nhập",
    "hành xử", "ứng xử", "làm luật", "làm chủ", "chi phối", "yêu", "giết", "trải", "đáng", "xảy", "sống", "kể", "nói",
    "nhìn", "hiểu", "thấy", "muốn", "coi", "đọc", "viết", "chờ", "giành", "chiếm", "mất", "đem", "trao", "cấm", "phạt",
    "dẫn", "dựa", "tức là", "gọi là", "thường trực", "xúc tiến", "chỉ huy", "quản lý nhà nước", "thẩm định", "giám sát",
    "đánh giá", "công tác", "tuyên giáo", "dân vận", "tổ chức", "kiểm toán", "thanh tra", "bảo hiểm", "phát thanh",
    "truyền hình", "văn hoá", "thông tin", "tài chính", "phối hợp", "hành chính", "y tế", "giáo dục", "đào tạo",
    # single syllables the tagger saw as verbs only as pieces of compounds or outside admin prose
    "trực", "xuyên", "luận", "kiện", "liệu", "thông", "phong", "lãnh", "khai", "kết", "chế", "phát", "chấm", "biến", "đáp", "truy", "kiêm", "hưu", "khuyết", "trú", "sinh", "thức", "quyết", "suy", "tồn", "tưởng", "nghiện", "nhiễm", "khỏe", "đói", "đẻ", "cháy", "chết", "thịnh", "lưỡng", "sót", "sa", "trễ", "tiếc", "ngại", "dám", "kề", "infographic", "photocopy", "thi", "bảo", "buôn", "bọc", "bốc", "cai", "chém", "chụp", "hát", "hẹn", "khớp", "lấn", "lọt", "mắc", "nghĩ", "nhường", "siết", "thiêu", "thua", "thả", "thải", "thắng", "tẩy", "tắt", "tỏ", "vươn", "đỗ", "đền", "đính", "dựng", "xây", "ghép", "giam", "thưởng", "khen", "trữ", "lưu",
}  # fmt: skip
VLSP = "underthesea/pipeline/pos_tag/models/pos_crf_vlsp2013_20230303/test_output.txt"


def _vlsp(counts: dict[str, Counter]) -> None:
    import underthesea

    path = Path(underthesea.__file__).parent.parent / VLSP
    for line in path.read_text("utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2:
            counts[parts[0].lower()][parts[1].split("-", 1)[-1]] += 1


def _tagged(counts: dict[str, Counter], folders: list[str]) -> None:
    from underthesea import pos_tag

    from pipeline.errors import KehoachError
    from pipeline.read import read

    for folder in folders:
        for path in sorted(Path(folder).rglob("*")):
            if path.suffix.lower() not in (".txt", ".md", ".docx", ".doc", ".pdf") or path.name.startswith("."):
                continue
            try:
                text = read(path).text
            except KehoachError:  # a README or a scan without a text layer
                continue
            for line in text.splitlines():
                if len(line.split()) < 3:
                    continue
                for word, tag in pos_tag(line):
                    counts[word.lower()][tag] += 1


def main(folders: list[str]) -> None:
    counts: dict[str, Counter] = defaultdict(Counter)
    _vlsp(counts)
    _tagged(counts, folders)
    verbs = sorted(
        w for w, c in counts.items()
        if sum(c.values()) >= 2 and c["V"] / sum(c.values()) >= 0.7 and w not in DENY and any(ch.isalpha() for ch in w)
    )  # fmt: skip
    json.dump(verbs, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1:])
