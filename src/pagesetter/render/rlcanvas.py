"""ReportLab's Canvas, imported without the text shaper pagesetter never uses.

ReportLab's canvas module imports its TrueType module, which imports uharfbuzz (when installed)
for ReportLab's own shaping of text in its own TrueType fonts. pagesetter never asks ReportLab
to shape text or embed a font: lines are composed by pagesetter and written glyph by glyph in
its own CID fonts (render/fontobjects.py), and fonts/subset.py imports uharfbuzz itself when it
must cut a subset (a cold font cache). Loading HarfBuzz's library costs 8 ms, 3 % of a warm
build, so it is hidden from ReportLab's import, which is guarded and treats HarfBuzz as absent
(ReportLab's own shaping is then off in this process). When uharfbuzz is already loaded (a cold
build cut its subsets first), nothing is hidden.
"""
from __future__ import annotations

import sys

_HIDE = "uharfbuzz" not in sys.modules
if _HIDE:
    sys.modules["uharfbuzz"] = None  # while this is set, `import uharfbuzz` raises ImportError
try:
    from reportlab.pdfgen.canvas import Canvas  # noqa: E402
finally:
    if _HIDE and "uharfbuzz" in sys.modules and sys.modules["uharfbuzz"] is None:
        del sys.modules["uharfbuzz"]

__all__ = ["Canvas"]
