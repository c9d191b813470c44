"""Value types (值类型) of the key table: each type token of a `Key` (`length`, `style`, `enum:A|B` …)
is a `ValueType` that brings its own JSON Schema and, for block keys, its own reader. The schema
(pagespec/schema.py) and the block checker (`pagespec.kinds.BlockCheck.value`) look the type up
here and never branch on its name, so a kind that needs a value of a new shape (a table's rows)
registers its type beside itself with `register_type` — no other file changes.

A reader gets the block's checker `c` (`pagespec.kinds.BlockCheck`), the key's name, its `Key`
and the value written; it returns the value converted (lengths in points) or None after
reporting the problem through `c.ck` with the key's place. The section keys of the page (page,
grid, styles …) are read by their own modules; their types need only a schema.
"""
from __future__ import annotations

from typing import Any, Callable, Mapping, Protocol

from .. import units
from ..fonts.fallback import FONT_ROLES
from ..fonts.roles import ROLES
from ..records import record
from . import keys as L
from .checker import Checker, Files, color_fix, show, style_ref, suggest
from .keys import Key

NUMBER_UNIT = r"^\s*-?(\d+(\.\d*)?|\.\d+)\s*(pt|PT|Pt|mm|MM|cm|CM|in|IN|q|Q|级|字|em|EM|行|栏)?\s*$"


class Reading(Protocol):
    """What a reader sees of the block being checked (`pagespec.kinds.BlockCheck`)."""

    ck: Checker
    path: tuple
    what: str
    grid: Any
    files: Files
    names: Mapping[str, Any]

    @property
    def kind_name(self) -> str: ...

    def style(self, key: str, default: str | None = None) -> str | None: ...


Schema = Callable[[Key], dict]
Reader = Callable[[Reading, str, Key, Any], Any]


@record
class ValueType:
    """One value type: its JSON Schema made from the `Key` (range, choices), how a block reads
    it (None: a section type, read by its section's module) and its default (when that is not
    read like a written value: a default style must be defined), whether a key of it names a style
    that text is set in (a kind with one must declare that text in `uses`), and words added to
    the key's description in the schema (hover text)."""

    name: str
    schema: Schema
    read: Reader | None = None
    read_default: Reader | None = None
    sets_text: bool = False
    note: Callable[[], str] | None = None


_TYPES: dict[str, ValueType] = {}


def register_type(vt: ValueType) -> ValueType:
    """Add (or replace) a value type; a parametric one (`enum`) is registered by its head and
    matches every `enum:…` token."""
    _TYPES[vt.name] = vt
    return vt


def value_type(token: str) -> ValueType | None:
    """The value type of a `Key.type` token, or None when none is registered."""
    found = _TYPES.get(token)
    if found is None and ":" in token:
        found = _TYPES.get(token.split(":", 1)[0])
    return found


def ref(name: str) -> dict:
    return {"$ref": f"#/$defs/{name}"}


def bounds(key: Key, floor: float | None = None) -> dict:
    """JSON Schema minimum/maximum of a number or whole number, from its `Key`."""
    lo = key.lo if key.lo is not None else floor
    return {**({"minimum": lo} if lo is not None else {}), **({"maximum": key.hi} if key.hi is not None else {})}


def closed(props: dict, required: tuple = ()) -> dict:
    out: dict = {"type": "object", "additionalProperties": False, "properties": props}
    if required:
        out["required"] = list(required)
    return out


# ── readers ─────────────────────────────────────────────────────────────────────────────────────

def read_plain(c: Reading, key: str, k: Key, value: Any) -> Any:
    """A value of a plain type (length, size, count, index, number, bool, text, enum), checked
    against its `Key` by `Checker.typed`; 字 means the grid's body characters."""
    what = f"{c.kind_name} {key}" if k.choices else key
    ctx = units.Context(em=c.grid.body if c.grid else L.FALLBACK_BODY)
    return c.ck.typed(value, c.path + (key,), k, what, ctx)


def read_style(c: Reading, key: str, k: Key, value: Any) -> str | None:
    """A reference to a defined style (样式)."""
    return style_ref(c.ck, value, c.path + (key,), c.names["styles"], key)


def read_default_style(c: Reading, key: str, k: Key, value: Any) -> str | None:
    """An absent style key's default: a style that must be defined."""
    return c.style(key, str(value))


def read_color(c: Reading, key: str, k: Key, value: Any) -> str | None:
    """A colour of `colors:` (颜色) by its name."""
    colors = c.names["colors"]
    if not isinstance(value, str) or value not in colors:
        fix = color_fix(value, list(colors)) if isinstance(value, str) else \
            f"name a colour of colors: — define it there (e.g. colors: {{tint1: {show(value)}}}), then {key}: tint1"
        c.ck.fail(c.path + (key,), f"unknown colour {show(value)}", fix)
        return None
    return value


def read_path(c: Reading, key: str, k: Key, value: Any) -> Any:
    """A file relative to the spec, inside the project (`checker.Files`)."""
    return c.files(value, c.path + (key,), f"{key} file")


def read_story(c: Reading, key: str, k: Key, value: Any) -> str | None:
    """A story of `stories:` by its name."""
    stories = c.names["stories"]
    if not isinstance(value, str) or value not in stories:
        c.ck.fail(c.path + (key,), f"{c.kind_name} names story {show(value)}, which is not defined",
                  suggest(value, sorted(stories), "stories"))
        return None
    return value


def read_frames(c: Reading, key: str, k: Key, value: Any) -> tuple[str, ...] | None:
    """Frames of `frames:` by name, in order: the chain (接续) a block's remainder continues in."""
    frames = c.names["frames"]
    path = c.path + (key,)
    if not isinstance(value, list) or not value:
        c.ck.fail(path, f"{key} must be a list of frame names, not {show(value)}", "write e.g. [f2, f3]")
        return None
    for i, name in enumerate(value):
        if not isinstance(name, str) or name not in frames:
            c.ck.fail(path + (i,), f"{c.kind_name} {key} names frame {show(name)}, which is not defined",
                      suggest(name, sorted(frames), "frames"))
            return None
    return tuple(value)


def read_heads(c: Reading, key: str, k: Key, value: Any) -> dict | None:
    """Head part (kicker 引题, headline 主题, subtitle 副题, byline) → a defined style."""
    path = c.path + (key,)
    parts = c.ck.mapping(value, path, L.HEAD_PARTS, f"{c.kind_name} {key}", "{kicker: kicker, headline: headline}")
    refs = {part: style_ref(c.ck, name, path + (part,), c.names["styles"], f"{part} of {c.what}")
            for part, name in parts.items()}
    return refs if isinstance(value, dict) and None not in refs.values() else None


# ── the built-in types ──────────────────────────────────────────────────────────────────────────

def _const(schema: dict) -> Schema:
    return lambda key: dict(schema)


def _pair_of(items: Schema) -> Schema:
    return lambda key: {"type": "array", "minItems": 2, "maxItems": 2, "items": items(key)}


def _colors(key: Key) -> dict:
    spot = {"type": "object", "additionalProperties": False, "required": ["spot", "cmyk"],
            "properties": {"spot": {"type": "string", "minLength": 1, "description": "the ink's name"},
                           "cmyk": ref("cmyk")}}
    return {"type": "object", "additionalProperties": {"anyOf": [ref("cmyk"), spot]}}


NAME = ref("name")
_BUILT_IN = (
    ValueType("enum", lambda key: {"enum": list(key.choices)}, read_plain),
    ValueType("number", lambda key: {"type": "number", **bounds(key)}, read_plain),
    ValueType("length", _const(ref("length")), read_plain),
    ValueType("size", _const(ref("size")), read_plain),
    ValueType("text", _const({"type": ["string", "number"]}), read_plain),
    ValueType("count", lambda key: {"type": "integer", **bounds(key, 1)}, read_plain),
    ValueType("index", lambda key: {"type": "integer", **bounds(key, 0)}, read_plain),
    ValueType("bool", _const({"type": "boolean"}), read_plain),
    ValueType("style", _const(NAME), read_style, read_default_style, sets_text=True),
    ValueType("color", _const(NAME), read_color),
    ValueType("story", _const(NAME), read_story),
    ValueType("path", _const(NAME), read_path),
    ValueType("image", _const(NAME), read_path),
    ValueType("heads", lambda key: closed({p: ref("name") for p in L.HEAD_PARTS}), read_heads, sets_text=True),
    ValueType("role", lambda key: {"enum": list(ROLES)}),
    ValueType("pair", _pair_of(lambda key: ref("length"))),
    ValueType("insets", _pair_of(lambda key: ref("length"))),
    ValueType("copyfit", _pair_of(lambda key: {"type": "number", **bounds(key)})),
    ValueType("span-pair", _pair_of(lambda key: {"type": "integer", "minimum": 1, "maximum": L.MAX_COLUMNS})),
    ValueType("paths", _const({"anyOf": [NAME, {"type": "array", "minItems": 1, "items": NAME}]})),
    ValueType("story-list", _const({"type": "array", "items": NAME})),
    ValueType("head-list", lambda key: {"type": "array", "minItems": 1,
                                        "items": closed({p: ref("name") for p in L.HEAD_PARTS})}),
    ValueType("frames", _const({"type": "array", "minItems": 1, "items": NAME}), read_frames),
    ValueType("area", _const(ref("block_area"))),
    ValueType("story-styles", lambda key: closed({r: ref("name") for r in L.PARAGRAPH_ROLES})),
    ValueType("block-list", _const({"anyOf": [
        {"type": "array", "maxItems": L.MAX_BLOCKS, "items": ref("block")},
        {"type": "object", "description": "over a master: its blocks' changes by number (from 0), and add: new blocks",
         "propertyNames": {"pattern": "^([0-9]+|add)$"}, "additionalProperties": {"type": "object"},
         "properties": {"add": {"type": "array", "maxItems": L.MAX_BLOCKS, "items": ref("block")}}}]})),
    ValueType("variables", _const({"type": "object", "propertyNames": {"pattern": "^[A-Za-z_][A-Za-z0-9_]*$"},
                                   "additionalProperties": {"type": ["string", "number"]}})),
    ValueType("colors", _colors),
    ValueType("styles", _const({"type": "object", "maxProperties": L.MAX_STYLES,
                                "additionalProperties": ref("style")})),
    ValueType("fonts", lambda key: {"type": "object", "propertyNames": {"enum": list(FONT_ROLES)},
                                    "additionalProperties": {"anyOf": [NAME, ref("font")]}}),
    ValueType("frames-map", _const({"type": "object", "maxProperties": L.MAX_FRAMES,
                                    "additionalProperties": ref("frame")})),
    ValueType("stories", _const({"type": "object", "additionalProperties": ref("story")})),
    *(ValueType(section, _const(ref(section))) for section in ("page", "grid", "composition", "makeup", "house")),
)
for _vt in _BUILT_IN:
    register_type(_vt)
