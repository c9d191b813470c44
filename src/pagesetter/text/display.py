"""Display lines (标题分行): a headline, kicker, subtitle, byline or in-column head too long for
one line is broken by sense — between words, at the spaces and marks its editor typed, or where
the editor says — into balanced lines, never by count.

The editor's markers in a head's text:
- `|` forces a break there (the bar itself is not set); `\\|` sets a bar;
- U+2060 WORD JOINER (or U+200D ZERO WIDTH JOINER) forbids a break there (neither is set).

Where a display line may break, from the best place to the worst (`BREAK_COST`, data):
- a forced break (`|`); a typed space; after a closing mark or before an opening one (分句处);
- between two words (text.words: the segmenter's default cut);
- between two sub-words of a long word (中华人民 | 共和国, 个人 | 信息);
- anywhere else the break rules allow (text.classes: 避头尾, numbers, Latin words), the last resort.
Never: between a number and the character after it (3 | 万, 2021 | 年: the number and its unit or
measure word, 数量词), before a particle standing alone (的 之 了 …), nor where the rules forbid it.

The breaks are chosen together (a shortest path over the break places) for the fewest lines,
then the best places, then lines of even length (均衡: the sum of the squared shortfalls); a line
of a single character (孤字, with or without marks) is taken only when nothing else fits. The
segmenter is asked only when the typed breaks (spaces, marks, `|`) cannot set the text in the
fewest lines it can have (text.words loads lazily).
"""
from __future__ import annotations

import itertools
from collections.abc import Callable

from ..records import record
from . import classes as C
from .lines import EPS, Sums
from .words import WordBounds

FORCE = "|"
ESCAPED_FORCE = "\\|"
JOINERS = frozenset("\u2060\u200d")  # word joiner, zero-width joiner: no break here

# What a break at each kind of place costs (demerits), best first; None: never there.
BREAK_COST: dict[str, float] = {"forced": 0.0, "space": 0.0, "mark": 0.0, "word": 30.0, "part": 800.0,
                                "char": 5e4}
LINE_COST = 2e3  # each line: fewer lines first (a break inside a word costs more than a line)
BALANCE = 10.0  # per em² of a line's shortfall from the measure: lines of even length
SQUEEZE_COST = 200.0  # a line that fits only with its marks squeezed (挤进), at most
LONE_COST = 1e7  # a line of one character (孤字): only when nothing else fits
# Characters a display line never begins with when they stand as a word of their own, though the
# break rules allow it: particles that lean on the word before them (…高 | 的“雪人” reads badly).
PARTICLES = frozenset("的之了着过地得们等")
# Characters after which a break is a clause's end (分句处): closing marks and stops.
CLAUSE_ENDS = C.CLOSING | frozenset("—…")


@record
class Marked:
    """A display text with its editor's markers read: `text` as it is set (markers removed,
    spaces kept), and the glyph positions (a break before glyph i; spaces are not glyphs) where
    a break is forced (`forced`) or forbidden (`joined`)."""

    text: str
    forced: frozenset[int]
    joined: frozenset[int]


def marked(text: str) -> Marked:
    """Read the markers `|`, `\\|`, U+2060 and U+200D out of a display text."""
    out: list[str] = []
    forced: set[int] = set()
    joined: set[int] = set()
    glyphs, i = 0, 0
    while i < len(text):
        ch = text[i]
        if text.startswith(ESCAPED_FORCE, i):
            ch, i = FORCE, i + 1
        elif ch == FORCE or ch in JOINERS:
            (forced if ch == FORCE else joined).add(glyphs)
            i += 1
            continue
        out.append(ch)
        glyphs += not ch.isspace()
        i += 1
    return Marked("".join(out), frozenset(p for p in forced if 0 < p < glyphs), frozenset(joined))


def plain(text: str) -> str:
    """A display text as it reads (a title, the font census): its markers removed."""
    return marked(text).text if FORCE in text or not JOINERS.isdisjoint(text) else text


def break_kinds(m: Marked, words: WordBounds | None) -> list[str | None]:
    """The kind of break place (a BREAK_COST key) before each glyph of `m` (index 0 unused), or
    None where a display line may not break; `words` None: the segmenter not asked (its places
    are None too)."""
    offsets = [i for i, ch in enumerate(m.text) if not ch.isspace()]
    kinds: list[str | None] = [None] * len(offsets)
    for g in range(1, len(offsets)):
        a, b, at = m.text[offsets[g - 1]], m.text[offsets[g]], offsets[g]
        if g in m.joined:
            continue
        if g in m.forced:
            kinds[g] = "forced"
        elif at > offsets[g - 1] + 1:
            kinds[g] = "space"
        elif a.isdigit() and C.is_han(b):
            continue
        elif a in CLAUSE_ENDS or b in C.OPENING:
            kinds[g] = "mark"
        elif words is not None and not _particle(m.text, at, words):
            kinds[g] = "word" if at in words.words else "part" if at in words.parts else "char"
    return kinds


def _particle(text: str, at: int, words: WordBounds) -> bool:
    """Is text[at] a particle standing as a word of its own (的, not the 的 of 的确; 过 after a
    verb, not the 过 of 过去)?"""
    return text[at] in PARTICLES and (at + 1 in words.words or at + 1 == len(text.rstrip()))


def _places(sums: Sums, kinds: list[str | None]) -> list[int]:
    """Where a display line may end: the allowed places the break rules allow too, and the end."""
    n = len(sums.par)
    return [i for i in range(1, n) if kinds[i] is not None and sums.breakable[i - 1]] + [n]


def break_display(sums: Sums, width: float, kinds: list[str | None]) -> list[tuple[int, int]] | None:
    """The best lines (glyph ranges) for a display text measured into `sums`, at `width` points,
    breaking only where `kinds` allows (and always where it says "forced"), or None if some
    stretch between allowed places is wider than the line."""
    n = len(sums.par)
    if not n:
        return []
    places = _places(sums, kinds)
    body = list(itertools.accumulate((g.ch not in C.PUNCT for g in sums.par.glyphs), initial=0))
    lone = body[n] > 1
    best: dict[int, tuple[float, int]] = {0: (0.0, -1)}  # end → (cost, start of its line)
    floor = 0  # the last forced break before e: no line starts before it
    for k, e in enumerate(places):
        found = None
        for s in itertools.chain(reversed(places[:k]), (0,)):
            if s < floor:
                break
            fit = _fit(sums, s, e, width)
            if fit is None:
                break  # (a longer line fits no better)
            if s not in best:
                continue
            kind = kinds[e] if e < n else None
            cost = best[s][0] + LINE_COST + fit + (BREAK_COST[kind] if kind else 0.0)
            if lone and body[e] - body[s] == 1:
                cost += LONE_COST
            if found is None or cost < found[0] - EPS:
                found = (cost, s)
        if found is not None:
            best[e] = found
        if e < n and kinds[e] == "forced":
            floor = e
    if n not in best:
        return None
    return _traced(best, n)


def _traced(best: dict[int, tuple[float, int]], n: int) -> list[tuple[int, int]]:
    lines, e = [], n
    while e > 0:
        s = best[e][1]
        lines.append((s, e))
        e = s
    return lines[::-1]


def _fit(sums: Sums, s: int, e: int, width: float) -> float | None:
    """The cost of glyphs[s:e] as a display line of `width`: its shortfall squared (balance), or
    the price of squeezing its marks; None if it does not fit even squeezed."""
    em = sums.par.glyphs[s].size
    natural = sums.natural(s, e)
    if natural <= width + EPS:
        return BALANCE * ((width - natural) / em) ** 2
    room = sums.room(s, e)
    if room <= EPS or natural - width > room + EPS:
        return None
    return SQUEEZE_COST * (natural - width) / room


def fewest_lines(sums: Sums, width: float, kinds: list[str | None]) -> int:
    """The fewest lines a breaking at the places `kinds` allows can take, forced breaks kept
    (greedy filling: each line to its furthest place that fits); len + 1 if some stretch does
    not fit."""
    n = len(sums.par)
    places = _places(sums, kinds)
    count, s = 0, 0
    while s < n:
        end = None
        for e in places:
            if e <= s:
                continue
            if _fit(sums, s, e, width) is None:
                break
            end = e
            if e < n and kinds[e] == "forced":
                break
        if end is None:
            return n + 1
        s, count = end, count + 1
    return count


def display_lines(sums: Sums, width: float, m: Marked,
                  words: Callable[[str], WordBounds]) -> list[tuple[int, int]] | None:
    """Break a measured display text by sense (module doc): the typed breaks alone when they set
    it in the fewest lines it can have, else with the segmenter's word boundaries too."""
    typed = break_display(sums, width, break_kinds(m, None))
    every = break_kinds(m, WordBounds(frozenset(), frozenset()))  # every place the rules allow
    if typed is not None and len(typed) <= fewest_lines(sums, width, every):
        return typed
    return break_display(sums, width, break_kinds(m, words(m.text)))
