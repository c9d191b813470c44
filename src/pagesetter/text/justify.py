"""Justification (行内调整): place each glyph of a broken line so both edges are flush.

clreq's order, 先挤压、后拉伸: a line too long for its width is squeezed, class by class in
`classes.SHRINK_ORDER` (each class equally, before the next is touched); a line too short is
stretched by spreading the slack equally over its stretchable gaps (never inside an unbreakable
sequence). A paragraph's last line keeps its natural spacing, flush left.
"""
from __future__ import annotations

import math

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


@record
class SetLine:
    """A composed line: glyphs at their positions, flush to `width` unless it is a last line."""

    glyphs: tuple[PlacedGlyph, ...]
    width: float
    last: bool
    overfull: bool
    extent: float = 0.0  # where the set glyphs end (after line-end trimming), from the line's left


    @property
    def text(self) -> str:
        return "".join(g.ch for g in self.glyphs)


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
    """Extra width per gap: word spaces and Han–Latin gaps first, up to their limits (后拉伸),
    then the ordinary gaps between characters equally (a Han–Latin gap never opens to a hole;
    only a line with no ordinary gap spreads the rest over every gap). Never inside an
    unbreakable sequence."""
    extra: dict[int, float] = {}
    first = [i for i in range(s, e - 1) if par.gaps[i].limit > 0]
    room = sum(par.gaps[i].limit for i in first)
    if room > 0:
        take = min(1.0, slack / room)
        extra = {i: par.gaps[i].limit * take for i in first}
        slack -= room * take
    stretchable = [i for i in range(s, e - 1) if par.gaps[i].stretch and not par.gaps[i].kind]
    stretchable = stretchable or [i for i in range(s, e - 1) if par.gaps[i].stretch]
    if slack > 1e-9 and stretchable:
        each = slack / len(stretchable)
        for i in stretchable:
            extra[i] = extra.get(i, 0.0) + each
    return extra


def _deltas(par: Paragraph, brk: Break, sums: Sums) -> tuple[dict[int, float], dict[int, float]]:
    """What each glyph's blank gives up (line-edge trimming, squeezing) and what each gap gains or
    loses (stretching, squeezing) to set the line to its width."""
    s, e = brk.start, brk.end
    head, tail = sums.trims(s, e)
    natural = sums.natural(s, e)
    squeeze: dict[int, float] = {}
    if head:
        squeeze[s] = head
    if tail:
        squeeze[e - 1] = tail
    gap_delta: dict[int, float] = {}
    if natural > brk.width:
        cuts, gap_cuts = _squeeze_amounts(par, s, e, natural - brk.width, set(squeeze))
        squeeze.update(cuts)
        gap_delta = {i: -v for i, v in gap_cuts.items()}
    elif not brk.last:
        gap_delta = _stretch_amounts(par, s, e, brk.width - natural)
    return squeeze, gap_delta


def set_line(par: Paragraph, brk: Break, sums: Sums | None = None) -> SetLine:
    """Position the glyphs of one line within its width (`sums`: the paragraph's, if at hand).
    The loop runs once per glyph of the page, so it reads lists and locals, not dicts and
    attributes: each glyph's cut and the step to the next glyph are made first, in one go."""
    s, e = brk.start, brk.end
    sums = sums or Sums(par)
    squeeze, gap_delta = _deltas(par, brk, sums)
    cuts = [squeeze.get(i, 0.0) for i in range(s, e)] if squeeze else [0.0] * (e - s)
    gap_natural = sums.gap_natural
    steps = [gap_natural[i] + gap_delta.get(i, 0.0) for i in range(s, e - 1)] if gap_delta else gap_natural[s:e - 1]
    steps.append(0.0)  # after the last glyph: not added (x then is the line's extent)
    words = [False] + [gap.kind == "word_space" for gap in par.gaps[s:e - 1]]  # render writes a space
    x = par.indent if s == 0 else 0.0
    placed = []
    last_x = -math.inf  # the previous glyph's origin (rounded, as placed)
    end_shift = not brk.last  # an interpunct at a line's end is set flush
    for g, cut, step, word in zip(par.glyphs[s:e], cuts, steps, words):
        fixed, side, size = g.fixed, g.blank_side, g.size
        shift = fixed + cut if side == -1 else 0.0
        if side == 0 and fixed:  # interpunct: centre the ink in its ½ em, but flush at a line's end
            shift = fixed if end_shift and len(placed) == e - s - 1 else fixed / 2
        # an opening mark that lost its leading blank after a half-width mark or a glyph narrower
        # than that blank (开明式 ：“, a digit) would start where its neighbour starts, or before:
        # origins strictly increase, so every text extractor reads the line in order
        origin = x - shift + g.offset
        if last_x + MIN_ORIGIN_STEP * size > origin:
            origin = last_x + MIN_ORIGIN_STEP * size
        last_x = round(origin, 4)
        placed.append(PlacedGlyph(g.ch, g.font, size, last_x, g.scale, word))
        x += g.advance - fixed - cut  # g.width - cut, without a property call per glyph
        x += step
    return SetLine(tuple(placed), brk.width, brk.last, brk.overfull, round(x, 4))  # x: the extent


def set_paragraph(par: Paragraph, breaks: list[Break], aligned: bool = True,
                  sums: Sums | None = None) -> list[SetLine]:
    """Set every line; with `aligned` False all lines keep natural spacing (for non-justified text).
    `sums`: the paragraph's prefix sums, if at hand."""
    sums = sums or Sums(par)
    if not aligned:
        breaks = [Break(b.start, b.end, b.width, True, b.overfull) for b in breaks]
    return [set_line(par, b, sums) for b in breaks]
