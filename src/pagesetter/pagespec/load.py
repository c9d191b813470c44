"""Load a page spec: YAML → validated, resolved `PageSpec` (all lengths in points).

Every problem found is collected with its file, line, column and a fix, and all are reported
together as one `PagesetterError`. No input, however wrong, makes this module raise anything else.

`pagespec.keys.KEYS` is the one table of what a spec may say: the loader accepts exactly these keys,
the JSON Schema (`pagespec/schema.py`, `pagesetter schema`, schema/page.schema.json) is generated from
it and docs/spec.md documents every key (tests hold the three together). `spec.checker` holds the
value checks shared by every section.
"""
from __future__ import annotations

import warnings
from pathlib import Path

from .. import units
from ..errors import FontError, PagesetterError, Problem
from ..files import read_utf8
from ..fonts.roles import ROLES, FaceOverride, read_family
from ..text.measure import Composition
from .model import Area, Block, Frame, Grid, PageSpec, StorySpec, Style
from .checker import Checker, Files, show, suggest, type_name
from .keys import (ALIGNS, AREA_KEYS, BLOCK_COMMON, BLOCK_KEYS, BREAKINGS, COMPOSITION_KEYS, FONT_KEYS,
                   GRID_KEYS, HEAD_PARTS, IMAGE_FORMATS, MAX_BLOCKS, MAX_COLUMNS, MAX_FRAMES,
                   MAX_IMAGE_PIXELS, MAX_LINES, MAX_SPEC_BYTES, MAX_STYLES, MAX_TRIM, PAGE_KEYS,
                   PARAGRAPH_ROLES, POSITIONS, PUNCT_STYLES, STORY_KEYS, STYLE_KEYS, TOP_KEYS)
from .yamlpos import Located, load_yaml



def _page(ck: Checker, raw: dict, path: Path) -> tuple[dict, tuple | None, str]:
    page = ck.mapping(raw.get("page"), ("page",), PAGE_KEYS, "page", "{name: …, trim: [390mm, 550mm]}")
    trim = None
    t = page.get("trim")
    if isinstance(t, list) and len(t) == 2:
        w, h = (ck.length(v, ("page", "trim", i), units.Context(), "trim " + ("width", "height")[i],
                          maximum=MAX_TRIM) for i, v in enumerate(t))
        trim = (w, h) if w and h else None
    elif "trim" not in page:
        ck.fail(("page",) if "page" in raw else (), "the spec has no page.trim (the page size)",
                "add e.g. page: {trim: [390mm, 550mm]}")
    else:
        ck.fail(("page", "trim"), "page.trim must be [width, height]", "write e.g. trim: [390mm, 550mm]")
    name = path.stem
    if "name" in page:
        given = ck.text(page["name"], ("page", "name"), "page name")
        if given is not None:
            if any(c in given for c in "/\\\0") or given.strip() in (".", "..") or given.startswith("."):
                ck.fail(("page", "name"), f"page name {show(given)} is not usable as a file name",
                        "use letters, digits, - and _ (no / \\ or leading dot)")
            else:
                name = given.strip()
    if "allow_outside" in page:
        ck.flag(page["allow_outside"], ("page", "allow_outside"), "allow_outside")
    return page, trim, name


def _grid(ck: Checker, raw: dict, page: dict, trim) -> Grid | None:
    g = ck.mapping(raw.get("grid"), ("grid",), GRID_KEYS, "grid", "{columns: 8, column: 13字, …}")
    missing = [k for k in GRID_KEYS if k not in g]
    if missing:
        ck.fail(("grid",) if "grid" in raw else (), f"grid lacks {', '.join(missing)}",
                "give all of columns, column, gutter, lines, body and pitch (see docs/spec.md#grid)")
        return None
    body = ck.size(g["body"], ("grid", "body"), units.Context(), "grid body size")
    if body is None:
        return None
    ctx = units.Context(em=body)
    cols = ck.integer(g["columns"], ("grid", "columns"), "grid columns", maximum=MAX_COLUMNS)
    lines = ck.integer(g["lines"], ("grid", "lines"), "grid lines", maximum=MAX_LINES)
    col_w = ck.length(g["column"], ("grid", "column"), ctx, "grid column", maximum=MAX_TRIM)
    gutter = ck.length(g["gutter"], ("grid", "gutter"), ctx, "grid gutter", strict=False, maximum=MAX_TRIM)
    pitch = ck.length(g["pitch"], ("grid", "pitch"), ctx, "grid pitch", maximum=MAX_TRIM)
    if None in (cols, lines, col_w, gutter, pitch) or trim is None:
        return None
    if pitch < body:
        ck.fail(("grid", "pitch"), f"pitch {pitch:g}pt is less than the body size {body:g}pt: lines would overlap",
                f"make the pitch at least {body:g}pt, or the body smaller")
        return None
    width = cols * col_w + (cols - 1) * gutter
    top = ck.length(page.get("top", 0), ("page", "top"), ctx, "page top", strict=False)
    left = page.get("left")
    left = (trim[0] - width) / 2 if left is None else ck.length(left, ("page", "left"), ctx, "page left",
                                                                 strict=False)
    if top is None or left is None:
        return None
    grid = Grid(cols, col_w / body, gutter / body, lines, body, pitch, left, top)
    if left < -0.01 or left + width > trim[0] + 0.01 or top + grid.height > trim[1] + 0.01:
        ck.fail(("grid",), f"type area {width:.1f}×{grid.height:.1f}pt at ({left:.1f}, {top:.1f}) does not fit "
                f"the {trim[0]:.1f}×{trim[1]:.1f}pt trim", "reduce columns, column, lines or pitch, or move page.top")
        return None
    return grid


def _area(ck: Checker, value, path: tuple, grid: Grid | None, what: str, allow_below=False,
          keys=AREA_KEYS) -> tuple[Area | None, bool]:
    """An area on the grid and its overlap flag; geometry is checked when the grid is known."""
    example = "{col: 1, span: 2, line: 10, lines: 20}"
    if value is None:
        ck.fail(path, f"{what} has no area", f"write e.g. {example}")
        return None, False
    a = ck.mapping(value, path, keys, f"{what}'s area", example)
    if not isinstance(value, dict):
        return None, False
    missing = [k for k in ("col", "line") if k not in a]
    if missing:
        ck.fail(path, f"{what} lacks {' and '.join(missing)}", f"write e.g. {example}")
    col = ck.integer(a.get("col", 1), path + ("col",), "col", maximum=MAX_COLUMNS)
    span = ck.integer(a.get("span", 1), path + ("span",), "span", maximum=MAX_COLUMNS)
    line = ck.integer(a.get("line", 1), path + ("line",), "line", maximum=MAX_LINES + 1)
    lines = ck.integer(a.get("lines", 1), path + ("lines",), "lines", maximum=MAX_LINES)
    overlap = bool(ck.flag(a["overlap"], path + ("overlap",), "overlap")) if "overlap" in a else False
    inset = a.get("inset", [0, 0])
    if not (isinstance(inset, list) and len(inset) == 2):
        ck.fail(path + ("inset",), f"inset must be [left, right], not {type_name(inset)}", "write e.g. inset: [1字, 0]")
        inset = [0, 0]
    if grid is None:
        return None, overlap
    ctx = units.Context(em=grid.body, line=grid.pitch, column=grid.column_width, gutter=grid.gutter)
    il = ck.length(inset[0], path + ("inset", 0), ctx, "left inset", strict=False)
    ir = ck.length(inset[1], path + ("inset", 1), ctx, "right inset", strict=False)
    if missing or None in (col, span, line, lines, il, ir):
        return None, overlap
    area = Area(col, span, line, lines, il, ir)
    ok = True
    if col + span - 1 > grid.columns:
        ck.fail(path, f"{what} reaches column {col + span - 1}, but the grid has {grid.columns}: "
                "it lies outside the type area", "reduce col or span")
        ok = False
    last = grid.lines + (1 if allow_below else 0)
    if line + lines - 1 > last:
        ck.fail(path, f"{what} reaches line {line + lines - 1}, but the type area has {grid.lines} lines: "
                "it lies outside the type area", "reduce line or lines")
        ok = False
    if area.width(grid) <= 0.01:
        ck.fail(path, f"{what} has no width left ({area.width(grid):.1f}pt) after its insets",
                "reduce the inset or widen the span")
        ok = False
    return (area if ok else None), overlap


def _overlap(a: Area, b: Area, grid: Grid) -> bool:
    ax, bx = a.x(grid), b.x(grid)
    return (ax < bx + b.width(grid) - 0.01 and bx < ax + a.width(grid) - 0.01
            and a.line < b.line + b.lines and b.line < a.line + a.lines)


def _colors(ck: Checker, raw: dict) -> dict:
    out = {"black": (0.0, 0.0, 0.0, 1.0), "white": (0.0, 0.0, 0.0, 0.0)}
    for name, v in ck.names(raw.get("colors"), ("colors",), "colors", MAX_STYLES).items():
        ok = isinstance(v, list) and len(v) == 4 and all(
            isinstance(c, (int, float)) and not isinstance(c, bool) and 0 <= c <= 1 for c in v)
        if not ok:
            ck.fail(("colors", name), f"colour {name!r} must be CMYK as four numbers 0–1, not {show(v)}",
                    "write e.g. [0, 1, 1, 0.1]")
            continue
        out[name] = tuple(float(c) for c in v)
    return out


def _style_name(ck: Checker, value, path: tuple, styles, what: str) -> str | None:
    """A reference to a style: must be a name that is defined."""
    if not isinstance(value, str):
        ck.fail(path, f"{what} must be a style name, not {type_name(value)}",
                suggest("", styles) if styles else "define styles: first")
        return None
    if value not in styles:
        ck.fail(path, f"style {value!r} ({what}) is not defined", suggest(value, styles))
        return None
    return value


def _styles(ck: Checker, raw: dict, colors: dict, body: float | None) -> dict[str, Style]:
    """Styles, with `based_on` inheritance resolved: every key a style does not set comes from its parent."""
    declared, broken = {}, set()
    for name, s in ck.names(raw.get("styles"), ("styles",), "styles", MAX_STYLES).items():
        if s is None:
            ck.fail(("styles", name), f"style {name!r} is empty", "give it e.g. {role: song, size: 小五}")
        declared[name] = ck.mapping(s, ("styles", name), STYLE_KEYS, f"style {name!r}", "{role: song, size: 小五}")
        if not isinstance(s, dict):
            broken.add(name)
    ctx = units.Context(em=body or 9.0)
    own: dict[str, dict] = {}
    for name, s in declared.items():
        path = ("styles", name)
        v: dict = {}
        if "role" in s:
            if isinstance(s["role"], str) and s["role"] in ROLES:
                v["role"] = s["role"]
            else:
                ck.fail(path + ("role",), f"unknown font role {show(s['role'])} in style {name!r}",
                        suggest(s["role"], ROLES))
        if "size" in s:
            v["size"] = ck.size(s["size"], path + ("size",), ctx, f"size of style {name!r}")
        if "align" in s:
            v["align"] = ck.choice(s["align"], path + ("align",), "alignment", ALIGNS)
        if "color" in s:
            if not isinstance(s["color"], str) or s["color"] not in colors:
                ck.fail(path + ("color",), f"unknown colour {show(s['color'])}", suggest(s["color"], list(colors)))
            else:
                v["color"] = s["color"]
        if "tracking" in s:
            v["tracking"] = ck.number(s["tracking"], path + ("tracking",), "tracking (em)", -0.5, 10)
        if "indent" in s:
            v["indent"] = ck.number(s["indent"], path + ("indent",), "indent (em)", 0, 50)
        if "fit_min" in s:
            v["fit_min"] = ck.size(s["fit_min"], path + ("fit_min",), ctx, f"fit_min of style {name!r}")
        if "based_on" in s:
            parent = s["based_on"]
            if not isinstance(parent, str):
                broken.add(name)
                ck.fail(path + ("based_on",), f"based_on must be a style name, not {type_name(parent)}",
                        suggest("", list(declared)))
            elif parent not in declared:
                broken.add(name)
                ck.fail(path + ("based_on",), f"style {name!r} is based on {parent!r}, which is not defined",
                        suggest(parent, [n for n in declared if n != name]))
            else:
                v["based_on"] = parent
        own[name] = v

    resolved: dict[str, dict | None] = {}

    def resolve(name: str, trail: tuple) -> dict | None:
        if name in resolved:
            return resolved[name]
        parent = own[name].get("based_on")
        if parent in trail + (name,):
            cycle = trail[trail.index(parent):] + (name, parent) if parent in trail else (name, parent)
            ck.fail(("styles", name, "based_on"), f"styles based on each other in a cycle: {' → '.join(cycle)}",
                    f"remove based_on from one of {', '.join(sorted(set(cycle)))}")
            for n in set(cycle):
                resolved[n] = None
            return None
        base = resolve(parent, trail + (name,)) if parent else {}
        if base is None:
            resolved[name] = None
            return None
        merged = {**base, **{k: x for k, x in own[name].items() if k != "based_on"}}
        resolved[name] = merged
        return merged

    out = {}
    for name in declared:
        v = resolve(name, ())
        if v is None:
            continue
        path = ("styles", name)
        missing = [k for k in ("role", "size") if k not in v]
        if missing:
            if not any(k in declared[name] for k in missing) and name not in broken:  # not a bad value reported above
                ck.fail(path, f"style {name!r} has no {' and no '.join(missing)}",
                        "give it e.g. {role: song, size: 小五}, or based_on: a style that has them")
            continue
        if v["role"] is None or v["size"] is None or None in (v.get(k, 0) for k in ("align", "color", "tracking",
                                                                                    "fit_min")):
            continue  # a bad value, already reported
        if v.get("fit_min") and v["fit_min"] > v["size"]:
            ck.fail(path + ("fit_min",) if "fit_min" in declared[name] else path,
                    f"style {name!r}: fit_min {v['fit_min']:g}pt is larger than its size {v['size']:g}pt",
                    "fit_min is the smallest size a headline may shrink to: make it smaller than size")
            continue
        out[name] = Style(name, v["role"], v["size"], v.get("tracking", 0.0), v.get("align", "justify"),
                          v.get("color", "black"), v.get("indent"), v.get("fit_min"))
    return out


def _composition(ck: Checker, raw: dict) -> Composition:
    return Composition(**_composition_flags(ck, raw.get("composition"), ("composition",)))


def _composition_flags(ck: Checker, value, path: tuple) -> dict:
    """The composition keys a mapping sets, as Composition keyword arguments (the page's
    `composition:` or a story's override of it)."""
    c = ck.mapping(value, path, COMPOSITION_KEYS, "composition", "{punct_style: quanjiao}")
    flags = {}
    if "punct_style" in c:
        flags["punct_style"] = ck.choice(c["punct_style"], path + ("punct_style",), "punctuation style",
                                         PUNCT_STYLES) or "quanjiao"
    for key in ("strict", "trim_line_end", "trim_line_start", "orphan_control"):
        if key in c:
            value = ck.flag(c[key], path + (key,), key)
            if value is not None:
                flags[key] = value
    if "han_latin_space" in c:
        space = ck.number(c["han_latin_space"], path + ("han_latin_space",), "han_latin_space", 0, 2)
        flags["han_latin_space"] = space if space is not None else 0.25
    if "breaking" in c:
        flags["breaking"] = ck.choice(c["breaking"], path + ("breaking",), "line breaking",
                                      BREAKINGS) or "total-fit"
    return flags


def _fonts(ck: Checker, raw: dict, files: Files) -> dict:
    out = {}
    for role, v in ck.names(raw.get("fonts"), ("fonts",), "fonts").items():
        if role not in ROLES:
            ck.fail(("fonts", role, "<key>"), f"unknown font role {role!r} in fonts", suggest(role, ROLES))
            continue
        if isinstance(v, str):
            v = {"file": v}
        v = ck.mapping(v, ("fonts", role), FONT_KEYS, f"font role {role!r}", "{file: fonts/FZShuSong.ttf}")
        if "file" not in v:
            ck.fail(("fonts", role), f"font role {role!r} needs a file", "write e.g. {file: fonts/FZShuSong.ttf}")
            continue
        path = files(v["file"], ("fonts", role, "file"), "font file")
        index = ck.integer(v.get("index", 0), ("fonts", role, "index"), "font index", minimum=0, maximum=1000)
        if path is not None and index is not None:
            try:
                read_family(path, index, role)  # opens the name table only: cheap
            except FontError as exc:
                for p in exc.problems:
                    ck.fail(("fonts", role, "file"), f"font file {show(v['file'])}: {p.message}", p.fix or "")
                continue
            out[role] = FaceOverride(path, index)
    return out


def _frames(ck: Checker, raw: dict, grid: Grid | None) -> tuple[dict[str, Frame], set]:
    frames: dict[str, Frame] = {}
    declared = ck.names(raw.get("frames"), ("frames",), "frames", MAX_FRAMES)
    for fid, v in declared.items():
        area, overlap = _area(ck, v, ("frames", fid), grid, f"frame {fid!r}")
        if area is not None:
            frames[fid] = Frame(fid, area, overlap)
    ids = list(frames)
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            if _overlap(frames[a].area, frames[b].area, grid) and not (frames[a].overlap or frames[b].overlap):
                ck.fail(("frames", b), f"frame {b!r} overlaps frame {a!r}",
                        "move one of them, or set overlap: true on one if that is intended")
    return frames, set(declared)


def _paths(ck: Checker, value, path: tuple, files: Files) -> tuple[Path, ...]:
    if isinstance(value, str):
        value = [value]
        path_of = lambda i: path  # noqa: E731
    else:
        path_of = lambda i: path + (i,)  # noqa: E731
    if not isinstance(value, list) or not value:
        ck.fail(path, f"articles must be a list of article files, not {type_name(value)}",
                "write e.g. articles: [../articles/story.md]")
        return ()
    out = [files(p, path_of(i), "article file") for i, p in enumerate(value)]
    return tuple(p for p in out if p is not None)


def _stories(ck: Checker, raw: dict, files: Files, frames: dict, declared_frames: set,
             styles: dict, declared_styles: set) -> tuple[StorySpec, ...]:
    out, used = [], {}
    for sid, v in ck.names(raw.get("stories"), ("stories",), "stories").items():
        path = ("stories", sid)
        v = ck.mapping(v, path, STORY_KEYS, f"story {sid!r}", "{articles: [a.md], chain: [f1, f2]}")
        if "articles" not in v:
            ck.fail(path, f"story {sid!r} has no articles", "add articles: [../articles/story.md]")
        articles = _paths(ck, v.get("articles"), path + ("articles",), files) if "articles" in v else ()
        chain = v.get("chain")
        if not isinstance(chain, list) or not chain:
            ck.fail(path + ("chain",) if "chain" in v else path,
                    f"story {sid!r} needs a chain: a list of frame names, not {type_name(chain)}",
                    "add e.g. chain: [main-1, main-2]")
            chain = []
        ok = True
        for i, fid in enumerate(chain):
            if not isinstance(fid, str):
                ck.fail(path + ("chain", i), f"chain must list frame names, not {type_name(fid)}",
                        f"quote it if the frame is named so: '{fid}'" if isinstance(fid, (int, float))
                        else suggest("", list(declared_frames)))
                ok = False
            elif fid not in declared_frames:
                ck.fail(path + ("chain", i), f"chain names frame {fid!r}, which is not defined",
                        suggest(fid, sorted(declared_frames), "frames"))
                ok = False
            elif fid in used:
                ck.fail(path + ("chain", i), f"frame {fid!r} is already in the chain of story {used[fid]!r}",
                        "a frame takes one story; give this story its own frame")
                ok = False
            elif fid not in frames:
                ok = False  # its own problem is reported at the frame
            else:
                used[fid] = sid
        role_styles = {r: r for r in PARAGRAPH_ROLES}
        given = ck.mapping(v.get("styles"), path + ("styles",), PARAGRAPH_ROLES, "story styles",
                           "{body: box_body}")
        for role in PARAGRAPH_ROLES:
            if role in given:
                name = _style_name(ck, given[role], path + ("styles", role), declared_styles, f"{role} of story {sid!r}")
                ok = ok and name is not None
                if name is not None:
                    role_styles[role] = name
            # an unmapped role uses the style of its name; whether some text needs it (and so
            # whether it must be defined) is known once the articles are read (build.check_story_refs)
        heads = None
        if "heads" in v:
            heads = {}
            for part, name in ck.mapping(v["heads"], path + ("heads",), HEAD_PARTS, "heads",
                                         "{headline: side_head}").items():
                name = _style_name(ck, name, path + ("heads", part), declared_styles, f"{part} of story {sid!r}")
                if name is None:
                    ok = False
                else:
                    heads[part] = name
        flags = {}
        for key in ("avoid_stranded", "balance"):
            if key in v:
                flag = ck.flag(v[key], path + (key,), key)
                ok = ok and flag is not None
                flags[key] = flag
        if "copyfit" in v:
            c = v["copyfit"]
            limits = [ck.number(x, path + ("copyfit", i), "copyfit limit (em)", -0.5, 0.5)
                      for i, x in enumerate(c)] if isinstance(c, list) and len(c) == 2 else None
            if limits is None:
                ck.fail(path + ("copyfit",), f"copyfit must be [tighter, looser] in em, not {type_name(c)}",
                        "write e.g. copyfit: [-0.03, 0.03]")
                ok = False
            elif None in limits:
                ok = False
            elif not limits[0] <= 0 <= limits[1]:
                ck.fail(path + ("copyfit",), f"copyfit {show(c)} must run from a tightening (≤ 0) to a "
                        "loosening (≥ 0)", "write e.g. copyfit: [-0.03, 0.03]")
                ok = False
            else:
                flags["copyfit"] = (limits[0], limits[1])
        if "composition" in v:
            flags["composition"] = _composition_flags(ck, v["composition"], path + ("composition",))
        named = [n for n in list(role_styles.values()) + list((heads or {}).values()) if n in declared_styles]
        if ok and all(n in styles for n in named):
            out.append(StorySpec(sid, articles, tuple(chain), role_styles, heads, **flags))
        elif not ck.problems:  # never drop a story silently
            ck.fail(path, f"story {sid!r} cannot be set: a style it uses is broken",
                    "fix the styles it names (see the messages about them)")
    return tuple(out)


def _image_file(ck: Checker, full: Path, path: tuple) -> tuple[int, int] | None:
    """Open the picture with Pillow now, so an unreadable file is a spec error, not a failed render."""
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(full) as im:
                fmt, size = im.format, im.size
                if fmt not in IMAGE_FORMATS:
                    ck.fail(path, f"image {full.name} is {fmt}, which cannot be placed",
                            f"convert it to one of {', '.join(IMAGE_FORMATS)}")
                    return None
                if size[0] * size[1] > MAX_IMAGE_PIXELS:
                    raise Image.DecompressionBombError(f"{size[0]}×{size[1]} pixels")
                im.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        ck.fail(path, f"image {full.name} is too large to place ({exc})",
                "scale it down to the size it prints at, 300 ppi")
        return None
    except Exception as exc:  # Pillow raises many types for broken files
        ck.fail(path, f"image {full.name} cannot be read: {exc}", "use a JPEG, PNG or TIFF file that opens in a viewer")
        return None
    return size


class _BlockCheck:
    """What checking one block needs: its options, where it is, and the names it may refer to."""

    def __init__(self, ck: Checker, path: tuple, what: str, opts: dict, area: Area | None, grid: Grid | None,
                 files: Files, styles: set, stories: set):
        self.ck, self.path, self.what, self.opts, self.area, self.grid = ck, path, what, opts, area, grid
        self.files, self.styles, self.stories = files, styles, stories
        self.pixels = None  # an image block's picture size, once opened

    def need(self, key: str, example: str) -> bool:
        if key not in self.opts:
            self.ck.fail(self.path, f"{self.what} has no {key}", f"add {key}: {example}")
            return False
        return True

    def style(self, key: str, default: str | None = None) -> bool:
        if key in self.opts:
            return _style_name(self.ck, self.opts[key], self.path + (key,), self.styles, key) is not None
        if default is not None and default not in self.styles:
            self.ck.fail(self.path, f"{self.what} uses the style {default!r} (the default {key}), which is not "
                         "defined", f"define a style {default!r}, or set {key}: to one of yours")
            return False
        return True

    def length(self, key: str, maximum: float) -> bool:
        """Convert an option given as a length to points, in place."""
        if key not in self.opts:
            return True
        ctx = units.Context(em=self.grid.body if self.grid else 9.0)
        self.opts[key] = self.ck.length(self.opts[key], self.path + (key,), ctx, key, strict=False,
                                        maximum=maximum)
        return self.opts[key] is not None


def _text_block(c: _BlockCheck) -> bool:
    ok = c.need("text", "奋进新征程") and c.ck.text(c.opts["text"], c.path + ("text",), "text") is not None
    return ok & (c.need("style", "banner") and c.style("style"))


def _headline_block(c: _BlockCheck) -> bool:
    ok = c.need("story", "main")
    if ok and (not isinstance(c.opts["story"], str) or c.opts["story"] not in c.stories):
        c.ck.fail(c.path + ("story",), f"headline names story {show(c.opts['story'])}, which is not defined",
                  suggest(c.opts["story"], sorted(c.stories), "stories"))
        ok = False
    parts = c.ck.mapping(c.opts.get("styles"), c.path + ("styles",), HEAD_PARTS, "headline styles",
                         "{kicker: kicker, headline: headline}")
    ok &= "styles" not in c.opts or isinstance(c.opts["styles"], dict)
    for part, name in parts.items():
        ok &= _style_name(c.ck, name, c.path + ("styles", part), c.styles, f"{part} of {c.what}") is not None
    c.opts["styles"] = parts
    return ok


def _image_block(c: _BlockCheck) -> bool:
    ok, o = True, c.opts
    if "label" in o:
        label = c.ck.text(o["label"], c.path + ("label",), "label")
        ok &= label is not None
        o["label"] = label if label is not None else o["label"]
    if "caption_lines" in o:
        n = c.ck.integer(o["caption_lines"], c.path + ("caption_lines",), "caption_lines", minimum=0,
                         maximum=MAX_LINES)
        if n is not None and c.area is not None and n >= c.area.lines:
            c.ck.fail(c.path + ("caption_lines",), f"caption_lines {n} leaves no room for the picture "
                      f"in {c.area.lines} lines", "use fewer caption lines or a taller area")
            n = None
        ok &= n is not None
    if "caption" in o:
        o["caption"] = c.files(o["caption"], c.path + ("caption",), "caption file")
        ok &= o["caption"] is not None
        ok &= c.style("caption_style", "caption") & c.style("credit_style", "credit")
    else:
        ok &= c.style("caption_style") & c.style("credit_style")
    ok &= c.style("label_style", "label" if "label" in o else None)
    if "file" in o:
        o["file"] = c.files(o["file"], c.path + ("file",), "image file")
        c.pixels = _image_file(c.ck, o["file"], c.path + ("file",)) if o["file"] is not None else None
        ok &= c.pixels is not None
    return ok


def _box_block(c: _BlockCheck) -> bool:
    return c.length("border", 1000)  # in points from here on


def _rule_block(c: _BlockCheck) -> bool:
    ok = c.length("width", 1000)
    if "position" in c.opts:
        ok &= c.ck.choice(c.opts["position"], c.path + ("position",), "rule position", POSITIONS) is not None
    return ok


BLOCK_CHECKS = {"text": _text_block, "headline": _headline_block, "image": _image_block,
                "box": _box_block, "rule": _rule_block}


def _block_kind(ck: Checker, b, path: tuple, what: str) -> str | None:
    kinds = list(BLOCK_KEYS)
    if not isinstance(b, dict):
        ck.fail(path, f"{what} must be a mapping, not {type_name(b)}", "write e.g. - {kind: text, text: …, at: {…}}")
    elif "kind" not in b:
        ck.fail(path, f"{what} has no kind", f"add kind: one of {', '.join(kinds)}")
    elif not isinstance(b["kind"], str) or b["kind"] not in BLOCK_KEYS:
        ck.fail(path + ("kind",), f"block kind {show(b['kind'])} is not known", suggest(b["kind"], kinds))
    else:
        return b["kind"]
    return None


def _blocks(ck: Checker, raw: dict, grid: Grid | None, files: Files, styles: set, colors: dict,
            stories: set) -> tuple[Block, ...]:
    if "blocks" not in raw or raw["blocks"] is None:
        return ()
    blocks = raw["blocks"]
    if not isinstance(blocks, list):
        ck.fail(("blocks",), f"blocks must be a list, not {type_name(blocks)}",
                "write each block as a '- {kind: …, at: {…}}' line")
        return ()
    if len(blocks) > MAX_BLOCKS:
        ck.fail(("blocks",), f"blocks has {len(blocks):,} entries; at most {MAX_BLOCKS:,} are allowed",
                "a page needs far fewer; split it into several pages")
        return ()
    out = []
    for i, b in enumerate(blocks):
        path = ("blocks", i)
        kind = _block_kind(ck, b, path, f"block {i + 1}")
        if kind is None:
            continue
        what = f"{kind} block {i + 1}"
        ck.mapping(b, path, BLOCK_COMMON + BLOCK_KEYS[kind], what)
        area, _ = _area(ck, b.get("at"), path + ("at",), grid, what, allow_below=kind == "text",
                        keys=tuple(k for k in AREA_KEYS if k != "overlap"))
        opts = {k: v for k, v in b.items() if k in BLOCK_KEYS[kind] or k == "wrap"}
        c = _BlockCheck(ck, path, what, opts, area, grid, files, styles, stories)
        ok = c.length("wrap", MAX_TRIM) & BLOCK_CHECKS[kind](c)
        if "color" in opts and (not isinstance(opts["color"], str) or opts["color"] not in colors):
            ck.fail(path + ("color",), f"unknown colour {show(opts['color'])}", suggest(opts["color"], list(colors)))
            ok = False
        if area is not None and ok:
            out.append(Block(kind, area, opts, c.pixels if kind == "image" else None))
    return tuple(out)


def _where_map(doc: Located) -> dict:
    """Positions of the named things, for messages after loading (missing glyphs, image resolution)."""
    out = {}
    for key, pos in doc.marks.items():
        if len(key) == 2 and key[0] in ("styles", "frames", "stories", "fonts", "blocks") and pos[0] is not None:
            out[key] = pos
    return out


def load_spec(path: Path, allow_outside: bool = False) -> PageSpec:
    """Read and check a page spec; raise one PagesetterError listing every problem found.

    File references (articles, captions, images, fonts) must lie inside the project folder
    (`build.project_root`) unless `allow_outside` or the spec's `page: {allow_outside: true}`.
    """
    path = Path(path)
    text = read_utf8(path, "spec", MAX_SPEC_BYTES,
                     "a page spec is a few KB; this one is generated wrong or is not a spec",
                     "give the path of a page .yaml")
    doc = load_yaml(text, path)
    ck = Checker(doc)
    if not isinstance(doc.data, dict):
        ck.fail((), f"a spec must be a mapping of sections (page:, grid:, …), not {type_name(doc.data)}",
                "start from `pagesetter init` or docs/spec.md")
        raise PagesetterError(*ck.problems)
    raw = ck.mapping(doc.data, (), TOP_KEYS, "the spec")
    page, trim, name = _page(ck, raw, path)
    grid = _grid(ck, raw, page, trim)
    from ..build import project_root  # here: build imports this module

    root = project_root(path)
    allow = allow_outside or page.get("allow_outside") is True
    files = Files(ck, path.resolve().parent, root, allow)
    colors = _colors(ck, raw)
    declared_styles = {k for k in raw["styles"] if isinstance(k, str) and k.strip()} \
        if isinstance(raw.get("styles"), dict) else set()
    styles = _styles(ck, raw, colors, grid.body if grid else None)
    frames, declared_frames = _frames(ck, raw, grid)
    stories = _stories(ck, raw, files, frames, declared_frames, styles, declared_styles)
    declared_stories = {k for k in raw["stories"] if isinstance(k, str)} if isinstance(raw.get("stories"), dict) \
        else set()
    blocks = _blocks(ck, raw, grid, files, declared_styles, colors, declared_stories)
    fonts = _fonts(ck, raw, files)
    composition = _composition(ck, raw)
    if ck.problems or grid is None or trim is None:
        if not ck.problems:  # cannot happen: a missing grid or trim is always reported
            ck.fail((), "the spec has no usable grid", "see docs/spec.md#grid")
        raise PagesetterError(*_sorted(ck.problems))
    return PageSpec(path=path, name=name, trim=trim, grid=grid, colors=colors, styles=styles, fonts=fonts,
                    composition=composition, frames=frames, stories=stories, blocks=blocks,
                    where=_where_map(doc), allow_outside=allow)


def _sorted(problems: list[Problem]) -> list[Problem]:
    """In file order (line, column), duplicates dropped."""
    seen, out = set(), []
    for p in problems:
        key = (str(p.file), p.line, p.column, p.message)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return sorted(out, key=lambda p: (str(p.file), p.line or 0, p.column or 0))
