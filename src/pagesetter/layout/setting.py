"""Setting short texts and paragraphs in a style: the bridge from styles and faces to the breaker."""
from __future__ import annotations

import itertools
import math
from dataclasses import replace

from ..pagespec.model import Style
from ..text.breaker import break_lines, total_fit_options
from ..text.justify import SetLine, set_paragraph
from ..text.lines import EPS, Sums
from ..text.measure import Composition, Paragraph, Run, measure


class Typesetter:
    """Measures and sets text for one page: holds the faces' metrics and the page's composition rules."""

    def __init__(self, metrics_by_role: dict, composition: Composition, glyphs: dict | None = None):
        self.metrics_by_role = metrics_by_role
        self.composition = composition
        self._glyphs = {} if glyphs is None else glyphs  # each character measured once (text.measure)
        # the same paragraph set to the same widths again (stranded-line variants, balancing and
        # copyfit re-flow a story) costs a dictionary look-up, not another total-fit search
        self._memo: dict = {}
        self._set: dict = {}  # (paragraph, breaks, alignment) → its set lines (heads are asked per cursor)

    def with_composition(self, composition: Composition) -> "Typesetter":
        """A typesetter for the same faces under other composition rules (its own memo)."""
        return Typesetter(self.metrics_by_role, composition, self._glyphs)

    def paragraph(self, runs: list[tuple[str, Style]], indent_em: float, tracking: float = 0.0,
                  headline: bool = False) -> Paragraph:
        """Measure a paragraph; a headline also sheds the blank half of an opening mark at its
        start, so its edges align on the ink (optical alignment)."""
        first = runs[0][1]
        settings = replace(self.composition, tracking=first.tracking + tracking)
        if headline:
            settings = replace(settings, trim_line_start=True, trim_line_end=True, orphan_control=False,
                               tight=False)  # display type is never set tight
        return measure([Run(t, s.role, s.size) for t, s in runs if t], self.metrics_by_role.__getitem__,
                       settings, indent_em, self._glyphs)

    def _options(self, runs, width_of, indent_em: float, tracking: float, headline: bool):
        """The measured paragraph, its prefix sums and total-fit's settings per line count for these widths
        (None when breaking greedily), memoised."""
        key = _key(runs, indent_em, tracking, headline)
        if key not in self._memo:
            par = self.paragraph(runs, indent_em, tracking, headline)
            self._memo[key] = (par, Sums(par), {})
        par, sums, fits = self._memo[key]
        if not par.glyphs or par.settings.breaking != "total-fit":
            return par, sums, None
        # a search reads only the widths of the lines it may set: it is keyed by those alone
        # (read-width count → those widths → result), so a cursor one line on is a hit too
        for count, by_widths in fits.items():
            found = by_widths.get(tuple(width_of(k) for k in range(count)))
            if found is not None:
                return par, sums, found
        read = [0]

        def reading(k: int) -> float:
            read[0] = max(read[0], k + 1)
            return width_of(k)

        options = total_fit_options(par, reading, sums)
        fits.setdefault(read[0], {})[tuple(width_of(k) for k in range(read[0]))] = options
        return par, sums, options

    def variants(self, runs: list[tuple[str, Style]], width_of, indent_em: float = 0.0,
                 tracking: float = 0.0) -> dict[int, float]:
        """A paragraph's possible line counts and the demerits of each (greedy: its one count, 0)."""
        par, _, options = self._options(runs, width_of, indent_em, tracking, False)
        if not par.glyphs:
            return {0: 0.0}
        if options:
            return {k: cost for k, (cost, _) in options.items()}
        return {len(break_lines(par, width_of)): 0.0}

    def lines(self, runs: list[tuple[str, Style]], width_of, indent_em: float = 0.0,
              align: str = "justify", count: int | None = None, tracking: float = 0.0,
              headline: bool = False) -> list[SetLine] | None:
        """Break and set a paragraph; non-justified alignments keep natural spacing and shift lines.
        With `count`, the best setting in exactly that many lines, or None if there is none."""
        par, sums, options = self._options(runs, width_of, indent_em, tracking, headline)
        if not par.glyphs:
            return []
        breaks = break_lines(par, width_of, count, options)
        if breaks is None:
            return None
        key = (_key(runs, indent_em, tracking, headline), tuple(breaks), align)
        if key not in self._set:
            lines = set_paragraph(par, breaks, aligned=align == "justify", sums=sums)
            self._set[key] = lines if align == "justify" else [_aligned(line, align) for line in lines]
        return list(self._set[key])

    def head_lines(self, text: str, style: Style, width: float) -> list[SetLine]:
        """A headline element (引题/主题/副题/byline): one line if it fits; else, if the style has
        `fit_min`, one line at the largest size down to that limit (quarter points) that fits;
        else broken at its word spaces first (分行 at the 空格), and only then anywhere."""
        def head(t: str, st: Style) -> list[SetLine]:
            return self.lines([(t, st)], lambda k: width, align=st.align, headline=True)

        whole = head(text, style)
        if len(whole) <= 1:
            return whole
        if style.fit_min:
            natural = self.lines([(text, style)], lambda k: 1e9, align="left", headline=True)[0].extent
            size = math.floor(style.size * width / natural * 4) / 4
            if size >= style.fit_min:
                return head(text, replace(style, size=size))
        parts = text.split()
        if len(parts) < 2:
            return whole
        return [line for group in self._word_groups(parts, style, width) for line in head(group, style)]

    def _word_groups(self, parts: list[str], style: Style, width: float) -> list[str]:
        """Words (separated by spaces) share a line while they fit, one line per group: measured
        once, each group's width read from prefix sums (linear in the text, however long)."""
        par = self.paragraph([(" ".join(parts), style)], 0.0, headline=True)
        sums = Sums(par)
        ends = list(itertools.accumulate(len(p) for p in parts))  # glyphs drop the spaces
        groups: list[list[str]] = []
        start = 0
        for i, part in enumerate(parts):
            if groups and sums.tightest(start, ends[i]) <= width + EPS:
                groups[-1].append(part)
            else:
                groups.append([part])
                start = ends[i] - len(part)
        return [" ".join(g) for g in groups]


def _key(runs, indent_em: float, tracking: float, headline: bool) -> tuple:
    """What a paragraph's measure depends on, as a memo key."""
    return tuple(runs), indent_em, tracking, headline


def _aligned(line: SetLine, align: str) -> SetLine:
    slack = line.width - line.extent
    shift = slack / 2 if align == "center" else slack if align == "right" else 0.0
    glyphs = tuple(replace(p, x=round(p.x + shift, 4)) for p in line.glyphs)
    return SetLine(glyphs, line.width, True, line.overfull, round(line.extent + shift, 4))
