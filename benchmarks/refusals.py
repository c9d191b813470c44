#!/usr/bin/env python3
"""How fast hostile input is refused, and at what memory: each case in a fresh `pagesetter`
process (wall seconds including start-up, peak RSS of the child). Prints figures; asserts nothing — the
refusals themselves are tested in tests/test_safety.py.

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
from bad_inputs import big_page_pdf  # noqa: E402
from specs import ARTICLE, SPEC, project  # noqa: E402

HEAD = SPEC.split("frames:")[0]


def billion_laughs(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


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
        ("check /dev/zero", ["check", "/dev/zero"]),
        ("check a FIFO with no writer", ["check", str(fifo)]),
        ("render a 14400 pt page at 100 dpi", ["render", str(tmp / "big.pdf"), "-o", str(tmp / "big.png")]),
        ("render a 14400 pt page at the cap (35 dpi)", ["render", str(tmp / "big.pdf"), "-o", str(tmp / "big.png"),
                                                       "--dpi", "35"]),
    ]


def run(args: list[str]) -> tuple[float, float, int]:
    exe = Path(sys.executable).with_name("pagesetter")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "pagesetter.cli"]
    start = time.perf_counter()
    pid = subprocess.Popen(cmd + args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).pid
    _, status, usage = os.wait4(pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        print(f"{'case':48} {'exit':>4} {'seconds':>8} {'peak MB':>8}")
        for name, args in cases(Path(tmp)):
            seconds, peak, code = run(args)
            print(f"{name:48} {code:>4} {seconds:8.2f} {peak:8.0f}")


if __name__ == "__main__":
    main()
