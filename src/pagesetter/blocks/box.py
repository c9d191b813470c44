"""The box block: a border (边框) around an area, e.g. around a boxed commentary column, and/or a
fill — solid, or a tint of a colour (底纹) — behind what sits in it."""
from __future__ import annotations

from ..records import record
from ..layout.furniture import Laid, area_rect
from ..pagespec.keys import MAX_RULE, Key
from ..pagespec.kinds import FILL_KEYS, BlockKind, register


@record
class BoxOptions:
    border: float  # pt
    color: str
    fill: str | None = None
    tint: float = 1.0


class BoxKind(BlockKind):
    name = "box"
    doc = "a border around an area"
    Options = BoxOptions
    keys = {
        "border": Key("length", "border line width", default="0.75pt", lo=0, hi=MAX_RULE),
        "color": Key("color", "border colour", default="black"),
        **FILL_KEYS,
    }

    def layout(self, block, page):
        o = block.options
        return Laid((area_rect(page, block.area, o.color if o.border > 0 else None, o.fill, o.border, o.tint),))


KIND = register(BoxKind())
