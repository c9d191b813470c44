#!/usr/bin/env python3
"""Make-up of the sample week (issue 21): every page of the seven days in
../shared/archive/rmrb-1946-05, scanned (story.scan), written as an edition per day whose pages
are left to make-up on the 1946 template (story.archive_edition), made up and composed as an
edition, rendered and checked, by the library's policy (pagesetter.archive.makeup.make_up_issue,
which `pagesetter archive` uses too). A page that overflows is first made up again with a tighter house
copyfit (紧排: the tracking limit -0.035 to -0.06 em in turn, the best kept per page); one
that still overflows gets a continuation of its most overset story on the next page of the day
(转版, with live jump lines) and the day is made up again (up to three times, one more story each
time); the last page of a day has no later page, so what it cannot hold stays overset (named).

Per page and in total it prints:
- fill: the share of the made-up area's cells (basic column × body line) that hold a text line
  (a glyph of body size or smaller — the price table's rows are set smaller — read back from the
  PDF) or lie in a headline block; empty lines at column feet count as empty; min and median over
  the pages;
- stories placed (with at least one line on the page), lines overset, jumps that carried text;
- pagecheck (../shared/tools/pagecheck.py) hard faults and soft figures (their sum; by kind in total);
- headline tombstones (碰题): two headline blocks side by side (adjacent columns) whose lines overlap;
- text: articles read back from the PDFs whole and in order (a jumped one: its start on its page,
  the rest on the continuation page);
- CPU seconds of make-up (measure, search, refits: `make_up_page`) and of the rest of the page's
  composition, per page (one process, jobs 1; fonts prepared first); and "on top": the page made
  up and composed less its made-up spec composed alone (as `make-up -o` + build would), since
  make-up's measuring composes every paragraph the final composition then finds set;
- the look: stories other than the lead across the area's whole width (通栏), 刀把 bands (a story's
  part across all its columns) shallower than the engine's BAND_LINES.

    .venv/bin/python benchmarks/make_up.py [--days N] [--date YYYY-MM-DD …] [--out DIR]
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import pagesetter.build as build
import pagesetter.build_edition as build_edition
import pagesetter.layout.makeup_spec as makeup_spec
from pagesetter.archive.makeup import make_up_issue
from pagesetter.check.readback import read_pdf
from pagesetter.layout.makeup import BAND_LINES
from pagesetter.outputs import write_set
from pagesetter.story.archive_edition import page_name
from pagesetter.story.scan import scan_archive

ROOT = Path(__file__).resolve().parents[1]
ARCHIVE = ROOT.parent / "shared" / "archive" / "rmrb-1946-05"
PAGECHECK = ROOT.parent / "shared" / "tools" / "pagecheck.py"
MASTERS = ROOT / "layouts" / "masters"


@contextmanager
def probe():
    """Record per page (by name) the made-up spec and the CPU of make-up and of composing."""
    seen: dict = {}
    make_up, compose = makeup_spec.make_up_page, build_edition.compose_page

    def timed_make_up(spec, *a, **k):
        t = time.process_time()
        made = make_up(spec, *a, **k)
        seen.setdefault(spec.name, {}).update(made=made.spec, places=made.result.places, cols=made.problem.cols,
                                              makeup_s=time.process_time() - t)
        return made

    def timed_compose(spec, *a, **k):
        t = time.process_time()
        out = compose(spec, *a, **k)
        seen.setdefault(spec.name, {})["page_s"] = time.process_time() - t
        return out

    makeup_spec.make_up_page, build_edition.compose_page = timed_make_up, timed_compose
    try:
        yield seen
    finally:
        makeup_spec.make_up_page, build_edition.compose_page = make_up, compose


def cells_filled(spec, area, glyphs) -> tuple[int, int]:
    """(filled, all) cells of `area`: a cell holds a body-size glyph's centre or lies in a head."""
    g = spec.grid
    filled = {(c, l) for b in spec.blocks if b.kind == "headline"
              for c in range(b.area.col, b.area.col + b.area.span) for l in range(b.area.line, b.area.line + b.area.lines)}
    for gl in glyphs:
        x = (gl.bbox[0] + gl.bbox[2]) / 2
        col = int((x - g.left) // (g.column_width + g.gutter)) + 1
        if gl.size <= g.body + 0.5 and x - g.col_x(col) <= g.column_width:  # text lines (a table's rows smaller)
            filled.add((col, int((gl.y - g.top) // g.pitch) + 1))
    every = {(c, l) for c in range(area.col, area.col + area.span) for l in range(area.line, area.line + area.lines)}
    return len(filled & every), len(every)


def tombstones(spec) -> int:
    """Headline blocks side by side: adjacent columns, overlapping lines."""
    heads = [b.area for b in spec.blocks if b.kind == "headline"]
    return sum(1 for i, a in enumerate(heads) for b in heads[i + 1:]
               if (a.col + a.span == b.col or b.col + b.span == a.col)
               and a.line < b.line + b.lines and b.line < a.line + a.lines)


def _squeeze(s: str) -> str:
    return "".join(s.split())


def whole_in_order(body: str, here: str, after: str) -> bool:
    """The body is one run of this page's text, or its longest start here and the rest one run of
    the next page's (a jump)."""
    if body in here:
        return True
    lo, hi = 0, len(body)  # the longest prefix found here (containment is monotone in the length)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        lo, hi = (mid, hi) if body[:mid] in here else (lo, mid - 1)
    return lo > 0 and body[lo:] in after


def pagecheck(pdf: Path) -> tuple[int, dict]:
    run = subprocess.run([sys.executable, str(PAGECHECK), str(pdf), "--json"], capture_output=True, text=True)
    report = json.loads(run.stdout)
    return report["hard_faults"], {k: v for k, v in report["soft"].items() if v}


def run_day(issue, folder: Path) -> tuple[list[dict], dict]:
    """Make up the day as the library does (archive.makeup.make_up_issue: tighter setting, then
    jumps, the best kept); the probe keeps the last make-up's records, the kept one's. Returns the
    rows and the copyfit kept per page."""
    with probe() as seen:
        made = make_up_issue(issue, folder, MASTERS)
    composed = made.composed
    texts = [_squeeze("".join(g.ch for g in read_pdf(pdf)[0].glyphs)) for pdf in composed.pdfs]
    return [page_row(issue, n, composed, seen, folder, texts) for n in range(len(composed.pages))], made.copyfit


def page_row(issue, n: int, composed, seen: dict, folder: Path, texts: list[str]) -> dict:
    page, archive_page = composed.pages[n], issue.pages[n]
    name = page_name(issue.date, archive_page.number)
    pdf = folder / f"{name}.pdf"
    write_set({pdf: composed.pdfs[n]})
    made = seen[name]["made"]
    filled, cells = cells_filled(made, page.spec.makeup.area, read_pdf(pdf)[0].glyphs)
    hard, soft = pagecheck(pdf)
    carried = {j.target[1] for j in composed.jumps if j.source[0] == n + 1}
    after = composed.pages[n + 1] if n + 1 < len(composed.pages) else None
    jumps = sum(1 for s in (after.layout.stories if after else ()) if s.id in carried and s.lines_set)
    nxt = texts[n + 1] if n + 1 < len(texts) else ""
    whole = sum(whole_in_order(_squeeze("".join(p.text for p in a.story.paragraphs)), texts[n], nxt)
                for a in archive_page.articles)
    places, cols = seen[name]["places"], seen[name]["cols"]
    t = time.process_time()
    build.compose_spec(made)  # the made-up spec alone, as `make-up -o` + build would compose it
    alone = time.process_time() - t
    return {"page": name, "n": archive_page.number, "fill": filled / cells, "articles": len(archive_page.articles),
            "wide": sum(1 for q in places[1:] if q.span >= cols),
            "bands": sum(1 for q in places if q.leg_span and q.lines - q.head < BAND_LINES),
            "ontop_s": seen[name]["page_s"] - alone,
            "stories": sum(1 for s in page.layout.stories if s.lines_set and s.id.startswith("a")),
            "overset": sum(s.overset for s in page.layout.stories), "jumps": jumps, "hard": hard, "soft": soft,
            "tombstones": tombstones(made), "whole": whole,
            "makeup_s": seen[name]["makeup_s"], "compose_s": seen[name]["page_s"] - seen[name]["makeup_s"]}


def row(r: dict) -> str:
    return (f"{r['page']:<20} {r['fill']:6.1%} {r['stories']:>3}/{r['articles']:<3} {r['overset']:>5} {r['jumps']:>5} "
            f"{r['hard']:>4} {sum(r['soft'].values()):>4} {r['tombstones']:>4} {r['whole']:>3}/{r['articles']:<3} "
            f"{r['makeup_s']:7.2f} {r['compose_s']:7.2f} {r['ontop_s']:7.2f} {r['wide']:4} {r['bands']:5}")


def totals(rows: list[dict]) -> None:
    fills, soft = [r["fill"] for r in rows], {}
    for r in rows:
        for k, v in r["soft"].items():
            soft[k] = soft.get(k, 0) + v
    total = lambda key: sum(r[key] for r in rows)  # noqa: E731
    print(f"\npages {len(rows)}: fill min {min(fills):.1%}, median {statistics.median(fills):.1%}; stories placed "
          f"{total('stories')}/{total('articles')}; lines overset {total('overset')}; jumps {total('jumps')}")
    print(f"pagecheck hard faults {total('hard')}; soft {sum(soft.values())} {soft}; tombstones "
          f"{total('tombstones')}; articles whole and in order {total('whole')}/{total('articles')}")
    mk = [r["makeup_s"] for r in rows]
    print(f"make-up CPU per page: median {statistics.median(mk):.2f} s, max {max(mk):.2f} s; composition "
          f"median {statistics.median(r['compose_s'] for r in rows):.2f} s")
    top = [r["ontop_s"] for r in rows]
    print(f"on top of composition (the page made up and composed, less the made-up spec composed alone): median "
          f"{statistics.median(top):.2f} s, max {max(top):.2f} s")
    print(f"look: stories other than the lead across the whole width {total('wide')}; 刀把 bands shallower than "
          f"{BAND_LINES} lines {total('bands')}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--days", type=int, default=7)
    ap.add_argument("--date", action="append", help="only this day (YYYY-MM-DD; may be repeated)")
    ap.add_argument("--out", type=Path, help="keep the specs and PDFs here (default: a temporary folder)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.out or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        print(f"{'page':<20} {'fill':>6} {'placed':>7} {'over':>5} {'jumps':>5} {'hard':>4} {'soft':>4} "
              f"{'tomb':>4} {'text':>7} {'make-up':>7} {'compose':>7} {'on top':>7} {'wide':>4} {'bands':>5}")
        rows = []
        issues = scan_archive(ARCHIVE)[:args.days]
        for issue in [i for i in issues if not args.date or str(i.date) in args.date]:
            day, copyfit = run_day(issue, folder)
            for r in day:
                rows.append(r)
                print(row(r) + (f"  copyfit {copyfit[r['n']][0]}" if r["n"] in copyfit else ""), flush=True)
        totals(rows)


if __name__ == "__main__":
    main()
