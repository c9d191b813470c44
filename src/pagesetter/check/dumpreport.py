"""The dump comparison's findings as a short text: colour changes grouped by from → to, moves
grouped by frame, text changes, each with story, frame, article line and place in mm from the
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


def _move_lines(found: list[DumpFinding], places, tolerance: float, max_items: int) -> list[str]:
    groups: dict[str, list[DumpFinding]] = {}
    for f in found:
        groups.setdefault(_sides(f)[1].section, []).append(f)
    out = []
    for section, fs in list(groups.items())[:max_items]:
        both = [(a, b) for a, b in map(_sides, fs) if a.at and b.at]
        dx = [b.positions[0] - a.positions[0] for a, b in both]
        dy = [b.positions[1] - a.positions[1] for a, b in both]
        how = (f"dx {min(dx):+.2f}…{max(dx):+.2f}, dy {min(dy):+.2f}…{max(dy):+.2f} pt" if dx
               else f"by up to {max(float(f.detail) for f in fs):.2f} pt")
        first = _sides(fs[0])[1]
        out.append(f"  moved beyond {tolerance:g} pt in {section}: {len(fs)} item(s), {how}; "
                   f"first {_what(first)} ({_place(first, places)})")
    if len(groups) > max_items:
        out.append(f"  … moves in {len(groups) - max_items} more sections")
    return out


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
    kinds = {k: [f for f in found if f.kind == k] for k in ("colour", "moved", "text")}
    lines = (_colour_lines(kinds["colour"], places, max_items)
             + _move_lines(kinds["moved"], places, tolerance, max_items)
             + _text_lines(kinds["text"], places, max_items))
    return "\n".join(lines)
