#!/usr/bin/env python3
"""Render the crops of docs/composition.md section 15 (scripts, fallback faces, verse): the test
pages of tests/test_scripts.py (the science text, 12 characters a line) and tests/test_verse.py
(the poem, 14 characters; and 11, which pagecheck misreads), built with default settings, and one column of scaled scripts (a
script with no designed forms), at 300 dpi.

    python docs/composition/make_scripts_verse.py      # rewrites docs/composition/c4-*.png

Each crop is found by the text of a line (make_before_after.find), so it follows the text.
Deterministic: same PDFs, same PNGs.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(HERE), str(ROOT / "tests")]
from make_latin_runs import crop
from test_narrow_columns import narrow_page
from test_scripts import SCIENCE
from test_verse import POEM

from pagesetter.build import build

SCALED = ["太阳的有效温度T~eff~约为5772 K，这一数据来自近年的观测^[1]^，与理论值x^y^相符。"]
# png → (text, characters a line, text of a line to find, lines above it, lines below it)
PLACES = {
    "c4-scripts.png": (SCIENCE, 12, "水是由氢", 0, 13),
    "c4-scripts-2.png": (SCIENCE, 12, "可观测宇宙", 1, 8),
    "c4-scaled.png": (SCALED, 12, "太阳的有效", 0, 3),
    "c4-verse.png": ([POEM], 14, "海子的这首", 0, 18),
    "c4-verse-2.png": ([POEM], 14, "给每一条河", 0, 10),
    "c4-verse-11.png": ([POEM], 11, "从明天起，和每", 2, 7),  # what pagecheck misreads at 11
    "c4-science-14.png": (SCIENCE, 14, "光在真空中", 0, 3),  # the word space past its cap
}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        built: dict[tuple, Path] = {}
        for png, (text, chars, needle, above, below) in PLACES.items():
            key = (id(text), chars)
            if key not in built:
                spec = narrow_page(Path(tmp) / f"p{len(built)}", chars, list(text))
                built[key] = Path(tmp) / f"p{len(built)}.pdf"
                build(spec, built[key], png=False)
            crop(built[key], chars, needle, above, below).save(HERE / png, optimize=True)
            print("wrote", HERE / png)


if __name__ == "__main__":
    main()
