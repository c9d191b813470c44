"""The PNG writer: what it writes decodes to exactly the pixels given."""
import io

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


def test_png_is_deterministic():
    rows = bytes(range(256)) * 3
    assert png_bytes(rows, 16, 16, 48) == png_bytes(rows, 16, 16, 48)
