"""Measure: styled runs of a paragraph → glyphs with advances, squeezable blanks and break classes.

This is the only text module that looks at font metrics; everything after it (breaking,
justification) sees widths in points and booleans.
"""
from __future__ import annotations

import functools
from dataclasses import field, replace
from typing import Protocol, Sequence

from ..records import record
from . import classes as C


class Metrics(Protocol):
    """What measuring needs of a face: advance and ink extent per character, in em."""

    def advance(self, ch: str) -> float: ...

    def ink_x(self, ch: str) -> tuple[float, float] | None: ...

    def script(self, kind: str) -> tuple[float, float]: ...  # (size, baseline shift) in em


# characters a face lacks and a fallback face sets, by the key of that face (FaceMetrics.fallback)
NO_FALLBACK: dict[str, str] = {}

@record
class Composition:
    """Composition settings of a block (排版规则), resolved once from the spec.

    punct_style: 全角式 "quanjiao" (adjacent marks 2 em → 1.5 em), 开明式 "kaiming" (。？！ full,
    every other mark ½ em), 半角式 "banjiao" (all marks ½ em).
    """

    punct_style: str = "quanjiao"
    han_latin_space: float = 0.25  # em; 0 turns Han–Latin spacing off
    strict: bool = False  # ー 〜 may not start a line either (CSS line-break: strict)
    trim_line_end: bool = True  # GB/T 15834 §5.1.10: closing mark at line end set ½ em
    trim_line_start: bool = True  # opening mark at line start loses its leading ½ em (ink flush)
    orphan_control: bool = True  # 孤字不成行
    tracking: float = 0.0  # em added between characters (字距)
    breaking: str = "total-fit"  # "total-fit" (whole paragraph, even spacing) or "greedy" (fast)
    tight: bool = True  # 紧排: ordinary gaps may close by classes.TIGHT_EM as a last resort
    squeeze: bool = True  # 挤进: marks' blanks and gaps may be squeezed to fit a line (False: verse, ragged)


@record
class Run:
    """A stretch of text in one face and size; `font` is a key the renderer knows."""

    text: str
    font: str
    size: float
    color: str = ""  # the run's colour name (a gap note in red), "" for the line's own
    script: str = ""  # "sup" (上标) or "sub" (下标): set at the face's script size and shift


@record
class Glyph:
    ch: str
    font: str
    size: float
    advance: float  # pt, as the font gives it
    fixed: float  # pt taken off the advance by the punctuation style, always
    blank: float  # pt of the remaining blank half that may be squeezed further
    blank_side: int  # +1 blank on the right (closing mark), -1 on the left (opening), 0 none
    shrink_kind: str | None  # class in C.SHRINK_ORDER for squeezing
    offset: float = 0.0  # pt the glyph is drawn right of its cell's origin (a padded opening mark)
    scale: float = 1.0  # horizontal scale it is drawn at (a dash stretched to fill its cell)
    color: str = ""  # its run's colour name; "" for the colour of the line it is set in
    rise: float = 0.0  # pt its baseline is raised (a superscript) or lowered (negative: a subscript)

    @property
    def width(self) -> float:
        return self.advance - self.fixed


@record
class Gap:
    """The glue between two glyphs (字间): natural width, whether it may stretch, may it break;
    `kind` ("han_latin", "word_space" or None) sets its priority and limits in justification."""

    natural: float
    stretch: bool
    breakable: bool
    kind: str | None = None
    shrink: float = 0.0  # pt it may give up when the line is squeezed
    limit: float = 0.0  # pt it may grow in the first stretching round
    letter: bool = False  # inside a Latin run (a word, a number, a URL): it opens only on a line
    # that has no other gap at all (a URL's middle), as letter-spacing, the last resort


@record
class Paragraph:
    """A measured paragraph: glyphs[i] is followed by gaps[i] (the last gap is unused)."""

    glyphs: tuple[Glyph, ...]
    gaps: tuple[Gap, ...]
    indent: float  # pt of first-line indent
    settings: Composition = field(default_factory=Composition)

    def __len__(self) -> int:
        return len(self.glyphs)


def _cell(ch: str, metrics: Metrics) -> tuple[float, tuple[float, float] | None, float]:
    """A mark's cell in em: (advance, ink extent within the cell, drawing offset).

    Chinese marks take a full-width cell. Some CJK faces draw “” ‘’ (and others) proportionally,
    narrower than 1 em: such a mark is set in a full-width cell with its ink on the side print puts
    it — a closing mark at the cell's left, an opening mark at its right (as OpenType `fwid` would).
    A dash — or ellipsis … takes a 1-em cell whatever its advance (Noto's — is 0.89 em), a two-em
    dash ⸺ a 2-em cell.
    """
    adv, ink = metrics.advance(ch), metrics.ink_x(ch)
    if ch in C.LONG_MARKS:
        return C.LONG_MARK_CELLS.get(ch, 1.0), ink, 0.0
    if adv >= 0.9 or ink is None or (ch not in C.CLOSING and ch not in C.OPENING):
        return adv, ink, 0.0
    shift = 1.0 - adv if ch in C.OPENING else 0.0
    return 1.0, (ink[0] + shift, ink[1] + shift), shift


def _blank(adv: float, ink, ch: str, em: float) -> tuple[int, float]:
    """Which side of a full-width mark is blank and how much of it may go, from the ink."""
    if ch in C.INTERPUNCT or (ch not in C.CLOSING and ch not in C.OPENING):
        return 0, 0.0
    if ink is None or adv < 0.9:
        return 0, 0.0
    x0, x1 = ink
    half = adv / 2
    if x1 <= half + 0.05:  # ink in the left half: blank on the right
        return 1, min(half, adv - x1) * em
    if x0 >= half - 0.05:  # ink in the right half: blank on the left
        return -1, min(half, x0) * em
    return 0, 0.0  # centred mark (e.g. a Traditional-style comma): nothing to squeeze


def _glyph(ch: str, run: Run, metrics: Metrics, settings: Composition) -> Glyph:
    em = run.size
    adv, ink, offset = _cell(ch, metrics)
    advance = adv * em
    fixed = 0.0
    if ch in C.INTERPUNCT:
        fixed = advance - 0.5 * em  # interpunct: exactly ½ em, whatever the font's advance
    side, blank = _blank(adv, ink, ch, em)
    style = settings.punct_style
    if blank and (style == "banjiao" or (style == "kaiming" and ch not in C.FULL_STOPS)):
        fixed, blank = blank, 0.0
    return Glyph(ch, run.font, run.size, advance, fixed, blank, side,
                 C.compress_kind(ch) if blank else None, offset * em, color=run.color)


@functools.lru_cache(maxsize=8192)
def _kind(ch: str) -> str:
    if C.is_han(ch) or C.is_full_width_alnum(ch):
        return "han"
    if C.is_latin_or_digit(ch):
        return "latin"
    if C.is_punct(ch):
        return "punct"
    return "other"


def _breakable(text: str, i: int, settings: Composition, in_number: bool) -> bool:
    """May a line break fall between text[i] and text[i + 1]? (避头尾 and unbreakable sequences;
    `in_number`: _inside_number(text, i))"""
    a, b = text[i], text[i + 1]
    if b in C.NO_START or a in C.NO_END:
        return False
    if a + b in C.UNBREAKABLE_PAIRS or (a in C.LONG_MARKS and a == b):
        return False
    if settings.strict and b in C.STRICT_NO_START:
        return False
    if C.in_word(a) and C.in_word(b) and C.is_full_width_alnum(a) == C.is_full_width_alnum(b):
        return False  # inside a number or a Latin word
    if C.in_run(a) and C.in_run(b):  # inside a URL or an identifier: after / . - _ @ ? only
        return not in_number and a in C.URL_BREAKS and C.in_word(b)
    return not in_number


def _inside_number(text: str, i: int) -> bool:
    """Is the gap after text[i] inside a number (25.5, 1,400, 56%)? It neither breaks nor stretches."""
    a, b = text[i], text[i + 1]
    before = text[i - 1] if i else ""
    after = text[i + 2] if i + 2 < len(text) else ""
    return ((a.isdigit() and b in C.NUMBER_JOINERS and after.isdigit())
            or (a in C.NUMBER_JOINERS and before.isdigit() and b.isdigit())
            or (a.isdigit() and b in C.NUMBER_SUFFIXES)
            or (a in C.CURRENCY_PREFIXES and b.isdigit()))


def _gap(a: Glyph, b: Glyph, space: float, breakable: bool, settings: Composition,
         in_number: bool = False) -> Gap:
    """Glue between two neighbouring glyphs (a space character collapsed into `space`)."""
    ka, kb = _kind(a.ch), _kind(b.ch)
    em = min(a.size, b.size)
    inside = ((not space and C.in_run(a.ch) and C.in_run(b.ch)) or (a.ch in C.LONG_MARKS and a.ch == b.ch)
              or in_number or (not space and b.ch in C.CLOSING and (C.in_run(a.ch) or a.ch in C.NUMBER_POSTFIXES)))
    natural = space + (0.0 if inside else settings.tracking * a.size)
    if space >= em - 1e-9:  # an ideographic space 　 (after 本报讯): a fixed em, glue like Han's
        return Gap(natural, True, breakable, shrink=C.TIGHT_EM * em if settings.tight else 0.0)
    if space:  # a Latin word space: shrinks to ¼ em, stretches to ½ em first
        return Gap(natural, True, breakable, "word_space", max(0.0, space - 0.25 * em),
                   max(0.0, C.STRETCH_FIRST["word_space"] * em - space))
    if ka != kb and {ka, kb} == {"han", "latin"} and settings.han_latin_space:
        nominal = settings.han_latin_space * em  # ¼ em, shrinks to ⅛, stretches to ⅜ first
        return Gap(natural + nominal, True, breakable, "han_latin", nominal / 2,
                   max(0.0, C.STRETCH_FIRST["han_latin"] * em - nominal))
    tight = C.TIGHT_EM * em if settings.tight and not inside else 0.0
    letter = not space and C.in_run(a.ch) and C.in_run(b.ch)
    return _plain_gap(natural, not inside, breakable, tight, letter)


@functools.lru_cache(maxsize=4096, typed=True)
def _plain_gap(natural: float, stretch: bool, breakable: bool, shrink: float, letter: bool = False) -> Gap:
    """The glue between two characters (the common case): a paragraph has only a few kinds,
    and Gap is frozen, so equal ones are shared."""
    return Gap(natural, stretch=stretch, breakable=breakable, shrink=shrink, letter=letter)


def _adjacent_marks(glyphs: list[Glyph], chars: list[str], settings: Composition) -> list[Glyph]:
    """全角式: two adjacent marks share one blank (2 em → 1.5 em); the blank between them goes."""
    if settings.punct_style != "quanjiao":
        return glyphs
    out = list(glyphs)
    # only a pair with a mark in it can change (a glyph has a blank only if it is a CLOSING or
    # OPENING mark): the pairs of plain characters, nearly all of them, are not looked at
    marks = [i for i, ch in enumerate(chars) if ch in _MARKS]
    for i in sorted({j for m in marks for j in (m - 1, m) if 0 <= j < len(out) - 1}):
        a, b = out[i], out[i + 1]
        if a.blank and a.blank_side == 1 and C.is_punct(b.ch):
            out[i] = _squeeze(a)
            if b.blank_side == -1:  # the pair keeps 1.5 em: the opening mark is not squeezed too
                out[i + 1] = replace(b, shrink_kind=None)
        elif b.blank and b.blank_side == -1 and C.is_punct(a.ch):
            out[i + 1] = _squeeze(b)
    return out


def _unbroken_dashes(glyphs: list[Glyph], chars: list[str], inks: list) -> list[Glyph]:
    """A dash —— drawn as one unbroken stroke: each dash's ink is scaled to fill its cell (from
    DASH_MARGIN em in at the pair's outer ends, overlapping a hair where the two meet), so a
    face whose — is shorter than 1 em (Noto: 0.89 em, ink 0.80 em) shows no gap in the middle.
    A two-em dash ⸺ is stretched the same way over its 2-em cell."""
    if C.DASHES.isdisjoint(chars):  # most paragraphs have none: not a glyph looked at
        return glyphs
    out = list(glyphs)
    for i, g in enumerate(glyphs):
        if g.ch not in C.DASHES or inks[i] is None:
            continue
        pair_left = i > 0 and glyphs[i - 1].ch == g.ch
        pair_right = i + 1 < len(glyphs) and glyphs[i + 1].ch == g.ch
        if g.ch == "—" and not (pair_left or pair_right):
            continue
        cell = g.advance / g.size
        lo = -C.DASH_JOIN if pair_left else C.DASH_MARGIN
        hi = cell + C.DASH_JOIN if pair_right else cell - C.DASH_MARGIN
        x0, x1 = inks[i]
        if x1 - x0 <= 0:
            continue
        scale = (hi - lo) / (x1 - x0)
        out[i] = replace(g, scale=round(scale, 4), offset=g.offset + (lo - x0 * scale) * g.size)
    return out


def _squeeze(g: Glyph) -> Glyph:
    return replace(g, fixed=g.fixed + g.blank, blank=0.0, shrink_kind=None)


def _pair_gap(a: Glyph, b: Glyph, text: str, i: int, space: float, settings: Composition) -> Gap:
    """The glue after text[i] (glyph a, before glyph b): its break rules (a space separates words,
    so a break is allowed there, but it never licenses a 避头尾 break) and its widths. A space
    typed between a word and ™ ® ℠ is no gap (Excel ™ is set Excel™)."""
    if space and b.ch in C.MARKS_AFTER_WORD and C.in_run(a.ch):
        space = 0.0
    in_number = _inside_number(text, i)
    if space and a.ch.isdigit() and _unit_at(text, i + 1):
        return _gap(a, b, space, False, settings, in_number)  # 3 μm: the space does not break
    brk = (space > 0 and b.ch not in C.NO_START and a.ch not in C.NO_END) or _breakable(text, i, settings, in_number)
    return _gap(a, b, space, brk, settings, in_number)


def _unit_at(text: str, j: int) -> bool:
    """Does a unit of measure (classes.UNITS) begin at text[j], as a word of its own (no Latin
    letter after it: 3 m高 is a unit, 3 men is not)?"""
    def alone(k: int) -> bool:
        after = text[k:k + 1]
        return not (after.isascii() and after.isalpha())
    return any(text.startswith(u, j) and alone(j + len(u)) for u in C.UNITS if text[j] == u[0])


# Characters whose gaps depend on more than the pair itself: number joiners (25.5: the digit
# beyond).
_CONTEXTUAL = C.NUMBER_JOINERS
_MARKS = C.CLOSING | C.OPENING
# Every character a break or spacing rule names (a Han character is in none of them)
_RULED = (C.NO_START | C.NO_END | _MARKS | C.INTERPUNCT | C.LONG_MARKS | C.NUMBER_JOINERS
          | C.CURRENCY_PREFIXES | C.NUMBER_SUFFIXES | C.STRICT_NO_START | C.RUN_MARKS
          | frozenset("".join(C.UNBREAKABLE_PAIRS)))
HAN = ""  # the token all plain Han characters share in gap memos


def _token(ch: str) -> str:
    """What the glue rules see of a character: a Han character that no rule names (not a digit,
    not in a table) is just `HAN` — every rule treats all such alike — anything else itself."""
    return HAN if C.is_han(ch) and not ch.isdigit() and ch not in _RULED else ch


def _gaps(glyphs: list[Glyph], tokens: list[str], sizes: list[float], spaces: list[float],
          settings: Composition, memo: dict) -> list[Gap]:
    """The glue after each glyph. A gap depends only on its two characters' tokens (_token), their
    sizes and the space between, unless one of them needs context (_CONTEXTUAL): so it is worked
    out once per such pair in `memo` (one per Composition), not once per gap — a paragraph has
    thousands of gaps but few kinds (Han–Han, Han–mark, …). A pair needing context is never
    stored, so it is only looked for among the misses."""
    text = "".join(g.ch for g in glyphs)
    gaps = []
    pairs = zip(tokens, tokens[1:], sizes, sizes[1:], spaces[1:])  # spaces[i + 1]: before glyph i + 1
    for i, key in enumerate(pairs):
        gap = memo.get(key)
        if gap is None:
            a, b, _, _, space = key
            if a in _CONTEXTUAL or b in _CONTEXTUAL or (space and a.isdigit()):  # (3 μm: a unit after)
                gap = _pair_gap(glyphs[i], glyphs[i + 1], text, i, space, settings)
            else:  # the pair alone, as text: what the rules read of it is all there
                gap = memo[key] = _pair_gap(glyphs[i], glyphs[i + 1], text[i:i + 2], 0, space, settings)
        gaps.append(gap)
    gaps.append(Gap(0.0, False, True))
    return gaps


_SET_APART = _MARKS | C.INTERPUNCT | C.LONG_MARKS  # the characters _glyph gives a cell of their own


def _measured(ch: str, run: Run, metrics: Metrics, settings: Composition, metrics_of,
              rise: float = 0.0) -> tuple[Glyph, object, str]:
    """A character's glyph, ink extent and _token. Any character but a mark is set at its own
    advance with nothing fixed or squeezable (what _glyph gives it, made without its steps), and
    its ink is not read (only a dash's is ever used, by _unbroken_dashes): None. A character the
    run's face lacks is set from the fallback face that has it (FaceMetrics.fallback)."""
    other = getattr(metrics, "fallback", NO_FALLBACK).get(ch)
    if other is not None:
        metrics, run = metrics_of(other), replace(run, font=other)
    glyph, ink, token = _plain_measured(ch, run, metrics, settings)
    return (replace(glyph, rise=rise) if rise else glyph), ink, token


def _plain_measured(ch: str, run: Run, metrics: Metrics, settings: Composition) -> tuple[Glyph, object, str]:
    """_measured in the run's own face, on the baseline."""
    if ch in _SET_APART:
        return _glyph(ch, run, metrics, settings), metrics.ink_x(ch), _token(ch)
    return (Glyph(ch, run.font, run.size, metrics.advance(ch) * run.size, 0.0, 0.0, 0, None, color=run.color),
            None, _token(ch))


def _space_width(ch: str, run: Run, metrics: Metrics) -> float:
    """Glue a whitespace character collapses into: 　 (ideographic space) 1 em, a space the face's."""
    return run.size if ch == "\u3000" else metrics.advance(" ") * run.size if ch == " " else 0.0


BOUND = Gap(0.0, stretch=False, breakable=False)  # before a script's glyph: it stays with its base


def _has(metrics: Metrics, ch: str) -> bool:
    """Does the face, or one of its fallback faces, set `ch`?"""
    try:
        metrics.advance(ch)
        return True
    except KeyError:
        return ch in getattr(metrics, "fallback", NO_FALLBACK)


def _scripted(run: Run, metrics: Metrics) -> tuple[Run, float]:
    """A script run (上标、下标) in its designed forms (classes.SCRIPT_FORMS: ² ₂ ⁻, on the
    baseline at full size, as drawn by the face's designer), when a face has them all; else at its
    face's script size, shifted (FaceMetrics.script: the OS/2 figures), with the pt its baseline
    moves. Any other run as it is, with no shift."""
    if not run.script:
        return run, 0.0
    designed = C.script_forms(run.text, run.script)
    if designed and all(_has(metrics, ch) for ch in designed):
        return replace(run, text=designed, script=""), 0.0
    scale, shift = metrics.script(run.script)
    return replace(run, size=round(run.size * scale, 4)), round(run.size * shift, 4)


def measure(runs: Sequence[Run], metrics_of, settings: Composition, indent_em: float = 2.0,
            cache: dict | None = None) -> Paragraph:
    """Turn a paragraph's runs into glyphs and gaps. `metrics_of(font_key)` gives a face's metrics.

    Spaces between words become breakable glue (an ideographic space 　 one em of it); other
    whitespace is dropped. `cache`: a dict kept across calls with the same `metrics_of`, where
    each character is measured once per font, size and punctuation style (and each pair's glue
    worked out once per set of rules).
    """
    cache = {} if cache is None else cache
    glyphs: list[Glyph] = []
    chars: list[str] = []
    tokens: list[str] = []  # _token of each glyph's character
    sizes: list[float] = []
    inks: list = []  # each mark's ink extent in em, as the face gives it (None for other glyphs)
    spaces: list[float] = []  # glue from collapsed spaces, before glyph i
    pending = 0.0
    bound: list[int] = []  # glyphs of a script: no break and no space before them (上标、下标)
    for run in runs:
        metrics = metrics_of(run.font)
        scripted = bool(run.script)
        run, rise = _scripted(run, metrics)
        size = run.size
        # one memo per face, size and style, keyed by the character alone: a look-up by a str
        # (whose hash Python keeps) per glyph, not a tuple built and hashed per glyph
        known = cache.setdefault((run.font, size, settings.punct_style, run.color, rise), {})
        for ch in run.text:
            hit = known.get(ch)
            if hit is None:
                if ch.isspace():
                    if glyphs:
                        pending = max(pending, _space_width(ch, run, metrics))
                    continue
                hit = known[ch] = _measured(ch, run, metrics, settings, metrics_of, rise)
            if scripted:
                bound.append(len(glyphs))
            glyphs.append(hit[0])
            inks.append(hit[1])
            tokens.append(hit[2])
            chars.append(ch)
            sizes.append(size)
            spaces.append(pending)
            pending = 0.0
    glyphs = _unbroken_dashes(_adjacent_marks(glyphs, chars, settings), chars, inks)
    gaps = _gaps(glyphs, tokens, sizes, spaces, settings, cache.setdefault(("gaps", settings), {}))
    for i in bound:
        if i:
            gaps[i - 1] = BOUND
    if not settings.squeeze:  # ragged text: every blank and gap keeps its width
        glyphs = [replace(g, shrink_kind=None) if g.shrink_kind else g for g in glyphs]
        gaps = [replace(gap, shrink=0.0) if gap.shrink else gap for gap in gaps]
    size = runs[0].size if runs else 0.0
    return Paragraph(tuple(glyphs), tuple(gaps), indent_em * size, settings)
