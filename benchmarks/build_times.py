#!/usr/bin/env python3
"""How fast pagesetter builds the sample page, as a user sees it. Prints figures; asserts nothing.

Whole-process figures are CPU seconds (user + sys of the child, from the kernel's accounting),
wall seconds and the child's peak memory, as medians of --runs runs (min–max beside them: a wide
range means a busy machine):

    warm            `pagesetter build --no-png` with the font cache a previous build left
    stages          each stage's CPU (imports, spec, stories, faces, compose, pdf) in the one build
                    of a fresh process
    warm + PNG      the same with the PNG preview
    cold            an empty font cache (every face prepared from the font files)
    new character   a warm cache, and one character the page never had added to an article
    watch rebuild   in one warm process (`pagesetter watch`), one paragraph edited, then rebuilt
    batch           100 pages of different text (the sample's articles, each paragraph rotated
                    differently per page) through the API, in one process and in a pool of 2
    typst           when the `typst` package is installed: Typst compiling the same text on the
                    same grid (benchmarks/typst_page.py), paired with warm runs, A B A B …; the
                    ratio pagesetter/typst per pair, and its median

    .venv/bin/python benchmarks/build_times.py [--runs 5] [--batch 100] [--only warm,typst,...]
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
SPEC = ROOT / "layouts" / "jiceng-dangjian.yaml"
EXE = Path(sys.executable).with_name("pagesetter")
PAGESETTER = [str(EXE)] if EXE.exists() else [sys.executable, "-m", "pagesetter.cli"]
# characters the sample page does not use, each in every face it uses: one per new-character run
NEW_CHARS = "猫狗鸭鹅龟蛇蝶蜂鹰鲸狼狐熊鹿"
SECTIONS = ("warm", "png", "cold", "newchar", "stages", "watch", "batch", "typst")


def run(cmd: list[str], env: dict | None = None) -> tuple[float, float, float]:
    """One whole process: (CPU s, wall s, peak MiB), from the kernel's accounting of the child."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"benchmark: {' '.join(cmd)} exited {proc.returncode}")
    return usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024


def show(name: str, values: list[float], unit: str = "s", note: str = "") -> None:
    med = statistics.median(values)
    print(f"{name:<36} {med:8.3f} {unit:<4} [{min(values):.3f}–{max(values):.3f}, n={len(values)}]"
          + (f"  {note}" if note else ""))


def show_runs(name: str, runs: list[tuple[float, float, float]], note: str = "") -> None:
    show(f"{name}, CPU", [r[0] for r in runs], note=note)
    show(f"{name}, wall", [r[1] for r in runs])
    show(f"{name}, peak memory", [r[2] for r in runs], "MiB")


def project_copy(dst: Path) -> Path:
    """A copy of the sample project (spec, articles, fonts folder); the spec's path in it."""
    for folder in ("layouts", "articles", "fonts"):
        shutil.copytree(ROOT / folder, dst / folder)
    return dst / "layouts" / SPEC.name


def build_cmd(spec: Path, out: Path, png: bool = False) -> list[str]:
    return PAGESETTER + ["build", str(spec), "-o", str(out)] + ([] if png else ["--no-png"])


def bench_whole(work: Path, runs: int, env: dict, sections: set[str]) -> dict:
    """Warm (with and without PNG), cold and new-character builds, each a fresh process."""
    out = work / "page.pdf"
    subprocess.run(build_cmd(SPEC, out), env=env, capture_output=True)  # warm the cache
    figures = {}
    if "warm" in sections:
        figures["warm"] = [run(build_cmd(SPEC, out), env) for _ in range(runs)]
        show_runs("warm build (no PNG)", figures["warm"])
    if "png" in sections:
        show_runs("warm build + PNG", [run(build_cmd(SPEC, out, png=True), env) for _ in range(runs)])
    if "cold" in sections:
        colds = [run(build_cmd(SPEC, out), dict(env, PAGESETTER_CACHE=str(work / f"cold-{i}")))
                 for i in range(runs)]
        show_runs("cold build (empty cache)", colds)
    if "newchar" in sections:
        spec = project_copy(work / "newchar")
        article = spec.parent.parent / "articles" / "main.md"
        text = article.read_text(encoding="utf-8")
        fresh = [ch for ch in NEW_CHARS if ch not in text][:runs]
        times = []
        for ch in fresh:  # one more character each time, on the cache the previous run left
            text = text.rstrip("\n") + ch + "\n"
            article.write_text(text, encoding="utf-8")
            times.append(run(build_cmd(spec, work / "newchar.pdf"), env))
        show_runs("one new character", times)
        figures["newchar"] = times
    return figures


STAGE_PROBE = """
import sys, time
from pathlib import Path
t0 = time.process_time()
from pagesetter import build as B
from pagesetter.layout.page import compose
from pagesetter.render.pdf import render_pdf
import pagesetter.cli, pagesetter.render.rlcanvas
pagesetter.render.rlcanvas.HIDE_SHAPER = True  # as the command sets it (cli.run)
t = [time.process_time()]
spec = B.load_spec(Path(sys.argv[1])); t.append(time.process_time())
stories = B.load_stories(spec); t.append(time.process_time())
faces, _ = B.prepare_faces(spec, stories); t.append(time.process_time())
page = compose(spec, stories, {r: f.metrics for r, f in faces.items()}); t.append(time.process_time())
render_pdf(page.layout, faces, B.doc_meta(spec)); t.append(time.process_time())
print(t[0] - t0, *(b - a for a, b in zip(t, t[1:])))
"""
STAGES = ("imports", "spec", "stories", "faces", "compose", "pdf")


def bench_stages(runs: int, env: dict) -> None:
    """Where a warm build's time goes, as a user's build sees it: each stage's CPU in the first
    (and only) build of a fresh process, median of `runs` processes. The whole process adds the
    interpreter's start, the command line and writing the outputs to these."""
    cpu = {n: [] for n in STAGES}
    for _ in range(runs):
        done = subprocess.run([sys.executable, "-c", STAGE_PROBE, str(SPEC)], env=env,
                              capture_output=True, text=True, check=True)
        for name, value in zip(STAGES, done.stdout.split()):
            cpu[name].append(float(value))
    print("stages of a fresh-process build, median CPU:  "
          + ", ".join(f"{n} {statistics.median(v) * 1000:.0f} ms" for n, v in cpu.items()))


def bench_watch(work: Path, runs: int, png: bool) -> list[tuple[float, float]]:
    """In one process: build, then (edit one paragraph of the main story, rebuild) `runs` times."""
    from pagesetter.cli import _summary
    from pagesetter.layout.setting import carry_over
    from pagesetter.watch import Watcher

    spec = project_copy(work / f"watch-{png}")
    article = spec.parent.parent / "articles" / "main.md"
    text = article.read_text(encoding="utf-8")
    watcher = Watcher(spec, work / f"watch-{png}.pdf", png=png, summary=_summary)
    times = []
    with carry_over():
        watcher.build()
        for i in range(runs):
            article.write_text(text.replace("求木之长者", "求木之长者" + "者" * (i % 2 + 1)), encoding="utf-8")
            cpu, wall = time.process_time(), time.perf_counter()
            report = watcher.build()
            if "error: " in report:  # bad input or an internal error, reported (never raised)
                raise SystemExit(f"benchmark: watch rebuild failed: {report}")
            times.append((time.process_time() - cpu, time.perf_counter() - wall))
    return times


def rotated(text: str, k: int) -> str:
    """The article with each body paragraph's characters rotated by a per-page amount: different
    line breaks on every page, the same characters (so the same prepared faces)."""
    out, in_front = [], False
    for line in text.split("\n"):
        if line.strip() == "---":
            in_front = not in_front
        plain = line and not in_front and not line.startswith(("#", "---")) and "[[" not in line and "*" not in line
        if plain:
            n = (k * 7) % len(line)
            line = line[n:] + line[:n]
        out.append(line)
    return "\n".join(out)


def batch_pages(work: Path, count: int) -> list[Path]:
    specs = []
    for k in range(count):
        spec = project_copy(work / f"p{k:03d}")
        for article in (spec.parent.parent / "articles").glob("*.md"):
            article.write_text(rotated(article.read_text(encoding="utf-8"), k + 1), encoding="utf-8")
        specs.append(spec)
    return specs


def _build_one(spec: Path) -> None:
    from pagesetter.build import build

    build(spec, spec.parent.parent / "out.pdf", png=False)


def bench_batch(work: Path, count: int) -> None:
    from concurrent.futures import ProcessPoolExecutor

    import pagesetter.build  # noqa: F401  (imported once, before the pool forks)

    specs = batch_pages(work / "batch", count)
    _build_one(specs[0])  # warm: the faces' cache entries for this text
    start = time.perf_counter()
    for spec in specs:
        _build_one(spec)
    one = time.perf_counter() - start
    start = time.perf_counter()
    with ProcessPoolExecutor(2) as pool:
        list(pool.map(_build_one, specs, chunksize=max(1, count // 8)))
    two = time.perf_counter() - start
    print(f"{f'batch of {count} pages, 1 process':<36} {count / one * 60:8.0f} pages/min  ({one:.1f} s wall)")
    print(f"{f'batch of {count} pages, pool of 2':<36} {count / two * 60:8.0f} pages/min  ({two:.1f} s wall)")


def bench_typst(work: Path, runs: int, env: dict) -> None:
    """Paired whole-process runs: pagesetter's warm build (no PNG) and Typst on the same text."""
    try:
        import typst  # noqa: F401
    except ImportError:
        print("typst: not installed (pip install typst into the venv to compare; not a dependency)")
        return
    sys.path.insert(0, str(Path(__file__).parent))
    from typst_page import typst_source

    source = work / "page.typ"
    source.write_text(typst_source(SPEC), encoding="utf-8")
    typst_cmd = [sys.executable, "-c", "import sys, typst; typst.compile(sys.argv[1], output=sys.argv[2])",
                 str(source), str(work / "typst.pdf")]
    python_only = [sys.executable, "-c", "import typst"]
    ours = build_cmd(SPEC, work / "page.pdf")
    run(typst_cmd), run(ours, env)  # warm-up: Typst's font scan, our cache
    pairs = [(run(ours, env), run(typst_cmd)) for _ in range(runs)]
    show("typst (same text), CPU", [b[0] for _, b in pairs], note="through its Python package")
    show("python -c 'import typst', CPU", [run(python_only)[0] for _ in range(runs)],
         note="of which interpreter + import")
    show("pagesetter / typst, CPU", [a[0] / b[0] for a, b in pairs], "x", "per pair; target <= 1.0")
    show("pagesetter / typst, wall", [a[1] / b[1] for a, b in pairs], "x")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--batch", type=int, default=100, help="pages in the batch")
    ap.add_argument("--only", default=",".join(SECTIONS), help=f"comma-separated: {','.join(SECTIONS)}")
    args = ap.parse_args()
    sections = set(args.only.split(","))
    # byte-compiled first: with PYTHONDONTWRITEBYTECODE set, a stale .pyc would be compiled again
    # in every process and counted as pagesetter's time
    import compileall

    import pagesetter

    compileall.compile_dir(str(Path(pagesetter.__file__).parent), quiet=1)
    work = Path(tempfile.mkdtemp(prefix="pagesetter-bench-"))
    env = dict(os.environ, PAGESETTER_CACHE=str(work / "cache"))
    os.environ["PAGESETTER_CACHE"] = env["PAGESETTER_CACHE"]  # the in-process sections too
    try:
        print(f"python -c pass, CPU {statistics.median(run([sys.executable, '-c', 'pass'])[0] for _ in range(3)):.3f} s"
              f" (interpreter start, included in every whole-process figure)")
        bench_whole(work, args.runs, env, sections)
        if "stages" in sections:
            bench_stages(args.runs, env)
        if "watch" in sections:
            for png in (False, True):
                times = bench_watch(work, args.runs, png)
                label = "watch rebuild" + (" + PNG" if png else "")
                show(f"{label}, CPU", [t[0] for t in times], note="in-process, one paragraph edited")
                show(f"{label}, wall", [t[1] for t in times])
        if "batch" in sections:
            bench_batch(work, args.batch)
        if "typst" in sections:
            bench_typst(work, args.runs, env)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
