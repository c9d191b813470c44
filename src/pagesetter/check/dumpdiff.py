"""Compare two layout dumps (layout/dump.py) under the tolerance model, and say where.

Each dump line is split into its *key* (kind, fonts, text — positions and colours masked), its
positions (pt) and its colours (`name[c,m,y,k]`). Lines are aligned on their keys (difflib);
an aligned pair whose positions differ by more than `Tolerance.position` has *moved*, one whose
colour names or values differ (beyond `Tolerance.color`) has changed *colour*; unaligned lines are
*text* (or furniture) changes. So a sub-tolerance drift passes, and a colour's new CMYK values
are reported with the frame, story and article line of every line that uses it.
"""
from __future__ import annotations

import difflib
import re

from ..records import record
from .tolerance import Tolerance

NUMBER = re.compile(r"(?<![\w.])(-?\d+\.\d+)(?![\w.])")
COLOR = re.compile(r"([\w-]+)\[([^\]]*)\]((?:/[\w=.]+)*)")
MM = 25.4 / 72


@record
class DumpLine:
    number: int  # 1-based line of the dump
    section: str  # "frame main-1", "furniture", "page", "story"
    key: str
    positions: tuple[float, ...]
    colors: tuple[str, ...]  # as written: "red[0,1,1,0.1]"
    text: str  # the line's text (lines), else the item's kind
    raw: str

    @property
    def frame(self) -> str | None:
        return self.section[6:] if self.section.startswith("frame ") else None

    @property
    def at(self) -> tuple[float, float] | None:
        """(x, y) pt from the trim's top-left, for items that have them."""
        return (self.positions[0], self.positions[1]) if len(self.positions) >= 2 and not self.raw.startswith("page") else None


@record
class DumpFinding:
    kind: str  # "colour", "moved", "text", "font"
    a: DumpLine | None
    b: DumpLine | None
    detail: str = ""


def parse_dump(text: str) -> list[DumpLine]:
    out, section = [], "page"
    for n, raw in enumerate(text.splitlines(), 1):
        if not raw.startswith(" "):
            section = raw if raw.startswith(("frame ", "furniture")) else raw.split(" ", 1)[0]
        meta, sep, quoted = raw.partition(': "')
        colors = tuple(m.group(0) for m in COLOR.finditer(meta))
        masked = COLOR.sub("C", meta)
        positions = tuple(float(v) for v in NUMBER.findall(masked))
        key = NUMBER.sub("#", masked) + sep + quoted
        item = raw.strip().split(" ", 1)[0]
        text = quoted[:-1] if sep else item
        out.append(DumpLine(n, section, key, positions, colors, text, raw))
    return out


def _color_values(token: str) -> tuple[str, tuple[float, ...], str]:
    m = COLOR.fullmatch(token)
    if m is None:
        return token, (), ""
    try:
        values = tuple(float(v) for v in m.group(2).split(","))
    except ValueError:
        values = ()
    return m.group(1), values, m.group(3)


def _colors_differ(a: tuple[str, ...], b: tuple[str, ...], tol: Tolerance) -> bool:
    if len(a) != len(b):
        return True
    for x, y in zip(a, b):
        nx, vx, ex = _color_values(x)
        ny, vy, ey = _color_values(y)
        if nx != ny or ex != ey or tol.values_differ(vx, vy):
            return True
    return False


def compare_dumps(a: str, b: str, tol: Tolerance = Tolerance()) -> list[DumpFinding]:
    """What differs between dump `a` (golden) and `b` (new), beyond the tolerance."""
    la, lb = parse_dump(a), parse_dump(b)
    found: list[DumpFinding] = []
    sm = difflib.SequenceMatcher(None, [x.key for x in la], [y.key for y in lb], autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag != "equal":
            found.extend(DumpFinding("text", x, None) for x in la[i1:i2])
            found.extend(DumpFinding("text", None, y) for y in lb[j1:j2])
            continue
        for x, y in zip(la[i1:i2], lb[j1:j2]):
            if _colors_differ(x.colors, y.colors, tol):
                found.append(DumpFinding("colour", x, y, _colour_detail(x, y)))
            delta = max((abs(p - q) for p, q in zip(x.positions, y.positions)), default=0.0)
            if len(x.positions) != len(y.positions) or delta > tol.position + 1e-9:
                found.append(DumpFinding("moved", x, y, f"{delta:.2f}"))
    return _font_findings(found)


def _role(line: DumpLine) -> str | None:
    """The role of a `font <role>: …` line (layout.dump.font_lines), else None."""
    return line.raw.split(":", 1)[0][5:] if line.section == "font" else None


def _font_findings(found: list[DumpFinding]) -> list[DumpFinding]:
    """A role's font line gone and one added: one "font" finding (another file served the role)."""
    gone = {_role(f.a): f for f in found if f.kind == "text" and f.b is None and f.a is not None
            and f.a.section == "font"}
    out = []
    for f in found:
        if f.kind == "text" and f.a is None and f.b is not None and f.b.section == "font" and _role(f.b) in gone:
            was = gone.pop(_role(f.b)).a
            assert was is not None  # (gone holds removed lines only)
            out.append(DumpFinding("font", was, f.b, f"{_role(f.b)}: {_font_of(was)} → {_font_of(f.b)}"))
        else:
            out.append(f)
    paired = {id(f.a) for f in out if f.kind == "font"}
    return [f for f in out if not (f.kind == "text" and f.b is None and id(f.a) in paired)]


def _font_of(line: DumpLine) -> str:
    return line.raw.split(":", 1)[1].strip()


def _colour_detail(x: DumpLine, y: DumpLine) -> str:
    """`stroke red[0,1,1,0.1] → red[0,1,1,0.12]`, each colour labelled by what it paints (stroke,
    fill, a rule's colour) where the item has more than one."""
    parts = []
    for label, cx, cy in zip(_labels(x), x.colors, y.colors):
        if cx != cy:
            parts.append(f"{label + ' ' if label else ''}{cx} → {cy}")
    return "; ".join(parts) or " ".join(x.colors) + " → " + " ".join(y.colors)


def _labels(line: DumpLine) -> list[str]:
    """What each colour of a dump line paints: "stroke" or "fill" (a box), "" (text, a rule)."""
    meta = line.raw.partition(': "')[0]
    out = []
    for m in COLOR.finditer(meta):
        before = meta[max(0, m.start() - 7):m.start()]
        out.append(next((k for k in ("stroke", "fill") if before.endswith(k + "=")), ""))
    return out
