#!/usr/bin/env python3
"""Render the before/after crops of docs/composition.md §16 (display lines by sense, widows, long
marks at a line start): the test pages of tests/test_display_page.py and tests/test_widows_page.py
set by pagesetter at commit BEFORE (its source read with `git archive`; the head markers `|` and
U+2060, which it does not know, taken out of the text) and as it is now, at 300 dpi, side by
side — before left, after right.

    python docs/composition/make_display.py      # rewrites docs/composition/c3-display-*.png …

Deterministic: same PDFs, same PNGs.
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
from make_before_after import pair  # noqa: E402

BEFORE = "f8fe565"  # main before display lines by sense, widow control and the long-mark rule
DPI = 300
SCALE = DPI / 72
# png → (page maker, characters a line, columns to show (first, last), lines from the top)
PLACES = {
    "c3-display-12.png": ("display", 12, (1, 4), 42),
    "c3-display-10.png": ("display", 10, (1, 4), 42),
    "c3-widow.png": ("widows", 12, (1, 2), 26),
    "c3-ellipsis.png": ("display", 14, (3, 3), 10),
}
MAKERS = {
    "display": "from test_display_page import display_page as make\n",
    "widows": ("from test_narrow_columns import narrow_page, real_paragraphs, CRAFTED\n"
               "def make(folder, chars):\n"
               "    real = real_paragraphs()\n"
               "    return narrow_page(folder, chars, CRAFTED[:3] + real[4:9] + CRAFTED[3:] + real[9:13])\n"),
}


def build_pages(source: Path, out: Path, strip: bool) -> dict[tuple[str, int], Path]:
    """Each test page the crops need, built by the pagesetter in `source` (its src/ first on the path)."""
    wanted = sorted({(maker, chars) for maker, chars, *_ in PLACES.values()})
    pdfs = {}
    for maker, chars in wanted:
        folder, pdf = out / f"{maker}{chars}", out / f"{maker}{chars}.pdf"
        script = (MAKERS[maker] + "import sys; from pathlib import Path\nfrom pagesetter.build import build\n"
                  f"spec = make(Path({str(folder)!r}), {chars})\n"
                  + ("for f in spec.parent.glob('*.md'):\n"
                     "    f.write_text(f.read_text().replace('|', '').replace('\\u2060', ''))\n" if strip else "")
                  + f"build(spec, Path({str(pdf)!r}), png=False)\n")
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(source / "src"), str(ROOT / "tests")])}
        subprocess.run([sys.executable, "-c", script], check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
        pdfs[(maker, chars)] = pdf
    return pdfs


def crop(pdf: Path, chars: int, columns: tuple[int, int], lines: int):
    """Columns first..last of a 4-column test page (20 pt from the top, 30 pt left margin)."""
    column = (chars + 1) * 9.0
    left, right = 30.0 + column * (columns[0] - 1), 30.0 + column * (columns[1] - 1) + chars * 9.0
    box = (left - 6, 8, right + 6, 20 + 14 * lines + 8)
    page = pdfium.PdfDocument(str(pdf))[0]
    return page.render(scale=SCALE).to_pil().convert("L").crop(tuple(round(v * SCALE) for v in box))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        old = Path(tmp) / "before-src"
        old.mkdir()
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", BEFORE, "src"], check=True,
                                 capture_output=True).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(old, filter="data")
        before = build_pages(old, Path(tmp) / "before", strip=True)
        after = build_pages(ROOT, Path(tmp) / "after", strip=False)
        for png, (maker, chars, columns, lines) in PLACES.items():
            image = pair(crop(before[(maker, chars)], chars, columns, lines),
                         crop(after[(maker, chars)], chars, columns, lines))
            buf = io.BytesIO()
            image.quantize(24).save(buf, "PNG", optimize=True)
            (HERE / png).write_bytes(buf.getvalue())
            print(f"{png}: {image.width}x{image.height}")


if __name__ == "__main__":
    main()
