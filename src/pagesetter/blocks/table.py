"""The table block (表格): rows and columns of cells in agate-size type (小字, default 六号) — text
cells, figures aligned on the decimal point (小数点对齐), cells spanning columns (跨列), a header
row (表头), rules (表线: top 顶线, below the header 栏线, foot 底线, optionally between rows), each
row a whole number of body lines so the page keeps 齐底. A table too long for its area continues in
the frames of its `chain` (续表) with its header repeated; what still does not fit is overset,
reported. In the tagged PDF: Table → TR → TH/TD, read row by row."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..layout.furniture import Laid
from ..layout.texts import Use
from ..pagespec.checker import show
from ..pagespec.keys import MAX_RULE, Key
from ..pagespec.kinds import BlockCheck, BlockKind, register
from ..records import record
from ._table_layout import Rest, set_rows
from ._table_values import NO_FIGURE, Cell, is_number

AGATE = 7.5  # pt: 六号, the agate size a table's figures are set in when it names no style


@record
class TableOptions:
    rows: tuple[tuple[Cell, ...], ...]
    header: int
    types: tuple[str, ...] | None
    widths: tuple[float | None, ...] | None
    style: str | None
    head_style: str | None
    padding: float  # pt, each side of a cell's text
    rule: float  # pt: the top and foot rules
    head_rule: float  # pt: the rule below the header
    row_rule: float  # pt: between body rows (0: none)
    color: str
    chain: tuple[str, ...] | None
    source: Path | None = None  # the CSV/TSV file the rows were read from (an input of the build)


class TableKind(BlockKind):
    name = "table"
    doc = "a table of text and figures in rows and columns, continued in the frames of its chain"
    Options = TableOptions
    derived = ("source",)
    keys = {
        "rows": Key("table-rows", "the rows, each a list of cells (text, a number, or {text, span}), or a "
                    "CSV/TSV file of them; the first `header` rows are the header", required=True, example="[[品名, 数量], [大米, '12.50']]"),
        "header": Key("index", "how many rows are the header (表头), repeated where the table continues",
                      default=1, hi=5),
        "types": Key("column-types", "each column text or number (default: number where every body cell is "
                     "a figure); numbers are aligned on the decimal point"),
        "widths": Key("column-widths", "each column's width, auto (by content) or a length (4字, 20mm); "
                      "auto columns share what is left of the area (default: all auto)"),
        "style": Key("style", "the cells' style (default: the body style at 六号, agate type)"),
        "head_style": Key("style", "the header's style (default: the cells')"),
        "padding": Key("length", "space each side of a cell's text", default="0.25字", lo=0, hi=100),
        "rule": Key("length", "width of the top and foot rules", default="0.75pt", lo=0, hi=MAX_RULE),
        "head_rule": Key("length", "width of the rule below the header", default="0.5pt", lo=0, hi=MAX_RULE),
        "row_rule": Key("length", "width of the rules between body rows (0: none)", default="0pt", lo=0,
                        hi=MAX_RULE),
        "color": Key("color", "the rules' colour", default="black"),
        "chain": Key("frames", "frames the table continues in when it does not fit its area (续表), in order"),
    }

    def check(self, c: BlockCheck) -> TableOptions | None:
        o = c.options(TableOptions)
        if o is not None and o.style is None and "body" not in c.names["styles"]:
            c.style("style", "body")  # (the default agate type is the body style's face: it must be defined)
            return None
        if o is None or not c.ok:
            return None
        if not _consistent(c, o):
            return None
        raw = c.raw.get("rows")
        return replace(o, source=c.files(raw, c.path + ("rows",), "rows file")) if isinstance(raw, str) else o

    def uses(self, block: Any, spec: Any, stories: dict, line: int) -> Iterable[Use]:
        o = block.options
        body = " ".join(cell.text for row in o.rows[o.header:] for cell in row) + " "  # (the spaces between cells)
        head = " ".join(cell.text for row in o.rows[:o.header] for cell in row) + " "
        role = spec.styles[o.style or "body"].role
        yield Use(role, body, spec.path, line)
        yield Use(spec.styles[o.head_style].role if o.head_style else role, head, spec.path, line)

    def layout(self, block: Any, page: Any) -> Laid:
        return set_rows(block, page, Rest(tuple(range(block.options.header, len(block.options.rows)))),
                        block.area, AGATE)

    def areas_after(self, block: Any, page: Any) -> tuple[Any, ...]:
        return tuple(page.spec.frames[f].area for f in block.options.chain or ())

    def resume(self, block: Any, page: Any, rest: Any, area: Any) -> Laid:
        return set_rows(block, page, rest, area, AGATE)


def columns(rows: tuple[tuple[Cell, ...], ...]) -> int:
    """The table's columns: as many as its first row covers (cells and their spans)."""
    return sum(cell.span for cell in rows[0])


def _consistent(c: BlockCheck, o: TableOptions) -> bool:
    """Across keys: rows no wider than the first, a body row after the header, types and widths one
    per column, figures in number columns, given widths within the area."""
    n, ok = columns(o.rows), True
    for r, row in enumerate(o.rows):
        if sum(cell.span for cell in row) > n:
            c.ck.fail(c.path + ("rows", r), f"row {r + 1} of {c.what} has {sum(x.span for x in row)} cells; "
                      f"the table has {n} columns (its first row's)", "delete the extra cells, or add columns to the "
                      "first row (an empty header cell is '')")
            ok = False
    if o.header >= len(o.rows):
        c.ck.fail(c.path + ("header",), f"{c.what} has {len(o.rows)} rows, all of them header (header: {o.header})",
                  "add the table's body rows, or lower header:")
        ok = False
    for key, given in (("types", o.types), ("widths", o.widths)):
        if given is not None and len(given) != n:
            c.ck.fail(c.path + (key,), f"{c.what} has {n} columns but {key} lists {len(given)}",
                      f"give one a column: {n} values")
            ok = False
    return ok and _figures(c, o) and _fits(c, o, n)


def _figures(c: BlockCheck, o: TableOptions) -> bool:
    """A declared number column holds figures only (or nothing: '', —)."""
    for r, row in enumerate(o.rows[o.header:], o.header):
        col = 0
        for i, cell in enumerate(row):
            if cell.span == 1 and o.types and o.types[col] == "number" and cell.text.strip() not in NO_FIGURE \
                    and not is_number(cell.text):
                c.ck.fail(c.path + ("rows", r, i), f"row {r + 1} of {c.what} has {show(cell.text)} in column "
                          f"{col + 1}, a number column", "write a figure (12.5, 1,024, -3%), '—' for none, or "
                          "declare the column text in types:")
                return False
            col += cell.span
    return True


def _fits(c: BlockCheck, o: TableOptions, n: int) -> bool:
    """Columns of given widths (and their padding) no wider than the area."""
    if o.widths is None or c.area is None or c.grid is None:
        return True
    wide = sum(w for w in o.widths if w is not None) + 2 * o.padding * sum(1 for w in o.widths if w is not None)
    room = c.area.width(c.grid)
    if wide > room + 0.01:
        c.ck.fail(c.path + ("widths",), f"{c.what}'s columns are {wide:.1f}pt wide, wider than its area "
                  f"({room:.1f}pt)", "narrow the columns (auto fits them to the area), or widen the area (at: span)")
        return False
    return True


KIND = register(TableKind())
