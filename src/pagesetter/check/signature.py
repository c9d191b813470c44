"""A page's signature: a hash of what the PDF says to draw on it, without drawing it.

Two pages with the same content stream and the same resources (fonts, images, colour spaces —
hashed by content, not by object number) render the same, so `diff` pairs such pages at once and
never reads or rasterises them.

Pages are signed as written first (cheap: every object's bytes, no content read). Pages left
unpaired by that are signed as drawn: a composite font (Type0, as pagesetter embeds every face)
counts by what the page draws with it, not by its subset's bytes — its name without the subset
tag, and every code the page shows in it mapped to its character (the file's own ToUnicode) and
advance (the file's own /W). An edition embeds each face once for all its pages, so one new
character on page 2 grows the subset every page refers to (and renumbers a TrueType subset's
glyphs, so every page's codes change); signed as drawn, the other pages are still the same, and
they are not read again. The walk reads each object's bytes straight from the file (found
through pypdf's cross-reference table) and follows its references (`12 0 R`) by regular
expression, so a font's width table costs one hash, not a parse. Anything it does not expect (an
object inside an object stream, a damaged file) gives no signature, and the page is compared in
full — always right, only slower.
"""
from __future__ import annotations

import hashlib
import io
import re
import sys
from array import array
from operator import itemgetter
from typing import Any, cast

REF = re.compile(rb"(\d+)\s+(\d+)\s+R(?![A-Za-z])")
# keys that point back up the tree or carry no drawing: a page's /Parent would pull in every page
SKIP = re.compile(rb"/(Parent|StructParents|PieceInfo|Metadata|P)\s+(\d+\s+\d+\s+R|\d+)(?![A-Za-z])")
# … and, for the signature as drawn, a page's /Contents (hashed as drawn: `drawn`)
DRAWN_SKIP = re.compile(rb"/(Parent|StructParents|PieceInfo|Metadata|P|Contents)\s+(\d+\s+\d+\s+R|\d+)(?![A-Za-z])")
TYPE0 = re.compile(rb"/Subtype\s*/Type0(?![A-Za-z0-9])")
BASEFONT = re.compile(rb"/BaseFont\s*/([^\s/\[\]<>()]+)")
ENCODING = re.compile(rb"/Encoding\s*/Identity-[HV](?![A-Za-z0-9])")
# the codes a content stream shows, per font: `/F1 9 Tf`, then hex strings (pagesetter writes only those)
TF_CUT = re.compile(rb"Tf(?![A-Za-z0-9#*'\"])")
UNMAPPED = 1 << 63  # a code its font does not map: kept as written
HEX = re.compile(rb"<([0-9A-Fa-f]*)>")  # (one with white space in it stays in the stream, as written)
BFCHAR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
BFRANGE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]+>|\[[^\]]*\])")
LENGTH = re.compile(rb"/Length\s+(\d+)(?:\s+(\d+)\s+R)?")
STREAM = re.compile(rb"stream\r?\n")


class _NoSignature(Exception):
    pass


class _Walker:
    def __init__(self, data: bytes):
        from pypdf import PdfReader

        self.data = data
        self.view = memoryview(data)  # stream data is hashed from here, never copied
        # a BufferedReader has no getbuffer(): pypdf would call it on a BytesIO, which copies the file
        self.reader = PdfReader(io.BufferedReader(io.BytesIO(data)))
        self.memos: dict[bool, dict[int, bytes]] = {False: {}, True: {}}
        self.path: set[int] = set()
        self.fonts: dict[object, _Canon] = {}

    def offset(self, num: int, gen: int) -> int:
        offset = self.reader.xref.get(gen, {}).get(num)
        if offset is None:  # in an object stream, or missing
            raise _NoSignature
        return offset

    def body(self, num: int, gen: int) -> tuple[bytes, memoryview | bytes]:
        """The object's dictionary (or value) text and its stream data (b"" if none)."""
        data = self.data
        start = data.index(b"obj", self.offset(num, gen)) + 3
        end = data.find(b"endobj", start)
        stream = STREAM.search(data, start, end if end >= 0 else len(data))
        if stream is None:
            if end < 0:
                raise _NoSignature
            return data[start:end], b""
        head = data[start:stream.start()]
        length = LENGTH.search(head)
        if length is None:
            raise _NoSignature
        n = int(length.group(1))
        if length.group(2) is not None:  # /Length 12 0 R
            n = int(cast(Any, self.reader.get_object(n)))  # (a number object, or int() refuses it)
        return head, self.view[stream.end():stream.end() + n]

    def digest(self, num: int, gen: int, drawn: bool = False) -> bytes:
        """The object's hash with everything it refers to, as written; `drawn`: composite fonts
        by name only and a page's /Contents left out (`drawn` hashes what they draw)."""
        memo = self.memos[drawn]
        if num in memo:
            return memo[num]
        if num in self.path:
            return b"cycle"
        self.path.add(num)
        head, stream = self.body(num, gen)
        if drawn and not len(stream) and TYPE0.search(head) and ENCODING.search(head):
            self.path.discard(num)
            memo[num] = out = self.font_identity(head)
            return out
        head = (DRAWN_SKIP if drawn else SKIP).sub(b"", head)
        h = hashlib.sha256()
        last = 0
        for m in REF.finditer(head):
            h.update(head[last:m.start()])
            h.update(self.digest(int(m.group(1)), int(m.group(2)), drawn))
            last = m.end()
        h.update(head[last:])
        h.update(b"stream" + hashlib.sha256(stream).digest())
        self.path.discard(num)
        memo[num] = out = h.digest()
        return out

    @staticmethod
    def font_identity(head: bytes) -> bytes:
        """A composite font as the page sees it: its name without the subset tag or pagesetter's
        suffix (what it draws is added per page: `drawn`)."""
        from .fontname import font_name

        name = BASEFONT.search(head)
        base = font_name(name.group(1).decode("latin-1")) if name else ""
        return hashlib.sha256(b"Type0 Identity " + base.encode("utf-8")).digest()

    def canon(self, font) -> _Canon:
        """code → a 64-bit number for (its text from the font's ToUnicode, its advance from its
        /W) of a Type0 font (a pypdf dictionary): the same glyph has the same number in any file,
        whatever code its subset gave it. Read once per font object."""
        ref = font.indirect_reference
        key = (ref.idnum, ref.generation) if ref is not None else id(font)
        if key not in self.fonts:
            text, (widths, default) = _to_unicode(font), _widths(font)
            self.fonts[key] = _Canon((code, _number(f"{text.get(code, '')}:{widths.get(code, default):g}"))
                                     for code in set(text) | set(widths))
        return self.fonts[key]

    def drawn(self, page) -> bytes:
        """The page's content as drawn: the stream with its hex strings taken out, then per
        font the codes it shows, each as its glyph's number (`canon`) in a composite font and as
        written in any other."""
        res = page.get("/Resources")
        fonts = (res.get_object().get("/Font") if res is not None else None) or {}
        fonts = fonts.get_object() if hasattr(fonts, "get_object") else fonts
        data = page.get_contents().get_data() if page.get("/Contents") is not None else b""
        h = hashlib.sha256(HEX.sub(b"<>", data))
        for name, strings in sorted(_strings_by_font(data).items()):
            font = fonts.get("/" + name) if name else None
            font = font.get_object() if font is not None else None
            h.update(name.encode("utf-8") + b"\0" + array("L", map(len, strings)).tobytes())
            if font is None or font.get("/Subtype") != "/Type0":
                h.update(b"".join(strings))  # as written
                continue
            codes = array("H", _even(bytes.fromhex(b"".join(strings).decode("ascii"))))
            if sys.byteorder == "little":  # the codes are big-endian
                codes.byteswap()
            if codes:
                numbers = itemgetter(*codes)(self.canon(font))
                h.update(array("Q", numbers if len(codes) > 1 else (numbers,)).tobytes())
        return h.digest()


def _strings_by_font(data: bytes) -> dict[str, list[bytes]]:
    """Font resource name → the hex strings shown in it, in order ("" before any `Tf`). The
    stream is cut at each `Tf` (one C-level split); a piece's strings belong to the font set
    before it, and the font it sets is the name at its end."""
    out: dict[str, list[bytes]] = {}
    current = out.setdefault("", [])
    for piece in TF_CUT.split(data):
        current.extend(HEX.findall(piece))
        slash = piece.rfind(b"/")
        words = piece[slash + 1:].split() if slash >= 0 else []
        if len(words) == 2:  # `/F1 9` before the Tf
            current = out.setdefault(words[0].decode("latin-1"), [])
    return out


class _Canon(dict):
    """A font's code → number table; a code the font does not map keeps its own, with the top
    bit set (so `itemgetter` reads any code)."""

    def __missing__(self, code: int) -> int:
        return code | UNMAPPED


def _number(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big") & ~UNMAPPED


def _even(data: bytes) -> bytes:
    return data[:len(data) & ~1]


def _to_unicode(font) -> dict[int, str]:
    stream = font.get("/ToUnicode")
    if stream is None:
        return {}
    data = stream.get_object().get_data()
    out: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.DOTALL):
        for code, text in BFCHAR.findall(block):
            out[int(code, 16)] = _utf16(text)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.DOTALL):
        for lo, hi, dst in BFRANGE.findall(block):
            first, last = int(lo, 16), int(hi, 16)
            if last - first > 0xFFFF:
                raise _NoSignature
            if dst.startswith(b"["):
                for k, text in enumerate(re.findall(rb"<([0-9A-Fa-f]+)>", dst)):
                    out[first + k] = _utf16(text)
                continue
            start = _utf16(dst[1:-1])
            for k in range(last - first + 1):
                out[first + k] = start[:-1] + chr(ord(start[-1]) + k) if start else ""
    return out


def _utf16(hextext: bytes) -> str:
    return bytes.fromhex(hextext.decode("ascii")).decode("utf-16-be", "replace")


def _widths(font) -> tuple[dict[int, float], float]:
    cid = font["/DescendantFonts"][0].get_object()
    default = float(cid.get("/DW", 1000))
    out: dict[int, float] = {}
    w = cid.get("/W")
    items = list(w.get_object()) if w is not None else []
    i = 0
    while i < len(items):
        if i + 1 >= len(items):
            raise _NoSignature  # a damaged /W
        first, nxt = int(items[i]), items[i + 1].get_object()
        if isinstance(nxt, list):
            out.update((first + k, float(v)) for k, v in enumerate(nxt))
            i += 2
        else:
            last, value = int(nxt), float(items[i + 2])
            if last - first > 0xFFFF:
                raise _NoSignature
            out.update((c, value) for c in range(first, last + 1))
            i += 3
    return out, default


def reader_of(doc) -> _Walker:
    """The walker (and its pypdf reader) of a `readback.PdfText`, made on first use."""
    if doc._pypdf is None:
        doc._pypdf = _Walker(doc.data)
    return doc._pypdf


def page_signature(doc, index: int, drawn: bool = False) -> str | None:
    """The page's signature (hex), or None when it cannot be made (see the module's doc): as
    written (content stream and every resource by its bytes: cheap), or `drawn` (composite fonts
    by what the page shows in them: the content stream read)."""
    try:
        walker = reader_of(doc)
        page = walker.reader.pages[index]
        ref = page.indirect_reference
        if ref is None:
            return None
        if not drawn:
            return walker.digest(ref.idnum, ref.generation).hex()
        return "d" + (walker.digest(ref.idnum, ref.generation, True) + walker.drawn(page)).hex()
    except Exception:  # any reader trouble: no shortcut
        return None


CMYK_OP = re.compile(rb"(-?[\d.]+)[ \t\r\n]+(-?[\d.]+)[ \t\r\n]+(-?[\d.]+)[ \t\r\n]+(-?[\d.]+)[ \t\r\n]+[kK][ \t\r\n]")


def cmyk_used(doc, index: int) -> set[tuple[float, ...]]:
    """The DeviceCMYK colours (k / K operators) the page's content stream sets; empty if unreadable.
    pdfium reports colours as RGB: this names the CMYK values a colour change came from."""
    try:
        contents = reader_of(doc).reader.pages[index].get_contents()
        data = contents.get_data() if contents is not None else b""
        return {tuple(round(float(v), 4) + 0.0 for v in g) for g in set(CMYK_OP.findall(data + b"\n"))}
    except Exception:
        return set()
