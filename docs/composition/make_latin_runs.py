#!/usr/bin/env python3
"""Render the before/after crops of docs/composition.md ("Composition III"): the narrow-column
test page of tests/test_latin_runs_page.py (Latin, number and URL runs, the completed break
classes) set by pagesetter at commit BEFORE (its source read with `git archive`) and as it is
now, at 300 dpi, side by side — before left, after right.

    python docs/composition/make_latin_runs.py      # rewrites docs/composition/c3-*.png

Each crop is found by the text of a line in each PDF (make_before_after.find), so it follows the
text wherever the new setting moved it. Deterministic: same PDFs, same PNGs.
"""
from __future__ import annotations

import io
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import pypdfium2 as pdfium

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(HERE), str(ROOT / "tests")]
from make_before_after import crop as sample_crop, find, pair  # noqa: E402
from PIL import Image  # noqa: E402

BEFORE = "04e398e"  # the last commit before composition III
DPI = 300
SCALE = DPI / 72
PITCH = 14.0
# png → (characters a line, text of a line to find, lines above it, lines below it)
PLACES = {
    "c3-range.png": (14, "650,000", 1, 1),
    "c3-long-word.png": (13, "eFinancialCareers", 1, 1),
    "c3-url.png": (11, "github", 1, 2),
    "c3-mail.png": (12, "reader", 1, 1),
    "c3-postfix.png": (11, "37", 1, 2),
    "c3-exponent.png": (13, "1.4", 0, 1),
    "c3-prefix.png": (11, "$28", 0, 1),
    "c3-iteration.png": (12, "都说好", 1, 1),
    "c3-trademark.png": (11, "Excel", 0, 1),
}
# the sample page (its golden PDF at BEFORE and now): lines that begin with an opening mark
BRACKETS = ("两委”换届", "社区是党和政府", "党员责任岗”、开展")  # (found by what follows the mark)


def build_pages(source: Path, out: Path) -> dict[int, Path]:
    """The test page at each width, built by the pagesetter in `source` (its src/ first on the path)."""
    widths = sorted({chars for chars, *_ in PLACES.values()})
    script = (
        "import sys; from pathlib import Path\n"
        "from pagesetter.build import build\n"
        "from test_latin_runs_page import LATIN, CLASSES\n"
        "from test_narrow_columns import narrow_page\n"
        f"for c in {widths}:\n"
        f"    spec = narrow_page(Path({str(out)!r}) / f'p{{c}}', c, LATIN + CLASSES)\n"
        f"    build(spec, Path({str(out)!r}) / f'p{{c}}.pdf', png=False)\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(source / "src"), str(ROOT / "tests")])}
    subprocess.run([sys.executable, "-c", script], check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    return {c: out / f"p{c}.pdf" for c in widths}


def crop(pdf: Path, chars: int, needle: str, above: int, below: int):
    x, y = find(pdf, needle)
    column = (chars + 1) * 9.0  # a column and its gutter: (chars + 1) characters of 9 pt
    left = 30.0 + column * int((x - 30.0 + 4) // column)
    box = (left - 6, y - PITCH * above - 12, left + chars * 9.0 + 6, y + PITCH * below + 6)
    page = pdfium.PdfDocument(str(pdf))[0]
    image = page.render(scale=SCALE).to_pil().convert("L")
    return image.crop(tuple(round(v * SCALE) for v in box))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        old = Path(tmp) / "before-src"
        old.mkdir()
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", BEFORE, "src"], check=True,
                                 capture_output=True).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(old, filter="data")
        before = build_pages(old, Path(tmp) / "before")
        after = build_pages(ROOT, Path(tmp) / "after")
        for png, (chars, needle, above, below) in PLACES.items():
            image = pair(crop(before[chars], chars, needle, above, below),
                         crop(after[chars], chars, needle, above, below))
            buf = io.BytesIO()
            image.save(buf, "PNG", optimize=True)
            (HERE / png).write_bytes(buf.getvalue())
            print(f"{png}: {image.width}x{image.height}")
        brackets(Path(tmp))


def brackets(tmp: Path) -> None:
    """c3-brackets.png: lines of the sample page that begin with an opening mark, before and now."""
    before, after = tmp / "sample-before.pdf", ROOT / "tests" / "golden" / "jiceng-dangjian.pdf"
    before.write_bytes(subprocess.run(["git", "-C", str(ROOT), "show", f"{BEFORE}:tests/golden/jiceng-dangjian.pdf"],
                                      check=True, capture_output=True).stdout)
    pairs = [pair(sample_crop(before, needle, 1, 1, 1), sample_crop(after, needle, 1, 1, 1)) for needle in BRACKETS]
    out = Image.new("L", (max(p.width for p in pairs), sum(p.height + 8 for p in pairs)), 255)
    y = 0
    for p in pairs:
        out.paste(p.convert("L"), (0, y))
        y += p.height + 8
    buf = io.BytesIO()
    out.quantize(24).save(buf, "PNG", optimize=True)
    (HERE / "c3-brackets.png").write_bytes(buf.getvalue())
    print(f"c3-brackets.png: {out.width}x{out.height}")


if __name__ == "__main__":
    main()
