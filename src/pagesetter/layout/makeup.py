"""Automatic make-up (自动组版), the search: what each story needs in, a place for each story out.

Pure: no fonts, no files. `layout.makeup_measure` measures the stories (by composing them),
`layout.makeup_spec` turns the places into frames, chains, headline blocks and rules.

The model (docs/make-up.md): the free area is a skyline — per basic column the next free line.
Stories are placed in rank order, each on one of the two highest flat runs of columns (a segment;
the leftmost of equal ones first, so the lead takes the top left), taking the whole segment: a rectangle of
whole columns × whole lines, its head across all its columns, its text in basic columns below.
A story may instead take a 刀把 (L-shape): all its columns for some lines, then fewer columns
further down — the only way text-only stories end at different heights side by side, which is
what keeps heads from standing side by side at one height (碰题, tombstoning: refused outright).
The search is a beam over these choices (segment, depth, 刀把 legs), ranked by the cost so far
plus an estimate of what the stories left will cost (`_ahead`); ties are broken by the places
themselves, so it is deterministic. `layout.makeup_repair` then tunes the depths.
"""
from __future__ import annotations

import functools
import heapq
import math

from dataclasses import field

from ..records import record

# cost terms (docs/make-up.md gives the measured effect of each)
EMPTY = 100.0  # a body line left empty: at a column's foot inside a story, or in the area
OVERSET = 10_000.0  # a line of text with no room on the page
LEG = 250.0  # a 刀把 (L-shaped story)
SHALLOW = 30.0  # per line a story's columns are shallower than SHALLOW_LINES
SHALLOW_LINES = 6
DEEP = 4.0  # per line a story's columns are deeper than DEEP_LINES
DEEP_LINES = 60
SWAP = 2000.0  # a story placed before the one ranked above it: only to save a page
NOT_NATURAL = 3.0  # per line set tighter or looser than the story's best setting
SMALL_LEAD = 400.0  # a story larger than the lead (the lead is the largest)
JUMPED = 40.0  # a line of a story that jumps (转版), set on the later page instead of this one
JUMP_MIN = 12  # body lines a story that jumps keeps on its first page, at least
MAX_DROP = 12  # lines a story may start below its segment's top to clear a head beside it
HEAD_GIVE = 3  # lines a head may take beyond its own to end a story at the foot
HEAD_EXTRA = 20.0  # per such line
BEAM = 48
PER_STATE = 8  # the cheapest ways on from each state that are carried into the beam
SEGMENTS = 2  # the highest segments a story may take (reading order: the highest first)
LOWER = 40.0  # a story placed on a lower segment while a higher one is still free
LOOKAHEAD = 2  # the next stories in rank order that may take a segment (the second at SWAP)
LEG_STEPS = 3  # depths tried for a 刀把's upper part
MIN_LEG = 4  # lines a 刀把's leg reaches below its upper part, at least
# the page's look (版面): full width (通栏) is the lead's; other stories prefer modules of 2–4 columns;
# a 刀把's band (its upper part, under its head) is no shallow strip over a deep leg
WIDE = 400.0  # a story other than the lead across the area's whole width
MODULE = (2, 4)  # the spans a story other than the lead prefers
MODULE_OFF = 40.0  # per column its span lies outside MODULE
BAND_LINES = 10  # body lines a 刀把's band reaches, at least
BAND = 10.0  # per line per column a band is shallower than BAND_LINES


@record
class Need:
    """What a story needs: its text in body lines at one basic column (best setting, fewest with
    tightening, most with loosening) and its head's height in lines for each span (heads[w - 1])."""

    id: str
    lines: int
    lo: int
    hi: int
    heads: tuple[int, ...]
    jumps: bool = False  # in an edition, what does not fit continues on a later page (转版)
    weight: float = 1.0  # how much setting it off its best costs (rank: the lead most)
    mark: int = 0  # a story whose heads are set in the flow: its first head's lines (a head all the same)
    head_space: int = 0  # lines of `heads` that are the house's space under a head, not its text


@record
class Place:
    """A story's place: columns col..col+span-1 (area-relative from 0), lines line..line+lines-1
    (absolute grid lines) with its head in the first `head` lines; a 刀把 adds `leg_lines` more
    lines in columns leg_col..leg_col+leg_span-1. `overset`: lines its text is estimated not to fit."""

    id: str
    col: int
    span: int
    line: int
    lines: int
    head: int
    leg_col: int = 0
    leg_span: int = 0
    leg_lines: int = 0
    overset: int = 0
    mark: int = 0  # lines of a head set in the flow at its top (no headline block): seen for 碰题
    ink: int = 0  # lines of its headline block that hold the head's text (0: all of them)

    @property
    def seen(self) -> int:
        """Lines at its top a reader sees as a head: its headline block's, or its in-flow head's."""
        return self.head or self.mark

    def head_text(self) -> tuple[int, int]:
        """The lines its head's text stands on (first, end; half-open): centred in its headline
        block (as the block sets it: the house's space and any extra lines split above and below),
        or the in-flow head's at its top. (0, 0) without a head."""
        if self.head:
            ink = min(self.ink or self.head, self.head)
            first = self.line + (self.head - ink) // 2
            return first, first + ink
        return (self.line, self.line + self.mark) if self.mark else (0, 0)

    def columns(self) -> list[tuple[int, int, int]]:
        """(column, first body line, body lines) of each of its text columns, in reading order."""
        out = []
        for c in range(self.col, self.col + self.span):
            extra = self.leg_lines if self.leg_col <= c < self.leg_col + self.leg_span else 0
            out.append((c, self.line + self.head, self.lines - self.head + extra))
        return out

    def bottom(self, c: int) -> int:
        """The line below its last line in column c."""
        extra = self.leg_lines if self.leg_col <= c < self.leg_col + self.leg_span else 0
        return self.line + self.lines + extra

    def cells(self) -> int:
        return self.span * self.lines + self.leg_span * self.leg_lines


@record
class Problem:
    """The area as the search sees it: `cols` columns (area-relative), lines top..bottom-1,
    obstacles (fixed blocks and frames: (col0, col1, line0, line1) area-relative columns, half-open)
    and fixed heads (same form) that no story's head may stand beside."""

    cols: int
    top: int
    bottom: int
    obstacles: tuple = ()
    heads: tuple = ()
    rules: tuple = ()  # fixed vertical rules: (gutter, line0, line1); gutter g runs between columns g - 1 and g
    space: int = 1
    spans: tuple[int, int] = (1, 40)
    lead_span: tuple[int, int] = (1, 40)


@record
class Result:
    places: tuple[Place, ...]
    empty: int  # body lines left empty in the area (column feet and gaps)
    cost: float
    moves: tuple = field(default=(), compare=False, repr=False)  # how, for replaying (makeup_repair)


@record
class Move:
    """One placement the search made: the place, how far below its segment's top it starts (to
    clear a head beside it), and the cost of choosing it there (rank order, a lower segment)."""

    place: Place
    drop: int
    extra: float


CLOSE = "close"  # a move: the highest segment given up


@record
class _State:
    cost: float
    tops: tuple[int, ...]
    left: tuple[int, ...]  # indexes of the stories still to place, in rank order
    places: tuple[Place, ...]
    empty: int
    ahead: float = 0.0  # the estimated cost of what is left (`_ahead`), for ranking the beam
    moves: tuple = ()  # what was done, in order, to replay it (makeup_repair): Move or a close
    named: tuple = ()  # the places as (id, shape), for breaking ties (`_key`): grown one place at a time
    heads: tuple = ()  # the places' heads (`_heads`): grown one place at a time


@functools.lru_cache(maxsize=4096)
def _head_cells(p: Problem, need: Need) -> int:
    """The cells (columns × lines) the story's head and the space above it take at a typical span
    (a third of the area, within the house spans)."""
    lo, hi = p.spans
    w = max(min(lo, p.cols), min(hi, p.cols, max(1, round(p.cols / 3))))
    return (need.heads[w - 1] + p.space) * w


def _sums(p: Problem, needs: list[Need], left: tuple[int, ...], heads: list[int]) -> tuple[int, int]:
    """The fewest and most cells the stories left take: text and heads (`heads`: each story's
    head cells, `_head_cells`)."""
    lo = hi = 0
    for i in left:
        n = needs[i]
        h = heads[i]
        lo, hi = lo + n.lo + h, hi + n.hi + h
    return lo, hi


def _ahead(p: Problem, tops: tuple[int, ...], lo: int, hi: int, stories: int, memo: "_Memo | None" = None) -> float:
    """What the `stories` left (needing lo to hi cells, `_sums`) will cost at least: lines that
    cannot fit the room left (overset), or room that even their loosest setting leaves empty.
    A story takes one segment whole, so with more segments than stories the cheapest of them to
    give up are lost room. Without this the beam would prefer states that look cheap now and run
    out of room later (full-width heads, no 刀把, a skyline too ragged for the stories left)."""
    key = (tops, stories)
    if memo is None or key not in memo.room:
        free = p.cols * p.bottom - sum(tops) - (_blocked(p, tops) if p.obstacles else 0)
        runs = _segments(p, tops)
        lost = 0
        if len(runs) > stories:
            lost = sum(sorted(_close(p, tops, a, b)[1] for a, b in runs)[:len(runs) - stories])
        if memo is None:
            return _ahead_of(lo, hi, free, lost)
        memo.room[key] = free, lost
    return _ahead_of(lo, hi, *memo.room[key])


def _ahead_of(lo: int, hi: int, free: int, lost: int) -> float:
    short, spare = lo - (free - lost), free - hi
    if short > 0:
        return OVERSET * short + EMPTY * lost
    return EMPTY * max(spare, lost, 0)


def _settle(p: Problem, c: int, t: int) -> int:
    """A column's next free line from t: below any obstacle t falls in."""
    if not p.obstacles:
        return min(t, p.bottom)
    moved = True
    while moved:
        moved = False
        for c0, c1, l0, l1 in p.obstacles:
            if c0 <= c < c1 and l0 <= t < l1:
                t, moved = l1, True
    return min(t, p.bottom)


def _limit(p: Problem, c: int, t: int) -> int:
    """The line a story starting at t in column c must end by: the next obstacle's top, or the foot."""
    if not p.obstacles:
        return p.bottom
    return min([l0 for c0, c1, l0, l1 in p.obstacles if c0 <= c < c1 and l0 >= t] + [p.bottom])


def _segments(p: Problem, tops: tuple[int, ...]) -> list[tuple[int, int]]:
    """The runs of columns with one free line, highest first (leftmost of equals)."""
    runs, c, n = [], 0, p.cols
    while c < n:
        t, b = tops[c], c + 1
        while b < n and tops[b] == t:
            b += 1
        if t < p.bottom:
            runs.append((t, c, b))
        c = b
    runs.sort()
    return [(c, b) for _, c, b in runs]


def _segment(p: Problem, tops: tuple[int, ...]) -> tuple[int, int] | None:
    """The highest run of columns with one free line (leftmost of equals), or None when all are full."""
    runs = _segments(p, tops)
    return runs[0] if runs else None


def _tombstoned(p: Problem, places, col: int, span: int, first: int, end: int) -> int:
    """Would a head whose text stands on lines first..end-1 across these columns stand beside
    another head at the same height (碰题)? The line below the heads it would stand beside (0: it
    would not). See `tombstones` for the rule."""
    return _beside(p, _heads(places), col, span, first, end)


def _beside(p: Problem, heads, col: int, span: int, first: int, end: int) -> int:
    """`_tombstoned` with the placed stories' heads given (`_heads`); the fixed heads are added."""
    if end <= first:
        return 0
    below = 0
    for c0, c1, l0, l1 in (*heads, *p.heads):
        gutter = col if c1 == col else col + span if c0 == col + span else None
        if gutter is not None and l0 < end and first < l1 and not _ruled(p, gutter, max(l0, first), min(l1, end)):
            below = max(below, l1)
    return below


def _ruled(p: Problem, gutter: int, first: int, end: int) -> bool:
    """Does a fixed rule run down this gutter beside all of lines first..end-1?"""
    return any(g == gutter and l0 <= first and end <= l1 for g, l0, l1 in p.rules)


def _heads(places) -> list[tuple[int, int, int, int]]:
    """The heads of the places as the lines their text stands on: (col0, col1, line0, line1), half-open."""
    return [(q.col, q.col + q.span) + q.head_text() for q in places if q.seen]


def _capacity_cost(need: Need, capacity: int) -> tuple[float, int, int]:
    """Cost, empty lines and overset lines of `capacity` body lines for this story's text. Set
    tighter or looser than its best costs more the higher the story's rank (`Need.weight`): the
    stories at the top keep their natural setting, and so their places when a story below them
    changes; the fitting is done at the foot."""
    empty = max(0, capacity - need.hi)
    over = max(0, need.lo - capacity)
    natural = abs(min(max(capacity, need.lo), need.hi) - need.lines) * need.weight
    if need.jumps and capacity >= min(need.lo, JUMP_MIN):  # the rest continues on a later page
        return EMPTY * empty + JUMPED * over + NOT_NATURAL * natural, empty, 0
    return EMPTY * empty + OVERSET * over + NOT_NATURAL * natural, empty, over


def _depth_cost(k: int) -> float:
    return SHALLOW * max(0, SHALLOW_LINES - k) + DEEP * max(0, k - DEEP_LINES)


def _form_cost(p: Problem, q: Place, lead: bool) -> float:
    """What the place's form costs the page's look: a story other than the lead across the whole
    width (WIDE) or outside the MODULE spans, and a 刀把's band shallower than BAND_LINES."""
    cost = 0.0
    if not lead and p.cols > MODULE[1]:
        off = max(0, MODULE[0] - q.span) + max(0, q.span - MODULE[1])
        cost += (WIDE if q.span >= p.cols else 0.0) + MODULE_OFF * off
    if q.leg_span:
        cost += BAND * max(0, BAND_LINES - (q.lines - q.head)) * q.span
    return cost


def _ink(need: Need, w: int) -> int:
    """Lines of its head's text at span w: the head without the house's space under it."""
    hd = need.heads[w - 1]
    return hd - need.head_space if hd > need.head_space else hd


def _rectangles(p: Problem, need: Need, a: int, w: int, t: int, lim: int):
    """(cost, place) for the story as a rectangle of w columns from line t, each sensible height."""
    hd = need.heads[w - 1]
    room = lim - t - hd
    if room < 1:
        return
    most = max(1, math.ceil(need.hi / w))
    least = max(1, math.ceil((min(need.lo, JUMP_MIN) if need.jumps else need.lo) / w))
    step = max(1, (most - least) // 12)  # a story that jumps may keep any part of itself here
    ks = {k for k in list(range(least, most + 1, step)) + [most] if k <= room}
    ks |= {room} if room <= most + 3 else set()  # to the foot, a little loose or short
    if not ks:
        ks = {room}  # the story does not fit: it fills what there is (overset, or jumped)
    for k in sorted(ks):
        cost, empty, over = _capacity_cost(need, w * k)
        yield cost + _depth_cost(k), empty, Place(need.id, a, w, t, hd + k, hd, overset=over, mark=need.mark,
                                                  ink=_ink(need, w))
        gap = lim - (t + hd + k)
        if 0 < gap <= HEAD_GIVE:  # the head takes the lines left above the foot (or an obstacle)
            yield cost + _depth_cost(k) + HEAD_EXTRA * gap, empty, Place(need.id, a, w, t, hd + k + gap, hd + gap,
                                                                       overset=over, mark=need.mark, ink=_ink(need, w))


def _legs(p: Problem, need: Need, a: int, w: int, t: int, lims: list[int]):
    """(cost, place) for the story as a 刀把: w columns for k1 lines, then a leg of wl columns."""
    hd = need.heads[w - 1]
    full = math.ceil(need.lines / w)
    for side in ("right", "left"):
        for wl in range(1, w):
            leg_col = a + w - wl if side == "right" else a
            leg_lim = min(lims[c - a] for c in range(leg_col, leg_col + wl))
            top_lim = min(lims)
            for j in range(1, LEG_STEPS + 1):
                k1 = max(2, full * j // (LEG_STEPS + 1))
                if t + hd + k1 >= top_lim:
                    break
                e = math.ceil((need.lines - w * k1) / wl)
                if e < MIN_LEG or t + hd + k1 + e > leg_lim:
                    continue
                cost, empty, over = _capacity_cost(need, w * k1 + wl * e)
                yield cost + LEG + _depth_cost(k1) * w, empty, Place(need.id, a, w, t, hd + k1, hd, leg_col, wl, e,
                                                                 overset=over, mark=need.mark, ink=_ink(need, w))


def _widths(p: Problem, rank: int, a: int, b: int) -> list[int]:
    """The spans a story of this rank may take on segment a..b-1: the segment whole, or as much of
    it as the house allows."""
    lo, hi = p.lead_span if rank == 0 else p.spans
    hi = min(hi, p.cols)
    return [w for w in sorted({min(b - a, hi)} | ({b - a} if b - a < lo else set())) if w >= 1]


def _options_at(p: Problem, need: Need, a: int, w: int, t: int, start: int, lead: bool) -> list:
    """(cost, empty, place, whether its head took extra lines) for each way to place the story in
    columns a..a+w-1 of a segment at line t, its head block from line `start` (the lines between
    left empty): rectangles and 刀把. A head given extra lines to reach the foot may reach beside
    another head: the caller checks those (the rest cleared it by `start`)."""
    lims = [_limit(p, c, t) for c in range(a, a + w)]
    drop, lost = EMPTY * (start - t) * w, (start - t) * w
    ways = list(_rectangles(p, need, a, w, start, min(lims)))
    if w >= 2:
        ways += _legs(p, need, a, w, start, lims)
    hd = need.heads[w - 1]
    return [(cost + drop + _form_cost(p, q, lead), empty + lost, q, q.seen != hd) for cost, empty, q in ways]


def _cleared(p: Problem, need: Need, heads, a: int, w: int, t: int) -> int | None:
    """The line a story's head block starts on at columns a..a+w-1 from line t: t, or lower (at
    most MAX_DROP lines, left empty) so that its text clears the text of a head beside it
    (`heads`: the placed stories', `_heads`); None if it cannot."""
    hd = need.heads[w - 1]
    ink = _ink(need, w) if hd else need.mark
    off = (hd - ink) // 2 if hd else 0  # the block centres its text (`Place.head_text`)
    start = t
    while (below := _beside(p, heads, a, w, start + off, start + off + ink)) and below - off - t <= MAX_DROP:
        start = below - off  # a head beside another starts below it: the lines above stay empty
    return None if below else start


def _freed(p: Problem, t: int, place: Place) -> tuple[int, ...]:
    """`_after` on a segment free from line t, for the place's columns only."""
    if not p.obstacles:
        return tuple(min(place.bottom(c) + p.space, p.bottom) for c in range(place.col, place.col + place.span))
    return _after(p, (t,) * p.cols, place)[place.col:place.col + place.span]


def _after(p: Problem, tops: tuple[int, ...], place: Place) -> tuple[int, ...]:
    """The skyline once the place is taken: its columns free again a space below it (or full)."""
    new = list(tops)
    for c in range(place.col, place.col + place.span):
        end = place.bottom(c)
        lim = _limit(p, c, tops[c]) if p.obstacles else p.bottom
        new[c] = lim if end >= lim else min(end + p.space, lim)
        if p.obstacles:
            new[c] = _settle(p, c, new[c])
    return tuple(new)


def _close(p: Problem, tops: tuple[int, ...], a: int, b: int) -> tuple[tuple[int, ...], int]:
    """Give up a segment no story can take: its columns drop to the nearest lower neighbour's line
    (or their limit), the lines skipped counted empty."""
    t = tops[a]
    near = [tops[c] for c in (a - 1, b) if 0 <= c < p.cols and tops[c] > t]
    lim = min(_limit(p, c, t) for c in range(a, b))
    to = min(near + [lim]) if near else lim
    new = list(tops)
    for c in range(a, b):
        new[c] = _settle(p, c, to)
    return tuple(new), (to - t) * (b - a)


def _extent_cost(need_cells: int, lead_cells: int | None) -> float:
    return SMALL_LEAD if lead_cells is not None and need_cells > lead_cells else 0.0


class _Memo:
    """What one search works out again and again, kept for it: the ways to place a story on a
    segment (they depend on the segment's line, its limits and the heads beside it, not on the
    rest of the page), the room a skyline leaves (`_ahead`) and each story's head cells."""

    def __init__(self, p: Problem, needs: list[Need]):
        self.head = [_head_cells(p, n) for n in needs]
        self.at: dict = {}
        self.room: dict = {}

    def options_for(self, p: Problem, need: Need, i: int, a: int, b: int, tops: tuple[int, ...], heads: tuple):
        """`_options` with, for each, the columns' next free lines once it is taken (`_after`: a
        segment is flat, so they depend only on the place and the segment's line). The ways from
        one head line are kept (`_options_at`: they do not depend on the rest of the page); the
        heads placed so far (`heads`, `_heads`) decide that line and refuse a head beside another."""
        t, out = tops[a], []
        for w in _widths(p, i, a, b):
            start = _cleared(p, need, heads, a, w, t)
            if start is None:
                continue
            key = (i, a, w, t, start)
            if key not in self.at:
                self.at[key] = [(cost, empty, q, _freed(p, t, q), give)
                                for cost, empty, q, give in _options_at(p, need, a, w, t, start, i == 0)]
            out += [(cost, empty, q, cols) for cost, empty, q, cols, give in self.at[key]
                    if not give or not _beside(p, heads, q.col, q.span, *q.head_text())]
        return out


def _placements(p: Problem, needs: list[Need], s: _State, runs, memo: _Memo):
    """(extra cost, segment's rank, story's position in `left`, option) for the next stories on the
    highest segments."""
    first = not s.places  # the lead is placed first, at the top left: no other story before it
    for n, (a, b) in enumerate(runs[:1] if first else runs[:SEGMENTS]):
        for j, i in enumerate(s.left[:1] if first else s.left[:LOOKAHEAD]):
            for option in memo.options_for(p, needs[i], i, a, b, s.tops, s.heads):
                yield SWAP * j + LOWER * n, n, j, option


def _shape(q: Place) -> tuple:
    return (q.col, q.span, q.line, q.lines, q.leg_col, q.leg_span, q.leg_lines)


def _successors(p: Problem, needs: list[Need], s: _State, memo: _Memo):
    """The states one placement on from s (its PER_STATE cheapest, counting the estimate ahead),
    or the highest segment given up when no story can take it."""
    runs = _segments(p, s.tops)
    if not runs:
        return
    lead_cells = s.places[0].cells() if s.places else None
    lo, hi = _sums(p, needs, s.left, memo.head)
    found = False
    ways: list[tuple] = []
    for extra, n, j, (cost, empty, place, cols) in _placements(p, needs, s, runs, memo):
        found = found or n == 0
        ways.append((cost + extra + _extent_cost(place.cells(), lead_cells), j, empty, place, cols, extra))
    ways = _cheapest(p, needs, s, memo, ways, lo, hi)
    for _, _, j, total, ahead, tops, empty, place, extra in ways[:PER_STATE]:
        move = Move(place, place.line - s.tops[place.col], extra)
        yield _State(s.cost + total, tops, s.left[:j] + s.left[j + 1:], s.places + (place,), s.empty + empty,
                     ahead, s.moves + (move,), s.named + ((place.id,) + _shape(place),),
                     s.heads + tuple(_heads((place,))))
    if not found or not s.left:
        tops, lost = _close(p, s.tops, *runs[0])
        yield _State(s.cost + EMPTY * lost, tops, s.left, s.places, s.empty + lost, _ahead(p, tops, lo, hi, len(s.left), memo),
                     s.moves + (CLOSE,), s.named, s.heads)


def _cheapest(p: Problem, needs: list[Need], s: _State, memo: _Memo, ways: list, lo: int, hi: int) -> list:
    """The PER_STATE cheapest ways on (cost so far plus the estimate ahead; ties by the place, then
    the story). The estimate is never negative, so a way that costs more by itself than the
    PER_STATE-th cheapest with its estimate cannot be among them: it is not estimated at all."""
    ways.sort(key=lambda w: w[0])  # stable: equal costs keep their order
    out: list[tuple] = []
    worst: list[float] = []  # worst: the cheapest PER_STATE totals so far, negated (a max-heap)
    for total, j, empty, place, cols, extra in ways:
        if len(worst) == PER_STATE and total > -worst[0]:
            break
        i = s.left[j]
        tops = s.tops[:place.col] + cols + s.tops[place.col + place.span:]
        h = memo.head[i]
        ahead = _ahead(p, tops, lo - needs[i].lo - h, hi - needs[i].hi - h, len(s.left) - 1, memo)
        out.append((total + ahead, _shape(place), j, total, ahead, tops, empty, place, extra))
        (heapq.heappush if len(worst) < PER_STATE else heapq.heappushpop)(worst, -(total + ahead))
    out.sort(key=lambda w: w[:3])
    return out[:PER_STATE]


def _key(s: _State):
    return round(s.cost + s.ahead, 6), s.tops, s.named


def beam_search(p: Problem, needs: list[Need]) -> Result:
    """Place every story (rank order: needs[0] is the lead), the beam's best; stories that find no
    room at all are left out. `makeup_repair.make_up` tunes its depths after."""
    start = tuple(_settle(p, c, p.top) for c in range(p.cols))
    beam = [_State(0.0, start, tuple(range(len(needs))), (), 0)]
    done: list[_State] = []
    memo = _Memo(p, needs)
    for _ in range(len(needs) * 4 + p.cols * (p.bottom - p.top) + 8):
        nxt: dict = {}  # (skyline, stories left) → (key, the cheapest state there)
        for s in beam:
            if not s.left or _segment(p, s.tops) is None:
                done.append(_finished(p, needs, s))
                continue
            for n in _successors(p, needs, s, memo):
                sig, key = (n.tops, n.left), _key(n)
                if sig not in nxt or key < nxt[sig][0]:
                    nxt[sig] = key, n
        if not nxt:
            break
        beam = [n for _, n in sorted(nxt.values(), key=lambda kn: kn[0])[:BEAM]]
    best = min(done, key=lambda s: (round(s.cost, 6), _key(s)))
    return Result(best.places, best.empty, best.cost, best.moves)


def _finished(p: Problem, needs: list[Need], s: _State) -> _State:
    """A state with nothing left to do: the area still free counts empty, stories left unplaced overset."""
    free = sum(p.bottom - t for t in s.tops) - _blocked(p, s.tops)
    over = sum(needs[i].lines for i in s.left)
    return _State(s.cost + EMPTY * free + OVERSET * 10 * over, s.tops, s.left, s.places, s.empty + free, 0.0,
                  s.moves, s.named, s.heads)


def _blocked(p: Problem, tops: tuple[int, ...]) -> int:
    """Lines of obstacles below each column's free line (not free, so not empty)."""
    n = 0
    for c in range(p.cols):
        for c0, c1, l0, l1 in p.obstacles:
            if c0 <= c < c1 and l1 > tops[c]:
                n += l1 - max(l0, tops[c])
    return n


def tombstones(places, fixed_heads=(), rules=()) -> int:
    """Pairs of heads standing side by side at the same height (碰题): the lines their text stands
    on overlap (`Place.head_text`; a fixed headline block: all its lines), their columns touch
    across a gutter, and no fixed rule runs down that gutter beside the lines they share. (Heads
    further apart have a story's text, a picture or a box between them.)"""
    p = Problem(0, 0, 0, rules=tuple(rules))
    heads = _heads(places) + list(fixed_heads)
    n = 0
    for i, (a0, a1, al0, al1) in enumerate(heads):
        for b0, b1, bl0, bl1 in heads[i + 1:]:
            gutter = a1 if a1 == b0 else a0 if b1 == a0 else None
            if gutter is not None and al0 < bl1 and bl0 < al1 and not _ruled(p, gutter, max(al0, bl0), min(al1, bl1)):
                n += 1
    return n
