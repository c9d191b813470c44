"""What a block kind's layout gets and gives (blocks/*.py): the page it is laid out on (`Page`),
its result (`Laid`, with a remainder that continues in the next area of its chain), and the setter
they share — `text_at`: parts stacked in whole body lines (占行) at any x, measure and line, as
headlines (引题/主题/副题) and text blocks are set (`stack`: centred in an area)."""
from __future__ import annotations

from ..records import record
from ..pagespec.model import Area, PageSpec
from ..story.model import Story
from .flow import band, set_size
from .model import Rect, TextLine, snap
from .setting import Typesetter

def area_rect(page: "Page", area: Area, stroke: str | None, fill: str | None, width: float,
              tint: float) -> Rect:
    """A rectangle covering the area on the grid, snapped: a box's border and fill, a text block's fill."""
    grid = page.spec.grid
    return Rect(snap(area.x(grid)), snap(area.top(grid)), snap(area.width(grid)), snap(area.height(grid)),
                stroke, fill, width, tint)


@record
class Page:
    """The page a block is laid out on: the spec, the typesetter (faces and composition rules)
    and the parsed articles (path → Story)."""

    spec: PageSpec
    ts: Typesetter
    stories: dict

    def first_article(self, story_id: str) -> Story:
        """The first article of a story of the spec (whose front matter a headline sets)."""
        story = next(s for s in self.spec.stories if s.id == story_id)
        return self.stories[story.articles[0]]


@record
class Laid:
    """A laid-out block: its items (drawing order), the lines that did not fit its area (overset,
    reported, never drawn), stories to flow right after it (a headline's story), and what did not
    fit, handed on (`rest`, 续): the composer gives it to the kind's `resume` in the next area of
    its `areas_after` (the frames of its chain); when there is none, `overset` is what is over.
    A remainder is the kind's own (a table's rows not yet set), so any kind can break across frames."""

    items: tuple = ()
    overset: int = 0
    then_flow: tuple[str, ...] = ()
    rest: object = None


def stack(page: Page, parts, area: Area, tag: str, story: str = "", structure=()) -> tuple[list, int]:
    """Set (text, style) parts one under another in whole body lines, centred in the area;
    returns the lines and how many body lines did not fit. `structure` names each part's
    element in a tagged PDF (H1, P; default P); `story` is the story the lines head."""
    grid = page.spec.grid
    placed = text_at(page, parts, area.x(grid), area.width(grid), area.line, area.lines, tag, story, structure,
                     centre=True)
    return placed.items, placed.over


@record
class Placed:
    """Text set by `text_at`: its lines (layout items), the body lines they take and the body
    lines that did not fit (overset, never drawn)."""

    items: list
    used: int
    over: int


def text_at(page: Page, parts, x: float, width: float, line: int, lines: int, frame: str, story: str = "",
            structure=(), parents: tuple[str, ...] = (), centre: bool = False, para: int = 1) -> Placed:
    """Set (text, style) parts one under another at `x` in the measure `width`, from body line
    `line` (1 = the type area's first) in at most `lines` body lines, each part in whole body
    lines (占行) — the setter every kind shares, so a kind can build its parts as other kinds
    set theirs (a pull quote's quote and attribution, a table's cells). `centre`: the parts
    centred in the `lines`; `structure` names each part's element (H1, P, TD; default P) and
    `parents` the elements they sit in (render/structure.py), `para` numbers the first part's
    element (each part is one: a table's cells of one row take 1, 2 …); `frame` and `story` go on
    each line."""
    grid, ts = page.spec.grid, page.ts
    kinds = list(structure) + ["P"] * (len(parts) - len(structure))
    set_lines = [(set_line, st, (i + para, kind)) for i, ((t, st), kind) in enumerate(zip(parts, kinds)) if t
                 for set_line in ts.head_lines(t, st, width)]
    total = sum(band(set_size(set_line), grid) for set_line, _, _ in set_lines)
    over = max(0, total - lines)
    line_no = line + (max(0, lines - total) // 2 if centre else 0)
    items = []
    last_line = line + lines - 1
    for set_line, st, (para, kind) in set_lines:
        size = set_size(set_line)
        n = band(size, grid)
        if line_no + n - 1 > last_line:
            break  # overset: reported, never drawn over what lies below
        y = grid.baseline(line_no, n, size)
        items.append(TextLine(snap(x), snap(y), set_line.glyphs, st.color, frame, set_line.extent,
                              story=story, tag=kind, para=para, parents=parents))
        line_no += n
    return Placed(items, min(total, lines), over)
