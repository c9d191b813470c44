"""`@record` behaves as `@dataclass(frozen=True)` does: the same class body declared both ways
gives the same constructor, equality, hashing, repr, refusals and standard-library functions."""
from __future__ import annotations

import dataclasses
import inspect
import pickle
from dataclasses import FrozenInstanceError, field

import pytest

from pagesetter.records import record


def _body():
    """A class body with every kind of field the project declares (returned fresh each call)."""

    class Item:
        """A test item."""

        name: str
        size: float = 10.5
        tags: tuple = ()
        meta: dict = field(default_factory=dict, hash=False)
        note: str = field(default="", compare=False, repr=False)
        seen: list = field(default_factory=list, hash=False, compare=False)

        @property
        def big(self) -> bool:
            return self.size > 12

    return Item


Standard = dataclasses.dataclass(frozen=True)(_body())
Ours = record(_body())


@pytest.mark.parametrize("cls", [Standard, Ours])
def test_constructor_defaults_and_factories(cls):
    a = cls("head")
    assert (a.name, a.size, a.tags, a.meta, a.note, a.seen) == ("head", 10.5, (), {}, "", [])
    b = cls("head")
    assert a.meta is not b.meta and a.seen is not b.seen  # a factory runs per instance
    c = cls("x", 14, ("k",), {"a": 1}, "n", [1])
    assert (c.size, c.tags, c.meta, c.note, c.seen, c.big) == (14, ("k",), {"a": 1}, "n", [1], True)
    assert cls(name="x", note="kw").note == "kw"
    with pytest.raises(TypeError):
        cls()  # a field without a default is required
    with pytest.raises(TypeError):
        cls("x", nonsense=1)


def test_signature_matches_the_standard():
    ours = inspect.signature(Ours).parameters
    standard = inspect.signature(Standard).parameters
    assert list(ours) == list(standard)
    for name in ("name", "size", "tags", "note"):
        assert ours[name].default == standard[name].default


@pytest.mark.parametrize("cls", [Standard, Ours])
def test_frozen(cls):
    a = cls("x")
    with pytest.raises(FrozenInstanceError):
        a.name = "y"
    with pytest.raises(FrozenInstanceError):
        del a.size
    with pytest.raises(FrozenInstanceError):
        a.other = 1


@pytest.mark.parametrize("cls", [Standard, Ours])
def test_equality_and_hash_follow_the_field_flags(cls):
    a = cls("x", 11, ("t",), {"m": 1}, "one", [1])
    same = cls("x", 11, ("t",), {"m": 1}, "two", [2])  # note and seen are not compared
    other_meta = cls("x", 11, ("t",), {"m": 2})
    assert a == same and hash(a) == hash(same)
    assert a != other_meta and hash(a) == hash(other_meta)  # meta is compared, not hashed
    assert a != cls("y", 11, ("t",), {"m": 1})
    assert a != ("x", 11) and (a == ("x", 11)) is False
    assert {a: 1}[same] == 1


def test_equality_is_by_exact_class():
    assert Ours("x") != Standard("x")

    @record
    class Sub:
        name: str

    @record
    class Twin:
        name: str

    assert Sub("x") != Twin("x") and Sub("x") == Sub("x")


def test_repr_is_the_standard_one():
    a, b = Ours("x", 11, meta={"m": 1}, note="hidden"), Standard("x", 11, meta={"m": 1}, note="hidden")
    assert repr(a) == repr(b)
    assert repr(a).endswith("Item(name='x', size=11, tags=(), meta={'m': 1}, seen=[])")  # note: repr=False


def test_standard_library_functions_work():
    a = Ours("x", 11, meta={"m": 1})
    assert dataclasses.is_dataclass(a) and dataclasses.is_dataclass(Ours)
    assert [f.name for f in dataclasses.fields(a)] == [f.name for f in dataclasses.fields(Standard)]
    assert dataclasses.asdict(a) == dataclasses.asdict(Standard("x", 11, meta={"m": 1}))
    b = dataclasses.replace(a, size=9)
    assert b.size == 9 and b.name == "x" and b.meta == {"m": 1} and a.size == 11
    assert Ours.__match_args__ == Standard.__match_args__
    assert pickle.loads(pickle.dumps(Ours2("x", 2))) == Ours2("x", 2)


@record
class Ours2:
    name: str
    n: int = 1


def test_post_init_runs_and_may_refuse():
    @record
    class Checked:
        n: int

        def __post_init__(self):
            if self.n < 0:
                raise ValueError("negative")

    assert Checked(1).n == 1
    with pytest.raises(ValueError, match="negative"):
        Checked(-1)
    with pytest.raises(ValueError, match="negative"):
        dataclasses.replace(Checked(1), n=-2)


def test_empty_record_and_undocumented_record():
    @record
    class Empty:
        pass

    @record
    class Plain:
        a: int
        b: str = "s"

    assert Empty() == Empty() and hash(Empty()) == hash(Empty()) and repr(Empty()).endswith("Empty()")
    assert Plain.__doc__ == "Plain(a, b)"
    assert Plain(1) == Plain(1, "s")


def test_the_project_declares_its_frozen_dataclasses_as_records():
    """Every frozen dataclass in src/ is a record (the standard decorator costs 5× the import time)."""
    from pathlib import Path

    src = Path(__file__).resolve().parents[1] / "src" / "pagesetter"
    offenders = [str(p.relative_to(src)) for p in src.rglob("*.py")
                 if p.name != "records.py" and "@dataclass(frozen=True" in p.read_text(encoding="utf-8")]
    assert offenders == []


@pytest.mark.parametrize("body, says", [
    ("class C:\n    a: int\n    b: int = field(default=0, init=False)\n", "init=False"),
    ("class C:\n    a: int\n    b: int = field(default=0, kw_only=True)\n", "kw_only"),
    ("class C:\n    a: int\n    b: InitVar[int] = 0\n", "InitVar"),
    ("class C:\n    a: int = 0\n    b: int\n", "follows 'a'"),
    ("class C:\n    a: int\n    def __repr__(self):\n        return 'C'\n", "defines __repr__"),
    ("class C:\n    a: int\n    def __eq__(self, other):\n        return True\n", "defines __eq__"),
])
def test_what_a_record_does_not_support_is_refused_by_name(body, says):
    """Never silently different from @dataclass(frozen=True): a TypeError naming the class."""
    namespace = {"field": field, "InitVar": dataclasses.InitVar}
    exec(body, namespace)
    with pytest.raises(TypeError, match=says) as refused:
        record(namespace["C"])
    assert "record C" in str(refused.value)
