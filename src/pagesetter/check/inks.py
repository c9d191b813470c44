"""Preflight of inks (油墨检查): what a newspaper plant's prepress checks on each page.

    findings = ink_checks(reader, root, pages)

- total ink (总墨量) of every CMYK vector fill or stroke and of every CMYK picture's pixels
  against the output intent's limit: the ink the profile itself lays down for the darkest black
  (sRGB black converted perceptually: 240 % for CGATS TR 002 newsprint), plus TOLERANCE;
- white never overprints: a fill or stroke of 0 0 0 0 painted with overprint on (op/OP true in
  the ExtGState in force) vanishes on press;
- effective resolution of every placed picture (pixels over the size it is drawn at) against
  MIN_PPI.

The page content is read with a small tokenizer (numbers, names, operators; strings and inline
images skipped) that follows q/Q, cm, the colour operators, gs and Do. Bounded: MAX_OPERATORS per
page, MAX_PIXELS per picture; any part it cannot read is a finding, never an exception.
"""
from __future__ import annotations

import io
import math
import re

from .prepress import finding


TOLERANCE = 2.0  # % over the limit allowed (8-bit rounding of four channels, ~0.4 % each)
MIN_PPI = 150.0  # below this a picture prints visibly soft on newsprint (2 × an 85 lpi screen ≈ 170)
MAX_OPERATORS = 2_000_000
MAX_PIXELS = 60_000_000
_TOKEN = re.compile(rb"\((?:\\.|[^\\()])*\)|<[0-9A-Fa-f\s]*>|/[^\s/\[\]()<>{}%]*|[-+]?(?:\d+\.?\d*|\.\d+)|"
                    rb"[A-Za-z'\"*]+|\[|\]|<<|>>")
_PAINT_FILL = {b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*", b"Tj", b"TJ", b"'", b'"'}
_PAINT_STROKE = {b"S", b"s", b"B", b"B*", b"b", b"b*"}


def ink_checks(reader, root, pages) -> list[tuple]:
    """Total ink, white overprint and picture resolution on every page (see the module)."""
    out: list[tuple] = []
    try:
        limit = intent_limit(root)
    except Exception:  # noqa: BLE001 (an unreadable profile: no limit to hold the inks to)
        limit = None
    for n, page in enumerate(pages, 1):
        try:
            out += _page(page, n, limit)
        except Exception as exc:  # noqa: BLE001 (preflight reads any PDF)
            out.append(finding("PDF/X-4", f"page {n}", f"content cannot be read for the ink checks: {exc}"))
    return out


def intent_limit(root) -> float | None:
    """The output intent's total ink limit in %: what its profile lays down for the darkest black
    (sRGB black, perceptual), rounded up to the 10 % a limit is set in (newsprint 240, SNAP 260,
    SWOP 300); None without a CMYK intent."""
    from PIL import Image, ImageCms

    intents = root.get("/OutputIntents")
    for intent in (intents.get_object() if intents is not None else []):
        prof = intent.get_object().get("/DestOutputProfile")
        if prof is None:
            continue
        data = prof.get_object().get_data()
        if data[16:20] != b"CMYK":
            return None
        cmyk = ImageCms.profileToProfile(Image.new("RGB", (1, 1), (0, 0, 0)), ImageCms.createProfile("sRGB"),
                                         ImageCms.ImageCmsProfile(io.BytesIO(data)),
                                         renderingIntent=ImageCms.Intent.PERCEPTUAL, outputMode="CMYK")
        pixel = cmyk.getpixel((0, 0)) if cmyk is not None else None
        assert isinstance(pixel, tuple)  # (one CMYK pixel: its four inks)
        return float(math.ceil(sum(pixel) / 2.55 / 10 - 1e-9) * 10)
    return None


class _State:
    """What the content's graphics state holds that the checks need."""

    def __init__(self):
        self.fill = self.stroke = None  # CMYK tuple 0–1, or None (another colour space)
        self.op = self.OP = False
        self.ctm = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)

    def copy(self) -> "_State":
        s = _State()
        s.fill, s.stroke, s.op, s.OP, s.ctm = self.fill, self.stroke, self.op, self.OP, self.ctm
        return s


def _page(page, n: int, limit: float | None) -> list[tuple]:
    contents = page.get_contents()
    if contents is None:
        return []
    data = re.sub(rb"\bBI\b.*?\bEI\b", b"", contents.get_data(), flags=re.S)
    res = page.get("/Resources")
    res = res.get_object() if res is not None else {}
    found: dict[str, tuple] = {}  # one finding per kind per page
    stack: list = []
    args: list = []
    state = _State()
    for count, m in enumerate(_TOKEN.finditer(data)):
        if count > MAX_OPERATORS:
            found["limit"] = finding("PDF/X-4", f"page {n}", "content too long to check inks (over "
                                     f"{MAX_OPERATORS:,} tokens)")
            break
        tok = m.group(0)
        if tok[:1].isalpha() or tok in (b"'", b'"'):
            state = _operator(tok, args, state, stack, res, n, limit, found)
            args = []
        else:
            args.append(tok)
    return list(found.values())


def _nums(args, k: int) -> tuple[float, ...] | None:
    try:
        return tuple(float(a) for a in args[-k:]) if len(args) >= k else None
    except ValueError:
        return None


def _operator(op: bytes, args, state: _State, stack: list, res, n: int, limit, found: dict) -> _State:
    if op == b"q":
        stack.append(state.copy())
    elif op == b"Q":
        state = stack.pop() if stack else state
    elif op == b"cm" and _nums(args, 6):
        state.ctm = _concat(_nums(args, 6), state.ctm)
    elif op in (b"k", b"K"):
        cmyk = _nums(args, 4)
        if op == b"k":
            state.fill = cmyk
        else:
            state.stroke = cmyk
    elif op in (b"g", b"rg", b"cs", b"sc", b"scn"):
        state.fill = None
    elif op in (b"G", b"RG", b"CS", b"SC", b"SCN"):
        state.stroke = None
    elif op == b"gs" and args:
        _ext_gstate(state, res, args[-1])
    elif op == b"Do" and args:
        _picture(state, res, args[-1], n, limit, found)
    else:
        if op in _PAINT_FILL:
            _paint(state.fill, state.op, "fill", n, limit, found)
        if op in _PAINT_STROKE:
            _paint(state.stroke, state.OP, "stroke", n, limit, found)
    return state


def _concat(m, ctm):
    a, b, c, d, e, f = m
    A, B, C, D, E, F = ctm
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _ext_gstate(state: _State, res, name: bytes) -> None:
    states = res.get("/ExtGState")
    gs = states.get_object().get(name.decode("latin-1")) if states is not None else None
    if gs is None:
        return
    gs = gs.get_object()
    if "/OP" in gs:
        state.OP = _flag(gs["/OP"])
        state.op = _flag(gs.get("/op", gs["/OP"]))  # op defaults to OP (ISO 32000-1 §8.4.5)
    if "/op" in gs:
        state.op = _flag(gs["/op"])


def _flag(value) -> bool:
    """A PDF boolean as read (pypdf's BooleanObject is truthy either way: compare its value)."""
    return getattr(value, "value", value) is True


def _paint(cmyk, overprint: bool, what: str, n: int, limit, found: dict) -> None:
    if cmyk is None:
        return
    if overprint and not any(cmyk) and "white" not in found:
        found["white"] = finding("PDF/X-4", f"page {n}", f"a white {what} overprints (it vanishes on press): "
                                 "set overprint off for white")
    ink = sum(cmyk) * 100
    if limit is not None and ink > limit + TOLERANCE and "vector" not in found:
        found["vector"] = finding("PDF/X-4", f"page {n}", f"a {what} of {ink:.0f} % total ink, over the output "
                                  f"intent's {limit:.0f} %")


def _picture(state: _State, res, name: bytes, n: int, limit, found: dict) -> None:
    xobjects = res.get("/XObject")
    xo = xobjects.get_object().get(name.decode("latin-1")) if xobjects is not None else None
    if xo is None:
        return
    xo = xo.get_object()
    if xo.get("/Subtype") != "/Image":
        return
    width, height = int(xo.get("/Width", 0)), int(xo.get("/Height", 0))
    a, b, c, d = state.ctm[:4]
    w_in, h_in = (a * a + b * b) ** 0.5 / 72, (c * c + d * d) ** 0.5 / 72
    if w_in > 0 and h_in > 0 and min(width / w_in, height / h_in) < MIN_PPI and f"ppi {name!r}" not in found:
        found[f"ppi {name!r}"] = finding("PDF/X-4", f"page {n} picture {name.decode('latin-1')}",
                                         f"{min(width / w_in, height / h_in):.0f} ppi as placed, under {MIN_PPI:.0f}")
    if limit is not None:
        over = pixels_over(xo, limit + TOLERANCE)
        if over:
            found[f"ink {name!r}"] = finding("PDF/X-4", f"page {n} picture {name.decode('latin-1')}",
                                             f"{over[0]:,} pixels over {limit:.0f} % total ink (up to {over[1]:.0f} %)")


def pixels_over(xo, limit: float) -> tuple[int, float] | None:
    """(pixels whose C+M+Y+K is over `limit` %, the highest) of a CMYK image XObject, else None."""
    from PIL import Image, ImageMath

    cs = xo.get("/ColorSpace")
    cs = cs.get_object() if cs is not None else None
    cmyk = cs == "/DeviceCMYK" or (isinstance(cs, list) and cs[0] == "/ICCBased"
                                   and int(cs[1].get_object().get("/N", 0)) == 4)
    width, height = int(xo.get("/Width", 0)), int(xo.get("/Height", 0))
    if not cmyk or width * height > MAX_PIXELS or int(xo.get("/BitsPerComponent", 8)) != 8:
        return None
    filters = xo.get("/Filter")
    if filters == "/DCTDecode" or (isinstance(filters, list) and filters[-1:] == ["/DCTDecode"]):
        im: Image.Image = Image.open(io.BytesIO(xo._data if filters == "/DCTDecode" else xo.get_data()))
        if im.size != (width, height):  # the JPEG is not what the dictionary says: not decoded
            return None  # (it could be any size up to Pillow's bomb limit; found by review)
        im.load()
    else:
        im = Image.frombytes("CMYK", (width, height), xo.get_data())
    if im.mode != "CMYK":
        return None
    c, m, y, k = im.split()
    cut = limit * 2.55
    if hasattr(ImageMath, "lambda_eval"):  # Pillow 11+
        total = ImageMath.lambda_eval(lambda e: e["c"] + e["m"] + e["y"] + e["k"], c=c, m=m, y=y, k=k)
        over = ImageMath.lambda_eval(lambda e: (e["t"] > cut) * 255, t=total)
    else:
        total = ImageMath.eval("c + m + y + k", c=c, m=m, y=y, k=k)  # type: ignore[attr-defined]  # (Pillow < 11)
        over = ImageMath.eval(f"(t > {cut}) * 255", t=total)  # type: ignore[attr-defined]
    count = over.convert("L").histogram()[255]
    return (count, total.getextrema()[1] / 2.55) if count else None
