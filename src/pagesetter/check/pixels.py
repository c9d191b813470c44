"""Pixel comparison of two page images, per channel, with the tolerance model's slack.

A pixel differs when some channel differs by more than `Tolerance.pixel_level` (exact comparison
in place). With a positional reach (`Tolerance.pixel_radius(dpi)` > 0 px) a pixel differs only when
B's value lies outside the range A takes within that reach *and* A's value outside B's range: a
sub-tolerance drift, which moves anti-aliased edges between neighbouring values, passes; a mark
that appeared or went away (wider than the reach) does not — and text, rules and boxes are
compared exactly as well, from the PDF's own positions.
Differing pixels are gathered on a grid of CELL px into connected regions (pt, glyph coordinates).
"""
from __future__ import annotations

import math

from ..records import record

CELL = 8  # px: pixel differences are gathered into regions on a grid of cells this size
MAX_REGIONS = 500


@record
class PixelDiff:
    dpi: float
    differing: int
    total: int
    threshold: float
    regions: tuple[tuple[float, float, float, float], ...]  # pt, glyph coordinates
    level: int = 0  # per-channel slack (of 255) used
    radius: int = 0  # px of positional slack used

    @property
    def fraction(self) -> float:
        return self.differing / self.total if self.total else 0.0

    @property
    def exceeds(self) -> bool:
        return self.fraction > self.threshold


def _padded(img, size):
    from PIL import Image

    if img.size == size:
        return img if img.mode == "RGB" else img.convert("RGB")
    canvas = Image.new("RGB", size, "white")
    canvas.paste(img, (0, 0))
    return canvas


def _outside(a, b, radius: int, level: int):
    """Per channel: how far B lies outside A's range around each pixel, beyond `level` → mask."""
    from PIL import ImageChops, ImageFilter

    if radius:
        lo = a.filter(ImageFilter.MinFilter(2 * radius + 1))
        hi = a.filter(ImageFilter.MaxFilter(2 * radius + 1))
        over = ImageChops.lighter(ImageChops.subtract(b, hi), ImageChops.subtract(lo, b))
    else:
        over = ImageChops.difference(a, b)
    r, g, bl = over.split()
    return ImageChops.lighter(ImageChops.lighter(r, g), bl).point(lambda v: 255 if v > level else 0)


def pixel_diff(img_a, img_b, dpi: float, threshold: float, origin=(0.0, 0.0), *, level: int = 5,
               radius: int = 0) -> tuple[PixelDiff, object]:
    """Compare two page images (PIL); returns the PixelDiff and the difference mask (mode L)."""
    from PIL import ImageChops

    size = (max(img_a.width, img_b.width), max(img_a.height, img_b.height))
    a, b = _padded(img_a, size), _padded(img_b, size)
    mask = _outside(a, b, radius, level)
    if radius:  # a shift within the reach may darken a pixel beyond its neighbours in one direction only
        mask = ImageChops.darker(mask, _outside(b, a, radius, level))
    differing = mask.histogram()[255]
    regions = _regions(mask, dpi, origin) if differing else ()
    return PixelDiff(dpi, differing, size[0] * size[1], threshold, regions, level, radius), mask


def _cells(mask) -> tuple[set, int, int]:
    cols, rows = math.ceil(mask.width / CELL), math.ceil(mask.height / CELL)
    cells = mask.reduce(CELL) if mask.width % CELL == 0 and mask.height % CELL == 0 else \
        mask.crop((0, 0, cols * CELL, rows * CELL)).reduce(CELL)
    return {(i % cols, i // cols) for i, v in enumerate(cells.tobytes()) if v}, cols, rows


def _regions(mask, dpi: float, origin) -> tuple:
    """Connected groups of differing CELL×CELL cells, as rectangles in pt (largest first)."""
    on, _cols, _rows = _cells(mask)
    boxes = []
    while on:
        start = on.pop()
        stack, x0, y0, x1, y1 = [start], start[0], start[1], start[0], start[1]
        while stack:
            cx, cy = stack.pop()
            x0, y0, x1, y1 = min(x0, cx), min(y0, cy), max(x1, cx), max(y1, cy)
            for dx in (-1, 0, 1):
                for dy in (-1, 0, 1):
                    n = (cx + dx, cy + dy)
                    if n in on:
                        on.remove(n)
                        stack.append(n)
        boxes.append((x0, y0, x1 + 1, y1 + 1))
    px = 72 / dpi
    out = [(round(x0 * CELL * px + origin[0], 2), round(y0 * CELL * px + origin[1], 2),
            round(min(x1 * CELL, mask.width) * px + origin[0], 2),
            round(min(y1 * CELL, mask.height) * px + origin[1], 2)) for x0, y0, x1, y1 in boxes]
    out.sort(key=lambda r: (-(r[2] - r[0]) * (r[3] - r[1]), r[1], r[0]))
    return tuple(out[:MAX_REGIONS])
