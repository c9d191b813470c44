"""The archive's article format (story/archive.py): every file of the sample week read as found,
every character kept, the head and paragraph roles mapped by the documented rule, bad files
refused at their line with a fix."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from pagesetter.errors import PagesetterError
from pagesetter.story.archive import head_meta, looks_like_archive, story_text
from pagesetter.story.model import BODY, SECTION_LEAD, SIGNATURE, STRONG, TABLE
from pagesetter.story.parse import load_story, parse_story

ROOT = Path(__file__).resolve().parents[1]
ARCHIVE = ROOT.parent / "shared" / "archive" / "rmrb-1946-05"
FILES = sorted(ARCHIVE.glob("*.md")) if ARCHIVE.is_dir() else []
needs_archive = pytest.mark.skipif(not FILES, reason=f"the archive is not at {ARCHIVE}")


def _squeeze(s: str) -> str:
    return "".join(s.split())


def _expected(text: str) -> str:
    """What the file holds to be set, worked out from the raw lines without the reader: the body
    (lines 7 on); line 1's title in front when the body does not begin with it; the author line
    after the title when no body line is the author."""
    lines = [l.rstrip("\r") for l in text.split("\n")]
    title, author, body = _squeeze(lines[0][4:]), lines[1].strip(), _squeeze("".join(lines[6:]))
    if not body.startswith(title):
        body = title + body
    if author and not any(l.strip() == author for l in lines[6:]):
        body = body[:len(title)] + author + body[len(title):]
    return body


@needs_archive
def test_the_week_has_its_188_files():
    assert len(FILES) == 188


@needs_archive
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name[:24])
def test_every_character_of_every_file_is_in_its_story_in_order(path):
    text = path.read_text(encoding="utf-8")
    assert looks_like_archive(text)
    story = load_story(path)
    assert story_text(story) == _expected(text)


@needs_archive
def test_reading_leaves_the_files_as_found():
    before = [hashlib.sha256(p.read_bytes()).hexdigest() for p in FILES[:20]]
    for p in FILES[:20]:
        load_story(p)
    assert [hashlib.sha256(p.read_bytes()).hexdigest() for p in FILES[:20]] == before


def _one(name: str):
    return load_story(next(ARCHIVE.glob(name)))


@needs_archive
def test_head_parts_kicker_headline_subtitle():
    s = _one("1946-05-15_国民党军猛攻廿三天未逞*")
    assert (s.get("kicker"), s.get("headline"), s.get("subtitle")) == (
        "国民党军猛攻廿三天未逞", "民主联军坚守四平街", "中美报纸责国民党挑动内战")
    s = _one("1946-05-18_可耻的大公报社论*")  # line 1 joins the sub-title with ——
    assert (s.get("headline"), s.get("subtitle")) == ("可耻的大公报社论", "——重庆新华日报四月十八日社论")
    assert s.get("kicker") is None


def test_head_rule_on_its_own():
    assert head_meta(["发刊词"]) == {"headline": "发刊词"}
    assert head_meta(["瑞华银行", "今日召开股东大会"]) == {"kicker": "瑞华银行", "headline": "今日召开股东大会"}
    assert head_meta(["片山组阁搁浅", "日共力主联合内阁"]) == {"headline": "片山组阁搁浅", "subtitle": "日共力主联合内阁"}
    assert head_meta(["甲乙丙丁戊己", "二", "三", "四"]) == {"kicker": "甲乙丙丁戊己", "headline": "二",
                                                          "subtitle": "三\u3000四"}


@needs_archive
def test_bylines_from_the_body_or_the_author_line():
    s = _one("1946-05-16_今日的_丛台_*")
    assert s.get("byline") == "展潮"
    assert "展潮" not in s.paragraphs[0].text  # the body's byline line is not set twice
    assert _one("1946-05-15_五月杂感*").get("byline") == "张香山"  # author line only
    assert _one("1946-05-20_江西一片悲惨景象*").get("byline") == "南昌通讯"
    assert _one("1946-05-15_新闻界的祝贺*").get("column") == "新闻界的祝贺"


@needs_archive
def test_paragraph_roles_datelines_sections_signatures():
    s = _one("1946-05-15_为七百万人民请命*")
    assert [p.text for p in s.paragraphs if p.role == SECTION_LEAD] == ["一、毁灭与新生", "二、天灾？人祸？",
                                                                         "三、问题的焦点"]
    s = _one("1946-05-15_人民日报发刊志祝*")
    assert [p.text for p in s.paragraphs if p.role == SIGNATURE] == ["杨秀峰", "五月十五日"]
    s = _one("1946-05-15_国民党当局破坏荷泽协议*")
    first = s.paragraphs[0].spans
    assert first[0].kind == STRONG and first[0].text == "【新华社延安十日电】" and first[1].kind == BODY


@needs_archive
def test_the_flattened_price_table_is_one_paragraph_per_row():
    s = _one("1946-05-21_本市物价表*")
    assert s.get("headline") == "本市物价表（五月廿日）"  # the body lacks its title: line 1's
    assert {p.role for p in s.paragraphs} == {TABLE}
    rows = [p.text.split("\u3000") for p in s.paragraphs]
    assert rows[0] == ["白面", "一斤", "四三．○○"] and rows[-1] == ["煤", "一斤", "三．六○"]
    assert all(len(r) == 3 for r in rows) and len(rows) == 14


@needs_archive
def test_padding_inside_a_paragraph_is_not_a_table():
    """…幸乞垂察。    （附图片） (05-20): two cells are no table row — one body paragraph with its
    dateline, the padding an ideographic space; the price table stays the only table."""
    s = _one("1946-05-20_沿河人民代表电国民政府*")
    assert TABLE not in {p.role for p in s.paragraphs}
    (p,) = [p for p in s.paragraphs if "（附图片）" in p.text]
    assert p.role == BODY and p.text.endswith("幸乞垂察。\u3000（附图片）") and p.spans[0].kind == STRONG


@needs_archive
def test_marks_are_kept_as_found():
    s = _one("1946-05-15_毛主席的像片*")
    assert s.get("subtitle") == "发生在北平××小学的故事"
    assert "八＠港" in "".join(p.text for p in _one("1946-05-16_苏皖冀晋鲁豫*").paragraphs)


GOOD = "### 标题  副题\r\n\r\n1946-05-15\r\n第1版()\n专栏：\n\n　　标题\n    副题\n    正文。\r\n"


def test_an_ordinary_article_starting_with_a_subpoint_head_is_not_archive():
    assert not looks_like_archive("### ——一个要点\n正文。\n")
    assert looks_like_archive(GOOD)


@pytest.mark.parametrize("lineno,bad,words", [
    (3, "1946-02-30", "issue date"),
    (3, "五月十五日", "issue date"),
    (4, "第一版()", "page"),
    (5, "栏目：", "column line"),
    (6, "正文", "should be empty"),
])
def test_bad_header_lines_are_refused_at_their_line(lineno, bad, words, tmp_path):
    lines = GOOD.split("\n")
    lines[lineno - 1] = bad
    path = tmp_path / "a.md"
    with pytest.raises(PagesetterError) as e:
        parse_story("\n".join(lines), path)
    p = e.value.problems[0]
    assert (p.file, p.line) == (path, lineno) and words in p.message and p.fix


def test_a_file_with_no_text_or_tab_indents_is_refused(tmp_path):
    with pytest.raises(PagesetterError) as e:
        parse_story(GOOD.split("　　")[0], tmp_path / "a.md")
    assert "no text" in e.value.problems[0].message
    with pytest.raises(PagesetterError) as e:
        parse_story(GOOD.replace("    正文", "\t正文"), tmp_path / "a.md")
    assert e.value.problems[0].line == 9 and "tab" in e.value.problems[0].message


# --- the scanner (story/scan.py) ---

from pagesetter.story.scan import rank_key, scan_archive  # noqa: E402


@needs_archive
def test_the_scanner_finds_seven_issues_their_pages_and_every_article():
    issues = scan_archive(ARCHIVE)
    assert [str(i.date) for i in issues] == [f"1946-05-{d}" for d in range(15, 22)]
    assert [[p.number for p in i.pages] for i in issues] == [[1, 2, 3, 4]] + [[1, 2]] * 6
    articles = [a for i in issues for p in i.pages for a in p.articles]
    assert sorted(a.path for a in articles) == FILES
    first = issues[0].pages[0]
    assert len(first.articles) == 9 and [a.rank for a in first.articles] == list(range(1, 10))
    assert first.articles[0].head.title == ("发刊词",)  # a leader before the longer news


@needs_archive
def test_ranks_are_leaders_then_longer_then_briefs():
    issues = scan_archive(ARCHIVE)
    for page in (p for i in issues for p in i.pages):
        keys = [rank_key(a.head, a.chars, a.path) for a in page.articles]
        assert keys == sorted(keys)
    p = next(p for i in issues if str(i.date) == "1946-05-19" for p in i.pages if any(
        a.head.title == ("简讯",) for a in p.articles))
    assert p.articles[-1].head.title == ("简讯",)
    assert scan_archive(ARCHIVE) == issues  # deterministic


def test_a_folder_with_a_bad_file_names_each(tmp_path):
    (tmp_path / "a.md").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.md").write_text("---\nheadline: 不是档案\n---\n正文。\n", encoding="utf-8")
    (tmp_path / "c.md").write_text(GOOD.replace("第1版()", "第一版"), encoding="utf-8")
    with pytest.raises(PagesetterError) as e:
        scan_archive(tmp_path)
    where = [(Path(p.file).name, p.line) for p in e.value.problems]
    assert where == [("b.md", 1), ("c.md", 4)] and all(p.fix for p in e.value.problems)
    with pytest.raises(PagesetterError) as e:
        scan_archive(tmp_path / "nowhere")
    assert "not found" in e.value.problems[0].message


# --- an issue as an edition left to make-up (story/archive_edition.py) ---

import datetime  # noqa: E402

import yaml  # noqa: E402

from pagesetter.story.archive_edition import edition_texts, printed_date  # noqa: E402


def test_the_printed_date_of_the_masthead():
    assert printed_date(datetime.date(1946, 5, 15)) == "一九四六年五月十五日\u3000星期三"
    assert printed_date(datetime.date(1946, 5, 21)) == "一九四六年五月二十一日\u3000星期二"


@needs_archive
def test_an_issue_becomes_an_edition_of_pages_left_to_make_up(tmp_path):
    issue = scan_archive(ARCHIVE)[0]
    masters = ROOT / "layouts" / "masters"
    texts = {p: yaml.safe_load(t) for p, t in edition_texts(issue, tmp_path, masters).items()}
    edition = texts.pop(tmp_path / "rmrb-1946-05-15.yaml")
    assert edition["edition"]["date"] == "一九四六年五月十五日\u3000星期三"
    assert [tmp_path / p["file"] for p in edition["pages"]] == list(texts)
    for page, (_path, spec) in zip(issue.pages, texts.items()):
        assert (tmp_path / spec["master"]).resolve().name == ("rmrb-1946-front.yaml" if page.number == 1
                                                              else "rmrb-1946-inner.yaml")
        files = [(tmp_path / s["articles"][0]).resolve() for s in spec["stories"].values()]
        assert files == [a.path.resolve() for a in page.articles]  # every article, in rank order
        assert all("chain" not in s for s in spec["stories"].values())
        assert spec["makeup"]["order"] == list(spec["stories"])
        assert spec["makeup"]["area"]["line"] == (11 if page.number == 1 else 4)


@needs_archive
def test_an_issue_missing_a_page_is_refused(tmp_path):
    issue = scan_archive(ARCHIVE)[0]
    gap = type(issue)(issue.date, (issue.pages[0], issue.pages[2]))
    with pytest.raises(PagesetterError) as e:
        edition_texts(gap, tmp_path, ROOT / "layouts" / "masters")
    assert "no 第2版" in e.value.problems[0].message


# --- every character set: each page's articles composed (no PDF), the set glyphs read back ---

from pagesetter.build import compose_page  # noqa: E402
from pagesetter.layout.model import TextLine  # noqa: E402

COMPOSE_SPEC = """\
page: {{name: all, trim: [390mm, 1300mm], top: 20mm, allow_outside: true}}
grid: {{columns: 8, column: 13字, gutter: 1字, lines: 250, body: 小五, pitch: 14pt}}
styles:
  body: {{role: song, size: 小五}}
  section_lead: {{role: hei-bold, size: 小五}}
  signature: {{role: kai, size: 小五, align: right}}
  table: {{role: song, size: 小五, align: left}}
  strong: {{role: hei, size: 小五}}
  kicker: {{role: hei, size: 小四, align: center}}
  headline: {{role: hei-bold, size: 三号, align: center}}
  subtitle: {{role: kai, size: 五号, align: center}}
  byline: {{role: kai, size: 小五, align: center}}
frames:
{frames}
stories:
  all:
    articles: {articles}
    chain: [{chain}]
    heads: {{kicker: kicker, headline: headline, subtitle: subtitle, byline: byline}}
"""


def _page_spec(page, folder: Path) -> Path:
    frames = "\n".join(f"  f{c}: {{col: {c}, line: 1, lines: 250}}" for c in range(1, 9))
    chain = ", ".join(f"f{c}" for c in range(1, 9))
    path = folder / f"p{page.number}.yaml"
    path.write_text(COMPOSE_SPEC.format(frames=frames, chain=chain,
                                        articles="[" + ", ".join(f'"{a.path}"' for a in page.articles) + "]"),
                    encoding="utf-8")
    return path


@needs_archive
@pytest.mark.parametrize("day", range(7), ids=lambda d: f"1946-05-{15 + d}")
def test_every_character_of_every_article_is_set_in_order(day, tmp_path):
    """Each page's articles flowed as one story (heads in the flow): the glyphs the composer set,
    in reading order, are exactly the articles' texts one after the other — nothing lost, added
    or moved, for all 188 files."""
    issue = scan_archive(ARCHIVE)[day]
    for page in issue.pages:
        composed = compose_page(_page_spec(page, tmp_path), allow_outside=True)
        assert [s.overset for s in composed.layout.stories] == [0]
        set_text = "".join(_squeeze(g.ch) for item in composed.layout.items if isinstance(item, TextLine)
                           and item.story == "all" for g in item.glyphs)
        expected = "".join(story_text(a.story) for a in page.articles)
        assert set_text == expected, (issue.date, page.number)


@needs_archive
def test_a_jump_is_a_continuation_on_the_next_page(tmp_path):
    issue = scan_archive(ARCHIVE)[0]
    texts = {p.name: yaml.safe_load(t) for p, t in
             edition_texts(issue, tmp_path, ROOT / "layouts" / "masters", {2: ["a03"]}).items()}
    third = texts["rmrb-1946-05-15-3.yaml"]
    assert third["stories"]["c03"] == {"continues": "rmrb-1946-05-15-2/a03", "continued_head": "continued_head"}
    assert third["makeup"]["order"][-1] == "c03"
    assert all(not k.startswith("c") for k in texts["rmrb-1946-05-15-2.yaml"]["stories"])
    with pytest.raises(PagesetterError) as e:
        edition_texts(issue, tmp_path, ROOT / "layouts" / "masters", {4: ["a01"]})
    assert "last page" in e.value.problems[0].message


@needs_archive
def test_a_page_that_runs_long_gets_a_tighter_house_copyfit_of_its_own(tmp_path):
    """edition_texts(copyfit={page: (tighter, looser)}): that page's house copyfit (紧排), which the
    spec loads as such; the other pages keep the engine's default."""
    from pagesetter.outputs import write_set
    from pagesetter.pagespec.load import load_spec

    issue = scan_archive(ARCHIVE)[1]
    written = edition_texts(issue, tmp_path, ROOT / "layouts" / "masters", copyfit={2: (-0.05, 0.03)})
    texts = {p.name: yaml.safe_load(t) for p, t in written.items()}
    assert texts["rmrb-1946-05-16-2.yaml"]["makeup"]["house"]["copyfit"] == [-0.05, 0.03]
    assert "copyfit" not in texts["rmrb-1946-05-16-1.yaml"]["makeup"]["house"]
    write_set({p: t.encode("utf-8") for p, t in written.items()})
    spec = load_spec(tmp_path / "rmrb-1946-05-16-2.yaml", allow_outside=True)
    assert spec.makeup.house.copyfit == (-0.05, 0.03)
