"""A stable text dump of a composed page (PageLayout), for golden files that diff cleanly in review.

    page jiceng-dangjian 1105.51 x 1559.06 pt, 10 frames
    story main: 297/315 lines, 18 under
    frame main-1
      line x=53.26 y=319.46 w=112.50 song 9: "求木之长者，必固其根本。"
    furniture
      rect x=... y=... w=... h=... stroke=red fill=- width=1.00

Page → frame → line. Frames come in the order their first line is drawn, lines in layout
(reading) order within a frame. Lines carry no running number, so one line added near the top
does not renumber (and re-diff) the rest of the page. Positions
are points from the trim's top-left, rounded to 0.01 pt: `x` is the line's left edge, `y` its
baseline, `w` its width: from `x` to where its set glyphs end (the measure, for a justified line), then
the fonts (role and size) of the line's runs. Boxes, rules and images follow under `furniture`,
images by file name only. Nothing depends on time, paths or hash order.
"""
from __future__ import annotations

import json

from .model import Image, PageLayout, Rect, Rule, TextLine


def _n(v: float) -> str:
    text = f"{v:.2f}"
    return "0.00" if text == "-0.00" else text


def _fonts(line: TextLine) -> str:
    runs: list[str] = []
    for g in line.glyphs:
        run = f"{g.font} {g.size:g}"
        if not runs or runs[-1] != run:
            runs.append(run)
    return " + ".join(runs)


def _text(line: TextLine) -> str:
    return json.dumps("".join(g.ch for g in line.glyphs), ensure_ascii=False)


def dump_layout(layout: PageLayout) -> str:
    """The page as stable text, ending in a newline."""
    out = [f"page {layout.name} {_n(layout.trim[0])} x {_n(layout.trim[1])} pt, {layout.frames} frames"]
    for r in layout.stories:
        extra = f", OVERSET {r.overset}" if r.overset else f", {r.underset} under" if r.underset else ""
        out.append(f"story {r.id}: {r.lines_set}/{r.lines_available} lines{extra}")
    frames: dict[str, list[str]] = {}
    furniture: list[str] = []
    for item in layout.items:
        if isinstance(item, TextLine):
            last = item.width if item.width is not None else item.glyphs[-1].x if item.glyphs else 0.0
            frames.setdefault(item.frame or "-", []).append(
                f"  line x={_n(item.x)} y={_n(item.y)} w={_n(last)} {_fonts(item)}"
                + (f" {item.color}" if item.color != "black" else "") + f": {_text(item)}")
        elif isinstance(item, Rect):
            furniture.append(f"  rect x={_n(item.x)} y={_n(item.y)} w={_n(item.w)} h={_n(item.h)} "
                             f"stroke={item.stroke or '-'} fill={item.fill or '-'} width={_n(item.width)}")
        elif isinstance(item, Rule):
            furniture.append(f"  rule {_n(item.x0)},{_n(item.y0)} → {_n(item.x1)},{_n(item.y1)} "
                             f"color={item.color} width={_n(item.width)}")
        elif isinstance(item, Image):
            furniture.append(f"  image x={_n(item.x)} y={_n(item.y)} w={_n(item.w)} h={_n(item.h)} "
                             f"file={item.file.name if item.file else '-'} label={json.dumps(item.label, ensure_ascii=False)}")
        else:
            furniture.append(f"  {type(item).__name__}")
    for frame, lines in frames.items():
        out.append(f"frame {frame}")
        out.extend(lines)
    if furniture:
        out.append("furniture")
        out.extend(furniture)
    return "\n".join(out) + "\n"
