"""Regression II (issue 13): colours are part of a page's identity, one tolerance model for PDF,
dump and pixels, guarded regeneration, strict fonts on CI, failures that say where, pages paired by
content, review outputs never in the goldens folder."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from importlib.metadata import entry_points

import pytest
from click.testing import CliRunner
from PIL import Image

from pagesetter.build import build
from pagesetter.check.diff import diff_pdfs
from pagesetter.check.dumpdiff import compare_dumps
from pagesetter.check.pixels import pixel_diff
from pagesetter.check.tolerance import Tolerance
from pagesetter.cli import main
from pagesetter.testing import ENV, STRICT_ENV, GoldenMismatch, assert_page_matches, golden_paths

from tinypage import need_noto, write_page

RED, NEW_RED = "red: [0, 1, 1, 0.1]", "red: [0, 1, 0.7, 0.1]"


def _edit(spec, old: str, new: str):
    text = spec.read_text(encoding="utf-8")
    assert old in text
    spec.write_text(text.replace(old, new), encoding="utf-8")
    return spec


def _red_body(folder):
    """The tiny page with its body set in red (so the story's lines carry the colour)."""
    spec = write_page(folder)
    return _edit(spec, "body:         {role: song, size: 小五}", "body:         {role: song, size: 小五, color: red}")


@pytest.fixture(autouse=True)
def no_ci(monkeypatch):
    """These tests set CI and strictness themselves: none from the machine running them; and
    what they regenerate stays out of the plugin's end-of-run list."""
    import pagesetter.testing as testing

    for name in ("CI", ENV, STRICT_ENV):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(testing, "WRITTEN", [])
    monkeypatch.setattr(testing, "REGENERATED_IN", set())
    monkeypatch.setattr(testing, "NOT_COMPARED", [])


@pytest.fixture
def red(tmp_path):
    need_noto()
    return _red_body(tmp_path / "page")


# ---- colour -----------------------------------------------------------------------------------

def test_colour_change_fails_the_golden_test_saying_where_and_from_to(red, tmp_path):
    golden = tmp_path / "golden"
    assert_page_matches(red, golden, regenerate=True)
    _edit(red, RED, NEW_RED)
    with pytest.raises(GoldenMismatch) as failed:
        assert_page_matches(red, golden, out_dir=tmp_path / "out")
    message = str(failed.value)
    assert "colour red[0,1,1,0.1] → red[0,1,0.7,0.1]" in message  # from the dump, CMYK values
    assert "story story, frame f1, page/story.md:1; x 12.0 y 23.6 mm" in message
    assert "CMYK set only in A: [0,1,1,0.1]; only in B: [0,1,0.7,0.1]" in message  # from the PDF
    assert "colour: " in message and "glyphs of text rgb(" in message
    # the review outputs went to out/, the goldens folder holds the goldens only
    assert sorted(p.name for p in golden.iterdir()) == ["tiny.dump.txt", "tiny.fonts.json", "tiny.pdf"]
    assert (tmp_path / "out" / "tiny.report.txt").is_file()
    html = (tmp_path / "out" / "tiny.diff.html").read_text(encoding="utf-8")
    assert "<h2>Colour changes</h2>" in html and "rgb(215, 23, 31)" in html  # A's red, as a swatch
    assert "<h2>Layout dump</h2>" in html and "red[0,1,0.7,0.1]" in html
    assert 'id="z4"' in html and "<script" not in html  # zoom without script


def test_colour_change_makes_diff_exit_1_naming_story_frame_and_values(red, tmp_path):
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    build(red, a, png=False)
    build(_edit(red, RED, NEW_RED), b, png=False)
    result = CliRunner().invoke(main, ["diff", str(a), str(b), "--spec", str(red), "--no-image"])
    assert result.exit_code == 1, result.output
    assert "colour: " in result.output and "(first in story story, frame f1, page/story.md:1;" in result.output
    assert "CMYK set only in A: [0,1,1,0.1]; only in B: [0,1,0.7,0.1]" in result.output
    report = diff_pdfs(a, b)
    page = report.pages[0]
    assert not page.text and not page.moved and page.colors
    texts = [c for c in page.colors if c.what == "text"]
    assert texts and texts[0].a != texts[0].b
    assert page.pixels.exceeds  # the pixels see it too: per channel, 5/255 slack by default
    # the rendered colours may differ within a wide colour tolerance, but pagesetter's own PDFs
    # compare their CMYK exactly unless a CMYK tolerance allows the change too
    loose = diff_pdfs(a, b, color_tolerance=0.5)
    assert not loose.equal and not loose.pages[0].colors
    assert [(p.attribute, p.a, p.b) for p in loose.pages[0].paint if p.what == "text"] == [
        ("colour", "process C0 M100 Y100 K10", "process C0 M100 Y70 K10")]
    assert diff_pdfs(a, b, color_tolerance=0.5, cmyk_tolerance=0.3).equal


def test_pixels_are_compared_per_channel():
    white = Image.new("RGB", (16, 16), (255, 255, 255))
    for delta, differs in ((3, False), (6, True), (70, True)):
        other = Image.new("RGB", (16, 16), (255, 255, 255 - delta))
        pix, _ = pixel_diff(white, other, 72, 0.0, level=Tolerance().pixel_level)
        assert (pix.differing > 0) == differs, delta


# ---- one tolerance model -------------------------------------------------------------------------

def test_sub_tolerance_drift_passes_dump_pdf_and_pixels(tmp_path):
    need_noto()
    spec = write_page(tmp_path / "page")
    golden = tmp_path / "golden"
    assert_page_matches(spec, golden, regenerate=True)
    _edit(spec, "top: 15mm", "top: 15.05mm")  # 0.14 pt lower
    assert_page_matches(spec, golden, tolerance=0.5, out_dir=tmp_path / "o1")  # passes all three
    with pytest.raises(GoldenMismatch, match=r"moved beyond 0.01 pt in frame f1: .*dy \+0.14…\+0.14 pt"):
        assert_page_matches(spec, golden, out_dir=tmp_path / "o2")
    a, b = golden_paths(golden, "tiny")["pdf"], tmp_path / "b.pdf"
    build(spec, b, png=False)
    assert diff_pdfs(a, b, tolerance=0.5).equal
    assert not diff_pdfs(a, b).equal


def test_dump_comparison_units():
    a = ('page p 100.00 x 200.00 pt, 1 frames\nframe f1\n'
         '  line x=10.00 y=20.00 w=9.00 song 9 red[0,1,1,0.1]: "甲乙"\n'
         'furniture\n  rule 0.00,5.00 → 6.00,5.00 color=black[0,0,0,1]/overprint width=0.25\n')
    assert compare_dumps(a, a) == []
    drift = a.replace("y=20.00", "y=20.30")
    assert compare_dumps(a, drift, Tolerance(0.5)) == []
    [moved] = compare_dumps(a, drift)
    assert moved.kind == "moved" and moved.b.frame == "f1"
    [colour] = compare_dumps(a, a.replace("red[0,1,1,0.1]", "red[0,1,0.7,0.1]"))
    assert colour.kind == "colour" and colour.detail == "red[0,1,1,0.1] → red[0,1,0.7,0.1]"
    # CMYK values as written compare exactly by default: a 2 % change in one ink is a change …
    [ink] = compare_dumps(a, a.replace("red[0,1,1,0.1]", "red[0,1,1,0.12]"))
    assert ink.kind == "colour" and ink.detail == "red[0,1,1,0.1] → red[0,1,1,0.12]"
    # … unless a CMYK tolerance allows it
    assert compare_dumps(a, a.replace("red[0,1,1,0.1]", "red[0,1,0.99,0.1]"), Tolerance(cmyk=0.02)) == []
    kinds = [f.kind for f in compare_dumps(a, a.replace('"甲乙"', '"甲丙"'))]
    assert kinds == ["text", "text"]


# ---- regeneration and strictness -------------------------------------------------------------------

def test_regeneration_refused_on_ci_unless_forced(tmp_path, monkeypatch):
    need_noto()
    spec, golden = write_page(tmp_path / "page"), tmp_path / "golden"
    monkeypatch.setenv("CI", "true")
    monkeypatch.setenv(ENV, "1")
    with pytest.raises(GoldenMismatch, match=f"refusing to regenerate goldens: CI is set.*{ENV}=force"):
        assert_page_matches(spec, golden)
    assert not golden.exists()
    monkeypatch.setenv(ENV, "force")
    assert_page_matches(spec, golden)
    assert golden_paths(golden, "tiny")["dump"].is_file()


def test_font_mismatch_fails_everywhere_unless_the_skip_is_asked_for(tmp_path, monkeypatch):
    need_noto()
    spec, golden = write_page(tmp_path / "page"), tmp_path / "golden"
    assert_page_matches(spec, golden, regenerate=True)
    fonts = golden_paths(golden, "tiny")["fonts"]
    recorded = json.loads(fonts.read_text(encoding="utf-8"))
    recorded["song"]["sha256"] = "0" * 64
    fonts.write_text(json.dumps(recorded), encoding="utf-8")
    with pytest.raises(GoldenMismatch, match="fonts here differ from the goldens'.*song.*fail closed"):
        assert_page_matches(spec, golden)  # outside CI too
    with pytest.raises(pytest.skip.Exception):
        assert_page_matches(spec, golden, strict=False)
    monkeypatch.setenv("CI", "1")
    with pytest.raises(GoldenMismatch, match="fonts here differ"):
        assert_page_matches(spec, golden)
    monkeypatch.setenv(STRICT_ENV, "0")
    with pytest.raises(pytest.skip.Exception):
        assert_page_matches(spec, golden)


FONTS_OFF = """\
def test_page(page_matches):
    page_matches({spec!r})


def test_other():
    assert True
"""


def test_a_page_not_compared_is_listed_and_the_run_exits_non_zero(tmp_path):
    """A user's suite on a machine with other fonts: by default the page test fails; with
    --skip-font-mismatch (or PAGESETTER_STRICT=0) it skips, and the plugin's closing summary lists
    the page as not compared and the run exits 1 although nothing failed."""
    need_noto()
    spec = write_page(tmp_path / "page")
    suite, run = _suite(tmp_path, spec, FONTS_OFF)
    made = run("--regenerate-goldens")
    assert made.returncode == 0, made.stdout
    fonts = suite / "golden" / "tiny.fonts.json"  # another machine's fonts: the recorded hash differs
    recorded = json.loads(fonts.read_text(encoding="utf-8"))
    recorded["song"]["sha256"] = "0" * 64
    fonts.write_text(json.dumps(recorded), encoding="utf-8")
    failed = run("-k", "test_page")
    assert failed.returncode == 1 and "1 failed" in failed.stdout and "fonts fail closed" in failed.stdout
    assert "NOT COMPARED page 'tiny'" in failed.stdout[failed.stdout.index("pagesetter goldens"):]
    for args, env in ((("--skip-font-mismatch",), {}), ((), {STRICT_ENV: "0"})):
        skipped = run(*args, **env)
        assert skipped.returncode == 1, skipped.stdout
        assert "1 passed, 1 skipped" in skipped.stdout and "failed" not in skipped.stdout
        summary = skipped.stdout[skipped.stdout.index("pagesetter goldens"):]
        assert "NOT COMPARED page 'tiny': the fonts here differ from the goldens' (song:" in summary
        assert "1 golden test(s) compared nothing (the fonts differ): the run exits 1" in summary


def _suite(tmp_path, spec, body: str):
    suite = tmp_path / "suite"
    suite.mkdir(exist_ok=True)
    (suite / "test_page.py").write_text(body.format(spec=str(spec)), encoding="utf-8")
    installed = any(ep.value == "pagesetter.testing" for ep in entry_points(group="pytest11"))
    plugin = [] if installed else ["-p", "pagesetter.testing"]

    def run(*args, **env):
        clean = {k: v for k, v in os.environ.items() if k not in ("CI", ENV, STRICT_ENV)}
        return subprocess.run([sys.executable, "-m", "pytest", "-q", *plugin, "-p", "no:cacheprovider", *args,
                               "test_page.py"], cwd=suite, capture_output=True, text=True, env={**clean, **env})
    return suite, run


def test_ci_regeneration_through_pytest_and_what_it_wrote(tmp_path):
    need_noto()
    spec = write_page(tmp_path / "page")
    suite, run = _suite(tmp_path, spec, "def test_page(page_matches):\n    page_matches({spec!r})\n")
    refused = run(CI="true", PAGESETTER_REGENERATE="1")
    assert refused.returncode == 1 and f"{ENV}=force" in refused.stdout
    assert not (suite / "golden").exists()
    (suite / "golden").mkdir()
    (suite / "golden" / "gone.dump.txt").write_text("page gone\n", encoding="utf-8")
    wrote = run(PAGESETTER_REGENERATE="1")
    assert wrote.returncode == 0, wrote.stdout
    assert f"wrote {suite / 'golden' / 'tiny.dump.txt'}" in wrote.stdout
    assert f"no test of this run uses {suite / 'golden' / 'gone.dump.txt'}" in wrote.stdout


def test_failure_shows_no_library_source_and_is_capped(tmp_path):
    need_noto()
    spec = write_page(tmp_path / "page")
    suite, run = _suite(tmp_path, spec, "def test_page(page_matches):\n    page_matches({spec!r}, max_lines=12)\n")
    assert run(PAGESETTER_REGENERATE="1").returncode == 0
    _edit(spec, "top: 15mm", "top: 17mm")
    failed = run()
    assert failed.returncode == 1
    out = failed.stdout
    assert "page_matches(" in out  # the test's own line
    assert "def assert_page_matches" not in out and "testing.py:" not in out and "__tracebackhide__" not in out
    assert "more lines: the full report is " in out and ".report.txt" in out


# ---- pages paired by content ----------------------------------------------------------------------

def _pdf(texts: list[str]) -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(300, 200), invariant=1)
    for text in texts:
        c.setFont("Helvetica", 12)
        c.drawString(20, 150, text)
        c.drawString(20, 130, f"body of {text}")
        c.showPage()
    c.save()
    return buf.getvalue()


PAGES = [f"Page about topic {k} " + "x" * k for k in range(1, 11)]


def test_inserted_deleted_and_reordered_pages():
    base = _pdf(PAGES)
    inserted = diff_pdfs(base, _pdf(PAGES[:2] + ["A brand new page"] + PAGES[2:]), dpi=20)
    summary = inserted.summary()
    assert summary.splitlines()[1:] == ["  pages: 10 → 11", 'page 3 inserted: "A brand new page"',
                                        "  10 page(s) equal"], summary
    deleted = diff_pdfs(base, _pdf(PAGES[:4] + PAGES[5:]), dpi=20).summary()
    assert "page 5 deleted" in deleted and "9 page(s) equal" in deleted
    moved = diff_pdfs(base, _pdf(PAGES[:2] + PAGES[3:8] + [PAGES[2]] + PAGES[8:]), dpi=20).summary()
    assert "page 3 of A moved to page 8" in moved and "text " not in moved
    assert diff_pdfs(base, base).identical


def test_review_tools_never_write_into_a_goldens_folder(red, tmp_path, monkeypatch):
    golden = tmp_path / "golden"
    assert_page_matches(red, golden, regenerate=True)
    other = tmp_path / "b.pdf"
    build(_edit(red, RED, NEW_RED), other, png=False)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    result = runner.invoke(main, ["render", str(golden / "tiny.pdf"), "--dpi", "20"])
    assert result.exit_code == 0 and "rendered out/review/tiny.png" in result.output
    result = runner.invoke(main, ["diff", str(other), str(golden / "tiny.pdf")])
    assert result.exit_code == 1 and "diff image: out/review/tiny.diff.png" in result.output
    assert sorted(p.name for p in golden.iterdir()) == ["tiny.dump.txt", "tiny.fonts.json", "tiny.pdf"]


def test_diff_caps_its_report_and_points_to_the_full_one(tmp_path):
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    a.write_bytes(_pdf(PAGES))
    b.write_bytes(_pdf([p.upper() for p in PAGES]))
    result = CliRunner().invoke(main, ["diff", str(a), str(b), "--max-lines", "5", "--no-image", "--dpi", "20"])
    assert result.exit_code == 1
    full = tmp_path / "b.diff.txt"
    assert f"more lines: the full report is {full}" in result.output
    assert len(full.read_text(encoding="utf-8").splitlines()) > 5


def test_changed_pages_pair_by_text_similarity():
    edited = PAGES[:4] + [PAGES[4].replace("topic", "subject")] + PAGES[5:]
    b = _pdf(edited[:2] + ["A brand new page"] + edited[2:])
    report = diff_pdfs(_pdf(PAGES), b, dpi=20)
    summary = report.summary()
    assert 'page 3 inserted: "A brand new page"' in summary
    assert "page 6 (page 5 of A):" in summary and '+ "Page about subject 5 xxxxx"' in summary
    assert len(report.differing) == 2 and "9 page(s) equal" in summary


def test_dump_records_tints_and_overprint():
    from pagesetter.layout.dump import dump_layout
    from pagesetter.layout.model import PageLayout, Rect, Rule

    def page(tint):
        items = (Rect(1, 2, 3, 4, "black", "red", 0.5, tint=tint), Rule(0, 5, 6, 5, "red", 0.25))
        return dump_layout(PageLayout("p", (100.0, 200.0), items, {"black": (0, 0, 0, 1), "red": (0, 1, 1, 0.1)},
                                      (), 0))

    text = page(0.1)
    assert "stroke=black[0,0,0,1]/overprint fill=red[0,1,1,0.1]/tint=0.1 width=0.50" in text  # fills knock out
    assert "color=red[0,1,1,0.1] width=0.25" in text  # only 100 % K overprints
    [finding] = compare_dumps(text, page(0.2))
    assert finding.kind == "colour" and finding.detail.endswith("red[0,1,1,0.1]/tint=0.2")


def test_a_long_changed_dump_line_is_cut_visibly():
    """A changed furniture line longer than the report's width ends in '…', not in a lone
    open quote that reads as if the label itself had lost its closing mark."""
    from pagesetter.check.dumpreport import describe_findings
    base = ("furniture\n  image x=286.26 y=252.87 w=207.00 h=249.50 file=photo.jpg "
            "picture=RGB:{} label=\"①\"\n")
    found = compare_dumps(base.format("d4162b2ee596"), base.format("b1a14195e5e4"))
    text = describe_findings(found)
    assert "picture=RGB:b1a14195e5e4" in text
    assert 'label="①  (' not in text, text
    assert all("…  (" in line or '"①"' in line for line in text.splitlines() if "label=" in line), text
