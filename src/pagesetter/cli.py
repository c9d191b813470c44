"""Command line: `pagesetter build page.yaml`, `watch`, `check`, `init`, `schema`, `diff`, `render`, `dump`,
`preflight`.

Exit codes, the same for every command:

    0  done, nothing to report
    1  done (built, checked, compared), but with something the user must see: overset text,
       warnings (a substituted face, a picture below 300 ppi), or pages that differ (`diff`)
    2  bad input: the spec, an article, a font or an image is wrong (file:line:column, what, fix),
       or the command line is; nothing is written
    3  internal error: a bug in pagesetter, not in the input (--debug shows the traceback)
"""
from __future__ import annotations

import math
import os
import sys
import time
from pathlib import Path
from typing import TypeGuard

import click

from .check.tolerance import DEFAULT_COLOR, DEFAULT_DPI, DEFAULT_POSITION
from .errors import PagesetterError, internal_error
from . import process
from .render.raster import MAX_DPI, MIN_DPI


def _summary(composed, out: Path | None, seconds: float) -> tuple[str, bool]:
    from .build import fallback_use

    layout = composed.layout
    over = [r for r in layout.stories if r.overset or r.overfull] + composed.block_overset
    parts = [f"{r.id}: {r.lines_set}/{r.lines_available} lines"
             + (f", OVERSET {r.overset}" if r.overset else f", {r.underset} under" if r.underset else "")
             + (f" from {r.overset_text!r} ({r.overset_at})" if r.overset and r.overset_text else "")
             + (f", jumps: {r.jump}" if r.jump else "")
             + (f", last row balanced to {_count(r.balanced, 'line')}" if r.balanced else "")
             + (f", {r.overfull} OVERFULL (wider than the frame)" if r.overfull else "")
             + (f" (auto-copyfit: {r.adjustment})" if r.adjustment else "")
             for r in layout.stories]
    parts += [f"{b.where}: OVERSET {b.lines}" for b in composed.block_overset]
    parts += [f"fallback face {u['family']} ({Path(u['file']).name}) sets {' '.join(u['characters'])} for {u['role']}"
              for u in fallback_use(composed.faces)]
    head = f"built {out}" if out else f"checked {composed.spec.path}"
    text = (f"{head}: {_count(len(layout.stories), 'story', 'stories')}, {_count(layout.frames, 'frame')}, "
            f"{'OVERSET' if over else 'nothing overset'} ({seconds:.2f}s)\n  " + "\n  ".join(parts))
    return text, bool(over)


class Finite(click.ParamType):
    """A finite number in [lo, hi]: nan, inf and out-of-range values are refused with an example."""

    name = "number"

    def __init__(self, lo: float, hi: float, example: str):
        self.lo, self.hi, self.example = lo, hi, example

    def convert(self, value, param, ctx):
        try:
            number = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number; give one from {self.lo:g}–{self.hi:g}, e.g. {self.example}",
                      param, ctx)
        if not (math.isfinite(number) and self.lo <= number <= self.hi):
            self.fail(f"{value!r} is outside {self.lo:g}–{self.hi:g} (a finite number); e.g. {self.example}",
                      param, ctx)
        return number


DPI = Finite(MIN_DPI, MAX_DPI, "--dpi 100")
DEBUG = click.option("--debug", is_flag=True, help="show the traceback of an error (bad input or internal)")


def _exit_on_sigterm() -> None:
    """SIGTERM (kill, a CI timeout) and SIGHUP (the terminal closed) unwind like Ctrl-C, so
    temporary files are removed and an edition's workers are ended; exit 128 + the signal."""
    import signal

    def stop(signum, frame):
        raise SystemExit(128 + signum)

    try:
        signal.signal(signal.SIGTERM, stop)
        if signal.getsignal(signal.SIGHUP) is signal.SIG_DFL:  # (nohup's SIG_IGN is kept)
            signal.signal(signal.SIGHUP, stop)
    except ValueError:  # not the main thread (an embedding program): leave its handlers alone
        pass


class _Main(click.Group):
    """Shared exit codes for every command: bad input (PagesetterError) → 2 with its message and no
    traceback; anything else unexpected → 3 (internal error). --debug (or PAGESETTER_DEBUG=1) re-raises."""

    def invoke(self, ctx: click.Context):
        args = [*getattr(ctx, "_protected_args", []), *ctx.args]
        debug = "--debug" in args or os.environ.get("PAGESETTER_DEBUG") == "1"
        _exit_on_sigterm()
        try:
            _working_folder()
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except PagesetterError as exc:
            if debug:
                raise
            _tell(f"error: {exc}")
            ctx.exit(exc.exit_code)
        except BrokenPipeError:  # `pagesetter build … | head`: the reader left; the work is done
            process.quiet_stdout()
            ctx.exit(EXIT_OK)
        except KeyboardInterrupt:  # Ctrl-C: outputs are written as a set, so none is half-written
            _tell("stopped (Ctrl-C): no output was half-written; an earlier build's files are as they were")
            ctx.exit(EXIT_INTERRUPTED)
        except Exception as exc:
            from .files import is_path_error, os_problem

            if debug:
                raise
            if is_path_error(exc):  # a path of the user's: missing, a folder, read-only, name too long, …
                _tell(f"error: {os_problem(exc, doing='read or write')}")
                ctx.exit(EXIT_BAD_INPUT)
            if _no_room(exc):  # `pagesetter build … > /dev/full`: the terminal's output, not a path
                process.quiet_stdout()
                _tell(f"error: cannot write to the standard output: {os.strerror(exc.errno or 0).lower()}\n"
                      "    fix: send it where there is room (> out/log.txt on another disk, or > /dev/null)")
                ctx.exit(EXIT_BAD_INPUT)
            _tell(internal_error(exc))
            ctx.exit(EXIT_INTERNAL)


EXIT_OK, EXIT_WARNINGS, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a command stopped by Ctrl-C


def _working_folder() -> None:
    """Refuse to run from a folder that no longer exists (deleted under the shell): relative paths
    cannot be resolved, and libraries that ask for it (ReportLab at import) would fail."""
    try:
        os.getcwd()
    except OSError:
        raise PagesetterError.at("the current folder no longer exists (it was deleted or moved away)", ".",
                                 fix="cd into an existing folder (e.g. cd ~) and run the command again") from None


def _no_room(exc: BaseException) -> TypeGuard[OSError]:
    """An OSError writing where no file is named: the standard output or error ran out of room."""
    import errno

    return isinstance(exc, OSError) and getattr(exc, "filename", None) is None and \
        exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO)


def _tell(text: str) -> None:
    """Print a message on stderr; if even that cannot be written (a full disk), the exit code says it."""
    try:
        click.echo(text, err=True)
    except OSError:
        pass


@click.group(cls=_Main)
@click.version_option(package_name="pagesetter")
def main() -> None:
    """pagesetter: typeset Chinese newspaper pages from a YAML layout spec into PDF."""


def _warn(warnings) -> None:
    for w in warnings:
        click.echo(f"warning: {w}", err=True)


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


def _edition_summary(composed, out: Path | None, seconds: float) -> tuple[str, bool]:
    pages, over = [], False
    for n, page in enumerate(composed.pages, 1):
        text, o = _summary(page, None, 0)
        over |= o
        pages.append(f"page {n} ({page.spec.name}): " + text.split(": ", 1)[1].replace(" (0.00s)", ""))
    head = f"built {out} and {out.with_suffix('')}/" if out else f"checked {composed.edition.path}"
    text = (f"{head}: edition {composed.edition.name}, {_count(len(composed.pages), 'page')}, "
            f"{_count(len(composed.jumps), 'jump')}, "
            f"{'OVERSET' if over else 'nothing overset'} ({seconds:.2f}s)\n" + "\n".join(pages))
    return text, over


def _default_output(spec: Path, allow_outside: bool) -> Path:
    """out/<page name>.pdf, or out/<edition name>.pdf for an edition."""
    from .build import default_output
    from .pagespec.edition import is_edition, load_edition
    from .pagespec.load import load_spec

    if is_edition(spec):
        return Path("out") / f"{load_edition(spec, allow_outside).name}.pdf"
    return default_output(load_spec(spec, allow_outside=allow_outside))


def _one_output_each(specs: tuple[Path, ...], allow_outside: bool) -> None:
    """Several specs on one command line must not build to one path (the last would silently win)."""
    seen: dict[Path, Path] = {}
    for spec in specs:
        out = _default_output(spec, allow_outside)
        if (key := out.resolve()) in seen:
            raise PagesetterError.at(f"{seen[key]} and {spec} would both be built to {out}", spec,
                                     fix="give one of them another name (page.name, or edition.name), "
                                         "or build them one at a time with -o")
        seen[key] = spec


def _build_one(spec: Path, output: str | None, no_png: bool, dpi: float, allow_outside: bool,
               jobs: int | None) -> int:
    from .build import build as run_build, default_output
    from .pagespec.edition import is_edition

    start = time.perf_counter()
    if is_edition(spec):
        from .build_edition import build_edition

        from .outputs import output_path

        out = output_path(output, _default_output(spec, allow_outside))
        edition = build_edition(spec, out, png=not no_png, dpi=dpi, allow_outside=allow_outside, jobs=jobs)
        text, over = _edition_summary(edition, out, time.perf_counter() - start)
        warnings = list(edition.warnings)
    else:  # the spec is loaded once: the build names the default output from it
        composed = run_build(spec, output, png=not no_png, dpi=dpi, allow_outside=allow_outside)
        text, over = _summary(composed, default_output(composed.spec, output), time.perf_counter() - start)
        warnings = list(composed.warnings)
    _warn(warnings)
    click.echo(text)
    return EXIT_WARNINGS if over or warnings else EXIT_OK


@main.command()
@click.argument("specs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=str),
              help="PDF path, or a folder for out/<page>.pdf's name in it (default out/<page>.pdf; an edition's "
                   "pages go to out/<edition>/)")
@click.option("--no-png", is_flag=True, help="skip the PNG preview")
@click.option("--dpi", type=DPI, default=100.0, show_default=True, help=f"PNG preview resolution ({MIN_DPI}–{MAX_DPI})")
@click.option("--jobs", type=click.IntRange(1, 64), help="editions: pages composed at once (default: cores)")
@click.option("--allow-outside", is_flag=True, help="allow files outside the project folder")
@DEBUG
def build(specs: tuple[Path, ...], output: str | None, no_png: bool, dpi: float, jobs: int | None, debug: bool,
          allow_outside: bool) -> None:
    """Build each SPEC — a page, or an edition (a file with edition:) — into PDF and PNG previews."""
    if output is not None and len(specs) > 1:
        raise click.UsageError("-o/--output names one PDF: give one SPEC with it")
    if len(specs) > 1:
        _one_output_each(specs, allow_outside)
    sys.exit(max(_build_one(s, output, no_png, dpi, allow_outside, jobs) for s in specs))


@main.command("make-up")
@click.argument("spec", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="where to write the made-up page spec (YAML)")
@click.option("--allow-outside", is_flag=True, help="allow files outside the project folder")
@DEBUG
def make_up(spec: Path, output: Path, allow_outside: bool, debug: bool) -> None:
    """Make up SPEC (自动组版: its makeup: section) and write the chosen geometry as an ordinary page
    spec: frames, chains, headline blocks, rules. Building it gives the same PDF byte for byte."""
    from .build import make_up as run_make_up

    start = time.perf_counter()
    composed = run_make_up(spec, output, allow_outside=allow_outside)
    text, over = _summary(composed, None, time.perf_counter() - start)
    _warn(composed.warnings)
    click.echo(f"made up {spec} → {output}: " + _made_up_line(composed))
    click.echo(text)
    sys.exit(EXIT_WARNINGS if over or composed.warnings else EXIT_OK)


def _made_up_line(composed) -> str:
    from .layout.makeup_spec import figures

    f = figures(composed.made, composed.layout.stories)
    return (f"{f['stories']} stories placed, {f['empty_lines']} of {f['area_lines']} area lines empty "
            f"({100 * f['fill']:.1f} % filled), {f['tombstones']} tombstones, {f['legs']} 刀把")


@main.command()
@click.argument("source", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="the folder to write the regenerated archive to (new, empty, or an earlier run's)")
@click.option("--workers", type=click.IntRange(1, 256), default=2, show_default=True,
              help="worker processes of the local Dask cluster (one thread each)")
@click.option("--scheduler", metavar="ADDRESS", help="a running Dask scheduler to use instead (tcp://host:8786)")
@click.option("--dpi", type=DPI, default=100.0, show_default=True, help=f"the pages' PNG resolution ({MIN_DPI}–{MAX_DPI})")
@DEBUG
def archive(source: Path, output: Path, workers: int, scheduler: str | None, dpi: float, debug: bool) -> None:
    """Regenerate an archive (报纸档案): every issue of SOURCE (a tree of archive article files) made
    up and built, written under OUTPUT/<yyyy>/<mm>/<dd>/ as the edition's PDF, a PDF, PNG and ALTO
    per page, a METS file and a report; with an HTML index and the run's summary.json. Issues
    run as Dask tasks; a rerun skips the issues already made from the same inputs."""
    from .archive.run import RunOptions, echo_err, run_archive
    from .fonts.cache import default_cache_dir

    data = run_archive(RunOptions(source, output, workers, scheduler, dpi, cache=str(default_cache_dir())), echo_err)
    if sys.stderr.isatty():
        sys.stderr.write("\n")
    issues = data["issues"]
    click.echo(f"archive {source} → {output}: {issues['made']} issues made, {issues['skipped']} skipped (done before), "
               f"{issues['failed']} failed; {data['pages']} pages, {data['articles']} articles, "
               f"{data['overset_lines']} lines overset; {data['pages_per_minute']} pages/min on {data['workers']} "
               f"workers ({data['wall_seconds']} s)")
    for over in data["overset"]:
        _tell(f"warning: issue {over['issue']}: {over['lines']} lines OVERSET (its report.json names the stories)")
    for failure in data["failures"]:
        _tell(f"error: issue {failure['issue']}:\n" + "\n".join(failure["problems"]))
    sys.exit(data["exit"])


@main.command()
@click.argument("spec", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=str),
              help="PDF path, or a folder for out/<page>.pdf's name in it (default out/<page>.pdf)")
@click.option("--no-png", is_flag=True, help="skip the PNG preview")
@click.option("--dpi", type=DPI, default=100.0, show_default=True, help=f"PNG preview resolution ({MIN_DPI}–{MAX_DPI})")
@click.option("--allow-outside", is_flag=True, help="allow files outside the project folder")
@DEBUG
def watch(spec: Path, output: str | None, no_png: bool, dpi: float, allow_outside: bool, debug: bool) -> None:
    """Build SPEC, then rebuild it each time the spec, an article, a picture or a font is saved.

    One warm process: a rebuild sets again only what changed. Errors are printed and watching
    goes on; Ctrl-C stops it (exit 0)."""
    from .pagespec.edition import is_edition
    from .watch import Watcher, run

    if is_edition(spec):
        raise PagesetterError.at("watch rebuilds one page, and this is an edition", spec,
                                 fix="watch one of its pages (pagesetter watch layouts/<page>.yaml), "
                                 "or build the edition with pagesetter build")
    watcher = Watcher(spec, output, png=not no_png, dpi=dpi, allow_outside=allow_outside, debug=debug,
                      summary=_summary)
    run(watcher, click.echo)
    click.echo("stopped")
    sys.exit(EXIT_OK)


@main.command()
@click.argument("a", type=click.Path(path_type=Path))
@click.argument("b", type=click.Path(path_type=Path))
@click.option("--tolerance", type=Finite(0, 1000, "--tolerance 0.01"), default=DEFAULT_POSITION, show_default=True, metavar="PT",
              help="positions (glyphs, shapes, boxes; pixels within this reach) may differ by this much")
@click.option("--color-tolerance", type=Finite(0, 1, "--color-tolerance 0.02"), default=DEFAULT_COLOR, show_default=True,
              metavar="F", help="colour channels (0-1) may differ by this much; 0.3 in one CMYK channel always shows")
@click.option("--pixel-threshold", type=Finite(0, 1, "--pixel-threshold 0.001"), default=0.0, show_default=True,
              metavar="F",
              help="fraction of pixels (0-1) that may differ before the pages count as different")
@click.option("--image", type=click.Path(path_type=Path), metavar="OUT.png",
              help="diff image path (default <B>.diff.png beside B, or out/review/ when B is in a goldens folder)")
@click.option("--no-image", is_flag=True, help="write no diff image")
@click.option("--html", type=click.Path(path_type=Path), metavar="OUT.html",
              help="also write a self-contained side-by-side HTML report")
@click.option("--spec", type=click.Path(path_type=Path), metavar="PAGE.yaml",
              help="B's page spec: name the story, frame and article line of every change "
                   "(default: layouts/<B's name>.yaml of B's project, when there is one)")
@click.option("--max-lines", type=click.IntRange(0), default=60, show_default=True, metavar="N",
              help="cap the report at N lines (0: no cap); the full report goes beside the diff image")
@click.option("--dpi", type=DPI, default=float(DEFAULT_DPI), show_default=True,
              help=f"resolution for the pixel comparison and images ({MIN_DPI}–{MAX_DPI})")
@DEBUG
def diff(a: Path, b: Path, tolerance: float, color_tolerance: float, pixel_threshold: float, image: Path | None,
         no_image: bool, html: Path | None, spec: Path | None, max_lines: int, dpi: float, debug: bool) -> None:
    """Compare rendered PDFs A (reference) and B page by page. Exit 0 equal, 1 different, 2 error."""
    from .check.commands import run_diff

    damage: list = []
    text, code = run_diff(a, b, tolerance=tolerance, pixel_threshold=pixel_threshold, image=image,
                          no_image=no_image, html=html, dpi=dpi, color_tolerance=color_tolerance, spec=spec,
                          max_lines=max_lines, warnings=damage)
    _warn(damage)
    click.echo(text)
    sys.exit(max(code, EXIT_WARNINGS if damage else EXIT_OK))


@main.command()
@click.argument("pdf", type=click.Path(path_type=Path))
@DEBUG
def preflight(pdf: Path, debug: bool) -> None:
    """List what a PDF/X-4 or PDF/A-2 check would reject in PDF (any PDF); exit 1 if anything."""
    from .check.pdfread import read_pdf_file
    from .check.preflight import claimed
    from .check.preflight import preflight as run_preflight

    data = read_pdf_file(pdf)  # a regular file or a pipe, within the byte limit
    findings = run_preflight(data, name=str(pdf))
    for f in findings:
        click.echo(str(f))
    standards = claimed(data)
    click.echo(f"{pdf}: {len(findings)} problem(s) for {standards}" if findings
               else f"{pdf}: passes the {standards.replace(' + ', ' and ')} preflight checks")
    sys.exit(1 if findings else 0)


@main.command()
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--dpi", type=DPI, default=100.0, show_default=True, help=f"resolution ({MIN_DPI}–{MAX_DPI})")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="PNG path (default: beside the PDF — out/review/ for a PDF in a goldens folder — or "
                   "out/<page>.png for a spec); pages 2+ get -p<n>")
@DEBUG
def render(source: Path, dpi: float, output: Path | None, debug: bool) -> None:
    """Write PNG previews of SOURCE: a PDF, or a page .yaml built in memory."""
    from .check.commands import run_render

    text, warnings = run_render(source, dpi=dpi, output=output)
    _warn(warnings)
    click.echo(text)
    sys.exit(EXIT_WARNINGS if warnings else EXIT_OK)


@main.command()
@click.argument("spec", type=click.Path(path_type=Path))
@DEBUG
def dump(spec: Path, debug: bool) -> None:
    """Print SPEC's composed page as stable text (page, frame, line; 0.01 pt) for golden files."""
    from .check.commands import run_dump

    text, warnings = run_dump(spec)
    _warn(warnings)
    click.echo(text, nl=False)


@main.command()
@click.argument("spec", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="print the copyfit report as JSON")
@click.option("--allow-outside", is_flag=True, help="allow files outside the project folder")
@DEBUG
def check(spec: Path, allow_outside: bool, debug: bool, as_json: bool) -> None:
    """Check SPEC: validate it and compose the page without writing a PDF.

    Prints lines set / available per story (overset, underset), overset blocks, warnings
    (pictures below 300 ppi, substituted faces); errors (bad input, missing glyphs) exit 2.
    With --json, prints the copyfit report as JSON instead (build's .report.json, without its
    record of the files written).
    """
    from .build import compose_page, report_json
    from .pagespec.edition import is_edition

    start = time.perf_counter()
    if is_edition(spec):
        import json

        from .build_edition import compose_edition, edition_report

        edition = compose_edition(spec, allow_outside=allow_outside)
        text, over = _edition_summary(edition, None, time.perf_counter() - start)
        report = json.dumps(edition_report(edition), ensure_ascii=False, indent=1) + "\n"
        warnings = list(edition.warnings)
    else:
        composed = compose_page(spec, allow_outside=allow_outside)
        text, over = _summary(composed, None, time.perf_counter() - start)
        report = report_json(composed)
        warnings = list(composed.warnings)
    if as_json:
        click.echo(report, nl=False)
    else:
        _warn(warnings)
        click.echo(text)
    sys.exit(EXIT_WARNINGS if over or warnings else EXIT_OK)


@main.command()
@click.option("--edition", is_flag=True, help="the edition spec's schema (schema/edition.schema.json)")
def schema(edition: bool) -> None:
    """Print the JSON Schema of the page spec (the same as schema/page.schema.json)."""
    from .pagespec.edition import edition_schema_text
    from .pagespec.schema import schema_text

    click.echo(edition_schema_text() if edition else schema_text(), nl=False)


@main.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="overwrite the files init writes if they exist")
@click.option("--edition", is_flag=True, help="a two-page edition: master, pages, layouts/edition.yaml")
@DEBUG
def init(folder: Path, force: bool, edition: bool, debug: bool) -> None:
    """Start a new page in FOLDER: layouts/page.yaml, articles/story.md, fonts/README.md, schema/
    (with --edition: a two-page edition, layouts/edition.yaml)."""
    from .scaffold import init as run_init

    for path in run_init(folder, force=force, edition=edition):
        click.echo(f"wrote {path}")
    click.echo(f"next: cd {folder} && pagesetter build layouts/{'edition' if edition else 'page'}.yaml")


def run() -> None:
    """The `pagesetter` command (and `python -m pagesetter.cli`): main() in the command's own
    process, its tricks behind one switch (pagesetter/process.py, PAGESETTER_LEAN)."""
    process.start()
    try:
        main(prog_name="pagesetter")
    except SystemExit as exc:
        process.leave(exc.code)


if __name__ == "__main__":
    run()
