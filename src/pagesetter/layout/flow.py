"""Flow (排文): thread a story's paragraphs through its chain of frames, line slot by line slot.

A chain is a list of line slots (frame, x, width, grid line). Each paragraph is broken with the
width of the slots it will land in, so text moves from a wide frame into narrow ones. Lines that
find no slot are counted as overset (超版) and returned, never dropped silently.
"""
from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

from ..records import record
from ..pagespec.keys import HEAD_PARTS
from ..pagespec.model import Grid, PageSpec, StorySpec
from ..story.model import BODY, GAP, SECTION_LEAD, SUBHEAD, VERSE, Story
from ..text.display import plain
from ..text.justify import GlyphRun, SetLine
from .column import LEAD_AT_FOOT, SHORT_COLUMN, STRANDED, WIDOW, Step, best_choices
from .model import StoryReport, TextLine, snap
from .setting import RAGGED, LineWidths, Typesetter, shifted
from .slots import chain_slots

INDENT_EM = {BODY: 2.0, SUBHEAD: 2.0, SECTION_LEAD: 2.0, VERSE: 2.0}
TURNOVER_EM = 1.0  # a verse line's turnovers (转行) start this much further in than its first line
STANZA_LINES = 1  # grid lines between two stanzas (节间空行), none at a frame's top
# what each paragraph role and head part is in a tagged PDF's structure tree
TURNED = "verse-turned"  # the rest of a verse line cut by a jump (转版): all of it set as turnovers
STRUCTURE = {BODY: "P", SECTION_LEAD: "H2", SUBHEAD: "H3", GAP: "P", VERSE: "P", TURNED: "P"}
HEAD_TAGS = {"kicker": "P", "headline": "H1", "subtitle": "P", "byline": "P"}
LEADING = 1.2  # a line of type takes 1.2 × its size from baseline to baseline (占行 counts bands)


def band(size: float, grid: Grid) -> int:
    """How many body lines a line of type this size occupies (占行)."""
    return max(1, math.ceil(size * LEADING / grid.pitch - 1e-9))


def set_size(line: SetLine) -> float:
    """The type size a set line was set at (a fitted headline may be smaller than its style)."""
    return GlyphRun.of(line.glyphs).size


def _head_tag(story, part: str) -> str:
    """A head part's element in a tagged PDF; a continuation's byline is its （上接第N版） line,
    page furniture (a pagination artifact)."""
    return "Artifact:Pagination" if part == "byline" and story.continues else HEAD_TAGS[part]


ALIGNED = ("left", "right", "center")  # a paragraph style's alignments other than justified


@record
class Overflow:
    """Where a story stopped fitting its chain: the first line that found no slot (超版 starts here)."""

    article: int  # index into the story's articles
    paragraph: int  # index into that article's paragraphs; -1: the article's head (story heads)
    offset: int  # characters of the paragraph (spaces not counted) set before that line


def rest_of(story: Story, paragraph: int, offset: int) -> Story:
    """The story from an overflow point on: a paragraph cut mid-way continues unindented."""
    if paragraph < 0:
        return story
    pars = list(story.paragraphs[paragraph:])
    if pars and offset > 0:
        spans, left = [], offset
        for span in pars[0].spans:
            text, dropped = _drop(span.text, left)
            left -= dropped
            if text:
                spans.append(replace(span, text=text))
        pars[0] = replace(pars[0], spans=tuple(spans), continued=True)
    return replace(story, paragraphs=tuple(pars))


def _drop(text: str, n: int) -> tuple[str, int]:
    """`text` without its first `n` non-space characters (and the spaces among them); how many it dropped."""
    count = 0
    for i, ch in enumerate(text):
        if not ch.isspace():
            if count == n:
                return text[i:], count
            count += 1
    return "", count


def _run(span, style) -> tuple:
    """A span as the typesetter's run: (text, style), and a script's kind third (上标、下标)."""
    return (span.text, style, span.script) if span.script else (span.text, style)


def _shown(path: Path) -> str:
    """A path as the report shows it: relative to the working folder when it lies inside it."""
    try:
        return str(Path(path).relative_to(Path.cwd()))
    except ValueError:
        return str(path)


class Flow:
    """Places one story's lines into its chain's slots; `report()` gives its copyfit figures.

    The story's paragraphs and heads are placed together (layout.column): each paragraph takes one
    of the settings total-fit offers so that every frame but the chain's last is filled to its
    foot (齐底), no line is loose, and stranded lines (孤行) and leads ending a frame are avoided
    where the chain allows.
    """

    def __init__(self, spec: PageSpec, story: StorySpec, ts: Typesetter, limits: dict | None = None,
                 tracking: float = 0.0, exclusions: tuple = (), reserve: int = 0):
        self.spec, self.story, self.ts = spec, story, ts
        self.slots = chain_slots(spec, story.chain, limits, exclusions)
        self.balanced = max(limits.values()) if limits else None  # balancing's row height (分栏平衡)
        # `reserve` slots at the chain's foot are kept free (an edition's jump line 下转第N版)
        cut = max(0, len(self.slots) - reserve)
        self.slots, self.reserved = self.slots[:cut], self.slots[cut:]
        self._widths = [s.width for s in self.slots]  # read for every line of every setting tried
        self._frames = [s.frame_index for s in self.slots]  # and the frames, for every setting's cost
        self.overflow: Overflow | None = None  # where the text stopped fitting, if it did
        self._at = (0, -1, 0)  # (article, paragraph, characters set) of the line being placed
        self.last_frame = self.slots[-1].frame_index if self.slots else 0
        self.tracking = tracking
        self.adjustment: str | None = None  # set by auto-copyfit
        self.cursor = 0  # next free slot
        self.overfull = 0  # lines wider than their slot (an unbreakable unit longer than the measure)
        self.items: list[TextLine] = []
        self.paragraph_slots: list[list[int]] = []  # slot indexes each body-size paragraph landed in
        self.tag, self.para = "P", 0  # the structure element the next lines belong to (tagged PDF)

    # -- the chain's slots, seen from a cursor

    def width_at(self, c: int, k: int = 0) -> float:
        if not self.slots:  # wrap took every line: set to the first frame's measure, all overset
            if not self.story.chain:  # an empty chain (make-up found no room): a basic column's
                return self.spec.grid.column_width
            return self.spec.frames[self.story.chain[0]].area.width(self.spec.grid)
        return self._widths[min(c + k, len(self._widths) - 1)]

    def widths_from(self, c: int) -> LineWidths:
        """width_at(c, k) for every k, as one object (its first widths read at once)."""
        if not self.slots:
            return LineWidths([self.width_at(c)], 0)
        return LineWidths(self._widths, c)

    def frame_at(self, c: int) -> int:
        """The frame (index in the chain) of slot c; past the last slot, one more than the last."""
        return self._frames[c] if c < len(self._frames) else self.last_frame + 1

    def room_at(self, c: int) -> int:
        """Slots left in the frame of slot c, counting c's."""
        frames, end, here = self._frames, c, self.frame_at(c)
        while end < len(frames) and frames[end] == here:
            end += 1
        return end - c

    def short_of_foot(self, c: int, end: int) -> int:
        """Slots in c..end-1 left empty in frames that are not the chain's last (齐底 broken)."""
        return sum(1 for i in range(c, min(end, len(self.slots))) if self.slots[i].frame_index < self.last_frame)

    # -- placing

    def place(self, line: SetLine, size: float, color: str, lines: int = 1) -> None:
        self.overfull += line.overfull
        if self.overflow is None and self.cursor + lines > len(self.slots):
            self.overflow = Overflow(*self._at)
        a, p, n = self._at
        self._at = (a, p, n + len(line.glyphs))
        if self.cursor < len(self.slots):
            slot = self.slots[self.cursor]
            y = self.spec.grid.baseline(slot.line, lines, size)
            self.items.append(TextLine(snap(slot.x), snap(y), line.glyphs, color, slot.frame,
                                       line.extent, story=self.story.id, tag=self.tag, para=self.para,
                                       article=a))
        self.cursor += lines

    def room_in_frame(self) -> int:
        return self.room_at(self.cursor)

    def widows(self) -> int:
        """Paragraphs whose last line stands alone at the top of the next frame (寡行)."""
        return sum(1 for used in self.paragraph_slots
                   if len(used) >= 2 and self.frame_at(used[-1]) != self.frame_at(used[-2]))

    def _head_lines(self, story: Story, c: int):
        styles, heads = self.spec.styles, self.story.heads or {}
        parts = [(p, story.get(p), styles[heads[p]]) for p in HEAD_PARTS if p in heads and story.get(p)]
        set_lines = [(line, st, p) for p, t, st in parts for line in self.ts.head_lines(t, st, self.width_at(c))]
        return set_lines, [band(set_size(line), self.spec.grid) for line, _, _ in set_lines]

    def _head_start(self, c: int, bands: list[int]) -> int:
        """Where an article's head starts from cursor c: a blank line after the previous article,
        or the next frame's top when the head and two lines of text do not fit in this one."""
        spaced = c > 0 and c < len(self.slots) and self.frame_at(c - 1) == self.frame_at(c)
        if self.room_at(c) < sum(bands) + 2 + spaced:
            return c + self.room_at(c)
        return c + spaced

    def head(self, story: Story) -> None:
        """An article's head set in the flow (sidebar reports): whole lines, kept in one frame."""
        set_lines, bands = self._head_lines(story, self.cursor)
        self.cursor = self._head_start(self.cursor, bands)
        last = None
        for (line, st, part), n in zip(set_lines, bands):
            if part != last:  # each head part is an element of its own (tagged PDF)
                self.tag, self.para, last = _head_tag(self.story, part), self.para + 1, part
            self.place(line, set_size(line), st.color, n)

    def _big_lines(self, runs, indent: float, c: int):
        return self.ts.lines(runs, self.widths_from(c), indent_em=indent, tracking=self.tracking)

    def _big_end(self, c: int, count: int, n: int) -> tuple[int, int]:
        """Cursor after `count` lines of `n` bands each from c, each kept inside one frame, and
        how many slots of frames that are not the chain's last were left empty on the way."""
        empty = 0
        for _ in range(count):
            while 0 < self.room_at(c) < n:
                empty += self.short_of_foot(c, c + self.room_at(c))
                c += self.room_at(c)
            c += n
        return c, empty

    def big_paragraph(self, runs, indent: float, size: float, color: str, n: int) -> None:
        """Oversized type in a flow: whole bands inside one frame, no stranded-line control."""
        for line in self._big_lines(runs, indent, self.cursor):
            while 0 < self.room_in_frame() < n:
                self.cursor += self.room_in_frame()
            self.place(line, size, color, n)

    def paragraph(self, runs, indent: float, size: float, color: str, count: int | None = None,
                  align: str = "justify") -> None:
        """A body-size paragraph in `count` lines (None: its best setting), aligned as its style says."""
        lines = self.ts.lines(runs, self.widths_from(self.cursor), indent_em=indent, count=count,
                             tracking=self.tracking, align=align)
        if lines is None:
            lines = self.ts.lines(runs, self.widths_from(self.cursor), indent_em=indent, tracking=self.tracking,
                                  align=align)
        assert lines is not None  # (without a count there is always a setting)
        used = []
        for line in lines:
            used.append(self.cursor)
            self.place(line, size, color)
        self.paragraph_slots.append(used)

    def _space_step(self, c: int, lines: int) -> Step:
        """A stanza break (节间空行) from cursor c: `lines` empty grid lines, none at a frame's top;
        one that would end a frame that is not the chain's last costs as a short column."""
        if c == 0 or c >= len(self._frames) or self.frame_at(c - 1) != self.frame_at(c):
            return Step(0.0, c, 0)
        end = c + lines
        at_foot = end >= len(self._frames) or self.frame_at(end) != self.frame_at(c)
        return Step(SHORT_COLUMN * self.short_of_foot(c, end) if at_foot else 0.0, end, lines)

    def _verse_lines(self, runs, indent: float, size: float, c: int, turned: bool = False) -> list[SetLine]:
        """A verse line (诗行) set ragged from cursor c: natural spacing (no justification, no
        letter-spacing, no mark or gap squeezed), broken by total-fit (so no 孤字: a turnover of one character takes one
        more down), its turnovers TURNOVER_EM further in than its first line; `turned`: the rest
        of a verse line cut by a jump, every line of it a turnover."""
        widths, turn = self.widths_from(c), (indent + TURNOVER_EM) * size

        def width_of(k: int) -> float:
            return widths(k) - (turn if k else 0.0)

        first = indent + TURNOVER_EM if turned else indent
        lines = self.ts.lines(runs, width_of, indent_em=first, align="left", tracking=self.tracking,
                              headline=RAGGED) or []  # (None only when a line count is asked for)
        return lines[:1] + [shifted(line, turn) for line in lines[1:]]

    def verse(self, runs, indent: float, size: float, color: str, turned: bool = False) -> None:
        """Place a verse line's lines (_verse_lines)."""
        used = []
        for line in self._verse_lines(runs, indent, size, self.cursor, turned):
            used.append(self.cursor)
            self.place(line, size, color)
        self.paragraph_slots.append(used)

    # -- choosing

    def _paragraph_cost(self, c: int, k: int, role: str) -> float:
        """Stranded lines and a lead ending its frame, for k lines from slot c."""
        frames = self._frames
        n = len(frames)
        if not self.story.avoid_stranded or k < 1 or c >= n:
            return 0.0
        cost = 0.0
        if k >= 2 and c + 1 < n and frames[c] != frames[c + 1]:
            cost += STRANDED  # the first line alone at a frame's foot
        if k >= 2 and c + k - 1 < n and frames[c + k - 1] != frames[c + k - 2]:
            cost += WIDOW  # the last line alone at the next frame's top
        if role != BODY and c + k < n and frames[c + k - 1] != frames[c + k]:
            cost += LEAD_AT_FOOT
        return cost

    def steps(self, item, c: int):
        """The ways to place one item (see `items`) from cursor c."""
        kind = item[0]
        if kind == "head":
            bands = self._head_lines(item[1], c)[1]
            start = self._head_start(c, bands)
            moved_on = start > c + 1 or (start == c + 1 and self.frame_at(start) != self.frame_at(c))
            empty = self.short_of_foot(c, start) if moved_on else 0  # the blank line between articles is not
            return [Step(SHORT_COLUMN * empty, start + sum(bands), None)]
        if kind == "space":
            return [self._space_step(c, item[1])]
        runs, indent, size, color, role = item[1:6]
        n = band(size, self.spec.grid)
        if n > 1:
            end, empty = self._big_end(c, len(self._big_lines(runs, indent, c)), n)
            return [Step(SHORT_COLUMN * empty, end, None)]
        if role in (VERSE, TURNED):  # ragged: one setting (its line count), placed like body text
            k = len(self._verse_lines(runs, indent, size, c, role == TURNED))
            return [Step(self._paragraph_cost(c, k, BODY), c + k, k)]
        options = self.ts.variants(runs, self.widths_from(c), indent, self.tracking)
        if not self.story.avoid_stranded or item[6]:  # a continuation's first paragraph: its best
            options = dict([min(options.items(), key=lambda kv: (kv[1], kv[0]))])
        return [Step(cost + self._paragraph_cost(c, k, role), c + k, k) for k, cost in options.items()]

    def _foot_cost(self, end: int) -> float:
        """With flush (齐底 for the last frame too): each slot left empty at the chain's foot, or
        each line past it (overset), costs as a frame left short."""
        return SHORT_COLUMN * abs(len(self.slots) - end)

    def items_of(self, stories: dict) -> list[tuple]:
        """The story's heads and paragraphs in order: ("head", story) or ("par", runs, indent,
        size, color, role, continued). A paragraph `continued` from the previous page (the rest of
        one cut at a jump) keeps its best setting: a line letter-spaced right after （上接…） would
        show the cut, so another paragraph takes a line more or fewer for the column's sake."""
        styles = self.spec.styles
        out: list[tuple] = []
        self._where: list[tuple[int, int]] = []  # (article, paragraph) of each item; -1: a head
        for a, path in enumerate(self.story.articles):
            story = stories[path]
            if self.story.heads:
                out.append(("head", story))
                self._where.append((a, -1))
            for i, par in enumerate(story.paragraphs):
                if par.stanza and out:
                    out.append(("space", STANZA_LINES))
                    self._where.append((a, i))
                style = styles[self.story.styles[par.role]]
                runs = [_run(s, styles[self.story.styles.get(s.kind, s.kind)]) for s in par.spans]
                indent = style.indent if style.indent is not None else INDENT_EM.get(par.role, 0.0)
                if par.role == VERSE:  # a verse line's indent stays; cut by a jump, it goes on turned
                    out.append(("par", runs, indent, style.size, style.color, TURNED if par.continued else VERSE,
                                par.continued))
                else:
                    out.append(("par", runs, 0.0 if par.continued else indent, style.size, style.color, par.role,
                                par.continued))
                self._where.append((a, i))
        return out

    def run(self, stories: dict) -> None:
        self._stories = stories
        items = self.items_of(stories)
        final = self._foot_cost if self.story.flush else None
        for where, item, choice in zip(self._where, items, best_choices(items, self.cursor, self.steps, final)):
            self._at = (*where, 0)
            if item[0] == "head":
                self.head(item[1])
                continue
            if item[0] == "space":
                self.cursor += choice
                continue
            runs, indent, size, color, role = item[1:6]
            self.tag, self.para = STRUCTURE.get(role, "P"), self.para + 1
            n = band(size, self.spec.grid)
            if n > 1:
                self.big_paragraph(runs, indent, size, color, n)
            elif role in (VERSE, TURNED):
                self.verse(runs, indent, size, color, role == TURNED)
            else:  # a closing line pushed right (署名), a table's rows: as their style aligns them
                align = self.spec.styles[self.story.styles[role]].align
                self.paragraph(runs, indent, size, color, choice, align if align in ALIGNED else "justify")

    def overset_text(self, chars: int = 16) -> tuple[str, Path, int] | None:
        """The text that did not fit: its first characters, its article file and line."""
        if self.overflow is None:
            return None
        o = self.overflow
        story = self._stories[self.story.articles[o.article]]
        if o.paragraph < 0:
            text, line = " ".join(plain(str(story.get(p) or "")) for p in HEAD_PARTS).strip(), 1
        else:
            par = story.paragraphs[o.paragraph]
            text = "".join(rest_of(Story(story.path, {}, (par,)), 0, o.offset).paragraphs[0].text.split())
            line = par.line
        return (text[:chars] + ("…" if len(text) > chars else "")), story.path, line

    def report(self) -> StoryReport:
        over = self.overset_text() if self.cursor > len(self.slots) else None
        return StoryReport(self.story.id, self.cursor, len(self.slots), self.adjustment, self.overfull,
                           over[0] if over else None, f"{_shown(over[1])}:{over[2]}" if over else None,
                           balanced=self.balanced)
