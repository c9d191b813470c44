"""Reading a PDF the user names (`preflight`, `render`, `diff`) within bounds: the one place for
the limits on PDFs read back, which check/pdfsurvey.py holds each PDF to before pdfium or the
preflight checks touch it (版面文件体检).

    data = read_pdf_file(Path("x.pdf"))       # a regular file or a pipe, at most MAX_PDF_BYTES
    reader = open_reader(data, "x.pdf")       # pypdf's reader; exit 2 if no PDF or a password

Any PDF may be hostile. A regular file over the byte limit is refused by its size before a byte
is read; a pipe is counted while reading. The other limits — pages (as many as an edition
pagesetter builds), content operators per page and per document, decompressed content per
page, picture pixels (the build's picture limit), page tree and form depth — are applied by the
survey; docs/spec.md "Limits and safety" lists them all.
"""
from __future__ import annotations

import io
import os
import stat
import zlib
from pathlib import Path

from ..errors import PagesetterError, Problem
from ..pagespec.edition import MAX_PAGES
from ..pagespec.keys import MAX_IMAGE_PIXELS as MAX_IMAGE_PIXELS  # (a picture's limit, read by pdfsurvey)
from ..records import record

MAX_PDF_BYTES = 256_000_000  # a PDF given to preflight, render or diff; read whole, so bounded
MAX_PDF_PAGES = MAX_PAGES  # as many as an edition pagesetter builds
MAX_PAGE_OPERATORS = 1_000_000  # per page, forms counted each time drawn; the sample page has 6,482
MAX_PDF_OPERATORS = 10_000_000  # per document (pdfium parses about a million a second)
MAX_CONTENT_BYTES = 32_000_000  # a page's content streams once decompressed; the sample page's are 104 KB
MAX_PDF_OBJECTS = 100_000  # objects (xref entries); the sample page has 142, a 200-page edition some 30,000
MAX_TREE_DEPTH = 64  # page tree levels (a real one has 2–4)
MAX_FORM_DEPTH = 16  # forms drawing forms, this deep
PAGE_SIDES = (3.0, 14_400.0)  # units: the page sizes ISO 32000-1 (Annex C) allows
CHUNK = 1 << 20
REPAIR = ("the file is damaged: export it again from the program that made it, or repair it "
          "(e.g. qpdf in.pdf repaired.pdf)")
SMALLER = "split the PDF, or give one page of it (e.g. qpdf in.pdf --pages . 1-10 -- part.pdf)"



@record
class Damage:
    """One thing wrong in the file's structure that a reader has to guess around."""

    where: str  # "page 1 font /F1", "catalog /OutputIntents"
    what: str  # "is a number, not a font dictionary"
    page: int | None = None  # 1-based; None for the document (catalog, trailer)

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


@record
class Survey:
    pages: int
    operators: int  # content operators of all pages, forms counted as drawn
    damage: tuple[Damage, ...] = ()

    def warnings(self, label) -> list[Problem]:
        return [Problem(f"damaged PDF: {d}", label, fix=REPAIR) for d in self.damage]


def refuse(label, message: str, fix: str = REPAIR) -> PagesetterError:
    return PagesetterError.at(message, label, fix=fix)


def read_pdf_file(path: Path) -> bytes:
    """A PDF the user named, read whole: a regular file or a pipe (`<(git show HEAD:x.pdf)`), never a
    device; at most MAX_PDF_BYTES (a larger regular file is refused by its size, before a byte is read)."""
    from ..files import read_capped

    path = Path(path)
    try:
        st = os.stat(path)
    except OSError:
        st = None  # read_capped names the problem
    if st is not None and stat.S_ISREG(st.st_mode) and st.st_size > MAX_PDF_BYTES:
        raise PagesetterError.at(f"PDF is {st.st_size:,} bytes, over the {MAX_PDF_BYTES:,}-byte limit", path,
                                 fix=SMALLER)
    data = read_capped(path, "PDF", MAX_PDF_BYTES, SMALLER, "give the path of a PDF file", pipe=True)
    if not data:
        if st is not None and stat.S_ISFIFO(st.st_mode):
            raise PagesetterError.at("PDF is a named pipe (FIFO) and nothing was written to it", path,
                                     fix="give the path of a PDF file (or write the PDF into the pipe)")
        raise PagesetterError.at("PDF is empty (0 bytes)", path, fix="give the path of a complete PDF file")
    return data


def open_reader(data: bytes, label):
    """pypdf's reader over the bytes; exit 2 if they are no PDF or need a password."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    if b"%PDF-" not in data[:1024]:
        raise refuse(label, "cannot read the PDF: it is not one (no %PDF- header at its start)", "give a PDF file")
    objects = count_objects(data)
    if objects > MAX_PDF_OBJECTS:
        raise refuse(label, f"the PDF lists {objects:,} objects, over the limit of {MAX_PDF_OBJECTS:,}", SMALLER)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise refuse(label, "the PDF is encrypted with a password",
                         "give an unencrypted copy (e.g. qpdf --decrypt --password=… in.pdf out.pdf)")
        reader.trailer  # noqa: B018 (read now: a broken trailer is reported here)
    except PagesetterError:
        raise
    except (PyPdfError, OSError, ValueError, TypeError, KeyError, AttributeError, IndexError,
            RecursionError, zlib.error) as exc:
        raise refuse(label, f"cannot read the PDF: {reason(exc)}", "give a complete PDF file") from None
    return reader


def count_objects(data: bytes) -> int:
    """How many objects pypdf would look at (it checks every xref entry, a few microseconds each): the
    largest /Size an xref stream or trailer declares and, for a file big enough to hold more, its
    xref table entries and `obj` headers — counted before any is parsed."""
    import re

    sizes = [int(m.group(1)) for m in re.finditer(rb"/Size\s+(\d{1,12})", data)]
    sizes += [sum(int(n) for n in m.group(1).split()[1::2])  # an xref stream's /Index [first count …]
              for m in re.finditer(rb"/Index\s*\[([\d\s]{0,4000})\]", data)]
    counted = 0
    if len(data) > 20 * MAX_PDF_OBJECTS:  # (fewer bytes cannot hold more entries or headers)
        entries = sum(data.count(eol) for eol in (b" n \n", b" n\r\n", b" n \r"))
        counted = max(entries, data.count(b" obj"))
    return max([counted, *sizes])


def reason(exc: BaseException) -> str:
    """An exception's message for the user (its class name when it has none)."""
    text = str(exc).strip()
    return text or type(exc).__name__
