"""Stories that jump between the pages of an edition (转版): jump lines and continuations.

A story `continues: front/main` on a later page receives the text of story `main` on page `front`
that did not fit there. The source story keeps its chain's last line free; when its text overflows,
that line carries the jump line （下转第二版） and the rest flows on: the continuation opens with
an optional continued-head (the headline in a smaller style) and （上接第一版）, then the text from
the exact line where the source stopped — a paragraph cut mid-way goes on without an indent.
Page numbers in jump lines are the real ones, in Chinese numerals, so moving a page renumbers them.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..records import record
from ..errors import PagesetterError, Problem
from ..pagespec.edition import chinese_number
from ..pagespec.model import PageSpec, StorySpec
from ..story.model import Story
from ..text.display import plain
from .fit import flow_story
from .flow import rest_of
from .model import StoryReport, TextLine, snap
from .page import compose

JUMP_TO = "（下转第{n}版）"
JUMP_FROM = "（上接第{n}版）"
JUMP_TAG = "Artifact:Pagination"  # a jump line is page furniture in a tagged PDF, not the story's text
JUMP_CHARS = "（）下转上接第版" + "零一二三四五六七八九十百"


@record
class Jump:
    """Story `source` (page number, story id) continues as story `target` on another page."""

    source: tuple[int, str]
    target: tuple[int, str]


@record
class Incoming:
    """What a continuation receives: the rest of the source's articles and its headline."""

    page: int  # the source page's number
    rest: tuple[Story, ...]
    headline: str


def jump_style(story: StorySpec) -> str:
    """The style a story's jump lines are set in: its jump_style, else "jump"."""
    return story.jump_style or "jump"


def _problem(spec: PageSpec, sid: str, message: str, fix: str) -> Problem:
    line, col = spec.where.get(("stories", sid, "continues"), spec.where.get(("stories", sid), (None, None)))
    return Problem(message, spec.path, line, col, fix)


def plan(specs: list[PageSpec]) -> tuple[tuple[Jump, ...], list[list[int]]]:
    """Every jump of the edition, checked, and the pages in waves: each wave's pages need only the
    flows of pages in earlier waves. Bad references and loops are located errors."""
    names = {s.name: n for n, s in enumerate(specs, 1)}
    problems: list[Problem] = []
    jumps: list[Jump] = []
    taken: dict = {}
    for n, spec in enumerate(specs, 1):
        for story in spec.stories:
            if jump_style(story) not in spec.styles and (story.continues or _continued(specs, spec, story)):
                problems.append(_problem(spec, story.id, f"story {story.id!r} jumps between pages, but its page "
                                         f"defines no style {jump_style(story)!r} for the jump lines",
                                         "define a style 'jump' (e.g. {role: kai, size: 小五, align: right}) "
                                         "or set jump_style: on the story"))
            if not story.continues:
                continue
            page, sid = story.continues.split("/")
            if page not in names:
                problems.append(_problem(spec, story.id, f"story {story.id!r} continues {story.continues!r}, but the "
                                         f"edition has no page {page!r}", _suggest(page, list(names))))
                continue
            src = specs[names[page] - 1]
            if sid not in {s.id for s in src.stories}:
                problems.append(_problem(spec, story.id, f"story {story.id!r} continues {story.continues!r}, but page "
                                         f"{page!r} has no story {sid!r}", _suggest(sid, [s.id for s in src.stories])))
                continue
            if names[page] == n:
                problems.append(_problem(spec, story.id, f"story {story.id!r} continues {story.continues!r} on its own "
                                         "page", "within a page, add the frames to the story's chain instead"))
                continue
            if (names[page], sid) in taken:
                problems.append(_problem(spec, story.id, f"{story.continues!r} is continued twice: by "
                                         f"{taken[(names[page], sid)]} and by {spec.name}/{story.id}",
                                         "a story continues on one page; remove one continues:"))
                continue
            taken[(names[page], sid)] = f"{spec.name}/{story.id}"
            jumps.append(Jump((names[page], sid), (n, story.id)))
    problems += _loops(specs, jumps)
    if problems:
        raise PagesetterError(*problems)
    return tuple(jumps), _waves(specs, jumps)


def _continued(specs: list[PageSpec], spec: PageSpec, story: StorySpec) -> bool:
    ref = f"{spec.name}/{story.id}"
    return any(s.continues == ref for p in specs for s in p.stories)


def _suggest(word: str, names: list[str]) -> str:
    from ..pagespec.checker import suggest

    return suggest(word, names, "it")


def _loops(specs: list[PageSpec], jumps: list[Jump]) -> list[Problem]:
    """A chain of continuations that comes back to where it started (a → b → a)."""
    nxt = {j.source: j.target for j in jumps}
    out, seen = [], set()
    for start in nxt:
        trail, node = [], start
        while node in nxt and node not in trail:
            trail.append(node)
            node = nxt[node]
        if node in trail and node not in seen:
            cycle = trail[trail.index(node):]
            seen.update(cycle)
            shown = " → ".join(f"{specs[p - 1].name}/{s}" for p, s in cycle + [node])
            spec = specs[node[0] - 1]
            out.append(_problem(spec, node[1], f"stories continue each other in a loop across pages: {shown}",
                                "remove continues: from one of them: a story starts on one page"))
    return out


def _waves(specs: list[PageSpec], jumps: list[Jump]) -> list[list[int]]:
    """Pages grouped so each page comes after the pages its continuations come from."""
    needs = {n: {j.source[0] for j in jumps if j.target[0] == n} for n in range(1, len(specs) + 1)}
    done: set[int] = set()
    waves = []
    while len(done) < len(specs):
        wave = [n for n in sorted(needs) if n not in done and needs[n] <= done]
        if not wave:
            n = min(n for n in needs if n not in done)
            j = next(j for j in jumps if j.target[0] == n and j.source[0] not in done)
            spec = specs[n - 1]
            raise PagesetterError(_problem(spec, j.target[1], f"pages {specs[j.source[0] - 1].name} and {spec.name} "
                                           "continue stories from each other both ways, so neither can be set first",
                                           "let stories jump from one of the two pages to the other only"))
        waves.append(wave)
        done.update(wave)
    return waves


def with_continuations(spec: PageSpec, stories: dict, incoming: dict[str, Incoming]) -> tuple[PageSpec, dict]:
    """The page with each continuation story given its text: the continued-head and 上接 line as
    the first article's head, then the rest of the source's articles."""
    if not incoming:
        return spec, stories
    stories = dict(stories)
    new = []
    for story in spec.stories:
        got = incoming.get(story.id)
        if got is None:
            new.append(story)
            continue
        keys = []
        for k, part in enumerate(got.rest):
            key = Path(f"{part.path}#continued:{spec.name}/{story.id}/{k}")
            meta = {"byline": JUMP_FROM.format(n=chinese_number(got.page))} if k == 0 else {}
            if k == 0 and story.continued_head and got.headline:
                meta["headline"] = got.headline
            stories[key] = Story(part.path, meta, part.paragraphs)
            keys.append(key)
        heads = {"byline": jump_style(story)}
        if story.continued_head:
            heads["headline"] = story.continued_head
        new.append(replace(story, articles=tuple(keys), heads=heads))
    return replace(spec, stories=tuple(new)), stories


class _Jumped:
    """A source story's flow with its jump line at the chain's foot (what `compose` needs of a flow)."""

    def __init__(self, flow, jump: TextLine | None, text: str | None):
        self.flow, self.jump, self.text = flow, jump, text
        self.items = flow.items + ([jump] if jump else [])

    def report(self) -> StoryReport:
        r = self.flow.report()
        if self.jump is None:
            return replace(r, lines_available=r.lines_available + len(self.flow.reserved))
        placed = min(r.lines_set, r.lines_available)
        return StoryReport(r.id, placed + 1, r.lines_available + len(self.flow.reserved), r.adjustment, r.overfull,
                           jump=self.text, balanced=r.balanced)


def compose_page(spec: PageSpec, stories: dict, metrics: dict, outgoing: dict[str, int],
                 incoming: dict[str, Incoming]):
    """Compose one page of an edition. `outgoing`: story id → the page its rest jumps to.
    Returns the composed page and, per outgoing story, the rest that did not fit. A page with
    `makeup:` is made up first (自动组版), its continuations measured with the text they receive."""
    if spec.makeup is not None:
        from .makeup_spec import make_up_page

        view = lambda sp, st: with_continuations(sp, st, incoming)  # noqa: E731
        spec = make_up_page(spec, stories, metrics, view=view, jumping=frozenset(outgoing)).spec
    spec, stories = with_continuations(spec, stories, incoming)
    rests: dict[str, tuple[Story, ...]] = {}

    def flow(spec_, story, ts, stories_):
        if story.id not in outgoing:
            return flow_story(spec_, story, ts, stories_)
        f = flow_story(spec_, story, ts, stories_, reserve=1)
        if f.overflow is None or not f.reserved:
            rests[story.id] = ()
            return _Jumped(f, None, None)
        o = f.overflow
        first = rest_of(stories_[story.articles[o.article]], o.paragraph, o.offset)
        rests[story.id] = (first,) + tuple(stories_[p] for p in story.articles[o.article + 1:])
        style = spec_.styles[jump_style(story)]
        slot = f.reserved[-1]
        text = JUMP_TO.format(n=chinese_number(outgoing[story.id]))
        line = ts.lines([(text, style)], lambda k: slot.width, align=style.align)[0]
        y = spec_.grid.baseline(slot.line, 1, style.size)
        jump = TextLine(snap(slot.x), snap(y), line.glyphs, style.color, slot.frame, tag=JUMP_TAG)
        return _Jumped(f, jump, text)

    return compose(spec, stories, metrics, flow_story=flow), rests


def headline_of(spec: PageSpec, story_id: str, stories: dict) -> str:
    story = next(s for s in spec.stories if s.id == story_id)
    return plain(str(stories[story.articles[0]].get("headline") or "")) if story.articles else ""
