"""The rule block: a line (线) through the middle of an area or along one of its edges; vertical
rules sit in the gutter beside the area (栏线)."""
from __future__ import annotations

from ..records import record
from ..layout.furniture import Laid, snap
from ..layout.model import Rule
from ..pagespec.keys import MAX_RULE, Key, enum
from ..pagespec.kinds import BlockKind, register

POSITIONS = ("middle", "top", "bottom", "left", "right")


@record
class RuleOptions:
    width: float  # pt
    color: str
    position: str


class RuleKind(BlockKind):
    name = "rule"
    doc = "a line through an area or along one of its edges"
    Options = RuleOptions
    keys = {
        "width": Key("length", "line width", default="0.5pt", lo=0, hi=MAX_RULE),
        "color": Key("color", "line colour", default="black"),
        "position": Key(enum(*POSITIONS), "which edge of the area", default="middle"),
    }

    def layout(self, block, page):
        grid, a, o = page.spec.grid, block.area, block.options
        x0, top, w, h = a.x(grid), a.top(grid), a.width(grid), a.height(grid)
        half = grid.gutter / 2
        ends = {"middle": (x0, top + h / 2, x0 + w, top + h / 2), "top": (x0, top, x0 + w, top),
                "bottom": (x0, top + h, x0 + w, top + h), "left": (x0 - half, top, x0 - half, top + h),
                "right": (x0 + w + half, top, x0 + w + half, top + h)}[o.position]
        x0, y0, x1, y1 = (snap(v) for v in ends)
        return Laid((Rule(x0, y0, x1, y1, o.color, o.width),))


KIND = register(RuleKind())
