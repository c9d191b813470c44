"""The sample page as a prepress operator and an archivist would check it: PDF/X-4 + PDF/A-2u
identification, output intent, XMP, page boxes, no ASCII85, dates and bytes independent of the
environment; and `pagesetter preflight` on good and bad files."""
from __future__ import annotations

import hashlib
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
    # the paper first (the page has no date or number of its own), then the page's title
    title = "人民日报｜奋进新征程 建功新时代·伟大变革｜基层党组织更加坚强有力"
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
    # the default: coldset newsprint, named as the ICC registry names the condition
    assert {i["/OutputConditionIdentifier"] for i in intents} == {"CGATS TR 002"}
    assert "newsprint" in intents[0]["/OutputCondition"] and "240%" in intents[0]["/OutputCondition"]
    assert intents[0]["/RegistryName"] == "http://www.color.org"
    # the embedded profile is the committed one, as its recorded checksum says
    from pagesetter.render.standards import DEFAULT_PROFILE

    recorded = DEFAULT_PROFILE.with_suffix(".icc.sha256").read_text().split()[0]
    assert hashlib.sha256(icc.get_data()).hexdigest() == recorded
    assert hashlib.sha256(DEFAULT_PROFILE.read_bytes()).hexdigest() == recorded


def test_the_default_profile_keeps_photos_within_240_percent_ink():
    """sRGB's whole cube, converted as pictures are (perceptual), within the newsprint limit."""
    from PIL import Image, ImageCms

    from pagesetter.render.standards import DEFAULT_PROFILE, DEFAULT_TAC

    steps = range(0, 256, 15)
    cube = Image.new("RGB", (len(steps) ** 2, len(steps)))
    cube.putdata([(r, g, b) for b in steps for r in steps for g in steps])
    out = ImageCms.profileToProfile(cube, ImageCms.createProfile("sRGB"), str(DEFAULT_PROFILE),
                                    renderingIntent=ImageCms.Intent.PERCEPTUAL, outputMode="CMYK")
    most = max(sum(out.getpixel((x, y))) for x in range(out.width) for y in range(out.height)) / 2.55
    assert 200 < most <= DEFAULT_TAC, most


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


def test_source_date_epoch_dates_a_page_without_a_date_and_nothing_else(tmp_path, monkeypatch):
    spec = project(tmp_path)
    dated = project(tmp_path / "dated", spec_with("page: {name: small, ", "page: {name: small, date: 2022-06-30, "))
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    build(spec, tmp_path / "a.pdf", png=False)
    build(dated, tmp_path / "c.pdf", png=False)
    assert PdfReader(tmp_path / "a.pdf").metadata["/CreationDate"] == "D:20000101000000+00'00'"  # fixed
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1234567890")  # 2009-02-13T23:31:30Z
    for name in ("b1", "b2"):
        build(spec, tmp_path / f"{name}.pdf", png=False)
    build(dated, tmp_path / "d.pdf", png=False)
    reader = PdfReader(tmp_path / "b1.pdf")
    assert reader.metadata["/CreationDate"] == "D:20090213000000+00'00'"
    assert "2009年2月13日" in reader.metadata.title
    assert (tmp_path / "b1.pdf").read_bytes() == (tmp_path / "b2.pdf").read_bytes()  # still deterministic
    assert (tmp_path / "c.pdf").read_bytes() == (tmp_path / "d.pdf").read_bytes()  # page.date wins


def test_spec_date_title_and_number_reach_info_and_xmp(tmp_path):
    spec = project(tmp_path, spec_with("page: {name: small, ",
                                       "page: {name: small, date: 2022-06-30, number: 6, paper: 人民日报, "))
    out = tmp_path / "p.pdf"
    build(spec, out, png=False)
    reader = PdfReader(out)
    assert reader.metadata["/CreationDate"] == "D:20220630000000+00'00'"
    # paper, date and page, then the page's own title (its first story's headline)
    assert reader.metadata.title == "人民日报 2022年6月30日 第6版｜基层党组织更加坚强有力"
    assert reader.metadata.subject == "人民日报 2022-06-30 第6版"
    xmp = ET.tostring(xmp_of(reader), encoding="unicode")
    assert "2022-06-30T00:00:00" in xmp
    assert xmp_of(reader).find(".//{http://purl.org/dc/elements/1.1/}language")[0][0].text == "zh-CN"
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


def _pages_of(elem, page_ids: list) -> set:
    """The pages (0-based) whose marked content a structure element holds, its kids' included."""
    out = set()
    for k in elem.get("/K", []):
        k = k.get_object()
        if k.get("/Type") == "/MCR":
            out.add(page_ids.index(k.raw_get("/Pg").idnum))
        elif k.get("/Type") == "/StructElem":
            out |= _pages_of(k, page_ids)
    return out

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
    # one Art per article: the sidebar's two reports are two, each titled with its whole headline
    assert [title for _, title, _ in arts] == ["基层党组织更加坚强有力", "把党的组织优势巩固好、发展好、发挥好",
                                               "党员带头干 村子换新颜", "商圈抓党建 联动促发展"]
    main = [_elems(k)[0] for k in arts[0][2]]
    assert main[:4] == ["/P", "/H1", "/P", "/P"]  # kicker, headline, subtitle, byline
    assert "/H2" in main and main.count("/P") > 30
    assert [_elems(k)[0] for k in arts[2][2]][:2] == ["/H1", "/P"]  # the report's headline, byline
    # the two photo slots are empty (placeholders): artifacts, not figures; their captions paragraphs
    assert not [k for k in kids if _elems(k)[0] == "/Figure"]


def test_marked_content_ids_match_the_parent_tree(sample):
    reader = PdfReader(sample)
    content = reader.pages[0].get_contents().get_data()
    mcids = [int(m) for m in re.findall(rb"<</MCID (\d+)>> BDC", content)]
    assert mcids == list(range(len(mcids))) and len(mcids) > 400
    nums = reader.trailer["/Root"]["/StructTreeRoot"]["/ParentTree"]["/Nums"]
    assert nums[0] == 0 and len(nums[1].get_object()) == len(mcids)
    assert content.count(b"/Artifact <</Type /Layout>> BDC") >= 5  # rules, the box, the slots: not content


def test_continued_stories_have_threads_and_every_story_an_outline_entry(sample):
    reader = PdfReader(sample)
    threads = reader.trailer["/Root"]["/Threads"]
    titles = [t.get_object()["/I"]["/Title"] for t in threads]
    assert titles == ["基层党组织更加坚强有力", "把党的组织优势巩固好、发展好、发挥好"]  # (each report: one frame)
    first = threads[0].get_object()["/F"].get_object()
    bead, count = first, 0
    while True:  # beads form a ring, one per frame the story runs through
        count += 1
        bead = bead["/N"].get_object()
        if bead == first or count > 50:
            break
    assert count == 6  # main runs through frames main-1 … main-6
    assert [o.title for o in reader.outline] == titles + ["党员带头干 村子换新颜", "商圈抓党建 联动促发展"]


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
def test_placeholders_sit_on_a_not_for_press_layer_hidden_in_the_pdf_shown_in_the_proof(tmp_path, shown):
    """The PDF hides the layer whatever the spec says (a RIP prints the default configuration);
    `placeholders: true` shows the slots in the PNG preview, made from a proof rendering."""
    from PIL import Image

    from pagesetter.render.raster import rasterise

    page_keys = "page: {name: small, placeholders: true, " if shown else "page: {name: small, "
    spec = project(tmp_path, spec_with("page: {name: small, ", page_keys) + PLACEHOLDER)
    out = tmp_path / "ph.pdf"
    build(spec, out, png=True, dpi=50)
    reader = PdfReader(out)
    props = reader.trailer["/Root"]["/OCProperties"]
    (ocg,) = props["/OCGs"]
    assert "not for press" in ocg.get_object()["/Name"]
    usage = ocg.get_object()["/Usage"]
    assert usage["/Print"]["/PrintState"] == "/OFF"  # never printed, whatever the spec says
    assert usage["/View"]["/ViewState"] == "/OFF"
    assert props["/D"]["/Name"] and "/AS" not in props["/D"]  # PDF/A-2 §6.9
    assert "/OFF" in props["/D"] and "/ON" not in props["/D"]
    assert b"/OC /OCphHidden BDC" in reader.pages[0].get_contents().get_data()

    def grey(img) -> int:  # the 8 % grey box of a slot
        return sum(n for n, p in img.getcolors(1 << 24) if 228 <= p[0] <= 240 and abs(p[2] - p[0]) <= 3)

    assert grey(rasterise(out, 50)[0]) < 1500  # the file: no slot on screen or on paper
    preview = grey(Image.open(out.with_suffix(".png")).convert("RGB"))
    assert (preview > 1500) == shown, preview  # the preview shows it only when asked for
    assert preflight(out) == []


def test_every_sample_preflights_clean(tmp_path):
    """The sample edition (its pages, one document and one per page) passes preflight too."""
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


def test_edition_has_one_article_per_story_the_jumped_one_across_both_pages(tmp_path):
    """The jumped story is one Art whose content is on both pages and one thread whose beads are
    on both; every other article once; one outline item per article; page labels are the 版次."""
    CliRunner().invoke(main, ["build", str(ROOT / "layouts" / "sample-edition.yaml"), "-o",
                              str(tmp_path / "ed.pdf"), "--no-png"])
    reader = PdfReader(tmp_path / "ed.pdf")
    _, _, kids = _elems(reader.trailer["/Root"]["/StructTreeRoot"]["/K"])
    arts = [k.get_object() for k in kids if _elems(k)[0] == "/Art"]
    titles = [str(a["/T"]) for a in arts]
    seed = ["基层党组织更加坚强有力", "把党的组织优势巩固好、发展好、发挥好", "党员带头干 村子换新颜", "商圈抓党建 联动促发展"]
    assert titles == seed + seed  # page 3 (made-up-sample) sets the seed's articles again, made up
    page_ids = [p.indirect_reference.idnum for p in reader.pages]

    def pages_of(elem) -> set:
        return _pages_of(elem, page_ids)

    assert pages_of(arts[0]) == {0, 1} and all(pages_of(a) == {0} for a in arts[1:4])
    assert all(pages_of(a) == {2} for a in arts[4:])
    thread, again = [t.get_object() for t in reader.trailer["/Root"]["/Threads"]
                     if t.get_object()["/I"]["/Title"] == titles[0]]  # page 1's, then page 3's
    first = bead = thread["/F"].get_object()
    on = set()
    for _ in range(50):  # the beads form a ring
        on.add(page_ids.index(bead.raw_get("/P").idnum))
        bead = bead["/N"].get_object()
        if bead == first:
            break
    assert on == {0, 1}
    assert page_ids.index(again["/F"].get_object().raw_get("/P").idnum) == 2
    assert [o.title for o in reader.outline] == titles
    assert reader.page_labels == ["1", "2", "3"]


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


def test_strict_readers_walk_the_structure_tree(sample):
    """pdfplumber (which needs /P on every element) and pikepdf (qpdf) read the whole tree; every
    element's /P is the element that lists it, the Document's the tree root (pdfcpu's strict
    validation walks it too: tests/test_validators.py)."""
    import pdfplumber
    import pikepdf

    with pdfplumber.open(sample) as pdf:
        (document,) = pdf.structure_tree
    assert document["type"] == "Document"
    assert [a.get("title") for a in document["children"] if a["type"] == "Art"][2:] == \
        ["党员带头干 村子换新颜", "商圈抓党建 联动促发展"]
    with pikepdf.open(sample) as pdf:
        root = pdf.Root.StructTreeRoot
        todo, seen = [(root.K, root)], 0
        while todo:
            elem, parent = todo.pop()
            assert elem.P.objgen == parent.objgen, elem.S
            seen += 1
            todo += [(k, elem) for k in (elem.K if isinstance(elem.K, pikepdf.Array) else [elem.K])
                     if isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/StructElem"]
    assert seen > 80


def test_a_story_jumping_in_its_second_article_continues_that_article(tmp_path):
    """Two reports in one story, the jump in the second: the continuation's text joins the second
    report's Art (not the first's), which then spans both pages; the first stays on page 1."""
    from editions import P1, article, edition_project
    from pagesetter.build_edition import build_edition

    p1 = P1.replace("articles: [../articles/a.md]", "articles: [../articles/short.md, ../articles/a.md]")
    path = edition_project(tmp_path, paragraphs=12, p2_lines=18, p1_yaml=p1)
    (tmp_path / "articles" / "short.md").write_text(
        "---\nheadline: 短讯一则\n---\n" + article(1).split("---\n", 2)[2], encoding="utf-8")
    build_edition(path, tmp_path / "ed.pdf", png=False)
    reader = PdfReader(tmp_path / "ed.pdf")
    page_ids = [p.indirect_reference.idnum for p in reader.pages]
    _, _, kids = _elems(reader.trailer["/Root"]["/StructTreeRoot"]["/K"])
    arts = {str(k.get_object()["/T"]): k.get_object() for k in kids if _elems(k)[0] == "/Art"}

    def pages_of(elem) -> set:
        return _pages_of(elem, page_ids)

    assert list(arts) == ["短讯一则", "基层党组织更加坚强有力"]
    assert pages_of(arts["短讯一则"]) == {0} and pages_of(arts["基层党组织更加坚强有力"]) == {0, 1}
