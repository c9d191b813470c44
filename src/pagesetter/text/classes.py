"""Character classes for Chinese composition, as data (clreq, GB/T 15834-2011).

Every rule the breaker and justifier follow is a table here, each with its tests in
tests/test_breaker.py (fixed-advance face) and tests/test_punct_real.py (real faces).
"""
from __future__ import annotations

import functools
import unicodedata

# Numbers' affixes (UAX #14 PR and PO): a postfix (温度 37℃, 30°, 45′, 8‰, 56%) never starts a
# line nor leaves its number; a prefix (¥199, $28, ₩36000) never ends one.
NUMBER_POSTFIXES = frozenset("%％℃℉°′″‴‰‱￠")
CURRENCY_PREFIXES = frozenset("$¥￥€£₩₹₽₱₪₫＄￡￦")

# Iteration marks (UAX #14 NS: 々 〻 ゝ ゞ ヽ ヾ 〱–〵) repeat the character before them.
ITERATION_MARKS = frozenset("々〻ゝゞヽヾ〱〲〳〴〵")

# Small kana (UAX #14 CJ): CSS `line-break: normal` lets them start a line, `strict` does not;
# pagesetter follows `strict` for them always (a Japanese name in a Chinese text: 佐々木、ァ).
SMALL_KANA = frozenset("ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿｧｨｩｪｫｯｬｭｮ")

# Centred marks (UAX #14 NS/EX): the katakana middle dot and the doubled ? and ! marks.
CENTRED_MARKS = frozenset("・･⁉‼⁇⁈")

# 避头: marks that may not start a line (clreq "basic" set for Simplified Chinese, with the
# interpunct and solidus of GB practice, and their half-width forms for mixed text), and the
# classes CSS Text `line-break: normal` forbids at a line start in Chinese (postfixes,
# iteration marks, centred marks; small kana as `strict` has it). The long marks — — ⸺ … ⋯ ‥,
# single or paired (——, ……), never start a line in any mode (GB/T 15834 §5.1.10 keeps them off a
# line start; CSS `line-break: normal` lets …… start one only in `loose`): a paragraph may begin
# with one (the sub-points ——…), a line break never falls before one.
NO_START = (frozenset("、，。．：；！？‼⁇”’」』）》〉】〗〕］｝〙〛｣〞〟–～·／/,.:;!?)]}%％-")
            | NUMBER_POSTFIXES | ITERATION_MARKS | SMALL_KANA | CENTRED_MARKS | frozenset("—⸺…⋯‥"))

# 避尾: marks that may not end a line, and currency prefixes.
NO_END = frozenset("“‘「『（《〈【〖〔［｛([{") | CURRENCY_PREFIXES

# Strict prohibition (clreq "strict", CSS `line-break: strict`): the prolonged sound mark and
# the wave dash may not start a line either (UAX #14 CJ, as CSS strict).
STRICT_NO_START = frozenset("ーｰ〜゠")

# 标点挤压: full-width marks whose blank half may be squeezed. A closing mark has its ink on the
# left and its blank on the right; an opening mark the other way round.
CLOSING = frozenset("、，。．：；！？”’」』）》〉】〗〕］｝")
OPENING = frozenset("“‘「『（《〈【〖〔［｛")

# Marks that kaiming style (开明式) keeps full width; every other mark (opening ones too) goes ½ em.
FULL_STOPS = frozenset("。？！")

# Interpunct: set ½ em wide, fixed (clreq).
INTERPUNCT = frozenset("·・")

# Dashes and ellipses: each character 1 em, a pair is an unbreakable 2-em sequence.
LONG_MARKS = frozenset("—⸺…⋯‥")
UNBREAKABLE_PAIRS = ("——", "……", "⋯⋯", "‥‥")
LONG_MARK_CELLS = {"⸺": 2.0}  # em; every other long mark takes a 1-em cell, whatever its advance

# Dashes drawn as one unbroken stroke over their cells: the ink starts DASH_MARGIN em inside the
# pair's outer ends, and the two dashes of —— overlap DASH_JOIN em where they meet (no seam).
DASHES = frozenset("—⸺")
DASH_MARGIN = 0.05
DASH_JOIN = 0.005

# What may be squeezed when a line is too long, in clreq's order (先挤压): line-end marks to ½ em,
# Latin word spaces, the interpunct, brackets, ，、；：, Han–Latin gaps to ⅛ em, the ordinary gaps
# (tight setting), then 。． (never ？！ mid-line).
SHRINK_ORDER = ("line_end", "word_space", "interpunct", "bracket", "comma", "han_latin", "tight", "stop")

# 紧排: as the last resort before a full stop is squeezed, every ordinary gap between characters
# may close by this much (em), evenly along the line — so a line can take one more character
# instead of pushing one out and letter-spacing the rest.
TIGHT_EM = 0.05

# What stretches first when a line is too short (后拉伸): word spaces and Han–Latin gaps up to
# their limit (em; a Han–Latin gap stays within ⅛–⅜ em, never a hole), then the ordinary gaps
# between characters equally.
STRETCH_FIRST = {"word_space": 0.5, "han_latin": 0.375}
# The ordinary gaps' cap (em each, as text.totalfit's MAX_STRETCH): past it — only on a line the
# breaker could set no better — the rest is shared by every gap of the line, word spaces and
# Han–Latin gaps too, so that no single gap opens to a hole.
STRETCH_CAP = 0.25
# A line made of one Latin run alone (a URL's middle, a long word) has no gap but inside the run:
# only there is it letter-spaced, evenly, the last resort (else it would stop short of the edge).
# Letter-spacing reads LETTER_SPACING_WEIGHT times as loose as the same space between Han
# characters when total-fit weighs the line (0.05 em counts as 0.15 em: a loose line).
LETTER_SPACING_WEIGHT = 3.0
COMMAS = frozenset("，、；：")

# Full stops whose blank half may be squeezed mid-line, as a last resort. ？ and ！ never are: at
# half width they read as Latin marks (they are still trimmed at a line end, and share a blank
# with a neighbouring mark).
SQUEEZABLE_STOPS = frozenset("。．")


def is_han(ch: str) -> bool:
    """CJK unified ideographs (basic block, extensions A–H) and compatibility ideographs."""
    o = ord(ch)
    return (0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x3FFFF
            or o == 0x3007)


def is_full_width_alnum(ch: str) -> bool:
    """Full-width digits and Latin letters (０–９, Ａ–Ｚ, ａ–ｚ): set like Han, unbreakable like Latin."""
    o = ord(ch)
    return 0xFF10 <= o <= 0xFF19 or 0xFF21 <= o <= 0xFF3A or 0xFF41 <= o <= 0xFF5A


@functools.lru_cache(maxsize=8192)
def is_latin_or_digit(ch: str) -> bool:
    """Proportional (Western) letters and decimal digits, accented ones included: é, ü, ß, Ω, 1,
    the superscripts of an exponent (10²¹) and the signs set against a word (Excel™), not enclosed
    numbers such as ①, which set like symbols."""
    return (ord(ch) < 0x2E80 and unicodedata.category(ch) in ("Lu", "Ll", "Lt", "Lm", "Lo", "Nd")
            or ch in SUPERSCRIPTS or ch in SUBSCRIPTS or ch in LATIN_SIGNS)


def in_run(ch: str) -> bool:
    """A character of a Latin run: a letter, a digit or one of RUN_MARKS."""
    return is_latin_or_digit(ch) or ch in RUN_MARKS


def in_word(ch: str) -> bool:
    """Letters and digits that may not be split from their neighbours of the same kind."""
    return is_latin_or_digit(ch) or is_full_width_alnum(ch)


# Marks that join the digits around them into one number: 25.5, 1,400, 10:30, a number group
# joined by hyphens (400-800-0088, 2021-2022) and a product (1.7×10²¹). Inside a number no
# line breaks and no space opens.
NUMBER_JOINERS = frozenset(".,:-‐‑×")
NUMBER_SUFFIXES = NUMBER_POSTFIXES

# Units of measure that stay with the number before them across a typed space (3 μm, 5 kg):
# the space is kept but does not break. (Written solid, 3μm is one Latin run anyway.)
UNITS = ("kWh", "mAh", "kHz", "MHz", "GHz", "Mbps", "Gbps", "μm", "µm", "μg", "µg", "μs", "µs", "nm", "mm",
         "cm", "km", "kg", "mg", "ml", "mL", "Hz", "kW", "MW", "GW", "dB", "ms", "ns", "ha", "KB", "MB",
         "GB", "TB", "g", "m", "s")

# Superscript digits and signs (10¹², 10²¹): part of the number before them.
SUPERSCRIPTS = frozenset("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ")
SUBSCRIPTS = frozenset("₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₒₓₕₖₗₘₙₚₛₜ")  # H₂O, CO₂, Tₘₐₓ: one word with their base

# A script written in the article format (^…^, ~…~) is set in these designed forms (上标、下标字形,
# what a face's OpenType `sups`/`subs` features give: in Noto Serif `sups` maps 2 to the glyph
# of ²) when every character of it has one and the face or a fallback face has them all; any
# other script is set as scaled and shifted glyphs (text.measure._scripted).
SCRIPT_FORMS = {
    "sup": dict(zip("0123456789+-−=()ni", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿⁱ")),
    "sub": dict(zip("0123456789+-−=()aeoxhklmnpst", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₒₓₕₖₗₘₙₚₛₜ")),
}


def script_forms(text: str, kind: str) -> str | None:
    """`text` in the designed forms of a superscript ("sup") or subscript ("sub"), or None when
    some character has none."""
    table = SCRIPT_FORMS[kind]
    if not all(ch in table for ch in text):
        return None
    return "".join(table[ch] for ch in text)

# Signs set tight against the word before them (Excel™, Word®, ©2024): read as Latin letters,
# so no space opens before them and no line breaks there. A space typed before ™ ® ℠ is dropped
# (Excel ™ → Excel™); one before © or ℗ is kept (Copyright © 2024 begins a notice).
LATIN_SIGNS = frozenset("™®©℠℗")
MARKS_AFTER_WORD = frozenset("™®℠")

# Latin runs (a word, a number, a URL, an e-mail address: github.com/x, reader-service@people.cn,
# 1,200,000): these marks belong to the letters and digits around them when no space separates
# them. No space opens inside a run, nor between a run and a Chinese closing mark after it (。，、
# after Latin); a run breaks only after one of URL_BREAKS, before a letter or digit, never inside
# a number and with no hyphen added.
RUN_MARKS = frozenset("./:@-_?&=#%+~!',;*()[]{}<>|\\^$–‐‑×") | LATIN_SIGNS | SUPERSCRIPTS | SUBSCRIPTS
URL_BREAKS = frozenset("/.-_@?")


# Punctuation: what does not count as a character of its own (孤字) and shares blanks with its
# neighbours (全角式)
PUNCT = CLOSING | OPENING | INTERPUNCT | LONG_MARKS | frozenset("～／")


def is_punct(ch: str) -> bool:
    return ch in PUNCT


def compress_kind(ch: str) -> str | None:
    """Which priority class a mark's blank half belongs to when a line must be squeezed."""
    if ch in INTERPUNCT:
        return "interpunct"
    if ch in OPENING or ch in "）》〉】〗〕］｝”’」』":
        return "bracket"
    if ch in COMMAS:
        return "comma"
    if ch in SQUEEZABLE_STOPS:
        return "stop"
    return None
