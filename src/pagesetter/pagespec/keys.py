"""What a page spec may say: the one table of keys (with each key's value type and meaning), the
names of allowed values, and the limits. The loader accepts exactly these keys; the JSON Schema
(pagespec/schema.py) is generated from them and docs/spec.md documents them (tests hold the three
together)."""
from __future__ import annotations

from .. import units
from ..fonts.roles import ROLES

# ── the key table ───────────────────────────────────────────────────────────────────────────────
# section → key → (value type, one-line meaning). Value types (see pagespec/schema.py for their JSON
# Schema): text, length, size, count, index, bool, number:LO:HI, cmyk, pair, enum:A|B, style, styles,
# color, role, path, paths, frames, area, block-list, story-styles, heads, page, grid, … (a section).
KEYS: dict[str, dict[str, tuple[str, str]]] = {
    "top": {
        "page": ("page", "the page: name, trim size, where the type area sits"),
        "grid": ("grid", "the column grid and the line grid of the type area"),
        "colors": ("colors", "named CMYK colours (black and white are predefined)"),
        "composition": ("composition", "Chinese composition rules for the whole page"),
        "styles": ("styles", "named text styles"),
        "fonts": ("fonts", "font files for face roles, overriding the default faces"),
        "frames": ("frames-map", "named text frames on the grid that stories flow into"),
        "stories": ("stories", "articles threaded through chains of frames"),
        "blocks": ("block-list", "page furniture: text, headlines, images, boxes, rules"),
    },
    "page": {
        "name": ("text", "page name; the default output is out/<name>.pdf (default: the spec's file name)"),
        "trim": ("pair", "trimmed page size [width, height]"),
        "top": ("length", "type area's top edge from the trim's top edge (default 0)"),
        "left": ("length", "type area's left edge from the trim's left edge (default: centred)"),
        "allow_outside": ("bool", "allow files outside the project folder (default false)"),
    },
    "grid": {
        "columns": ("count", "number of basic columns (栏)"),
        "column": ("length", "width of a basic column; 字 here means body characters"),
        "gutter": ("length", "space between columns"),
        "lines": ("count", "body lines in the type area (行)"),
        "body": ("size", "body type size (e.g. 小五 = 9pt)"),
        "pitch": ("length", "baseline to baseline distance of body lines"),
    },
    "composition": {
        "punct_style": ("enum:quanjiao|kaiming|banjiao", "punctuation widths: 全角式, 开明式 or 半角式"),
        "han_latin_space": ("number:0:2", "em of space between Han and Latin letters or digits"),
        "strict": ("bool", "—— and …… may not start a line either"),
        "trim_line_end": ("bool", "closing mark at a line's end set ½ em (default true)"),
        "trim_line_start": ("bool", "opening mark at a line's start loses its leading ½ em"),
        "orphan_control": ("bool", "no paragraph ends in a line of one character (default true)"),
        "breaking": ("enum:total-fit|greedy", "total-fit: whole paragraphs, even spacing (default); greedy: fast"),
    },
    "style": {
        "based_on": ("style", "a style this one inherits every unset key from"),
        "role": ("role", "face role: " + ", ".join(ROLES)),
        "size": ("size", "type size: 字号 name (小五, 初号, …) or a length"),
        "tracking": ("number:-0.5:10", "em added between characters (字距, default 0)"),
        "align": ("enum:justify|left|center|right", "alignment (default justify)"),
        "color": ("color", "a colour name (default black)"),
        "indent": ("number:0:50", "first-line indent in em (default: 2 for body paragraphs)"),
        "fit_min": ("size", "headlines: shrink down to this size to stay on one line"),
    },
    "font": {
        "file": ("path", "font file (.ttf, .otf, .ttc), relative to the spec"),
        "index": ("index", "face number inside a .ttc collection (default 0)"),
    },
    "area": {
        "col": ("count", "first basic column, from 1 at the left"),
        "span": ("count", "number of columns (default 1)"),
        "line": ("count", "first body line, from 1 at the top of the type area"),
        "lines": ("count", "number of body lines (default 1)"),
        "inset": ("insets", "[left, right] taken off the area's width (default [0, 0])"),
        "overlap": ("bool", "frames only: this frame may overlap others (default false)"),
    },
    "story": {
        "articles": ("paths", "article file(s), relative to the spec, set one after another"),
        "chain": ("frames", "frame names the story flows through, in order"),
        "styles": ("story-styles", "paragraph role → style (default: the style named like the role)"),
        "heads": ("heads", "set each article's head in the flow: head part → style"),
        "avoid_stranded": ("bool", "no lone first/last paragraph line at a frame's edge, 孤行 (default true)"),
        "balance": ("bool", "balance the last row of frames, 分栏平衡 (default false)"),
        "copyfit": ("copyfit", "[tighter, looser] tracking limits in em for automatic copyfitting"),
        "composition": ("composition", "this story's composition rules over the page's, e.g. {punct_style: kaiming}"),
    },
    "block": {
        "kind": ("enum:text|headline|image|box|rule", "what the block is"),
        "at": ("area", "where it sits on the grid"),
        "wrap": ("length", "text in frames keeps this far away sideways, and a line above and below (绕排)"),
    },
    "text": {
        "text": ("text", "the text to set"),
        "style": ("style", "its style"),
    },
    "headline": {
        "story": ("story", "the story whose first article's head (front matter) is set"),
        "styles": ("heads", "head part (kicker, headline, subtitle, byline) → style"),
    },
    "image": {
        "file": ("image", "picture file (JPEG, PNG, TIFF, GIF, BMP); none: a placeholder"),
        "caption": ("path", "caption article file (its text, label and credit)"),
        "caption_lines": ("index", "body lines at the bottom kept for the caption (default 0)"),
        "label": ("text", "label printed on the picture, e.g. ①"),
        "caption_style": ("style", "caption style (default: caption)"),
        "credit_style": ("style", "credit line style (default: credit)"),
        "label_style": ("style", "label style; the label is drawn only when this is set"),
    },
    "box": {
        "border": ("length", "border line width (default 0.75pt)"),
        "color": ("color", "border colour (default black)"),
    },
    "rule": {
        "width": ("length", "line width (default 0.5pt)"),
        "color": ("color", "line colour (default black)"),
        "position": ("enum:middle|top|bottom|left|right", "which edge of the area (default middle)"),
    },
}

TOP_KEYS = tuple(KEYS["top"])
PAGE_KEYS = tuple(KEYS["page"])
GRID_KEYS = tuple(KEYS["grid"])
STYLE_KEYS = tuple(KEYS["style"])
AREA_KEYS = tuple(KEYS["area"])
STORY_KEYS = tuple(KEYS["story"])
FONT_KEYS = tuple(KEYS["font"])
COMPOSITION_KEYS = tuple(KEYS["composition"])
BLOCK_COMMON = tuple(KEYS["block"])
BLOCK_KEYS = {kind: tuple(KEYS[kind]) for kind in ("text", "headline", "image", "box", "rule")}
ALIGNS = ("justify", "left", "center", "right")
BREAKINGS = ("total-fit", "greedy")
PUNCT_STYLES = ("quanjiao", "kaiming", "banjiao")
POSITIONS = ("middle", "top", "bottom", "left", "right")
PARAGRAPH_ROLES = ("body", "section_lead", "subhead", "gap", "strong")
HEAD_PARTS = ("kicker", "headline", "subtitle", "byline")
IMAGE_FORMATS = ("JPEG", "PNG", "TIFF", "GIF", "BMP")

# Limits: far beyond any real page, low enough that no input makes the loader or layout crawl.
MAX_SPEC_BYTES = 1_000_000
MAX_FRAMES = 500
MAX_BLOCKS = 500
MAX_STYLES = 500
MAX_COLUMNS = 40
MAX_LINES = 1_000
MAX_TRIM = 3000 * units.PT_PER_MM  # 3 m
SIZE_RANGE = (1.0, 1000.0)  # pt, any type size
MAX_IMAGE_PIXELS = 200_000_000
