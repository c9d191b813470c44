"""The value types of the table block (表格): its rows of cells (`table-rows`), its column types
(`column-types`) and its column widths (`column-widths`) — each a JSON Schema and a reader that
reports a bad value at its place (row and cell), registered beside the kind (blocks/table.py)."""
from __future__ import annotations

import csv
import io
import re
from typing import Any

from ..errors import PagesetterError
from ..files import read_utf8
from ..pagespec.checker import show
from ..pagespec.keys import Key
from ..pagespec.valuetypes import Reading, ValueType, read_plain, register_type
from ..records import record

MAX_ROWS = 500  # rows of one table: a page holds far fewer; a bound for a runaway spec
MAX_COLUMNS = 40
MAX_FILE_BYTES = 1_000_000  # a table file (CSV/TSV): a page's tables are a few kilobytes

# a figure (数字): sign, digits with optional thousands commas, a decimal part, a per cent sign
NUMBER = re.compile(r"^[+\-−±]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?%?$")
NO_FIGURE = ("", "-", "—", "–", "…", "/")  # what a numeric column may hold where there is no figure


def is_number(text: str) -> bool:
    return bool(re.search(r"\d", text)) and bool(NUMBER.match(text.strip()))


@record
class Cell:
    """One cell (单元格): its text and how many columns it spans (合并单元格, 跨列)."""

    text: str
    span: int = 1


def cell_text(value: Any) -> str | None:
    """A cell's text from YAML: a string, or a number as YAML read it (quote 12.50 to keep its 0)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return repr(value) if isinstance(value, float) else str(value)
    return value if isinstance(value, str) else None


def _cell(c: Reading, path: tuple, value: Any) -> Cell | None:
    if isinstance(value, dict):
        extra = sorted(str(k) for k in value if k not in ("text", "span"))
        text, span = cell_text(value.get("text", "")), value.get("span", 1)
        if extra or text is None or isinstance(span, bool) or not isinstance(span, int) or not 1 <= span <= MAX_COLUMNS:
            c.ck.fail(path, f"table cell {show(value)} is not a cell", "write a cell as text, a number, or "
                      "{text: 合计, span: 2} (span: the columns it covers, 1 or more)")
            return None
        return Cell(text, span)
    text = cell_text(value)
    if text is None:
        c.ck.fail(path, f"table cell {show(value)} is not text or a number",
                  "write the cell's text (quote it: '…'), a number, or '' for an empty cell")
        return None
    return Cell(text)


def read_rows(c: Reading, key: str, k: Key, value: Any) -> tuple[tuple[Cell, ...], ...] | None:
    """`[[品名, 数量], [大米, '12.50'], …]`: rows (行) of cells, the first the header row; or a CSV
    or TSV file's name (`../data/grain.csv`), its rows read the same way."""
    path = c.path + (key,)
    if isinstance(value, str):
        return read_rows_file(c, key, value)
    if not isinstance(value, list) or not value:
        c.ck.fail(path, f"{c.what} has an empty table: {key} must be a list of rows, not {show(value)}",
                  f"write {key}: [[品名, 数量], [大米, '12.50']] — one list of cells a row")
        return None
    if len(value) > MAX_ROWS:
        c.ck.fail(path, f"{c.what} has {len(value)} rows, over the limit of {MAX_ROWS}", "split it into tables")
        return None
    rows = []
    for r, row in enumerate(value):
        if not isinstance(row, list) or not row:
            c.ck.fail(path + (r,), f"row {r + 1} of {c.what} is {show(row)}, not a list of cells",
                      "write the row as [cell, cell, …] (an empty cell is '')")
            return None
        cells = [_cell(c, path + (r, i), v) for i, v in enumerate(row)]
        if None in cells:
            return None
        rows.append(tuple(cells))
    return tuple(rows)  # type: ignore[arg-type]


def read_rows_file(c: Reading, key: str, value: str) -> tuple[tuple[Cell, ...], ...] | None:
    """A table file (表格数据): UTF-8 CSV, or TSV when its name ends .tsv/.tab; read capped; a
    row that is no row (an open quote) is an error at its line in the file."""
    found = c.files(value, c.path + (key,), f"{key} file")
    if found is None:
        return None
    try:
        text = read_utf8(found, "table file", MAX_FILE_BYTES, "split the table, or write fewer rows",
                         "check the path (relative to the spec)")
    except PagesetterError as exc:
        c.ck.problems.extend(exc.problems)
        return None
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), strict=True,
                        delimiter="\t" if found.suffix.lower() in (".tsv", ".tab") else ",")
    try:
        rows = list(reader)
    except csv.Error as exc:
        c.ck.fail(c.path + (key,), f"table file {found.name} cannot be read as CSV at its line {reader.line_num}: "
                  f"{exc}", "close the quote, or quote the cell whole: \"a, b\"")
        return None
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if not rows or len(rows) > MAX_ROWS:
        c.ck.fail(c.path + (key,), f"table file {found.name} has {len(rows)} rows",
                  f"give it a header row and 1 to {MAX_ROWS - 1} body rows")
        return None
    return tuple(tuple(Cell(cell.strip()) for cell in r) for r in rows)


def read_types(c: Reading, key: str, k: Key, value: Any) -> tuple[str, ...] | None:
    """`[text, number, number]`: each column's type; a number column is aligned on the decimal point."""
    if not isinstance(value, list) or not value or any(v not in ("text", "number") for v in value):
        c.ck.fail(c.path + (key,), f"{key} must be a list of text or number, one a column, not {show(value)}",
                  f"write e.g. {key}: [text, number, number]")
        return None
    return tuple(value)


def read_widths(c: Reading, key: str, k: Key, value: Any) -> tuple[float | None, ...] | None:
    """`[auto, 4字, 20mm]`: each column's width (auto: by its content), in points (None: auto)."""
    if not isinstance(value, list) or not value:
        c.ck.fail(c.path + (key,), f"{key} must be a list of widths, one a column, not {show(value)}",
                  f"write e.g. {key}: [auto, 4字, 20mm]")
        return None
    length = Key("length", "a column's width")
    out = [None if v == "auto" else read_plain(c, key, length, v) for v in value]
    if any(v != "auto" and w is None for v, w in zip(value, out)):
        return None  # (reported by read_plain)
    return tuple(out)


_CELL = {"anyOf": [{"type": ["string", "number"]},
                   {"type": "object", "additionalProperties": False, "required": ["text"],
                    "properties": {"text": {"type": ["string", "number"]},
                                   "span": {"type": "integer", "minimum": 1, "maximum": MAX_COLUMNS}}}]}
register_type(ValueType("table-rows", lambda key: {"anyOf": [
    {"type": "array", "minItems": 1, "maxItems": MAX_ROWS, "items": {"type": "array", "minItems": 1, "items": _CELL}},
    {"$ref": "#/$defs/name", "description": "a CSV (or .tsv) file, relative to the spec"}]}, read_rows))
register_type(ValueType("column-types", lambda key: {"type": "array", "minItems": 1, "maxItems": MAX_COLUMNS,
                                                     "items": {"enum": ["text", "number"]}}, read_types))
register_type(ValueType("column-widths", lambda key: {"type": "array", "minItems": 1, "maxItems": MAX_COLUMNS,
                                                      "items": {"anyOf": [{"const": "auto"},
                                                                          {"$ref": "#/$defs/length"}]}},
                        read_widths))
