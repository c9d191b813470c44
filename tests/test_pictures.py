"""Pictures as print expects them (issue 9 and 11): every kind of source prints as it looks, RGB
goes to the output profile's CMYK, alpha becomes a soft mask (or is flattened for PDF/X-1a),
pictures are cropped to what the slot shows and downsampled, JPEGs pass through when they can;
and a page with an RGB photo, an RGBA logo, a tint and a reverse head prints right and preflights."""
from __future__ import annotations

import re

import io
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader

from pagesetter.build import build
from pagesetter.check.preflight import preflight
from pagesetter.render.raster import rasterise
from pagesetter.render.pictures import Press, prepare_picture
from pagesetter.render.standards import DEFAULT_PROFILE

PRESS = Press(DEFAULT_PROFILE)
MM = 72 / 25.4

SPEC = """\
page: {{name: pictures, trim: [105mm, 148mm], top: 10mm{page}}}
grid: {{columns: 2, column: 12字, gutter: 1字, lines: 26, body: 小五, pitch: 14pt}}
colors:
  red: [0, 1, 1, 0.1]
styles:
  body: {{role: song, size: 小五}}
  head: {{role: biaosong, size: 三号, align: center}}
  reverse: {{role: hei-bold, size: 小四, color: white, align: center}}
frames:
  f1: {{col: 1, line: 17, lines: 10}}
  f2: {{col: 2, line: 17, lines: 10}}
stories:
  s: {{articles: [../articles/a.md], chain: [f1, f2], styles: {{body: body, section_lead: body, subhead: body, gap: body}}}}
blocks:
  - {{kind: text, text: 反白标题, style: reverse, fill: red, at: {{col: 1, span: 2, line: 1, lines: 2}}}}
  - {{kind: image, file: ../images/{left}, at: {{col: 1, line: 3, lines: 12}}}}
  - {{kind: image, file: ../images/{right}, at: {{col: 2, line: 3, lines: 12}}}}
  - {{kind: box, at: {{col: 1, span: 2, line: 15, lines: 12}}, border: 0.5pt, color: red, fill: red, tint: 0.1}}
  - {{kind: headline, story: s, at: {{col: 1, span: 2, line: 15, lines: 2}}, styles: {{headline: head}}}}
"""
ARTICLE = ("---\nheadline: 基层党组织更加坚强有力\n---\n"
           "党的十八大以来，各级党组织把抓基层强基础工作摆在更加突出的位置。政治属性是基层党组织的灵魂。\n")


def photo(size=(1600, 1200)) -> Image.Image:
    """Sky over a field, a sun at the right: an RGB photograph."""
    im = Image.new("RGB", size, (90, 150, 230))
    d = ImageDraw.Draw(im)
    d.rectangle((0, size[1] * 55 // 100, size[0], size[1]), fill=(60, 150, 50))
    return im


def logo() -> Image.Image:
    """A red disc with a white bar on a transparent ground (transparent pixels are black RGB)."""
    im = Image.new("RGBA", (900, 900), (0, 0, 0, 0))
    d = ImageDraw.Draw(im)
    d.ellipse((30, 30, 870, 870), fill=(220, 20, 30, 255))
    d.rectangle((400, 200, 500, 700), fill=(255, 255, 255, 255))
    return im


def page(tmp_path: Path, images: dict[str, Image.Image | bytes], left: str, right: str, page_keys: str = "") -> Path:
    for folder in ("layouts", "articles", "images"):
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
    for name, im in images.items():
        target = tmp_path / "images" / name
        if isinstance(im, bytes):
            target.write_bytes(im)
        else:
            im.save(target, quality=92) if name.endswith(".jpg") else im.save(target)
    (tmp_path / "articles" / "a.md").write_text(ARTICLE, encoding="utf-8")
    spec = tmp_path / "layouts" / "p.yaml"
    spec.write_text(SPEC.format(left=left, right=right, page=page_keys), encoding="utf-8")
    return spec


def pixel(img, x_mm: float, y_mm: float, dpi: float = 100):
    return img.getpixel((round(x_mm / 25.4 * dpi), round(y_mm / 25.4 * dpi)))


def near(rgb, target, tol=40) -> bool:
    return all(abs(a - b) <= tol for a, b in zip(rgb, target))


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("mixed")
    spec = page(folder, {"photo.jpg": photo(), "logo.png": logo()}, "photo.jpg", "logo.png")
    out = folder / "out" / "p.pdf"
    build(spec, out)
    return out


def test_rgb_photo_rgba_logo_and_tint_page_prints_right_and_preflights(mixed):
    assert preflight(mixed) == []
    reader = PdfReader(mixed)
    images = [x.get_object() for x in reader.pages[0]["/Resources"]["/XObject"].values()]
    assert sorted(str(i["/ColorSpace"]) for i in images) == ["/DeviceCMYK", "/DeviceCMYK"]
    assert sum("/SMask" in i for i in images) == 1  # the logo's alpha, a soft mask
    img = rasterise(mixed, 100)[0]
    # the logo's transparent corner shows the paper, not a black box
    assert near(pixel(img, 55.5, 21.5), (255, 255, 255), 8)
    assert near(pixel(img, 78, 60), (220, 30, 40), 60)  # the red disc
    assert pixel(img, 30, 40)[2] > 150 and pixel(img, 30, 70)[1] > 100  # sky blue over green field
    tint = pixel(img, 52.5, 120)  # 10 % red in the gutter between the text columns
    assert 200 < tint[1] < 250 and tint[0] > 240
    assert near(pixel(img, 20, 12), (215, 30, 40), 60)  # the reverse head's red ground


def test_black_text_overprints_and_fills_knock_out(mixed):
    content = PdfReader(mixed).pages[0].get_contents().get_data()
    gstates = PdfReader(mixed).pages[0]["/Resources"]["/ExtGState"]
    states = [g.get_object() for g in gstates.values()]
    # black text sets fill overprint on (its stroke state off first: a gs with /OP alone sets op too)
    names = {n: g for n, g in zip(gstates, states)}
    on = [n for n, g in names.items() if g.get("/op") == True]  # noqa: E712
    assert on and any(g.get("/OPM") == 1 for g in states)
    assert re.search(rb"/\S+ gs /" + on[0][1:].encode() + rb" gs /\S+ gs\s+/\S+ <</MCID \d+>> BDC\s+BT\s+0 0 0 1 k",
                     content)
    assert b"0 0 0 1 k" in content


@pytest.mark.parametrize("mode", ["I;16", "I", "F", "P", "LA", "1", "CMYK", "L"])
def test_every_source_mode_prints_as_it_looks(tmp_path, mode):
    base = Image.new("L", (400, 600), 60)  # a dark grey picture
    ImageDraw.Draw(base).rectangle((0, 0, 400, 300), fill=200)  # light top half
    if mode == "I;16":
        im = base.convert("I").point(lambda v: v * 257)
        im = im.convert("I;16")
    elif mode == "I":  # a 32-bit integer TIFF holding 16-bit values (was placed solid black)
        im = base.convert("I").point(lambda v: v * 257)
    elif mode == "F":  # a floating-point TIFF, values 0–1
        im = base.convert("F").point(lambda v: v / 255)
    elif mode == "P":
        im = base.convert("RGB").convert("P", palette=Image.ADAPTIVE, colors=4)
    elif mode == "LA":
        im = Image.merge("LA", (base, Image.new("L", base.size, 255)))
    elif mode == "1":
        im = base.point(lambda v: 255 if v > 128 else 0).convert("1")
    elif mode == "CMYK":
        im = Image.merge("CMYK", [Image.new("L", base.size, 0)] * 3 + [base.point(lambda v: 255 - v)])
    else:
        im = base
    name = "pic.tif" if mode in ("CMYK", "I", "F") else "pic.png"
    spec = page(tmp_path, {name: im, "logo.png": logo()}, name, "logo.png")
    out = tmp_path / "p.pdf"
    build(spec, out, png=False)
    img = rasterise(out, 100)[0]
    top, bottom = pixel(img, 30, 25)[0], pixel(img, 30, 70)[0]
    assert top > bottom + 60, (mode, top, bottom)  # light above dark, as the picture looks
    assert preflight(out) == []


def test_exif_orientation_is_applied(tmp_path):
    im = Image.new("RGB", (600, 400), (255, 255, 255))
    ImageDraw.Draw(im).rectangle((0, 0, 300, 400), fill=(0, 0, 0))  # black left half
    exif = Image.Exif()
    exif[0x0112] = 6  # the camera was turned: show rotated 90° clockwise
    buf = io.BytesIO()
    im.save(buf, "JPEG", exif=exif, quality=95)
    pic = prepare_picture(_write(tmp_path / "r.jpg", buf.getvalue()), 100, 150, PRESS)
    shown = Image.open(io.BytesIO(pic.data))
    # rotated clockwise, the black left half becomes the top half
    assert shown.size[1] > shown.size[0]
    top, bottom = shown.getpixel((shown.size[0] // 2, 5)), shown.getpixel((shown.size[0] // 2, shown.size[1] - 5))
    assert sum(top[:3]) > sum(bottom[:3])  # CMYK: the black half has more ink


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_crop_to_the_visible_area_and_downsample(tmp_path):
    big = photo((6000, 2000))  # a wide panorama into a narrow slot: most of it is hidden
    path = tmp_path / "wide.png"
    big.save(path)
    w, h = 40 * MM, 60 * MM
    pic = prepare_picture(path, w, h, PRESS)
    ppi = pic.width / (pic.box[2] / 72)
    assert 290 <= ppi <= 310  # downsampled to the press's 300 ppi
    assert pic.box[2] >= w - 0.01 and pic.box[2] < w * 1.05  # only the visible part is kept
    assert pic.box[0] <= 0 and pic.box[0] + pic.box[2] >= w


def test_cmyk_jpeg_passes_through_unchanged(tmp_path):
    im = Image.new("CMYK", (480, 720), (0, 255, 255, 20))
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=90)
    path = _write(tmp_path / "c.jpg", buf.getvalue())
    pic = prepare_picture(path, 40 * MM, 60 * MM, PRESS)
    assert pic.data == path.read_bytes() and pic.filter == "DCTDecode" and pic.decode_inverted


def test_rgba_flattened_onto_paper_for_pdf_x1a(tmp_path):
    path = tmp_path / "logo.png"
    logo().save(path)
    pic = prepare_picture(path, 40 * MM, 40 * MM, Press(DEFAULT_PROFILE, flatten=True))
    assert pic.smask is None
    corner = Image.frombytes("CMYK", (pic.width, pic.height), __import__("zlib").decompress(pic.data)).getpixel((1, 1))
    assert corner == (0, 0, 0, 0)  # paper white, not black


def test_keep_rgb_keeps_rgb_with_a_profile_and_warns(tmp_path):
    spec = page(tmp_path, {"photo.jpg": photo(), "logo.png": logo()}, "photo.jpg", "logo.png", ", keep_rgb: true")
    out = tmp_path / "p.pdf"
    composed = build(spec, out, png=False)
    assert any("goes to the press in RGB" in str(w) for w in composed.warnings)
    spaces = [str(x.get_object()["/ColorSpace"]) for x in PdfReader(out).pages[0]["/Resources"]["/XObject"].values()]
    assert all("/ICCBased" in s for s in spaces)


def test_truncated_picture_is_bad_input(tmp_path):
    buf = io.BytesIO()
    photo().save(buf, "JPEG")
    spec = page(tmp_path, {"photo.jpg": buf.getvalue()[:3000], "logo.png": logo()}, "photo.jpg", "logo.png")
    from click.testing import CliRunner

    from pagesetter.cli import main

    result = CliRunner().invoke(main, ["build", str(spec), "-o", str(tmp_path / "p.pdf")])
    assert result.exit_code == 2 and "photo.jpg" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "p.pdf").exists()


def test_pdf_x1a_has_no_transparency_and_preflights(tmp_path):
    spec = page(tmp_path, {"photo.jpg": photo(), "logo.png": logo()}, "photo.jpg", "logo.png", ", standard: x1a")
    out = tmp_path / "p.pdf"
    build(spec, out, png=False)
    data = out.read_bytes()
    assert data.startswith(b"%PDF-1.4") and b"/SMask" not in data
    reader = PdfReader(out)
    assert reader.metadata["/GTS_PDFXVersion"] == "PDF/X-1a:2003"
    assert preflight(out) == []
    img = rasterise(out, 100)[0]
    assert near(pixel(img, 55.5, 21.5), (255, 255, 255), 8)  # flattened onto paper white


def test_cmyk_jpeg_passed_through_prints_as_it_looks(tmp_path):
    im = Image.new("CMYK", (480, 720), (0, 255, 255, 20))  # a red
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=90)
    spec = page(tmp_path, {"red.jpg": buf.getvalue(), "logo.png": logo()}, "red.jpg", "logo.png")
    out = tmp_path / "p.pdf"
    build(spec, out, png=False)
    images = [x.get_object() for x in PdfReader(out).pages[0]["/Resources"]["/XObject"].values()]
    assert any(i.get("/Filter") == "/DCTDecode" and "/Decode" in i for i in images)
    r, g, b = pixel(rasterise(out, 100)[0], 30, 40)
    assert r > 180 and g < 80 and b < 80, (r, g, b)


def test_strong_marks_in_a_caption_are_removed_and_the_caption_set_in_its_style(tmp_path):
    """articles/README.md: in a caption `**…**` is not printed and not a second style."""
    import sys
    sys.path.insert(0, str(Path(__file__).parent))
    from specs import SPEC, project, spec_with

    from pagesetter.build import compose_page
    from pagesetter.layout.dump import dump_layout

    spec = spec_with("  head: {role: biaosong, size: 三号, align: center}\n",
                     "  head: {role: biaosong, size: 三号, align: center}\n"
                     "  caption: {role: hei, size: 小五}\n  strong: {role: hei-bold, size: 小五}\n",
                     SPEC.replace("f2: {col: 2, line: 4, lines: 17}", "f2: {col: 2, line: 12, lines: 9}")) + \
        "  - {kind: image, caption: ../articles/cap.md, caption_lines: 2, credit_style: caption, at: {col: 2, line: 4, lines: 7}}\n"
    path = project(tmp_path, spec)
    (tmp_path / "articles" / "cap.md").write_text("**图为**会场一角。\n", encoding="utf-8")
    dump = dump_layout(compose_page(path).layout)
    line = next(x for x in dump.splitlines() if "会场一角" in x)
    assert '"图为会场一角。"' in line and "hei 9 " in line and "hei-bold" not in line, line


def test_kept_rgb_picture_embeds_an_srgb_profile_that_does_not_change_with_the_clock():
    """LittleCMS dates a new sRGB profile with the current time (its header's creation date): the
    embedded one is dated 2000-01-01, so the same page is the same PDF a second later (it was not:
    1 byte in 180,000)."""
    import struct

    from pagesetter.render.pictures import srgb_icc

    srgb_icc.cache_clear()
    first = srgb_icc()
    assert struct.unpack(">6H", first[24:36]) == (2000, 1, 1, 0, 0, 0) and first[36:40] == b"acsp"


# ── issue 18: orientation before geometry, profiles that do not fit, deep grey, the pixel limit ──

# stored = inverse(upright): what a camera writes for each EXIF orientation (Pillow's exif_transpose)
_STORED = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
           5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_90, 7: Image.Transpose.TRANSVERSE,
           8: Image.Transpose.ROTATE_270}


def upright_scene() -> Image.Image:
    """A 300×500 portrait picture no turn or mirror leaves the same: a black top-left quarter, a red bar."""
    im = Image.new("RGB", (300, 500), (255, 255, 255))
    d = ImageDraw.Draw(im)
    d.rectangle((0, 0, 150, 250), fill=(0, 0, 0))
    d.rectangle((200, 400, 300, 420), fill=(220, 20, 30))
    return im


def oriented(turn: int, fmt: str) -> bytes:
    """The upright scene as a camera stores it with EXIF orientation `turn`."""
    exif = Image.Exif()
    exif[0x0112] = turn
    buf = io.BytesIO()
    upright_scene().transpose(_STORED[turn]).save(buf, fmt, exif=exif, **({"quality": 95} if fmt == "JPEG" else {}))
    return buf.getvalue()


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
@pytest.mark.parametrize("turn", range(2, 9))
def test_orientation_applied_before_the_crop_and_fit(tmp_path, turn, fmt):
    """Each EXIF orientation gives the picture the upright one gives: the same crop, the same place
    in the slot, the same pixels (PNG: exactly; JPEG: within its loss). The slot is wide, the
    picture tall: computed on the unturned size, the crop and the box were wrong for 5–8."""
    ext = "png" if fmt == "PNG" else "jpg"
    buf = io.BytesIO()
    upright_scene().save(buf, fmt, **({"quality": 95} if fmt == "JPEG" else {}))
    want = prepare_picture(_write(tmp_path / f"up.{ext}", buf.getvalue()), 60 * MM, 50 * MM, PRESS)
    got = prepare_picture(_write(tmp_path / f"turned.{ext}", oriented(turn, fmt)), 60 * MM, 50 * MM, PRESS)
    assert (got.width, got.height) == (want.width, want.height)
    assert got.box == pytest.approx(want.box)
    if fmt == "PNG":
        assert got.data == want.data
    else:
        a, b = Image.open(io.BytesIO(got.data)), Image.open(io.BytesIO(want.data))
        diff = sum(abs(x - y) for x, y in zip(a.convert("L").tobytes(), b.convert("L").tobytes()))
        assert diff / (a.size[0] * a.size[1]) < 4, diff  # the same picture, not a turned or mirrored one


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_ppi_warning_uses_the_upright_size(tmp_path, fmt):
    """A portrait phone photo (orientation 6) of 300×500 upright: the loader records 300×500 and
    the ppi warning speaks of that size."""
    from pagesetter.build import compose_page

    ext = "png" if fmt == "PNG" else "jpg"
    spec = page(tmp_path, {f"turned.{ext}": oriented(6, fmt), "logo.png": logo()}, f"turned.{ext}", "logo.png")
    composed = compose_page(spec)
    block = next(b for b in composed.spec.blocks if b.kind == "image")
    assert block.options.pixels == (300, 500)
    assert any(f"turned.{ext} (300×500 px)" in w.message for w in composed.warnings), composed.warnings


def _with_profile(fmt: str, icc: bytes) -> bytes:
    buf = io.BytesIO()
    photo((400, 300)).save(buf, fmt, icc_profile=icc)
    return buf.getvalue()


ICC = Path("/usr/share/color/icc/ghostscript")


@pytest.mark.parametrize("name, profile", [("cmyk.jpg", "default_cmyk.icc"), ("grey.png", "sgray.icc"),
                                           ("junk.png", None)])
def test_profile_that_does_not_fit_the_pixels_is_ignored_with_a_warning(tmp_path, name, profile):
    """An RGB JPEG carrying a CMYK profile, an RGB PNG with a grey one, a damaged one: built with
    the picture taken as sRGB and a warning naming the file (was an internal error, exit 3)."""
    from click.testing import CliRunner

    from pagesetter.cli import main

    icc = (ICC / profile).read_bytes() if profile else b"not a profile" * 20
    srgb = photo((400, 300))
    spec = page(tmp_path, {name: _with_profile(name.split(".")[1].replace("jpg", "jpeg").upper(), icc),
                           "plain.png": srgb}, name, "plain.png")
    before = {p: p.read_bytes() for p in (tmp_path / "images").iterdir()}
    out = tmp_path / "out" / "p.pdf"
    result = CliRunner().invoke(main, ["build", str(spec), "-o", str(out), "--no-png"])
    assert result.exit_code == 1, result.output
    assert f"image {name}: its embedded ICC profile" in result.output and "taken as sRGB" in result.output
    assert "p.yaml:16:5:" in result.output and "fix: export the picture again" in result.output
    # (the test's small photos sit below 150 ppi, which preflight rightly reports: nothing else may be)
    assert [f for f in preflight(out) if "ppi as placed" not in f.what] == []
    assert {p: p.read_bytes() for p in (tmp_path / "images").iterdir()} == before
    # the picture prints as the same picture without a profile would (sRGB)
    img = rasterise(out, 100)[0]
    assert near(pixel(img, 20, 30), pixel(img, 60, 30), tol=12)


def test_profile_that_does_not_fit_through_the_edition_pool(tmp_path):
    """The same picture on both pages of an edition composed in two processes: a warning, exit 1."""
    from click.testing import CliRunner

    from pagesetter.cli import main

    spec = page(tmp_path, {"cmyk.jpg": _with_profile("JPEG", (ICC / "default_cmyk.icc").read_bytes()),
                           "logo.png": logo()}, "cmyk.jpg", "logo.png")
    (spec.parent / "q.yaml").write_text(spec.read_text(encoding="utf-8").replace("name: pictures", "name: second"),
                                        encoding="utf-8")
    ed = spec.parent / "ed.yaml"
    ed.write_text("edition: {name: ed}\npages:\n  - file: p.yaml\n  - file: q.yaml\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(ed), "-o", str(tmp_path / "out" / "ed.pdf"), "--no-png",
                                       "--jobs", "2"])
    assert result.exit_code == 1, result.output
    assert "image cmyk.jpg: its embedded ICC profile is for CMYK colours" in result.output


def test_integer_grey_beyond_sixteen_bits_is_refused(tmp_path):
    """A 32-bit integer TIFF whose values run past 16 bits: no scale shows it; exit 2, located, a fix."""
    from click.testing import CliRunner

    from pagesetter.cli import main

    im = Image.linear_gradient("L").resize((200, 300)).convert("I").point(lambda v: v * 8_000_000)
    spec = page(tmp_path, {"deep.tif": im, "logo.png": logo()}, "deep.tif", "logo.png")
    result = CliRunner().invoke(main, ["check", str(spec)])
    assert result.exit_code == 2, result.output
    assert "p.yaml:16:25:" in result.output and "image deep.tif cannot be placed: its integer grey values run from 0 to"\
        in result.output and "fix: save it as an 8- or 16-bit picture" in result.output


def test_pixel_limit_is_the_documented_one(tmp_path):
    """100 million pixels are placed (Pillow alone stops at 89 million); 200 million and one are not."""
    from pagesetter.build import compose_page
    from pagesetter.errors import PagesetterError
    from pagesetter.pagespec.keys import MAX_IMAGE_PIXELS

    assert MAX_IMAGE_PIXELS == 200_000_000
    big = Image.new("1", (10_000, 10_000), 1)
    ImageDraw.Draw(big).rectangle((0, 0, 10_000, 5_000), fill=0)  # black top half
    spec = page(tmp_path, {"big.png": big, "logo.png": logo()}, "big.png", "logo.png")
    assert compose_page(spec).spec.blocks[1].options.pixels == (10_000, 10_000)
    pic = prepare_picture(tmp_path / "images" / "big.png", 40 * MM, 40 * MM, PRESS)
    assert pic.width < 10_000 and pic.colorspace == "DeviceGray"
    from bad_inputs import _png

    (tmp_path / "images" / "big.png").write_bytes(_png(20_000, 10_001))
    with pytest.raises(PagesetterError, match="20000×10001 = 200 million pixels, over the limit of 200 million"):
        compose_page(spec)


def test_png_whose_exif_follows_its_pixels_is_measured_upright(tmp_path):
    """A PNG may carry its eXIf chunk after the pixels (Pillow writes it before; other programs
    do not): the loader finds it by walking the chunk headers and records the upright size."""
    import struct

    from pagesetter.build import compose_page

    data = oriented(6, "PNG")
    chunks, pos = [], 8
    while pos < len(data):
        n = struct.unpack(">I", data[pos:pos + 4])[0]
        chunks.append(data[pos:pos + 12 + n])
        pos += 12 + n
    exif = [c for c in chunks if c[4:8] == b"eXIf"]
    rest = [c for c in chunks if c[4:8] != b"eXIf"]
    late = data[:8] + b"".join(rest[:-1]) + exif[0] + rest[-1]  # … IDAT, eXIf, IEND
    assert late.index(b"eXIf") > late.index(b"IDAT")
    spec = page(tmp_path, {"late.png": late, "logo.png": logo()}, "late.png", "logo.png")
    block = next(b for b in compose_page(spec).spec.blocks if b.kind == "image")
    assert block.options.pixels == (300, 500)
    want = prepare_picture(_write(tmp_path / "early.png", data), 60 * MM, 50 * MM, PRESS)
    got = prepare_picture(tmp_path / "images" / "late.png", 60 * MM, 50 * MM, PRESS)
    assert (got.data, got.box) == (want.data, want.box)
