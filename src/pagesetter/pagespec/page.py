"""Reading a spec's page: `page:` (trim, name and the output keys: title, date, standard, profile, …),
the `grid:` (版心, the type area) and areas on it, and the `frames:` (版块) that stories flow through.
Called by `pagespec.load.load_spec`."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import units
from .checker import NAME_FIX, Checker, Files, name_problem, show, type_name
from .keys import AREA_KEYS, GEOMETRY_TOLERANCE, GRID_KEYS, KEYS, MAX_FRAMES, PAGE_KEYS, PDF_STANDARDS
from .model import Area, Frame, Grid, Output


def check_page(ck: Checker, raw: dict, path: Path) -> tuple[dict, tuple | None, str]:
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
            if (why := name_problem(given)) is not None:
                ck.fail(("page", "name"), f"page name {show(given)} {why}", NAME_FIX)
            else:
                name = given.strip()
    elif (why := name_problem(name)) is not None:  # named after its file: a file name may hold anything
        ck.fail(("page",) if "page" in raw else (), f"the page is named after its file, {show(name)}, which {why}",
                f"give it a name: page: {{name: …}} ({NAME_FIX})")
    if "allow_outside" in page:
        ck.flag(page["allow_outside"], ("page", "allow_outside"), "allow_outside")
    return page, trim, name


def check_output(ck: Checker, page: dict, files: Files) -> Output:
    """The page's output keys: title, paper, date, number, profile, condition, standard, keep_rgb."""
    out: dict[str, Any] = {}
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


def check_grid(ck: Checker, raw: dict, page: dict, trim) -> Grid | None:
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


def check_area(ck: Checker, value, path: tuple, grid: Grid | None, what: str, allow_below=False,
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
    if missing or il is None or ir is None or None in (col, span, line, lines):
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


def check_frames(ck: Checker, raw: dict, grid: Grid | None) -> tuple[dict[str, Frame], set]:
    frames: dict[str, Frame] = {}
    declared = ck.names(raw.get("frames"), ("frames",), "frames", MAX_FRAMES)
    for fid, v in declared.items():
        area, overlap = check_area(ck, v, ("frames", fid), grid, f"frame {fid!r}")
        if area is not None:
            frames[fid] = Frame(fid, area, overlap)
    if grid is None:  # (then no frame has an area)
        return frames, set(declared)
    ids = list(frames)
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            if _overlap(frames[a].area, frames[b].area, grid) and not (frames[a].overlap or frames[b].overlap):
                ck.fail(("frames", b), f"frame {b!r} overlaps frame {a!r}",
                        "move one of them, or set overlap: true on one if that is intended")
    return frames, set(declared)
