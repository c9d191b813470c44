"""Golden-page tests for your own suites (a pytest plugin: fixture `page_matches`).

    from pagesetter.testing import assert_page_matches

    def test_front_page():
        assert_page_matches("layouts/front.yaml", "tests/golden")

or, with the plugin loaded (the `pytest11` entry point, or `-p pagesetter.testing`):

    def test_front_page(page_matches):
        page_matches("layouts/front.yaml")          # goldens in tests/golden/ beside the test

`assert_page_matches` composes the spec, renders the PDF in memory and compares both with the
goldens in `golden_dir`:

- `<name>.dump.txt`   the layout dump (`pagesetter dump`): page → frame → line, 0.01 pt;
- `<name>.pdf`        the rendered page, when under `max_pdf_bytes` (compared with `pagesetter
                      diff`, not byte for byte, so a ReportLab upgrade that only reorders bytes
                      still passes);
- `<name>.fonts.json` which font files (content sha256) served each role.

On a mismatch it fails with the dump's unified diff and the diff summary, and leaves the new
PDF, its dump, a diff image and an HTML report in `out_dir` (a fresh temporary folder unless
given; the fixture uses the test's `tmp_path`). When the faces that serve the page differ from
those recorded (another machine's fonts) and the spec does not pin them, it skips, saying which.

Regenerate the goldens with `regenerate=True`, the environment variable
`PAGESETTER_REGENERATE=1`, or (plugin loaded) `pytest --regenerate-goldens`; then review the
changed golden files in version control before committing them.
"""
from __future__ import annotations

import difflib
import json
import os
import tempfile
from pathlib import Path

import pytest

ENV = "PAGESETTER_REGENERATE"
MAX_PDF_BYTES = 768_000  # the sample page is ~550 KB: ~400 KB of font subsets, ~150 KB its ICC output profile


def regenerate_requested(regenerate: bool | None = None) -> bool:
    """An explicit True/False wins; None reads PAGESETTER_REGENERATE (1, true, yes)."""
    if regenerate is not None:
        return bool(regenerate)
    return os.environ.get(ENV, "").strip().lower() in ("1", "true", "yes", "on")


def font_fingerprint(composed, cache_dir: Path | None = None) -> dict:
    """role → the face that served it: file name, face index, family and content sha256."""
    from .fonts.cache import content_hash
    from .fonts.prepare import default_cache_dir

    cache_dir = Path(cache_dir or default_cache_dir())
    out = {}
    for role, face in sorted(composed.faces.items()):
        src = face.source
        out[role] = {"file": src.path.name, "index": src.index, "family": src.family,
                     "sha256": content_hash(src.path, cache_dir)}
    return out


def _font_mismatch(recorded: dict, current: dict, pinned) -> list[str]:
    """Roles served by other font files than when the goldens were made (and not pinned by the
    spec's fonts: map, where a change is the spec's doing and must fail, not skip)."""
    out = []
    for role in sorted(set(recorded) & set(current)):
        r, c = recorded[role], current[role]
        if r.get("sha256") != c.get("sha256") and role not in pinned:
            out.append(f"{role}: goldens made with {r.get('family')} ({r.get('file')}#{r.get('index')}, "
                       f"sha256 {str(r.get('sha256'))[:12]}), here {c['family']} ({c['file']}#{c['index']}, "
                       f"sha256 {c['sha256'][:12]})")
    return out


def golden_paths(golden_dir: Path, name: str) -> dict[str, Path]:
    golden_dir = Path(golden_dir)
    return {"dump": golden_dir / f"{name}.dump.txt", "pdf": golden_dir / f"{name}.pdf",
            "fonts": golden_dir / f"{name}.fonts.json"}


def _write(path: Path, data: bytes) -> None:
    from .build import write_atomically

    write_atomically(path, data)


def assert_page_matches(spec, golden_dir, *, regenerate: bool | None = None, name: str | None = None,
                        out_dir=None, tolerance: float = 0.01, pixel_threshold: float = 0.0,
                        dpi: float = 72, max_pdf_bytes: int = MAX_PDF_BYTES, cache_dir=None) -> None:
    """Build `spec` and compare it with the goldens in `golden_dir` (see the module's doc).

    Raises AssertionError with the differences; skips (pytest) when the fonts differ from the
    goldens'; writes the goldens instead when regenerating."""
    from .build import compose_page, doc_meta
    from .layout.dump import dump_layout
    from .render.pdf import render_pdf

    spec = Path(spec)
    composed = compose_page(spec, cache_dir)
    name = name or composed.layout.name
    dump = dump_layout(composed.layout)
    pdf = render_pdf(composed.layout, composed.faces, doc_meta(composed.spec))
    fonts = font_fingerprint(composed, cache_dir)
    paths = golden_paths(golden_dir, name)

    if regenerate_requested(regenerate):
        _write(paths["dump"], dump.encode("utf-8"))
        _write(paths["fonts"], (json.dumps(fonts, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode())
        if len(pdf) <= max_pdf_bytes:
            _write(paths["pdf"], pdf)
        else:
            paths["pdf"].unlink(missing_ok=True)
        return

    if not paths["dump"].is_file():
        raise AssertionError(
            f"no golden for page {name!r} in {golden_dir} (looked for {paths['dump'].name}); "
            f"make them with {ENV}=1 (or regenerate=True) and commit them")
    if paths["fonts"].is_file():
        recorded = json.loads(paths["fonts"].read_text(encoding="utf-8"))
        differ = _font_mismatch(recorded, fonts, set(composed.spec.fonts))
        if differ:
            pytest.skip(f"page {name!r}: the fonts here differ from the goldens' (" + "; ".join(differ)
                        + f"); install the same fonts or regenerate with {ENV}=1")

    problems = []
    out = None

    def out_folder() -> Path:
        nonlocal out
        if out is None:
            out = Path(out_dir) if out_dir is not None else Path(tempfile.mkdtemp(prefix=f"pagesetter-{name}-"))
            out.mkdir(parents=True, exist_ok=True)
        return out

    if paths["pdf"].is_file() and paths["pdf"].read_bytes() != pdf:
        from .check.diff import diff_pdfs
        from .check.diffimage import write_diff_images, write_html

        folder = out_folder()
        new_pdf = folder / f"{name}.pdf"
        new_pdf.write_bytes(pdf)
        report = diff_pdfs(paths["pdf"], new_pdf, tolerance=tolerance, pixel_threshold=pixel_threshold,
                           dpi=dpi, keep_renders=True)
        if not report.equal:
            images = write_diff_images(report, folder / f"{name}.diff.png")
            html = write_html(report, folder / f"{name}.diff.html", image_format="JPEG")
            problems.append("PDF differs from the golden:\n" + report.summary()
                            + "\ndiff image: " + ", ".join(str(p) for p in images)
                            + f"\nHTML report: {html}\nnew PDF: {new_pdf}")

    golden_dump = paths["dump"].read_text(encoding="utf-8")
    if golden_dump != dump:
        lines = list(difflib.unified_diff(golden_dump.splitlines(), dump.splitlines(),
                                          f"golden/{paths['dump'].name}", f"new/{paths['dump'].name}",
                                          lineterm="", n=1))
        shown = lines[:40] + ([f"… {len(lines) - 40} more diff lines"] if len(lines) > 40 else [])
        new_dump = out_folder() / paths["dump"].name
        new_dump.write_text(dump, encoding="utf-8")
        problems.append("layout dump differs:\n" + "\n".join(shown) + f"\n(new dump: {new_dump})")

    if problems:
        raise AssertionError(f"page {name!r} does not match its goldens in {golden_dir}:\n"
                             + "\n\n".join(problems)
                             + f"\n\nIf the change is intended, regenerate with {ENV}=1 and review the diff.")


# ---- the pytest plugin -------------------------------------------------------------------------

def pytest_addoption(parser) -> None:
    group = parser.getgroup("pagesetter")
    group.addoption("--regenerate-goldens", action="store_true", default=False,
                    help=f"rewrite pagesetter golden pages instead of comparing (same as {ENV}=1)")


@pytest.fixture
def page_matches(request, tmp_path):
    """`page_matches(spec, golden_dir=None, **options)`: `assert_page_matches` with the goldens in
    `golden/` beside the test file by default and the failure outputs in the test's tmp_path."""
    flag = request.config.getoption("regenerate_goldens", default=False)

    def check(spec, golden_dir=None, **options):
        if flag:
            options.setdefault("regenerate", True)
        options.setdefault("out_dir", tmp_path / "pagesetter")
        folder = golden_dir if golden_dir is not None else Path(request.path).parent / "golden"
        return assert_page_matches(spec, folder, **options)

    return check


__all__ = ["assert_page_matches", "font_fingerprint", "golden_paths", "page_matches", "regenerate_requested"]
