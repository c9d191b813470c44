"""Command line: `pagesetter build page.yaml`. Exit codes: 0 ok, 1 built but overset, 2 bad input."""
from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from .errors import PagesetterError


def _summary(composed, out: Path | None, seconds: float) -> tuple[str, bool]:
    layout = composed.layout
    over = [r for r in layout.stories if r.overset] + composed.block_overset
    parts = [f"{r.id}: {r.lines_set}/{r.lines_available} lines"
             + (f", OVERSET {r.overset}" if r.overset else f", {r.underset} under" if r.underset else "")
             for r in layout.stories]
    parts += [f"{b.where}: OVERSET {b.lines}" for b in composed.block_overset]
    head = f"built {out}" if out else f"checked {composed.spec.path}"
    text = (f"{head}: {len(layout.stories)} stories, {layout.frames} frames, "
            f"{'OVERSET' if over else 'nothing overset'} ({seconds:.2f}s)\n  " + "\n  ".join(parts))
    return text, bool(over)


@click.group()
@click.version_option(package_name="pagesetter")
def main() -> None:
    """pagesetter: typeset Chinese newspaper pages from a YAML layout spec into PDF."""


@main.command()
@click.argument("spec", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), help="PDF path (default out/<page>.pdf)")
@click.option("--no-png", is_flag=True, help="skip the PNG preview")
@click.option("--dpi", default=100.0, show_default=True, help="PNG preview resolution")
@click.option("--debug", is_flag=True, help="show tracebacks for bad input")
def build(spec: Path, output: Path | None, no_png: bool, dpi: float, debug: bool) -> None:
    """Build SPEC into a PDF (and a PNG preview beside it)."""
    from .build import build as run_build
    from .spec.load import load_spec

    start = time.perf_counter()
    try:
        if output is None:
            output = Path("out") / f"{load_spec(spec).name}.pdf"
        composed = run_build(spec, output, png=not no_png, dpi=dpi)
    except PagesetterError as exc:
        if debug:
            raise
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    for w in composed.warnings:
        click.echo(f"warning: {w}", err=True)
    text, over = _summary(composed, output, time.perf_counter() - start)
    click.echo(text)
    sys.exit(1 if over else 0)


if __name__ == "__main__":
    main()
