"""Compare two rendered PDFs page by page: text, line breaks, glyph positions, fonts, boxes, pixels.

    report = diff_pdfs("golden.pdf", "out/page.pdf", tolerance=0.01)
    if not report.equal:
        print(report.summary())

Per page (page n of A against page n of B):

- text: the pages' lines (`readback.group_lines`, content order) are aligned with difflib; a run
  of lines that differs is a *reflow* when its text is the same once the breaks (and white
  space) are taken out, else a *text change* (lines removed / added);
- glyphs are paired along that alignment (line for line where lines are equal, character by
  character inside a differing run); a pair whose origins are more than `tolerance` pt apart has
  *moved*, a pair whose font (subset tag stripped) or size differs is a *font change*;
- page boxes (MediaBox, CropBox, TrimBox, BleedBox, ArtBox) and /Rotate are compared as numbers;
- both pages are rasterised at `dpi` (pdfium) and the fraction of pixels differing by more than
  `PIXEL_LEVEL` in any channel is compared with `pixel_threshold`.

A page is equal when none of these found anything (pixels: fraction ≤ threshold).
The report is frozen dataclasses; rectangles are (x0, top, x1, bottom) in pt from the page's
top-left corner, in the coordinates of the glyphs (MediaBox origin).
"""
from __future__ import annotations

import difflib
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .readback import Glyph, Line, PageText, read_pdf

PIXEL_LEVEL = 32  # a pixel differs when some channel differs by more than this (of 255)
CELL = 8  # px: pixel differences are gathered into regions on a grid of cells this size
MAX_REGIONS = 500
LARGEST_MOVES = 10
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class TextChange:
    """Lines of A replaced by lines of B (either side may be empty). Line numbers are 1-based."""

    a_line: int
    b_line: int
    removed: tuple[str, ...]
    added: tuple[str, ...]
    edits: tuple[tuple[str, str], ...] = ()  # character-level (was, now) pairs

    @property
    def kind(self) -> str:
        return "added" if not self.removed else "removed" if not self.added else "changed"


@dataclass(frozen=True)
class Reflow:
    """The same text broken into lines differently."""

    a_line: int
    b_line: int
    a_lines: tuple[str, ...]
    b_lines: tuple[str, ...]


@dataclass(frozen=True)
class Move:
    ch: str
    a: tuple[float, float]  # origin (x, baseline) in A
    b: tuple[float, float]  # origin in B
    distance: float


@dataclass(frozen=True)
class FontChange:
    """Glyphs set in another font (or size): how many, which characters, where the first is in B."""

    a_font: str
    b_font: str
    a_size: float
    b_size: float
    count: int
    sample: str
    at: tuple[float, float]


@dataclass(frozen=True)
class BoxChange:
    name: str  # MediaBox, CropBox, TrimBox, BleedBox, ArtBox, Rotate
    a: tuple | int | None
    b: tuple | int | None


@dataclass(frozen=True)
class PixelDiff:
    dpi: float
    differing: int
    total: int
    threshold: float
    regions: tuple[tuple[float, float, float, float], ...]  # pt

    @property
    def fraction(self) -> float:
        return self.differing / self.total if self.total else 0.0

    @property
    def exceeds(self) -> bool:
        return self.fraction > self.threshold


@dataclass(frozen=True)
class PageDiff:
    number: int  # 1-based
    in_a: bool = True
    in_b: bool = True
    boxes: tuple[BoxChange, ...] = ()
    text: tuple[TextChange, ...] = ()
    reflows: tuple[Reflow, ...] = ()
    moved: int = 0  # glyphs moved by more than the tolerance
    largest_moves: tuple[Move, ...] = ()
    shifts: tuple[tuple[tuple[float, float], int], ...] = ()  # most common (dx, dy) among moves
    fonts: tuple[FontChange, ...] = ()
    pixels: PixelDiff | None = None
    changed: tuple[tuple[float, float, float, float], ...] = ()  # B glyph boxes to highlight
    removed: tuple[tuple[float, float, float, float], ...] = ()  # A glyph boxes gone from B
    origin: tuple[float, float] = (0.0, 0.0)  # B's CropBox top-left in glyph coordinates
    size: tuple[float, float] = (0.0, 0.0)  # B's page size (A's if B lacks the page)

    @property
    def equal(self) -> bool:
        return (self.in_a and self.in_b and not (self.boxes or self.text or self.reflows or self.moved
                                                 or self.fonts)
                and not (self.pixels is not None and self.pixels.exceeds))


@dataclass(frozen=True)
class DiffReport:
    a: str
    b: str
    tolerance: float
    pixel_threshold: float
    dpi: float
    pages: tuple[PageDiff, ...]
    page_counts: tuple[int, int]
    # page number → (A image, B image), kept for differing pages when asked (diff images, HTML)
    renders: dict = field(default_factory=dict, compare=False, repr=False, hash=False)

    @property
    def equal(self) -> bool:
        return self.page_counts[0] == self.page_counts[1] and all(p.equal for p in self.pages)

    @property
    def differing(self) -> tuple[PageDiff, ...]:
        return tuple(p for p in self.pages if not p.equal)

    def summary(self, max_items: int = 12) -> str:
        return summarise(self, max_items)


def _norm(text: str) -> str:
    return _SPACE.sub("", text)


def _pairs_and_text(a: PageText | None, b: PageText | None):
    """Align the pages' lines; return glyph pairs, unmatched glyphs and the text findings."""
    a_lines: tuple[Line, ...] = a.lines if a else ()
    b_lines: tuple[Line, ...] = b.lines if b else ()
    pairs: list[tuple[Glyph, Glyph]] = []
    gone: list[Glyph] = []
    new: list[Glyph] = []
    changes: list[TextChange] = []
    reflows: list[Reflow] = []
    sm = difflib.SequenceMatcher(None, [ln.text for ln in a_lines], [ln.text for ln in b_lines],
                                 autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            for la, lb in zip(a_lines[i1:i2], b_lines[j1:j2]):
                pairs.extend(zip(la.glyphs, lb.glyphs))
            continue
        ra, rb = a_lines[i1:i2], b_lines[j1:j2]
        ta, tb = tuple(ln.text for ln in ra), tuple(ln.text for ln in rb)
        ga = [g for ln in ra for g in ln.glyphs]
        gb = [g for ln in rb for g in ln.glyphs]
        edits = []
        cm = difflib.SequenceMatcher(None, [g.ch for g in ga], [g.ch for g in gb], autojunk=False)
        for ctag, c1, c2, d1, d2 in cm.get_opcodes():
            if ctag == "equal":
                pairs.extend(zip(ga[c1:c2], gb[d1:d2]))
            else:
                gone.extend(ga[c1:c2])
                new.extend(gb[d1:d2])
                edits.append(("".join(g.ch for g in ga[c1:c2]), "".join(g.ch for g in gb[d1:d2])))
        if ta and tb and _norm("".join(ta)) == _norm("".join(tb)):
            reflows.append(Reflow(i1 + 1, j1 + 1, ta, tb))
        else:
            changes.append(TextChange(i1 + 1, j1 + 1, ta, tb,
                                      tuple(e for e in edits if _norm(e[0]) or _norm(e[1]))))
    return pairs, gone, new, changes, reflows


def _merge_boxes(glyphs: list[Glyph]) -> tuple:
    """Glyph boxes, with runs of neighbouring glyphs on one baseline merged into one box."""
    out: list[list] = []
    last: Glyph | None = None
    for g in sorted(glyphs, key=lambda g: g.index):
        if (last is not None and abs(g.y - last.y) < 0.01 and g.size == last.size
                and -0.5 * g.size <= g.bbox[0] - out[-1][2] <= 0.5 * g.size):
            box = out[-1]
            out[-1] = [min(box[0], g.bbox[0]), min(box[1], g.bbox[1]),
                       max(box[2], g.bbox[2]), max(box[3], g.bbox[3])]
        else:
            out.append(list(g.bbox))
        last = g
    return tuple(tuple(round(v, 2) for v in box) for box in out)


def _boxes(a: PageText | None, b: PageText | None) -> tuple[BoxChange, ...]:
    if a is None or b is None:
        return ()
    out = []
    for name in sorted(set(a.boxes) | set(b.boxes)):
        va, vb = a.boxes.get(name), b.boxes.get(name)
        if va is None or vb is None or any(abs(x - y) > 0.001 for x, y in zip(va, vb)):
            out.append(BoxChange(name, va, vb))
    if a.rotate != b.rotate:
        out.append(BoxChange("Rotate", a.rotate, b.rotate))
    return tuple(out)


def compare_pages(a: PageText | None, b: PageText | None, tolerance: float = 0.01,
                  pixels: PixelDiff | None = None, number: int | None = None) -> PageDiff:
    """Compare one page of A with one of B (either may be missing)."""
    pairs, gone, new, changes, reflows = _pairs_and_text(a, b)
    moves, fonts = [], {}
    highlight = list(new)
    for ga, gb in pairs:
        d = math.hypot(gb.x - ga.x, gb.y - ga.y)
        marked = False
        if d > tolerance:
            moves.append(Move(gb.ch, (ga.x, ga.y), (gb.x, gb.y), round(d, 4)))
            marked = True
        if ga.font != gb.font or abs(ga.size - gb.size) > 0.001:
            key = (ga.font, gb.font, ga.size, gb.size)
            fonts.setdefault(key, []).append(gb)
            marked = True
        if marked:
            highlight.append(gb)
    largest = tuple(sorted(moves, key=lambda m: -m.distance)[:LARGEST_MOVES])
    shifts = Counter((round(m.b[0] - m.a[0], 2) + 0.0, round(m.b[1] - m.a[1], 2) + 0.0) for m in moves)
    font_changes = tuple(
        FontChange(fa, fb, sa, sb, len(gs), "".join(dict.fromkeys(g.ch for g in gs))[:12], (gs[0].x, gs[0].y))
        for (fa, fb, sa, sb), gs in sorted(fonts.items(), key=lambda kv: -len(kv[1])))
    page = b if b is not None else a
    return PageDiff(
        number=number or (page.number if page else 0), in_a=a is not None, in_b=b is not None,
        boxes=_boxes(a, b), text=tuple(changes), reflows=tuple(reflows), moved=len(moves),
        largest_moves=largest, shifts=tuple(shifts.most_common(5)), fonts=font_changes, pixels=pixels,
        changed=_merge_boxes(highlight), removed=_merge_boxes(gone),
        origin=page.origin if page else (0.0, 0.0), size=(page.width, page.height) if page else (0.0, 0.0))


def pixel_diff(img_a, img_b, dpi: float, threshold: float, origin=(0.0, 0.0)) -> tuple[PixelDiff, object]:
    """Compare two page images (PIL); returns the PixelDiff and the difference mask (mode L)."""
    from PIL import Image, ImageChops

    w, h = max(img_a.width, img_b.width), max(img_a.height, img_b.height)

    def padded(img):
        if img.size == (w, h):
            return img
        canvas = Image.new("RGB", (w, h), "white")
        canvas.paste(img, (0, 0))
        return canvas

    diff = ImageChops.difference(padded(img_a), padded(img_b))
    r, g, b_ = diff.split()
    mask = ImageChops.lighter(ImageChops.lighter(r, g), b_).point(lambda v: 255 if v > PIXEL_LEVEL else 0)
    differing = mask.histogram()[255]
    regions = _regions(mask, dpi, origin) if differing else ()
    return PixelDiff(dpi, differing, w * h, threshold, regions), mask


def _regions(mask, dpi: float, origin) -> tuple:
    """Connected groups of differing CELL×CELL cells, as rectangles in pt (largest first)."""
    cols, rows = math.ceil(mask.width / CELL), math.ceil(mask.height / CELL)
    cells = mask.reduce(CELL) if mask.width % CELL == 0 and mask.height % CELL == 0 else \
        mask.crop((0, 0, cols * CELL, rows * CELL)).reduce(CELL)
    on = {(i % cols, i // cols) for i, v in enumerate(cells.tobytes()) if v}
    boxes = []
    while on:
        start = on.pop()
        stack, x0, y0, x1, y1 = [start], start[0], start[1], start[0], start[1]
        while stack:
            cx, cy = stack.pop()
            x0, y0, x1, y1 = min(x0, cx), min(y0, cy), max(x1, cx), max(y1, cy)
            for dx in (-1, 0, 1):
                for dy in (-1, 0, 1):
                    n = (cx + dx, cy + dy)
                    if n in on:
                        on.remove(n)
                        stack.append(n)
        boxes.append((x0, y0, x1 + 1, y1 + 1))
    px = 72 / dpi
    out = []
    for x0, y0, x1, y1 in boxes:
        out.append((round(x0 * CELL * px + origin[0], 2), round(y0 * CELL * px + origin[1], 2),
                    round(min(x1 * CELL, mask.width) * px + origin[0], 2),
                    round(min(y1 * CELL, mask.height) * px + origin[1], 2)))
    out.sort(key=lambda r: (-(r[2] - r[0]) * (r[3] - r[1]), r[1], r[0]))
    return tuple(out[:MAX_REGIONS])


def diff_pdfs(a: Path | str | bytes, b: Path | str | bytes, *, tolerance: float = 0.01,
              pixel_threshold: float = 0.0, dpi: float = 100, pixels: bool = True,
              keep_renders: bool = False, names: tuple[str, str] | None = None) -> DiffReport:
    """Compare PDF A (the reference) with PDF B (the candidate); see the module's doc."""
    from .raster import Raster, check_dpi

    if tolerance < 0:
        raise ValueError("tolerance must not be negative")
    if pixels:
        check_dpi(dpi)
    name_a, name_b = names or (_label(a), _label(b))
    a, b = _readable(a), _readable(b)
    pages_a = read_pdf(a, name_a)
    pages_b = read_pdf(b, name_b)
    renders: dict = {}
    out = []
    ra = rb = None
    try:
        if pixels:
            ra, rb = Raster(a, name_a), Raster(b, name_b)
        for i in range(max(len(pages_a), len(pages_b))):
            pa = pages_a[i] if i < len(pages_a) else None
            pb = pages_b[i] if i < len(pages_b) else None
            img_a = ra.page(i, dpi) if ra is not None and pa is not None else None
            img_b = rb.page(i, dpi) if rb is not None and pb is not None else None
            pix = None
            if img_a is not None and img_b is not None:
                pix, _mask = pixel_diff(img_a, img_b, dpi, pixel_threshold, (pb or pa).origin)
            page = compare_pages(pa, pb, tolerance, pix, i + 1)
            out.append(page)
            if keep_renders and not page.equal:
                renders[i + 1] = (img_a, img_b)
    finally:
        for r in (ra, rb):
            if r is not None:
                r.close()
    return DiffReport(name_a, name_b, tolerance, pixel_threshold, dpi, tuple(out),
                      (len(pages_a), len(pages_b)), renders)


def _readable(source):
    """A pipe or other non-regular file (`<(git show HEAD:golden.pdf)`) is read once, into bytes."""
    if not isinstance(source, bytes):
        path = Path(source)
        if path.exists() and not path.is_file() and not path.is_dir():
            return path.read_bytes()
    return source


def _label(source) -> str:
    return "PDF data" if isinstance(source, bytes) else str(source)


# ---- the text summary ------------------------------------------------------------------------

def _pt(v: float) -> str:
    return f"{v + 0.0:.2f}"


def _xy(p) -> str:
    return f"({_pt(p[0])}, {_pt(p[1])})"


def _box_text(v) -> str:
    if v is None:
        return "none"
    if isinstance(v, int):
        return str(v)
    return "[" + " ".join(_pt(x) for x in v) + "]"


def _quote(text: str, limit: int = 60) -> str:
    return '"' + (text if len(text) <= limit else text[:limit - 1] + "…") + '"'


def _edit(was: str, now: str) -> str:
    if not was:
        return f"+{_quote(now, 12)}"
    if not now:
        return f"-{_quote(was, 12)}"
    return f"{_quote(was, 12)}→{_quote(now, 12)}"


def summarise(report: DiffReport, max_items: int = 12) -> str:
    n_diff = len(report.differing)
    head = (f"{report.a} → {report.b}: "
            + ("EQUAL" if report.equal else "DIFFERENT")
            + f" (tolerance {report.tolerance:g} pt, pixel threshold {report.pixel_threshold:g})")
    lines = [head]
    if report.page_counts[0] != report.page_counts[1]:
        lines.append(f"  pages: {report.page_counts[0]} → {report.page_counts[1]}")
    if report.equal:
        total = sum(len(p.changed) for p in report.pages)
        lines.append(f"  {len(report.pages)} page(s) equal" + (f" ({total} highlights)" if total else ""))
        return "\n".join(lines)
    lines.append(f"  {n_diff} of {len(report.pages)} page(s) differ")
    for p in report.differing:
        lines.append(f"page {p.number}:")
        if not p.in_a:
            lines.append("  page added in B")
        if not p.in_b:
            lines.append("  page removed in B")
        for bc in p.boxes:
            lines.append(f"  {bc.name}: {_box_text(bc.a)} → {_box_text(bc.b)}")
        shown = 0
        for tc in p.text:
            if shown >= max_items:
                lines.append(f"  … {len(p.text) - shown} more text changes")
                break
            shown += 1
            edits = ", ".join(_edit(w, n) for w, n in tc.edits[:4])
            lines.append(f"  text {tc.kind} at line {tc.a_line} of A / {tc.b_line} of B"
                         + (f": {edits}" if edits else ""))
            for t in tc.removed[:max_items]:
                lines.append(f"    - {_quote(t)}")
            if len(tc.removed) > max_items:
                lines.append(f"    - … {len(tc.removed) - max_items} more lines")
            for t in tc.added[:max_items]:
                lines.append(f"    + {_quote(t)}")
            if len(tc.added) > max_items:
                lines.append(f"    + … {len(tc.added) - max_items} more lines")
        for rf in p.reflows[:max_items]:
            lines.append(f"  reflowed: lines {rf.a_line}–{rf.a_line + len(rf.a_lines) - 1} of A → "
                         f"{rf.b_line}–{rf.b_line + len(rf.b_lines) - 1} of B "
                         f"({len(rf.a_lines)} → {len(rf.b_lines)} lines, same text, different breaks)")
            for ta, tb in zip(rf.a_lines, rf.b_lines):
                if ta != tb:
                    lines.append(f"    first different break: {_quote(ta)} → {_quote(tb)}")
                    break
        if len(p.reflows) > max_items:
            lines.append(f"  … {len(p.reflows) - max_items} more reflows")
        if p.moved:
            shifts = ", ".join(f"{n} by ({_pt(dx)}, {_pt(dy)})" for (dx, dy), n in p.shifts[:3])
            lines.append(f"  moved: {p.moved} glyphs beyond {report.tolerance:g} pt; most common: {shifts}")
            for m in p.largest_moves[:5]:
                lines.append(f"    {m.ch!r} {_xy(m.a)} → {_xy(m.b)}  {_pt(m.distance)} pt")
        for fc in p.fonts[:max_items]:
            size = f" {fc.a_size:g}→{fc.b_size:g} pt" if fc.a_size != fc.b_size else ""
            lines.append(f"  font: {fc.count} glyphs {fc.a_font} → {fc.b_font}{size} "
                         f"(e.g. {_quote(fc.sample, 12)}, first at {_xy(fc.at)})")
        if p.pixels is not None and p.pixels.differing:
            px = p.pixels
            verdict = "over" if px.exceeds else "within"
            lines.append(f"  pixels: {px.fraction:.4%} differ at {px.dpi:g} dpi ({px.differing} of {px.total}, "
                         f"{verdict} threshold {px.threshold:g}); {len(px.regions)} region(s)")
    return "\n".join(lines)
