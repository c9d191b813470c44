"""Cut a face down to the characters a page needs, as a TrueType (glyf) font ReportLab can load.

ReportLab embeds only TrueType outlines, and every Noto CJK face is CFF, so CFF/CFF2 glyphs are
redrawn as quadratic curves (Cu2QuPen into TTGlyphPen). Only the glyphs asked for are read and
drawn (a whole CJK font would take ~1 minute and GBs of memory; 1,500 characters take ~3 s), and
the source font's tables are then cut down in place: new glyf/loca/hmtx/maxp/cmap, `post`
format 3, and no layout tables (we position every glyph ourselves). TrueType sources take the
same road, which also decomposes composite glyphs and drops hinting.

The output is a pure function of the font file, the face index and the character set: the
source's `head` timestamps are kept (recalcTimestamp=False) and nothing random goes in.
"""
from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from fontTools.pens.boundsPen import BoundsPen
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, TTLibError, newTable
from fontTools.ttLib.tables._c_m_a_p import CmapSubtable

from pagesetter.errors import FontError, Problem

from pagesetter.fonts.cache import CONVERTER_VERSION  # noqa: F401 (bump it there when output changes)

# AR PL gkai00mp.ttf ends its glyf table 4 bytes past loca's last offset; fontTools warns on every
# load. The data is harmless padding, so keep that one message out of the build log.
logging.getLogger("fontTools.ttLib.tables._g_l_y_f").addFilter(
    lambda record: not record.getMessage().startswith("too much 'glyf' table data"))

_PS_NAME_BAD = re.compile(r"[^\x21-\x7e]|[\[\](){}<>/%]")


@dataclass(frozen=True)
class Subset:
    """A subset font and its metrics, in font units."""

    data: bytes  # the TrueType font file
    ps_name: str
    units_per_em: int
    advances: dict[str, int]
    ink: dict[str, tuple[float, float]]  # (xMin, xMax) of the outline; absent for blank glyphs
    ascender: int
    descender: int
    missing: frozenset[str]


def build_subset(path: Path, index: int, chars: frozenset[str], name_suffix: str = "") -> Subset:
    """Subset face `index` of `path` to `chars` (+ .notdef and space) as a TrueType font, named
    with `name_suffix` appended to its PostScript name (so each subset has a name of its own)."""
    font = _open(path, index)
    try:
        _check_embedding(font, path)
        ps_name = safe_ps_name(font, path)
        if name_suffix:
            ps_name = f"{ps_name[:56]}-{name_suffix}"
        upem = _units_per_em(font, path, index)
        cmap = font.getBestCmap() or {}
        missing = frozenset(c for c in chars if ord(c) not in cmap)
        codes = sorted({ord(c) for c in chars if ord(c) in cmap} | ({32} & cmap.keys()))
        notdef = font.getGlyphOrder()[0]
        order = [notdef] + sorted({cmap[c] for c in codes} - {notdef}, key=font.getGlyphID)

        cubic = "CFF " in font or "CFF2" in font
        source = font.getGlyphSet()
        src_hmtx = font["hmtx"]
        glyphs, metrics, bounds = {}, {}, {}
        for gname in order:
            glyphs[gname], bounds[gname] = _quadratic(source, gname, upem, cubic)
            lsb = glyphs[gname].xMin if glyphs[gname].numberOfContours else 0
            metrics[gname] = (src_hmtx[gname][0], lsb)
        advances = {chr(c): metrics[cmap[c]][0] for c in codes}
        ink = {chr(c): bounds[cmap[c]] for c in codes if bounds[cmap[c]] is not None}
        ascender, descender = _vertical(font)

        _replace_tables(font, order, glyphs, metrics, {c: cmap[c] for c in codes}, ps_name)
        buf = io.BytesIO()
        font.save(buf, reorderTables=True)
        return Subset(buf.getvalue(), ps_name, upem, advances, ink, ascender, descender, missing)
    finally:
        font.close()


def _quadratic(source, gname: str, upem: int, cubic: bool):
    """Glyph `gname` as a TrueType glyph (components decomposed, cubics to quadratics within
    0.001 em, contours reversed to TrueType direction) and its ink (xMin, xMax), or None."""
    rec = DecomposingRecordingPen(source)
    source[gname].draw(rec)
    box = BoundsPen(None)
    rec.replay(box)
    pen = TTGlyphPen(None)
    rec.replay(Cu2QuPen(pen, upem / 1000, reverse_direction=cubic))
    glyph = pen.glyph()
    glyph.recalcBounds(None)
    ink = None if box.bounds is None else (box.bounds[0], box.bounds[2])
    return glyph, ink


def _open(path: Path, index: int) -> TTFont:
    try:
        return TTFont(path, fontNumber=index, recalcTimestamp=False)
    except (TTLibError, OSError, AssertionError, ValueError) as exc:
        raise FontError(Problem(
            f"cannot read font face #{index}: {exc}", file=path,
            fix="replace the file with a TrueType/OpenType font, or point the spec's fonts: map "
            "at another file",
        )) from exc


UNITS_PER_EM = (16, 16384)  # the range OpenType allows for head.unitsPerEm


def _units_per_em(font: TTFont, path: Path, index: int) -> int:
    upem = font["head"].unitsPerEm
    if not (isinstance(upem, int) and UNITS_PER_EM[0] <= upem <= UNITS_PER_EM[1]):
        raise FontError(Problem(
            f"font face #{index} has unitsPerEm {upem}; a usable font has {UNITS_PER_EM[0]}–{UNITS_PER_EM[1]}",
            file=path, fix="the font file is damaged: replace it, or point the spec's fonts: map at another file"))
    return upem


def _check_embedding(font: TTFont, path: Path) -> None:
    """FontError if the face's licence flags (OS/2 fsType) forbid embedding a subset in a PDF."""
    if "OS/2" not in font:
        return
    fs_type = font["OS/2"].fsType
    if (fs_type & 0x000F) == 0x0002 or fs_type & 0x0300:
        raise FontError(Problem(
            f"the font's licence flags (OS/2 fsType 0x{fs_type:04X}) forbid embedding a subset "
            "of it in a PDF",
            file=path,
            fix="use a face licensed for embedding (ask the foundry for a print/embedding "
            "licence build), or set another file for this role in the spec's fonts: map",
        ))


def safe_ps_name(font: TTFont, path: Path) -> str:
    """The face's PostScript name, made safe for PDF and ReportLab (printable ASCII, no
    delimiters or spaces, at most 63 characters); derived from the file name if absent."""
    name = font["name"].getDebugName(6) or font["name"].getDebugName(4) or path.stem
    name = _PS_NAME_BAD.sub("", name.replace(" ", "-"))[:63]
    return name or "Face"


_KEEP_TABLES = {"head", "hhea", "maxp", "OS/2", "hmtx", "cmap", "name", "post", "GlyphOrder"}


def _replace_tables(font: TTFont, order, glyphs, metrics, cmap: dict[int, str], ps_name: str):
    """Turn `font` into the subset: new glyf/loca/hmtx/maxp/cmap, post format 3, trimmed name,
    every other table dropped; head, hhea and OS/2 are kept (and recalculated on save)."""
    names = font["name"]
    family = names.getBestFamilyName() or ps_name
    for tag in list(font.keys()):
        if tag not in _KEEP_TABLES:
            del font[tag]
    font.setGlyphOrder(order)
    font.sfntVersion = "\0\1\0\0"
    font["head"].glyphDataFormat = 0

    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    font["loca"] = newTable("loca")
    hmtx = font["hmtx"] = newTable("hmtx")
    hmtx.metrics = metrics

    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.numGlyphs = len(order)
    maxp.maxZones = 1
    for field in ("maxPoints", "maxContours", "maxCompositePoints", "maxCompositeContours",
                  "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                  "maxStackElements", "maxSizeOfInstructions", "maxComponentElements",
                  "maxComponentDepth"):
        setattr(maxp, field, 0)  # the point/contour maxima are recalculated on save

    post = font["post"]
    post.formatType = 3.0
    post.extraNames = []
    post.mapping = {}

    table = font["cmap"] = newTable("cmap")
    table.tableVersion = 0
    table.tables = []
    bmp = {c: g for c, g in cmap.items() if c <= 0xFFFF}
    # ReportLab reads the last (3, x) subtable: format 12 goes last when it is needed at all.
    for fmt, encoding, mapping in ((4, 1, bmp), (12, 10, cmap)):
        if fmt == 12 and len(bmp) == len(cmap):
            continue
        sub = CmapSubtable.newSubtable(fmt)
        sub.platformID, sub.platEncID, sub.language = 3, encoding, 0
        sub.cmap = dict(mapping)
        table.tables.append(sub)

    names.names = [n for n in names.names if n.nameID <= 6 and n.nameID != 6]
    for name_id, value in ((1, family), (2, "Regular"), (4, family)):
        if not names.getDebugName(name_id):
            names.setName(value, name_id, 3, 1, 0x409)
    names.setName(ps_name, 6, 3, 1, 0x409)


def _vertical(font: TTFont) -> tuple[int, int]:
    """Ascender and descender in font units: OS/2 typo values, else hhea."""
    if "OS/2" in font:
        os2 = font["OS/2"]
        return os2.sTypoAscender, os2.sTypoDescender
    return font["hhea"].ascent, font["hhea"].descent
