"""A page's signature: a hash of what the PDF says to draw on it, without drawing it.

Two pages with the same content stream and the same resources (fonts, images, colour spaces —
hashed by content, not by object number) render the same, so `diff` pairs such pages at once and
never reads or rasterises them. The walk reads each object's bytes straight from the file (found
through pypdf's cross-reference table) and follows its references (`12 0 R`) by regular
expression, so a font's width table costs one hash, not a parse. Anything it does not expect (an
object inside an object stream, a damaged file) gives no signature, and the page is compared in
full — always right, only slower.
"""
from __future__ import annotations

import hashlib
import io
import re
from typing import Any, cast

REF = re.compile(rb"(\d+)\s+(\d+)\s+R(?![A-Za-z])")
# keys that point back up the tree or carry no drawing: a page's /Parent would pull in every page
SKIP = re.compile(rb"/(Parent|StructParents|PieceInfo|Metadata|P)\s+(\d+\s+\d+\s+R|\d+)(?![A-Za-z])")
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

    def digest(self, num: int, gen: int) -> bytes:
        if num in self.memo:
            return self.memo[num]
        if num in self.path:
            return b"cycle"
        self.path.add(num)
        head, stream = self.body(num, gen)
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


def page_signature(doc, index: int) -> str | None:
    """The page's signature (hex), or None when it cannot be made (see the module's doc)."""
    try:
        if doc._pypdf is None:
            doc._pypdf = _Walker(doc.data)
        walker = doc._pypdf
        ref = walker.reader.pages[index].indirect_reference
        return walker.digest(ref.idnum, ref.generation).hex()
    except Exception:  # any reader trouble: no shortcut
        return None


CMYK_OP = re.compile(rb"(-?[\d.]+)[ \t\r\n]+(-?[\d.]+)[ \t\r\n]+(-?[\d.]+)[ \t\r\n]+(-?[\d.]+)[ \t\r\n]+[kK][ \t\r\n]")


def cmyk_used(doc, index: int) -> set[tuple[float, ...]]:
    """The DeviceCMYK colours (k / K operators) the page's content stream sets; empty if unreadable.
    pdfium reports colours as RGB: this names the CMYK values a colour change came from."""
    try:
        if doc._pypdf is None:
            doc._pypdf = _Walker(doc.data)
        contents = doc._pypdf.reader.pages[index].get_contents()
        data = contents.get_data() if contents is not None else b""
        return {tuple(round(float(v), 4) + 0.0 for v in g) for g in set(CMYK_OP.findall(data + b"\n"))}
    except Exception:
        return set()
