"""The whole build of the sample page, checked from the outside (as a reader of the PDF would)."""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from pagesetter.build import build
from pagesetter.cli import main
from pagesetter.story.parse import load_story
from specs import SPEC as SPECS_SPEC
from specs import project, spec_with

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "layouts" / "jiceng-dangjian.yaml"
PAGECHECK = ROOT.parent / "shared" / "tools" / "pagecheck.py"
MM = 72 / 25.4


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("page") / "page.pdf"
    composed = build(SPEC, out)
    return out, composed


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_page_is_trim_size_with_trimbox(built):
    page = PdfReader(built[0]).pages[0]
    assert float(page.mediabox.width) == pytest.approx(390 * MM, abs=0.01)
    assert float(page.mediabox.height) == pytest.approx(550 * MM, abs=0.01)
    assert "/TrimBox" in page
    assert [float(v) for v in page.trimbox] == pytest.approx([0, 0, 390 * MM, 550 * MM], abs=0.01)


def test_every_font_is_an_embedded_type0_cid_font_with_a_unique_tag(built):
    page = PdfReader(built[0]).pages[0]
    fonts = page["/Resources"]["/Font"]
    assert len(fonts) >= 5
    tags, programs = set(), set()
    for ref in fonts.values():
        font = ref.get_object()
        assert (font["/Subtype"], font["/Encoding"]) == ("/Type0", "/Identity-H"), font["/BaseFont"]
        assert "/ToUnicode" in font
        cid = font["/DescendantFonts"][0].get_object()
        desc = cid["/FontDescriptor"].get_object()
        if cid["/Subtype"] == "/CIDFontType0":  # CFF straight from the face, no conversion
            assert desc["/FontFile3"].get_object()["/Subtype"] == "/CIDFontType0C"
            programs.add(desc["/FontFile3"].get_object().get_data())
        else:
            assert cid["/Subtype"] == "/CIDFontType2" and "/FontFile2" in desc
            programs.add(desc["/FontFile2"].get_object().get_data())
        assert re.fullmatch(r"/[A-Z]{6}\+\S+", font["/BaseFont"]) and cid["/BaseFont"] == font["/BaseFont"]
        tags.add(font["/BaseFont"][1:7])
    assert len(tags) == len(programs) == len(fonts)
    assert sum(1 for ref in fonts.values()
               if ref.get_object()["/DescendantFonts"][0].get_object()["/Subtype"] == "/CIDFontType0") >= 4


def _extracted(pdf: Path) -> dict[str, str]:
    """The page's text as four independent readers give it (pdfminer, pypdf, MuPDF, poppler)."""
    import pdfplumber
    import pymupdf

    with pdfplumber.open(pdf) as doc:  # its extract_text() joins the columns line by line
        plumber = "".join(c["text"] for c in doc.pages[0].chars)  # content-stream order
    poppler = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True,
                             check=True).stdout
    return {"pypdf": PdfReader(pdf).pages[0].extract_text(), "pdfplumber": plumber,
            "pymupdf": pymupdf.open(pdf)[0].get_text(), "pdftotext": poppler}


def test_four_readers_extract_every_paragraph_in_reading_order(built):
    articles = sorted(p for p in (ROOT / "articles").glob("*.md") if p.name != "README.md")
    for reader, text in _extracted(built[0]).items():
        text = squash(text)
        for path in articles:
            pos = 0
            for par in load_story(path).paragraphs:
                found = text.find(squash(par.text), pos)
                assert found >= 0, f"{reader}: {path.name}:{par.line} missing or out of order: {par.text[:20]}"
                pos = found + len(squash(par.text))


def test_every_paragraph_in_reading_order(built):
    text = squash(PdfReader(built[0]).pages[0].extract_text())
    articles = sorted(p for p in (ROOT / "articles").glob("*.md") if p.name != "README.md")
    assert len(articles) == 6
    for path in articles:
        story = load_story(path)
        pos = 0
        for par in story.paragraphs:
            found = text.find(squash(par.text), pos)
            assert found >= 0, f"{path.name}:{par.line} missing or out of order: {par.text[:20]}"
            pos = found + len(squash(par.text))


def test_headline_furniture_on_page(built):
    text = squash(PdfReader(built[0]).pages[0].extract_text())
    for piece in ("奋进新征程建功新时代·伟大变革", "谱写新篇章", "基层党组织更加坚强有力",
                  "基层党建创新不断取得新进展新成效", "新时代新作为", "潮头观澜", "版式设计：汪哲平",
                  "田如瑞摄", "姜峰摄", "①", "②"):
        assert piece in text


def test_nothing_overset_and_report(built):
    composed = built[1]
    ids = [r.id for r in composed.layout.stories]
    assert ids == ["main", "commentary", "sidebar"]  # drawing (reading) order
    assert all(r.overset == 0 for r in composed.layout.stories)
    assert composed.block_overset == []


def test_copyfit_report_beside_the_pdf(built):
    import json
    report = json.loads(built[0].with_suffix(".report.json").read_text(encoding="utf-8"))
    assert report["page"] == "jiceng-dangjian"
    assert [(s["id"], s["overset"]) for s in report["stories"]] == [("main", 0), ("commentary", 0), ("sidebar", 0)]
    for s, r in zip(report["stories"], built[1].layout.stories):
        assert (s["lines_set"], s["lines_available"], s["underset"]) == (r.lines_set, r.lines_available, r.underset)


def test_check_json_reports_overset(tmp_path):
    import json
    spec = _small_page(tmp_path, 5)
    result = CliRunner().invoke(main, ["check", str(spec), "--json"])
    assert result.exit_code == 1
    story = json.loads(result.output)["stories"][0]
    at = story.pop("overset_at")
    assert story == {"id": "s", "lines_set": 11, "lines_available": 5, "overset": 6, "underset": 0,
                     "overfull": 0, "adjustment": None, "overset_text": "有力，基层党组织更加坚强有力，基…"}
    assert at == f"{tmp_path / 'articles' / 'a.md'}:4"  # the article and line the overset text starts on
    assert not list(tmp_path.glob("*.pdf"))


def test_png_preview_written(built):
    png = built[0].with_suffix(".png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_two_builds_byte_identical(built, tmp_path):
    """A second build in another process, with an empty font cache of its own (nothing read back
    from the first build's metrics, subsets or profile), gives the same bytes."""
    again = tmp_path / "again.pdf"
    run = subprocess.run([sys.executable, "-m", "pagesetter.cli", "build", str(SPEC), "-o", str(again), "--no-png"],
                         capture_output=True, text=True,
                         env={**os.environ, "PAGESETTER_CACHE": str(tmp_path / "own-cache")})
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "own-cache" / "subsets").is_dir()  # it made its own subsets
    assert again.read_bytes() == built[0].read_bytes()


@pytest.mark.skipif(not PAGECHECK.exists(), reason="../shared/tools/pagecheck.py not beside the repository")
def test_pagecheck_finds_no_hard_fault_and_every_soft_figure_zero(built):
    run = subprocess.run([sys.executable, str(PAGECHECK), str(built[0])], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-2000:]
    assert "hard faults: 0" in run.stdout
    # loose lines, Han–Latin holes, squeezed ？！, short columns (齐底), untrimmed or uncompressed
    # marks, uneven spacing: none on the sample page
    report = json.loads(subprocess.run([sys.executable, str(PAGECHECK), str(built[0]), "--json"],
                                       capture_output=True, text=True).stdout)
    assert {k: v for k, v in report["soft"].items() if v} == {}, report["pages"][0]["soft_examples"]


def _small_page(tmp_path: Path, frame_lines: int) -> Path:
    """The small project of tests/specs.py with one story of 120 characters in one frame."""
    spec = spec_with("  f1: {col: 1, line: 4, lines: 17}\n  f2: {col: 2, line: 4, lines: 17}",
                     f"  f1: {{col: 1, line: 4, lines: {frame_lines}}}")
    spec = spec_with("chain: [f1, f2]", "chain: [f1]", spec)
    return project(tmp_path, spec, "---\nheadline: 测试\n---\n" + "基层党组织更加坚强有力，" * 10 + "\n")


def test_overset_is_reported_not_dropped(tmp_path):
    spec = _small_page(tmp_path, 5)
    result = CliRunner().invoke(main, ["build", str(spec), "-o", str(tmp_path / "o.pdf"), "--no-png"])
    assert result.exit_code == 1
    # 120 characters at 12 a line after a 2-em indent: 11 lines, 5 fit
    assert "s: 11/5 lines, OVERSET 6" in result.output


def test_failed_build_keeps_last_good_pdf(tmp_path):
    spec = _small_page(tmp_path, 17)
    out = tmp_path / "o.pdf"
    assert CliRunner().invoke(main, ["build", str(spec), "-o", str(out), "--no-png"]).exit_code == 0
    good = out.read_bytes()
    spec.write_text(spec.read_text(encoding="utf-8").replace("chain: [f1]", "chain: [f9]"), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(spec), "-o", str(out), "--no-png"])
    assert result.exit_code == 2
    assert "chain names frame 'f9', which is not defined" in result.output
    assert "Traceback" not in result.output
    assert out.read_bytes() == good
    assert sorted(p.name for p in tmp_path.iterdir()) == ["articles", "layouts", "o.pdf", "o.report.json"]


def test_only_styles_some_text_needs_are_required(tmp_path):
    """A story whose articles have no ## / ### / gap / ** text needs no section_lead, subhead,
    gap or strong style; one that uses a role without its style is a located error (exit 2)."""
    spec = SPECS_SPEC.replace("  section_lead: {based_on: body, role: hei-bold}\n", "") \
        .replace("  subhead: {based_on: body, role: kai}\n", "").replace("  gap: {based_on: body, role: hei, color: red}\n", "")
    plain = project(tmp_path / "a", spec, "---\nheadline: 测试\n---\n正文一段。\n\n正文二段。\n")
    ok = CliRunner().invoke(main, ["build", str(plain), "-o", str(tmp_path / "a.pdf"), "--no-png"])
    assert ok.exit_code == 0, ok.output
    lead = project(tmp_path / "b", spec, "---\nheadline: 测试\n---\n正文。\n\n## 小标题\n\n**本报讯**正文。\n")
    bad = CliRunner().invoke(main, ["build", str(lead), "-o", str(tmp_path / "b.pdf"), "--no-png"])
    assert bad.exit_code == 2
    assert "story 's' sets section_lead text (first in ../articles/a.md, line 6) in style 'section_lead'" in bad.output
    assert "story 's' sets strong text (first in ../articles/a.md, line 8) in style 'strong'" in bad.output
    assert "p.yaml:12:6:" in bad.output and "map it: styles: {strong: <style>}" in bad.output
    assert not (tmp_path / "b.pdf").exists()


def test_spaces_in_the_text_are_real_spaces_in_the_pdf(built):
    """A space the text has (the banner's 奋进新征程 建功新时代) is written as the face's space glyph,
    so every reader extracts it; gaps that are only spacing (justification, 汉字-digit) are not."""
    for reader, text in _extracted(built[0]).items():
        assert "本报记者 赵成" in text, reader  # the byline's 本报记者  赵成
        if reader in ("pdfplumber", "pymupdf"):  # the others space out the letter-spaced banner
            assert "奋进新征程 建功新时代" in text, reader


def test_strong_span_is_set_in_its_style_and_counted_for_its_face(tmp_path):
    from pagesetter.build import compose_page, load_stories
    from pagesetter.layout.texts import chars_by_role
    from pagesetter.pagespec.load import load_spec
    spec_text = SPECS_SPEC.replace("  head: {role: biaosong", "  strong: {based_on: body, role: hei}\n  head: {role: biaosong")
    path = project(tmp_path, spec_text, "---\nheadline: 测试\n---\n**本报讯**　正文一段。\n")
    spec = load_spec(path)
    census = chars_by_role(spec, load_stories(spec))
    assert set("本报讯") <= census["hei"] and not set("本报讯") & census["song"]
    line = next(it for it in compose_page(path).layout.items if getattr(it, "frame", "") == "f1")
    assert [(g.ch, g.font) for g in line.glyphs[:4]] == [("本", "hei"), ("报", "hei"), ("讯", "hei"), ("正", "song")]


def test_summary_into_a_closed_pipe_is_not_an_internal_error(tmp_path):
    """`pagesetter build … | head -1`: the reader has left; the build is done, so no "internal
    error" (exit 3) on stderr for the summary that could not be printed."""
    import os

    spec = project(tmp_path)
    read_end, write_end = os.pipe()
    os.close(read_end)  # every write to the pipe now fails with EPIPE
    try:
        proc = subprocess.run([sys.executable, "-m", "pagesetter.cli", "build", str(spec), "--no-png"],
                              stdout=write_end, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    finally:
        os.close(write_end)
    assert "internal error" not in proc.stderr
    assert proc.returncode == 0
    assert any((tmp_path / "out").glob("*.pdf"))


def test_the_command_leaves_with_its_code_its_output_flushed_and_exit_handlers_run(tmp_path):
    """The `pagesetter` command ends without tearing the interpreter down (process.leave): what it
    printed still arrives in full, the exit code is the command's, atexit handlers still run."""
    spec = project(tmp_path)
    code = ("import atexit, sys\nfrom pagesetter.cli import run\n"
            "atexit.register(lambda: print('handler ran', file=sys.stderr))\n"
            "sys.argv = ['pagesetter'] + sys.argv[1:]\nrun()\nprint('not reached')\n")
    ok = subprocess.run([sys.executable, "-c", code, "build", str(spec), "--no-png"],
                        capture_output=True, text=True, cwd=tmp_path)
    assert ok.returncode == 0 and ok.stdout.startswith("built ") and "not reached" not in ok.stdout
    assert ok.stdout.endswith(" under\n") and "handler ran" in ok.stderr  # the summary, whole
    bad = subprocess.run([sys.executable, "-c", code, "build", str(tmp_path / "missing.yaml")],
                         capture_output=True, text=True, cwd=tmp_path)
    assert bad.returncode == 2 and "spec file not found" in bad.stderr and "handler ran" in bad.stderr
    usage = subprocess.run([sys.executable, "-c", code, "no-such-command"], capture_output=True, text=True)
    assert usage.returncode == 2 and "No such command" in usage.stderr


@pytest.mark.parametrize("closed", [">&-", "2>&-"])
def test_the_command_started_with_a_standard_stream_closed_still_works(tmp_path, closed):
    """`pagesetter build … >&-`: Python starts with sys.stdout (or stderr) None; the build is done
    and the exit is clean (no traceback from flushing a stream that is not there)."""
    import shlex

    spec = project(tmp_path)
    exe = Path(sys.executable).with_name("pagesetter")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "pagesetter.cli"]
    line = shlex.join(cmd + ["build", str(spec), "--no-png", "-o", str(tmp_path / "x.pdf")])
    done = subprocess.run(["sh", "-c", f"{line} {closed}"], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert (tmp_path / "x.pdf").read_bytes().startswith(b"%PDF")
