"""The PNG writer: what it writes decodes to exactly the pixels given."""
import io
import os
import subprocess
import sys

from PIL import Image

from pagesetter.render.png import png_bytes


def test_png_round_trip_with_row_padding():
    width, height, stride = 3, 2, 12  # rows padded to 12 bytes, as pdfium's bitmaps are
    pixels = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (10, 20, 30), (40, 50, 60), (70, 80, 90)]
    rows = b""
    for y in range(height):
        row = b"".join(bytes(p) for p in pixels[y * width:(y + 1) * width])
        rows += row + b"\xee" * (stride - len(row))
    image = Image.open(io.BytesIO(png_bytes(rows, width, height, stride)))
    assert image.mode == "RGB" and image.size == (width, height)
    assert [image.getpixel((x, y)) for y in range(height) for x in range(width)] == pixels


def test_png_is_deterministic_across_processes():
    """The same pixels give the same PNG bytes in another process under another hash seed."""
    rows = bytes(range(256)) * 3
    here = png_bytes(rows, 16, 16, 48)
    code = ("import sys; from pagesetter.render.png import png_bytes; "
            "sys.stdout.buffer.write(png_bytes(bytes(range(256)) * 3, 16, 16, 48))")
    for seed in ("1", "4242"):
        other = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True,
                               env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        assert other == here
    assert Image.open(io.BytesIO(here)).size == (16, 16)


def test_image_slot_draws_the_picture_fitted_and_clipped(tmp_path):
    """A picture covers its slot (scaled to fill, centred, the overflow cropped) and stays inside it;
    without a file the slot is a placeholder, not the picture."""
    import pypdfium2

    from pagesetter.build import build
    from specs import SPEC, project, spec_with

    picture = Image.new("RGB", (100, 100), (230, 20, 20))  # square: cropped top and bottom in a wide slot
    for x in range(100):
        for y in range(45, 55):
            picture.putpixel((x, y), (20, 20, 230))  # a blue band through the middle
    block = "  - {kind: image, file: ../articles/p.png, at: {col: 1, span: 2, line: 10, lines: 4}}\n"
    spec = spec_with("  f1: {col: 1, line: 4, lines: 17}", "  f1: {col: 1, line: 4, lines: 5}", SPEC) + block
    path = project(tmp_path, spec)
    picture.save(tmp_path / "articles" / "p.png")
    out = tmp_path / "o.pdf"
    build(path, out, png=False)
    page = pypdfium2.PdfDocument(str(out))[0].render(scale=2).to_pil().convert("RGB")
    from pagesetter.pagespec.load import load_spec
    s = load_spec(path)
    g = s.grid
    x0, x1 = g.col_x(1) * 2, (g.col_x(1) + g.span_width(2)) * 2
    top, bottom = g.line_top(10) * 2, (g.line_top(10) + 4 * g.pitch) * 2
    mid = ((x0 + x1) / 2, (top + bottom) / 2)
    # RGB goes to the press's CMYK (sRGB blue is out of a press's gamut: duller, still blue)
    assert page.getpixel(mid)[2] > 140 and page.getpixel(mid)[0] < 60  # the blue band, centred
    assert page.getpixel((mid[0], top + 4))[0] > 200  # red above it, inside the slot
    assert page.getpixel((mid[0], top - 6)) == (255, 255, 255)  # nothing drawn above the slot
    assert page.getpixel((x1 + 6, mid[1])) == (255, 255, 255)  # nor beside it
