"""Word boundaries kept on disk (词界缓存): what the word segmenter (text.words) found in each
display text, so that a warm build whose heads break inside their typed phrases — a made-up page
measures every head at every width it might take — does not load the segmenter's dictionary
(~0.3 s) again.

    <cache>/words/<key>.bin   an entry framed as the font cache's (format, version, CRC-32): JSON
                              {text: [[word offsets], [word-part offsets]]}, keyed by this format's
                              version and the segmenter's (rjieba's) version

A missing, damaged or foreign entry is made again; an unwritable cache folder only costs the
reuse (fonts.cache.keep). Two processes writing at once (an edition's pool) replace each other's
entry whole (os.replace): one of them is kept, and the other's texts are segmented again later.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..fonts.cache import body_start, framed, keep, read_entry
from ..text.words import WordBounds, word_bounds

VERSION = 1
_MAGIC = b"pagesetter-words %d" % VERSION
MAX_TEXTS = 20_000  # texts an entry keeps (~100 bytes each); past it, new ones are not stored


def segmenter_build() -> str:
    """The segmenter's version, for the key (read from its installed metadata, not by importing it)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("rjieba")
    except PackageNotFoundError:
        return "none"


class WordCache:
    """text.words.word_bounds, remembered in a cache folder: call it with a text."""

    def __init__(self, cache_dir: Path):
        self.cache_dir = Path(cache_dir)
        self._known: dict[str, WordBounds] | None = None
        self._path: Path | None = None

    def __call__(self, text: str) -> WordBounds:
        known = self._table()
        hit = known.get(text)
        if hit is None:
            hit = known[text] = word_bounds(text)
            if len(known) <= MAX_TEXTS:
                keep(self.path(), encode(known))
        return hit

    def path(self) -> Path:
        if self._path is None:
            key = json.dumps([VERSION, segmenter_build()]).encode()
            self._path = self.cache_dir / "words" / (hashlib.sha256(key).hexdigest()[:32] + ".bin")
        return self._path

    def _table(self) -> dict[str, WordBounds]:
        if self._known is None:
            self._known = decode(read_entry(self.path())) or {}
        return self._known


def encode(known: dict[str, WordBounds]) -> bytes:
    """An entry holding `known` (texts sorted: the same texts, the same bytes)."""
    table = {t: [sorted(b.words), sorted(b.parts)] for t, b in sorted(known.items())}
    return framed(_MAGIC, json.dumps(table, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def decode(raw: bytes | None) -> dict[str, WordBounds] | None:
    """The texts in an entry, or None if it is missing, of another version or damaged in any way."""
    start = body_start(_MAGIC, raw)
    if start is None or raw is None:
        return None
    try:
        table = json.loads(raw[start:].decode("utf-8"))
        return {t: WordBounds(frozenset(_offsets(w)), frozenset(_offsets(p))) for t, (w, p) in table.items()}
    except (ValueError, TypeError, AttributeError):
        return None


def _offsets(values: list) -> list[int]:
    if not all(type(v) is int and v > 0 for v in values):
        raise ValueError("not character offsets")
    return values
