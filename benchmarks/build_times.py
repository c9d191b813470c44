#!/usr/bin/env python3
"""Cold and warm build times of the sample page, as a user sees them (a fresh `pagesetter build`
process each time). Cold: an empty font cache, so every face is subset and converted. Warm: the
cache a cold build left. Medians of --runs builds each. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/build_times.py [--runs 3] [--spec layouts/jiceng-dangjian.yaml]
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed_build(spec: Path, out: Path, cache: Path) -> float:
    env = dict(os.environ, PAGESETTER_CACHE=str(cache))
    exe = Path(sys.executable).with_name("pagesetter")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "pagesetter.cli"]
    start = time.perf_counter()
    subprocess.run(cmd + ["build", str(spec), "-o", str(out)], env=env, check=False,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--spec", type=Path, default=ROOT / "layouts" / "jiceng-dangjian.yaml")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pagesetter-bench-"))
    try:
        out = work / "page.pdf"
        # each cold build gets an empty cache of its own; the warm builds reuse the last one
        colds = [timed_build(args.spec, out, work / f"cache-{i}") for i in range(args.runs)]
        first = out.read_bytes()
        warm = [timed_build(args.spec, out, work / f"cache-{args.runs - 1}") for _ in range(args.runs)]
        same = out.read_bytes() == first
    finally:
        shutil.rmtree(work, ignore_errors=True)
    c, w = statistics.median(colds), statistics.median(warm)
    print(f"cold build (empty font cache, median of {args.runs}): {c:6.2f} s   [{', '.join(f'{t:.2f}' for t in colds)}]")
    print(f"warm build (median of {args.runs}):                   {w:6.2f} s   [{', '.join(f'{t:.2f}' for t in warm)}]")
    print(f"warm is {c / w:.1f}x faster; PDFs byte-identical: {same}")


if __name__ == "__main__":
    main()
