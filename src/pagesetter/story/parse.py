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

import yaml

from ..errors import PagesetterError, Problem
from ..files import read_utf8
from .archive import looks_like_archive, parse_archive
from .marks import mark_warning
from .model import BODY, GAP, SECTION_LEAD, STRONG, SUBHEAD, Span, Story, StoryParagraph

META_KEYS = ("kicker", "headline", "subtitle", "byline", "column", "label", "credit")
GAP_RE = re.compile(r"\[\[gap:\s*([^\]]*)\]\]")
STRONG_MARK = "**"  # opens and closes a strong span
TOKEN_RE = re.compile(r"\[\[gap:\s*([^\]]*)\]\]|\*\*")
MAX_BYTES = 2_000_000  # an article larger than this is refused, not ground through


def _front_matter(text: str, path: Path) -> tuple[dict, str, int]:
    if not text.startswith("---"):
        return {}, text, 1
    end = text.find("\n---", 3)
    if end < 0:
        raise PagesetterError.at("front matter opened with '---' is never closed", path, 1, 1,
                                 "add a line '---' after the front matter")
    block = text[3:end]
    _shallow(block, path)
    try:
        meta = yaml.safe_load(block) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        raise PagesetterError.at(f"front matter is not valid YAML: {getattr(exc, 'problem', exc)}",
                                 path, line, (mark.column + 1) if mark else None,
                                 "write front matter as 'key: value' lines") from None
    if not isinstance(meta, dict):
        raise PagesetterError.at("front matter must be 'key: value' lines", path, 2, 1)
    problems = [Problem(f"unknown front-matter key {k!r}", path, _line_of(block, k) + 1, 1,
                        f"use one of: {', '.join(META_KEYS)}") for k in meta if k not in META_KEYS]
    problems += [Problem(f"front-matter key {k!r} must be text", path, _line_of(block, k) + 1, 1)
                 for k, v in meta.items() if k in META_KEYS and not isinstance(v, (str, int, float))]
    problems += [Problem(f"front-matter key {k!r} holds '**': strong spans are for paragraphs", path,
                         _line_of(block, k) + 1, 1, "delete the ** marks: a head element is set whole in its own style")
                 for k, v in meta.items() if k in META_KEYS and STRONG_MARK in str(v)]
    if problems:
        raise PagesetterError(*problems)
    rest_start = end + len("\n---")
    body = text[rest_start:]
    body = body.split("\n", 1)[1] if "\n" in body else ""
    return {k: str(v) for k, v in meta.items()}, body, text[:rest_start].count("\n") + 2


MAX_DEPTH = 8  # front matter is flat 'key: value' lines; deeper nesting is refused before it is built


def _shallow(block: str, path: Path) -> None:
    """Refuse front matter nested over MAX_DEPTH levels, reading its events one by one (building
    5000 nested lists would exhaust Python's recursion); a syntax error is left to safe_load."""
    depth = 0
    try:
        for event in yaml.parse(block, Loader=yaml.SafeLoader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    raise PagesetterError.at(f"front matter is nested over {MAX_DEPTH} levels deep", path,
                                             mark.line + 1, mark.column + 1, "write front matter as 'key: value' lines")
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        return


def _line_of(block: str, key: str) -> int:
    for i, line in enumerate(block.split("\n")):
        if line.startswith(f"{key}:"):
            return i
    return 0


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
    meta, body, first_line = _front_matter(text.replace("\r\n", "\n"), path)
    paragraphs, block, start = [], [], first_line
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
