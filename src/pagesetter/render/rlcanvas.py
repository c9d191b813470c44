"""ReportLab's Canvas, and — under the `pagesetter` command — ReportLab without its text shaper.

ReportLab's canvas module imports its TrueType module, which imports uharfbuzz (when installed)
for ReportLab's own shaping of text in its own TrueType fonts. pagesetter never asks ReportLab
to shape text or embed a font: lines are composed by pagesetter and written glyph by glyph in
its own CID fonts (render/fontobjects.py), and fonts/subset.py imports uharfbuzz itself when it
must cut a subset (a cold font cache). Loading HarfBuzz's library costs 8 ms, 4 % of a warm
build, so the command (pagesetter.process, unless PAGESETTER_LEAN=0) hides it from ReportLab's import, which is
guarded and then treats HarfBuzz as absent. A program that uses pagesetter as a library keeps
ReportLab as it is, shaper and all: it may shape its own documents with ReportLab. When
uharfbuzz is already loaded (a cold build cut its subsets first), nothing is hidden.
"""
from __future__ import annotations

import sys

from ..process import lean


def canvas_class() -> type:
    """ReportLab's Canvas class, imported on first use (see the module's docstring)."""
    hide = lean() and "uharfbuzz" not in sys.modules and "reportlab.pdfgen.canvas" not in sys.modules
    if hide:
        sys.modules["uharfbuzz"] = None  # type: ignore[assignment]  # while this is set, `import uharfbuzz` raises ImportError
    try:
        from reportlab.pdfgen.canvas import Canvas
    finally:
        if hide and "uharfbuzz" in sys.modules and sys.modules["uharfbuzz"] is None:
            del sys.modules["uharfbuzz"]
    return Canvas
