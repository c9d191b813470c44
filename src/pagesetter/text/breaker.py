"""Line breaking (断行): a pure function from a measured paragraph and a width per line to breaks.

It never touches a canvas or a file. Widths come from a function of the line number, so a
paragraph can run from a wide frame into narrow ones or around an image.

The rule order is clreq's 先挤进，后推出: fill the line at natural width; if the break there is
prohibited (避头尾, an unbreakable sequence), first try to squeeze the offending characters onto the
line by compressing punctuation (push-in); only if that is impossible, move the break back to the
previous allowed place (push-out) and let justification spread the freed space.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from . import classes as C
from .measure import Paragraph

EPS = 1e-6


@dataclass(frozen=True)
class Break:
    """One line of a paragraph: glyphs[start:end], set to `width` points."""

    start: int
    end: int
    width: float
    last: bool  # the paragraph's last line (not stretched)
    overfull: bool = False  # nothing allowed fits: an unbreakable unit wider than the line


class _Sums:
    """Prefix sums for constant-time natural and squeezable widths of any glyph range."""

    def __init__(self, par: Paragraph):
        self.par = par
        cfg = par.settings
        self.adv = [0.0]
        self.blank = [0.0]
        self.stretchable = [0]  # stretchable gaps before glyph i
        self.head = []  # blank trimmed when glyph i starts a line (an opening mark)
        self.tail = []  # blank trimmed when glyph i ends a line (a closing mark)
        self.gap_natural = [gap.natural for gap in par.gaps]
        self.gap_shrink = [gap.shrink for gap in par.gaps]
        for g, gap in zip(par.glyphs, par.gaps):
            self.adv.append(self.adv[-1] + g.width + gap.natural)
            self.blank.append(self.blank[-1] + g.blank + gap.shrink)
            self.stretchable.append(self.stretchable[-1] + gap.stretch)
            self.head.append(g.blank if cfg.trim_line_start and g.blank_side == -1 else 0.0)
            self.tail.append(g.blank if cfg.trim_line_end and g.blank_side == 1 else 0.0)

    def trims(self, s: int, e: int) -> tuple[float, float]:
        """Blank trimmed at the line's start and end (line-edge punctuation)."""
        return self.head[s], self.tail[e - 1]

    def natural(self, s: int, e: int) -> float:
        indent = self.par.indent if s == 0 else 0.0
        return (indent + self.adv[e] - self.adv[s] - self.gap_natural[e - 1]
                - self.head[s] - self.tail[e - 1])

    def tightest(self, s: int, e: int) -> float:
        """Width with everything squeezable squeezed (the gap after the line's end excluded)."""
        squeezable = (self.blank[e] - self.blank[s] - self.head[s] - self.tail[e - 1]
                      - self.gap_shrink[e - 1])
        return self.natural(s, e) - squeezable


def _allowed(par: Paragraph, e: int) -> bool:
    """May a line end after glyph e-1 (before glyph e)?"""
    return e >= len(par) or par.gaps[e - 1].breakable


def _fill(sums: _Sums, s: int, width: float) -> int:
    """The furthest end whose natural width fits (at least one glyph)."""
    n = len(sums.par)
    e = s + 1
    while e < n and sums.natural(s, e + 1) <= width + EPS:
        e += 1
    return e


def _next_line(sums: _Sums, s: int, width: float) -> tuple[int, bool]:
    """End of the line starting at s, and whether it is overfull."""
    par = sums.par
    n = len(par)
    e = _fill(sums, s, width)
    fits = sums.natural(s, e) <= width + EPS
    if e >= n and fits:
        return n, False
    if fits and _allowed(par, e):
        return e, False
    # 先挤进: the nearest allowed break further on, if squeezing makes it fit
    later = next((k for k in range(e + 1, n + 1) if _allowed(par, k)), n)
    if sums.tightest(s, later) <= width + EPS:
        return later, False
    # 后推出: the nearest allowed break before
    earlier = next((k for k in range(e - 1, s, -1) if _allowed(par, k)), None)
    if earlier is not None:
        return earlier, False
    return later, True


def _lone_character(par: Paragraph, s: int, e: int) -> bool:
    """孤字: a line holding a single character apart from punctuation."""
    return sum(1 for g in par.glyphs[s:e] if not C.is_punct(g.ch)) == 1


def _avoid_orphan(sums: _Sums, breaks: list[Break]) -> list[Break]:
    """Pull one more unit down from the line above onto a paragraph's lone last character."""
    if len(breaks) < 2 or not _lone_character(sums.par, breaks[-1].start, breaks[-1].end):
        return breaks
    above = breaks[-2]
    new_end = next((k for k in range(above.end - 1, above.start, -1) if _allowed(sums.par, k)), None)
    if new_end is None:
        return breaks
    last = breaks[-1]
    if sums.natural(new_end, last.end) > last.width + EPS:
        return breaks
    return breaks[:-2] + [Break(above.start, new_end, above.width, False, above.overfull),
                          Break(new_end, last.end, last.width, True)]


def break_lines(par: Paragraph, width_of: Callable[[int], float], lines: int | None = None,
                options: dict | None = None) -> list[Break] | None:
    """Break a paragraph into lines; `width_of(k)` is the width in points of its k-th line.

    With total-fit breaking (the default) `lines` asks for the best setting with exactly that
    many lines (None if the rules allow none: used to avoid stranded lines); greedy breaking
    (`Composition.breaking = "greedy"`) fills each line in turn and ignores `lines`.
    `options`: total-fit's result for these widths, when the caller already has it.
    """
    if par.settings.breaking == "total-fit" and len(par):
        if options is None:
            options = total_fit_options(par, width_of)
        if lines is not None:
            return options[lines][1] if lines in options else None
        if options:
            return min(options.values(), key=lambda o: o[0])[1]
    elif lines is not None:
        return None
    return greedy(par, width_of)


def total_fit_options(par: Paragraph, width_of: Callable[[int], float]) -> dict:
    """Total-fit's best breaks per line count (text.totalfit, which builds on this module)."""
    from .totalfit import total_fit

    return total_fit(par, width_of)


def greedy(par: Paragraph, width_of: Callable[[int], float]) -> list[Break]:
    """First-fit breaking: each line as full as 先挤进、后推出 allows, then the orphan rule."""
    sums = _Sums(par)
    breaks: list[Break] = []
    s, n = 0, len(par)
    while s < n:
        width = width_of(len(breaks))
        e, overfull = _next_line(sums, s, width)
        breaks.append(Break(s, e, width, e >= n, overfull))
        s = e
    if par.settings.orphan_control:
        breaks = _avoid_orphan(sums, breaks)
    return breaks
