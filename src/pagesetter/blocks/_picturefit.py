"""Picture fit (图片裁切与缩放): where a picture goes in its slot and which part of it shows.

- `fill` (满版, the default): the picture covers the slot, cropped; the crop keeps the focal point
  (焦点, `focus: [x%, y%]`) in view, else it is centred;
- `contain` (完整显示): the whole picture inside the slot, hung from its top, centred across or
  set left or right by `align` — a round logo keeps its top and bottom;
- `width` (通栏宽): the slot's full width, its height from the picture's aspect, the slot's foot
  left free (a picture taller than the slot is cropped as `fill`, with a warning).

Each works on the whole picture or on a crop box (裁切框, `crop: [x0, y0, x1, y1]` in the upright
picture's pixels, fractions 0.0–1.0 or percentages). The value types of `focus` and `crop` are
registered here, beside the kind that reads them (pagespec/valuetypes.py)."""
from __future__ import annotations

import re
from typing import Any

from ..pagespec.checker import show
from ..pagespec.keys import Key
from ..pagespec.valuetypes import Reading, ValueType, register_type
from ..records import record

FITS = ("fill", "contain", "width")
ALIGNS = ("center", "left", "right")
PERCENT = re.compile(r"^\s*(\d+(\.\d*)?|\.\d+)\s*%\s*$")
Box = tuple[float, float, float, float]  # x0, y0, x1, y1


@record
class Fitted:
    """A picture placed in its slot: its rectangle from the slot's top-left (pt), and the part of
    the upright picture it shows as fractions (x0, y0, x1, y1) — None for the centred cover crop
    that `fill` has always made (render/pictures.py keeps its exact pixels)."""

    dx: float
    dy: float
    w: float
    h: float
    view: Box | None = None
    overflow: float = 0.0  # fit width: how much taller than the slot the picture would be (pt), cropped


def fit_picture(w: float, h: float, pixels: tuple[int, int] | None, fit: str = "fill",
                focus: tuple[float, float] | None = None, crop: Box | None = None,
                align: str = "center") -> Fitted:
    """Where a picture of `pixels` (upright) goes in a w × h pt slot, and what of it shows."""
    if pixels is None or (fit == "fill" and focus is None and crop is None):
        return Fitted(0.0, 0.0, w, h)
    iw, ih = pixels
    x0, y0, x1, y1 = crop or (0.0, 0.0, float(iw), float(ih))
    rw, rh = x1 - x0, y1 - y0
    whole = (x0 / iw, y0 / ih, x1 / iw, y1 / ih)
    if fit == "contain":
        s = min(w / rw, h / rh)
        pw, ph = rw * s, rh * s
        dx = {"left": 0.0, "center": (w - pw) / 2, "right": w - pw}[align]
        return Fitted(dx, 0.0, pw, ph, whole)
    if fit == "width" and w * rh / rw <= h:
        return Fitted(0.0, 0.0, w, w * rh / rw, whole)
    s = max(w / rw, h / rh)  # pt per pixel: the slot covered
    vw, vh = w / s, h / s
    fx, fy = focus or ((x0 + x1) / 2 / iw, (y0 + y1) / 2 / ih)
    left = min(max(fx * iw - vw / 2, x0), x1 - vw)
    top = min(max(fy * ih - vh / 2, y0), y1 - vh)
    over = w * rh / rw - h if fit == "width" else 0.0
    return Fitted(0.0, 0.0, w, h, (left / iw, top / ih, (left + vw) / iw, (top + vh) / ih), over)


def shown_pixels(view: Box | None, pixels: tuple[int, int], w: float, h: float) -> tuple[float, float]:
    """How many of the picture's pixels a placed w × h rectangle shows across and down."""
    if view is None:  # the centred cover crop
        s = max(w / pixels[0], h / pixels[1])
        return w / s, h / s
    return (view[2] - view[0]) * pixels[0], (view[3] - view[1]) * pixels[1]


# ── reading `focus` and `crop` (value types of the image block) ─────────────────────────────────

def _share(value: Any, whole: bool) -> float | None:
    """A percentage ('30%', or a plain number 0–100 when `whole`) as a fraction; None if not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and (m := PERCENT.match(value)):
        return float(m.group(1)) / 100
    if whole and isinstance(value, (int, float)):
        return float(value) / 100
    return None


def read_focus(c: Reading, key: str, k: Key, value: Any) -> tuple[float, float] | None:
    """The focal point (焦点): [x, y] in percent of the picture's width and height (0–100)."""
    path = c.path + (key,)
    fix = "give the point as percentages of the picture's width and height, 0–100, e.g. focus: [50, 30]"
    if not isinstance(value, list) or len(value) != 2:
        c.ck.fail(path, f"focus must be [x%, y%], not {show(value)}", fix)
        return None
    out = []
    for i, (axis, v) in enumerate(zip("xy", value)):
        share = _share(v, whole=True)
        if share is None or not 0 <= share <= 1:
            c.ck.fail(path + (i,), f"focus {axis} {show(v)} is outside the picture (0–100 %)", fix)
            return None
        out.append(share)
    return out[0], out[1]


def read_crop(c: Reading, key: str, k: Key, value: Any) -> tuple[tuple[float, bool], ...] | None:
    """A crop box (裁切框) [x0, y0, x1, y1]: whole numbers are pixels, decimals 0.0–1.0 fractions,
    'N%' percentages of the upright picture; each as (value, is a fraction). The box is checked
    against the picture's size by the kind (`crop_box`)."""
    path = c.path + (key,)
    fix = "write crop: [x0, y0, x1, y1] in pixels (e.g. [200, 0, 1400, 1200]), fractions ([0.1, 0.0, 0.9, 1.0]) " \
          "or percentages ([10%, 0%, 90%, 100%])"
    if not isinstance(value, list) or len(value) != 4:
        c.ck.fail(path, f"crop must be a box [x0, y0, x1, y1], not {show(value)}", fix)
        return None
    out = []
    for i, v in enumerate(value):
        share = _share(v, whole=False)
        if share is not None:
            out.append((share, True))
        elif isinstance(v, int) and not isinstance(v, bool) and v >= 0:
            out.append((float(v), False))
        elif isinstance(v, float) and 0 <= v <= 1:
            out.append((v, True))
        else:
            c.ck.fail(path + (i,), f"crop value {show(v)} is no pixel count, fraction or percentage", fix)
            return None
    return tuple(out)


def crop_box(raw: tuple[tuple[float, bool], ...], pixels: tuple[int, int]) -> tuple[Box | None, str]:
    """The crop box in the picture's pixels, or (None, why) when it lies outside the picture or
    encloses nothing."""
    size = (pixels[0], pixels[1], pixels[0], pixels[1])
    box = tuple(v * size[i] if frac else v for i, (v, frac) in enumerate(raw))
    x0, y0, x1, y1 = box
    if x1 > pixels[0] or y1 > pixels[1]:
        return None, f"reaches beyond the {pixels[0]}×{pixels[1]} px picture"
    if x1 - x0 < 1 or y1 - y0 < 1:
        return None, "encloses no pixel (x1 must be right of x0, y1 below y0)"
    return (x0, y0, x1, y1), ""


register_type(ValueType("focus", lambda key: {
    "type": "array", "minItems": 2, "maxItems": 2,
    "items": {"anyOf": [{"type": "number", "minimum": 0, "maximum": 100},
                        {"type": "string", "pattern": PERCENT.pattern}]}}, read_focus))
register_type(ValueType("crop", lambda key: {
    "type": "array", "minItems": 4, "maxItems": 4,
    "items": {"anyOf": [{"type": "integer", "minimum": 0}, {"type": "number", "minimum": 0, "maximum": 1},
                        {"type": "string", "pattern": PERCENT.pattern}]}}, read_crop))
