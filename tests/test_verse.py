"""Verse (诗行, issue 23 item 5): `| ` lines end with a forced line break, a lone `|` (or a blank
line between two verse blocks) starts a stanza; verse is set ragged (no justification, no
letter-spacing), its turnovers indented, stanzas one grid line apart (none at a column's top), no
孤字 — checked on the composed layout and, at default settings, by ../shared/tools/pagecheck.py."""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pdfplumber
import pytest
from test_narrow_columns import PAGECHECK, narrow_page, pagecheck
from tinypage import need_noto

from pagesetter.build import build, compose_page
from pagesetter.errors import PagesetterError
from pagesetter.layout.flow import TURNOVER_EM
from pagesetter.story.parse import parse_story
from pagesetter.text.justify import GlyphRun

POEM = """海子的这首诗写于一九八九年一月，是他流传最广的作品之一。诗人用朴素的语言，写出了对尘世幸福的向往，也写出了一个人面对世界时的温柔与孤独。

| 从明天起，做一个幸福的人
| 喂马，劈柴，周游世界
| 从明天起，关心粮食和蔬菜
| 我有一所房子，面朝大海，春暖花开
|
| 从明天起，和每一个亲人通信
| 告诉他们我的幸福
| 那幸福的闪电告诉我的
| 我将告诉每一个人
|
| 给每一条河每一座山取一个温暖的名字
| 陌生人，我也为你祝福
| 愿你有一个灿烂的前程
| 愿你有情人终成眷属
| 愿你在尘世获得幸福
| 我只愿面朝大海，春暖花开

三十多年过去了，这首诗依然被无数读者传诵。每到春天，总有人在海边朗读它，把诗句写在明信片上寄给远方的朋友。诗中的房子并不存在，但它在读者心里早已建成。

有评论家说，这首诗的魅力在于它的简单：没有生僻的字，没有复杂的意象，只有喂马、劈柴、关心粮食和蔬菜这样的日常小事。正是这些小事，构成了一个普通人的幸福。"""
VERSE_LINES = [line[2:] for line in POEM.split("\n") if line.startswith("| ")]
NONE = ("holes", "han_latin_holes", "latin_letterspaced", "loose_lines", "css_line_start", "postfix_split",
        "widows", "orphan")


def story(body: str):
    return parse_story(f"---\nheadline: 题\n---\n{body}\n", Path("a.md"))


def test_verse_lines_and_stanzas_are_read():
    pars = story("引言。\n\n| 第一行\n| 第二行\n|\n| 第三行\n\n| 第四行\n\n正文。").paragraphs
    assert [(p.role, p.text, p.stanza, p.line) for p in pars] == [
        ("body", "引言。", False, 4), ("verse", "第一行", False, 6), ("verse", "第二行", False, 7),
        ("verse", "第三行", True, 9), ("verse", "第四行", True, 11), ("body", "正文。", False, 13)]


def test_a_verse_line_may_hold_scripts_and_strong_spans():
    spans = story("| **春**天的H~2~O").paragraphs[0].spans
    assert [(s.text, s.kind, s.script) for s in spans] == [
        ("春", "strong", ""), ("天的H", "verse", ""), ("2", "verse", "sub"), ("O", "verse", "")]


def test_a_line_without_the_mark_inside_a_verse_block_is_a_located_error():
    with pytest.raises(PagesetterError) as err:
        story("| 第一行\n第二行")
    problem = err.value.problems[0]
    assert (problem.line, problem.column) == (5, 1) and "does not start with '|'" in problem.message
    assert "blank line" in problem.fix


def composed_lines(tmp_path: Path, chars: int, text: str = POEM):
    need_noto()
    spec = narrow_page(tmp_path / "p", chars, [text])
    layout = compose_page(spec).layout
    return [item for item in layout.items if hasattr(item, "glyphs") and item.story == "s"]


def _verse_groups(lines) -> list[list]:
    """The set lines of each verse line, in order (a verse line is one paragraph)."""
    by_para = defaultdict(list)
    for line in lines:
        by_para[line.para].append(line)
    return [group for _, group in sorted(by_para.items())
            if "".join(GlyphRun.of(line.glyphs).text for line in group) in VERSE_LINES]


@pytest.mark.parametrize("chars", [10, 11, 12, 13, 14])
def test_verse_is_ragged_with_indented_turnovers_and_no_lone_character(tmp_path, chars):
    lines = composed_lines(tmp_path, chars)
    groups = _verse_groups(lines)
    assert ["".join(GlyphRun.of(l.glyphs).text for l in g) for g in groups] == VERSE_LINES
    body = 9.0  # (a line's x is its column's left edge; its glyphs' xs are measured from there)
    for group in groups:
        assert GlyphRun.of(group[0].glyphs).xs[0] == pytest.approx(2 * body, abs=0.01)  # the 2-em indent
        for turn in group[1:]:
            assert GlyphRun.of(turn.glyphs).xs[0] == pytest.approx((2 + TURNOVER_EM) * body, abs=0.01)
        last = GlyphRun.of(group[-1].glyphs).text
        assert len(group) == 1 or len(last) >= 2, last  # 孤字: a turnover of one character never
        for line in group:  # natural spacing: each glyph starts where the one before it ends (or a
            run = GlyphRun.of(line.glyphs)  # squeezed mark's blank half earlier), never later
            for (a, xa), xb in zip(zip(run.cells, run.xs), run.xs[1:]):
                assert xb - xa <= a.advance - a.fixed + 0.01, (run.text, a.ch)


@pytest.mark.parametrize("chars", [10, 11, 12, 13, 14])
def test_stanzas_are_one_grid_line_apart_and_none_at_a_column_top(tmp_path, chars):
    lines = composed_lines(tmp_path, chars)
    groups = _verse_groups(lines)
    opening = {VERSE_LINES.index(t) for t in ("从明天起，和每一个亲人通信", "给每一条河每一座山取一个温暖的名字")}
    pitch = 14.0
    for i in range(1, len(groups)):
        before, first = groups[i - 1][-1], groups[i][0]
        if before.frame != first.frame:
            continue  # a column break: the new stanza (or line) starts at the column's top
        step = round((first.y - before.y) / pitch)
        assert step == (2 if i in opening else 1), (i, step)


def test_a_turnover_of_one_character_takes_one_more_down(tmp_path):
    # 12 characters a line: 10 after the 2-em indent, so a verse line of 11 would turn 1 alone
    lines = composed_lines(tmp_path, 12, "| 一二三四五六七八九十甲")
    assert [GlyphRun.of(line.glyphs).text for line in lines] == ["一二三四五六七八九", "十甲"]


def _shown(example: str) -> str:
    """The line's text in a pagecheck example (`p1 y=… x=…: 亲人通信 — 27.0pt short …`)."""
    return example.split(": ", 1)[1].split(" — ")[0]


def _column_edges(pdf: Path, chars: int) -> list[str]:
    """Characters drawn past their column's right edge (narrow_page: 30 pt margin, 9 pt body,
    a 1-em gutter), each as `text@x1`; none on a page set right. A line-end mark's box may
    reach ½ em past it: the mark is trimmed to its half with the ink (GB/T 15834 §5.1.10)."""
    with pdfplumber.open(pdf) as doc:
        past = []
        for ch in doc.pages[0].chars:
            col = int((ch["x0"] - 30 + 4.5) // ((chars + 1) * 9))
            right = 30 + col * (chars + 1) * 9 + chars * 9
            allowed = 0.0 if "\u3400" <= ch["text"] <= "\u9fff" else 4.5
            if ch["text"].strip() and ch["x1"] > right + allowed + 0.01:
                past.append(f"{ch['text']}@{ch['x1']:.2f}>{right}")
    return past


@pytest.mark.skipif(not PAGECHECK.exists(), reason="../shared/tools/pagecheck.py not beside the repository")
@pytest.mark.parametrize("chars", [10, 11, 12, 13, 14])
def test_verse_page_passes_pagecheck(tmp_path, chars):
    """At 14 characters pagecheck finds nothing. At 10–13 it misreads a stanza as a column of its
    own (docs/composition.md §16, 'Where pagecheck misreads verse'): its `ragged` faults fall on
    verse lines only, which are set ragged by design, and no glyph passes its column's edge."""
    need_noto()
    spec = narrow_page(tmp_path / "p", chars, [POEM])
    pdf = tmp_path / "p.pdf"
    build(spec, pdf, png=False)
    report = pagecheck(pdf)
    soft, examples, faults = report["soft"], report["pages"][0]["soft_examples"], report.get("examples", {})
    assert set(faults) <= {"ragged"} and report["hard_faults"] == len(faults.get("ragged", [])), faults
    assert all(any(_shown(e) in verse for verse in VERSE_LINES) for e in faults.get("ragged", [])), faults
    assert (report["hard_faults"] == 0) == (chars == 14), faults
    assert _column_edges(pdf, chars) == []
    for figure in NONE:
        if figure == "loose_lines" and chars == 10:  # the prose paragraph above the poem, loosened
            # over 3 lines so that its last line is not 独。 alone (孤字); never a verse line
            assert soft.get(figure, 0) <= 3 and not any(_shown(e) in "".join(VERSE_LINES) for e in examples[figure])
            continue
        assert soft.get(figure, 0) == 0, examples[figure]


def test_a_verse_line_cut_by_a_jump_goes_on_as_turnovers(tmp_path, monkeypatch):
    """The rest of a verse line after a jump (flow.rest_of: `continued`) is set at the turnover
    indent on every line, not flush left as a continued prose paragraph is."""
    import pagesetter.build
    from pagesetter.layout.flow import rest_of
    from pagesetter.pagespec.load import load_spec

    need_noto()
    spec = load_spec(narrow_page(tmp_path / "p", 12, ["| 给每一条河每一座山取一个温暖的名字，陌生人，我也为你祝福"]))
    article = spec.stories[0].articles[0]
    rest = rest_of(parse_story(article.read_text(encoding="utf-8"), article), 0, 10)  # a jump after 10
    assert rest.paragraphs[0].continued and rest.paragraphs[0].role == "verse"
    monkeypatch.setattr(pagesetter.build, "load_stories", lambda s: {article: rest})
    lines = [item for item in pagesetter.build.compose_spec(spec).layout.items if getattr(item, "story", "") == "s"]
    assert len(lines) >= 2
    for line in lines:  # every line at the turnover indent: 2 + TURNOVER_EM em of 9 pt
        assert GlyphRun.of(line.glyphs).xs[0] == pytest.approx((2 + TURNOVER_EM) * 9.0, abs=0.01)
