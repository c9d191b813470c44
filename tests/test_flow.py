"""Flowing stories through chains on a tiny page with the real faces: stranded lines, keep-with-
next, wrap, balancing, auto-copyfit, headline fitting and optical alignment."""
from dataclasses import replace
from pathlib import Path

import pytest

from pagesetter.build import load_stories, prepare_faces
from pagesetter.layout.fit import flow_story
from pagesetter.layout.flow import Flow
from pagesetter.layout.setting import Typesetter
from pagesetter.pagespec.load import load_spec
from pagesetter.pagespec.model import Area, Block
from pagesetter.text.totalfit import LOOSE
from specs import project, spec_with
from test_narrow_columns import CRAFTED, real_paragraphs

TEXT = ("党的十八大以来，广大基层党组织坚持以人民为中心的发展思想，坚持在联系服务群众上多用情，"
        "在宣传教育群众上多用心，在组织凝聚群众上多用力，着力解决老百姓的操心事、烦心事、揪心事。")


HEADS = "把党的组织优势巩固好“两新”"


def tiny(tmp_path: Path, paragraphs: list[str], frames: str) -> tuple:
    """The small project of tests/specs.py with these paragraphs and frames, ready to flow."""
    spec = spec_with("  f1: {col: 1, line: 4, lines: 17}\n  f2: {col: 2, line: 4, lines: 17}\n", frames + "\n")
    spec = spec_with("lines: 20,", "lines: 24,", spec)
    spec = spec_with("blocks:\n", "", spec).split("  - {kind: headline")[0]
    spec = load_spec(project(tmp_path, spec, "\n\n".join(paragraphs) + "\n"))
    stories = load_stories(spec)
    faces, _ = prepare_faces(spec, stories)
    ts = Typesetter({r: f.metrics for r, f in faces.items()}, spec.composition)
    return spec, stories, ts


def frames_of(flow: Flow, slots: list[int]) -> list[int]:
    return [flow.slots[i].frame_index for i in slots]


def stranded(flow: Flow) -> list[str]:
    out = []
    for k, used in enumerate(flow.paragraph_slots):
        fr = frames_of(flow, used)
        if len(fr) >= 2 and fr[0] != fr[1]:
            out.append(f"paragraph {k}: first line alone")
        if len(fr) >= 2 and fr[-1] != fr[-2]:
            out.append(f"paragraph {k}: last line alone")
    return out


@pytest.mark.parametrize("height", range(3, 12))
def test_every_frame_but_the_last_filled_to_its_foot(tmp_path, height):
    frames = f"  f1: {{col: 1, line: 1, lines: {height}}}\n  f2: {{col: 2, line: 1, lines: 24}}"
    spec, stories, ts = tiny(tmp_path, [TEXT, TEXT[:40], TEXT], frames)
    on = Flow(spec, spec.stories[0], ts)
    on.run(stories)
    assert sum(1 for it in on.items if it.frame == "f1") == height  # 齐底, whatever it costs
    assert "".join(g.ch for it in on.items for g in it.glyphs) == (TEXT + TEXT[:40] + TEXT)


def test_stranded_lines_only_where_no_other_setting_fills_the_frame(tmp_path):
    """A stranded line is the lesser evil than a short column or loose lines: it is left only
    where no paragraph has another setting (a line more or fewer, not loose) that avoids it."""
    for height in range(3, 12):
        frames = f"  f1: {{col: 1, line: 1, lines: {height}}}\n  f2: {{col: 2, line: 1, lines: 24}}"
        spec, stories, ts = tiny(tmp_path, [TEXT, TEXT[:40], TEXT], frames)
        on = Flow(spec, spec.stories[0], ts)
        on.run(stories)
        if stranded(on):
            for item in on.items_of(stories):
                for c in range(height + 1):
                    steps = on.steps(item, c)
                    assert len([s for s in steps if s.cost < LOOSE]) <= 1, (height, c)


def test_stranded_control_can_be_off_and_then_strands(tmp_path):
    found = []
    for height in range(3, 12):
        frames = f"  f1: {{col: 1, line: 1, lines: {height}}}\n  f2: {{col: 2, line: 1, lines: 24}}"
        spec, stories, ts = tiny(tmp_path, [TEXT, TEXT[:40], TEXT], frames)
        off = Flow(spec, replace(spec.stories[0], avoid_stranded=False), ts)
        off.run(stories)
        found += stranded(off)
    assert found  # the same texts do strand lines without the control


def test_section_lead_kept_with_next(tmp_path):
    frames = "  f1: {col: 1, line: 1, lines: 6}\n  f2: {col: 2, line: 1, lines: 24}"
    lead = "## 把党的政治建设摆在首位"
    spec, stories, ts = tiny(tmp_path, [TEXT[:50], lead, TEXT], frames)
    flow = Flow(spec, spec.stories[0], ts)
    flow.run(stories)
    lead_slots = flow.paragraph_slots[1]
    body_first = flow.paragraph_slots[2][0]
    assert frames_of(flow, lead_slots)[-1] == frames_of(flow, [body_first])[0]


def test_balanced_last_row(tmp_path):
    frames = "  f1: {col: 1, line: 1, lines: 24}\n  f2: {col: 2, line: 1, lines: 24}"
    spec, stories, ts = tiny(tmp_path, [TEXT, TEXT, TEXT, TEXT, TEXT[:30]], frames)
    plain = flow_story(spec, spec.stories[0], ts, stories)
    assert {s.frame for s in plain.slots[:plain.cursor]} == {"f1", "f2"}
    balanced = flow_story(spec, replace(spec.stories[0], balance=True), ts, stories)
    per = [sum(1 for it in balanced.items if it.frame == f) for f in ("f1", "f2")]
    assert per[0] >= per[1] >= per[0] - 1
    assert balanced.report().overset == 0


def test_auto_copyfit_tightens_an_overset_story_and_says_so(tmp_path):
    frames = "  f1: {col: 1, line: 1, lines: 7}\n  f2: {col: 2, line: 1, lines: 7}"
    spec, stories, ts = tiny(tmp_path, [TEXT, TEXT], frames)
    story = spec.stories[0]
    plain = flow_story(spec, story, ts, stories)
    assert plain.report().overset >= 1
    fitted = flow_story(spec, replace(story, copyfit=(-0.08, 0.0)), ts, stories)
    assert fitted.report().overset == 0
    assert fitted.adjustment.startswith("tracking -")
    assert "".join(g.ch for it in fitted.items for g in it.glyphs) == TEXT + TEXT


def test_auto_copyfit_stays_within_limits(tmp_path):
    frames = "  f1: {col: 1, line: 1, lines: 3}\n  f2: {col: 2, line: 1, lines: 3}"
    spec, stories, ts = tiny(tmp_path, [TEXT, TEXT], frames)
    fitted = flow_story(spec, replace(spec.stories[0], copyfit=(-0.02, 0.0)), ts, stories)
    assert fitted.report().overset > 0  # reported, not forced
    assert fitted.tracking >= -0.02


def test_text_wraps_around_an_image_in_its_frame(tmp_path):
    frames = "  f1: {col: 1, span: 2, line: 1, lines: 24}\n  f2: {col: 2, line: 1, lines: 1, overlap: true}"
    spec, stories, ts = tiny(tmp_path, [TEXT, TEXT], frames)
    image = Block("image", Area(2, 1, 4, 5), None, wrap=9.0)  # 1字
    spec = replace(spec, blocks=(image,))
    flow = flow_story(spec, replace(spec.stories[0], chain=("f1",)), ts, stories)
    g = spec.grid
    x0 = image.area.x(g) - 9
    y_top, y_bottom = g.line_top(3), g.line_top(10)  # lines 4–8 plus a line of clearance each side
    beside = [it for it in flow.items if y_top < it.y < y_bottom]
    assert beside, "lines beside the image"
    for it in beside:
        last = it.glyphs[-1]
        assert it.x + last.x + last.size <= x0 + 0.01  # nothing reaches into the image or its offset
        assert len(it.glyphs) <= 12
    full = [it for it in flow.items if it.y > y_bottom + 14]
    assert any(len(it.glyphs) >= 24 for it in full)  # below the image, the full 25-character measure


def test_wrap_zero_still_keeps_a_line_clear_above_and_below(tmp_path):
    """docs/spec.md: `wrap` keeps lines that far away sideways, and one body line above and below —
    also at 0 (the text touches the image's sides, never its top or foot)."""
    frames = "  f1: {col: 1, span: 2, line: 1, lines: 24}\n  f2: {col: 2, line: 1, lines: 1, overlap: true}"
    spec, stories, ts = tiny(tmp_path, [TEXT, TEXT], frames)
    image = Block("image", Area(2, 1, 4, 5), None, wrap=0.0)
    spec = replace(spec, blocks=(image,))
    flow = flow_story(spec, replace(spec.stories[0], chain=("f1",)), ts, stories)
    g = spec.grid
    y_top, y_bottom = g.line_top(3), g.line_top(10)  # lines 4–8 plus a line of clearance each side
    beside = [len(it.glyphs) for it in flow.items if y_top < it.y < y_bottom]
    outside = [len(it.glyphs) for it in flow.items if y_top - 14 < it.y < y_top or y_bottom < it.y < y_bottom + 14]
    assert len(beside) == 7 and max(beside) <= 13, beside  # half the measure: the image's column kept clear
    assert outside and min(outside) >= 24, outside  # the full measure right above and below


def test_headline_fits_one_line_within_its_minimum(tmp_path):
    frames = "  f1: {col: 1, line: 1, lines: 24}\n  f2: {col: 2, line: 1, lines: 24}"
    spec, stories, ts = tiny(tmp_path, [TEXT, HEADS], frames)
    style = replace(spec.styles["body"], size=22.0, align="center", fit_min=12.0)
    width = 180.0  # 把党的组织优势巩固好 is 220 pt at 22 pt: fits at 18 pt
    lines = ts.head_lines("把党的组织优势巩固好", style, width)
    assert len(lines) == 1
    size = lines[0].glyphs[0].size
    assert size == 18.0 and lines[0].extent <= width + 0.01
    no_fit = ts.head_lines("把党的组织优势巩固好", replace(style, fit_min=None), width)
    assert len(no_fit) == 2 and no_fit[0].glyphs[0].size == 22
    too_small = ts.head_lines("把党的组织优势巩固好", replace(style, fit_min=20.0), width)
    assert len(too_small) == 2  # 18 pt is below the limit: broken, never overflowing


def test_headline_optical_alignment_on_opening_mark(tmp_path):
    frames = "  f1: {col: 1, line: 1, lines: 24}\n  f2: {col: 2, line: 1, lines: 24}"
    spec, stories, ts = tiny(tmp_path, [TEXT, HEADS], frames)
    style = replace(spec.styles["body"], size=22.0, align="center")
    quoted = ts.head_lines("“两新”", style, 200)[0]
    plain = ts.head_lines("两新", style, 200)[0]
    # the ink of “ starts in the right half of its em box: its blank half hangs outside, so the
    # quoted line is centred on its ink, not on the quote's empty half
    first_ink = quoted.glyphs[0].x + 0.5 * style.size
    last_ink = quoted.extent
    assert (first_ink + last_ink) / 2 == pytest.approx(100, abs=1.0)
    assert quoted.extent - first_ink == pytest.approx(3 * style.size, abs=0.5)  # “两新” on its ink: 3 em
    assert plain.extent - plain.glyphs[0].x == pytest.approx(2 * style.size)


def test_overset_block_lines_not_drawn_over_the_page(tmp_path):
    from pagesetter.blocks.text import KIND, TextOptions
    from pagesetter.layout.furniture import Page
    frames = "  f1: {col: 1, line: 1, lines: 24}\n  f2: {col: 2, line: 1, lines: 24}"
    spec, stories, ts = tiny(tmp_path, [TEXT, HEADS], frames)
    style = replace(spec.styles["body"], size=22.0, align="center")
    spec = replace(spec, styles={**spec.styles, "big": style})
    block = Block("text", Area(1, 1, 3, 2), TextOptions("把党的组织优势巩固好", "big"))
    laid = KIND.layout(block, Page(spec, ts, stories))
    items, over = laid.items, laid.overset
    assert over == 4  # three 22-pt lines of 4 characters, 2 body lines each; the block has 2
    assert len(items) == 1  # the lines that do not fit are reported, not drawn below the block


def test_copyfit_keeps_tracking_when_tightening_gains_nothing(tmp_path):
    frames = "  f1: {col: 1, line: 1, lines: 3}\n  f2: {col: 2, line: 1, lines: 3}"
    spec, stories, ts = tiny(tmp_path, [TEXT, TEXT], frames)
    fitted = flow_story(spec, replace(spec.stories[0], copyfit=(-0.005, 0.0)), ts, stories)
    assert fitted.report().overset > 0
    assert fitted.tracking == 0.0 and fitted.adjustment is None


def test_headline_words_share_lines_while_they_fit(tmp_path):
    frames = "  f1: {col: 1, line: 1, lines: 24}\n  f2: {col: 2, line: 1, lines: 24}"
    spec, stories, ts = tiny(tmp_path, [TEXT, HEADS], frames)
    style = replace(spec.styles["body"], size=10.0, align="center")
    lines = ts.head_lines("把党的 组织 优势 巩固好", style, 60.0)
    assert ["".join(g.ch for g in ln.glyphs) for ln in lines] == ["把党的组织", "优势巩固好"]


def test_overfull_line_is_reported(tmp_path):
    from click.testing import CliRunner

    from pagesetter.cli import main
    frames = "  f1: {col: 1, line: 4, lines: 17}\n  f2: {col: 2, line: 4, lines: 17}"
    spec, stories, ts = tiny(tmp_path, ["详见http://www.example.com/abcdefghijklmnopqrstuvwxyz0123456789。"], frames)
    flow = flow_story(spec, spec.stories[0], ts, stories)
    assert flow.report().overfull == 1
    result = CliRunner().invoke(main, ["check", str(spec.path)])
    assert result.exit_code == 1 and "1 OVERFULL (wider than the frame)" in result.output


def test_chain_with_every_line_wrapped_away_is_all_overset(tmp_path):
    frames = "  f1: {col: 1, line: 4, lines: 17}\n  f2: {col: 2, line: 4, lines: 17}"
    spec, stories, ts = tiny(tmp_path, [TEXT], frames)
    cover = Block("image", Area(1, 2, 1, 24), None, wrap=2.0)
    spec = replace(spec, blocks=(cover,))
    flow = flow_story(spec, replace(spec.stories[0], balance=True), ts, stories)
    report = flow.report()
    assert report.lines_available == 0 and report.overset == report.lines_set > 0


def test_oversized_lead_never_straddles_frames(tmp_path):
    frames = "  f1: {col: 1, line: 4, lines: 3}\n  f2: {col: 2, line: 4, lines: 17}"
    spec, stories, ts = tiny(tmp_path, [TEXT[:20], "## 把党的政治建设摆在首位"], frames)
    big = replace(spec.styles["section_lead"], size=16.0)
    spec = replace(spec, styles={**spec.styles, "section_lead": big})
    flow = Flow(spec, spec.stories[0], ts)
    flow.run(stories)
    g = spec.grid
    for it in flow.items:
        a = spec.frames[it.frame].area
        assert g.line_top(a.line) <= it.y <= g.line_top(a.line + a.lines), (it.frame, it.y)


def test_wrap_between_two_exclusions_stays_between_them():
    from pagesetter.layout.slots import Exclusion, _wrapped
    x, w = _wrapped(0, 120, 5, [Exclusion(-5, 30, 1, 10), Exclusion(95, 130, 1, 10)], 10)
    assert 30 <= x and x + w <= 95


def test_a_story_may_set_its_own_composition(tmp_path):
    frames = "  f1: {col: 1, line: 1, lines: 24}\n  f2: {col: 2, line: 1, lines: 24}"
    spec, stories, ts = tiny(tmp_path, ["一二，三四五。"], frames)
    story = spec.stories[0]

    def advance_after_comma(s):
        glyphs = flow_story(spec, s, ts, stories).items[0].glyphs
        i = [g.ch for g in glyphs].index("，")
        return (glyphs[i + 1].x - glyphs[i].x) / glyphs[i].size

    assert advance_after_comma(story) == pytest.approx(1.0)  # the page's 全角式
    assert advance_after_comma(replace(story, composition={"punct_style": "kaiming"})) == pytest.approx(0.5)


def test_story_composition_is_checked_where_it_is_written(tmp_path):
    from specs import problems, spec_with
    ok = load_spec(project(tmp_path, spec_with("chain: [f1, f2]}", "chain: [f1, f2], composition: {punct_style: kaiming}}")))
    assert ok.stories[0].composition == {"punct_style": "kaiming"}
    (p,) = problems(tmp_path, spec_with("chain: [f1, f2]}", "chain: [f1, f2], composition: {punct_style: kaiming2}}"))
    assert p.line == 15 and "punctuation style" in p.message


def test_no_widow_while_another_setting_keeps_the_frame_flush(tmp_path):
    """A paragraph's last line alone at the next frame's top (寡行) costs more than a loose line:
    the flow re-breaks the story instead, and never leaves the first frame short (齐底) for it."""
    widows_off = 0
    for height in range(3, 12):
        frames = f"  f1: {{col: 1, line: 1, lines: {height}}}\n  f2: {{col: 2, line: 1, lines: 24}}"
        spec, stories, ts = tiny(tmp_path, CRAFTED[:3] + [real_paragraphs()[6]], frames)
        on = Flow(spec, spec.stories[0], ts)
        on.run(stories)
        assert on.widows() == 0, (height, stranded(on))
        assert sum(1 for it in on.items if it.frame == "f1") == height
        off = Flow(spec, replace(spec.stories[0], avoid_stranded=False), ts)
        off.run(stories)
        widows_off += off.widows()
    assert widows_off  # the same texts leave widows without the control
    # (and with a widow priced as a stranded first line, as before, at heights 4 and 8)


class _Trial:
    """A stand-in for a balanced Flow: how many widows it has, and its overset."""

    def __init__(self, widows: int, overset: int = 0):
        self._widows, self.overset = widows, overset

    def widows(self) -> int:
        return self._widows

    def report(self):
        return self


def test_rebalancing_takes_a_line_taller_row_only_to_lose_a_widow():
    from pagesetter.layout.fit import _without_widow

    asked = []

    def run(limits, tracking):
        asked.append(dict(limits))
        return _Trial(widows=0 if limits["a"] == 6 else 1)

    first = _Trial(widows=1)
    assert _without_widow(first, 5, 10, ["a", "b"], run, 0.0).widows() == 0
    assert asked == [{"a": 6, "b": 6}]
    assert _without_widow(first, 6, 10, ["a", "b"], run, 0.0) is first  # h + 1 has a widow too
    assert _without_widow(first, 10, 10, ["a", "b"], run, 0.0) is first  # no taller row
    clean = _Trial(widows=0)
    asked.clear()
    assert _without_widow(clean, 5, 10, ["a", "b"], run, 0.0) is clean and not asked
