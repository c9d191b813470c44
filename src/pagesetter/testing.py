"""Golden-page tests for your own suites (a pytest plugin: fixture `page_matches`).

    from pagesetter.testing import assert_page_matches

    def test_front_page():
        assert_page_matches("layouts/front.yaml", "tests/golden")

or, with the plugin loaded (the `pytest11` entry point, or `-p pagesetter.testing`):

    def test_front_page(page_matches):
        page_matches("layouts/front.yaml")          # goldens in tests/golden/ beside the test

`assert_page_matches` composes the spec, renders the PDF in memory and compares both with the
goldens in `golden_dir`, under one tolerance model (`tolerance` pt, `color_tolerance`,
`pixel_threshold`; see pagesetter.check.tolerance):

- `<name>.dump.txt`   the layout dump (`pagesetter dump`): page → frame → line, 0.01 pt, colours
                      resolved to CMYK; compared line by line with the tolerance, not as text;
- `<name>.pdf`        the rendered page, when under `max_pdf_bytes` (compared with `pagesetter
                      diff`, not byte for byte);
- `<name>.fonts.json` which font files (content sha256) served each role.

A mismatch fails with a short report — page, story and frame, article line and the place in mm
from the trim's top-left for every colour change, move and text change, at most `max_lines`
lines, the rest in `<name>.report.txt` — and no pagesetter source in the traceback. The new PDF,
its dump, a diff image and an HTML report go to `out_dir` (a fresh temporary folder unless given;
the fixture uses the test's `tmp_path`), never into the goldens folder.

When the faces that serve the page differ from those recorded (another machine's fonts) and the
spec does not pin them, the test skips, saying which — unless strict (`strict=True`,
`PAGESETTER_STRICT=1`, and by default whenever `CI` is set), where it fails with that message.

Regenerate the goldens with `regenerate=True`, `PAGESETTER_REGENERATE=1` or (plugin loaded)
`pytest --regenerate-goldens`; the plugin lists what it wrote, and golden files no test of the
run used. With `CI` set, regeneration by the environment or the option is refused unless forced
with `PAGESETTER_REGENERATE=force`: goldens written on CI are never reviewed.
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest

from .records import record
from .check.tolerance import DEFAULT_COLOR, DEFAULT_DPI, DEFAULT_POSITION

ENV = "PAGESETTER_REGENERATE"
FORCE = "force"
STRICT_ENV = "PAGESETTER_STRICT"
MAX_PDF_BYTES = 768_000  # the sample page is ~550 KB: ~400 KB of font subsets, ~150 KB its ICC output profile
MAX_LINES = 60
BY_RUN = "by-run"  # `regenerate` asked by the environment or the command line, not by the code
WRITTEN: list[Path] = []  # goldens written in this process (the plugin reports them)
USED: dict[Path, set[str]] = {}  # golden folder → page names checked or written in this process
REGENERATED_IN: set[Path] = set()  # golden folders the run regenerated (unused goldens are listed there)
NOTES: list[str] = []  # what regeneration did besides writing (the plugin reports them)
_TRUE = ("1", "true", "yes", "on", FORCE)


class GoldenMismatch(AssertionError):
    """A page that does not match its goldens (or may not be checked or regenerated here)."""


def _env_true(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in _TRUE


def regenerate_requested(regenerate: bool | str | None = None) -> bool:
    """An explicit True/False wins; BY_RUN (the plugin's --regenerate-goldens) asks for it; None
    reads PAGESETTER_REGENERATE (1, true, yes, on, force)."""
    if regenerate is not None and regenerate != BY_RUN:
        return bool(regenerate)
    return regenerate == BY_RUN or _env_true(ENV)


def on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def strict_requested(strict: bool | None = None) -> bool:
    """An explicit True/False wins; else PAGESETTER_STRICT if set; else strict on CI."""
    if strict is not None:
        return strict
    if os.environ.get(STRICT_ENV, "").strip():
        return _env_true(STRICT_ENV)
    return on_ci()


def _guard_regeneration(regenerate) -> None:
    __tracebackhide__ = True
    explicit = regenerate is True
    if explicit or not on_ci() or os.environ.get(ENV, "").strip().lower() == FORCE:
        return
    raise GoldenMismatch(f"refusing to regenerate goldens: CI is set ({os.environ.get('CI')!r}), and goldens "
                         "written on CI are never reviewed. Regenerate on your machine and commit the reviewed "
                         f"files, or force it with {ENV}={FORCE}.")


def font_fingerprint(composed, cache_dir: Path | None = None) -> dict:
    """role → the face that served it: file name, face index, family and content sha256."""
    from .fonts.cache import content_hash
    from .fonts.cache import default_cache_dir

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


@record
class _Page:
    name: str
    composed: object
    dump: str
    pdf: bytes
    fonts: dict
    places: object  # check.where.PageMap


def _build(spec: Path, cache_dir, name: str | None) -> _Page:
    from .build import compose_page, doc_meta, load_stories
    from .check.where import PageMap
    from .layout.dump import dump_layout
    from .render.pdf import render_pdf

    from .errors import PagesetterError
    from .pagespec.edition import is_edition

    if is_edition(spec):
        raise PagesetterError.at("an edition, not a page spec: goldens are kept per page", spec,
                                 fix="test each page spec (page_matches('layouts/page-1.yaml')), or keep "
                                     "`pagesetter dump edition.yaml` (every page, jump lines too) as a text golden")
    composed = compose_page(spec, cache_dir)
    places = PageMap(composed.layout, composed.spec, load_stories(composed.spec))
    pdf = render_pdf(composed.layout, composed.faces, doc_meta(composed.spec))
    return _Page(name or composed.layout.name, composed, dump_layout(composed.layout, composed.faces, cache_dir), pdf,
                 font_fingerprint(composed, cache_dir), places)


def _write(path: Path, data: bytes, announce: bool) -> None:
    from .outputs import write_atomically

    if path.is_file() and path.read_bytes() == data:
        return
    write_atomically(path, data)
    if announce:
        WRITTEN.append(path)
        print(f"pagesetter: wrote golden {path}")


def _regenerate(page: _Page, paths: dict, max_pdf_bytes: int, announce: bool) -> None:
    """Write the goldens; `announce` (regeneration asked by the run, not the code): list them."""
    if announce:
        REGENERATED_IN.add(paths["dump"].parent.resolve())
    _write(paths["dump"], page.dump.encode("utf-8"), announce)
    fonts = json.dumps(page.fonts, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    _write(paths["fonts"], fonts.encode(), announce)
    if len(page.pdf) <= max_pdf_bytes:
        _write(paths["pdf"], page.pdf, announce)
    elif paths["pdf"].exists():
        paths["pdf"].unlink()
        _note(f"removed golden {paths['pdf']} (the PDF is over max_pdf_bytes={max_pdf_bytes})")
    elif announce:
        _note(f"no golden {paths['pdf']}: the PDF is {len(page.pdf)} bytes, over "
              f"max_pdf_bytes={max_pdf_bytes} (raise it to compare the PDF too; the dump is compared)")


def _note(text: str) -> None:
    NOTES.append(text)
    print(f"pagesetter: {text}")


def _check_fonts(page: _Page, paths: dict, strict: bool) -> None:
    __tracebackhide__ = True
    if not paths["fonts"].is_file():
        return
    recorded = json.loads(paths["fonts"].read_text(encoding="utf-8"))
    differ = _font_mismatch(recorded, page.fonts, set(page.composed.spec.fonts))
    if not differ:
        return
    message = (f"page {page.name!r}: the fonts here differ from the goldens' (" + "; ".join(differ)
               + f"); install the same fonts or regenerate with {ENV}=1")
    if strict:
        raise GoldenMismatch(message + f" [strict mode, the default on CI: {STRICT_ENV}=0 skips instead]")
    pytest.skip(message)


def _out_folder(out_dir, name: str) -> Path:
    out = Path(out_dir) if out_dir is not None else Path(tempfile.mkdtemp(prefix=f"pagesetter-{name}-"))
    out.mkdir(parents=True, exist_ok=True)
    return out


def _pdf_problem(page: _Page, paths: dict, folder: Path, opts: dict, dump_text: str | None) -> str | None:
    """The PDF against its golden; `dump_text` (the dump's findings) goes into the HTML report."""
    from .check.diff import diff_pdfs
    from .check.diffimage import write_diff_images, write_html

    if not paths["pdf"].is_file() or paths["pdf"].read_bytes() == page.pdf:
        return None
    new_pdf = folder / f"{page.name}.pdf"
    new_pdf.write_bytes(page.pdf)
    report = diff_pdfs(paths["pdf"], new_pdf, tolerance=opts["tolerance"], color_tolerance=opts["color_tolerance"],
                       pixel_threshold=opts["pixel_threshold"], dpi=opts["dpi"], keep_renders=True,
                       places=page.places)
    if report.equal:
        return None
    images = write_diff_images(report, folder / f"{page.name}.diff.png")
    html = write_html(report, folder / f"{page.name}.diff.html", image_format="JPEG", dump_diff=dump_text)
    return ("PDF differs from the golden:\n" + report.summary()
            + "\ndiff image: " + ", ".join(str(p) for p in images) + f"\nHTML report: {html}\nnew PDF: {new_pdf}")


def _dump_problem(page: _Page, paths: dict, folder: Path, opts: dict) -> tuple[str | None, str | None]:
    """(the problem to report, the dump's findings for the HTML report), or (None, None)."""
    from .check.dumpdiff import compare_dumps
    from .check.dumpreport import describe_findings
    from .check.tolerance import Tolerance

    golden = paths["dump"].read_text(encoding="utf-8")
    if golden == page.dump:
        return None, None
    tol = Tolerance(opts["tolerance"], opts["color_tolerance"], opts["pixel_threshold"])
    found = compare_dumps(golden, page.dump, tol)
    if not found:
        return None, None
    new_dump = folder / paths["dump"].name
    new_dump.write_text(page.dump, encoding="utf-8")
    text = describe_findings(found, page.places, tol.position)
    return f"layout dump differs ({tol.describe()}):\n{text}\n(new dump: {new_dump})", text


def _fail(page: _Page, golden_dir, folder: Path, problems: list[str], max_lines: int) -> None:
    __tracebackhide__ = True
    hint = f"If the change is intended, regenerate with {ENV}=1 and review the diff."
    full = f"page {page.name!r} does not match its goldens in {golden_dir}:\n" + "\n\n".join(problems) + f"\n\n{hint}"
    report = folder / f"{page.name}.report.txt"
    report.write_text(full + "\n", encoding="utf-8")
    lines = full.splitlines()
    if max_lines and len(lines) > max_lines:
        more = f"… {len(lines) - max_lines + 2} more lines: the full report is {report}"
        lines = lines[:max_lines - 2] + [more, hint]
    raise GoldenMismatch("\n".join(lines))


def assert_page_matches(spec, golden_dir, *, regenerate: bool | str | None = None, name: str | None = None,
                        out_dir=None, tolerance: float = DEFAULT_POSITION, color_tolerance: float = DEFAULT_COLOR,
                        pixel_threshold: float = 0.0, dpi: float = DEFAULT_DPI, max_pdf_bytes: int = MAX_PDF_BYTES,
                        cache_dir=None, strict: bool | None = None, max_lines: int = MAX_LINES) -> None:
    """Build `spec` and compare it with the goldens in `golden_dir` (see the module's doc).

    Raises GoldenMismatch (an AssertionError) with the differences; skips (pytest) when the fonts
    differ from the goldens' and not strict; writes the goldens instead when regenerating."""
    __tracebackhide__ = True
    page = _build(Path(spec), cache_dir, name)
    paths = golden_paths(golden_dir, page.name)
    USED.setdefault(Path(golden_dir).resolve(), set()).add(page.name)
    if regenerate_requested(regenerate):
        _guard_regeneration(regenerate)
        _regenerate(page, paths, max_pdf_bytes, announce=regenerate is not True)
        return
    if not paths["dump"].is_file():
        raise GoldenMismatch(f"no golden for page {page.name!r} in {golden_dir} (looked for {paths['dump'].name}); "
                             f"make them with {ENV}=1 (or regenerate=True) and commit them")
    _check_fonts(page, paths, strict_requested(strict))
    opts = {"tolerance": tolerance, "color_tolerance": color_tolerance, "pixel_threshold": pixel_threshold,
            "dpi": dpi}
    folder = _out_folder(out_dir, page.name)
    dump_problem, dump_text = _dump_problem(page, paths, folder, opts)
    problems = [p for p in (dump_problem, _pdf_problem(page, paths, folder, opts, dump_text)) if p]
    if problems:
        _fail(page, golden_dir, folder, problems, max_lines)


# ---- the pytest plugin -------------------------------------------------------------------------

def pytest_addoption(parser) -> None:
    group = parser.getgroup("pagesetter")
    group.addoption("--regenerate-goldens", action="store_true", default=False,
                    help=f"rewrite pagesetter golden pages instead of comparing (same as {ENV}=1; "
                         f"refused when CI is set unless {ENV}={FORCE})")


@pytest.fixture
def page_matches(request, tmp_path):
    """`page_matches(spec, golden_dir=None, **options)`: `assert_page_matches` with the goldens in
    `golden/` beside the test file by default and the failure outputs in the test's tmp_path."""
    flag = request.config.getoption("regenerate_goldens", default=False)

    def check(spec, golden_dir=None, **options):
        __tracebackhide__ = True
        if flag:
            options.setdefault("regenerate", BY_RUN)
        options.setdefault("out_dir", tmp_path / "pagesetter")
        folder = golden_dir if golden_dir is not None else Path(request.path).parent / "golden"
        return assert_page_matches(spec, folder, **options)

    return check


def unused_goldens() -> list[Path]:
    """Golden files, in the folders this run wrote to, of pages no test of the run checked."""
    out = []
    for folder in sorted(f for f in REGENERATED_IN if f.is_dir()):
        names = USED.get(folder, set())
        for path in sorted(folder.iterdir()):
            stem = path.name.split(".", 1)[0]
            if path.name.endswith((".dump.txt", ".fonts.json", ".pdf")) and stem not in names:
                out.append(path)
    return out


def pytest_terminal_summary(terminalreporter) -> None:
    if not REGENERATED_IN:
        return
    terminalreporter.section("pagesetter goldens")
    for path in WRITTEN:
        terminalreporter.write_line(f"wrote {path}")
    for note in NOTES:
        terminalreporter.write_line(note)
    if not WRITTEN:
        terminalreporter.write_line("regenerated: every golden was already up to date")
    for path in unused_goldens():
        terminalreporter.write_line(f"no test of this run uses {path} (delete it if its test is gone)")
    terminalreporter.write_line("review them (git diff) before committing")


__all__ = ["GoldenMismatch", "assert_page_matches", "font_fingerprint", "golden_paths", "page_matches",
           "regenerate_requested", "strict_requested"]
