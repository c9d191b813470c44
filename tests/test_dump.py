"""`pagesetter dump`: the composed page as stable text (page → frame → line, 0.01 pt)."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pagesetter.cli import main
from pagesetter.check.commands import run_dump
from pagesetter.layout.dump import dump_layout
from pagesetter.layout.model import Image, PageLayout, Rect, Rule, StoryReport, TextLine
from pagesetter.text.justify import PlacedGlyph

from tinypage import PARAGRAPHS, need_noto, write_page


def dump_spec(spec_path) -> str:
    """The dump text `pagesetter dump` prints for a spec."""
    return run_dump(spec_path)[0]


LINE = re.compile(r'^  line x=-?\d+\.\d\d y=-?\d+\.\d\d w=-?\d+\.\d\d [\w-]+ [\d.]+( \+ [\w-]+ [\d.]+)* [\w-]+\[[\d.,]+\](/[\w=.]+)*: ".*"$')


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    need_noto()
    return write_page(tmp_path_factory.mktemp("tiny"))


def test_dump_of_tiny_page(tiny):
    text = dump_spec(tiny)
    lines = text.splitlines()
    assert lines[0] == "page tiny 297.64 x 419.53 pt, 1 frames"
    # the font that set it: file, face, content hash, family (a swapped file changes the dump)
    assert re.fullmatch(r'font song: NotoSerifCJK-Regular\.ttc#\d sha256:[0-9a-f]{16} "Noto Serif CJK SC"', lines[1])
    assert lines[2].startswith("story story: ") and "/19 lines" in lines[2]
    assert lines[3] == "frame f1"
    body = [ln for ln in lines if ln.startswith("  line ")]
    assert all(LINE.match(ln) for ln in body), body
    assert "".join(re.search(r': "(.*)"$', ln).group(1) for ln in body) == "".join(PARAGRAPHS)
    assert body[0].startswith("  line x=34.02 y=66.94 ")  # 12 mm from the left, first baseline
    assert " song 9 black[0,0,0,1]/overprint: " in body[0]  # colours resolved to their CMYK values
    assert lines[-2:] == ["furniture", "  rule 34.02,49.52 → 241.02,49.52 color=red[0,1,1,0.1] width=1.00"]
    assert text.endswith("\n")


def test_dump_is_stable_and_holds_no_paths(tiny, tmp_path):
    first = dump_spec(tiny)
    assert dump_spec(tiny) == first
    assert str(tiny.parent) not in first and "/tmp" not in first
    # the same page from another folder, through the CLI, from another working directory
    other = write_page(tmp_path / "elsewhere")
    result = subprocess.run([sys.executable, "-m", "pagesetter.cli", "dump", str(other)], cwd=tmp_path,
                            capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "123"})
    assert result.returncode == 0, result.stderr
    assert result.stdout == first


def test_dump_follows_changes(tmp_path):
    need_noto()
    base = dump_spec(write_page(tmp_path / "a"))
    moved = dump_spec(write_page(tmp_path / "b", frame="col: 1, span: 2, line: 4, lines: 17"))
    assert moved.splitlines()[4].startswith("  line x=34.02 y=94.94 ")
    assert base.splitlines()[4].startswith("  line x=34.02 y=66.94 ")


def test_cli_dump_matches_and_errors(tiny, tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["dump", str(tiny)])
    assert result.exit_code == 0
    assert result.output == dump_spec(tiny)
    result = runner.invoke(main, ["dump", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2 and "spec file not found" in result.output
    assert "Traceback" not in result.output


def _g(text, font="song", size=9.0, step=9.0):
    return tuple(PlacedGlyph(ch, font, size, round(i * step, 4)) for i, ch in enumerate(text))


def test_dump_layout_items_and_rounding():
    layout = PageLayout(
        name="p", trim=(100.004, 200.0),
        items=(
            TextLine(10.0049, 20.0, _g("甲乙"), "black", "f2", 18.0),
            TextLine(10.0, 34.0, _g("丙", "hei", 12) + (PlacedGlyph("丁", "song", 9.0, 12.0),), "red", "f1"),
            TextLine(10.0, 48.0, _g("戊"), "black", "f2"),
            Rect(1, 2, 3, 4, "red", None, 0.5),
            Rule(-0.001, 5, 6, 5, "black", 0.25),
            Image(1, 2, 3, 4, Path("/somewhere/private/pic.jpg"), "①"),
            Image(1, 2, 3, 4, None, ""),
        ),
        colors={"black": (0.0, 0.0, 0.0, 1.0), "red": (0, 1, 0.7, 0.1)}, stories=(StoryReport("s", 3, 5),), frames=2)
    assert dump_layout(layout) == (
        "page p 100.00 x 200.00 pt, 2 frames\n"
        "story s: 3/5 lines, 2 under\n"
        "frame f2\n"
        '  line x=10.00 y=20.00 w=18.00 song 9 black[0,0,0,1]/overprint: "甲乙"\n'
        '  line x=10.00 y=48.00 w=0.00 song 9 black[0,0,0,1]/overprint: "戊"\n'
        "frame f1\n"
        '  line x=10.00 y=34.00 w=12.00 hei 12 + song 9 red[0,1,0.7,0.1]: "丙丁"\n'
        "furniture\n"
        "  rect x=1.00 y=2.00 w=3.00 h=4.00 stroke=red[0,1,0.7,0.1] fill=- width=0.50\n"
        "  rule 0.00,5.00 → 6.00,5.00 color=black[0,0,0,1]/overprint width=0.25\n"
        '  image x=1.00 y=2.00 w=3.00 h=4.00 file=pic.jpg picture=unreadable label="①"\n'
        '  image x=1.00 y=2.00 w=3.00 h=4.00 file=- picture=placeholder label=""\n')


def test_dump_width_is_the_line_width_not_the_last_origin(tmp_path):
    """`w=` is where a line's set glyphs end: a justified body line shows its full measure."""
    text = dump_spec(Path(__file__).resolve().parents[1] / "layouts" / "jiceng-dangjian.yaml")
    main = [l.split(" w=")[1].split()[0] for l in text.splitlines() if l.startswith("  line x=53.26 ")]
    # 13 characters of 9 pt: the main story's measure, on every line but paragraphs' last ones
    assert main.count("117.00") > 0.7 * len(main)


def test_dump_says_overprint_exactly_where_the_renderer_overprints():
    """One rule (layout.model.overprints): 100 % K process black overprints; a spot ink whose CMYK
    alternate is 100 % K, any other colour and any fill knock out."""
    from pagesetter.layout.dump import color_text
    from pagesetter.layout.model import overprints
    from pagesetter.pagespec.model import Spot

    colors = {"black": (0, 0, 0, 1), "ink": Spot((0, 0, 0, 1), "PANTONE Black C"), "red": (0, 1, 1, 0.1)}
    for name, value in colors.items():
        assert color_text(colors, name).endswith("/overprint") == overprints(value)
    assert [n for n, v in colors.items() if overprints(v)] == ["black"]
    assert not color_text(colors, "black", fill=True).endswith("/overprint")
