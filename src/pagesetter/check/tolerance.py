"""The one tolerance model of every comparison: PDF diff, layout dump and pixels.

    Tolerance(position=0.01, color=0.02, pixel_fraction=0.0)

- `position` (pt): glyph origins, shape boxes, page boxes and dump coordinates may differ by this
  much; in pixels it becomes a neighbourhood of `position × dpi / 72` px (rounded up) inside which a
  pixel may find its match, so sub-tolerance drift passes the pixel check too;
- `color` (0–1, a fraction of one channel): CMYK values in the dump, RGB channels of glyphs and
  shapes in the PDF, and each pixel channel (× 255) may differ by this much. A change of 0.3 in one
  CMYK channel moves the rendered RGB by far more (about 0.25 of a channel), so it always shows;
- `pixel_fraction` (0–1): the share of the page's pixels allowed to differ beyond the above;
- `cmyk` (0–1): how far colour values as written (the dump's CMYK, a pagesetter PDF's content
  stream) may differ: exact (0) by default. They are the spec's own numbers, so a 2 % change in one
  ink is a change, even where its rendered RGB moves by no more than the colour tolerance.
"""
from __future__ import annotations

import math

from ..records import record

DEFAULT_POSITION = 0.01  # pt
DEFAULT_COLOR = 0.02  # of a channel: 5/255
DEFAULT_DPI = 72  # the pixel comparison's resolution: goldens and `pagesetter diff` alike
SUBPIXEL = 0.05  # px: a position tolerance under this compares pixels exactly, in place


@record
class Tolerance:
    position: float = DEFAULT_POSITION
    color: float = DEFAULT_COLOR
    pixel_fraction: float = 0.0
    cmyk: float = 0.0

    def __post_init__(self):
        if self.position < 0:
            raise ValueError("the position tolerance must not be negative")
        if not 0 <= self.color <= 1:
            raise ValueError("the colour tolerance is a fraction of a channel, 0–1")
        if not 0 <= self.pixel_fraction <= 1:
            raise ValueError("the pixel threshold is a fraction of the page's pixels, 0–1")
        if not 0 <= self.cmyk <= 1:
            raise ValueError("the CMYK tolerance is a fraction of one ink, 0–1")

    @property
    def pixel_level(self) -> int:
        """A pixel differs when one of its channels differs by more than this (of 255)."""
        return int(self.color * 255)

    def pixel_radius(self, dpi: float) -> int:
        """How far (px) a pixel may look for its match at `dpi`."""
        px = self.position * dpi / 72
        return 0 if px < SUBPIXEL else math.ceil(px)

    def rgb_differs(self, a, b) -> bool:
        if a is None or b is None:
            return a != b
        return max(abs(x - y) for x, y in zip(a, b)) > self.color * 255

    def values_differ(self, a, b) -> bool:
        """CMYK (or any 0–1) values as written: within `cmyk` (exact by default)."""
        return len(a) != len(b) or any(abs(x - y) > self.cmyk + 1e-9 for x, y in zip(a, b))

    def describe(self) -> str:
        cmyk = "exact" if self.cmyk == 0 else f"{self.cmyk:g}"
        return (f"tolerance {self.position:g} pt, colour {self.color:g} (CMYK {cmyk}), "
                f"pixel threshold {self.pixel_fraction:g}")
