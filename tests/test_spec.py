"""The sample spec loads into the grid a broadsheet needs; lengths resolve to points."""
from pathlib import Path

import pytest

from pagesetter.pagespec.load import load_spec

SPEC = Path(__file__).resolve().parents[1] / "layouts" / "jiceng-dangjian.yaml"
MM = 72 / 25.4


def test_sample_grid():
    spec = load_spec(SPEC)
    g = spec.grid
    assert spec.trim == pytest.approx((390 * MM, 550 * MM))
    assert (g.columns, g.column_chars, g.gutter_chars, g.body, g.pitch, g.lines) == (8, 13, 1, 9, 14, 99)
    assert g.width == pytest.approx(8 * 117 + 7 * 9)
    assert g.left == pytest.approx((390 * MM - g.width) / 2)  # centred
    assert g.top == pytest.approx(30 * MM)


def test_sample_frames_chains_and_insets():
    spec = load_spec(SPEC)
    g = spec.grid
    box1, box2 = spec.frames["box-1"].area, spec.frames["box-2"].area
    assert box1.width(g) == pytest.approx(19 * 9) and box2.width(g) == pytest.approx(19 * 9)
    assert box2.x(g) - (box1.x(g) + box1.width(g)) == pytest.approx(9)  # a 1-character gutter
    main = next(s for s in spec.stories if s.id == "main")
    assert main.chain == ("main-1", "main-2", "main-3", "main-4", "main-5", "main-6")
    assert [p.name for p in main.articles] == ["main.md"]


def test_sample_styles_resolve_sizes():
    spec = load_spec(SPEC)
    assert spec.styles["headline"].size == 42  # 初号
    assert spec.styles["body"].size == 9  # 小五
    assert spec.styles["banner"].color == "red"
