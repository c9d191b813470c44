"""Pictures made ready for print (图片处理): what a slot shows, in the output's colours, at the
resolution print needs — pure Pillow, no PDF here.

    pic = prepare_picture(path, slot_w, slot_h, Press(profile))
    pic.data, pic.filter, pic.colorspace, pic.smask, pic.box

- EXIF orientation applied; 16-bit, palette, 1-bit, gray+alpha and CMYK sources read as they look.
- RGB (and palette) pictures converted to the output profile's CMYK through Pillow's ImageCms
  (from their own ICC profile, else sRGB), or kept RGB with an ICC profile if asked (a warning).
- Alpha kept as a soft mask (PDF/X-4), so a logo's transparent ground shows the paper; under
  PDF/X-1a (no transparency) it is flattened onto paper white instead.
- Cropped to the part the slot shows (the slot covered, centred; or the `view` the block's fit
  chose: blocks/_picturefit.py) and downsampled to
  `Press.ppi` when it has more than 1.5× that; a JPEG that needs none of this is passed through.
"""
from __future__ import annotations

import io
import math
from functools import lru_cache
from pathlib import Path

from ..records import record
from ..blocks.image import SIXTEEN_BIT, grey_scale, orientation, pillow, profile_problem, upright_size
from ..errors import PagesetterError


@lru_cache(maxsize=1)
def _srgb():
    """The sRGB profile (Pillow imported here, not at import: a page without pictures needs none)."""
    from PIL import ImageCms

    return ImageCms.createProfile("sRGB")


@record
class Press:
    """What the output wants of a picture."""

    profile: Path  # the CMYK output profile
    keep_rgb: bool = False
    flatten: bool = False  # PDF/X-1a: no soft masks
    ppi: float = 300.0


@record
class Picture:
    data: bytes
    filter: str  # "DCTDecode" or "FlateDecode"
    width: int
    height: int
    colorspace: str  # "DeviceCMYK", "DeviceGray" or "ICCBased" (RGB, profile in `icc`)
    decode_inverted: bool  # Adobe CMYK JPEG: /Decode [1 0 1 0 1 0 1 0]
    smask: bytes | None  # Flate-compressed 8-bit alpha, same size
    icc: bytes | None
    box: tuple[float, float, float, float]  # where the pixels go, in pt from the slot's top-left: x, y, w, h


View = tuple[float, float, float, float]


def prepare_picture(path: Path, w: float, h: float, press: Press, view: View | None = None) -> Picture:
    """The picture at `path` ready to cover a w × h pt slot — or, given a `view` (x0, y0, x1, y1 as
    fractions of the upright picture: blocks/_picturefit.py), that part of it filling the slot.
    PagesetterError if unreadable. It is turned upright (EXIF orientation) before anything is
    measured: the crop, the fit and the resolution are those of the upright picture."""
    Image = pillow()
    try:
        src = Image.open(path)
        src.load()
    except Exception as exc:  # noqa: BLE001 (Pillow raises many types for damaged files)
        raise PagesetterError.at(f"cannot read image: {exc}", path,
                                 fix="re-export the picture as JPEG or PNG") from None
    turn = orientation(src)
    upright = upright_size(src.size, turn)
    if view is None:
        crop, box, size = _geometry(upright, w, h, press.ppi)
    else:
        crop, box, size = _view_geometry(upright, view, w, press.ppi)
    if turn == 1 and _passthrough(src, path, crop, size, press):
        return _jpeg_as_is(path, src, w, h, view)
    im = _upright(src, turn)
    im, alpha = _split_alpha(im)
    if im.mode == "RGB" and not press.keep_rgb:  # kept RGB: the build warns (build.rgb_kept)
        im = _to_cmyk(im, src, press.profile)
    if alpha is not None and press.flatten:
        im, alpha = _flatten(im, alpha), None
    im = im.crop(crop)
    alpha = alpha.crop(crop) if alpha is not None else None
    if size != im.size:
        im = im.resize(size, Image.LANCZOS)
        alpha = alpha.resize(size, Image.LANCZOS) if alpha is not None else None
    return _encode(im, alpha, src, box)


def _geometry(size, w: float, h: float, ppi: float):
    """(crop box in source pixels, its place in the slot in pt, pixel size to keep)."""
    iw, ih = size
    scale = max(w / iw, h / ih)  # pt per source pixel: the picture covers the slot
    vw, vh = min(iw, w / scale), min(ih, h / scale)
    left, top = int((iw - vw) / 2), int((ih - vh) / 2)
    right, bottom = min(iw, left + int(round(vw + 0.4999)) + 1), min(ih, top + int(round(vh + 0.4999)) + 1)
    crop = (left, top, right, bottom)
    box = ((left - iw / 2) * scale + w / 2, (top - ih / 2) * scale + h / 2,
           (right - left) * scale, (bottom - top) * scale)
    return crop, box, _kept(right - left, bottom - top, scale, ppi)


def _kept(cw: int, ch: int, scale: float, ppi: float) -> tuple[int, int]:
    """The pixel size to keep of a cw × ch crop placed at `scale` pt per pixel: downsampled to
    `ppi` when it has more than 1.5× that."""
    have = 72 / scale  # pixels per inch as placed
    if have > ppi * 1.5:
        f = ppi / have
        return max(1, round(cw * f)), max(1, round(ch * f))
    return cw, ch


def _view_geometry(size: tuple[int, int], view: View, w: float,
                   ppi: float) -> tuple[tuple[int, int, int, int], View, tuple[int, int]]:
    """_geometry for a given view: the pixels that hold it (rounded outward), placed so that the
    view fills the slot from its top-left corner."""
    iw, ih = size
    vx0, vy0, vx1, vy1 = view[0] * iw, view[1] * ih, view[2] * iw, view[3] * ih
    scale = w / (vx1 - vx0)  # pt per source pixel
    left, top = max(0, math.floor(vx0 + 1e-6)), max(0, math.floor(vy0 + 1e-6))
    right, bottom = min(iw, math.ceil(vx1 - 1e-6)), min(ih, math.ceil(vy1 - 1e-6))
    box = ((left - vx0) * scale, (top - vy0) * scale, (right - left) * scale, (bottom - top) * scale)
    return (left, top, right, bottom), box, _kept(right - left, bottom - top, scale, ppi)


def _passthrough(src, path: Path, crop, size, press: Press) -> bool:
    """A JPEG (upright) that needs no converting, resampling, and shows at least ¾ of itself."""
    if src.format != "JPEG" or size != (crop[2] - crop[0], crop[3] - crop[1]):
        return False
    if src.mode not in ("L", "CMYK") and not (src.mode == "RGB" and press.keep_rgb):
        return False
    shown = (crop[2] - crop[0]) * (crop[3] - crop[1]) / (src.size[0] * src.size[1])
    return shown >= 0.75


def _jpeg_as_is(path: Path, src, w: float, h: float, view: View | None = None) -> Picture:
    """The JPEG file's own bytes, the whole picture placed to cover the slot, or so that its
    `view` fills it (the clip crops)."""
    space, icc = _colorspace(src.mode, src)
    iw, ih = src.size
    if view is None:
        scale = max(w / iw, h / ih)
        box = ((w - iw * scale) / 2, (h - ih * scale) / 2, iw * scale, ih * scale)
    else:
        scale = w / ((view[2] - view[0]) * iw)
        box = (-view[0] * iw * scale, -view[1] * ih * scale, iw * scale, ih * scale)
    inverted = src.mode == "CMYK" and "adobe" in src.info
    return Picture(path.read_bytes(), "DCTDecode", iw, ih, space, inverted, None, icc, box)


def _colorspace(mode: str, src) -> tuple[str, bytes | None]:
    """The PDF colour space of pixels in `mode`, and for RGB the ICC profile to embed with them
    (the source's own, else sRGB)."""
    space = {"L": "DeviceGray", "CMYK": "DeviceCMYK"}.get(mode, "ICCBased")
    if space != "ICCBased":
        return space, None
    return space, _own_profile(src) or srgb_icc()


def _own_profile(src) -> bytes | None:
    """The picture's embedded ICC profile, if it can convert its pixels (blocks.image.profile_problem:
    the build warns of one that cannot, and the picture is taken as sRGB)."""
    return src.info.get("icc_profile") if profile_problem(src) is None else None


@lru_cache(maxsize=1)
def srgb_icc() -> bytes:
    """The sRGB profile's bytes, as embedded with an RGB picture kept RGB: its creation date fixed
    at 2000-01-01 (LittleCMS stamps the current time into the header, ICC.1 §7.2.8, so the same
    page gave another PDF each second); the profile ID, if set, made again to match (§7.2.18)."""
    import hashlib
    import struct

    from PIL import ImageCms

    data = bytearray(ImageCms.ImageCmsProfile(_srgb()).tobytes())
    data[24:36] = struct.pack(">6H", 2000, 1, 1, 0, 0, 0)
    if any(data[84:100]):
        blank = bytearray(data)
        blank[44:48] = blank[64:68] = bytes(4)
        blank[84:100] = bytes(16)
        data[84:100] = hashlib.md5(bytes(blank)).digest()
    return bytes(data)


def _upright(src, turn: int):
    """The picture turned upright and in a mode the PDF takes (L, LA, RGB, RGBA, CMYK); 16- and
    32-bit grey scaled onto 8 bits (blocks.image.grey_scale; the loader refused what cannot be)."""
    from PIL import ImageOps

    im = ImageOps.exif_transpose(src) if turn != 1 else src
    if im.mode in SIXTEEN_BIT or im.mode in ("I", "F"):
        factor = grey_scale(im)
        im = im.convert("F").point(lambda v: v * factor).convert("L")
    elif im.mode == "1":
        im = im.convert("L")
    elif im.mode == "P":
        im = im.convert("RGBA" if "transparency" in im.info else "RGB")
    elif im.mode == "PA":
        im = im.convert("RGBA")
    elif im.mode not in ("L", "LA", "RGB", "RGBA", "CMYK"):
        im = im.convert("RGB")
    return im


def _split_alpha(im):
    if im.mode in ("RGBA", "LA"):
        alpha = im.getchannel("A")
        if alpha.getextrema() == (255, 255):
            alpha = None
        return im.convert("RGB" if im.mode == "RGBA" else "L"), alpha
    return im, None


def _to_cmyk(im, src, profile: Path):
    from PIL import ImageCms

    icc = _own_profile(src)
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc)) if icc else ImageCms.ImageCmsProfile(_srgb())
    except (OSError, ImageCms.PyCMSError):
        source = ImageCms.ImageCmsProfile(_srgb())
    out = ImageCms.getOpenProfile(str(profile))
    return ImageCms.profileToProfile(im, source, out, renderingIntent=ImageCms.Intent.PERCEPTUAL,
                                     outputMode="CMYK")


def _flatten(im, alpha):
    """The picture over paper white (no transparency in PDF/X-1a)."""
    from PIL import Image

    white = Image.new(im.mode, im.size, (0, 0, 0, 0) if im.mode == "CMYK" else 255 if im.mode == "L" else (255,) * 3)
    return Image.composite(im, white, alpha)


def _encode(im, alpha, src, box) -> Picture:
    import zlib

    space, icc = _colorspace(im.mode, src)
    if src.format == "JPEG":
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=90, optimize=False, subsampling=0 if im.mode == "CMYK" else 2)
        data, filt, inverted = buf.getvalue(), "DCTDecode", im.mode == "CMYK"
    else:
        data, filt, inverted = zlib.compress(im.tobytes(), 6), "FlateDecode", False
    smask = zlib.compress(alpha.tobytes(), 6) if alpha is not None else None
    return Picture(data, filt, im.size[0], im.size[1], space, inverted, smask, icc, box)
