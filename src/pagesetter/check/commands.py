"""What the `diff`, `render` and `dump` commands do (cli.py holds only their options)."""
from __future__ import annotations

import time
from pathlib import Path

from ..errors import PagesetterError

SPEC_SUFFIXES = (".yaml", ".yml")


def _size(path: Path) -> str:
    n = path.stat().st_size
    return f"{n / 1024:.0f} KB" if n < 1 << 20 else f"{n / (1 << 20):.1f} MB"


def run_diff(a: Path, b: Path, *, tolerance: float, pixel_threshold: float, image: Path | None,
             no_image: bool, html: Path | None, dpi: float) -> tuple[str, int]:
    """The report text and exit code (0 equal, 1 different); PagesetterError for bad input."""
    from .diff import diff_pdfs
    from .diffimage import write_diff_images, write_html

    if tolerance < 0:
        raise PagesetterError.at(f"--tolerance must not be negative, not {tolerance:g}")
    if not 0 <= pixel_threshold <= 1:
        raise PagesetterError.at(f"--pixel-threshold is a fraction of the page's pixels, 0–1, not {pixel_threshold:g}",
                                 fix="e.g. --pixel-threshold 0.001 for 0.1 %")
    start = time.perf_counter()
    report = diff_pdfs(a, b, tolerance=tolerance, pixel_threshold=pixel_threshold, dpi=dpi,
                       keep_renders=True)
    lines = [report.summary()]
    try:
        if not no_image and (image is not None or not report.equal):
            target = image or b.with_name(f"{b.stem}.diff.png")
            if report.equal:  # asked for explicitly: B's page, nothing marked
                from .raster import rasterise

                target.parent.mkdir(parents=True, exist_ok=True)
                rasterise(b, dpi)[0].save(target, format="PNG")
                written = [target]
            else:
                written = write_diff_images(report, target)
            for p in written:
                lines.append(f"diff image: {p} ({_size(p)})")
        if html is not None:
            write_html(report, html)
            lines.append(f"HTML report: {html} ({_size(html)})")
    except OSError as exc:
        raise PagesetterError.at(f"cannot write the diff output: {exc.strerror or exc}",
                                 getattr(exc, "filename", None)) from None
    lines.append(f"({time.perf_counter() - start:.2f}s)")
    return "\n".join(lines), 0 if report.equal else 1


def run_render(source: Path, *, dpi: float, output: Path | None) -> tuple[str, list[str]]:
    """Rasterise a PDF, or a spec built in memory, to PNG; returns the report and any warnings."""
    from .raster import check_dpi, page_path, rasterise

    check_dpi(dpi)
    warnings: list[str] = []
    if source.suffix.lower() in SPEC_SUFFIXES:
        from ..build import compose_page, doc_meta
        from ..render.pdf import render_pdf

        composed = compose_page(source)
        warnings = list(composed.warnings)
        images = rasterise(render_pdf(composed.layout, composed.faces, doc_meta(composed.spec)), dpi,
                           name=str(source))
        output = output or Path("out") / f"{composed.layout.name}.png"
    elif source.suffix.lower() == ".pdf" or source.is_file():
        images = rasterise(source, dpi)
        output = output or source.with_suffix(".png")
    else:
        raise PagesetterError.at("no such PDF or page spec", source, fix="give a .pdf file or a page .yaml")
    out = []
    try:
        for i, img in enumerate(images):
            path = page_path(output, i + 1, len(images))
            path.parent.mkdir(parents=True, exist_ok=True)
            img.save(path, format="PNG")
            out.append(f"rendered {path} ({img.width}×{img.height} px at {dpi:g} dpi, {_size(path)})")
    except OSError as exc:
        raise PagesetterError.at(f"cannot write the PNG: {exc.strerror or exc}",
                                 getattr(exc, "filename", None)) from None
    return "\n".join(out), warnings


def run_dump(spec: Path) -> tuple[str, list[str]]:
    from ..build import compose_page
    from ..layout.dump import dump_layout

    composed = compose_page(spec)
    return dump_layout(composed.layout), list(composed.warnings)
