"""Read a rendered PDF back: its pages' boxes, glyphs, text lines and drawn shapes, for any PDF.

    pages = read_pdf("out/page.pdf")          # or PDF bytes
    for line in pages[0].lines:
        print(line.text, line.x, line.y)

    doc = PdfText(data)                       # page by page, for diffs of long documents
    doc.text(0), doc.signature(0), doc.page(0)

Glyphs come from pdfium's text page (pypdfium2), in the PDF's content order; shapes (paths,
images) from its page objects. Positions are points from the MediaBox's top-left corner (y
downward), like `layout.model`: `x` is the glyph's origin, `y` its baseline, `bbox` the (x0, top,
x1, bottom) box from the font's ascent and descent. Colours are the device RGB (0–255) pdfium
renders them in (a CMYK colour converts to one RGB triple, so a CMYK change shows). Font names
have their subset tag (`ABCDEF+`) stripped, and pagesetter's own per-subset suffix (`-1a2b3c`),
so the same face compares equal across subsets and builds.

`group_lines` is the one line-grouping routine: glyphs sharing a baseline, split into column
lines at gaps wider than about one em (or narrower ones where the content order jumps), in the
content order of each line's first glyph (for pagesetter's PDFs that is reading order).
"""
from __future__ import annotations

import ctypes
import hashlib
import re
from dataclasses import field
from pathlib import Path
from operator import itemgetter
from typing import Any, NamedTuple

from ..records import record
from ..errors import PagesetterError
from .fontname import font_name
from .pdfread import MAX_PDF_PAGES, SMALLER

BOX_NAMES = ("MediaBox", "CropBox", "TrimBox", "BleedBox", "ArtBox")
GAP_EM = 1.0  # a gap wider than this (in em) starts a new column line
JOIN_EM = 0.2  # ... and so does a narrower one, down to this, where the content order jumps
PLACES = 3  # page boxes are rounded to 0.001 pt (pdfium gives 32-bit floats)
_OBJ_PATH, _OBJ_IMAGE, _OBJ_SHADING, _OBJ_FORM = 2, 3, 4, 5


class Glyph(NamedTuple):
    """One glyph read back (an immutable record; a NamedTuple because a page has thousands and a
    frozen dataclass costs twice as much to make)."""

    ch: str
    font: str  # PostScript name, subset tag stripped
    size: float
    x: float  # origin, pt from the page's left edge
    y: float  # baseline, pt from the page's top edge
    bbox: tuple[float, float, float, float]  # x0, top, x1, bottom
    index: int  # type: ignore[assignment]  # position in the page's content order (tuple.index hidden)
    upright: bool = True
    color: tuple[int, int, int] = (0, 0, 0)  # fill, device RGB 0–255


@record
class Shape:
    """A path (rule, box, …) or picture drawn on the page, with its colours (RGB 0–255 or None)."""

    kind: str  # "path", "image", "shading", "form"
    bbox: tuple[float, float, float, float]  # x0, top, x1, bottom
    fill: tuple[int, int, int] | None = None
    stroke: tuple[int, int, int] | None = None
    width: float = 0.0  # stroke width, pt
    data: str = ""  # an image's content hash (its raw stream), so a changed picture shows


@record
class Line:
    """Glyphs on one baseline within one column, left to right (top to bottom if not upright)."""

    glyphs: tuple[Glyph, ...]

    @property
    def text(self) -> str:
        return "".join(g.ch for g in self.glyphs)

    @property
    def x(self) -> float:
        return self.glyphs[0].x

    @property
    def y(self) -> float:
        return self.glyphs[0].y

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return union(g.bbox for g in self.glyphs)


@record
class PageText:
    number: int  # 1-based
    width: float  # pt, as displayed (after /Rotate)
    height: float
    boxes: dict = field(hash=False)  # box name → (x0, y0, x1, y1) as in the file (PDF units)
    rotate: int
    glyphs: tuple[Glyph, ...]
    lines: tuple[Line, ...]
    origin: tuple[float, float] = (0.0, 0.0)  # the CropBox's top-left, in glyph coordinates
    shapes: tuple[Shape, ...] = ()

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def trim_origin(self) -> tuple[float, float]:
        """The TrimBox's top-left (else the CropBox's, else the MediaBox's), in glyph coordinates:
        where a printer measures from."""
        media = self.boxes.get("MediaBox", (0.0, 0.0, self.width, self.height))
        trim = self.boxes.get("TrimBox", self.boxes.get("CropBox", media))
        return (round(trim[0] - media[0], PLACES), round(media[3] - trim[3], PLACES))


def union(boxes) -> tuple[float, float, float, float]:
    boxes = list(boxes)
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


def group_lines(glyphs, gap_em: float = GAP_EM) -> tuple[Line, ...]:
    """Glyphs → column lines: same baseline (within 5 % of the size), split at gaps wider than
    `gap_em` em, ordered by the content index of each line's first glyph.

    A gutter of exactly one em (pagesetter's 1字 gutter), or less where line-end punctuation gave
    up its blank half, is not wider than an em: such a gap still splits when the glyphs on either
    side are not consecutive in the content stream (columns are drawn one after the other), as
    long as it is wider than `JOIN_EM` em."""
    lines: list[tuple[int, Line]] = []
    for cluster in _baselines(glyphs):
        cluster.sort(key=_ALONG)
        run = [cluster[0][2]]
        for (_a, _i, prev, prev_end), (along, index, g, _e) in zip(cluster, cluster[1:]):
            gap, em = along - prev_end, max(prev.size, g.size, 0.1)
            if gap > gap_em * em or (gap > JOIN_EM * em and index != prev.index + 1):
                lines.append((min(x.index for x in run), Line(tuple(run))))
                run = []
            run.append(g)
        lines.append((min(x.index for x in run), Line(tuple(run))))
    lines.sort(key=_FIRST)
    return tuple(line for _, line in lines)


_ALONG = itemgetter(0, 1)
_FIRST = itemgetter(0)


def _baselines(glyphs) -> list[list[tuple]]:
    """Glyphs gathered by baseline (upright ones first), each as (along, index, glyph, end)."""
    keyed = sorted(((not g.upright, _base(g), g.index, g) for g in glyphs), key=itemgetter(0, 1, 2))
    clusters: list[list[tuple]] = []
    last = None
    for flag, base, index, g in keyed:
        entry = (_along(g), index, g, _end(g))
        if (last is not None and last[0] == flag
                and abs(base - last[1]) <= 0.05 * max(g.size, last[2], 0.1)):
            clusters[-1].append(entry)
        else:
            clusters.append([entry])
        last = (flag, base, g.size)
    return clusters


def _base(g: Glyph) -> float:
    return g.y if g.upright else g.x


def _along(g: Glyph) -> float:
    return g.bbox[0] if g.upright else g.bbox[1]


def _end(g: Glyph) -> float:
    return g.bbox[2] if g.upright else g.bbox[3]


# ---- pdfium --------------------------------------------------------------------------------

class _Calls:
    """ctypes out-parameters allocated once, so reading a glyph costs a few C calls and no more."""

    def __init__(self):
        import pypdfium2.raw as raw

        self.raw = raw
        self.m = raw.FS_MATRIX()
        self.box = raw.FS_RECTF()
        self.rgba = [ctypes.c_uint() for _ in range(4)]
        self.rgba_ref = [ctypes.byref(v) for v in self.rgba]
        self.frgba = [ctypes.c_uint() for _ in range(4)]
        self.f = [ctypes.c_float() for _ in range(4)]
        self.font = ctypes.create_string_buffer(256)
        self.flags = ctypes.c_int()
        self.i1, self.i2 = ctypes.c_int(), ctypes.c_int()
        self.dx, self.dy = ctypes.c_double(), ctypes.c_double()

    def rgb(self, fn, handle, index=None) -> tuple[int, int, int] | None:
        ok = fn(handle, *self.rgba_ref) if index is None else fn(handle, index, *self.rgba_ref)
        if not ok or self.rgba[3].value == 0:
            return None
        return (self.rgba[0].value, self.rgba[1].value, self.rgba[2].value)


def _reason(exc: Exception) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def load_bytes(source: Path | str | bytes, label: str) -> bytes:
    """The PDF's bytes (a path, a pipe, or bytes); PagesetterError when there is no such file."""
    from .pdfread import read_pdf_file

    if isinstance(source, bytes):
        return source
    return read_pdf_file(Path(source))  # a regular file or a pipe, within the byte limit


class PdfText:
    """One PDF open for reading back, page by page (0-based indexes); close() when done."""

    def __init__(self, source: Path | str | bytes, name: str | None = None):
        import pypdfium2 as pdfium

        self.label = name or (str(source) if not isinstance(source, bytes) else "PDF data")
        self.data = load_bytes(source, self.label)
        try:
            self.doc = pdfium.PdfDocument(self.data)
        except Exception as exc:  # PdfiumError and friends
            raise PagesetterError.at(f"cannot read the PDF: {_reason(exc)}", self.label,
                                     fix="check that the file is a complete, unencrypted PDF") from None
        if len(self.doc) > MAX_PDF_PAGES:  # (commands survey first; this holds for any caller)
            self.doc.close()
            raise PagesetterError.at(f"the PDF has over {MAX_PDF_PAGES} pages", self.label, fix=SMALLER)
        self._calls = _Calls()
        self._pypdf = None
        self._texts: dict[int, str] = {}
        self._kept: dict[int, Any] = {}  # pages read and kept open for `image` (one load each)

    def __len__(self) -> int:
        return len(self.doc)

    def close(self) -> None:
        for page in self._kept.values():
            page.close()
        self._kept.clear()
        self.doc.close()

    def __enter__(self) -> "PdfText":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _fail(self, what: str, exc: Exception):
        return PagesetterError.at(f"cannot read the PDF's {what}: {_reason(exc)}", self.label,
                                  fix="check that the file is a complete, unencrypted PDF")

    def text(self, index: int) -> str:
        """The page's text, white space dropped (cheap: for matching pages by content)."""
        if index not in self._texts:
            try:
                page = self.doc[index]
                textpage = page.get_textpage()
                self._texts[index] = re.sub(r"\s+", "", textpage.get_text_range())
                textpage.close()
                page.close()
            except Exception as exc:
                raise self._fail(f"page {index + 1}", exc) from None
        return self._texts[index]

    def signature(self, index: int, drawn: bool = False) -> str | None:
        """A hash of the page's content stream and resources as written, or of what it draws
        (`drawn`: check/signature.py); None if unreadable. Two pages with the same signature
        render the same, so they need no closer look."""
        from .signature import page_signature

        return page_signature(self, index, drawn)

    def _open(self, index: int):
        try:
            return self._kept.pop(index, None) or self.doc[index]
        except Exception as exc:
            raise self._fail(f"page {index + 1}", exc) from None

    def page(self, index: int, keep: bool = False) -> PageText:
        """Everything about one page: boxes, glyphs, lines, shapes. `keep`: leave the page loaded
        for one `image` call (pdfium loads a page slowly: once for both is enough)."""
        page = self._open(index)
        try:
            return _read_page(page, index + 1, self._calls)
        except PagesetterError:
            raise
        except Exception as exc:
            raise self._fail(f"page {index + 1}", exc) from None
        finally:
            if keep:
                self._kept[index] = page
            else:
                page.close()

    def image(self, index: int, dpi: float):
        """A PIL RGB image of the page at `dpi` (through render.raster: the pixel cap holds)."""
        from ..render.raster import render_page

        page = self._open(index)
        try:
            img = render_page(page, dpi, self.label, index + 1).to_pil()
            return img if img.mode == "RGB" else img.convert("RGB")
        finally:
            page.close()


def _boxes(page, calls: _Calls) -> dict:
    raw, f = calls.raw, calls.f
    out = {}
    for name in BOX_NAMES:
        if getattr(raw, f"FPDFPage_Get{name}")(page.raw, *(ctypes.byref(v) for v in f)):
            x0, y0, x1, y1 = (round(v.value, PLACES) for v in f)
            out[name] = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
    return out


def _read_page(page, number: int, calls: _Calls) -> PageText:
    boxes = _boxes(page, calls)
    width, height = page.get_size()
    media = boxes.get("MediaBox") or (0.0, 0.0, float(width), float(height))
    boxes.setdefault("MediaBox", media)
    rotate = page.get_rotation() % 360
    textpage = page.get_textpage()
    try:
        glyphs = _glyphs(textpage, media, calls)
    finally:
        textpage.close()
    crop = boxes.get("CropBox", media)
    origin = (0.0, 0.0)
    if rotate == 0:  # glyph coordinates are from the MediaBox's top-left; renders show the CropBox
        origin = (round(crop[0] - media[0], PLACES), round(media[3] - crop[3], PLACES))
    return PageText(number, float(width), float(height), boxes, rotate, glyphs, group_lines(glyphs),
                    origin, _shapes(page, media, calls))


def _glyphs(textpage, media, calls: _Calls) -> tuple[Glyph, ...]:
    """The page's glyphs. Font, size, colour and orientation are read once per text object."""
    raw, tp, box = calls.raw, textpage.raw, calls.box
    bref, xref, yref = ctypes.byref(box), ctypes.byref(calls.dx), ctypes.byref(calls.dy)
    cast, void = ctypes.cast, ctypes.c_void_p
    mx, my = media[0], media[3]
    fonts: dict[bytes, str] = {}
    out: list[Glyph] = []
    last: object = None
    style: tuple = ()  # (set at the first glyph: its text object is never `last`)
    for i in range(raw.FPDFText_CountChars(tp)):
        if raw.FPDFText_IsGenerated(tp, i) == 1:
            continue
        code = raw.FPDFText_GetUnicode(tp, i)
        if code in (0, 0xFFFE, 0xFFFF) or 0xD800 <= code <= 0xDFFF:
            continue
        key = cast(raw.FPDFText_GetTextObject(tp, i), void).value
        if key is None or key != last:
            style, last = _style(tp, i, calls, fonts), key
        raw.FPDFText_GetCharOrigin(tp, i, xref, yref)
        raw.FPDFText_GetLooseCharBox(tp, i, bref)
        out.append(Glyph(chr(code), style[0], style[1], calls.dx.value - mx, my - calls.dy.value,
                         (box.left - mx, my - box.top, box.right - mx, my - box.bottom),
                         len(out), style[2], style[3]))
    return tuple(out)


def _style(tp, i: int, calls: _Calls, fonts: dict) -> tuple:
    """(font, size, upright, fill colour) of the text object glyph `i` belongs to."""
    raw, m = calls.raw, calls.m
    n = raw.FPDFText_GetFontInfo(tp, i, calls.font, 256, ctypes.byref(calls.flags))
    key = calls.font.raw[:max(0, n - 1)]
    font = fonts.get(key)
    if font is None:
        font = fonts[key] = font_name(key.decode("latin-1"))
    raw.FPDFText_GetMatrix(tp, i, ctypes.byref(m))
    return (font, round(raw.FPDFText_GetFontSize(tp, i), 4), m.a * m.d > 0 and m.b * m.c <= 0,
            calls.rgb(raw.FPDFText_GetFillColor, tp, i) or (0, 0, 0))


def _shapes(page, media, calls: _Calls) -> tuple[Shape, ...]:
    """Paths, images, shadings and forms (text is read through the text page)."""
    raw, f = calls.raw, calls.f
    refs = [ctypes.byref(v) for v in f]
    mx, my = media[0], media[3]
    out = []
    for i in range(raw.FPDFPage_CountObjects(page.raw)):
        obj = raw.FPDFPage_GetObject(page.raw, i)
        kind = raw.FPDFPageObj_GetType(obj)
        if kind not in (_OBJ_PATH, _OBJ_IMAGE, _OBJ_SHADING, _OBJ_FORM):
            continue
        raw.FPDFPageObj_GetBounds(obj, *refs)  # left, bottom, right, top
        left, bottom, right, top = (v.value for v in f)
        bbox = (round(left - mx, PLACES), round(my - top, PLACES),
                round(right - mx, PLACES), round(my - bottom, PLACES))
        if kind == _OBJ_PATH:
            out.append(_path(obj, bbox, calls))
        elif kind == _OBJ_IMAGE:
            out.append(Shape("image", bbox, data=_image_hash(obj, raw)))
        else:
            out.append(Shape("shading" if kind == _OBJ_SHADING else "form", bbox))
    return tuple(out)


def _path(obj, bbox, calls: _Calls) -> Shape:
    raw = calls.raw
    raw.FPDFPath_GetDrawMode(obj, ctypes.byref(calls.i1), ctypes.byref(calls.i2))
    fills, strokes = calls.i1.value != 0, bool(calls.i2.value)
    fill = calls.rgb(raw.FPDFPageObj_GetFillColor, obj) if fills else None
    stroke = calls.rgb(raw.FPDFPageObj_GetStrokeColor, obj) if strokes else None
    width = 0.0
    if strokes:
        raw.FPDFPageObj_GetStrokeWidth(obj, ctypes.byref(calls.f[0]))
        width = round(calls.f[0].value, PLACES)
    return Shape("path", bbox, fill, stroke, width)


def _image_hash(obj, raw) -> str:
    n = raw.FPDFImageObj_GetImageDataRaw(obj, None, 0)
    if not n:
        return ""
    buf = ctypes.create_string_buffer(n)
    raw.FPDFImageObj_GetImageDataRaw(obj, buf, n)
    return hashlib.sha256(buf.raw).hexdigest()[:16]


def read_pdf(source: Path | str | bytes, name: str | None = None) -> list[PageText]:
    """Every page of a PDF (a path or the file's bytes); PagesetterError if it cannot be read."""
    with PdfText(source, name) as doc:
        return [doc.page(i) for i in range(len(doc))]
