"""The pull quote (引语): checked with located errors, laid out as large type between two rules with
its source, body text wrapping it, one BlockQuote in the tagged PDF."""
from __future__ import annotations

import pytest
from pypdf import PdfReader

from pagesetter.build import build, compose_page
from pagesetter.errors import PagesetterError
from pagesetter.layout.model import Rule, TextLine
from pagesetter.pagespec.load import load_spec
from specs import project, spec_with
from tinypage import need_noto

STYLED = spec_with("  head: {role: biaosong, size: 三号, align: center}\n",
                   "  head: {role: biaosong, size: 三号, align: center}\n"
                   "  pq: {role: hei, size: 四号, align: center}\n  src: {role: kai, size: 小五, align: right}\n")
QUOTE = ("  - {kind: pullquote, text: 把党的政治建设摆在首位, source: ——本报评论员, style: pq, source_style: src,\n"
         "     at: {col: 1, span: 2, line: 8, lines: 5}, wrap: 4pt}\n")
QUOTE_LINE = len(STYLED.splitlines()) + 1


def _problems(tmp_path, spec: str):
    with pytest.raises(PagesetterError) as info:
        load_spec(project(tmp_path, spec))
    return info.value.problems


def test_loads_with_its_keys_in_points(tmp_path):
    o = load_spec(project(tmp_path, STYLED + QUOTE)).blocks[-1].options
    assert (o.text, o.style, o.source, o.source_style, o.rule, o.color) == \
        ("把党的政治建设摆在首位", "pq", "——本报评论员", "src", 1.0, "black")


def test_missing_text_and_too_few_lines_are_located_errors(tmp_path):
    (p,) = _problems(tmp_path, STYLED + QUOTE.replace("text: 把党的政治建设摆在首位, ", ""))
    assert p.line == QUOTE_LINE and p.message == "pullquote block 2 has no text"
    assert p.fix == "add text: 把党的政治建设摆在首位"
    (p,) = _problems(tmp_path, STYLED + QUOTE.replace("lines: 5", "lines: 2"))
    assert p.line == QUOTE_LINE + 1 and p.message == "pullquote block 2 has 2 lines; a pullquote block needs at least 3"
    assert p.fix == "give it lines: 3 or more"
    (p,) = _problems(tmp_path, STYLED + QUOTE.replace("style: pq", "style: pqq"))
    assert p.message == "style 'pqq' (style) is not defined" and p.fix == "did you mean 'pq'?"


def _laid(tmp_path, quote: str = QUOTE):
    need_noto()
    return compose_page(project(tmp_path, STYLED + quote), cache_dir=tmp_path / "cache")


def test_the_quote_sits_between_two_rules_and_the_body_text_wraps_it(tmp_path):
    composed = _laid(tmp_path)
    grid, area = composed.spec.grid, composed.spec.blocks[-1].area
    items = composed.layout.items
    top, bottom = area.top(grid), area.top(grid) + area.height(grid)
    rules = [i for i in items if isinstance(i, Rule)]
    assert [(r.y0, r.y1, r.x0, r.x1, r.width) for r in rules] == [
        (round(y, 4), round(y, 4), round(area.x(grid), 4), round(area.x(grid) + area.width(grid), 4), 1.0)
        for y in (top, bottom)]
    quote = [i for i in items if isinstance(i, TextLine) and i.frame == "pullquote"]
    assert ["".join(g.ch for g in i.glyphs) for i in quote] == ["把党的政治建设摆在首位", "——本报评论员"]
    assert all(top < i.y < bottom for i in quote)
    assert {g.size for g in quote[0].glyphs} == {14.0}  # 四号: large type
    body = [i for i in items if isinstance(i, TextLine) and i.frame in ("f1", "f2")]
    assert body and not [i for i in body if top - grid.pitch < i.y < bottom + grid.pitch]
    assert any(i.y > bottom for i in body)  # the story goes on under the quote
    assert not composed.block_overset


def test_a_quote_too_long_for_its_area_is_overset_not_dropped(tmp_path):
    composed = _laid(tmp_path, QUOTE.replace("lines: 5", "lines: 3").replace("span: 2", "span: 1"))
    (over,) = composed.block_overset
    assert "(pullquote)" in over.where and over.lines >= 1


def test_the_pdf_holds_the_quote_as_a_blockquote(tmp_path):
    need_noto()
    out = tmp_path / "out" / "p.pdf"
    build(project(tmp_path, STYLED + QUOTE), out, png=False, cache_dir=tmp_path / "cache")
    assert "把党的政治建设摆在首位" in PdfReader(out).pages[0].extract_text().replace(" ", "")
    root = PdfReader(out).trailer["/Root"]["/StructTreeRoot"].get_object()
    kids = [k.get_object() for k in root["/K"].get_object()["/K"]]
    (quote,) = [k for k in kids if k.get("/S") == "/BlockQuote"]
    assert [k.get_object()["/S"] for k in quote["/K"]] == ["/P", "/P"]
