"""Total-fit paragraph breaking (最优断行): choose all of a paragraph's breaks together so that its
spacing is as even as the rules allow, in the manner of Knuth and Plass, over CJK break
opportunities and squeezable punctuation.

A line from glyph s to e is feasible when the break after it is allowed (避头尾, unbreakable
sequences) and it fits with everything squeezable squeezed. Its cost (text.lines.Sums gives the
figures) prices what a reader sees:
- stretch: the space each ordinary gap between characters opens once word spaces and Han–Latin
  gaps have taken their share; it grows with the square of that space, and a line opened by
  `LOOSE_EM` or more (a loose line, 松行) pays `LOOSE` — more than any other fault but 孤字;
- squeeze: pushing marks in (挤进) is cheap and preferred to pushing a character out (推出), as
  clreq and jlreq recommend; closing the ordinary gaps as well (tight setting, 紧排, at most
  classes.TIGHT_EM) costs `TIGHT`, and squeezing a full stop 。． `STOP_SQUEEZE`;
- a paragraph's last line is free unless it holds a lone character (孤字, `ORPHAN`).

The search runs over positions in order and keeps, at each position, only the `KEEP` cheapest
line counts (bounded active breakpoints), so its time and memory grow linearly with the
paragraph; widths come per line number, so the state is (position, line count).
"""
from __future__ import annotations

import bisect
import itertools
import math
from operator import add, mul, sub
from typing import Callable

from . import classes as C
from .lines import EPS, Break, Sums, lone_character
from .measure import Paragraph

LINE_PENALTY = 10.0  # demerits added to every line's badness (fewer lines are better)
STRETCH_UNIT = 0.1  # em per ordinary gap that costs badness STRETCH_BADNESS
STRETCH_BADNESS = 100.0
SQUEEZE_BADNESS = 30.0  # badness of a line squeezed by all its squeezable room
LOOSE_EM = 0.095  # em per gap from which a line reads letter-spaced (松行)
LOOSE = 1e6  # demerits of a loose line
TIGHT = 3e3  # demerits of a line set tight (its ordinary gaps closed), up to twice that when fully
STOP_SQUEEZE = 5e4  # demerits of a line that must squeeze a full stop 。 (the last resort)
ORPHAN = 1e7  # demerits of a lone character on the last line (孤字): only when nothing else sets
MAX_STRETCH = C.STRETCH_CAP  # em per gap beyond which a line is not considered (a first search)
STRETCH_CAP = C.STRETCH_CAP
RELAXED_STRETCH = 8.0  # em per gap: the second search, when no setting keeps within MAX_STRETCH
KEEP = 3  # line counts kept per position: the best one and its neighbours (k±1 for the flow)


def line_cost(sums: Sums, s: int, e: int, width: float, last: bool,
              natural: float | None = None, max_stretch: float = MAX_STRETCH) -> float | None:
    """Demerits of glyphs[s:e] set as one line of `width` points, or None if it cannot be set;
    `natural`: the line's Sums.natural, if at hand. A line whose only gaps are word spaces and
    Han–Latin gaps and that must open them past their caps (classes.STRETCH_FIRST) is loose."""
    par = sums.par
    natural = sums.natural(s, e) if natural is None else natural
    if natural > width + EPS:
        room = sums.room(s, e)
        over = natural - width
        if room <= EPS or over > room + EPS:
            return None
        return _squeezed(over, room, sums.stops_room(s, e), sums.tight_room(s, e))
    if last:
        lone = s > 0 and par.settings.orphan_control and lone_character(par, s, e)
        return ORPHAN if lone else LINE_PENALTY ** 2
    u = sums.stretch_per_gap(s, e, width, natural) / par.glyphs[s].size
    if u > max_stretch:
        return None
    bad = STRETCH_BADNESS * (u / STRETCH_UNIT) ** 2
    past_caps = u > 0 and not sums.plain_gaps(s, e)
    return (LINE_PENALTY + bad) ** 2 + (LOOSE if u >= LOOSE_EM or past_caps else 0.0)


def _squeezed(over: float, room: float, stops: float, tight: float) -> float:
    """The demerits of a line `over` points too long with `room` points to squeeze (over ≤ room),
    `stops` of it from full stops and `tight` from closing the ordinary gaps: the marks' squeeze,
    then the last resorts — tight setting (紧排), then a full stop 。."""
    cost = (LINE_PENALTY + SQUEEZE_BADNESS * (over / room) ** 2) ** 2
    if over > room - stops + EPS:
        return cost + STOP_SQUEEZE
    if over > room - stops - tight + EPS:
        return cost + (TIGHT * (over - (room - stops - tight)) / max(tight, EPS) + TIGHT)
    return cost


def _squeeze_pricer(sums: Sums) -> Callable[[int, int, float, float], float]:
    """squeezed(s, e, over, room): _squeezed for the line glyphs[s:e], with Sums.stops_room and
    tight_room written out over the sums read once (every squeezed line tried comes here; the
    test that total-fit finds what line_cost finds holds the two equal)."""
    squeezable, tails, stop, tights, glyphs = sums.squeezable, sums.tail, sums.stop, sums.tight, sums.par.glyphs

    def squeezed(s: int, e: int, over: float, room: float) -> float:
        tail = e - 1
        stop_edge = squeezable[tail] if tails[tail] and glyphs[tail].shrink_kind == "stop" else 0.0
        return _squeezed(over, room, stop[e] - stop[s] - stop_edge, tights[tail] - tights[s])

    return squeezed


def _line_finder(sums: Sums, width: float,
                 max_stretch: float = MAX_STRETCH) -> Callable[[int], list[tuple[int, float]]]:
    """lines_from(s): every line that may start at s in `width` points, as (end, demerits).

    This is the breaker's inner loop, run for every position of every paragraph, so it is a
    closure over the paragraph's sums (read once per paragraph and width, not per position) and
    Sums' widths (natural, room, tightest) and line_cost's cases are written out in it with the
    same arithmetic in the same order: its demerits are exactly line_cost's. Ends start at the
    first worth trying: every shorter line is looser than `max_stretch` allows (_Reach)."""
    par, n = sums.par, len(sums.par)
    adv, sq, gap_natural, gap_shrink = sums.adv, sums.sq, sums.gap_natural, sums.gap_shrink
    tail, tail_room, breakable, heads = sums.tail, sums.tail_room, sums.breakable, sums.head
    limit, plain, stretchable = sums.limit, sums.plain, sums.stretchable
    letters, head_rooms = sums.letters, sums.head_room
    fits, glyphs, squeezed = width + EPS, par.glyphs, _squeeze_pricer(sums)
    reach, bisect_left = _Reach(sums, max_stretch), bisect.bisect_left

    def lines_from(s: int) -> list[tuple[int, float]]:
        indent, head, adv_s, sq_s, size = (par.indent if s == 0 else 0.0), heads[s], adv[s], sq[s], glyphs[s].size
        target = width - indent + adv_s + limit[s] + max_stretch * size * (s + 1) - _MARGIN  # (_Reach)
        first = min(bisect_left(reach[size], target, s + 1), n)
        start, head_room = indent - adv_s - head, head_rooms[s]
        start_room, limit_s, plain_s, stretch_s = sq_s + head_room, limit[s], plain[s], stretchable[s]
        out = []
        for e in range(first, n):  # the paragraph's end (e = n) after the loop
            p = e - 1  # the gap after the line
            natural = indent + adv[e] - adv_s - gap_natural[p] - head - tail[p]  # Sums.natural exactly
            if natural > width:  # too long at natural spacing: does it fit squeezed (Sums.tightest)?
                # (a line no longer than the width always does: the test's figure differs from
                # the natural width less the room by rounding only, far below EPS)
                near = start + adv[e] - gap_natural[p] - tail[p]
                if near - (sq[e] - start_room - tail_room[p] - gap_shrink[p]) > fits:
                    break
                if not breakable[p]:
                    continue
                if natural > fits:  # squeezed: line_cost's first case, with Sums.room exactly
                    room = sq[e] - sq_s - (head_room + tail_room[p]) - gap_shrink[p]
                    over = natural - width
                    if room > EPS and over <= room + EPS:
                        out.append((e, squeezed(s, e, over, room)))
                    continue
            elif not breakable[p]:
                continue
            slack = width - natural - (limit[p] - limit_s)  # Sums.stretch_per_gap
            plains, every = plain[p] - plain_s, stretchable[p] - stretch_s
            if slack <= 0:
                u = 0.0
            elif plains:  # (Sums.stretch_per_gap, lines._past_cap written out)
                each, cap = slack / plains, STRETCH_CAP * size
                u = (each if each <= cap or every == plains else cap + (slack - cap * plains) / every) / size
            else:
                u = slack / every / size if every else _lettered(slack, letters[p] - letters[s], size)
            if u <= max_stretch:
                bad = STRETCH_BADNESS * (u / STRETCH_UNIT) ** 2
                loose = u >= LOOSE_EM or (u > 0 and not plains)  # (line_cost's past_caps)
                out.append((e, (LINE_PENALTY + bad) ** 2 + (LOOSE if loose else 0.0)))
        else:  # no break: the last line, to the paragraph's end
            cost = line_cost(sums, s, n, width, True)
            if cost is not None:
                out.append((n, cost))
        return out

    return lines_from


def _lettered(slack: float, letters: int, size: float) -> float:
    """Sums.stretch_per_gap (in em) for a line with no gap but inside Latin runs."""
    return slack / letters * C.LETTER_SPACING_WEIGHT / size if letters else math.inf


class _Reach(dict):
    """Where a line from s can first be tight enough (u ≤ max_stretch), by bisection: an exact
    bound, so the ends before it are never tried (on the sample a quarter of the ends tried).

    Over real numbers, with every gap of the line counted (at least as many as share the slack),
    the trims taken as nothing (they only make a line shorter) and each width, limit and count
    read from the prefix sums: a line s..e is looser than MAX_STRETCH if
        width − indent − (adv[e] − adv[s] − gap_natural[e−1]) − (limit[e−1] − limit[s])
            > MAX_STRETCH · size · (e − 1 − s),
    that is if bound[e] < target(s), with
        bound[e] = adv[e] − gap_natural[e−1] + limit[e−1] + MAX_STRETCH · size · e,
        target(s) = width − indent + adv[s] + limit[s] + MAX_STRETCH · size · (s + 1).
    Every end before the first e whose running maximum of bound reaches the target (less a
    margin far above float error) is such a line, and too loose to be tried. Per type size (the
    line's first glyph's), made when first asked for."""

    def __init__(self, sums: Sums, max_stretch: float):
        super().__init__()
        self.sums, self.max_stretch = sums, max_stretch

    def __missing__(self, size: float) -> list[float]:
        sums, step = self.sums, self.max_stretch * size
        # (map over operator functions, C speed: the bound is a bound, so its own rounding, far
        # inside _MARGIN, needs no particular order of operations)
        ends = map(mul, range(1, len(sums.adv)), itertools.repeat(step))
        bound = map(add, map(add, map(sub, sums.adv[1:], sums.gap_natural), sums.limit), ends)
        running = self[size] = list(itertools.accumulate(bound, max, initial=-math.inf))
        return running


_MARGIN = 1e-6  # pt: far above the float error of any figure here (≪ 1e-9 pt), far below a glyph


class _Finders(dict):
    """Width → _line_finder for it, made when first asked for."""

    def __init__(self, sums: Sums, max_stretch: float):
        super().__init__()
        self.sums, self.max_stretch = sums, max_stretch

    def __missing__(self, width: float):
        finder = self[width] = _line_finder(self.sums, width, self.max_stretch)
        return finder


def _pruned(states: dict) -> dict:
    """The KEEP cheapest line counts of a position's states (ties: the fewer lines)."""
    kept = sorted(states.items(), key=lambda kv: (kv[1][0], kv[0]))[:KEEP]
    return dict(sorted(kept))


class _Widths(dict):
    """Line count → width, each read from `width_of` once (a dict look-up per state expanded)."""

    def __init__(self, width_of: Callable[[int], float]):
        super().__init__()
        self.width_of = width_of

    def __missing__(self, k: int) -> float:
        width = self[k] = self.width_of(k)
        return width


def total_fit(par: Paragraph, width_of: Callable[[int], float], sums: Sums | None = None,
              max_stretch: float = MAX_STRETCH) -> dict[int, tuple[float, list[Break]]]:
    """Best breaks for each reachable number of lines (line count → (demerits, breaks)); empty
    if the paragraph cannot be set without an overfull line or a gap opened past `max_stretch` em
    (the caller tries RELAXED_STRETCH, then falls back to greedy). `sums`: the paragraph's prefix
    sums, if at hand."""
    sums = sums or Sums(par)
    n = len(par)
    # best[pos]: line count → (cost, previous position) of the lines ending at pos, None if none
    # does (a list, not a dict by position: read for every line tried)
    best: list[dict[int, tuple[float, int]] | None] = [None] * (n + 1)
    best[0] = {0: (0.0, -1)}
    widths, finders = _Widths(width_of), _Finders(sums, max_stretch)
    for s in range(n):  # (the loop over positions and lines written in place: run per position)
        states = best[s]
        if states is None:
            continue
        if len(states) > KEEP:
            states = best[s] = _pruned(states)
        found: dict[float, list] = {}  # the lines from s per width: found once, whatever the states
        for k, (base, _) in states.items():  # line count → (cost, back)
            width = widths[k]
            lines = found.get(width)
            if lines is None:
                lines = found[width] = finders[width](s)
            k1 = k + 1
            for e, cost in lines:
                total = base + cost
                at = best[e]
                if at is None:
                    best[e] = {k1: (total, s)}
                    continue
                old = at.get(k1)
                if old is None or total < old[0] - 1e-9:
                    at[k1] = (total, s)
    out = {}
    for k, (cost, _) in sorted((best[n] or {}).items()):
        breaks = _trace(best, n, k, width_of)
        if cost < ORPHAN or not _orphaned(par, breaks):  # (loose lines alone may add up to it)
            out[k] = (cost, breaks)
    return out


def _orphaned(par: Paragraph, breaks: list[Break]) -> bool:
    """Does the setting end with a lone character (孤字, priced ORPHAN)?"""
    last = breaks[-1]
    return last.start > 0 and par.settings.orphan_control and lone_character(par, last.start, last.end)


def _trace(best: list, n: int, k: int, width_of) -> list[Break]:
    ends = []
    pos = n
    while pos > 0:
        ends.append((pos, k))
        pos = best[pos][k][1]
        k -= 1
    ends.reverse()
    out, s = [], 0
    for e, k in ends:
        out.append(Break(s, e, width_of(k - 1), e == n))
        s = e
    return out


def demerits(par: Paragraph, breaks: list[Break]) -> float:
    """Total demerits of a set of breaks (for comparing choices)."""
    sums = Sums(par)
    total = 0.0
    for b in breaks:
        cost = line_cost(sums, b.start, b.end, b.width, b.last)
        total += cost if cost is not None else ORPHAN
    return total
