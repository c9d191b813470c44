"""Block kinds (版面元素的种类): the protocol every kind of page furniture follows, and the registry.

A block kind is one module in `src/pagesetter/blocks/` (docs/architecture.md). The module declares,
in one place, everything the pipeline needs to know about the kind:

- `keys`: its keys (`Key`: value type, range, default, required), which the loader accepts, the JSON
  Schema publishes and docs/spec.md must describe;
- `check(c)`: its checker, turning the block's YAML into a frozen options dataclass with every length
  already in points (problems reported through `c`, with file, line and column);
- `articles(options)`: the article files it reads (parsed with the stories);
- `uses(block, spec, stories, line)`: the text it sets per face role (the font census);
- `layout(block, page)`: its layout items, lines overset, the stories to flow right after it, and
  a remainder that `resume(block, page, rest, area)` sets in each area of `areas_after`;
- `check_articles(block, spec, stories)`: problems seen only once its articles are read;
- `warnings(block, laid)`: what the user should see about the laid-out block.

`register` vets a kind first (`vet`): its members (none misspelt, each with the protocol's
arguments), its keys (a value type with a schema and a block reader, none shadowing a common key,
examples for required ones), its Options (a frozen record, one field per key), its census (a
style key needs `uses`) and its check (run once on an empty block: it must survive it and read
every key). A mistake is a `KindError` at import, naming the kind and the fix.

The loader, the schema, the font census and the page composer read the registry and never branch
on a kind's name; a kind that is not registered is an error naming its place, never a fallback.
The built-in kinds register when `pagesetter` is imported (its `__init__` imports `blocks`); a kind
of your own registers the same way, with `register(MyKind())`.

Like ReportLab's Flowable (the frame calls wrap/split/draw and never asks what a flowable is) and
WeasyPrint's one layout module per box type behind a dispatcher that raises on the unknown.
"""
from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any, Iterable, Mapping

from ..errors import PagesetterError, Problem
from .blockcheck import FILL_KEYS, ROOM_KEYS, BlockCheck, probe
from .checker import show, suggest
from .keys import KEYS, Key
from .model import Block
from .valuetypes import ValueType, register_type, value_type

__all__ = ["FILL_KEYS", "ROOM_KEYS", "BlockCheck", "BlockKind", "KindError", "kind_names", "kind_of", "kinds",
           "register", "section_keys", "unregister"]


class KindError(TypeError):
    """A block kind that does not follow the protocol: a mistake of the kind's author (a developer
    error, not bad input), raised when the kind registers — at import of its module — and, for the
    one mistake registration cannot see (text its layout sets that its `uses` did not declare),
    when it is laid out (layout/page.py). The message names the kind, the mistake and the fix."""

    def __init__(self, kind: str, mistake: str, fix: str):
        super().__init__(f"block kind {kind!r}: {mistake} — fix: {fix}")
        self.kind, self.mistake, self.fix = kind, mistake, fix


class BlockKind:
    """The protocol of a block kind; subclass it in one module of `blocks/` and `register` it."""

    name: str = ""
    doc: str = ""  # what the kind is, in a few words
    keys: Mapping[str, Key] = {}
    Options: type | None = None  # the frozen options record: one field per key (and per `derived` name)
    derived: tuple[str, ...] = ()  # Options fields its check() makes that are no key (a picture's pixels)
    below_area: bool = False  # may use the line just below the type area (a credit line)
    min_lines: int = 1  # the fewest body lines its area may have (the loader refuses fewer, located)

    def check(self, c: BlockCheck) -> Any:
        """The block's frozen options, or None; by default every key read by its `Key` into
        `Options`. Override it for checks across keys or of references; every value it reads
        may be None (a problem already reported)."""
        return c.options(self.Options)

    def articles(self, options: Any) -> tuple[Path, ...]:
        """Article files the block sets (a caption): parsed with the stories, before layout."""
        return ()

    def check_articles(self, block: Block, spec: Any, stories: dict) -> list[Problem]:
        """Problems only visible once its articles are read; the caller adds the block's place."""
        return []

    def uses(self, block: Block, spec: Any, stories: dict, line: int) -> Iterable[Any]:
        """`layout.texts.Use` for every piece of text the block sets (the font census): a kind
        with a style key must declare its text here, in the style's face role."""
        return ()

    def layout(self, block: Block, page: Any) -> Any:
        """Lay out the block on the page (`layout.furniture.Page`) → `layout.furniture.Laid`;
        what did not fit its area may be handed back as `Laid.rest` (see `resume`)."""
        raise NotImplementedError  # (registration refuses a kind without its own layout)

    def areas_after(self, block: Block, page: Any) -> tuple[Any, ...]:
        """The areas (接续: the frames of its chain) a remainder continues in, in order."""
        return ()

    def resume(self, block: Block, page: Any, rest: Any, area: Any) -> Any:
        """Lay out a remainder (`Laid.rest`) in the next area of `areas_after` → `Laid`, whose
        `overset` counts what still does not fit and whose `rest` goes on to the area after."""
        raise NotImplementedError  # (registration refuses areas_after without resume)

    def warnings(self, block: Block, laid: Any) -> list[Problem]:
        """Warnings about the laid-out block; the caller adds the block's place in the spec."""
        return []


PROTOCOL = ("name", "doc", "keys", "Options", "derived", "below_area", "min_lines", "check", "articles",
            "check_articles", "uses", "layout", "areas_after", "resume", "warnings")
METHODS = tuple(m for m in PROTOCOL if callable(getattr(BlockKind, m)))

_KINDS: dict[str, BlockKind] = {}


def register(kind: BlockKind) -> BlockKind:
    """Add a block kind (or replace one of the same name) once it is vetted (`vet`: KindError on
    any mistake); returns it, so a module can write `KIND = register(RuleKind())`."""
    vet(kind)
    _KINDS[kind.name] = kind
    return kind


def vet(kind: BlockKind) -> None:
    """Check a kind against the protocol before it registers: its name and members, its keys and
    their value types, its Options, its check and its census. KindError on the first mistake."""
    if not isinstance(kind, BlockKind):
        raise KindError(str(getattr(kind, "name", kind)), "is not a BlockKind", "subclass pagespec.kinds.BlockKind")
    if not kind.name or not isinstance(kind.name, str):
        raise KindError(str(kind.name), "has no name", "set name = '<the kind: value>' on the class")
    for rule in (_members, _keys, _options, _census, _reads):
        rule(kind)


def _own(kind: BlockKind, member: str) -> bool:
    return getattr(type(kind), member) is not getattr(BlockKind, member)


def _members(kind: BlockKind) -> None:
    """The methods it must have, none misspelt, each taking the protocol's arguments."""
    own = {n for klass in type(kind).__mro__[:type(kind).__mro__.index(BlockKind)] for n in vars(klass)}
    for name in sorted(n for n in own if n[0] != "_" and n not in PROTOCOL):
        import difflib  # (only for a kind with members of its own: 1 ms of imports otherwise)

        close = difflib.get_close_matches(name, PROTOCOL, n=1, cutoff=0.75)
        if close:
            raise KindError(kind.name, f"defines {name!r}, which is no member of the protocol",
                            f"did you mean {close[0]!r}? (the members: {', '.join(PROTOCOL)})")
    if not kind.doc:
        raise KindError(kind.name, "has no doc", "set doc = 'what the kind is, in a few words' (the schema shows it)")
    if not _own(kind, "layout"):
        raise KindError(kind.name, "has no layout()", "define layout(self, block, page) returning a Laid")
    if _own(kind, "areas_after") and not _own(kind, "resume"):
        raise KindError(kind.name, "hands on a remainder (areas_after) but has no resume()",
                        "define resume(self, block, page, rest, area) returning a Laid")
    for name in METHODS:
        if _own(kind, name):
            protocol, theirs = _arguments(getattr(BlockKind, name)) or [], _arguments(getattr(type(kind), name))
            want, got = protocol[1:], theirs[1:] if theirs is not None else None
            if got is not None and len(got) != len(want):
                raise KindError(kind.name, f"{name}() takes ({', '.join(got)})",
                                f"take the protocol's arguments: {name}(self, {', '.join(want)})")


def _arguments(fn: Any) -> list[str] | None:
    """A function's positional parameters, self first; None when it takes any (*args). Read from
    its code: inspect.signature would cost a millisecond of every import for the built-in kinds."""
    code = getattr(fn, "__code__", None)
    if code is None:
        return list(inspect.signature(fn).parameters)
    if code.co_flags & inspect.CO_VARARGS:
        return None
    return list(code.co_varnames[:code.co_argcount])


def _keys(kind: BlockKind) -> None:
    """Every key a `Key` of a value type with a schema and a block reader, none shadowing a key every
    block has, every required one with the example its 'add …' message shows."""
    for name, key in kind.keys.items():
        if not isinstance(key, Key):
            raise KindError(kind.name, f"key {name!r} is {type(key).__name__}, not a Key", "declare it Key(type, doc)")
        if name in KEYS["block"]:
            raise KindError(kind.name, f"key {name!r} shadows the key every block has ({name}: "
                            f"{KEYS['block'][name].doc})", "give the kind's key another name")
        vt = value_type(key.type)
        if vt is None:
            raise KindError(kind.name, f"key {name!r} has the value type {key.type!r}, which has no schema",
                            f"register it beside the kind: register_type(ValueType({key.type!r}, schema, read)) "
                            "(pagespec/valuetypes.py)")
        if vt.read is None:
            raise KindError(kind.name, f"key {name!r} has the value type {key.type!r}, which blocks cannot read",
                            "give the ValueType a read function, or use a type blocks read")
        if key.required and not key.example:
            raise KindError(kind.name, f"required key {name!r} has no example",
                            f"add example='…' to its Key (the fix shown when a block lacks {name})")


def _options(kind: BlockKind) -> None:
    """Options: a frozen record whose fields are the keys (and the `derived` names)."""
    import dataclasses

    o = kind.Options
    if o is None or not dataclasses.is_dataclass(o):
        raise KindError(kind.name, "has no Options record", f"declare @record class {kind.name.title()}Options with "
                        f"one field per key ({', '.join(kind.keys) or 'none'}) and set Options = it")
    if o.__setattr__ is object.__setattr__:
        raise KindError(kind.name, f"Options {o.__name__} is not frozen", "declare it with @record (records.py)")
    fields = [f.name for f in dataclasses.fields(o)]
    want = [*kind.keys, *kind.derived]
    if sorted(fields) != sorted(want):
        extra, missing = sorted(set(fields) - set(want)), sorted(set(want) - set(fields))
        raise KindError(kind.name, f"Options {o.__name__} fields do not match its keys"
                        + (f": no field for {', '.join(missing)}" if missing else "")
                        + (f"; fields that are no key: {', '.join(extra)}" if extra else ""),
                        "one field per key, named like it (a field its check makes goes in derived = (…))")


def _census(kind: BlockKind) -> None:
    """A kind that sets text in a style declares that text for the font subsets (`uses`)."""
    styled = [n for n, k in kind.keys.items() if (vt := value_type(k.type)) is not None and vt.sets_text]
    if styled and not _own(kind, "uses"):
        raise KindError(kind.name, f"sets text in a style ({', '.join(styled)}) but declares none in uses()",
                        "define uses(self, block, spec, stories, line) yielding layout.texts.Use(role, text, "
                        "file, line) for each text it sets, else its characters are missing from the fonts")


def _reads(kind: BlockKind) -> None:
    """Its own check survives a block that gives no key, and looks at every key it declares (the
    protocol's check reads every key into Options)."""
    if not _own(kind, "check"):
        return
    seen, raised = probe(kind)
    if raised is not None:
        raise KindError(kind.name, f"check() raised {type(raised).__name__}: {raised} on a block without its keys",
                        "every value read may be None (a problem already reported): return None then")
    unread = [k for k in kind.keys if k not in seen]
    if unread:
        raise KindError(kind.name, f"check() never reads the key{'s' if len(unread) > 1 else ''} {', '.join(unread)}",
                        "read it (c.value(key)) into its Options, or remove it from keys")


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


register_type(ValueType("kind", lambda key: {"enum": list(kind_names())},
                        note=lambda: "; ".join(f"{k.name}: {k.doc}" for k in kinds())))
