"""Setting short texts and paragraphs in a style: the bridge from styles and faces to the breaker."""
from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from ..pagespec.model import Style
from ..text import display
from ..text.breaker import break_lines, total_fit_options
from ..text.justify import GlyphRun, SetLine, set_paragraph
from ..text.lines import Sums
from ..text.measure import Composition, Paragraph, Run, measure
from ..text.words import WordBounds, word_bounds
from .wordcache import WordCache


class _Carried(dict):
    """A paragraph memo that, when asked whether it holds a key, takes over the entry the previous
    build's memo has for it: a page built again in the same process (`pagesetter watch`) measures
    and breaks only the paragraphs that changed."""

    def __init__(self, previous: dict):
        super().__init__()
        self.previous = previous

    def __contains__(self, key) -> bool:
        if dict.__contains__(self, key):
            return True
        if key in self.previous:
            self[key] = self.previous[key]
            return True
        return False

    def __missing__(self, key):
        """memo[key] for a key this build has not used yet: the previous build's entry, taken over."""
        value = self[key] = self.previous[key]  # KeyError when neither has it
        return value


# Inside `carry_over()`: per set of faces and rules (compared by value), the memos of the last
# Typesetter that used them — paragraphs measured and broken, and lines set. Two generations only
# (what the previous build used) for the few latest sets, so memory stays at about one page's
# worth; outside carry_over() (the default) nothing outlives a build.
_last: OrderedDict | None = None
KEEP = 8  # sets of faces and rules remembered (a page, its stories' own rules, an edition's pages)


_kept: dict | None = None  # inside carry_over(): other stages' memos by name (see `carried`)

# Where display lines get their word boundaries: the segmenter itself (text.words, cached per
# process) or, once a build names its cache folder, that remembered on disk (layout.wordcache).
_words: Callable[[str], WordBounds] = word_bounds


def use_word_cache(cache_dir: Path) -> None:
    """Take display lines' word boundaries from (and keep them in) the cache folder `cache_dir`."""
    global _words
    if not isinstance(_words, WordCache) or _words.cache_dir != Path(cache_dir):
        _words = WordCache(cache_dir)


@contextmanager
def carry_over():
    """Builds run inside this take over the paragraphs the previous one measured, broke and set
    under the same faces and rules (`pagesetter watch` keeps one open while it watches)."""
    global _last, _kept
    outer, _last = _last, OrderedDict()
    outer_kept, _kept = _kept, {}
    try:
        yield
    finally:
        _last, _kept = outer, outer_kept


def carried(name: str) -> dict | None:
    """A memo named `name` that lives as long as the innermost carry_over() (None outside one):
    for another stage to keep what the next build in the same process can reuse."""
    return None if _kept is None else _kept.setdefault(name, {})


def _carried_memos(metrics_by_role: dict, composition: Composition) -> tuple[dict, dict]:
    """A paragraph memo and a settings memo, carrying over what the last build left (if any)."""
    if _last is None:
        return {}, {}
    try:
        key = (composition, tuple(sorted(metrics_by_role.items())))
        hash(key)
    except TypeError:  # metrics that cannot be compared by value: nothing is carried over
        return {}, {}
    paragraphs, settings = _last.pop(key, ({}, {}))
    memos = (_Carried(dict(paragraphs)), _Carried(dict(settings)))
    _last[key] = memos
    while len(_last) > KEEP:
        _last.popitem(last=False)
    return memos


RAGGED = "ragged"  # Typesetter's `headline` for verse (诗行): body rules, nothing squeezed


class Typesetter:
    """Measures and sets text for one page: holds the faces' metrics and the page's composition rules."""

    def __init__(self, metrics_by_role: dict, composition: Composition, glyphs: dict | None = None):
        self.metrics_by_role = metrics_by_role
        self.composition = composition
        self._glyphs = {} if glyphs is None else glyphs  # each character measured once (text.measure)
        # the same paragraph set to the same widths again (stranded-line variants, balancing and
        # copyfit re-flow a story) costs a dictionary look-up, not another total-fit search; what
        # the last build in this process set under the same faces and rules is carried over
        self._memo, self._sets = _carried_memos(metrics_by_role, composition)
        self._heads: dict = {}  # head_lines by (text, style, width): the flow asks at every cursor
        self._rules: dict = {}  # Composition by (tracking, headline)

    def with_composition(self, composition: Composition) -> "Typesetter":
        """A typesetter for the same faces under other composition rules (its own memo)."""
        return Typesetter(self.metrics_by_role, composition, self._glyphs)

    def paragraph(self, runs: list[tuple], indent_em: float, tracking: float = 0.0,
                  headline: bool | str = False) -> Paragraph:
        """Measure a paragraph; a headline also sheds the blank half of an opening mark at its
        start, so its edges align on the ink (optical alignment)."""
        settings = self._settings(runs[0][1].tracking + tracking, headline)
        return measure([Run(r[0], r[1].role, r[1].size, r[1].color, r[2] if len(r) > 2 else "") for r in runs if r[0]],
                       self.metrics_by_role.__getitem__, settings, indent_em, self._glyphs)

    def _settings(self, tracking: float, headline: bool | str) -> Composition:
        """The page's rules with this tracking, for body text or a headline (made once each).
        An opening mark that starts a head follows the body's rule (`trim_line_start`: its blank
        half kept, or trimmed so its ink is flush), except in a centred head (`headline`
        "center"), which is centred on its ink. Verse (`headline` RAGGED) is body text whose marks
        and gaps are never squeezed: a ragged line has no reason to be pushed in."""
        key = (tracking, headline)
        if key not in self._rules:
            settings = replace(self.composition, tracking=tracking)
            if headline == RAGGED:
                settings = replace(settings, squeeze=False)
            elif headline:
                start = headline == "center" or settings.trim_line_start
                settings = replace(settings, trim_line_start=start, trim_line_end=True, orphan_control=False,
                                   tight=False)  # display type is never set tight
            self._rules[key] = settings
        return self._rules[key]

    def _measured(self, runs, indent_em: float, tracking: float, headline: bool | str) -> tuple:
        """The measured paragraph, its prefix sums and its memo of total-fit's settings by
        widths, measured once per text, style and rules."""
        key = (tuple(runs), indent_em, tracking, headline)
        try:  # one look-up (hashing the key hashes every run's Style), not `in` and then `[]`
            return self._memo[key]
        except KeyError:
            par = self.paragraph(runs, indent_em, tracking, headline)
            entry: tuple[Paragraph, Sums, dict] = (par, Sums(par), {})
            self._memo[key] = entry
            return entry

    def _options(self, runs, width_of, indent_em: float, tracking: float, headline: bool | str):
        """The measured paragraph, its prefix sums (shared by total-fit and justification),
        total-fit's settings per line count for these widths and their demerits per line count
        (None, None when breaking greedily), memoised."""
        par, sums, fits = self._measured(runs, indent_em, tracking, headline)
        if not par.glyphs or par.settings.breaking != "total-fit":
            return par, sums, None, None
        return (par, sums, *_fitted(par, sums, fits, width_of))

    def variants(self, runs: list[tuple[str, Style]], width_of, indent_em: float = 0.0,
                 tracking: float = 0.0) -> dict[int, float]:
        """A paragraph's possible line counts and the demerits of each (greedy: its one count, 0)."""
        par, _, options, costs = self._options(runs, width_of, indent_em, tracking, False)
        if not par.glyphs:
            return {0: 0.0}
        if options:
            return dict(costs)
        breaks = break_lines(par, width_of)
        assert breaks is not None  # (without a count there is always a setting)
        return {len(breaks): 0.0}

    def lines(self, runs: list[tuple[str, Style]], width_of, indent_em: float = 0.0,
              align: str = "justify", count: int | None = None, tracking: float = 0.0,
              headline: bool | str = False) -> list[SetLine] | None:
        """Break and set a paragraph; non-justified alignments keep natural spacing and shift lines.
        With `count`, the best setting in exactly that many lines, or None if there is none."""
        par, sums, options, _ = self._options(runs, width_of, indent_em, tracking, headline)
        if not par.glyphs:
            return []
        breaks = break_lines(par, width_of, count, options)
        if breaks is None:
            return None
        done = ((tuple(runs), indent_em, tracking, headline), tuple(breaks), align)
        try:  # the same breaks set again (a re-flow, a rebuild): looked up (one hash of the key,
            lines = self._sets[done]  # which hashes every run's Style and every Break, not two)
        except KeyError:
            lines = set_paragraph(par, breaks, aligned=align == "justify", sums=sums)
            lines = self._sets[done] = lines if align == "justify" else [_aligned(line, align) for line in lines]
        return list(lines)

    def head_lines(self, text: str, style: Style, width: float) -> list[SetLine]:
        """A display element (引题/主题/副题/byline, an in-column head, a text block): one line if
        it fits; else, if the style has `fit_min`, one line at the largest size down to that limit
        (quarter points) that fits; else broken by sense (text.display: at the editor's `|`, its
        spaces and marks, between words), each line set at its natural spacing."""
        key = (text, style, width)
        if key not in self._heads:
            self._heads[key] = self._head_lines(text, style, width)
        return list(self._heads[key])

    def _head_lines(self, text: str, style: Style, width: float) -> list[SetLine]:
        kind = "center" if style.align == "center" else "edge"  # (_settings)
        m = display.marked(text)

        def head(t: str, st: Style) -> list[SetLine]:
            return self.lines([(t, st)], lambda k: width, align=st.align, headline=kind) or []  # (None: a count)

        if not m.forced:
            whole = head(m.text, style)
            if len(whole) <= 1:
                return whole
            if style.fit_min:
                one = self.lines([(m.text, style)], lambda k: 1e9, align="left", headline=kind) or whole
                natural = one[0].extent
                size = math.floor(style.size * width / natural * 4) / 4
                if size >= style.fit_min:
                    return head(m.text, replace(style, size=size))
        return [line for part in self._display_parts(m, style, width, kind) for line in head(part, style)]

    def _display_parts(self, m: display.Marked, style: Style, width: float, kind: str) -> list[str]:
        """The text of each display line, broken by sense (text.display); the whole text when
        nothing fits (an unbreakable run wider than the line: set as body text would be)."""
        _, sums, _ = self._measured([(m.text, style)], 0.0, 0.0, kind)  # as head() measures it
        lines = display.display_lines(sums, width, m, _words)
        if lines is None:
            return [m.text]
        offsets = [i for i, ch in enumerate(m.text) if not ch.isspace()]
        return [m.text[offsets[s]:offsets[e - 1] + 1] for s, e in lines]


class LineWidths:
    """The widths of the lines from one slot of a chain on (`widths[start]`, …; past the last slot,
    the last one's): a `width_of` whose first widths can be read at once (`first`), so a memo of
    settings by widths (_fitted) is checked with one tuple comparison, not a call per line."""

    __slots__ = ("widths", "start")

    def __init__(self, widths: list[float], start: int):
        self.widths, self.start = widths, start

    def __call__(self, k: int) -> float:
        return self.widths[min(self.start + k, len(self.widths) - 1)]

    def first(self, count: int) -> tuple[float, ...]:
        """(self(0), …, self(count - 1))."""
        head = tuple(self.widths[self.start:self.start + count])
        return head + (self.widths[-1],) * (count - len(head))


def _fitted(par: Paragraph, sums: Sums, fits: dict, width_of) -> tuple[dict, dict]:
    """Total-fit's settings of `par` for the line widths `width_of` gives, and their demerits by
    line count, memoised in `fits` under the widths total-fit read (its first lines, not one per
    glyph): total-fit reads nothing else, so any `width_of` that agrees on those lines gets the
    same settings."""
    first = getattr(width_of, "first", None)
    for widths, fitted in fits.items():
        if first(len(widths)) == widths if first else all(width_of(k) == w for k, w in enumerate(widths)):
            return fitted
    last, asked = len(par) - 1, {}

    def reading(k: int) -> float:
        if k not in asked:
            asked[k] = width_of(min(k, last))
        return asked[k]

    options = total_fit_options(par, reading, sums)
    fitted = fits[tuple(reading(k) for k in range(max(asked, default=-1) + 1))] = (
        options, {k: cost for k, (cost, _) in options.items()})
    return fitted


def _aligned(line: SetLine, align: str) -> SetLine:
    slack = line.width - line.extent
    shift = slack / 2 if align == "center" else slack if align == "right" else 0.0
    return shifted(line, shift)


def shifted(line: SetLine, shift: float) -> SetLine:
    """The line with every glyph `shift` pt further right (a verse turnover's indent, alignment)."""
    run = GlyphRun.of(line.glyphs)
    glyphs = GlyphRun(run.cells, tuple(round(x + shift, 4) for x in run.xs), run.spaced)
    return SetLine(glyphs, line.width, True, line.overfull, round(line.extent + shift, 4))
