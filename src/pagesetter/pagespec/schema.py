"""The JSON Schema of a page spec, generated from the key table (`pagespec.keys.KEYS`)
and the registered block kinds (`pagespec.kinds`).

    pagesetter schema > schema/page.schema.json

The schema is for editors (completion, hover text, red squiggles through yaml-language-server)
and other tools; the loader stays the judge: it also checks what a schema cannot say (references
between sections, geometry, files). tests/test_schema.py keeps the committed file equal to
`json.dumps(page_schema(), …)` and both equal to what the loader accepts.
"""
from __future__ import annotations

import json

from .. import units
from ..fonts.fallback import FONT_ROLES
from ..fonts.roles import ROLES
from . import keys as L
from .keys import Key
from .kinds import kind_names, kinds

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


def _bounds(key: Key, floor: float | None = None) -> dict:
    """JSON Schema minimum/maximum of a number or whole number, from its `Key`."""
    lo = key.lo if key.lo is not None else floor
    return {**({"minimum": lo} if lo is not None else {}), **({"maximum": key.hi} if key.hi is not None else {})}


def _value(key: Key, section: str) -> dict:
    """The schema of one key's value: its type, range and default from its `Key`."""
    out = _typed(key, section)
    if "$ref" in out:
        out = {"allOf": [out]}
    if key.default is not None:
        out["default"] = list(key.default) if isinstance(key.default, tuple) else key.default
    doc = key.described()
    if key.type == "kind":  # each kind's own words, for hover text in editors
        doc += " — " + "; ".join(f"{k.name}: {k.doc}" for k in kinds())
    return {**out, "description": doc}


def _typed(key: Key, section: str) -> dict:
    """The schema of a value type token (see `pagespec.keys.Key`)."""
    kind = key.type
    if key.choices:
        out: dict = {"enum": list(key.choices)}
    elif kind == "number":
        out = {"type": "number", **_bounds(key)}
    elif kind == "kind":
        out = {"enum": list(kind_names())}
    elif kind in ("length", "size", "page", "grid", "composition", "makeup", "house"):
        out = _ref(kind)
    elif kind == "text":
        out = {"type": ["string", "number"]}
    elif kind in ("style", "color", "story", "path", "image"):
        out = _ref("name")
    elif kind == "count":
        out = {"type": "integer", **_bounds(key, 1)}
    elif kind == "index":
        out = {"type": "integer", **_bounds(key, 0)}
    elif kind == "bool":
        out = {"type": "boolean"}
    elif kind == "role":
        out = {"enum": list(ROLES)}
    elif kind in ("pair", "insets"):
        out = {"type": "array", "minItems": 2, "maxItems": 2, "items": _ref("length")}
    elif kind == "copyfit":
        out = {"type": "array", "minItems": 2, "maxItems": 2, "items": {"type": "number", **_bounds(key)}}
    elif kind == "paths":
        out = {"anyOf": [_ref("name"), {"type": "array", "minItems": 1, "items": _ref("name")}]}
    elif kind == "story-list":
        out = {"type": "array", "items": _ref("name")}
    elif kind == "head-list":
        out = {"type": "array", "minItems": 1, "items": _closed({p: _ref("name") for p in L.HEAD_PARTS})}
    elif kind == "span-pair":
        out = {"type": "array", "minItems": 2, "maxItems": 2, "items": {"type": "integer", "minimum": 1,
                                                                         "maximum": L.MAX_COLUMNS}}
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
    elif kind == "variables":
        out = {"type": "object", "propertyNames": {"pattern": "^[A-Za-z_][A-Za-z0-9_]*$"},
               "additionalProperties": {"type": ["string", "number"]}}
    elif kind == "colors":
        spot = {"type": "object", "additionalProperties": False, "required": ["spot", "cmyk"],
                "properties": {"spot": {"type": "string", "minLength": 1, "description": "the ink's name"},
                               "cmyk": _ref("cmyk")}}
        out = {"type": "object", "additionalProperties": {"anyOf": [_ref("cmyk"), spot]}}
    elif kind == "styles":
        out = {"type": "object", "maxProperties": L.MAX_STYLES, "additionalProperties": _ref("style")}
    elif kind == "fonts":
        out = {"type": "object", "propertyNames": {"enum": list(FONT_ROLES)},
               "additionalProperties": {"anyOf": [_ref("name"), _ref("font")]}}
    elif kind == "frames-map":
        out = {"type": "object", "maxProperties": L.MAX_FRAMES, "additionalProperties": _ref("frame")}
    elif kind == "stories":
        out = {"type": "object", "additionalProperties": _ref("story")}
    else:
        raise ValueError(f"no schema for value type {kind!r} ({section})")
    return out


def _closed(props: dict, required=()) -> dict:
    out = {"type": "object", "additionalProperties": False, "properties": props}
    if required:
        out["required"] = list(required)
    return out


def _section(keys: dict[str, Key], section: str, extra: dict | None = None, only=None,
             required: tuple = ()) -> dict:
    props = {k: _value(key, f"{section}.{k}") for k, key in keys.items() if only is None or k in only}
    props.update(extra or {})
    need = [k for k in (*required, *keys) if k in props and (k in required or keys[k].required)]
    return _closed(props, tuple(dict.fromkeys(need)))


def _block_defs() -> dict:
    """`block`: the keys every block has, then per kind (`block_<kind>`) its own keys."""
    common = L.KEYS["block"]
    base = {k: _value(key, f"block.{k}") for k, key in common.items()}
    defs = {"block": {
        "type": "object",
        "required": [k for k, key in common.items() if key.required],
        "properties": base,
        "allOf": [{"if": {"properties": {"kind": {"const": k}}, "required": ["kind"]},
                   "then": _ref(f"block_{k}")} for k in kind_names()],
    }}
    for kind in kinds():
        defs[f"block_{kind.name}"] = _section(dict(kind.keys), kind.name, extra=base,
                                              required=tuple(k for k, key in common.items() if key.required))
    return defs


def page_schema() -> dict:
    """The JSON Schema (draft 2020-12) of a page spec."""
    K = L.KEYS
    defs = _defs()
    for name in ("page", "grid", "composition", "style", "font", "story", "makeup", "house"):
        defs[name] = _section(K[name], name)
    defs["frame"] = _section(K["area"], "area")
    defs["block_area"] = _section(K["area"], "area", only=[k for k in L.AREA_KEYS if k != "overlap"])
    defs.update(_block_defs())
    props = {k: _value(key, f"top.{k}") for k, key in K["top"].items()}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "pagesetter page spec",
        "description": "A Chinese newspaper page: grid, styles, frames, stories and blocks. "
                       "Reference: docs/spec.md. Generated by `pagesetter schema`; do not edit.",
        **_closed(props, required=tuple(k for k, key in K["top"].items() if key.required)),
        # page, grid and page.trim are required unless a master gives them
        "anyOf": [{"required": ["page", "grid"], "properties": {"page": {"required": ["trim"]}}},
                  {"required": ["master"]}],
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
           "makeup": set(d["makeup"]["properties"]), "house": set(d["house"]["properties"]),
           "block": set(d["block"]["properties"])}
    for k in kind_names():
        out[k] = set(d[f"block_{k}"]["properties"]) - out["block"]
    return out
