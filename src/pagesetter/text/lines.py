"""Line-breaking primitives (断行基础) shared by both strategies (text.breaker's greedy and
text.totalfit's total-fit) and by justification: a line as a glyph range, prefix sums that give
any range's widths in constant time, and the break and orphan tests.

Everything here is pure arithmetic on a measured Paragraph: widths in, numbers out.
"""
from __future__ import annotations

import itertools
from operator import add

from ..records import record
from . import classes as C
from .measure import Paragraph

EPS = 1e-6


@record
class Break:
    """One line of a paragraph: glyphs[start:end], set to `width` points."""

    start: int
    end: int
    width: float
    last: bool  # the paragraph's last line (not stretched)
    overfull: bool = False  # nothing allowed fits: an unbreakable unit wider than the line


def _running(values) -> list:
    """Prefix sums, from 0: [0, v0, v0 + v1, …]."""
    return list(itertools.accumulate(values, initial=0))


class Sums:
    """Prefix sums for constant-time widths of any glyph range s..e (glyphs[s:e]).

    `natural` is the width at natural spacing after line-edge trimming; `tightest` with every
    squeezable blank squeezed (挤进); `tight_room` what closing the ordinary gaps gives of that and
    `stops_room` what the full stops 。． give (the last resorts, in that order); `first_room` what
    word spaces and Han–Latin gaps may stretch before the others (先拉伸); `plain_gaps` how many
    ordinary inter-character gaps share the rest.
    """

    def __init__(self, par: Paragraph):
        self.par = par
        cfg = par.settings
        glyphs, gaps = par.glyphs, par.gaps
        n = len(glyphs)
        # (list comprehensions, not generators, feed the sums: this runs for every paragraph)
        self.gap_natural = [gap.natural for gap in gaps]
        self.width = [g.advance - g.fixed for g in glyphs]  # each glyph's (text.justify reads it too)
        self.adv = _running(list(map(add, self.width, self.gap_natural)))  # (advance - fixed) + gap
        self.squeezable = [g.blank if g.shrink_kind else 0.0 for g in glyphs]
        self.gap_shrink = [gap.shrink for gap in gaps]
        self.sq = _running([q + shrink for q, shrink in zip(self.squeezable, self.gap_shrink)])
        self.stop = _running([q if g.shrink_kind == "stop" else 0.0 for q, g in zip(self.squeezable, glyphs)])
        self.tight = _running([0.0 if gap.kind else gap.shrink for gap in gaps])
        self.limit = _running([gap.limit for gap in gaps])
        self.plain = _running([1 if gap.stretch and not gap.kind else 0 for gap in gaps])
        self.stretchable = _running([1 if gap.stretch else 0 for gap in gaps])
        self.letters = _running([1 if gap.letter else 0 for gap in gaps])
        self.breakable = [gap.breakable for gap in gaps]
        self.head = [g.blank if g.blank_side == -1 else 0.0 for g in glyphs] if cfg.trim_line_start else [0.0] * n
        if par.indent and n:  # after the first-line indent an opening mark keeps its full em (段首)
            self.head[0] = 0.0
        self.tail = [g.blank if g.blank_side == 1 else 0.0 for g in glyphs] if cfg.trim_line_end else [0.0] * n
        # what squeezing may take of an opening mark at a line's start (room() leaves it out: the
        # mark keeps its blank half whole, or loses it whole with trim_line_start — never a part,
        # so every line-start bracket's ink sits at one place, ½ em in or flush)
        self.head_room = [q if g.blank_side == -1 else 0.0 for q, g in zip(self.squeezable, glyphs)]
        # what squeezing may take of a line-end mark already trimmed (room() leaves it out)
        self.tail_room = [q if t else 0.0 for q, t in zip(self.squeezable, self.tail)]

    def trims(self, s: int, e: int) -> tuple[float, float]:
        """Blank trimmed at the line's start and end (line-edge punctuation)."""
        return self.head[s], self.tail[e - 1]

    def natural(self, s: int, e: int) -> float:
        indent = self.par.indent if s == 0 else 0.0
        return (indent + self.adv[e] - self.adv[s] - self.gap_natural[e - 1]
                - self.head[s] - self.tail[e - 1])

    def room(self, s: int, e: int) -> float:
        """What squeezing may take off the line (its edges — a trimmed line-end mark, an opening mark
        at its start — and the gap after it excluded)."""
        edges = self.head_room[s] + (self.squeezable[e - 1] if self.tail[e - 1] else 0.0)
        return self.sq[e] - self.sq[s] - edges - self.gap_shrink[e - 1]

    def tightest(self, s: int, e: int) -> float:
        """Width with everything squeezable squeezed."""
        return self.natural(s, e) - self.room(s, e)

    def stops_room(self, s: int, e: int) -> float:
        """The part of `room` that only the full stops give (squeezed last)."""
        edges = self.squeezable[e - 1] if self.tail[e - 1] and self.par.glyphs[e - 1].shrink_kind == "stop" else 0.0
        return self.stop[e] - self.stop[s] - edges

    def tight_room(self, s: int, e: int) -> float:
        """The part of `room` that closing the ordinary gaps gives (tight setting, 紧排)."""
        return self.tight[e - 1] - self.tight[s]

    def first_room(self, s: int, e: int) -> float:
        """Stretch word spaces and Han–Latin gaps take before the ordinary gaps (to their limits)."""
        return self.limit[e - 1] - self.limit[s]

    def plain_gaps(self, s: int, e: int) -> int:
        """Ordinary stretchable gaps inside the line (the gap after it excluded)."""
        return self.plain[e - 1] - self.plain[s]

    def stretch_gaps(self, s: int, e: int) -> int:
        """Every stretchable gap inside the line."""
        return self.stretchable[e - 1] - self.stretchable[s]

    def letter_gaps(self, s: int, e: int) -> int:
        """Gaps inside Latin runs within the line (letter-spaced only when it has no other gap)."""
        return self.letters[e - 1] - self.letters[s]

    def stretch_per_gap(self, s: int, e: int, width: float, natural: float | None = None) -> float:
        """Points each ordinary gap opens when the line is justified to `width` (as text.justify
        does: word spaces and Han–Latin gaps first, to their limits, then the ordinary gaps); on a
        line with no gap but inside Latin runs, its letter-spacing weighted by
        classes.LETTER_SPACING_WEIGHT. `natural`: the line's natural width, if at hand."""
        natural = self.natural(s, e) if natural is None else natural
        slack = width - natural - self.first_room(s, e)
        if slack <= 0:
            return 0.0
        plain, every = self.plain_gaps(s, e), self.stretch_gaps(s, e)
        if plain:
            return _past_cap(slack, plain, every, self.par.glyphs[s].size)
        if every:
            return slack / every
        letters = self.letter_gaps(s, e)
        return slack / letters * C.LETTER_SPACING_WEIGHT if letters else float("inf")


def _past_cap(slack: float, plain: int, every: int, size: float) -> float:
    """What each of `plain` ordinary gaps opens when `slack` points are spread (text.justify): all of
    it, or past classes.STRETCH_CAP em, the cap and a share of the rest with every other gap."""
    each, cap = slack / plain, C.STRETCH_CAP * size
    if each > cap and every > plain:
        return cap + (slack - cap * plain) / every
    return each


def allowed(par: Paragraph, e: int) -> bool:
    """May a line end after glyph e-1 (before glyph e)?"""
    return e >= len(par) or par.gaps[e - 1].breakable


def lone_character(par: Paragraph, s: int, e: int) -> bool:
    """孤字: a line holding a single character apart from punctuation."""
    count = 0
    for g in par.glyphs[s:e]:  # (tried for every last line total-fit weighs: stops at the second)
        if g.ch not in C.PUNCT:
            count += 1
            if count > 1:
                return False
    return count == 1
