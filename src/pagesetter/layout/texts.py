"""Which characters each face role must provide (the font census): read from the spec and stories
before layout, so each face is converted once, for exactly the characters the page sets in it.
Stories are read here; each block kind says what it sets (`BlockKind.uses`, blocks/*.py)."""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from ..records import record
from ..pagespec.kinds import kind_of
from ..pagespec.model import PageSpec
from ..text.classes import script_forms
from ..text.display import plain


@record
class Use:
    """A piece of text the page sets in a face role, and the file and line it comes from (a
    paragraph's first line, the front matter, or the spec's block)."""

    role: str
    text: str
    file: Path
    line: int


def text_uses(spec: PageSpec, stories: dict):
    """Yield a `Use` for every piece of text the page will set."""
    st = spec.styles
    for s in spec.stories:
        for path in s.articles:
            story = stories[path]
            for part, style in (s.heads or {}).items():
                if story.get(part):
                    yield Use(st[style].role, plain(story.get(part)), path, 1)
            for par in story.paragraphs:
                for span in par.spans:
                    yield Use(st[s.styles.get(span.kind, span.kind)].role, span.text, path, par.line)
    for i, b in enumerate(spec.blocks):
        line = spec.where.get(("blocks", i), (1, 1))[0] or 1
        yield from kind_of(b, spec, i).uses(b, spec, stories, line)
    yield from _makeup_heads(spec, stories)


def _makeup_heads(spec: PageSpec, stories: dict):
    """Make-up (自动组版) sets each placed story's head in its rank's house styles: every one of
    them is counted, as the ranks are known only once the page is made up."""
    if spec.makeup is None:
        return
    by_id = {s.id: s for s in spec.stories}
    for sid in spec.makeup.order:
        story = by_id[sid]
        if story.heads:
            continue
        first = stories[story.articles[0]]
        for styles in spec.makeup.house.heads:
            for part, style in styles.items():
                if first.get(part):
                    yield Use(spec.styles[style].role, plain(first.get(part)), first.path, 1)


def chars_by_role(spec: PageSpec, stories: dict) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for use in text_uses(spec, stories):
        out[use.role].update(ch for ch in use.text if not ch.isspace())
    return dict(out)


def script_forms_by_role(spec: PageSpec, stories: dict) -> dict[str, set[str]]:
    """The designed forms (² ₂ ⁻: text.classes.SCRIPT_FORMS) of the stories' scripts per face role:
    asked of the faces too, but optional — a script no face has the forms of is set scaled."""
    out: dict[str, set[str]] = defaultdict(set)
    st = spec.styles
    for s in spec.stories:
        for path in s.articles:
            for par in stories[path].paragraphs:
                for span in par.spans:
                    forms = script_forms(span.text, span.script) if span.script else None
                    if forms:
                        out[st[s.styles.get(span.kind, span.kind)].role].update(forms)
    return dict(out)


def where_used(spec: PageSpec, stories: dict, role: str, chars: set[str]) -> dict[str, list[tuple[Path, int]]]:
    """For missing-glyph reports: character → (file, line) places it is set in the role."""
    out: dict[str, list[tuple[Path, int]]] = defaultdict(list)
    for use in text_uses(spec, stories):
        if use.role == role:
            for ch in set(use.text) & chars:
                if (use.file, use.line) not in out[ch]:
                    out[ch].append((use.file, use.line))
    return dict(out)
