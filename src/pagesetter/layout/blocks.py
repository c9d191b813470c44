"""Page furniture on the grid: headline blocks (引题/主题/副题), text lines, image slots with captions,
boxes (边框) and rules (线). Each function returns layout items and any lines that did not fit."""
from __future__ import annotations

from ..pagespec.model import EM_BASELINE, Area, Block, PageSpec
from ..units import length
from ..story.model import Story
from ..pagespec.keys import HEAD_PARTS
from .flow import band, baseline
from .model import Image, Rect, Rule, TextLine
from .setting import Typesetter


def _size(line) -> float:
    """The type size a set line was set at (a fitted headline may be smaller than its style)."""
    return max(g.size for g in line.glyphs)


def _stack(spec: PageSpec, ts: Typesetter, parts, area: Area, tag: str, valign="center"):
    """Set (text, style) parts one under another in whole body lines, centred in the area."""
    grid = spec.grid
    width = area.width(grid)
    set_lines = [(line, st) for t, st in parts if t for line in ts.head_lines(t, st, width)]
    total = sum(band(_size(line), grid) for line, _ in set_lines)
    over = max(0, total - area.lines)
    line_no = area.line + (max(0, area.lines - total) // 2 if valign == "center" else 0)
    items = []
    last_line = area.line + area.lines - 1
    for set_line, st in set_lines:
        size = _size(set_line)
        n = band(size, grid)
        if line_no + n - 1 > last_line:
            break  # overset: reported, never drawn over what lies below the block
        y = baseline(grid, line_no, n, size)
        items.append(TextLine(round(area.x(grid), 4), round(y, 4), set_line.glyphs, st.color, tag,
                              set_line.extent))
        line_no += n
    return items, over


def headline(spec: PageSpec, ts: Typesetter, block: Block, story: Story):
    """引题 + 主题 + 副题 + byline from the story's front matter, in the block's styles."""
    styles = block.options.get("styles") or {}
    parts = [(story.get(p), spec.styles[styles[p]]) for p in HEAD_PARTS if p in styles]
    return _stack(spec, ts, parts, block.area, f"headline:{block.options['story']}")


def text(spec: PageSpec, ts: Typesetter, block: Block):
    return _stack(spec, ts, [(str(block.options["text"]), spec.styles[block.options["style"]])],
                  block.area, "text")


def image(spec: PageSpec, ts: Typesetter, block: Block, caption: Story | None):
    """An image slot: picture (or placeholder) above, caption and credit in the last lines."""
    grid, o, a = spec.grid, block.options, block.area
    cap_lines = int(o.get("caption_lines", 0))
    x, top, w = a.x(grid), a.top(grid), a.width(grid)
    h = (a.lines - cap_lines) * grid.pitch - (grid.pitch - grid.body) / 2
    label = str(o.get("label") or (caption.get("label") if caption else "") or "")
    items: list = [Image(round(x, 4), round(top, 4), round(w, 4), round(h, 4), o.get("file"), label)]
    over = 0
    if label:  # the label printed on the picture (①): one line in its top-left corner
        st = spec.styles[o.get("label_style", "label")]
        lines = ts.lines([(label, st)], lambda k: w, align="left")
        pad = 0.3 * st.size
        items += [TextLine(round(x + pad, 4), round(top + pad + EM_BASELINE * st.size, 4), ln.glyphs, st.color, "label", ln.extent)
                  for ln in lines[:1]]
        over += len(lines) - 1
    if caption and cap_lines:
        cap_area = Area(a.col, a.span, a.line + a.lines - cap_lines, cap_lines, a.inset_left, a.inset_right)
        cap_style = spec.styles[o.get("caption_style", "caption")]
        line_items, cap_over = _caption(spec, ts, caption, cap_area, cap_style, o)
        items += line_items
        over += cap_over
    return items, over


def _caption(spec, ts, caption: Story, area: Area, style, o):
    grid = spec.grid
    width = area.width(grid)
    lines = []
    for par in caption.paragraphs:
        lines += [(ln, style) for ln in ts.lines([(par.text, style)], lambda k: width)]
    credit = caption.get("credit")
    if credit:
        cst = spec.styles[o.get("credit_style", "credit")]
        lines += [(ln, cst) for ln in ts.lines([(credit, cst)], lambda k: width, align=cst.align)]
    items = []
    for i, (ln, st) in enumerate(lines[:area.lines]):
        y = baseline(grid, area.line + i, 1, st.size)
        items.append(TextLine(round(area.x(grid), 4), round(y, 4), ln.glyphs, st.color, "caption", ln.extent))
    return items, max(0, len(lines) - area.lines)


def box(spec: PageSpec, block: Block):
    grid, a = spec.grid, block.area
    width = float(length(block.options.get("border", 0.75)))
    return [Rect(round(a.x(grid), 4), round(a.top(grid), 4), round(a.width(grid), 4), round(a.height(grid), 4),
                 block.options.get("color", "black"), None, width)], 0


def rule(spec: PageSpec, block: Block):
    grid, a, o = spec.grid, block.area, block.options
    x0, top, w, h = a.x(grid), a.top(grid), a.width(grid), a.height(grid)
    pos = o.get("position", "middle")
    half = grid.gutter / 2
    ends = {"middle": (x0, top + h / 2, x0 + w, top + h / 2), "top": (x0, top, x0 + w, top),
            "bottom": (x0, top + h, x0 + w, top + h), "left": (x0 - half, top, x0 - half, top + h),
            "right": (x0 + w + half, top, x0 + w + half, top + h)}[pos]
    return [Rule(*(round(v, 4) for v in ends), o.get("color", "black"), float(length(o.get("width", 0.5))))], 0
