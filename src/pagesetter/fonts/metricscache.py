"""Glyph metrics kept on disk (字面度量缓存): each face's advance and ink extent per character,
so a warm build does not ask HarfBuzz again. For a CFF face HarfBuzz finds a glyph's ink by
running its charstring, ~10 µs a character: ~15 ms of the sample page's build.

    metrics/<key>.bin    one face: every character any build asked of it; key = sha256 of (font
                         file sha256, face index, HarfBuzz's build (fonts.cache.harfbuzz_build), VERSION)

An entry grows: characters it lacks are measured and the entry is written again with them, so a
new character in an article costs one glyph, not the face. Layout of an entry: a header line
naming the format and the CRC-32 of the rest (fonts.cache.framed), then n and the characters' size (4 bytes each), the
n characters (UTF-8), a kind per character (0 no glyph, 1 blank, 2 inked) and three runs of n
doubles (advance, ink xMin, ink xMax; em, little-endian: the very floats HarfBuzz's figures gave).
An entry whose digest or sizes do not check out is ignored and made again; nothing is trusted
unchecked.
"""
from __future__ import annotations

import hashlib
import json
import struct
from pathlib import Path

from pagesetter.fonts.cache import body_start, framed, harfbuzz_build, keep, read_entry

VERSION = 5  # 2: characters in UTF-8; 3: framed like the other entries (CRC-32); 4, 5: glyphs checked (fonts.facecheck)
_MAGIC = b"pagesetter-metrics"
NO_GLYPH, BLANK, INKED = 0, 1, 2

# character → (kind, advance, ink xMin, ink xMax): kind NO_GLYPH (the face has none: the rest 0),
# BLANK (no ink: xMin and xMax 0) or INKED
Table = dict[str, tuple[int, float, float, float]]


def entry_path(cache_dir: Path, font_sha256: str, index: int) -> Path:
    """Where the metrics of face `index` of the font with that hash are kept."""
    key = json.dumps([VERSION, harfbuzz_build(), font_sha256, index])
    return Path(cache_dir) / "metrics" / (hashlib.sha256(key.encode()).hexdigest() + ".bin")


def encode(table: Table) -> bytes:
    """The bytes of an entry holding `table` (characters in sorted order: same table, same bytes)."""
    chars = sorted(table)
    kinds, adv, x0, x1 = zip(*(table[ch] for ch in chars)) if chars else ((), (), (), ())
    n = len(chars)
    text = "".join(chars).encode("utf-8")
    body = struct.pack("<II", n, len(text)) + text + bytes(kinds) + struct.pack(f"<{3 * n}d", *adv, *x0, *x1)
    return framed(_MAGIC + b" %d" % VERSION, body)


def decode(raw: bytes | None) -> Table | None:
    """The table in an entry, or None if the entry is missing or damaged in any way."""
    start = body_start(_MAGIC + b" %d" % VERSION, raw)
    if raw is None or start is None:
        return None
    body = raw[start:]
    if len(body) < 8:
        return None
    n, size = struct.unpack_from("<II", body)
    if len(body) != 8 + size + n + 24 * n:
        return None
    try:
        chars = body[8:8 + size].decode("utf-8")
    except UnicodeDecodeError:
        return None
    kinds = body[8 + size:8 + size + n]
    values = struct.unpack_from(f"<{3 * n}d", body, 8 + size + n)
    if len(chars) != n or not set(kinds) <= {NO_GLYPH, BLANK, INKED}:
        return None
    # zipped at C speed: an entry holds every character the face was ever asked for
    return dict(zip(chars, zip(kinds, values[:n], values[n:2 * n], values[2 * n:])))


def load(path: Path) -> Table | None:
    """The table kept at `path`, or None (missing, unreadable or damaged)."""
    return decode(read_entry(path))


def store(path: Path, table: Table) -> None:
    """Keep `table` at `path`; an unwritable cache folder only costs the reuse."""
    keep(path, encode(table))
