"""Make-up's second pass (自动组版, 调整): the beam chose where each story goes; this pass keeps every
choice of place and shape and moves only the depths. A story a line or two shallower high up lets
the last story of its columns fit at the foot: exact packing is where a beam, which prices the
future only roughly, leaves a few lines overset or empty. Replaying the moves with one depth
changed at a time (coordinate descent) finds those lines; a change is kept when the whole page
costs less. Pure, like the search."""
from __future__ import annotations

from dataclasses import replace

from ..records import record

from .makeup import (CLOSE, EMPTY, HEAD_EXTRA, LEG, OVERSET, Need, Place, Problem, Result, _after,
                     _blocked, _capacity_cost, _close, _depth_cost, _form_cost, _limit, _segments, _settle, _tombstoned,
                     beam_search)

PASSES = 3
STEPS = (-2, -1, 1, 2)  # body lines tried on each depth


def _place_cost(p: Problem, need: Need, q: Place, drop: int, lead: bool) -> tuple[float, int, int]:
    """What the search would have charged for this place: capacity, depth, 刀把, form, head space, drop."""
    room = sum(lines for _, _, lines in q.columns())
    cost, empty, over = _capacity_cost(need, room)
    give = q.head - need.heads[q.span - 1]
    cost += _depth_cost(q.lines - q.head) * (q.span if q.leg_span else 1) + (LEG if q.leg_span else 0.0) + HEAD_EXTRA * max(0, give)
    return cost + _form_cost(p, q, lead) + EMPTY * drop * q.span, empty + drop * q.span, over


def _clamped(p: Problem, q: Place, t: int) -> Place | None:
    """The place cut to end by its columns' limits (the foot, an obstacle): a story below one made
    deeper gives up the lines it no longer has. None if nothing of its text is left."""
    over = max(q.bottom(c) - _limit(p, c, t) for c in range(q.col, q.col + q.span))
    if over <= 0:
        return q
    legs = [c for c in range(q.leg_col, q.leg_col + q.leg_span)]
    leg_over = max((q.bottom(c) - _limit(p, c, t) for c in legs), default=0)
    q = replace(q, leg_lines=max(0, q.leg_lines - leg_over)) if legs and leg_over > 0 else q
    over = max(q.bottom(c) - _limit(p, c, t) for c in range(q.col, q.col + q.span))
    if over > 0:
        q = replace(q, lines=q.lines - over)
    if q.lines <= q.head or (q.leg_span and q.leg_lines <= 0):
        return None
    return q


@record
class _Prefix:
    """The page after the first moves of a replay: skyline, cost, empty lines, places so far."""

    tops: tuple[int, ...]
    cost: float
    empty: int
    places: tuple[Place, ...]


def _start(p: Problem) -> _Prefix:
    return _Prefix(tuple(_settle(p, c, p.top) for c in range(p.cols)), 0.0, 0, ())


def _step(p: Problem, by_id: dict, s: _Prefix, m) -> _Prefix | None:
    """The page one move on (None if the move no longer fits)."""
    if m == CLOSE:
        runs = _segments(p, s.tops)
        if not runs:
            return None
        tops, lost = _close(p, s.tops, *runs[0])
        return _Prefix(tops, s.cost + EMPTY * lost, s.empty + lost, s.places)
    q = m.place
    t = s.tops[q.col]
    if any(s.tops[c] != t for c in range(q.col, q.col + q.span)) or q.lines <= q.head or q.leg_lines < 0:
        return None
    q = _clamped(p, replace(q, line=t + m.drop), t)
    if q is None or _tombstoned(p, s.places, q.col, q.span, *q.head_text()):
        return None
    c, e, over = _place_cost(p, by_id[q.id], q, m.drop, not s.places)
    return _Prefix(_after(p, s.tops, q), s.cost + c + m.extra, s.empty + e, s.places + (replace(q, overset=over),))


def _prefixes(p: Problem, needs: list[Need], moves) -> list[_Prefix | None]:
    """The page before each move and after the last (None from a move that no longer fits)."""
    by_id = {n.id: n for n in needs}
    out: list[_Prefix | None] = [_start(p)]
    for m in moves:
        out.append(_step(p, by_id, out[-1], m) if out[-1] is not None else None)
    return out


def _finish(p: Problem, needs: list[Need], s: _Prefix) -> tuple[float, tuple[Place, ...], int]:
    """The page's cost and empty lines once every move is made: the area still free counts empty,
    stories left unplaced overset."""
    placed = {q.id for q in s.places}
    free = sum(p.bottom - t for t in s.tops) - _blocked(p, s.tops)
    cost = s.cost + EMPTY * free + OVERSET * 10 * sum(n.lines for n in needs if n.id not in placed)
    return cost, s.places, s.empty + free


def replay(p: Problem, needs: list[Need], moves, prefix: list | None = None, first: int = 0,
           bound: float = float("inf")) -> tuple[float, tuple[Place, ...], int] | None:
    """The page the moves make, its cost and empty lines; None if a move no longer fits. With
    `prefix` (`_prefixes` of moves that agree with these before move `first`), the replay starts
    there: the same page, in the same order of sums, for a fraction of the work. Every move costs
    something or nothing, never less: a replay whose cost so far reaches `bound` stops (None)."""
    by_id = {n.id: n for n in needs}
    s = prefix[first] if prefix is not None else _start(p)
    for m in moves[first if prefix is not None else 0:]:
        s = _step(p, by_id, s, m)
        if s is None or s.cost >= bound:
            return None
    return _finish(p, needs, s)


def _deeper(moves, i: int, d: int, leg: bool):
    """The moves with the i-th place d lines deeper (its leg when `leg`), or None."""
    m = moves[i]
    if m == CLOSE or (leg and not m.place.leg_span):
        return None
    q = replace(m.place, leg_lines=m.place.leg_lines + d) if leg else replace(m.place, lines=m.place.lines + d)
    return moves[:i] + (replace(m, place=q),) + moves[i + 1:]


def _variants(moves, overset: set):
    """Each place a line or two deeper or shallower; and for each story left overset, it deeper
    while another is as much shallower (the lines move to it). Each with the first move it changes."""
    for i in range(len(moves)):
        for d in STEPS:
            for leg in (False, True):
                yield i, _deeper(moves, i, d, leg)
    for j, m in enumerate(moves):
        if m == CLOSE or m.place.id not in overset:
            continue
        for d in (1, 2, 3):
            for leg_j in (False, True):
                grown = _deeper(moves, j, d, leg_j)
                for i in (k for k in range(len(moves)) if k != j) if grown else ():
                    for leg_i in (False, True):
                        yield min(i, j), _deeper(grown, i, -d, leg_i)


def make_up(p: Problem, needs: list[Need]) -> Result:
    """Places for the stories (needs[0] the lead): the beam's, with their depths tuned."""
    result = beam_search(p, needs)
    return repaired(p, needs, result, result.moves)


def repaired(p: Problem, needs: list[Need], result: Result, moves, fresh: bool = False) -> Result:
    """The search's result with its depths tuned (or as it was, if nothing costs less); `fresh`:
    the needs changed since (a re-fit), so the replayed page is the starting point whatever it costs."""
    base = replay(p, needs, moves)
    if base is None:
        return result
    best, moves = base, tuple(moves)
    for _ in range(PASSES):
        better = False
        overset = {q.id for q in best[1] if q.overset}
        prefix = _prefixes(p, needs, moves)  # the trials share the moves before the one they change
        for first, trial in _variants(moves, overset):
            got = replay(p, needs, trial, prefix, first, best[0] - 1e-6) if trial is not None else None
            if got is not None and got[0] < best[0] - 1e-6:
                best, found, better = got, trial, True
        if not better:
            break
        moves = found
    if best is base and not fresh:
        return result
    return Result(best[1], best[2], best[0] if fresh else result.cost - base[0] + best[0], moves)
