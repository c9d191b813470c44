"""Make-up's result as an ordinary page spec (自动组版 → 版式文件).

The places the search chose become what a designer would have written by hand: a frame per text
column, each story's chain (with `flush: true` and the house copyfit), a headline block over each
story's columns, rules between stories. They are laid over the page's own YAML (as a page over
its master) without its `makeup:`, and that is loaded as any spec: so the page built from it and
`pagesetter make-up -o made.yaml` (the same YAML written out) give the same PDF byte for byte."""
from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, cast

from ..pagespec.load import load_spec
from ..pagespec.master import _rebase, merge
from ..pagespec.model import PageSpec
from ..pagespec.yamlpos import Located
from ..records import record
from .fit import flow_story
from .makeup import Need, Place, Problem, Result, tombstones
from .makeup_repair import make_up, repaired, replay
from .makeup_measure import makeup_of, measure
from .setting import Typesetter

REFITS = 2  # times the search is run again with a story's measured overset or underset (the last: from scratch)


@record
class MadeUp:
    """A made-up page: its spec (ordinary, loaded from `doc`), the YAML it was loaded from and the
    search's result (places, empty lines) with the stories' needs."""

    spec: PageSpec
    doc: Located
    result: Result
    needs: tuple[Need, ...]
    problem: Problem
    first_col: int = 1  # the grid column of the area's first column (places count from 0 in it)


def problem_of(spec: PageSpec) -> Problem:
    """The search's view of the page: the area, obstacles (blocks and frames in it), fixed heads."""
    m = makeup_of(spec)
    h = m.house
    a = m.area
    obstacles, heads, rules = [], [], []
    for b in spec.blocks:
        if b.kind == "rule":  # a rule sits in a gutter or on a line's middle: no room taken
            position = cast(Any, b.options).position  # (a rule's options: blocks/rule.py, above this stage)
            if position in ("left", "right"):  # down a gutter: heads either side of it are apart
                rules.append((b.area.col + (b.area.span if position == "right" else 0) - a.col,
                              b.area.line, b.area.line + b.area.lines))
            continue
        r = (b.area.col - a.col, b.area.col + b.area.span - a.col, b.area.line, b.area.line + b.area.lines)
        if b.kind == "headline":
            heads.append(r)
        if r[0] < a.span and r[1] > 0 and r[2] < a.line + a.lines and r[3] > a.line:
            obstacles.append((max(0, r[0]), min(a.span, r[1]), r[2], r[3]))
    for f in spec.frames.values():
        r = (f.area.col - a.col, f.area.col + f.area.span - a.col, f.area.line, f.area.line + f.area.lines)
        if r[0] < a.span and r[1] > 0 and r[2] < a.line + a.lines and r[3] > a.line:
            obstacles.append((max(0, r[0]), min(a.span, r[1]), r[2], r[3]))
    return Problem(a.span, a.line, a.line + a.lines, tuple(sorted(obstacles)), tuple(sorted(heads)),
                   tuple(sorted(rules)), h.space, h.spans, h.lead_span)


def _mirrored(p: Problem) -> Problem:
    flip = lambda r: (p.cols - r[1], p.cols - r[0], r[2], r[3])  # noqa: E731
    return replace(p, obstacles=tuple(sorted(map(flip, p.obstacles))), heads=tuple(sorted(map(flip, p.heads))),
                   rules=tuple(sorted((p.cols - g, l0, l1) for g, l0, l1 in p.rules)))


def _unmirror(p: Problem, q: Place) -> Place:
    leg = p.cols - (q.leg_col + q.leg_span) if q.leg_span else 0
    return replace(q, col=p.cols - (q.col + q.span), leg_col=leg)


def search(spec: PageSpec, needs: list[Need], before: Result | None = None) -> tuple[Problem, Result]:
    """Places for the stories: the lead at the top left (or right, mirrored). With `before` (a
    re-fit), its places and shapes are kept and only their depths tuned to the corrected needs,
    unless they no longer fit at all: then the search runs again."""
    p = problem_of(spec)
    right = makeup_of(spec).house.lead == "right"
    q = _mirrored(p) if right else p
    r = None
    if before is not None and replay(q, needs, before.moves) is not None:
        r = repaired(q, needs, before, before.moves, fresh=True)
    r = r or make_up(q, needs)
    if right:
        r = replace(r, places=tuple(_unmirror(p, x) for x in r.places))
    return p, r


def _rules(spec: PageSpec, p: Problem, q: Place) -> list[dict]:
    """Rules between stories: across the space line above the story, down the gutter at its right."""
    h, a = makeup_of(spec).house, makeup_of(spec).area
    width = f"{h.rule:g}pt"
    out = []
    above = q.line - 1
    if h.space and above >= p.top and not any(c0 < q.col + q.span and c1 > q.col and l0 <= above < l1
                                               for c0, c1, l0, l1 in p.obstacles):
        out.append({"kind": "rule", "at": {"col": a.col + q.col, "span": q.span, "line": above, "lines": 1},
                    "width": width, "position": "middle"})
    edges = [(q.col + q.span - 1, q.line, q.bottom(q.col + q.span - 1))]
    if q.leg_span and q.leg_col == q.col:  # a leg on the left: its own right edge below the upper part
        edges.append((q.leg_col + q.leg_span - 1, q.line + q.lines, q.line + q.lines + q.leg_lines))
    for c, top, bottom in edges:
        if c + 1 < p.cols and bottom > top:
            out.append({"kind": "rule", "at": {"col": a.col + c, "line": top, "lines": bottom - top},
                        "width": width, "position": "right"})
    return out


def additions(spec: PageSpec, p: Problem, places) -> dict:
    """The frames, chains, headline blocks and rules of the made-up stories, as spec YAML data."""
    h, a = makeup_of(spec).house, makeup_of(spec).area
    frames, stories, blocks = {}, {}, []
    rank = {sid: i for i, sid in enumerate(makeup_of(spec).order)}
    by_id = {s.id: s for s in spec.stories}
    for q in places:
        chain = []
        for i, (c, line, lines) in enumerate(q.columns(), 1):
            name = _free_name(f"{q.id}-{i}", spec.frames)
            frames[name] = {"col": a.col + c, "line": line, "lines": lines}
            chain.append(name)
        stories[q.id] = {"chain": chain, "flush": True, "copyfit": list(h.copyfit)}
        # a continuation's head (续题, 上接 line) is set in its flow (layout.edition): no headline
        # block, whatever lines the search gave its head — its source may even fit whole (no text)
        if q.head and not by_id[q.id].heads and not by_id[q.id].continues:
            blocks.append({"kind": "headline", "story": q.id,
                           "at": {"col": a.col + q.col, "span": q.span, "line": q.line, "lines": q.head},
                           "styles": dict(h.head_styles(rank[q.id]))})
        if h.rule > 0:
            blocks += _rules(spec, p, q)
    for sid in makeup_of(spec).order:  # no room at all: set nowhere, every line reported overset
        stories.setdefault(sid, {"chain": []})
    return {"page": {"name": spec.name}, "frames": frames, "stories": stories, "blocks": blocks}


def _free_name(name: str, taken: dict) -> str:
    while name in taken:
        name += "m"
    return name


def made_up_doc(spec: PageSpec, adds: dict) -> Located:
    """The page's own YAML without `makeup:`, with the made-up geometry laid over it."""
    own = makeup_of(spec).source[0]
    data = {k: v for k, v in own.data.items() if k != "makeup"}
    return merge(replace(own, data=data), Located(adds, {}, own.file))


def load_made_up(spec: PageSpec, doc: Located) -> PageSpec:
    """The made-up page loaded as an ordinary spec (as `pagesetter build made.yaml` loads it)."""
    _, context, allow_outside = makeup_of(spec).source
    return load_spec(spec.path, allow_outside, context=context, doc=doc)


def _refit(needs: list[Need], places, made: PageSpec, stories: dict, ts: Typesetter) -> tuple[list[Need] | None, int]:
    """Needs corrected where composing the made-up page found a measurement off: more lines overset
    than the search expected (the text is longer), or more left empty (it cannot be loosened so
    far) — None when every story came out as expected; and the lines overset as composed (a
    story that jumps: none, the rest continues)."""
    by_id = {s.id: s for s in made.stories}
    at = {q.id: q for q in places}
    out, changed, overset = [], False, 0
    for n in needs:
        q = at.get(n.id)
        if q is None:
            out.append(n)
            continue
        r = flow_story(made, by_id[n.id], ts, stories, reserve=1 if n.jumps else 0).report()
        overset += 0 if n.jumps else r.overset
        room = sum(lines for _, _, lines in q.columns())
        longer = 0 if n.jumps else r.overset - max(0, n.lo - room)
        tighter = r.underset - max(0, room - n.hi)
        if longer > 0:
            n, changed = replace(n, lines=n.lines + longer, lo=n.lo + longer, hi=n.hi + longer), True
        elif tighter > 0:
            hi = max(0, n.hi - tighter)
            n, changed = replace(n, lines=min(n.lines, hi), lo=min(n.lo, hi), hi=hi), True
        out.append(n)
    return (out if changed else None), overset


def _as_is(spec: PageSpec, stories: dict) -> tuple[PageSpec, dict]:
    return spec, stories


def make_up_page(spec: PageSpec, stories: dict, metrics: dict, ts: Typesetter | None = None,
                 view: Callable[[PageSpec, dict], tuple[PageSpec, dict]] = _as_is, jumping: frozenset = frozenset()) -> MadeUp:
    """Make up the page: measure, search, and load the result as an ordinary spec; the search runs
    again (at most REFITS times) with what composing found where a measurement was off. In an
    edition, `view` gives continuations their text (layout.edition) and the stories in `jumping`
    continue on a later page."""
    ts = ts or Typesetter(metrics, spec.composition)
    seen, texts = view(spec, stories)
    needs = measure(seen, ts, texts, jumping)
    result: Result | None = None
    tried: list[tuple[tuple[int, int, int], MadeUp]] = []
    for attempt in range(REFITS + 1):
        # the search; then its places kept and their depths tuned to what composing found (1); a
        # page still overset then searched again from scratch with what composing found (2)
        p, result = search(spec, needs, result if attempt == 1 else None)
        doc = made_up_doc(spec, additions(spec, p, result.places))
        made = load_made_up(spec, doc)
        made_up = MadeUp(made, doc, result, tuple(needs), p, makeup_of(spec).area.col)
        if attempt == 1 and not tried[0][0][0]:  # set whole before, its depths now tuned to it: done
            return made_up
        made_seen, made_texts = view(made, stories)
        better, overset = _refit(needs, result.places, made_seen, made_texts, ts)
        tried.append(((overset, result.empty, attempt), made_up))
        if (not overset and (better is None or attempt)) or (better is None and not attempt):
            break
        needs = better or needs
    return min(tried, key=lambda t: t[0])[1]


def yaml_text(doc: Located, src: Path, dst: Path) -> str:
    """The made-up page as YAML for `make-up -o`, its file references relative to where it is written."""
    import yaml

    assert isinstance(doc.data, dict)  # (made_up_doc: a mapping, like every page spec)
    data = _rebase(doc.data, src.parent, dst.parent)
    if src.parent.resolve() != dst.parent.resolve():
        move = lambda v: Path(os.path.relpath(src.parent / v, dst.parent)).as_posix()  # noqa: E731
        if isinstance(data.get("master"), str):
            data["master"] = move(data["master"])
        if isinstance(data.get("page"), dict) and isinstance(data["page"].get("profile"), str):
            data["page"] = {**data["page"], "profile": move(data["page"]["profile"])}
    head = f"# made up by pagesetter make-up from {src.name} (自动组版): an ordinary page spec\n"
    return head + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=110, default_flow_style=None)




def figures(made: MadeUp, reports) -> dict:
    """What a made-up page achieved, for a report or a benchmark: the area's body lines, those
    empty (lines no story, head, space or fixed block takes, and lines left empty at the feet of
    the made-up stories' columns as composed), the fill, lines overset, tombstones and 刀把.
    `reports`: the composed page's StoryReports (`Composed.layout.stories`)."""
    p, places = made.problem, made.result.places
    area = p.cols * (p.bottom - p.top)
    taken = set()
    for c0, c1, l0, l1 in p.obstacles:
        taken |= {(c, line) for c in range(c0, c1) for line in range(max(l0, p.top), min(l1, p.bottom))}
    for q in places:
        for c in range(q.col, q.col + q.span):
            end = q.bottom(c)
            spaced = range(q.line, min(end + p.space, p.bottom))  # its lines and the space below
            taken |= {(c, line) for line in spaced}
    by_id = {r.id: r for r in reports}
    placed = {q.id for q in places}
    under = sum(by_id[i].underset for i in placed if i in by_id)
    empty = area - len(taken) + under
    return {"area_lines": area, "empty_lines": empty, "fill": 1 - empty / area if area else 1.0,
            "overset": sum(r.overset for r in reports),
            "tombstones": tombstones(places, p.heads, p.rules), "legs": sum(1 for q in places if q.leg_span),
            "stories": len(places)}


__all__ = ["MadeUp", "figures", "make_up_page", "tombstones", "yaml_text"]
