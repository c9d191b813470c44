"""Accounting for articles/: every character of the seed page's article text is in articles/ or
consumed by a correction recorded in articles/corrections.yaml; nothing is invented; order holds.

stdlib + pyyaml only. The seed lives outside the repo (../shared/seed/page.txt); without it the
whole module is skipped.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
SEED = REPO.parent / "shared/seed/page.txt"
ARTICLES = REPO / "articles"

if not SEED.exists():
    pytest.skip(f"seed page not found at {SEED} (it lives outside the repo, in shared/seed/)",
                allow_module_level=True)

# files, in reading order
ARTICLE_FILES = ["main.md", "sidebar-1.md", "sidebar-2.md", "commentary.md",
                 "photo-1.md", "photo-2.md"]
FRONT_KEYS = {"kicker", "headline", "subtitle", "byline", "column", "label", "credit"}
PHOTO_ONLY_KEYS = {"label", "credit"}

# Seed pieces that are NOT article text (exact raw seed pieces):
EXCLUDED = [
    "奋进新征程 建功新时代·伟大变革",  # series banner: goes in the layout spec
    "①",                               # photo label printed on the photo
    "②",                               # photo label printed on the photo
    "版式设计:汪哲平",                  # layout credit (end furniture)
]

# the documented punctuation rule (articles/README.md, rule 2)
HALF_TO_FULL = str.maketrans({",": "，", ":": "：", ";": "；", "?": "？", "!": "！",
                              "(": "（", ")": "）"})
GAP_RE = re.compile(r"\[\[gap: [^\]\n]+\]\]")
HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
HAN_RE = re.compile(f"[{HAN}]")
# Han plus CJK/full-width punctuation and quotes: "Chinese text" for the half-width check
CJK = HAN + r"\u3000-\u303f\uff00-\uffef\u2018\u2019\u201c\u201d\u2014\u2026"
HALF_NEXT_TO_CJK = re.compile(f"(?<=[{CJK}])[,:;?!()]|[,:;?!()](?=[{CJK}])")

SECTION_LEADS = ["把党的政治建设摆在首位", "把重大任务落实作为试金石和磨刀石",
                 "把服务群众、造福群众作为"]


# ---------------------------------------------------------------- (a) parser of the format
class Article:
    def __init__(self, name: str, front: dict, blocks: list[tuple[str, str]]):
        self.name, self.front, self.blocks = name, front, blocks  # blocks: (kind, text)

    @property
    def paragraphs(self) -> list[str]:
        return [t for _, t in self.blocks]

    def text(self, gaps: bool = False) -> str:
        """front matter values + paragraphs, one per line; gap markers removed unless gaps."""
        parts = [str(v) for v in self.front.values()] + self.paragraphs
        s = "\n".join(parts)
        return s if gaps else GAP_RE.sub("", s)

    def body(self) -> str:
        return GAP_RE.sub("", "\n".join(self.paragraphs))


def parse_article(name: str, raw: str) -> Article:
    lines = raw.split("\n")
    assert lines[0] == "---", f"{name}: must start with a '---' front matter line"
    try:
        end = lines.index("---", 1)
    except ValueError:
        raise AssertionError(f"{name}: front matter not closed by '---'") from None
    front = yaml.safe_load("\n".join(lines[1:end])) or {}
    assert isinstance(front, dict), f"{name}: front matter is not a mapping"
    for k, v in front.items():
        assert k in FRONT_KEYS, f"{name}: unknown front matter key {k!r}"
        assert isinstance(v, str) and v.strip(), f"{name}: {k} must be a non-empty string"
    blocks: list[tuple[str, str]] = []
    cur: list[str] = []

    def flush():
        if not cur:
            return
        text = "".join(line.strip() for line in cur)
        cur.clear()
        if text.startswith("### "):
            kind, text = "sub", text[4:]
        elif text.startswith("## "):
            kind, text = "section", text[3:]
        else:
            kind = "p"
        assert not text.startswith("#"), f"{name}: unknown heading markup: {text[:20]}"
        assert text.strip(), f"{name}: empty block"
        blocks.append((kind, text))

    for line in lines[end + 1:]:
        if line.strip():
            cur.append(line)
        else:
            flush()
    flush()
    return Article(name, front, blocks)


def load_articles() -> dict[str, Article]:
    return {n: parse_article(n, (ARTICLES / n).read_text(encoding="utf-8"))
            for n in ARTICLE_FILES}


def test_parser_reads_the_documented_example():
    ex = ("---\nkicker: 谱写新篇章\nbyline: 本报记者  赵成\n---\n第一段，\n接续。\n\n"
          "## 小标题\n\n### ——子题。\n\n末段[[gap: 原文此处缺失]]\n")
    a = parse_article("example", ex)
    assert a.front == {"kicker": "谱写新篇章", "byline": "本报记者  赵成"}
    assert a.blocks == [("p", "第一段，接续。"), ("section", "小标题"), ("sub", "——子题。"),
                        ("p", "末段[[gap: 原文此处缺失]]")]
    assert a.body().endswith("末段")
    with pytest.raises(AssertionError):
        parse_article("bad", "---\nfoo: bar\n---\n正文\n")
    with pytest.raises(AssertionError):
        parse_article("bad", "---\nheadline: x\n---\n#### 正文\n")


# ---------------------------------------------------------------- seed + corrections
def seed_raw() -> str:
    return SEED.read_text(encoding="utf-8")


def seed_pieces() -> list[str]:
    """paragraph-pieces of the seed: blocks separated by blank lines."""
    blocks = re.split(r"\n\s*\n", seed_raw())
    return ["".join(l.strip() for l in b.split("\n")) for b in blocks if b.strip()]


def article_pieces() -> list[str]:
    return [p for p in seed_pieces() if p not in EXCLUDED]


def load_corrections() -> list[dict]:
    data = yaml.safe_load((ARTICLES / "corrections.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, list) and data, "corrections.yaml must be a non-empty list"
    return data


def fixes() -> list[dict]:
    return [e for e in load_corrections() if e["kind"] == "correction"]


def ws(s: str) -> str:
    return re.sub(r"\s+", " ", s)


def normalise(s: str) -> str:
    return s.translate(HALF_TO_FULL)


def corrected(piece: str) -> str:
    """documented punctuation rule, then the recorded corrections."""
    s = normalise(piece)
    for e in fixes():
        s = s.replace(normalise(e["seed"]), e["fixed"])
    return s


def han_count(s: str) -> Counter:
    return Counter(HAN_RE.findall(s))


def test_exclusions_are_real_seed_pieces():
    pieces = seed_pieces()
    for x in EXCLUDED:
        assert x in pieces, f"excluded piece {x!r} is not a piece of the seed (stale list?)"
    arts = load_articles()
    for n, a in arts.items():
        assert EXCLUDED[0] not in a.text(), f"series banner found in {n}; it belongs to the layout"
        assert "版式设计" not in a.text(), f"layout credit found in {n}"


# ---------------------------------------------------------------- (b) every piece survives
def test_every_seed_piece_is_in_the_articles():
    arts = load_articles()
    everything = ws("\n".join(a.text() for a in arts.values()))
    missing = [p for p in article_pieces() if ws(corrected(p)) not in everything]
    assert not missing, "seed pieces not found in articles/:\n" + "\n".join(
        f"  {corrected(p)[:60]}" for p in missing)


# ---------------------------------------------------------------- (c) Han accounting
def test_han_characters_are_accounted_for():
    seed_han = han_count("".join(article_pieces()))
    expected = Counter(seed_han)
    for e in fixes():
        expected.subtract(han_count(e["seed"]))
        expected.update(han_count(e["fixed"]))
    arts = load_articles()
    got = Counter()
    columns_seen = set()
    for a in arts.values():
        for k, v in a.front.items():
            if k == "column":
                # one printed column head may be recorded on several pieces (README rule 4)
                if v in columns_seen:
                    continue
                columns_seen.add(v)
            got.update(han_count(v))
        got.update(han_count(a.body()))
    lost = {c: n for c, n in (expected - got).items() if n > 0}
    extra = {c: n for c, n in (got - expected).items() if n > 0}
    if lost or extra:
        print("Han characters of the seed missing from articles/ (char: count):", lost)
        print("Han characters in articles/ not accounted for by seed + corrections:", extra)
    assert not lost and not extra, f"lost={lost} extra={extra}"
    assert sum(got.values()) == sum(expected.values())


# ---------------------------------------------------------------- (d) order in main.md
def test_main_section_order_and_structure():
    main = load_articles()["main.md"]
    leads = [t for k, t in main.blocks if k == "section"]
    assert len(leads) == 3, leads
    for lead, prefix in zip(leads, SECTION_LEADS):
        assert lead.startswith(prefix), (lead, prefix)
    paras = main.paragraphs
    assert paras[0].startswith("求木之长者"), "the lead must open the article"
    assert paras[-1].startswith("征程万里风正劲"), "the article must end with the closing paragraph"
    assert main.blocks[0][0] == "p" and main.blocks[-1][0] == "p"
    # each section ends with its summing-up paragraph: the block before the next lead / closing
    idx = [i for i, (k, _) in enumerate(main.blocks) if k == "section"] + [len(main.blocks) - 1]
    summing_up = ["一个支部一个支部提升", "从“支部建在连上”", "北京深化党建引领"]
    for i, start in zip(idx[1:], summing_up):
        assert main.blocks[i - 1][0] == "p" and main.blocks[i - 1][1].startswith(start), \
            (main.blocks[i - 1][1][:20], start)
    # every section: lead, intro paragraph(s), then exactly three "——" sub-points
    for a, b in zip(idx, idx[1:]):
        section = main.blocks[a + 1:b]
        assert section[0][0] == "p", "a section lead is followed by intro paragraphs"
        subs = [t for k, t in section if k == "sub"]
        assert len(subs) == 3 and all(t.startswith("——") for t in subs), subs
    # every seed "——" piece is a sub-point head, and every sub-point head is a seed piece
    seed_subs = [corrected(p) for p in article_pieces() if p.startswith("——")]
    all_subs = [t for k, t in main.blocks if k == "sub"]
    assert sorted(seed_subs) == sorted(all_subs)


def test_main_seed_paragraphs_appear_once():
    arts = load_articles()
    main = arts["main.md"]
    front_values = {ws(v) for a in arts.values() for v in a.front.values()}
    body = main.body()
    main_pieces = [ws(corrected(p)) for p in article_pieces()
                   if ws(corrected(p)) not in front_values and ws(corrected(p)) in ws(body)]
    assert len(main_pieces) >= 40, f"only {len(main_pieces)} seed pieces found in main.md"
    for p in main_pieces:
        assert ws(body).count(p) == 1, f"appears {ws(body).count(p)}x in main.md: {p[:40]}"
        for n, a in arts.items():
            if n != "main.md":
                assert p not in ws(a.body()), f"main-article piece also in {n}: {p[:40]}"
    # the piece after the gap (王伟肖…) closes the 雄安 example, before section 2's summing-up
    b = ws(body)
    assert b.index("为确保回迁验房各环节平稳顺") < b.index("王伟肖和同事们着眼于") \
        < b.index("从“支部建在连上”") < b.index(SECTION_LEADS[2])


def test_gap_marker_sits_where_recorded():
    arts = load_articles()
    gaps = [e for e in load_corrections() if e["kind"] == "gap"]
    assert gaps, "the page has a lost passage; it must be recorded"
    markers = sum(len(GAP_RE.findall(a.text(gaps=True))) for a in arts.values())
    assert markers == len(gaps), f"{markers} gap markers for {len(gaps)} recorded gaps"
    for e in gaps:
        text = arts[e["article"]].text(gaps=True)
        before = re.escape(corrected(e["seed"]))
        assert re.search(before + GAP_RE.pattern, text), f"no gap marker right after {e['seed']}"
        assert "原文此处缺失" in GAP_RE.search(text).group(0)


# ---------------------------------------------------------------- (e) corrections.yaml
def test_corrections_entries_match_seed_once():
    raw = seed_raw()
    arts = load_articles()
    for e in load_corrections():
        assert e.get("kind") in {"correction", "suspected", "gap"}, e
        for field in ("article", "seed", "why"):
            assert isinstance(e.get(field), str) and e[field], f"{field} missing in {e}"
        assert e["article"] in arts, f"unknown article {e['article']}"
        n = raw.count(e["seed"])
        assert n == 1, f"corrections seed {e['seed']!r} matches the seed {n} times (need 1)"
        body = ws(arts[e["article"]].text())
        if e["kind"] == "correction":
            assert isinstance(e.get("fixed"), str) and e["fixed"] != e["seed"], e
            assert ws(e["fixed"]) in body, f"fixed text not in {e['article']}: {e['fixed']}"
            assert ws(normalise(e["seed"])) not in body, \
                f"damaged text still in {e['article']}: {e['seed']}"
        else:
            assert "fixed" not in e, f"{e['kind']} entries change nothing: {e}"
            assert ws(normalise(e["seed"])) in body, \
                f"{e['kind']} text must be kept as is in {e['article']}: {e['seed']}"


# ---------------------------------------------------------------- (f) no half-width punctuation
def test_no_half_width_punctuation_next_to_chinese():
    bad = []
    for n in ARTICLE_FILES:
        for i, line in enumerate((ARTICLES / n).read_text(encoding="utf-8").split("\n"), 1):
            for m in HALF_NEXT_TO_CJK.finditer(GAP_RE.sub("", line)):
                bad.append(f"{n}:{i}: {line[max(0, m.start() - 8):m.end() + 8]}")
    assert not bad, "half-width punctuation next to Chinese text:\n" + "\n".join(bad)


def test_photo_files():
    arts = load_articles()
    for n, a in arts.items():
        is_photo = n.startswith("photo-")
        for k in PHOTO_ONLY_KEYS:
            assert (k in a.front) == is_photo, f"{n}: {k} is for photo captions only"
    for n, label in (("photo-1.md", "①"), ("photo-2.md", "②")):
        a = arts[n]
        assert a.front["label"] == label
        assert a.front["credit"].endswith("摄")
        assert len(a.paragraphs) == 1 and a.paragraphs[0].startswith(f"图{label}：")
