"""Checking one block (版面元素) of a spec against its kind's keys: `BlockCheck`, which a kind's
`check(c)` reads its keys through. Each key is read by its value type's reader
(pagespec/valuetypes.py), so this module knows no type by name.

`BlockCheck` also notes every key a check looks at (`seen`): registering a kind runs its own check
once on a block that gives no key (`probe`) and refuses a declared key the check never reads
(pagespec/kinds.py)."""
from __future__ import annotations

from typing import Any, Mapping, cast

from ..errors import Problem
from .checker import Checker, Files, show, style_ref
from .keys import KEYS, Key
from .model import Area, Grid
from .yamlpos import Located
from .valuetypes import value_type

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

    def __init__(self, ck: Checker, path: tuple, kind: Any, raw: dict, area: Area | None,
                 grid: Grid | None, files: Files, names: Mapping[str, Any]):
        self.ck, self.path, self.kind, self.area, self.grid = ck, path, kind, area, grid
        self.what = f"{kind.name} block {path[-1] + 1}"
        self.files, self.names = files, names
        self.keys: dict[str, Key] = {**{k: v for k, v in KEYS["block"].items() if k not in ROOM_KEYS}, **kind.keys}
        self.seen: set[str] = set()  # the keys the check looked at
        self.raw = _Seen(raw, self.seen)
        self.ok = True

    @property
    def kind_name(self) -> str:
        return str(self.kind.name)

    def _track(self, value: Any) -> Any:
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

    def value(self, key: str) -> Any:
        """The key's value converted (lengths in points), or its default converted the same way;
        None when absent without a default, or when wrong (reported)."""
        k = self.keys[key]
        self.seen.add(key)
        if k.required and not self.need(key):
            return None
        if key not in self.raw:
            if k.default is None:
                return None
            vt = value_type(k.type)
            if vt is not None and vt.read_default is not None:  # (a default style must be defined)
                return self._track(vt.read_default(self, key, k, k.default))
            return self._convert(key, k, k.default)
        return self._convert(key, k, self.raw[key])

    def _convert(self, key: str, k: Key, value: Any) -> Any:
        vt = value_type(k.type)
        if vt is None or vt.read is None:  # (registration refuses such a key: pagespec/kinds.py)
            raise TypeError(f"block key {key!r} has the value type {k.type!r}, which has no reader")
        return self._track(vt.read(self, key, k, value))

    def style(self, key: str, default: str | None = None) -> str | None:
        """A style reference; when absent, the `default` style must be defined."""
        self.seen.add(key)
        if key in self.raw:
            return self._track(style_ref(self.ck, self.raw[key], self.path + (key,), self.names["styles"], key))
        if default is not None and default not in self.names["styles"]:
            self.ck.fail(self.path, f"{self.what} uses the style {default!r} (the default {key}), which is not "
                         "defined", f"define a style {default!r}, or set {key}: to one of yours")
            self.ok = False
            return None
        return default

    def tint_needs_fill(self) -> None:
        """A `tint` tints the `fill`: given without one it would do nothing, silently."""
        if self.given("tint") and not self.given("fill"):
            self.ck.fail(self.path + ("tint",), f"{self.what} sets tint {show(self.raw['tint'])} but no fill, "
                         "so nothing is tinted", "add the colour to tint, e.g. fill: red, tint: 0.1 (or delete tint)")
            self.ok = False

    def options(self, cls: Any) -> Any:
        """The kind's options dataclass, every key read through `value` (and, for a kind with
        FILL_KEYS, a tint refused without its fill)."""
        if "tint" in self.kind.keys and "fill" in self.kind.keys:
            self.tint_needs_fill()
        return cls(**{key: self.value(key) for key in self.kind.keys})


class _Seen(dict):
    """A block's raw keys that note each key looked up (`in`, `[]`, `get`) in `seen`."""

    def __init__(self, raw: dict, seen: set[str]):
        super().__init__(raw)
        self._seen = seen

    def __contains__(self, key: object) -> bool:
        self._seen.add(str(key))
        return super().__contains__(key)

    def __getitem__(self, key: str) -> Any:
        self._seen.add(key)
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        self._seen.add(key)
        return super().get(key, default)


class _NoDocument:
    """The document of a probe: no file, no positions, no problems of its own."""

    problems: list[Problem] = []
    file = None

    def where(self, path: tuple) -> tuple[None, None]:
        return None, None

    def file_at(self, path: tuple) -> None:
        return None


def _no_file(value: Any, path: tuple, what: str) -> None:
    return None


def probe(kind: Any) -> tuple[set[str], BaseException | None]:
    """Run the kind's check on a block that gives none of its keys, with no styles, stories or
    colours defined: (the keys it looked at, what it raised, if anything). A check must survive
    this — every value it reads may be None after a reported problem."""
    ck = Checker(cast(Located, _NoDocument()))  # (a stand-in for a document: no file, no places)
    c = BlockCheck(ck, ("blocks", 0), kind, {}, None, None, cast(Files, _no_file),
                   {"styles": set(), "stories": set(), "colors": {}, "frames": set()})
    try:
        kind.check(c)
    except Exception as exc:  # noqa: BLE001  (reported to the kind's author by the caller)
        return c.seen, exc
    return c.seen, None

