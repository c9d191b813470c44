"""The dump comparison's findings as a short text: font files changed per role, colour changes
grouped by from → to (stroke and fill labelled), moves and size changes grouped by frame (in pt
and mm), text changes, each with story, frame, article line and place in mm from the
trim's top-left (`where.PageMap` supplies story and article line)."""
from __future__ import annotations

from .dumpdiff import MM, DumpFinding, DumpLine


def _quote(text: str, limit: int = 24) -> str:
    return '"' + (text if len(text) <= limit else text[:limit - 1] + "…") + '"'


def _place(line: DumpLine, places) -> str:
    parts = []
    frame = line.frame
    if frame is not None:
        named = places.line(frame, line.text).describe() if places is not None else f"frame {frame}"
        parts.append(named or f"frame {frame}")
    elif line.section == "furniture":
        parts.append(f"furniture {line.text}")
    if line.at is not None:
        parts.append(f"x {line.at[0] * MM:.1f} y {line.at[1] * MM:.1f} mm")
    return "; ".join(parts)


def _what(line: DumpLine) -> str:
    return f"line {_quote(line.text)}" if line.frame is not None else line.text


def _sides(f: DumpFinding) -> tuple[DumpLine, DumpLine]:
    """Both lines of a colour or move finding (only an added or removed text lacks one)."""
    assert f.a is not None and f.b is not None
    return f.a, f.b


def _colour_lines(found: list[DumpFinding], places, max_items: int) -> list[str]:
    groups: dict[str, list[DumpFinding]] = {}
    for f in found:
        groups.setdefault(f.detail, []).append(f)
    out = []
    for detail, fs in groups.items():
        out.append(f"  colour {detail}: {len(fs)} item(s)")
        out.extend(f"    {_what(b)} ({_place(b, places)})" for _, b in map(_sides, fs[:max_items]))
        if len(fs) > max_items:
            out.append(f"    … {len(fs) - max_items} more")
    return out


# what a dump line's numbers are, per item (layout/dump.py)
FIELDS = {"line": ("x", "y", "w"), "rect": ("x", "y", "w", "h", "line width"),
          "rule": ("x", "y", "x1", "y1", "line width"), "image": ("x", "y", "w", "h"), "page": ("width", "height")}


def _kind(line: DumpLine) -> str:
    return line.raw.strip().split(" ", 1)[0]


def _mm(pt: float, sign: str = "+") -> str:
    return f"{pt:{sign}.2f} pt ({pt * MM:{sign}.2f} mm)"


def _changes(f: DumpFinding, tolerance: float) -> str:
    """`moved dx +0.30 pt (+0.11 mm), dy …`, `w 112.50 → 113.00 pt (+0.18 mm)`: what changed in
    an item that stayed (a width change is a width change, not a move by 0)."""
    changed = _changed(f, tolerance)
    a_line, b_line = _sides(f)
    pa, pb = a_line.positions, b_line.positions
    parts = []
    if "x" in changed or "y" in changed:
        parts.append(f"moved dx {_mm(pb[0] - pa[0])}, dy {_mm(pb[1] - pa[1])}")
    for name, (a, b) in changed.items():
        if name not in ("x", "y"):
            parts.append(f"{name} {a:.2f} → {b:.2f} pt ({(b - a) * MM:+.2f} mm)")
    return ", ".join(parts) or f"by up to {_mm(float(f.detail), '')}"


def _changed(f: DumpFinding, tolerance: float) -> dict[str, tuple[float, float]]:
    """The item's numbers that changed beyond the tolerance, by name (a rule's end counts only
    when it moved otherwise than its start: its length or direction changed)."""
    a_line, b_line = _sides(f)
    names = FIELDS.get(_kind(b_line), ())
    pa, pb = a_line.positions, b_line.positions
    out = {}
    for k, (name, a, b) in enumerate(zip(names, pa, pb)):
        shift = (pb[k - 2] - pa[k - 2]) if name in ("x1", "y1") else 0.0
        if abs(b - a - shift) > tolerance + 1e-9:
            out[name] = (a, b)
    return out


def _move_lines(found: list[DumpFinding], places, tolerance: float, max_items: int) -> list[str]:
    groups: dict[str, list[DumpFinding]] = {}
    for f in found:
        groups.setdefault(_sides(f)[1].section, []).append(f)
    out = []
    for section, fs in list(groups.items())[:max_items]:
        first = fs[0]
        spread = ""
        moved = [(a, b) for a, b in map(_sides, fs) if a.at and b.at and a.at != b.at]
        if len(moved) > 1:
            dx = [b.positions[0] - a.positions[0] for a, b in moved]
            dy = [b.positions[1] - a.positions[1] for a, b in moved]
            spread = (f"; all moves dx {min(dx):+.2f}…{max(dx):+.2f}, dy {min(dy):+.2f}…{max(dy):+.2f} pt "
                      f"({min(dx) * MM:+.2f}…{max(dx) * MM:+.2f}, {min(dy) * MM:+.2f}…{max(dy) * MM:+.2f} mm)")
        sized = any(set(_changed(f, tolerance)) - {"x", "y"} for f in fs)
        verb = "moved or resized" if moved and sized else "resized" if sized else "moved"
        first_b = _sides(first)[1]
        out.append(f"  {verb} beyond {tolerance:g} pt in {section}: {len(fs)} item(s); first {_what(first_b)}: "
                   f"{_changes(first, tolerance)} ({_place(first_b, places)}){spread}")
    if len(groups) > max_items:
        out.append(f"  … changes in {len(groups) - max_items} more sections")
    return out


def _font_lines(found: list[DumpFinding]) -> list[str]:
    return [f"  font {f.detail}" for f in found]


def _text_lines(found: list[DumpFinding], places, max_items: int) -> list[str]:
    out = []
    for f in found[:max_items]:
        line, sign = (f.a, "-") if f.b is None else (f.b, "+")
        assert line is not None  # (an added or a removed line: one side is there)
        raw = line.raw.strip()
        raw = raw if len(raw) <= 90 else raw[:89] + "…"  # visibly cut, never a lone open quote
        out.append(f"  {sign} {raw}" + (f"  ({_place(line, places)})" if line.frame or line.at else ""))
    if len(found) > max_items:
        out.append(f"  … {len(found) - max_items} more added or removed lines")
    return out


def describe_findings(found: list[DumpFinding], places=None, tolerance: float = 0.01,
                      max_items: int = 8) -> str:
    kinds = {k: [f for f in found if f.kind == k] for k in ("font", "colour", "moved", "text")}
    lines = (_font_lines(kinds["font"]) + _colour_lines(kinds["colour"], places, max_items)
             + _move_lines(kinds["moved"], places, tolerance, max_items)
             + _text_lines(kinds["text"], places, max_items))
    return "\n".join(lines)
