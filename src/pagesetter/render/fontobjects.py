"""The PDF objects of one embedded font (ours, not ReportLab's): a Type0 font with Identity-H
encoding over a CIDFont — CIDFontType0 with the CFF program as FontFile3 /CIDFontType0C, or
CIDFontType2 with the TrueType program as FontFile2 — plus its /W widths and ToUnicode map
(ISO 32000-1 §9.7). Written into ReportLab's document so its pages list them as resources.
"""
from __future__ import annotations

import zlib
from collections.abc import Mapping

import reportlab
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFObject, PDFStream, PDFString

from ..fonts.subset import Extras, FontProgram

PIECES_VERSION = 1  # bump whenever pdf_pieces (widths_array, to_unicode_cmap) writes other bytes


def pdf_pieces(program: FontProgram) -> dict[str, bytes]:
    """What of a font's PDF objects depends on its program alone, ready-made: the /W array as
    ReportLab formats it and the ToUnicode CMap Flate-compressed (as ReportLab's filter would).
    Kept with the subset in the cache (fonts.subset.Extras), so a warm build neither builds nor
    formats ~1,500 widths nor compresses the CMap again."""
    return {"W": PDFArray(widths_array(program.widths)).format(None),  # numbers only: no document needed
            "ToUnicode": zlib.compress(to_unicode_cmap(program.to_unicode).encode("ascii"))}


# the cache tag: this code's version and the formatter and compressor that made the bytes
PDF_PIECES = Extras(f"pdf_pieces {PIECES_VERSION}; ReportLab {reportlab.Version}; zlib {zlib.ZLIB_VERSION}",
                    pdf_pieces)


class _Ready(PDFObject):
    """A value already formatted (bytes), written as is."""

    def __init__(self, data: bytes):
        self.data = data

    def format(self, document) -> bytes:
        return self.data


def add_font(doc, program: FontProgram, info, name: str) -> None:
    """Add `program` to `doc` as resource /`name` (e.g. F1) of every page."""
    pieces = program.extras or pdf_pieces(program)
    base = PDFName(program.base_name)
    descriptor = PDFDictionary({
        "Type": PDFName("FontDescriptor"), "FontName": base,
        "Flags": 4 | (1 if info.fixed_pitch else 0),  # symbolic: glyphs outside Adobe's Latin set
        "FontBBox": PDFArray(list(info.bbox)), "ItalicAngle": _num(info.italic_angle),
        "Ascent": _em(info.ascender, info), "Descent": _em(info.descender, info),
        "CapHeight": _em(info.cap_height, info), "StemV": 80,
    })
    if program.kind == "cff":
        ff = _program_stream(program, {"Subtype": PDFName("CIDFontType0C")})
        descriptor.dict["FontFile3"] = doc.Reference(ff)
    else:
        ff = _program_stream(program, {"Length1": len(program.data)})
        descriptor.dict["FontFile2"] = doc.Reference(ff)
    cid = PDFDictionary({
        "Type": PDFName("Font"),
        "Subtype": PDFName("CIDFontType0" if program.kind == "cff" else "CIDFontType2"),
        "BaseFont": base,
        "CIDSystemInfo": PDFDictionary({"Registry": PDFString("Adobe"),
                                        "Ordering": PDFString("Identity"), "Supplement": 0}),
        "FontDescriptor": doc.Reference(descriptor),
        "DW": 1000, "W": _Ready(pieces["W"]),
    })
    if program.kind != "cff":
        cid.dict["CIDToGIDMap"] = PDFName("Identity")
    font = PDFDictionary({
        "Type": PDFName("Font"), "Subtype": PDFName("Type0"), "BaseFont": base,
        "Encoding": PDFName("Identity-H"), "DescendantFonts": PDFArray([doc.Reference(cid)]),
        "ToUnicode": doc.Reference(_packed_stream(pieces["ToUnicode"], {})),
    })
    doc.idToObject["BasicFonts"].dict[name] = doc.Reference(font)


def widths_array(widths: Mapping[int, float]) -> list:
    """/W entries `c [w1 w2 …]` for each run of consecutive codes, leaving out the default 1000."""
    out: list = []
    run: list = []
    start = prev = None
    for code in sorted(c for c, w in widths.items() if w != 1000):
        if prev is not None and code == prev + 1:
            run.append(_num(widths[code]))
        else:
            if run:
                out += [start, PDFArray(run)]
            start, run = code, [_num(widths[code])]
        prev = code
    if run:
        out += [start, PDFArray(run)]
    return out


def to_unicode_cmap(mapping: Mapping[int, str]) -> str:
    """A ToUnicode CMap mapping each 2-byte code to its text (UTF-16BE), in blocks of 100."""
    items = sorted(mapping.items())
    lines = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
             "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
             "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
             "1 begincodespacerange", "<0000> <FFFF>", "endcodespacerange"]
    for i in range(0, len(items), 100):
        block = items[i:i + 100]
        lines.append(f"{len(block)} beginbfchar")
        lines += [f"<{code:04X}> <{text.encode('utf-16-be').hex().upper()}>" for code, text in block]
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines) + "\n"


def _stream(data: bytes, entries: dict | None = None) -> PDFStream:
    return PDFStream(PDFDictionary(dict(entries or {})), data, filters=[pdfdoc.PDFZCompress])


def _program_stream(program: FontProgram, entries: dict) -> PDFStream:
    """The font program's stream; compressed already when the subset cache kept it compressed
    (the same bytes ReportLab's Flate filter would make)."""
    if not program.packed:
        return _stream(program.data, entries)
    return _packed_stream(program.packed, entries)


def _packed_stream(packed: bytes, entries: dict) -> PDFStream:
    """A stream of zlib-compressed bytes: what ReportLab writes for the uncompressed data with its
    Flate filter (the same /Filter entry, the same Length), without compressing again."""
    return PDFStream(PDFDictionary({**entries, "Filter": PDFArray([PDFName("FlateDecode")])}), packed)


def _em(value: float, info) -> float:
    return _num(value * 1000 / info.units_per_em)


def _num(v: float):
    v = round(float(v), 3)
    return int(v) if v == int(v) else v
