"""Fonts damaged as a hostile user (or a bad download) would damage them, for the font-check
cases of tests/bad_inputs.py (HOSTILE) and tests/test_reliability_inputs.py. Each function takes a
whole font file's bytes and gives damaged bytes; the table directory stays valid, so the face opens."""
from __future__ import annotations

import io
import random
import struct


def _tables(data: bytes) -> dict[str, tuple[int, int, int]]:
    """tag → (directory record offset, table offset, table length)."""
    count = struct.unpack_from(">H", data, 4)[0]
    out = {}
    for i in range(count):
        rec = 12 + 16 * i
        tag = data[rec:rec + 4].decode("latin-1")
        offset, length = struct.unpack_from(">II", data, rec + 8)
        out[tag] = (rec, offset, length)
    return out


def _saved(font) -> bytes:
    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue()


def without(data: bytes, tag: str) -> bytes:
    """The font with table `tag` left out."""
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(data))
    del font[tag]
    return _saved(font)


def zero_advances(data: bytes) -> bytes:
    """Every glyph's advance width 0 (hmtx), as a broken conversion leaves it."""
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(data))
    hmtx = font["hmtx"]
    hmtx.metrics = {name: (0, lsb) for name, (_, lsb) in hmtx.metrics.items()}
    return _saved(font)


def garbled(data: bytes, tag: str = "glyf", seed: int = 1) -> bytes:
    """Table `tag`'s bytes replaced by random bytes (its place and length kept)."""
    _, offset, length = _tables(data)[tag]
    noise = random.Random(seed).randbytes(length)
    return data[:offset] + noise + data[offset + length:]


def glyph_overrun(data: bytes, char: str) -> bytes:
    """The glyph of `char` claims 28,673 points in its few bytes (its header and box kept: only
    parsing its program finds the damage)."""
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(data))
    gid = font.getGlyphID(font.getBestCmap()[ord(char)])
    start = font["loca"][gid]
    _, glyf, _ = _tables(data)["glyf"]
    at = glyf + start + 10  # the first contour's end point, after the 10-byte header
    return data[:at] + struct.pack(">H", 0x7000) + data[at + 2:]


def emptied(data: bytes) -> bytes:
    """Every glyph's outline removed, the advances kept: text set in it would take its room and
    show nothing."""
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(data))
    glyf = font["glyf"]
    for name in font.getGlyphOrder():
        glyf[name] = TTGlyphPen(None).glyph()
    return _saved(font)
