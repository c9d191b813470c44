"""The sample page as a prepress operator and an archivist would check it: PDF/X-4 + PDF/A-2u
identification, output intent, XMP, page boxes, no ASCII85, dates and bytes independent of the
environment; and `pagesetter preflight` on good and bad files."""
from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from pagesetter.build import build
from pagesetter.check.preflight import preflight
from pagesetter.cli import main
from specs import project, spec_with

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "layouts" / "jiceng-dangjian.yaml"
RGB_ICC = Path("/usr/share/color/icc/ghostscript/default_rgb.icc")


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    out = tmp_path_factory.mktemp("std") / "page.pdf"
    build(SAMPLE, out, png=False)
    return out


def xmp_of(reader) -> ET.Element:
    data = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    return ET.fromstring(data.split(b"?>", 1)[1].rsplit(b"<?xpacket", 1)[0])


def test_sample_identifies_as_pdf_x4_and_pdf_a2u(sample):
    data = sample.read_bytes()
    assert data.startswith(b"%PDF-1.6\n%")
    reader = PdfReader(sample)
    xmp = xmp_of(reader)
    text = ET.tostring(xmp, encoding="unicode")
    prop = lambda ns, name: xmp.find(f".//{{{ns}}}{name}").text  # noqa: E731
    assert prop("http://www.npes.org/pdfx/ns/id/", "GTS_PDFXVersion") == "PDF/X-4"
    assert prop("http://www.aiim.org/pdfa/ns/id/", "part") == "2"
    assert prop("http://www.aiim.org/pdfa/ns/id/", "conformance") == "U"
    title = "奋进新征程 建功新时代·伟大变革｜基层党组织更加坚强有力"
    assert reader.metadata.title == title and title in text
    assert reader.trailer["/Root"]["/Lang"] == "zh-CN"


def test_sample_has_an_embedded_cmyk_output_intent_for_both_standards(sample):
    root = PdfReader(sample).trailer["/Root"]
    intents = [i.get_object() for i in root["/OutputIntents"]]
    assert sorted(i["/S"] for i in intents) == ["/GTS_PDFA1", "/GTS_PDFX"]
    profiles = {i.raw_get("/DestOutputProfile").idnum for i in intents}
    assert len(profiles) == 1  # one profile object shared (PDF/A-2 wants them identical)
    icc = intents[0]["/DestOutputProfile"].get_object()
    assert icc["/N"] == 4 and icc.get_data()[12:20] == b"prtrCMYK"
    assert "Ghostscript" in intents[0]["/OutputCondition"]  # the generic default, named as such


def test_sample_boxes_and_no_ascii85(sample):
    data = sample.read_bytes()
    assert b"ASCII85" not in data and b"/A85" not in data
    page = PdfReader(sample).pages[0]
    assert [float(v) for v in page.trimbox] == [float(v) for v in page.bleedbox] == \
        [float(v) for v in page.mediabox]


def test_sample_preflights_clean(sample):
    assert preflight(sample) == []
    result = CliRunner().invoke(main, ["preflight", str(sample)])
    assert result.exit_code == 0 and "passes" in result.output


def test_bytes_do_not_depend_on_source_date_epoch(tmp_path, monkeypatch):
    spec = project(tmp_path)
    build(spec, tmp_path / "a.pdf", png=False)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1234567890")
    build(spec, tmp_path / "b.pdf", png=False)
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()


def test_spec_date_title_and_number_reach_info_and_xmp(tmp_path):
    spec = project(tmp_path, spec_with("page: {name: small, ",
                                       "page: {name: small, date: 2022-06-30, number: 6, paper: 人民日报, "))
    out = tmp_path / "p.pdf"
    build(spec, out, png=False)
    reader = PdfReader(out)
    assert reader.metadata["/CreationDate"] == "D:20220630000000+00'00'"
    assert reader.metadata.title == "基层党组织更加坚强有力"  # the first story's headline
    assert reader.metadata.subject == "人民日报 2022-06-30 第6版"
    assert "2022-06-30T00:00:00" in ET.tostring(xmp_of(reader), encoding="unicode")
    assert preflight(out) == []


def test_document_id_follows_the_content(tmp_path):
    first = project(tmp_path / "a")
    other = project(tmp_path / "b", spec_with("page: {name: small, ", "page: {name: small, title: 另一个标题, "))
    build(first, tmp_path / "a.pdf", png=False)
    build(other, tmp_path / "b.pdf", png=False)
    ids = [PdfReader(tmp_path / f"{n}.pdf").trailer["/ID"][0] for n in "ab"]
    ids = [getattr(i, "original_bytes", None) or bytes(i) for i in ids]  # pypdf may decode it as text
    assert ids[0] != ids[1] and len(ids[0]) == 16
    xmp = ET.tostring(xmp_of(PdfReader(tmp_path / "a.pdf")), encoding="unicode")
    assert ids[0].hex().upper() in xmp  # xmpMM:DocumentID carries the same digest


def test_a_non_cmyk_profile_is_bad_input(tmp_path):
    if not RGB_ICC.is_file():
        pytest.skip("apt-get install libgs-common")
    icc = tmp_path / "rgb.icc"
    icc.write_bytes(RGB_ICC.read_bytes())
    spec = project(tmp_path, spec_with("page: {name: small, ", "page: {name: small, profile: ../rgb.icc, "))
    result = CliRunner().invoke(main, ["check", str(spec)])
    assert result.exit_code == 2 and "not a CMYK ICC profile" in result.output


def test_preflight_lists_what_a_plain_reportlab_pdf_lacks(tmp_path):
    from reportlab.pdfgen.canvas import Canvas

    buf = io.BytesIO()
    c = Canvas(buf, invariant=1)
    c.setFillColorRGB(1, 0, 0)
    c.drawString(72, 720, "hello")  # Helvetica: not embedded
    c.save()
    pdf = tmp_path / "plain.pdf"
    pdf.write_bytes(buf.getvalue())
    found = "\n".join(str(f) for f in preflight(pdf))
    for expected in ("PDF 1.3", "no XMP", "no GTS_PDFX output intent", "no GTS_PDFA1 output intent",
                     "Helvetica is not embedded", "DeviceRGB colour", "no TrimBox"):
        assert expected in found, expected
    result = CliRunner().invoke(main, ["preflight", str(pdf)])
    assert result.exit_code == 1 and "problem(s)" in result.output


def test_preflight_of_something_else_is_bad_input(tmp_path):
    not_pdf = tmp_path / "x.pdf"
    not_pdf.write_text("hello")
    for path in (not_pdf, tmp_path / "missing.pdf"):
        result = CliRunner().invoke(main, ["preflight", str(path)])
        assert result.exit_code == 2 and "Traceback" not in result.output


# ---- structure: tags, threads, outline ---------------------------------------------------------

def _elems(node):
    """(tag, title/alt, child elements) of a StructElem tree, depth first."""
    node = node.get_object()
    kids = [k for k in node.get("/K", []) if hasattr(k, "get_object")
            and k.get_object().get("/Type") == "/StructElem"]
    return node["/S"], str(node.get("/T") or node.get("/Alt") or ""), kids


def test_sample_is_tagged_one_article_per_story_in_story_order(sample):
    reader = PdfReader(sample)
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] is True or root["/MarkInfo"]["/Marked"] == True  # noqa: E712
    assert reader.pages[0]["/StructParents"] == 0
    tag, _, kids = _elems(root["/StructTreeRoot"]["/K"])
    assert tag == "/Document"
    arts = [_elems(k) for k in kids if _elems(k)[0] == "/Art"]
    assert [title for _, title, _ in arts] == ["基层党组织更加坚强有力", "把党的组织优势巩固好、发展好、发挥好",
                                               "党员带头干"]
    main = [_elems(k)[0] for k in arts[0][2]]
    assert main[:4] == ["/P", "/H1", "/P", "/P"]  # kicker, headline, subtitle, byline
    assert "/H2" in main and main.count("/P") > 30
    figures = [_elems(k) for k in kids if _elems(k)[0] == "/Figure"]
    assert len(figures) == 2 and figures[0][1].startswith("①图①：湖南江永县")  # alt text: the caption


def test_marked_content_ids_match_the_parent_tree(sample):
    reader = PdfReader(sample)
    content = reader.pages[0].get_contents().get_data()
    mcids = [int(m) for m in re.findall(rb"<</MCID (\d+)>> BDC", content)]
    assert mcids == list(range(len(mcids))) and len(mcids) > 400
    nums = reader.trailer["/Root"]["/StructTreeRoot"]["/ParentTree"]["/Nums"]
    assert nums[0] == 0 and len(nums[1].get_object()) == len(mcids)
    assert content.count(b"/Artifact BMC") >= 3  # rules and the box are not content


def test_continued_stories_have_threads_and_every_story_an_outline_entry(sample):
    reader = PdfReader(sample)
    threads = reader.trailer["/Root"]["/Threads"]
    titles = [t.get_object()["/I"]["/Title"] for t in threads]
    assert titles == ["基层党组织更加坚强有力", "把党的组织优势巩固好、发展好、发挥好", "党员带头干"]
    first = threads[0].get_object()["/F"].get_object()
    bead, count = first, 0
    while True:  # beads form a ring, one per frame the story runs through
        count += 1
        bead = bead["/N"].get_object()
        if bead == first or count > 50:
            break
    assert count == 6  # main runs through frames main-1 … main-6
    assert [o.title for o in reader.outline] == titles


def test_text_blocks_and_captions_extract_after_structure(sample):
    text = "".join(PdfReader(sample).pages[0].extract_text().split())
    assert "图①：湖南江永县" in text and "奋进新征程建功新时代·伟大变革" in text


# ---- spot colours ------------------------------------------------------------------------------

SPOT = "  ink: {spot: PANTONE 186 C, cmyk: [0, 1, 0.8, 0.05]}\n"
SPOT_BOX = "  - {kind: box, at: {col: 1, span: 2, line: 1, lines: 3}, border: 0, fill: ink, tint: 0.2}\n"


def test_spot_colour_is_a_separation_with_its_cmyk_alternate(tmp_path):
    spec = project(tmp_path, spec_with("  red: [0, 1, 1, 0.1]\n", "  red: [0, 1, 1, 0.1]\n" + SPOT) + SPOT_BOX)
    out = tmp_path / "spot.pdf"
    build(spec, out, png=False)
    page = PdfReader(out).pages[0]
    spaces = [cs.get_object() for cs in page["/Resources"]["/ColorSpace"].values()]
    assert [(cs[0], cs[1], cs[2]) for cs in spaces] == [("/Separation", "/PANTONE 186 C", "/DeviceCMYK")]
    assert b" cs .2 scn" in page.get_contents().get_data()  # the 20 % tint of the ink
    assert preflight(out) == []


def test_spot_colour_without_an_ink_name_is_bad_input(tmp_path):
    spec = project(tmp_path, spec_with("  red: [0, 1, 1, 0.1]\n",
                                       "  red: [0, 1, 1, 0.1]\n  ink: {spot: '', cmyk: [0, 1, 0.8, 0.05]}\n"))
    result = CliRunner().invoke(main, ["check", str(spec)])
    assert result.exit_code == 2 and "needs its ink's name" in result.output


# ---- placeholders ------------------------------------------------------------------------------

PLACEHOLDER = "  - {kind: image, at: {col: 1, span: 2, line: 1, lines: 3}}\n"


@pytest.mark.parametrize("shown", [False, True])
def test_placeholders_sit_on_a_not_for_press_layer_hidden_unless_asked(tmp_path, shown):
    from pagesetter.render.raster import rasterise

    page_keys = "page: {name: small, placeholders: true, " if shown else "page: {name: small, "
    spec = project(tmp_path, spec_with("page: {name: small, ", page_keys) + PLACEHOLDER)
    out = tmp_path / "ph.pdf"
    build(spec, out, png=False)
    reader = PdfReader(out)
    props = reader.trailer["/Root"]["/OCProperties"]
    (ocg,) = props["/OCGs"]
    assert "not for press" in ocg.get_object()["/Name"]
    assert props["/D"]["/Name"] and "/AS" not in props["/D"]  # PDF/A-2 §6.9
    assert ("/ON" if shown else "/OFF") in props["/D"]
    assert b"/OC /OCph BDC" in reader.pages[0].get_contents().get_data()
    img = rasterise(out, 50)[0]
    fill = sum(n for n, p in img.getcolors(1 << 24) if 228 <= p[0] <= 240 and abs(p[2] - p[0]) <= 3)
    assert (fill > 1500) == shown, fill  # the 8 % grey box shows only when asked for
    assert preflight(out) == []


def test_every_sample_preflights_clean(tmp_path):
    """The sample edition (both pages, one document and one per page) passes preflight too."""
    result = CliRunner().invoke(main, ["build", str(ROOT / "layouts" / "sample-edition.yaml"), "-o",
                                       str(tmp_path / "ed.pdf"), "--no-png"])
    assert result.exit_code in (0, 1), result.output
    pdfs = sorted(tmp_path.rglob("*.pdf"))
    assert len(pdfs) >= 3
    for pdf in pdfs:
        assert preflight(pdf) == [], pdf
        assert len(PdfReader(pdf).trailer["/Root"]["/StructTreeRoot"]["/ParentTree"]["/Nums"]) == \
            2 * len(PdfReader(pdf).pages)


def test_preflight_summary_names_the_standard_the_file_claims(tmp_path):
    """A PDF/X-1a page is summed up as PDF/X-1a, not as the PDF/X-4 it does not claim to be."""
    spec = project(tmp_path, spec_with("page: {name: small, ", "page: {name: small, standard: x1a, "))
    out = tmp_path / "p.pdf"
    build(spec, out, png=False)
    result = CliRunner().invoke(main, ["preflight", str(out)])
    assert result.exit_code == 0, result.output
    assert "passes the PDF/X-1a and PDF/A-2 preflight checks" in result.output
    assert "X-4" not in result.output


def test_edition_keeps_each_pages_stories_apart(tmp_path):
    """Story ids are per page: the edition's structure has every page's articles, none merged."""
    CliRunner().invoke(main, ["build", str(ROOT / "layouts" / "sample-edition.yaml"), "-o",
                              str(tmp_path / "ed.pdf"), "--no-png"])

    def arts(pdf):
        _, _, kids = _elems(PdfReader(pdf).trailer["/Root"]["/StructTreeRoot"]["/K"])
        return [title for tag, title, _ in map(_elems, kids) if tag == "/Art"]

    pages = sorted((tmp_path / "ed").glob("*.pdf"))
    assert len(pages) == 2
    assert arts(tmp_path / "ed.pdf") == arts(pages[0]) + arts(pages[1])
    assert len(PdfReader(tmp_path / "ed.pdf").outline) == len(arts(tmp_path / "ed.pdf"))


@pytest.mark.parametrize("n", [0, 1, 10, 11, 21])
def test_structure_arrays_and_elements_are_written_as_reportlab_writes_them(n):
    """render/structure.py writes /K arrays and StructElem dictionaries itself (speed); the bytes
    must be those ReportLab's PDFArray and PDFDictionary give (a line break after every 10 items,
    keys sorted), or a ReportLab upgrade would leave one file in two styles."""
    from reportlab.pdfbase.pdfdoc import (PDFArray, PDFDictionary, PDFDocument, PDFName,
                                          PDFObjectReference, PDFString)

    from pagesetter.render.structure import _Kids, _StructElem

    doc = PDFDocument(invariant=1)
    for name in [f"o{i}" for i in range(n)] + ["Page1", "parent"]:
        doc.Reference(PDFDictionary({}), name)
    kids = [("Page1", i) if i % 3 else PDFObjectReference(f"o{i}") for i in range(n)]
    theirs = PDFArray([PDFDictionary({"Type": PDFName("MCR"), "Pg": PDFObjectReference(k[0]), "MCID": k[1]})
                       if isinstance(k, tuple) else k for k in kids])
    assert _Kids(kids).format(doc) == theirs.format(doc)
    elem = _StructElem("/P", PDFObjectReference("parent"))
    elem.kids, elem.alt, elem.title = _Kids(kids), PDFString("图为会场"), PDFString("main")
    reference = PDFDictionary({"Type": PDFName("StructElem"), "S": PDFName("P"), "P": PDFObjectReference("parent"),
                               "K": theirs, "Alt": PDFString("图为会场"), "T": PDFString("main")})
    assert elem.format(doc) == reference.format(doc)
