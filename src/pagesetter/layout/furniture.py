"""What a block kind's layout gets and gives (blocks/*.py): the page it is laid out on (`Page`),
its result (`Laid`), and the setter they share — parts stacked in whole body lines (占行), as
headlines (引题/主题/副题) and text blocks are set."""
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
    reported, never drawn), and stories to flow right after it (a headline's story)."""

    items: tuple = ()
    overset: int = 0
    then_flow: tuple[str, ...] = ()


def stack(page: Page, parts, area: Area, tag: str, story: str = "", structure=()) -> tuple[list, int]:
    """Set (text, style) parts one under another in whole body lines, centred in the area;
    returns the lines and how many body lines did not fit. `structure` names each part's
    element in a tagged PDF (H1, P; default P); `story` is the story the lines head."""
    grid, ts = page.spec.grid, page.ts
    width = area.width(grid)
    kinds = list(structure) + ["P"] * (len(parts) - len(structure))
    set_lines = [(line, st, (i + 1, kind)) for i, ((t, st), kind) in enumerate(zip(parts, kinds)) if t
                 for line in ts.head_lines(t, st, width)]
    total = sum(band(set_size(line), grid) for line, _, _ in set_lines)
    over = max(0, total - area.lines)
    line_no = area.line + max(0, area.lines - total) // 2
    items = []
    last_line = area.line + area.lines - 1
    for set_line, st, (para, kind) in set_lines:
        size = set_size(set_line)
        n = band(size, grid)
        if line_no + n - 1 > last_line:
            break  # overset: reported, never drawn over what lies below the block
        y = grid.baseline(line_no, n, size)
        items.append(TextLine(snap(area.x(grid)), snap(y), set_line.glyphs, st.color, tag, set_line.extent,
                              story=story, tag=kind, para=para))
        line_no += n
    return items, over
