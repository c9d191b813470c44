"""The text block: one piece of text set in a style on the grid — a banner (报眼), a column name
(栏目名), a credit line — in whole body lines, centred in its area."""
from __future__ import annotations

from ..records import record
from ..layout.furniture import Laid, area_rect, stack
from ..layout.texts import Use
from ..pagespec.keys import Key, enum
from ..pagespec.kinds import FILL_KEYS, BlockKind, register
from ..text.display import plain


@record
class TextOptions:
    text: str
    style: str
    fill: str | None = None
    tint: float = 1.0
    furniture: str = "none"


# what a text block that is page furniture (版面装饰) is in a tagged PDF: an artifact of this
# /Type and /Subtype (ISO 32000-1 §14.8.2.2), not a paragraph of the page's text
FURNITURE = {"none": "", "header": "Artifact:Pagination:Header", "footer": "Artifact:Pagination:Footer"}


class TextKind(BlockKind):
    name = "text"
    doc = "a piece of text in a style, such as a banner, a column name or a credit line"
    Options = TextOptions
    keys = {
        "text": Key("text", "the text to set", required=True, example="奋进新征程"),
        "style": Key("style", "its style", required=True, example="banner"),
        **FILL_KEYS,
        "furniture": Key(enum(*FURNITURE), "page furniture: header (报眉: paper, section, date, 版次) or "
                         "footer (a credit line at the foot) is tagged as a pagination artifact, "
                         "not text of the page", default="none"),
    }
    below_area = True  # a credit line may sit on the line just below the type area

    def uses(self, block, spec, stories, line):
        o = block.options
        yield Use(spec.styles[o.style].role, plain(o.text), spec.path, line)

    def layout(self, block, page):
        o = block.options
        tag = FURNITURE[o.furniture]
        items, over = stack(page, [(o.text, page.spec.styles[o.style])], block.area, "text",
                            structure=(tag,) if tag else ())
        if o.fill:  # drawn first, under the text
            items = [area_rect(page, block.area, None, o.fill, 0.0, o.tint), *items]
        return Laid(tuple(items), over)


KIND = register(TextKind())
