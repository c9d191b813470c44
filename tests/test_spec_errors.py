"""Every class of spec mistake gets file, line, column, what is wrong and a fix; several at once.

The corpus is tests/bad_inputs.py (also the source of docs/bad-inputs.md)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from bad_inputs import CASES, materialise
from pagesetter.errors import PagesetterError
from pagesetter.pagespec.load import load_spec
from specs import SPEC, problems, project, spec_with


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_message(tmp_path, case):
    spec = materialise(case, tmp_path / "project")
    with pytest.raises(PagesetterError) as info:
        load_spec(spec)
    text = "\n".join(f"{p.message}\n{p.fix}" for p in info.value.problems)
    for expected in case.expect:
        assert expected in text
    for p in info.value.problems:
        assert Path(p.file) == spec, p
        assert p.line is not None and p.column is not None, p
        assert p.fix, p
    assert "Traceback" not in str(info.value)


def test_bad_inputs_doc_lists_every_case():
    doc = (Path(__file__).resolve().parents[1] / "docs" / "bad-inputs.md").read_text(encoding="utf-8")
    for case in CASES:
        assert f"| {case.what} |" in doc, f"docs/bad-inputs.md lacks {case.id}: run python tests/bad_inputs.py"


def test_positions_are_those_of_the_mistake(tmp_path):
    (p,) = problems(tmp_path, spec_with("columns: 2", "colums: 2").replace("grid: {", "grid: {columns: 2, "))
    assert (p.line, p.column) == (2, 20)  # the misspelt key itself
    assert str(p) == (f"{tmp_path / 'layouts' / 'p.yaml'}:2:20: unknown key 'colums' in grid\n"
                      "    fix: did you mean 'columns'?")


def test_several_errors_reported_together_in_file_order(tmp_path):
    bad = (SPEC.replace("role: kai", "role: kia").replace("[f1, f2]", "[f1, ff2]")
           .replace("color: red}", "color: rad}").replace("size: 三号", "size: 3px"))
    ps = problems(tmp_path, bad)
    assert [p.message.split(" ")[0:2] for p in ps] == [
        ["unknown", "font"], ["unknown", "colour"], ["size", "of"], ["chain", "names"]]
    assert [p.line for p in ps] == sorted(p.line for p in ps)


def test_unknown_key_suggestion_for_style_name(tmp_path):
    (p,) = problems(tmp_path, spec_with("styles: {headline: head}", "styles: {headline: heed}"))
    assert p.message == "style 'heed' (headline of headline block 1) is not defined"
    assert p.fix == "did you mean 'head'?"


def test_based_on_inherits_and_overrides(tmp_path):
    spec = load_spec(project(tmp_path, spec_with(
        "  head: {role: biaosong, size: 三号, align: center}",
        "  head: {role: biaosong, size: 三号, align: center, color: red, tracking: 0.1}\n"
        "  head2: {based_on: head, size: 二号}\n  head3: {based_on: head2, role: hei, align: left}")))
    s = spec.styles
    assert (s["section_lead"].role, s["section_lead"].size) == ("hei-bold", 9)  # from body
    assert (s["gap"].color, s["gap"].size) == ("red", 9)
    assert (s["head2"].role, s["head2"].size, s["head2"].align, s["head2"].color) == ("biaosong", 22, "center", "red")
    assert (s["head3"].role, s["head3"].size, s["head3"].align, s["head3"].tracking) == ("hei", 22, "left", 0.1)


def test_based_on_longer_cycle_named_in_order(tmp_path):
    ps = problems(tmp_path, SPEC.replace("frames:", "  a: {based_on: b}\n  b: {based_on: c}\n  c: {based_on: a}\n"
                                                   "  d: {based_on: a}\nframes:"))
    assert [p.message for p in ps] == ["styles based on each other in a cycle: a → b → c → a"]
    assert ps[0].fix == "remove based_on from one of a, b, c"


def test_overlap_true_allows_overlapping_frames(tmp_path):
    spec = load_spec(project(tmp_path, spec_with("f2: {col: 2, line: 4, lines: 17}",
                                                 "f2: {col: 1, line: 10, lines: 5, overlap: true}")))
    assert spec.frames["f2"].overlap and not spec.frames["f1"].overlap


def test_overlap_must_be_true_or_false(tmp_path):
    ps = problems(tmp_path, spec_with("f2: {col: 2, line: 4, lines: 17}", "f2: {col: 2, line: 4, lines: 17, overlap: yes please}"))
    assert [p.message for p in ps] == ["overlap must be true or false, not text ('yes please')"]


def test_allow_outside_in_spec_and_argument(tmp_path):
    (tmp_path / "outside.md").write_text("外面的稿件。\n", encoding="utf-8")
    root = tmp_path / "project"
    root.mkdir()
    bad = SPEC.replace("../articles/a.md", "../../outside.md")
    with pytest.raises(PagesetterError, match="is outside the project folder"):
        load_spec(project(root, bad))
    assert load_spec(project(root, bad), allow_outside=True).stories[0].articles == ((tmp_path / "outside.md"),)
    spec = load_spec(project(root, bad.replace("top: 10mm}", "top: 10mm, allow_outside: true}")))
    assert spec.allow_outside


def test_symlink_out_of_the_project_is_refused(tmp_path):
    (tmp_path / "secret.md").write_text("机密。\n", encoding="utf-8")
    root = tmp_path / "project"
    spec = project(root)
    os.symlink(tmp_path / "secret.md", root / "articles" / "link.md")
    spec.write_text(SPEC.replace("a.md", "link.md"), encoding="utf-8")
    with pytest.raises(PagesetterError, match="'../articles/link.md' is outside the project folder"):
        load_spec(spec)


def test_project_root_is_the_folder_above_layouts_else_the_spec_folder(tmp_path):
    flat = tmp_path / "flat"
    flat.mkdir()
    (flat / "a.md").write_text("稿件。\n", encoding="utf-8")
    (flat / "p.yaml").write_text(SPEC.replace("../articles/a.md", "a.md"), encoding="utf-8")
    assert load_spec(flat / "p.yaml").stories[0].articles == (flat / "a.md",)
    (flat / "p.yaml").write_text(SPEC.replace("../articles/a.md", "../flat/a.md"), encoding="utf-8")
    assert load_spec(flat / "p.yaml").stories[0].articles == (flat / "a.md",)  # out and back in
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "a.md").write_text("稿件。\n", encoding="utf-8")
    (flat / "p.yaml").write_text(SPEC.replace("../articles/a.md", "../other/a.md"), encoding="utf-8")
    with pytest.raises(PagesetterError, match="outside the project folder"):
        load_spec(flat / "p.yaml")


def _png(path: Path, w: int, h: int) -> None:
    from PIL import Image
    Image.new("RGB", (w, h), (200, 30, 30)).save(path)


def test_good_image_is_opened_and_measured_at_load(tmp_path):
    spec = project(tmp_path, SPEC + "  - {kind: image, file: ../images/p.png, at: {col: 2, line: 4, lines: 5}}\n"
                   .replace("col: 2, line: 4", "col: 2, line: 4"))
    spec.write_text(spec.read_text(encoding="utf-8").replace("chain: [f1, f2]", "chain: [f1]")
                    .replace("  f2: {col: 2, line: 4, lines: 17}\n", ""), encoding="utf-8")
    (tmp_path / "images").mkdir()
    _png(tmp_path / "images" / "p.png", 64, 48)
    block = load_spec(spec).blocks[-1]
    assert block.options.pixels == (64, 48) and block.options.file == tmp_path / "images" / "p.png"


NOTO_SERIF = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")


@pytest.mark.skipif(not NOTO_SERIF.exists(), reason="needs fonts-noto-cjk")
def test_fonts_entry_as_path_and_index_checked(tmp_path):
    spec = load_spec(project(tmp_path, SPEC + f"fonts:\n  song: {NOTO_SERIF}\n  hei: {{file: {NOTO_SERIF}, index: 2}}\n"),
                     allow_outside=True)
    assert spec.fonts["song"].file == NOTO_SERIF and spec.fonts["hei"].index == 2
    ps = problems(tmp_path, SPEC + f"fonts:\n  song: {{file: {NOTO_SERIF}, index: -1}}\n", allow_outside=True)
    assert [p.message for p in ps] == ["font index must be at least 0, not -1"]
    ps = problems(tmp_path, SPEC + f"fonts:\n  song: {{file: {NOTO_SERIF}, index: 99}}\n", allow_outside=True)
    assert ps[0].message.startswith(f"font file '{NOTO_SERIF}': cannot read font for role 'song' (face #99)")


def test_spec_file_problems(tmp_path):
    with pytest.raises(PagesetterError, match="spec file not found"):
        load_spec(tmp_path / "none.yaml")
    with pytest.raises(PagesetterError, match="spec is a folder"):
        load_spec(tmp_path)
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * 1_000_001)
    with pytest.raises(PagesetterError, match="over the 1,000,000-byte limit"):
        load_spec(big)


def test_byte_order_mark_is_accepted(tmp_path):
    spec = project(tmp_path)
    spec.write_bytes(b"\xef\xbb\xbf" + spec.read_bytes())
    assert load_spec(spec).name == "small"


def test_utf8_error_position(tmp_path):
    spec = project(tmp_path)
    spec.write_bytes(b"page: {name: small}\n# " + "中文".encode("gbk") + b"\n")
    with pytest.raises(PagesetterError) as info:
        load_spec(spec)
    (p,) = info.value.problems
    assert (p.message, p.line, p.column) == ("spec is not UTF-8 text (byte 22)", 2, 3)


def test_fitting_keys_reach_the_model(tmp_path):
    spec = load_spec(project(tmp_path, SPEC
                             .replace("size: 三号, align: center", "size: 三号, fit_min: 小四, align: center")
                             .replace("chain: [f1, f2]}", "chain: [f1, f2], balance: true, avoid_stranded: false, "
                                                          "copyfit: [-0.03, 0.02]}")
                             .replace("styles: {headline: head}}", "styles: {headline: head}, wrap: 1字}")))
    assert spec.styles["head"].fit_min == 12
    story = spec.stories[0]
    assert (story.balance, story.avoid_stranded, story.copyfit) == (True, False, (-0.03, 0.02))
    assert spec.blocks[0].wrap == 9.0  # in points: 1 body character
