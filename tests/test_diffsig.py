"""What pixels cannot show (issue 25): document facts, ink and overprint per object, exact CMYK,
reading order, the font files in the dump; and the messages that say so."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from tinypage import GBSN, need_noto, write_page

from pagesetter.build import compose_page, doc_meta
from pagesetter.check.diff import diff_pdfs
from pagesetter.check.dumpdiff import compare_dumps
from pagesetter.check.dumpreport import describe_findings
from pagesetter.check.paint import Ink, compare_paint, paint_log
from pagesetter.check.tolerance import Tolerance
from pagesetter.layout.model import TextLine
from pagesetter.pagespec.model import Spot
from pagesetter.render.pdf import render_pdf
from pagesetter.testing import GoldenMismatch, assert_page_matches

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """The tiny page composed once: (layout, faces, meta, its PDF)."""
    need_noto()
    composed = compose_page(write_page(tmp_path_factory.mktemp("tiny")))
    meta = doc_meta(composed.spec)
    return composed.layout, composed.faces, meta, render_pdf(composed.layout, composed.faces, meta)


def _diff(tiny, layout=None, meta=None, **options):
    base_layout, faces, base_meta, base = tiny
    return diff_pdfs(base, render_pdf(layout or base_layout, faces, meta or base_meta), **options)


def _recoloured(layout, name: str, value):
    return replace(layout, colors={**layout.colors, name: value})


def test_changed_title_is_a_difference_in_info_and_xmp(tiny):
    report = _diff(tiny, meta=replace(tiny[2], title="另一个标题"))
    assert not report.equal
    changed = {c.name: (c.a, c.b) for c in report.document}
    assert set(changed) == {"Info Title", "XMP dc:title"}
    assert changed["Info Title"][1] == changed["XMP dc:title"][1] == "另一个标题"
    assert all(p.equal for p in report.pages)  # nothing on the page changed
    text = report.summary()
    assert 'document Info Title: "' in text and '→ "另一个标题"' in text and "document XMP dc:title" in text


def test_language_date_and_output_condition_are_differences(tiny):
    meta = replace(tiny[2], lang="zh-TW", date="2022-06-24", condition="another press")
    names = {c.name for c in _diff(tiny, meta=meta).document}
    assert {"Lang", "XMP dc:language", "XMP xmp:CreateDate", "Info CreationDate"} <= names
    assert any(n.startswith("output intent") for n in names)
    assert not {"XMP xmpMM:DocumentID", "XMP xmpMM:InstanceID"} & names  # they follow any change


def test_overprint_switched_off_on_black_is_reported(tiny, monkeypatch):
    from pagesetter.render import pdf

    monkeypatch.setattr(pdf, "overprints", lambda cmyk: False)
    report = _diff(tiny)
    [page] = report.pages
    assert not page.colors and not page.text and not (page.pixels and page.pixels.exceeds)  # pixels: the same
    [change] = [p for p in page.paint if p.what == "text"]
    assert (change.attribute, change.a, change.b) == ("overprint", "overprint (OPM 1)", "knockout")
    assert change.ink == "process C0 M0 Y0 K100" and change.count == 9  # one text run per line
    assert "overprint: " in report.summary() and "text objects in process C0 M0 Y0 K100: overprint (OPM 1) → knockout" \
        in report.summary()


def test_spot_ink_for_process_ink_is_reported(tiny):
    layout = tiny[0]
    report = _diff(tiny, _recoloured(layout, "red", Spot((0.0, 1.0, 1.0, 0.1), "人民红")))
    [change] = report.pages[0].paint
    assert (change.what, change.attribute) == ("path stroke", "ink")
    assert (change.a, change.b) == ("process C0 M100 Y100 K10", "spot 人民红 100 %")


def test_two_per_cent_in_one_ink_is_a_change_by_default(tiny):
    """red's K 0.10 → 0.12: the rendered red moves by no more than the colour tolerance, but the
    CMYK a pagesetter PDF sets is compared exactly."""
    layout = _recoloured(tiny[0], "red", (0.0, 1.0, 1.0, 0.12))
    report = _diff(tiny, layout)
    [page] = report.pages
    assert not page.colors  # the RGB is within the tolerance …
    [change] = page.paint  # … the ink is not
    assert (change.what, change.attribute, change.a, change.b) == (
        "path stroke", "colour", "process C0 M100 Y100 K10", "process C0 M100 Y100 K12")
    assert "(CMYK exact)" in report.summary()
    assert _diff(tiny, layout, cmyk_tolerance=0.02).equal


def test_other_producers_colour_values_compare_within_the_tolerance():
    """Only pagesetter's own PDFs compare CMYK exactly: another producer's within `color`."""
    a = paint_log(b"0 1 1 0.1 k 0 0 10 10 re f", {}, (0, 0, 100, 100))
    b = paint_log(b"0 1 1 0.12 k 0 0 10 10 re f", {}, (0, 0, 100, 100))
    assert a[0].fill == Ink("process", "", (0.0, 1.0, 1.0, 0.1)) and a[0].box == (0.0, 90.0, 10.0, 100.0)
    assert compare_paint(a, b, Tolerance(), exact=False) == ()
    [change] = compare_paint(a, b, Tolerance(), exact=True)
    assert change.what == "path fill" and change.b == "process C0 M100 Y100 K12"


def test_paint_log_follows_the_graphics_state():
    resources = {"/ExtGState": {"/o": {"/OP": True}, "/k": {"/OP": False, "/op": False}},
                 "/ColorSpace": {"/CS0": ["/Separation", "/PANTONE#20185#20C", "/DeviceCMYK", {}]}}
    log = paint_log(b"q /o gs 0 0 0 1 K 2 0 0 2 5 5 cm 0 0 1 1 re S Q /CS0 cs 0.5 scn BT /F1 9 Tf "
                    b"1 0 0 1 20 30 Tm <0001> Tj ET /k gs 0 0 5 5 re B", resources, (0, 0, 100, 100))
    stroke, text, both = log
    assert stroke.kind == "stroke" and stroke.overprint[:2] == (True, True)  # OP sets op when op is absent
    assert stroke.box == (5.0, 93.0, 7.0, 95.0)  # the cm applies
    assert text.kind == "text" and text.at == (20.0, 70.0) and text.overprint[0] is False  # Q restored
    assert text.fill == Ink("spot", "PANTONE 185 C", (0.5,)) and text.fill.describe() == "spot PANTONE 185 C 50 %"
    assert both.kind == "fill+stroke" and both.stroke == Ink("grey", "", (0.0,))


def test_two_blocks_swapped_in_reading_order_are_an_order_change():
    """Only the reading order (content and structure) changes: no text changed, nothing moved."""
    need_noto()
    composed = compose_page(ROOT / "layouts" / "jiceng-dangjian.yaml")
    layout, faces, meta = composed.layout, composed.faces, doc_meta(composed.spec)
    items = list(layout.items)
    credit = [k for k, it in enumerate(items) if isinstance(it, TextLine) and it.frame == "headline:commentary"]
    assert credit, "the sample page's commentary headline"
    k0, k1 = credit[0], credit[-1] + 1
    before = k0 - 1  # the text block drawn just before it
    assert isinstance(items[before], TextLine)
    swapped = items[:before] + items[k0:k1] + [items[before]] + items[k1:]
    report = diff_pdfs(render_pdf(layout, faces, meta), render_pdf(replace(layout, items=tuple(swapped)), faces, meta))
    [page] = report.pages
    assert not page.text and not page.moved and not page.reflows and not page.paint
    assert len(page.order) == 1 and page.order[0].count == 1
    assert "order changed: 1 line from " in report.summary() and "text and place unchanged" in report.summary()


def test_pinned_font_swapped_is_caught_by_the_dump_without_a_pdf_golden(tmp_path):
    """A pinned face replaced by a file with the same name and metrics: no PDF golden is kept
    (max_pdf_bytes=0), so only the dump can see it — by the font's content hash."""
    need_noto()
    if not GBSN.is_file():
        pytest.skip(f"{GBSN} not installed (apt-get install fonts-arphic-gbsn00lp)")
    spec = write_page(tmp_path / "page", fonts={"song": GBSN})
    golden = tmp_path / "golden"
    assert_page_matches(spec, golden, regenerate=True, max_pdf_bytes=0, cache_dir=tmp_path / "cache")
    assert not (golden / "tiny.pdf").exists()
    assert "font song: gbsn00lp.ttf#0 sha256:" in (golden / "tiny.dump.txt").read_text(encoding="utf-8")
    pinned = spec.parent / "fonts" / GBSN.name
    with pinned.open("ab") as f:  # another file: same tables, same advances, other bytes
        f.write(b"\0" * 64)
    with pytest.raises(GoldenMismatch, match=r"font song: gbsn00lp\.ttf#0 sha256:[0-9a-f]{16} .* → gbsn00lp\.ttf#0"):
        assert_page_matches(spec, golden, max_pdf_bytes=0, cache_dir=tmp_path / "cache", out_dir=tmp_path / "out")


def test_dump_labels_stroke_and_fill_and_reports_a_width_change_as_one():
    a = ('page p 100.00 x 200.00 pt, 1 frames\nframe f1\n'
         '  line x=10.00 y=20.00 w=9.00 song 9 red[0,1,1,0.1]: "甲乙"\n'
         'furniture\n  rect x=1.00 y=1.00 w=5.00 h=5.00 stroke=red[0,1,1,0.1] fill=grey[0,0,0,0.1]/tint=0.5 '
         'width=0.50\n')
    [fill] = compare_dumps(a, a.replace("grey[0,0,0,0.1]", "grey[0,0,0,0.2]"))
    assert fill.detail == "fill grey[0,0,0,0.1]/tint=0.5 → grey[0,0,0,0.2]/tint=0.5"
    [stroke] = compare_dumps(a, a.replace("stroke=red[0,1,1,0.1]", "stroke=red[0,1,1,0.2]"))
    assert stroke.detail == "stroke red[0,1,1,0.1] → red[0,1,1,0.2]"
    text = describe_findings(compare_dumps(a, a.replace("w=9.00", "w=9.50")))
    assert "resized beyond 0.01 pt in frame f1" in text and "w 9.00 → 9.50 pt (+0.18 mm)" in text
    assert "moved" not in text and "dx" not in text
    moved = describe_findings(compare_dumps(a, a.replace("x=10.00", "x=12.00")))
    assert "moved dx +2.00 pt (+0.71 mm), dy +0.00 pt (+0.00 mm)" in moved
    font = a.replace("frame f1\n", 'font song: a.ttf#0 sha256:0123456789abcdef "A"\nframe f1\n', 1)
    [swap] = compare_dumps(font, font.replace("a.ttf#0 sha256:0123456789abcdef", "a.ttf#0 sha256:fedcba9876543210"))
    assert swap.kind == "font" and "song: a.ttf#0 sha256:0123456789abcdef" in swap.detail
    assert describe_findings([swap]).startswith("  font song: a.ttf#0 sha256:0123456789abcdef \"A\" → a.ttf#0")


def test_samples_keep_repeated_characters(tiny):
    """"e.g." quotes the characters as they read: 新时代新作为 keeps its second 新."""
    layout = _recoloured(tiny[0], "black", (0.0, 0.0, 0.0, 0.7))
    report = _diff(tiny, layout)
    text_changes = [c for c in report.pages[0].colors if c.what == "text"]
    first_line = next(it for it in tiny[0].items if isinstance(it, TextLine))
    expected = "".join(g.ch for g in first_line.glyphs)[:12]
    assert len(set(expected)) < len(expected)  # the line repeats a character in its first 12
    assert text_changes[0].sample == expected


def _edited(layout, ch: str = "鑫"):
    """The page with the fourth glyph of its first text line replaced by `ch`."""
    items = list(layout.items)
    k = next(i for i, it in enumerate(items) if isinstance(it, TextLine))
    glyphs = list(items[k].glyphs)
    glyphs[3] = replace(glyphs[3], ch=ch)
    items[k] = replace(items[k], glyphs=tuple(glyphs))
    return replace(layout, items=tuple(items))


def test_full_report_never_replaces_a_strangers_file(tiny, tmp_path):
    from click.testing import CliRunner

    from pagesetter.cli import main

    layout, faces, meta, base = tiny
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    a.write_bytes(base)
    b.write_bytes(render_pdf(_edited(layout), faces, meta))
    folder = tmp_path / "X"
    folder.mkdir()
    theirs = folder / "diff.txt"
    theirs.write_text("my notes\n", encoding="utf-8")
    args = ["diff", str(a), str(b), "--image", str(folder / "diff.png"), "--max-lines", "2", "--dpi", "20"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert "the full diff report would replace diff.txt, which pagesetter did not write" in result.output
    assert theirs.read_text(encoding="utf-8") == "my notes\n" and not (folder / "diff.png").exists()
    theirs.unlink()
    for _ in range(2):  # its own earlier report is replaced
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 1, result.output
        assert f"the full report is {theirs}" in result.output
    assert theirs.read_text(encoding="utf-8").startswith("pagesetter diff: the full report\n")


def test_html_report_lists_each_change_with_a_link_to_its_enlarged_crop(tiny, tmp_path):
    """A one-character change on the page is one click from the top of the report: a link to a
    crop around it, enlarged, A | B | diff."""
    from pagesetter.check.diffimage import ZOOM, write_html

    layout, faces, meta, base = tiny
    changed = _recoloured(_edited(layout), "red", (0.0, 1.0, 1.0, 0.12))
    report = diff_pdfs(base, render_pdf(changed, faces, meta), keep_renders=True, dpi=72)
    html = write_html(report, tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<li><a href=\"#p1-c1\">page 1: text changed &quot;" in html
    assert 'id="p1-c1"' in html and f"B ×{ZOOM}" in html and 'href="#top"' in html
    assert "process C0 M100 Y100 K10" in html and "process C0 M100 Y100 K12" in html
    assert "(0.0, 1.0" not in html  # no Python tuple anywhere
    # the crop is a few cm of page around the change, enlarged: far more pixels per mm than the page
    import base64
    import io
    import re

    from PIL import Image

    section = html[html.index('id="p1-c1"'):]
    data = re.search(r'src="data:image/jpeg;base64,([^"]+)"', section).group(1)
    crop = Image.open(io.BytesIO(base64.b64decode(data)))
    assert crop.width >= ZOOM * 60  # ≥ 60 px of the 72-dpi page (≈ 2 cm), enlarged


OTHER_PAGES = (("春天来了，河边的柳树发出新芽，田里的农民忙着播种。孩子们在草地上放风筝，笑声传得很远。",),
               ("市场上新鲜的蔬菜水果琳琅满目，价格平稳。商户们说，今年的生意比去年好做多了。",))


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    """Three different tiny pages set in a TrueType face (its subsets renumber their glyphs when
    they grow, as an edition's shared subset does): (layouts, faces)."""
    need_noto()
    if not GBSN.is_file():
        pytest.skip(f"{GBSN} not installed (apt-get install fonts-arphic-gbsn00lp)")
    from tinypage import PARAGRAPHS

    folder = tmp_path_factory.mktemp("edition")
    composed = [compose_page(write_page(folder / f"p{k}", paragraphs=text, fonts={"song": GBSN}))
                for k, text in enumerate((PARAGRAPHS, *OTHER_PAGES))]
    return [c.layout for c in composed], composed[0].faces


def test_edition_signatures_ignore_shared_subset_growth(edition):
    """One new character on page 2 grows the one subset all pages share, renumbering its glyphs:
    pages 1 and 3 still sign the same (what they draw is the same) and are not read again."""
    import io

    from pypdf import PdfReader

    layouts, faces = edition
    a = render_pdf(layouts, faces)
    b = render_pdf([layouts[0], _edited(layouts[1]), layouts[2]], faces)
    raw = [PdfReader(io.BytesIO(x)).pages[2].get_contents().get_data() for x in (a, b)]
    assert raw[0] != raw[1]  # page 3's codes changed with the subset …
    report = diff_pdfs(a, b)
    assert [p.number for p in report.differing] == [2]  # … its drawing did not
    assert report.pages[0].pixels is None and report.pages[2].pixels is None  # paired unread
    assert "2 page(s) equal" in report.summary()


def test_edition_page_swap_is_reported_as_a_move(edition):
    """Pages 1 and 2 swapped, each changed on the way (its folio): a move, not "inserted … deleted"."""
    layouts, faces = edition
    a = render_pdf(layouts, faces)
    b = render_pdf([_edited(layouts[1], "甲"), _edited(layouts[0], "乙"), layouts[2]], faces)
    report = diff_pdfs(a, b)
    text = report.summary()
    assert "inserted" not in text and "deleted" not in text
    assert "page 2 of A moved to page 1:" in text and "page 2 (page 1 of A):" in text
    assert [(p.a_number, p.b_number) for p in report.differing] == [(2, 1), (1, 2)]
    assert all(len(p.text) == 1 for p in report.differing)  # each with its one changed character


def test_kept_renders_beyond_a_few_pages_are_compressed(edition):
    """Every page differs: the renders kept for the diff images stay decoded for the first pages
    only (memory bounded by a page or so per page, not three)."""
    from pagesetter.check import diff as diff_module
    from pagesetter.check.diff import render_of

    layouts, faces = edition
    pages = layouts * 2
    a = render_pdf(pages, faces)
    b = render_pdf([replace(p, colors={**p.colors, "black": (0.0, 0.0, 0.0, 0.8)}) for p in pages], faces)
    report = diff_pdfs(a, b, keep_renders=True, dpi=36)
    assert len(report.differing) == 6
    kept = [report.renders[p.number] for p in report.differing]
    assert sum(isinstance(x[0], bytes) for x in kept) == 6 - diff_module.KEEP_DECODED
    img_a, img_b = render_of(report, report.differing[-1])
    assert img_a.size == img_b.size and img_a.mode == "RGB"
