"""An edition spec (一期报纸): the paper, the date, the edition number and the pages (版) in order.

    edition: {name: sample, paper: 人民日报, date: 2022年6月24日, number: 26178}
    pages:
      - {file: front.yaml, section: 要闻}          # a page spec file, valid on its own
      - {file: inside.yaml, section: 综合, override: {styles: {body: {size: 五号}}}}
      - {spec: {page: {name: back, …}, grid: …}}   # a page written inline

A page's number (版次) is its place in the list. Each page is loaded as a page spec with the
edition's variables ({paper}, {date}, {edition}, {page}, {page_cn}, {pages}, {section} and the
edition's and the page entry's `variables:`); `override:` is laid over the page file the way a
page is laid over its master (pagespec.master). `EDITION_KEYS` is the one table of what an
edition may say: the loader accepts these keys, `edition_schema()` and docs/spec.md#editions
say the same (tests hold them together).
"""
from __future__ import annotations

import datetime
from dataclasses import field
from pathlib import Path
from typing import Any

from ..records import record
from ..errors import PagesetterError
from ..files import read_utf8
from .checker import NAME_FIX, Checker, _AnyKey as _Any, name_problem, project_root, show, type_name
from .keys import MAX_SPEC_BYTES
from .master import NAME, kind_of, merge, with_master
from .yamlpos import Located, load_yaml

EDITION_KEYS: dict[str, dict[str, tuple[str, str]]] = {
    "edition-top": {
        "edition": ("edition", "the edition: paper, date, number (marks the file as an edition)"),
        "pages": ("pages", "the pages (版) in order: page 1 first"),
    },
    "edition": {
        "name": ("text", "output name: out/<name>.pdf and out/<name>/ (default: the file's name)"),
        "paper": ("text", "the paper's name, {paper}"),
        "date": ("text", "the date as printed, {date}"),
        "number": ("text", "the edition number (期号), {edition}"),
        "variables": ("variables", "more values for {name} variables on every page"),
        "jobs": ("count", "pages composed at once (default: the number of cores; 1: in one process)"),
    },
    "edition-page": {
        "file": ("path", "the page spec file, relative to the edition"),
        "spec": ("page-spec", "the page spec written inline instead of a file"),
        "section": ("text", "the page's name (版名: 要闻, 评论 …), {section}"),
        "variables": ("variables", "values for this page's {name} variables"),
        "override": ("page-override", "page spec keys laid over the file, as over a master"),
    },
}
MAX_PAGES = 200
CN_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """A page number as newspapers print it in jump lines: 1 → 一, 10 → 十, 12 → 十二, 24 → 二十四."""
    if n < 10:
        return CN_DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return (CN_DIGITS[tens] if tens > 1 else "") + "十" + (CN_DIGITS[ones] if ones else "")
    hundreds, rest = divmod(n, 100)
    tail = "" if rest == 0 else ("零" + CN_DIGITS[rest] if rest < 10 else
                                 ("一" if rest < 20 else "") + chinese_number(rest))
    return CN_DIGITS[hundreds] + "百" + tail


@record
class EditionPage:
    """One page of an edition: where its spec is and the values of its variables."""

    number: int  # 版次, from 1
    path: Path  # the page spec file (the edition file for an inline page)
    doc: Located | None = field(compare=False)  # the YAML to load (inline or overridden); None: read path
    context: dict = field(hash=False)  # variable → value from the edition
    where: tuple = (None, None)  # the entry's line and column in the edition file


@record
class EditionSpec:
    path: Path
    name: str
    pages: tuple[EditionPage, ...]
    jobs: int | None = None


def is_edition(path: Path) -> bool:
    """Whether a YAML file is an edition (a top-level `edition:` key), read cheaply and forgivingly:
    only a regular file, only its first MAX_SPEC_BYTES (anything else is left to the page loader,
    which reports it)."""
    try:
        if not Path(path).is_file():
            return False
        with open(path, "rb") as f:
            head = f.read(MAX_SPEC_BYTES)
    except OSError:
        return False
    return any(line.startswith(b"edition:") for line in head.splitlines())


def _sub(doc: Located, prefix: tuple, data) -> Located:
    """The part of a document under `prefix`, as a document of its own (same file, same positions)."""
    n = len(prefix)
    marks = {p[n:]: pos for p, pos in doc.marks.items() if p[:n] == prefix}
    return Located(data, marks, doc.file)


def _values(ck: Checker, value, path: tuple) -> dict:
    out = {}
    for name, v in ck.mapping(value, path, _Any(), "variables", "{editor: 王一}").items():
        if not isinstance(name, str) or not NAME.match(name):
            ck.fail(path + (name, "<key>"), f"variable name {show(name)} is not a plain name",
                    "use letters, digits and _ (e.g. section, editor_1)")
        elif not isinstance(v, (str, int, float)) or isinstance(v, bool):
            ck.fail(path + (name,), f"variable {name!r} must be text or a number, not {type_name(v)}",
                    "write e.g. editor: 王一")
        else:
            out[name] = v
    return out


def _head(ck: Checker, raw: dict, path: Path) -> tuple[dict, str, int | None]:
    e = ck.mapping(raw.get("edition"), ("edition",), EDITION_KEYS["edition"], "edition",
                   "{paper: 人民日报, date: 2022年6月24日, number: 26178}")
    context = {}
    for key, var in (("paper", "paper"), ("date", "date"), ("number", "edition")):
        if key in e:
            v = e[key]
            if isinstance(v, (datetime.date, datetime.datetime)):
                v = f"{v.year}年{v.month}月{v.day}日"  # an unquoted 2022-06-24, as printed
            text = ck.text(v, ("edition", key), key)
            if text is not None:
                context[var] = text
    context.update(_values(ck, e.get("variables"), ("edition", "variables")))
    name = path.stem
    if "name" in e:
        given = ck.text(e["name"], ("edition", "name"), "edition name")
        if given is not None and (why := name_problem(given)) is not None:
            ck.fail(("edition", "name"), f"edition name {show(given)} {why}", NAME_FIX)
        elif given is not None:
            name = given.strip()
    elif (why := name_problem(name)) is not None:  # named after its file: a file name may hold anything
        ck.fail(("edition",), f"the edition is named after its file, {show(name)}, which {why}",
                f"give it a name: edition: {{name: …}} ({NAME_FIX})")
    jobs = ck.integer(e["jobs"], ("edition", "jobs"), "jobs", minimum=1, maximum=64) if "jobs" in e else None
    return context, name, jobs


def _page(ck: Checker, doc: Located, i: int, entry, base: Path, context: dict,
          allow_outside: bool = False) -> EditionPage | None:
    path = ("pages", i)
    where = doc.where(path)
    e = ck.mapping(entry, path, EDITION_KEYS["edition-page"], f"page {i + 1}", "{file: front.yaml, section: 要闻}")
    if not isinstance(entry, dict):
        return None
    if ("file" in e) == ("spec" in e):
        both = "file" in e
        ck.fail(path, f"page {i + 1} gives both file: and spec:" if both else
                f"page {i + 1} needs either file: (a page spec) or spec: (the page inline)",
                "keep one: file: to build a spec file, spec: for a page written here" if both else
                "write e.g. - {file: front.yaml, section: 要闻}")
        return None
    values = dict(context)
    values.update(page=i + 1, page_cn=chinese_number(i + 1))
    if "section" in e:
        section = ck.text(e["section"], path + ("section",), "section")
        if section is not None:
            values["section"] = section
    values.update(_values(ck, e.get("variables"), path + ("variables",)))
    if "spec" in e:
        spec = e["spec"]
        if not isinstance(spec, dict):
            ck.fail(path + ("spec",), f"spec must be a page spec mapping, not {type_name(spec)}",
                    "write the page's sections (page:, grid:, …) under spec:")
            return None
        sub = _sub(doc, path + ("spec",), spec)
        if not isinstance(spec.get("page"), dict) or "name" not in spec["page"]:
            data = {**spec, "page": {**(spec.get("page") or {}), "name": f"{base.stem}-{i + 1}"}} \
                if isinstance(spec.get("page", {}), dict) else spec
            sub = Located(data, sub.marks, sub.file)
        return EditionPage(i + 1, doc.file, sub, values, where)
    ref = e["file"]
    if not isinstance(ref, str) or not ref.strip():
        ck.fail(path + ("file",), f"file must be the path of a page spec, not {type_name(ref)}", "write e.g. file: front.yaml")
        return None
    file = _page_file(ck, path + ("file",), ref, base, i, allow_outside)
    if file is None:
        return None
    if is_edition(file):
        ck.fail(path + ("file",), f"page {i + 1}: {show(ref)} is an edition, not a page spec",
                "name the page's spec file here (a file with page:, grid:, …); editions do not nest")
        return None
    page_doc = None
    if "override" in e:
        if not isinstance(e["override"], dict):
            ck.fail(path + ("override",), f"override must be a mapping of page spec keys, not "
                    f"{type_name(e['override'])}", "write e.g. override: {frames: {main-6: {lines: 10}}}")
            return None
        from .load import read_spec

        page_doc = merge(with_master(read_spec(file), allow_outside), _sub(doc, path + ("override",), e["override"]))
    return EditionPage(i + 1, file, page_doc, values, where)


def _page_file(ck: Checker, at: tuple, ref: str, base: Path, i: int, allow_outside: bool) -> Path | None:
    """A page's spec file, resolved (a symbolic link followed) and confined to the edition's project
    unless `allow_outside` (the command line: an edition has no allow_outside of its own)."""
    try:
        file = (base / ref).resolve()
    except (OSError, RuntimeError, ValueError) as exc:
        ck.fail(at, f"page {i + 1}: page spec {show(ref)} is not a usable path ({exc})", "write a plain relative path")
        return None
    root = project_root(base / "edition.yaml")
    if not file.is_relative_to(root) and not allow_outside:
        ck.fail(at, f"page {i + 1}: page spec {show(ref)} is outside the project folder {root}",
                "move the page spec into the project, or pass --allow-outside if that is intended")
        return None
    if not file.is_file():
        there = file.exists()  # a folder, a device, a named pipe: never opened
        ck.fail(at, f"page {i + 1}: page spec {show(ref)} " + (f"is not a regular file ({file})" if there else
                                                              f"does not exist ({file})"),
                "give the path of a page .yaml, relative to the edition file")
        return None
    return file


def load_edition(path: Path, allow_outside: bool = False) -> EditionSpec:
    """Read and check an edition spec (not its pages: `build_edition.load_pages` loads those); every problem
    found is raised together, each with file, line, column and fix. Page files (and their masters)
    must lie in the edition's project folder unless `allow_outside`."""
    path = Path(path)
    text = read_utf8(path, "edition", MAX_SPEC_BYTES, "an edition spec is a few KB", "give the path of an edition .yaml")
    doc = load_yaml(text, path)
    ck = Checker(doc)
    if not isinstance(doc.data, dict):
        ck.fail((), f"an edition must be a mapping (edition:, pages:), not {kind_of(doc.data)}",
                "start from `pagesetter init --edition` or docs/spec.md#editions")
        raise PagesetterError(*ck.problems)
    raw = ck.mapping(doc.data, (), EDITION_KEYS["edition-top"], "the edition")
    context, name, jobs = _head(ck, raw, path)
    pages = raw.get("pages")
    out: list[EditionPage] = []
    if not isinstance(pages, list) or not pages:
        got = "an empty list" if pages == [] else type_name(pages)
        ck.fail(("pages",) if "pages" in raw else (), f"the edition needs pages: a list of pages, not {got}",
                "write e.g. pages: [{file: front.yaml}, {file: inside.yaml}]")
    elif len(pages) > MAX_PAGES:
        ck.fail(("pages",), f"the edition has {len(pages)} pages; at most {MAX_PAGES} are allowed",
                "split it into several editions")
    else:
        context["pages"] = len(pages)
        for i, entry in enumerate(pages):
            page = _page(ck, doc, i, entry, path.parent, context, allow_outside)
            if page is not None:
                out.append(page)
    if ck.problems:
        raise PagesetterError(*ck.problems)
    return EditionSpec(path, name, tuple(out), jobs)


def edition_schema() -> dict:
    """The JSON Schema of an edition spec, from `EDITION_KEYS` (schema/edition.schema.json)."""
    from .keys import Key
    from .schema import _closed, _value

    def section(name: str, only_value: dict) -> dict:
        return _closed({k: only_value.get(kind) or _value(Key(kind, doc), f"{name}.{k}")
                        for k, (kind, doc) in EDITION_KEYS[name].items()})

    page_ref = {"$ref": "page.schema.json"}
    own: dict[str, dict[str, Any]] = {"page-spec": page_ref, "edition": {"$ref": "#/$defs/edition"},
           "pages": {"type": "array", "minItems": 1, "maxItems": MAX_PAGES, "items": {"$ref": "#/$defs/page"}}}
    top = {k: {**own[kind], "description": doc} if "$ref" not in own[kind] else
           {"allOf": [own[kind]], "description": doc} for k, (kind, doc) in EDITION_KEYS["edition-top"].items()}
    page = section("edition-page", {"page-spec": page_ref, "page-override": {"type": "object"}})
    page["oneOf"] = [{"required": ["file"]}, {"required": ["spec"]}]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "pagesetter edition spec",
        "description": "A newspaper edition: paper, date, number and its pages in order. Reference: "
                       "docs/spec.md#editions. Generated by `pagesetter schema --edition`; do not edit.",
        **_closed(top, required=("edition", "pages")),
        "$defs": {"edition": section("edition", {}), "page": page, "name": {"type": "string", "minLength": 1}},
    }


def edition_schema_text() -> str:
    import json

    return json.dumps(edition_schema(), ensure_ascii=False, indent=2) + "\n"
