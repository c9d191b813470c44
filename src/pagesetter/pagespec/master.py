"""Masters (主页/母版) and variables: a page based on a master inherits everything the master says
and overrides what it needs; text blocks say `{page}`, `{date}`, `{paper}` … and get their values
from the edition, the page's `variables:` or the master's.

Merging works on the loaded YAML (with positions), before the page is checked, so every message
still names the file, line and column the value came from — the master's or the page's:

- mappings merge key by key, at every depth (a page's `styles: {body: {size: 五号}}` changes only
  the size of the master's body style);
- `blocks` lists add up: the master's furniture first, then the page's blocks;
- a list overridden by a mapping of indexes (`blocks: {4: {at: {lines: 45}}}`) changes those items;
  for `blocks` that mapping may also say `add: [ … ]`, blocks added after the master's;
- anything else the page gives replaces the master's value.

File references in a master (fonts, articles, captions, images) are relative to the master's
folder; they are rewritten relative to the page's folder when merged.

A master is confined like every file a spec names: it must lie in the page's project folder
(`checker.project_root`; a symbolic link is followed before it is judged) unless the command
line says `--allow-outside` or the page itself (the top spec, never a master) says
`page: {allow_outside: true}`. A master outside is refused before it is read, so no line of it
reaches a message. A page may stand on MAX_MASTER_DEPTH masters, one on another.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import cast

from ..errors import PagesetterError, Problem
from ..files import read_utf8
from .checker import project_root, show, type_name
from .keys import MAX_SPEC_BYTES
from .yamlpos import Located, load_yaml

MAX_MASTER_DEPTH = 8  # a master may itself be based on a master, this many levels deep


def merge(base: Located, over: Located) -> Located:
    """`over` laid on `base` (see the module's rules); positions and files kept per value."""
    replaced: list[tuple] = []
    moved: list[tuple[tuple, tuple, int]] = []  # (path in over, path in the result, index offset)
    problems: list[Problem] = list(base.problems) + list(over.problems)

    def fail(path: tuple, message: str, fix: str) -> None:
        line, col = over.where(path + ("<key>",))
        problems.append(Problem(message, over.file_at(path), line, col, fix))

    def items(b: list, o: dict, path: tuple) -> list:
        out = list(b)
        for i, v in o.items():
            if path == ("blocks",) and i == ADD:
                continue
            if not isinstance(i, int):
                fail(path + (i,), f"{'.'.join(map(str, path))} over a master is a list or a mapping of item "
                     f"numbers, not a mapping with {show(i)}", BLOCKS_FORMS)
            elif 0 <= i < len(b):
                out[i] = value(b[i], v, path + (i,))
            else:
                fail(path + (i,), f"item {i} of {'.'.join(map(str, path))} does not exist: the list has items "
                     f"0–{len(b) - 1}", "use the index of an existing item (counted from 0)")
        added = o.get(ADD) if path == ("blocks",) else None
        if added is not None and not isinstance(added, list):
            fail(path + (ADD,), f"add must be a list of blocks, not {type_name(added)}", BLOCKS_FORMS)
        elif added:
            moved.append((path + (ADD,), path, len(b)))
            out += added
        return out

    def value(b, o, path: tuple):
        if isinstance(b, dict) and isinstance(o, dict):
            out = dict(b)
            for k, v in o.items():
                out[k] = value(b[k], v, path + (k,)) if k in b else v
            return out
        if path == ("blocks",) and isinstance(b, list) and isinstance(o, list):
            moved.append((path, path, len(b)))
            return b + o
        if isinstance(b, list) and isinstance(o, dict) and o and (
                path == ("blocks",) or all(isinstance(k, int) for k in o)):
            return items(b, o, path)
        replaced.append(path)
        return o

    data = value(base.data, over.data, ())
    marks, files = {}, {}
    for p, pos in base.marks.items():
        if not any(p[:len(r)] == r for r in replaced):
            marks[p], files[p] = pos, base.file_at(p)
    for p, pos in over.marks.items():
        q = _moved(p, moved)
        if q is not None:
            marks[q], files[q] = pos, over.file_at(p)
    return Located(data, marks, over.file, tuple(problems), files)


ADD = "add"  # blocks: {4: {…}, add: [ … ]} changes a master's fifth block and adds new ones
BLOCKS_FORMS = ("over a master, write blocks: as a list ('- {kind: …}' lines, added after the master's "
                "blocks) or as a mapping of the master's block numbers (counted from 0) to their changes, "
                "with add: [ … ] for new blocks")


def _moved(p: tuple, moved: list[tuple[tuple, tuple, int]]) -> tuple | None:
    """Where the value at `p` in the page went in the merged spec (None: the `add` key itself)."""
    for src, dst, n in moved:
        if p[:len(src)] == src and len(p) > len(src) and isinstance(p[len(src)], int):
            return dst + (p[len(src)] + n,) + p[len(src) + 1:]
        if p == src and src != dst:
            return None
    return p


def _rebase(data: dict, src: Path, dst: Path) -> dict:
    """The master's relative file references, made relative to the page's folder."""
    if src.resolve() == dst.resolve():
        return data

    def move(v):
        if isinstance(v, str) and v and not os.path.isabs(v):
            return Path(os.path.relpath(src / v, dst)).as_posix()
        return v

    data = dict(data)
    if isinstance(data.get("fonts"), dict):
        data["fonts"] = {r: (move(v) if isinstance(v, str) else {**v, "file": move(v.get("file"))}
                             if isinstance(v, dict) and "file" in v else v) for r, v in data["fonts"].items()}
    if isinstance(data.get("blocks"), list):
        data["blocks"] = [{**b, **{k: move(b[k]) for k in ("file", "caption") if k in b}}
                          if isinstance(b, dict) else b for b in data["blocks"]]
    if isinstance(data.get("stories"), dict):
        data["stories"] = {sid: {**s, "articles": [move(a) for a in s["articles"]]
                                 if isinstance(s.get("articles"), list) else move(s.get("articles"))}
                           if isinstance(s, dict) and "articles" in s else s for sid, s in data["stories"].items()}
    return data


def own_allow_outside(doc: Located, top: Path | None = None) -> bool:
    """Whether the spec `doc` itself (not a master merged into it) says page: {allow_outside: true};
    `top` is the page file when `doc` is an edition's override laid over it."""
    page = doc.data.get("page") if isinstance(doc.data, dict) else None
    if not isinstance(page, dict) or page.get("allow_outside") is not True:
        return False
    source = Path(doc.file_at(("page", "allow_outside"))).resolve()
    return source in {Path(doc.file).resolve(), *((Path(top).resolve(),) if top is not None else ())}


def with_master(doc: Located, allow_outside: bool = False, trail: tuple = (), root: Path | None = None) -> Located:
    """The page doc merged over its master (and the master's master …), or the doc as it is.
    A master outside the page's project is refused unless `allow_outside` (the command line) or
    the page's own page: {allow_outside: true}."""
    if not isinstance(doc.data, dict) or "master" not in doc.data:
        return doc
    if not trail:
        trail, root = (Path(doc.file).resolve(),), project_root(Path(doc.file))
        allow_outside = allow_outside or own_allow_outside(doc)
    assert root is not None  # (found above for the page, passed on for its masters)
    path = _master_path(doc, trail, root, allow_outside)
    text = read_utf8(path, "master", MAX_SPEC_BYTES, "a master is a few KB of YAML", "give the path of a master .yaml")
    master = load_yaml(text, path)
    if not isinstance(master.data, dict):
        raise PagesetterError.at(f"a master must be a mapping of sections (grid:, styles:, …), not "
                                 f"{kind_of(master.data)}", path, 1, 1, "see docs/spec.md#masters")
    master = with_master(master, allow_outside, trail + (path,), root)
    assert isinstance(master.data, dict)  # (a master's masters merged over it: still a mapping)
    master = Located(_rebase(master.data, path.parent, Path(doc.file).parent), master.marks, master.file,
                     master.problems, master.files)
    data = {k: v for k, v in doc.data.items() if k != "master"}
    return merge(master, Located(data, doc.marks, doc.file, doc.problems, doc.files))


def _master_path(doc: Located, trail: tuple, root: Path, allow_outside: bool) -> Path:
    """The master `doc` names, resolved and checked: a path, not a loop, not too deep, inside the
    project (or allowed outside), a file."""
    ref = cast(dict, doc.data)["master"]  # (with_master: a mapping with a master key)
    line, col = doc.where(("master",))
    where = doc.file_at(("master",))
    if not isinstance(ref, str) or not ref.strip():
        raise PagesetterError.at(f"master must be the path of a master spec, not {type_name(ref)}", where, line, col,
                                 "write e.g. master: masters/news.yaml")
    try:
        path = (Path(where).parent / ref).resolve()
    except (OSError, RuntimeError, ValueError) as exc:
        raise PagesetterError.at(f"master {show(ref)} is not a usable path ({exc})", where, line, col,
                                 "write a plain relative path") from None
    if path in trail:
        chain = " → ".join(p.name for p in trail + (path,))
        raise PagesetterError.at(f"masters based on each other in a loop: {chain}", where, line, col,
                                 "remove master: from one of them")
    if len(trail) > MAX_MASTER_DEPTH:  # the page and MAX_MASTER_DEPTH masters already
        chain = " → ".join(p.name for p in trail + (path,))
        raise PagesetterError.at(f"masters are nested {len(trail)} deep, over the limit of {MAX_MASTER_DEPTH}: "
                                 f"{chain}", where, line, col, f"base the page on at most {MAX_MASTER_DEPTH} "
                                 "masters, one on another: merge two of them")
    if not path.is_relative_to(root) and not allow_outside:
        raise PagesetterError.at(f"master {show(ref)} is outside the project folder {root}", where, line, col,
                                 "move the master into the project, or pass --allow-outside (or set page: "
                                 "{allow_outside: true} in the page spec; a master's own does not count)")
    if not path.is_file():
        there = path.exists()
        raise PagesetterError.at(f"master {show(ref)} " + (f"is not a regular file ({path})" if there else
                                                          f"does not exist ({path})"), where, line, col,
                                 "give the path of a master spec, relative to this file")
    return path


def kind_of(value) -> str:
    """What a whole file's YAML is, never what it says (a file outside the project could hold a
    secret on its first line: it must not reach the screen)."""
    return type_name(value).split(" (")[0]


# ── variables ──────────────────────────────────────────────────────────────────────────────────
VARIABLE = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def substitute(text: str, values: dict) -> tuple[str, list[str]]:
    """`text` with each `{name}` replaced by its value (`{{` and `}}` stand for braces); and the
    names that have no value."""
    missing: list[str] = []

    def one(m: re.Match) -> str:
        if m.group(0) in ("{{", "}}"):
            return m.group(0)[0]
        name = m.group(1).strip()
        if name in values:
            return str(values[name])
        missing.append(name)
        return m.group(0)

    return VARIABLE.sub(one, text), missing


def apply_variables(ck, raw: dict, context: dict | None) -> dict:
    """Fill in the variables of text blocks: the edition's values (`context`) first, then the
    page's (and its master's) `variables:`. A variable with no value is an error at its block."""
    values: dict = {}
    given = raw.get("variables")
    if given is not None and not isinstance(given, dict):
        ck.fail(("variables",), f"variables must be a mapping of name: value, not {type_name(given)}",
                "write e.g. variables: {section: 要闻, editor: 王一}")
    for name, v in (given or {}).items() if isinstance(given, dict) else ():
        if not isinstance(name, str) or not NAME.match(name):
            ck.fail(("variables", name, "<key>"), f"variable name {show(name)} is not a plain name",
                    "use letters, digits and _ (e.g. section, editor_1)")
        elif not isinstance(v, (str, int, float)) or isinstance(v, bool):
            ck.fail(("variables", name), f"variable {name!r} must be text or a number, not {type_name(v)}",
                    "write e.g. editor: 王一")
        else:
            values[name] = v
    values.update(context or {})
    blocks = raw.get("blocks")
    if not isinstance(blocks, list):
        return raw
    out = []
    for i, b in enumerate(blocks):
        if isinstance(b, dict) and b.get("kind") == "text" and isinstance(b.get("text"), str):
            text, missing = substitute(b["text"], values)
            for name in missing:
                known = ", ".join(sorted(values)) or "none"
                ck.fail(("blocks", i, "text"), f"variable {{{name}}} has no value (known here: {known})",
                        f"give it a value: variables: {{{name}: …}} in the page or its master, or build the "
                        "page in an edition that sets it; write {{ and }} for literal braces")
            lone = re.search(r"[{}]", VARIABLE.sub("", b["text"]))
            if lone and not missing:
                ck.fail(("blocks", i, "text"), f"text {b['text']!r} has a lone {lone.group(0)!r}",
                        "close the variable (e.g. {paper}), or write {{ or }} for a brace printed as such")
            b = {**b, "text": text}
        out.append(b)
    return {**raw, "blocks": out}
