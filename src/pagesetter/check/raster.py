"""Rasterise PDF pages with pdfium (pypdfium2), from a file or from bytes held in memory."""
from __future__ import annotations

from pathlib import Path

from ..errors import PagesetterError

MAX_DPI = 1200


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

    def page(self, index: int, dpi: float = 100):
        """A PIL RGB image of page `index` (0-based) at `dpi`."""
        check_dpi(dpi)
        try:
            page = self.doc[index]
            try:
                return page.render(scale=dpi / 72).to_pil().convert("RGB")
            finally:
                page.close()
        except Exception as exc:
            raise PagesetterError.at(f"cannot render page {index + 1}: {exc}", self.label) from None

    def close(self) -> None:
        self.doc.close()

    def __enter__(self) -> "Raster":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def check_dpi(dpi: float) -> None:
    if not 0 < dpi <= MAX_DPI:
        raise PagesetterError.at(f"dpi must be more than 0 and at most {MAX_DPI}, not {dpi:g}",
                                 fix="e.g. --dpi 100")


def rasterise(source: Path | str | bytes, dpi: float = 100, name: str | None = None) -> list:
    """PIL RGB images of every page of the PDF at `dpi`."""
    check_dpi(dpi)
    with Raster(source, name) as r:
        return [r.page(i, dpi) for i in range(len(r))]


def page_path(out: Path, number: int, pages: int) -> Path:
    """Where page `number` (1-based) of a `pages`-page document goes: `out` itself for a one-page
    document, else `<stem>-p<number><suffix>` beside it."""
    out = Path(out)
    return out if pages == 1 else out.with_name(f"{out.stem}-p{number}{out.suffix}")
