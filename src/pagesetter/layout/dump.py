"""A stable text dump of a composed page (PageLayout), for golden files that diff cleanly in review.

    page jiceng-dangjian 1105.51 x 1559.06 pt, 10 frames
    font song: NotoSerifCJK-Regular.ttc#2 sha256:a04178ec485dffdf "Noto Serif CJK SC"
    story main: 297/315 lines, 18 under
    frame main-1
      line x=53.26 y=319.46 w=112.50 song 9 black[0,0,0,1]/overprint: "求木之长者，必固其根本。"
    furniture
      rect x=... y=... w=... h=... stroke=red[0,1,1,0.1] fill=- width=1.00
      image x=... y=... w=... h=... file=photo.jpg picture=RGB:3f2a9c0d1b7e label="①"

Page → frame → line. With the faces that set the page (`dump_layout(layout, faces)`, as
`pagesetter dump` and the golden tests do), a `font` line per role the page's runs use names the
font file, the face in it and the file's sha256: each run's role (`song 9`) resolves to the very
file, so a font swapped for another — even one with the same metrics, file name and pinned role —
changes the dump. Frames come in the order their first line is drawn, lines in layout
(reading) order within a frame. Lines carry no running number, so one line added near the top
does not renumber (and re-diff) the rest of the page. Positions
are points from the trim's top-left, rounded to 0.01 pt: `x` is the line's left edge, `y` its
baseline, `w` its width: from `x` to where its set glyphs end (the measure, for a justified line), then
the fonts (role and size) of the line's runs and its colour. Every colour is written resolved:
its name and its CMYK values (`red[0,1,1,0.1]`; a tint or overprint, where a colour has one,
follows the values: `/tint=0.1`, `/overprint` — 100 % K text and rules print over what is under
them), so a change to a colour's definition, a tint or overprinting changes the dump.
Boxes, rules and images follow under `furniture`, images by file name with the picture's colour
mode and a hash of its bytes (a recoloured picture shows). Nothing depends on time, paths or hash
order.
"""
from __future__ import annotations

import hashlib
import json

from ..text.justify import GlyphRun
from .model import Image, PageLayout, Pen, Rect, Rule, TextLine, overprints


def _n(v: float) -> str:
    text = f"{v:.2f}"
    return "0.00" if text == "-0.00" else text


def _v(v: float) -> str:
    return f"{round(float(v), 4):g}"


def color_text(colors: dict, name: str | None, tint: float = 1.0, fill: bool = False) -> str:
    """`red[0,1,1,0.1]`: a colour's name and resolved CMYK, then `/tint=0.1` for a tinted fill and
    `/overprint` where it prints over what is under it (100 % K text, strokes and rules; a fill
    always knocks out)."""
    if not name:
        return "-"
    value = colors.get(name)
    if value is None:
        return f"{name}[?]"
    out = f"{name}[{','.join(_v(c) for c in value)}]"
    if tint != 1:
        out += f"/tint={_v(tint)}"
    if not fill and overprints(value):  # the renderer's rule (layout.model.overprints)
        out += "/overprint"
    return out


def _picture(image: Image) -> str:
    """The picture's colour mode and a hash of its bytes, or `placeholder`."""
    if image.file is None:
        return "placeholder"
    try:
        data = image.file.read_bytes()
    except OSError:
        return "unreadable"
    mode = "?"
    try:
        from PIL import Image as PILImage

        with PILImage.open(image.file) as im:
            mode = im.mode
    except Exception:  # not an image PIL knows: the hash still tells a change
        pass
    return f"{mode}:{hashlib.sha256(data).hexdigest()[:12]}"


def _fonts(line: TextLine) -> str:
    runs: list[str] = []
    for g in GlyphRun.of(line.glyphs).cells:
        run = f"{g.font} {g.size:g}"
        if not runs or runs[-1] != run:
            runs.append(run)
    return " + ".join(runs)


def _text(line: TextLine) -> str:
    return json.dumps(GlyphRun.of(line.glyphs).text, ensure_ascii=False)


class _DumpPen(Pen):
    """Writes each item as a dump line: text lines under their frame, the rest under furniture."""

    def __init__(self, colors: dict):
        self.colors = colors
        self.frames: dict[str, list[str]] = {}
        self.furniture: list[str] = []
        self.roles: set[str] = set()  # the face roles the text is set in

    def text(self, line: TextLine) -> None:
        self.roles.update(g.font for g in GlyphRun.of(line.glyphs).cells)
        last = line.width if line.width is not None else GlyphRun.of(line.glyphs).xs[-1] if line.glyphs else 0.0
        self.frames.setdefault(line.frame or "-", []).append(
            f"  line x={_n(line.x)} y={_n(line.y)} w={_n(last)} {_fonts(line)} "
            f"{color_text(self.colors, line.color)}: {_text(line)}")

    def rect(self, rect: Rect) -> None:
        self.furniture.append(f"  rect x={_n(rect.x)} y={_n(rect.y)} w={_n(rect.w)} h={_n(rect.h)} "
                              f"stroke={color_text(self.colors, rect.stroke)} "
                              f"fill={color_text(self.colors, rect.fill, rect.tint, fill=True)} "
                              f"width={_n(rect.width)}")

    def rule(self, rule: Rule) -> None:
        self.furniture.append(f"  rule {_n(rule.x0)},{_n(rule.y0)} → {_n(rule.x1)},{_n(rule.y1)} "
                              f"color={color_text(self.colors, rule.color)} width={_n(rule.width)}")

    def image(self, image: Image) -> None:
        self.furniture.append(f"  image x={_n(image.x)} y={_n(image.y)} w={_n(image.w)} h={_n(image.h)} "
                              f"file={image.file.name if image.file else '-'} picture={_picture(image)} "
                              f"label={json.dumps(image.label, ensure_ascii=False)}"
                              + (f" view={','.join(f'{v:.4f}' for v in image.view)}" if image.view else ""))


def font_lines(roles: set[str], faces: dict, cache_dir=None) -> list[str]:
    """`font <role>: <file>#<face index> sha256:<16 hex> "<family>"` for every role the page uses
    (the file's hash from the font cache's memo: computed once per file and change)."""
    from ..fonts.cache import content_hash, default_cache_dir

    folder = cache_dir if cache_dir is not None else default_cache_dir()
    out = []
    for role in sorted(roles & set(faces)):
        src = faces[role].source
        out.append(f"font {role}: {src.path.name}#{src.index} sha256:{content_hash(src.path, folder)[:16]} "
                   f"{json.dumps(src.family, ensure_ascii=False)}")
    return out


def dump_layout(layout: PageLayout, faces: dict | None = None, cache_dir=None) -> str:
    """The page as stable text, ending in a newline; with `faces` (role → fonts.PreparedFace), the
    font files that set it too."""
    pen = _DumpPen(layout.colors)
    for item in layout.items:
        item.paint(pen)
    out = [f"page {layout.name} {_n(layout.trim[0])} x {_n(layout.trim[1])} pt, {layout.frames} frames"]
    if faces:
        out += font_lines(pen.roles, faces, cache_dir)
    for r in layout.stories:
        extra = f", OVERSET {r.overset}" if r.overset else f", {r.underset} under" if r.underset else ""
        if r.overset and r.overset_text:
            extra += f" from {json.dumps(r.overset_text, ensure_ascii=False)} ({r.overset_at})"
        if r.jump:
            extra += f", jump {r.jump}"
        out.append(f"story {r.id}: {r.lines_set}/{r.lines_available} lines{extra}")
    frames, furniture = pen.frames, pen.furniture
    for frame, lines in frames.items():
        out.append(f"frame {frame}")
        out.extend(lines)
    if furniture:
        out.append("furniture")
        out.extend(furniture)
    return "\n".join(out) + "\n"
