"""The archive's index (索引): static HTML, read from the regenerated tree alone, that opens from
file:// without a server — every link relative, no script.

    DEST/index.html              the years, with their months (issues, pages)
    DEST/<yyyy>/index.html       the year's months
    DEST/<yyyy>/<mm>/index.html  the month's issues: per issue its date, the edition PDF, METS,
                                 report, and per page (版) a thumbnail (its PNG) linking to its
                                 PDF, with its ALTO

Built one month at a time from each issue's report.json (what the index holds grows with the
months, not with the pages).
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

from ..outputs import write_set

STYLE = ("body{font-family:'Noto Sans CJK SC',sans-serif;margin:2em;color:#222}a{color:#0645ad}"
         ".issue{margin:1.5em 0;border-top:1px solid #ccc;padding-top:.8em}.pages{display:flex;flex-wrap:wrap;gap:1em}"
         "figure{margin:0;text-align:center}img{width:160px;border:1px solid #999}td,th{padding:.2em .8em}")
WEEKDAYS = "一二三四五六日"
THUMB = 160  # px wide


def _page(title: str, body: str, up: str | None) -> bytes:
    nav = f'<p><a href="{up}">↑ up</a></p>' if up else ""
    return (f'<!DOCTYPE html>\n<html lang="zh-Hans">\n<head>\n<meta charset="utf-8">\n<title>{html.escape(title)}</title>\n'
            f"<style>{STYLE}</style>\n</head>\n<body>\n{nav}<h1>{html.escape(title)}</h1>\n{body}</body>\n</html>\n"
            ).encode()


def _dirs(folder: Path, digits: int) -> list[Path]:
    pattern = re.compile(rf"\d{{{digits}}}")
    return sorted(p for p in folder.iterdir() if p.is_dir() and pattern.fullmatch(p.name)) if folder.is_dir() else []


def _issues(month: Path) -> list[tuple[Path, dict[str, Any]]]:
    out = []
    for day in _dirs(month, 2):
        try:
            report = json.loads((day / "report.json").read_bytes())
            out.append((day, report["archive"]))
        except (OSError, ValueError, KeyError):
            continue  # not (yet) a whole issue: not indexed
    return out


def _issue_html(day: Path, rec: dict[str, Any]) -> str:
    d, e = day.name, html.escape
    pdf = f"{d}/rmrb-{rec['date']}.pdf"
    figures = []
    for p in rec["pages"]:
        figures.append(f'<figure><a href="{d}/{e(p["pdf"])}"><img src="{d}/{e(p["png"])}" width="{THUMB}" '
                       f'alt="第{p["number"]}版" loading="lazy"></a><figcaption>第{p["number"]}版 · '
                       f'<a href="{d}/{e(p["alto"])}">ALTO</a></figcaption></figure>')
    heads = "".join(f"<li>{e(a['headline'])}</li>" for a in rec["articles"])
    weekday = WEEKDAYS[int(rec.get("weekday", 1)) - 1]
    return (f'<section class="issue" id="d{d}"><h2>{e(rec["date"])} 星期{weekday}</h2>\n<p><a href="{pdf}">edition PDF</a> · '
            f'<a href="{d}/mets.xml">METS</a> · <a href="{d}/report.json">report</a> · {len(rec["pages"])} pages, '
            f'{len(rec["articles"])} articles</p>\n<div class="pages">{"".join(figures)}</div>\n'
            f"<details><summary>articles</summary><ol>{heads}</ol></details></section>\n")


def write_index(dest: Path) -> int:
    """Write every index page of the tree at `dest`; the number of issues indexed."""
    dest = Path(dest)
    files: dict[Path, bytes] = {}
    years_rows, total = [], 0
    for year in _dirs(dest, 4):
        month_rows, year_issues, year_pages = [], 0, 0
        for month in _dirs(year, 2):
            issues = _issues(month)
            if not issues:
                continue
            pages = sum(len(r["pages"]) for _, r in issues)
            title = f"{year.name}年{int(month.name)}月"
            files[month / "index.html"] = _page(title, "".join(_issue_html(d, r) for d, r in issues), "../index.html")
            month_rows.append(f'<tr><td><a href="{month.name}/index.html">{title}</a></td><td>{len(issues)}</td>'
                              f"<td>{pages}</td></tr>")
            year_issues, year_pages = year_issues + len(issues), year_pages + pages
        if not month_rows:
            continue
        table = "<table><tr><th>month</th><th>issues</th><th>pages</th></tr>" + "".join(month_rows) + "</table>\n"
        files[year / "index.html"] = _page(f"{year.name}年", table, "../index.html")
        years_rows.append(f'<tr><td><a href="{year.name}/index.html">{year.name}年</a></td><td>{year_issues}</td>'
                          f"<td>{year_pages}</td></tr>")
        total += year_issues
    body = ("<table><tr><th>year</th><th>issues</th><th>pages</th></tr>" + "".join(years_rows) + "</table>\n"
            '<p><a href="summary.json">the run\'s summary</a></p>\n')
    files[dest / "index.html"] = _page("人民日报 archive", body, None)
    write_set(files)
    return total
