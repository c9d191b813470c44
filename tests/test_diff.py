"""`pagesetter diff`: each kind of change found on constructed pairs of tiny pages, equality for
identical builds, the diff image marking the right place, clean errors, and any-PDF reading."""
from __future__ import annotations

import io

import pytest
from click.testing import CliRunner
from PIL import Image, ImageChops

from pagesetter.build import build
from pagesetter.check.diff import diff_pdfs
from pagesetter.check.diffimage import to_px, write_diff_images
from pagesetter.check.pixels import CELL
from pagesetter.render.raster import rasterise
from pagesetter.check.readback import Glyph, group_lines, read_pdf
from pagesetter.cli import main
from pagesetter.layout.model import TextLine

from tinypage import GBSN, PARAGRAPHS, need_noto, write_page

CHANGED = (PARAGRAPHS[0], PARAGRAPHS[1].replace("灵魂", "灵象"), PARAGRAPHS[2])
VARIANTS = {
    "same": {},
    "char": {"paragraphs": CHANGED},
    "reflow": {"frame": "col: 1, span: 2, line: 2, lines: 19, inset: [0, 2字]"},
    "moved": {"frame": "col: 1, span: 2, line: 4, lines: 17"},
    "size": {"trim": "110mm, 148mm"},
}


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    """base.pdf and one PDF per variant, each built from its own folder."""
    need_noto()
    root = tmp_path_factory.mktemp("pairs")
    out = {}
    for name, changes in {"base": {}, **VARIANTS}.items():
        out[name] = root / f"{name}.pdf"
        composed = build(write_page(root / name, **changes), out[name], png=False)
        if name == "base":
            out["layout"] = composed.layout
    return out


def diff(pdfs, name, **options):
    return diff_pdfs(pdfs["base"], pdfs[name], **options)


def test_identical_builds_are_equal(pdfs, tmp_path):
    report = diff(pdfs, "same")
    assert report.equal and report.pages[0].equal
    assert report.identical  # byte-identical files: equal at once, nothing read or rasterised
    assert report.pages[0].pixels is None
    assert "EQUAL" in report.summary()
    result = CliRunner().invoke(main, ["diff", str(pdfs["base"]), str(pdfs["same"])])
    assert result.exit_code == 0, result.output
    assert not pdfs["same"].with_name("same.diff.png").exists()  # nothing to show, nothing written


def test_changed_character(pdfs):
    report = diff(pdfs, "char")
    page = report.pages[0]
    assert not report.equal
    assert len(page.text) == 1
    change = page.text[0]
    assert change.kind == "changed" and change.edits == (("魂", "象"),)
    assert change.removed == ("政治属性是基层党组织的灵魂。广大基层党组织",)
    assert change.added == ("政治属性是基层党组织的灵象。广大基层党组织",)
    assert (change.a_line, change.b_line) == (4, 4)
    assert not page.reflows and page.moved == 0 and not page.fonts and not page.boxes
    assert page.pixels.exceeds and 0 < page.pixels.fraction < 0.001
    assert '"魂"→"象"' in report.summary()


def test_reflowed_paragraphs(pdfs):
    page = diff(pdfs, "reflow").pages[0]
    assert not page.text, "the text is the same, only its breaks differ"
    assert len(page.reflows) == 1
    rf = page.reflows[0]
    assert "".join(rf.a_lines) == "".join(rf.b_lines) == "".join(PARAGRAPHS)
    assert rf.a_lines != rf.b_lines
    assert page.moved > 0  # the glyphs that changed lines moved


def test_moved_frame(pdfs):
    report = diff(pdfs, "moved")
    page = report.pages[0]
    glyphs = sum(len(p) for p in PARAGRAPHS)
    assert not page.text and not page.reflows and not page.fonts
    assert page.moved == glyphs
    assert page.shifts[0] == ((0.0, 28.0), glyphs)  # two body lines of 14 pt, straight down
    biggest = page.largest_moves[0]
    assert biggest.distance == pytest.approx(28.0, abs=0.01)
    assert biggest.b[1] - biggest.a[1] == pytest.approx(28.0, abs=0.01)
    assert f"moved: {glyphs} glyphs" in report.summary()
    # within a generous tolerance (and with pixels not compared) the pages are equal
    assert diff(pdfs, "moved", tolerance=30, pixels=False).equal
    assert not diff(pdfs, "moved", tolerance=27.9, pixels=False).equal


def test_swapped_font(pdfs, tmp_path):
    if not GBSN.is_file():
        pytest.skip(f"{GBSN} not installed (apt-get install fonts-arphic-gbsn00lp)")
    out = tmp_path / "font.pdf"
    build(write_page(tmp_path / "font", fonts={"song": GBSN}), out, png=False)
    page = diff_pdfs(pdfs["base"], out).pages[0]
    assert not page.text and not page.reflows
    assert len(page.fonts) == 1
    fc = page.fonts[0]
    assert fc.a_font.startswith("NotoSerifCJK") and "+" not in fc.a_font
    assert fc.b_font != fc.a_font and "+" not in fc.b_font
    assert fc.count == sum(len(p) for p in PARAGRAPHS)
    assert fc.a_size == fc.b_size == 9


def test_changed_page_size(pdfs):
    report = diff(pdfs, "size")
    page = report.pages[0]
    names = {b.name for b in page.boxes}
    assert names == {"MediaBox", "TrimBox", "BleedBox"}
    media = next(b for b in page.boxes if b.name == "MediaBox")
    assert media.a[2] == pytest.approx(105 * 72 / 25.4, abs=0.01)
    assert media.b[2] == pytest.approx(110 * 72 / 25.4, abs=0.01)
    assert not page.text and page.moved == 0  # page.left is fixed: the text stays put
    assert "MediaBox: [0.00 0.00 297.64 419.53] → [0.00 0.00 311.81 419.53]" in report.summary()


def test_diff_image_marks_the_changed_glyph(pdfs, tmp_path):
    dpi = 100
    report = diff(pdfs, "char", dpi=dpi, keep_renders=True)
    [path] = write_diff_images(report, tmp_path / "char.png")
    marked = Image.open(path).convert("RGB")
    plain = report.renders[1][1]
    assert marked.size == plain.size
    # where the diff image departs from B's own render: exactly around the new glyph
    changed = ImageChops.difference(marked, plain).getbbox()
    glyph = next(g for g in read_pdf(pdfs["char"])[0].glyphs if g.ch == "象")
    gx0, gy0, gx1, gy1 = to_px(glyph.bbox, dpi)
    slack = CELL + 3 * dpi / 72  # pixel regions are gathered in CELL-px cells, outlined 1 pt out
    assert changed[0] <= gx0 and changed[1] <= gy0 and changed[2] >= gx1 and changed[3] >= gy1
    assert changed[0] >= gx0 - slack and changed[1] >= gy0 - slack
    assert changed[2] <= gx1 + slack and changed[3] <= gy1 + slack
    # the glyph's box is tinted red: its paper goes pink
    paper = [(x, y) for x in range(gx0, gx1) for y in range(gy0, gy1) if min(plain.getpixel((x, y))) > 250]
    assert paper
    for xy in paper[:: max(1, len(paper) // 20)]:
        r, g, b = marked.getpixel(xy)
        assert r > 230 and g < 200 and b < 200, (xy, marked.getpixel(xy))
    # far from it, nothing is marked
    assert marked.getpixel((5, plain.height - 5)) == plain.getpixel((5, plain.height - 5))


def test_cli_writes_image_and_self_contained_html(pdfs, tmp_path):
    image, html = tmp_path / "d.png", tmp_path / "d.html"
    result = CliRunner().invoke(main, ["diff", str(pdfs["base"]), str(pdfs["moved"]), "--image", str(image),
                                       "--html", str(html), "--dpi", "60"])
    assert result.exit_code == 1, result.output
    assert "moved:" in result.output and f"diff image: {image}" in result.output
    assert Image.open(image).size == rasterise(pdfs["moved"], 60)[0].size
    text = html.read_text(encoding="utf-8")
    # A, B and the marked diff, inlined: the pages, and enlarged around each listed change
    zooms = text.count('<section class="zoom"')
    assert zooms >= 1 and text.count("data:image/jpeg;base64,") == 3 + 3 * zooms
    assert "http://" not in text and "https://" not in text and "<script" not in text
    assert "moved: " in text


def test_cli_errors_are_clean(pdfs, tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["diff", str(pdfs["base"]), str(tmp_path / "missing.pdf")])
    assert result.exit_code == 2
    assert "PDF file not found" in result.output and "Traceback" not in result.output
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"this is not a PDF\n")
    result = runner.invoke(main, ["diff", str(junk), str(pdfs["base"])])
    assert result.exit_code == 2
    assert "cannot read the PDF" in result.output and "Traceback" not in result.output
    result = runner.invoke(main, ["diff", str(pdfs["base"]), str(pdfs["base"]), "--pixel-threshold", "2"])
    assert result.exit_code == 2 and "pixel-threshold" in result.output


def test_readback_lines_are_the_layout_lines(pdfs):
    lines = read_pdf(pdfs["base"])[0].lines
    layout = [i for i in pdfs["layout"].items if isinstance(i, TextLine)]
    assert [ln.text for ln in lines] == ["".join(g.ch for g in t.glyphs) for t in layout]
    for ln, t in zip(lines, layout):
        assert ln.y == pytest.approx(t.y, abs=0.01)
        assert ln.x == pytest.approx(t.x + t.glyphs[0].x, abs=0.01)


def _glyphs(spec):
    """(char, x, baseline, content index) → Glyphs 10 pt, 1 em wide."""
    return [Glyph(ch, "F", 10.0, x, y, (x, y - 8.8, x + 10, y + 1.2), i) for ch, x, y, i in spec]


def test_group_lines_columns_and_gaps():
    # two columns at one baseline, 1 em gutter (not wider than an em), drawn one after the other
    col1 = [(c, 10 * k, 20.0, k) for k, c in enumerate("甲乙丙")]            # x 0..30
    col2 = [(c, 40 + 10 * k, 20.0, 10 + k) for k, c in enumerate("丁戊")]   # x 40..60, gap 10
    second = [(c, 10 * k, 34.0, 5 + k) for k, c in enumerate("己庚")]
    lines = group_lines(_glyphs(col1 + col2 + second))
    assert [ln.text for ln in lines] == ["甲乙丙", "己庚", "丁戊"]  # content order of first glyphs
    # a justified line's wide spacing (under an em) stays one line when drawn in order
    spaced = [(c, 19 * k, 20.0, k) for k, c in enumerate("甲乙丙")]
    assert [ln.text for ln in group_lines(_glyphs(spaced))] == ["甲乙丙"]
    # wider than an em splits even in content order
    far = [("甲", 0, 20.0, 0), ("乙", 25, 20.0, 1)]
    assert [ln.text for ln in group_lines(_glyphs(far))] == ["甲", "乙"]


def _pdf(pages: list[list[tuple[float, float, str]]], size=(300, 200)) -> bytes:
    """A plain PDF from ReportLab with its standard Helvetica: not one of ours."""
    from reportlab.pdfgen.canvas import Canvas

    buf = io.BytesIO()
    c = Canvas(buf, pagesize=size, invariant=1)
    for page in pages:
        c.setFont("Helvetica", 12)
        for x, y, text in page:
            c.drawString(x, size[1] - y, text)
        c.showPage()
    c.save()
    return buf.getvalue()


def test_any_pdf_text_change_and_added_page(tmp_path):
    a = _pdf([[(20, 40, "Regression testing"), (20, 60, "of rendered pages")]])
    b = _pdf([[(20, 40, "Regression testing"), (20, 60, "of printed pages")], [(20, 40, "Second page")]])
    report = diff_pdfs(a, b, dpi=50)
    assert report.page_counts == (1, 2) and not report.equal
    first, second = report.pages
    assert [t.kind for t in first.text] == ["changed"]
    assert first.text[0].removed == ("of rendered pages",) and first.text[0].added == ("of printed pages",)
    assert first.fonts == () and first.boxes == ()
    assert not second.in_a and second.text[0].added == ("Second page",)
    assert "page 2 inserted: \"Second page\"" in report.summary()
    assert diff_pdfs(a, a, dpi=50).equal
    # several pages: one diff image per differing page, one PNG per page
    report = diff_pdfs(a, b, dpi=50, keep_renders=True)
    assert write_diff_images(report, tmp_path / "d.png") == [tmp_path / "d-p1.png", tmp_path / "d-p2.png"]
    (tmp_path / "b.pdf").write_bytes(b)
    result = CliRunner().invoke(main, ["render", str(tmp_path / "b.pdf"), "--dpi", "50"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "b-p1.png").is_file() and (tmp_path / "b-p2.png").is_file()


def test_cli_render_pdf_and_spec(pdfs, tmp_path):
    runner = CliRunner()
    pdf = tmp_path / "page.pdf"
    pdf.write_bytes(pdfs["base"].read_bytes())
    result = runner.invoke(main, ["render", str(pdf), "--dpi", "36"])
    assert result.exit_code == 0, result.output
    png = tmp_path / "page.png"  # beside the PDF by default
    assert f"rendered {png}" in result.output
    assert Image.open(png).size == rasterise(pdf, 36)[0].size == (149, 210)
    # a spec is built in memory: no PDF is written, only the PNG
    spec = write_page(tmp_path / "spec")
    out = tmp_path / "preview" / "tiny.png"
    result = runner.invoke(main, ["render", str(spec), "--dpi", "36", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert ImageChops.difference(Image.open(out).convert("RGB"), Image.open(png).convert("RGB")).getbbox() is None
    assert not list((tmp_path / "spec").glob("*.pdf")) and not (tmp_path / "preview" / "tiny.pdf").exists()
    result = runner.invoke(main, ["render", str(tmp_path / "nothing.pdf")])
    assert result.exit_code == 2 and "PDF file not found" in result.output
    result = runner.invoke(main, ["render", str(pdf), "--dpi", "0"])
    assert result.exit_code == 2 and "dpi" in result.output
