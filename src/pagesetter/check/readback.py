"""Read a rendered PDF back: its pages' boxes, glyphs and text lines, for any PDF (not only ours).

    pages = read_pdf("out/page.pdf")          # or PDF bytes
    for line in pages[0].lines:
        print(line.text, line.x, line.y)

Glyphs come from pdfplumber (pdfminer.six), in the PDF's content order. Positions are points
from the page's top-left corner (y downward), like `layout.model`: `x` is the glyph's origin,
`y` its baseline, `bbox` the (x0, top, x1, bottom) box pdfminer gives it. Font names have their
subset tag (`ABCDEF+`) stripped, and pagesetter's own per-subset suffix (`-1a2b3c`), so the same
face compares equal across subsets and builds.

`group_lines` is the one line-grouping routine: glyphs sharing a baseline, split into column
lines at gaps wider than about one em (or narrower ones where the content order jumps), in the
content order of each line's first glyph (for pagesetter's PDFs that is reading order).
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import PagesetterError, Problem

SUBSET_TAG = re.compile(r"^[A-Z]{6}\+")
# pagesetter names each font subset it embeds `<PostScript name>-<6 hex digits>` (the digits
# depend on the page's characters), so the suffix is dropped too: a text edit is no font change
OWN_SUBSET_SUFFIX = re.compile(r"-[0-9a-f]{6}$")
BOX_NAMES = ("MediaBox", "CropBox", "TrimBox", "BleedBox", "ArtBox")
GAP_EM = 1.0  # a gap wider than this (in em) starts a new column line
JOIN_EM = 0.2  # ... and so does a narrower one, down to this, where the content order jumps


@dataclass(frozen=True)
class Glyph:
    ch: str
    font: str  # PostScript name, subset tag stripped
    size: float
    x: float  # origin, pt from the page's left edge
    y: float  # baseline, pt from the page's top edge
    bbox: tuple[float, float, float, float]  # x0, top, x1, bottom
    index: int  # position in the page's content order
    upright: bool = True


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class PageText:
    number: int  # 1-based
    width: float  # pt, as displayed (after /Rotate)
    height: float
    boxes: dict = field(hash=False)  # box name → (x0, y0, x1, y1) as in the file (PDF units)
    rotate: int
    glyphs: tuple[Glyph, ...]
    lines: tuple[Line, ...]
    origin: tuple[float, float] = (0.0, 0.0)  # the CropBox's top-left, in glyph coordinates

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


def union(boxes) -> tuple[float, float, float, float]:
    boxes = list(boxes)
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


def _pdfplumber():
    try:
        import pdfplumber
    except ImportError:
        raise PagesetterError(Problem(
            "reading PDFs back (diff, golden tests) needs pdfplumber, which is not installed",
            fix="pip install pdfplumber  (or pip install 'pagesetter[test]')")) from None
    return pdfplumber


def font_name(raw) -> str:
    """The font's PostScript name without its subset tag (`ABCDEF+`) or pagesetter's suffix."""
    return OWN_SUBSET_SUFFIX.sub("", SUBSET_TAG.sub("", str(raw or "")))


def _box(value) -> tuple[float, float, float, float] | None:
    try:
        x0, y0, x1, y1 = (float(v) for v in value)
    except (TypeError, ValueError):
        return None
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def group_lines(glyphs, gap_em: float = GAP_EM) -> tuple[Line, ...]:
    """Glyphs → column lines: same baseline (within 5 % of the size), split at gaps wider than
    `gap_em` em, ordered by the content index of each line's first glyph.

    A gutter of exactly one em (pagesetter's 1字 gutter), or less where line-end punctuation gave
    up its blank half, is not wider than an em: such a gap still splits when the glyphs on either
    side are not consecutive in the content stream (columns are drawn one after the other), as
    long as it is wider than `JOIN_EM` em."""
    clusters: list[list[Glyph]] = []
    for g in sorted(glyphs, key=lambda g: (not g.upright, _base(g), g.index)):
        last = clusters[-1][-1] if clusters else None
        if (last is not None and last.upright == g.upright
                and abs(_base(g) - _base(last)) <= 0.05 * max(g.size, last.size, 0.1)):
            clusters[-1].append(g)
        else:
            clusters.append([g])
    lines: list[Line] = []
    for cluster in clusters:
        cluster.sort(key=lambda g: (_along(g), g.index))
        run = [cluster[0]]
        for prev, g in zip(cluster, cluster[1:]):
            gap, em = _along(g) - _end(prev), max(prev.size, g.size, 0.1)
            if gap > gap_em * em or (gap > JOIN_EM * em and g.index != prev.index + 1):
                lines.append(Line(tuple(run)))
                run = []
            run.append(g)
        lines.append(Line(tuple(run)))
    lines.sort(key=lambda line: min(g.index for g in line.glyphs))
    return tuple(lines)


def _base(g: Glyph) -> float:
    return g.y if g.upright else g.x


def _along(g: Glyph) -> float:
    return g.bbox[0] if g.upright else g.bbox[1]


def _end(g: Glyph) -> float:
    return g.bbox[2] if g.upright else g.bbox[3]


def _page(page, number: int) -> PageText:
    from pdfminer.pdftypes import resolve_all

    attrs = page.page_obj.attrs
    boxes = {}
    for name in BOX_NAMES:
        box = _box(resolve_all(attrs.get(name))) if name in attrs else None
        if box is not None:
            boxes[name] = box
    rotate = int(resolve_all(attrs.get("Rotate", 0)) or 0) % 360
    height = float(page.height)
    glyphs = []
    for i, c in enumerate(page.chars):
        a, b, _c, _d, e, f = c["matrix"]
        upright = bool(c.get("upright", True))
        glyphs.append(Glyph(
            ch=c["text"], font=font_name(c.get("fontname")), size=round(float(c["size"]), 4),
            x=round(float(e), 4), y=round(height - float(f), 4),
            bbox=(round(float(c["x0"]), 4), round(float(c["top"]), 4),
                  round(float(c["x1"]), 4), round(float(c["bottom"]), 4)),
            index=i, upright=upright))
    media = boxes.get("MediaBox", (0.0, 0.0, float(page.width), height))
    crop = boxes.get("CropBox", media)
    origin = (0.0, 0.0)
    if rotate == 0:  # glyph coordinates are from the MediaBox's top-left; renders show the CropBox
        origin = (round(crop[0] - media[0], 4), round(media[3] - crop[3], 4))
    return PageText(number, float(page.width), height, boxes, rotate, tuple(glyphs),
                    group_lines(glyphs), origin)


def read_pdf(source: Path | str | bytes, name: str | None = None) -> list[PageText]:
    """Every page of a PDF (a path or the file's bytes); PagesetterError if it cannot be read."""
    pdfplumber = _pdfplumber()
    label = name or (str(source) if not isinstance(source, bytes) else "PDF data")
    if isinstance(source, bytes):
        stream = io.BytesIO(source)
    else:
        path = Path(source)
        if not path.is_file():
            raise PagesetterError.at("PDF file not found" if not path.exists() else "not a file", label,
                                     fix="give the path of a PDF file")
        stream = None
    try:
        pdf = pdfplumber.open(stream if stream is not None else str(source))
    except Exception as exc:  # pdfminer raises many kinds for files that are not PDFs
        raise PagesetterError.at(f"cannot read the PDF: {_reason(exc)}", label,
                                 fix="check that the file is a complete, unencrypted PDF") from None
    try:
        try:
            return [_page(p, i + 1) for i, p in enumerate(pdf.pages)]
        except PagesetterError:
            raise
        except Exception as exc:
            raise PagesetterError.at(f"cannot read the PDF's pages: {_reason(exc)}", label,
                                     fix="check that the file is a complete, unencrypted PDF") from None
    finally:
        pdf.close()


def _reason(exc: Exception) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
