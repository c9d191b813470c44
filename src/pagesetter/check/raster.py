"""Rasterising PDF pages for `diff` and `render`: the one pdfium wrapper lives in
`pagesetter.render.raster`; this name stays for the check stage's imports."""
from __future__ import annotations

from ..render.raster import (MAX_DPI, MAX_PIXELS, MIN_DPI, PixelCapError, Raster, check_dpi,
                             page_path, rasterise)

__all__ = ["MAX_DPI", "MAX_PIXELS", "MIN_DPI", "PixelCapError", "Raster", "check_dpi", "page_path", "rasterise"]
