"""Which characters each face role must provide: read from the spec and stories before layout,
so each face is converted once, for exactly the characters the page sets in it."""
from __future__ import annotations

from collections import defaultdict

from ..spec.model import PageSpec
from ..story.model import GAP
from ..spec.keys import HEAD_PARTS


def text_uses(spec: PageSpec, stories: dict):
    """Yield (role, text, where) for every piece of text the page will set."""
    st = spec.styles
    for s in spec.stories:
        for path in s.articles:
            story = stories[path]
            for part, style in (s.heads or {}).items():
                if story.get(part):
                    yield st[style].role, story.get(part), f"{path.name} ({part})"
            for par in story.paragraphs:
                for span in par.spans:
                    style = s.styles[GAP if span.kind == GAP else par.role]
                    yield st[style].role, span.text, f"{path.name}:{par.line}"
    for i, b in enumerate(spec.blocks):
        o = b.options
        where = f"{spec.path.name} block {i + 1} ({b.kind})"
        if b.kind == "text":
            yield st[o["style"]].role, str(o["text"]), where
        elif b.kind == "headline":
            story = stories[next(s for s in spec.stories if s.id == o["story"]).articles[0]]
            for part, style in (o.get("styles") or {}).items():
                if part in HEAD_PARTS and story.get(part):
                    yield st[style].role, story.get(part), f"{story.path.name} ({part})"
        elif b.kind == "image":
            cap = stories.get(o.get("caption"))
            if o.get("label") or (cap and cap.get("label")):
                yield st[o.get("label_style", "label")].role, str(o.get("label") or cap.get("label")), where
            if cap:
                for par in cap.paragraphs:
                    yield st[o.get("caption_style", "caption")].role, par.text, f"{cap.path.name}:{par.line}"
                if cap.get("credit"):
                    yield st[o.get("credit_style", "credit")].role, cap.get("credit"), f"{cap.path.name} (credit)"


def chars_by_role(spec: PageSpec, stories: dict) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for role, text, _ in text_uses(spec, stories):
        out[role].update(ch for ch in text if not ch.isspace())
    return dict(out)


def where_used(spec: PageSpec, stories: dict, role: str, chars: set[str]) -> dict[str, list[str]]:
    """For missing-glyph reports: character → places it is set in the role."""
    out: dict[str, list[str]] = defaultdict(list)
    for r, text, where in text_uses(spec, stories):
        if r == role:
            for ch in set(text) & chars:
                if where not in out[ch]:
                    out[ch].append(where)
    return dict(out)
