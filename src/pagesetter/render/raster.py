"""The one pdfium wrapper (pypdfium2): PDF pages to pixels, for the PNG preview, `render` and `diff`.

A page is rasterised only if it stays under `MAX_PIXELS` at the asked resolution: a 14400 pt page
at 100 dpi would be 400 million pixels (over 3 GB); instead the caller is told the largest dpi
that fits (`PixelCapError`, exit 2), or, for a build's preview, the preview is made at that dpi.
"""
from __future__ import annotations

import math
from pathlib import Path

from ..errors import PagesetterError, Problem

MIN_DPI = 10
MAX_DPI = 1200
MAX_PIXELS = 50_000_000  # a 390×550 mm broadsheet at 380 dpi; about 400 MB at peak to rasterise


class PixelCapError(PagesetterError):
    """A page that would be rasterised to more than MAX_PIXELS."""


def check_dpi(dpi: float) -> None:
    if not (isinstance(dpi, (int, float)) and math.isfinite(dpi) and MIN_DPI <= dpi <= MAX_DPI):
        raise PagesetterError.at(f"dpi must be a number from {MIN_DPI} to {MAX_DPI}, not {dpi:g}",
                                 fix="e.g. --dpi 100 (a preview) or --dpi 300 (print detail)")


def pixels(width_pt: float, height_pt: float, dpi: float) -> tuple[int, int]:
    """The size in pixels of a page of width × height points at `dpi` (as pdfium rounds it)."""
    return max(1, round(width_pt * dpi / 72)), max(1, round(height_pt * dpi / 72))


def fitting_dpi(width_pt: float, height_pt: float) -> float:
    """The largest whole dpi at which the page stays within MAX_PIXELS."""
    dpi = math.floor(72 * math.sqrt(MAX_PIXELS / max(width_pt * height_pt, 1e-9)))
    while dpi > 1 and math.prod(pixels(width_pt, height_pt, dpi)) > MAX_PIXELS:
        dpi -= 1
    return dpi


def pixel_cap_problem(width_pt: float, height_pt: float, dpi: float, label, number: int) -> Problem | None:
    w, h = pixels(width_pt, height_pt, dpi)
    if w * h <= MAX_PIXELS:
        return None
    best = fitting_dpi(width_pt, height_pt)
    return Problem(f"page {number} is {width_pt:.0f}×{height_pt:.0f} pt: at {dpi:g} dpi that is {w}×{h} = "
                   f"{w * h / 1e6:.0f} million pixels, over the limit of {MAX_PIXELS / 1e6:.0f} million", label,
                   fix=f"use --dpi {best} or less" if best >= MIN_DPI else "the page is too large to rasterise")


class Raster:
    """An open PDF whose pages can be rendered one at a time (`with Raster(src) as r: r.page(0)`)."""

    def __init__(self, source: Path | str | bytes, name: str | None = None):
        import pypdfium2 as pdfium

        self.label = name or (str(source) if not isinstance(source, bytes) else "PDF data")
        if not isinstance(source, bytes) and not Path(source).is_file():
            raise PagesetterError.at("PDF file not found", self.label, fix="give the path of a PDF file")
        try:
            self.doc = pdfium.PdfDocument(source if isinstance(source, bytes) else str(source))
        except Exception as exc:  # PdfiumError and friends
            raise PagesetterError.at(f"cannot open the PDF: {exc}", self.label,
                                     fix="check that the file is a complete, unencrypted PDF") from None

    def __len__(self) -> int:
        return len(self.doc)

    def size(self, index: int) -> tuple[float, float]:
        """Page `index`'s width and height in points (a page pdfium cannot load is bad input)."""
        try:
            return tuple(self.doc.get_page_size(index))
        except Exception as exc:  # PdfiumError: a page tree that loops, a missing page
            raise PagesetterError.at(f"cannot read page {index + 1}: {exc}", self.label,
                                     fix="check that the file is a complete, undamaged PDF") from None

    def bitmap(self, index: int, dpi: float = 100):
        """pdfium's bitmap of page `index` (RGB byte order); PixelCapError if it would be too large."""
        check_dpi(dpi)
        try:
            problem = pixel_cap_problem(*self.size(index), dpi, self.label, index + 1)
        except PagesetterError:
            raise
        except Exception as exc:
            raise PagesetterError.at(f"cannot read page {index + 1}: {exc}", self.label) from None
        if problem is not None:
            raise PixelCapError(problem)
        try:
            page = self.doc[index]
        except Exception as exc:
            raise PagesetterError.at(f"cannot render page {index + 1}: {exc}", self.label) from None
        try:
            return render_page(page, dpi, self.label, index + 1)
        finally:
            page.close()

    def page(self, index: int, dpi: float = 100):
        """A PIL RGB image of page `index` (0-based) at `dpi`."""
        return self.bitmap(index, dpi).to_pil().convert("RGB")

    def close(self) -> None:
        self.doc.close()

    def __enter__(self) -> "Raster":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def render_page(page, dpi: float, label, number: int):
    """pdfium's bitmap (RGB byte order) of a page already open (a pypdfium2 PdfPage: `diff` reads
    the page's text and renders it from one load); PixelCapError if it would be too large."""
    check_dpi(dpi)
    width, height = page.get_size()
    problem = pixel_cap_problem(width, height, dpi, label, number)
    if problem is not None:
        raise PixelCapError(problem)
    try:
        return page.render(scale=dpi / 72, rev_byteorder=True)
    except Exception as exc:
        raise PagesetterError.at(f"cannot render page {number}: {exc}", label) from None


def rasterise(source: Path | str | bytes, dpi: float = 100, name: str | None = None) -> list:
    """PIL RGB images of every page of the PDF at `dpi`; PixelCapError before any page is drawn if
    one would be too large."""
    check_dpi(dpi)
    with Raster(source, name) as r:
        problems = [p for i in range(len(r)) if (p := pixel_cap_problem(*r.size(i), dpi, r.label, i + 1))]
        if problems:
            raise PixelCapError(*problems)
        return [r.page(i, dpi) for i in range(len(r))]


def page_path(out: Path, number: int, pages: int) -> Path:
    """Where page `number` (1-based) of a `pages`-page document goes: `out` itself for a one-page
    document, else `<stem>-p<number><suffix>` beside it."""
    out = Path(out)
    return out if pages == 1 else out.with_name(f"{out.stem}-p{number}{out.suffix}")
