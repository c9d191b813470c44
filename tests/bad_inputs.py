"""The corpus of bad inputs: each a small project with one kind of mistake and the message it must get.

Used by tests/test_spec_errors.py (load_spec) and tests/test_safety.py (the CLI, no traceback);
`python tests/bad_inputs.py` rewrites docs/bad-inputs.md from it (paths shown relative).
"""
from __future__ import annotations

import struct
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from specs import SPEC, project, spec_with  # noqa: E402


def _png(w: int, h: int) -> bytes:
    """A PNG header declaring w × h pixels (the pixels themselves are not needed to be refused)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) + \
        chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


def _ppm() -> bytes:
    return b"P6\n2 2\n255\n" + b"\x00" * 12


IMAGE_BLOCK = "  - {kind: image, file: ../images/x.img, at: {col: 2, span: 1, line: 4, lines: 5}}\n"
NO_F2 = spec_with("  f2: {col: 2, line: 4, lines: 17}\n", "").replace("chain: [f1, f2]", "chain: [f1]")


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
        ("block 2 has no kind", "add kind: one of text, headline, image, box, rule"), cls="type"),
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
    Bad("caption-style-default", "caption without a caption style", SPEC + "  - {kind: image, caption: ../articles/a.md, at: {col: 2, line: 4, lines: 5}}\n",
        ("uses the style 'caption' (the default caption_style), which is not defined",), cls="reference"),
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
    Bad("image-bomb", "PNG declaring 40000×40000 pixels", SPEC + IMAGE_BLOCK, ("image x.img is too large to place",),
        files={"images/x.img": _png(40000, 40000)}, cls="image"),
    # ── several at once ──
    Bad("several", "three mistakes in one spec", SPEC.replace("columns: 2", "colums: 2").replace("role: kai", "role: kia")
        .replace("[f1, f2]", "[f1, f3]"), ("unknown key 'colums'", "grid lacks columns"), cls="several"),
    Bad("several-2", "three mistakes, grid intact", SPEC.replace("role: kai", "role: kia").replace("[f1, f2]", "[f1, f3]")
        .replace("color: red}", "color: rad}"),
        ("unknown font role 'kia'", "chain names frame 'f3'", "unknown colour 'rad'"), cls="several"),
]


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
    text = DOC_HEAD + "\n".join(rows) + "\n" + DOC_TAIL
    (Path(__file__).resolve().parents[1] / "docs" / "bad-inputs.md").write_text(text, encoding="utf-8")


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
| spec of 100,000 frames (3.8 MB) | `spec is 3,788,… bytes, over the 1,000,000-byte limit`, exit 2, in about a millisecond | test_safety.py::test_hundred_thousand_frames_refused_fast |
| 100,000 values in under 1 MB | `spec has over 50,000 values; refusing to read further` at the line where the count runs over, < 0.5 s | test_safety.py::test_many_values_refused_fast |
| 600 frames | `frames has 600 entries; at most 500 are allowed` | test_safety.py::test_frame_limit |
| alias bomb ("billion laughs", 9 levels × 9 aliases) | `spec has over 50,000 values once its aliases (*name) are expanded`, ~0.1 s | test_safety.py::test_alias_bomb_refused_fast |
| recursive alias `&a [*a]` | `spec is nested over 32 levels deep (a recursive alias?)` | test_safety.py::test_recursive_alias |
| 10,000 nested `[` | `spec is nested over 32 levels deep` | test_safety.py::test_deep_nesting |
| 10 MB article | `article is 10,000,000 bytes, over the 2,000,000-byte limit`, fix: split it into several articles; exit 2 before anything is set | test_safety.py::test_ten_megabyte_article |
| article not UTF-8 | `article is not UTF-8 text (byte N)`, fix: save the file as UTF-8 | test_safety.py::test_cli_bad_articles |
| article front matter unknown key / not closed / bad YAML | `unknown front-matter key 'titel'` / `front matter opened with '---' is never closed` / `front matter is not valid YAML`, each with file:line | test_safety.py::test_cli_bad_articles |
| a character the face lacks (U+E000) | `character '\\ue000' (U+E000) is not in the song face … used at a.md:5:3`, the Problem's file/line/column the article's | test_check.py::test_missing_glyph_named_with_file_line_column |
| picture below 300 ppi in its slot | `warning: …/p.yaml:17:5: image pic.png (40×30 px) is 13 ppi in its 38×58 mm slot, below 300 ppi; use a picture of at least 450×690 px`, exit 1 | test_check.py::test_low_resolution_image_warned |
| spec path is a folder / does not exist | `spec is a folder, not a file` / `spec file not found` | test_safety.py::test_cli_bad_paths |
| build fails after a good build | the previous PDF is untouched, no temporary file is left | test_safety.py::test_failed_build_leaves_previous_pdf |
| a bug (an unexpected exception) | `internal error: …; this is a bug in pagesetter`, exit 3, no traceback (with `--debug`: the traceback) | test_check.py::test_internal_error_exit_3 |
"""


if __name__ == "__main__":
    _write_docs()
