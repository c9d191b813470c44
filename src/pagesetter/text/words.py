"""Word boundaries (词界) for breaking display lines by sense: where a Chinese word ends, from a
word segmenter (分词).

The segmenter is jieba-rs through its Python binding `rjieba` (MIT): maintained (releases in
2026), a compiled dictionary inside the wheel (no data file to find, no download), the same
answer for the same text on every machine (its dictionary and HMM are fixed), and fast — about
40 µs a headline once loaded. Loading its dictionary takes ~0.3 s, so it is imported only when
a display line must break somewhere its text does not already say (a space, a mark, `|`); each
text is segmented once per process, and a build keeps what it found in its cache folder
(layout.wordcache), so a warm build does not load it at all. Compared, for the record: jieba (pure Python, last
release 2020, ~1 s to load), pkuseg/spacy-pkuseg (a statistical model fetched separately, numpy),
a CC-CEDICT word list (CC BY-SA data to ship and a matcher to write).
"""
from __future__ import annotations

import functools

from ..records import record


@record
class WordBounds:
    """Break places in a text by sense, as character offsets (a break before text[i]).

    `words`: between two words of the segmenter's default cut (中华人民共和国 | 个人信息 | 保护法);
    `parts`: inside a word, between two of its own words (中华 | 人民 | 共和国, 个人 | 信息) — a
    word part that is itself a word on both sides, never a part such as 保 | 护法."""

    words: frozenset[int]
    parts: frozenset[int]


@functools.lru_cache(maxsize=4096)
def word_bounds(text: str) -> WordBounds:
    """The word and word-part boundaries of `text` (cached per process)."""
    import rjieba  # (lazily: ~0.3 s to load the dictionary, paid only by a page that needs it)

    words = rjieba.tokenize(text)
    ends = frozenset(end for _, _, end in words[:-1])
    return WordBounds(ends, _parts(words, rjieba.tokenize(text, mode="search")))


def _parts(words: list, search: list) -> frozenset[int]:
    """Offsets inside a word where one of its sub-words (the segmenter's search cut) ends and
    another begins."""
    starts = {start for _, start, _ in search}
    ends = {end for _, _, end in search}
    inside = (i for _, start, end in words for i in range(start + 1, end))
    return frozenset(i for i in inside if i in starts and i in ends)
