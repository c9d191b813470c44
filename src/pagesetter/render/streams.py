"""Stream syntax as PDF/A wants it (流对象语法): every stream's data followed by an end-of-line
before `endstream`, its /Length the exact count of the data bytes (ISO 32000-1 §7.3.8.1,
ISO 19005-2 §6.1.7.1).

ReportLab's stream writer (`pdfdoc.PDFStream.format`) writes `…data endstream` with no EOL in
between, for every stream it formats: page content, fonts, ToUnicode maps, the ICC profile,
pictures. This fixes it where the bytes are written: `PDFStream.format` is wrapped once so that,
for a document marked by `mark(doc)`, the data is followed by `\\n`. A document not marked (a
program using ReportLab for its own files) is formatted exactly as ReportLab would.
"""
from __future__ import annotations

import functools

from reportlab.pdfbase import pdfdoc

_MARK = "_pagesetter_stream_eol"
_TAIL = b"endstream\n"


def _eol_format(original):
    @functools.wraps(original)  # (and its __wrapped__ marks the method as already wrapped)
    def format(self, document):  # noqa: A001 (ReportLab's method name)
        data = original(self, document)
        if getattr(document, _MARK, False) and data.endswith(_TAIL):
            return data[: -len(_TAIL)] + b"\n" + _TAIL
        return data

    return format


def mark(doc) -> None:
    """Have every stream of `doc` written with an EOL before `endstream` (see the module)."""
    setattr(doc, _MARK, True)


if not hasattr(pdfdoc.PDFStream.format, "__wrapped__"):
    pdfdoc.PDFStream.format = _eol_format(pdfdoc.PDFStream.format)
