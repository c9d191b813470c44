"""Flow (排文): thread a story's paragraphs through its chain of frames, line slot by line slot.

A chain is a list of line slots (frame, x, width, grid line). Each paragraph is broken with the
width of the slots it will land in, so text moves from a wide frame into narrow ones. Lines that
find no slot are counted as overset (超版) and returned, never dropped silently.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from ..pagespec.keys import HEAD_PARTS
from ..pagespec.model import Grid, PageSpec, StorySpec
from ..story.model import BODY, GAP, SECTION_LEAD, SUBHEAD, Story
from ..text.justify import SetLine
from .model import StoryReport, TextLine
from .setting import Typesetter

INDENT_EM = {BODY: 2.0, SUBHEAD: 2.0, SECTION_LEAD: 2.0}
# what each paragraph role and head part is in a tagged PDF's structure tree
STRUCTURE = {BODY: "P", SECTION_LEAD: "H2", SUBHEAD: "H3", GAP: "P"}
HEAD_TAGS = {"kicker": "P", "headline": "H1", "subtitle": "P", "byline": "P"}


@dataclass(frozen=True)
class Slot:
    """One body line of one frame of a chain (after text wrap has narrowed or removed it)."""

    frame: str
    x: float
    width: float
    line: int  # grid line (1-based)
    frame_index: int  # position of the frame in the chain


@dataclass(frozen=True)
class Exclusion:
    """A rectangle text wraps around (绕排): x range in pt, grid lines first..last inclusive."""

    x0: float
    x1: float
    first: int
    last: int


MIN_WRAP_EM = 4  # a line narrower than this beside a wrapped object is left empty


def _wrapped(x: float, width: float, line: int, exclusions, em: float) -> tuple[float, float] | None:
    """The widest part of a slot left beside the exclusions on its line (None: no room)."""
    parts = [(x, x + width)]
    for ex in exclusions:
        if not ex.first <= line <= ex.last:
            continue
        cut = []
        for a, b in parts:
            if ex.x1 <= a or ex.x0 >= b:
                cut.append((a, b))
                continue
            cut += [p for p in ((a, ex.x0), (ex.x1, b)) if p[1] - p[0] > 0]
        parts = cut
    if not parts:
        return None
    a, b = max(parts, key=lambda p: (p[1] - p[0], -p[0]))
    if (a, b) == (x, x + width):
        return x, width
    # a narrowed line keeps whole characters and stays flush with the frame's own edge
    chars = int((b - a) / em + 1e-6)
    if chars < MIN_WRAP_EM:
        return None
    # flush with the frame's edge when the part touches it, else with the part's far side
    return (a if b < x + width else b - chars * em), chars * em


def chain_slots(spec: PageSpec, chain: tuple[str, ...], limits: dict | None = None,
                exclusions: tuple = ()) -> list[Slot]:
    """The line slots of a chain in reading order; `limits` caps a frame's lines (balancing)."""
    slots = []
    for i, fid in enumerate(chain):
        a = spec.frames[fid].area
        lines = min(a.lines, (limits or {}).get(fid, a.lines))
        for line in range(a.line, a.line + lines):
            room = _wrapped(a.x(spec.grid), a.width(spec.grid), line, exclusions, spec.grid.body)
            if room is not None:
                slots.append(Slot(fid, room[0], room[1], line, i))
    return slots


def band(size: float, grid: Grid) -> int:
    """How many body lines a line of type this size occupies (占行)."""
    return max(1, math.ceil(size * 1.2 / grid.pitch - 1e-9))


def baseline(grid: Grid, first_line: int, lines: int, size: float) -> float:
    """Baseline of a line of `size` centred in `lines` body lines starting at `first_line`."""
    return grid.baseline(first_line, lines, size)


class Flow:
    """Places one story's lines into its chain's slots; `report()` gives its copyfit figures.

    Stranded lines (孤行) are avoided where the chain allows: a paragraph's last line alone at the
    top of a frame is first cured by setting the paragraph one line shorter or longer (total-fit
    offers both), else by carrying one more line over; a first line alone at the bottom of a frame
    moves to the next one, as do section leads that would end a frame (keep with next).
    """

    def __init__(self, spec: PageSpec, story: StorySpec, ts: Typesetter, limits: dict | None = None,
                 tracking: float = 0.0, exclusions: tuple = ()):
        self.spec, self.story, self.ts = spec, story, ts
        self.slots = chain_slots(spec, story.chain, limits, exclusions)
        self.tracking = tracking
        self.adjustment: str | None = None  # set by auto-copyfit
        self.cursor = 0  # next free slot
        self.overfull = 0  # lines wider than their slot (an unbreakable unit longer than the measure)
        self.items: list[TextLine] = []
        self.paragraph_slots: list[list[int]] = []  # slot indexes each body-size paragraph landed in
        self.tag, self.para = "P", 0  # the structure element the next lines belong to (tagged PDF)

    def width_of(self, k: int, skip_at: int | None = None) -> float:
        if not self.slots:  # wrap took every line: set to the first frame's measure, all overset
            return self.spec.frames[self.story.chain[0]].area.width(self.spec.grid)
        if skip_at is not None and k >= skip_at:
            k += 1
        i = min(self.cursor + k, len(self.slots) - 1)
        return self.slots[i].width

    def place(self, line: SetLine, size: float, color: str, lines: int = 1) -> None:
        self.overfull += line.overfull
        if self.cursor < len(self.slots):
            slot = self.slots[self.cursor]
            y = baseline(self.spec.grid, slot.line, lines, size)
            self.items.append(TextLine(round(slot.x, 4), round(y, 4), line.glyphs, color, slot.frame,
                                       self.story.id, self.tag, self.para))
        self.cursor += lines

    def room_in_frame(self) -> int:
        """Slots left in the current frame, counting the cursor's."""
        if self.cursor >= len(self.slots):
            return 0
        frame = self.slots[self.cursor].frame_index
        end = self.cursor
        while end < len(self.slots) and self.slots[end].frame_index == frame:
            end += 1
        return end - self.cursor

    def next_frame(self) -> None:
        self.cursor += self.room_in_frame()

    def at_frame_top(self) -> bool:
        c = self.cursor
        return c < len(self.slots) and (c == 0 or self.slots[c - 1].frame_index != self.slots[c].frame_index)

    def head(self, story: Story) -> None:
        """An article's head set in the flow (sidebar reports): whole lines, kept in one frame."""
        styles = self.spec.styles
        parts = [(p, story.get(p), styles[self.story.heads[p]]) for p in HEAD_PARTS
                 if p in self.story.heads and story.get(p)]
        set_lines = [(line, st, p) for p, t, st in parts for line in self.ts.head_lines(t, st, self.width_of(0))]
        bands = [band(max(g.size for g in line.glyphs), self.spec.grid) for line, _, _ in set_lines]
        spaced = self.cursor > 0 and not self.at_frame_top()
        if self.room_in_frame() < sum(bands) + 2 + spaced:
            self.next_frame()
        elif spaced:
            self.cursor += 1  # a blank line between the previous article and this head
        last = None
        for (line, st, part), n in zip(set_lines, bands):
            if part != last:  # each head part is an element of its own (tagged PDF)
                self.tag, self.para, last = HEAD_TAGS[part], self.para + 1, part
            self.place(line, max(g.size for g in line.glyphs), st.color, n)

    def paragraph(self, runs, indent: float, size: float, color: str, role: str = BODY) -> None:
        self.tag, self.para = STRUCTURE.get(role, "P"), self.para + 1
        n = band(size, self.spec.grid)
        if n > 1:  # oversized type in a flow: whole bands inside one frame, no stranded-line control
            for line in self.ts.lines(runs, self.width_of, indent_em=indent, tracking=self.tracking):
                while 0 < self.room_in_frame() < n:
                    self.next_frame()
                self.place(line, size, color, n)
            return
        lines, skip_at = self._unstranded(runs, indent, role)
        used = []
        for k, line in enumerate(lines):
            if k == skip_at:
                self.cursor += 1
            used.append(self.cursor)
            self.place(line, size, color)
        self.paragraph_slots.append(used)

    def _set(self, runs, indent, count=None, skip_at=None):
        return self.ts.lines(runs, lambda k: self.width_of(k, skip_at), indent_em=indent, count=count,
                             tracking=self.tracking)

    def _unstranded(self, runs, indent: float, role: str):
        """The paragraph's lines and the line before which one slot stays empty (or None)."""
        lines = self._set(runs, indent)
        if not self.story.avoid_stranded or self.cursor >= len(self.slots):
            return lines, None
        room, k = self.room_in_frame(), len(lines)
        more_frames = self.cursor + room < len(self.slots)
        if role != BODY and room <= k and more_frames:  # keep a lead with what follows it
            self.next_frame()
            return self._set(runs, indent), None
        if k < 2 or not more_frames:
            return lines, None
        if room == 1:  # the first line alone at the bottom: start in the next frame
            self.cursor += 1
            return self._set(runs, indent), None
        if k - room == 1:  # the last line alone at the top of the next frame
            for count in (k - 1, k + 1):
                alt = self._set(runs, indent, count=count)
                if alt is not None and (count - room != 1):
                    return alt, None
            if room >= 3:  # carry one more line over, leaving the frame's last slot empty
                return self._set(runs, indent, skip_at=room - 1), room - 1
        return lines, None

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
                self.paragraph(runs, indent, style.size, style.color, par.role)

    def report(self) -> StoryReport:
        return StoryReport(self.story.id, self.cursor, len(self.slots), self.adjustment, self.overfull)
