"""Compose a page: spec + stories + faces → PageLayout (furniture, flowed stories, copyfit report)."""
from __future__ import annotations

from dataclasses import dataclass

from ..pagespec.model import PageSpec
from . import blocks as B
from .fit import flow_story
from .model import PageLayout, StoryReport
from .setting import Typesetter


@dataclass(frozen=True)
class BlockOverset:
    """A headline, caption or text block whose lines did not fit its area."""

    where: str
    lines: int


def compose(spec: PageSpec, stories: dict, metrics_by_role: dict,
            flow_story=flow_story) -> tuple[PageLayout, list[BlockOverset]]:
    """Lay out the whole page. Drawing order is reading order: blocks in spec order, each story
    right after the headline block that names it, the remaining stories after all blocks.
    An edition passes its own `flow_story` (jumps between pages: layout.edition)."""
    ts = Typesetter(metrics_by_role, spec.composition)
    items: list = []
    reports: list[StoryReport] = []
    block_over: list[BlockOverset] = []
    done: set[str] = set()

    def flow(story_spec) -> None:
        f = flow_story(spec, story_spec, ts, stories)
        items.extend(f.items)
        reports.append(f.report())
        done.add(story_spec.id)

    by_id = {s.id: s for s in spec.stories}
    for i, block in enumerate(spec.blocks):
        o = block.options
        if block.kind == "headline":
            story_spec = by_id[o["story"]]
            new, over = B.headline(spec, ts, block, stories[story_spec.articles[0]])
        elif block.kind == "text":
            new, over = B.text(spec, ts, block)
        elif block.kind == "image":
            new, over = B.image(spec, ts, block, stories.get(o.get("caption")))
        elif block.kind == "box":
            new, over = B.box(spec, block)
        else:
            new, over = B.rule(spec, block)
        items.extend(new)
        if over:
            block_over.append(BlockOverset(f"block {i + 1} ({block.kind})", over))
        if block.kind == "headline" and o["story"] not in done:
            flow(by_id[o["story"]])
    for story_spec in spec.stories:
        if story_spec.id not in done:
            flow(story_spec)
    layout = PageLayout(spec.name, spec.trim, tuple(items), spec.colors, tuple(reports), len(spec.frames))
    return layout, block_over
