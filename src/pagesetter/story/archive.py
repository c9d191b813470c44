"""The archive's article format (报纸档案稿): one plain-text file per article, as the People's Daily
archive (fangj/rmrb, `../shared/archive/`) stores it. Read as it is found — never rewritten:

    ### 国民党军猛攻廿三天未逞  民主联军坚守四平街     line 1: title parts (标题), two spaces apart
    陈沂                                             line 2: author (作者), usually empty
    1946-05-15                                       line 3: issue date (出版日期)
    第1版()                                          line 4: page (版次)
    专栏：                                           line 5: column (专栏), usually empty
                                                     line 6: empty
    　　国民党军猛攻廿三天未逞                        the title again, 2 × U+3000 …
        民主联军坚守四平街                            … and its further parts, 4 spaces
        【新华社四平街十一日电】……                    paragraphs: 4 spaces, one line each
                一、毁灭与新生                        section heads (小标题): 12 spaces
                                    五月十五日        signatures (署名): 16 spaces or more

How it maps to a Story (the rule, also in docs/archive.md):
- head parts: the body's first lines while they spell out the title of line 1 (spaces ignored; a
  part may begin with —— where line 1 joined it); when the body lacks them, line 1's parts.
  One part → headline (主题). Two → headline + subtitle (副题), except when the first part is
  at most KICKER_MAX characters (a name or place: 瑞华银行 / 今日召开股东大会) → kicker (引题) +
  headline. Three or more → kicker, headline, and the rest as the subtitle. A part beginning
  with —— is always the subtitle.
- byline: the line after the head when it is the author line, or a short source line ending in
  记者/报导/通讯 (南昌通讯); otherwise the author line itself, unless the body signs with it at
  the foot (杨秀峰 under 人民日报发刊志祝: the signature is set, not a byline as well).
- column (专栏) → `column`; date and page stay in `ArchiveHead` (story.archive_scan reads them).
- paragraphs: 12-space lines → section leads; lines pushed right (≥ 16 spaces) → signatures
  (right-aligned closing lines, role `signature`); a leading 【…】 dateline → a strong span;
  a line of cells padded with runs of spaces (the flattened price table) → one `table` paragraph
  per row (set ragged, no indent), its cells joined by an ideographic space; a line of fewer than
  TABLE_CELLS cells is a paragraph with padding inside (…幸乞垂察。    （附图片）): one body
  paragraph, the padding an ideographic space. × ＠ ？ ○ are kept as found.
"""
from __future__ import annotations

import datetime
import re
from pathlib import Path

from ..errors import PagesetterError
from ..records import record
from .marks import mark_warning
from .model import BODY, SECTION_LEAD, SIGNATURE, STRONG, TABLE, Span, Story, StoryParagraph

DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
PAGE_RE = re.compile(r"第(\d+)版\((.*)\)")
COLUMN_PREFIX = "专栏："
TITLE_PREFIX = "### "
HEAD_LINES = 6  # title, author, date, page, column, blank
KICKER_MAX = 5  # a first title part this short is a kicker (引题), not the headline
SECTION_INDENT = range(8, 16)  # spaces before a section head (小标题); 12 in the archive
SIGNATURE_INDENT = 16  # spaces before a signature pushed right (署名)
BYLINE_ENDS = ("记者", "报导", "通讯")  # a short source line under the head is a byline
BYLINE_MAX = 10
CELL_GAP = re.compile(r" {4,}")  # cells of a flattened table are padded with runs of spaces
NUMERAL = "○〇零一二三四五六七八九十百千万"
PRICE_THEN_NAME = re.compile(rf"^([{NUMERAL}]+．[{NUMERAL}]+)([^{NUMERAL}．]\S*)$")
DATELINE = re.compile(r"^【[^】]{1,40}】")
CELL_JOIN = "\u3000"
TABLE_CELLS = 3  # a row of the flattened table: name, unit, price; fewer cells are a paragraph's padding


@record
class ArchiveHead:
    """The five header lines of an archive article (稿头)."""

    title: tuple[str, ...]  # parts of line 1
    author: str
    date: datetime.date
    page: int  # 第N版
    column: str  # 专栏, '' when empty


def looks_like_archive(text: str) -> bool:
    """An archive article: line 1 '### …' and a 第N版 or 专栏： line among lines 2–5 (an ordinary
    article starting with a '### ' sub-point head has neither)."""
    lines = text.split("\n", 6)
    if len(lines) < 4 or not lines[0].startswith(TITLE_PREFIX):
        return False
    return any(PAGE_RE.match(l.strip()) or l.strip().startswith(COLUMN_PREFIX) for l in lines[1:5])


def _bad(path: Path, line: int, what: str, fix: str) -> PagesetterError:
    return PagesetterError.at(f"archive article: {what}", path, line, 1, fix)


def read_head(text: str, path: Path) -> ArchiveHead:
    """The header lines, checked; each problem names its line and the fix."""
    lines = [l.rstrip("\r") for l in text.split("\n", HEAD_LINES)]
    if len(lines) < HEAD_LINES:
        raise _bad(path, len(lines), "the file ends inside its six header lines",
                   "give title, author, date, 第N版(), 专栏： and a blank line before the text")
    title = tuple(p for p in re.split(r"\s{2,}", lines[0][len(TITLE_PREFIX):].strip()) if p)
    if not title:
        raise _bad(path, 1, "line 1 has no title after '### '", "write the title after '### '")
    m = DATE_RE.fullmatch(lines[2].strip())
    try:
        date = datetime.date(*map(int, m.groups())) if m else None
    except ValueError:
        date = None
    if date is None:
        raise _bad(path, 3, f"line 3 should be the issue date, not {lines[2].strip()[:20]!r}",
                   "write the date as YYYY-MM-DD (1946-05-15)")
    page = PAGE_RE.fullmatch(lines[3].strip())
    if not page or int(page.group(1)) < 1:
        raise _bad(path, 4, f"line 4 should be the page, not {lines[3].strip()[:20]!r}", "write it as 第1版()")
    if not lines[4].strip().startswith(COLUMN_PREFIX):
        raise _bad(path, 5, f"line 5 should be the column line, not {lines[4].strip()[:20]!r}",
                   "write '专栏：' (with the column's name after it, or nothing)")
    if lines[5].strip():
        raise _bad(path, 6, "line 6 should be empty (the text starts on line 7)", "insert a blank line before the text")
    return ArchiveHead(title, lines[1].strip(), date, int(page.group(1)), lines[4].strip()[len(COLUMN_PREFIX):].strip())


def _squeeze(s: str) -> str:
    return "".join(s.split())


def _head_parts(head: ArchiveHead, body: list[tuple[int, str]]) -> tuple[list[str], int]:
    """The head parts and how many body lines they take (see the module's rule)."""
    rest, taken, parts = _squeeze("".join(head.title)), 0, []
    for _, line in body:
        piece = _squeeze(line)
        if not rest or not piece or not rest.startswith(piece):
            break
        parts.append(line.strip())
        rest, taken = rest[len(piece):], taken + 1
    if not parts:
        return list(head.title), 0
    if rest:  # the body spells out only the start of the title: the rest comes from line 1
        parts.append(rest)
    return parts, taken


def head_meta(parts: list[str]) -> dict:
    """kicker / headline / subtitle from the title parts (the rule in the module's docstring)."""
    subs = [p for p in parts[1:] if p.startswith("——")]
    plain = [p for p in parts if p not in subs]
    if len(plain) == 1:
        meta = {"headline": plain[0]}
    elif len(plain) == 2 and len(plain[0]) > KICKER_MAX:
        meta = {"headline": plain[0], "subtitle": plain[1]}
    else:
        meta = {"kicker": plain[0], "headline": plain[1]}
        subs = plain[2:] + subs
    if subs:
        meta["subtitle"] = CELL_JOIN.join(([meta["subtitle"]] if "subtitle" in meta else []) + subs)
    return meta


def _is_byline(line: str, author: str) -> bool:
    text = line.strip()
    return bool(text) and (text == author or (len(text) <= BYLINE_MAX and text.endswith(BYLINE_ENDS)))


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _table_rows(text: str) -> list[str]:
    """The rows of a flattened table: cells split at runs of padding; a cell holding a price and
    the next row's name (四三．○○小米) is split between them; three cells to a row."""
    cells: list[str] = []
    for cell in CELL_GAP.split(text):
        m = PRICE_THEN_NAME.match(cell)
        cells += [m.group(1), m.group(2)] if m else [cell]
    return [CELL_JOIN.join(cells[i:i + 3]) for i in range(0, len(cells), 3)]


def _paragraphs(n: int, line: str) -> list[StoryParagraph]:
    """The paragraph(s) of one body line (file line n)."""
    indent, text = _indent(line), line.strip()
    if len(CELL_GAP.split(text)) >= TABLE_CELLS:
        return [StoryParagraph(TABLE, (Span(row, TABLE),), n) for row in _table_rows(text)]
    text = CELL_JOIN.join(CELL_GAP.split(text))  # padding inside a paragraph: one ideographic space
    if indent >= SIGNATURE_INDENT:
        return [StoryParagraph(SIGNATURE, (Span(text, SIGNATURE),), n)]
    if indent in SECTION_INDENT:
        return [StoryParagraph(SECTION_LEAD, (Span(text, SECTION_LEAD),), n)]
    m = DATELINE.match(text)
    spans = (Span(m.group(0), STRONG), Span(text[m.end():])) if m and m.end() < len(text) else (Span(text),)
    return [StoryParagraph(BODY, spans, n)]


def parse_archive(text: str, path: Path) -> Story:
    """An archive article → Story (the mapping in the module's docstring)."""
    head = read_head(text, path)
    lines = [l.rstrip("\r") for l in text.split("\n")]
    body = [(n, l) for n, l in enumerate(lines[HEAD_LINES:], start=HEAD_LINES + 1) if l.strip()]
    if not body:
        raise _bad(path, len(lines), "the article has no text after its header",
                   "write the title and paragraphs from line 7, or delete the file")
    bad = next(((n, l) for n, l in body if "\t" in l[:_indent(l) + 1]), None)
    if bad:
        raise _bad(path, bad[0], "a tab indents this line; the archive indents with spaces",
                   "indent paragraphs with 4 spaces, section heads with 12")
    parts, taken = _head_parts(head, body)
    meta = head_meta(parts)
    rest = body[taken:]
    if rest and _is_byline(rest[0][1], head.author):
        meta["byline"], rest = rest[0][1].strip(), rest[1:]
    elif head.author and not any(l.strip() == head.author for _, l in rest):  # not signed at the foot
        meta["byline"] = head.author
    if head.column:
        meta["column"] = head.column
    paragraphs = tuple(p for n, l in rest for p in _paragraphs(n, l))
    mark = mark_warning(path, text)
    return Story(path, meta, paragraphs, (mark,) if mark else ())


def story_text(story: Story) -> str:
    """Everything a story sets, head first, without whitespace: what the archive test counts."""
    head = "".join(str(story.get(p) or "") for p in ("kicker", "headline", "subtitle", "byline"))
    return _squeeze(head + "".join(p.text for p in story.paragraphs))

