"""A page's signature: a hash of what the PDF says to draw on it, without drawing it.

Two pages with the same content stream and the same resources (fonts, images, colour spaces —
hashed by content, not by object number) render the same, so `diff` pairs such pages at once and
never reads or rasterises them.

A composite font (Type0, as pagesetter embeds every face) counts by what the page draws with it,
not by its subset's bytes: its name without the subset tag, and for every code the page shows in
it, the character (the file's own ToUnicode) and the advance (the file's own /W). An edition
embeds each face once for all its pages, so one new character on page 2 grows the subset every
page refers to; the other pages' signatures stay the same, and they are not read again. The walk reads each object's bytes straight from the file (found
through pypdf's cross-reference table) and follows its references (`12 0 R`) by regular
expression, so a font's width table costs one hash, not a parse. Anything it does not expect (an
object inside an object stream, a damaged file) gives no signature, and the page is compared in
full — always right, only slower.
"""
from __future__ import annotations

import hashlib
import io
import re

REF = re.compile(rb"(\d+)\s+(\d+)\s+R(?![A-Za-z])")
# keys that point back up the tree or carry no drawing: a page's /Parent would pull in every page
SKIP = re.compile(rb"/(Parent|StructParents|PieceInfo|Metadata|P)\s+(\d+\s+\d+\s+R|\d+)(?![A-Za-z])")
TYPE0 = re.compile(rb"/Subtype\s*/Type0(?![A-Za-z0-9])")
BASEFONT = re.compile(rb"/BaseFont\s*/([^\s/\[\]<>()]+)")
ENCODING = re.compile(rb"/Encoding\s*/Identity-[HV](?![A-Za-z0-9])")
# the codes a content stream shows, per font: `/F1 9 Tf`, then hex strings (pagesetter writes only those)
SHOWN = re.compile(rb"/([^\s/\[\]<>(){}%]+)\s+[-+\d.]+\s+Tf|<([0-9A-Fa-f\s]*)>")
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
        self.memo: dict[int, bytes] = {}
        self.path: set[int] = set()
        self.fonts: dict[int, tuple] = {}

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
            n = int(self.reader.get_object(n))
        return head, self.view[stream.end():stream.end() + n]

    def digest(self, num: int, gen: int) -> bytes:
        if num in self.memo:
            return self.memo[num]
        if num in self.path:
            return b"cycle"
        self.path.add(num)
        head, stream = self.body(num, gen)
        if not len(stream) and TYPE0.search(head) and ENCODING.search(head):
            self.path.discard(num)
            self.memo[num] = out = self.font_identity(head)
            return out
        head = SKIP.sub(b"", head)
        h = hashlib.sha256()
        last = 0
        for m in REF.finditer(head):
            h.update(head[last:m.start()])
            h.update(self.digest(int(m.group(1)), int(m.group(2))))
            last = m.end()
        h.update(head[last:])
        h.update(b"stream" + hashlib.sha256(stream).digest())
        self.path.discard(num)
        self.memo[num] = out = h.digest()
        return out

    @staticmethod
    def font_identity(head: bytes) -> bytes:
        """A composite font as the page sees it: its name without the subset tag or pagesetter's
        suffix (what it draws is added per page: `drawn`)."""
        from .readback import font_name

        name = BASEFONT.search(head)
        base = font_name(name.group(1).decode("latin-1")) if name else ""
        return hashlib.sha256(b"Type0 Identity " + base.encode("utf-8")).digest()

    def glyphs(self, font) -> tuple[dict[int, str], dict[int, float], float]:
        """(code → text from its ToUnicode, code → advance from its /W, the default advance) of a
        Type0 font (a pypdf dictionary), read once per font object."""
        key = font.indirect_reference.idnum if font.indirect_reference else id(font)
        if key not in self.fonts:
            self.fonts[key] = (_to_unicode(font), *_widths(font))
        return self.fonts[key]

    def drawn(self, page) -> bytes:
        """What the page shows in each composite font: every code with its text and advance."""
        res = page.get("/Resources")
        fonts = (res.get_object().get("/Font") if res is not None else None) or {}
        fonts = fonts.get_object() if hasattr(fonts, "get_object") else fonts
        used: dict[str, set[int]] = {}
        current: set[int] | None = None
        data = page.get_contents().get_data() if page.get("/Contents") is not None else b""
        for m in SHOWN.finditer(data):
            if m.group(1) is not None:
                current = used.setdefault(m.group(1).decode("latin-1"), set())
            elif m.group(2) is not None and current is not None:  # (the raw codes are in the stream's hash)
                raw = bytes.fromhex(m.group(2).decode("ascii"))
                current.update(int.from_bytes(raw[i:i + 2], "big") for i in range(0, len(raw) - 1, 2))
        h = hashlib.sha256()
        for name in sorted(used):
            font = fonts.get("/" + name)
            font = font.get_object() if font is not None else None
            if font is None or font.get("/Subtype") != "/Type0":
                continue  # a simple font is hashed whole by the walk
            text, widths, default = self.glyphs(font)
            h.update(name.encode("utf-8") + b"\0")
            for code in sorted(used[name]):
                h.update(f"{code}:{text.get(code, '')}:{widths.get(code, default):g};".encode("utf-8"))
        return h.digest()


def _to_unicode(font) -> dict[int, str]:
    stream = font.get("/ToUnicode")
    if stream is None:
        return {}
    data = stream.get_object().get_data()
    out: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for code, text in BFCHAR.findall(block):
            out[int(code, 16)] = _utf16(text)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
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
        first, nxt = int(items[i]), items[i + 1].get_object() if i + 1 < len(items) else None
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


def reader_of(doc) -> "_Walker":
    """The walker (and its pypdf reader) of a `readback.PdfText`, made on first use."""
    if doc._pypdf is None:
        doc._pypdf = _Walker(doc.data)
    return doc._pypdf


def page_signature(doc, index: int) -> str | None:
    """The page's signature (hex), or None when it cannot be made (see the module's doc)."""
    try:
        walker = reader_of(doc)
        page = walker.reader.pages[index]
        ref = page.indirect_reference
        return (walker.digest(ref.idnum, ref.generation) + walker.drawn(page)).hex()
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
