"""Hostile PDFs, made in a few hundred bytes each: malformed structure (a font that is a number,
empty /DescendantFonts, no or absurd /MediaBox, a page tree that loops, a trailer pointing at
nothing, cut-off xref, wrong stream lengths, encryption) and unbounded work (a dense content
stream, 20,000 pages, forms drawing forms, a picture of absurd size). Used by tests/bad_inputs.py
(HOSTILE_PDF: the CLI cases held by tests/test_safety.py) and benchmarks/refusals.py.

`pdf({n: body}, root=1)` writes objects with a correct xref table, so each case breaks only what
it means to break.
"""
from __future__ import annotations

import zlib

PAGE_BOX = b"/MediaBox [0 0 200 200]"
OBJ_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
TEXT = b"BT /F1 12 Tf 20 100 Td (Hello) Tj ET"


def stream(data: bytes, extra: bytes = b"", compress: bool = False, length: int | None = None) -> bytes:
    """A stream object's body; `length` overrides the true /Length (a lie)."""
    if compress:
        data = zlib.compress(data, 9)
        extra += b" /Filter /FlateDecode"
    n = len(data) if length is None else length
    return b"<< /Length %d%s >>\nstream\n" % (n, extra) + data + b"\nendstream"


def pdf(objects: dict[int, bytes], root: int | bytes = 1, trailer: bytes = b"", version: bytes = b"1.7",
        xref: bool = True) -> bytes:
    """A PDF of these objects (number → body) with a correct xref; `root` may be a raw value."""
    out = bytearray(b"%PDF-" + version + b"\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for n in sorted(objects):
        offsets[n] = len(out)
        out += b"%d 0 obj\n" % n + objects[n] + b"\nendobj\n"
    size = max(objects, default=0) + 1
    start = len(out)
    if xref:
        out += b"xref\n0 %d\n0000000000 65535 f \n" % size
        for n in range(1, size):
            out += b"%010d 00000 n \n" % offsets[n] if n in offsets else b"0000000000 65535 f \n"
    root_ref = root if isinstance(root, bytes) else b"%d 0 R" % root
    out += b"trailer\n<< /Size %d /Root %s%s >>\nstartxref\n%d\n%%%%EOF\n" % (size, root_ref, trailer, start)
    return bytes(out)


def one_page(page_extra: bytes = PAGE_BOX, content: bytes = TEXT, resources: bytes = b"<< /Font << /F1 4 0 R >> >>",
             catalog_extra: bytes = b"", more: dict | None = None, compress: bool = False) -> bytes:
    """A one-page PDF (catalog 1, pages 2, page 3, font 4, content 5), one part of it changed."""
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R" + catalog_extra + b" >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R " + page_extra + b" /Resources " + resources + b" /Contents 5 0 R >>",
        4: OBJ_FONT,
        5: stream(content, compress=compress),
    }
    objects.update(more or {})
    return pdf(objects)


def good() -> bytes:
    return one_page()


def empty_descendant_fonts() -> bytes:
    return one_page(more={4: b"<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H "
                             b"/DescendantFonts [] /ToUnicode 6 0 R >>", 6: stream(b"")})


def font_is_number() -> bytes:
    return one_page(resources=b"<< /Font << /F1 42 >> >>")


def font_ref_is_number() -> bytes:
    return one_page(more={4: b"42"})


def no_media_box() -> bytes:
    return one_page(page_extra=b"")


def absurd_media_box() -> bytes:
    return one_page(page_extra=b"/MediaBox [0 0 " + b"9" * 40 + b" " + b"9" * 40 + b"]")


def media_box_not_numbers() -> bytes:
    return one_page(page_extra=b"/MediaBox [0 0 /Wide (tall)]")


def media_box_short() -> bytes:
    return one_page(page_extra=b"/MediaBox [0 0 200]")


def negative_media_box() -> bytes:
    return one_page(page_extra=b"/MediaBox [0 0 -200 -300]")


def empty_media_box() -> bytes:
    return one_page(page_extra=b"/MediaBox [100 100 100 100]")


def trim_box_number() -> bytes:
    return one_page(page_extra=PAGE_BOX + b" /TrimBox 7")


def output_intents_not_array() -> bytes:
    return one_page(catalog_extra=b" /OutputIntents 7")


def output_intent_not_dict() -> bytes:
    return one_page(catalog_extra=b" /OutputIntents [7 (x) /Name]")


def output_profile_number() -> bytes:
    return one_page(catalog_extra=b" /OutputIntents [<< /S /GTS_PDFX /DestOutputProfile 9 >>]")


def metadata_number() -> bytes:
    return one_page(catalog_extra=b" /Metadata 12")


def root_missing() -> bytes:
    """The trailer's /Root names an object that is not there."""
    return pdf({1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [] /Count 0 >>"}, root=99)


def pages_missing() -> bytes:
    """The catalog's /Pages names an object that is not there."""
    return pdf({1: b"<< /Type /Catalog /Pages 77 0 R >>"})


def kid_missing() -> bytes:
    return pdf({1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [3 0 R 88 0 R] /Count 2 >>",
                3: b"<< /Type /Page /Parent 2 0 R " + PAGE_BOX + b" >>"})


def root_not_dict() -> bytes:
    return pdf({1: b"[1 2 3]"})


def self_kids() -> bytes:
    """A page tree node that is its own kid."""
    return pdf({1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"})


def kids_cycle() -> bytes:
    """Two page tree nodes each the other's kid, with a real page too."""
    return pdf({1: b"<< /Type /Catalog /Pages 2 0 R >>",
                2: b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
                3: b"<< /Type /Pages /Parent 2 0 R /Kids [4 0 R 2 0 R] /Count 2 >>",
                4: b"<< /Type /Page /Parent 3 0 R " + PAGE_BOX + b" >>"})


def parent_loop() -> bytes:
    """A page whose /Parent chain loops and carries no MediaBox of its own (inherited lookups loop)."""
    return pdf({1: b"<< /Type /Catalog /Pages 2 0 R >>",
                2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 /Parent 5 0 R >>",
                3: b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>",
                4: stream(b"0 0 10 10 re f"),
                5: b"<< /Type /Pages /Kids [2 0 R] /Count 1 /Parent 2 0 R >>"})


def huge_count() -> bytes:
    return pdf({1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [3 0 R] /Count 2147483647 >>",
                3: b"<< /Type /Page /Parent 2 0 R " + PAGE_BOX + b" >>"})


def negative_count() -> bytes:
    return pdf({1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [3 0 R] /Count -5 >>",
                3: b"<< /Type /Page /Parent 2 0 R " + PAGE_BOX + b" >>"})


def kids_not_array() -> bytes:
    return pdf({1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids 3 /Count 1 >>"})


def no_pages() -> bytes:
    return pdf({1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [] /Count 0 >>"})


def deep_page_tree(depth: int = 5000) -> bytes:
    """A page tree `depth` levels deep with one page at the bottom."""
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>"}
    for n in range(2, depth + 2):
        objects[n] = b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % (n + 1)
    objects[depth + 2] = b"<< /Type /Page " + PAGE_BOX + b" >>"
    return pdf(objects)


def deep_array(depth: int = 100_000) -> bytes:
    """An object of arrays nested `depth` deep (a recursive parser's stack)."""
    return one_page(page_extra=PAGE_BOX + b" /Junk " + b"[" * depth + b"]" * depth)


def truncated(keep: float = 0.6) -> bytes:
    data = good()
    return data[:int(len(data) * keep)]


def xref_cut() -> bytes:
    """The file ends in the middle of its xref table."""
    data = good()
    return data[:data.index(b"xref") + 30]


def no_xref() -> bytes:
    """Objects and a trailer, no xref table (startxref points at the trailer)."""
    return pdf({1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                3: b"<< /Type /Page /Parent 2 0 R " + PAGE_BOX + b" >>"}, xref=False)


def stream_length_long() -> bytes:
    """A content stream whose /Length runs far past the end of the file."""
    return one_page(more={5: stream(TEXT, length=10_000_000)})


def stream_length_negative() -> bytes:
    return one_page(more={5: stream(TEXT, length=-40)})


def stream_length_ref_missing() -> bytes:
    return one_page(more={5: b"<< /Length 66 0 R >>\nstream\n" + TEXT + b"\nendstream"})


def bad_filter() -> bytes:
    return one_page(more={5: stream(TEXT, extra=b" /Filter /NoSuchDecode")})


def corrupt_flate() -> bytes:
    return one_page(more={5: stream(b"x\x9c" + b"\xff" * 40, extra=b" /Filter /FlateDecode")})


def xref_prev_loop() -> bytes:
    """A trailer whose /Prev points at its own xref section (an update chain that loops)."""
    data = good()
    start = data.rindex(b"startxref")
    offset = int(data[start:].split()[1])
    return data.replace(b"/Root 1 0 R >>", b"/Root 1 0 R /Prev %d >>" % offset)


def encrypted(user: str = "secret") -> bytes:
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(good())))
    writer.encrypt(user_password=user, owner_password="owner", algorithm="AES-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def contents_number() -> bytes:
    return one_page(more={5: b"12"})


def resources_number() -> bytes:
    return one_page(resources=b"12")


def xobject_number() -> bytes:
    return one_page(resources=b"<< /XObject << /X1 12 >> >>", content=b"/X1 Do")


def extgstate_bad() -> bytes:
    return one_page(resources=b"<< /ExtGState << /G1 << /CA (half) /ca /None >> >> >>", content=b"/G1 gs")


def info_number() -> bytes:
    data = good()
    return data.replace(b"/Root 1 0 R >>", b"/Root 1 0 R /Info 5 /ID 7 >>")


def rotate_odd() -> bytes:
    return one_page(page_extra=PAGE_BOX + b" /Rotate 45")


def image_huge() -> bytes:
    """A picture declaring 100,000 × 100,000 pixels (30 GB as RGB) in a few hundred bytes."""
    image = stream(b"\x00" * 1000, extra=b" /Type /XObject /Subtype /Image /Width 100000 /Height 100000 "
                                         b"/ColorSpace /DeviceGray /BitsPerComponent 8", compress=True)
    return one_page(resources=b"<< /XObject << /Im1 6 0 R >> >>", content=b"q 200 0 0 200 0 0 cm /Im1 Do Q",
                    more={6: image})


def image_negative() -> bytes:
    image = stream(b"\x00" * 10, extra=b" /Type /XObject /Subtype /Image /Width -5 /Height 2 "
                                       b"/ColorSpace /DeviceGray /BitsPerComponent 8")
    return one_page(resources=b"<< /XObject << /Im1 6 0 R >> >>", content=b"q 200 0 0 200 0 0 cm /Im1 Do Q",
                    more={6: image})


def dense_content(rects: int = 15_000_000) -> bytes:
    """One page of `rects` filled rectangles in a Flate stream: 15 million fit in about 800 KB."""
    packer = zlib.compressobj(9)
    body = bytearray()
    unit = b"0 0 1 1 re f\n" * 10_000
    for _ in range(rects // 10_000):
        body += packer.compress(unit)
    body += packer.flush()
    content = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(body) + bytes(body) + b"\nendstream"
    return one_page(more={5: content}, resources=b"<< >>")


def nested_forms(levels: int = 9, fan: int = 10) -> bytes:
    """Forms that each draw the next `fan` times, `levels` deep: fan**levels rectangles from a
    few kilobytes."""
    objects = {}
    first = 6
    for i in range(levels):
        n = first + i
        if i == levels - 1:
            body, res = b"0 0 1 1 re f", b"<< >>"
        else:
            body = b"/X Do " * fan
            res = b"<< /XObject << /X %d 0 R >> >>" % (n + 1)
        objects[n] = stream(body, extra=b" /Type /XObject /Subtype /Form /BBox [0 0 200 200] /Resources " + res)
    page_body = b"/X Do " * fan
    return one_page(content=page_body, resources=b"<< /XObject << /X %d 0 R >> >>" % first, more=objects)


def form_loop() -> bytes:
    """A form XObject that draws itself."""
    form = stream(b"0 0 1 1 re f /X Do", extra=b" /Type /XObject /Subtype /Form /BBox [0 0 200 200] "
                                             b"/Resources << /XObject << /X 6 0 R >> >>")
    return one_page(content=b"/X Do", resources=b"<< /XObject << /X 6 0 R >> >>", more={6: form})


def form_resources_number() -> bytes:
    form = stream(b"0 0 1 1 re f", extra=b" /Type /XObject /Subtype /Form /BBox [0 0 200 200] /Resources 12")
    return one_page(content=b"/X Do", resources=b"<< /XObject << /X 6 0 R >> >>", more={6: form})


def contents_part_missing() -> bytes:
    data = one_page()
    return data.replace(b"/Contents 5 0 R", b"/Contents [5 0 R 99 0 R]")


def annotation_bomb(levels: int = 9, fan: int = 10) -> bytes:
    """An annotation whose appearance is the forms-drawing-forms bomb (the page itself draws nothing)."""
    data = nested_forms(levels, fan)
    return data.replace(b"/Contents 5 0 R", b"/Annots [<< /Type /Annot /Subtype /Square /Rect [0 0 200 200] "
                                            b"/AP << /N 6 0 R >> >>]")


def tiling_pattern(step: bytes = b"0.01") -> bytes:
    """A page filled with a tiling pattern whose cell repeats every 0.01 pt: 400 million cells."""
    cell = stream(b"0 0 0.005 0.005 re f", extra=b" /Type /Pattern /PatternType 1 /PaintType 1 /TilingType 1 "
                  b"/BBox [0 0 " + step + b" " + step + b"] /XStep " + step + b" /YStep " + step +
                  b" /Resources << >>")
    return one_page(content=b"/Pattern cs /P1 scn 0 0 200 200 re f", resources=b"<< /Pattern << /P1 6 0 R >> >>",
                    more={6: cell})


def pattern_bomb() -> bytes:
    """A tiling pattern whose cell draws the forms-drawing-forms bomb."""
    data = nested_forms()
    cell = stream(b"/X Do " * 10, extra=b" /Type /Pattern /PatternType 1 /PaintType 1 /TilingType 1 "
                  b"/BBox [0 0 10 10] /XStep 10 /YStep 10 /Resources << /XObject << /X 6 0 R >> >>")
    return pdf({**_objects(data), 30: cell, 5: stream(b"/Pattern cs /P1 scn 0 0 200 200 re f"),
                3: b"<< /Type /Page /Parent 2 0 R " + PAGE_BOX + b" /Resources << /Pattern << /P1 30 0 R >> >> "
                   b"/Contents 5 0 R >>"})


def type3_bomb() -> bytes:
    """A Type3 font whose glyph draws the forms-drawing-forms bomb."""
    data = nested_forms()
    glyph = stream(b"1000 0 d0 /X Do /X Do", extra=b"")
    font = (b"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 1000 1000] /FontMatrix [0.001 0 0 0.001 0 0] "
            b"/CharProcs << /a 31 0 R >> /Encoding << /Differences [65 /a] >> /FirstChar 65 /LastChar 65 "
            b"/Widths [1000] /Resources << /XObject << /X 6 0 R >> >> >>")
    return pdf({**_objects(data), 30: font, 31: glyph, 5: stream(b"BT /T3 12 Tf 10 10 Td (A) Tj ET"),
                3: b"<< /Type /Page /Parent 2 0 R " + PAGE_BOX + b" /Resources << /Font << /T3 30 0 R >> >> "
                   b"/Contents 5 0 R >>"})


def _objects(data: bytes) -> dict[int, bytes]:
    """The objects of a PDF made by `pdf` (to make another from them)."""
    import re

    return {int(m.group(1)): m.group(2) for m in re.finditer(rb"(\d+) 0 obj\n(.*?)\nendobj\n", data, re.S)}


def inline_image_huge() -> bytes:
    """An inline image (BI … ID … EI) declaring 100,000 × 100,000 grey pixels."""
    data = zlib.compress(b"\x00" * 1000)
    content = b"q 200 0 0 200 0 0 cm BI /W 100000 /H 100000 /CS /G /BPC 8 /F /Fl ID " + data + b" EI Q"
    return one_page(content=content, resources=b"<< >>")


def many_pages(n: int = 20_000) -> bytes:
    """`n` pages of a little text each, in a flat page tree."""
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>", 3: OBJ_FONT, 4: stream(TEXT)}
    kids = b" ".join(b"%d 0 R" % (10 + i) for i in range(n))
    objects[2] = b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n
    for i in range(n):
        objects[10 + i] = (b"<< /Type /Page /Parent 2 0 R " + PAGE_BOX +
                           b" /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>")
    return pdf(objects)


def many_objects(n: int = 120_000) -> bytes:
    """A one-page PDF with `n` objects (numbers nobody uses): pypdf checks every xref entry."""
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               3: b"<< /Type /Page /Parent 2 0 R " + PAGE_BOX + b" >>"}
    objects.update({i: b"0" for i in range(4, n)})
    return pdf(objects)


def size_lie() -> bytes:
    """A trailer declaring 50 million objects in a 500-byte file."""
    return good().replace(b"/Size 6 ", b"/Size 50000000 ")


def xref_stream_index() -> bytes:
    """An xref stream whose /Index declares 10 million entries (compressed, they would take a few KB)."""
    body = good()
    xref = stream(b"\x00" * 70, extra=b" /Type /XRef /Size 6 /W [1 4 2] /Index [0 10000000]", compress=True)
    return body.replace(b"trailer", b"99 0 obj\n" + xref + b"\nendobj\ntrailer")


def shared_dense(pages: int = 13, rects: int = 400_000) -> bytes:
    """`pages` pages all drawing one stream of `rects` rectangles: under the page limit, over the PDF's."""
    dense = _objects(dense_content(rects))[5]
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>", 4: dense,
               2: b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % (10 + i) for i in range(pages)) +
                  b"] /Count %d >>" % pages}
    objects.update({10 + i: b"<< /Type /Page /Parent 2 0 R " + PAGE_BOX + b" /Contents 4 0 R >>"
                    for i in range(pages)})
    return pdf(objects)


def sparse_file(path, size: int = 1 << 30) -> None:
    """A PDF header followed by a hole to `size` bytes (takes no disk space)."""
    with open(path, "wb") as fh:
        fh.write(good())
        fh.truncate(size)


# (name, maker, what it is): every malformed case, for the probes and the tests
MALFORMED = [
    ("empty-descendant-fonts", empty_descendant_fonts, "a Type0 font with empty /DescendantFonts"),
    ("font-is-number", font_is_number, "a font resource that is a number"),
    ("font-ref-number", font_ref_is_number, "a font resource pointing at a number"),
    ("no-media-box", no_media_box, "a page with no /MediaBox"),
    ("absurd-media-box", absurd_media_box, "a /MediaBox of 10⁴⁰ × 10⁴⁰"),
    ("media-box-names", media_box_not_numbers, "a /MediaBox of names and strings"),
    ("media-box-short", media_box_short, "a /MediaBox of three numbers"),
    ("negative-media-box", negative_media_box, "a /MediaBox of negative size"),
    ("empty-media-box", empty_media_box, "a /MediaBox of zero size"),
    ("trim-box-number", trim_box_number, "a /TrimBox that is a number"),
    ("intents-not-array", output_intents_not_array, "/OutputIntents not an array"),
    ("intent-not-dict", output_intent_not_dict, "/OutputIntents of a number, a string and a name"),
    ("profile-number", output_profile_number, "an output intent whose profile is a number"),
    ("metadata-number", metadata_number, "/Metadata that is a number"),
    ("root-missing", root_missing, "a trailer /Root pointing at a missing object"),
    ("pages-missing", pages_missing, "a catalog /Pages pointing at a missing object"),
    ("kid-missing", kid_missing, "a page tree kid that is missing"),
    ("root-not-dict", root_not_dict, "a catalog that is an array"),
    ("self-kids", self_kids, "a page tree node that is its own kid"),
    ("kids-cycle", kids_cycle, "two page tree nodes each the other's kid"),
    ("parent-loop", parent_loop, "a page whose /Parent chain loops"),
    ("huge-count", huge_count, "a page tree /Count of 2,147,483,647"),
    ("negative-count", negative_count, "a page tree /Count of -5"),
    ("kids-not-array", kids_not_array, "a page tree /Kids that is a number"),
    ("no-pages", no_pages, "a PDF of no pages"),
    ("deep-page-tree", deep_page_tree, "a page tree 5,000 levels deep"),
    ("deep-array", deep_array, "arrays nested 100,000 deep"),
    ("truncated", truncated, "a file cut off at 60 %"),
    ("xref-cut", xref_cut, "a file ending inside its xref table"),
    ("no-xref", no_xref, "a file with no xref table"),
    ("stream-length-long", stream_length_long, "a stream /Length of 10 MB in a 600-byte file"),
    ("stream-length-negative", stream_length_negative, "a stream /Length of -40"),
    ("stream-length-missing", stream_length_ref_missing, "a stream /Length pointing at a missing object"),
    ("bad-filter", bad_filter, "a stream with an unknown /Filter"),
    ("corrupt-flate", corrupt_flate, "a Flate stream of garbage"),
    ("xref-prev-loop", xref_prev_loop, "a trailer /Prev pointing at its own xref"),
    ("encrypted", encrypted, "an encrypted PDF (user password)"),
    ("encrypted-empty", lambda: encrypted(""), "an encrypted PDF with an empty user password"),
    ("contents-number", contents_number, "page /Contents pointing at a number"),
    ("resources-number", resources_number, "page /Resources that is a number"),
    ("xobject-number", xobject_number, "an XObject resource that is a number"),
    ("extgstate-bad", extgstate_bad, "an ExtGState whose /CA is a string"),
    ("info-number", info_number, "trailer /Info and /ID that are numbers"),
    ("rotate-45", rotate_odd, "a page /Rotate of 45"),
    ("image-negative", image_negative, "a picture of width -5"),
    ("form-loop", form_loop, "a form XObject that draws itself"),
    ("form-resources-number", form_resources_number, "a form XObject whose /Resources is a number"),
    ("contents-part-missing", contents_part_missing, "page /Contents naming a missing stream"),
]
# readers repair these silently and draw the page as meant (the stream /Length lies: ReportLab
# once wrote such files; a negative /MediaBox is a valid rectangle): render and diff may exit 0
REPAIRED = {"negative-media-box", "stream-length-long", "stream-length-negative", "encrypted-empty",
            "extgstate-bad"}


FIX = "repair it"
OPS = "draws over 1,000,000 content operators"


# (id, what, command, the PDF or its maker, exit code, expected text …): each a row of docs/bad-inputs.md
DAMAGE_CASES = [
    ("descendant", "a Type0 font with empty /DescendantFonts", "preflight", empty_descendant_fonts, 1,
     "page 1 font /F1: is a Type0 font without its descendant font (/DescendantFonts empty)"),
    ("font-number", "a font that is a number", "preflight", font_is_number, 1,
     "page 1 font /F1: is a number, not a font dictionary"),
    ("font-number-render", "a font that is a number", "render", font_ref_is_number, 1,
     "damaged PDF: page 1 font /F1: is a number", FIX),
    ("no-media-box", "a page without /MediaBox", "preflight", no_media_box, 1,
     "page 1: has no /MediaBox: its size is a guess"),
    ("no-media-box-render", "a page without /MediaBox", "render", no_media_box, 1,
     "damaged PDF: page 1: has no /MediaBox", FIX),
    ("absurd-media-box", "a /MediaBox of 10⁴⁰ × 10⁴⁰", "preflight", absurd_media_box, 1,
     "page 1 /MediaBox: is 1e+40 × 1e+40 units, outside the 3–14,400"),
    ("absurd-media-box-render", "a /MediaBox of 10⁴⁰ × 10⁴⁰ (pdfium draws US Letter)", "render",
     absurd_media_box, 1, "damaged PDF: page 1 /MediaBox: is 1e+40 × 1e+40 units"),
    ("short-media-box", "a /MediaBox of three numbers", "diff", media_box_short, 1,
     "page 1 /MediaBox: is [0, 0, 200], not four numbers"),
    ("trim-box-number", "a /TrimBox that is a number", "preflight", trim_box_number, 1,
     "page 1 /TrimBox: is a number, not four numbers"),
    ("intents", "/OutputIntents not an array", "preflight", output_intents_not_array, 1,
     "catalog /OutputIntents: is a number, not an array of output intents"),
    ("intent-entries", "/OutputIntents of a number, a string and a name", "preflight",
     output_intent_not_dict, 1, "output intent 1: is a number, not a dictionary"),
    ("profile-number", "an output intent whose profile is a number", "preflight", output_profile_number, 1,
     "output intent 1 /DestOutputProfile: is a number, not an ICC profile stream"),
    ("metadata-number", "/Metadata that is a number", "preflight", metadata_number, 1,
     "catalog /Metadata: is a number, not an XMP metadata stream"),
    ("root-missing", "a trailer /Root naming a missing object", "preflight", root_missing, 2,
     "the trailer's /Root is missing, not a document catalog", FIX),
    ("pages-missing", "a catalog /Pages naming a missing object", "render", pages_missing, 2,
     "the catalog's /Pages is missing, not a page tree"),
    ("kid-missing", "a page tree kid that is missing", "render", kid_missing, 2,
     "kid 2 of page tree node 2 is missing, not a page", FIX),
    ("self-kids", "a page tree node that is its own kid", "render", self_kids, 2,
     "the page tree meets object 2 twice (a loop"),
    ("kids-cycle", "two page tree nodes each the other's kid", "diff", kids_cycle, 2,
     "the page tree meets object 2 twice"),
    ("parent-loop", "a page whose /Parent links loop", "render", parent_loop, 1,
     "page 1 /Parent: links loop back to object 2"),
    ("huge-count", "a page tree /Count of 2,147,483,647", "render", huge_count, 1,
     "page tree /Count: says 2147483647; the tree holds 1"),
    ("kids-number", "a page tree /Kids that is a number", "preflight", kids_not_array, 2,
     "/Kids is a number, not an array of pages"),
    ("deep-tree", "a page tree 5,000 levels deep", "diff", deep_page_tree, 2,
     "the page tree is over 64 levels deep"),
    ("no-pages", "a PDF of no pages", "render", no_pages, 2, "the PDF has no pages"),
    ("deep-array", "arrays nested 100,000 deep", "preflight", deep_array, 2, "cannot read the PDF"),
    ("truncated", "a file cut off at 60 %", "render", truncated, 2, "cannot read the PDF"),
    ("xref-cut", "a file ending inside its xref table", "preflight", xref_cut, 2, "cannot read the PDF"),
    ("no-xref", "a file without an xref table", "render", no_xref, 1,
     "structure: repaired on reading: incorrect startxref pointer"),
    ("xref-prev-loop", "a trailer /Prev pointing at its own xref", "preflight", xref_prev_loop, 1,
     "repaired on reading: Circular xref chain detected"),
    ("length-missing", "a stream /Length naming a missing object", "diff", stream_length_ref_missing, 1,
     "repaired on reading: Object 66 0 not defined"),
    ("bad-filter", "a content stream with an unknown /Filter", "render", bad_filter, 1,
     "page 1 content: cannot be decoded (Unsupported filter /NoSuchDecode)"),
    ("corrupt-flate", "a Flate content stream of garbage", "preflight", corrupt_flate, 1,
     "page 1 content: cannot be decoded"),
    ("encrypted", "an encrypted PDF (user password)", "diff", encrypted, 2,
     "the PDF is encrypted with a password", "qpdf --decrypt"),
    ("contents-number", "page /Contents naming a number", "render", contents_number, 1,
     "page 1 /Contents: is a number, not a content stream: the page is not drawn"),
    ("resources-number", "page /Resources that is a number", "preflight", resources_number, 1,
     "page 1 /Resources: is a number, not a dictionary"),
    ("xobject-number", "an XObject that is a number", "render", xobject_number, 1,
     "page 1 XObject /X1: is a number, not a stream"),
    ("info-number", "trailer /Info and /ID that are numbers", "preflight", info_number, 1,
     "trailer /Info: is a number, not a dictionary"),
    ("rotate-45", "a page /Rotate of 45", "render", rotate_odd, 1, "page 1 /Rotate: is 45, not a multiple of 90"),
    ("image-negative", "a picture of width -5", "preflight", image_negative, 1,
     "page 1 XObject /Im1: is a picture of -5 × 2 pixels"),
    ("form-loop", "a form XObject that draws itself", "render", form_loop, 1,
     "page 1 XObject /X → /X: is a form that draws itself"),
    ("not-pdf", "a text file", "preflight", b"hello, world\n", 2, "no %PDF- header"),
    ("empty", "an empty file", "preflight", b"", 2, "PDF is empty (0 bytes)"),
]
WORK_CASES = [
    ("dense-render", "1.2 million rectangles in 30 KB", "render", lambda: dense_content(1_200_000), 2,
     f"page 1 {OPS} (forms counted each time they are drawn)", "simplify its artwork"),
    ("dense-preflight", "1.2 million rectangles in 30 KB", "preflight", lambda: dense_content(1_200_000), 2,
     f"page 1 {OPS}"),
    ("forms", "forms drawing forms, 10⁹ rectangles in 2.5 KB", "diff", nested_forms, 2, f"page 1 {OPS}"),
    ("pages-render", "20,000 pages", "render", many_pages, 2, "the PDF has over 200 pages", "split the PDF"),
    ("pages-diff", "20,000 pages", "diff", many_pages, 2, "the PDF has over 200 pages"),
    ("pages-preflight", "20,000 pages", "preflight", many_pages, 2, "the PDF has over 200 pages"),
    ("size-lie", "a trailer /Size of 50 million in 500 bytes", "diff", size_lie, 2,
     "the PDF lists 50,000,000 objects, over the limit of 100,000"),
    ("xref-index", "an xref stream /Index of 10 million entries", "preflight", xref_stream_index, 2,
     "the PDF lists 10,000,000 objects"),
    ("annotation", "an annotation whose appearance is forms drawing forms", "render", annotation_bomb, 2,
     f"page 1 {OPS}"),
    ("pattern", "a tiling pattern whose cell is forms drawing forms", "render", pattern_bomb, 2, f"page 1 {OPS}"),
    ("type3", "a Type3 glyph drawing forms drawing forms", "render", type3_bomb, 2, f"page 1 {OPS}"),
    ("inline-image", "an inline picture of 100,000 × 100,000 pixels", "render", inline_image_huge, 2,
     "page 1 has an inline picture of 100,000 × 100,000 = 10,000 million pixels"),
    ("image-huge", "a picture of 100,000 × 100,000 pixels in 800 bytes", "render", image_huge, 2,
     "page 1 XObject /Im1 is a picture of 100,000 × 100,000 = 10,000 million pixels, over the limit of 200 "
     "million"),
]


def cli_cases() -> list[dict]:
    """The hostile PDFs as command lines for tests/bad_inputs.py HOSTILE (run by
    tests/test_safety.py::test_hostile_command_line, listed in docs/bad-inputs.md): the bad file is
    {p}/bad.pdf; {p}/out/p.pdf is a good build."""
    return ([_cli(*case, cls="PDF damage") for case in DAMAGE_CASES]
            + [_cli(*case, cls="PDF work") for case in WORK_CASES])


def _cli(ident, what, command, make, code, *expect, cls):
    args = {"preflight": ("preflight", "{p}/bad.pdf"),
            "render": ("render", "{p}/bad.pdf", "-o", "{p}/out/bad.png"),
            "diff": ("diff", "{p}/out/p.pdf", "{p}/bad.pdf", "--no-image")}[command]
    writes = ("out/bad.png",) if command == "render" and code == 1 else ()
    return dict(id=f"pdf-{ident}", what=f"{command}: {what}", args=args, code=code, expect=expect, cls=cls,
                files={"bad.pdf": make() if callable(make) else make}, writes=writes)
