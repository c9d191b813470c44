"""Compare one page of A with one page of B: text, glyph moves, fonts, colours, shapes, boxes.

Lines (`readback.group_lines`, content order) are aligned with difflib; a differing run of lines
is a *reflow* when its text is the same once breaks and white space are taken out, else a *text
change*. Glyphs are paired along that alignment; a pair whose origins are more than the position
tolerance apart has *moved* (moves are reported as runs of B's lines that moved alike), a pair in
another font or size is a *font change*, a pair whose fill differs by more than the colour
tolerance is a *colour change*. Shapes (paths, pictures) are paired in drawing order by kind.
"""
from __future__ import annotations

import difflib
import math
import re
from collections import Counter

from .diffmodel import (BoxChange, ColorChange, FontChange, Move, MoveRun, OrderChange, PageDiff, Reflow,
                        ShapeChange, TextChange)
from .readback import Glyph, Line, PageText, union
from .tolerance import Tolerance

LARGEST_MOVES = 10
_SPACE = re.compile(r"\s+")


def _norm(text: str) -> str:
    return _SPACE.sub("", text)


def _run_diff(ra: list, rb: list, i1: int, jb: list[int], pairs: list, gone: list, new: list) -> Reflow | TextChange:
    """A differing run of lines (`jb`: B's line indexes of `rb`): pair glyphs character by
    character; a reflow or a text change."""
    ta, tb = tuple(ln.text for ln in ra), tuple(ln.text for ln in rb)
    j1 = jb[0] if jb else i1
    ga = [g for ln in ra for g in ln.glyphs]
    gb = [(g, j) for j, ln in zip(jb, rb) for g in ln.glyphs]
    edits = []
    cm = difflib.SequenceMatcher(None, [g.ch for g in ga], [g.ch for g, _ in gb], autojunk=False)
    for tag, c1, c2, d1, d2 in cm.get_opcodes():
        if tag == "equal":
            pairs.extend((x, y, line) for x, (y, line) in zip(ga[c1:c2], gb[d1:d2]))
        else:
            gone.extend(ga[c1:c2])
            new.extend(g for g, _ in gb[d1:d2])
            edits.append(("".join(g.ch for g in ga[c1:c2]), "".join(g.ch for g, _ in gb[d1:d2])))
    box = union(ln.bbox for ln in (rb or ra))
    if ta and tb and _norm("".join(ta)) == _norm("".join(tb)):
        return Reflow(i1 + 1, j1 + 1, ta, tb, box)
    return TextChange(i1 + 1, j1 + 1, ta, tb, tuple(e for e in edits if _norm(e[0]) or _norm(e[1])), box)


def _line_key(line: Line) -> tuple:
    return (line.text, round(line.x, 1), round(line.y, 1))


def _read_elsewhere(a_lines: tuple[Line, ...], b_lines: tuple[Line, ...], opcodes: list) -> dict[int, int]:
    """B line → A line, for lines outside the aligned runs that are in both with the same text at
    the same place: read in another order, not changed (two blocks swapped in reading order)."""
    gone: dict[tuple, int] = {}
    for tag, i1, i2, _j1, _j2 in opcodes:
        if tag != "equal":
            for i in range(i1, i2):
                gone.setdefault(_line_key(a_lines[i]), i)
    out: dict[int, int] = {}
    for tag, _i1, _i2, j1, j2 in opcodes:
        if tag != "equal":
            for j in range(j1, j2):
                key = _line_key(b_lines[j])
                if key in gone:
                    out[j] = gone.pop(key)
    return out


def _order_changes(a_lines: tuple[Line, ...], b_lines: tuple[Line, ...],
                   elsewhere: dict[int, int]) -> tuple[OrderChange, ...]:
    """Runs of B lines read elsewhere, each with the line it follows in A and in B."""
    out: list[OrderChange] = []
    run: list[int] = []
    for j in sorted(elsewhere) + [None]:
        if run and (j is None or j != run[-1] + 1 or elsewhere[j] != elsewhere[run[-1]] + 1):
            i = elsewhere[run[0]]
            out.append(OrderChange(len(run), b_lines[run[0]].text, a_lines[i - 1].text if i else "",
                                   b_lines[run[0] - 1].text if run[0] else "",
                                   union(b_lines[k].bbox for k in run)))
            run = []
        if j is not None:
            run.append(j)
    return tuple(out)


def align_text(a: PageText | None, b: PageText | None):
    """Glyph pairs (a, b, B line index), glyphs gone from A, new in B, text changes, reflows and
    reading-order changes."""
    a_lines = a.lines if a else ()
    b_lines = b.lines if b else ()
    pairs: list = []
    gone: list = []
    new: list = []
    changes: list = []
    reflows: list = []
    sm = difflib.SequenceMatcher(None, [ln.text for ln in a_lines], [ln.text for ln in b_lines], autojunk=False)
    opcodes = sm.get_opcodes()
    elsewhere = _read_elsewhere(a_lines, b_lines, opcodes)
    for j, i in elsewhere.items():
        pairs.extend((x, y, j) for x, y in zip(a_lines[i].glyphs, b_lines[j].glyphs))
    paired = set(elsewhere.values())
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            for k, (la, lb) in enumerate(zip(a_lines[i1:i2], b_lines[j1:j2])):
                pairs.extend((x, y, j1 + k) for x, y in zip(la.glyphs, lb.glyphs))
            continue
        ia = [i for i in range(i1, i2) if i not in paired]
        jb = [j for j in range(j1, j2) if j not in elsewhere]
        if not ia and not jb:
            continue
        found = _run_diff([a_lines[i] for i in ia], [b_lines[j] for j in jb], ia[0] if ia else i1,
                          jb or [j1], pairs, gone, new)
        (reflows if isinstance(found, Reflow) else changes).append(found)
    return pairs, gone, new, changes, reflows, _order_changes(a_lines, b_lines, elsewhere)


def merge_boxes(glyphs: list[Glyph]) -> tuple:
    """Glyph boxes, with runs of neighbouring glyphs on one baseline merged into one box."""
    out: list[list] = []
    last: Glyph | None = None
    for g in sorted(glyphs, key=lambda g: g.index):
        if (last is not None and abs(g.y - last.y) < 0.01 and g.size == last.size
                and -0.5 * g.size <= g.bbox[0] - out[-1][2] <= 0.5 * g.size):
            box = out[-1]
            out[-1] = [min(box[0], g.bbox[0]), min(box[1], g.bbox[1]), max(box[2], g.bbox[2]), max(box[3], g.bbox[3])]
        else:
            out.append(list(g.bbox))
        last = g
    return tuple(tuple(round(v, 2) for v in box) for box in out)


def page_boxes(a: PageText | None, b: PageText | None, tol: Tolerance) -> tuple[BoxChange, ...]:
    if a is None or b is None:
        return ()
    out = []
    for name in sorted(set(a.boxes) | set(b.boxes)):
        va, vb = a.boxes.get(name), b.boxes.get(name)
        if va is None or vb is None or any(abs(x - y) > max(tol.position, 0.001) for x, y in zip(va, vb)):
            out.append(BoxChange(name, va, vb))
    if a.rotate != b.rotate:
        out.append(BoxChange("Rotate", a.rotate, b.rotate))
    return tuple(out)


def move_runs(moves: list[tuple[Move, int, Glyph]]) -> tuple[MoveRun, ...]:
    """Moves gathered by B line; neighbouring lines that moved by the same (dx, dy) join one run."""
    by_line: dict[int, list[tuple[Move, Glyph]]] = {}
    for m, line, g in moves:
        by_line.setdefault(line, []).append((m, g))
    runs: list[MoveRun] = []
    for line in sorted(by_line):
        items = by_line[line]
        dx = [round(m.b[0] - m.a[0], 2) + 0.0 for m, _ in items]
        dy = [round(m.b[1] - m.a[1], 2) + 0.0 for m, _ in items]
        box = union(g.bbox for _, g in items)
        run = MoveRun(line + 1, line + 1, len(items), (min(dx), max(dx)), (min(dy), max(dy)), box)
        last = runs[-1] if runs else None
        if (last is not None and last.last_line == line and last.uniform and run.uniform
                and last.dx == run.dx and last.dy == run.dy):
            runs[-1] = MoveRun(last.first_line, line + 1, last.count + run.count, last.dx, last.dy,
                               union([last.bbox, box]))
        else:
            runs.append(run)
    return tuple(runs)


def _grouped(found: dict, make) -> tuple:
    return tuple(make(key, gs) for key, gs in sorted(found.items(), key=lambda kv: (-len(kv[1]), str(kv[0]))))


def _sample(gs) -> str:
    """The first characters concerned, as they read (repeats kept: 新时代新作为, not 新时代作为)."""
    return "".join(g.ch for g in sorted(gs, key=lambda g: g.index)[:12])


def _glyph_findings(pairs, tol: Tolerance):
    moves: list = []
    fonts: dict = {}
    colors: dict = {}
    marked: list = []
    for ga, gb, line in pairs:
        d = math.hypot(gb.x - ga.x, gb.y - ga.y)
        hit = False
        if d > tol.position:
            moves.append((Move(gb.ch, (ga.x, ga.y), (gb.x, gb.y), round(d, 4)), line, gb))
            hit = True
        if ga.font != gb.font or abs(ga.size - gb.size) > 0.001:
            fonts.setdefault((ga.font, gb.font, ga.size, gb.size), []).append(gb)
            hit = True
        if tol.rgb_differs(ga.color, gb.color):
            colors.setdefault((line, ga.color, gb.color), []).append(gb)
            hit = True
        if hit:
            marked.append(gb)
    font_changes = _grouped(fonts, lambda k, gs: FontChange(k[0], k[1], k[2], k[3], len(gs), _sample(gs), (gs[0].x, gs[0].y)))
    color_changes = tuple(ColorChange("text", a, b, len(gs), _sample(gs), union(g.bbox for g in gs), gs[0].bbox)
                          for (_line, a, b), gs in sorted(colors.items(), key=lambda kv: kv[0][0]))
    return moves, font_changes, color_changes, marked


def _moved_or_resized(a: tuple, b: tuple, tolerance: float) -> str:
    """"moved dx … dy … mm", "resized w … → … mm" (a size change is one, not a move by 0), or both."""
    mm = 25.4 / 72
    dx, dy = b[0] - a[0], b[1] - a[1]
    wa, ha, wb, hb = a[2] - a[0], a[3] - a[1], b[2] - b[0], b[3] - b[1]
    parts = []
    if abs(dx) > tolerance or abs(dy) > tolerance:
        parts.append(f"moved dx {dx:+.2f} dy {dy:+.2f} pt ({dx * mm:+.2f}, {dy * mm:+.2f} mm)")
    for name, was, now in (("w", wa, wb), ("h", ha, hb)):
        if abs(now - was) > tolerance:
            parts.append(f"{name} {was * mm:.2f} → {now * mm:.2f} mm ({(now - was):+.2f} pt)")
    if parts and not parts[0].startswith("moved"):
        parts[0] = "resized " + parts[0]
    return ", ".join(parts) or "moved"


def compare_shapes(a: PageText | None, b: PageText | None, tol: Tolerance):
    """Paths and pictures paired in drawing order by kind: moved, recoloured, re-stroked, replaced."""
    sa, sb = (a.shapes if a else ()), (b.shapes if b else ())
    changes: list = []
    colors: list = []
    sm = difflib.SequenceMatcher(None, [s.kind for s in sa], [s.kind for s in sb], autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag != "equal":
            changes.extend(ShapeChange(s.kind, "removed", s.bbox, None) for s in sa[i1:i2])
            changes.extend(ShapeChange(s.kind, "added", None, s.bbox) for s in sb[j1:j2])
            continue
        for x, y in zip(sa[i1:i2], sb[j1:j2]):
            if any(abs(p - q) > tol.position for p, q in zip(x.bbox, y.bbox)):
                changes.append(ShapeChange(x.kind, _moved_or_resized(x.bbox, y.bbox, tol.position), x.bbox, y.bbox))
            if abs(x.width - y.width) > tol.position:
                changes.append(ShapeChange(x.kind, f"line width {x.width:g} → {y.width:g} pt", x.bbox, y.bbox))
            if x.data != y.data:
                changes.append(ShapeChange(x.kind, "picture content", x.bbox, y.bbox))
            for what in ("fill", "stroke"):
                ca, cb = getattr(x, what), getattr(y, what)
                if tol.rgb_differs(ca, cb):
                    colors.append(ColorChange(f"{x.kind} {what}", ca, cb, 1, "", y.bbox))
    return tuple(changes), tuple(colors)


def compare_pages(a: PageText | None, b: PageText | None, tol: Tolerance | float = Tolerance(),
                  pixels=None, number: int | None = None, numbers: tuple = (None, None)) -> PageDiff:
    """Compare one page of A with one of B (either may be missing)."""
    if not isinstance(tol, Tolerance):
        tol = Tolerance(position=tol)
    pairs, gone, new, changes, reflows, order = align_text(a, b)
    moves, fonts, glyph_colors, marked = _glyph_findings(pairs, tol)
    shapes, shape_colors = compare_shapes(a, b, tol)
    largest = tuple(sorted((m for m, _, _ in moves), key=lambda m: -m.distance)[:LARGEST_MOVES])
    shifts = Counter((round(m.b[0] - m.a[0], 2) + 0.0, round(m.b[1] - m.a[1], 2) + 0.0) for m, _, _ in moves)
    page = b if b is not None else a
    na = numbers[0] if numbers[0] is not None else (a.number if a else None)
    nb = numbers[1] if numbers[1] is not None else (b.number if b else None)
    return PageDiff(
        number=number or (nb or na or 0), in_a=a is not None, in_b=b is not None,
        boxes=page_boxes(a, b, tol), text=tuple(changes), reflows=tuple(reflows), moved=len(moves),
        largest_moves=largest, shifts=tuple(shifts.most_common(5)), runs=move_runs(moves), fonts=fonts,
        colors=glyph_colors + shape_colors, shapes=shapes, pixels=pixels, order=order,
        changed=merge_boxes(list(new) + marked), removed=merge_boxes(gone),
        origin=page.origin if page else (0.0, 0.0), trim=page.trim_origin if page else (0.0, 0.0),
        size=(page.width, page.height) if page else (0.0, 0.0), a_number=na, b_number=nb)
