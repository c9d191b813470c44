#!/usr/bin/env python3
"""How long `diff` takes: the sample page (a colour change, and identical files), a 50-page
document (one page inserted, and the same file twice), and a 50-page edition — every face
embedded once for all pages, as `build` writes an edition — with one character changed on page 2
(a character no page had: the shared subsets grow) and with a page inserted (also bringing a new
character). The two edition cases must diff in ≤ 2 s wall and ≤ 250 MB peak, reporting one page. Each case runs in a fresh process (so the
peak memory is the case's own); times are medians of --runs diffs in that process, wall and CPU,
plus one end-to-end `pagesetter diff` command for the sample page. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/diff_times.py [--runs 5] [--python OTHER/.venv/bin/python]

The 50-page PDF is made here: the sample page composed once, then 51 variants whose characters
are rotated within each face (every page different text, all of broadsheet density: ~6,400
glyphs a page), each rendered and joined with pypdf; B is A with variant 51 inserted as page 3.
`--src OTHER/src` times another checkout's diff on the same files (the fixtures are made with this one).
"""
from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "layouts" / "jiceng-dangjian.yaml"
PAGES = 50
INSERT_AT = 2  # 0-based: "page 3 inserted"
NEW_CHAR = "鑫"  # on no page of the sample: a face's shared subset grows by one glyph
BOUNDS = (2.0, 250.0)  # the edition cases' limits: s wall, MB peak

CHILD = r"""
import json, statistics, sys, time
import pagesetter
from pagesetter.check.diff import diff_pdfs
a, b, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
wall, cpu = [], []
t = time.perf_counter()
report = diff_pdfs(a, b)  # the first diff: lazy imports (pypdf, pdfium's text page) included
first = time.perf_counter() - t
for _ in range(runs):
    t, c = time.perf_counter(), time.process_time()
    report = diff_pdfs(a, b)
    wall.append(time.perf_counter() - t)
    cpu.append(time.process_time() - c)
lines = report.summary().splitlines()
# VmHWM: this process's own peak (ru_maxrss would carry the parent's over exec)
hwm = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:"))
print(json.dumps({"wall": statistics.median(wall), "cpu": statistics.median(cpu), "rss_mb": hwm / 1024,
                  "first": first, "differing": len(report.differing),
                  "module": pagesetter.__file__,
                  "equal": report.equal, "lines": len(lines), "head": lines[1:4]}))
"""


def _variant(layout, k: int):
    """The page with each face's characters rotated by 37·k places (glyph positions kept)."""
    from pagesetter.layout.model import TextLine

    chars: dict[str, list[str]] = {}
    for item in layout.items:
        if isinstance(item, TextLine):
            for g in item.glyphs:
                chars.setdefault(g.font, []).append(g.ch)
    seen: dict[str, int] = {}
    items = []
    for item in layout.items:
        if isinstance(item, TextLine):
            glyphs = []
            for g in item.glyphs:
                pool, i = chars[g.font], seen.get(g.font, 0)
                seen[g.font] = i + 1
                glyphs.append(replace(g, ch=pool[(i + 37 * k) % len(pool)]))
            item = replace(item, glyphs=tuple(glyphs))
        items.append(item)
    return replace(layout, items=tuple(items))


def _one_changed(layout, ch: str = NEW_CHAR):
    """The page with the third glyph of its first line in frame main-2 replaced by `ch`."""
    from pagesetter.layout.model import TextLine

    items = list(layout.items)
    k = next(i for i, it in enumerate(items) if isinstance(it, TextLine) and it.frame == "main-2")
    glyphs = list(items[k].glyphs)
    glyphs[2] = replace(glyphs[2], ch=ch)
    items[k] = replace(items[k], glyphs=tuple(glyphs))
    return replace(layout, items=tuple(items))


def _join(pages: list[bytes]) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for data in pages:
        writer.add_page(PdfReader(io.BytesIO(data)).pages[0])
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def make_fixtures(work: Path) -> dict[str, Path]:
    from pagesetter.build import compose_page
    from pagesetter.render.pdf import render_pdf

    composed = compose_page(SPEC)
    layout, faces = composed.layout, composed.faces
    out = {"sample": work / "sample.pdf", "sample-red": work / "sample-red.pdf",
           "sample-copy": work / "sample-copy.pdf", "50": work / "doc50.pdf",
           "50-copy": work / "doc50-copy.pdf", "51": work / "doc51.pdf"}
    out["sample"].write_bytes(render_pdf(layout, faces))
    out["sample-copy"].write_bytes(out["sample"].read_bytes())
    red = replace(layout, colors={**layout.colors, "red": (0.0, 1.0, 0.7, 0.1)})
    out["sample-red"].write_bytes(render_pdf(red, faces))
    layouts = [_variant(layout, k) for k in range(PAGES + 1)]
    variants = [render_pdf(page, faces) for page in layouts]
    out["50"].write_bytes(_join(variants[:PAGES]))
    out["50-copy"].write_bytes(out["50"].read_bytes())
    out["51"].write_bytes(_join(variants[:INSERT_AT] + [variants[PAGES]] + variants[INSERT_AT:PAGES]))
    edition = layouts[:PAGES]  # one document, each face embedded once (as build_edition writes it)
    out["ed"] = work / "edition50.pdf"
    out["ed"].write_bytes(render_pdf(edition, faces))
    out["ed-char"] = work / "edition50-char.pdf"
    out["ed-char"].write_bytes(render_pdf(edition[:1] + [_one_changed(edition[1])] + edition[2:], faces))
    out["ed-insert"] = work / "edition51.pdf"
    out["ed-insert"].write_bytes(render_pdf(edition[:INSERT_AT] + [_one_changed(layouts[PAGES])]
                                            + edition[INSERT_AT:], faces))
    return out


def _env(src: Path | None) -> dict:
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    return env


def measure(python: str, src: Path | None, a: Path, b: Path, runs: int) -> dict:
    env = _env(src)
    result = subprocess.run([python, "-c", CHILD, str(a), str(b), str(runs)], capture_output=True, text=True, env=env)
    if result.returncode != 0:
        return {"error": result.stderr.strip().splitlines()[-1:]}
    return json.loads(result.stdout.strip().splitlines()[-1])


def cli_seconds(python: str, src: Path | None, a: Path, b: Path) -> float:
    start = time.perf_counter()
    subprocess.run([python, "-m", "pagesetter.cli", "diff", str(a), str(b), "--no-image"],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=_env(src))
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--python", default=sys.executable, help="the interpreter whose pagesetter is timed")
    ap.add_argument("--src", type=Path, help="time the pagesetter in this src/ folder (another checkout)")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pagesetter-diffbench-"))
    start = time.perf_counter()
    files = make_fixtures(work)
    if args.src:
        print(f"timing the pagesetter in {args.src}")
    print(f"fixtures in {work} ({time.perf_counter() - start:.1f}s): 50-page PDF "
          f"{files['50'].stat().st_size / 1e6:.1f} MB")
    cases = [("sample page, colour change", "sample", "sample-red", args.runs),
             ("sample page, identical files", "sample", "sample-copy", args.runs),
             ("50 pages, page 3 inserted", "50", "51", max(1, args.runs // 2)),
             ("50 pages, the same file twice", "50", "50-copy", max(1, args.runs // 2)),
             ("edition of 50, one new character", "ed", "ed-char", max(1, args.runs // 2)),
             ("edition of 50, a page inserted", "ed", "ed-insert", max(1, args.runs // 2))]
    for label, a, b, runs in cases:
        m = measure(args.python, args.src, files[a], files[b], runs)
        if "error" in m:
            print(f"{label:32} failed: {m['error']}")
            continue
        bounds = ""
        if label.startswith("edition"):
            ok = max(m["wall"], m["first"]) <= BOUNDS[0] and m["rss_mb"] <= BOUNDS[1] and m["differing"] == 1
            bounds = f"  [{'within' if ok else 'OVER'} {BOUNDS[0]:g} s / {BOUNDS[1]:g} MB, one page]"
        print(f"{label:32} {m['wall']:6.3f} s wall (first {m['first']:.3f}) {m['cpu']:6.3f} s CPU "
              f"{m['rss_mb']:6.0f} MB peak   {'EQUAL' if m['equal'] else 'DIFFERENT'}, "
              f"{m['differing']} page(s) differ, {m['lines']} report lines{bounds}")
        for line in m["head"]:
            print(f"{'':34}{line[:100]}")
    print(f"{'pagesetter diff (command), sample':32} {cli_seconds(args.python, args.src, files['sample'], files['sample-red']):6.3f} s "
          "wall, end to end")


if __name__ == "__main__":
    main()
