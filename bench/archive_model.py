"""The synthetic archive's hierarchy: central directives, party committees and their plans.

Plans form trees: a central directive (…/TW) is carried out by province plans (…-KH/TU),
which are carried out by bloc (…-KH/ĐUK) and district plans (…-KH/HU, …-KH/ThU), which
are carried out by commune plans (…-KH/ĐU). Numbers restart every year and every
committee counts on its own, so several provinces reuse the same symbols, as real
archives do. Everything is drawn from one ``random.Random`` so the archive is
deterministic by seed.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

VOCAB_PATH = Path(__file__).with_name("vocab.json")


@lru_cache(maxsize=1)
def vocab() -> dict[str, Any]:
    """The generator's word lists (bench/vocab.json), without ``#`` comment keys."""
    data = json.loads(VOCAB_PATH.read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("#")}


@dataclass(frozen=True)
class Org:
    """A party committee that issues plans."""

    level: str  # province | bloc | district | commune
    name: str  # issuer as the gold writes it: "Huyện ủy Kim Sơn"
    committee: str  # how the text names it inside: "Huyện ủy"
    code: str  # issuer code in symbols: TU, ĐUK, HU, ThU, ĐU
    header: tuple[str, ...]  # left header column, upper case
    place: str  # the place line's town
    area: str  # "huyện Kim Sơn", "tỉnh Ninh Bình": for unit names and scope
    short: str  # place name used in unit names ("Kim Sơn")
    province: str
    parent: "Org | None" = None


@dataclass(frozen=True)
class DocRef:
    """A document that can be cited: a central directive or a plan."""

    doc_type: str
    type_code: str
    number: int
    padded: bool  # written with a leading zero ("05-KH/HU")
    code: str  # issuer code (TW, TU, ...)
    date: dt.date
    issuer_text: str  # as the citing text names the issuer
    issuer_gold: str  # as the gold's citation issuer
    topic: str

    @property
    def symbol(self) -> str:
        num = f"{self.number:02d}" if self.padded else str(self.number)
        return f"{num}-{self.type_code}/{self.code}"

    @property
    def key(self) -> str:
        return f"{self.number}-{self.type_code}/{self.code}@{self.date.isoformat()}"


@dataclass(frozen=True)
class PlanSpec:
    """One plan to write: who issues it, its own reference and what it carries out."""

    index: int
    org: Org
    ref: DocRef  # the plan itself
    parent: DocRef  # the document it directly carries out
    chain: tuple[DocRef, ...]  # parent, grandparent, ..., the central directive
    directive: DocRef  # root of the chain (central)
    extra_refs: tuple[DocRef, ...] = ()  # other central documents it mentions
    seed: int = 0  # per-plan seed for wording choices

    @property
    def stem(self) -> str:
        code = self.org.code.replace("Đ", "D").lower()
        return f"{self.index:05d}_{code}_{self.ref.date.year}"


@dataclass
class _Counters:
    """Plan numbers per (committee, year), starting low and restarting every year."""

    rng: random.Random
    next_number: dict[tuple[str, int], int] = field(default_factory=dict)

    def take(self, org: Org, year: int) -> int:
        k = (org.province, org.parent.name if org.parent else "", org.name, year)
        n = self.next_number.get(k) or self.rng.randint(1, 40)
        self.next_number[k] = n + self.rng.randint(1, 5)
        return n


def _place_names(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    syl = vocab()["place_syllables"]
    out: list[str] = []
    while len(out) < count:
        a, b = rng.sample(syl, 2)
        name = f"{a} {b}"
        if name not in taken:
            taken.add(name)
            out.append(name)
    return out


def build_orgs(rng: random.Random) -> list[Org]:
    """All committees: every province with its bloc, districts and communes."""
    orgs: list[Org] = []
    for prov, town in vocab()["provinces"]:
        p = Org("province", f"Tỉnh ủy {prov}", "Tỉnh ủy", "TU",
                rng.choice(((f"TỈNH ỦY {prov.upper()}",), (f"ĐẢNG BỘ TỈNH {prov.upper()}", "TỈNH ỦY"))),
                town, f"tỉnh {prov}", prov, prov)
        orgs.append(p)
        orgs.append(Org("bloc", f"Đảng ủy Khối các cơ quan tỉnh {prov}", "Đảng ủy Khối", "ĐUK",
                        (f"ĐẢNG BỘ TỈNH {prov.upper()}", "ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH"),
                        town, f"Khối các cơ quan tỉnh {prov}", prov, prov, p))
        for dname in _place_names(rng, rng.randint(6, 10), {prov}):
            town_level = rng.random() < 0.2
            kind, word, code = ("thị xã", "Thị ủy", "ThU") if town_level else ("huyện", "Huyện ủy", "HU")
            d = Org("district", f"{word} {dname}", word, code,
                    (f"ĐẢNG BỘ TỈNH {prov.upper()}", f"{word.upper()} {dname.upper()}"),
                    dname, f"{kind} {dname}", dname, prov, p)
            orgs.append(d)
            for cname in _place_names(rng, rng.randint(8, 14), {dname}):
                orgs.append(Org("commune", f"Đảng ủy xã {cname}", "Đảng ủy", "ĐU",
                                (f"ĐẢNG BỘ {kind.upper()} {dname.upper()}", f"ĐẢNG ỦY XÃ {cname.upper()}"),
                                cname, f"xã {cname}", cname, prov, d))
    return orgs


def build_directives(rng: random.Random, count: int) -> list[DocRef]:
    """Central directives, unique by key, dated 2016-2024."""
    v = vocab()
    out: list[DocRef] = []
    seen: set[str] = set()
    while len(out) < count:
        doc_type, code, issuer_text, issuer_gold = rng.choice(v["central_types"])
        date = dt.date(rng.randint(2016, 2024), rng.randint(1, 12), rng.randint(1, 28))
        ref = DocRef(doc_type, code, rng.randint(1, 199), rng.random() < 0.5, "TW", date,
                     issuer_text, issuer_gold, rng.choice(v["topics"]))
        if ref.key not in seen:
            seen.add(ref.key)
            out.append(ref)
    return out


def _plan_ref(org: Org, number: int, date: dt.date, topic: str, rng: random.Random) -> DocRef:
    issuer_text = f"Ban Thường vụ {org.committee}"
    return DocRef("Kế hoạch", "KH", number, number < 10 and rng.random() < 0.6, org.code, date,
                  issuer_text, issuer_text, topic)


def _tree(rng: random.Random, directive: DocRef, orgs_by_parent: dict[str | None, list[Org]],
          provinces: list[Org], counters: _Counters) -> list[tuple[Org, DocRef, tuple[DocRef, ...]]]:
    """One campaign: the plans carrying out one directive, parents before children."""
    out: list[tuple[Org, DocRef, tuple[DocRef, ...]]] = []

    def plan(org: Org, chain: tuple[DocRef, ...]) -> DocRef:
        date = chain[0].date + dt.timedelta(days=rng.randint(7, 75))
        ref = _plan_ref(org, counters.take(org, date.year), date, directive.topic, rng)
        out.append((org, ref, chain))
        return ref

    for prov in rng.sample(provinces, rng.randint(4, min(10, len(provinces)))):
        pref = plan(prov, (directive,))
        for child in orgs_by_parent.get(prov.name, []):
            if child.level == "bloc":
                if rng.random() < 0.5:
                    plan(child, (pref, directive))
                continue
            if rng.random() >= 0.5:
                continue
            dref = plan(child, (pref, directive))
            for commune in orgs_by_parent.get(child.name, []):
                if rng.random() < 0.4:
                    plan(commune, (dref, pref, directive))
    return out


def plan_specs(n: int, seed: int) -> Iterator[PlanSpec]:
    """The first ``n`` plans of the archive for ``seed``, parents always before children.

    Campaign trees are interleaved round-robin, so a small archive still spans several
    directives, provinces and levels.
    """
    rng = random.Random(seed)
    orgs = build_orgs(rng)
    by_parent: dict[str | None, list[Org]] = {}
    for o in orgs:
        by_parent.setdefault(o.parent.name if o.parent else None, []).append(o)
    provinces = [o for o in orgs if o.level == "province"]
    n_campaigns = max(3, n // 100 + 3)
    directives = build_directives(rng, n_campaigns + 10)
    campaigns, pool = directives[:n_campaigns], directives
    counters = _Counters(rng)
    trees = [_tree(rng, d, by_parent, provinces, counters) for d in campaigns]
    index = 0
    depth = 0
    while index < n and any(depth < len(t) for t in trees):
        for t in trees:
            if depth < len(t) and index < n:
                org, ref, chain = t[depth]
                root = chain[-1]
                extras = tuple(r for r in rng.sample(pool, rng.randint(0, 2))
                               if (r.type_code, r.number) != (root.type_code, root.number) and r.date < ref.date)
                yield PlanSpec(index, org, ref, chain[0], chain, chain[-1], extras, rng.randrange(2**31))
                index += 1
        depth += 1
    if index < n:
        raise ValueError(f"archive for seed {seed} holds only {index} plans; ask for fewer")
