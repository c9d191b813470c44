"""PDF name tokens (名称对象) as ISO 32000-1 §7.3.5 writes them: the name's UTF-8 bytes, each byte
outside the regular characters ! … ~ and each delimiter ( ) < > [ ] { } / % and # written as #xx
(two hex digits). So a spot ink named `A/B` is `/A#2FB`, `墨色` is `/#E5#A2#A8#E8#89#B2`, and any
reader turns them back into the same text.

ReportLab's `pdfdoc.PDFName` leaves `/` as it is (`/Separation /A/B`: a syntax error) and writes a
character outside ASCII as `#` and its code point (`墨` → `#58a8`: garbage bytes). pagesetter's
document objects go through `pdfdoc.PDFName` (a spot colour's Separation array and its resource
name), so it is replaced once, here, by `pdf_name`: the same output for every name ReportLab
wrote correctly (plain ASCII), the right one for the rest.
"""
from __future__ import annotations

from reportlab.pdfbase import pdfdoc

_DELIMITERS = frozenset(b"()<>[]{}/%#")
# byte → its form in a name token
_FORM = tuple(chr(b) if 0x21 <= b <= 0x7E and b not in _DELIMITERS else f"#{b:02X}" for b in range(256))


def pdf_name(text: str) -> str:
    """`text` as a PDF name token, with its leading slash."""
    return "/" + "".join(_FORM[b] for b in text.encode("utf-8"))


def name_text(token: bytes) -> str:
    """The text of a name token as written in a file (without its slash): #xx undone, UTF-8
    decoded (ValueError if a #xx is malformed, UnicodeDecodeError if not UTF-8)."""
    out = bytearray()
    i = 0
    while i < len(token):
        if token[i] == 0x23:  # '#'
            pair = token[i + 1:i + 3]
            if len(pair) != 2 or not all(c in b"0123456789abcdefABCDEF" for c in pair):
                raise ValueError(f"malformed #xx escape at byte {i}")
            out.append(int(pair, 16))
            i += 3
        else:
            out.append(token[i])
            i += 1
    return out.decode("utf-8")


if getattr(pdfdoc.PDFName, "__module__", "") != __name__:
    pdfdoc.PDFName = pdf_name
