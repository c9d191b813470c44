"""PNG preview of a PDF page through pdfium (pypdfium2: wheels, no system packages)."""
from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium


def render_png(pdf: Path, png: Path, dpi: float = 100, page: int = 0) -> Path:
    doc = pdfium.PdfDocument(str(pdf))
    try:
        bitmap = doc[page].render(scale=dpi / 72)
        bitmap.to_pil().save(png, format="PNG", compress_level=1)
    finally:
        doc.close()
    return png
