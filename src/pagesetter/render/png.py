"""PNG preview of a PDF page, rasterised by `render.raster` (the one pdfium wrapper).

The PNG is written here rather than through Pillow: unfiltered rows deflated at level 1 encode
a broadsheet preview in about half Pillow's time, and the file is smaller (flat newspaper pages
compress well without PNG's row filters). The bytes depend only on the rendered pixels.
"""
from __future__ import annotations

import struct
import zlib
from pathlib import Path

from ..errors import Problem
from .raster import Raster, fitting_dpi, pixel_cap_problem


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bytes(rgb: bytes, width: int, height: int, stride: int) -> bytes:
    """An 8-bit RGB PNG of `height` rows of `stride` bytes (the first width × 3 of each used)."""
    row, view = width * 3, memoryview(rgb)
    deflate, parts = zlib.compressobj(1), []
    for y in range(height):  # row by row: no second copy of the page's pixels in memory
        parts.append(deflate.compress(b"\x00"))
        parts.append(deflate.compress(view[y * stride:y * stride + row]))
    parts.append(deflate.flush())
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", b"".join(parts))
            + _chunk(b"IEND", b""))


def preview(pdf: Path | bytes, dpi: float = 100, page: int = 0,
            name: str | None = None) -> tuple[bytes, Problem | None]:
    """The PNG bytes of one page, and a warning if the page is too large for `dpi` (the preview is
    then made at the largest dpi that fits the pixel cap)."""
    warning = None
    with Raster(pdf, name) as r:
        width, height = r.size(page)
        problem = pixel_cap_problem(width, height, dpi, r.label, page + 1)
        if problem is not None:
            dpi = fitting_dpi(width, height)
            warning = Problem(f"{problem.message}; the PNG preview is made at {dpi} dpi instead", r.label,
                              fix=f"pass --dpi {dpi} or less, or --no-png")
        data = page_png(r, page, dpi)[0]
    return data, warning


def page_png(raster: Raster, page: int, dpi: float) -> tuple[bytes, int, int]:
    """PNG bytes, width and height of one page of an open Raster (PixelCapError if too large)."""
    bitmap = raster.bitmap(page, dpi)
    if bitmap.n_channels == 3:
        return png_bytes(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride), bitmap.width, bitmap.height
    image = bitmap.to_pil().convert("RGB")  # a page with transparency comes back with alpha: flatten it
    return png_bytes(image.tobytes(), image.width, image.height, image.width * 3), image.width, image.height
