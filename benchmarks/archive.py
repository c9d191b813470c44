#!/usr/bin/env python3
"""Archive regeneration at scale (issue 22): `pagesetter archive` on the sample week and on a
synthetic archive (the week repeated under shifted dates), with 1 and 2 workers.

Prints per run: issues, pages, wall seconds, pages per minute, CPU seconds per page (the tasks'
own CPU), the scaling from 1 to 2 workers, each worker's peak resident memory (at its first issue
and over the run: flat when they agree), and where the time goes — the run's steps (compose =
make-up + composition + PDF + PNG; alto+mets; write) and, for one issue made in this process,
CPU per page of make-up, composition, PDF, PNG, ALTO, METS.

    .venv/bin/python benchmarks/archive.py [--pages N] [--workers 1 2] [--skip-week] [--out DIR]

--pages N adds the synthetic archive of at least N pages (16 a week: 5,000 pages is 313 weeks,
~59,000 article files; on this 2-core machine that is hours — say what you ran).
"""
from __future__ import annotations

import argparse
import datetime
import math
import shutil
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARCHIVE = ROOT.parent / "shared" / "archive" / "rmrb-1946-05"


def synthetic(folder: Path, pages: int) -> int:
    """The week repeated under dates shifted by whole weeks (a folder per month) until it holds at
    least `pages` pages (16 a week); the number of weeks."""
    weeks = max(1, math.ceil(pages / 16))
    files = sorted(ARCHIVE.glob("*.md"))
    for k in range(weeks):
        for path in files:
            old = datetime.date.fromisoformat(path.name[:10])
            new = old + datetime.timedelta(weeks=k)
            data = path.read_bytes().replace(old.isoformat().encode(), new.isoformat().encode(), 1)
            target = folder / f"{new:%Y-%m}" / (new.isoformat() + path.name[10:])
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    return weeks


def run(source: Path, dest: Path, workers: int) -> dict:
    from pagesetter.archive.run import RunOptions, run_archive

    shutil.rmtree(dest, ignore_errors=True)
    return run_archive(RunOptions(source, dest, workers=workers))


def line(name: str, workers: int, s: dict) -> str:
    rss = ", ".join(f"{first:.0f}→{peak:.0f}" for first, peak in
                    zip(s["first_rss_mb"].values(), s["peak_rss_mb"].values()))
    return (f"{name:<12} {workers:>2} workers: {s['issues']['made']:>4} issues {s['pages_made']:>5} pages "
            f"{s['wall_seconds']:>8.1f} s  {s['pages_per_minute']:>6.1f} pages/min  CPU/page {s['cpu_per_page']:.2f} s  "
            f"failed {s['issues']['failed']}  peak MB per worker (first issue→run) {rss}  steps {s['steps']}")


@contextmanager
def probe():
    """CPU seconds spent in make-up, composition, PDF, PNG, ALTO and METS (this process)."""
    from pagesetter import build_edition
    from pagesetter.archive import issue
    from pagesetter.layout import makeup_spec
    from pagesetter.render import pdf, png

    spent: dict[str, float] = {}
    patched = [(makeup_spec, "make_up_page", "make-up"), (build_edition, "compose_page", "compose (with make-up)"),
               (pdf, "render_pdf", "PDF"), (png, "preview", "PNG"), (issue, "page_alto", "ALTO"),
               (issue, "issue_mets", "METS")]
    saved = [(m, n, getattr(m, n)) for m, n, _ in patched]

    def timed(fn, label):
        def wrapper(*a, **k):
            t = time.process_time()
            try:
                return fn(*a, **k)
            finally:
                spent[label] = spent.get(label, 0.0) + time.process_time() - t
        return wrapper

    for (m, n, label), (_, _, fn) in zip(patched, saved):
        setattr(m, n, timed(fn, label))
    try:
        yield spent
    finally:
        for m, n, fn in saved:
            setattr(m, n, fn)


def where_time_goes(dest: Path, date: str = "1946-05-17") -> None:
    from pagesetter.archive.issue import IssueJob, run_issue
    from pagesetter.archive.warm import warm_faces

    t = time.process_time()
    warm_faces()
    warm = time.process_time() - t
    paths = tuple(str(p) for p in sorted(ARCHIVE.glob(f"{date}_*.md")))
    shutil.rmtree(dest, ignore_errors=True)
    with probe() as spent:
        result = run_issue(IssueJob(date, paths, str(dest), 100.0))
    pages = result.pages
    print(f"\none issue in this process ({date}, {pages} pages): CPU {result.cpu:.2f} s = {result.cpu / pages:.2f} s/page; "
          f"worker warm-up (faces, profile) {warm:.2f} s once per worker")
    compose = spent.pop("compose (with make-up)", 0.0)
    makeup = spent.get("make-up", 0.0)
    print(f"  composition without make-up {(compose - makeup) / pages:.2f} s/page")
    for label, s in sorted(spent.items(), key=lambda kv: -kv[1]):
        print(f"  {label:<8} {s / pages:.2f} s/page ({s / result.cpu:.0%} of the issue's CPU)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=0, help="also a synthetic archive of at least this many pages")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--skip-week", action="store_true")
    ap.add_argument("--out", type=Path, help="work here (default: a temporary folder)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        sets = [] if args.skip_week else [("week", ARCHIVE)]
        if args.pages:
            src = out / "synthetic"
            shutil.rmtree(src, ignore_errors=True)
            weeks = synthetic(src, args.pages)
            sets.append((f"{weeks} weeks", src))
        for name, source in sets:
            rates = {}
            for w in args.workers:
                s = run(source, out / f"dest-{w}", w)
                rates[w] = s["pages_per_minute"]
                print(line(name, w, s), flush=True)
            if 1 in rates and 2 in rates:
                print(f"{name:<12} scaling 1 → 2 workers: {rates[2] / rates[1]:.2f}×")
        where_time_goes(out / "one")


if __name__ == "__main__":
    main()
