"""The box block: a border (边框) around an area, e.g. around a boxed commentary column."""
from __future__ import annotations

from dataclasses import dataclass

from ..layout.furniture import Laid, snap
from ..layout.model import Rect
from ..pagespec.keys import MAX_RULE, Key
from ..pagespec.kinds import BlockKind, register


@dataclass(frozen=True)
class BoxOptions:
    border: float  # pt
    color: str


class BoxKind(BlockKind):
    name = "box"
    doc = "a border around an area"
    Options = BoxOptions
    keys = {
        "border": Key("length", "border line width", default="0.75pt", lo=0, hi=MAX_RULE),
        "color": Key("color", "border colour", default="black"),
    }

    def layout(self, block, page):
        grid, a, o = page.spec.grid, block.area, block.options
        rect = Rect(snap(a.x(grid)), snap(a.top(grid)), snap(a.width(grid)), snap(a.height(grid)), o.color, None,
                    o.border)
        return Laid((rect,))


KIND = register(BoxKind())
