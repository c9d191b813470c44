#!/usr/bin/env python3
"""Pages per minute for a 20-page edition, built as a user builds it (a fresh `pagesetter build`
process each time, warm font cache): ten pairs of the sample edition's pages — the seed page with
its main story jumping, and the sample page 2 carrying the continuation — so every other page
continues a story from the page before. Prints figures (and the load average, to judge noise);
asserts nothing but that rebuilds are byte-identical.

    .venv/bin/python benchmarks/edition_speed.py [--pages 20] [--runs 3] [--jobs N] [--no-png]
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAYOUTS = ROOT / "layouts"


def edition_text(pages: int) -> str:
    """A `pages`-page edition: page 2k-1 is the seed page with main jumping to page 2k."""
    lines = ["edition: {name: bench, paper: 人民日报, date: 2022年6月24日, number: 1,",
             "          variables: {editor: 示例, designer: 示例}}", "pages:"]
    for n in range(1, pages + 1):
        if n % 2 or n == pages:
            lines += [f"  - file: {LAYOUTS / 'jiceng-dangjian.yaml'}",
                      f"    override: {{page: {{name: p{n:02d}}}, styles: {{jump: {{role: kai, size: 小五, align: right}}}},",
                      "               stories: {main: {chain: [main-1, main-2, main-3]}}, blocks: {4: {at: {lines: 45}}}}"]
        else:
            lines += [f"  - file: {LAYOUTS / 'sample-page-2.yaml'}",
                      f"    override: {{page: {{name: p{n:02d}}}, stories: {{main-continued: {{continues: p{n - 1:02d}/main}}}}}}"]
    if pages % 2:  # the last odd page's story has no continuation: give it its whole chain back
        lines[-2:] = [f"  - file: {LAYOUTS / 'jiceng-dangjian.yaml'}", f"    override: {{page: {{name: p{pages:02d}}}}}"]
    return "\n".join(lines) + "\n"


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def timed_build(edition: Path, out: Path, extra: list[str]) -> tuple[float, float]:
    """Wall-clock seconds and CPU seconds (the build and its worker processes) of one build."""
    exe = Path(sys.executable).with_name("pagesetter")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "pagesetter.cli"]
    cpu, start = _children_cpu(), time.perf_counter()
    result = subprocess.run(cmd + ["build", str(edition), "-o", str(out), *extra], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode not in (0, 1):
        sys.exit(f"build failed ({result.returncode}):\n{result.stderr}")
    return seconds, _children_cpu() - cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=20)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--jobs", type=int, help="pages composed at once (default: the number of cores)")
    ap.add_argument("--no-png", action="store_true", help="skip the PNG previews")
    args = ap.parse_args()
    extra = (["--jobs", str(args.jobs)] if args.jobs else []) + (["--no-png"] if args.no_png else [])
    work = Path(tempfile.mkdtemp(prefix="pagesetter-edition-bench-"))
    try:
        edition = work / "bench.yaml"
        edition.write_text(edition_text(args.pages), encoding="utf-8")
        out = work / "out" / "bench.pdf"
        load = os.getloadavg()
        timed_build(edition, out, extra)  # warms the font cache for this character set
        first = out.read_bytes()
        runs = [timed_build(edition, out, extra) for _ in range(args.runs)]
        times, cpus = [r[0] for r in runs], [r[1] for r in runs]
        same = out.read_bytes() == first
        load_after = os.getloadavg()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    best, median = min(times), statistics.median(times)
    print(f"{args.pages}-page edition, warm font cache, {os.cpu_count()} cores, jobs {args.jobs or 'default'}, "
          f"{'no PNG' if args.no_png else 'with PNG previews'}:")
    print(f"  build times: {', '.join(f'{t:.2f}' for t in times)} s")
    print(f"  median {median:.2f} s = {args.pages / median * 60:.0f} pages/minute; "
          f"best {best:.2f} s = {args.pages / best * 60:.0f} pages/minute")
    cpu = statistics.median(cpus)
    cores = os.cpu_count() or 1
    print(f"  CPU time (all processes) median {cpu:.2f} s = {cpu / args.pages * 1000:.0f} ms per page; on {cores} "
          f"otherwise idle cores at best {args.pages / (cpu / cores) * 60:.0f} pages/minute")
    print(f"  load average before {load[0]:.2f}, after {load_after[0]:.2f} (1 min): "
          f"{'quiet' if max(load[0], load_after[0]) < 0.5 else 'other work on the machine'}")
    print(f"  rebuilds byte-identical: {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
