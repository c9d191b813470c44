"""Block kinds (版面元素的种类): the protocol every kind of page furniture follows, and the registry.

A block kind is one module in `src/pagesetter/blocks/` (docs/architecture.md). The module declares,
in one place, everything the pipeline needs to know about the kind:

- `keys`: its keys (`Key`: value type, range, default, required), which the loader accepts, the JSON
  Schema publishes and docs/spec.md must describe;
- `check(c)`: its checker, turning the block's YAML into a frozen options dataclass with every length
  already in points (problems reported through `c`, with file, line and column);
- `articles(options)`: the article files it reads (parsed with the stories);
- `uses(block, spec, stories, line)`: the text it sets per face role (the font census);
- `layout(block, page)`: its layout items, lines overset, and the stories to flow right after it;
- `check_articles(block, spec, stories)`: problems seen only once its articles are read;
- `warnings(block, laid)`: what the user should see about the laid-out block.

The loader, the schema, the font census and the page composer read the registry and never branch
on a kind's name; a kind that is not registered is an error naming its place, never a fallback.
The built-in kinds register when `pagesetter` is imported (its `__init__` imports `blocks`); a kind
of your own registers the same way, with `register(MyKind())`.

Like ReportLab's Flowable (the frame calls wrap/split/draw and never asks what a flowable is) and
WeasyPrint's one layout module per box type behind a dispatcher that raises on the unknown.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Mapping

from .. import units
from ..errors import PagesetterError, Problem
from .checker import Checker, Files, color_fix, show, style_ref, suggest
from .keys import FALLBACK_BODY, HEAD_PARTS, KEYS, Key
from .model import Area, Block, Grid

ROOM_KEYS = ("kind", "at")  # block keys read before the kind's own checker runs

# A fill (底色) and its tint (底纹) behind a block: the same two keys for every kind that has them
# (box, text); `BlockCheck.options` refuses a tint without a fill for any kind that declares them.
FILL_KEYS: Mapping[str, Key] = {
    "fill": Key("color", "fill colour behind the block's area (default: none); with a white style, a reverse "
                "head (反白)"),
    "tint": Key("number", "share of the fill colour printed, 底纹 (0.1 = a 10 % tint)", default=1.0, lo=0.01, hi=1),
}


class BlockCheck:
    """What checking one block needs: its raw keys, where it is, and the names it may refer to.
    `value(key)` reads a key through its `Key` (type, range, default); `ok` turns false on any
    problem, and the block is then dropped (its problems are reported)."""

    def __init__(self, ck: Checker, path: tuple, kind: "BlockKind", raw: dict, area: Area | None,
                 grid: Grid | None, files: Files, names: Mapping[str, set]):
        self.ck, self.path, self.kind, self.raw, self.area, self.grid = ck, path, kind, raw, area, grid
        self.what = f"{kind.name} block {path[-1] + 1}"
        self.files, self.names = files, names
        self.keys = {**{k: v for k, v in KEYS["block"].items() if k not in ROOM_KEYS}, **kind.keys}
        self.ok = True

    def _track(self, value):
        if value is None:
            self.ok = False
        return value

    def given(self, key: str) -> bool:
        return key in self.raw

    def need(self, key: str) -> bool:
        if key not in self.raw:
            example = self.keys[key].example
            self.ck.fail(self.path, f"{self.what} has no {key}", f"add {key}: {example}")
            self.ok = False
            return False
        return True

    def value(self, key: str):
        """The key's value converted (lengths in points), or its default converted the same way;
        None when absent without a default, or when wrong (reported)."""
        k = self.keys[key]
        if k.required and not self.need(key):
            return None
        if key not in self.raw:
            if k.type == "style" and k.default is not None:
                return self.style(key, k.default)
            return None if k.default is None else self._convert(key, k, k.default)
        return self._convert(key, k, self.raw[key])

    def _convert(self, key: str, k: Key, value):
        path = self.path + (key,)
        if k.type == "style":
            return self._track(style_ref(self.ck, value, path, self.names["styles"], key))
        if k.type == "color":
            return self._track(self.color(key, value))
        if k.type == "path":
            return self._track(self.files(value, path, f"{key} file"))
        if k.type == "story":
            return self._track(self.story(value, path))
        if k.type == "heads":
            return self._track(self.heads(key, value))
        what = f"{self.kind.name} {key}" if k.choices else key
        ctx = units.Context(em=self.grid.body if self.grid else FALLBACK_BODY)
        return self._track(self.ck.typed(value, path, k, what, ctx))

    def style(self, key: str, default: str | None = None) -> str | None:
        """A style reference; when absent, the `default` style must be defined."""
        if key in self.raw:
            return self._track(style_ref(self.ck, self.raw[key], self.path + (key,), self.names["styles"], key))
        if default is not None and default not in self.names["styles"]:
            self.ck.fail(self.path, f"{self.what} uses the style {default!r} (the default {key}), which is not "
                         "defined", f"define a style {default!r}, or set {key}: to one of yours")
            self.ok = False
            return None
        return default

    def story(self, value, path: tuple) -> str | None:
        stories = self.names["stories"]
        if not isinstance(value, str) or value not in stories:
            self.ck.fail(path, f"{self.kind.name} names story {show(value)}, which is not defined",
                         suggest(value, sorted(stories), "stories"))
            return None
        return value

    def heads(self, key: str, value) -> dict | None:
        """Head part (kicker, headline, subtitle, byline) → a defined style."""
        path = self.path + (key,)
        parts = self.ck.mapping(value, path, HEAD_PARTS, f"{self.kind.name} {key}",
                                "{kicker: kicker, headline: headline}")
        refs = {part: style_ref(self.ck, name, path + (part,), self.names["styles"], f"{part} of {self.what}")
                for part, name in parts.items()}
        return refs if isinstance(value, dict) and None not in refs.values() else None

    def color(self, key: str, value) -> str | None:
        colors = self.names["colors"]
        if not isinstance(value, str) or value not in colors:
            fix = color_fix(value, list(colors)) if isinstance(value, str) else \
                f"name a colour of colors: — define it there (e.g. colors: {{tint1: {show(value)}}}), then {key}: tint1"
            self.ck.fail(self.path + (key,), f"unknown colour {show(value)}", fix)
            return None
        return value

    def tint_needs_fill(self) -> None:
        """A `tint` tints the `fill`: given without one it would do nothing, silently."""
        if self.given("tint") and not self.given("fill"):
            self.ck.fail(self.path + ("tint",), f"{self.what} sets tint {show(self.raw['tint'])} but no fill, "
                         "so nothing is tinted", "add the colour to tint, e.g. fill: red, tint: 0.1 (or delete tint)")
            self.ok = False

    def options(self, cls):
        """The kind's options dataclass, every key read through `value` (and, for a kind with
        FILL_KEYS, a tint refused without its fill)."""
        if "tint" in self.kind.keys and "fill" in self.kind.keys:
            self.tint_needs_fill()
        return cls(**{key: self.value(key) for key in self.kind.keys})


class BlockKind:
    """The protocol of a block kind; subclass it in one module of `blocks/` and `register` it."""

    name: str = ""
    doc: str = ""  # what the kind is, in a few words
    keys: Mapping[str, Key] = {}
    Options: type | None = None  # the frozen options dataclass: one field per key
    below_area: bool = False  # may use the line just below the type area (a credit line)

    def check(self, c: BlockCheck):
        """The block's frozen options, or None; by default every key read by its `Key` into
        `Options`. Override it for checks across keys or of references."""
        if self.Options is None:
            raise NotImplementedError(f"block kind {self.name!r} has neither Options nor check()")
        return c.options(self.Options)

    def articles(self, options) -> tuple[Path, ...]:
        """Article files the block sets (a caption): parsed with the stories, before layout."""
        return ()

    def check_articles(self, block: Block, spec, stories: dict) -> list[Problem]:
        """Problems only visible once its articles are read; the caller adds the block's place."""
        return []

    def uses(self, block: Block, spec, stories: dict, line: int) -> Iterable:
        """`layout.texts.Use` for every piece of text the block sets (the font census)."""
        return ()

    def layout(self, block: Block, page):
        """Lay out the block on the page (`layout.furniture.Page`) → `layout.furniture.Laid`."""
        raise NotImplementedError

    def warnings(self, block: Block, laid) -> list[Problem]:
        """Warnings about the laid-out block; the caller adds the block's place in the spec."""
        return []


_KINDS: dict[str, BlockKind] = {}


def register(kind: BlockKind) -> BlockKind:
    """Add a block kind (or replace one of the same name); returns it, so a module can write
    `KIND = register(RuleKind())`."""
    if not kind.name or not isinstance(kind.name, str):
        raise ValueError(f"a block kind needs a name, not {kind.name!r}")
    _KINDS[kind.name] = kind
    return kind


def unregister(name: str) -> None:
    """Remove a kind (tests that register a toy kind take it away again)."""
    _KINDS.pop(name, None)


def kinds() -> tuple[BlockKind, ...]:
    """Every registered kind, in registration order (the built-ins in the order of docs/spec.md)."""
    return tuple(_KINDS.values())


def kind_names() -> tuple[str, ...]:
    return tuple(_KINDS)


def kind_of(block: Block, spec=None, index: int | None = None) -> BlockKind:
    """The kind of a loaded block; a kind not (or no longer) registered is bad input, reported at
    the block's place in the spec."""
    kind = _KINDS.get(block.kind)
    if kind is None:
        line, col = spec.where.get(("blocks", index), (None, None)) if spec is not None else (None, None)
        raise PagesetterError(Problem(
            f"block kind {show(block.kind)} is not known", getattr(spec, "path", None), line, col,
            suggest(block.kind, kind_names())))
    return kind


def section_keys() -> dict[str, dict[str, Key]]:
    """The whole key table: the fixed sections of `KEYS` and one section per registered kind."""
    return {**KEYS, **{k.name: dict(k.keys) for k in kinds()}}
