"""Setting a table (表格排版): column widths from the cells (auto) or the spec, figures aligned on
the decimal point (小数点对齐), rows stacked in whole body lines (each row as many lines as its
tallest cell, so the page keeps 齐底), rules at the lines' edges, and the rows that do not fit
handed on (`Rest`) to the next frame of the table's chain with the header set again."""
from __future__ import annotations

import math
from dataclasses import replace
from itertools import pairwise
from typing import Any

from ..errors import PagesetterError, Problem
from ..layout.furniture import Laid, Page, text_at
from ..layout.model import Rule, TextLine, snap
from ..pagespec.model import Area, Style
from ..records import record
from ..text.justify import PlacedGlyph
from ._table_values import NO_FIGURE, Cell, is_number

UNBOUNDED = 10 ** 6  # body lines: room enough to measure a row's height


@record
class Rest:
    """The body rows (by their index in `rows`) not yet set: a table's remainder (续表)."""

    rows: tuple[int, ...]
    headed: bool = False  # the header was set once: where the table continues it is repeated (an artifact)


@record
class Column:
    """One column as set: its x, its width (padding included), whether it holds figures, and the
    widths of its figures' whole and decimal parts (整数部分, 小数部分)."""

    x: float
    width: float
    number: bool
    whole: float = 0.0
    part: float = 0.0


def styles(page: Page, o: Any, agate: float) -> tuple[Style, Style]:
    """(cells' style, header's style), set flush left: the body style at 六号 unless one is named."""
    st = page.spec.styles
    cell = st[o.style] if o.style else replace(st["body"], size=agate)
    cell = replace(cell, align="left", indent=0.0)
    head = replace(st[o.head_style], align="left", indent=0.0) if o.head_style else cell
    return cell, head


def natural(page: Page, text: str, style: Style) -> float:
    """The width of text set on one line (its natural width)."""
    return page.ts.head_lines(text, style, UNBOUNDED)[0].extent if text.strip() else 0.0


def split_figure(text: str) -> tuple[str, str]:
    """A figure's whole part and its decimal part (from the point, with a % sign)."""
    t = text.strip()
    if "." in t:
        i = t.rindex(".")
        return t[:i], t[i:]
    return (t[:-1], "%") if t.endswith("%") else (t, "")


def numeric(o: Any, n: int) -> list[bool]:
    """Which columns hold figures: as declared in `types`, else where every body cell is one."""
    if o.types:
        return [t == "number" for t in o.types]
    seen: list[list[str]] = [[] for _ in range(n)]
    for row in o.rows[o.header:]:
        col = 0
        for cell in row:
            if cell.span == 1:
                seen[col].append(cell.text.strip())
            col += cell.span
    return [bool(texts) and any(is_number(t) for t in texts) and all(is_number(t) or t in NO_FIGURE for t in texts)
            for texts in seen]


def _per_column(o: Any, n: int) -> list[list[tuple[int, Cell]]]:
    """Each column's cells of span 1, with their row."""
    out: list[list[tuple[int, Cell]]] = [[] for _ in range(n)]
    for r, row in enumerate(o.rows):
        col = 0
        for cell in row:
            if cell.span == 1 and col < n:
                out[col].append((r, cell))
            col += cell.span
    return out


def measure(page: Page, o: Any, n: int, cell: Style, head: Style) -> list[tuple[float, float, float, float, bool]]:
    """Per column: (natural width, narrowest width, whole part, decimal part, number?) — text."""
    out = []
    for cells, number in zip(_per_column(o, n), numeric(o, n)):
        def width(r: int, c: Cell) -> float:
            return natural(page, c.text, head if r < o.header else cell)
        heads = max((width(r, c) for r, c in cells if r < o.header), default=0.0)
        if number:
            parts = [split_figure(c.text) for r, c in cells if r >= o.header and is_number(c.text)]
            whole = max((natural(page, w, cell) for w, _ in parts), default=0.0)
            part = max((natural(page, p, cell) for _, p in parts), default=0.0)
            nat = max(heads, whole + part)
            out.append((nat, whole + part, whole, part, True))
        else:
            nat = max((width(r, c) for r, c in cells), default=0.0)
            out.append((nat, min(nat, 2 * cell.size), 0.0, 0.0, False))
    return out


def too_wide(page: Page, block: Any, need: float, room: float) -> PagesetterError:
    """The table cannot be set in its area even with its text columns wrapped: a located error."""
    spec = page.spec
    i = next(i for i, b in enumerate(spec.blocks) if b is block)
    line, col = spec.where.get(("blocks", i), (None, None))
    return PagesetterError(Problem(
        f"table block {i + 1} needs {need:.1f}pt for its columns (its figures and headers on one line), "
        f"wider than its area ({room:.1f}pt)", spec.file_of(("blocks", i)), line, col,
        "widen the area (at: span), use a smaller style, or shorten the headers of its number columns"))


def layout_columns(page: Page, block: Any, area: Area, cell: Style, head: Style) -> list[Column]:
    """The columns' widths in this area: given ones as given, auto ones by content, sharing what is
    left (or, when the content is wider, text columns narrowed in proportion, down to 2 字)."""
    o, grid = block.options, page.spec.grid
    n = sum(c.span for c in o.rows[0])
    given = o.widths or (None,) * n
    facts = measure(page, o, n, cell, head)
    room = area.width(grid)
    pad = 2 * o.padding
    fixed = [w + pad if w is not None else None for w in given]
    auto = [i for i in range(n) if fixed[i] is None]
    want = {i: facts[i][0] + pad for i in auto}
    spare = room - sum(w for w in fixed if w is not None) - sum(want.values())
    if spare >= 0:
        widths = {i: want[i] + spare / len(auto) for i in auto} if auto else {}
    else:
        slack = {i: facts[i][0] - facts[i][1] for i in auto}
        if sum(slack.values()) < -spare - 0.01:
            raise too_wide(page, block, room - spare - sum(slack.values()), room)
        share = -spare / sum(slack.values())
        widths = {i: want[i] - slack[i] * share for i in auto}
    x, out = area.x(grid), []
    for i in range(n):
        given_w = fixed[i]
        w = given_w if given_w is not None else widths[i]
        out.append(Column(x, w, facts[i][4], facts[i][2], facts[i][3]))
        x += w
    return out


def _cell_items(page: Page, o: Any, cell: Cell, cols: list[Column], style: Style, is_head: bool, line: int,
                lines: int, where: tuple, para: int) -> tuple[list, int]:
    """A cell's lines: a figure at its decimal point, a number column's header flush right, text
    flush left (wrapped in its column); → (items, body lines it needs, or lines + 1 when over)."""
    first, span = cols[0], cols[:cell.span]
    left, right = first.x + o.padding, first.x + sum(c.width for c in span) - o.padding
    x, width = left, right - left
    text = cell.text.strip()
    if cell.span == 1 and first.number and text:
        if not is_head and is_number(text):
            whole, _ = split_figure(text)
            x = right - first.part - natural(page, whole, style)
        elif natural(page, text, style) <= width:
            x = right - natural(page, text, style)
        width = max(right - x, 1.0)
    tag, parents = ("Artifact:Pagination", ()) if where[0] is None else ("TH" if is_head else "TD", where)
    placed = text_at(page, [(text, style)], x, width, line, lines, "table", structure=(tag,), parents=parents,
                     para=para)
    return placed.items, placed.used + placed.over


def _with_fillers(page: Page, items: list, role: str) -> list:
    """The row's lines cell by cell, each followed by the spaces to the next cell on its baseline
    (drawn in that order, readers join them into one line; a cell's lines stay one element)."""
    after = {id(a): filler for a, filler in _fillers(page, items, role)}
    return [x for line in items for x in ((line, after[id(line)]) if id(line) in after else (line,))]


def _fillers(page: Page, items: list, role: str) -> list[tuple[TextLine, TextLine]]:
    """Word spaces (空格) drawn between a row's cells on each baseline, as a layout artifact: the row
    reads as one line of text, cell after cell, in any reader that rebuilds lines from glyph
    positions (pdftotext, pdfplumber, PyMuPDF) instead of as columns of loose words."""
    out: list[tuple[TextLine, TextLine]] = []
    by_y: dict[float, list] = {}
    for line in items:
        by_y.setdefault(line.y, []).append(line)
    for y, lines in by_y.items():
        lines.sort(key=lambda ln: ln.x)
        for a, b in pairwise(lines):
            start, gap = a.x + (a.width or 0.0), b.x - a.x - (a.width or 0.0)
            last = a.glyphs[-1]
            advance = page.ts.metrics_by_role[role].advance(" ") * last.size  # (in the style's face: uses)
            if gap <= 0.01 or advance <= 0:
                continue
            n = math.ceil(gap / advance)
            glyphs = tuple(PlacedGlyph(" ", role, last.size, k * gap / n) for k in range(n))
            out.append((a, TextLine(snap(start), y, glyphs, a.color, "table", gap, tag="Artifact:Layout")))
    return out


def _row(page: Page, o: Any, r: int, cols: list[Column], style: Style, line: int, lines: int,
         where: tuple) -> tuple[list, int]:
    """Row `r` set from body line `line` in at most `lines`: (its items, the body lines it takes —
    more than `lines` when it does not fit)."""
    items, height, col = [], 1, 0
    for i, cell in enumerate(o.rows[r]):
        got, need = _cell_items(page, o, cell, cols[col:], style, r < o.header, line, lines, where, i + 1)
        items += got
        height, col = max(height, need), col + cell.span
    return _with_fillers(page, items, style.role), height


def _rule(cols: list[Column], y: float, width: float, color: str) -> Rule:
    x0, x1 = cols[0].x, cols[-1].x + cols[-1].width
    return Rule(snap(x0), snap(y), snap(x1), snap(y), color, width)


def _lines_over(page: Page, o: Any, rows: tuple[int, ...], cols: list[Column], cell: Style) -> int:
    """The body lines the rows not set would take (the table's overset)."""
    return sum(_row(page, o, r, cols, cell, 1, UNBOUNDED, ("Table",))[1] for r in rows)


def set_rows(block: Any, page: Page, rest: Rest, area: Area, agate: float) -> Laid:
    """Set the header and as many of the rows left as fit in the area, with their rules; the rows
    that do not fit are the remainder (`Laid.rest`), the body lines they need the overset."""
    o, grid = block.options, page.spec.grid
    cell, head = styles(page, o, agate)
    cols = layout_columns(page, block, area, cell, head)
    table = f"Table#{block.area.col},{block.area.line}"
    line, end = area.line, area.line + area.lines
    items: list[TextLine] = []
    for r in range(o.header):
        where = (None,) if rest.headed else (table, f"TR#{r}")
        got, height = _row(page, o, r, cols, head, line, end - line, where)
        items, line = items + got, line + height
    head_end, body_lines, done = line, [], 0
    for r in rest.rows:
        got, height = _row(page, o, r, cols, cell, line, end - line, (table, f"TR#{r}"))
        if line + height > end:
            break
        items, line, done = items + got, line + height, done + 1
        body_lines.append(line)
    if not done:
        return Laid((), _lines_over(page, o, rest.rows, cols, cell), rest=rest)
    rules = [(area.line, o.rule), (head_end, o.head_rule if o.header else 0.0), (line, o.rule),
             *((y, o.row_rule) for y in body_lines[:-1])]
    drawn = tuple(_rule(cols, grid.line_top(y), w, o.color) for y, w in rules if w > 0)
    left = rest.rows[done:]
    return Laid(drawn + tuple(items), _lines_over(page, o, left, cols, cell),
                rest=Rest(left, headed=True) if left else None)
