"""What the `diff`, `render` and `dump` commands do (cli.py holds only their options)."""
from __future__ import annotations

import math
import os
import stat
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import PagesetterError, Problem
from .tolerance import DEFAULT_COLOR

if TYPE_CHECKING:  # annotations only: the commands import their parts when run
    from .where import EditionMap, PageMap

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


def _named_places(spec: Path | None, pages: int) -> tuple[PageMap | EditionMap | None, str]:
    """B's places (story, frame, article line) from its spec — a page's, or an edition's (each
    finding then names its page too) — and a note when they cannot be named: a spec that does not
    compose, or an edition of another number of pages than B, names nothing (the diff stands)."""
    if spec is None:
        return None, ""
    from ..build import compose_page, load_stories
    from ..pagespec.edition import is_edition
    from .where import PageMap, edition_map

    try:
        if is_edition(spec):
            from ..build_edition import compose_edition

            edition = compose_edition(spec)
            if len(edition.pages) != pages:
                return None, (f"(not named from {spec}: the edition has {len(edition.pages)} pages, "
                              f"B has {pages})")
            return edition_map(edition), ""
        composed = compose_page(spec)
    except PagesetterError as exc:
        return None, f"(not named from {spec}: {exc.problems[0].message if exc.problems else exc})"
    return PageMap(composed.layout, composed.spec, load_stories(composed.spec)), ""


def read_pdf_bytes(path: Path, warnings: list | None = None) -> bytes:
    """A PDF the user named, read whole within pdfread's limits (a regular file or a pipe, never a
    device or a FIFO without a writer) and surveyed: over a work limit or unreadable is exit 2; the
    damage found goes into `warnings`."""
    from .pdfread import read_pdf_file
    from .pdfsurvey import vet

    data = read_pdf_file(Path(path))
    found = vet(data, path)
    if warnings is not None:
        warnings += found.warnings(path)
    return data


def _check_diff_options(tolerance: float, pixel_threshold: float, color_tolerance: float = DEFAULT_COLOR) -> None:
    if not (math.isfinite(color_tolerance) and 0 <= color_tolerance <= 1):
        raise PagesetterError.at(f"--color-tolerance is a fraction of a colour channel, 0–1, not {color_tolerance:g}",
                                 fix="e.g. --color-tolerance 0.02")
    if not (math.isfinite(tolerance) and tolerance >= 0):
        raise PagesetterError.at(f"--tolerance must be a finite number of points, 0 or more, not {tolerance:g}",
                                 fix="e.g. --tolerance 0.01")
    if not (math.isfinite(pixel_threshold) and 0 <= pixel_threshold <= 1):
        raise PagesetterError.at(f"--pixel-threshold is a fraction of the page's pixels, 0–1, not {pixel_threshold:g}",
                                 fix="e.g. --pixel-threshold 0.001 for 0.1 %")


def _diff_image(image: Path | None, b: Path) -> Path:
    """The diff image's path: --image, else <B>.diff.png beside B (out/review/ for a goldens folder)."""
    return image or review_path(b, f"{b.stem}.diff.png")


def _diff_targets(report, image: Path | None, no_image: bool, html: Path | None,
                  b: Path) -> list[tuple[Path, str]]:
    from .diff import render_of
    from ..render.raster import page_path

    targets: list[tuple[Path, str]] = []
    if not no_image and (image is not None or not report.equal):
        target = _diff_image(image, b)
        pages = max(report.page_counts)
        numbers = [1] if report.equal else [p.number for p in report.differing if render_of(report, p)[1] is not None]
        targets += [(target if report.equal else page_path(target, n, pages), f"the diff image of page {n}")
                    for n in numbers]
    if html is not None:
        targets.append((html, "the HTML report"))
    return targets


def _named(report, spec: Path | None, b: Path):
    """The report with B's places, when B's spec is given or found; and a line saying whence."""
    if report.equal:
        return report, ""
    found = spec or guess_spec(b)
    places, note = _named_places(found, report.page_counts[1])
    if places is None:
        return report, note if spec is not None else ""
    from .where import EditionMap

    what = "pages, stories" if isinstance(places, EditionMap) else "stories"
    return replace(report, places=places), f"({what}, frames and article lines named from {found})"


FULL_REPORT = "pagesetter diff: the full report"  # its first line: how a later diff knows the file as its own


def _full_report_path(b: Path, image: Path | None, inputs: dict) -> Path:
    """Where the full text report goes (beside the diff image, else beside B), checked like every
    output: not a folder or an input, and never over a file that is not an earlier full report
    (a stranger's `diff.txt` beside `--image diff.png` is refused, exit 2, not replaced)."""
    from ..errors import Problem
    from ..outputs import check_targets, guard

    path = image.with_suffix(".txt") if image else review_path(b, f"{b.stem}.diff.txt")
    role = "the full diff report"
    check_targets([(path, role)])
    guard([(path, role)], inputs)
    if os.path.lexists(path) and not _own_report(path):
        raise PagesetterError(Problem(f"{role} would replace {path.name}, which pagesetter did not write", path,
                                      fix="move or delete that file if it may go, or choose another --image path "
                                          "(the full report is written beside it, as .txt)"))
    return path


def _own_report(path: Path) -> bool:
    """Is the file at `path` an earlier full report of `diff` (a regular file, not a link)?"""
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return False
        with open(path, "rb") as fh:
            return fh.read(len(FULL_REPORT.encode("utf-8"))) == FULL_REPORT.encode("utf-8")
    except OSError:
        return False


def _summary(report, named: str, b: Path, image: Path | None, max_lines: int, inputs: dict) -> str:
    """The summary, capped at `max_lines` with the full one written beside the diff image."""
    tail = f"\n{named}" if named else ""
    full = report.summary() + tail
    if not max_lines or len(full.splitlines()) <= max_lines:
        return full
    from ..outputs import write_set

    path = _full_report_path(b, image, inputs)
    write_set({path: (f"{FULL_REPORT}\n{full}\n").encode("utf-8")})
    return report.summary(max_lines=max_lines, full_report=str(path)) + tail


def run_diff(a: Path, b: Path, *, tolerance: float, pixel_threshold: float, image: Path | None,
             no_image: bool, html: Path | None, dpi: float, color_tolerance: float = DEFAULT_COLOR,
             spec: Path | None = None, max_lines: int = 0, warnings: list | None = None) -> tuple[str, int]:
    """The report text and exit code (0 equal, 1 different); PagesetterError for bad input. Damage
    found in A or B goes into `warnings` (the command then exits 1)."""
    from ..outputs import check_targets, guard
    from .diff import diff_pdfs
    from .diffimage import write_diff_images, write_html
    from ..render.raster import check_dpi, rasterise

    _check_diff_options(tolerance, pixel_threshold, color_tolerance)
    check_dpi(dpi)
    inputs = {Path(a): "PDF A", Path(b): "PDF B"}
    early = [(p, r) for p, r in ((image, "the diff image"), (html, "the HTML report")) if p is not None]
    check_targets(early)
    guard(early, inputs)
    start = time.perf_counter()
    data_b = read_pdf_bytes(b, warnings)  # read once: B may be a pipe
    report = diff_pdfs(read_pdf_bytes(a, warnings), data_b, tolerance=tolerance, pixel_threshold=pixel_threshold,
                       dpi=dpi, keep_renders=True, names=(str(a), str(b)), color_tolerance=color_tolerance)
    report, named = _named(report, spec, b)
    targets = _diff_targets(report, image, no_image, html, b)
    check_targets(targets)
    guard(targets, inputs)
    try:
        lines = [_summary(report, named, b, image, max_lines, inputs)]
        image_paths = [p for p, role in targets if role != "the HTML report"]
        if image_paths:
            if report.equal:  # asked for explicitly: B's page, nothing marked
                _write_pngs(rasterise(data_b, dpi, name=str(b))[:1], image_paths)
            else:
                write_diff_images(report, _diff_image(image, b))
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


def run_render(source: Path, *, dpi: float, output: Path | None) -> tuple[str, list[str | Problem]]:
    """Rasterise a PDF, or a spec built in memory, to PNG; returns the report and any warnings."""
    from ..outputs import check_targets, guard, write_set
    from ..render.png import page_png
    from ..render.raster import PixelCapError, Raster, check_dpi, page_path, pixel_cap_problem

    from ..pagespec.edition import is_edition

    check_dpi(dpi)
    warnings: list[str | Problem] = []  # (a build's Problems, a PDF's damage as text)
    if source.suffix.lower() in SPEC_SUFFIXES and is_edition(source):  # an edition: every page
        from ..build_edition import compose_edition, edition_inputs, proof_edition

        edition = compose_edition(source, render=True)
        warnings, inputs = list(edition.warnings), edition_inputs(edition)
        data = proof_edition(edition)
        output = output or Path("out") / f"{edition.edition.name}.png"
    elif source.suffix.lower() in SPEC_SUFFIXES:
        from ..build import compose_page, doc_meta, inputs_of, proof_pdf
        from ..render.pdf import render_pdf

        composed = compose_page(source)
        warnings, inputs = list(composed.warnings), inputs_of(composed)
        data = proof_pdf(composed, render_pdf(composed.layout, composed.faces, doc_meta(composed.spec)))
        output = output or Path("out") / f"{composed.layout.name}.png"
    else:
        data, inputs = read_pdf_bytes(source, warnings), {source: "the PDF being read"}
        output = output or review_path(source, f"{source.stem}.png")
    with Raster(data, str(source)) as r:
        pages = len(r)
        targets = {page_path(output, i + 1, pages): f"the PNG of page {i + 1}" for i in range(pages)}
        check_targets(targets)
        guard(targets, inputs)
        if output.suffix.lower() != ".png":  # a PNG under another name (x.yaml, x.pdf) misleads
            raise PagesetterError.at(f"-o {output.name}: render writes PNG files", output,
                                     fix=f"end the name in .png, e.g. -o {output.with_suffix('.png')}")
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


def run_dump(spec: Path) -> tuple[str, list[Problem]]:
    from ..build import compose_page
    from ..layout.dump import dump_layout
    from ..pagespec.edition import is_edition

    if is_edition(spec):
        from ..build_edition import compose_edition

        edition = compose_edition(spec)
        return "".join(dump_layout(c.layout, c.faces) for c in edition.pages), list(edition.warnings)
    composed = compose_page(spec)
    return dump_layout(composed.layout, composed.faces), list(composed.warnings)
