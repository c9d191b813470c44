"""Scanning an archive folder (报纸档案): a folder of archive articles → issues (期, by date) →
pages (版, by 第N版) → articles, each with its header, its size and its rank for make-up.

The rank (版面次序) is deterministic, from the articles alone (the archive keeps no order within a
page: its file names are sorted titles):
1. leaders first (言论): the last title part ends with 发刊词, 社论, 短评 or 评论
   (发刊词; 可耻的大公报社论——重庆新华日报四月十八日社论);
2. then news and features, longer before shorter (the lead, 头条, is the page's longest report);
3. briefs last (简讯: the title or the 专栏 is 简讯).
Ties go by file name. Rank 1 is the page's lead.
"""
from __future__ import annotations

import datetime
from pathlib import Path

from ..errors import PagesetterError, Problem
from ..files import read_utf8
from ..records import record
from .archive import ArchiveHead, looks_like_archive, parse_archive, read_head, story_text
from .model import Story
from .parse import MAX_BYTES

LEADER_ENDS = ("发刊词", "社论", "短评", "评论")
BRIEFS = "简讯"
MAX_FILES = 5000  # a folder with more articles than this is refused (split it by month)


@record
class ArchiveArticle:
    path: Path
    head: ArchiveHead
    story: Story
    chars: int  # characters it sets (no whitespace)
    rank: int  # 1 = the page's lead


@record
class ArchivePage:
    number: int  # 第N版
    articles: tuple[ArchiveArticle, ...]  # in rank order

    @property
    def chars(self) -> int:
        return sum(a.chars for a in self.articles)


@record
class ArchiveIssue:
    date: datetime.date
    pages: tuple[ArchivePage, ...]  # 第1版 first


def rank_key(head: ArchiveHead, chars: int, path: Path) -> tuple:
    """Sort key of the rank rule (the module's docstring)."""
    if head.title[-1].endswith(LEADER_ENDS):
        kind = 0
    elif BRIEFS in (head.column, head.title[0]):
        kind = 2
    else:
        kind = 1
    return kind, -chars, path.name


def _read(path: Path) -> tuple[ArchiveHead, Story]:
    text = read_utf8(path, "article", MAX_BYTES, "split it into several articles", "check the folder")
    if not looks_like_archive(text):
        raise PagesetterError.at("not an archive article (no '### title' line 1 with 第N版() and 专栏： lines)",
                                 path, 1, 1, "move it out of the archive folder, or give it the archive's header lines")
    story = parse_archive(text, path)
    return read_head(text, path), story


def _articles(paths: list[Path]) -> list[tuple[ArchiveHead, Story]]:
    out: list[tuple[ArchiveHead, Story]] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            out.append(_read(path))
        except PagesetterError as exc:
            problems += exc.problems
    if problems:
        raise PagesetterError(*problems)
    return out


def scan_archive(folder: Path) -> tuple[ArchiveIssue, ...]:
    """Every issue in `folder` (its *.md files), oldest first; bad files are reported together."""
    folder = Path(folder)
    if not folder.is_dir():
        raise PagesetterError(Problem("archive folder not found", folder, fix="give the folder holding the *.md articles"))
    paths = sorted(folder.glob("*.md"))
    if not paths:
        raise PagesetterError(Problem("the archive folder holds no *.md articles", folder,
                                      fix="give the folder holding the articles (e.g. rmrb-1946-05)"))
    if len(paths) > MAX_FILES:
        raise PagesetterError(Problem(f"the folder holds {len(paths):,} articles, over {MAX_FILES:,}", folder,
                                      fix="scan it a month at a time"))
    return scan_paths(paths)


def scan_paths(paths: list[Path]) -> tuple[ArchiveIssue, ...]:
    """The issues the archive articles `paths` make up, oldest first (an archive run hands each
    worker one issue's files); bad files are reported together."""
    by_page: dict = {}
    for head, story in _articles([Path(p) for p in paths]):
        by_page.setdefault((head.date, head.page), []).append((head, story))
    issues: dict = {}
    for (date, number), found in sorted(by_page.items()):
        issues.setdefault(date, []).append(_page(number, found))
    return tuple(ArchiveIssue(d, tuple(pages)) for d, pages in issues.items())


def _page(number: int, found: list) -> ArchivePage:
    sized = [(h, s, len(story_text(s))) for h, s in found]
    sized.sort(key=lambda t: rank_key(t[0], t[2], t[1].path))
    return ArchivePage(number, tuple(ArchiveArticle(s.path, h, s, n, i) for i, (h, s, n) in enumerate(sized, 1)))
