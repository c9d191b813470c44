"""Parse article files: YAML front matter, then paragraphs separated by blank lines.

    ---
    headline: 基层党组织更加坚强有力
    byline: 本报记者  赵成
    ---
    First paragraph (its lines are joined without a space).

    ## a bold section lead (小标题)
    ### a sub-point head (——…)
    Text with a visible gap: 平稳顺[[gap: 原文此处缺失]]
    **本报北京11月25日电**　A dateline or lead-in in the story's strong style (黑体).

The full format is documented in articles/README.md.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..errors import PagesetterError
from ..files import read_utf8
from .archive import looks_like_archive, parse_archive
from .frontmatter import STRONG_MARK, front_matter
from .marks import mark_warning
from .model import BODY, GAP, SECTION_LEAD, STRONG, SUBHEAD, Span, Story, StoryParagraph

GAP_RE = re.compile(r"\[\[gap:\s*([^\]]*)\]\]")
TOKEN_RE = re.compile(r"\[\[gap:\s*([^\]]*)\]\]|\*\*")
MAX_BYTES = 2_000_000  # an article larger than this is refused, not ground through


def _spans(text: str, kind: str) -> tuple[Span, ...]:
    """Split a paragraph's text at its gap notes and ** marks (strong spans may hold gap notes)."""
    spans, pos, strong = [], 0, False
    for m in TOKEN_RE.finditer(text):
        if m.start() > pos:
            spans.append(Span(text[pos:m.start()], STRONG if strong else kind))
        if m.group(0) == STRONG_MARK:
            strong = not strong
        else:
            spans.append(Span(f"〔{m.group(1).strip() or '原文缺失'}〕", GAP))
        pos = m.end()
    if pos < len(text):
        spans.append(Span(text[pos:], STRONG if strong else kind))
    return tuple(spans)


def _check_strong(lines: list[str], start: int, path: Path) -> None:
    """A ** that opens a strong span must close it in the same paragraph (never printed as is)."""
    places = []
    for n, line in enumerate(lines):
        col = line.find(STRONG_MARK)
        while col >= 0:
            places.append((n, col))
            col = line.find(STRONG_MARK, col + len(STRONG_MARK))
    for (n, col), (m, end) in zip(places[::2], places[1::2]):
        if n == m and end == col + len(STRONG_MARK):
            raise PagesetterError.at("'****' is an empty strong span", path, start + n, col + 1,
                                     "put the strong text between the marks (**本报讯**), or delete them")
    if len(places) % 2:
        n, col = places[-1]
        raise PagesetterError.at("'**' opens a strong span that is never closed", path, start + n, col + 1,
                                 "close it with '**' in the same paragraph (**本报讯** …), or delete it")


def _paragraph(lines: list[str], start: int, path: Path) -> StoryParagraph:
    _check_strong(lines, start, path)
    first = lines[0]
    role = BODY
    for prefix, r in (("### ", SUBHEAD), ("## ", SECTION_LEAD)):
        if first.rstrip() == prefix.strip() or first.startswith(prefix):
            role, lines = r, [first[len(prefix):]] + lines[1:]
            break
    text = "".join(l.strip() for l in lines)
    if not text:
        raise PagesetterError.at(f"'{prefix.strip()}' starts a heading but no text follows", path, start, 1,
                                 "write the heading's text after it, or delete the line")
    return StoryParagraph(role, _spans(text, role), start)


def parse_story(text: str, path: Path) -> Story:
    if looks_like_archive(text):  # the archive's format (story.archive), read as found
        return parse_archive(text, path)
    meta, body, first_line = front_matter(text.replace("\r\n", "\n"), path)
    paragraphs, start = [], first_line
    block: list[str] = []
    for n, line in enumerate(body.split("\n"), start=first_line):
        if line.strip():
            if not block:
                start = n
            block.append(line)
        elif block:
            paragraphs.append(_paragraph(block, start, path))
            block = []
    if block:
        paragraphs.append(_paragraph(block, start, path))
    mark = mark_warning(path, text)  # read here, with the text at hand (not the file again)
    return Story(path, meta, tuple(paragraphs), (mark,) if mark else ())


def load_story(path: Path) -> Story:
    text = read_utf8(path, "article", MAX_BYTES, "split it into several articles", "check the path in the spec")
    return parse_story(text, path)
