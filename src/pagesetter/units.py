"""Units a Chinese layout person writes, all converted to points in one place.

    12pt  3.5mm  1cm  1in  40q (级, 0.25 mm)  小五 / 二号 (字号)  2字 / 2em (body characters)
    3行 (body lines)  1栏 (basic columns, including the gutter after each but the last)
A bare number is points.
"""
from __future__ import annotations

import math
import re

from .records import record

PT_PER_MM = 72 / 25.4

# 字号 → pt (CTeX / Word / WPS convention)
ZIHAO = {
    "初号": 42, "小初": 36, "一号": 26, "小一": 24, "二号": 22, "小二": 18, "三号": 16, "小三": 15,
    "四号": 14, "小四": 12, "五号": 10.5, "小五": 9, "六号": 7.5, "小六": 6.5, "七号": 5.5, "八号": 5,
}

ABSOLUTE = {"pt": 1.0, "mm": PT_PER_MM, "cm": 10 * PT_PER_MM, "in": 72.0, "q": 0.25 * PT_PER_MM,
            "级": 0.25 * PT_PER_MM}
RELATIVE = {"字": "em", "em": "em", "行": "line", "栏": "column"}
_NUMBER = re.compile(r"^\s*(-?(?:\d+(?:\.\d*)?|\.\d+))\s*([A-Za-z字行栏级]*)\s*$")


class UnitError(ValueError):
    """A length that cannot be read; the message says what forms are accepted."""


@record
class Context:
    """What relative units mean on this page: body size, line pitch, basic column and gutter."""

    em: float = 9.0
    line: float = 14.4
    column: float = 117.0
    gutter: float = 9.0


def length(value, ctx: Context = Context()) -> float:
    """Convert a length written in any accepted unit to points."""
    if isinstance(value, bool):
        raise UnitError(f"{value!r} is not a length")
    if isinstance(value, (int, float)):
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if not math.isfinite(number):
            raise UnitError(f"{value!r} is not a finite length")
        return number
    if not isinstance(value, str):
        raise UnitError(f"{value!r} is not a length")
    text = value.strip()
    if text in ZIHAO:
        return float(ZIHAO[text])
    m = _NUMBER.match(text)
    if not m:
        raise UnitError(f"{value!r} is not a length: write e.g. 9pt, 3mm, 40q, 小五, 2字, 3行 or 1栏")
    number, unit = float(m.group(1)), m.group(2).lower() if m.group(2).isascii() else m.group(2)
    if not math.isfinite(number):
        raise UnitError(f"{value!r} is not a finite length")
    if unit == "":
        return number
    if unit in ABSOLUTE:
        return number * ABSOLUTE[unit]
    kind = RELATIVE.get(unit)
    if kind == "em":
        return number * ctx.em
    if kind == "line":
        return number * ctx.line
    if kind == "column":
        return number * ctx.column + max(0.0, number - 1) * ctx.gutter
    raise UnitError(f"unknown unit {m.group(2)!r} in {value!r}: use pt, mm, cm, in, q, 字号 names, 字/em, 行 or 栏")


def font_size(value, ctx: Context = Context()) -> float:
    """A type size: a 字号 name or a length (字/em are relative to `ctx.em`, the body size)."""
    size = length(value, ctx)
    if size <= 0:
        raise UnitError(f"type size {value!r} must be positive")
    return size
