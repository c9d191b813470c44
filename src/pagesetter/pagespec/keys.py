"""What a page spec may say: the one table of keys (each key's value type, meaning, range and
default), the names of allowed values, and the limits. The loader accepts exactly these keys and
reads their ranges and defaults from here; the JSON Schema (pagespec/schema.py) is generated from
them and docs/spec.md documents them (tests/test_schema.py holds the three together).

The keys of each block kind are declared by the kind's own module (src/pagesetter/blocks/) and
reach the loader, the schema and the docs test through the kind registry (pagespec/kinds.py).
"""
from __future__ import annotations

from typing import Any

from ..records import record
from .. import units
from ..fonts.roles import ROLES

# Limits: far beyond any real page, low enough that no input makes the loader or layout crawl.
MAX_SPEC_BYTES = 1_000_000
MAX_FRAMES = 500
MAX_BLOCKS = 500
MAX_STYLES = 500
MAX_COLUMNS = 40
MAX_LINES = 1_000
MAX_TRIM = 3000 * units.PT_PER_MM  # 3 m
MAX_RULE = 1000.0  # pt: the thickest rule or border line
MAX_FACE_INDEX = 1000  # faces in one .ttc collection
SIZE_RANGE = (1.0, 1000.0)  # pt, any type size
FALLBACK_BODY = 9.0  # pt (小五): what 字 means while checking a spec whose grid is broken
GEOMETRY_TOLERANCE = 0.01  # pt: edges this close count as touching, not overlapping or outside
MAX_IMAGE_PIXELS = 200_000_000


@record
class Key:
    """One key a spec section may hold.

    `type` is the value type token (text, length, size, count, index, bool, number, cmyk, pair,
    enum:A|B, style, color, role, path, paths, frames, area, kind, … or a section; pagespec/schema.py
    turns each into JSON Schema). `lo`/`hi` bound numbers and whole numbers (inclusive), and lengths
    (in points, `lo` at least). `default` is the value an absent key takes, written as a spec would
    write it (the loader converts it like a given value); None: no default, or one computed (the doc
    says how)."""

    type: str
    doc: str
    default: Any = None  # (any value a spec may write: a number, a length, a name, a list)
    lo: float | None = None
    hi: float | None = None
    required: bool = False
    example: str = ""  # for the message when a required key is missing: "add <key>: <example>"

    @property
    def choices(self) -> tuple[str, ...]:
        """The allowed values of an `enum:` key."""
        return tuple(self.type[5:].split("|")) if self.type.startswith("enum:") else ()

    def described(self) -> str:
        """The meaning with the default, as the schema and the docs show it."""
        return self.doc if self.default is None else f"{self.doc} (default {show_default(self.default)})"


def show_default(value) -> str:
    """A default as a spec writes it: true/false, 0.75pt, justify, [0, 0]."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(show_default(v) for v in value) + "]"
    return f"{value:g}" if isinstance(value, float) else str(value)


def enum(*choices: str) -> str:
    return "enum:" + "|".join(choices)


ALIGNS = ("justify", "left", "center", "right")
BREAKINGS = ("total-fit", "greedy")
PUNCT_STYLES = ("quanjiao", "kaiming", "banjiao")
PARAGRAPH_ROLES = ("body", "section_lead", "subhead", "signature", "table", "gap", "strong", "verse")
HEAD_PARTS = ("kicker", "headline", "subtitle", "byline")
IMAGE_FORMATS = ("JPEG", "PNG", "TIFF", "GIF", "BMP")
PDF_STANDARDS = ("x4", "x1a")

# ── the key table ───────────────────────────────────────────────────────────────────────────────
# section → key → Key. The block kinds' own keys live in their modules (blocks/*.py).
KEYS: dict[str, dict[str, Key]] = {
    "top": {
        "page": Key("page", "the page: name, trim size, where the type area sits (required unless a master "
                            "gives it)"),
        "grid": Key("grid", "the column grid and the line grid of the type area (required unless a master "
                            "gives it)"),
        "colors": Key("colors", "named CMYK colours (black and white are predefined)"),
        "composition": Key("composition", "Chinese composition rules for the whole page"),
        "styles": Key("styles", "named text styles"),
        "fonts": Key("fonts", "font files for face roles, overriding the default faces"),
        "frames": Key("frames-map", "named text frames on the grid that stories flow into"),
        "stories": Key("stories", "articles threaded through chains of frames"),
        "blocks": Key("block-list", "page furniture (版面元素): a list of blocks, each of a kind"),
        "master": Key("path", "a master spec (主页) this page is based on: it inherits every section, "
                              "overriding what it gives"),
        "variables": Key("variables", "values for {name} variables in text blocks (an edition's values win)"),
        "makeup": Key("makeup", "automatic make-up (自动组版): the free area, the stories' rank and the house "
                                "style; stories without a chain are placed by the engine"),
    },
    "page": {
        "name": Key("text", "page name; the default output is out/<name>.pdf (default: the spec's file name)"),
        "trim": Key("pair", "trimmed page size [width, height] (required unless a master gives it)", hi=MAX_TRIM),
        "top": Key("length", "type area's top edge from the trim's top edge", default=0, lo=0),
        "left": Key("length", "type area's left edge from the trim's left edge (default: centred)", lo=0),
        "allow_outside": Key("bool", "allow files outside the project folder", default=False),
        "title": Key("text", "the PDF's title (default: the first story's headline, else the page name)"),
        "paper": Key("text", "the newspaper's name (报名), written into the PDF's subject"),
        "date": Key("text", "issue date YYYY-MM-DD: the PDF's creation date (default: fixed 2000-01-01)"),
        "number": Key("count", "page number (版次), written into the PDF's subject", lo=1, hi=999),
        "profile": Key("path", "CMYK ICC output profile of the press (default: coldset newsprint, CGATS TR 002, "
                       "240 % total ink)"),
        "condition": Key("text", "name of the output condition (default: the profile's description)"),
        "standard": Key(enum(*PDF_STANDARDS), "x4: PDF/X-4 + PDF/A-2u (the default); x1a: PDF/X-1a, no "
                        "transparency"),
        "keep_rgb": Key("bool", "place RGB pictures as RGB instead of converting them to CMYK (warned; "
                        "default false)"),
        "placeholders": Key("bool", "show image placeholders in the PNG previews (proofs); in the PDF they sit "
                            "on a not-for-press layer, hidden and never printed, that a viewer can switch on"),
    },
    "grid": {
        "columns": Key("count", "number of basic columns (栏)", lo=1, hi=MAX_COLUMNS, required=True),
        "column": Key("length", "width of a basic column; 字 here means body characters", hi=MAX_TRIM,
                      required=True),
        "gutter": Key("length", "space between columns", lo=0, hi=MAX_TRIM, required=True),
        "lines": Key("count", "body lines in the type area (行)", lo=1, hi=MAX_LINES, required=True),
        "body": Key("size", "body type size (e.g. 小五 = 9pt)", required=True),
        "pitch": Key("length", "baseline to baseline distance of body lines", hi=MAX_TRIM, required=True),
    },
    "composition": {
        "punct_style": Key(enum(*PUNCT_STYLES), "punctuation widths: 全角式, 开明式 or 半角式",
                           default="quanjiao"),
        "han_latin_space": Key("number", "em of space between Han and Latin letters or digits", default=0.25,
                               lo=0, hi=2),
        "strict": Key("bool", "ー and 〜 may not start a line either (CSS strict; —— and …… never do)", default=False),
        "trim_line_end": Key("bool", "closing mark at a line's end set ½ em", default=True),
        "trim_line_start": Key("bool", "opening mark at a line's start loses its leading ½ em (ink flush); "
                               "false: keeps it whole", default=True),
        "orphan_control": Key("bool", "no paragraph ends in a line of one character", default=True),
        "breaking": Key(enum(*BREAKINGS), "total-fit: whole paragraphs, even spacing; greedy: fast",
                        default="total-fit"),
    },
    "style": {
        "based_on": Key("style", "a style this one inherits every unset key from"),
        "role": Key("role", "face role: " + ", ".join(ROLES)),
        "size": Key("size", "type size: 字号 name (小五, 初号, …) or a length"),
        "tracking": Key("number", "em added between characters, 字距", default=0.0, lo=-0.5, hi=10),
        "align": Key(enum(*ALIGNS), "alignment", default="justify"),
        "color": Key("color", "a colour name", default="black"),
        "indent": Key("number", "first-line indent in em (default: 2 for body paragraphs)", lo=0, hi=50),
        "fit_min": Key("size", "headlines: shrink down to this size to stay on one line"),
    },
    "font": {
        "file": Key("path", "font file (.ttf, .otf, .ttc), relative to the spec", required=True),
        "index": Key("index", "face number inside a .ttc collection", default=0, lo=0, hi=MAX_FACE_INDEX),
    },
    "area": {
        "col": Key("count", "first basic column, from 1 at the left", lo=1, hi=MAX_COLUMNS, required=True),
        "span": Key("count", "number of columns", default=1, lo=1, hi=MAX_COLUMNS),
        "line": Key("count", "first body line, from 1 at the top of the type area", lo=1, hi=MAX_LINES + 1,
                    required=True),
        "lines": Key("count", "number of body lines", default=1, lo=1, hi=MAX_LINES),
        "inset": Key("insets", "[left, right] taken off the area's width", default=(0, 0)),
        "overlap": Key("bool", "frames only: this frame may overlap others", default=False),
    },
    "story": {
        "articles": Key("paths", "article file(s), relative to the spec, set one after another (required "
                                 "unless the story continues one on another page)"),
        "chain": Key("frames", "frame names the story flows through, in order (required, unless the page's "
                               "makeup: places the story)"),
        "styles": Key("story-styles", "paragraph role → style (default: the style named like the role; verse: the body style)"),
        "heads": Key("heads", "set each article's head in the flow: head part → style"),
        "avoid_stranded": Key("bool", "no lone first/last paragraph line at a frame's edge, 孤行", default=True),
        "balance": Key("bool", "balance the last row of frames, 分栏平衡", default=False),
        "copyfit": Key("copyfit", "[tighter, looser] tracking limits in em for automatic copyfitting",
                       lo=-0.5, hi=0.5),
        "continues": Key("text", "in an edition: this story is the continuation of <page>/<story> (转版); "
                                 "articles are then not needed"),
        "continued_head": Key("style", "a continuation's head: the story's headline in this style, above 上接…"),
        "jump_style": Key("style", "style of this story's jump lines 下转第N版 / 上接第N版 (default: jump)"),
        "composition": Key("composition", "this story's composition rules over the page's, e.g. {punct_style: kaiming}"),
        "flush": Key("bool", "齐底 for the chain's last frame too: paragraph settings are chosen to fill it to its "
                             "foot (made-up stories have it)", default=False),
    },
    "makeup": {
        "area": Key("area", "the free part of the type area the engine fills, on the grid (required)",
                    required=True, example="{col: 1, span: 8, line: 7, lines: 93}"),
        "order": Key("story-list", "the stories in rank (importance) order, the lead first (default: the order "
                                   "of stories:, those without a chain)"),
        "house": Key("house", "the house style: headline styles by rank, spans, space and rules between stories"),
    },
    "house": {
        "heads": Key("head-list", "headline styles by rank: the first for the lead, the next for the second "
                                  "story …, the last for every story after (default: kicker, headline, subtitle "
                                  "and byline, the styles so named that are defined)"),
        "spans": Key("span-pair", "[fewest, most] columns a story may take", default=(1, 40)),
        "lead_span": Key("span-pair", "[fewest, most] columns the lead may take (default: spans)"),
        "space": Key("index", "body lines between stories set one above the other", default=1, lo=0, hi=10),
        "head_space": Key("index", "body lines added to a story's headline (centred around it)", default=1,
                          lo=0, hi=10),
        "rule": Key("length", "width of the rules between stories; 0: space only", default="0.5pt", lo=0,
                    hi=MAX_RULE),
        "copyfit": Key("copyfit", "[tighter, looser] tracking limits in em the made-up stories may use",
                       default=(-0.03, 0.03), lo=-0.5, hi=0.5),
        "lead": Key(enum("left", "right"), "where the lead goes: the top left or the top right of the area",
                    default="left"),
    },
    "block": {  # keys every block has; each kind adds its own (blocks/*.py)
        "kind": Key("kind", "what the block is", required=True),
        "at": Key("area", "where it sits on the grid", required=True),
        "wrap": Key("length", "text in frames keeps this far away sideways, and a line above and below (绕排)",
                    lo=0, hi=MAX_TRIM),
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
MAKEUP_KEYS = tuple(KEYS["makeup"])
HOUSE_KEYS = tuple(KEYS["house"])
