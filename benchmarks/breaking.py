#!/usr/bin/env python3
"""Line breaking cost per glyph, from 1k to 100k characters in one paragraph (it should stay flat:
breaking is linear in paragraph length), and `pagesetter check` on a page whose story is one
44k-character paragraph (time and peak memory of the process). Prints figures; asserts nothing.

    .venv/bin/python benchmarks/breaking.py [--sizes 1000,10000,100000] [--no-check]

Times are CPU seconds (process time), so a busy machine does not inflate them much.
"""
from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from pagesetter.text.breaker import break_lines  # noqa: E402
from pagesetter.text.measure import Composition, Run, measure  # noqa: E402


class Fixed:
    """Han and full-width marks 1 em, ASCII ½ em; closing marks' ink left, opening marks' right."""

    def advance(self, ch):
        return 0.5 if ch.isascii() else 1.0

    def ink_x(self, ch):
        from pagesetter.text import classes as C
        return (0.1, 0.4) if ch in C.CLOSING else (0.6, 0.9) if ch in C.OPENING else (0.05, 0.95)


def sample_text() -> str:
    body = (ROOT / "articles" / "main.md").read_text(encoding="utf-8").split("---", 2)[2]
    return "".join(line.strip() for line in body.splitlines() if line.strip() and not line.startswith("#"))


def per_glyph(text: str, n: int, breaking: str) -> tuple[float, int]:
    chunk = (text * (n // len(text) + 1))[:n]
    par = measure([Run(chunk, "f", 9.0)], lambda f: Fixed(), Composition(breaking=breaking), 2.0)
    start = time.process_time()  # CPU time: the machine may be shared
    breaks = break_lines(par, lambda k: 13 * 9.0)
    return (time.process_time() - start) / n * 1e6, len(breaks)


def headline_run(chars: int) -> None:
    """A headline element of `chars` characters, set in a 30-em measure, with and without spaces
    between its words (the word-grouping path) and with `fit_min` (the shrink-to-fit path)."""
    from pagesetter.layout.setting import Typesetter
    from pagesetter.pagespec.model import Style

    text = sample_text()
    plain = (text * (chars // len(text) + 1))[:chars]
    spaced = " ".join(plain[i:i + 6] for i in range(0, chars, 6))
    ts = Typesetter({"hei": Fixed()}, Composition())
    for name, t, style in (("plain", plain, Style("h", "hei", 22.0)), ("spaced", spaced, Style("h", "hei", 22.0)),
                           ("fit_min", plain, Style("h", "hei", 22.0, fit_min=12.0))):
        start = time.process_time()
        lines = ts.head_lines(t, style, 30 * 22.0)
        print(f"headline, {chars} characters, {name:7}: {time.process_time() - start:.2f} s CPU ({len(lines)} lines)")


def check_run(chars: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        exe = Path(sys.executable).with_name("pagesetter")
        subprocess.run([str(exe), "init", str(root / "p")], check=True, stdout=subprocess.DEVNULL)
        article = root / "p" / "articles" / "story.md"
        head, _, _ = article.read_text(encoding="utf-8").partition("\n---\n")
        text = sample_text()
        article.write_text(head + "\n---\n" + (text * (chars // len(text) + 1))[:chars] + "\n", encoding="utf-8")
        spec = root / "p" / "layouts" / "page.yaml"
        start = time.perf_counter()
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([str(exe), "check", str(spec)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime
        print(f"check, one {chars}-character paragraph: {time.perf_counter() - start:.2f} s wall, "
              f"{cpu:.2f} s CPU, peak {r1.ru_maxrss / 1024:.0f} MB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1000,3000,10000,30000,100000")
    ap.add_argument("--no-check", action="store_true")
    args = ap.parse_args()
    text = sample_text()
    for breaking in ("total-fit", "greedy"):
        for n in (int(s) for s in args.sizes.split(",")):
            us, lines = per_glyph(text, n, breaking)
            print(f"{breaking:9} {n:7d} characters: {us:6.1f} µs per glyph ({lines} lines)")
    headline_run(20_000)
    if not args.no_check:
        check_run(44_000)


if __name__ == "__main__":
    main()
