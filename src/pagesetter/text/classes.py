"""Character classes for Chinese composition, as data (clreq, GB/T 15834-2011).

Every rule the breaker and justifier follow is a table here, each with its tests in
tests/test_breaker.py (fixed-advance face) and tests/test_punct_real.py (real faces).
"""
from __future__ import annotations

import functools
import unicodedata

# 避头: marks that may not start a line (clreq "basic" set for Simplified Chinese, with the
# interpunct and solidus of GB practice, and their half-width forms for mixed text). The 2-em dash
# and ellipsis may start a line in basic mode (sub-points ——… do); strict mode forbids that.
NO_START = frozenset("、，。．：；！？‼⁇”’」』）》〉】〗〕］｝–～·／/,.:;!?)]}%％-")

# 避尾: marks that may not end a line.
NO_END = frozenset("“‘「『（《〈【〖〔［｛([{")

# Strict prohibition (clreq "strict"): the long marks may not start a line either.
STRICT_NO_START_SEQUENCES = ("——", "⸺", "……", "⋯⋯")

# 标点挤压: full-width marks whose blank half may be squeezed. A closing mark has its ink on the
# left and its blank on the right; an opening mark the other way round.
CLOSING = frozenset("、，。．：；！？”’」』）》〉】〗〕］｝")
OPENING = frozenset("“‘「『（《〈【〖〔［｛")

# Marks that kaiming style (开明式) keeps full width; every other mark (opening ones too) goes ½ em.
FULL_STOPS = frozenset("。？！")

# Interpunct: set ½ em wide, fixed (clreq).
INTERPUNCT = frozenset("·・")

# Dashes and ellipses: each character 1 em, a pair is an unbreakable 2-em sequence.
LONG_MARKS = frozenset("—⸺…⋯")
UNBREAKABLE_PAIRS = ("——", "……", "⋯⋯")
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
    """Proportional (Western) letters and decimal digits, accented ones included: é, ü, ß, Ω, 1
    (not enclosed or superscript numbers such as ① ², which set like symbols)."""
    return ord(ch) < 0x2E80 and unicodedata.category(ch) in ("Lu", "Ll", "Lt", "Lm", "Lo", "Nd")


def in_word(ch: str) -> bool:
    """Letters and digits that may not be split from their neighbours of the same kind."""
    return is_latin_or_digit(ch) or is_full_width_alnum(ch)


# Marks that join the digits around them into one number (25.5, 1,400, 10:30), and prefixes and
# suffixes that stay with their number (¥30, 56%).
NUMBER_JOINERS = frozenset(".,:")
CURRENCY_PREFIXES = frozenset("$¥￥€£#")
NUMBER_SUFFIXES = frozenset("%％")


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
