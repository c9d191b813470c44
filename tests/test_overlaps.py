"""Blocks over a frame's text (issue 24): a picture, a headline or a box border that lies on lines a
story set, without `wrap`, is a warning naming the block (file:line:col) and the frame and story;
a tint under text, a block beside the frame, or a block that wraps is none. And a headline block
on a continuation story is a located error on the page alone too (it was an internal error)."""
from __future__ import annotations

from click.testing import CliRunner

from specs import SPEC, project
from pagesetter.build import compose_page
from pagesetter.cli import main

IMAGE_OVER_F1 = "  - {kind: image, at: {col: 1, line: 6, lines: 4}}\n"  # f1 is column 1, lines 4–20


def warnings_of(tmp_path, extra: str, spec: str = SPEC) -> list[str]:
    return [str(w) for w in compose_page(project(tmp_path, spec + extra)).warnings]


def test_an_image_over_frame_text_warns_naming_the_block_and_the_frame(tmp_path):
    found = [w for w in warnings_of(tmp_path, IMAGE_OVER_F1) if "lies over" in w]
    assert len(found) == 1, found
    assert "p.yaml:18:5: image block 2 lies over the text of story 's' in frame 'f1' (4 lines under it)" in found[0]
    assert "wrap: 0" in found[0]


def test_a_block_that_wraps_or_stands_beside_the_frame_gives_no_warning(tmp_path):
    assert not [w for w in warnings_of(tmp_path / "a", IMAGE_OVER_F1.replace("}}", "}, wrap: 0}")) if "lies over" in w]
    assert not [w for w in warnings_of(tmp_path / "b", "") if "lies over" in w]  # the headline above the frames


def test_a_headline_over_the_frames_warns_but_a_tint_under_text_does_not(tmp_path):
    lowered = SPEC.replace("at: {col: 1, span: 2, line: 1, lines: 3}", "at: {col: 1, span: 2, line: 4, lines: 3}")
    found = [w for w in warnings_of(tmp_path / "a", "", lowered) if "lies over" in w]
    assert found and "p.yaml:17:5: headline block 1 lies over the text of story 's' in frame 'f1'" in found[0], found
    tint = "  - {kind: box, at: {col: 1, line: 4, lines: 17}, fill: red, tint: 0.1}\n"
    assert not [w for w in warnings_of(tmp_path / "b", tint) if "lies over" in w]
    border = "  - {kind: box, at: {col: 1, line: 8, lines: 4, inset: [2字, 0]}, border: 0.5pt}\n"  # its left edge
    assert [w for w in warnings_of(tmp_path / "c", border) if "box block 2 lies over" in w]  # crosses f1's lines
    around = "  - {kind: box, at: {col: 1, line: 8, lines: 4}, border: 0.5pt}\n"  # on the grid: around the lines
    assert not [w for w in warnings_of(tmp_path / "d", around) if "lies over" in w]


def test_headline_block_on_a_continuation_alone_is_a_located_error(tmp_path):
    spec = SPEC.replace("  s: {articles: [../articles/a.md], chain: [f1, f2]}",
                        "  s: {continues: front/main, chain: [f1, f2], continued_head: head}")
    result = CliRunner().invoke(main, ["build", str(project(tmp_path, spec)), "--no-png"])
    assert result.exit_code == 2, result.output
    assert "p.yaml:17:5: headline block 1: story 's' is a continuation (continues: front/main)" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "layouts" / "small.pdf").exists()
