"""What a page paints, as its content stream says (印刷属性: ink, colour values, overprint) —
what pixels cannot show.

Rendered pixels show a colour as RGB: a 2 % change in one ink moves the red by 5/255, overprint
(叠印) against knockout (镂空) shows nothing on white paper, and a spot ink (专色) looks like its
CMYK alternate. The content stream says it exactly. `paint_log` reads a page's content stream
once (a tokeniser, with the graphics state: q/Q, cm, gs, colour spaces and colours, the text
matrix, path points) and lists every painting operation as a `Paint`: what (text, path fill,
path stroke, image), where (pt from the MediaBox's top-left), its fill and stroke `Ink` and the
overprint in force. `compare_paint` pairs the two pages' operations by kind and place (difflib)
and reports the pairs whose ink, colour values or overprint differ, grouped, as `PaintChange`s.

Colour values compare exactly for pagesetter's own PDFs (both producers pagesetter: the values
are the spec's) and within the colour tolerance for other producers' PDFs.
"""
from __future__ import annotations

import difflib
import re
from typing import Any, NamedTuple

from ..records import record
from .tolerance import Tolerance

# one token of a content stream: comment, dict brackets, hex string, literal string (one level of
# parentheses), name, number, array brackets, operator
_TOKEN = re.compile(rb"%[^\r\n]*|<<|>>|<[0-9A-Fa-f\s]*>|\((?:\\.|[^\\()])*\)|/[^\s/\[\]<>(){}%]*"
                    rb"|[+-]?(?:\d+\.?\d*|\.\d+)|[\[\]{}]|[A-Za-z'\"*][A-Za-z0-9'\"*]*")
# an inline image (BI … ID data EI) stands for one picture: its data is no tokens
_INLINE = re.compile(rb"(?<![A-Za-z])BI(?![A-Za-z]).*?(?<![A-Za-z])ID\s.*?(?<![A-Za-z])EI(?![A-Za-z])", re.DOTALL)
_OPERAND = frozenset(b"0123456789+-./<([")
_DEVICE = {"DeviceGray": "grey", "G": "grey", "DeviceRGB": "RGB", "RGB": "RGB",
           "DeviceCMYK": "process", "CMYK": "process"}
_PAINT_OPS = {b"S": "stroke", b"s": "stroke", b"f": "fill", b"F": "fill", b"f*": "fill",
              b"B": "fill+stroke", b"B*": "fill+stroke", b"b": "fill+stroke", b"b*": "fill+stroke"}
_TEXT_OPS = frozenset((b"Tj", b"TJ", b"'", b'"'))
_CONSTANTS = frozenset((b"true", b"false", b"null"))
Matrix = tuple[float, ...]  # a b c d e f
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
MAX_OPERATORS = 1_000_000  # pdfread's per-page content limit: more is not read (the page has no log)


class Ink(NamedTuple):
    """A colour as set: its space ("process", "spot", "grey", "RGB", or the space's name), the
    spot ink's name, and its values (CMYK 0–1, a spot's tint, …)."""

    space: str
    name: str
    values: tuple[float, ...]

    def describe(self) -> str:
        """`process C0 M100 Y100 K10`, `spot 人民红 100 %`: values in per cent, as a printer says them."""
        pct = [f"{round(v * 100, 2):g}" for v in self.values]
        if self.space == "process" and len(pct) == 4:
            return "process " + " ".join(f"{c}{v}" for c, v in zip("CMYK", pct))
        if self.space == "spot":
            return f"spot {self.name} {pct[0] if pct else '?'} %"
        if self.space == "grey" and len(pct) == 1:
            return f"grey K{100 - float(pct[0]):g}"
        return f"{self.space} {' '.join(pct)}".strip()


BLACK = Ink("grey", "", (0.0,))  # the initial colour (DeviceGray 0)


class Paint(NamedTuple):
    """One painting operation (a NamedTuple: a page has thousands)."""

    kind: str  # "text", "fill", "stroke", "fill+stroke", "image", "shading"
    at: tuple[float, float]  # pt from the MediaBox's top-left: a text run's origin, a path's or picture's corner
    box: tuple[float, float, float, float]  # x0, top, x1, bottom (a text run: its origin only)
    fill: Ink | None
    stroke: Ink | None
    overprint: tuple[bool, bool, int]  # fill (op), stroke (OP), mode (OPM)


@record
class PaintChange:
    """Painting operations (paired by kind and place) whose ink, colour values or overprint
    differ: what changed (`attribute`: "ink", "colour", "overprint"), for which part ("text",
    "path fill", "path stroke", "image"), from → to as a printer says it, how many, where."""

    what: str
    attribute: str
    a: str
    b: str
    count: int
    ink: str = ""  # for an overprint change: the ink it is in (B's)
    bbox: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # all of them
    first: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # the first one's


class _State:
    __slots__ = ("OP", "ctm", "fill", "fill_space", "op", "opm", "stroke", "stroke_space")

    def __init__(self) -> None:
        self.ctm: Matrix = _IDENTITY
        self.fill: Ink = BLACK
        self.stroke: Ink = BLACK
        self.op, self.OP, self.opm = False, False, 0
        self.fill_space, self.stroke_space = ("grey", ""), ("grey", "")

    def copy(self) -> _State:
        new = _State.__new__(_State)
        for slot in _State.__slots__:
            setattr(new, slot, getattr(self, slot))
        return new


def _mul(m: Matrix, n: Matrix) -> Matrix:
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


def _point(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


def _name(raw: bytes) -> str:
    from ..render.names import name_text

    try:
        return name_text(raw[1:])
    except ValueError:  # a malformed #xx or not UTF-8: the name as written
        return raw[1:].decode("latin-1")


class _Resources:
    """The page's ExtGState and ColorSpace entries, resolved once per name."""

    def __init__(self, resources: Any):
        self.res = resources or {}
        self.states: dict[str, dict] = {}
        self.spaces: dict[str, tuple[str, str]] = {}

    def _entry(self, kind: str, name: str) -> Any:
        try:
            table = _resolved(_resolved(self.res).get(kind))
            return _resolved(table.get("/" + name)) if table is not None else None
        except Exception:  # a damaged resource: nothing known
            return None

    def state(self, name: str) -> dict:
        if name not in self.states:
            entry = self._entry("/ExtGState", name)
            self.states[name] = {str(k)[1:]: entry[k] for k in ("/OP", "/op", "/OPM") if k in entry} if entry else {}
        return self.states[name]

    def space(self, name: str) -> tuple[str, str]:
        """(space, spot name) of a colour space named in `cs`/`CS`."""
        if name in _DEVICE:
            return _DEVICE[name], ""
        if name not in self.spaces:
            self.spaces[name] = _space_of(self._entry("/ColorSpace", name), name)
        return self.spaces[name]


def _resolved(value: Any) -> Any:
    """A pypdf indirect object's value (anything else as it is)."""
    return value.get_object() if hasattr(value, "get_object") else value


def _ink_name(value: Any) -> str:
    """A colorant's name: `/PANTONE#20185#20C` → `PANTONE 185 C` (pypdf may have undone the #xx)."""
    return _name(str(_resolved(value)).encode("utf-8"))


def _space_of(entry: Any, name: str) -> tuple[str, str]:
    try:
        entry = _resolved(entry)
        family = str(_resolved(entry[0]))[1:] if isinstance(entry, list) else str(entry)[1:]
        if family in ("Separation", "DeviceN"):
            ink = _resolved(entry[1])
            names = [_ink_name(n) for n in ink] if isinstance(ink, list) else [_ink_name(ink)]
            return "spot", "+".join(names)
        return _DEVICE.get(family, family), ""
    except Exception:
        return name, ""


class _Reader:
    """The graphics-state walk over one content stream (see the module's doc)."""

    def __init__(self, resources: Any, top: float, left: float):
        self.res = _Resources(resources)
        self.top, self.left = top, left
        self.gs = _State()
        self.stack: list[_State] = []
        self.tlm: Matrix = _IDENTITY
        self.tm: Matrix = _IDENTITY
        self.points: list[tuple[float, float]] = []
        self.out: list[Paint] = []

    def _place(self, x: float, y: float) -> tuple[float, float]:
        return (round(x - self.left, 2) + 0.0, round(self.top - y, 2) + 0.0)

    def _emit(self, kind: str, box) -> None:
        g = self.gs
        fill = g.fill if kind != "stroke" else None
        stroke = g.stroke if "stroke" in kind else None
        self.out.append(Paint(kind, (box[0], box[1]), box, fill, stroke, (g.op, g.OP, g.opm)))

    def _box(self, points) -> tuple[float, float, float, float]:
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        x0, top = self._place(min(xs), max(ys))
        x1, bottom = self._place(max(xs), min(ys))
        return (x0, top, x1, bottom)

    def _extgstate(self, name: str) -> None:
        entry = self.res.state(name)
        if "OP" in entry:
            self.gs.OP = _true(entry["OP"])
            if "op" not in entry:  # ISO 32000-1 §8.4.5: OP sets op too when op is absent
                self.gs.op = self.gs.OP
        if "op" in entry:
            self.gs.op = _true(entry["op"])
        if "OPM" in entry:
            self.gs.opm = int(entry["OPM"])

    def _color(self, op: bytes, args: list) -> bool:
        """Colour operators; False when `op` is none."""
        g, stroke = self.gs, op[:1].isupper()
        nums = tuple(float(a) for a in args if isinstance(a, float))
        if op in (b"k", b"K", b"g", b"G", b"rg", b"RG"):
            ink = Ink({b"k": "process", b"g": "grey", b"r": "RGB"}[op[:1].lower()], "", nums)
        elif op in (b"cs", b"CS"):
            space = self.res.space(args[-1] if args and isinstance(args[-1], str) else "")
            ink = Ink(space[0], space[1], (1.0,) if space[0] == "spot" else ())
            if stroke:
                g.stroke_space = space
            else:
                g.fill_space = space
        elif op in (b"sc", b"scn", b"SC", b"SCN"):
            space = g.stroke_space if stroke else g.fill_space
            pattern = next((a for a in args if isinstance(a, str)), "")
            ink = Ink(space[0], space[1] or pattern, nums)
        else:
            return False
        if stroke:
            g.stroke = ink
        else:
            g.fill = ink
        return True

    def _text_or_state(self, op: bytes, args: list) -> bool:
        """Text matrix operators and text shown; False when `op` is none."""
        nums = [a for a in args if isinstance(a, float)]
        if op == b"BT":
            self.tlm = self.tm = _IDENTITY
        elif op == b"Tm" and len(nums) == 6:
            self.tlm = self.tm = tuple(nums)
        elif op in (b"Td", b"TD") and len(nums) == 2:
            self.tlm = self.tm = _mul((1.0, 0.0, 0.0, 1.0, nums[0], nums[1]), self.tlm)
        elif op in _TEXT_OPS:
            x, y = _point(_mul(self.tm, self.gs.ctm), 0.0, 0.0)
            at = self._place(x, y)
            self._emit("text", (at[0], at[1], at[0], at[1]))
        else:
            return False
        return True

    def _path(self, op: bytes, args: list) -> bool:
        nums = [a for a in args if isinstance(a, float)]
        ctm = self.gs.ctm
        if op == b"re" and len(nums) == 4:
            x, y, w, h = nums
            self.points += [_point(ctm, x, y), _point(ctm, x + w, y + h), _point(ctm, x + w, y), _point(ctm, x, y + h)]
        elif op in (b"m", b"l", b"c", b"v", b"y"):
            self.points += [_point(ctm, nums[i], nums[i + 1]) for i in range(0, len(nums) - 1, 2)]
        elif op in _PAINT_OPS:
            if self.points:
                self._emit(_PAINT_OPS[op], self._box(self.points))
            self.points = []
        elif op == b"n":
            self.points = []
        else:
            return False
        return True

    def operator(self, op: bytes, args: list) -> None:
        if self._path(op, args) or self._color(op, args) or self._text_or_state(op, args):
            return
        g = self.gs
        if op == b"q":
            self.stack.append(g.copy())
        elif op == b"Q":
            if self.stack:
                self.gs = self.stack.pop()
        elif op == b"cm" and len(args) == 6 and all(isinstance(a, float) for a in args):
            g.ctm = _mul(tuple(args), g.ctm)
        elif op == b"gs" and args and isinstance(args[-1], str):
            self._extgstate(args[-1])
        elif op in (b"Do", b"sh"):
            corners = [_point(g.ctm, x, y) for x, y in ((0, 0), (1, 1), (1, 0), (0, 1))]
            self._emit("image" if op == b"Do" else "shading", self._box(corners))


def _true(value: Any) -> bool:
    """A PDF boolean (pypdf's BooleanObject is truthy even when false)."""
    return getattr(value, "value", value) is True


def _operand(tok: bytes) -> Any:
    first = tok[:1]
    if first == b"/":
        return _name(tok)
    if first in b"0123456789+-.":
        try:
            return float(tok)
        except ValueError:
            return tok
    return tok


def paint_log(content: bytes, resources: Any, media: tuple[float, ...]) -> tuple[Paint, ...]:
    """Every painting operation of a content stream, in order (see the module's doc). `media`:
    the MediaBox (x0, y0, x1, y1), for places from its top-left."""
    if b"BI" in content:
        content = _INLINE.sub(b" /inline Do ", content)
    reader = _Reader(resources, media[3], media[0])
    args: list = []
    for n, tok in enumerate(_TOKEN.findall(content)):
        if n > MAX_OPERATORS * 4:
            break
        first = tok[0]
        if first in _OPERAND or tok in _CONSTANTS or tok in (b"<<", b">>", b"]") or first == 0x25:  # operands, comments
            if first != 0x25:
                args.append(_operand(tok))
            continue
        try:
            reader.operator(tok, args)
        except (IndexError, ValueError, TypeError, ZeroDivisionError):  # a malformed operator: skipped
            pass
        args = []
    return tuple(reader.out)


# ---- comparing -------------------------------------------------------------------------------

def _part(kind: str, side: str) -> str:
    """What a printer calls the painted thing: "text", "image", "path fill", "path stroke"."""
    return kind if kind in ("text", "image", "shading") else f"path {side}"


def _key(p: Paint) -> tuple:
    return (p.kind, round(p.at[0], 1), round(p.at[1], 1))


def _inks_differ(a: Ink | None, b: Ink | None, exact: bool, tol: Tolerance) -> str | None:
    """"ink" (another space or spot), "colour" (other values), or None."""
    if a is None or b is None:
        return None if a is b else "ink"
    if (a.space, a.name) != (b.space, b.name):
        return "ink"
    limit = tol.cmyk if exact else tol.color
    if len(a.values) != len(b.values) or any(abs(x - y) > limit + 1e-9 for x, y in zip(a.values, b.values)):
        return "colour"
    return None


def _overprint_text(flag: bool, mode: int) -> str:
    return f"overprint (OPM {mode})" if flag else "knockout"


def _differences(a: Paint, b: Paint, exact: bool, tol: Tolerance) -> list[tuple[str, str, str, str, str]]:
    """(part, attribute, from, to, ink) for one pair of operations."""
    out = []
    for side, ia, ib, flag in (("fill", a.fill, b.fill, 0), ("stroke", a.stroke, b.stroke, 1)):
        if (ia is None and ib is None) or (side == "stroke" and a.kind in ("image", "shading")):
            continue
        part = _part(a.kind, side)
        what = _inks_differ(ia, ib, exact, tol)
        if what:
            out.append((part, what, ia.describe() if ia else "none", ib.describe() if ib else "none", ""))
        oa = (bool(a.overprint[flag]), int(a.overprint[2]))
        ob = (bool(b.overprint[flag]), int(b.overprint[2]))
        if oa[0] != ob[0] or (oa[0] and oa[1] != ob[1]):
            ink = ib.describe() if ib is not None and a.kind != "image" else ""
            out.append((part, "overprint", _overprint_text(*oa), _overprint_text(*ob), ink))
    return out


def compare_paint(a: tuple[Paint, ...], b: tuple[Paint, ...], tol: Tolerance, exact: bool) -> tuple[PaintChange, ...]:
    """Ink, colour and overprint changes between two pages' paint logs (operations paired by kind
    and place; the ones that moved or are new are the text and shape comparisons' to report).
    `exact`: colour values must match exactly (pagesetter's own PDFs), else within `tol.color`."""
    groups: dict[tuple[str, str, str, str, str], list[tuple]] = {}
    sm = difflib.SequenceMatcher(None, [_key(p) for p in a], [_key(p) for p in b], autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag != "equal":
            continue
        for x, y in zip(a[i1:i2], b[j1:j2]):
            if x.fill == y.fill and x.stroke == y.stroke and x.overprint == y.overprint:
                continue
            for found in _differences(x, y, exact, tol):
                groups.setdefault(found, []).append(y.box)
    out = []
    for (what, attribute, was, now, ink), boxes in groups.items():
        bbox = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
        out.append(PaintChange(what, attribute, was, now, len(boxes), ink, bbox, boxes[0]))
    return tuple(out)


def page_paint(doc, index: int) -> tuple[Paint, ...] | None:
    """The paint log of page `index` of a `readback.PdfText` (None when it cannot be read)."""
    from .signature import reader_of

    try:
        page = reader_of(doc).reader.pages[index]
        contents = page.get_contents()
        data = contents.get_data() if contents is not None else b""
        media = tuple(float(v) for v in page.mediabox)
        return paint_log(data, page.get("/Resources"), media)
    except Exception:  # unreadable: the page is compared by its pixels and glyphs only
        return None


def own_pdf(doc) -> bool:
    """Was the PDF written by pagesetter (its Producer says so)?"""
    from .signature import reader_of

    try:
        info: Any = reader_of(doc).reader.metadata or {}
        return str(info.get("/Producer", "")).startswith("pagesetter")
    except Exception:
        return False
