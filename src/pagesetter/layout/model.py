"""The composed page (PageLayout): a plain list of placed things, knowing nothing of PDF.

Coordinates are points from the trim's top-left corner, y downward; a text line's y is its baseline.
Items are in drawing order, which is reading order.

Every item says what it is by calling its method of a `Pen` (`item.paint(pen)`): the PDF writer
(render/pdf.py), the dump (layout/dump.py), the page map of `diff` (check/where.py) and the build's
picture checks read items this way and never ask an item's class. An item of a new shape (a
table's cell grid) paints itself as the text lines, rules, boxes and pictures it is made of.
"""
from __future__ import annotations

from dataclasses import field
from pathlib import Path

from ..records import record
from ..text.justify import GlyphRun, PlacedGlyph

COORD_DIGITS = 4  # layout coordinates are rounded to 0.0001 pt, so equal inputs give equal PDFs


def snap(v: float) -> float:
    """A layout coordinate, rounded to COORD_DIGITS places (deterministic output)."""
    return round(v, COORD_DIGITS)



def is_spot(cmyk) -> bool:
    """Is the colour a spot colour (a named ink, 专色, `pagespec.model.Spot`) rather than process CMYK?"""
    return bool(getattr(cmyk, "name", None))


def overprints(cmyk) -> bool:
    """Does ink in this colour print over what is under it? 100 % K process black does (text,
    strokes and rules over tints, no knock-out); every other colour, a spot or a fill knocks out."""
    return tuple(cmyk) == (0, 0, 0, 1) and not is_spot(cmyk)

class Pen:
    """What draws or reads a page's items: each item calls the method of what it is (`paint`).
    Every method does nothing here, so a reader overrides only what it reads."""

    def text(self, line: "TextLine") -> None:
        """A line of set text (a run of glyphs on a baseline)."""

    def rect(self, rect: "Rect") -> None:
        """A box: its border and/or fill (底纹)."""

    def rule(self, rule: "Rule") -> None:
        """A line (线) between two points."""

    def image(self, image: "Image") -> None:
        """A picture slot: the picture, or a placeholder."""


@record
class TextLine:
    x: float
    y: float  # baseline
    glyphs: GlyphRun | tuple[PlacedGlyph, ...]  # (text.justify: GlyphRun.of reads either)
    color: str
    frame: str = ""  # the frame or block the line belongs to (for dumps and reports)
    width: float | None = None  # pt from x to where the set glyphs end (the line's measure when justified)
    story: str = ""  # the story the line belongs to (flowed text and its headline), for tags/threads
    tag: str = ""  # what the line is part of, as PDF structure says it: H1, H2, H3, P (tagged PDF)
    para: int = 0  # which paragraph (or head part) of its story: lines sharing it form one element
    article: int = 0  # which article (篇) of its story: a sidebar's reports are articles of one story
    # the structure elements the line's element sits in, outermost first, each "Tag" or "Tag#key"
    # (the key tells siblings apart): ("Table#t", "TR#2") for a cell's line tagged TD (render/structure.py)
    parents: tuple[str, ...] = ()

    def paint(self, pen: Pen) -> None:
        pen.text(self)


@record
class Rect:
    x: float
    y: float
    w: float
    h: float
    stroke: str | None
    fill: str | None
    width: float = 0.5
    tint: float = 1.0  # the fill at this share of its colour (底纹: 0.1 = a 10 % tint)

    def paint(self, pen: Pen) -> None:
        pen.rect(self)


@record
class Rule:
    x0: float
    y0: float
    x1: float
    y1: float
    color: str
    width: float

    def paint(self, pen: Pen) -> None:
        pen.rule(self)


@record
class Image:
    """An image slot: the picture placed in the rectangle (its `view` filling it, else cropped to cover it),
    or a placeholder when file is None."""

    x: float
    y: float
    w: float
    h: float
    file: Path | None
    label: str
    view: tuple[float, float, float, float] | None = None  # the part shown, fractions of the upright
    # picture (x0, y0, x1, y1), filling the rectangle; None: the centred crop that covers it (blocks/_picturefit.py)

    def paint(self, pen: Pen) -> None:
        pen.image(self)


class _Pictures(Pen):
    def __init__(self) -> None:
        self.found: list[Image] = []

    def image(self, image: Image) -> None:
        self.found.append(image)


def placed_images(items) -> list[Image]:
    """The picture slots among items, in drawing order (placeholders too)."""
    pen = _Pictures()
    for item in items:
        item.paint(pen)
    return pen.found


def pictures(layout: "PageLayout") -> list[Path]:
    """The picture files a page places, in drawing order."""
    return [im.file for im in placed_images(layout.items) if im.file is not None]


@record
class StoryReport:
    """Copyfit figures for one story: lines set, lines available, lines over (overset) or under."""

    id: str
    lines_set: int
    lines_available: int
    adjustment: str | None = None  # what auto-copyfit changed, if anything
    overfull: int = 0  # lines wider than their frame (an unbreakable unit longer than the measure)
    overset_text: str | None = None  # the first characters that did not fit
    overset_at: str | None = None  # their article file:line
    jump: str | None = None  # the jump line set for the story in an edition, e.g. （下转第二版）
    balanced: int | None = None  # with balance: true, the lines its last row of frames was shortened to

    @property
    def overset(self) -> int:
        return max(0, self.lines_set - self.lines_available)

    @property
    def underset(self) -> int:
        return max(0, self.lines_available - self.lines_set)


@record
class PageLayout:
    name: str
    trim: tuple[float, float]
    items: tuple
    colors: dict
    stories: tuple[StoryReport, ...]
    frames: int
    # story id → the story it is part of, as "<page>/<story>": its own, or for a continuation (转版)
    # the story it continues, so that a story jumped across pages is one article in the PDF
    story_keys: dict = field(default_factory=dict, hash=False, compare=False)
    # (story id, article index) → (the article's file, as the source story names it; its whole
    # headline, 标题): one article however many pages it runs over, titled in the outline and threads
    articles: dict = field(default_factory=dict, hash=False, compare=False)
    placeholders: bool = False  # empty slots shown on screen (page.placeholders); they never print
