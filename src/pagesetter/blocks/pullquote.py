"""The pull quote block (引语, 插引): a line or two from the story in large type between two rules,
with its source under it; set over a frame with `wrap`, the body text runs around it. Built from
the parts other kinds use: `text_at` for the quote and its source, `Rule` items for the rules."""
from __future__ import annotations

from typing import Any, Iterable

from ..layout.furniture import Laid, text_at
from ..layout.model import Rule, snap
from ..layout.texts import Use
from ..pagespec.keys import MAX_RULE, Key
from ..pagespec.kinds import BlockKind, register
from ..records import record


@record
class PullquoteOptions:
    text: str
    style: str
    source: str | None
    source_style: str | None
    rule: float  # pt
    color: str


class PullquoteKind(BlockKind):
    name = "pullquote"
    doc = "a quote in large type between two rules, with its source"
    Options = PullquoteOptions
    min_lines = 3  # a rule line above, the quote, a rule line below
    keys = {
        "text": Key("text", "the quote", required=True, example="把党的政治建设摆在首位"),
        "style": Key("style", "the quote's style (large type)", required=True, example="pullquote"),
        "source": Key("text", "who said it, set under the quote (e.g. ——习近平)"),
        "source_style": Key("style", "the source's style (default: the quote's)"),
        "rule": Key("length", "width of the rules above and below", default="1pt", lo=0, hi=MAX_RULE),
        "color": Key("color", "the rules' colour", default="black"),
    }

    def uses(self, block: Any, spec: Any, stories: dict, line: int) -> Iterable[Use]:
        o = block.options
        yield Use(spec.styles[o.style].role, o.text, spec.path, line)
        if o.source:
            yield Use(spec.styles[o.source_style or o.style].role, o.source, spec.path, line)

    def layout(self, block: Any, page: Any) -> Laid:
        o, a, grid = block.options, block.area, page.spec.grid
        x, top, w, h = a.x(grid), a.top(grid), a.width(grid), a.height(grid)
        styles = page.spec.styles
        parts = [(o.text, styles[o.style])] + ([(o.source, styles[o.source_style or o.style])] if o.source else [])
        quote = text_at(page, parts, x, w, a.line + 1, a.lines - 2, "pullquote", centre=True,
                        parents=(f"BlockQuote#{a.col},{a.line}",))
        rules = [Rule(snap(x), snap(y), snap(x + w), snap(y), o.color, o.rule) for y in (top, top + h) if o.rule > 0]
        return Laid((*rules, *quote.items), quote.over)


KIND = register(PullquoteKind())
