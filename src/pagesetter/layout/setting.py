"""Setting short texts and paragraphs in a style: the bridge from styles and faces to the breaker."""
from __future__ import annotations

from dataclasses import replace

from ..spec.model import Style
from ..text.breaker import break_lines
from ..text.justify import PlacedGlyph, SetLine, set_paragraph
from ..text.measure import Composition, Paragraph, Run, measure


class Typesetter:
    """Measures and sets text for one page: holds the faces' metrics and the page's composition rules."""

    def __init__(self, metrics_by_role: dict, composition: Composition):
        self.metrics_by_role = metrics_by_role
        self.composition = composition

    def paragraph(self, runs: list[tuple[str, Style]], indent_em: float, tracking: float = 0.0) -> Paragraph:
        first = runs[0][1]
        settings = replace(self.composition, tracking=first.tracking + tracking)
        return measure([Run(t, s.role, s.size) for t, s in runs if t], self.metrics_by_role.__getitem__,
                       settings, indent_em)

    def lines(self, runs: list[tuple[str, Style]], width_of, indent_em: float = 0.0,
              align: str = "justify", count: int | None = None, tracking: float = 0.0) -> list[SetLine] | None:
        """Break and set a paragraph; non-justified alignments keep natural spacing and shift lines.
        With `count`, the best setting in exactly that many lines, or None if there is none."""
        par = self.paragraph(runs, indent_em, tracking)
        if not par.glyphs:
            return []
        breaks = break_lines(par, width_of, count)
        if breaks is None:
            return None
        lines = set_paragraph(par, breaks, aligned=align == "justify")
        return lines if align == "justify" else [_aligned(line, align) for line in lines]

    def head_lines(self, text: str, style: Style, width: float) -> list[SetLine]:
        """A headline element (引题/主题/副题/byline): one line if it fits; otherwise it breaks at
        its word spaces first (分行 at the 空格), as a designer would, and only then anywhere."""
        whole = self.lines([(text, style)], lambda k: width, align=style.align)
        parts = text.split()
        if len(whole) <= 1 or len(parts) < 2:
            return whole
        return [line for part in parts
                for line in self.lines([(part, style)], lambda k: width, align=style.align)]


def _aligned(line: SetLine, align: str) -> SetLine:
    slack = line.width - line.extent
    shift = slack / 2 if align == "center" else slack if align == "right" else 0.0
    glyphs = tuple(PlacedGlyph(p.ch, p.font, p.size, round(p.x + shift, 4)) for p in line.glyphs)
    return SetLine(glyphs, line.width, True, line.overfull, round(line.extent + shift, 4))
