"""`pagesetter check`: validate and compose without writing; copyfit, warnings and exit codes."""
from __future__ import annotations

import json

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from pagesetter import build as build_mod
from pagesetter.cli import main
from specs import ARTICLE, SPEC, project

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "layouts" / "jiceng-dangjian.yaml"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_check_sample_page_clean():
    result = run("check", SAMPLE)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"checked {SAMPLE}: 3 stories, 10 frames, nothing overset")
    for story in ("main", "commentary", "sidebar"):
        assert f"\n  {story}: " in result.output


def test_check_writes_nothing(tmp_path, monkeypatch):
    spec = project(tmp_path)
    monkeypatch.chdir(tmp_path)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    result = run("check", spec)
    assert result.exit_code == 0, result.output
    assert "s: " in result.output and "under" in result.output
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def test_check_overset_exit_1(tmp_path):
    spec = project(tmp_path, SPEC.replace("f2: {col: 2, line: 4, lines: 17}", "f2: {col: 2, line: 4, lines: 1}")
                   .replace("f1: {col: 1, line: 4, lines: 17}", "f1: {col: 1, line: 4, lines: 1}"),
                   ARTICLE + "\n" + "基层工作千条万条，第一条是把党的旗帜高高举起来。" * 6 + "\n")
    result = run("check", spec)
    assert result.exit_code == 1, result.output
    assert "OVERSET" in result.output
    assert "s: " in result.output and "/2 lines, OVERSET" in result.output


def test_missing_glyph_named_with_file_line_column(tmp_path):
    spec = project(tmp_path, article="---\nheadline: 标题\n---\n第一段。\n\n第二\ue000段。\n")
    result = run("check", spec)
    assert result.exit_code == 2, result.output
    article = tmp_path / "articles" / "a.md"
    assert "character '\\ue000' (U+E000) is not in the song face" in result.output
    assert "used at a.md:6:3" in result.output
    assert f"{article}:6:3: character" in result.output  # the problem's own place
    assert "Traceback" not in result.output


def test_missing_glyph_in_a_spec_text_block(tmp_path):
    spec = project(tmp_path, SPEC + "  - {kind: text, text: \"标\ue001题\", style: head, at: {col: 1, line: 20, lines: 1}}\n"
                   .replace("line: 20", "line: 21"))
    result = run("check", spec)
    assert result.exit_code == 2, result.output
    assert "(U+E001) is not in the biaosong face" in result.output
    assert "used at p.yaml:18:" in result.output


def _png(path: Path, w: int, h: int) -> None:
    from PIL import Image
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (w, h), (120, 120, 160)).save(path)


IMAGE_SPEC = SPEC.replace("  f2: {col: 2, line: 4, lines: 17}\n", "").replace("[f1, f2]", "[f1]") + \
    "  - {kind: image, file: ../images/pic.png, at: {col: 2, line: 4, lines: 12}}\n"


def test_low_resolution_image_warned(tmp_path):
    spec = project(tmp_path, IMAGE_SPEC)
    _png(tmp_path / "images" / "pic.png", 40, 30)
    result = run("check", spec)
    assert result.exit_code == 1, result.output
    assert f"warning: {spec}:17:5: image pic.png (40×30 px) is 13 ppi in its 38×58 mm slot" in result.output
    assert "below 300 ppi\n    fix: use a picture of at least 450×690 px" in result.output


def test_warnings_carry_their_places_in_the_report(tmp_path):
    """A warning is structured like an error: report.json gives its file, line, column and fix."""
    spec = project(tmp_path, IMAGE_SPEC)
    _png(tmp_path / "images" / "pic.png", 40, 30)
    result = run("check", spec, "--json")
    assert result.exit_code == 1, result.output
    (warning,) = json.loads(result.output)["warnings"]
    assert warning["file"] == str(spec) and (warning["line"], warning["column"]) == (17, 5)
    assert warning["message"].startswith("image pic.png (40×30 px) is 13 ppi")
    assert warning["fix"].startswith("use a picture of at least")


def test_sharp_image_no_warning(tmp_path):
    spec = project(tmp_path, IMAGE_SPEC)
    _png(tmp_path / "images" / "pic.png", 1800, 2400)
    result = run("check", spec)
    assert result.exit_code == 0, result.output
    assert "warning:" not in result.output


def test_build_exit_1_on_warnings(tmp_path):
    spec = project(tmp_path, IMAGE_SPEC)
    _png(tmp_path / "images" / "pic.png", 40, 30)
    result = run("build", spec, "-o", tmp_path / "o.pdf", "--no-png")
    assert result.exit_code == 1 and (tmp_path / "o.pdf").exists()
    assert "below 300 ppi" in result.output


def test_internal_error_exit_3(tmp_path, monkeypatch):
    spec = project(tmp_path)

    def broken(*a, **k):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(build_mod, "compose_page", broken)
    result = run("check", spec)
    assert result.exit_code == 3
    assert "internal error: ZeroDivisionError: division by zero" in result.output
    assert "this is a bug in pagesetter" in result.output and "Traceback" not in result.output
    result = run("check", spec, "--debug")
    assert isinstance(result.exception, ZeroDivisionError)  # --debug lets the traceback through


def test_debug_shows_bad_input_traceback(tmp_path):
    spec = project(tmp_path, SPEC.replace("[f1, f2]", "[f1, f9]"))
    result = run("check", spec, "--debug")
    assert result.exit_code != 0 and result.exception is not None
    assert type(result.exception).__name__ == "PagesetterError"


def test_usage_error_is_exit_2():
    assert run("check").exit_code == 2
    assert run("frobnicate").exit_code == 2


def test_exit_codes_documented():
    import pagesetter.cli as cli

    doc = cli.__doc__
    for line in ("0  done", "1  done", "2  bad input", "3  internal error"):
        assert line in doc
    spec_md = (ROOT / "docs" / "spec.md").read_text(encoding="utf-8")
    assert "| 3 | internal error" in spec_md


def test_console_script_exit_code(tmp_path):
    spec = project(tmp_path, SPEC.replace("role: kai", "role: kia"))
    run_ = subprocess.run([sys.executable, "-m", "pagesetter.cli", "check", str(spec)], capture_output=True, text=True)
    assert run_.returncode == 2
    assert "did you mean 'kai'?" in run_.stderr and "Traceback" not in run_.stderr


def test_a_balanced_story_says_its_last_row_was_shortened():
    """With balance: true the lines available are those of the shortened row: the summary says so,
    so '24/24 lines' is not read as a full chain."""
    result = CliRunner().invoke(main, ["check", str(SAMPLE)])
    line = next(x for x in result.output.splitlines() if x.strip().startswith("commentary:"))
    assert line.strip() == "commentary: 65/66 lines, 1 under, last row balanced to 33 lines", line
    main_line = next(x for x in result.output.splitlines() if x.strip().startswith("main:"))
    assert "balanced" not in main_line  # the main story is not balanced
