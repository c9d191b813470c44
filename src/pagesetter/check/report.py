"""A diff's whole report (`DiffReport`: the pages' findings, check/diffmodel.py, with the files'
names and the tolerances) and its text: one short section per differing page, each finding with
its place — page, story and frame and article line (when the report knows B's layout), and the
region in mm from the trim's top-left — capped at `max_lines` with a pointer to the full report."""
from __future__ import annotations

from dataclasses import field

from ..records import record
from .diffmodel import PageDiff
from .docmeta import DocChange
from .tolerance import Tolerance
from .where import MM, EditionMap, PageMap, mm_box


@record
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
    tol: Tolerance = Tolerance()
    places: PageMap | EditionMap | None = field(default=None, compare=False, repr=False, hash=False)
    identical: bool = False  # the files' bytes are the same
    document: tuple[DocChange, ...] = ()  # title, dates, language, output intent … (check/docmeta.py)

    @property
    def equal(self) -> bool:
        return (self.page_counts[0] == self.page_counts[1] and not self.document
                and all(p.equal for p in self.pages))

    @property
    def differing(self) -> tuple[PageDiff, ...]:
        return tuple(p for p in self.pages if not p.equal)

    def place(self, box, page: PageDiff) -> str:
        """The story, frame and article line at `box` on `page`; "" when B's layout is not known."""
        return self.places.box(box, page.trim, page.b_number).describe() if self.places is not None else ""

    def summary(self, max_items: int = 12, max_lines: int | None = None, full_report: str | None = None) -> str:
        return summarise(self, max_items, max_lines, full_report)



def _pt(v: float) -> str:
    return f"{v + 0.0:.2f}"


def _xy(p) -> str:
    return f"({_pt(p[0])}, {_pt(p[1])})"


def _xy_mm(p) -> str:
    """A (dx, dy) in pt as mm."""
    return f"({p[0] * MM + 0.0:+.2f}, {p[1] * MM + 0.0:+.2f})"


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


def _rgb(c) -> str:
    return "none" if c is None else "rgb(" + ",".join(str(v) for v in c) + ")"


def _cmyk(c) -> str:
    return "[" + ",".join(f"{v:g}" for v in c) + "]"


def _where(report: DiffReport, page: PageDiff, box, first=None) -> str:
    """' (story main, frame main-2, articles/main.md:14; x 63.1 y 120.4 mm, 38.0 × 4.2 mm)': the
    place named from `first` (default: the box) and the region of `box`."""
    if box is None:
        return ""
    named = report.place(first or box, page)
    if named and first is not None:
        named = "first in " + named
    return f" ({named + '; ' if named else ''}{mm_box(box, page.trim)})"


def _text_lines(report, p: PageDiff, max_items: int) -> list[str]:
    lines = []
    for k, tc in enumerate(p.text):
        if k >= max_items:
            lines.append(f"  … {len(p.text) - k} more text changes")
            break
        edits = ", ".join(_edit(w, n) for w, n in tc.edits[:4])
        lines.append(f"  text {tc.kind} at line {tc.a_line} of A / {tc.b_line} of B{_where(report, p, tc.bbox)}"
                     + (f": {edits}" if edits else ""))
        for sign, texts in (("-", tc.removed), ("+", tc.added)):
            lines.extend(f"    {sign} {_quote(t)}" for t in texts[:max_items])
            if len(texts) > max_items:
                lines.append(f"    {sign} … {len(texts) - max_items} more lines")
    for oc in p.order[:max_items]:
        was = f"after {_quote(oc.after_a, 20)}" if oc.after_a else "first"
        now = f"after {_quote(oc.after_b, 20)}" if oc.after_b else "first"
        lines.append(f"  order changed: {oc.count} line{'s' if oc.count != 1 else ''} from {_quote(oc.first, 20)} "
                     f"now read {now} (was {was}); text and place unchanged{_where(report, p, oc.bbox)}")
    if len(p.order) > max_items:
        lines.append(f"  … {len(p.order) - max_items} more order changes")
    for rf in p.reflows[:max_items]:
        lines.append(f"  reflowed: lines {rf.a_line}–{rf.a_line + len(rf.a_lines) - 1} of A → "
                     f"{rf.b_line}–{rf.b_line + len(rf.b_lines) - 1} of B "
                     f"({len(rf.a_lines)} → {len(rf.b_lines)} lines, same text, different breaks)"
                     + _where(report, p, rf.bbox))
        first = next(((ta, tb) for ta, tb in zip(rf.a_lines, rf.b_lines) if ta != tb), None)
        if first:
            lines.append(f"    first different break: {_quote(first[0])} → {_quote(first[1])}")
    if len(p.reflows) > max_items:
        lines.append(f"  … {len(p.reflows) - max_items} more reflows")
    return lines


def _span(lo: float, hi: float) -> str:
    return _pt(lo) if lo == hi else f"{_pt(lo)}…{_pt(hi)}"


def _move_lines(report, p: PageDiff, max_items: int) -> list[str]:
    if not p.moved:
        return []
    lines = [f"  moved: {p.moved} glyphs beyond {report.tol.position:g} pt"]
    for run in p.runs[:max_items]:
        which = (f"line {run.first_line}" if run.first_line == run.last_line
                 else f"lines {run.first_line}–{run.last_line}")
        how = (f"by {_xy((run.dx[0], run.dy[0]))} pt ({_xy_mm((run.dx[0], run.dy[0]))} mm)" if run.uniform
               else f"dx {_span(*run.dx)}, dy {_span(*run.dy)} pt")
        lines.append(f"    {which} of B: {run.count} glyphs {how}{_where(report, p, run.bbox)}")
    if len(p.runs) > max_items:
        lines.append(f"    … {len(p.runs) - max_items} more runs of moved lines")
    for m in p.largest_moves[:3]:
        lines.append(f"    largest: {m.ch!r} {_xy(m.a)} → {_xy(m.b)}  {_pt(m.distance)} pt ({m.distance * MM:.2f} mm)")
    return lines


def _other_lines(report, p: PageDiff, max_items: int) -> list[str]:
    lines = [f"  {bc.name}: {_box_text(bc.a)} → {_box_text(bc.b)}" for bc in p.boxes]
    for fc in p.fonts[:max_items]:
        size = f" {fc.a_size:g}→{fc.b_size:g} pt" if fc.a_size != fc.b_size else ""
        lines.append(f"  font: {fc.count} glyphs {fc.a_font} → {fc.b_font}{size} "
                     f"(e.g. {_quote(fc.sample, 12)}, first at {_xy(fc.at)})")
    if len(p.colors) > max_items:
        lines.append(f"  … {len(p.colors) - max_items} more colour changes")
    for cc in p.colors[:max_items]:
        what = f"{cc.count} glyph{'s' if cc.count != 1 else ''} of text" if cc.what == "text" else cc.what
        sample = f" e.g. {_quote(cc.sample, 12)}" if cc.sample else ""
        lines.append(f"  colour: {what} {_rgb(cc.a)} → {_rgb(cc.b)}{sample}{_where(report, p, cc.bbox, cc.first)}")
    if p.cmyk[0] or p.cmyk[1]:
        lines.append("    CMYK set only in A: " + (", ".join(_cmyk(c) for c in p.cmyk[0]) or "-")
                     + "; only in B: " + (", ".join(_cmyk(c) for c in p.cmyk[1]) or "-"))
    lines += _paint_lines(report, p, max_items)
    for sc in p.shapes[:max_items]:
        lines.append(f"  {sc.kind} {sc.change}" + _where(report, p, sc.b or sc.a))
    if p.pixels is not None and p.pixels.differing:
        px = p.pixels
        verdict = "over" if px.exceeds else "within"
        lines.append(f"  pixels: {px.fraction:.4%} differ at {px.dpi:g} dpi ({px.differing} of {px.total}, "
                     f"{verdict} threshold {px.threshold:g}); {len(px.regions)} region(s)")
        lines.extend(f"    region{_where(report, p, r)}" for r in px.regions[:min(5, max_items)])
    return lines


def _paint_lines(report, p: PageDiff, max_items: int) -> list[str]:
    """Ink, colour values and overprint as the content streams set them (check/paint.py)."""
    lines = []
    for pc in p.paint[:max_items]:
        many = "s" if pc.count != 1 else ""
        ink = f" in {pc.ink}" if pc.ink else ""
        lines.append(f"  {pc.attribute}: {pc.count} {pc.what} object{many}{ink}: {pc.a} → {pc.b}"
                     + _where(report, p, pc.bbox, pc.first))
    if len(p.paint) > max_items:
        lines.append(f"  … {len(p.paint) - max_items} more ink, colour or overprint changes")
    return lines


def _document_lines(report: DiffReport, max_items: int) -> list[str]:
    lines = [f"  document {dc.name}: {_quote(dc.a) if dc.a else '(none)'} → {_quote(dc.b) if dc.b else '(none)'}"
             for dc in report.document[:max_items]]
    if len(report.document) > max_items:
        lines.append(f"  … {len(report.document) - max_items} more document facts differ")
    return lines


def change_boxes(p: PageDiff) -> list[tuple[str, tuple]]:
    """(what, box in glyph coordinates) for every located finding of a page, in report order:
    what the HTML report lists and zooms to."""
    out: list[tuple[str, tuple]] = []
    out += [(f"text {tc.kind} " + ", ".join(_edit(w, n) for w, n in tc.edits[:2]), tc.bbox) for tc in p.text if tc.bbox]
    out += [(f"order changed: {_quote(oc.first, 20)}", oc.bbox) for oc in p.order]
    out += [(f"reflowed ({len(rf.a_lines)} → {len(rf.b_lines)} lines)", rf.bbox) for rf in p.reflows if rf.bbox]
    out += [(f"moved dx {_span(*run.dx)}, dy {_span(*run.dy)} pt", run.bbox) for run in p.runs]
    out += [(f"font {fc.a_font} → {fc.b_font}", (fc.at[0], fc.at[1] - fc.b_size, fc.at[0] + fc.b_size, fc.at[1]))
            for fc in p.fonts]
    out += [(f"colour {cc.what} {_rgb(cc.a)} → {_rgb(cc.b)}", cc.first or cc.bbox) for cc in p.colors]
    out += [(f"{pc.attribute}: {pc.what} {pc.a} → {pc.b}", pc.first) for pc in p.paint]
    out += [(f"{sc.kind} {sc.change}", box) for sc in p.shapes if (box := sc.b or sc.a)]
    if p.pixels is not None and p.pixels.exceeds:
        out += [("pixels differ", r) for r in p.pixels.regions]
    return out


def _page_lines(report: DiffReport, p: PageDiff, max_items: int) -> list[str]:
    if not p.in_a:
        text = p.text[0].added[0] if p.text and p.text[0].added else ""
        return [f"page {p.b_number} inserted" + (f": {_quote(text, 30)}" if text else "")]
    if not p.in_b:
        return [f"page {p.a_number} deleted"]
    head = f"page {p.number}:" if p.a_number == p.b_number else f"page {p.number} (page {p.a_number} of A):"
    if p.moved_from is not None:
        head = f"page {p.a_number} of A moved to page {p.b_number}" + (":" if not _equal_content(p) else "")
    body = _text_lines(report, p, max_items) + _move_lines(report, p, max_items) + _other_lines(report, p, max_items)
    return [head] + body


def _equal_content(p: PageDiff) -> bool:
    from dataclasses import replace

    return replace(p, moved_from=None).equal


def summarise(report: DiffReport, max_items: int = 12, max_lines: int | None = None,
              full_report: str | None = None) -> str:
    verdict = "EQUAL" if report.equal else "DIFFERENT"
    lines = [f"{report.a} → {report.b}: {verdict} ({report.tol.describe()})"]
    if report.identical:
        lines.append(f"  identical files ({len(report.pages)} page(s))")
        return "\n".join(lines)
    lines += _document_lines(report, max_items)
    if report.page_counts[0] != report.page_counts[1]:
        lines.append(f"  pages: {report.page_counts[0]} → {report.page_counts[1]}")
    for p in report.differing:
        lines.extend(_page_lines(report, p, max_items))
    equal = len(report.pages) - len(report.differing)
    if equal:
        lines.append(f"  {equal} page(s) equal")
    if max_lines and len(lines) > max_lines:
        more = len(lines) - max_lines
        lines = lines[:max_lines] + [f"… {more} more lines"
                                     + (f": the full report is {full_report}" if full_report else "")]
    return "\n".join(lines)
