"""Render PageLayouts to PDF bytes with ReportLab — the only package that imports it.

    data = render_pdf([layout], faces)          # one page, or an edition's pages, fonts shared

ReportLab writes the pages; the fonts are ours (render.fontobjects: Type0/CID fonts straight from
the face's CFF or TrueType program, one subset per face for the whole document). Text is drawn
line by line in the layout's order (reading order) with each run's 2-byte codes, so every glyph
sits exactly where layout put it and readers extract the articles in order.
Output is byte-identical for identical input (Canvas invariant mode, fixed metadata).
"""
from __future__ import annotations

import io
from dataclasses import replace
import struct
from itertools import repeat
from operator import truediv
from typing import TYPE_CHECKING, Sequence
from types import SimpleNamespace

from reportlab import rl_config
from reportlab.lib.colors import CMYKColor, CMYKColorSep
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import xObjectName

from ..records import record
from ..fonts.subset import FontProgram, font_program
from ..layout.model import Image, PageLayout, Pen, Rect, Rule, TextLine, is_spot, overprints
from ..text.justify import GlyphRun
from .fontobjects import PDF_PIECES, add_font
from .imageobjects import image_name
from .pictures import Press, prepare_picture
from .standards import DocMeta, apply as apply_standards, finish
from .layers import PlaceholderLayer
from .rlcanvas import canvas_class
from .structure import Tagger, artifact
from .streams import mark as mark_streams
from . import names as _names  # noqa: F401 (PDF names written per ISO 32000 §7.3.5: render.names)

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

rl_config.useA85 = 0  # no ASCII85 anywhere: streams are Flate (or DCT) binary
rl_config.invariant = 1

# ReportLab wants an initial font; a registered "dynamic" one makes it write no font operator
# (and list no unembedded Helvetica) in each page's preamble. Our text names our own fonts.
_NO_FONT = "pagesetter-no-font"
pdfmetrics.registerFont(SimpleNamespace(fontName=_NO_FONT, _dynamicFont=True, _multiByte=False,
                                        face=SimpleNamespace(name=_NO_FONT)))


class _Chars(Pen):
    """Reads the characters each face role draws (the subsets' contents)."""

    def __init__(self) -> None:
        self.by_role: dict[str, set[str]] = {}

    def text(self, line: TextLine) -> None:
        for g in GlyphRun.of(line.glyphs).cells:
            self.by_role.setdefault(g.font, set()).add(g.ch)


def used_chars(layouts: Sequence[PageLayout]) -> dict[str, set[str]]:
    """role → the characters drawn in that role's face on any of the pages."""
    chars = _Chars()
    for layout in layouts:
        for item in layout.items:
            item.paint(chars)
    return chars.by_role


def _num(v: float) -> str:
    s = f"{v:.3f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def _text(c: Canvas, line: TextLine, job: "_Job", colors, height: float) -> None:
    """One line as BT … ET: a run of glyphs at their natural advances per Tj, each run placed
    with Tm where layout put its first glyph (justified lines are mostly one glyph per run)."""
    cmyk = colors[line.color]
    _overprint(c, overprints(cmyk))
    before, after = job.tagger.line(line, height, c._pagesize[0])
    if is_spot(cmyk):  # set through ReportLab's Separation space
        _set_color(c, cmyk)
        ops = [before, "BT"]
    else:
        ops = [before, "BT", job.glyphs.fill(cmyk)]
    _runs(line, f" {job.glyphs.num(height - line.y)} Tm", job, ops, lambda name: _paint(c, colors[name], job))
    ops += ["ET", after]
    c.addLiteral("\n".join(ops))


def _paint(c: Canvas, cmyk, job: "_Job") -> str:
    """The operators giving the glyphs that follow (inside BT … ET) their own colour and its
    overprint: a run styled in another colour than its line's (a gap note in red)."""
    if is_spot(cmyk):
        fill = f"/{c._checkSeparation(_color(cmyk))} cs 1 scn"
    else:
        fill = job.glyphs.fill(cmyk)
    return f"{_overprint_ops(c, overprints(cmyk))} {fill}"


def _runs(line: TextLine, tm_y: str, job: "_Job", ops: list[str], paint) -> None:
    """Append the line's Tf, Tm and Tj operators to `ops` (and `paint(colour name)`'s where a
    glyph's run has a colour of its own). Speed (a page's ~6,000 glyphs pass
    here): per glyph only lookups — its hex code and advance from `job.glyphs.tables`, its x
    formatted once per distinct value, the line's y once (`tm_y`) — and a run's codes gathered
    in one string."""
    tables, nums, fonts, x0 = job.glyphs.tables, job.glyphs.nums, job.fonts, line.x
    font: str | None = None  # (no font yet: the first glyph opens a run, whatever its size)
    size, end, table = 0.0, None, {}
    run = ""  # the open run's codes, as hex
    color = line.color
    glyphs = GlyphRun.of(line.glyphs)  # (its columns read directly: no record per glyph)
    spaced = glyphs.spaced  # (few lines have a word space: the others zip with a constant)
    words = [i in spaced for i in range(len(glyphs))] if spaced else repeat(False)
    for g, gx, word in zip(glyphs.cells, glyphs.xs, words):
        own = getattr(g, "color", "") or line.color
        if own != color:  # a run in a colour of its own: a new run from here
            if run:
                ops.append(f"<{run}> Tj")
            run, end, color = "", None, own
            ops.append(paint(own))
        same = g.font == font and g.size == size
        if not same and g.font != font:
            table = tables[g.font]
        code, advance = table[g.ch]
        rise = getattr(g, "rise", 0.0)
        if same and g.scale == 1.0 and not rise and end is not None and abs(gx - end) < 0.001:
            run += code
            end += advance * size
            continue
        if word and same and " " in table:
            run += table[" "][0]  # the text's own space, so readers extract it
        if run:
            ops.append(f"<{run}> Tj")
        if not same:
            font, size = g.font, g.size
            ops.append(f"/{fonts[font]} {job.glyphs.num(size)} Tf")
            if word and table is not None and " " in table:  # a word space between two faces or
                space, width = table[" "]  # sizes (10⁶ m: a fallback face's ⁶): drawn in the new one
                ops += [f"1 0 0 1 {job.glyphs.num(x0 + gx - width * size)}{tm_y}", f"<{space}> Tj"]
        x = nums.get(x0 + gx) or job.glyphs.num(x0 + gx)
        ops.append(f"1 0 0 1 {x}{tm_y}")
        run, end = code, gx
        if g.scale != 1.0:  # a dash stretched to its cell (text.measure): Tz for this glyph only
            ops += [f"{job.glyphs.num(g.scale * 100)} Tz", f"<{code}> Tj", "100 Tz"]
            run, end = "", None
            continue
        if rise:  # a script (上标、下标): Ts, the text rise, for this glyph only
            ops += [f"{job.glyphs.num(rise)} Ts", f"<{code}> Tj", "0 Ts"]
            run, end = "", None
            continue
        end += advance * size
    if run:
        ops.append(f"<{run}> Tj")


def _set_color(c: Canvas, cmyk, tint: float = 1.0, stroke: bool = False) -> None:
    """Set the fill (or stroke) colour: a spot colour through ReportLab's Separation space, a
    process colour written here — ReportLab's CMYK check (enforceColorSpace) takes any CMYK whose
    RGB equivalent is grey (C = M = Y: [1, 1, 1, 1], [0.5, 0.5, 0.5, 0]) for a grey and writes it
    as K alone."""
    if is_spot(cmyk):
        (c.setStrokeColor if stroke else c.setFillColor)(_color(cmyk, tint))
        return
    c._code.append(" ".join(_num(v * tint) for v in cmyk) + (" K" if stroke else " k"))


def _color(cmyk, tint: float = 1.0):
    """A ReportLab colour: CMYK, or a spot colour (Separation, CMYK alternate) at `tint`."""
    if is_spot(cmyk):
        return CMYKColorSep(*cmyk, spotName=cmyk.name, density=tint)
    return CMYKColor(*(v * tint for v in cmyk))


def _overprint(c: Canvas, fill: bool, stroke: bool = False) -> None:
    """Set the fill (op) and stroke (OP) overprint and the overprint mode of the object drawn
    next — every object sets its own (叠印), nothing is inherited from what was drawn before.
    Which colours overprint is `layout.model.overprints` (100 % K only; white never)."""
    c._code.append(_overprint_ops(c, fill, stroke))


def _overprint_ops(c: Canvas, fill: bool, stroke: bool = False) -> str:
    """The gs operators of `_overprint`."""
    # one gs per entry, each a one-entry ExtGState ReportLab lists in the page's resources (its
    # own setters write one only when the value changes: that would inherit the state)
    state = c._extgstate
    ops = []
    # OP first: a gs with /OP and no /op sets both (ISO 32000-1 §8.4.5), so op must come after it
    for key, value in (("OP", stroke), ("op", fill), ("OPM", 1 if fill or stroke else 0)):
        shown = str(value).lower() if isinstance(value, bool) else value
        name = state._c.setdefault((key, shown), f"gRLs{len(state._c)}")
        state._d[key] = value
        ops.append(f"/{name} gs")
    return " ".join(ops)


@record
class _Job:
    """What drawing every page of one document shares."""

    fonts: dict  # role → font resource name
    programs: dict  # role → FontProgram
    press: Press
    tagger: Tagger
    layer: PlaceholderLayer
    glyphs: "_Glyphs"  # what _text looks up per glyph


def _glyph_table(program: FontProgram) -> dict[str, tuple[str, float]]:
    """character → (f"{code:04X}", widths[code] / 1000), built at C speed (map and zip, codes
    turned to hex all at once: 2-byte codes, so each is exactly 4 upper-case hex digits)."""
    codes = list(program.codes.values())
    hexes = struct.pack(f">{len(codes)}H", *codes).hex(" ", 2).upper().split()
    advances = map(truediv, map(program.widths.__getitem__, codes), repeat(1000))
    return dict(zip(program.codes, zip(hexes, advances)))


class _Glyphs:
    """Per role and character, (its code as 4 hex digits, advance per pt of size), and
    coordinates formatted once per value. Speed: _text looks each glyph up here instead of
    formatting its code and position anew (a page has ~6,000 glyphs at fewer than 1,000 distinct
    positions); the advance is the viewer's, widths / 1000."""

    def __init__(self, programs: dict):
        self.tables = {role: _glyph_table(p) for role, p in programs.items()}
        self.nums: dict[float, str] = {}
        self._fills: dict[tuple, str] = {}

    def fill(self, cmyk) -> str:
        """The `c m y k k` operator of a process colour, formatted once per colour."""
        key = tuple(cmyk)
        s = self._fills.get(key)
        if s is None:
            s = self._fills[key] = " ".join(_num(v) for v in cmyk) + " k"
        return s

    def num(self, v: float) -> str:
        """_num(v), memoised (in `nums`)."""
        s = self.nums.get(v)
        if s is None:
            s = self.nums[v] = _num(v)
        return s


def _placeholder(c: Canvas, im: Image, y: float, job: _Job) -> None:
    """An empty slot (占位): tinted, outlined and crossed, on the not-for-press layer of its page's
    view state (render.layers), an artifact (no picture to describe)."""
    layer_in, layer_out = job.layer.wrap(c._doc)
    c.addLiteral(f"{artifact()} {layer_in}")
    _overprint(c, False, False)
    _set_color(c, (0, 0, 0, 0.08))
    _set_color(c, (0, 0, 0, 0.35), stroke=True)
    c.setLineWidth(0.5)
    c.rect(im.x, y, im.w, im.h, stroke=1, fill=1)
    c.line(im.x, y, im.x + im.w, y + im.h)
    c.line(im.x, y + im.h, im.x + im.w, y)
    c.addLiteral(f"{layer_out} EMC")


def _image(c: Canvas, im: Image, height: float, job: _Job) -> None:
    y = height - im.y - im.h
    if im.file is None:
        _placeholder(c, im, y, job)
        return
    pic = prepare_picture(im.file, im.w, im.h, job.press, im.view)
    name = image_name(c._doc, pic)
    if name not in c._formsinuse:
        c._formsinuse.append(name)
    bx, by, bw, bh = pic.box
    before, after = job.tagger.image()
    c.addLiteral(before)
    _overprint(c, False, False)  # a picture knocks out what is under it
    c.addLiteral(f"q {_num(im.x)} {_num(y)} {_num(im.w)} {_num(im.h)} re W n "
                 f"{_num(bw)} 0 0 {_num(bh)} {_num(im.x + bx)} {_num(height - im.y - by - bh)} cm "
                 f"/{xObjectName(name)} Do Q {after}")


def _rect(c: Canvas, item: Rect, colors: dict, height: float) -> None:
    """A box or a tint (底纹): an artifact; its stroke overprints if 100 % K, a fill knocks out."""
    c.addLiteral(artifact())
    c.setLineWidth(item.width)
    _overprint(c, False, bool(item.stroke) and overprints(colors[item.stroke]))
    if item.stroke:
        _set_color(c, colors[item.stroke], stroke=True)
    if item.fill:
        _set_color(c, colors[item.fill], item.tint)
    c.rect(item.x, height - item.y - item.h, item.w, item.h,
           stroke=1 if item.stroke else 0, fill=1 if item.fill else 0)
    c.addLiteral("EMC")


def _rule(c: Canvas, item: Rule, colors: dict, height: float) -> None:
    """A rule (线): an artifact, overprinting if 100 % K."""
    c.addLiteral(artifact())
    _overprint(c, False, overprints(colors[item.color]))
    _set_color(c, colors[item.color], stroke=True)
    c.setLineWidth(item.width)
    c.line(item.x0, height - item.y0, item.x1, height - item.y1)
    c.addLiteral("EMC")


class _PagePen(Pen):
    """Draws one page's items on the canvas, each as what it says it is (`Item.paint`)."""

    def __init__(self, c: Canvas, layout: PageLayout, job: _Job):
        self.c, self.job, self.colors, self.height = c, job, layout.colors, layout.trim[1]
        self.on_placeholder = False  # the item before was an empty slot: its label goes on its layer
        self.drew_placeholder = False

    def next_item(self) -> None:
        self.on_placeholder, self.drew_placeholder = self.drew_placeholder, False

    def text(self, line: TextLine) -> None:
        if self.on_placeholder and line.frame == "label":
            _label(self.c, line, self.job, self.colors, self.height)
        else:
            _text(self.c, line, self.job, self.colors, self.height)

    def image(self, image: Image) -> None:
        _image(self.c, image, self.height, self.job)
        self.drew_placeholder = image.file is None

    def rect(self, rect: Rect) -> None:
        _rect(self.c, rect, self.colors, self.height)

    def rule(self, rule: Rule) -> None:
        _rule(self.c, rule, self.colors, self.height)


def _page(c: Canvas, layout: PageLayout, job: _Job) -> None:
    width, height = layout.trim
    c.setPageSize((width, height))
    c.setTrimBox((0, 0, width, height))  # the page is set at trim size, so no bleed beyond it
    c.setBleedBox((0, 0, width, height))
    job.tagger.begin_page(c._doc.thisPageName(), layout)
    job.layer.begin_page(layout.placeholders)
    pen = _PagePen(c, layout, job)
    for item in layout.items:
        item.paint(pen)
        pen.next_item()
    c.showPage()


def _label(c: Canvas, line: TextLine, job: _Job, colors, height: float) -> None:
    """An empty slot's label (示例, ①): on the slot's not-for-press layer, an artifact."""
    layer_in, layer_out = job.layer.wrap(c._doc)
    c.addLiteral(layer_in)
    _text(c, replace(line, tag="Artifact:Layout"), job, colors, height)
    c.addLiteral(layer_out)


def render_pdf(layouts: PageLayout | Sequence[PageLayout], faces: dict,
               meta: DocMeta | None = None) -> bytes:
    """PDF bytes of the pages (one PageLayout or a sequence): PDF/X-4 and PDF/A-2u (see
    render.standards), trim-size MediaBox with TrimBox and BleedBox, every font embedded once as
    a subset of the glyphs all pages draw. (An RGB picture kept RGB is warned by the build:
    build.rgb_kept.)"""
    if isinstance(layouts, PageLayout):
        layouts = [layouts]
    first = layouts[0]
    meta = meta or DocMeta(title=first.name)
    chars = used_chars(layouts)
    programs = {role: font_program(faces[role], chars[role], PDF_PIECES) for role in sorted(chars)}
    buf = io.BytesIO()
    c = canvas_class()(buf, pagesize=first.trim, invariant=1, pageCompression=1,
               initialFontName=_NO_FONT, pdfVersion=(1, 4) if meta.standard == "x1a" else (1, 6),
               enforceColorSpace="sep_cmyk")  # CMYK and spot colours only: RGB is refused
    mark_streams(c._doc)  # an EOL before every endstream (render.streams)
    fonts = {}
    for i, role in enumerate(sorted(programs)):
        fonts[role] = f"F{i + 1}"
        add_font(c._doc, programs[role], faces[role].info, fonts[role])
    apply_standards(c._doc, meta)
    press = Press(meta.profile, keep_rgb=meta.keep_rgb, flatten=meta.standard == "x1a")
    job = _Job(fonts, programs, press, Tagger(c),
               PlaceholderLayer(meta.proof), _Glyphs(programs))
    for layout in layouts:
        _page(c, layout, job)
    job.tagger.finish(c._doc)
    job.layer.finish(c._doc)
    c.save()
    return finish(buf.getvalue())
