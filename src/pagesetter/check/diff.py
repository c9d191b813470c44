"""Compare two rendered PDFs: which pages pair up, then per pair text, line breaks, glyph
positions, fonts, colours, shapes, boxes and pixels.

    report = diff_pdfs("golden.pdf", "out/page.pdf", tolerance=0.01)
    if not report.equal:
        print(report.summary())

- identical files are equal at once; otherwise pages are paired by content (check/pages.py):
  pages that render the same (same signature) pair without being read, others by text
  similarity, so inserted, deleted and reordered pages are reported as such;
- each pair that may differ is read back (pdfium) and compared (check/comparepage.py): text
  changes and reflows, glyph moves beyond the position tolerance, font and colour changes,
  shapes (rules, boxes, pictures) moved, recoloured or replaced, page boxes;
- what pixels cannot show: each pair's ink, colour values and overprint as the content streams
  set them (check/paint.py: exact CMYK for pagesetter's own PDFs), and the documents' own facts —
  title, dates, language, output intent (check/docmeta.py);
- and rasterised at `dpi` and compared per channel (check/pixels.py).

One tolerance model (check/tolerance.py) governs positions, colours and pixels alike. The
findings are frozen dataclasses (check/diffmodel.py, the whole report check/report.py); `report.summary()` is
the text report.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from .comparepage import compare_pages
from .diffmodel import PageDiff
from .docmeta import compare_documents
from .report import DiffReport
from .pages import align_pages
from .pixels import pixel_diff
from .readback import PdfText, load_bytes
from .tolerance import DEFAULT_COLOR, DEFAULT_DPI, DEFAULT_POSITION, Tolerance



def _label(source) -> str:
    return "PDF data" if isinstance(source, bytes) else str(source)


def _identical(data: bytes, name_a: str, name_b: str, tol: Tolerance, dpi: float) -> DiffReport:
    with PdfText(data, name_b) as doc:
        n = len(doc)
    pages = tuple(PageDiff(i + 1, a_number=i + 1, b_number=i + 1) for i in range(n))
    return DiffReport(name_a, name_b, tol.position, tol.pixel_fraction, dpi, pages, (n, n), {}, tol,
                      identical=True)


class _Renders:
    """Rasterises pages on demand, from the pages the readback left loaded; and knows whether
    colour values compare exactly (both PDFs pagesetter's own)."""

    def __init__(self, da: PdfText, db: PdfText, dpi: float, enabled: bool):
        from .paint import own_pdf

        self.dpi, self.enabled, self.docs = dpi, enabled, (da, db)
        self.exact = own_pdf(da) and own_pdf(db)

    def image(self, side: int, index: int | None):
        if not self.enabled or index is None:
            return None
        return self.docs[side].image(index, self.dpi)


def _compare_pair(pair, da, db, tol: Tolerance, renders: _Renders, keep: dict | None) -> PageDiff:
    numbers = (None if pair.a is None else pair.a + 1, None if pair.b is None else pair.b + 1)
    number = numbers[1] or numbers[0]
    assert number is not None  # (a pair has a page on one side at least)
    if pair.same:
        return PageDiff(number, a_number=numbers[0], b_number=numbers[1],
                        moved_from=numbers[0] if pair.moved else None)
    pa = da.page(pair.a, keep=renders.enabled) if pair.a is not None else None
    pb = db.page(pair.b, keep=renders.enabled) if pair.b is not None else None
    img_a, img_b = renders.image(0, pair.a), renders.image(1, pair.b)
    pix = None
    shown = pb or pa
    if img_a is not None and img_b is not None and shown is not None:
        pix, _mask = pixel_diff(img_a, img_b, renders.dpi, tol.pixel_fraction, shown.origin,
                                level=tol.pixel_level, radius=tol.pixel_radius(renders.dpi))
    page = compare_pages(pa, pb, tol, pix, number, numbers)
    if pa is not None and pb is not None:
        page = replace(page, paint=_paint_changes(da, db, pair, tol, renders.exact))
    if page.colors:
        from .signature import cmyk_used

        ca, cb = cmyk_used(da, pair.a), cmyk_used(db, pair.b)
        page = replace(page, cmyk=(tuple(sorted(ca - cb)), tuple(sorted(cb - ca))))
    if pair.moved:
        page = replace(page, moved_from=numbers[0])
    if keep is not None and not page.equal:
        _keep(keep, number if pair.b is not None else -number, img_a, img_b)
    return page


KEEP_DECODED = 4  # differing pages whose renders stay as images; later ones are kept as PNG bytes


def _keep(keep: dict, key: int, img_a: Any, img_b: Any) -> None:
    """Keep a differing page's renders for the diff images: the first few as they are, the rest
    compressed (a fifth of the memory or less), so a diff of an edition whose every page differs
    holds about one page's pixels per page in memory, not three."""
    if len(keep) < KEEP_DECODED:
        keep[key] = (img_a, img_b)
        return
    keep[key] = tuple(_png(img) for img in (img_a, img_b))


def _png(img: Any) -> bytes | None:
    if img is None:
        return None
    import io

    buf = io.BytesIO()
    img.save(buf, format="PNG", compress_level=1)
    return buf.getvalue()


def _image(kept: Any) -> Any:
    """A kept render as an image (decoded when it was kept compressed)."""
    if not isinstance(kept, bytes):
        return kept
    import io

    from PIL import Image

    with Image.open(io.BytesIO(kept)) as img:
        return img.convert("RGB")


def _paint_changes(da: PdfText, db: PdfText, pair: Any, tol: Tolerance, exact: bool) -> tuple:
    """Ink, colour values and overprint as both pages' content streams set them (check/paint.py)."""
    from .paint import compare_paint, page_paint

    log_a, log_b = page_paint(da, pair.a), page_paint(db, pair.b)
    if log_a is None or log_b is None:
        return ()
    return compare_paint(log_a, log_b, tol, exact)


def diff_pdfs(a: Path | str | bytes, b: Path | str | bytes, *, tolerance: float = DEFAULT_POSITION,
              pixel_threshold: float = 0.0, dpi: float = DEFAULT_DPI, pixels: bool = True,
              keep_renders: bool = False, names: tuple[str, str] | None = None,
              color_tolerance: float = DEFAULT_COLOR, places=None, cmyk_tolerance: float = 0.0) -> DiffReport:
    """Compare PDF A (the reference) with PDF B (the candidate); see the module's doc.
    `places` (a where.PageMap of B's layout) lets the report name frames, stories, article lines.
    `color_tolerance` is for colours as rendered (RGB); `cmyk_tolerance` for colour values as
    written in pagesetter's own PDFs (exact by default; check/paint.py)."""
    from ..render.raster import check_dpi

    tol = Tolerance(tolerance, color_tolerance, pixel_threshold, cmyk_tolerance)
    if pixels:
        check_dpi(dpi)
    name_a, name_b = names or (_label(a), _label(b))
    data_a, data_b = load_bytes(a, name_a), load_bytes(b, name_b)
    if data_a == data_b:
        return _identical(data_b, name_a, name_b, tol, dpi)
    keep: dict | None = {} if keep_renders else None
    with PdfText(data_a, name_a) as da, PdfText(data_b, name_b) as db:
        renders = _Renders(da, db, dpi, pixels)
        pages = tuple(_compare_pair(p, da, db, tol, renders, keep) for p in align_pages(da, db))
        counts = (len(da), len(db))
        document = compare_documents(da, db)
    return DiffReport(name_a, name_b, tolerance, pixel_threshold, dpi, pages, counts, keep or {}, tol, places,
                      document=document)


def render_of(report: DiffReport, page: PageDiff):
    """The (A image, B image) kept for a differing page, or (None, None)."""
    key = page.number if page.in_b else -page.number
    img_a, img_b = report.renders.get(key, (None, None))
    return _image(img_a), _image(img_b)
