"""The header facts of a face that embedding needs (名称、度量、授权): PostScript name, units per
em, vertical metrics, bounding box, italic angle, outline kind and licence flags — read with
fontTools from the small header tables only (lazy: no glyph is parsed)."""
from __future__ import annotations

import json
import re
import struct
from dataclasses import asdict, fields
from pathlib import Path

from pagesetter.records import record
from pagesetter.errors import FontError, Problem
from pagesetter.fonts.facecheck import check_tables
from pagesetter.fonts.roles import FaceSource, quiet_glyf_padding

FACTS_VERSION = 3  # (2: the tables checked, fonts.facecheck; 3: scripts) part of the fact's name in the file-fact cache: bump when FaceInfo changes

_PS_NAME_BAD = re.compile(r"[^\x21-\x7e]|[\[\](){}<>/%#]")


@record
class FaceInfo:
    ps_name: str
    units_per_em: int
    ascender: int  # OS/2 sTypoAscender (font units)
    descender: int  # OS/2 sTypoDescender (negative)
    cap_height: int
    bbox: tuple[int, int, int, int]  # head xMin yMin xMax yMax
    italic_angle: float
    outlines: str  # "cff" (CFF, Type 2 charstrings) or "glyf" (TrueType)
    fixed_pitch: bool
    # OS/2 ySubscriptYSize, ySubscriptYOffset, ySuperscriptYSize, ySuperscriptYOffset (font
    # units): the size and shift its designer gives the face's scripts (上标、下标), `script_metrics`
    scripts: tuple[int, int, int, int] = (0, 0, 0, 0)


# Scripts where the face gives no usable OS/2 figures: the values of the Noto faces (Noto Serif
# CJK and Noto Serif alike): 0.6 em, raised 0.35 em, lowered 0.075 em
DEFAULT_SCRIPTS = (0.6, 0.075, 0.6, 0.35)


def script_metrics(info: FaceInfo) -> tuple[float, float, float, float]:
    """(subscript size, its drop, superscript size, its rise) in em, from the face's OS/2 table
    when its figures are sensible (a size of 0.4–0.8 em, a shift of 0–0.6 em), else the default."""
    upem = info.units_per_em
    sub_size, sub_drop, sup_size, sup_rise = (v / upem for v in info.scripts)
    if 0.4 <= sub_size <= 0.8 and 0.4 <= sup_size <= 0.8 and 0 <= sub_drop <= 0.6 and 0 < sup_rise <= 0.6:
        return sub_size, sub_drop, sup_size, sup_rise
    return DEFAULT_SCRIPTS


def read_face_info(source: FaceSource) -> FaceInfo:
    """FaceInfo of `source`; FontError (naming the file and a fix) if the face cannot be used.
    Memoised in the file-fact cache (fonts.cache.remember) per file size and mtime, so a warm
    build neither imports fontTools nor opens the font for these facts."""
    from pagesetter.fonts.cache import default_cache_dir, remember

    try:
        text = remember(source.path, default_cache_dir(), f"faceinfo{FACTS_VERSION}:{source.index}",
                        lambda: json.dumps(asdict(_read_face_info(source)), sort_keys=True),
                        lambda t: _from_json(t) is not None)
    except OSError:  # the file cannot be looked at: reading it says why, as a FontError
        return _read_face_info(source)
    info = _from_json(text)
    assert info is not None  # (remember keeps only a text that reads)
    return info


def _from_json(text: str) -> FaceInfo | None:
    """The FaceInfo stored as JSON, or None if the text is not a whole, well-typed one."""
    try:
        d = json.loads(text)
        if not isinstance(d, dict) or set(d) != {f.name for f in fields(FaceInfo)}:
            return None
        info = FaceInfo(**{**d, "bbox": tuple(d["bbox"]), "scripts": tuple(d["scripts"])})
    except (ValueError, TypeError):
        return None
    ints = (info.units_per_em, info.ascender, info.descender, info.cap_height, *info.bbox, *info.scripts)
    if not (isinstance(info.ps_name, str) and info.ps_name and len(info.bbox) == 4 and len(info.scripts) == 4
            and all(type(v) is int for v in ints) and isinstance(info.italic_angle, (int, float))
            and info.outlines in ("cff", "glyf") and isinstance(info.fixed_pitch, bool)):
        return None
    return info


def _read_face_info(source: FaceSource) -> FaceInfo:
    """FaceInfo read from the font file with fontTools (header tables only)."""
    from fontTools.ttLib import TTFont, TTLibError

    quiet_glyf_padding()
    try:
        font = TTFont(source.path, fontNumber=source.index, lazy=True, recalcTimestamp=False)
    except (TTLibError, OSError, AssertionError, ValueError, IndexError) as exc:
        raise _error(source, f"cannot read font face #{source.index}: {exc}",
                     "replace the file with a TrueType/OpenType font, or point the spec's fonts: "
                     "map at another file") from exc
    try:
        return _info(font, source)
    except FontError:
        raise
    except Exception as exc:  # fontTools raises many kinds on malformed tables
        raise _error(source, f"cannot read font face #{source.index}: {type(exc).__name__}: {exc}",
                     "the file looks damaged: replace it, or set another file for this role in the "
                     "spec's fonts: map") from exc
    finally:
        font.close()


def _info(font, source: FaceSource) -> FaceInfo:
    if "CFF2" in font:
        raise _error(source, "the face is a variable CFF2 font, which PDF cannot embed directly",
                     "use a static (non-variable) instance of the face")
    if "CFF " not in font and "glyf" not in font:
        raise _error(source, "the face has no outlines (neither CFF nor glyf table)",
                     "use a TrueType or OpenType outline font")
    check_tables(font, source)
    head = font["head"]
    if not 16 <= head.unitsPerEm <= 16384:
        raise _error(source, f"the face's unitsPerEm is {head.unitsPerEm} (must be 16–16384)",
                     "the file is damaged: replace it, or set another file for this role in the "
                     "spec's fonts: map")
    os2 = font["OS/2"] if "OS/2" in font else None
    _check_embedding(os2, source)
    hhea = font["hhea"]
    asc, desc = (os2.sTypoAscender, os2.sTypoDescender) if os2 else (hhea.ascent, hhea.descent)
    cap = getattr(os2, "sCapHeight", 0) if os2 else 0
    # post's header only (format 2 glyph names would cost more than everything else here)
    angle, fixed = struct.unpack(">lxxxxL", font.reader["post"][4:16]) if "post" in font else (0, 0)
    cff = "CFF " in font
    return FaceInfo(
        ps_name=safe_ps_name(source), units_per_em=head.unitsPerEm,
        ascender=asc, descender=desc, cap_height=cap or round(asc * 0.8),
        bbox=(head.xMin, head.yMin, head.xMax, head.yMax),
        italic_angle=angle / 65536, outlines="cff" if cff else "glyf", fixed_pitch=bool(fixed),
        scripts=_scripts(os2))


def _scripts(os2) -> tuple[int, int, int, int]:
    """The OS/2 table's script sizes and offsets (zeros without one: script_metrics' default)."""
    if os2 is None:
        return (0, 0, 0, 0)
    return (int(os2.ySubscriptYSize), int(os2.ySubscriptYOffset), int(os2.ySuperscriptYSize),
            int(os2.ySuperscriptYOffset))


def _check_embedding(os2, source: FaceSource) -> None:
    """FontError if the face's licence flags (OS/2 fsType) forbid embedding a subset in a PDF."""
    if os2 is None:
        return
    fs_type = os2.fsType
    if (fs_type & 0x000F) == 0x0002 or fs_type & 0x0300:
        raise _error(source, f"the font's licence flags (OS/2 fsType 0x{fs_type:04X}) forbid "
                     "embedding a subset of it in a PDF",
                     "use a face licensed for embedding (ask the foundry for a print/embedding "
                     "licence build), or set another file for this role in the spec's fonts: map")


def safe_ps_name(source: FaceSource) -> str:
    """The face's PostScript name, made safe for PDF (printable ASCII, no delimiters or spaces,
    at most 56 characters so that the subset tag fits in 63); from the file name if absent.
    Read with HarfBuzz: fontTools decodes the whole name table, ~20 ms a CJK face."""
    import uharfbuzz as hb

    face = hb.Face(hb.Blob.from_file_path(str(source.path)), source.index)
    ids = hb.OTNameIdPredefined
    name = face.get_name(ids.POSTSCRIPT_NAME) or face.get_name(ids.FULL_NAME) or Path(source.path).stem
    name = _PS_NAME_BAD.sub("", name.replace(" ", "-"))[:56]
    return name or "Face"


def _error(source: FaceSource, message: str, fix: str) -> FontError:
    return FontError(Problem(message, file=source.path, fix=fix))
