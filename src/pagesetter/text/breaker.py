"""Line breaking (断行): a pure function from a measured paragraph and a width per line to breaks.

It never touches a canvas or a file. Widths come from a function of the line number, so a
paragraph can run from a wide frame into narrow ones or around an image.

The rule order is clreq's 先挤进，后推出: fill the line at natural width; if the break there is
prohibited (避头尾, an unbreakable sequence), first try to squeeze the offending characters onto the
line by compressing punctuation (push-in); only if that is impossible, move the break back to the
previous allowed place (push-out) and let justification spread the freed space.
"""
from __future__ import annotations

from typing import Callable

from .lines import EPS, Break, Sums, allowed, lone_character
from .measure import Paragraph
from .totalfit import RELAXED_STRETCH, total_fit

__all__ = ["Break", "break_lines", "greedy", "total_fit_options"]


def _fill(sums: Sums, s: int, width: float) -> int:
    """The furthest end whose natural width fits (at least one glyph)."""
    n = len(sums.par)
    e = s + 1
    while e < n and sums.natural(s, e + 1) <= width + EPS:
        e += 1
    return e


def _next_line(sums: Sums, s: int, width: float) -> tuple[int, bool]:
    """End of the line starting at s, and whether it is overfull."""
    par = sums.par
    n = len(par)
    e = _fill(sums, s, width)
    fits = sums.natural(s, e) <= width + EPS
    if e >= n and fits:
        return n, False
    if fits and allowed(par, e):
        return e, False
    # 先挤进: the nearest allowed break further on, if squeezing makes it fit
    later = next((k for k in range(e + 1, n + 1) if allowed(par, k)), n)
    if sums.tightest(s, later) <= width + EPS:
        return later, False
    # 后推出: the nearest allowed break before
    earlier = next((k for k in range(e - 1, s, -1) if allowed(par, k)), None)
    if earlier is not None:
        return earlier, False
    return later, True


def _avoid_orphan(sums: Sums, breaks: list[Break]) -> list[Break]:
    """Pull one more unit down from the line above onto a paragraph's lone last character."""
    if len(breaks) < 2 or not lone_character(sums.par, breaks[-1].start, breaks[-1].end):
        return breaks
    above = breaks[-2]
    new_end = next((k for k in range(above.end - 1, above.start, -1) if allowed(sums.par, k)), None)
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
    (`Composition.breaking = "greedy"`) fills each line in turn and has only its own count.
    `options`: total-fit's result for these widths, when the caller already has it.
    """
    if par.settings.breaking == "total-fit" and len(par):
        if options is None:
            options = total_fit_options(par, width_of)
        if options and lines is not None:
            return options[lines][1] if lines in options else None
        if options:
            return min(options.values(), key=lambda o: o[0])[1]
    breaks = greedy(par, width_of)
    return breaks if lines is None or lines == len(breaks) else None


def total_fit_options(par: Paragraph, width_of: Callable[[int], float], sums: Sums | None = None) -> dict:
    """Total-fit's best breaks per line count: line count → (demerits, breaks); `sums`: the
    paragraph's prefix sums, if at hand. When no setting keeps every gap within MAX_STRETCH (a
    long word or URL in a narrow column), the search runs again allowing any stretch, so the
    least loose setting is chosen (empty only if an unbreakable unit is wider than a line, or a
    line would have no gap at all to open: then greedy sets the paragraph)."""
    return total_fit(par, width_of, sums) or total_fit(par, width_of, sums, RELAXED_STRETCH)


def greedy(par: Paragraph, width_of: Callable[[int], float]) -> list[Break]:
    """First-fit breaking: each line as full as 先挤进、后推出 allows, then the orphan rule."""
    sums = Sums(par)
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
