"""Load a page spec: YAML → validated, resolved `PageSpec` (all lengths in points).

Every problem found is collected with its file, line, column and a fix, and all are reported
together as one `PagesetterError`. No input, however wrong, makes this module raise anything else.

`pagespec.keys.KEYS` is the one table of what a spec may say: the loader accepts exactly these keys,
the JSON Schema (`pagespec/schema.py`, `pagesetter schema`, schema/page.schema.json) is generated from
it and docs/spec.md documents every key (tests hold the three together). `spec.checker` holds the
value checks shared by every section. Each section is read by its own module: `page.py` (page,
output keys, grid, areas, frames), `styles.py` (colours, styles and `based_on`, composition, fonts),
`stories.py` (stories); the blocks by their kinds (`kinds.py`). This module runs them in order.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..errors import PagesetterError, Problem
from ..files import read_utf8
from .checker import Checker, Files, project_root, suggest, show, type_name
from .keys import AREA_KEYS, BLOCK_COMMON, MAX_BLOCKS, MAX_SPEC_BYTES, TOP_KEYS
from .kinds import ROOM_KEYS, BlockCheck, BlockKind, kind_names, kinds
from .makeup import check_makeup
from .master import apply_variables, kind_of, own_allow_outside, with_master
from .model import Block, Grid, PageSpec
from .page import check_area, check_frames, check_grid, check_output, check_page
from .stories import Refs, check_stories
from .styles import check_colors, check_composition, check_fonts, check_styles
from .yamlpos import Located, load_yaml


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
                "write each block as a '- {kind: …, at: {…}}' line" + (
                    " (a mapping of block numbers changes a master's blocks, and this page names no master:)"
                    if isinstance(blocks, dict) else ""))
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
        area, _ = check_area(ck, b.get("at"), path + ("at",), grid, what, allow_below=kind.below_area,
                        keys=tuple(k for k in AREA_KEYS if k != "overlap"))
        if area is not None and area.lines < kind.min_lines:
            ck.fail(path + ("at",), f"{what} has {area.lines} line{'s' if area.lines > 1 else ''}; a {kind.name} "
                    f"block needs at least {kind.min_lines}", f"give it lines: {kind.min_lines} or more")
            continue
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

    File references (masters, articles, captions, images, fonts) must lie inside the project folder
    (`pagespec.checker.project_root`) unless `allow_outside` or the spec's own (not its master's)
    `page: {allow_outside: true}`.
    An edition passes its variables (`context`) and may pass the page's YAML (`doc`, inline or
    with its overrides); a `master:` is merged under the page here (pagespec.master).
    """
    path = Path(path)
    own = read_spec(path) if doc is None else doc
    doc = with_master(own, allow_outside)
    ck = Checker(doc)
    if not isinstance(doc.data, dict):
        ck.fail((), f"a spec must be a mapping of sections (page:, grid:, …), not {kind_of(doc.data)}",
                "start from `pagesetter init` or docs/spec.md")
        raise PagesetterError(*ck.problems)
    raw = apply_variables(ck, ck.mapping(doc.data, (), TOP_KEYS, "the spec"), context)
    page, trim, name = check_page(ck, raw, path)
    grid = check_grid(ck, raw, page, trim)
    root = project_root(path)
    allow = allow_outside or own_allow_outside(doc, path)  # a master's allow_outside does not count
    files = Files(ck, path.resolve().parent, root, allow)
    colors = check_colors(ck, raw)
    declared_styles = {k for k in raw["styles"] if isinstance(k, str) and k.strip()} \
        if isinstance(raw.get("styles"), dict) else set()
    styles = check_styles(ck, raw, colors, grid.body if grid else None)
    frames, declared_frames = check_frames(ck, raw, grid)
    refs = Refs(frames, declared_frames, styles, declared_styles)
    refs.makeup = "makeup" in raw
    stories = check_stories(ck, raw, files, refs)
    declared_stories = {k for k in raw["stories"] if isinstance(k, str)} if isinstance(raw.get("stories"), dict) \
        else set()
    makeup = check_makeup(ck, raw, grid, stories, declared_stories, styles, declared_styles)
    blocks = _blocks(ck, raw, grid, files, {"styles": declared_styles, "colors": colors,
                                            "stories": declared_stories, "frames": set(declared_frames)})
    fonts = check_fonts(ck, raw, files)
    composition = check_composition(ck, raw)
    output = check_output(ck, page, files)
    if ck.problems or grid is None or trim is None:
        if not ck.problems:  # cannot happen: a missing grid or trim is always reported
            ck.fail((), "the spec has no usable grid", "see docs/spec.md#grid")
        raise PagesetterError(*_sorted(ck.problems))
    return PageSpec(path=path, name=name, trim=trim, grid=grid, colors=colors, styles=styles, fonts=fonts,
                    composition=composition, frames=frames, stories=stories, blocks=blocks,
                    where=_where_map(doc), allow_outside=allow, output=output,
                    masters=tuple(sorted({Path(f) for f in doc.files.values()} - {Path(doc.file)}, key=str)),
                    links=tuple(dict.fromkeys(files.links)),
                    makeup=replace(makeup, source=(own, context, allow_outside)) if makeup else None)


def _sorted(problems: list[Problem]) -> list[Problem]:
    """In file order (line, column), duplicates dropped."""
    seen, out = set(), []
    for p in problems:
        key = (str(p.file), p.line, p.column, p.message)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return sorted(out, key=lambda p: (str(p.file), p.line or 0, p.column or 0))
