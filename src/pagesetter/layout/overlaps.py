"""Blocks over a frame's text (压字): a block that does not wrap (`wrap`, 绕排) but whose ink — a
picture, its lines of text, a box's border or a rule — lies on the lines a story set in a frame,
is a warning naming both: the block (with its place in the spec, added by the composer) and the
frame and story whose lines it covers. A tint or fill under text (底纹) is no overlap: only a box's
border crossing a line is."""
from __future__ import annotations

from ..errors import Problem
from ..pagespec.model import EM_BASELINE, PageSpec
from ..records import record
from ..text.justify import GlyphRun
from .model import Image, Pen, Rect, Rule, TextLine

SLACK = 0.5  # pt: ink closer than this to a line's box only touches it
Box = tuple[float, float, float, float]  # x0, y0, x1, y1 from the page's top-left, in pt


@record
class Covered:
    """Lines of one story in one frame that a block's ink lies on."""

    frame: str
    story: str
    lines: int


def line_box(line: TextLine) -> Box:
    """The em boxes of a set line: from its start to where its glyphs end, its largest size tall."""
    run = GlyphRun.of(line.glyphs)
    size = max((g.size for g in run.cells), default=0.0)
    end = line.width if line.width is not None else (run.xs[-1] + size if run.xs else 0.0)
    return line.x, line.y - EM_BASELINE * size, line.x + end, line.y + (1 - EM_BASELINE) * size


class _Ink(Pen):
    """The boxes a block's items put ink in: its text lines, pictures, box borders and rules."""

    def __init__(self) -> None:
        self.boxes: list[Box] = []

    def text(self, line: TextLine) -> None:
        self.boxes.append(line_box(line))

    def image(self, image: Image) -> None:
        self.boxes.append((image.x, image.y, image.x + image.w, image.y + image.h))

    def rect(self, rect: Rect) -> None:
        if rect.stroke:  # its four border lines (a fill under text is a tint: 底纹)
            x0, y0, x1, y1 = rect.x, rect.y, rect.x + rect.w, rect.y + rect.h
            self.boxes += [(x0, y0, x1, y0), (x0, y1, x1, y1), (x0, y0, x0, y1), (x1, y0, x1, y1)]

    def rule(self, rule: Rule) -> None:
        self.boxes.append((min(rule.x0, rule.x1), min(rule.y0, rule.y1), max(rule.x0, rule.x1),
                           max(rule.y0, rule.y1)))


def _meets(a: Box, b: Box) -> bool:
    return a[0] < b[2] - SLACK and b[0] < a[2] - SLACK and a[1] < b[3] - SLACK and b[1] < a[3] - SLACK


def covered(block_items: tuple, story_lines: list[tuple[TextLine, Box]]) -> list[Covered]:
    """The frames' lines (of `story_lines`, each with its `line_box`) the block's items put ink
    on, per frame and story."""
    pen = _Ink()
    for item in block_items:
        item.paint(pen)
    found: dict[tuple[str, str], int] = {}
    for line, box in story_lines if pen.boxes else ():
        if any(_meets(ink, box) for ink in pen.boxes):
            found[(line.frame, line.story)] = found.get((line.frame, line.story), 0) + 1
    return [Covered(f, s, n) for (f, s), n in found.items()]


def frame_lines(spec: PageSpec, items) -> list[TextLine]:
    """The lines stories set in the page's frames (not heads or captions set by blocks)."""
    frames = set(spec.frames)
    return [i for i in items if isinstance(i, TextLine) and i.frame in frames and i.story]


def overlap_warnings(spec: PageSpec, laid_blocks: list[tuple[int, tuple]], items) -> list[tuple[int, Problem]]:
    """(block index, warning) for each block whose ink lies on a frame's text, per frame and
    story; the caller adds the block's place."""
    lines = [(line, line_box(line)) for line in frame_lines(spec, items)]
    out = []
    for i, block_items in laid_blocks:
        block = spec.blocks[i]
        if block.wrap is not None or not lines:
            continue
        for c in covered(block_items, lines):
            out.append((i, Problem(
                f"{block.kind} block {i + 1} lies over the text of story {c.story!r} in frame {c.frame!r} "
                f"({c.lines} line{'s' if c.lines != 1 else ''} under it)",
                fix=f"give the block wrap: 0 (the text then runs around it, 绕排), move it, or move frame "
                    f"{c.frame!r} clear of it")))
    return out
