"""The resolved page spec (版式): everything in points, every reference checked.

Produced by `pagespec.load.load_spec`; read by layout. Frozen, so no stage can change what another saw.
"""
from __future__ import annotations

from dataclasses import field
from pathlib import Path

from ..records import record
from ..text.measure import Composition

CMYK = tuple[float, float, float, float]
EM_BASELINE = 0.88  # the baseline's depth below the top of a character's em box, in em


@record
class Style:
    """A text style: face role, size, tracking (em), alignment, colour, first-line indent (em)."""

    name: str
    role: str
    size: float
    tracking: float = 0.0
    align: str = "justify"  # justify | left | center | right
    color: str = "black"
    indent: float | None = None  # None: the paragraph role decides (2 em for body)
    fit_min: float | None = None  # headlines: shrink down to this size (pt) to stay on one line


@record
class Grid:
    """The page's column grid and line grid (背景格). y grows downward from the trim's top edge."""

    columns: int
    column_chars: float
    gutter_chars: float
    lines: int
    body: float  # body type size, pt
    pitch: float  # baseline to baseline, pt
    left: float  # type area's left edge from the trim's left edge, pt
    top: float  # type area's top edge from the trim's top edge, pt

    @property
    def column_width(self) -> float:
        return self.column_chars * self.body

    @property
    def gutter(self) -> float:
        return self.gutter_chars * self.body

    @property
    def width(self) -> float:
        return self.columns * self.column_width + (self.columns - 1) * self.gutter

    @property
    def height(self) -> float:
        return self.lines * self.pitch

    def col_x(self, col: int) -> float:
        """Left edge of basic column `col` (1-based)."""
        return self.left + (col - 1) * (self.column_width + self.gutter)

    def span_width(self, span: int) -> float:
        return span * self.column_width + (span - 1) * self.gutter

    def line_top(self, line: int) -> float:
        """Top of body line `line` (1-based): the line's em box sits centred in its pitch."""
        return self.top + (line - 1) * self.pitch

    def baseline(self, line: int, lines: int = 1, size: float | None = None) -> float:
        """Baseline of type of `size` (default: body) centred in `lines` body lines from `line`:
        its em box is centred in the band and the baseline sits EM_BASELINE below the box's top."""
        size = self.body if size is None else size
        return self.line_top(line) + (lines * self.pitch - size) / 2 + EM_BASELINE * size


@record
class Area:
    """A rectangle on the grid: columns col..col+span-1, body lines line..line+lines-1, with insets."""

    col: int
    span: int
    line: int
    lines: int
    inset_left: float = 0.0
    inset_right: float = 0.0

    def x(self, grid: Grid) -> float:
        return grid.col_x(self.col) + self.inset_left

    def width(self, grid: Grid) -> float:
        return grid.span_width(self.span) - self.inset_left - self.inset_right

    def top(self, grid: Grid) -> float:
        return grid.line_top(self.line)

    def height(self, grid: Grid) -> float:
        return self.lines * grid.pitch


@record
class Frame:
    """A text frame (文字框): an area a story's lines flow into, line by line."""

    id: str
    area: Area
    overlap: bool = False  # declared `overlap: true`: may overlap other frames


@record
class StorySpec:
    """An article (or a run of articles) threaded through a chain of frames (接续框)."""

    id: str
    articles: tuple[Path, ...]
    chain: tuple[str, ...]
    styles: dict = field(hash=False)  # paragraph role → style name
    heads: dict | None = field(default=None, hash=False)  # inline head element → style name
    avoid_stranded: bool = True  # 孤行: no lone first/last line of a paragraph at a frame edge
    balance: bool = False  # balance the chain's last row of frames (分栏平衡)
    copyfit: tuple[float, float] | None = None  # auto-copyfit tracking limits (em), e.g. (-0.03, 0.03)
    continues: str | None = None  # in an edition: the continuation (转版) of "<page>/<story>"
    continued_head: str | None = None  # style of the continuation's head (the headline, smaller)
    jump_style: str | None = None  # style of the jump lines (下转/上接); None: the style named "jump"
    composition: dict = field(default_factory=dict, hash=False)  # composition keys set over the page's
    flush: bool = False  # 齐底 for the last frame too: settings chosen to fill it (made-up stories)


@record
class Block:
    """Page furniture placed on the grid, of a kind (版面元素; the kinds: docs/spec.md#blocks).

    `options` is the frozen options dataclass of its kind (pagespec/kinds.py, blocks/*.py), with
    every length already in points; `wrap` is the text-wrap offset in points (None: no wrap)."""

    kind: str
    area: Area
    options: object
    wrap: float | None = None


class Spot(tuple):
    """A spot colour (专色): the tuple is its CMYK alternate (what a CMYK-only device prints), `name`
    the ink's name as the press knows it (e.g. PANTONE 186 C)."""

    name: str

    def __new__(cls, cmyk, name: str):
        spot = super().__new__(cls, cmyk)
        spot.name = name
        return spot

    def __getnewargs__(self):
        """What pickle passes to `__new__` (a page composed in an edition's process pool)."""
        return tuple(self), self.name


@record
class Output:
    """What the PDF says about itself and the press it is for (page: title, date, profile …)."""

    title: str | None = None
    paper: str = ""
    date: str | None = None  # YYYY-MM-DD
    number: int | None = None
    profile: Path | None = None  # CMYK ICC output profile
    condition: str = ""
    standard: str = "x4"
    keep_rgb: bool = False
    placeholders: bool = False


@record
class House:
    """The house style of make-up (版式规范): headline styles by rank (the lead's first; the last
    serves every lower rank), the columns a story may take, space and rules between stories."""

    heads: tuple = field(hash=False)  # per rank: head part → style name
    spans: tuple[int, int] = (1, 40)
    lead_span: tuple[int, int] = (1, 40)
    space: int = 1  # body lines between stories one above the other
    head_space: int = 1  # body lines added to a headline
    rule: float = 0.5  # pt; 0: no rules
    copyfit: tuple[float, float] = (-0.03, 0.03)
    lead: str = "left"

    def head_styles(self, rank: int) -> dict:
        """The head styles of the story of this rank (0: the lead)."""
        return self.heads[min(rank, len(self.heads) - 1)] if self.heads else {}


@record
class Makeup:
    """A page's `makeup:` (自动组版): the area left to the engine, the stories in rank order and the
    house style. `source` is what the page was loaded from (its own YAML, the edition's variables),
    so the made-up page is loaded again as an ordinary spec (layout.makeup_spec)."""

    area: Area
    order: tuple[str, ...]
    house: House
    source: tuple = field(default=(), hash=False, compare=False)  # (Located, context, allow_outside)


@record
class PageSpec:
    path: Path
    name: str
    trim: tuple[float, float]
    grid: Grid
    colors: dict = field(hash=False)
    styles: dict = field(hash=False)
    fonts: dict = field(hash=False)  # role → FaceOverride
    composition: Composition = Composition()
    frames: dict = field(default_factory=dict, hash=False)
    stories: tuple[StorySpec, ...] = ()
    blocks: tuple[Block, ...] = ()
    # (section, name or index) → (line, column) in the spec, e.g. ("blocks", 3), ("styles", "body")
    where: dict = field(default_factory=dict, hash=False, compare=False)
    allow_outside: bool = False  # file references may leave the project folder
    output: Output = Output()
    masters: tuple = field(default=(), hash=False, compare=False)  # the master files merged under it
    # file references as written where a symbolic link on the way leads elsewhere (`watch` watches
    # them beside the files they lead to: re-pointing one is an edit)
    links: tuple = field(default=(), hash=False, compare=False)
    makeup: Makeup | None = field(default=None, hash=False)  # stories the engine places (自动组版)

    def file_of(self, key: tuple) -> Path:
        """The file a named thing of `where` (e.g. ("blocks", 3)) is written in: a master's, or the spec."""
        return self.where.get(("file",) + key, self.path)
