"""Justification (行内调整): place each glyph of a broken line so both edges are flush.

clreq's order, 先挤压、后拉伸: a line too long for its width is squeezed, class by class in
`classes.SHRINK_ORDER` (each class equally, before the next is touched); a line too short is
stretched by spreading the slack equally over its stretchable gaps (never inside an unbreakable
sequence). A paragraph's last line keeps its natural spacing, flush left.
"""
from __future__ import annotations

import math
from bisect import bisect_left
from itertools import accumulate, repeat
from operator import attrgetter

from ..records import record
from . import classes as C
from .lines import Break, Sums
from .measure import Paragraph

MIN_ORIGIN_STEP = 0.02  # em: the least distance between two glyph origins of a line


@record
class PlacedGlyph:
    ch: str
    font: str
    size: float
    x: float  # pt from the line's left edge to the glyph's origin
    scale: float = 1.0  # horizontal scale the glyph is drawn at (a dash stretched to its cell)
    space_before: bool = False  # the text has a space (a word space) between this glyph and the last
    rise: float = 0.0  # pt the glyph's baseline is raised (a superscript) or lowered (negative: a subscript)


class GlyphRun:
    """A set line's glyphs (一行字), held compactly: `cells` the measured glyphs (anything with
    ch, font, size and scale: text.measure's Glyph records, or PlacedGlyph), `xs` each glyph's
    origin in pt from the line's left edge, `spaced` the indices of the glyphs the text has a word
    space before.

    It reads as the tuple of PlacedGlyph it stands for (iterating, indexing, len, ==, hash), made
    when first asked for; the hot readers (the PDF writer, the structure tree, the flow, dump) read
    the parallel columns directly. Why: a page sets ~6,500 glyphs, and one record per glyph was a
    tenth of composition's time; a line here is three tuples. Immutable, like a tuple.
    """

    __slots__ = ("cells", "xs", "spaced", "_placed")
    cells: tuple
    xs: tuple[float, ...]
    spaced: tuple[int, ...]
    _placed: tuple[PlacedGlyph, ...] | None

    def __init__(self, cells: tuple, xs: tuple[float, ...], spaced: tuple[int, ...] = ()):
        _set = object.__setattr__
        _set(self, "cells", cells)
        _set(self, "xs", xs)
        _set(self, "spaced", spaced)
        _set(self, "_placed", None)

    @classmethod
    def of(cls, glyphs) -> "GlyphRun":
        """The run of a sequence of PlacedGlyph (or a GlyphRun, returned as it is)."""
        if isinstance(glyphs, GlyphRun):
            return glyphs
        glyphs = tuple(glyphs)
        return cls(glyphs, tuple(g.x for g in glyphs), tuple(i for i, g in enumerate(glyphs) if g.space_before))

    def placed(self) -> tuple[PlacedGlyph, ...]:
        """The glyphs as PlacedGlyph records (made once)."""
        placed = self._placed
        if placed is None:
            spaced = self.spaced
            placed = tuple(PlacedGlyph(g.ch, g.font, g.size, x, g.scale, i in spaced, g.rise)
                           for i, (g, x) in enumerate(zip(self.cells, self.xs)))
            object.__setattr__(self, "_placed", placed)
        return placed

    @property
    def text(self) -> str:
        return "".join(map(_CH, self.cells))

    @property
    def size(self) -> float:
        """The largest type size on the line."""
        return max(map(_SIZE, self.cells))

    def __len__(self) -> int:
        return len(self.xs)

    def __iter__(self):
        return iter(self.placed())

    def __getitem__(self, index):
        return self.placed()[index]

    def __eq__(self, other):
        if isinstance(other, (GlyphRun, tuple)):
            return self.placed() == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.placed())

    def __repr__(self) -> str:
        return f"GlyphRun({self.placed()!r})"

    def __setattr__(self, name, value):
        raise AttributeError(f"a GlyphRun is immutable (cannot set {name!r})")

    def __reduce__(self):
        return (GlyphRun, (self.cells, self.xs, self.spaced))


_CH, _SIZE = attrgetter("ch"), attrgetter("size")


@record
class SetLine:
    """A composed line: glyphs at their positions, flush to `width` unless it is a last line."""

    glyphs: GlyphRun
    width: float
    last: bool
    overfull: bool
    extent: float = 0.0  # where the set glyphs end (after line-end trimming), from the line's left


    @property
    def text(self) -> str:
        return GlyphRun.of(self.glyphs).text


def _squeeze_amounts(par: Paragraph, s: int, e: int, excess: float, skip: set[int]):
    """How much each glyph's blank and each gap gives up to absorb `excess` points, class by class
    in clreq's order, each class equally (proportionally) before the next is touched."""
    glyph_cut: dict[int, float] = {}
    gap_cut: dict[int, float] = {}
    for kind in C.SHRINK_ORDER[1:]:
        if excess <= 1e-9:
            break
        glyphs = [i for i in range(s, e) if i not in skip and par.glyphs[i].shrink_kind == kind]
        gap_kind = None if kind == "tight" else kind  # tight setting: the ordinary gaps
        gaps = [i for i in range(s, e - 1) if par.gaps[i].kind == gap_kind and par.gaps[i].shrink]
        room = sum(par.glyphs[i].blank for i in glyphs) + sum(par.gaps[i].shrink for i in gaps)
        if room <= 0:
            continue
        take = min(1.0, excess / room)
        glyph_cut.update({i: par.glyphs[i].blank * take for i in glyphs})
        gap_cut.update({i: par.gaps[i].shrink * take for i in gaps})
        excess -= room * take
    return glyph_cut, gap_cut


def _stretch_amounts(par: Paragraph, s: int, e: int, slack: float) -> dict[int, float]:
    """Extra width per gap (后拉伸), by the caps of classes.STRETCH_FIRST and STRETCH_CAP: word
    spaces and Han–Latin gaps first, up to their caps; then the ordinary gaps between characters
    equally, up to theirs; only what is left then (a line the breaker could set no better) goes
    to every gap that may stretch, narrowest first (_level_up), so no one gap opens to a hole. Never inside a
    word, a number, a URL or an unbreakable sequence, nor before a Chinese mark after Latin."""
    extra: dict[int, float] = {}
    first = [i for i in range(s, e - 1) if par.gaps[i].limit > 0]
    room = sum(par.gaps[i].limit for i in first)
    if room > 0:
        take = min(1.0, slack / room)
        extra = {i: par.gaps[i].limit * take for i in first}
        slack -= room * take
    plain = [i for i in range(s, e - 1) if par.gaps[i].stretch and not par.gaps[i].kind]
    everywhere = [i for i in range(s, e - 1) if par.gaps[i].stretch]
    cap = C.STRETCH_CAP * par.glyphs[s].size
    if slack > 1e-9 and plain:
        each = slack / len(plain)
        if each > cap and len(everywhere) > len(plain):  # past the cap: every gap shares the rest
            each = cap
        for i in plain:
            extra[i] = extra.get(i, 0.0) + each
        slack -= each * len(plain)
    if slack > 1e-9 and everywhere:
        _level_up(par, everywhere, extra, slack)
    elif slack > 1e-9:  # a URL's middle: no gap but its letters'
        letters = [i for i in range(s, e - 1) if par.gaps[i].letter]
        for i in letters:
            extra[i] = extra.get(i, 0.0) + slack / len(letters)
    return extra


def _level_up(par: Paragraph, gaps: list[int], extra: dict[int, float], slack: float) -> None:
    """Share what is left past the caps (a line the breaker could set no better) so that the
    widest gap is as narrow as it can be (水位): the narrowest gaps open first, each to the width
    of the next, word spaces and Han–Latin gaps (already at their caps) last — rather than every
    gap taking an equal part, which opened a word space already at ½ em to a hole."""
    width = {i: par.gaps[i].natural + extra.get(i, 0.0) for i in gaps}
    order = sorted(gaps, key=lambda i: (width[i], i))
    level, n = width[order[0]], 0
    while n < len(order):
        n += 1  # the n narrowest gaps stand at `level`; raise them to the next one's width
        step = (width[order[n]] - level) if n < len(order) else slack / n
        if step * n >= slack:
            level += slack / n
            break
        level += step
        slack -= step * n
    for i in order[:n]:
        extra[i] = extra.get(i, 0.0) + level - width[i]


def _deltas(par: Paragraph, brk: Break, sums: Sums) -> tuple[dict[int, float], list[float]]:
    """What each glyph's blank gives up (line-edge trimming, squeezing), and the step after each
    glyph but the last: its gap, stretched or squeezed to set the line to its width."""
    s, e = brk.start, brk.end
    head, tail = sums.trims(s, e)
    natural = sums.natural(s, e)
    squeeze: dict[int, float] = {}
    if head:
        squeeze[s] = head
    if tail:
        squeeze[e - 1] = tail
    gap_natural, gap_delta = sums.gap_natural, {}
    if natural > brk.width:
        kept = {s} if par.glyphs[s].blank_side == -1 else set()  # a line-start bracket: whole or trimmed
        cuts, gap_cuts = _squeeze_amounts(par, s, e, natural - brk.width, set(squeeze) | kept)
        squeeze.update(cuts)
        gap_delta = {i: -v for i, v in gap_cuts.items()}
    elif not brk.last and sums.plain_gaps(s, e) == e - 1 - s and sums.first_room(s, e) == 0:
        # the common line: every gap an ordinary stretchable one, none stretching first (limits
        # are never negative, so their sum is 0 only if each is): _stretch_amounts would give
        # each gap slack / gaps, as 0.0 + each — the same float as each
        slack = brk.width - natural
        if slack > 1e-9 and e - 1 > s:
            each = slack / (e - 1 - s)
            return squeeze, [nat + each for nat in gap_natural[s:e - 1]]
    elif not brk.last:
        gap_delta = _stretch_amounts(par, s, e, brk.width - natural)
    if gap_delta:
        return squeeze, [gap_natural[i] + gap_delta.get(i, 0.0) for i in range(s, e - 1)]
    return squeeze, gap_natural[s:e - 1]


def _exact_origins(par: Paragraph, brk: Break, cuts: list[float], steps: list[float]) -> tuple[list, float]:
    """Each glyph's origin (rounded, as placed) and the line's extent, glyph by glyph: the
    reference that set_line's fast path equals, and what it falls back on when an origin must be
    pushed on (below)."""
    s, e = brk.start, brk.end
    x = par.indent if s == 0 else 0.0
    xs: list[float] = []
    last_x = -math.inf  # the previous glyph's origin (rounded, as placed)
    end_shift = not brk.last  # an interpunct at a line's end is set flush
    for g, cut, step in zip(par.glyphs[s:e], cuts, steps):
        fixed, side, size = g.fixed, g.blank_side, g.size
        shift = fixed + cut if side == -1 else 0.0
        if side == 0 and fixed:  # interpunct: centre the ink in its ½ em, but flush at a line's end
            shift = fixed if end_shift and len(xs) == e - s - 1 else fixed / 2
        # an opening mark that lost its leading blank after a half-width mark or a glyph narrower
        # than that blank (开明式 ：“, a digit) would start where its neighbour starts, or before:
        # origins strictly increase, so every text extractor reads the line in order
        origin = x - shift + g.offset
        if last_x + MIN_ORIGIN_STEP * size > origin:
            origin = last_x + MIN_ORIGIN_STEP * size
        last_x = round(origin, 4)
        xs.append(last_x)
        x += g.advance - fixed - cut  # g.width - cut, without a property call per glyph
        x += step
    return xs, x


def _placing(sums: Sums) -> tuple[list[int], list[int], list[int]]:
    """What set_line's fast path reads of a paragraph, made once: the glyphs that may sit off
    their cell's start (an opening mark's blank, an interpunct's centring, a drawing offset: every
    other glyph has origin = x exactly); the glyphs p whose origin might be pushed on (p - 1 or p
    is such a glyph, or the least the cell before can shrink to — its width and gap less all it
    may give up — is under MIN_ORIGIN_STEP em, with 0.001 pt to spare for the rounding of
    origins); the glyphs with a word space before them. (List comprehensions: on Python 3.11
    they read attributes faster than map over attrgetter.)"""
    placing = sums.__dict__.get("placing")
    if placing is None:
        glyphs, n, adv, sq = sums.par.glyphs, len(sums.par), sums.adv, sums.sq
        offsets = [i for i, g in enumerate(glyphs) if g.blank_side == -1 or g.offset or (g.fixed and not g.blank_side)]
        least = MIN_ORIGIN_STEP * max([g.size for g in glyphs], default=0.0) + 1e-3
        pushed = [p for p, (a0, a1, q0, q1) in enumerate(zip(adv, adv[1:n], sq, sq[1:]), 1)
                  if (a1 - a0) - (q1 - q0) < least]  # (adv, sq: Sums' prefix sums)
        if offsets:
            pushed = sorted({*pushed, *(p for i in offsets for p in (i, i + 1) if 0 < p < n)})
        words = [i for i, gap in enumerate(sums.par.gaps[:n - 1], 1) if gap.kind == "word_space"]
        placing = sums.__dict__["placing"] = (offsets, pushed, words)
    return placing


def _within(indices: list[int], s: int, e: int) -> list[int]:
    """The sorted `indices` in s..e-1."""
    return indices[bisect_left(indices, s):bisect_left(indices, e)]


def set_line(par: Paragraph, brk: Break, sums: Sums | None = None) -> SetLine:
    """Position the glyphs of one line within its width (`sums`: the paragraph's, if at hand).

    Speed (it runs for every glyph of the page): the origins are the running sum of the glyphs'
    widths and the steps after them, taken by itertools.accumulate over the two interleaved (the
    same additions in the same order as _exact_origins' loop, so the same floats); only the few
    glyphs set off their cell's start are placed one by one, and only the few pairs where an
    origin could need pushing on (_placing) are compared. Should one need it, the line is placed
    by _exact_origins instead."""
    s, e = brk.start, brk.end
    sums = sums or Sums(par)
    squeeze, steps = _deltas(par, brk, sums)
    widths = sums.width[s:e]
    for i, cut in squeeze.items():
        widths[i - s] -= cut  # (g.advance - g.fixed) - cut, as the exact loop has it
    steps.append(0.0)  # after the last glyph: not added (x then is the line's extent)
    offsets, pushed, words = _placing(sums)
    both = [0.0] * (2 * len(widths))
    both[::2], both[1::2] = widths, steps
    running = list(accumulate(both, initial=par.indent if s == 0 else 0.0))
    origins = running[:-1:2]
    end_shift = not brk.last
    for i in _within(offsets, s, e):
        g = par.glyphs[i]
        shift = g.fixed + squeeze.get(i, 0.0) if g.blank_side == -1 else 0.0
        if g.blank_side == 0 and g.fixed:  # as in _exact_origins
            shift = g.fixed if end_shift and i == e - 1 else g.fixed / 2
        origins[i - s] = origins[i - s] - shift + g.offset
    xs = list(map(round, origins, repeat(4)))
    for p in _within(pushed, s + 1, e):
        if xs[p - s - 1] + MIN_ORIGIN_STEP * par.glyphs[p].size > origins[p - s]:
            cuts = [squeeze.get(i, 0.0) for i in range(s, e)]
            xs, x = _exact_origins(par, brk, cuts, steps)
            break
    else:
        x = running[-1]
    spaced = tuple(i - s for i in _within(words, s + 1, e))
    return SetLine(GlyphRun(par.glyphs[s:e], tuple(xs), spaced), brk.width, brk.last, brk.overfull,
                   round(x, 4))  # x: the extent


def set_paragraph(par: Paragraph, breaks: list[Break], aligned: bool = True,
                  sums: Sums | None = None) -> list[SetLine]:
    """Set every line; with `aligned` False all lines keep natural spacing (for non-justified text).
    `sums`: the paragraph's prefix sums, if at hand."""
    sums = sums or Sums(par)
    if not aligned:
        breaks = [Break(b.start, b.end, b.width, True, b.overfull) for b in breaks]
    return [set_line(par, b, sums) for b in breaks]
