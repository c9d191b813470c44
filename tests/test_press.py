"""The press test page (tests/presspage.py) as a plant prints it: Ghostscript's separations
(tiffsep: one plate per ink) of the page with three RGB photos — total ink within the newsprint
profile's 240 % everywhere, body text on the K plate only, no placeholder on any plate — and the
page alone and inside its edition (whose first page is a proof with placeholders shown) the same
to the pixel."""
from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from PIL import Image, ImageChops, ImageMath

from presspage import press_edition
from pagesetter.build_edition import build_edition
from pagesetter.check.preflight import preflight
from pagesetter.layout.model import Image as Slot, TextLine
from pagesetter.render.raster import rasterise

DPI = 150
INKS = ("Cyan", "Magenta", "Yellow", "Black")


@pytest.fixture(scope="module")
def press(tmp_path_factory):
    folder = tmp_path_factory.mktemp("press")
    out = folder / "out" / "ed.pdf"
    composed = build_edition(press_edition(folder), out, png=False)
    return out, out.parent / "ed" / "02-photos.pdf", composed.pages[1].layout


@pytest.fixture(scope="module")
def plates(press, tmp_path_factory) -> dict[str, Image.Image]:
    """The photo page's four plates, ink as 0–255 (255 = solid)."""
    if shutil.which("gs") is None:
        message = "Ghostscript not installed: run ./setup.sh --test"
        pytest.fail(message) if os.environ.get("CI") else pytest.skip(message)
    folder = tmp_path_factory.mktemp("plates")
    subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=tiffsep", f"-r{DPI}",
                    f"-sOutputFile={folder / 'p.tif'}", str(press[1])], check=True, timeout=300)
    return {ink: Image.open(folder / f"p({ink}).tif").point(lambda v: 255 - v) for ink in INKS}


def _box(x0: float, y0: float, x1: float, y1: float) -> tuple[int, int, int, int]:
    """A box in pt from the trim's top-left, as pixels of the plates."""
    return tuple(round(v / 72 * DPI) for v in (x0, y0, x1, y1))


def test_total_ink_stays_within_240_percent_everywhere(plates):
    c, m, y, k = (plates[i] for i in INKS)
    total = ImageMath.lambda_eval(lambda e: e["c"] + e["m"] + e["y"] + e["k"], c=c, m=m, y=y, k=k)
    most = total.getextrema()[1] / 2.55
    assert most <= 240.0, f"{most:.1f} % total ink"
    assert most > 200  # the sweeps' blacks are deep: the profile's limit is what holds them


def test_body_text_is_on_the_k_plate_only(plates, press):
    layout = press[2]
    lines = [i for i in layout.items if isinstance(i, TextLine) and i.story == "s"]
    assert lines
    box = _box(min(i.x for i in lines), min(i.y for i in lines) - 10,
               max(i.x + (i.width or 0) for i in lines), max(i.y for i in lines) + 3)
    for ink in ("Cyan", "Magenta", "Yellow"):
        assert plates[ink].crop(box).getextrema() == (0, 0), ink
    assert plates["Black"].crop(box).getextrema()[1] > 200  # the text is there, solid


def test_no_placeholder_on_any_plate(plates, press):
    slot = next(i for i in press[2].items if isinstance(i, Slot) and i.file is None)
    box = _box(slot.x, slot.y, slot.x + slot.w, slot.y + slot.h)
    for ink in INKS:
        assert plates[ink].crop(box).getextrema() == (0, 0), ink


def test_the_page_alone_and_inside_its_edition_are_pixel_identical(press):
    edition, alone, _ = press
    for n, page in enumerate(sorted(alone.parent.glob("*.pdf"))):
        inside = rasterise(edition, 100)[n].convert("RGB")
        assert ImageChops.difference(inside, rasterise(page, 100)[0].convert("RGB")).getbbox() is None, page.name


def test_press_pdfs_preflight_clean_with_pictures_within_the_ink_limit(press):
    edition, alone, _ = press
    for pdf in (edition, alone, alone.parent / "01-proof.pdf"):
        assert preflight(pdf) == [], pdf.name


def test_a_proof_page_prints_no_placeholder_either(press, tmp_path):
    """The first page asks for its placeholders (`placeholders: true`): its file still prints none —
    every plate is empty inside the slot — while its PNG preview shows the slot."""
    if shutil.which("gs") is None:
        message = "Ghostscript not installed: run ./setup.sh --test"
        pytest.fail(message) if os.environ.get("CI") else pytest.skip(message)
    proof = press[1].parent / "01-proof.pdf"
    subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=tiffsep", f"-r{DPI}",
                    f"-sOutputFile={tmp_path / 'p.tif'}", str(proof)], check=True, timeout=300)
    # the slot spans both columns, lines 2–11: well inside it, a band through its middle
    slot = _box(40, 60, 250, 150)
    for ink in INKS:
        plate = Image.open(tmp_path / f"p({ink}).tif").point(lambda v: 255 - v)
        assert plate.crop(slot).getextrema() == (0, 0), ink
