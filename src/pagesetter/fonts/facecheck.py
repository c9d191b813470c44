"""A face checked before it sets a line (字体体检): a damaged font is refused with the file and the
table named, never set as invisible or piled-up text with exit 0.

- the tables the engine reads (`REQUIRED`, and outlines: glyf with loca, or CFF) are present, and
  hhea's count of advance widths fits the glyph count (`check_tables`, with the face facts);
- every character the page sets has a positive advance width in hmtx, unless it is one that takes
  no room (a combining mark, a format character such as U+200B), and a glyph with ink if it is a
  letter, digit, punctuation mark or symbol (`check_advances`, `check_ink`, each build: a loop over
  the page's characters);
- every glyph measured for the first time decodes: for TrueType, its glyf program parses within
  its bytes — contour ends rising, the flags and coordinates inside the glyph, components naming
  glyphs that exist, its box within REACH_EM of the origin; then its ink as HarfBuzz places it
  (glyf box and hmtx side bearing, or the CFF charstring run) lies within REACH_EM too
  (`check_outlines`, kept with the metrics in the metrics cache, so a warm build checks nothing again).
"""
from __future__ import annotations

import math
import struct
import unicodedata

from pagesetter.errors import FontError, Problem
from pagesetter.fonts.roles import FaceSource

# table tag → what the engine reads in it
REQUIRED = {
    "cmap": "the character map: which glyph draws each character",
    "head": "the font header: units per em",
    "hhea": "the horizontal header: how many advance widths hmtx holds",
    "hmtx": "the horizontal metrics: each glyph's advance width",
    "maxp": "the glyph count",
}
ZERO_WIDTH = frozenset({"Mn", "Me", "Cf"})  # categories that take no room of their own
INKED_CATEGORIES = frozenset("LNPS")  # letters, numbers, punctuation, symbols: never blank
REACH_EM = 4  # ink further than this from the origin, in em, is a damaged glyph, not a design
MAX_COMPONENT_DEPTH = 16
_TABLE = {"cff": "CFF ", "glyf": "glyf"}  # FaceInfo.outlines → the table holding the outlines
DAMAGED_FIX = ("the font file is damaged: replace it (reinstall or download it again), or set another file for "
               "this role in the spec's fonts: map")


def error(source: FaceSource, message: str) -> FontError:
    return FontError(Problem(message, file=source.path, fix=DAMAGED_FIX))


def check_tables(font, source: FaceSource) -> None:
    """FontError naming the first table the engine needs that the face lacks or has wrong."""
    for tag, what in REQUIRED.items():
        if tag not in font:
            raise error(source, f"the face has no '{tag}' table ({what})")
    if "CFF " not in font and not ("glyf" in font and "loca" in font):
        missing = "loca" if "glyf" in font else "glyf"
        raise error(source, f"the face has no '{missing}' table (TrueType outlines need glyf and loca; "
                            "CFF outlines need CFF)")
    glyphs, metrics = font["maxp"].numGlyphs, font["hhea"].numberOfHMetrics
    if glyphs < 1 or not 1 <= metrics <= glyphs:
        raise error(source, f"the face's 'hhea' table counts {metrics} advance widths for {glyphs} glyphs "
                            "(must be 1 to the glyph count): its 'hmtx' table cannot be read")


def check_advances(source: FaceSource, advances, role: str) -> None:
    """FontError if a character the page sets would take no room (or an impossible one)."""
    bad = [ch for ch, advance in advances.items()
           if not (advance > 0 and math.isfinite(advance)) and unicodedata.category(ch) not in ZERO_WIDTH]
    if bad:  # the first in code order, so that the message is the same every run
        ch = min(bad)
        raise error(source, f"the face gives {_char(ch)} an advance width of {advances[ch]:g} em in its 'hmtx' "
                            f"table: text set in it (role '{role}') would pile up or vanish")


def check_ink(source: FaceSource, blank, role: str, outlines: str) -> None:
    """FontError if the face draws nothing for a character that must show (a letter, digit,
    punctuation mark or symbol: not a space, a format or a private-use character)."""
    for ch in sorted(blank):
        if unicodedata.category(ch)[0] in INKED_CATEGORIES:
            raise error(source, f"the face draws nothing for {_char(ch)} (its glyph in the face's '{_TABLE[outlines]}' "
                                f"table is empty): text set in it (role '{role}') would vanish")


def check_outlines(source: FaceSource, outlines: str, upem: int, drawn: dict) -> None:
    """FontError if a glyph cannot be decoded. `drawn`: character → (glyph id, HarfBuzz's extents
    or None) for the glyphs measured now."""
    reach = REACH_EM * upem
    drawn = dict(sorted(drawn.items()))  # in code order: the same message every run
    if outlines == "glyf":  # its program and its own box first: then a box placed wrong is hmtx's doing
        _check_glyf(source, {ch: gid for ch, (gid, _) in drawn.items()}, reach)
    for ch, (gid, ext) in drawn.items():
        if ext is None:
            continue
        box = (ext.x_bearing, ext.y_bearing + ext.height, ext.x_bearing + ext.width, ext.y_bearing)
        if ext.width < 0 or ext.height > 0 or max(map(abs, box)) > reach:
            where = "placed by the face's 'hmtx' table (its left side bearing)" if outlines == "glyf" else \
                "in the face's 'CFF ' table"
            raise error(source, f"the outline of {_char(ch)} (glyph {gid}) {where} reaches {box}, over {REACH_EM} em "
                                "from its origin: the table is damaged")


def _check_glyf(source: FaceSource, gids: dict, reach: int) -> None:
    """Parse each glyph's TrueType program from the raw glyf bytes (no table is decoded whole);
    its own bounding box must lie within `reach` font units of its origin."""
    from fontTools.ttLib import TTFont

    font = TTFont(source.path, fontNumber=source.index, lazy=True, recalcTimestamp=False)
    try:
        loca, raw, count = font["loca"], font.reader["glyf"], font["maxp"].numGlyphs
        for ch, gid in gids.items():
            problem = _glyph_problem(loca, raw, count, gid, 0, reach)
            if problem is not None:
                raise error(source, f"the outline of {_char(ch)} (glyph {gid}) in the face's 'glyf' table cannot "
                                    f"be decoded: {problem}")
    except FontError:
        raise
    except Exception as exc:  # loca or glyf too damaged to be read at all
        raise error(source, f"the face's 'loca'/'glyf' tables cannot be read: {type(exc).__name__}: {exc}") from exc
    finally:
        font.close()


def _glyph_problem(loca, raw: bytes, count: int, gid: int, depth: int, reach: int) -> str | None:
    """Why glyph `gid`'s program does not parse, or None (an empty glyph is fine)."""
    if not 0 <= gid < count or gid + 1 >= len(loca):
        return f"glyph {gid} does not exist (the face has {count})"
    start, end = loca[gid], loca[gid + 1]
    if not 0 <= start <= end <= len(raw):
        return f"its place in 'loca' ({start}–{end}) lies outside the 'glyf' table ({len(raw)} bytes)"
    data = raw[start:end]
    if not data:
        return None
    if len(data) < 10:
        return f"its header is cut short ({len(data)} bytes)"
    contours, x0, y0, x1, y1 = struct.unpack(">hhhhh", data[:10])
    if x0 > x1 or y0 > y1:
        return f"its bounding box runs backwards ({x0}, {y0}, {x1}, {y1})"
    if max(abs(x0), abs(y0), abs(x1), abs(y1)) > reach:
        return f"its bounding box ({x0}, {y0}, {x1}, {y1}) reaches over {REACH_EM} em from its origin"
    if contours >= 0:
        return _simple_problem(data, contours)
    if depth >= MAX_COMPONENT_DEPTH:
        return f"its components nest over {MAX_COMPONENT_DEPTH} deep (a loop?)"
    return _composite_problem(loca, raw, count, data, depth, reach)


def _simple_problem(data: bytes, contours: int) -> str | None:
    """Walk a simple glyph: contour ends, instructions, flags, then the coordinates' byte count."""
    pos = 10 + 2 * contours
    if pos + 2 > len(data):
        return "its contour ends run past its bytes"
    ends = struct.unpack_from(f">{contours}H", data, 10)
    if any(b <= a for a, b in zip(ends, ends[1:])):
        return f"its contour ends do not rise ({', '.join(map(str, ends[:6]))}…)"
    points = ends[-1] + 1 if contours else 0
    pos += 2 + struct.unpack_from(">H", data, pos)[0]
    xs = ys = seen = 0
    while seen < points:
        if pos >= len(data):
            return f"its flags run past its bytes ({seen} of {points} points)"
        flag, pos = data[pos], pos + 1
        repeat = 1
        if flag & 0x08:
            if pos >= len(data):
                return "its flags run past its bytes"
            repeat, pos = 1 + data[pos], pos + 1
        xs += repeat * (1 if flag & 0x02 else 0 if flag & 0x10 else 2)
        ys += repeat * (1 if flag & 0x04 else 0 if flag & 0x20 else 2)
        seen += repeat
    if seen != points or pos + xs + ys > len(data):
        return f"its {points} points need {pos + xs + ys} bytes, it has {len(data)}"
    return None


def _composite_problem(loca, raw: bytes, count: int, data: bytes, depth: int, reach: int) -> str | None:
    """Walk a composite glyph's components; each must name a glyph that itself parses."""
    pos, more = 10, True
    while more:
        if pos + 4 > len(data):
            return "its components run past its bytes"
        flags, gid = struct.unpack_from(">HH", data, pos)
        pos += 4 + (4 if flags & 0x0001 else 2) + (2 if flags & 0x0008 else 4 if flags & 0x0040 else
                                                  8 if flags & 0x0080 else 0)
        problem = _glyph_problem(loca, raw, count, gid, depth + 1, reach)
        if problem is not None:
            return f"its component glyph {gid}: {problem}"
        more = bool(flags & 0x0020)
    if pos > len(data):
        return "its components run past its bytes"
    return None


def _char(ch: str) -> str:
    return f"{ch!r} (U+{ord(ch):04X})"
