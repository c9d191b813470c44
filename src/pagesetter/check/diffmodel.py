"""The findings of `diff` as frozen dataclasses. Rectangles are (x0, top, x1, bottom) in pt from
the page's top-left corner, in the coordinates of the glyphs (MediaBox origin); `PageDiff.trim`
is the trim's top-left in those coordinates (places are reported in mm from it)."""
from __future__ import annotations

from ..records import record
from .paint import PaintChange
from .pixels import PixelDiff


@record
class TextChange:
    """Lines of A replaced by lines of B (either side may be empty). Line numbers are 1-based."""

    a_line: int
    b_line: int
    removed: tuple[str, ...]
    added: tuple[str, ...]
    edits: tuple[tuple[str, str], ...] = ()  # character-level (was, now) pairs
    bbox: tuple | None = None  # where: B's lines (A's when B has none), glyph coordinates

    @property
    def kind(self) -> str:
        return "added" if not self.removed else "removed" if not self.added else "changed"


@record
class Reflow:
    """The same text broken into lines differently."""

    a_line: int
    b_line: int
    a_lines: tuple[str, ...]
    b_lines: tuple[str, ...]
    bbox: tuple | None = None  # B's lines


@record
class Move:
    ch: str
    a: tuple[float, float]  # origin (x, baseline) in A
    b: tuple[float, float]  # origin in B
    distance: float


@record
class MoveRun:
    """Glyphs on B's lines first_line–last_line (1-based) that moved: how many, the range of their
    (dx, dy) in pt, and where they are in B. `uniform` when they all moved alike."""

    first_line: int
    last_line: int
    count: int
    dx: tuple[float, float]
    dy: tuple[float, float]
    bbox: tuple[float, float, float, float]

    @property
    def uniform(self) -> bool:
        return self.dx[0] == self.dx[1] and self.dy[0] == self.dy[1]


@record
class FontChange:
    """Glyphs set in another font (or size): how many, which characters, where the first is in B."""

    a_font: str
    b_font: str
    a_size: float
    b_size: float
    count: int
    sample: str
    at: tuple[float, float]


@record
class ColorChange:
    """Glyphs, or a shape's fill or stroke, rendered in another colour (device RGB 0–255)."""

    what: str  # "text", "path fill", "path stroke"
    a: tuple[int, int, int] | None
    b: tuple[int, int, int] | None
    count: int
    sample: str
    bbox: tuple[float, float, float, float]  # all of them
    first: tuple | None = None  # the first one's box (its place is named)


@record
class ShapeChange:
    kind: str  # path, image, …
    change: str  # added, removed, moved, line width …, picture content
    a: tuple | None
    b: tuple | None


@record
class BoxChange:
    name: str  # MediaBox, CropBox, TrimBox, BleedBox, ArtBox, Rotate
    a: tuple | int | None
    b: tuple | int | None


@record
class OrderChange:
    """Lines read in another order (the content and structure order of pagesetter's PDFs) that are
    otherwise where they were, with the same text: a block read earlier or later, nothing moved."""

    count: int  # lines read elsewhere in the order
    first: str  # the first of them
    after_a: str  # the line it followed in A ("" at the start)
    after_b: str  # … and in B
    bbox: tuple[float, float, float, float]  # the lines concerned, in B


@record
class PageDiff:
    number: int  # 1-based: B's page number (A's for a page B lacks)
    in_a: bool = True
    in_b: bool = True
    boxes: tuple[BoxChange, ...] = ()
    text: tuple[TextChange, ...] = ()
    reflows: tuple[Reflow, ...] = ()
    moved: int = 0  # glyphs moved by more than the tolerance
    largest_moves: tuple[Move, ...] = ()
    shifts: tuple[tuple[tuple[float, float], int], ...] = ()  # most common (dx, dy) among moves
    runs: tuple[MoveRun, ...] = ()
    fonts: tuple[FontChange, ...] = ()
    colors: tuple[ColorChange, ...] = ()
    shapes: tuple[ShapeChange, ...] = ()
    pixels: PixelDiff | None = None
    changed: tuple[tuple[float, float, float, float], ...] = ()  # B glyph boxes to highlight
    removed: tuple[tuple[float, float, float, float], ...] = ()  # A glyph boxes gone from B
    origin: tuple[float, float] = (0.0, 0.0)  # B's CropBox top-left in glyph coordinates
    trim: tuple[float, float] = (0.0, 0.0)  # B's TrimBox top-left in glyph coordinates
    size: tuple[float, float] = (0.0, 0.0)  # B's page size (A's if B lacks the page)
    a_number: int | None = None
    b_number: int | None = None
    cmyk: tuple[tuple, tuple] = ((), ())  # CMYK colours set only in A, only in B (when colours differ)
    moved_from: int | None = None  # A's page number when the page moved (reordered) and is otherwise equal
    paint: tuple[PaintChange, ...] = ()  # ink, colour values, overprint as the content stream sets them
    order: tuple[OrderChange, ...] = ()  # reading order changed, text and places the same

    @property
    def equal(self) -> bool:
        return (self.in_a and self.in_b and self.moved_from is None
                and not (self.boxes or self.text or self.reflows or self.moved or self.fonts
                         or self.colors or self.shapes or self.paint or self.order)
                and not (self.pixels is not None and self.pixels.exceeds))
