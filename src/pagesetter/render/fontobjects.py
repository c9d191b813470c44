"""The PDF objects of one embedded font (ours, not ReportLab's): a Type0 font with Identity-H
encoding over a CIDFont — CIDFontType0 with the CFF program as FontFile3 /CIDFontType0C, or
CIDFontType2 with the TrueType program as FontFile2 — plus its /W widths and ToUnicode map
(ISO 32000-1 §9.7). Written into ReportLab's document so its pages list them as resources.
"""
from __future__ import annotations

from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFStream, PDFString

from ..fonts.subset import FontProgram


def add_font(doc, program: FontProgram, info, name: str) -> None:
    """Add `program` to `doc` as resource /`name` (e.g. F1) of every page."""
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
        "DW": 1000, "W": PDFArray(widths_array(program.widths)),
    })
    if program.kind != "cff":
        cid.dict["CIDToGIDMap"] = PDFName("Identity")
    font = PDFDictionary({
        "Type": PDFName("Font"), "Subtype": PDFName("Type0"), "BaseFont": base,
        "Encoding": PDFName("Identity-H"), "DescendantFonts": PDFArray([doc.Reference(cid)]),
        "ToUnicode": doc.Reference(_stream(to_unicode_cmap(program.to_unicode).encode("ascii"))),
    })
    doc.idToObject["BasicFonts"].dict[name] = doc.Reference(font)


def widths_array(widths: dict[int, float]) -> list:
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


def to_unicode_cmap(mapping: dict[int, str]) -> str:
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
    return PDFStream(PDFDictionary({**entries, "Filter": PDFArray([PDFName("FlateDecode")])}),
                     program.packed)


def _em(value: float, info) -> float:
    return _num(value * 1000 / info.units_per_em)


def _num(v: float):
    v = round(float(v), 3)
    return int(v) if v == int(v) else v
