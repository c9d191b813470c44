#!/usr/bin/env python3
"""Make-up of the sample week (issue 21): every page of the seven days in
../shared/archive/rmrb-1946-05, scanned (story.scan), written as an edition per day of pages left to
make-up on the 1946 template (story.archive_edition), made up and composed, rendered and checked.

Per page and in total it prints:
- fill: the share of the made-up area's cells (basic column × body line) that hold a text line
  (a body-size glyph read back from the PDF) or lie in a headline block; empty lines at column
  feet count as empty; min and median over the pages;
- stories placed (of the page's articles), lines overset, jumps;
- pagecheck (../shared/tools/pagecheck.py) hard faults and soft figures (their sum, and by kind);
- headline tombstones (碰题): two headline blocks side by side (adjacent columns) whose lines overlap;
- text: articles whose body reads back from the PDF whole and in order (content order);
- CPU seconds of make-up on top of composition: (make-up + composing the made-up page in its
  typesetter) − (composing the made-up page afresh), and that composition alone, per page (one
  process; fonts prepared before the clock starts). A page the engine cannot make up is named
  with its message.

    .venv/bin/python benchmarks/make_up.py [--days N] [--out DIR]

Editions are made up page by page: the engine does not yet make up pages inside `build edition`
(it stops with an internal error there), so nothing jumps; a page's overflow is counted as overset.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pagesetter.build import check_story_refs, doc_meta, load_stories, made_up, prepare_faces
from pagesetter.check.readback import read_pdf
from pagesetter.errors import PagesetterError
from pagesetter.layout.page import compose
from pagesetter.outputs import write_set
from pagesetter.pagespec.load import load_spec
from pagesetter.render.pdf import render_pdf
from pagesetter.story.archive_edition import edition_texts, page_name
from pagesetter.story.scan import scan_archive

ROOT = Path(__file__).resolve().parents[1]
ARCHIVE = ROOT.parent / "shared" / "archive" / "rmrb-1946-05"
PAGECHECK = ROOT.parent / "shared" / "tools" / "pagecheck.py"
MASTERS = ROOT / "layouts" / "masters"


def cells_filled(spec, area, glyphs) -> tuple[int, int]:
    """(filled, all) cells of `area`: a cell holds a body-size glyph's centre or lies in a head."""
    g = spec.grid
    filled = set()
    for b in spec.blocks:
        if b.kind == "headline":
            filled |= {(c, l) for c in range(b.area.col, b.area.col + b.area.span)
                       for l in range(b.area.line, b.area.line + b.area.lines)}
    for gl in glyphs:
        if abs(gl.size - g.body) > 0.5:
            continue
        x = (gl.bbox[0] + gl.bbox[2]) / 2
        col = int((x - g.left) // (g.column_width + g.gutter)) + 1
        in_column = (x - g.col_x(col)) <= g.column_width
        line = int((gl.y - g.top) // g.pitch) + 1
        if in_column:
            filled.add((col, line))
    every = {(c, l) for c in range(area.col, area.col + area.span) for l in range(area.line, area.line + area.lines)}
    return len(filled & every), len(every)


def tombstones(spec) -> int:
    """Headline blocks side by side: adjacent columns, overlapping lines."""
    heads = [b.area for b in spec.blocks if b.kind == "headline"]
    return sum(1 for i, a in enumerate(heads) for b in heads[i + 1:]
               if (a.col + a.span == b.col or b.col + b.span == a.col)
               and a.line < b.line + b.lines and b.line < a.line + a.lines)


def whole_in_order(page, glyphs) -> int:
    """Articles of `page` whose body is one unbroken run of the page's glyphs in content order."""
    text = "".join("".join(g.ch.split()) for g in glyphs)
    return sum(1 for a in page.articles if "".join("".join(p.text for p in a.story.paragraphs).split()) in text)


def pagecheck(pdf: Path) -> tuple[int, dict]:
    run = subprocess.run([sys.executable, str(PAGECHECK), str(pdf), "--json"], capture_output=True, text=True)
    report = json.loads(run.stdout)
    return report["hard_faults"], {k: v for k, v in report["soft"].items() if v}


def make_page(path: Path, out: Path) -> dict:
    """Make up, compose, render and check one page; its figures."""
    spec = load_spec(path, allow_outside=True)
    stories = load_stories(spec)
    check_story_refs(spec, stories)
    faces, _ = prepare_faces(spec, stories, None)
    metrics = {r: f.metrics for r, f in faces.items()}
    t0 = time.process_time()
    try:
        made, ts = made_up(spec, stories, metrics)
    except PagesetterError as exc:  # the engine found no place for some stories: named, not a crash
        return {"page": spec.name, "articles": len(spec.stories), "failed": str(exc.problems[0].message)}
    page = compose(made, stories, metrics, ts=ts)
    t1 = time.process_time()
    compose(made, stories, metrics)  # the made-up page composed as any page (a fresh typesetter)
    t2 = time.process_time()
    pdf = out / f"{spec.name}.pdf"
    write_set({pdf: render_pdf(page.layout, faces, doc_meta(made))})
    glyphs = read_pdf(pdf)[0].glyphs
    filled, cells = cells_filled(made, spec.makeup.area, glyphs)
    hard, soft = pagecheck(pdf)
    return {"page": spec.name, "fill": filled / cells, "stories": sum(1 for s in made.stories if s.chain),
            "articles": len(spec.stories), "overset": sum(s.overset for s in page.layout.stories),
            "hard": hard, "soft": soft, "tombstones": tombstones(made), "glyphs": glyphs,
            "makeup_s": (t1 - t0) - (t2 - t1), "compose_s": t2 - t1, "pdf": pdf}


def write_editions(issues, folder: Path) -> None:
    files = {}
    for issue in issues:
        files.update({p: t.encode("utf-8") for p, t in edition_texts(issue, folder, MASTERS).items()})
    write_set(files)


def row(r: dict) -> str:
    if "failed" in r:
        return f"{r['page']:<20} NOT MADE UP: {r['failed']}"
    soft = sum(r["soft"].values())
    return (f"{r['page']:<20} {r['fill']:6.1%} {r['stories']:>3}/{r['articles']:<3} {r['overset']:>5} {'-':>5} "
            f"{r['hard']:>4} {soft:>4} {r['tombstones']:>4} {r['whole']:>3}/{r['articles']:<3} "
            f"{r['makeup_s']:7.2f} {r['compose_s']:7.2f}")


def totals(all_rows: list[dict]) -> None:
    rows = [r for r in all_rows if "failed" not in r]
    failed = [r for r in all_rows if "failed" in r]
    if failed:
        print(f"\n{len(failed)} of {len(all_rows)} pages not made up ({sum(r['articles'] for r in failed)} articles): "
              + ", ".join(r["page"] for r in failed))
    if not rows:
        return
    fills = [r["fill"] for r in rows]
    soft: dict = {}
    for r in rows:
        for k, v in r["soft"].items():
            soft[k] = soft.get(k, 0) + v
    print(f"\npages {len(rows)}: fill min {min(fills):.1%}, median {statistics.median(fills):.1%}; "
          f"stories placed {sum(r['stories'] for r in rows)}/{sum(r['articles'] for r in rows)}; "
          f"lines overset {sum(r['overset'] for r in rows)}; jumps 0 (pages made up one by one)")
    print(f"pagecheck hard faults {sum(r['hard'] for r in rows)}; soft {sum(soft.values())} {soft}; "
          f"tombstones {sum(r['tombstones'] for r in rows)}; articles whole and in order "
          f"{sum(r['whole'] for r in rows)}/{sum(r['articles'] for r in rows)}")
    mk = [r["makeup_s"] for r in rows]
    print(f"make-up CPU per page: median {statistics.median(mk):.2f} s, max {max(mk):.2f} s; composition "
          f"median {statistics.median(r['compose_s'] for r in rows):.2f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--days", type=int, default=7)
    ap.add_argument("--out", type=Path, help="keep the specs and PDFs here (default: a temporary folder)")
    args = ap.parse_args()
    issues = scan_archive(ARCHIVE)[:args.days]
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.out or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        write_editions(issues, folder)
        print(f"{'page':<20} {'fill':>6} {'placed':>7} {'over':>5} {'jumps':>5} {'hard':>4} {'soft':>4} "
              f"{'tomb':>4} {'text':>7} {'make-up':>7} {'compose':>7}")
        rows = []
        for issue in issues:
            for page in issue.pages:
                r = make_page(folder / f"{page_name(issue.date, page.number)}.yaml", folder)
                if "failed" not in r:
                    r["whole"] = whole_in_order(page, r.pop("glyphs"))
                rows.append(r)
                print(row(r), flush=True)
        totals(rows)


if __name__ == "__main__":
    main()
