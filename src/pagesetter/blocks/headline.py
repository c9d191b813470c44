"""The headline block: a story's head — 引题 (kicker), 主题 (headline), 副题 (subtitle) and byline
from its first article's front matter — stacked in whole body lines; the story flows right after."""
from __future__ import annotations

from dataclasses import field

from ..errors import Problem
from ..records import record
from ..layout.flow import HEAD_TAGS
from ..layout.furniture import Laid, stack
from ..layout.texts import Use
from ..pagespec.keys import HEAD_PARTS, Key
from ..pagespec.kinds import BlockKind, register
from ..text.display import plain


@record
class HeadlineOptions:
    story: str
    styles: dict = field(hash=False)  # head part → style name, in the order the spec gives them


class HeadlineKind(BlockKind):
    name = "headline"
    doc = "a story's kicker, headline, subtitle and byline"
    Options = HeadlineOptions
    keys = {
        "story": Key("story", "the story whose first article's head (front matter) is set", required=True,
                     example="main"),
        "styles": Key("heads", "head part (kicker, headline, subtitle, byline) → style"),
    }

    def check(self, c):
        return HeadlineOptions(c.value("story"), c.value("styles") or {})

    def check_articles(self, block, spec, stories):
        """A continuation (转版) has no head of its own: its text and 上接 line come from the page
        it continues, so a headline block on it would set nothing, silently — refused, with the
        way to a continued head."""
        story = next((s for s in spec.stories if s.id == block.options.story), None)
        if story is None or story.articles or not story.continues:
            return []
        also = (f"; its continued_head ({story.continued_head}) already sets the headline there"
                if story.continued_head else "")
        return [Problem(f"story {story.id!r} is a continuation (continues: {story.continues}), which has no head "
                        f"of its own for a headline block to set{also}",
                        fix=f"delete this block and set continued_head: <style> on story {story.id!r} (the "
                        "headline it continues, above 上接…); or name a story with articles of its own")]

    def uses(self, block, spec, stories, line):
        o = block.options
        articles = next(s for s in spec.stories if s.id == o.story).articles
        if not articles:  # a continuation: refused by check_articles (census runs on the page as written)
            return
        story = stories[articles[0]]
        for part, style in o.styles.items():
            if part in HEAD_PARTS and story.get(part):
                yield Use(spec.styles[style].role, plain(story.get(part)), story.path, 1)

    def layout(self, block, page):
        o = block.options
        story = page.first_article(o.story)
        shown = [p for p in HEAD_PARTS if p in o.styles]
        parts = [(story.get(p), page.spec.styles[o.styles[p]]) for p in shown]
        items, over = stack(page, parts, block.area, f"headline:{o.story}", story=o.story,
                            structure=[HEAD_TAGS[p] for p in shown])
        return Laid(tuple(items), over, then_flow=(o.story,))


KIND = register(HeadlineKind())
