"""Widow control across frames (issue 23): a paragraph's last line never stands alone at the top
of the next column while its frame above is kept flush (齐底) — the flow re-breaks a paragraph
of the story a line longer or shorter instead, a loose line costing less than a widow
(layout.column.WIDOW). Test pages in 10–14-character columns, default settings, judged by
../shared/tools/pagecheck.py; each left a widow before (the last line of a paragraph at the top
of column 2 or 4)."""
from __future__ import annotations

import pytest

from pagesetter.build import build
from test_latin_runs_page import CLASSES, LATIN
from test_narrow_columns import CRAFTED, PAGECHECK, narrow_page, pagecheck, real_paragraphs
from tinypage import need_noto


def _pages() -> dict[str, list[str]]:
    real = real_paragraphs()
    return {"crafted-and-real": CRAFTED[:3] + real[4:9] + CRAFTED[3:] + real[9:13], "latin": LATIN + CLASSES}


@pytest.mark.skipif(not PAGECHECK.exists(), reason="../shared/tools/pagecheck.py not beside the repository")
@pytest.mark.parametrize("chars", [10, 11, 12, 13, 14])
@pytest.mark.parametrize("page", ["crafted-and-real", "latin"])
def test_no_widow_at_a_column_top(tmp_path, page, chars):
    need_noto()
    spec = narrow_page(tmp_path / "p", chars, _pages()[page])
    pdf = tmp_path / "p.pdf"
    build(spec, pdf, png=False)
    report = pagecheck(pdf)
    soft, examples = report["soft"], report["pages"][0]["soft_examples"]
    assert report["hard_faults"] == 0, report.get("examples")
    for figure in ("widows", "short_columns", "css_line_start", "display_breaks"):
        assert soft.get(figure, 0) == 0, examples[figure]

