"""The JSON Schema of a page spec, generated from the key table (`pagespec.keys.KEYS`).

    pagesetter schema > schema/page.schema.json

The schema is for editors (completion, hover text, red squiggles through yaml-language-server)
and other tools; the loader stays the judge: it also checks what a schema cannot say (references
between sections, geometry, files). tests/test_schema.py keeps the committed file equal to
`json.dumps(page_schema(), …)` and both equal to what the loader accepts.
"""
from __future__ import annotations

import json

from .. import units
from ..fonts.roles import ROLES
from . import keys as L

_NUMBER_UNIT = r"^\s*-?(\d+(\.\d*)?|\.\d+)\s*(pt|PT|Pt|mm|MM|cm|CM|in|IN|q|Q|级|字|em|EM|行|栏)?\s*$"


def _ref(name: str) -> dict:
    return {"$ref": f"#/$defs/{name}"}


def _defs() -> dict:
    zihao = list(units.ZIHAO)
    length = {"description": "a length: a number (points) or text with a unit: pt, mm, cm, in, q/级 "
                             "(0.25 mm), 字/em (body characters), 行 (body lines), 栏 (columns); or a 字号 name",
              "anyOf": [{"type": "number"}, {"type": "string", "pattern": _NUMBER_UNIT},
                        {"enum": zihao}]}
    size = {"description": "a type size: a 字号 name (" + ", ".join(zihao) + ") or a length",
            "anyOf": [{"enum": zihao}, {"type": "number", "exclusiveMinimum": 0},
                      {"type": "string", "pattern": _NUMBER_UNIT}]}
    return {
        "length": length,
        "size": size,
        "name": {"type": "string", "minLength": 1},
        "cmyk": {"description": "CMYK, four numbers 0–1", "type": "array", "minItems": 4, "maxItems": 4,
                 "items": {"type": "number", "minimum": 0, "maximum": 1}},
    }


def _value(kind: str, doc: str, section: str) -> dict:
    """The schema of one key's value, from its type token in `KEYS`."""
    if kind.startswith("enum:"):
        out: dict = {"enum": kind[5:].split("|")}
    elif kind.startswith("number:"):
        lo, hi = (float(x) for x in kind.split(":")[1:])
        out = {"type": "number", "minimum": lo, "maximum": hi}
    elif kind in ("length", "size"):
        out = _ref(kind)
    elif kind == "text":
        out = {"type": ["string", "number"]}
    elif kind in ("style", "color", "story", "path", "image"):
        out = _ref("name")
    elif kind == "count":
        out = {"type": "integer", "minimum": 1}
    elif kind == "index":
        out = {"type": "integer", "minimum": 0}
    elif kind == "bool":
        out = {"type": "boolean"}
    elif kind == "role":
        out = {"enum": list(ROLES)}
    elif kind == "pair":
        out = {"type": "array", "minItems": 2, "maxItems": 2, "items": _ref("length")}
    elif kind == "copyfit":
        out = {"type": "array", "minItems": 2, "maxItems": 2,
               "items": {"type": "number", "minimum": -0.5, "maximum": 0.5}}
    elif kind == "insets":
        out = {"type": "array", "minItems": 2, "maxItems": 2, "items": _ref("length")}
    elif kind == "paths":
        out = {"anyOf": [_ref("name"), {"type": "array", "minItems": 1, "items": _ref("name")}]}
    elif kind == "frames":
        out = {"type": "array", "minItems": 1, "items": _ref("name")}
    elif kind == "area":
        out = _ref("block_area")
    elif kind == "story-styles":
        out = _closed({r: _ref("name") for r in L.PARAGRAPH_ROLES})
    elif kind == "heads":
        out = _closed({p: _ref("name") for p in L.HEAD_PARTS})
    elif kind == "block-list":
        out = {"type": "array", "maxItems": L.MAX_BLOCKS, "items": _ref("block")}
    elif kind in ("page", "grid", "composition"):
        out = _ref(kind)
    elif kind == "variables":
        out = {"type": "object", "propertyNames": {"pattern": "^[A-Za-z_][A-Za-z0-9_]*$"},
               "additionalProperties": {"type": ["string", "number"]}}
    elif kind == "colors":
        out = {"type": "object", "additionalProperties": _ref("cmyk")}
    elif kind == "styles":
        out = {"type": "object", "maxProperties": L.MAX_STYLES, "additionalProperties": _ref("style")}
    elif kind == "fonts":
        out = {"type": "object", "propertyNames": {"enum": list(ROLES)},
               "additionalProperties": {"anyOf": [_ref("name"), _ref("font")]}}
    elif kind == "frames-map":
        out = {"type": "object", "maxProperties": L.MAX_FRAMES, "additionalProperties": _ref("frame")}
    elif kind == "stories":
        out = {"type": "object", "additionalProperties": _ref("story")}
    else:
        raise ValueError(f"no schema for value type {kind!r} ({section})")
    if "$ref" in out:
        return {"allOf": [out], "description": doc}
    return {**out, "description": doc}


def _closed(props: dict, required=()) -> dict:
    out = {"type": "object", "additionalProperties": False, "properties": props}
    if required:
        out["required"] = list(required)
    return out


def _section(section: str, required=(), extra: dict | None = None, only=None) -> dict:
    keys = L.KEYS[section]
    props = {k: _value(kind, doc, f"{section}.{k}") for k, (kind, doc) in keys.items()
             if only is None or k in only}
    props.update(extra or {})
    return _closed(props, required)


def page_schema() -> dict:
    """The JSON Schema (draft 2020-12) of a page spec."""
    top = L.KEYS["top"]
    defs = _defs()
    defs["page"] = _section("page")  # trim: required below unless a master gives it
    defs["grid"] = _section("grid", required=L.GRID_KEYS)
    defs["composition"] = _section("composition")
    defs["style"] = _section("style")
    defs["font"] = _section("font", required=("file",))
    defs["frame"] = _section("area", required=("col", "line"))
    defs["block_area"] = _section("area", required=("col", "line"),
                                  only=[k for k in L.AREA_KEYS if k != "overlap"])
    defs["story"] = {**_section("story", required=("chain",)),
                     "anyOf": [{"required": ["articles"]}, {"required": ["continues"]}]}
    kinds = list(L.BLOCK_KEYS)
    block_keys = L.KEYS["block"]
    defs["block"] = {
        "type": "object",
        "required": ["kind", "at"],
        "properties": {k: _value(kind, doc, f"block.{k}") for k, (kind, doc) in block_keys.items()},
        "allOf": [{"if": {"properties": {"kind": {"const": k}}, "required": ["kind"]},
                   "then": _ref(f"block_{k}")} for k in kinds],
    }
    base = {k: _value(kind, doc, f"block.{k}") for k, (kind, doc) in block_keys.items()}
    for k in kinds:
        required = {"text": ("text", "style"), "headline": ("story",)}.get(k, ())
        defs[f"block_{k}"] = _section(k, required=("kind", "at") + required, extra=base)
    props = {k: _value(kind, doc, f"top.{k}") for k, (kind, doc) in top.items()}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "pagesetter page spec",
        "description": "A Chinese newspaper page: grid, styles, frames, stories and blocks. "
                       "Reference: docs/spec.md. Generated by `pagesetter schema`; do not edit.",
        **_closed(props),
        "anyOf": [{"required": ["page", "grid"], "properties": {"page": {"required": ["trim"]}}},
                  {"required": ["master"]}],  # a master may give them
        "$defs": defs,
    }


def schema_text() -> str:
    """The schema as the committed file holds it (sorted keys, two-space indent, final newline)."""
    return json.dumps(page_schema(), ensure_ascii=False, indent=2) + "\n"


def schema_keys(schema: dict | None = None) -> dict[str, set[str]]:
    """Key names per loader section, read back from a schema (for the one-source-of-truth test)."""
    s = schema or page_schema()
    d = s["$defs"]
    out = {"top": set(s["properties"]), "page": set(d["page"]["properties"]),
           "grid": set(d["grid"]["properties"]), "composition": set(d["composition"]["properties"]),
           "style": set(d["style"]["properties"]), "font": set(d["font"]["properties"]),
           "area": set(d["frame"]["properties"]), "story": set(d["story"]["properties"]),
           "block": set(d["block"]["properties"])}
    for k in L.BLOCK_KEYS:
        out[k] = set(d[f"block_{k}"]["properties"]) - out["block"]
    return out
