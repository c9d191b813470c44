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
from typing import Callable

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
MAX_STRETCH = 0.25  # em per gap beyond which a line is not considered (greedy remains the fallback)
KEEP = 3  # line counts kept per position: the best one and its neighbours (k±1 for the flow)


def line_cost(sums: Sums, s: int, e: int, width: float, last: bool,
              natural: float | None = None) -> float | None:
    """Demerits of glyphs[s:e] set as one line of `width` points, or None if it cannot be set;
    `natural`: the line's Sums.natural, if at hand."""
    par = sums.par
    natural = sums.natural(s, e) if natural is None else natural
    if natural > width + EPS:
        room = sums.room(s, e)
        over = natural - width
        if room <= EPS or over > room + EPS:
            return None
        return (LINE_PENALTY + SQUEEZE_BADNESS * (over / room) ** 2) ** 2 + _last_resorts(sums, s, e, over, room)
    if last:
        lone = s > 0 and par.settings.orphan_control and lone_character(par, s, e)
        return ORPHAN if lone else LINE_PENALTY ** 2
    u = sums.stretch_per_gap(s, e, width, natural) / par.glyphs[s].size
    if u > MAX_STRETCH:
        return None
    bad = STRETCH_BADNESS * (u / STRETCH_UNIT) ** 2
    return (LINE_PENALTY + bad) ** 2 + (LOOSE if u >= LOOSE_EM else 0.0)


def _last_resorts(sums: Sums, s: int, e: int, over: float, room: float) -> float:
    """What squeezing costs beyond the marks: tight setting (紧排), then a full stop 。."""
    stops, tight = sums.stops_room(s, e), sums.tight_room(s, e)
    if over > room - stops + EPS:
        return STOP_SQUEEZE
    if over > room - stops - tight + EPS:
        return TIGHT * (over - (room - stops - tight)) / max(tight, EPS) + TIGHT
    return 0.0


def _first_end(sums: Sums, s: int, width: float) -> int:
    """The first end worth trying from s: shorter lines would be looser than MAX_STRETCH allows.
    Natural width is at most the prefix-sum difference plus the indent (plus under 1 em of
    negative tracking), so bisect to just before the floor, then step to the exact place."""
    par, n = sums.par, len(sums.par)
    floor = width * (1 - MAX_STRETCH) - EPS
    slack = (par.indent if s == 0 else 0.0) + par.glyphs[s].size
    e0 = max(s + 1, bisect.bisect_left(sums.adv, sums.adv[s] + floor - slack) - 1)
    e0 = min(e0, n)
    while e0 < n and sums.natural(s, e0 + 1) < floor:
        e0 += 1
    return e0


def _lines_from(sums: Sums, s: int, width: float) -> list[tuple[int, float]]:
    """Every line that may start at s in `width` points: (end, demerits). The widths are
    Sums.natural and Sums.tightest written out, since this loop is the breaker's inner one."""
    n = len(sums.par)
    adv, sq, gap_natural, gap_shrink = sums.adv, sums.sq, sums.gap_natural, sums.gap_shrink
    tail, squeezable, breakable = sums.tail, sums.squeezable, sums.breakable
    indent, head = (sums.par.indent if s == 0 else 0.0), sums.head[s]
    start = indent - adv[s] - head
    start_room = sq[s] + (squeezable[s] if head else 0.0)
    out = []
    for e in range(_first_end(sums, s, width), n + 1):
        near = start + adv[e] - gap_natural[e - 1] - tail[e - 1]  # natural width, for the fit test
        if e < n:
            room = sq[e] - start_room - (squeezable[e - 1] if tail[e - 1] else 0.0) - gap_shrink[e - 1]
            if near - room > width + EPS:
                break
            if not breakable[e - 1]:
                continue
        # Sums.natural exactly (its additions in its order), so the cost is what line_cost gives
        natural = indent + adv[e] - adv[s] - gap_natural[e - 1] - head - tail[e - 1]
        cost = line_cost(sums, s, e, width, e == n, natural)
        if cost is not None:
            out.append((e, cost))
    return out


def _expand(sums: Sums, s: int, states: dict, width_of, best: dict) -> None:
    """Try every line starting at s from each kept state there (line count → (cost, back)); the
    lines are found once per distinct width, not once per state."""
    found: dict[float, list] = {}
    for k, (base, _) in states.items():
        width = width_of(k)
        lines = found.get(width)
        if lines is None:
            lines = found[width] = _lines_from(sums, s, width)
        k1 = k + 1
        for e, cost in lines:
            at = best.get(e)
            if at is None:
                best[e] = {k1: (base + cost, s)}
                continue
            old = at.get(k1)
            if old is None or base + cost < old[0] - 1e-9:
                at[k1] = (base + cost, s)


def _pruned(states: dict) -> dict:
    if len(states) <= KEEP:
        return states
    kept = sorted(states.items(), key=lambda kv: (kv[1][0], kv[0]))[:KEEP]
    return dict(sorted(kept))


def total_fit(par: Paragraph, width_of: Callable[[int], float],
              sums: Sums | None = None) -> dict[int, tuple[float, list[Break]]]:
    """Best breaks for each reachable number of lines (line count → (demerits, breaks)); empty
    if the paragraph cannot be set without an overfull line (the caller falls back to greedy).
    `sums`: the paragraph's prefix sums, if at hand."""
    sums = sums or Sums(par)
    n = len(par)
    best: dict[int, dict[int, tuple[float, int]]] = {0: {0: (0.0, -1)}}  # pos → k → (cost, prev pos)
    for s in range(n):
        if s in best:
            best[s] = _pruned(best[s])
            _expand(sums, s, best[s], width_of, best)
    out = {}
    for k, (cost, _) in sorted(best.get(n, {}).items()):
        if cost < ORPHAN:
            out[k] = (cost, _trace(best, n, k, width_of))
    return out


def _trace(best: dict, n: int, k: int, width_of) -> list[Break]:
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
