"""An archive issue (期) → an edition (一期报纸) whose pages are left to make-up (自动组版): one page
spec per 第N版 on the 1946 template (layouts/masters/rmrb-1946-front.yaml for 第一版, -inner for
the others), each article a story without a chain, in the scanner's rank order, the free area
below the 报头/报眉, and the house style (heads by rank). The texts are YAML (safe_dump): the
caller writes them (outputs.write_set), e.g. benchmarks/make_up.py.

    texts = edition_texts(issue, folder, masters)   # {path: YAML text}: the edition and its pages
"""
from __future__ import annotations

import datetime
import os
from pathlib import Path

import yaml

from ..errors import PagesetterError, Problem
from ..pagespec.edition import chinese_number
from .scan import ArchiveIssue, ArchivePage

PAPER = "人民日报"
FRONT, INNER = "rmrb-1946-front.yaml", "rmrb-1946-inner.yaml"
FRONT_AREA = {"col": 1, "span": 8, "line": 11, "lines": 89}  # below the 报头 (lines 1–10)
INNER_AREA = {"col": 1, "span": 8, "line": 4, "lines": 96}  # below the 报眉 (lines 1–3)
# Heads by rank (layouts/masters/rmrb-1946.yaml): the lead, the second, ranks 3–5, then briefs.
# Every rank names all four parts: a part without a style would not be set (text lost).
HEADS = [{"kicker": f"{r}_kicker", "headline": f"{r}_head", "subtitle": f"{r}_sub", "byline": "byline"}
         for r in ("lead", "second", "other", "other", "other", "brief")]
# Stories abut, parted by the rules (no blank line), heads get no extra line: a 1946 page holds
# 10–16 stories. Measured on the sample week (docs/archive.md): overset on 1946-05-16 第2版 34 → 0
# lines, 05-15 第2版 113 → 1 (with the engine's defaults: space 1, head_space 1).
HOUSE = {"space": 0, "head_space": 0}
CONTINUED = "c"  # the continuation of story a03 of page N on page N+1 is story c03
WEEKDAYS = "一二三四五六日"


def printed_date(d: datetime.date) -> str:
    """The date as the 报头 prints it: 一九四六年五月十五日　星期三."""
    year = "".join("〇一二三四五六七八九"[int(c)] for c in str(d.year))
    return f"{year}年{chinese_number(d.month)}月{chinese_number(d.day)}日\u3000星期{WEEKDAYS[d.weekday()]}"


def page_name(date: datetime.date, number: int) -> str:
    return f"rmrb-{date.isoformat()}-{number}"


def story_id(rank: int) -> str:
    return f"a{rank:02d}"


def page_spec(date: datetime.date, page: ArchivePage, folder: Path, masters: Path, jumped: tuple = (),
              copyfit: tuple | None = None) -> dict:
    """The spec of one page left to make-up: its stories (a01, a02, … in rank order), after them
    the continuations (转版) of the stories `jumped` of the page before (c03 continues a03), and
    makeup (with `copyfit`, the house's tracking limits in em; else the engine's); its variables
    let it build on its own too (an edition's values win)."""
    front = page.number == 1
    stories: dict[str, dict[str, object]] = {story_id(a.rank): {"articles": [os.path.relpath(a.path, folder)]} for a in page.articles}
    for sid in jumped:
        stories[CONTINUED + sid[1:]] = {"continues": f"{page_name(date, page.number - 1)}/{sid}",
                                        "continued_head": "continued_head"}
    return {
        "master": os.path.relpath(masters / (FRONT if front else INNER), folder),
        "page": {"name": page_name(date, page.number), "paper": PAPER, "date": date.isoformat(),
                 "title": f"{PAPER} {date.year}年{date.month}月{date.day}日 第{page.number}版",
                 "allow_outside": True},  # the archive is read where it is found
        "variables": {"paper": PAPER, "date": printed_date(date), "page_cn": chinese_number(page.number)},
        "stories": stories,
        "makeup": {"area": dict(FRONT_AREA if front else INNER_AREA), "order": list(stories),
                   "house": {"heads": [dict(h) for h in HEADS], **HOUSE,  # spans: the engine's default
                             **({"copyfit": list(copyfit)} if copyfit else {})}},
    }


def edition_texts(issue: ArchiveIssue, folder: Path, masters: Path, jumps: dict | None = None,
                  copyfit: dict | None = None) -> dict[Path, str]:
    """The edition file `<folder>/rmrb-<date>.yaml` and one page spec per 第N版, as YAML texts;
    `jumps` {page number: story ids}: those stories of that page continue on the next page;
    `copyfit` {page number: (tighter, looser)}: that page's house copyfit (紧排 when it runs long)."""
    jumps, copyfit = jumps or {}, copyfit or {}
    folder, masters = Path(folder), Path(masters)
    numbers = [p.number for p in issue.pages]
    if numbers != list(range(1, len(numbers) + 1)):  # an edition numbers its pages 1, 2, … in order
        missing = sorted(set(range(1, max(numbers) + 1)) - set(numbers))
        raise PagesetterError(Problem(f"the issue of {issue.date} has no 第{missing[0]}版 (it has 第"
                                      f"{'、'.join(map(str, numbers))}版)", issue.pages[0].articles[0].path.parent,
                                      fix="add the missing page's articles, or make up the pages one by one"))
    last = [n for n in jumps if n >= len(numbers)]
    if last:
        raise PagesetterError(Problem(f"第{last[0]}版 is the last page of the issue of {issue.date}: no later page "
                                      "to jump to", fix="jump from an earlier page, or add a page"))
    pages = {folder / f"{page_name(issue.date, p.number)}.yaml":
             page_spec(issue.date, p, folder, masters, tuple(jumps.get(p.number - 1, ())), copyfit.get(p.number))
             for p in issue.pages}
    edition = {"edition": {"name": f"rmrb-{issue.date.isoformat()}", "paper": PAPER,
                           "date": printed_date(issue.date)},
               "pages": [{"file": path.name} for path in pages]}
    out = {folder / f"rmrb-{issue.date.isoformat()}.yaml": edition}
    out.update(pages)
    return {path: yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000) for path, data in out.items()}
