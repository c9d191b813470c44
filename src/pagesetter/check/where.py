"""Where on a composed page a point lies: frame, story, article line — and places in mm.

    places = PageMap(composed.layout, composed.spec, stories)
    places.at(x, y)           # Place(frame="main-2", story="main", article="articles/main.md:14")
    mm_box(box, origin)       # "x 63.1 y 120.4 mm, 38.0 × 4.2 mm" from the trim's top-left
    edition_map(composed)     # an edition's pages (版面): each finding also names its page

A `PageMap` is made from the layout the PDF came from (golden tests have it; `pagesetter diff
--spec page.yaml` composes it). Points are pt from the trim's top-left, like `layout.model`.
An `EditionMap` holds one PageMap per page of an edition, a continuation (转版) story's lines
named by the articles of the story it continues.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..layout.model import Image, Pen, Rect, Rule, TextLine
from ..records import record

Box = tuple[float, float, float, float]
Point = tuple[float, float]
MM = 25.4 / 72
SLACK = 1.0  # pt around a line's box that still counts as on it
_SPACE = re.compile(r"\s+")


@record
class Place:
    frame: str | None = None
    story: str | None = None
    article: str | None = None  # "articles/main.md:14": the source line of the paragraph
    item: str | None = None  # furniture: "rule", "box", "picture ①"
    page: str | None = None  # in an edition: "page 2 sample-page-2" (its number and name, 版次)

    def describe(self) -> str:
        parts = [self.page] if self.page else []
        if self.item:
            parts.append(self.item)
        if self.story:
            parts.append(f"story {self.story}")
        if self.frame:
            parts.append(f"frame {self.frame}")
        if self.article:
            parts.append(self.article)
        return ", ".join(parts)


def mm_box(box, origin=(0.0, 0.0)) -> str:
    """A box in pt (glyph coordinates) as mm from the trim's top-left (`origin` = the trim's corner)."""
    x0, y0, x1, y1 = box
    return (f"x {(x0 - origin[0]) * MM:.1f} y {(y0 - origin[1]) * MM:.1f} mm, "
            f"{(x1 - x0) * MM:.1f} × {(y1 - y0) * MM:.1f} mm")


def _inside(x: float, y: float, box, slack: float) -> bool:
    return box[0] - slack <= x <= box[2] + slack and box[1] - slack <= y <= box[3] + slack


def _area(box) -> float:
    return (box[2] - box[0]) * (box[3] - box[1])


class _Places(Pen):
    """Reads the boxes of a page's items (pt from the trim's top-left): text lines with their
    frame and text, and rules, boxes and pictures with what they are."""

    def __init__(self) -> None:
        self.lines: list[tuple] = []  # (box, frame, text)
        self.furniture: list[tuple] = []  # (box, what)
        self.stories: dict[str, str] = {}  # frame → the story its lines say they belong to

    def text(self, line: TextLine) -> None:
        if line.story and line.frame:
            self.stories.setdefault(line.frame, line.story)
        if not line.glyphs:
            return
        size = max(g.size for g in line.glyphs)
        box = (line.x + line.glyphs[0].x, line.y - size, line.x + line.glyphs[-1].x + size, line.y + 0.25 * size)
        self.lines.append((box, line.frame, "".join(g.ch for g in line.glyphs)))

    def rule(self, rule: Rule) -> None:
        half = rule.width / 2
        self.furniture.append(((min(rule.x0, rule.x1) - half, min(rule.y0, rule.y1) - half,
                                max(rule.x0, rule.x1) + half, max(rule.y0, rule.y1) + half), "rule"))

    def rect(self, rect: Rect) -> None:
        self.furniture.append(((rect.x, rect.y, rect.x + rect.w, rect.y + rect.h), "box"))

    def image(self, image: Image) -> None:
        name = image.label or (image.file.name if image.file else "")
        self.furniture.append(((image.x, image.y, image.x + image.w, image.y + image.h), f"picture {name}".strip()))


def _norm(text: str) -> str:
    return _SPACE.sub("", text)


def _relative(path: Path, root: Path | None) -> str:
    try:
        return str(path.resolve().relative_to(root)) if root else path.name
    except ValueError:
        return str(path)


class PageMap:
    """One page's lines, frames and furniture with their stories and article lines; `page`
    (in an edition) names the page in every place."""

    def __init__(self, layout, spec=None, stories: dict | None = None, page: str | None = None):
        self.page = page
        places = _Places()
        for item in layout.items:
            item.paint(places)
        self.lines = places.lines  # (box, frame, text)
        self.furniture = places.furniture  # (box, what)
        self.frames: dict[str, list[float]] = {}
        for box, frame, _ in self.lines:
            f = self.frames.setdefault(frame, list(box))
            f[:] = [min(f[0], box[0]), min(f[1], box[1]), max(f[2], box[2]), max(f[3], box[3])]
        self.story_of = {}
        self.paragraphs: dict[str, list[tuple[str, str]]] = {}
        root = Path(spec.path).resolve().parent.parent if spec is not None and getattr(spec, "path", None) else None
        for s in getattr(spec, "stories", ()) or ():
            for frame in s.chain:
                self.story_of[frame] = s.id
            for path in s.articles:
                story = (stories or {}).get(path)
                for p in getattr(story, "paragraphs", ()):
                    self.paragraphs.setdefault(s.id, []).append((_norm(p.text), f"{_relative(path, root)}:{p.line}"))
        for frame, story in places.stories.items():  # frames no chain names: a made-up page's (自动组版), a headline's
            self.story_of.setdefault(frame, story)

    def at(self, x: float, y: float) -> Place:
        """The place of a point (pt from the trim's top-left)."""
        for (x0, y0, x1, y1), frame, text in self.lines:
            if x0 - SLACK <= x <= x1 + SLACK and y0 - SLACK <= y <= y1 + SLACK:
                return self.line(frame, text)
        hits = [(_area(box), what) for box, what in self.furniture if _inside(x, y, box, SLACK)]
        if hits:
            return Place(item=min(hits)[1], page=self.page)
        frames = [(_area(box), frame) for frame, box in self.frames.items()
                  if frame in self.story_of and _inside(x, y, box, 0.0)]
        return self.line(min(frames)[1], None) if frames else Place(page=self.page)

    def line(self, frame: str, text: str | None) -> Place:
        """The place of a line of `frame` with this text (its article line when found)."""
        story = self.story_of.get(frame)
        article = None
        if text and story:
            needle = _norm(text)
            article = next((where for para, where in self.paragraphs.get(story, ()) if needle and needle in para), None)
        return Place(frame or None, story, article, page=self.page)

    def box(self, box: Box, origin: Point = (0.0, 0.0), page: int | None = None) -> Place:
        """The place of a box's centre (glyph coordinates, `origin` = the trim's top-left); `page`
        (B's page number) is for an EditionMap: a PageMap is one page."""
        return self.at((box[0] + box[2]) / 2 - origin[0], (box[1] + box[3]) / 2 - origin[1])


class EditionMap:
    """Places on an edition's pages: B's page number → that page's PageMap."""

    def __init__(self, pages: list[PageMap]):
        self.pages = pages

    def page(self, number: int | None) -> PageMap | None:
        return self.pages[number - 1] if number is not None and 1 <= number <= len(self.pages) else None

    def box(self, box: Box, origin: Point = (0.0, 0.0), page: int | None = None) -> Place:
        """The place of a box's centre on B's page `page` (nothing when the edition has no such page)."""
        found = self.page(page)
        return found.box(box, origin) if found is not None else Place()


def page_label(number: int, name: str) -> str:
    """How a place names an edition's page: "page 2 sample-page-2" (版次 and the page's name)."""
    return f"page {number} {name}"


def edition_map(composed: Any) -> EditionMap:
    """An EditionMap of a composed edition (build_edition.ComposedEdition): each page's lines named
    by its stories' articles, a continuation's by the articles of the story it continues."""
    from ..build import load_stories

    specs = [c.spec for c in composed.pages]
    stories = [load_stories(spec) for spec in specs]
    back = {j.target: j.source for j in composed.jumps}
    maps: list[PageMap] = []
    for n, c in enumerate(composed.pages, 1):
        spec, own = _with_origins(specs, stories, back, n)
        maps.append(PageMap(c.layout, spec, own, page=page_label(n, c.spec.name)))
    return EditionMap(maps)


def _with_origins(specs: list[Any], stories: list[dict], back: dict[tuple[int, str], tuple[int, str]],
                  n: int) -> tuple[Any, dict]:
    """Page `n`'s spec and stories with each continuation story given the articles it continues
    (followed back through a continuation of a continuation to the story that started it)."""
    from dataclasses import replace

    spec, own = specs[n - 1], dict(stories[n - 1])
    new: list[Any] = []
    for story in spec.stories:
        node = (n, story.id)
        if node not in back:
            new.append(story)
            continue
        while node in back:
            node = back[node]
        origin = next(s for s in specs[node[0] - 1].stories if s.id == node[1])
        own.update({p: stories[node[0] - 1][p] for p in origin.articles})
        new.append(replace(story, articles=origin.articles))
    return replace(spec, stories=tuple(new)), own
