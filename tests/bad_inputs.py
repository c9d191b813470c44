"""The corpus of bad inputs: each a small project with one kind of mistake and the message it must get.

Used by tests/test_spec_errors.py (load_spec) and tests/test_safety.py (the CLI, no traceback);
`python tests/bad_inputs.py` rewrites docs/bad-inputs.md from it (paths shown relative).
"""
from __future__ import annotations

import re
import struct
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from specs import ARTICLE, SPEC, project, spec_with  # noqa: E402
from damaged_fonts import emptied, garbled, glyph_overrun, without, zero_advances  # noqa: E402
import hostile_pdfs  # noqa: E402
from pagesetter.pagespec.kinds import kind_names  # noqa: E402


def _png(w: int, h: int) -> bytes:
    """A PNG header declaring w × h pixels (the pixels themselves are not needed to be refused)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) + \
        chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


def _ppm() -> bytes:
    return b"P6\n2 2\n255\n" + b"\x00" * 12


def _real_png(w: int, h: int) -> bytes:
    """A readable grey PNG of w × h pixels (made with Pillow)."""
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("L", (w, h), 128).save(buf, "PNG")
    return buf.getvalue()


FIT_PNG = _real_png(40, 30)


MAKEUP_SPEC = spec_with("  s: {articles: [../articles/a.md], chain: [f1, f2]}",
                        "  s: {articles: [../articles/a.md], chain: [f1, f2]}\n  m: {articles: [../articles/a.md]}") + \
    "makeup:\n  area: {col: 1, span: 2, line: 4, lines: 17}\n  house: {heads: [{headline: head}]}\n"
TABLE_BLOCK = ("  - {kind: table, at: {col: 2, line: 4, lines: 5}, rows: [[地区, 产量], [华北, '12.5'], [东北, '8.25']]}"
               "\n")
IMAGE_BLOCK = "  - {kind: image, file: ../images/x.img, at: {col: 2, span: 1, line: 4, lines: 5}}\n"
FIT_BLOCK = "  - {{kind: image, file: ../images/x.png, at: {{col: 2, span: 1, line: 4, lines: 5}}{}}}\n"


@dataclass(frozen=True)
class Bad:
    id: str
    what: str  # the mistake, for docs/bad-inputs.md
    spec: str
    expect: tuple  # substrings of the messages (all must occur)
    files: dict = field(default_factory=dict)  # extra files: relative path → bytes or str
    cls: str = "spec"  # class of error (for the docs table)


CASES: list[Bad] = [
    # ── YAML itself ──
    Bad("yaml-syntax", "unclosed flow mapping", spec_with("{name: small,", "{name: small"),
        ("not valid YAML",), cls="yaml"),
    Bad("yaml-tab", "tab used for indentation", "page:\n\tname: x\n", ("(a tab)", "indent with spaces"), cls="yaml"),
    Bad("yaml-tag", "a !!python tag (code execution attempt)",
        SPEC + "x: !!python/object/apply:os.system ['echo hi']\n", ("remove the !tag",), cls="yaml"),
    Bad("yaml-two-docs", "two YAML documents", SPEC + "---\npage: {}\n", ("one YAML document",), cls="yaml"),
    Bad("yaml-bad-date", "a value YAML reads as an impossible date", spec_with("name: small", "name: 2023-13-45"),
        ("cannot be read", "put the value in quotes"), cls="yaml"),
    Bad("yaml-nul", "a NUL byte in the spec", spec_with("name: small", "name: sm\0all"),
        ("control characters are not allowed (character U+0000)", "delete the character"), cls="yaml"),
    Bad("yaml-surrogate", "a lone surrogate escape (\\udc00) in a spec value", spec_with("name: small", 'name: "sm\\udc00"'),
        ("invalid Unicode character escape", "write the character itself"), cls="yaml"),
    Bad("duplicate-key", "the same frame name twice", spec_with("  f2: {col: 2", "  f1: {col: 2"),
        ("key 'f1' appears twice",), cls="yaml"),
    Bad("not-utf8", "spec saved in GBK", None, ("not UTF-8",), files={"layouts/p.yaml": "page: {name: 版面}\n".encode("gbk")},
        cls="file"),
    Bad("empty", "an empty file", "", ("no page.trim", "grid lacks"), cls="structure"),
    Bad("not-mapping", "a list instead of a mapping", "- page\n- grid\n", ("a spec must be a mapping",), cls="structure"),
    # ── unknown keys ──
    Bad("unknown-top", "misspelt top-level key", SPEC.replace("stories:", "storys:"),
        ("unknown key 'storys' in the spec", "did you mean 'stories'?"), cls="unknown key"),
    Bad("unknown-grid", "misspelt grid key", spec_with("columns: 2", "colums: 2"),
        ("unknown key 'colums' in grid", "did you mean 'columns'?"), cls="unknown key"),
    Bad("unknown-style-key", "misspelt style key", spec_with("head: {role: biaosong,", "head: {rol: biaosong,"),
        ("unknown key 'rol' in style 'head'", "did you mean 'role'?"), cls="unknown key"),
    Bad("unknown-block-key", "key of another block kind", spec_with("styles: {headline: head}}", "styles: {headline: head}, border: 1pt}"),
        ("unknown key 'border' in headline block 1",), cls="unknown key"),
    # ── wrong types ──
    Bad("style-list", "a style given as a list", spec_with("head: {role: biaosong, size: 三号, align: center}", "head: [biaosong, 三号]"),
        ("style 'head' must be a mapping", "not a list"), cls="type"),
    Bad("frame-id-number", "a frame named by a number", spec_with("  f2: {col: 2", "  2: {col: 2").replace("[f1, f2]", "[f1, 2]"),
        ("a name in frames must be text, not a number (2)", "chain must list frame names, not a number (2)"), cls="type"),
    Bad("kind-missing", "a block without kind", SPEC + "  - {text: 你好, style: body, at: {col: 1, line: 1}}\n",
        ("block 2 has no kind", "add kind: one of " + ", ".join(kind_names())), cls="type"),
    Bad("kind-unknown", "misspelt block kind", SPEC + "  - {kind: txt, text: 你好, style: body, at: {col: 1, line: 1}}\n",
        ("block kind 'txt' is not known", "did you mean 'text'?"), cls="type"),
    Bad("text-null", "text: null", SPEC + "  - {kind: text, text: null, style: body, at: {col: 1, line: 1}}\n",
        ("text must be text, not nothing (null)",), cls="type"),
    Bad("text-empty", "text: ''", SPEC + "  - {kind: text, text: '', style: body, at: {col: 1, line: 1}}\n",
        ("text is empty",), cls="type"),
    Bad("columns-float", "columns: 2.5", spec_with("columns: 2", "columns: 2.5"),
        ("grid columns must be a whole number, not a number (2.5)",), cls="type"),
    Bad("bool-text", "strict: 'yes please'", SPEC + "composition: {strict: yes please}\n",
        ("strict must be true or false",), cls="type"),
    Bad("trim-scalar", "trim: 105mm", spec_with("trim: [105mm, 148mm]", "trim: 105mm"),
        ("page.trim must be [width, height]",), cls="type"),
    Bad("cmyk-short", "colour with three numbers", spec_with("red: [0, 1, 1, 0.1]", "red: [0, 1, 1]"),
        ("colour 'red' must be CMYK as four numbers 0–1",), cls="type"),
    Bad("spot-control", "spot ink name with a control character",
        spec_with("red: [0, 1, 1, 0.1]", 'red: [0, 1, 1, 0.1]\n  ink: {spot: "A\\x07B", cmyk: [0, 1, 0.8, 0.05]}'),
        ("spot colour 'ink' needs its ink's name (printable text, no control characters)",), cls="value"),
    Bad("blocks-mapping", "blocks as a mapping", SPEC.replace("blocks:\n  - {kind", "blocks:\n  one: {kind"),
        ("blocks must be a list, not a mapping",), cls="type"),
    Bad("area-scalar", "at: 3", SPEC + "  - {kind: box, at: 3}\n", ("box block 2's area must be a mapping",), cls="type"),
    Bad("area-missing", "a block without at", SPEC + "  - {kind: box}\n", ("box block 2 has no area",), cls="type"),
    Bad("inset-scalar", "inset: 1字", spec_with("f1: {col: 1,", "f1: {inset: 1字, col: 1,"),
        ("inset must be [left, right]",), cls="type"),
    Bad("story-chain-missing", "a story without chain", spec_with(", chain: [f1, f2]", ""),
        ("story 's' needs a chain",), cls="type"),
    # ── values ──
    Bad("size-negative", "size: -3pt", spec_with("size: 三号", "size: -3pt"), ("must be positive",), cls="value"),
    Bad("size-huge", "size: 5000pt", spec_with("size: 三号", "size: 5000pt"), ("outside 1–1000pt",), cls="value"),
    Bad("unit-unknown", "column: 120px", spec_with("column: 12字", "column: 120px"),
        ("unknown unit 'px'",), cls="value"),
    Bad("nan", "pitch: .nan", spec_with("pitch: 14pt", "pitch: .nan"), ("not a finite length",), cls="value"),
    Bad("pitch-small", "pitch below the body size", spec_with("pitch: 14pt", "pitch: 5pt"),
        ("pitch 5pt is less than the body size 9pt",), cls="value"),
    Bad("gutter-negative", "gutter: -1字", spec_with("gutter: 1字", "gutter: -1字"),
        ("grid gutter must be at least 0pt",), cls="value"),
    Bad("lines-zero", "lines: 0", spec_with("f1: {col: 1, line: 4, lines: 17}", "f1: {col: 1, line: 4, lines: 0}"),
        ("lines must be at least 1, not 0",), cls="value"),
    Bad("align-unknown", "align: centre", spec_with("align: center", "align: centre"),
        ("unknown alignment 'centre'", "did you mean 'center'?"), cls="value"),
    Bad("punct-unknown", "punct_style: kaiming2", SPEC + "composition: {punct_style: kaiming2}\n",
        ("unknown punctuation style 'kaiming2'", "did you mean 'kaiming'?"), cls="value"),
    Bad("name-path", "page name with a path", spec_with("name: small", "name: ../../etc/x"),
        ("is not usable as a file name",), cls="value"),
    Bad("too-many-columns", "columns: 400", spec_with("columns: 2", "columns: 400"),
        ("grid columns 400 is over the limit of 40",), cls="value"),
    Bad("fit-min-large", "fit_min above the size", spec_with("size: 三号, align: center", "size: 三号, fit_min: 二号, align: center"),
        ("fit_min 22pt is larger than its size 16pt",), cls="value"),
    Bad("copyfit-reversed", "copyfit limits the wrong way round", spec_with("chain: [f1, f2]}", "chain: [f1, f2], copyfit: [0.03, -0.03]}"),
        ("must run from a tightening (≤ 0) to a loosening (≥ 0)",), cls="value"),
    Bad("tint-no-fill", "a box with a tint but no fill", SPEC + "  - {kind: box, at: {col: 1, line: 1}, tint: 0.2}\n",
        ("sets tint 0.2 but no fill", "fill: red, tint: 0.1"), cls="value"),
    Bad("text-tint-no-fill", "a text block with a tint but no fill",
        SPEC + "  - {kind: text, text: 题, style: body, at: {col: 1, line: 1}, tint: 0.5}\n",
        ("text block 2 sets tint 0.5 but no fill",), cls="value"),
    Bad("x1a-keep-rgb", "keep_rgb with standard: x1a", spec_with("name: small", "name: small, standard: x1a, keep_rgb: true"),
        ("keep_rgb cannot go with standard: x1a", "drop keep_rgb"), cls="value"),
    Bad("number-zero", "page number 0", spec_with("name: small", "name: small, number: 0"),
        ("page number must be at least 1, not 0", "use 1 or more"), cls="value"),
    Bad("variable-unclosed", "a variable left open: {paper", SPEC + "  - {kind: text, text: '{paper', style: body, at: {col: 1, line: 1}}\n",
        ("text '{paper' has a lone '{'", "write {{ or }}"), cls="value"),
    Bad("fill-cmyk-inline", "a box fill written as CMYK numbers", SPEC + "  - {kind: box, at: {col: 1, line: 1}, fill: [0, 0, 0, 0.2]}\n",
        ("unknown colour [0, 0, 0, 0.2]", "define it there (e.g. colors: {tint1: [0, 0, 0, 0.2]}), then fill: tint1"),
        cls="value"),
    Bad("standard-case", "standard: X4 (capital X)", spec_with("name: small", "name: small, standard: X4"),
        ("unknown PDF standard 'X4'", "did you mean 'x4'?"), cls="value"),
    Bad("align-misspelt", "align: Centre", spec_with("align: center}", "align: Centre}"),
        ("unknown alignment 'Centre'", "did you mean 'center'?"), cls="value"),
    Bad("wrap-negative", "wrap: -2mm", spec_with("styles: {headline: head}}", "styles: {headline: head}, wrap: -2mm}"),
        ("wrap must be at least 0pt",), cls="value"),
    # ── geometry ──
    Bad("outside-lines", "a frame below the type area", spec_with("f2: {col: 2, line: 4, lines: 17}", "f2: {col: 2, line: 4, lines: 30}"),
        ("frame 'f2' reaches line 33, but the type area has 20 lines: it lies outside the type area",), cls="geometry"),
    Bad("outside-columns", "a frame right of the type area", spec_with("f2: {col: 2,", "f2: {col: 3,"),
        ("frame 'f2' reaches column 3, but the grid has 2",), cls="geometry"),
    Bad("zero-width", "insets eat the whole width", spec_with("f1: {col: 1, line: 4, lines: 17}", "f1: {col: 1, line: 4, lines: 17, inset: [6字, 6字]}"),
        ("frame 'f1' has no width left (0.0pt) after its insets",), cls="geometry"),
    Bad("overlap", "two frames overlap", spec_with("f2: {col: 2, line: 4, lines: 17}", "f2: {col: 1, line: 10, lines: 5}"),
        ("frame 'f2' overlaps frame 'f1'", "set overlap: true"), cls="geometry"),
    Bad("type-area-too-big", "type area larger than the trim", spec_with("lines: 20,", "lines: 40,"),
        ("does not fit the", "trim"), cls="geometry"),
    Bad("caption-lines", "caption_lines ≥ the area's lines", SPEC + "  - {kind: image, caption_lines: 5, at: {col: 2, line: 4, lines: 5}}\n",
        ("caption_lines 5 leaves no room for the picture",), cls="geometry"),
    # ── dangling references ──
    Bad("article-missing", "article file not there", SPEC.replace("a.md", "b.md"),
        ("article file '../articles/b.md' not found",), cls="reference"),
    Bad("style-undefined", "style name misspelt", spec_with("styles: {headline: head}", "styles: {headline: haed}"),
        ("style 'haed' (headline of headline block 1) is not defined", "did you mean 'head'?"), cls="reference"),
    Bad("role-unknown", "font role misspelt", spec_with("role: kai", "role: kia"),
        ("unknown font role 'kia' in style 'subhead'", "did you mean 'kai'?"), cls="reference"),
    Bad("fonts-role-unknown", "fonts: key not a role", SPEC + "fonts:\n  heibold: {file: x.ttf}\n",
        ("unknown font role 'heibold' in fonts", "did you mean 'hei-bold'?"), cls="reference"),
    Bad("font-file-missing", "font file not there", SPEC + "fonts:\n  song: {file: ../fonts/none.ttf}\n",
        ("font file '../fonts/none.ttf' not found",), cls="reference"),
    Bad("font-not-a-font", "a text file as a font", SPEC + "fonts:\n  song: {file: ../fonts/x.ttf}\n",
        ("font file '../fonts/x.ttf': cannot read font for role 'song'", "check the file is a TrueType/OpenType font"),
        files={"fonts/x.ttf": "not a font"}, cls="reference"),
    Bad("chain-undefined", "chain names a missing frame", SPEC.replace("[f1, f2]", "[f1, ff2]"),
        ("chain names frame 'ff2', which is not defined", "did you mean 'f2'?"), cls="reference"),
    Bad("chain-twice", "one frame in two stories", SPEC.replace("  s: {articles", "  t: {articles: [../articles/a.md], chain: [f2]}\n  s: {articles"),
        ("frame 'f2' is already in the chain of story",), cls="reference"),
    Bad("story-undefined", "headline names a missing story", spec_with("story: s,", "story: main,"),
        ("headline names story 'main', which is not defined",), cls="reference"),
    Bad("based-on-unknown", "based_on a missing style", spec_with("based_on: body, role: kai", "based_on: bdy, role: kai"),
        ("style 'subhead' is based on 'bdy', which is not defined", "did you mean 'body'?"), cls="reference"),
    Bad("based-on-cycle", "styles based on each other", spec_with("head: {role: biaosong, size: 三号, align: center}",
                                                                 "head: {based_on: head2}\n  head2: {based_on: head}"),
        ("styles based on each other in a cycle: head → head2 → head",), cls="reference"),
    Bad("role-missing", "style without role or size", spec_with("head: {role: biaosong, size: 三号, align: center}", "head: {align: center}"),
        ("style 'head' has no role and no size",), cls="reference"),
    Bad("color-undefined", "colour not defined", spec_with("color: red}", "color: rad}"),
        ("unknown colour 'rad'", "did you mean 'red'?"), cls="reference"),
    Bad("color-name-unknown", "a style colour never defined", spec_with("color: red}", "color: navy}"),
        ("unknown colour 'navy'", "define it under colors: {name: [c, m, y, k]}"), cls="reference"),
    Bad("fill-name-unknown", "a box fill naming a colour never defined",
        SPEC + "  - {kind: box, at: {col: 1, line: 1}, fill: grey}\n",
        ("unknown colour 'grey'", "define it under colors: {name: [c, m, y, k]}"), cls="reference"),
    Bad("caption-style-default", "caption without a caption style", SPEC + "  - {kind: image, caption: ../articles/a.md, at: {col: 2, line: 4, lines: 5}}\n",
        ("uses the style 'caption' (the default caption_style), which is not defined",), cls="reference"),
    # ── tables (表格) ──
    Bad("table-empty", "a table without rows", SPEC + TABLE_BLOCK.replace("[[地区, 产量], [华北, '12.5'], [东北, '8.25']]", "[]"),
        ("table block 2 has an empty table", "one list of cells a row"), cls="table"),
    Bad("table-row-too-long", "a row with more cells than the first row", SPEC + TABLE_BLOCK.replace("[东北, '8.25']", "[东北, '8.25', 多]"),
        ("row 3 of table block 2 has 3 cells; the table has 2 columns", "delete the extra cells"), cls="table"),
    Bad("table-not-a-number", "text in a declared number column",
        SPEC + TABLE_BLOCK.replace("'8.25'", "约8").replace("rows:", "types: [text, number], rows:"),
        ("row 3 of table block 2 has '约8' in column 2, a number column", "write a figure"), cls="table"),
    Bad("table-header-only", "a table with header rows only", SPEC + TABLE_BLOCK.replace("rows:", "header: 3, rows:"),
        ("table block 2 has 3 rows, all of them header", "add the table's body rows"), cls="table"),
    Bad("table-too-wide", "column widths wider than the area", SPEC + TABLE_BLOCK.replace("rows:", "widths: [30mm, 30mm], rows:"),
        ("table block 2's columns are", "wider than its area", "widen the area"), cls="table"),
    Bad("table-widths-count", "widths not one a column", SPEC + TABLE_BLOCK.replace("rows:", "widths: [auto], rows:"),
        ("table block 2 has 2 columns but widths lists 1", "give one a column"), cls="table"),
    Bad("table-cell", "a cell that is a list", SPEC + TABLE_BLOCK.replace("[华北, '12.5']", "[华北, [12.5]]"),
        ("table cell [12.5] is not text or a number", "quote it"), cls="table"),
    Bad("table-csv-quote", "a table file (CSV) with a quote left open",
        SPEC + TABLE_BLOCK.replace("[[地区, 产量], [华北, '12.5'], [东北, '8.25']]", "../data/t.csv"),
        ("table file t.csv cannot be read as CSV", "close the quote"),
        files={"data/t.csv": '地区,产量\n华北,12.5\n东北,"8.25\n'}, cls="table"),
    # ── files ──
    Bad("outside-project", "article outside the project folder", SPEC.replace("../articles/a.md", "../../outside.md"),
        ("is outside the project folder", "allow_outside: true"), files={"../outside.md": "外面\n"}, cls="file"),
    Bad("absolute-outside", "absolute path to a system file", SPEC.replace("../articles/a.md", "/etc/hostname"),
        ("'/etc/hostname' is outside the project folder",), cls="file"),
    Bad("path-not-text", "articles: [1]", SPEC.replace("[../articles/a.md]", "[1]"),
        ("article file must be a file path, not a number (1)",), cls="file"),
    Bad("image-missing", "image file not there", SPEC + IMAGE_BLOCK, ("image file '../images/x.img' not found",), cls="image"),
    Bad("image-unreadable", "text file named as an image", SPEC + IMAGE_BLOCK, ("image x.img cannot be read",),
        files={"images/x.img": "not a picture"}, cls="image"),
    Bad("image-truncated", "PNG cut short", SPEC + IMAGE_BLOCK, ("image x.img cannot be read",),
        files={"images/x.img": _png(10, 10)[:30]}, cls="image"),
    Bad("image-unsupported", "PPM picture", SPEC + IMAGE_BLOCK, ("image x.img is PPM, which cannot be placed", "convert it"),
        files={"images/x.img": _ppm()}, cls="image"),
    Bad("image-focus-outside", "focus outside the picture (over 100 %)", SPEC + FIT_BLOCK.format(", focus: [50, 120]"),
        ("focus y 120 is outside the picture (0–100 %)", "e.g. focus: [50, 30]"), files={"images/x.png": FIT_PNG},
        cls="image"),
    Bad("image-crop-outside", "crop box beyond the picture's pixels", SPEC + FIT_BLOCK.format(", crop: [0, 0, 500, 100]"),
        ("crop box [0, 0, 500, 100] reaches beyond the 40×30 px picture", "x 0–40, y 0–30 px"),
        files={"images/x.png": FIT_PNG}, cls="image"),
    Bad("image-crop-empty", "crop box enclosing nothing", SPEC + FIT_BLOCK.format(", crop: [0.5, 0.0, 0.25, 1.0]"),
        ("encloses no pixel",), files={"images/x.png": FIT_PNG}, cls="image"),
    Bad("image-fit-unknown", "fit: cover (unknown fit)", SPEC + FIT_BLOCK.format(", fit: cover"),
        ("cover", "fill", "contain"), files={"images/x.png": FIT_PNG}, cls="image"),
    Bad("image-bomb", "PNG declaring 40000×40000 pixels", SPEC + IMAGE_BLOCK, ("image x.img is 40000×40000 = 1,600 million pixels, over the limit of 200 million",),
        files={"images/x.img": _png(40000, 40000)}, cls="image"),
    # ── make-up (自动组版) ──
    Bad("makeup-no-area", "makeup without its area", MAKEUP_SPEC.replace("  area: {col: 1, span: 2, line: 4, lines: 17}\n", ""),
        ("makeup has no area",), cls="makeup"),
    Bad("makeup-area-outside", "makeup area below the type area", MAKEUP_SPEC.replace("lines: 17}\n  house", "lines: 30}\n  house"),
        ("the makeup area reaches line 33",), cls="makeup"),
    Bad("makeup-order-unknown", "order names a story that does not exist", MAKEUP_SPEC.replace("  house:", "  order: [n]\n  house:"),
        ("order names story 'n', which is not defined", "use one of: m, s"), cls="makeup"),
    Bad("makeup-order-chained", "order names a story that has a chain", MAKEUP_SPEC.replace("  house:", "  order: [s]\n  house:"),
        ("story 's' has a chain, so make-up does not place it",), cls="makeup"),
    Bad("makeup-house-key", "misspelt house key", MAKEUP_SPEC.replace("{heads:", "{heds:"),
        ("unknown key 'heds' in house", "did you mean 'heads'?"), cls="makeup"),
    Bad("makeup-head-style", "a rank's headline style not defined", MAKEUP_SPEC.replace("[{headline: head}]", "[{headline: haed}]"),
        ("style 'haed' (headline of rank 1) is not defined", "did you mean 'head'?"), cls="makeup"),
    Bad("makeup-spans", "spans written backwards", MAKEUP_SPEC.replace("{heads:", "{spans: [4, 2], heads:"),
        ("spans [4, 2] runs backwards", "write [2, 4]"), cls="makeup"),
    Bad("makeup-copyfit", "house copyfit that only loosens", MAKEUP_SPEC.replace("{heads:", "{copyfit: [0.01, 0.03], heads:"),
        ("copyfit must be [tighter ≤ 0, looser ≥ 0]",), cls="makeup"),
    Bad("makeup-articles", "a story of two articles without heads", MAKEUP_SPEC.replace(
        "  m: {articles: [../articles/a.md]}", "  m: {articles: [../articles/a.md, ../articles/a.md]}"),
        ("story 'm' has 2 articles and is placed by make-up", "add heads:"), cls="makeup"),
    # ── several at once ──
    Bad("several", "three mistakes in one spec", SPEC.replace("columns: 2", "colums: 2").replace("role: kai", "role: kia")
        .replace("[f1, f2]", "[f1, f3]"), ("unknown key 'colums'", "grid lacks columns"), cls="several"),
    Bad("several-2", "three mistakes, grid intact", SPEC.replace("role: kai", "role: kia").replace("[f1, f2]", "[f1, f3]")
        .replace("color: red}", "color: rad}"),
        ("unknown font role 'kia'", "chain names frame 'f3'", "unknown colour 'rad'"), cls="several"),
]


# ── hostile command lines: the red-team corpus of issue 9, run through the CLI ──────────────────

def tiny_font(upem: int = 1000, chars: str = "基层") -> bytes:
    """A TrueType font of a few square glyphs, its head.unitsPerEm set to `upem` (0 is broken)."""
    import io

    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    fb = FontBuilder(1000, isTTF=True)
    names = [".notdef", "space"] + [f"uni{ord(c):04X}" for c in chars]
    fb.setupGlyphOrder(names)
    fb.setupCharacterMap({32: "space", **{ord(c): f"uni{ord(c):04X}" for c in chars}})
    pen = TTGlyphPen(None)
    pen.moveTo((0, 0))
    pen.lineTo((0, 800))
    pen.lineTo((800, 800))
    pen.closePath()
    box = pen.glyph()
    fb.setupGlyf({n: box if n.startswith("uni") else TTGlyphPen(None).glyph() for n in names})
    fb.setupHorizontalMetrics({n: (1000, 0) for n in names})
    fb.setupHorizontalHeader(ascent=880, descent=-120)
    fb.setupNameTable({"familyName": "Tiny", "styleName": "Regular"})
    fb.setupOS2(sTypoAscender=880, sTypoDescender=-120, usWinAscent=880, usWinDescent=120, fsType=0)
    fb.setupPost()
    fb.font["head"].unitsPerEm = upem
    buf = io.BytesIO()
    fb.font.save(buf)
    return buf.getvalue()


def picture(fmt: str = "JPEG", cut: bool = False) -> bytes:
    """A 400×300 picture, or its first half (a download cut short)."""
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (400, 300), (200, 30, 30)).save(buf, fmt)
    data = buf.getvalue()
    return data[:len(data) // 2] if cut else data


def picture_with_profile(fmt: str, profile: str) -> bytes:
    """The 400×300 RGB picture carrying an ICC profile of ghostscript's (libgs-common) for other colours."""
    import io

    from PIL import Image

    buf = io.BytesIO()
    icc = (Path("/usr/share/color/icc/ghostscript") / profile).read_bytes()
    Image.new("RGB", (400, 300), (200, 30, 30)).save(buf, fmt, icc_profile=icc)
    return buf.getvalue()


def picture_turned(turn: int) -> bytes:
    """A PNG stored 400×300 with EXIF orientation `turn` (6: upright it is 300×400, a portrait)."""
    import io

    from PIL import Image

    exif = Image.Exif()
    exif[0x0112] = turn
    buf = io.BytesIO()
    Image.new("RGB", (400, 300), (200, 30, 30)).save(buf, "PNG", exif=exif)
    return buf.getvalue()


def picture_int32() -> bytes:
    """A 32-bit integer grey TIFF whose values run to 2 billion."""
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.linear_gradient("L").resize((400, 300)).convert("I").point(lambda v: v * 8_000_000).save(buf, "TIFF")
    return buf.getvalue()


def big_page_pdf(text: str = "x") -> bytes:
    """A one-page PDF of 14400 × 14400 pt (200 inches square)."""
    import io

    from reportlab.pdfgen.canvas import Canvas

    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(14400, 14400))
    c.drawString(100, 100, text)
    c.save()
    return buf.getvalue()


def master_chain(n: int) -> dict[str, str]:
    """layouts/m1.yaml … m<n>.yaml, each based on the next (a page based on m1 stands on n masters)."""
    return {f"layouts/m{i}.yaml": (f"master: m{i + 1}.yaml\n" if i < n else "") + f"colors: {{c{i}: [0, 0, 0, 0.5]}}\n"
            for i in range(1, n + 1)}


ARTICLE_CHARS = "".join(sorted(set(ARTICLE) - set("\n #-")))
# (id, the damage, the table the message names, what makes it)
FONT_DAMAGE = [
    ("no-hmtx", "a font without hmtx (advance widths)", "no 'hmtx' table", lambda d: without(d, "hmtx")),
    ("zero-advances", "a font whose advances are all 0", "advance width of 0 em in its 'hmtx' table", zero_advances),
    ("glyf-random", "random bytes in glyf", "in the face's 'glyf' table", garbled),
    ("glyf-overrun", "a glyph whose program runs past its bytes (box and header intact)",
     "'glyf' table cannot be decoded: its flags run past its bytes", lambda d: glyph_overrun(d, "基")),
    ("no-cmap", "a font without cmap", "no 'cmap' table", lambda d: without(d, "cmap")),
    ("empty-glyphs", "a font whose glyphs are all empty (advances kept)", "the face draws nothing for", emptied),
]
ALIAS_BOMB = "---\nheadline: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{chr(97 + i)}: &{chr(97 + i)} [" + ",".join([f"*{chr(96 + i)}"] * 9) + "]\n" for i in range(1, 9)) + "---\n正文。\n"
PICTURE_SPEC = spec_with("f2: {col: 2, line: 4, lines: 17}", "f2: {col: 2, line: 10, lines: 11}") + \
    "  - {kind: image, file: ../images/pic.png, at: {col: 2, span: 1, line: 4, lines: 5}}\n"
FONT_SPEC = SPEC + "fonts:\n  song: {file: ../fonts/tiny.ttf}\n"
LONG = "x" * 300


@dataclass(frozen=True)
class Hostile:
    """One hostile command line. `args` use {p} for the project folder, which holds layouts/p.yaml,
    articles/a.md and the files of a good build (out/p.pdf, out/p.png, out/p.report.json, and a
    copy out/q.pdf). Every file there must be unchanged afterwards except `writes`, and no new file
    may appear except `writes`."""

    id: str
    what: str
    args: tuple
    code: int
    expect: tuple  # substrings of the output (all must occur)
    cls: str
    files: dict = field(default_factory=dict)  # relative path → bytes/str, or "fifo", or ("link"|"hardlink", target)
    spec: str | None = None  # replaces layouts/p.yaml
    article: str | None = None  # replaces articles/a.md
    writes: tuple = ()
    env: dict = field(default_factory=dict)  # environment variables for the run


_ICC = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")  # libgs-common, installed by setup.sh
CMYK_ICC = _ICC.read_bytes() if _ICC.is_file() else b""
DPI_FIX = "e.g. --dpi 100"
OVERWRITE = "an input of this run"
HOSTILE: list[Hostile] = [
    # ── outputs that are inputs ──
    Hostile("o-spec", "build -o the spec itself", ("build", "{p}/layouts/p.yaml", "-o", "{p}/layouts/p.yaml"), 2,
            ("the PDF would overwrite the spec", OVERWRITE, "choose another output path"), "overwrite"),
    Hostile("o-article", "build -o an article", ("build", "{p}/layouts/p.yaml", "-o", "{p}/articles/a.md"), 2,
            ("the PDF would overwrite an article", OVERWRITE), "overwrite"),
    Hostile("o-png", "build -o out/page.png (PDF and preview on one path)",
            ("build", "{p}/layouts/p.yaml", "-o", "{p}/out/page.png"), 2,
            ("the PNG preview and the PDF would both be written to this path", "end the PDF's name in .pdf"),
            "overwrite"),
    Hostile("o-picture", "build -o images/pic.pdf: the preview would replace the photo images/pic.png",
            ("build", "{p}/layouts/p.yaml", "-o", "{p}/images/pic.pdf"), 2,
            ("images/pic.png: the PNG preview would overwrite the file of image block 2", OVERWRITE), "overwrite",
            files={"images/pic.png": picture("PNG")}, spec=PICTURE_SPEC),
    Hostile("o-font", "build -o the font file", ("build", "{p}/layouts/p.yaml", "-o", "{p}/fonts/tiny.ttf",
                                                 "--allow-outside"), 2,
            ("the PDF would overwrite a font", OVERWRITE), "overwrite",
            files={"fonts/tiny.ttf": ("link", "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf")},
            spec=FONT_SPEC),
    Hostile("o-newline", "build -o a path with a newline pasted into it",
            ("build", "{p}/layouts/p.yaml", "-o", "{p}/out/p\nq.pdf"), 2,
            ("cannot write the PDF: the name 'p\\nq.pdf' holds a control character (U+000A, character 2)", "without control or format"),
            "overwrite"),
    Hostile("o-symlink", "build -o a symbolic link to the spec", ("build", "{p}/layouts/p.yaml", "-o", "{p}/link.pdf"), 2,
            ("link.pdf: the PDF would overwrite the spec", OVERWRITE), "overwrite",
            files={"link.pdf": ("link", "layouts/p.yaml")}),
    Hostile("o-hardlink", "build -o a hard link to the article", ("build", "{p}/layouts/p.yaml", "-o", "{p}/hard.pdf"),
            2, ("hard.pdf: the PDF would overwrite an article", OVERWRITE), "overwrite",
            files={"hard.pdf": ("hardlink", "articles/a.md")}),
    Hostile("o-master", "build -o the page's master", ("build", "{p}/layouts/p.yaml", "-o", "{p}/layouts/m.yaml"), 2,
            ("m.yaml: the PDF would overwrite a master", OVERWRITE), "overwrite",
            files={"layouts/m.yaml": "colors: {grey: [0, 0, 0, 0.5]}\n"}, spec="master: m.yaml\n" + SPEC),
    Hostile("o-edition-master", "build an edition -o its pages' master",
            ("build", "{p}/layouts/ed.yaml", "-o", "{p}/layouts/m.yaml"), 2,
            ("m.yaml: the edition's PDF would overwrite a master", OVERWRITE), "overwrite",
            files={"layouts/m.yaml": "colors: {grey: [0, 0, 0, 0.5]}\n",
                   "layouts/ed.yaml": "edition: {name: ed}\npages:\n  - file: p.yaml\n"},
            spec="master: m.yaml\n" + SPEC),
    Hostile("o-profile", "build -o the ICC output profile", ("build", "{p}/layouts/p.yaml", "-o", "{p}/press.icc"), 2,
            ("press.icc: the PDF would overwrite the ICC profile", OVERWRITE), "overwrite",
            files={"press.icc": CMYK_ICC}, spec=spec_with("page: {name: small, ", "page: {name: small, profile: ../press.icc, ")),
    Hostile("two-specs-one-name", "build two specs whose pages have one name (both out/small.pdf)",
            ("build", "{p}/layouts/p.yaml", "{p}/layouts/q.yaml"), 2,
            ("layouts/p.yaml and", "layouts/q.yaml would both be built to out/small.pdf", "another name"), "overwrite",
            files={"layouts/q.yaml": SPEC}),
    Hostile("render-edition-o-yaml", "render an edition -o a .yaml name (PNGs named master-p1.yaml …)",
            ("render", "{p}/layouts/ed.yaml", "-o", "{p}/layouts/m.yaml"), 2,
            ("-o m.yaml: render writes PNG files", "end the name in .png"), "output path",
            files={"layouts/ed.yaml": "edition: {name: ed}\npages:\n  - file: p.yaml\n"}),
    Hostile("render-o-input", "render a PDF onto itself", ("render", "{p}/out/p.pdf", "-o", "{p}/out/p.pdf"), 2,
            ("the PNG of page 1 would overwrite the PDF being read",), "overwrite"),
    Hostile("render-o-spec", "render a spec onto itself", ("render", "{p}/layouts/p.yaml", "-o", "{p}/layouts/p.yaml"),
            2, ("the PNG of page 1 would overwrite the spec",), "overwrite"),
    Hostile("render-o-article", "render a spec onto its article",
            ("render", "{p}/layouts/p.yaml", "-o", "{p}/articles/a.md"), 2,
            ("the PNG of page 1 would overwrite an article",), "overwrite"),
    Hostile("diff-image-a", "diff A B --image A", ("diff", "{p}/out/p.pdf", "{p}/out/q.pdf", "--image", "{p}/out/p.pdf"),
            2, ("the diff image would overwrite PDF A",), "overwrite"),
    Hostile("diff-html-b", "diff A B --html B", ("diff", "{p}/out/p.pdf", "{p}/out/q.pdf", "--html", "{p}/out/q.pdf"),
            2, ("the HTML report would overwrite PDF B",), "overwrite"),
    Hostile("diff-image-html", "diff --image X --html X",
            ("diff", "{p}/out/p.pdf", "{p}/out/q.pdf", "--image", "{p}/out/x", "--html", "{p}/out/x"), 2,
            ("would both be written to this path",), "overwrite"),
    # ── bad output paths ──
    Hostile("o-folder", "build -o an existing folder: the page's default name inside it",
            ("build", "{p}/layouts/p.yaml", "-o", "{p}/out"), 0, ("built {p}/out/small.pdf",), "output path",
            writes=("out/small.pdf", "out/small.png", "out/small.report.json")),
    Hostile("o-below-file", "build -o a path below a file",
            ("build", "{p}/layouts/p.yaml", "-o", "{p}/layouts/p.yaml/x.pdf"), 2,
            ("layouts/p.yaml is a file, not a folder", "write beside the file"), "output path"),
    Hostile("o-long-name", "build -o a 300-character file name",
            ("build", "{p}/layouts/p.yaml", "-o", "{p}/out/" + LONG + ".pdf"), 2,
            ("the file name is too long", "use a shorter name"), "output path"),
    Hostile("o-sys", "build -o into /sys", ("build", "{p}/layouts/p.yaml", "-o", "/sys/kernel/pagesetter-x.pdf"), 2,
            ("/sys/kernel/pagesetter-x.pdf", "cannot write"), "output path"),
    Hostile("o-proc", "build -o into /proc", ("build", "{p}/layouts/p.yaml", "-o", "/proc/self/pagesetter-x.pdf"), 2,
            ("/proc/self/pagesetter-x.pdf", "cannot write"), "output path"),
    Hostile("o-empty", "build -o '' (no file name)", ("build", "{p}/layouts/p.yaml", "-o", ""), 2,
            ("cannot write the PDF: the path names no file",), "output path"),
    Hostile("render-o-root", "render -o /", ("render", "{p}/out/p.pdf", "-o", "/"), 2,
            ("cannot write the PNG of page 1: the path names no file",), "output path"),
    Hostile("o-device", "build -o /dev/null", ("build", "{p}/layouts/p.yaml", "-o", "/dev/null"), 2,
            ("/dev/null: cannot write the PDF: the path is a device",), "output path"),
    Hostile("render-o-folder", "render -o a folder", ("render", "{p}/out/p.pdf", "-o", "{p}/out"), 2,
            ("cannot write the PNG of page 1: the path is a folder",), "output path"),
    Hostile("diff-image-long", "diff --image with a 300-character name",
            ("diff", "{p}/out/p.pdf", "{p}/out/q.pdf", "--image", "{p}/" + LONG + ".png"), 2,
            ("the file name is too long",), "output path"),
    # ── options ──
    *[Hostile(f"build-dpi-{v}", f"build --dpi {v}", ("build", "{p}/layouts/p.yaml", "-o", "{p}/out/p.pdf", "--dpi", v),
              2, ("--dpi", "10–1200", DPI_FIX), "option") for v in ("0", "-5", "nan", "inf", "1e9", "3000", "abc")],
    Hostile("render-dpi-nan", "render --dpi nan", ("render", "{p}/out/p.pdf", "--dpi", "nan"), 2,
            ("--dpi", DPI_FIX), "option"),
    Hostile("diff-dpi-inf", "diff --dpi inf", ("diff", "{p}/out/p.pdf", "{p}/out/q.pdf", "--dpi", "inf"), 2,
            ("--dpi", DPI_FIX), "option"),
    *[Hostile(f"tolerance-{v}", f"diff --tolerance {v}", ("diff", "{p}/out/p.pdf", "{p}/out/q.pdf", "--tolerance", v),
              2, ("--tolerance", "a finite number", "e.g. --tolerance 0.01"), "option") for v in ("nan", "-1", "inf")],
    *[Hostile(f"threshold-{v}", f"diff --pixel-threshold {v}",
              ("diff", "{p}/out/p.pdf", "{p}/out/q.pdf", "--pixel-threshold", v), 2,
              ("--pixel-threshold", "0–1", "e.g. --pixel-threshold 0.001"), "option") for v in ("nan", "2", "-0.5")],
    # ── reading ──
    Hostile("check-dev-zero", "check /dev/zero", ("check", "/dev/zero"), 2,
            ("/dev/zero: spec is a device, not a regular file",), "reading"),
    Hostile("build-dev-urandom", "build /dev/urandom", ("build", "/dev/urandom", "-o", "{p}/out/p.pdf"), 2,
            ("/dev/urandom: spec is a device",), "reading"),
    Hostile("check-fifo", "check a named pipe nobody writes to", ("check", "{p}/fifo.yaml"), 2,
            ("spec is a named pipe (FIFO), not a regular file",), "reading", files={"fifo.yaml": "fifo"}),
    Hostile("article-fifo", "an article that is a named pipe", ("check", "{p}/layouts/p.yaml"), 2,
            ("article file '../articles/f.md' is not a regular file", "give the path of an ordinary file"), "reading",
            files={"articles/f.md": "fifo"}, spec=SPEC.replace("a.md", "f.md")),
    Hostile("article-device", "an article that is /dev/zero", ("check", "{p}/layouts/p.yaml", "--allow-outside"), 2,
            ("'/dev/zero' is not a regular file",), "reading", spec=SPEC.replace("../articles/a.md", "/dev/zero")),
    Hostile("render-dev-zero", "render /dev/zero", ("render", "/dev/zero", "-o", "{p}/out/z.png"), 2,
            ("/dev/zero: PDF is a device, not a regular file",), "reading"),
    Hostile("render-fifo", "render a named pipe with no writer", ("render", "{p}/fifo.pdf", "-o", "{p}/out/z.png"), 2,
            ("PDF is a named pipe (FIFO) and nothing was written to it",), "reading", files={"fifo.pdf": "fifo"}),
    Hostile("preflight-fifo", "preflight a named pipe with no writer", ("preflight", "{p}/fifo.pdf"), 2,
            ("fifo.pdf: PDF is a named pipe (FIFO) and nothing was written to it", "give the path of a PDF file"),
            "reading", files={"fifo.pdf": "fifo"}),
    Hostile("preflight-dev-zero", "preflight /dev/zero", ("preflight", "/dev/zero"), 2,
            ("/dev/zero: PDF is a device, not a regular file",), "reading"),
    Hostile("preflight-folder", "preflight a folder", ("preflight", "{p}/out"), 2, ("PDF is a folder, not a file",),
            "reading"),
    Hostile("diff-dev-urandom", "diff /dev/urandom B", ("diff", "/dev/urandom", "{p}/out/q.pdf"), 2,
            ("/dev/urandom: PDF is a device",), "reading"),
    Hostile("render-missing", "render a file that is not there", ("render", "{p}/none.pdf"), 2,
            ("PDF file not found",), "reading"),
    # ── fonts, front matter, pictures, marks ──
    Hostile("font-upem-0", "a font with unitsPerEm 0", ("check", "{p}/layouts/p.yaml"), 2,
            ("unitsPerEm is 0 (must be 16–16384)", "tiny.ttf", "replace it"), "font",
            files={"fonts/tiny.ttf": tiny_font(0)}, spec=FONT_SPEC),
    Hostile("font-upem-huge", "a font with unitsPerEm 40000", ("build", "{p}/layouts/p.yaml", "-o", "{p}/out/p.pdf"), 2,
            ("unitsPerEm is 40000",), "font", files={"fonts/tiny.ttf": tiny_font(40000)}, spec=FONT_SPEC),
    Hostile("font-fifo", "a font file that is a named pipe", ("check", "{p}/layouts/p.yaml"), 2,
            ("font file '../fonts/tiny.ttf' is not a regular file",), "font", files={"fonts/tiny.ttf": "fifo"},
            spec=FONT_SPEC),
    Hostile("font-device", "a font file that is /dev/zero", ("check", "{p}/layouts/p.yaml", "--allow-outside"), 2,
            ("'/dev/zero' is not a regular file",), "font", spec=FONT_SPEC.replace("../fonts/tiny.ttf", "/dev/zero")),
    Hostile("front-matter-deep", "front matter nested 5000 deep", ("check", "{p}/layouts/p.yaml"), 2,
            ("a.md:2:42: front matter is nested over 32 levels deep", "'key: value' lines"), "article",
            article="---\nheadline: " + "[" * 5000 + "]" * 5000 + "\n---\n正文。\n"),
    # ── issue 18, part 2: fonts checked, front matter bounded, masters and page files confined ──
    *[Hostile(f"font-{key}", what, ("build", "{p}/layouts/p.yaml", "-o", "{p}/out/p.pdf"), 2,
              ("p.yaml:19:9:", "tiny.ttf", table, "fix: the font file is damaged: replace it"), "font",
              files={"fonts/tiny.ttf": damage(tiny_font(chars=ARTICLE_CHARS))}, spec=FONT_SPEC)
      for key, what, table, damage in FONT_DAMAGE],
    Hostile("front-matter-alias-bomb", "a 331-byte front matter of nested aliases (9 × 9 levels)",
            ("build", "{p}/layouts/p.yaml", "-o", "{p}/out/p.pdf"), 2,
            ("a.md:2:19: front matter has over 50,000 values once its aliases (*name) are expanded",
             "fix: front matter is a few 'key: value' lines"), "article", article=ALIAS_BOMB),
    Hostile("front-matter-surrogate", "a lone surrogate escape in front matter (\\ud800)",
            ("build", "{p}/layouts/p.yaml", "-o", "{p}/out/p.pdf"), 2,
            ("a.md:2:", "front matter is not valid YAML", "invalid Unicode character escape",
             "fix: write the character itself"), "article", article='---\nheadline: "基层\\ud800"\n---\n正文。\n'),
    Hostile("front-matter-list", "front matter written as a list", ("check", "{p}/layouts/p.yaml"), 2,
            ("a.md:2:1: front matter must be 'key: value' lines, not a list", "fix: write front matter as"),
            "article", article="---\n- headline: 基层\n- byline: 赵成\n---\n正文。\n"),
    Hostile("front-matter-values", "front-matter values that are no text (a list, null, true, a date)",
            ("check", "{p}/layouts/p.yaml"), 2,
            ("a.md:2:11: front-matter key 'headline' must be text, not a list", "a.md:3:8: front-matter key "
             "'byline' must be text, not nothing (null)", "a.md:4:9: front-matter key 'kicker' must be text, not "
             "true/false", "a.md:5:9: front-matter key 'column' must be text, not a date", "put the value in quotes"),
            "article", article="---\nheadline: [基层, 党建]\nbyline:\nkicker: yes\ncolumn: 2024-05-01\n---\n正文。\n"),
    Hostile("front-matter-nul", "a NUL escape in a front-matter value", ("check", "{p}/layouts/p.yaml"), 2,
            ("a.md:2:11: front-matter key 'headline' holds the control character U+0000", "fix: delete it"),
            "article", article='---\nheadline: "基层\\0党建"\n---\n正文。\n'),
    Hostile("master-absolute", "a master by absolute path outside the project", ("check", "{p}/layouts/p.yaml"), 2,
            ("p.yaml:1:9: master '/etc/passwd' is outside the project folder {p}", "--allow-outside"),
            "confinement", spec="master: /etc/passwd\n" + SPEC),
    Hostile("master-dotdot", "a master ../../ outside the project", ("check", "{p}/layouts/p.yaml"), 2,
            ("p.yaml:1:9: master '../../elsewhere/m.yaml' is outside the project folder", "--allow-outside"),
            "confinement", files={"../elsewhere/m.yaml": "colors: {grey: [0, 0, 0, 0.5]}\n"},
            spec="master: ../../elsewhere/m.yaml\n" + SPEC),
    Hostile("master-symlink", "a master that is a symbolic link leaving the project", ("check", "{p}/layouts/p.yaml"), 2,
            ("p.yaml:1:9: master 'm.yaml' is outside the project folder", "--allow-outside"), "confinement",
            files={"../elsewhere/env": "API_TOKEN=s3cr3t-planted\n", "layouts/m.yaml": ("link", "../elsewhere/env")},
            spec="master: m.yaml\n" + SPEC),
    Hostile("master-grants-itself", "an outside master saying allow_outside: true for itself",
            ("check", "{p}/layouts/p.yaml"), 2,
            ("p.yaml:1:9: master '../../elsewhere/m.yaml' is outside the project folder", "a master's own does not count"),
            "confinement", files={"../elsewhere/m.yaml": "page: {allow_outside: true}\n"},
            spec="master: ../../elsewhere/m.yaml\n" + SPEC),
    Hostile("master-lends-allow-outside", "a master's allow_outside: true does not let the page's article out",
            ("check", "{p}/layouts/p.yaml"), 2,
            ("p.yaml:16:18: article file '../../elsewhere/a.md' is outside the project folder",), "confinement",
            files={"layouts/m.yaml": "page: {allow_outside: true}\n", "../elsewhere/a.md": ARTICLE},
            spec="master: m.yaml\n" + SPEC.replace("../articles/a.md", "../../elsewhere/a.md")),
    Hostile("edition-page-outside", "an edition's page file ../../ outside the project",
            ("build", "{p}/layouts/ed.yaml", "-o", "{p}/out/ed.pdf"), 2,
            ("ed.yaml:3:11: page 1: page spec '../../elsewhere/p.yaml' is outside the project folder", "--allow-outside"),
            "confinement", files={"../elsewhere/p.yaml": SPEC,
                                  "layouts/ed.yaml": "edition: {name: ed}\npages:\n  - file: ../../elsewhere/p.yaml\n"}),
    Hostile("edition-page-symlink", "an edition's page file that is a link to a file outside",
            ("check", "{p}/layouts/ed.yaml"), 2,
            ("ed.yaml:3:11: page 1: page spec 'q.yaml' is outside the project folder",), "confinement",
            files={"../elsewhere/env": "API_TOKEN=s3cr3t-planted\n", "layouts/q.yaml": ("link", "../elsewhere/env"),
                   "layouts/ed.yaml": "edition: {name: ed}\npages:\n  - file: q.yaml\n"}),
    Hostile("masters-eight", "a chain of 8 masters (the limit) is built", ("check", "{p}/layouts/p.yaml"), 0,
            ("layouts/p.yaml: 1 story, 2 frames, nothing overset",), "confinement", files=master_chain(8), spec="master: m1.yaml\n" + SPEC),
    Hostile("masters-nine", "a chain of 9 masters", ("check", "{p}/layouts/p.yaml"), 2,
            ("m8.yaml:1:9: masters are nested 9 deep, over the limit of 8", "at most 8 masters"), "confinement",
            files=master_chain(9), spec="master: m1.yaml\n" + SPEC),
    Hostile("jpeg-cut-check", "a JPEG cut short, check", ("check", "{p}/layouts/p.yaml"), 2,
            ("p.yaml:18:", "image pic.png cannot be read: image file is truncated", "opens in a viewer"), "picture",
            files={"images/pic.png": picture("JPEG", cut=True)}, spec=PICTURE_SPEC),
    Hostile("jpeg-cut-build", "a JPEG cut short, build", ("build", "{p}/layouts/p.yaml", "-o", "{p}/out/p.pdf"), 2,
            ("image pic.png cannot be read",), "picture",
            files={"images/pic.png": picture("JPEG", cut=True)}, spec=PICTURE_SPEC),
    Hostile("png-cut-build", "a PNG cut short, build", ("build", "{p}/layouts/p.yaml", "-o", "{p}/out/p.pdf"), 2,
            ("image pic.png cannot be read",), "picture",
            files={"images/pic.png": picture("PNG", cut=True)}, spec=PICTURE_SPEC),
    Hostile("tiff-cut-check", "a TIFF cut short, check", ("check", "{p}/layouts/p.yaml"), 2,
            ("image pic.png cannot be read",), "picture",
            files={"images/pic.png": picture("TIFF", cut=True)}, spec=PICTURE_SPEC),
    Hostile("archive-bad-date", "an archive article whose date line is not a date", ("check", "{p}/layouts/p.yaml"), 2,
            ("a.md:3:1: archive article: line 3 should be the issue date, not '五月十五日'", "YYYY-MM-DD"), "article",
            article="### 标题\r\n\r\n五月十五日\r\n第1版()\n专栏：\n\n　　标题\n    正文。\r\n"),
    Hostile("archive-no-text", "an archive article with only its header", ("build", "{p}/layouts/p.yaml", "-o", "{p}/out/p.pdf"), 2,
            ("a.md:", "archive article: the article has no text after its header", "write the title and paragraphs"),
            "article", article="### 标题\r\n\r\n1946-05-15\r\n第1版()\n专栏：\n\n"),
    Hostile("archive-dest-stranger", "archive -o a folder of files it did not write",
            ("archive", "{p}/articles", "-o", "{p}/out"), 2,
            ("the output folder holds files that pagesetter archive did not write", "give a new or empty folder"),
            "archive"),
    Hostile("archive-dest-in-source", "archive -o a folder inside the archive",
            ("archive", "{p}/articles", "-o", "{p}/articles/regenerated"), 2,
            ("the output folder and the archive overlap", "outside the source"), "archive"),
    Hostile("archive-no-source", "archive a folder that does not exist",
            ("archive", "{p}/nowhere", "-o", "{p}/regenerated"), 2,
            ("nowhere: the archive folder is not found", "give the folder"), "archive"),
    Hostile("combining-mark", "a combining accent after its base", ("check", "{p}/layouts/p.yaml"), 1,
            ("a.md:9:6: U+0301 COMBINING ACUTE ACCENT after 'e' needs mark positioning", "precomposed 'é'"),
            "warning", article=ARTICLE.replace("政治属性是", "政治属性e\u0301是")),
    # ── pixels ──
    Hostile("render-huge-page", "render a 14400 pt page at 100 dpi", ("render", "{p}/big.pdf", "-o", "{p}/out/big.png"),
            2, ("400 million pixels, over the limit of 50 million", "use --dpi 35 or less"), "pixels",
            files={"big.pdf": big_page_pdf()}),
    # (the pages differ: pages that render the same are paired by signature and never rasterised)
    Hostile("diff-huge-page", "diff two 14400 pt pages", ("diff", "{p}/big.pdf", "{p}/big2.pdf"), 2,
            ("over the limit of 50 million", "use --dpi 35 or less"), "pixels",
            files={"big.pdf": big_page_pdf(), "big2.pdf": big_page_pdf("y")}),
    Hostile("build-huge-preview", "build of a 2.9 m square page: the preview is made at a lower dpi",
            ("build", "{p}/layouts/p.yaml", "-o", "{p}/out/huge.pdf"), 1,
            ("130 million pixels, over the limit of 50 million; the PNG preview is made at 61 dpi",), "pixels",
            spec=spec_with("trim: [105mm, 148mm]", "trim: [2900mm, 2900mm]"),
            writes=("out/huge.pdf", "out/huge.png", "out/huge.report.json")),
    # ── hostile PDFs given to preflight, render, diff (tests/hostile_pdfs.py) ──
    *[Hostile(**case) for case in hostile_pdfs.cli_cases()],
    # ── atomicity: a build failing after a good one ──
    Hostile("late-failure", "build with a bad option after a good build", ("build", "{p}/layouts/p.yaml", "-o",
            "{p}/out/p.pdf", "--dpi", "nan"), 2, ("--dpi",), "atomicity"),
    Hostile("bad-spec-after-good", "build of a broken spec over a good build",
            ("build", "{p}/layouts/p.yaml", "-o", "{p}/out/p.pdf"), 2, ("chain names frame 'f9'",), "atomicity",
            spec=SPEC.replace("[f1, f2]", "[f1, f9]")),
    Hostile("no-png-stale", "build --no-png over a build with a preview: the old preview goes",
            ("build", "{p}/layouts/p.yaml", "-o", "{p}/out/p.pdf", "--no-png"), 0, ("built",), "atomicity",
            writes=("out/p.pdf", "out/p.report.json", "out/p.png")),
]


# ── issue 18: the output writer touches only its own earlier set; names; pictures; processes ──

def _forged_report(target: str, data: bytes) -> str:
    """A report that looks like pagesetter's and records `target` (outside its set's names) as a member."""
    import hashlib
    import json

    return json.dumps({"page": "small", "stories": [], "outputs": {
        target: {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}}})


REPLACE_FIX = "move or delete that file if it may go"
EDITION_FILE = "edition: {name: ed}\npages:\n  - file: p.yaml\n"
HOSTILE += [
    Hostile("o-folder-slash", "build -o a new folder/ (trailing slash): the default name inside it",
            ("build", "{p}/layouts/p.yaml", "-o", "{p}/out/new/"), 0, ("built {p}/out/new/small.pdf",),
            "output path", writes=("out/new/small.pdf", "out/new/small.png", "out/new/small.report.json")),
    Hostile("edition-o-folder-slash", "build an edition -o a folder/: the edition's default name inside it",
            ("build", "{p}/layouts/ed.yaml", "-o", "{p}/out/new/", "--no-png"), 0, ("built {p}/out/new/ed.pdf",),
            "output path", files={"layouts/ed.yaml": EDITION_FILE},
            writes=("out/new/ed.pdf", "out/new/ed.report.json", "out/new/ed/01-small.pdf")),
    Hostile("o-photo-no-png", "build -o images/photo.pdf --no-png beside a photo: the photo stays",
            ("build", "{p}/layouts/p.yaml", "-o", "{p}/images/photo.pdf", "--no-png"), 0, ("built",), "overwrite",
            files={"images/photo.png": picture("PNG")},
            writes=("images/photo.pdf", "images/photo.report.json")),
    Hostile("o-diagram-no-png", "build -o docs/diagram.pdf --no-png beside an unrelated diagram.png",
            ("build", "{p}/layouts/p.yaml", "-o", "{p}/docs/diagram.pdf", "--no-png"), 0, ("built",), "overwrite",
            files={"docs/diagram.png": b"not a preview"}, writes=("docs/diagram.pdf", "docs/diagram.report.json")),
    Hostile("o-photo-png", "build -o images/photo.pdf: its preview would replace a photo the page does not use",
            ("build", "{p}/layouts/p.yaml", "-o", "{p}/images/photo.pdf"), 2,
            ("images/photo.png: the PNG preview would replace photo.png, which pagesetter did not write",
             REPLACE_FIX), "overwrite", files={"images/photo.png": picture("PNG")}),
    Hostile("o-stranger-pdf", "build -o a PDF that some other program wrote (no report beside it)",
            ("build", "{p}/layouts/p.yaml", "-o", "{p}/docs/manual.pdf"), 2,
            ("docs/manual.pdf: the PDF would replace manual.pdf, which pagesetter did not write", REPLACE_FIX),
            "overwrite", files={"docs/manual.pdf": b"%PDF-1.4 someone else's\n"}),
    Hostile("o-stranger-report", "build -o x.pdf where x.report.json is someone else's JSON",
            ("build", "{p}/layouts/p.yaml", "-o", "{p}/docs/x.pdf"), 2,
            ("the copyfit report would replace x.report.json, which pagesetter did not write",), "overwrite",
            files={"docs/x.report.json": '{"config": true}\n'}),
    Hostile("o-edited-preview", "build over a set whose preview was edited since: refused",
            ("build", "{p}/layouts/p.yaml", "-o", "{p}/out/p.pdf"), 2,
            ("out/p.png: the PNG preview would replace p.png, which was changed since pagesetter wrote it",
             REPLACE_FIX), "overwrite", files={"out/p.png": picture("PNG")}),
    Hostile("o-edited-preview-no-png", "build --no-png over a set whose preview was edited since: it stays",
            ("build", "{p}/layouts/p.yaml", "-o", "{p}/out/p.pdf", "--no-png"), 0, ("built",), "overwrite",
            files={"out/p.png": picture("PNG")}, writes=("out/p.pdf", "out/p.report.json")),
    Hostile("o-forged-report", "a report forged to list the article as a member: the article stays",
            ("build", "{p}/layouts/p.yaml", "-o", "{p}/out/f.pdf", "--no-png"), 0, ("built",), "overwrite",
            files={"out/f.report.json": _forged_report("../articles/a.md", ARTICLE.encode("utf-8"))},
            writes=("out/f.pdf", "out/f.report.json")),
    Hostile("o-old-preview-as-picture", "build --no-png of a page that places its own earlier preview as a picture",
            ("build", "{p}/layouts/p.yaml", "-o", "{p}/out/p.pdf", "--no-png"), 1, ("built",), "overwrite",
            spec=PICTURE_SPEC.replace("../images/pic.png", "../out/p.png"), writes=("out/p.pdf", "out/p.report.json")),
    Hostile("o-preview-link", "the preview's path is a symbolic link to a stranger's file",
            ("build", "{p}/layouts/p.yaml", "-o", "{p}/out/s.pdf"), 2,
            ("the PNG preview would replace s.png, which pagesetter did not write",), "overwrite",
            files={"notes.txt": "my notes\n", "out/s.png": ("link", "notes.txt")}),
    Hostile("edition-stranger-page", "build an edition whose page PDF path holds a stranger's file",
            ("build", "{p}/layouts/ed.yaml", "-o", "{p}/out/ed.pdf"), 2,
            ("out/ed/01-small.pdf: the edition's 01-small.pdf would replace 01-small.pdf, which pagesetter did not "
             "write",), "overwrite",
            files={"layouts/ed.yaml": EDITION_FILE, "out/ed/01-small.pdf": b"%PDF-1.4 mine\n"}),
    # ── names ──
    Hostile("name-newline", "a page name with a newline (was written as out/a⏎b.pdf)",
            ("build", "{p}/layouts/p.yaml"), 2,
            ("p.yaml:1:14: page name 'a\\nb' holds a control character (U+000A", "no control characters"), "name",
            spec=spec_with("name: small", 'name: "a\\nb"')),
    Hostile("name-rlo", "a page name with a right-to-left override (U+202E)",
            ("check", "{p}/layouts/p.yaml"), 2,
            ("p.yaml:1:14: page name 'a\\u202eb' holds an invisible format character",), "name",
            spec=spec_with("name: small", 'name: "a\\u202Eb"')),
    Hostile("edition-name-tab", "an edition name with a tab", ("build", "{p}/layouts/ed.yaml"), 2,
            ("ed.yaml:1:17: edition name 'e\\td' holds a control character (U+0009", "no control characters"), "name",
            files={"layouts/ed.yaml": 'edition: {name: "e\\td"}\npages:\n  - file: p.yaml\n'}),
    # ── pictures ──
    Hostile("picture-cmyk-profile", "an RGB JPEG carrying a CMYK ICC profile (was an internal error)",
            ("build", "{p}/layouts/p.yaml", "-o", "{p}/out/p.pdf", "--no-png"), 1,
            ("p.yaml:18:5: image pic.png: its embedded ICC profile is for CMYK colours, but its pixels are RGB",
             "taken as sRGB", "fix: export the picture again"), "picture",
            files={"images/pic.png": picture_with_profile("JPEG", "default_cmyk.icc")}, spec=PICTURE_SPEC,
            writes=("out/p.pdf", "out/p.report.json", "out/p.png")),
    Hostile("picture-grey-profile", "an RGB PNG carrying a grey ICC profile", ("check", "{p}/layouts/p.yaml"), 1,
            ("image pic.png: its embedded ICC profile is for GRAY colours",), "picture",
            files={"images/pic.png": picture_with_profile("PNG", "sgray.icc")}, spec=PICTURE_SPEC),
    Hostile("picture-portrait-phone", "a portrait phone photo (EXIF orientation 6): measured upright",
            ("check", "{p}/layouts/p.yaml"), 1, ("image pic.png (300×400 px) is",), "picture",
            files={"images/pic.png": picture_turned(6)}, spec=PICTURE_SPEC),
    Hostile("picture-int32", "a 32-bit integer TIFF whose values run past 16 bits (was placed solid black)",
            ("check", "{p}/layouts/p.yaml"), 2,
            ("p.yaml:18:25: image pic.png cannot be placed: its integer grey values run from 0 to",
             "fix: save it as an 8- or 16-bit picture"), "picture",
            files={"images/pic.png": picture_int32()}, spec=PICTURE_SPEC),
    Hostile("picture-100mp", "a PNG of 100 million pixels (Pillow alone refused it at 89 million)",
            ("check", "{p}/layouts/p.yaml"), 0, ("checked",), "picture",
            files={"images/pic.png": _png(10_000, 10_000)}, spec=PICTURE_SPEC),
    Hostile("picture-200mp", "a PNG declaring 200 million pixels and one row",
            ("check", "{p}/layouts/p.yaml"), 2,
            ("image pic.png is 20000×10001 = 200 million pixels, over the limit of 200 million",
             "scale it down"), "picture", files={"images/pic.png": _png(20_000, 10_001)}, spec=PICTURE_SPEC),
    # ── processes ──
    *[Hostile(f"jobs-{v}", f"PAGESETTER_JOBS={v} for an edition", ("build", "{p}/layouts/ed.yaml", "--no-png"), 2,
              (f"PAGESETTER_JOBS: the environment variable is '{v}', not a number of processes",
               "fix: set it to a whole number from 1 to 64"), "option",
              files={"layouts/ed.yaml": EDITION_FILE}, env={"PAGESETTER_JOBS": v}) for v in ("abc", "-3")],
    Hostile("jobs-huge", "PAGESETTER_JOBS=100000 for an edition: capped (was a worker per page)",
            ("build", "{p}/layouts/ed.yaml", "-o", "{p}/out/ed.pdf", "--no-png"), 0, ("built",), "option",
            files={"layouts/ed.yaml": EDITION_FILE}, env={"PAGESETTER_JOBS": "100000"},
            writes=("out/ed.pdf", "out/ed.report.json", "out/ed/01-small.pdf")),
    Hostile("watch-o-article", "watch -o an article (printed its refusal and watched on)",
            ("watch", "{p}/layouts/p.yaml", "-o", "{p}/articles/a.md"), 2,
            ("the PDF would overwrite an article", OVERWRITE), "overwrite"),
    Hostile("name-from-file", "a page named after its file, whose name holds a newline",
            ("build", "{p}/layouts/a\nb.yaml"), 2,
            ("the page is named after its file, 'a\\nb', which holds a control character", "page: {name: …}"),
            "name", files={"layouts/a\nb.yaml": spec_with("name: small, ", "")}),
]


def hostile_project(case: Hostile, root: Path, built: dict[str, bytes]) -> Path:
    """Write the case's project under `root`: the small project, the files of a good build (`built`,
    relative path → bytes), then the case's own files."""
    import os

    root.mkdir(parents=True, exist_ok=True)
    project(root, case.spec if case.spec is not None else SPEC, case.article if case.article is not None else ARTICLE)
    for rel, data in built.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    for rel, data in case.files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if data == "fifo":
            os.mkfifo(target)
        elif isinstance(data, tuple):
            (os.symlink if data[0] == "link" else os.link)(root / data[1], target)
        else:
            target.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return root


def hostile_args(case: Hostile, root: Path) -> list[str]:
    return [a.replace("{p}", str(root)) for a in case.args]


def materialise(case: Bad, root: Path) -> Path:
    """Write the case's project under `root` (a folder of its own); returns the spec path."""
    root.mkdir(parents=True, exist_ok=True)
    path = project(root, case.spec if case.spec is not None else "")
    for rel, data in case.files.items():
        target = (root / rel).resolve()
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def _write_docs() -> None:
    import tempfile

    from pagesetter.errors import PagesetterError
    from pagesetter.pagespec.load import load_spec

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for case in CASES:
            root = Path(tmp) / case.id / "project"
            spec = materialise(case, root)
            try:
                load_spec(spec)
                msg = "(accepted!)"
            except PagesetterError as exc:
                msg = "<br>".join(
                    f"`{p.line}:{p.column}` {p.message} — *fix:* {p.fix}".replace(str(root), "<project>")
                    .replace("|", "\\|") for p in exc.problems)
            rows.append(f"| {case.cls} | {case.what} | {msg} |")
    text = DOC_HEAD + "\n".join(rows) + "\n" + HOSTILE_HEAD + "\n".join(_hostile_rows()) + "\n" + DOC_TAIL
    (Path(__file__).resolve().parents[1] / "docs" / "bad-inputs.md").write_text(text, encoding="utf-8")


def _hostile_rows(cases: list | None = None) -> list[str]:
    """One row per HOSTILE case (or of `cases`): the command line, the exit code and the message, run for real."""
    import tempfile

    from click.testing import CliRunner

    from pagesetter.build import build
    from pagesetter.cli import main

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        good = Path(tmp) / "good"
        build(project(good), good / "out" / "p.pdf")
        built = {f"out/p.{x}": (good / "out" / f"p.{x}").read_bytes() for x in ("pdf", "png", "report.json")}
        built["out/q.pdf"] = built["out/p.pdf"]
        for case in HOSTILE if cases is None else cases:
            root = hostile_project(case, Path(tmp) / case.id / "project", built)
            result = CliRunner().invoke(main, hostile_args(case, root), env=case.env or None)
            output = result.output
            for rel in [r for r in case.files if "\n" in r]:  # a file name with a newline, shown as ⏎
                output = output.replace(rel.split("/")[-1], rel.split("/")[-1].replace("\n", "⏎"))
            lines = [l.strip() for l in output.splitlines() if l.strip()]
            lines = [l for l in lines if l.startswith(("error", "warning", "fix", "Error", "built", "checked"))
                     or any(e in l for e in case.expect)][:3]  # (preflight's findings: the one expected)
            shown = "<br>".join(lines).replace(str(root), "<project>").replace("|", "\\|")
            shown = re.sub(r"\(\d+\.\d+s\)", "(…s)", shown.replace(LONG, "x…x"))
            command = " ".join(a.replace("{p}/", "").replace(LONG, "x…x").replace("\n", "⏎") for a in case.args)
            env = "".join(f"{k}={v} " for k, v in case.env.items())
            rows.append(f"| {case.cls} | {case.what} | `{env}pagesetter {command}` | {result.exit_code} | {shown} |")
    return rows


HOSTILE_HEAD = """
## Hostile command lines

The red-team corpus (`HOSTILE` in `tests/bad_inputs.py`, run by
tests/test_safety.py::test_hostile_command_line): each case is run in a small project that also
holds a good build (out/p.pdf, its preview and report); the test checks the exit code, the
message, that no file of the project changed (no input overwritten, the old build untouched) and
that no new or temporary file appeared. Paths are shown relative to the project.

| class | bad input | command | exit | message |
|---|---|---|---|---|
"""

DOC_HEAD = """\
# Bad inputs and what they get

Generated by `python tests/bad_inputs.py` from the corpus in `tests/bad_inputs.py`, which
tests/test_spec_errors.py and tests/test_safety.py run on every test run (the loader, then the
CLI: exit code 2, no traceback). Each row is a small project (`layouts/p.yaml`, the spec of
tests/specs.py with one mistake made); the message column is what `pagesetter check`/`build`
print after `layouts/p.yaml:`, with the line:column first.

| class | bad input | message (line:column, what, fix) |
|---|---|---|
"""

DOC_TAIL = """
## Beyond the spec

| bad input | what happens | test |
|---|---|---|
| spec of 100,000 frames (3.8 MB) | `spec is 3,788,… bytes, over the 1,000,000-byte limit`, exit 2, in about a millisecond | test_safety.py::test_hundred_thousand_frames_refused (time: benchmarks/refusals.py) |
| 100,000 values in under 1 MB | `spec has over 50,000 values; refusing to read further` at the line where the count runs over, < 0.5 s | test_safety.py::test_many_values_refused (time: benchmarks/refusals.py) |
| 600 frames | `frames has 600 entries; at most 500 are allowed` | test_safety.py::test_frame_limit |
| alias bomb ("billion laughs", 9 levels × 9 aliases) | `spec has over 50,000 values once its aliases (*name) are expanded`, ~0.1 s | test_safety.py::test_alias_bomb_refused (time: benchmarks/refusals.py) |
| recursive alias `&a [*a]` | `spec is nested over 32 levels deep (a recursive alias?)` | test_safety.py::test_recursive_alias |
| 10,000 nested `[` | `spec is nested over 32 levels deep` | test_safety.py::test_deep_nesting |
| 10 MB article | `article is 10,000,000 bytes, over the 2,000,000-byte limit`, fix: split it into several articles; exit 2 before anything is set | test_safety.py::test_ten_megabyte_article |
| article not UTF-8 | `article is not UTF-8 text (byte N)`, fix: save the file as UTF-8 | test_safety.py::test_cli_bad_articles |
| article front matter unknown key / not closed / bad YAML | `unknown front-matter key 'titel'` / `front matter opened with '---' is never closed` / `front matter is not valid YAML`, each with file:line | test_safety.py::test_cli_bad_articles |
| archive article (`### title`, date, `第N版()`, `专栏：` lines) with a bad header line or no text | `archive article: line 3 should be the issue date, not '五月十五日'` (fix: write the date as YYYY-MM-DD) / `line 4 should be the page` / `line 5 should be the column line` / `line 6 should be empty` / `the article has no text after its header` / `a tab indents this line`, each with file:line; the file is never rewritten (docs/archive.md) | test_archive.py, test_safety.py (archive-bad-date, archive-no-text) |
| article script mark out of place: an unclosed `^` (`10^-6 S/m`), an empty `^^`, a space, a full-width character (`5~10℃，20~30℃`) or more than 10 characters (a subscript of 40) before the closing mark | `a.md:4:6: '^' opens a superscript that is never closed on this line` / `'^^' is an empty superscript` / `the subscript opened here holds the full-width '，'` / `a subscript of 40 characters: at most 10 may be set small`, fix: close it (`10^-6^`), or write `\\^` for the character itself | test_safety.py::test_cli_bad_articles, test_scripts.py::test_a_mark_out_of_place_is_a_located_error |
| a line without the mark `\\|` inside a verse block | `a.md:5:1: a line inside a verse block does not start with '\\|'`, fix: start it with `\\| ` (a verse line), or leave a blank line before it | test_safety.py::test_cli_bad_articles, test_verse.py::test_a_line_without_the_mark_inside_a_verse_block_is_a_located_error |
| a character neither the face nor its fallback faces have (U+E123) | `character '\\\\ue123' (U+E123) is not in the song face Noto Serif CJK SC (…), nor latin-serif, nor math, nor symbols; used at story.md:3:9` | test_scripts.py::test_a_character_no_face_has_is_still_a_located_error |
| a character the face lacks (U+E000) | `character '\\ue000' (U+E000) is not in the song face … used at a.md:5:3`, the Problem's file/line/column the article's | test_check.py::test_missing_glyph_named_with_file_line_column |
| picture below 300 ppi in its slot | `warning: …/p.yaml:17:5: image pic.png (40×30 px) is 13 ppi in its 38×58 mm slot, below 300 ppi`, fix: use a picture of at least 450×690 px; in report.json with its file, line, column and fix; exit 1 | test_check.py::test_low_resolution_image_warned |
| picture enlarged past its scale limit (`min_ppi`, default 300) as placed — contained, cropped or focused | `warning: …/p.yaml:12:5: image logo.png (300×300 px) is 157 ppi in its 49×49 mm place, below 300 ppi`, fix: use a picture of at least 574×574 px, or crop less of it; `fit: width` on a picture taller than its slot: `cropped to it, keeping the focus`; exit 1 | test_picture_fit.py::test_low_resolution_uses_the_size_as_placed_and_the_scale_limit, test_width_on_a_tall_picture_is_cropped_to_the_slot_with_a_warning |
| a block without `wrap` over a frame's text (a picture, a headline, a box border, a rule on the story's lines) | `warning: …/p.yaml:18:5: image block 2 lies over the text of story 's' in frame 'f1' (4 lines under it)`, fix: give the block wrap: 0 (the text then runs around it, 绕排), move it, or move frame 'f1' clear of it; exit 1 | test_overlaps.py |
| headline block on a continuation story (`continues:`), on its page alone or in an edition | `error: …/p.yaml:17:5: headline block 1: story 's' is a continuation (continues: front/main), which has no head of its own for a headline block to set`, fix: delete this block and set continued_head: <style> on the story; exit 2 (it was an internal error alone, and nothing, silently, in an edition) | test_overlaps.py, test_edition_errors.py |
| spec path is a folder / does not exist | `spec is a folder, not a file` / `spec file not found` | test_safety.py::test_cli_bad_paths |
| build fails after a good build (bad input, or the disk fills up as the files are put in place) | the previous PDF, preview and report are untouched, no temporary file is left (all three are written as one set) | test_safety.py::test_failed_build_leaves_previous_set |
| eight builds of two different pages to one output at once | all succeed; the PDF, preview and report left are all three of one build (last writer wins, never a mix) | test_safety.py::test_concurrent_builds_of_one_output |
| the system refuses a path (permission denied, disk full, read-only, name too long, … every errno in `files.KNOWN_ERRNOS`) | `<path>: cannot read spec: permission denied`, with a fix, exit 2; any other exception stays an internal error, exit 3 | test_safety.py::test_permission_denied_on_the_spec, test_every_known_os_error_on_a_path_is_exit_2 |
| `init` failing half-way (the disk fills up) | no file of the new project is left | test_safety.py::test_init_writes_all_files_or_none |
| a build killed with kill -9 as it writes | its hidden `.p.pdf.<random>.tmp` is removed by the next write of that output once an hour old | test_safety.py::test_temporary_files_of_a_killed_run_are_swept |
| a build killed with SIGTERM | unwinds like Ctrl-C: temporary files are removed, the previous set is untouched, exit 143 | test_processes.py::test_pool_workers_die_with_their_parent |
| Ctrl-C (SIGINT) while a page renders, or between two renames of its set | `stopped (Ctrl-C): no output was half-written; …`, exit 130 (was 1, the code for warnings); the previous PDF, preview and report as they were | test_processes.py::test_ctrl_c_while_rendering_exits_130_with_the_previous_set, ::test_ctrl_c_while_the_set_is_put_in_place_rolls_back |
| the parent of `build --jobs 2` killed (kill -9, kill, Ctrl-C, the terminal closed: SIGHUP) | its pool workers end with it (PR_SET_PDEATHSIG; on an error, SIGTERM, SIGHUP or Ctrl-C the parent ends them at once); exit -9/143/130/129; the earlier edition output is untouched | test_processes.py::test_pool_workers_die_with_their_parent |
| `build … > /dev/full` | `cannot write to the standard output: no space left on device`, fix: send it where there is room; exit 2 (was an internal error); the set itself is written whole | test_processes.py::test_standard_output_without_room_is_a_clear_error |
| building from a working folder that was deleted | `the current folder no longer exists`, fix: cd into an existing folder; exit 2 (was an internal error) | test_processes.py::test_deleted_working_folder_is_a_clear_error |
| `watch` of a page whose article is a symbolic link, re-pointed to an older file of the same size | rebuilt (links are watched with the files they lead to) | test_watch.py::test_re_pointing_a_symlinked_article_rebuilds |
| EXIF orientations 2–8, JPEG and PNG | turned upright before the crop, the fit and the ppi warning: the same picture, crop and place as the upright file | test_pictures.py::test_orientation_applied_before_the_crop_and_fit, ::test_ppi_warning_uses_the_upright_size |
| an RGB picture with a CMYK, grey or damaged ICC profile, also in an edition built by two processes | the profile is ignored, the picture taken as sRGB, with a warning naming the file and the block's line; exit 1 (was an internal error, exit 3) | test_pictures.py::test_profile_that_does_not_fit_the_pixels_is_ignored_with_a_warning, ::test_profile_that_does_not_fit_through_the_edition_pool |
| 16-bit, 32-bit integer and floating-point grey pictures | scaled onto 8 bits as they look (a 32-bit TIFF was placed solid black); values no scale can show refused, exit 2 | test_pictures.py::test_every_source_mode_prints_as_it_looks, ::test_integer_grey_beyond_sixteen_bits_is_refused |
| output folder on a read-only file system | `cannot write the PDF: … is on a read-only file system`, exit 2 | test_safety.py::test_read_only_file_system |
| `preflight`/`render`/`diff` of a 1 GB file (sparse) | `PDF is 1,073,741,824 bytes, over the 256,000,000-byte limit`, fix: split the PDF; refused by its size before a byte is read, exit 2 | test_hostile_pdfs.py::test_a_sparse_gigabyte_is_refused_by_its_size (time: benchmarks/refusals.py) |
| a PDF through a pipe that sends more than 256,000,000 bytes | refused while reading at the limit, exit 2 | test_hostile_pdfs.py::test_byte_limit_counted_while_reading_a_pipe |
| `render` of 15 million rectangles in a 400 KB stream; `diff`/`render` of a 20,000-page PDF | `page 1 draws over 1,000,000 content operators` / `the PDF has over 200 pages`, exit 2, before pdfium parses a page | test_hostile_pdfs.py::test_dense_content_refused_at_the_operator_limit, test_page_limit_from_the_walk_not_from_count (time and memory: benchmarks/refusals.py) |
| 47 malformed PDFs (tests/hostile_pdfs.py `MALFORMED`) × `preflight`, `render`, `diff` | exit 1 with each damage named (a warning with a fix; a preflight finding) or exit 2 with the file and a fix; never exit 3, never a hang | test_hostile_pdfs.py::test_malformed_pdf_is_exit_1_or_2_with_a_message |
| a bug (an unexpected exception) | `internal error: …; this is a bug in pagesetter`, exit 3, no traceback (with `--debug`: the traceback) | test_check.py::test_internal_error_exit_3 |
| a master or an edition's page file outside the project, read with --allow-outside, holding `API_TOKEN=…` | refused for what it is (`a master must be a mapping …, not text`), never for what it says: no line of a file outside the project is printed | test_reliability_inputs.py::test_a_master_outside_is_refused_and_never_quoted, test_an_edition_page_outside_is_refused_and_never_quoted |
| a master (inside the project) saying `page: {allow_outside: true}` | does not count: only `--allow-outside` or the top spec's own key lets files out | test_reliability_inputs.py::test_a_master_of_an_allowed_outside_master_cannot_lend_allow_outside_to_articles |
| random bytes in a font's glyf table (12 seeds), a glyph's program running past its bytes, no hhea/maxp/loca/hmtx, advances 0 or NaN, a letter or punctuation mark with an empty glyph | `FontError` naming the font file and the table (`'glyf'`, `'hmtx'` …), exit 2; a zero-width character (U+200B, a combining mark) may have no advance, a space or private-use character no ink | test_reliability_inputs.py::test_random_bytes_in_glyf_are_never_drawn, test_a_damaged_face_names_its_file_and_table, test_spaces_and_private_use_characters_may_be_blank |
| the font check on the warm path | the glyphs are checked once, as they are measured, and kept with their metrics: a warm build decodes none again (the advance check is a loop over the page's characters) | test_reliability_inputs.py::test_a_good_tiny_face_builds_and_the_check_is_kept_with_the_metrics |
| a cache entry that is a named pipe, a link to /dev/zero (metrics, subsets, the fact index, the profile) or a changed profile description | treated as damaged (only regular files are read, at most 64 MB, each framed with a CRC-32) and made again; the PDF is byte-identical to a clean-cache build | test_reliability_inputs.py::test_a_damaged_cache_entry_is_rebuilt_and_changes_nothing |
"""


if __name__ == "__main__":
    _write_docs()
