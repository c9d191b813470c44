"""An archive's tree of article files → its issues (期), found folder by folder without reading
more than each file's header: a task is given an issue's date and its files' paths, and reads
them itself. A file whose header is bad is a located error on the issue its name dates (its
`YYYY-MM-DD_` prefix) — that issue fails, the others go on; one with no date anywhere fails alone.

Memory stays bounded by one folder (story.scan.MAX_FILES articles); an issue's files must share
a folder (an archive keeps a month to a folder): an issue met again in a later folder is an error.
"""
from __future__ import annotations

import datetime
import os
import re
from collections.abc import Iterator
from pathlib import Path

from ..errors import PagesetterError, Problem
from ..files import os_problem
from ..records import record
from ..story.archive import looks_like_archive, read_head
from ..story.scan import MAX_FILES

HEAD_BYTES = 4096  # the six header lines of an archive article fit in far less
NAME_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})")


@record
class SourceIssue:
    """One issue to make: its date (YYYY-MM-DD) and files, or the problems that fail it."""

    date: str
    paths: tuple[str, ...]
    problems: tuple[str, ...] = ()


def head_date(path: Path) -> str:
    """The issue date of an archive article, read from its header (a located error if bad)."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read(HEAD_BYTES)
    except OSError as exc:
        raise PagesetterError(os_problem(exc, path, "article")) from None
    text = raw.decode("utf-8", "ignore")
    if not looks_like_archive(text):
        raise PagesetterError.at("not an archive article (no '### title' line 1 with 第N版() and 专栏： lines)",
                                 path, 1, 1, "move it out of the archive folder, or give it the archive's header lines")
    return read_head(text, path).date.isoformat()


def _folder_issues(folder: Path, names: list[str]) -> list[SourceIssue]:
    if len(names) > MAX_FILES:
        return [SourceIssue(f"folder:{folder}", (), (str(Problem(f"the folder holds {len(names):,} articles, over "
                                                                  f"{MAX_FILES:,}", folder, fix="split it by month")),))]
    found: dict[str, list[str]] = {}
    bad: dict[str, list[str]] = {}
    for name in sorted(names):
        path = folder / name
        try:
            found.setdefault(head_date(path), []).append(str(path))
        except PagesetterError as exc:
            m = NAME_DATE.match(name)
            bad.setdefault(m.group(1) if m and _real(m.group(1)) else f"file:{path}", []).extend(map(str, exc.problems))
    out = [SourceIssue(d, tuple(found.get(d, ())), tuple(bad.get(d, ()))) for d in sorted({*found, *bad})]
    return out


def _real(text: str) -> bool:
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def source_issues(source: Path) -> Iterator[SourceIssue]:
    """The issues of the tree at `source` (its *.md files), folder by folder in name order."""
    source = Path(source)
    if not source.is_dir():
        raise PagesetterError(Problem("the archive folder is not found", source,
                                      fix="give the folder (or tree of folders) holding the *.md articles"))
    seen: set[str] = set()
    any_files = False
    for folder, dirs, files in os.walk(source):
        dirs.sort()
        names = [f for f in files if f.endswith(".md") and not f.startswith(".")]
        any_files = any_files or bool(names)
        for issue in _folder_issues(Path(folder), names) if names else ():
            if issue.date in seen:
                issue = SourceIssue(issue.date, (), (str(Problem(
                    f"the issue of {issue.date} has articles in two folders", folder,
                    fix="keep an issue's articles in one folder")),))
            seen.add(issue.date)
            yield issue
    if not any_files:
        raise PagesetterError(Problem("the archive folder holds no *.md articles", source,
                                      fix="give the folder holding the articles (e.g. ../shared/archive/rmrb-1946-05)"))


def count_articles(source: Path) -> int:
    """The number of article files under `source` (for the progress's estimate)."""
    return sum(1 for _, _, files in os.walk(source) for f in files if f.endswith(".md") and not f.startswith("."))
