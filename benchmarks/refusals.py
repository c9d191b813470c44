#!/usr/bin/env python3
"""How fast hostile input is refused, and at what memory: each case in a fresh `pagesetter`
process (wall seconds including start-up, peak RSS of the child). Prints figures; asserts nothing — the
refusals themselves are tested in tests/test_safety.py and tests/test_hostile_pdfs.py. The goal for
each refusal: under 2 s and 300 MB. A case still running after TIMEOUT seconds is stopped.

    .venv/bin/python benchmarks/refusals.py
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
import hostile_pdfs  # noqa: E402
from bad_inputs import big_page_pdf  # noqa: E402
from specs import ARTICLE, SPEC, project  # noqa: E402

TIMEOUT = 60  # seconds before a case is stopped (reported as such)
MEMORY = 6 << 30  # address space a case may take (a runaway case fails instead of swamping the machine)

HEAD = SPEC.split("frames:")[0]


def billion_laughs(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


def front_matter_bomb() -> str:
    """An article whose front matter is some 330 bytes of nested YAML aliases (9 levels of 9: 387 million
    values once expanded)."""
    names = "abcdefghi"
    levels = ["&a [lol,lol,lol,lol,lol,lol,lol,lol,lol]"]
    levels += [f"&{c} [" + ",".join([f"*{p}"] * 9) + "]" for p, c in zip(names, names[1:])]
    return "---\nheadline: [" + ",\n  ".join(levels) + "]\n---\n正文。\n"


def hostile_pdf_cases(tmp: Path) -> list[tuple[str, list[str]]]:
    """preflight, render and diff of the issue's hostile PDFs (tests/hostile_pdfs.py)."""
    good, big, dense, pages = (tmp / n for n in ("good.pdf", "gigabyte.pdf", "dense.pdf", "pages.pdf"))
    good.write_bytes(hostile_pdfs.good())
    hostile_pdfs.sparse_file(big, 1 << 30)
    dense.write_bytes(hostile_pdfs.dense_content(15_000_000))
    pages.write_bytes(hostile_pdfs.many_pages(20_000))
    kb = dense.stat().st_size // 1024
    return [
        ("preflight a 1 GB file (sparse)", ["preflight", str(big)]),
        (f"render 15 million rectangles ({kb} KB)", ["render", str(dense), "-o", str(tmp / "dense.png")]),
        (f"preflight 15 million rectangles ({kb} KB)", ["preflight", str(dense)]),
        ("diff a 20,000-page PDF", ["diff", str(good), str(pages), "--no-image"]),
        ("render a 20,000-page PDF", ["render", str(pages), "-o", str(tmp / "pages.png")]),
        ("preflight a 20,000-page PDF", ["preflight", str(pages)]),
    ]


def cases(tmp: Path) -> list[tuple[str, list[str]]]:
    def spec(name: str, text: str, article: str = ARTICLE) -> str:
        return str(project(tmp / name, text, article))

    frames = "".join(f"  f{i}: {{col: 1, line: 1, lines: 1}}\n" for i in range(100_000))
    (tmp / "big.pdf").write_bytes(big_page_pdf())
    fifo = tmp / "fifo.yaml"
    os.mkfifo(fifo)
    return [
        ("spec of 100,000 frames (3.8 MB)", ["check", spec("frames", HEAD + "frames:\n" + frames)]),
        ("100,000 values under 1 MB", ["check", spec("values", HEAD + "frames: {f: [" + "1," * 100_000 + "1]}\n")]),
        ("alias bomb", ["check", spec("laughs", billion_laughs())]),
        ("10,000 nested [", ["check", spec("nest", SPEC + "x: " + "[" * 10_000 + "]" * 10_000 + "\n")]),
        ("10 MB article", ["check", spec("article", SPEC, "基层党组织更加坚强有力。" * 280_000)]),
        ("front matter 5000 deep", ["check", spec("front", SPEC, "---\nheadline: " + "[" * 5000 + "]" * 5000
                                                 + "\n---\n正文。\n")]),
        (f"front-matter alias bomb ({len(front_matter_bomb().split('---')[1].encode())} bytes)",
         ["check", spec("front-bomb", SPEC, front_matter_bomb())]),
        ("check /dev/zero", ["check", "/dev/zero"]),
        ("check a FIFO with no writer", ["check", str(fifo)]),
        ("render a 14400 pt page at 100 dpi", ["render", str(tmp / "big.pdf"), "-o", str(tmp / "big.png")]),
        ("render a 14400 pt page at the cap (35 dpi)", ["render", str(tmp / "big.pdf"), "-o", str(tmp / "big.png"),
                                                       "--dpi", "35"]),
        *hostile_pdf_cases(tmp),
    ]


def _limit() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def run(args: list[str]) -> tuple[float, float, float, int | str]:
    """Wall seconds, CPU seconds (user + system: the figure a loaded machine does not inflate), the child's peak RSS (MB, from its rusage) and its exit code ('timeout' when
    stopped after TIMEOUT seconds)."""
    exe = Path(sys.executable).with_name("pagesetter")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "pagesetter.cli"]
    start = time.perf_counter()
    pid = subprocess.Popen(cmd + args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=_limit).pid
    stopped = False
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            break
        if not stopped and time.perf_counter() - start > TIMEOUT:
            os.kill(pid, 9)
            stopped = True
        time.sleep(0.02)
    code = "timeout" if stopped else os.waitstatus_to_exitcode(status)
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, code


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        print(f"{'case':48} {'exit':>7} {'wall s':>8} {'CPU s':>8} {'peak MB':>8}", flush=True)
        for name, args in cases(Path(tmp)):
            seconds, cpu, peak, code = run(args)
            print(f"{name:48} {code:>7} {seconds:8.2f} {cpu:8.2f} {peak:8.0f}", flush=True)


if __name__ == "__main__":
    main()
