"""Picture fit (issue 24): `fit: fill | contain | width`, a focal point the fill crop keeps in view,
a crop box, the scale limit (`min_ppi`) and the caption following the picture's real size — each
read back from the PDF (the picture's clip and matrix) and from the layout."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader

from pagesetter.blocks._picturefit import fit_picture
from pagesetter.build import build, compose_page
from pagesetter.errors import PagesetterError
from pagesetter.layout.model import TextLine, placed_images
from pagesetter.pagespec.load import load_spec
from pagesetter.render.pictures import Press, prepare_picture
from pagesetter.render.standards import DEFAULT_PROFILE

SPEC = """\
page: {{name: fit, trim: [105mm, 148mm], top: 10mm}}
grid: {{columns: 2, column: 12字, gutter: 1字, lines: 26, body: 小五, pitch: 14pt}}
styles:
  body: {{role: song, size: 小五}}
  caption: {{role: hei, size: 小五}}
  credit: {{role: kai, size: 小五, align: right}}
frames:
  f1: {{col: 1, line: 22, lines: 5}}
stories:
  s: {{articles: [../articles/a.md], chain: [f1], styles: {{body: body}}}}
blocks:
  - {{kind: image, file: ../images/{file}, caption: ../articles/cap.md, caption_lines: 2{keys},
     at: {{col: 1, span: 2, line: 1, lines: 12}}}}
"""
CAPTION = "---\ncredit: 本报记者 摄\n---\n图为会场一角。\n"
ARTICLE = "---\nheadline: 标题\n---\n党的十八大以来，各级党组织把抓基层强基础工作摆在更加突出的位置。\n"


def logo() -> Image.Image:
    """A round logo on a square white ground: a red disc."""
    im = Image.new("RGB", (1200, 1200), (255, 255, 255))
    ImageDraw.Draw(im).ellipse((20, 20, 1180, 1180), fill=(220, 20, 30))
    return im


def portrait() -> Image.Image:
    """A tall picture with a dark 'face' near its top: the focal point."""
    im = Image.new("RGB", (1500, 3000), (200, 200, 200))
    ImageDraw.Draw(im).ellipse((600, 300, 900, 600), fill=(20, 20, 20))
    return im


def project(tmp_path: Path, file: str, im: Image.Image, keys: str = "") -> Path:
    for folder in ("layouts", "articles", "images"):
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
    im.save(tmp_path / "images" / file)
    (tmp_path / "articles" / "cap.md").write_text(CAPTION, encoding="utf-8")
    (tmp_path / "articles" / "a.md").write_text(ARTICLE, encoding="utf-8")
    spec = tmp_path / "layouts" / "p.yaml"
    spec.write_text(SPEC.format(file=file, keys=keys), encoding="utf-8")
    return spec


PLACED = re.compile(rb"q (\S+) (\S+) (\S+) (\S+) re W n (\S+) 0 0 (\S+) (\S+) (\S+) cm /\S+ Do Q")


def placed(pdf: Path) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """The picture's clip (x, y, w, h) and matrix (a, d, e, f) in the page's content, in pt."""
    found = PLACED.findall(PdfReader(pdf).pages[0].get_contents().get_data())
    assert len(found) == 1, found
    nums = tuple(float(v) for v in found[0])
    return nums[:4], nums[4:]


def slot(spec: Path) -> tuple[float, float, float, float]:
    """The slot the block's area gives (x, y from the page's top, w, h) as `fill` covers it."""
    image = placed_images(compose_page(spec).layout.items)[0]
    return image.x, image.y, image.w, image.h


def test_fill_without_focus_is_the_centred_cover_crop_of_before(tmp_path):
    """`fit: fill` written out is the default: the same PDF, byte for byte, as no fit key (the
    square logo covers the wide slot, cropped top and bottom)."""
    a = project(tmp_path / "a", "logo.png", logo())
    b = project(tmp_path / "b", "logo.png", logo(), ", fit: fill, align: center, min_ppi: 300")
    build(a, tmp_path / "a.pdf", png=False)
    build(b, tmp_path / "b.pdf", png=False)
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
    clip, (sx, sy, ex, fy) = placed(tmp_path / "a.pdf")
    assert sx == pytest.approx(clip[2], abs=0.5) and sy == pytest.approx(clip[3], abs=0.5)  # the crop's pixels
    (embedded,) = PdfReader(tmp_path / "a.pdf").pages[0].images
    assert embedded.image.width == 1200 and embedded.image.height < 800  # cut top and bottom


def test_contain_places_the_whole_round_logo_centred_and_the_caption_under_it(tmp_path):
    spec = project(tmp_path, "logo.png", logo(), ", fit: contain")
    x, _, w, h = slot(project(tmp_path / "fill", "logo.png", logo()))
    build(spec, tmp_path / "p.pdf", png=False)
    (cx, cy, cw, ch), (sx, sy, ex, fy) = placed(tmp_path / "p.pdf")
    assert cw == pytest.approx(h, abs=0.02) and ch == pytest.approx(h, abs=0.02)  # square, the slot's height
    assert cx == pytest.approx(x + (w - h) / 2, abs=0.02)  # centred across
    # the whole picture is drawn inside the clip: nothing of the disc is cut away
    assert sx == pytest.approx(cw, abs=0.05) and sy == pytest.approx(ch, abs=0.05)
    assert ex == pytest.approx(cx, abs=0.05) and fy == pytest.approx(cy, abs=0.05)
    layout = compose_page(spec).layout
    caption = [i for i in layout.items if isinstance(i, TextLine) and i.frame == "caption"]
    assert caption and all(ln.x == pytest.approx(cx, abs=0.02) for ln in caption)  # under the picture, its width
    assert max(ln.width or 0 for ln in caption) <= cw + 0.5


def test_contain_aligned_left_and_a_wide_picture_leaves_the_slot_foot_free(tmp_path):
    wide = Image.new("RGB", (3000, 1000), (30, 90, 200))
    spec = project(tmp_path, "wide.png", wide, ", fit: contain, align: left")
    x, top, w, h = slot(project(tmp_path / "fill", "wide.png", wide))
    build(spec, tmp_path / "p.pdf", png=False)
    (cx, cy, cw, ch), _ = placed(tmp_path / "p.pdf")
    assert cx == pytest.approx(x, abs=0.02) and cw == pytest.approx(w, abs=0.02)
    assert ch == pytest.approx(w / 3, abs=0.05)
    layout = compose_page(spec).layout
    image = placed_images(layout.items)[0]
    assert image.y == pytest.approx(top, abs=0.02)  # hung from the slot's top
    first = min(i.y for i in layout.items if isinstance(i, TextLine) and i.frame == "caption")
    assert image.y + image.h < first - 8 < image.y + image.h + 14 + 0.1  # on the next line under the picture


def test_width_takes_the_slot_width_and_the_picture_height(tmp_path):
    wide = Image.new("RGB", (2000, 1000), (30, 90, 200))
    spec = project(tmp_path, "wide.png", wide, ", fit: width")
    x, _, w, h = slot(project(tmp_path / "fill", "wide.png", wide))
    build(spec, tmp_path / "p.pdf", png=False)
    (cx, _, cw, ch), (sx, sy, _, _) = placed(tmp_path / "p.pdf")
    assert (cx, cw) == (pytest.approx(x, abs=0.02), pytest.approx(w, abs=0.02))
    assert ch == pytest.approx(w / 2, abs=0.05) and ch < h
    assert sx == pytest.approx(cw, abs=0.05) and sy == pytest.approx(ch, abs=0.05)


def test_width_on_a_tall_picture_is_cropped_to_the_slot_with_a_warning(tmp_path):
    spec = project(tmp_path, "tall.png", portrait(), ", fit: width, focus: [50, 15]")
    result = build(spec, tmp_path / "p.pdf", png=False)
    assert any("fit: width" in w.message and "cropped" in w.message for w in result.warnings)


def dark_rows(pdf: Path) -> list[int]:
    """The rows of the embedded picture (as a share of its height, %) that hold the dark face."""
    (embedded,) = PdfReader(pdf).pages[0].images
    grey = embedded.image.convert("L")
    return [round(100 * y / grey.height) for y in range(grey.height)
            if min(grey.getpixel((x, y)) for x in range(0, grey.width, 4)) < 100]


def test_focus_keeps_the_face_of_a_portrait_in_a_fill_crop(tmp_path):
    """A 1:2 portrait in a wide slot: the centred crop shows its middle (no face); with the focus on
    the face (x 50 %, y 15 %), the crop is moved to the picture's top, the face in the upper half."""
    centred = project(tmp_path / "c", "tall.png", portrait())
    focused = project(tmp_path / "f", "tall.png", portrait(), ", focus: [50%, 15%]")
    build(centred, tmp_path / "c.pdf", png=False)
    build(focused, tmp_path / "f.pdf", png=False)
    assert placed(tmp_path / "c.pdf")[0] == placed(tmp_path / "f.pdf")[0]  # the same clip: the slot
    assert dark_rows(tmp_path / "c.pdf") == []
    rows = dark_rows(tmp_path / "f.pdf")
    assert rows and 25 < min(rows) and max(rows) < 70, rows  # the face: 300–600 px of the 923 px shown
    image = placed_images(compose_page(focused).layout.items)[0]
    assert image.view == pytest.approx((0.0, 0.0, 1.0, image.h / image.w * 1500 / 3000), abs=1e-4)


def test_crop_box_in_fractions_is_what_the_slot_shows(tmp_path):
    spec = project(tmp_path, "logo.png", logo(), ", fit: contain, crop: [0.25, 0.0, 0.75, 1.0]")
    x, _, w, h = slot(project(tmp_path / "fill", "logo.png", logo()))
    build(spec, tmp_path / "p.pdf", png=False)
    (cx, cy, cw, ch), _ = placed(tmp_path / "p.pdf")
    assert cw == pytest.approx(h / 2, abs=0.02) and ch == pytest.approx(h, abs=0.02)  # 600×1200 px contained
    image = placed_images(compose_page(spec).layout.items)[0]
    assert image.view == pytest.approx((0.25, 0.0, 0.75, 1.0))
    pic = prepare_picture(image.file, image.w, image.h, Press(DEFAULT_PROFILE), image.view)
    assert abs(pic.height - 2 * pic.width) <= 2  # only the crop box's pixels are embedded (downsampled)
    assert pic.box == pytest.approx((0, 0, image.w, image.h), abs=0.01)


def test_low_resolution_uses_the_size_as_placed_and_the_scale_limit(tmp_path):
    """A 300×300 logo contained in a 138.5 pt high slot is 157 ppi: a warning with the placed size
    (49 mm, not the slot's 79 mm width); a min_ppi of 72 allows it."""
    small = logo().resize((300, 300))
    low = build(project(tmp_path / "a", "logo.png", small, ", fit: contain"), tmp_path / "a.pdf", png=False)
    ppi = [w.message for w in low.warnings if "ppi" in w.message]
    assert ppi and "mm place, below 300 ppi" in ppi[0] and "(300×300 px) is 157 ppi in its 49×49 mm place" in ppi[0], ppi
    ok = build(project(tmp_path / "b", "logo.png", small, ", fit: contain, min_ppi: 72"), tmp_path / "b.pdf",
               png=False)
    assert not [w for w in ok.warnings if "ppi" in w.message]


def test_fit_geometry_clamps_the_focus_to_the_crop_box():
    fitted = fit_picture(100, 100, (1000, 500), "fill", (0.0, 0.0), (200, 0, 800, 500))
    assert fitted.view == pytest.approx((0.2, 0.0, 0.7, 1.0))  # the left edge of the box, not of the picture


@pytest.mark.parametrize("keys, message", [
    (", focus: [50, 120]", "focus y 120 is outside the picture (0–100 %)"),
    (", focus: 50", "focus must be [x%, y%], not 50"),
    (", crop: [0, 0, 2000, 100]", "crop box [0, 0, 2000, 100] reaches beyond the 1200×1200 px picture"),
    (", crop: [0.5, 0.0, 0.25, 1.0]", "encloses no pixel"),
    (", crop: [0, 0, -4, 10]", "crop value -4 is no pixel count, fraction or percentage"),
    (", fit: cover", "cover"),
])
def test_bad_fit_keys_are_located_errors(tmp_path, keys, message):
    spec = project(tmp_path, "logo.png", logo(), keys)
    with pytest.raises(PagesetterError) as err:
        load_spec(spec)
    text = str(err.value)
    assert message in text and "p.yaml:12:" in text, text
