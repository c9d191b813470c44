"""PNG preview of a PDF page through pdfium (pypdfium2: wheels, no system packages).

The PNG is written here rather than through Pillow: unfiltered rows deflated at level 1 encode
a broadsheet preview in about half Pillow's time, and the file is smaller (flat newspaper pages
compress well without PNG's row filters). The bytes depend only on the rendered pixels.
"""
from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pypdfium2 as pdfium


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bytes(rgb: bytes, width: int, height: int, stride: int) -> bytes:
    """An 8-bit RGB PNG of `height` rows of `stride` bytes (the first width × 3 of each used)."""
    row = width * 3
    raw = b"".join(b"\x00" + rgb[y * stride:y * stride + row] for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(raw, 1))
            + _chunk(b"IEND", b""))


def render_png(pdf: Path, png: Path, dpi: float = 100, page: int = 0) -> Path:
    Path(png).write_bytes(png_of(str(pdf), dpi, page))
    return png


def png_of(pdf, dpi: float = 100, page: int = 0) -> bytes:
    """PNG bytes of one page of a PDF (a path, or the PDF's bytes)."""
    doc = pdfium.PdfDocument(pdf)
    try:
        bitmap = doc[page].render(scale=dpi / 72, rev_byteorder=True)  # RGB byte order
        if bitmap.n_channels == 3:
            data = png_bytes(bytes(bitmap.buffer), bitmap.width, bitmap.height, bitmap.stride)
        else:  # a page with transparency comes back with alpha: flatten it through Pillow
            image = bitmap.to_pil().convert("RGB")
            data = png_bytes(image.tobytes(), image.width, image.height, image.width * 3)
    finally:
        doc.close()
    return data
