"""Measuring stories for make-up (自动组版): each story really composed, not estimated.

A made-up story sets its text in basic columns, so its body is composed once, through the flow,
into one basic column as deep as it needs (`Need.lines`); the settings total-fit offers for each
paragraph (a line more or fewer) give the fewest and most lines it can take, widened by the house
copyfit's tightest and loosest tracking. Its head (the headline block: kicker, headline, subtitle,
byline in the house styles of its rank) is set at every span it may take."""
from __future__ import annotations

import math
from dataclasses import replace

from ..pagespec.keys import HEAD_PARTS
from ..pagespec.model import Area, Frame, Makeup, PageSpec, StorySpec
from .fit import flow_story
from .flow import band, set_size
from .makeup import Need
from .setting import Typesetter

PROBE = "makeup:measure"  # the frame a story is measured in
RANK_WEIGHT = 40.0  # the lead's setting off its best costs 1 + this times the last story's


def makeup_of(spec: PageSpec) -> Makeup:
    """The page's `makeup:` section: make-up is asked only of a page that has one."""
    if spec.makeup is None:
        raise ValueError(f"page {spec.name!r} has no makeup: section to make up")
    return spec.makeup


def _probe(spec: PageSpec, story: StorySpec) -> tuple[PageSpec, StorySpec]:
    """The page with one frame, a basic column as deep as the grid allows, and the story in it."""
    frame = Frame(PROBE, Area(1, 1, 1, 1000))
    one = replace(story, chain=(PROBE,), balance=False, copyfit=None, flush=False)
    return replace(spec, frames={PROBE: frame}, stories=(one,), blocks=()), one


def _range(flow, stories: dict) -> tuple[int, int]:
    """Fewest and most lines the story's items can take (each paragraph's settings)."""
    lo = hi = 0
    for item in flow.items_of(stories):
        ends = [s.end for s in flow.steps(item, 0)]
        lo, hi = lo + min(ends), hi + max(ends)
    return lo, hi


def body_lines(spec: PageSpec, story: StorySpec, ts: Typesetter, stories: dict,
               copyfit: tuple[float, float]) -> tuple[int, int, int]:
    """(best, fewest, most) body lines of the story's text in one basic column. The best is the
    story composed (what the page will set, memoised for it); the fewest and most are each
    paragraph's tightest and loosest setting, widened by the house copyfit's tracking: a line
    of n characters tracked t em narrower or wider holds about a share t of a line more or less
    (the re-fit after the search corrects what this misses)."""
    probe, one = _probe(spec, story)
    best = flow_story(probe, one, ts, stories)
    lo, hi = _range(best, stories)
    lo, hi = min(lo, best.cursor), max(hi, best.cursor)
    return best.cursor, math.floor(lo * (1 + copyfit[0])), math.ceil(hi * (1 + copyfit[1]))


def head_lines(spec: PageSpec, styles: dict, story, ts: Typesetter, span: int, head_space: int) -> int:
    """Body lines the story's head takes across `span` columns (占行), with the house's space."""
    width = spec.grid.span_width(span)
    n = 0
    for part in HEAD_PARTS:
        text = story.get(part)
        if part in styles and text:
            n += sum(band(set_size(line), spec.grid) for line in ts.head_lines(text, spec.styles[styles[part]], width))
    return n + head_space if n else 0


def measure(spec: PageSpec, ts: Typesetter, stories: dict, jumping: frozenset = frozenset()) -> list[Need]:
    """What each story make-up places needs, in rank order; stories in `jumping` continue on a
    later page of the edition (their jump line takes a line of their own)."""
    m = makeup_of(spec)
    by_id = {s.id: s for s in spec.stories}
    needs = []
    for rank, sid in enumerate(m.order):
        story = by_id[sid]
        lines, lo, hi = body_lines(spec, story, ts, stories, m.house.copyfit)
        mark = 0
        if story.heads:  # every article's head is set in the flow: no headline block
            heads = (0,) * m.area.span
            mark = head_lines(spec, story.heads, stories[story.articles[0]], ts, 1, 0) if story.articles else 0
        else:
            styles = m.house.head_styles(rank)
            first = stories[story.articles[0]]
            heads = tuple(head_lines(spec, styles, first, ts, w, m.house.head_space) for w in range(1, m.area.span + 1))
        extra = 1 if sid in jumping else 0  # （下转第N版）
        weight = 1 + RANK_WEIGHT * (len(m.order) - 1 - rank) / max(1, len(m.order) - 1)
        needs.append(Need(sid, lines + extra, lo + extra, hi + extra, heads, sid in jumping, weight, mark,
                          0 if story.heads else m.house.head_space))
    return needs
