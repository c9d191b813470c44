"""What the `diff`, `render` and `dump` commands do (cli.py holds only their options)."""
from __future__ import annotations

import math
import time
from pathlib import Path

from ..errors import PagesetterError

SPEC_SUFFIXES = (".yaml", ".yml")


def _size(path: Path) -> str:
    n = path.stat().st_size
    return f"{n / 1024:.0f} KB" if n < 1 << 20 else f"{n / (1 << 20):.1f} MB"


MAX_PDF_BYTES = 256_000_000  # a PDF given to render or diff; read whole, so bounded


def read_pdf_bytes(path: Path) -> bytes:
    """A PDF the user named, read whole: a regular file or a pipe (`<(git show HEAD:x.pdf)`), never
    a device or a FIFO without a writer (no blocking), at most MAX_PDF_BYTES."""
    from ..files import read_capped

    data = read_capped(Path(path), "PDF", MAX_PDF_BYTES, "compare or render a smaller PDF",
                       "give the path of a PDF file", pipe=True)
    if not data:
        raise PagesetterError.at("PDF is empty (0 bytes)", path, fix="give the path of a complete PDF file")
    return data


def _check_diff_options(tolerance: float, pixel_threshold: float) -> None:
    if not (math.isfinite(tolerance) and tolerance >= 0):
        raise PagesetterError.at(f"--tolerance must be a finite number of points, 0 or more, not {tolerance:g}",
                                 fix="e.g. --tolerance 0.01")
    if not (math.isfinite(pixel_threshold) and 0 <= pixel_threshold <= 1):
        raise PagesetterError.at(f"--pixel-threshold is a fraction of the page's pixels, 0–1, not {pixel_threshold:g}",
                                 fix="e.g. --pixel-threshold 0.001 for 0.1 %")


def _diff_targets(report, image: Path | None, no_image: bool, html: Path | None,
                  b: Path) -> list[tuple[Path, str]]:
    from .raster import page_path

    targets: list[tuple[Path, str]] = []
    if not no_image and (image is not None or not report.equal):
        target = image or b.with_name(f"{b.stem}.diff.png")
        pages = max(report.page_counts)
        numbers = [1] if report.equal else [p.number for p in report.differing
                                             if report.renders.get(p.number, (None, None)) != (None, None)]
        targets += [(target if report.equal else page_path(target, n, pages), f"the diff image of page {n}")
                    for n in numbers]
    if html is not None:
        targets.append((html, "the HTML report"))
    return targets


def run_diff(a: Path, b: Path, *, tolerance: float, pixel_threshold: float, image: Path | None,
             no_image: bool, html: Path | None, dpi: float) -> tuple[str, int]:
    """The report text and exit code (0 equal, 1 different); PagesetterError for bad input."""
    from ..outputs import check_targets, guard
    from .diff import diff_pdfs
    from .diffimage import write_diff_images, write_html
    from .raster import check_dpi, rasterise

    _check_diff_options(tolerance, pixel_threshold)
    check_dpi(dpi)
    inputs = {Path(a): "PDF A", Path(b): "PDF B"}
    early = [(p, r) for p, r in ((image, "the diff image"), (html, "the HTML report")) if p is not None]
    check_targets(early)
    guard(early, inputs)
    start = time.perf_counter()
    data_b = read_pdf_bytes(b)  # read once: B may be a pipe
    report = diff_pdfs(read_pdf_bytes(a), data_b, tolerance=tolerance, pixel_threshold=pixel_threshold,
                       dpi=dpi, keep_renders=True, names=(str(a), str(b)))
    targets = _diff_targets(report, image, no_image, html, b)
    check_targets(targets)
    guard(targets, inputs)
    lines = [report.summary()]
    try:
        image_paths = [p for p, role in targets if role != "the HTML report"]
        if image_paths:
            if report.equal:  # asked for explicitly: B's page, nothing marked
                _write_pngs(rasterise(data_b, dpi, name=str(b))[:1], image_paths)
            else:
                write_diff_images(report, image or b.with_name(f"{b.stem}.diff.png"))
            lines += [f"diff image: {p} ({_size(p)})" for p in image_paths]
        if html is not None:
            write_html(report, html)
            lines.append(f"HTML report: {html} ({_size(html)})")
    except OSError as exc:
        raise _write_error(exc, "the diff output") from None
    lines.append(f"({time.perf_counter() - start:.2f}s)")
    return "\n".join(lines), 0 if report.equal else 1


def _write_error(exc: OSError, what: str) -> Exception:
    from ..files import KNOWN_ERRNOS, os_problem

    if exc.errno not in KNOWN_ERRNOS:
        return exc
    return PagesetterError(os_problem(exc, getattr(exc, "filename", None), what, "write"))


def _write_pngs(images: list, paths: list[Path]) -> None:
    """Pillow-encoded PNGs, written as one set (all or nothing)."""
    import io

    from ..outputs import write_set

    blobs = {}
    for img, path in zip(images, paths):
        buf = io.BytesIO()
        img.save(buf, format="PNG")
        blobs[path] = buf.getvalue()
    write_set(blobs)


def run_render(source: Path, *, dpi: float, output: Path | None) -> tuple[str, list[str]]:
    """Rasterise a PDF, or a spec built in memory, to PNG; returns the report and any warnings."""
    from ..outputs import check_targets, guard, write_set
    from ..render.png import page_png
    from ..render.raster import PixelCapError, pixel_cap_problem
    from .raster import Raster, check_dpi, page_path

    check_dpi(dpi)
    warnings: list[str] = []
    if source.suffix.lower() in SPEC_SUFFIXES:
        from ..build import compose_page, doc_meta, inputs_of
        from ..render.pdf import render_pdf

        composed = compose_page(source)
        warnings, inputs = list(composed.warnings), inputs_of(composed)
        data = render_pdf(composed.layout, composed.faces, doc_meta(composed.spec))
        output = output or Path("out") / f"{composed.layout.name}.png"
    else:
        data, inputs = read_pdf_bytes(source), {source: "the PDF being read"}
        output = output or source.with_suffix(".png")
    with Raster(data, str(source)) as r:
        pages = len(r)
        targets = {page_path(output, i + 1, pages): f"the PNG of page {i + 1}" for i in range(pages)}
        check_targets(targets)
        guard(targets, inputs)
        problems = [p for i in range(pages) if (p := pixel_cap_problem(*r.size(i), dpi, r.label, i + 1))]
        if problems:
            raise PixelCapError(*problems)
        pngs = [page_png(r, i, dpi) for i in range(pages)]  # pdfium's pixels, encoded as build's preview
    try:
        write_set({path: png for path, (png, _w, _h) in zip(targets, pngs)})
    except OSError as exc:
        raise _write_error(exc, "the PNG") from None
    out = [f"rendered {path} ({w}×{h} px at {dpi:g} dpi, {_size(path)})" for path, (_png, w, h) in zip(targets, pngs)]
    return "\n".join(out), warnings


def run_dump(spec: Path) -> tuple[str, list[str]]:
    from ..build import compose_page
    from ..layout.dump import dump_layout

    composed = compose_page(spec)
    return dump_layout(composed.layout), list(composed.warnings)
