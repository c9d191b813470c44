"""Article files: front matter, paragraph roles, joined lines, gap markers, errors."""
from pathlib import Path

import pytest

from pagesetter.errors import PagesetterError
from pagesetter.story.model import BODY, GAP, SECTION_LEAD, SUBHEAD
from pagesetter.story.parse import load_story, parse_story

P = Path("a.md")


def test_front_matter_and_roles():
    s = parse_story("---\nheadline: 主题\nbyline: 本报记者  赵成\n---\n第一段\n第一段续\n\n## 小标题\n\n### ——分论点\n\n正文。\n", P)
    assert s.get("headline") == "主题" and s.get("byline") == "本报记者  赵成"
    assert [(p.role, p.text) for p in s.paragraphs] == [
        (BODY, "第一段第一段续"), (SECTION_LEAD, "小标题"), (SUBHEAD, "——分论点"), (BODY, "正文。")]
    assert [p.line for p in s.paragraphs] == [5, 8, 10, 12]


def test_gap_marker_is_a_visible_span():
    s = parse_story("平稳顺[[gap: 原文此处缺失]]\n", P)
    spans = s.paragraphs[0].spans
    assert [(x.kind, x.text) for x in spans] == [(BODY, "平稳顺"), (GAP, "〔原文此处缺失〕")]


def test_no_front_matter():
    s = parse_story("正文\n", P)
    assert s.meta == {} and s.paragraphs[0].text == "正文"


def test_unclosed_front_matter():
    with pytest.raises(PagesetterError, match="never closed"):
        parse_story("---\nheadline: x\n正文\n", P)


def test_unknown_front_matter_key_names_line():
    with pytest.raises(PagesetterError) as e:
        parse_story("---\nheadline: x\nauthor: y\n---\n正文\n", P)
    p = e.value.problems[0]
    assert "unknown front-matter key 'author'" in p.message and p.line == 3


def test_missing_and_non_utf8(tmp_path):
    with pytest.raises(PagesetterError, match="not found"):
        load_story(tmp_path / "none.md")
    bad = tmp_path / "bad.md"
    bad.write_bytes("正文".encode("gb18030"))
    with pytest.raises(PagesetterError, match="not UTF-8"):
        load_story(bad)


def test_heading_marker_without_text_is_an_error():
    with pytest.raises(PagesetterError) as e:
        parse_story("第一段\n\n## \n\n正文\n", P)
    p = e.value.problems[0]
    assert "'##' starts a heading but no text follows" in p.message and p.line == 3


def test_strong_span_is_its_own_kind():
    from pagesetter.story.model import STRONG
    s = parse_story("**本报北京11月25日电**　记者赵成报道：正文**加粗**。\n\n## 小标题**强调**\n", P)
    spans = s.paragraphs[0].spans
    assert [(x.kind, x.text) for x in spans] == [
        (STRONG, "本报北京11月25日电"), (BODY, "　记者赵成报道：正文"), (STRONG, "加粗"), (BODY, "。")]
    assert [(x.kind, x.text) for x in s.paragraphs[1].spans] == [(SECTION_LEAD, "小标题"), (STRONG, "强调")]
    assert "*" not in s.paragraphs[0].text


def test_strong_span_may_hold_a_gap_note_and_run_over_lines():
    from pagesetter.story.model import STRONG
    s = parse_story("**本报[[gap: 缺]]\n讯**正文\n", P)
    assert [(x.kind, x.text) for x in s.paragraphs[0].spans] == [
        (STRONG, "本报"), (GAP, "〔缺〕"), (STRONG, "讯"), (BODY, "正文")]


def test_unclosed_strong_mark_is_a_located_error_never_printed():
    with pytest.raises(PagesetterError) as info:
        parse_story("---\nheadline: 主题\n---\n第一段。\n\n第二段**没有\n合上。\n", P)
    (p,) = info.value.problems
    assert (p.line, p.column) == (6, 4)
    assert "never closed" in p.message and "**" in p.fix


def test_strong_marks_in_front_matter_are_an_error_not_printed():
    with pytest.raises(PagesetterError) as info:
        parse_story("---\nheadline: 主题\nbyline: '**本报记者**'\n---\n正文。\n", P)
    (p,) = info.value.problems
    assert p.line == 3 and "'**'" in p.message


def test_an_empty_strong_span_is_located_bad_input():
    """'****' sets nothing in strong: a mistake (a lead-in deleted, its marks left), not silence."""
    with pytest.raises(PagesetterError) as e:
        parse_story("第一段。\n\n正文****本报讯。\n", P)
    p = e.value.problems[0]
    assert "empty strong span" in p.message and (p.line, p.column) == (3, 3)
    assert parse_story("正文**本报讯**。\n", P).paragraphs[0].text == "正文本报讯。"
