"""What the `diff`, `render` and `dump` commands do (cli.py holds only their options)."""
from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

from ..errors import PagesetterError

SPEC_SUFFIXES = (".yaml", ".yml")


def _size(path: Path) -> str:
    n = path.stat().st_size
    return f"{n / 1024:.0f} KB" if n < 1 << 20 else f"{n / (1 << 20):.1f} MB"


REVIEW = Path("out") / "review"  # where review outputs go when the natural place is a goldens folder


def in_goldens(path: Path) -> bool:
    """Is `path` in a goldens folder (named *golden*, or holding pagesetter goldens)? Review
    outputs never go there: the next `git add tests/golden` would commit them."""
    folder = Path(path).resolve().parent
    return "golden" in folder.name.lower() or any(folder.glob("*.fonts.json")) or any(folder.glob("*.dump.txt"))


def review_path(beside: Path, name: str) -> Path:
    """`name` beside `beside`, or in out/review/ when that is a goldens folder."""
    return (REVIEW / name) if in_goldens(beside) else Path(beside).with_name(name)


def guess_spec(pdf: Path) -> Path | None:
    """The spec a pagesetter PDF was built from, when it can be found: `layouts/<stem>.yaml` in the
    project above the PDF's folder (`out/x.pdf` → `layouts/x.yaml`), or a spec there whose page
    name is the PDF's stem. None when there is none, or more than one."""
    import yaml

    for root in (Path(pdf).resolve().parent.parent, Path(pdf).resolve().parent):
        folder = root / "layouts"
        if not folder.is_dir():
            continue
        specs = sorted(p for p in folder.iterdir() if p.suffix in SPEC_SUFFIXES and not p.name.startswith("."))
        same = [p for p in specs if p.stem == pdf.stem]
        if not same:
            same = [p for p in specs if _page_name(p, yaml) == pdf.stem]
        if len(same) == 1:
            return same[0]
    return None


def _page_name(spec: Path, yaml) -> str | None:
    try:
        data = yaml.safe_load(spec.read_text(encoding="utf-8"))
        return str(data["page"]["name"])
    except Exception:  # not a spec we can read: not the one
        return None


def _places(spec: Path | None):
    if spec is None:
        return None
    from ..build import compose_page, load_stories
    from .where import PageMap

    composed = compose_page(spec)
    return PageMap(composed.layout, composed.spec, load_stories(composed.spec))


def _named_places(spec: Path | None):
    """B's places from its spec; a spec that does not compose names nothing (the diff stands)."""
    if spec is None:
        return None
    try:
        return _places(spec)
    except PagesetterError:
        return None


def _check_options(tolerance: float, pixel_threshold: float, color_tolerance: float) -> None:
    if tolerance < 0:
        raise PagesetterError.at(f"--tolerance must not be negative, not {tolerance:g}")
    if not 0 <= pixel_threshold <= 1:
        raise PagesetterError.at(f"--pixel-threshold is a fraction of the page's pixels, 0–1, not {pixel_threshold:g}",
                                 fix="e.g. --pixel-threshold 0.001 for 0.1 %")
    if not 0 <= color_tolerance <= 1:
        raise PagesetterError.at(f"--color-tolerance is a fraction of a colour channel, 0–1, not {color_tolerance:g}",
                                 fix="e.g. --color-tolerance 0.02")


def _diff_outputs(report, b: Path, image: Path | None, no_image: bool, html: Path | None, dpi: float) -> list[str]:
    from .diffimage import write_diff_images, write_html

    lines = []
    if not no_image and (image is not None or not report.equal):
        target = image or review_path(b, f"{b.stem}.diff.png")
        if report.equal:  # asked for explicitly: B's page, nothing marked
            from .raster import rasterise

            target.parent.mkdir(parents=True, exist_ok=True)
            rasterise(b, dpi)[0].save(target, format="PNG")
            written = [target]
        else:
            written = write_diff_images(report, target)
        lines.extend(f"diff image: {p} ({_size(p)})" for p in written)
    if html is not None:
        write_html(report, html)
        lines.append(f"HTML report: {html} ({_size(html)})")
    return lines


def run_diff(a: Path, b: Path, *, tolerance: float, pixel_threshold: float, image: Path | None,
             no_image: bool, html: Path | None, dpi: float, color_tolerance: float = 0.02,
             spec: Path | None = None, max_lines: int = 0) -> tuple[str, int]:
    """The report text and exit code (0 equal, 1 different); PagesetterError for bad input."""
    from .diff import diff_pdfs

    _check_options(tolerance, pixel_threshold, color_tolerance)
    start = time.perf_counter()
    report = diff_pdfs(a, b, tolerance=tolerance, pixel_threshold=pixel_threshold, dpi=dpi,
                       color_tolerance=color_tolerance, keep_renders=not no_image or html is not None)
    named = ""
    if not report.equal:
        found = spec or guess_spec(b)
        places = _named_places(found)
        if places is not None:
            report = replace(report, places=places)
            named = f"(stories, frames and article lines named from {found})"
    full = report.summary() + (f"\n{named}" if named else "")
    text = full
    try:
        if max_lines and len(full.splitlines()) > max_lines:
            path = image.with_suffix(".txt") if image else review_path(b, f"{b.stem}.diff.txt")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(full + "\n", encoding="utf-8")
            text = report.summary(max_lines=max_lines, full_report=str(path)) + (f"\n{named}" if named else "")
        lines = [text] + _diff_outputs(report, b, image, no_image, html, dpi)
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
        from ..build import compose_page
        from ..render.pdf import render_pdf

        composed = compose_page(source)
        warnings = list(composed.warnings)
        images = rasterise(render_pdf(composed.layout, composed.faces), dpi, name=str(source))
        output = output or Path("out") / f"{composed.layout.name}.png"
    elif source.suffix.lower() == ".pdf" or source.is_file():
        images = rasterise(source, dpi)
        output = output or review_path(source, f"{source.stem}.png")
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
