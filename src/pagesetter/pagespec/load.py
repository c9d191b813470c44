"""Load a page spec: YAML → validated, resolved `PageSpec` (all lengths in points).

Every problem found is collected with its file, line, column and a fix, and all are reported
together as one `PagesetterError`. No input, however wrong, makes this module raise anything else.

`pagespec.keys.KEYS` is the one table of what a spec may say: the loader accepts exactly these keys,
the JSON Schema (`pagespec/schema.py`, `pagesetter schema`, schema/page.schema.json) is generated from
it and docs/spec.md documents every key (tests hold the three together). `spec.checker` holds the
value checks shared by every section.
"""
from __future__ import annotations

from pathlib import Path

from .. import units
from ..errors import FontError, PagesetterError, Problem
from ..files import read_utf8
from ..fonts.roles import ROLES, FaceOverride, read_family
from ..text.measure import Composition
from .model import Area, Block, Frame, Grid, Output, PageSpec, Spot, StorySpec, Style
from .checker import Checker, Files, project_root, show, style_ref, suggest, type_name
from .keys import (AREA_KEYS, BLOCK_COMMON, COMPOSITION_KEYS, FONT_KEYS, GRID_KEYS, HEAD_PARTS, KEYS, MAX_BLOCKS,
                   MAX_FRAMES, MAX_SPEC_BYTES, MAX_STYLES, PAGE_KEYS, PARAGRAPH_ROLES, STORY_KEYS, STYLE_KEYS,
                   TOP_KEYS, PDF_STANDARDS, Key)
from .kinds import ROOM_KEYS, BlockCheck, BlockKind, kind_names, kinds
from .master import apply_variables, with_master
from .yamlpos import Located, load_yaml

from .keys import FALLBACK_BODY, GEOMETRY_TOLERANCE


def _page(ck: Checker, raw: dict, path: Path) -> tuple[dict, tuple | None, str]:
    page = ck.mapping(raw.get("page"), ("page",), PAGE_KEYS, "page", "{name: …, trim: [390mm, 550mm]}")
    trim = None
    t = page.get("trim")
    if isinstance(t, list) and len(t) == 2:
        w, h = (ck.length(v, ("page", "trim", i), units.Context(), "trim " + ("width", "height")[i],
                          maximum=KEYS["page"]["trim"].hi) for i, v in enumerate(t))
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


def _output(ck: Checker, page: dict, files: Files) -> Output:
    """The page's output keys: title, paper, date, number, profile, condition, standard, keep_rgb."""
    out = {}
    for key in ("title", "paper", "condition"):
        if key in page:
            out[key] = ck.text(page[key], ("page", key), f"page {key}")
    if "date" in page:
        out["date"] = _date(ck, page["date"])
    if "number" in page:
        out["number"] = ck.integer(page["number"], ("page", "number"), "page number", minimum=1, maximum=999)
    if "profile" in page:
        out["profile"] = _profile(ck, files(page["profile"], ("page", "profile"), "ICC profile"), page["profile"])
    if "standard" in page:
        out["standard"] = ck.choice(page["standard"], ("page", "standard"), "PDF standard", PDF_STANDARDS)
    for key in ("keep_rgb", "placeholders"):
        if key in page:
            out[key] = ck.flag(page[key], ("page", key), key)
    if out.get("keep_rgb") and out.get("standard") == "x1a":  # X-1a allows CMYK and grey only
        ck.fail(("page", "keep_rgb"), "keep_rgb cannot go with standard: x1a: PDF/X-1a allows no RGB",
                "drop keep_rgb (pictures are converted to the output profile), or use standard: x4")
        out["keep_rgb"] = None
    return Output(**{k: v for k, v in out.items() if v is not None})


def _date(ck: Checker, value) -> str | None:
    import datetime
    import re

    # YAML reads an unquoted 2022-06-30 as a date
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value.isoformat()
    date = ck.text(value, ("page", "date"), "page date")
    if date is not None and not re.fullmatch(r"(19|20)\d\d-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])", date):
        ck.fail(("page", "date"), f"page date {show(date)} is not a date", "write it as YYYY-MM-DD, e.g. 2022-06-30")
        return None
    return date


def _profile(ck: Checker, path: Path | None, given) -> Path | None:
    """A CMYK ICC profile file (its header says so), else a problem and None."""
    if path is None:
        return None
    try:
        with open(path, "rb") as fh:
            head = fh.read(40)
    except OSError:
        head = b""
    if head[16:20] != b"CMYK" or head[36:40] != b"acsp":
        ck.fail(("page", "profile"), f"{show(given)} is not a CMYK ICC profile",
                "give the press's CMYK output profile (.icc), e.g. ISOnewspaper26v4.icc")
        return None
    return path


def _grid(ck: Checker, raw: dict, page: dict, trim) -> Grid | None:
    g = ck.mapping(raw.get("grid"), ("grid",), GRID_KEYS, "grid", "{columns: 8, column: 13字, …}")
    missing = [k for k in GRID_KEYS if k not in g]
    if missing:
        ck.fail(("grid",) if "grid" in raw else (), f"grid lacks {', '.join(missing)}",
                "give all of columns, column, gutter, lines, body and pitch (see docs/spec.md#grid)")
        return None
    K = KEYS["grid"]
    body = ck.size(g["body"], ("grid", "body"), units.Context(), "grid body size")
    if body is None:
        return None
    ctx = units.Context(em=body)
    cols, lines, col_w, gutter, pitch = (ck.typed(g[k], ("grid", k), K[k], f"grid {k}", ctx)
                                         for k in ("columns", "lines", "column", "gutter", "pitch"))
    if None in (cols, lines, col_w, gutter, pitch) or trim is None:
        return None
    if pitch < body:
        ck.fail(("grid", "pitch"), f"pitch {pitch:g}pt is less than the body size {body:g}pt: lines would overlap",
                f"make the pitch at least {body:g}pt, or the body smaller")
        return None
    width = cols * col_w + (cols - 1) * gutter
    P = KEYS["page"]
    top = ck.typed(page.get("top", P["top"].default), ("page", "top"), P["top"], "page top", ctx)
    left = page.get("left")
    left = (trim[0] - width) / 2 if left is None else ck.typed(left, ("page", "left"), P["left"], "page left", ctx)
    if top is None or left is None:
        return None
    grid = Grid(cols, col_w / body, gutter / body, lines, body, pitch, left, top)
    eps = GEOMETRY_TOLERANCE
    if left < -eps or left + width > trim[0] + eps or top + grid.height > trim[1] + eps:
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
    K = KEYS["area"]
    col, span, line, lines = (ck.typed(a.get(k, K[k].default or 1), path + (k,), K[k], k)
                              for k in ("col", "span", "line", "lines"))
    overlap = bool(ck.flag(a["overlap"], path + ("overlap",), "overlap")) if "overlap" in a else K["overlap"].default
    inset = a.get("inset", list(K["inset"].default))
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
    if area.width(grid) <= GEOMETRY_TOLERANCE:
        ck.fail(path, f"{what} has no width left ({area.width(grid):.1f}pt) after its insets",
                "reduce the inset or widen the span")
        ok = False
    return (area if ok else None), overlap


def _overlap(a: Area, b: Area, grid: Grid) -> bool:
    ax, bx = a.x(grid), b.x(grid)
    eps = GEOMETRY_TOLERANCE
    return (ax < bx + b.width(grid) - eps and bx < ax + a.width(grid) - eps
            and a.line < b.line + b.lines and b.line < a.line + a.lines)


def _colors(ck: Checker, raw: dict) -> dict:
    out = {"black": (0.0, 0.0, 0.0, 1.0), "white": (0.0, 0.0, 0.0, 0.0)}
    for name, v in ck.names(raw.get("colors"), ("colors",), "colors", MAX_STYLES).items():
        spot = None
        if isinstance(v, dict) and set(v) == {"spot", "cmyk"}:  # a spot colour and its CMYK alternate
            spot, v = v["spot"], v["cmyk"]
            if not (isinstance(spot, str) and 0 < len(spot.strip()) <= 120 and spot.isprintable()):
                ck.fail(("colors", name, "spot"), f"spot colour {name!r} needs its ink's name, not {show(spot)}",
                        "write e.g. {spot: PANTONE 186 C, cmyk: [0, 1, 0.8, 0.05]}")
                continue
        ok = isinstance(v, list) and len(v) == 4 and all(
            isinstance(c, (int, float)) and not isinstance(c, bool) and 0 <= c <= 1 for c in v)
        if not ok:
            ck.fail(("colors", name), f"colour {name!r} must be CMYK as four numbers 0–1 (or a spot colour "
                    f"{{spot: <ink name>, cmyk: [...]}}), not {show(v)}", "write e.g. [0, 1, 1, 0.1]")
            continue
        cmyk = tuple(float(c) for c in v)
        out[name] = Spot(cmyk, spot.strip()) if spot else cmyk
    return out


def _style_own(ck: Checker, name: str, s: dict, colors: dict, ctx: units.Context, declared: dict,
               broken: set) -> dict:
    """The keys a style sets itself, each checked; inheritance (`based_on`) is resolved after."""
    path, K = ("styles", name), KEYS["style"]
    v: dict = {}
    if "role" in s:
        if isinstance(s["role"], str) and s["role"] in ROLES:
            v["role"] = s["role"]
        else:
            ck.fail(path + ("role",), f"unknown font role {show(s['role'])} in style {name!r}",
                    suggest(s["role"], ROLES))
    for key in ("size", "fit_min"):
        if key in s:
            v[key] = ck.size(s[key], path + (key,), ctx, f"{key} of style {name!r}")
    for key, what in (("align", "alignment"), ("tracking", "tracking (em)"), ("indent", "indent (em)")):
        if key in s:
            v[key] = ck.typed(s[key], path + (key,), K[key], what)
    if "color" in s:
        if not isinstance(s["color"], str) or s["color"] not in colors:
            ck.fail(path + ("color",), f"unknown colour {show(s['color'])}", suggest(s["color"], list(colors)))
        else:
            v["color"] = s["color"]
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
    return v


def _inherit(ck: Checker, own: dict[str, dict]) -> dict[str, dict | None]:
    """Every style's keys merged over its `based_on` chain; None for styles in (or on) a cycle."""
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
        merged = None if base is None else {**base, **{k: x for k, x in own[name].items() if k != "based_on"}}
        resolved[name] = merged
        return merged

    return {name: resolve(name, ()) for name in own}


def _style(ck: Checker, name: str, v: dict, declared: dict, reported: bool) -> Style | None:
    """A resolved style's final checks: it has a role and a size, and fit_min is not above size."""
    path, K = ("styles", name), KEYS["style"]
    missing = [k for k in ("role", "size") if k not in v]
    if missing:
        if not any(k in declared for k in missing) and not reported:  # not a bad value reported above
            ck.fail(path, f"style {name!r} has no {' and no '.join(missing)}",
                    "give it e.g. {role: song, size: 小五}, or based_on: a style that has them")
        return None
    if v["role"] is None or v["size"] is None or None in (v.get(k, 0) for k in ("align", "color", "tracking",
                                                                                "fit_min")):
        return None  # a bad value, already reported
    if v.get("fit_min") and v["fit_min"] > v["size"]:
        ck.fail(path + ("fit_min",) if "fit_min" in declared else path,
                f"style {name!r}: fit_min {v['fit_min']:g}pt is larger than its size {v['size']:g}pt",
                "fit_min is the smallest size a headline may shrink to: make it smaller than size")
        return None
    return Style(name, v["role"], v["size"], v.get("tracking", K["tracking"].default),
                 v.get("align", K["align"].default), v.get("color", K["color"].default), v.get("indent"),
                 v.get("fit_min"))


def _styles(ck: Checker, raw: dict, colors: dict, body: float | None) -> dict[str, Style]:
    """Styles, with `based_on` inheritance resolved: every key a style does not set comes from its parent."""
    declared, broken = {}, set()
    for name, s in ck.names(raw.get("styles"), ("styles",), "styles", MAX_STYLES).items():
        if s is None:
            ck.fail(("styles", name), f"style {name!r} is empty", "give it e.g. {role: song, size: 小五}")
        declared[name] = ck.mapping(s, ("styles", name), STYLE_KEYS, f"style {name!r}", "{role: song, size: 小五}")
        if not isinstance(s, dict):
            broken.add(name)
    ctx = units.Context(em=body or FALLBACK_BODY)
    own = {name: _style_own(ck, name, s, colors, ctx, declared, broken) for name, s in declared.items()}
    out = {}
    for name, v in _inherit(ck, own).items():
        style = _style(ck, name, v, declared[name], name in broken) if v is not None else None
        if style is not None:
            out[name] = style
    return out


_COMPOSITION_WHAT = {"punct_style": "punctuation style", "breaking": "line breaking"}


def _composition(ck: Checker, raw: dict) -> Composition:
    """The composition rules; every key absent (or wrong, and reported) takes its default from KEYS."""
    given = _composition_flags(ck, raw.get("composition"), ("composition",))
    return Composition(**{key: given.get(key, k.default) for key, k in KEYS["composition"].items()})


def _composition_flags(ck: Checker, value, path: tuple) -> dict:
    """The composition keys a mapping sets (wrong ones reported and left out): the page's
    `composition:` or a story's override of it."""
    c = ck.mapping(value, path, COMPOSITION_KEYS, "composition", "{punct_style: quanjiao}")
    values = {}
    for key, k in KEYS["composition"].items():
        value = ck.typed(c[key], path + (key,), k, _COMPOSITION_WHAT.get(key, key)) if key in c else None
        if value is not None:
            values[key] = value
    return values


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
        index = ck.typed(v.get("index", KEYS["font"]["index"].default), ("fonts", role, "index"),
                         KEYS["font"]["index"], "font index")
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


class _Refs:
    """The names a story may refer to: frames (checked and declared) and styles (checked and declared),
    and which story each frame already belongs to."""

    def __init__(self, frames: dict, declared_frames: set, styles: dict, declared_styles: set):
        self.frames, self.declared_frames = frames, declared_frames
        self.styles, self.declared_styles = styles, declared_styles
        self.used: dict[str, str] = {}


def _chain(ck: Checker, sid: str, path: tuple, v: dict, refs: _Refs) -> tuple[list, bool]:
    """A story's chain of frames: each frame defined, sound, and in no other story's chain."""
    chain = v.get("chain")
    if not isinstance(chain, list) or not chain:
        ck.fail(path + ("chain",) if "chain" in v else path,
                f"story {sid!r} needs a chain: a list of frame names, not {type_name(chain)}",
                "add e.g. chain: [main-1, main-2]")
        return [], True
    ok = True
    for i, fid in enumerate(chain):
        if not isinstance(fid, str):
            ck.fail(path + ("chain", i), f"chain must list frame names, not {type_name(fid)}",
                    f"quote it if the frame is named so: '{fid}'" if isinstance(fid, (int, float))
                    else suggest("", list(refs.declared_frames)))
            ok = False
        elif fid not in refs.declared_frames:
            ck.fail(path + ("chain", i), f"chain names frame {fid!r}, which is not defined",
                    suggest(fid, sorted(refs.declared_frames), "frames"))
            ok = False
        elif fid in refs.used:
            ck.fail(path + ("chain", i), f"frame {fid!r} is already in the chain of story {refs.used[fid]!r}",
                    "a frame takes one story; give this story its own frame")
            ok = False
        elif fid not in refs.frames:
            ok = False  # its own problem is reported at the frame
        else:
            refs.used[fid] = sid
    return chain, ok


def _story_styles(ck: Checker, sid: str, path: tuple, v: dict, refs: _Refs) -> tuple[dict, dict | None, bool]:
    """Paragraph role → style (default: the style named like the role), and the inline heads."""
    ok, role_styles = True, {r: r for r in PARAGRAPH_ROLES}
    given = ck.mapping(v.get("styles"), path + ("styles",), PARAGRAPH_ROLES, "story styles", "{body: box_body}")
    for role in PARAGRAPH_ROLES:
        if role in given:
            name = style_ref(ck, given[role], path + ("styles", role), refs.declared_styles, f"{role} of story {sid!r}")
            ok = ok and name is not None
            if name is not None:
                role_styles[role] = name
        # an unmapped role uses the style of its name; whether some text needs it (and so whether
        # it must be defined) is known once the articles are read (build.check_story_refs)
    heads = None
    if "heads" in v:
        heads = {}
        for part, name in ck.mapping(v["heads"], path + ("heads",), HEAD_PARTS, "heads",
                                     "{headline: side_head}").items():
            name = style_ref(ck, name, path + ("heads", part), refs.declared_styles, f"{part} of story {sid!r}")
            if name is None:
                ok = False
            else:
                heads[part] = name
    return role_styles, heads, ok


def _story_flags(ck: Checker, path: tuple, v: dict) -> dict | None:
    """avoid_stranded, balance and copyfit, with their defaults from KEYS; None if one is wrong."""
    K = KEYS["story"]
    flags = {key: ck.typed(v[key], path + (key,), K[key], key) if key in v else K[key].default
             for key in ("avoid_stranded", "balance")}
    ok = None not in flags.values()
    if "copyfit" in v:
        c = v["copyfit"]
        number = Key("number", "", lo=K["copyfit"].lo, hi=K["copyfit"].hi)
        limits = [ck.typed(x, path + ("copyfit", i), number, "copyfit limit (em)")
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
    return flags if ok else None


def _jump_keys(ck: Checker, v: dict, path: tuple, flags: dict, declared_styles: set) -> bool:
    """A story's edition keys: `continues: page/story`, `continued_head` and `jump_style` (styles)."""
    ok = True
    if "continues" in v:
        ref = ck.text(v["continues"], path + ("continues",), "continues")
        if ref is not None and (ref.count("/") != 1 or not all(p.strip() for p in ref.split("/"))):
            ck.fail(path + ("continues",), f"continues must name <page>/<story>, not {show(ref)}",
                    "write e.g. continues: front/main (the page's name, a slash, the story's id)")
            ref = None
        ok = ref is not None
        flags["continues"] = ref
    for key in ("continued_head", "jump_style"):
        if key in v:
            name = style_ref(ck, v[key], path + (key,), declared_styles, key)
            ok = ok and name is not None
            flags[key] = name
    return ok


def _stories(ck: Checker, raw: dict, files: Files, refs: _Refs) -> tuple[StorySpec, ...]:
    out = []
    for sid, v in ck.names(raw.get("stories"), ("stories",), "stories").items():
        path = ("stories", sid)
        v = ck.mapping(v, path, STORY_KEYS, f"story {sid!r}", "{articles: [a.md], chain: [f1, f2]}")
        if "articles" not in v and "continues" not in v:
            ck.fail(path, f"story {sid!r} has no articles", "add articles: [../articles/story.md]")
        articles = _paths(ck, v.get("articles"), path + ("articles",), files) if "articles" in v else ()
        chain, ok = _chain(ck, sid, path, v, refs)
        role_styles, heads, styles_ok = _story_styles(ck, sid, path, v, refs)
        flags = _story_flags(ck, path, v)
        ok &= _jump_keys(ck, v, path, flags, refs.declared_styles) if flags is not None else True
        used = [n for n in list(role_styles.values()) + list((heads or {}).values()) if n in refs.declared_styles]
        if ok and styles_ok and flags is not None and all(n in refs.styles for n in used):
            out.append(StorySpec(sid, articles, tuple(chain), role_styles, heads, **flags))
        elif not ck.problems:  # never drop a story silently
            ck.fail(path, f"story {sid!r} cannot be set: a style it uses is broken",
                    "fix the styles it names (see the messages about them)")
    return tuple(out)


def _block_kind(ck: Checker, b, path: tuple, what: str) -> BlockKind | None:
    names = list(kind_names())
    if not isinstance(b, dict):
        ck.fail(path, f"{what} must be a mapping, not {type_name(b)}", "write e.g. - {kind: text, text: …, at: {…}}")
    elif "kind" not in b:
        ck.fail(path, f"{what} has no kind", f"add kind: one of {', '.join(names)}")
    elif b["kind"] not in names:
        ck.fail(path + ("kind",), f"block kind {show(b['kind'])} is not known", suggest(b["kind"], names))
    else:
        return next(k for k in kinds() if k.name == b["kind"])
    return None


def _block_list(ck: Checker, raw: dict) -> list:
    if "blocks" not in raw or raw["blocks"] is None:
        return []
    blocks = raw["blocks"]
    if not isinstance(blocks, list):
        ck.fail(("blocks",), f"blocks must be a list, not {type_name(blocks)}",
                "write each block as a '- {kind: …, at: {…}}' line")
        return []
    if len(blocks) > MAX_BLOCKS:
        ck.fail(("blocks",), f"blocks has {len(blocks):,} entries; at most {MAX_BLOCKS:,} are allowed",
                "a page needs far fewer; split it into several pages")
        return []
    return blocks


def _blocks(ck: Checker, raw: dict, grid: Grid | None, files: Files, names: dict) -> tuple[Block, ...]:
    """Each block checked by its kind (pagespec/kinds.py): the kind's keys, then its checker."""
    out = []
    for i, b in enumerate(_block_list(ck, raw)):
        path = ("blocks", i)
        kind = _block_kind(ck, b, path, f"block {i + 1}")
        if kind is None:
            continue
        what = f"{kind.name} block {i + 1}"
        ck.mapping(b, path, BLOCK_COMMON + tuple(kind.keys), what)
        area, _ = _area(ck, b.get("at"), path + ("at",), grid, what, allow_below=kind.below_area,
                        keys=tuple(k for k in AREA_KEYS if k != "overlap"))
        c = BlockCheck(ck, path, kind, {k: v for k, v in b.items() if k not in ROOM_KEYS}, area, grid, files, names)
        wrap = c.value("wrap")
        options = kind.check(c)
        if area is not None and c.ok and options is not None:
            out.append(Block(kind.name, area, options, wrap))
    return tuple(out)


def _where_map(doc: Located) -> dict:
    """Positions of the named things, for messages after loading (missing glyphs, image resolution)."""
    out = {}
    for key, pos in doc.marks.items():
        named = len(key) == 2 and key[0] in ("styles", "frames", "stories", "fonts", "blocks")
        if (named or key[:1] + key[2:] == ("stories", "continues")) and pos[0] is not None:
            out[key] = pos
            if Path(doc.file_at(key)) != Path(doc.file):  # merged from a master: PageSpec.file_of
                out[("file",) + key] = Path(doc.file_at(key))
    return out


def read_spec(path: Path) -> Located:
    """A spec file's YAML with positions (not yet merged with a master or checked)."""
    text = read_utf8(path, "spec", MAX_SPEC_BYTES,
                     "a page spec is a few KB; this one is generated wrong or is not a spec",
                     "give the path of a page .yaml")
    return load_yaml(text, path)


def load_spec(path: Path, allow_outside: bool = False, context: dict | None = None,
              doc: Located | None = None) -> PageSpec:
    """Read and check a page spec; raise one PagesetterError listing every problem found.

    File references (articles, captions, images, fonts) must lie inside the project folder
    (`pagespec.checker.project_root`) unless `allow_outside` or the spec's `page: {allow_outside: true}`.
    An edition passes its variables (`context`) and may pass the page's YAML (`doc`, inline or
    with its overrides); a `master:` is merged under the page here (pagespec.master).
    """
    path = Path(path)
    doc = with_master(read_spec(path) if doc is None else doc)
    ck = Checker(doc)
    if not isinstance(doc.data, dict):
        ck.fail((), f"a spec must be a mapping of sections (page:, grid:, …), not {type_name(doc.data)}",
                "start from `pagesetter init` or docs/spec.md")
        raise PagesetterError(*ck.problems)
    raw = apply_variables(ck, ck.mapping(doc.data, (), TOP_KEYS, "the spec"), context)
    page, trim, name = _page(ck, raw, path)
    grid = _grid(ck, raw, page, trim)
    root = project_root(path)
    allow = allow_outside or page.get("allow_outside") is True
    files = Files(ck, path.resolve().parent, root, allow)
    colors = _colors(ck, raw)
    declared_styles = {k for k in raw["styles"] if isinstance(k, str) and k.strip()} \
        if isinstance(raw.get("styles"), dict) else set()
    styles = _styles(ck, raw, colors, grid.body if grid else None)
    frames, declared_frames = _frames(ck, raw, grid)
    stories = _stories(ck, raw, files, _Refs(frames, declared_frames, styles, declared_styles))
    declared_stories = {k for k in raw["stories"] if isinstance(k, str)} if isinstance(raw.get("stories"), dict) \
        else set()
    blocks = _blocks(ck, raw, grid, files, {"styles": declared_styles, "colors": colors,
                                            "stories": declared_stories})
    fonts = _fonts(ck, raw, files)
    composition = _composition(ck, raw)
    output = _output(ck, page, files)
    if ck.problems or grid is None or trim is None:
        if not ck.problems:  # cannot happen: a missing grid or trim is always reported
            ck.fail((), "the spec has no usable grid", "see docs/spec.md#grid")
        raise PagesetterError(*_sorted(ck.problems))
    return PageSpec(path=path, name=name, trim=trim, grid=grid, colors=colors, styles=styles, fonts=fonts,
                    composition=composition, frames=frames, stories=stories, blocks=blocks,
                    where=_where_map(doc), allow_outside=allow, output=output,
                    masters=tuple(sorted({Path(f) for f in doc.files.values()} - {Path(doc.file)}, key=str)))


def _sorted(problems: list[Problem]) -> list[Problem]:
    """In file order (line, column), duplicates dropped."""
    seen, out = set(), []
    for p in problems:
        key = (str(p.file), p.line, p.column, p.message)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return sorted(out, key=lambda p: (str(p.file), p.line or 0, p.column or 0))
