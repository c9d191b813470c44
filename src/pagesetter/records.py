"""Frozen records: the immutable values passed between stages (spec, story, glyphs, lines, items).

`@record` makes a class what `@dataclass(frozen=True)` makes it — fields from its annotations in
order (with `field(...)` defaults, factories and hash/compare/repr flags), an `__init__` taking
them (and calling `__post_init__` if the class has one), `__repr__`, `__eq__` and `__hash__` over
the compared fields, assignment and deletion refused with `dataclasses.FrozenInstanceError` — and
it stays a dataclass to the standard library: `dataclasses.fields`, `replace`, `asdict` and
`is_dataclass` work on it. What it does not do is refused with a TypeError naming the class
(never silently done differently): `field(init=False)`, `kw_only`, `InitVar`, a field without a
default after one with a default, and a body defining the methods the record makes. (Its
`__dataclass_params__` say frozen=False, so `@dataclass(frozen=True)` cannot subclass a record.)

Why not `@dataclass(frozen=True)` itself: a build imports some 60 records, and the standard
decorator compiles six methods per class, each through its own `exec` (about 0.55 ms a class on
Python 3.11, a tenth of a warm build). Here the standard library only collects the fields (no
methods: 0.07 ms); `__init__` is the one method compiled per class, the others are shared
functions reading the class's field names through `operator.attrgetter` (C code). The compiled
`__init__` calls `object.__setattr__` bound once (the standard one looks it up per field), which
makes creating the per-glyph records of composition a fifth cheaper. (Writing the instance's
`__dict__` directly would be cheaper still to create, but on Python 3.11 it turns the object's
inline attribute storage into a real dict and doubles the cost of every attribute read after.)
"""
from __future__ import annotations

import dataclasses
from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform

_C = TypeVar("_C", bound=type)

_NO_DEFAULT = dataclasses.MISSING


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field,))
def record(cls: _C) -> _C:
    """Declare `cls` a frozen record (see the module's docstring). Declared a dataclass transform
    (PEP 681), so type checkers see its fields, its `__init__` and that it is frozen."""
    documented = cls.__doc__ is not None
    cls.__doc__ = cls.__doc__ or "."  # (else dataclass would build one with inspect.signature)
    _refuse_own_methods(cls)
    made: Any = dataclasses.dataclass(cls, init=False, repr=False, eq=False)  # (Any: its methods are set below)
    fields = dataclasses.fields(made)
    _refuse_unsupported(made, fields)
    if not documented:
        made.__doc__ = f"{made.__name__}({', '.join(f.name for f in fields)})"
    made.__init__ = _init(made, fields)
    compared = [f.name for f in fields if f.compare]
    hashed = [f.name for f in fields if (f.compare if f.hash is None else f.hash)]
    made.__record_eq__ = attrgetter(*compared) if compared else _NOTHING
    made.__record_hash__ = attrgetter(*hashed) if hashed else _NOTHING
    made.__record_repr__ = tuple(f.name for f in fields if f.repr)
    made.__eq__, made.__hash__, made.__repr__ = _eq, _hash, _repr
    made.__setattr__, made.__delattr__ = _refuse_set, _refuse_delete
    return cls


MADE = ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__")


def _refuse_own_methods(cls: type) -> None:
    own = [name for name in MADE if name in cls.__dict__]
    if own:
        raise TypeError(f"record {cls.__qualname__} defines {', '.join(own)}: a record's methods are "
                        "made for it (use @dataclass(frozen=True) for a class that needs its own)")


def _refuse_unsupported(cls: type, fields) -> None:
    """TypeError for what @dataclass(frozen=True) would do and @record does not."""
    for name, ann in cls.__annotations__.items():  # (as text or as the object: both name it)
        if "InitVar" in str(ann):
            raise TypeError(f"record {cls.__qualname__}: InitVar field {name!r} is not supported")
    defaulted = None
    for f in fields:
        if not f.init or f.kw_only is True:
            raise TypeError(f"record {cls.__qualname__}: field {f.name!r} uses "
                            f"{'init=False' if not f.init else 'kw_only'}, which records do not support")
        has_default = f.default is not _NO_DEFAULT or f.default_factory is not _NO_DEFAULT
        if defaulted and not has_default:
            raise TypeError(f"record {cls.__qualname__}: field {f.name!r} has no default but follows "
                            f"{defaulted!r}, which has one")
        defaulted = f.name if has_default else defaulted


def _init(cls: type, fields) -> object:
    """The class's `__init__`, compiled once: parameters as the fields declare them, each value set
    with object.__setattr__ (a frozen record's own __setattr__ refuses)."""
    env: dict = {"_NO_DEFAULT": _NO_DEFAULT, "_set": object.__setattr__}
    params, body = [], []
    for f in fields:
        if f.default is not _NO_DEFAULT:
            env[f"_d_{f.name}"] = f.default
            params.append(f"{f.name}=_d_{f.name}")
        elif f.default_factory is not _NO_DEFAULT:
            env[f"_f_{f.name}"] = f.default_factory
            params.append(f"{f.name}=_NO_DEFAULT")
            body.append(f" if {f.name} is _NO_DEFAULT: {f.name} = _f_{f.name}()")
        else:
            params.append(f.name)
        body.append(f" _set(self, {f.name!r}, {f.name})")
    if hasattr(cls, "__post_init__"):
        body.append(" self.__post_init__()")
    source = f"def __init__(self, {', '.join(params)}):\n" + "\n".join(body or [" pass"]) + "\n"
    exec(compile(source, f"<record {cls.__qualname__}>", "exec"), env)
    init = env["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init


def _nothing(obj) -> tuple:
    return ()


_NOTHING = staticmethod(_nothing)  # the key of a record with no compared fields (attrgetter needs one)


def _eq(self, other):
    if other.__class__ is self.__class__:
        return self.__record_eq__(self) == other.__record_eq__(other)
    return NotImplemented


def _hash(self) -> int:
    return hash(self.__record_hash__(self))


def _repr(self) -> str:
    inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__record_repr__)
    return f"{self.__class__.__qualname__}({inner})"


def _refuse_set(self, name, value):
    raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")


def _refuse_delete(self, name):
    raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")
