"""The headline block: a story's head — 引题 (kicker), 主题 (headline), 副题 (subtitle) and byline
from its first article's front matter — stacked in whole body lines; the story flows right after."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..layout.flow import HEAD_TAGS
from ..layout.furniture import Laid, stack
from ..layout.texts import Use
from ..pagespec.checker import show, style_ref, suggest
from ..pagespec.keys import HEAD_PARTS, Key
from ..pagespec.kinds import BlockKind, register


@dataclass(frozen=True)
class HeadlineOptions:
    story: str
    styles: dict = field(hash=False)  # head part → style name, in the order the spec gives them


class HeadlineKind(BlockKind):
    name = "headline"
    doc = "a story's kicker, headline, subtitle and byline"
    keys = {
        "story": Key("story", "the story whose first article's head (front matter) is set", required=True,
                     example="main"),
        "styles": Key("heads", "head part (kicker, headline, subtitle, byline) → style"),
    }

    def check(self, c):
        story = c.raw.get("story")
        if c.need("story") and (not isinstance(story, str) or story not in c.names["stories"]):
            c.ck.fail(c.path + ("story",), f"headline names story {show(story)}, which is not defined",
                      suggest(story, sorted(c.names["stories"]), "stories"))
            c.ok = False
        parts = c.ck.mapping(c.raw.get("styles"), c.path + ("styles",), HEAD_PARTS, "headline styles",
                             "{kicker: kicker, headline: headline}")
        c.ok &= "styles" not in c.raw or isinstance(c.raw["styles"], dict)
        for part, name in parts.items():
            c.ok &= style_ref(c.ck, name, c.path + ("styles", part), c.names["styles"],
                              f"{part} of {c.what}") is not None
        return HeadlineOptions(story, parts)

    def uses(self, block, spec, stories, line):
        o = block.options
        story = stories[next(s for s in spec.stories if s.id == o.story).articles[0]]
        for part, style in o.styles.items():
            if part in HEAD_PARTS and story.get(part):
                yield Use(spec.styles[style].role, story.get(part), story.path, 1)

    def layout(self, block, page):
        o = block.options
        story = page.first_article(o.story)
        shown = [p for p in HEAD_PARTS if p in o.styles]
        parts = [(story.get(p), page.spec.styles[o.styles[p]]) for p in shown]
        items, over = stack(page, parts, block.area, f"headline:{o.story}", story=o.story,
                            structure=[HEAD_TAGS[p] for p in shown])
        return Laid(tuple(items), over, then_flow=(o.story,))


KIND = register(HeadlineKind())
