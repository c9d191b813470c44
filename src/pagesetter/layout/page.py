"""Compose a page: spec + stories + faces → PageLayout (furniture, flowed stories, copyfit report).

The composer never asks what a block is: each block's kind (pagespec/kinds.py, blocks/*.py) lays it
out and says which stories flow right after it."""
from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import replace

from ..records import record
from ..errors import Problem
from ..fonts.roles import ROLES
from ..pagespec.kinds import KindError, kind_of
from ..pagespec.model import PageSpec
from ..text.display import plain
from .fit import flow_story
from .furniture import Laid, Page
from .model import PageLayout, StoryReport
from .overlaps import overlap_warnings
from .setting import Typesetter


@record
class BlockOverset:
    """A headline, caption or text block whose lines did not fit its area."""

    where: str
    lines: int


@record
class ComposedPage:
    """The composed page, the blocks that are overset and the warnings about blocks (with places)."""

    layout: PageLayout
    block_overset: tuple[BlockOverset, ...] = ()
    warnings: tuple[Problem, ...] = ()


@contextmanager
def _collector_paused():
    """Composing makes a few hundred thousand short-lived objects (glyphs, gaps, breaks, lines)
    and no reference cycles worth collecting: reference counting frees them. Python's cyclic
    collector would still scan the young ones every 700 allocations (about 5 % of composing a
    page), so it waits until the page is composed; anything cyclic is collected after."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _articles(spec: PageSpec, stories: dict) -> tuple[dict, dict]:
    """(story id → "<page>/<story>" it belongs to, (story id, article) → (its file, its whole
    headline)). A continuation's articles are the source's (layout.edition.with_continuations
    names them "<source article file>#continued:…"), so their file is the source article's."""
    keys = {s.id: s.continues or f"{spec.name}/{s.id}" for s in spec.stories}
    articles = {(s.id, a): (str(path).split("#continued:")[0],
                            plain(str(stories[path].get("headline") or "")).strip() if path in stories else "")
                for s in spec.stories for a, path in enumerate(s.articles)}
    return keys, articles


def _undeclared(kind, exc: KeyError) -> Exception:
    """A kind's layout that sets text its `uses` did not declare meets a face that was not prepared
    (a role: KeyError 'kai') or a glyph not in the subset: a KindError naming the kind and the fix
    (registration cannot see it: it would have to lay the kind out); any other KeyError as it is."""
    what = str(exc.args[0]) if exc.args else ""
    if what in ROLES or what.startswith("no glyph for"):
        return KindError(kind.name, f"layout() sets text its uses() does not declare ({what})",
                         "yield a layout.texts.Use(role, text, file, line) for every text layout sets, in the "
                         "face role of the style it is set in")
    return exc


def _laid(kind, block, page: Page) -> Laid:
    """The block laid out by its kind: in its own area, then its remainder (`Laid.rest`) in each
    next area of its chain (`areas_after`) for as long as one is left over; the items of every
    area, the overset of the last."""
    try:
        first = laid = kind.layout(block, page)
    except KeyError as exc:
        raise _undeclared(kind, exc) from exc
    if first.rest is None:
        return first
    items = list(first.items)
    for area in kind.areas_after(block, page):
        laid = kind.resume(block, page, laid.rest, area)
        items.extend(laid.items)
        if laid.rest is None:
            break
    return Laid(tuple(items), laid.overset, first.then_flow)


def _placed(spec: PageSpec, found: list[tuple[int, Problem]]) -> list[Problem]:
    """Warnings about blocks (by index) given the block's place in the spec."""
    out = []
    for i, w in found:
        line, col = spec.where.get(("blocks", i), (None, None))
        out.append(replace(w, file=spec.file_of(("blocks", i)), line=line, column=col))
    return out


def compose(spec: PageSpec, stories: dict, metrics_by_role: dict, flow_story=flow_story,
            ts: Typesetter | None = None) -> ComposedPage:
    """Lay out the whole page. Drawing order is reading order: blocks in spec order, each story
    right after the block that asks for it (its headline), the remaining stories after all blocks.
    An edition passes its own `flow_story` (jumps between pages: layout.edition); make-up passes
    the typesetter it measured the stories with (what it set is set again from its memo)."""
    with _collector_paused():
        return _compose(spec, stories, metrics_by_role, flow_story, ts)


def _compose(spec: PageSpec, stories: dict, metrics_by_role: dict, flow_story, ts) -> ComposedPage:
    page = Page(spec, ts or Typesetter(metrics_by_role, spec.composition), stories)
    items: list = []
    reports: list[StoryReport] = []
    block_over: list[BlockOverset] = []
    warnings: list[Problem] = []
    by_id = {s.id: s for s in spec.stories}
    done: set[str] = set()
    laid_blocks: list[tuple[int, tuple]] = []

    def flow(story_id: str) -> None:
        if story_id not in done:
            f = flow_story(spec, by_id[story_id], page.ts, stories)
            items.extend(f.items)
            reports.append(f.report())
            done.add(story_id)

    for i, block in enumerate(spec.blocks):
        kind = kind_of(block, spec, i)
        laid = _laid(kind, block, page)
        items.extend(laid.items)
        laid_blocks.append((i, laid.items))
        line, col = spec.where.get(("blocks", i), (None, None))
        if laid.overset:
            at = f" at {spec.file_of(('blocks', i)).name}:{line}:{col}" if line else ""
            block_over.append(BlockOverset(f"block {i + 1} ({block.kind}){at}", laid.overset))
        warnings += [replace(w, file=spec.file_of(("blocks", i)), line=line, column=col)
                     for w in kind.warnings(block, laid)]
        for story_id in laid.then_flow:
            flow(story_id)
    for story_spec in spec.stories:
        flow(story_spec.id)
    warnings += _placed(spec, overlap_warnings(spec, laid_blocks, items))
    layout = PageLayout(spec.name, spec.trim, tuple(items), spec.colors, tuple(reports), len(spec.frames),
                        *_articles(spec, stories), spec.output.placeholders)
    return ComposedPage(layout, tuple(block_over), tuple(warnings))
