"""Fitting a story to its chain: text wrap (绕排), auto-copyfit (自动调整字距) and column balancing
(分栏平衡). Each re-flows the story — cheap, since flowing is pure — and keeps the best result."""
from __future__ import annotations

import math
from dataclasses import replace

from ..pagespec.model import PageSpec, StorySpec
from .flow import Flow
from .setting import Typesetter
from .slots import Exclusion

COPYFIT_STEP = 0.005  # em of tracking per trial


def exclusions(spec: PageSpec) -> tuple[Exclusion, ...]:
    """Rectangles of blocks with `wrap: <offset>`: text in any frame keeps that far away
    sideways, and one body line above and below (also with `wrap: 0`, as documented)."""
    out = []
    g = spec.grid
    for b in spec.blocks:
        if b.wrap is None:
            continue
        off = b.wrap
        a = b.area
        out.append(Exclusion(a.x(g) - off, a.x(g) + a.width(g) + off, a.line - 1, a.line + a.lines))
    return tuple(out)


def flow_story(spec: PageSpec, story: StorySpec, ts: Typesetter, stories: dict, reserve: int = 0) -> Flow:
    """Flow a story with wrap, then auto-copyfit and balancing as its spec asks; `reserve` slots
    at the chain's foot stay free (an edition's jump line)."""
    wrap = exclusions(spec)
    if story.composition:  # the story's own rules over the page's (a commentary box in 开明式)
        ts = ts.with_composition(replace(ts.composition, **story.composition))

    def run(limits=None, tracking=0.0) -> Flow:
        f = Flow(spec, story, ts, limits, tracking, wrap, reserve)
        f.run(stories)
        return f

    flow, adjustment = run(), None
    if story.copyfit:
        flow, adjustment = _copyfit(run, flow, story.copyfit)
    if story.balance and story.chain:
        flow = _balance(spec, story, run, flow, adjustment)
    flow.adjustment = adjustment
    return flow


def _copyfit(run, flow: Flow, limits: tuple[float, float]):
    """Tighten tracking until an overset story fits, or loosen it while an underset one still
    fits and gains lines, within the designer's limits. Returns the flow and what changed."""
    lo, hi = limits
    rep = flow.report()
    if rep.overset:
        direction, bound = -1, lo
    elif rep.underset and hi > 0:
        direction, bound = 1, hi
    else:
        return flow, None
    best, best_t = flow, 0.0
    for step in range(1, int(abs(bound) / COPYFIT_STEP + 1e-9) + 1):
        t = round(direction * step * COPYFIT_STEP, 4)
        trial = run(tracking=t)
        r = trial.report()
        if direction < 0:
            if r.overset < best.report().overset:  # keep a tighter setting only if it gains lines
                best, best_t = trial, t
            if not r.overset:
                break
        elif r.overset:
            break
        elif r.lines_set > best.report().lines_set:
            best, best_t = trial, t
    if best_t == 0.0:
        return flow, None
    return best, f"tracking {best_t:+.3f} em"


def _balance(spec: PageSpec, story: StorySpec, run, flow: Flow, adjustment) -> Flow:
    """Shorten the chain's last row of frames (those sharing the last frame's top line) to equal
    heights, as short as the story allows without overset — or, if that height leaves a widow
    (a paragraph's last line alone at a column's top) which a line more avoids, a line taller."""
    last_top = spec.frames[story.chain[-1]].area.line
    group = [f for f in story.chain if spec.frames[f].area.line == last_top]
    if len(group) < 2 or flow.report().overset:
        return flow
    tracking = flow.tracking
    first = next((i for i, s in enumerate(flow.slots) if s.frame in group), None)
    if first is None:  # wrap left the last row no lines
        return flow
    used = max(0, flow.cursor - first)
    full = max(spec.frames[f].area.lines for f in group)
    for h in range(max(1, math.ceil(used / len(group))), full + 1):
        trial = run({f: h for f in group}, tracking)
        if not trial.report().overset:
            return _without_widow(trial, h, full, group, run, tracking)
    return flow


def _without_widow(trial: Flow, h: int, full: int, group: list, run, tracking: float) -> Flow:
    """Re-balance (再平衡): the balanced flow at height h, or at h + 1 if only that one has no
    widow."""
    if not trial.widows() or h >= full:
        return trial
    taller = run({f: h + 1 for f in group}, tracking)
    return taller if not taller.widows() and not taller.report().overset else trial
