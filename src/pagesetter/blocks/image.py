"""The image block: a picture slot (图片) — the picture, or a placeholder, covering the area above
its caption lines; a label (①) in its top-left corner; the caption (图片说明) and credit (摄影)
from a caption article in the last body lines."""
from __future__ import annotations

import math
from pathlib import Path

from ..records import record
from ..errors import Problem
from ..layout.furniture import Laid, snap
from ..layout.model import Image, TextLine, placed_images
from ..layout.texts import Use
from ..pagespec.checker import show
from ..pagespec.keys import IMAGE_FORMATS, MAX_IMAGE_PIXELS, MAX_LINES, Key
from ..pagespec.kinds import BlockCheck, BlockKind, register
from ..pagespec.model import EM_BASELINE, Area, Grid
from ..units import PT_PER_MM
from ._picturefit import ALIGNS, FITS, Fitted, crop_box, fit_picture, shown_pixels

LABEL_PAD = 0.3  # em of the label's size between the picture's corner and the label
MIN_PPI = 300  # below this, a picture is too coarse for print: a warning
PPI_SLACK = 0.5  # warn only when the resolution, shown rounded, is below MIN_PPI
PT_PER_INCH = 72


@record
class ImageOptions:
    file: Path | None  # None: a placeholder
    caption: Path | None
    caption_lines: int
    label: str | None
    caption_style: str
    credit_style: str
    label_style: str
    fit: str = "fill"
    focus: tuple[float, float] | None = None  # fractions of the picture's width and height
    crop: tuple[float, float, float, float] | None = None  # in the upright picture's pixels
    align: str = "center"
    min_ppi: float = MIN_PPI
    pixels: tuple[int, int] | None = None  # the picture's size upright (EXIF orientation applied), read at load
    notes: tuple[str, ...] = ()  # what was found reading the picture that the build warns of (a profile ignored)


# ── picture facts (图片), shared by the loader and render/pictures.py, which prints them ──

TURNED = frozenset({5, 6, 7, 8})  # EXIF orientations that swap width and height (6: the portrait phone photo)
RGB_MODES = frozenset({"RGB", "RGBA", "RGBX", "P", "PA", "YCbCr", "LAB", "HSV"})  # pictures set as RGB
SIXTEEN_BIT = frozenset({"I;16", "I;16L", "I;16B", "I;16N"})


def pillow():
    """PIL.Image with Pillow's own pixel limit (89 million, a warning; 179 million, an error) off:
    pagesetter's MAX_IMAGE_PIXELS, checked on the header before any pixel is decoded, is the one."""
    from PIL import Image as PILImage

    PILImage.MAX_IMAGE_PIXELS = None
    return PILImage


def orientation(im) -> int:
    """The EXIF orientation (1–8) of an open picture; 1 when it has none or a value out of range."""
    try:
        value = int(im.getexif().get(0x0112, 1))
    except Exception:  # noqa: BLE001 (a damaged EXIF block: taken as upright)
        return 1
    return value if 1 <= value <= 8 else 1


def upright_size(size: tuple[int, int], turn: int) -> tuple[int, int]:
    """The picture's (width, height) once turned upright by its orientation."""
    return (size[1], size[0]) if turn in TURNED else (size[0], size[1])


def profile_problem(im) -> str | None:
    """Why the ICC profile a picture carries cannot convert its pixels (a CMYK or grey profile in an
    RGB picture, a damaged one), or None. Only profiles that would be used are judged: RGB ones."""
    icc = im.info.get("icc_profile")
    if not icc or im.mode not in RGB_MODES:
        return None
    import io

    from PIL import ImageCms

    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        space = profile.profile.xcolor_space.strip()
    except Exception:  # noqa: BLE001 (LittleCMS refuses damaged profiles with several types)
        return "its embedded ICC profile cannot be read"
    if space != "RGB":
        return f"its embedded ICC profile is for {space} colours, but its pixels are RGB"
    try:  # an RGB profile that converts nothing (a device link, an abstract or named-colour one)
        ImageCms.buildTransform(profile, ImageCms.createProfile("sRGB"), "RGB", "RGB")
    except Exception:  # noqa: BLE001
        return "its embedded ICC profile cannot convert colours (not an RGB input profile)"
    return None


def grey_scale(im) -> float:
    """The factor that maps a 16- or 32-bit grey picture's values onto 0–255: 1/257 for 16 bits
    (also 32-bit integers that stay within 16 bits), 255 for floats within 0–1, 1 within 0–255.
    ValueError (with the reason) for values no scale can show."""
    if im.mode in SIXTEEN_BIT:
        return 1 / 257
    lo, hi = im.getextrema()
    if im.mode == "I" and lo >= 0 and hi <= 65535:
        return 1 / 257
    if im.mode == "F" and lo >= 0 and hi <= 1:
        return 255.0
    if im.mode == "F" and lo >= 0 and hi <= 255:
        return 1.0
    raise ValueError(f"its {'integer' if im.mode == 'I' else 'floating-point'} grey values run from {lo:g} to "
                     f"{hi:g}, which no 8-bit grey can show")


def _pixels_problem(ck, full: Path, path: tuple, size) -> bool:
    if size[0] * size[1] <= MAX_IMAGE_PIXELS:
        return False
    ck.fail(path, f"image {full.name} is {size[0]}×{size[1]} = {size[0] * size[1] / 1e6:,.0f} million pixels, over "
            f"the limit of {MAX_IMAGE_PIXELS / 1e6:.0f} million", "scale it down to the size it prints at, 300 ppi")
    return True


def _png_exif_after_pixels(path: Path) -> bool:
    """Whether a PNG has an eXIf chunk (here: one after its pixels, which Pillow reads only by
    decoding them); the chunk headers are walked, no data is read."""
    import struct

    with open(path, "rb") as fh:
        fh.seek(8)
        while len(head := fh.read(8)) == 8:
            length, kind = struct.unpack(">I4s", head)
            if kind == b"eXIf":
                return True
            if kind == b"IEND":
                return False
            fh.seek(length + 4, 1)
    return False


def _decoded(PILImage, full: Path, size) -> tuple[int, list[str]]:
    """Decode the picture (a JPEG at 1/8), so a file cut short is caught now, not at render time;
    its orientation and what the build must warn of. ValueError for values that cannot be shown."""
    notes = []
    with PILImage.open(full) as im:
        if im.format != "PNG" or im.mode in ("I", "F"):  # PNG's verify() checked every chunk's CRC
            im.draft(im.mode, (max(1, size[0] // 8), max(1, size[1] // 8)))  # JPEG: decode at 1/8
            im.load()
        if im.mode in ("I", "F") or im.mode in SIXTEEN_BIT:
            grey_scale(im)
        late = im.format == "PNG" and "exif" not in im.info
        turn = orientation(im) if not late or _png_exif_after_pixels(full) else 1  # (getexif decodes a PNG)
        if (why := profile_problem(im)) is not None:
            notes.append(f"{why}; the profile is ignored and the picture taken as sRGB")
    return turn, notes


def _open(ck, full: Path, path: tuple) -> tuple[tuple[int, int] | None, tuple[str, ...]]:
    """Open the picture with Pillow now, so an unreadable file is a spec error, not a failed render:
    (its upright size, notes to warn of), or (None, ()) after a located error."""
    PILImage = pillow()
    try:
        with PILImage.open(full) as im:
            fmt, size = im.format, im.size
            if fmt not in IMAGE_FORMATS:
                ck.fail(path, f"image {full.name} is {fmt}, which cannot be placed",
                        f"convert it to one of {', '.join(IMAGE_FORMATS)}")
                return None, ()
            if _pixels_problem(ck, full, path, size):
                return None, ()
            im.verify()
        turn, notes = _decoded(PILImage, full, size)
    except ValueError as exc:
        if "grey values" not in str(exc):
            raise
        ck.fail(path, f"image {full.name} cannot be placed: {exc}", "save it as an 8- or 16-bit picture")
        return None, ()
    except Exception as exc:  # Pillow raises many types for broken files
        ck.fail(path, f"image {full.name} cannot be read: {exc}", "use a JPEG, PNG or TIFF file that opens in a viewer")
        return None, ()
    return upright_size(size, turn), tuple(notes)


class ImageKind(BlockKind):
    name = "image"
    doc = "a picture slot with its label, caption and credit"
    Options = ImageOptions
    derived = ("pixels", "notes")  # read from the picture's file by check()
    keys = {
        "file": Key("image", "picture file (JPEG, PNG, TIFF, GIF, BMP); none: a placeholder"),
        "caption": Key("path", "caption article file (its text, label and credit)"),
        "caption_lines": Key("index", "body lines at the bottom kept for the caption", default=0, lo=0,
                             hi=MAX_LINES),
        "label": Key("text", "label printed on the picture, e.g. ①"),
        "caption_style": Key("style", "caption style", default="caption"),
        "credit_style": Key("style", "credit line style", default="credit"),
        "label_style": Key("style", "label style; needed only when there is a label", default="label"),
        "fit": Key("enum:" + "|".join(FITS), "how the picture fits its slot: fill (covers it, cropped), contain "
                   "(whole, inside it), width (the slot's width, height from the picture)", default="fill"),
        "focus": Key("focus", "focal point [x%, y%] of the picture that a fill crop keeps in view"),
        "crop": Key("crop", "crop box [x0, y0, x1, y1] of the upright picture: pixels, fractions 0.0–1.0 or "
                    "percentages; the fit then places this part"),
        "align": Key("enum:" + "|".join(ALIGNS), "where a contained picture narrower than its slot sits across it",
                     default="center"),
        "min_ppi": Key("number", "scale limit: below this resolution in the slot (the picture enlarged too far) "
                       "is a warning", default=MIN_PPI, lo=72, hi=2400),
    }

    def check(self, c):
        label = c.value("label")
        lines = c.value("caption_lines")
        if lines is not None and c.area is not None and lines >= c.area.lines:
            c.ck.fail(c.path + ("caption_lines",), f"caption_lines {lines} leaves no room for the picture "
                      f"in {c.area.lines} lines", "use fewer caption lines or a taller area")
            c.ok = False
        caption = c.value("caption")
        has_caption = c.given("caption")  # its styles' defaults must then exist
        styles = {k: c.style(k, self.keys[k].default if has_caption else None) or self.keys[k].default
                  for k in ("caption_style", "credit_style")}
        styles["label_style"] = c.style("label_style", "label" if c.given("label") else None) or "label"
        file, pixels = None, None
        notes: tuple[str, ...] = ()
        if c.given("file"):
            file = c.files(c.raw["file"], c.path + ("file",), "image file")
            pixels, notes = _open(c.ck, file, c.path + ("file",)) if file is not None else (None, ())
            c.ok &= pixels is not None
        fit = {k: c.value(k) for k in ("fit", "focus", "align", "min_ppi")}
        return ImageOptions(file, caption, lines, label, pixels=pixels, notes=notes,
                            crop=_crop(c, pixels), **fit, **styles)

    def articles(self, options):
        return (options.caption,) if options.caption else ()

    def check_articles(self, block, spec, stories):
        cap = stories.get(block.options.caption)
        if cap is not None and cap.get("label") and block.options.label_style not in spec.styles:
            return [Problem(f"its caption {cap.path.name} has a label, but the block sets no label_style and no "
                            "style 'label' is defined",
                            fix="set label_style: <style> on the block, or define a style named 'label'")]
        return []

    def uses(self, block, spec, stories, line):
        o, st = block.options, spec.styles
        cap = stories.get(o.caption)
        if o.label:
            yield Use(st[o.label_style].role, o.label, spec.path, line)
        elif cap and cap.get("label"):
            yield Use(st[o.label_style].role, cap.get("label"), cap.path, 1)
        if cap:
            for par in cap.paragraphs:
                yield Use(st[o.caption_style].role, par.text, cap.path, par.line)
            if cap.get("credit"):
                yield Use(st[o.credit_style].role, cap.get("credit"), cap.path, 1)

    def layout(self, block, page):
        grid, o, a = page.spec.grid, block.options, block.area
        x, top, w = a.x(grid), a.top(grid), a.width(grid)
        leading = grid.pitch - grid.body
        h = (a.lines - o.caption_lines) * grid.pitch - leading / 2  # ends half a leading above the caption
        fitted = fit_picture(w, h, o.pixels, o.fit, o.focus, o.crop, o.align)
        caption = page.stories.get(o.caption)
        label = str(o.label or (caption.get("label") if caption else "") or "")
        items: list = [Image(snap(x + fitted.dx), snap(top + fitted.dy), snap(fitted.w), snap(fitted.h), o.file,
                             label, fitted.view)]
        over = 0
        if label:  # the label printed on the picture (①): one line in its top-left corner
            st = page.spec.styles[o.label_style]
            lines = page.ts.lines([(label, st)], lambda k: fitted.w, align="left")
            pad = LABEL_PAD * st.size
            items += [TextLine(snap(x + fitted.dx + pad), snap(top + fitted.dy + pad + EM_BASELINE * st.size),
                               ln.glyphs, st.color, "label", ln.extent) for ln in lines[:1]]
            over += len(lines) - 1
        if caption and o.caption_lines:
            cap_items, cap_over = _caption(page, caption, _caption_area(a, fitted, w, o.caption_lines, grid), o)
            items += cap_items
            over += cap_over
        return Laid(tuple(items), over)

    def warnings(self, block, laid):
        """A picture whose pixels, spread over its place, give less than its `min_ppi` (enlarged
        beyond the scale limit); a `fit: width` picture taller than its slot, cropped."""
        o = block.options
        out = [Problem(f"image {o.file.name}: {note}", fix="export the picture again with its own profile, "
                       "or with none") for note in o.notes]
        for item in placed_images(laid.items):
            if item.file is None or item.w <= 0 or item.h <= 0 or not o.pixels:
                continue
            out += _resolution(item, o)
            if o.fit == "width" and item.view is not None and _cut_down(item.view, o):
                out.append(Problem(f"image {item.file.name} (fit: width) is taller at the slot's width than its "
                                   f"{item.h / PT_PER_MM:.0f} mm slot: cropped to it, keeping the focus",
                                   fix="give the block more lines, or use fit: contain"))
        return out


def _resolution(item: Image, o: ImageOptions) -> list[Problem]:
    """The ppi warning of one placed picture: the pixels it shows over the size it is placed at."""
    sw, sh = shown_pixels(item.view, o.pixels or (1, 1), item.w, item.h)
    ppi = min(sw * PT_PER_INCH / item.w, sh * PT_PER_INCH / item.h)
    if ppi >= o.min_ppi - PPI_SLACK:
        return []
    iw, ih = o.pixels or (1, 1)
    if item.view is None:  # the slot covered: the pixels its own size needs
        need = (round(item.w / PT_PER_INCH * o.min_ppi), round(item.h / PT_PER_INCH * o.min_ppi))
    else:  # part of the picture shown: the whole picture, enlarged until that part has enough
        need = (math.ceil(iw * o.min_ppi / ppi - 0.5), math.ceil(ih * o.min_ppi / ppi - 0.5))
    where = "slot" if item.view is None else "place"
    return [Problem(f"image {item.file.name if item.file else '-'} ({iw}×{ih} px) is {ppi:.0f} ppi in its "
                    f"{item.w / PT_PER_MM:.0f}×{item.h / PT_PER_MM:.0f} mm {where}, below {o.min_ppi:g} ppi",
                    fix=f"use a picture of at least {need[0]}×{need[1]} px"
                    + ("" if item.view is None else ", or crop less of it"))]


def _cut_down(view: tuple[float, float, float, float], o: ImageOptions) -> bool:
    """Whether a view shows less of the picture's (or crop box's) height than there is."""
    iw, ih = o.pixels or (1, 1)
    y0, y1 = (o.crop[1], o.crop[3]) if o.crop else (0.0, float(ih))
    return (view[3] - view[1]) * ih < (y1 - y0) - 0.5


def _crop(c: BlockCheck, pixels: tuple[int, int] | None) -> tuple[float, float, float, float] | None:
    """The crop box in the picture's pixels, checked against its size (a located error when it
    lies outside the picture); None when none is given (or after an error)."""
    raw = c.value("crop")
    if raw is None:
        return None
    if not c.given("file"):
        c.ck.fail(c.path + ("crop",), f"{c.what} has a crop box but no picture", "add file: <picture>, or delete crop")
        c.ok = False
        return None
    if pixels is None:  # (the picture could not be read: reported)
        return None
    box, why = crop_box(raw, pixels)
    if box is None:
        c.ck.fail(c.path + ("crop",), f"crop box {show(c.raw['crop'])} {why}",
                  f"keep it inside the picture: x 0–{pixels[0]}, y 0–{pixels[1]} px (or 0–100%)")
        c.ok = False
    return box


def _caption_area(a: Area, fitted: Fitted, w: float, lines: int, grid: Grid) -> Area:
    """Where the caption (图片说明) goes: under the picture as placed — from the first body line
    below its foot (with half a leading clear, as under a full slot), across the picture's width."""
    leading = grid.pitch - grid.body
    used = min(a.lines - lines, math.ceil((fitted.dy + fitted.h + leading / 2) / grid.pitch - 1e-6))
    return Area(a.col, a.span, a.line + used, lines, a.inset_left + fitted.dx,
                a.inset_right + (w - fitted.dx - fitted.w))


def _caption(page, caption, area: Area, o: ImageOptions) -> tuple[list, int]:
    """The caption's paragraphs, then its credit line, one body line each from the area's top."""
    spec, ts = page.spec, page.ts
    grid, width = spec.grid, area.width(spec.grid)
    style = spec.styles[o.caption_style]
    lines = []
    for par in caption.paragraphs:
        runs = [(s.text, style, s.script) if s.script else (s.text, style) for s in par.spans]  # (H~2~O)
        lines += [(ln, style) for ln in ts.lines(runs, lambda k: width)]
    credit = caption.get("credit")
    if credit:
        cst = spec.styles[o.credit_style]
        lines += [(ln, cst) for ln in ts.lines([(credit, cst)], lambda k: width, align=cst.align)]
    items = []
    for i, (ln, st) in enumerate(lines[:area.lines]):
        y = grid.baseline(area.line + i, 1, st.size)
        items.append(TextLine(snap(area.x(grid)), snap(y), ln.glyphs, st.color, "caption", ln.extent))
    return items, max(0, len(lines) - area.lines)


KIND = register(ImageKind())
