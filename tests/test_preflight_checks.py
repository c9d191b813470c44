"""`pagesetter preflight`'s checks added for issue 19, each shown catching the fault it is for (a
file doctored with pikepdf, or a page built to have it) and passing the file without it: stream
syntax, structure parents, a not-for-press layer that prints, white overprint, total ink of
vector fills and pictures, picture resolution, name tokens; and spot ink names written per
ISO 32000 §7.3.5."""
from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner
from PIL import Image
from pypdf import PdfReader

from pagesetter.build import build
from pagesetter.check.preflight import preflight
from pagesetter.cli import main
from specs import project, spec_with

SPOTS = "  red: [0, 1, 1, 0.1]\n  a: {spot: A/B, cmyk: [0, 1, 0.8, 0.05]}\n  b: {spot: 墨色, cmyk: [1, 0, 0, 0]}\n"
SPOT_BOXES = ("  - {kind: box, at: {col: 1, line: 1, lines: 3}, border: 0, fill: a, tint: 0.5}\n"
              "  - {kind: box, at: {col: 2, line: 1, lines: 3}, border: 0, fill: b}\n")


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("good")
    out = folder / "p.pdf"
    build(project(folder), out, png=False)
    assert preflight(out) == []
    return out


def found(pdf: Path) -> str:
    return "\n".join(map(str, preflight(pdf)))


def doctored(good: Path, tmp_path: Path, change) -> Path:
    out = tmp_path / "doctored.pdf"
    with pikepdf.open(good) as pdf:
        change(pdf)
        pdf.save(out, compress_streams=False, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    return out


def test_a_stream_without_its_end_of_line_is_found(good, tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(good.read_bytes().replace(b"\nendstream", b" endstream", 1))  # offsets kept
    assert "no end-of-line before endstream" in found(bad)


def test_a_structure_element_without_its_parent_is_found(good, tmp_path):
    def drop_p(pdf):
        del pdf.Root.StructTreeRoot.K.P
    assert "structure element /Document" in found(doctored(good, tmp_path, drop_p))


def test_a_not_for_press_layer_that_prints_is_found(tmp_path):
    spec = project(tmp_path, spec_with("page: {name: small, ", "page: {name: small, placeholders: true, ")
                   + "  - {kind: image, at: {col: 1, span: 2, line: 5, lines: 3}}\n")
    good = tmp_path / "p.pdf"
    build(spec, good, png=False)
    assert preflight(good) == []

    def print_it(pdf):
        pdf.Root.OCProperties.OCGs[0].Usage.Print.PrintState = pikepdf.Name.ON
    assert "print state is not OFF" in found(doctored(good, tmp_path, print_it))


def test_white_that_overprints_is_found(good, tmp_path):
    def white_over(pdf):
        page = pdf.pages[0]
        page.Resources.ExtGState.GSwhite = pikepdf.Dictionary(OP=True, op=True)
        page.contents_add(pdf.make_stream(b"q /GSwhite gs 0 0 0 0 k 10 10 50 50 re f Q"))
    assert "white fill overprints" in found(doctored(good, tmp_path, white_over))


def test_a_vector_fill_over_the_ink_limit_is_found(tmp_path):
    spec = project(tmp_path, spec_with("  red: [0, 1, 1, 0.1]\n", "  red: [0, 1, 1, 0.1]\n  deep: [1, 1, 1, 1]\n")
                   + "  - {kind: box, at: {col: 1, line: 5, lines: 3}, border: 0, fill: deep}\n")
    out = tmp_path / "p.pdf"
    build(spec, out, png=False)
    assert "a fill of 400 % total ink, over the output intent's 240 %" in found(out)


def _picture_page(tmp_path: Path, im: Image.Image) -> Path:
    (tmp_path / "images").mkdir(parents=True, exist_ok=True)
    im.save(tmp_path / "images" / "pic.jpg", quality=95)
    spec = project(tmp_path, spec_with("  f2: {col: 2, line: 4, lines: 17}\n", "  f2: {col: 2, line: 12, lines: 9}\n")
                   + "  - {kind: image, file: ../images/pic.jpg, at: {col: 2, line: 4, lines: 7}}\n")
    out = tmp_path / "p.pdf"
    build(spec, out, png=False)
    return out


def test_a_picture_over_the_ink_limit_is_found(tmp_path):
    solid = Image.new("CMYK", (500, 480), (255, 255, 255, 255))  # 400 %, passed through as it is
    assert "pixels over 240 % total ink (up to 400 %)" in found(_picture_page(tmp_path, solid))


def test_a_picture_under_150_ppi_as_placed_is_found(tmp_path):
    tiny = Image.new("RGB", (30, 28), (120, 160, 200))
    assert "ppi as placed, under 150" in found(_picture_page(tmp_path, tiny))


def test_spot_ink_names_are_escaped_and_read_back_whole(tmp_path):
    spec = project(tmp_path, spec_with("  red: [0, 1, 1, 0.1]\n", SPOTS) + SPOT_BOXES)
    out = tmp_path / "spot.pdf"
    build(spec, out, png=False)
    data = out.read_bytes()
    assert b"/Separation /A#2FB /DeviceCMYK" in data and b"/#E5#A2#A8#E8#89#B2" in data
    spaces = [cs.get_object() for cs in PdfReader(out, strict=True).pages[0]["/Resources"]["/ColorSpace"].values()]
    assert sorted(str(cs[1]) for cs in spaces) == ["/A/B", "/墨色"]  # the names, read back whole
    with pikepdf.open(out) as pdf:
        assert sorted(str(cs[1]) for cs in pdf.pages[0].Resources.ColorSpace.values()) == ["/A/B", "/墨色"]
    assert preflight(out) == []
    # written as ReportLab alone would (/A/B: two names; 墨 as #58a8: not UTF-8), preflight finds both
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(data.replace(b"/Separation /A#2FB", b"/Separation /A/B")
                    .replace(b"/Separation /#E5#A2#A8#E8#89#B2", b"/Separation /#58a8#8272"))
    text = found(bad)
    assert "a /Separation of 5 entries" in text and "not UTF-8" in text


def test_an_ink_name_with_a_control_character_is_refused_with_its_place(tmp_path):
    spec = project(tmp_path, spec_with("  red: [0, 1, 1, 0.1]\n",
                                       '  red: [0, 1, 1, 0.1]\n  ink: {spot: "A\\x07B", cmyk: [0, 1, 0.8, 0.05]}\n'))
    result = CliRunner().invoke(main, ["build", str(spec), "-o", str(tmp_path / "x.pdf"), "--no-png"])
    assert result.exit_code == 2 and "p.yaml:5:" in result.output and "fix:" in result.output, result.output
    assert not (tmp_path / "x.pdf").exists()


def test_a_jpeg_larger_than_its_dictionary_says_is_not_decoded():
    """A picture whose /Width and /Height say 10×10 but whose JPEG holds 3000×3000 (at 400 % ink) is
    not decoded for the ink check: what the dictionary declares is what the limits were checked on
    (found by review: 9000×9000 took preflight to 1.96 GB)."""
    import io
    import sys

    from PIL import Image
    from pypdf import PdfReader

    from pagesetter.check.inks import pixels_over

    sys.path.insert(0, str(Path(__file__).parent))
    import hostile_pdfs as H

    def page(size) -> bytes:
        buf = io.BytesIO()
        Image.new("CMYK", size, (255, 255, 255, 255)).save(buf, "JPEG", quality=50)
        jpg = buf.getvalue()
        image = (b"<< /Type /XObject /Subtype /Image /Width 10 /Height 10 /ColorSpace /DeviceCMYK "
                 b"/BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n" % len(jpg) + jpg + b"\nendstream")
        data = H.one_page(page_extra=b"/MediaBox [0 0 200 200]", content=b"q 100 0 0 100 0 0 cm /Im0 Do Q",
                          resources=b"<< /XObject << /Im0 6 0 R >> >>", more={6: image})
        return PdfReader(io.BytesIO(data)).pages[0]["/Resources"]["/XObject"]["/Im0"].get_object()

    assert pixels_over(page((10, 10)), 240)[0] == 100  # as declared: checked, every pixel over
    assert pixels_over(page((3000, 3000)), 240) is None
