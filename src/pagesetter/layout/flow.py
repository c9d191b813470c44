"""Flow (排文): thread a story's paragraphs through its chain of frames, line slot by line slot.

A chain is a list of line slots (frame, x, width, grid line). Each paragraph is broken with the
width of the slots it will land in, so text moves from a wide frame into narrow ones. Lines that
find no slot are counted as overset (超版) and returned, never dropped silently.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from ..spec.model import Grid, PageSpec, StorySpec
from ..story.model import BODY, GAP, SECTION_LEAD, SUBHEAD, Story
from ..text.justify import SetLine
from .model import StoryReport, TextLine
from .setting import Typesetter

HEAD_PARTS = ("kicker", "headline", "subtitle", "byline")
INDENT_EM = {BODY: 2.0, SUBHEAD: 2.0, SECTION_LEAD: 2.0}


@dataclass(frozen=True)
class Slot:
    """One body line of one frame of a chain."""

    frame: str
    x: float
    width: float
    line: int  # grid line (1-based)
    last_in_frame: int  # grid line of the frame's last line


def chain_slots(spec: PageSpec, chain: tuple[str, ...]) -> list[Slot]:
    slots = []
    for fid in chain:
        a = spec.frames[fid].area
        for line in range(a.line, a.line + a.lines):
            slots.append(Slot(fid, a.x(spec.grid), a.width(spec.grid), line, a.line + a.lines - 1))
    return slots


def band(size: float, grid: Grid) -> int:
    """How many body lines a line of type this size occupies (占行)."""
    return max(1, math.ceil(size * 1.2 / grid.pitch - 1e-9))


def baseline(grid: Grid, first_line: int, lines: int, size: float) -> float:
    """Baseline of a line of `size` centred in `lines` body lines starting at `first_line`."""
    return grid.line_top(first_line) + (lines * grid.pitch - size) / 2 + 0.88 * size


class Flow:
    """Places one story's lines into its chain's slots; `report()` gives its copyfit figures."""

    def __init__(self, spec: PageSpec, story: StorySpec, ts: Typesetter):
        self.spec, self.story, self.ts = spec, story, ts
        self.slots = chain_slots(spec, story.chain)
        self.cursor = 0  # next free slot
        self.items: list[TextLine] = []

    def width_of(self, k: int) -> float:
        i = min(self.cursor + k, len(self.slots) - 1)
        return self.slots[i].width

    def place(self, line: SetLine, size: float, color: str, lines: int = 1) -> None:
        if self.cursor < len(self.slots):
            slot = self.slots[self.cursor]
            y = baseline(self.spec.grid, slot.line, lines, size)
            self.items.append(TextLine(round(slot.x, 4), round(y, 4), line.glyphs, color, slot.frame))
        self.cursor += lines

    def room_in_frame(self) -> int:
        if self.cursor >= len(self.slots):
            return 0
        slot = self.slots[self.cursor]
        return slot.last_in_frame - slot.line + 1

    def next_frame(self) -> None:
        self.cursor += self.room_in_frame()

    def head(self, story: Story) -> None:
        """An article's head set in the flow (sidebar reports): whole lines, kept in one frame."""
        styles = self.spec.styles
        parts = [(story.get(p), styles[self.story.heads[p]]) for p in HEAD_PARTS
                 if p in self.story.heads and story.get(p)]
        set_parts = [(self.ts.head_lines(t, st, self.width_of(0)), st) for t, st in parts]
        need = sum(len(ls) * band(st.size, self.spec.grid) for ls, st in set_parts)
        at_top = self.cursor < len(self.slots) and self.slots[self.cursor].line == self._frame_first_line()
        if not at_top and self.cursor:
            need += 1
        if self.room_in_frame() < need + 2:
            self.next_frame()
        elif not at_top and self.cursor:
            self.cursor += 1  # a blank line between the previous article and this head
        for lines, st in set_parts:
            for line in lines:
                self.place(line, st.size, st.color, band(st.size, self.spec.grid))

    def _frame_first_line(self) -> int:
        a = self.spec.frames[self.slots[self.cursor].frame].area
        return a.line

    def paragraph(self, runs, indent: float, size: float, color: str) -> None:
        n = band(size, self.spec.grid)
        for line in self.ts.lines(runs, self.width_of, indent_em=indent):
            self.place(line, size, color, n)

    def run(self, stories: dict) -> None:
        styles = self.spec.styles
        for path in self.story.articles:
            story = stories[path]
            if self.story.heads:
                self.head(story)
            for par in story.paragraphs:
                style = styles[self.story.styles[par.role]]
                gap = styles[self.story.styles[GAP]]
                runs = [(s.text, gap if s.kind == GAP else style) for s in par.spans]
                indent = style.indent if style.indent is not None else INDENT_EM.get(par.role, 0.0)
                self.paragraph(runs, indent, style.size, style.color)

    def report(self) -> StoryReport:
        return StoryReport(self.story.id, self.cursor, len(self.slots))
