"""ALTO 4.x (版面文本) of a composed page: every line pagesetter set, where it set it, grouped in
text blocks by story, written with lxml.

The conventions for Chinese (docs/archive.md says why):
- MeasurementUnit `inch1200` (1/1200 inch, ≈ 0.06 pt; the NDNP profile's unit), whole numbers
  measured from the trim's top-left corner; the page is its trim, the PrintSpace the whole page.
- A String is one character (字): Chinese has no spaces to make words, and a segmentation would
  be invented; a run of Latin letters or digits set together is one String (a word), and a word
  space the text has is an SP.
- Reading order is the elements' order: blocks in the order the page sets them (a story's
  columns left to right, the stories in make-up order), lines top to bottom, characters left to
  right — the order of the page's PDF text.
- A TextBlock is one story's lines in one frame (a column leg, a head) — the unit a METS article
  points at; furniture (报头, 报眉) has blocks of its own with no story.
- Styles: one TextStyle per face role and size (FONTFAMILY the face, FONTSIZE in points,
  FONTTYPE serif/sans-serif, FONTSTYLE bold for the bold roles), referenced by each line
  (its largest glyphs) and by a String set in another style.
- Tags: a StructureTag per story (LABEL its headline), referenced by its blocks' TAGREFS.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping

from lxml import etree

from ..layout.model import PageLayout, TextLine
from ..records import record
from ..text.justify import GlyphRun, PlacedGlyph

ALTO_NS = "http://www.loc.gov/standards/alto/ns-v4#"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA = "http://www.loc.gov/standards/alto/v4/alto-4-4.xsd"
UNIT = "inch1200"
PER_PT = 1200 / 72  # inch1200 units per point
ASCENT = 0.88  # of the size above the baseline: the em box of a CJK face (Noto CJK: 0.88 / -0.12)
# Face roles (fonts.roles) as ALTO's font type and style: 黑体 is sans-serif, the rest serif; 粗黑
# and 标宋 are bold.
SANS = frozenset({"hei", "hei-bold"})
BOLD = frozenset({"hei-bold", "biaosong"})
LANG = "zh-Hans"


def u(pt: float) -> int:
    """A length in points as whole inch1200 units."""
    return round(pt * PER_PT)


@record
class Block:
    """Lines of one story in one frame, in reading order (a TextBlock)."""

    story: str  # "" for furniture
    frame: str
    lines: tuple[TextLine, ...]


@record
class PageAlto:
    """The page's ALTO document, per story the ids of its blocks in reading order, and the
    page's characters in reading order (no spaces)."""

    xml: bytes
    blocks: dict[str, list[str]]
    text: str


def blocks_of(layout: PageLayout) -> list[Block]:
    """The page's text lines in drawing (= reading) order, grouped: a new block where the story
    or the frame changes."""
    out: list[Block] = []
    lines: list[TextLine] = []
    for item in layout.items:
        if not isinstance(item, TextLine) or not len(item.glyphs):
            continue
        if lines and (item.story, item.frame) != (lines[0].story, lines[0].frame):
            out.append(Block(lines[0].story, lines[0].frame, tuple(lines)))
            lines = []
        lines.append(item)
    if lines:
        out.append(Block(lines[0].story, lines[0].frame, tuple(lines)))
    return out


Ink = Mapping[str, Mapping[str, tuple[float, float]]]  # role → character → (left, right) of its ink, in em


def _span(ink: Ink, g: PlacedGlyph) -> tuple[float, float]:
    """Where glyph `g` puts ink (its left and right, pt from the line's start): the String's box,
    as a scan's would be; a glyph without ink (a space) spans its size."""
    left, right = ink.get(g.font, {}).get(g.ch, (0.0, 1.0))
    return g.x + left * g.size * g.scale, g.x + right * g.size * g.scale


def _words(line: TextLine, ink: Ink) -> Iterator[tuple[str, float, float, str, float, bool]]:
    """(content, x, width, role, size, space before) per String: a character, or a Latin word."""
    glyphs = GlyphRun.of(line.glyphs).placed()
    word: list[PlacedGlyph] = []

    def flush() -> Iterator[tuple[str, float, float, str, float, bool]]:
        first = word[0]
        x0, x1 = _span(ink, first)[0], _span(ink, word[-1])[1]
        yield "".join(g.ch for g in word), x0, max(x1 - x0, 0.0), first.font, first.size, first.space_before

    for g in glyphs:
        latin = g.ch.isascii() and g.ch.isalnum()
        last = word[-1] if word else None
        if last is not None and not (latin and last.ch.isascii() and last.ch.isalnum() and not g.space_before
                                     and g.font == last.font):
            yield from flush()
            word = []
        word.append(g)
    if word:
        yield from flush()


class _Styles:
    """TextStyle ids by (role, size), made as they are first used."""

    def __init__(self, families: Mapping[str, str]):
        self.families = families
        self.ids: dict[tuple[str, float], str] = {}

    def ref(self, role: str, size: float) -> str:
        return self.ids.setdefault((role, round(size, 2)), f"TS_{len(self.ids) + 1}")

    def element(self, parent: etree._Element) -> None:
        for (role, size), sid in self.ids.items():
            attrs = {"ID": sid, "FONTFAMILY": self.families.get(role, role), "FONTSIZE": f"{size:g}",
                     "FONTTYPE": "sans-serif" if role in SANS else "serif"}
            if role in BOLD:
                attrs["FONTSTYLE"] = "bold"
            etree.SubElement(parent, f"{{{ALTO_NS}}}TextStyle", attrs)


def _line(parent: etree._Element, line: TextLine, lid: str, styles: _Styles, ink: Ink) -> tuple[str, float, float]:
    """One TextLine with its Strings (and SPs): its box holds the line's measure and every
    String's ink. Its characters and its left and right edge (pt) back."""
    run = GlyphRun.of(line.glyphs)
    size = run.size
    main = max(run.placed(), key=lambda g: g.size)
    style = styles.ref(main.font, size)
    words = list(_words(line, ink))
    end = line.x + (line.width if line.width is not None else run.placed()[-1].x + size)
    x0 = min([line.x, *(line.x + w[1] for w in words)])
    x1 = max([end, *(line.x + w[1] + w[2] for w in words)])
    el = etree.SubElement(parent, f"{{{ALTO_NS}}}TextLine", {
        "ID": lid, "STYLEREFS": style, "HPOS": str(u(x0)), "VPOS": str(u(line.y - ASCENT * size)),
        "WIDTH": str(u(x1) - u(x0)), "HEIGHT": str(u(size)), "BASELINE": f"{u(x0)},{u(line.y)} {u(x1)},{u(line.y)}"})
    for n, (content, x, width, role, gsize, space) in enumerate(words, 1):
        if space and n > 1:
            etree.SubElement(el, f"{{{ALTO_NS}}}SP", {"HPOS": str(u(line.x + x) - 1), "VPOS": el.get("VPOS", "")})
        attrs = {"ID": f"{lid}_S{n}", "CONTENT": content, "HPOS": str(u(line.x + x)),
                 "VPOS": str(u(line.y - ASCENT * gsize)), "WIDTH": str(u(width)), "HEIGHT": str(u(gsize))}
        own = styles.ref(role, gsize)
        if own != style:
            attrs["STYLEREFS"] = own
        etree.SubElement(el, f"{{{ALTO_NS}}}String", attrs)
    return "".join(w[0] for w in words), x0, x1


def _box(lines: tuple[TextLine, ...], x0: float, x1: float) -> dict[str, str]:
    sizes = [GlyphRun.of(ln.glyphs).size for ln in lines]
    y0 = min(ln.y - ASCENT * size for ln, size in zip(lines, sizes))
    y1 = max(ln.y + (1 - ASCENT) * size for ln, size in zip(lines, sizes))
    return {"HPOS": str(u(x0)), "VPOS": str(u(y0)), "WIDTH": str(u(x1) - u(x0)), "HEIGHT": str(u(y1) - u(y0))}


def page_alto(layout: PageLayout, number: int, image: str, families: Mapping[str, str], ink: Ink,
              labels: Mapping[str, str], software: str) -> PageAlto:
    """The ALTO of page `number` of an issue (ids prefixed P<number>, unique across the issue's
    files); `image` the page's file name (its PDF), `families` role → face name, `ink` role →
    the face's ink extents (FaceMetrics.ink), `labels` story → its headline (the StructureTag's
    LABEL)."""
    root = etree.Element(f"{{{ALTO_NS}}}alto", nsmap={None: ALTO_NS, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{ALTO_NS} {SCHEMA}")
    desc = etree.SubElement(root, f"{{{ALTO_NS}}}Description")
    etree.SubElement(desc, f"{{{ALTO_NS}}}MeasurementUnit").text = UNIT
    info = etree.SubElement(desc, f"{{{ALTO_NS}}}sourceImageInformation")
    etree.SubElement(info, f"{{{ALTO_NS}}}fileName").text = image
    step = etree.SubElement(desc, f"{{{ALTO_NS}}}Processing", {"ID": f"P{number}_PROC"})
    etree.SubElement(step, f"{{{ALTO_NS}}}processingStepDescription").text = \
        "typeset (排版): positions are where the text was set, not recognised"
    sw = etree.SubElement(step, f"{{{ALTO_NS}}}processingSoftware")
    etree.SubElement(sw, f"{{{ALTO_NS}}}softwareName").text = software
    styles_el = etree.SubElement(root, f"{{{ALTO_NS}}}Styles")
    tags_el = etree.SubElement(root, f"{{{ALTO_NS}}}Tags")
    layout_el = etree.SubElement(root, f"{{{ALTO_NS}}}Layout")
    w, h = layout.trim
    page = etree.SubElement(layout_el, f"{{{ALTO_NS}}}Page", {
        "ID": f"P{number}", "PHYSICAL_IMG_NR": str(number), "PRINTED_IMG_NR": str(number),
        "WIDTH": str(u(w)), "HEIGHT": str(u(h)), "PROCESSINGREFS": f"P{number}_PROC"})
    space = etree.SubElement(page, f"{{{ALTO_NS}}}PrintSpace",
                             {"ID": f"P{number}_PS", "HPOS": "0", "VPOS": "0", "WIDTH": str(u(w)), "HEIGHT": str(u(h))})
    styles = _Styles(families)
    text: list[str] = []
    tags: dict[str, str] = {}
    blocks: dict[str, list[str]] = {}
    for b, block in enumerate(blocks_of(layout), 1):
        bid = f"P{number}_TB{b}"
        tb = etree.SubElement(space, f"{{{ALTO_NS}}}TextBlock", {"ID": bid})
        edges = []
        for n, line in enumerate(block.lines, 1):
            chars, left, right = _line(tb, line, f"{bid}_L{n}", styles, ink)
            text.append(chars)
            edges.append((left, right))
        for k, v in _box(block.lines, min(e[0] for e in edges), max(e[1] for e in edges)).items():
            tb.set(k, v)
        tb.set("LANG", LANG)
        if block.story:
            tb.set("TAGREFS", tags.setdefault(block.story, f"P{number}_ST{len(tags) + 1}"))
            blocks.setdefault(block.story, []).append(bid)
    styles.element(styles_el)
    for story, tid in tags.items():
        etree.SubElement(tags_el, f"{{{ALTO_NS}}}StructureTag", {"ID": tid, "TYPE": "article", "LABEL": labels.get(story, story)})
    if not len(tags_el):
        root.remove(tags_el)
    return PageAlto(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True), blocks,
                    "".join(text))
