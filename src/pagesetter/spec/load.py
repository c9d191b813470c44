"""Load a page spec: YAML → validated, resolved `PageSpec` (all lengths in points).

Every problem found is collected with its file, line and column, and all are reported together.
"""
from __future__ import annotations

import difflib
from pathlib import Path

from .. import units
from ..errors import PagesetterError, Problem
from ..fonts.roles import FaceOverride
from ..text.measure import Composition
from .model import Area, Block, Frame, Grid, PageSpec, StorySpec, Style
from .yamlpos import Located, load_yaml

TOP_KEYS = ("page", "grid", "colors", "composition", "styles", "fonts", "frames", "stories", "blocks")
PAGE_KEYS = ("name", "trim", "top", "left")
GRID_KEYS = ("columns", "column", "gutter", "lines", "body", "pitch")
STYLE_KEYS = ("role", "size", "tracking", "align", "color", "indent")
AREA_KEYS = ("col", "span", "line", "lines", "inset", "overlap")
STORY_KEYS = ("articles", "chain", "styles", "heads")
COMPOSITION_KEYS = ("punct_style", "han_latin_space", "strict", "trim_line_end", "trim_line_start",
                    "orphan_control")
BLOCK_KEYS = {
    "text": ("text", "style"),
    "headline": ("story", "styles"),
    "image": ("label", "caption", "file", "caption_lines", "caption_style", "credit_style", "label_style"),
    "box": ("border", "color"),
    "rule": ("width", "color", "position"),
}
ALIGNS = ("justify", "left", "center", "right")
PUNCT_STYLES = ("quanjiao", "kaiming", "banjiao")
PARAGRAPH_ROLES = ("body", "section_lead", "subhead", "gap")
HEAD_PARTS = ("kicker", "headline", "subtitle", "byline")
MAX_SPEC_BYTES = 1_000_000


def _suggest(word, choices) -> str:
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1)
    return f"did you mean {close[0]!r}?" if close else f"use one of: {', '.join(map(str, choices))}"


class _Checker:
    """Walks the loaded YAML, converting values and collecting problems with their positions."""

    def __init__(self, doc: Located):
        self.doc = doc
        self.problems: list[Problem] = []

    def fail(self, path: tuple, message: str, fix: str | None = None) -> None:
        line, col = self.doc.where(path)
        self.problems.append(Problem(message, self.doc.file, line, col, fix))

    def mapping(self, value, path: tuple, allowed, what: str) -> dict:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.fail(path, f"{what} must be a mapping of 'key: value'")
            return {}
        for key in value:
            if key not in allowed:
                self.fail(path + (key, "<key>"), f"unknown key {key!r} in {what}", _suggest(key, allowed))
        return value

    def length(self, value, path: tuple, ctx: units.Context, what: str, positive=True) -> float | None:
        try:
            v = units.length(value, ctx)
        except units.UnitError as exc:
            self.fail(path, f"{what}: {exc}")
            return None
        if positive and v <= 0:
            self.fail(path, f"{what} must be greater than zero, not {value!r}")
            return None
        return v

    def integer(self, value, path: tuple, what: str, minimum=1) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(path, f"{what} must be a whole number, not {value!r}")
            return None
        if value < minimum:
            self.fail(path, f"{what} must be at least {minimum}, not {value}")
            return None
        return value

    def number(self, value, path: tuple, what: str) -> float | None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(path, f"{what} must be a number, not {value!r}")
            return None
        return float(value)


def _grid(ck: _Checker, raw: dict, page: dict, trim) -> Grid | None:
    g = ck.mapping(raw.get("grid"), ("grid",), GRID_KEYS, "grid")
    missing = [k for k in GRID_KEYS if k not in g]
    if missing:
        ck.fail(("grid",), f"grid lacks {', '.join(missing)}", "see docs/spec.md for a complete grid")
        return None
    body = ck.length(g["body"], ("grid", "body"), units.Context(), "grid body size")
    if body is None:
        return None
    ctx = units.Context(em=body)
    cols = ck.integer(g["columns"], ("grid", "columns"), "grid columns")
    lines = ck.integer(g["lines"], ("grid", "lines"), "grid lines")
    col_w = ck.length(g["column"], ("grid", "column"), ctx, "grid column")
    gutter = ck.length(g["gutter"], ("grid", "gutter"), ctx, "grid gutter", positive=False)
    pitch = ck.length(g["pitch"], ("grid", "pitch"), ctx, "grid pitch")
    if None in (cols, lines, col_w, gutter, pitch) or trim is None:
        return None
    if pitch < body:
        ck.fail(("grid", "pitch"), f"pitch {pitch:g}pt is less than the body size {body:g}pt: lines would overlap")
    width = cols * col_w + (cols - 1) * gutter
    top = ck.length(page.get("top", 0), ("page", "top"), ctx, "page top", positive=False)
    left = page.get("left")
    left = (trim[0] - width) / 2 if left is None else ck.length(left, ("page", "left"), ctx, "page left", False)
    if top is None or left is None:
        return None
    grid = Grid(cols, col_w / body, gutter / body, lines, body, pitch, left, top)
    if left < 0 or left + width > trim[0] + 0.01 or top + grid.height > trim[1] + 0.01:
        ck.fail(("grid",), f"type area {width:.1f}×{grid.height:.1f}pt at ({left:.1f}, {top:.1f}) does not fit "
                f"the {trim[0]:.1f}×{trim[1]:.1f}pt trim", "reduce columns, lines or pitch, or move page.top")
    return grid


def _area(ck: _Checker, value, path: tuple, grid: Grid, allow_below=False) -> Area | None:
    a = ck.mapping(value, path, AREA_KEYS, "area")
    if not a:
        ck.fail(path, "an area needs at least col and line", "write e.g. {col: 1, span: 2, line: 10, lines: 20}")
        return None
    col = ck.integer(a.get("col", 1), path + ("col",), "col")
    span = ck.integer(a.get("span", 1), path + ("span",), "span")
    line = ck.integer(a.get("line", 1), path + ("line",), "line")
    lines = ck.integer(a.get("lines", 1), path + ("lines",), "lines")
    if None in (col, span, line, lines):
        return None
    inset = a.get("inset", [0, 0])
    ctx = units.Context(em=grid.body, line=grid.pitch, column=grid.column_width, gutter=grid.gutter)
    if not (isinstance(inset, list) and len(inset) == 2):
        ck.fail(path + ("inset",), "inset must be [left, right], e.g. [1字, 0]")
        inset = [0, 0]
    il = ck.length(inset[0], path + ("inset", 0), ctx, "inset", positive=False) or 0.0
    ir = ck.length(inset[1], path + ("inset", 1), ctx, "inset", positive=False) or 0.0
    area = Area(col, span, line, lines, il, ir)
    if col + span - 1 > grid.columns:
        ck.fail(path, f"area reaches column {col + span - 1}, but the grid has {grid.columns}",
                "reduce col or span")
    last = grid.lines + (1 if allow_below else 0)
    if line + lines - 1 > last:
        ck.fail(path, f"area reaches line {line + lines - 1}, but the type area has {grid.lines} lines",
                "reduce line or lines")
    if area.width(grid) <= 0:
        ck.fail(path, "area has no width left after its insets", "reduce the inset")
    return area


def _overlap(a: Area, b: Area, grid: Grid) -> bool:
    ax, bx = a.x(grid), b.x(grid)
    return (ax < bx + b.width(grid) - 0.01 and bx < ax + a.width(grid) - 0.01
            and a.line < b.line + b.lines and b.line < a.line + a.lines)


def _styles(ck: _Checker, raw: dict, colors: dict) -> dict[str, Style]:
    out = {}
    for name, s in ck.mapping(raw.get("styles"), ("styles",), _AnyKey(), "styles").items():
        path = ("styles", name)
        s = ck.mapping(s, path, STYLE_KEYS, f"style {name!r}")
        if "role" not in s or "size" not in s:
            ck.fail(path, f"style {name!r} needs a role and a size", "e.g. {role: song, size: 小五}")
            continue
        try:
            size = units.font_size(s["size"])
        except units.UnitError as exc:
            ck.fail(path + ("size",), str(exc))
            continue
        align = s.get("align", "justify")
        if align not in ALIGNS:
            ck.fail(path + ("align",), f"unknown alignment {align!r}", _suggest(align, ALIGNS))
        color = s.get("color", "black")
        if color not in colors:
            ck.fail(path + ("color",), f"unknown colour {color!r}", _suggest(color, list(colors)))
        tracking = ck.number(s.get("tracking", 0), path + ("tracking",), "tracking (em)") or 0.0
        indent = s.get("indent")
        if indent is not None:
            indent = ck.number(indent, path + ("indent",), "indent (em)")
        out[name] = Style(name, str(s["role"]), size, tracking, align, color, indent)
    return out


class _AnyKey:
    """Allowed-keys stand-in for maps whose keys the user names (styles, frames, stories)."""

    def __contains__(self, key) -> bool:
        return isinstance(key, str) and bool(key)

    def __iter__(self):
        return iter(())


def _colors(ck: _Checker, raw: dict) -> dict:
    out = {"black": (0.0, 0.0, 0.0, 1.0), "white": (0.0, 0.0, 0.0, 0.0)}
    for name, v in ck.mapping(raw.get("colors"), ("colors",), _AnyKey(), "colors").items():
        ok = isinstance(v, list) and len(v) == 4 and all(
            isinstance(c, (int, float)) and not isinstance(c, bool) and 0 <= c <= 1 for c in v)
        if not ok:
            ck.fail(("colors", name), f"colour {name!r} must be CMYK as four numbers 0–1", "e.g. [0, 1, 1, 0.1]")
            continue
        out[name] = tuple(float(c) for c in v)
    return out


def _composition(ck: _Checker, raw: dict) -> Composition:
    c = ck.mapping(raw.get("composition"), ("composition",), COMPOSITION_KEYS, "composition")
    style = c.get("punct_style", "quanjiao")
    if style not in PUNCT_STYLES:
        ck.fail(("composition", "punct_style"), f"unknown punctuation style {style!r}", _suggest(style, PUNCT_STYLES))
        style = "quanjiao"
    flags = {}
    for key in ("strict", "trim_line_end", "trim_line_start", "orphan_control"):
        if key in c:
            if not isinstance(c[key], bool):
                ck.fail(("composition", key), f"{key} must be true or false")
            else:
                flags[key] = c[key]
    space = ck.number(c.get("han_latin_space", 0.25), ("composition", "han_latin_space"), "han_latin_space")
    return Composition(punct_style=style, han_latin_space=space if space is not None else 0.25, **flags)


def _fonts(ck: _Checker, raw: dict, base: Path) -> dict:
    out = {}
    for role, v in ck.mapping(raw.get("fonts"), ("fonts",), _AnyKey(), "fonts").items():
        v = ck.mapping(v, ("fonts", role), ("file", "index"), f"font role {role!r}")
        if "file" not in v:
            ck.fail(("fonts", role), f"font role {role!r} needs a file", "e.g. {file: fonts/FZShuSong.ttf}")
            continue
        path = (base / str(v["file"])).resolve()
        if not path.is_file():
            ck.fail(("fonts", role, "file"), f"font file {v['file']!r} not found (looked at {path})")
            continue
        index = ck.integer(v.get("index", 0), ("fonts", role, "index"), "font index", minimum=0) or 0
        out[role] = FaceOverride(path, index)
    return out


def _frames(ck: _Checker, raw: dict, grid: Grid) -> dict[str, Frame]:
    frames: dict[str, Frame] = {}
    declared = ck.mapping(raw.get("frames"), ("frames",), _AnyKey(), "frames")
    for fid, v in declared.items():
        area = _area(ck, v, ("frames", fid), grid)
        if area is not None:
            frames[fid] = Frame(fid, area)
    ids = list(frames)
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            if _overlap(frames[a].area, frames[b].area, grid) and not (
                    declared[a].get("overlap") or declared[b].get("overlap")):
                ck.fail(("frames", b), f"frame {b!r} overlaps frame {a!r}",
                        "move one of them, or set overlap: true on one if that is intended")
    return frames


def _paths(ck: _Checker, value, path: tuple, base: Path) -> tuple[Path, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        ck.fail(path, "articles must be a list of article files")
        return ()
    out = []
    for i, p in enumerate(value):
        full = (base / str(p)).resolve()
        if not full.is_file():
            ck.fail(path + (i,), f"article file {p!r} not found (looked at {full})",
                    "check the path; it is relative to the spec file")
        out.append(full)
    return tuple(out)


def _stories(ck: _Checker, raw: dict, base: Path, frames: dict, styles: dict) -> tuple[StorySpec, ...]:
    out, used = [], {}
    for sid, v in ck.mapping(raw.get("stories"), ("stories",), _AnyKey(), "stories").items():
        path = ("stories", sid)
        v = ck.mapping(v, path, STORY_KEYS, f"story {sid!r}")
        articles = _paths(ck, v.get("articles"), path + ("articles",), base)
        chain = v.get("chain")
        if not isinstance(chain, list) or not chain:
            ck.fail(path + ("chain",), f"story {sid!r} needs a chain: a list of frame names")
            chain = []
        for i, fid in enumerate(chain):
            if fid not in frames:
                ck.fail(path + ("chain", i), f"chain names frame {fid!r}, which is not defined",
                        _suggest(fid, list(frames)))
            elif fid in used:
                ck.fail(path + ("chain", i), f"frame {fid!r} is already in the chain of story {used[fid]!r}")
            else:
                used[fid] = sid
        role_styles = {r: r for r in PARAGRAPH_ROLES}
        role_styles.update(ck.mapping(v.get("styles"), path + ("styles",), PARAGRAPH_ROLES, "story styles"))
        heads = v.get("heads")
        if heads is not None:
            heads = ck.mapping(heads, path + ("heads",), HEAD_PARTS, "heads")
        for key, name in list(role_styles.items()) + list((heads or {}).items()):
            if name not in styles:
                where = path + (("styles", key) if key in PARAGRAPH_ROLES and key in (v.get("styles") or {})
                                else ("heads", key) if heads and key in heads else ())
                ck.fail(where, f"style {name!r} (for {key}) is not defined", _suggest(name, list(styles)))
        out.append(StorySpec(sid, articles, tuple(chain), role_styles, heads))
    return tuple(out)


def _blocks(ck: _Checker, raw: dict, grid: Grid, base: Path, styles: dict, colors: dict,
            stories: tuple) -> tuple[Block, ...]:
    blocks = raw.get("blocks") or []
    if not isinstance(blocks, list):
        ck.fail(("blocks",), "blocks must be a list")
        return ()
    out = []
    story_ids = [s.id for s in stories]
    for i, b in enumerate(blocks):
        path = ("blocks", i)
        if not isinstance(b, dict) or b.get("kind") not in BLOCK_KEYS:
            kind = b.get("kind") if isinstance(b, dict) else None
            ck.fail(path + ("kind",), f"block kind {kind!r} is not known", _suggest(kind, list(BLOCK_KEYS)))
            continue
        kind = b["kind"]
        ck.mapping(b, path, ("kind", "at") + BLOCK_KEYS[kind], f"{kind} block")
        area = _area(ck, b.get("at"), path + ("at",), grid, allow_below=kind == "text")
        opts = {k: v for k, v in b.items() if k not in ("kind", "at")}
        for key, name in _style_refs(kind, opts):
            if name not in styles:
                ck.fail(path + (key,), f"style {name!r} is not defined", _suggest(name, list(styles)))
        if "color" in opts and opts["color"] not in colors:
            ck.fail(path + ("color",), f"unknown colour {opts['color']!r}", _suggest(opts["color"], list(colors)))
        if kind == "headline" and opts.get("story") not in story_ids:
            ck.fail(path + ("story",), f"headline names story {opts.get('story')!r}, which is not defined",
                    _suggest(opts.get("story"), story_ids))
        if kind == "image":
            for key in ("caption", "file"):
                if key in opts:
                    full = (base / str(opts[key])).resolve()
                    if not full.is_file():
                        ck.fail(path + (key,), f"{key} file {opts[key]!r} not found (looked at {full})")
                    opts[key] = full
        if area is not None:
            out.append(Block(kind, area, opts))
    return tuple(out)


def _style_refs(kind: str, opts: dict):
    if kind == "text":
        yield "style", opts.get("style")
    elif kind == "headline":
        for part, name in (opts.get("styles") or {}).items():
            yield "styles", name
    elif kind == "image":
        for key in ("caption_style", "credit_style", "label_style"):
            if key in opts:
                yield key, opts[key]


def load_spec(path: Path) -> PageSpec:
    """Read and check a page spec; raise one PagesetterError listing every problem found."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_SPEC_BYTES:
            raise PagesetterError.at(f"spec is over {MAX_SPEC_BYTES:,} bytes", path, fix="a page spec is a few KB")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PagesetterError.at("spec file not found", path, fix="give the path of a page .yaml") from None
    except UnicodeDecodeError:
        raise PagesetterError.at("spec is not UTF-8 text", path, fix="save the file as UTF-8") from None
    except OSError as exc:
        raise PagesetterError.at(f"cannot read spec: {exc.strerror}", path) from None
    doc = load_yaml(text, path)
    ck = _Checker(doc)
    raw = ck.mapping(doc.data, (), TOP_KEYS, "the spec")
    page = ck.mapping(raw.get("page"), ("page",), PAGE_KEYS, "page")
    trim = None
    t = page.get("trim")
    if isinstance(t, list) and len(t) == 2:
        w, h = (ck.length(v, ("page", "trim", i), units.Context(), "trim") for i, v in enumerate(t))
        trim = (w, h) if w and h else None
    else:
        ck.fail(("page", "trim"), "page.trim must be [width, height]", "e.g. trim: [390mm, 550mm]")
    grid = _grid(ck, raw, page, trim)
    if grid is None:
        raise PagesetterError(*ck.problems)
    base = path.parent
    colors = _colors(ck, raw)
    styles = _styles(ck, raw, colors)
    frames = _frames(ck, raw, grid)
    stories = _stories(ck, raw, base, frames, styles)
    blocks = _blocks(ck, raw, grid, base, styles, colors, stories)
    spec = PageSpec(path=path, name=str(page.get("name") or path.stem), trim=trim, grid=grid, colors=colors,
                    styles=styles, fonts=_fonts(ck, raw, base), composition=_composition(ck, raw),
                    frames=frames, stories=stories, blocks=blocks)
    if ck.problems:
        raise PagesetterError(*ck.problems)
    return spec
