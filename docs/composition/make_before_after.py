#!/usr/bin/env python3
"""Render the before/after pictures of docs/composition.md ("Composition II"): the same places of
the sample page as set before the column cost model (the golden PDF at commit BEFORE, read with
`git show`) and as set now (a fresh `pagesetter build`), side by side — before left, after right.

    python docs/composition/make_before_after.py      # rewrites docs/composition/ba-*.png

Each place is found by the text of a line in each PDF (pdfplumber), so the crops follow the text
wherever the new setting moved it. Deterministic: same PDFs, same PNGs.
"""
from __future__ import annotations

import io
import subprocess
import sys
import tempfile
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
BEFORE = "c4a3187"  # the last commit before composition II
DPI = 220
SCALE = DPI / 72
PLACES = {  # png → (text of a line to find, lines above it, lines below it, columns to show)
    "ba-han-latin.png": ("累计选派25.5万", 1, 1, 1),
    "ba-percent.png": ("由56%", 1, 1, 1),
    "ba-dash.png": ("——新街口", 1, 1, 1),  # 书宋 (Noto Serif CJK): its — is 0.89 em
    "ba-column-foot.png": ("@53.26,1439.46", 4, 0, 2),  # the main story's first column foot (line 99)
}
PITCH, COLUMN = 14.0, 126.0  # the sample page's line pitch and column step (13 + 1 characters of 9 pt)


def find(pdf: Path, needle: str) -> tuple[float, float]:
    """(x, baseline) of the first line (glyphs on one baseline, in content order) holding `needle`,
    or the place `@x,baseline` itself."""
    if needle.startswith("@"):
        x, y = needle[1:].split(",")
        return float(x), float(y)
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[0]
        rows: dict[float, list] = {}
        for c in page.chars:
            rows.setdefault(round(float(c["matrix"][5]), 1), []).append(c)
        for base, chars in rows.items():
            text = "".join(c["text"] for c in chars)
            at = text.find(needle)
            if at >= 0:
                return float(chars[at]["x0"]), float(page.height) - base
    raise SystemExit(f"{pdf.name}: no line holds {needle!r}")


def crop(pdf: Path, needle: str, above: int, below: int, columns: int) -> Image.Image:
    x, y = find(pdf, needle)
    left = 53.26 + COLUMN * int((x - 53.26 + 4) // COLUMN)  # the column the line starts in
    box = (left - 6, y - PITCH * above - 12, left + COLUMN * columns - 3, y + PITCH * below + 6)
    page = pdfium.PdfDocument(str(pdf))[0]
    image = page.render(scale=SCALE).to_pil().convert("L")
    return image.crop(tuple(round(v * SCALE) for v in box))


def pair(before: Image.Image, after: Image.Image) -> Image.Image:
    gap, label = 40, 28
    out = Image.new("L", (before.width + after.width + gap, max(before.height, after.height) + label), 255)
    out.paste(before, (0, label))
    out.paste(after, (before.width + gap, label))
    draw = ImageDraw.Draw(out)
    draw.text((4, 4), "before", fill=100)
    draw.text((before.width + gap + 4, 4), "after", fill=100)
    return out.quantize(24)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        before = Path(tmp) / "before.pdf"
        before.write_bytes(subprocess.run(["git", "-C", str(ROOT), "show", f"{BEFORE}:tests/golden/jiceng-dangjian.pdf"],
                                          check=True, capture_output=True).stdout)
        after = Path(tmp) / "after.pdf"
        exe = Path(sys.executable).with_name("pagesetter")
        subprocess.run([str(exe), "build", str(ROOT / "layouts" / "jiceng-dangjian.yaml"), "-o", str(after),
                        "--no-png"], check=True, stdout=subprocess.DEVNULL)
        for png, place in PLACES.items():
            image = pair(crop(before, *place), crop(after, *place))
            buf = io.BytesIO()
            image.save(buf, "PNG", optimize=True)
            (HERE / png).write_bytes(buf.getvalue())
            print(f"{png}: {image.width}x{image.height}")


if __name__ == "__main__":
    main()
