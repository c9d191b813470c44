"""Golden-page tests for your own suites (a pytest plugin: fixture `page_matches`).

    from pagesetter.testing import assert_page_matches

    def test_front_page():
        assert_page_matches("layouts/front.yaml", "tests/golden")

or, with the plugin loaded (the `pytest11` entry point, or `-p pagesetter.testing`):

    def test_front_page(page_matches):
        page_matches("layouts/front.yaml")          # goldens in tests/golden/ beside the test
        page_matches("layouts/edition.yaml")        # an edition (整版): every page, and the jumps

`assert_page_matches` composes the spec, renders the PDF in memory and compares both with the
goldens in `golden_dir`, under one tolerance model (`tolerance` pt, `color_tolerance`,
`pixel_threshold`; see pagesetter.check.tolerance):

- `<name>.dump.txt`   the layout dump (`pagesetter dump`): page → frame → line, 0.01 pt, colours
                      resolved to CMYK; compared line by line with the tolerance, not as text;
- `<name>.pdf`        the rendered page, when under `max_pdf_bytes` (compared with `pagesetter
                      diff`, not byte for byte);
- `<name>.fonts.json` which font files (content sha256) served each role.

An edition's goldens (`edition_golden_paths`) are `<edition>.dump.txt` (the whole edition's dump,
as `pagesetter dump edition.yaml` prints it, compared page by page), `<edition>.jumps.json` (its
pages in order and its jumps, 转版) and, per page named by the page's name, `<edition>/<page>.pdf`
and `<edition>/<page>.fonts.json`. Every finding names the page, story, frame and article line.

A mismatch fails with a short report — page, story and frame, article line and the place in mm
from the trim's top-left for every colour change, move and text change, at most `max_lines`
lines, the rest in `<name>.report.txt` — and no pagesetter source in the traceback. The new PDF,
its dump, a diff image and an HTML report go to `out_dir` (a fresh temporary folder unless given;
the fixture uses the test's `tmp_path`), never into the goldens folder.

Fonts fail closed. When the faces that serve a page differ from those recorded (another
machine's fonts, or a font missing here), the test fails saying which, everywhere — unless the
skip is asked for explicitly (`strict=False`, `PAGESETTER_STRICT=0`, or `pytest
--skip-font-mismatch`). Either way the plugin lists every page not compared at the end of the run
and makes the run's exit status non-zero. A role the spec pins (its `fonts:` map) served
by another file is the spec's doing: always a failure, compared like any other change.

Regenerate the goldens with `regenerate=True`, `PAGESETTER_REGENERATE=1` or (plugin loaded)
`pytest --regenerate-goldens`; the plugin lists what it wrote, and golden files no test of the
run used. With `CI` set, regeneration by the environment or the option is refused unless forced
with `PAGESETTER_REGENERATE=force` (`guard_regeneration`): goldens written on CI are never reviewed.
"""
from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import pytest

from .check.tolerance import DEFAULT_COLOR, DEFAULT_DPI, DEFAULT_POSITION
from .records import record

if TYPE_CHECKING:
    from .build import Composed
    from .check.where import PageMap

ENV = "PAGESETTER_REGENERATE"
FORCE = "force"
STRICT_ENV = "PAGESETTER_STRICT"  # 0: a font mismatch skips (listed, the run exits non-zero) instead of failing
MAX_PDF_BYTES = 768_000  # the sample page is ~550 KB: ~400 KB of font subsets, ~150 KB its ICC output profile
MAX_LINES = 60
BY_RUN = "by-run"  # `regenerate` asked by the environment or the command line, not by the code
WRITTEN: list[Path] = []  # goldens written in this process (the plugin reports them)
USED: dict[Path, set[str]] = {}  # golden folder → page names checked or written in this process
REGENERATED_IN: set[Path] = set()  # golden folders the run regenerated (unused goldens are listed there)
NOTES: list[str] = []  # what regeneration did besides writing (the plugin reports them)
NOT_COMPARED: list[tuple[Path, str]] = []  # (golden folder, why): pages a font mismatch kept from comparing
_TRUE = ("1", "true", "yes", "on", FORCE)
GOLDEN_SUFFIXES = (".dump.txt", ".fonts.json", ".pdf", ".jumps.json")


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
    """Is `CI` set (to anything but empty, 0, false or no)?"""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def strict_requested(strict: bool | None = None) -> bool:
    """Do fonts fail closed? An explicit True/False wins; else PAGESETTER_STRICT if set; else
    yes — on CI and on your machine alike (a page not compared must never pass quietly)."""
    if strict is not None:
        return strict
    if os.environ.get(STRICT_ENV, "").strip():
        return _env_true(STRICT_ENV)
    return True


def guard_regeneration(regenerate: bool | str | None = None) -> None:
    """Refuse (GoldenMismatch) a regeneration asked by the environment or the run while `CI` is
    set, unless PAGESETTER_REGENERATE=force; `regenerate=True` in code is explicit and allowed.
    For a suite that writes goldens of its own: call it before writing them."""
    __tracebackhide__ = True
    explicit = regenerate is True
    if explicit or not on_ci() or os.environ.get(ENV, "").strip().lower() == FORCE:
        return
    raise GoldenMismatch(f"refusing to regenerate goldens: CI is set ({os.environ.get('CI')!r}), and goldens "
                         "written on CI are never reviewed. Regenerate on your machine and commit the reviewed "
                         f"files, or force it with {ENV}={FORCE}.")


def font_fingerprint(composed, cache_dir: Path | None = None) -> dict:
    """role → the face that served it: file name, face index, family and content sha256."""
    from .fonts.cache import content_hash, default_cache_dir

    cache_dir = Path(cache_dir or default_cache_dir())
    out = {}
    for role, face in sorted(composed.faces.items()):
        src = face.source
        out[role] = {"file": src.path.name, "index": src.index, "family": src.family,
                     "sha256": content_hash(src.path, cache_dir)}
    return out


def _font_change(role: str, r: dict, c: dict) -> str:
    return (f"{role}: goldens made with {r.get('family')} ({r.get('file')}#{r.get('index')}, "
            f"sha256 {str(r.get('sha256'))[:12]}), here {c['family']} ({c['file']}#{c['index']}, "
            f"sha256 {c['sha256'][:12]})")


def font_mismatch(recorded: dict, current: dict, pinned) -> tuple[list[str], list[str]]:
    """(roles served by other font files than when the goldens were made — the machine's fonts —,
    roles the spec's fonts: map pins served by another file — the spec's doing, always a failure)."""
    machine: list[str] = []
    spec: list[str] = []
    for role in sorted(set(recorded) & set(current)):
        r, c = recorded[role], current[role]
        if r.get("sha256") != c.get("sha256"):
            (spec if role in pinned else machine).append(_font_change(role, r, c))
    return machine, spec


def golden_paths(golden_dir: Path, name: str) -> dict[str, Path]:
    """A page's goldens: its dump, PDF and fonts."""
    golden_dir = Path(golden_dir)
    return {"dump": golden_dir / f"{name}.dump.txt", "pdf": golden_dir / f"{name}.pdf",
            "fonts": golden_dir / f"{name}.fonts.json"}


def edition_golden_paths(golden_dir: Path, edition: str, pages=()) -> dict[str, Any]:
    """An edition's goldens: the whole edition's dump, its pages and jumps, and per page (by name,
    in the folder named as the edition) its PDF and fonts (`golden_paths`; no dump of its own)."""
    golden_dir = Path(golden_dir)
    return {"dump": golden_dir / f"{edition}.dump.txt", "jumps": golden_dir / f"{edition}.jumps.json",
            "folder": golden_dir / edition, "pages": {p: golden_paths(golden_dir / edition, p) for p in pages}}


@record
class _Page:
    name: str
    composed: Composed
    dump: str
    pdf: bytes
    fonts: dict
    places: PageMap
    label: str = ""  # in an edition: "page 2 sample-page-2"


@record
class _Edition:
    name: str
    pages: tuple[_Page, ...]
    jumps: dict  # {"pages": [names in order], "jumps": ["p1/s (page 1) → p2/t (page 2)", …]}

    @property
    def dump(self) -> str:
        return "".join(p.dump for p in self.pages)


def _build(spec: Path, cache_dir, name: str | None) -> _Page:
    from .build import compose_page, doc_meta, load_stories
    from .check.where import PageMap
    from .layout.dump import dump_layout
    from .render.pdf import render_pdf

    composed = compose_page(spec, cache_dir)
    places = PageMap(composed.layout, composed.spec, load_stories(composed.spec))
    pdf = render_pdf(composed.layout, composed.faces, doc_meta(composed.spec))
    return _Page(name or composed.layout.name, composed, dump_layout(composed.layout, composed.faces, cache_dir), pdf,
                 font_fingerprint(composed, cache_dir), places)


def _build_edition(spec: Path, cache_dir, name: str | None) -> _Edition:
    from .build_edition import compose_edition
    from .check.where import edition_map
    from .layout.dump import dump_layout

    composed = compose_edition(spec, cache_dir, render=True)
    maps = edition_map(composed).pages
    pages = tuple(_Page(c.spec.name, c, dump_layout(c.layout, c.faces, cache_dir), pdf, font_fingerprint(c, cache_dir), m, m.page or "")
                  for c, pdf, m in zip(composed.pages, composed.pdfs, maps))
    names = [c.spec.name for c in composed.pages]
    jumps = [f"{names[j.source[0] - 1]}/{j.source[1]} (page {j.source[0]}) → "
             f"{names[j.target[0] - 1]}/{j.target[1]} (page {j.target[0]})" for j in composed.jumps]
    return _Edition(name or composed.edition.name, pages, {"pages": names, "jumps": jumps})


def _write(path: Path, data: bytes, announce: bool) -> None:
    from .outputs import write_atomically

    if path.is_file() and path.read_bytes() == data:
        return
    write_atomically(path, data)
    if announce:
        WRITTEN.append(path)
        print(f"pagesetter: wrote golden {path}")


def _json_bytes(data: dict) -> bytes:
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def _regenerate(page: _Page, paths: dict, max_pdf_bytes: int, announce: bool, dump: bool = True) -> None:
    """Write the goldens; `announce` (regeneration asked by the run, not the code): list them.
    `dump=False`: an edition's page, whose dump is in the edition's."""
    if announce:
        REGENERATED_IN.add(paths["dump"].parent.resolve())
    if dump:
        _write(paths["dump"], page.dump.encode("utf-8"), announce)
    _write(paths["fonts"], _json_bytes(page.fonts), announce)
    if len(page.pdf) <= max_pdf_bytes:
        _write(paths["pdf"], page.pdf, announce)
    elif paths["pdf"].exists():
        paths["pdf"].unlink()
        _note(f"removed golden {paths['pdf']} (the PDF is over max_pdf_bytes={max_pdf_bytes})")
    elif announce and max_pdf_bytes > 0:  # (0: no PDF goldens, asked for)
        _note(f"no golden {paths['pdf']}: the PDF is {len(page.pdf)} bytes, over "
              f"max_pdf_bytes={max_pdf_bytes} (raise it to compare the PDF too; the dump is compared)")


def _note(text: str) -> None:
    NOTES.append(text)
    print(f"pagesetter: {text}")


def _font_problems(page: _Page, paths: dict) -> tuple[list[str], str | None]:
    """(the machine's font differences, the problem the spec's pinned fonts make, or None)."""
    if not paths["fonts"].is_file():
        return [], None
    recorded = json.loads(paths["fonts"].read_text(encoding="utf-8"))
    machine, pinned = font_mismatch(recorded, page.fonts, set(page.composed.spec.fonts))
    where = f"{page.label}: " if page.label else ""
    problem = (f"{where}fonts pinned by the spec's fonts: map are other files than the goldens' ("
               + "; ".join(pinned) + ")") if pinned else None
    return [where + m for m in machine], problem


def _fonts_gate(what: str, golden_dir, differ: list[str], strict: bool) -> None:
    """Nothing is compared with other fonts than the goldens': fail (fonts fail closed), or, when
    the skip was asked for, skip; either way the plugin lists the page at the end of the run, and
    the run's exit status is non-zero."""
    __tracebackhide__ = True
    if not differ:
        return
    message = (f"{what}: the fonts here differ from the goldens' (" + "; ".join(differ)
               + f"); nothing was compared. Install the same fonts, or regenerate with {ENV}=1")
    NOT_COMPARED.append((Path(golden_dir).resolve(), message))
    if strict:
        raise GoldenMismatch(message + f" [fonts fail closed: {STRICT_ENV}=0 or pytest --skip-font-mismatch "
                                       "skips instead, and the run still exits non-zero]")
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
    where, summary = "", report.summary()
    if page.label:  # an edition's page: its own PDF's "page 1" is the edition's page `label`
        where = f"{page.label}: "
        summary = "\n".join(f"{page.label}:" if line == "page 1:" else line for line in summary.splitlines())
    return (f"{where}PDF differs from the golden:\n" + summary
            + "\ndiff image: " + ", ".join(str(p) for p in images) + f"\nHTML report: {html}\nnew PDF: {new_pdf}")


def _dump_problem(page: _Page, golden: str, new_dump: Path, opts: dict) -> tuple[str | None, str | None]:
    """(the problem to report, the dump's findings for the HTML report), or (None, None); the
    caller writes the new dump to `new_dump` when there is a problem."""
    from .check.dumpdiff import compare_dumps
    from .check.dumpreport import describe_findings
    from .check.tolerance import Tolerance

    if golden == page.dump:
        return None, None
    tol = Tolerance(opts["tolerance"], opts["color_tolerance"], opts["pixel_threshold"])
    found = compare_dumps(golden, page.dump, tol)
    if not found:
        return None, None
    text = describe_findings(found, page.places, tol.position)
    where = f"{page.label}: " if page.label else ""
    return f"{where}layout dump differs ({tol.describe()}):\n{text}\n(new dump: {new_dump})", text


def _page_problems(page: _Page, golden_dump: str, paths: dict, folder: Path, opts: dict,
                   new_dump: Path) -> list[str]:
    """What differs on one page: the spec's pinned fonts, the dump, the PDF."""
    _, pinned = _font_problems(page, paths)
    dump_problem, dump_text = _dump_problem(page, golden_dump, new_dump, opts)
    pdf_problem = _pdf_problem(page, paths, folder, opts, dump_text)
    return [p for p in (pinned, dump_problem, pdf_problem) if p]


def _fail(what: str, name: str, golden_dir, folder: Path, problems: list[str], max_lines: int) -> NoReturn:
    __tracebackhide__ = True
    hint = f"If the change is intended, regenerate with {ENV}=1 and review the diff."
    full = f"{what} does not match its goldens in {golden_dir}:\n" + "\n\n".join(problems) + f"\n\n{hint}"
    report = folder / f"{name}.report.txt"
    report.write_text(full + "\n", encoding="utf-8")
    lines = full.splitlines()
    if max_lines and len(lines) > max_lines:
        more = f"… {len(lines) - max_lines + 2} more lines: the full report is {report}"
        lines = lines[:max_lines - 2] + [more, hint]
    raise GoldenMismatch("\n".join(lines))


def _no_golden(what: str, golden_dir, missing: Path) -> NoReturn:
    __tracebackhide__ = True
    raise GoldenMismatch(f"no golden for {what} in {golden_dir} (looked for {missing.name}); "
                         f"make them with {ENV}=1 (or regenerate=True) and commit them")


def assert_page_matches(spec, golden_dir, *, regenerate: bool | str | None = None, name: str | None = None,
                        out_dir=None, tolerance: float = DEFAULT_POSITION, color_tolerance: float = DEFAULT_COLOR,
                        pixel_threshold: float = 0.0, dpi: float = DEFAULT_DPI, max_pdf_bytes: int = MAX_PDF_BYTES,
                        cache_dir=None, strict: bool | None = None, max_lines: int = MAX_LINES) -> None:
    """Build `spec` — a page or an edition — and compare it with the goldens in `golden_dir` (see
    the module's doc).

    Raises GoldenMismatch (an AssertionError) with the differences, and when the fonts differ from
    the goldens' (fonts fail closed; `strict=False` skips instead); writes the goldens instead when
    regenerating."""
    __tracebackhide__ = True
    from .pagespec.edition import is_edition

    opts = {"tolerance": tolerance, "color_tolerance": color_tolerance, "pixel_threshold": pixel_threshold,
            "dpi": dpi, "max_pdf_bytes": max_pdf_bytes, "max_lines": max_lines, "strict": strict_requested(strict),
            "out_dir": out_dir}
    check = _edition_matches if is_edition(Path(spec)) else _page_matches
    check(Path(spec), golden_dir, regenerate, name, cache_dir, opts)


def _page_matches(spec: Path, golden_dir, regenerate, name: str | None, cache_dir, opts: dict) -> None:
    __tracebackhide__ = True
    page = _build(spec, cache_dir, name)
    paths = golden_paths(golden_dir, page.name)
    USED.setdefault(Path(golden_dir).resolve(), set()).add(page.name)
    if regenerate_requested(regenerate):
        guard_regeneration(regenerate)
        _regenerate(page, paths, opts["max_pdf_bytes"], announce=regenerate is not True)
        return
    if not paths["dump"].is_file():
        _no_golden(f"page {page.name!r}", golden_dir, paths["dump"])
    _fonts_gate(f"page {page.name!r}", golden_dir, _font_problems(page, paths)[0], opts["strict"])
    folder = _out_folder(opts["out_dir"], page.name)
    golden = paths["dump"].read_text(encoding="utf-8")
    new_dump = folder / paths["dump"].name
    problems = _page_problems(page, golden, paths, folder, opts, new_dump)
    if problems:
        new_dump.write_text(page.dump, encoding="utf-8")
        _fail(f"page {page.name!r}", page.name, golden_dir, folder, problems, opts["max_lines"])


# ---- editions (整版): the whole edition's dump, its pages and jumps, each page's PDF and fonts -----

def _dump_pages(text: str) -> dict[str, str]:
    """An edition's dump cut into its pages' dumps, by page name (each starts `page <name> …`)."""
    out: dict[str, str] = {}
    name = None
    for line in text.splitlines(keepends=True):
        if line.startswith("page "):
            name = line.split(" ", 2)[1]
            out[name] = ""
        if name is not None:
            out[name] += line
    return out


def _regenerate_edition(ed: _Edition, paths: dict, max_pdf_bytes: int, announce: bool) -> None:
    if announce:
        REGENERATED_IN.update({paths["dump"].parent.resolve(), paths["folder"].resolve()})
    _write(paths["dump"], ed.dump.encode("utf-8"), announce)
    _write(paths["jumps"], _json_bytes(ed.jumps), announce)
    for page in ed.pages:
        _regenerate(page, paths["pages"][page.name], max_pdf_bytes, announce, dump=False)


def _order_problems(golden: dict, now: dict) -> list[str]:
    """The edition's pages and jumps against the goldens': pages new, gone or reordered; jumps changed."""
    was, pages = list(golden.get("pages", [])), list(now["pages"])
    out = [f"page {pages.index(p) + 1} {p} is new: it has no goldens" for p in pages if p not in was]
    out += [f"page {p} (page {was.index(p) + 1} in the goldens) is gone" for p in was if p not in pages]
    kept = [p for p in pages if p in was]
    if kept != [p for p in was if p in pages]:
        out.append(f"pages reordered: the goldens have {', '.join(was)}; now {', '.join(pages)}")
    gone = [j for j in golden.get("jumps", []) if j not in now["jumps"]]
    new = [j for j in now["jumps"] if j not in golden.get("jumps", [])]
    if gone or new:
        out.append("jumps (转版) changed:\n" + "\n".join([f"  - {j}" for j in gone] + [f"  + {j}" for j in new]))
    return ["edition: " + "\n".join(out)] if out else []


def _edition_matches(spec: Path, golden_dir, regenerate, name: str | None, cache_dir, opts: dict) -> None:
    __tracebackhide__ = True
    ed = _build_edition(spec, cache_dir, name)
    paths = edition_golden_paths(golden_dir, ed.name, [p.name for p in ed.pages])
    USED.setdefault(Path(golden_dir).resolve(), set()).add(ed.name)
    USED.setdefault(paths["folder"].resolve(), set()).update(p.name for p in ed.pages)
    if regenerate_requested(regenerate):
        guard_regeneration(regenerate)
        _regenerate_edition(ed, paths, opts["max_pdf_bytes"], announce=regenerate is not True)
        return
    for key in ("dump", "jumps"):
        if not paths[key].is_file():
            _no_golden(f"edition {ed.name!r}", golden_dir, paths[key])
    machine = [m for p in ed.pages for m in _font_problems(p, paths["pages"][p.name])[0]]
    _fonts_gate(f"edition {ed.name!r}", golden_dir, machine, opts["strict"])
    folder = _out_folder(opts["out_dir"], ed.name)
    golden = _dump_pages(paths["dump"].read_text(encoding="utf-8"))
    problems = _order_problems(json.loads(paths["jumps"].read_text(encoding="utf-8")), ed.jumps)
    new_dump = folder / paths["dump"].name
    for page in ed.pages:
        if page.name in golden:
            problems += _page_problems(page, golden[page.name], paths["pages"][page.name], folder, opts, new_dump)
    if problems:
        new_dump.write_text(ed.dump, encoding="utf-8")
        _fail(f"edition {ed.name!r}", ed.name, golden_dir, folder, problems, opts["max_lines"])


# ---- the pytest plugin -------------------------------------------------------------------------

def pytest_addoption(parser) -> None:
    group = parser.getgroup("pagesetter")
    group.addoption("--regenerate-goldens", action="store_true", default=False,
                    help=f"rewrite pagesetter golden pages instead of comparing (same as {ENV}=1; "
                         f"refused when CI is set unless {ENV}={FORCE})")
    group.addoption("--skip-font-mismatch", action="store_true", default=False,
                    help=f"skip a golden page whose fonts differ from its goldens' instead of failing it "
                         f"(same as {STRICT_ENV}=0); the pages not compared are listed and the run exits non-zero")


@pytest.fixture
def page_matches(request, tmp_path) -> Callable[..., None]:
    """`page_matches(spec, golden_dir=None, **options)`: `assert_page_matches` — a page or an
    edition — with the goldens in `golden/` beside the test file by default and the failure
    outputs in the test's tmp_path."""
    flag = request.config.getoption("regenerate_goldens", default=False)
    skip_fonts = request.config.getoption("skip_font_mismatch", default=False)

    def check(spec, golden_dir=None, **options) -> None:
        __tracebackhide__ = True
        if flag:
            options.setdefault("regenerate", BY_RUN)
        if skip_fonts:
            options.setdefault("strict", False)
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
            if path.name.endswith(GOLDEN_SUFFIXES) and stem not in names:
                out.append(path)
    return out


def pytest_sessionfinish(session, exitstatus) -> None:
    """A run in which a golden page was not compared (its fonts differ, the skip asked for) does
    not pass: its exit status is 1 even when every test passed or skipped."""
    if NOT_COMPARED and session.exitstatus == 0:
        session.exitstatus = 1


def pytest_terminal_summary(terminalreporter) -> None:
    if not REGENERATED_IN and not NOT_COMPARED:
        return
    terminalreporter.section("pagesetter goldens")
    for _folder, message in NOT_COMPARED:
        terminalreporter.write_line(f"NOT COMPARED {message}")
    if NOT_COMPARED:
        terminalreporter.write_line(f"{len(NOT_COMPARED)} golden test(s) compared nothing (the fonts differ): "
                                    "the run exits 1")
    if REGENERATED_IN:
        _regeneration_summary(terminalreporter)


def _regeneration_summary(terminalreporter) -> None:
    for path in WRITTEN:
        terminalreporter.write_line(f"wrote {path}")
    for note in NOTES:
        terminalreporter.write_line(note)
    if not WRITTEN:
        terminalreporter.write_line("regenerated: every golden was already up to date")
    for path in unused_goldens():
        terminalreporter.write_line(f"no test of this run uses {path} (delete it if its test is gone)")
    terminalreporter.write_line("review them (git diff) before committing")


__all__ = ["GoldenMismatch", "assert_page_matches", "edition_golden_paths", "font_fingerprint", "font_mismatch",
           "golden_paths", "guard_regeneration", "on_ci", "page_matches", "regenerate_requested",
           "strict_requested"]
