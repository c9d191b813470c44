"""Total-fit paragraph breaking (最优断行): choose all of a paragraph's breaks together so that its
spacing is as even as the rules allow, in the manner of Knuth and Plass, over CJK break
opportunities and squeezable punctuation.

A line from glyph s to e is feasible when the break after it is allowed (避头尾, unbreakable
sequences) and it fits with everything squeezable squeezed. Its badness grows with the stretch
per gap when it is short and, more gently, with the squeeze when it is long — pushing a mark in
(挤进) is preferred to pushing a character out (推出), as clreq and jlreq recommend. A paragraph's
last line is free unless it would hold a lone character (孤字), which is ruled out when any other
choice exists. Widths come per line number, so the search state is (position, line number).
"""
from __future__ import annotations

import bisect
from typing import Callable

from .breaker import EPS, Break, _allowed, _lone_character, _Sums
from .measure import Paragraph

LINE_PENALTY = 10.0
ORPHAN = 1e7
STRETCH_UNIT = 0.1  # em per gap that costs badness 100
MAX_STRETCH = 0.3  # em per gap beyond which a line is not considered (greedy remains the fallback)


def _badness(sums: _Sums, s: int, e: int, width: float, last: bool) -> float | None:
    par = sums.par
    natural = sums.natural(s, e)
    if natural > width + EPS:
        room = natural - sums.tightest(s, e)
        if room <= EPS or natural - width > room + EPS:
            return None
        r = (natural - width) / room
        return 30.0 * r * r
    if last:
        lone = s > 0 and par.settings.orphan_control and _lone_character(par, s, e)
        return ORPHAN if lone else 0.0
    gaps = (sums.stretchable[e - 1] - sums.stretchable[s]) or 1
    u = (width - natural) / gaps / par.glyphs[s].size
    if u > MAX_STRETCH:
        return None
    return 100.0 * (u / STRETCH_UNIT) ** 2


def total_fit(par: Paragraph, width_of: Callable[[int], float]) -> dict[int, tuple[float, list[Break]]]:
    """Best breaks for each achievable number of lines (line count → (demerits, breaks)); empty
    if the paragraph cannot be set without an overfull line (the caller falls back to greedy)."""
    sums = _Sums(par)
    n = len(par)
    # best[(pos, lines)] = (demerits, previous node)
    best: dict[tuple[int, int], tuple[float, tuple[int, int] | None]] = {(0, 0): (0.0, None)}
    frontier = [(0, 0)]
    while frontier:
        nxt: set[tuple[int, int]] = set()
        for node in sorted(frontier):
            s, k = node
            base = best[node][0]
            width = width_of(k)
            # skip ends so short that no line could be that loose: natural width is at most the
            # prefix-sum difference plus the indent (plus under 1 em of negative tracking), so
            # bisect to just before the floor, then step to the exact place
            floor = width * (1 - MAX_STRETCH) - EPS
            slack = (par.indent if s == 0 else 0.0) + par.glyphs[s].size
            e0 = max(s + 1, bisect.bisect_left(sums.adv, sums.adv[s] + floor - slack) - 1)
            e0 = min(e0, n)
            while e0 < n and sums.natural(s, e0 + 1) < floor:
                e0 += 1
            for e in range(e0, n + 1):
                if e < n and sums.tightest(s, e) > width + EPS:
                    break
                if not _allowed(par, e):
                    continue
                bad = _badness(sums, s, e, width, e == n)
                if bad is None:
                    continue
                cost = base + (LINE_PENALTY + bad) ** 2
                key = (e, k + 1)
                if key not in best or cost < best[key][0] - 1e-9:
                    best[key] = (cost, node)
                    if e < n:
                        nxt.add(key)
        frontier = list(nxt)
    out = {}
    for (pos, k), (cost, _) in sorted(best.items()):
        if pos == n and k and cost < ORPHAN:
            out[k] = (cost, _trace(best, (pos, k), width_of, n))
    return out


def _trace(best, node, width_of, n: int) -> list[Break]:
    ends = []
    while node is not None and node[0] > 0:
        ends.append(node)
        node = best[node][1]
    ends.reverse()
    out, s = [], 0
    for e, k in ends:
        out.append(Break(s, e, width_of(k - 1), e == n))
        s = e
    return out


def demerits(par: Paragraph, breaks: list[Break]) -> float:
    """Total demerits of a set of breaks (for comparing choices)."""
    sums = _Sums(par)
    total = 0.0
    for b in breaks:
        bad = _badness(sums, b.start, b.end, b.width, b.last)
        total += (LINE_PENALTY + (bad if bad is not None else ORPHAN)) ** 2
    return total
