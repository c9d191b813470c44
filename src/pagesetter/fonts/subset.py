"""Cut the font program a PDF embeds (子集): exactly the glyphs a document draws, nothing else.

    program = font_program(face, "新闻，。")
    program.codes["新"]      # the 2-byte code to show it with (Identity-H)
    program.data             # CFF (CIDFontType0C) or TrueType (CIDFontType2) bytes

CFF faces stay CFF: the subset's bare `CFF ` table is embedded as a CID-keyed font, no curve is
converted. TrueType faces are embedded as TrueType. HarfBuzz's subsetter does the cutting: it
keeps only the used glyphs (+ .notdef) and drops every local and global subroutine they do not
call, in milliseconds (fontTools' CFF subsetter interprets each charstring in Python: ~2 s for
this project's sample page, which was most of a cold build).

Codes: for a CID-keyed CFF the code is the glyph's CID, which the CFF's charset maps to its glyph;
for TrueType and name-keyed CFF it is the glyph's index in the subset (CIDToGIDMap /Identity).
The subset tag (ABCDEF+) is derived from the program's bytes, so it differs whenever the program
does (ISO 32000-1 §9.6.4). Output is a pure function of the font file, face and characters.
"""
from __future__ import annotations

import hashlib
import zlib
from dataclasses import field, replace
from typing import Iterable, Mapping

from pagesetter.records import record
from pagesetter.errors import FontError, Problem

# Tables a PDF font program needs; layout and vertical tables are dropped (we place every glyph).
_DROP = ("GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH", "VORG", "vhea", "vmtx", "DSIG", "gasp",
         "kern", "morx", "STAT", "meta", "hdmx", "LTSH", "VDMX", "PCLT")


@record
class FontProgram:
    """A subset ready to embed: program bytes, its kind, codes and widths (1000 units/em)."""

    data: bytes
    kind: str  # "cff" → FontFile3 /CIDFontType0C, "glyf" → FontFile2
    base_name: str  # TAG+PostScriptName
    codes: Mapping[str, int]  # character → 2-byte code (CID)
    widths: Mapping[int, float]  # code → advance, 1000 units per em
    to_unicode: Mapping[int, str]  # code → the text it stands for
    packed: bytes = field(default=b"", compare=False, repr=False)  # zlib.compress(data), if known
    # what the caller's `extras` made of this program (e.g. the renderer's ready PDF objects), kept
    # with it in the cache: name → bytes
    extras: Mapping[str, bytes] = field(default_factory=dict, compare=False, repr=False)


class Extras:
    """What a caller makes of a program and wants kept with it in the subset cache: `make(program)`
    gives name → bytes; `tag` names the maker's version (a stored set made under another tag is
    made again, never used)."""

    def __init__(self, tag: str, make):
        self.tag, self.make = tag, make


def font_program(face, chars: Iterable[str], extras: Extras | None = None) -> FontProgram:
    """The embeddable subset of `face` (a PreparedFace) for `chars`, always with the space
    (text extractors take a word gap from the font's space width and its ToUnicode entry);
    with `extras`, its `extras` field holds what extras.make made of it (cached with it)."""
    try:
        return _cached_program(face, sorted((set(chars) | {" "}) - set(face.missing)), extras)
    except FontError:
        raise
    except Exception as exc:  # HarfBuzz/fontTools on a damaged font
        raise FontError(Problem(
            f"cannot subset the font for role '{face.source.role}': {type(exc).__name__}: {exc}",
            file=face.source.path, fix="replace the font file, or set another file for this role "
            "in the spec's fonts: map")) from exc


def _cached_program(face, chars: list[str], extras: Extras | None) -> FontProgram:
    """The subset from the on-disk cache (fonts.subsetcache) when a valid entry is there, else cut
    now and kept for the next build; likewise its extras."""
    from pagesetter.fonts import subsetcache
    from pagesetter.fonts.cache import content_hash, default_cache_dir

    cache_dir = default_cache_dir()
    settings = f"{face.info.outlines};{face.name};{','.join(_DROP)}"
    path = subsetcache.entry_path(cache_dir, content_hash(face.source.path, cache_dir),
                                  face.source.index, chars, settings)
    tag = extras.tag if extras is not None else ""
    program = subsetcache.load(path, FontProgram, tag)
    if program is None or (extras is not None and not program.extras):
        if program is None:
            program = _program(face, chars)
            program = replace(program, packed=zlib.compress(program.data))  # as the PDF stream has it
        if extras is not None:
            program = replace(program, extras=dict(extras.make(program)))
        subsetcache.store(path, program, tag)
    return program


def _program(face, chars: list[str]) -> FontProgram:
    import uharfbuzz as hb

    source = hb.Face(hb.Blob.from_file_path(str(face.source.path)), face.source.index)
    inp = hb.SubsetInput()
    for ch in chars:
        inp.unicode_set.add(ord(ch))
    drop = inp.sets(hb.SubsetInputSets.DROP_TABLE_TAG)
    for tag in _DROP:
        drop.add(int.from_bytes(tag.encode("ascii"), "big"))
    inp.flags = hb.SubsetFlags.NO_HINTING if face.info.outlines == "glyf" else hb.SubsetFlags.DEFAULT
    sub = hb.subset(source, inp)
    if sub is None:
        raise FontError(Problem(f"HarfBuzz could not subset the face for role '{face.source.role}'",
                                file=face.source.path, fix="replace the font file"))
    font = hb.Font(sub)
    gids = {ch: font.get_nominal_glyph(ord(ch)) for ch in chars}
    if face.info.outlines == "cff":
        data = sub.reference_table("CFF ").data
        cids = _cff_cids(sub.blob.data)
    else:
        data, cids = sub.blob.data, None
    codes = {ch: (cids[g] if cids else g) for ch, g in gids.items() if g is not None}
    scale = 1000 / face.info.units_per_em
    widths = {codes[ch]: round(font.get_glyph_h_advance(gids[ch]) * scale, 3) for ch in codes}
    to_unicode: dict[int, str] = {}
    for ch in chars:  # two characters on one glyph: the first keeps the code's text
        if ch in codes:
            to_unicode.setdefault(codes[ch], ch)
    tag = "".join(chr(65 + b % 26) for b in hashlib.sha256(bytes(data)).digest()[:6])
    return FontProgram(bytes(data), face.info.outlines, f"{tag}+{face.name}", codes, widths, to_unicode)


def _cff_cids(otf: bytes) -> list[int] | None:
    """The CID of each glyph of a CID-keyed CFF font (its charset), by glyph index; None for a
    name-keyed CFF (whose codes are glyph indices)."""
    import uharfbuzz as hb

    return cff_charset(hb.Face(otf).reference_table("CFF ").data)


def cff_charset(cff: bytes) -> list[int] | None:
    """CIDs by glyph index from a bare CFF table's charset; None without a ROS (name-keyed).
    Reads only the header, the Top DICT and the charset (CFF spec, Adobe TN 5176 §§ 5–13):
    importing fontTools' CFF reader for this cost more than the whole subsetting."""
    pos = _skip_index(cff, cff[2])  # header, then the Name INDEX
    top = _dict(_index_first(cff, pos))
    if (12, 30) not in top:
        return None
    count = int.from_bytes(cff[top[(17,)][0]:top[(17,)][0] + 2], "big")  # CharStrings INDEX count
    pos = top[(15,)][0]  # the charset: a format byte, then ranges (glyph 0, .notdef, is CID 0)
    fmt, cids = cff[pos], [0]
    pos += 1
    while len(cids) < count:
        first = int.from_bytes(cff[pos:pos + 2], "big")
        if fmt == 0:
            cids.append(first)
            pos += 2
            continue
        size = 1 if fmt == 1 else 2
        left = int.from_bytes(cff[pos + 2:pos + 2 + size], "big")
        cids += range(first, first + left + 1)
        pos += 2 + size
    return cids[:count]


def _index_first(data: bytes, pos: int) -> bytes:
    """The first object of the INDEX at `pos`."""
    off_size = data[pos + 2]
    offsets = [int.from_bytes(data[pos + 3 + i * off_size:pos + 3 + (i + 1) * off_size], "big") for i in (0, 1)]
    start = pos + 2 + (int.from_bytes(data[pos:pos + 2], "big") + 1) * off_size
    return data[start + offsets[0]:start + offsets[1]]


def _skip_index(data: bytes, pos: int) -> int:
    count = int.from_bytes(data[pos:pos + 2], "big")
    if count == 0:
        return pos + 2
    off_size = data[pos + 2]
    base = pos + 3 + (count + 1) * off_size
    last = int.from_bytes(data[base - off_size:base], "big")
    return base - 1 + last


def _dict(data: bytes) -> dict[tuple, list]:
    """A CFF DICT: operator (1 or 2 bytes, as a tuple) → its operands (reals skipped as 0)."""
    out: dict[tuple, list] = {}
    operands: list = []
    i = 0
    while i < len(data):
        b = data[i]
        if b <= 21:
            op = (12, data[i + 1]) if b == 12 else (b,)
            i += 2 if b == 12 else 1
            out[op], operands = operands, []
        elif b == 28:
            operands.append(int.from_bytes(data[i + 1:i + 3], "big", signed=True))
            i += 3
        elif b == 29:
            operands.append(int.from_bytes(data[i + 1:i + 5], "big", signed=True))
            i += 5
        elif b == 30:  # a real: nibbles up to an 0xf
            i += 1
            while data[i] & 0x0F != 0x0F and data[i] >> 4 != 0x0F:
                i += 1
            i += 1
            operands.append(0)
        elif b <= 246:
            operands.append(b - 139)
            i += 1
        elif b <= 250:
            operands.append((b - 247) * 256 + data[i + 1] + 108)
            i += 2
        else:
            operands.append(-(b - 251) * 256 - data[i + 1] - 108)
            i += 2
    return out
