"""The spec checker: walks loaded YAML, converting values and collecting every problem with its
file, line, column and a fix ("did you mean …" for misspelt names)."""
from __future__ import annotations

import math
import os
from pathlib import Path

from .. import units
from ..errors import Problem
from ..files import unusable_character
from .keys import SIZE_RANGE, Key
from .yamlpos import Located

def suggest(word, choices, what: str = "") -> str:
    """The fix for an unknown name or value: the closest choice (one differing only in case first:
    `X4` → 'x4'), else the choices."""
    import difflib  # only for an error (1 ms of every build's imports otherwise)

    choices = [str(c) for c in choices]
    folded = {c.casefold(): c for c in reversed(choices)}  # the first choice wins a tie
    word = str(word).casefold()
    close = [word] if word in folded else difflib.get_close_matches(word, list(folded), n=1, cutoff=0.6)
    if close:
        return f"did you mean {folded[close[0]]!r}?"
    if not choices:
        return f"define {what or 'it'} first" if what else "remove it"
    return f"use one of: {', '.join(choices[:30])}" + (" …" if len(choices) > 30 else "")


def color_fix(value, colors) -> str:
    """The fix for an unknown colour name: the closest colour, else where and how to define one."""
    fix = suggest(value, colors)
    if fix.startswith("did you mean"):
        return fix
    return f"define it under colors: {{name: [c, m, y, k]}} (defined now: {', '.join(str(c) for c in colors)})"


def show(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


NAME_FIX = "use letters, digits, - and _ (no / \\, no leading dot, no control characters)"


def name_problem(name: str) -> str | None:
    """Why `name` cannot name output files (out/<name>.pdf), or None: a / or \\ (a path), a leading
    dot, nothing but blanks, or a control or format character (a newline, a tab, U+202E …)."""
    if any(c in name for c in "/\\") or name.startswith(".") or not name.strip():
        return "is not usable as a file name"
    bad = unusable_character(name)
    return f"holds {bad}: it is not usable as a file name" if bad else None


def type_name(value) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"true/false ({show(value)})"
    if isinstance(value, (int, float)):
        return f"a number ({show(value)})"
    if isinstance(value, str):
        return f"text ({show(value)})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"{type(value).__name__} ({show(value)})"


def style_ref(ck: "Checker", value, path: tuple, styles, what: str) -> str | None:
    """A reference to a style: must be a name that is defined."""
    if not isinstance(value, str):
        ck.fail(path, f"{what} must be a style name, not {type_name(value)}",
                suggest("", styles) if styles else "define styles: first")
        return None
    if value not in styles:
        ck.fail(path, f"style {value!r} ({what}) is not defined", suggest(value, styles))
        return None
    return value


class Checker:
    """Walks the loaded YAML, converting values and collecting problems with their positions."""

    def __init__(self, doc: Located):
        self.doc = doc
        self.problems: list[Problem] = list(doc.problems)

    def fail(self, path: tuple, message: str, fix: str) -> None:
        line, col = self.doc.where(path)
        self.problems.append(Problem(message, self.doc.file_at(path), line, col, fix))

    def mapping(self, value, path: tuple, allowed, what: str, example: str = "") -> dict:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.fail(path, f"{what} must be a mapping of 'key: value', not {type_name(value)}",
                      f"write it as {example}" if example else "write it as 'key: value' lines or {key: value}")
            return {}
        out = {}
        for key, v in value.items():
            if key not in allowed:
                self.fail(path + (key, "<key>"), f"unknown key {show(key)} in {what}", suggest(key, allowed))
            else:
                out[key] = v
        return out

    def names(self, value, path: tuple, what: str, limit: int | None = None) -> dict:
        """A mapping whose keys the user names (styles, frames, …): keys must be plain text."""
        m = self.mapping(value, path, _AnyKey(), what, "'name: {…}' lines")
        if limit is not None and len(m) > limit:
            self.fail(path, f"{what} has {len(m):,} entries; at most {limit:,} are allowed",
                      "a page needs far fewer; split it into several pages")
            return {}
        out = {}
        for key, v in (value.items() if isinstance(value, dict) else ()):
            if not (isinstance(key, str) and key.strip()):
                self.fail(path + (key, "<key>"), f"a name in {what} must be text, not {type_name(key)}",
                          f"put it in quotes, e.g. '{key}'"
                          if isinstance(key, (int, float)) and not isinstance(key, bool)
                          else "use a name made of letters, digits, - or _")
            else:
                out[key] = v
        return out

    def length(self, value, path: tuple, ctx: units.Context, what: str, minimum: float | None = 0.0,
               strict: bool = True, maximum: float | None = None) -> float | None:
        """A length in points; `strict` means it must be above `minimum`, else at least it."""
        try:
            v = units.length(value, ctx)
        except units.UnitError as exc:
            self.fail(path, f"{what}: {exc}", "write e.g. 9pt, 3mm, 40q, 小五, 2字, 3行 or 1栏")
            return None
        if minimum is not None and (v <= minimum if strict else v < minimum):
            bound = "greater than" if strict else "at least"
            self.fail(path, f"{what} must be {bound} {minimum:g}pt, not {show(value)}",
                      "give a positive length" if minimum == 0 else f"make it at least {minimum:g}pt")
            return None
        if maximum is not None and v > maximum:
            self.fail(path, f"{what} {show(value)} is over the {maximum:.0f}pt limit", "give a smaller length")
            return None
        return v

    def size(self, value, path: tuple, ctx: units.Context, what: str) -> float | None:
        try:
            v = units.font_size(value, ctx)
        except units.UnitError as exc:
            self.fail(path, f"{what}: {exc}", "write a 字号 name such as 小五 or 初号, or a length such as 9pt")
            return None
        lo, hi = SIZE_RANGE
        if not lo <= v <= hi:
            self.fail(path, f"{what} {show(value)} is {v:g}pt, outside {lo:g}–{hi:g}pt",
                      "give a type size such as 小五 (9pt) or 36pt")
            return None
        return v

    def integer(self, value, path: tuple, what: str, minimum=1, maximum=None) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(path, f"{what} must be a whole number, not {type_name(value)}",
                      f"write a whole number such as {max(minimum, 1)}")
            return None
        if value < minimum:
            self.fail(path, f"{what} must be at least {minimum}, not {value}",
                      "columns and lines count from 1" if minimum == 1 and any(w in what for w in ("col", "line", "span"))
                      else f"use {minimum} or more")
            return None
        if maximum is not None and value > maximum:
            self.fail(path, f"{what} {show(value)} is over the limit of {maximum:,}", f"use at most {maximum:,}")
            return None
        return value

    def number(self, value, path: tuple, what: str, lo: float, hi: float) -> float | None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(path, f"{what} must be a number, not {type_name(value)}", f"write a number from {lo:g} to {hi:g}")
            return None
        try:
            v = float(value)
        except OverflowError:
            v = math.inf
        if not lo <= v <= hi:  # also refuses nan
            self.fail(path, f"{what} must be from {lo:g} to {hi:g}, not {show(value)}",
                      f"write a number from {lo:g} to {hi:g}")
            return None
        return v

    def flag(self, value, path: tuple, what: str) -> bool | None:
        if not isinstance(value, bool):
            self.fail(path, f"{what} must be true or false, not {type_name(value)}", "write true or false")
            return None
        return value

    def text(self, value, path: tuple, what: str, allow_empty=False) -> str | None:
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.fail(path, f"{what} must be text, not {type_name(value)}", "write the text, in quotes if need be")
            return None
        text = str(value)
        if not text.strip() and not allow_empty:
            self.fail(path, f"{what} is empty", "write the text, or remove the key")
            return None
        return text

    def choice(self, value, path: tuple, what: str, choices) -> str | None:
        if not isinstance(value, str) or value not in choices:
            self.fail(path, f"unknown {what} {show(value)}", suggest(value, choices))
            return None
        return value


    def typed(self, value, path: tuple, key: Key, what: str, ctx: units.Context | None = None):
        """A value of a plain type, checked against its `Key`: its range (`lo`, `hi`) and choices
        come from the key table, never from the caller. A length without `lo` must be above 0."""
        t = key.type
        if t == "length":
            return self.length(value, path, ctx or units.Context(), what, strict=key.lo is None,
                               minimum=key.lo or 0.0, maximum=key.hi)
        if t == "size":
            return self.size(value, path, ctx or units.Context(), what)
        if t in ("count", "index"):
            return self.integer(value, path, what, minimum=int(key.lo if key.lo is not None else t == "count"),
                                maximum=None if key.hi is None else int(key.hi))
        if t == "number":
            assert key.lo is not None and key.hi is not None  # (a number key declares its range)
            return self.number(value, path, what, key.lo, key.hi)
        if t == "bool":
            return self.flag(value, path, what)
        if t == "text":
            return self.text(value, path, what)
        if key.choices:
            return self.choice(value, path, what, key.choices)
        raise ValueError(f"no plain check for value type {t!r} ({what})")


class _AnyKey:
    """Allowed-keys stand-in for maps whose keys the user names (styles, frames, stories)."""

    def __contains__(self, key) -> bool:
        return True

    def __iter__(self):
        return iter(())


def project_root(spec_path: Path) -> Path:
    """The project a spec belongs to: the folder above `layouts/`, else the spec's own folder."""
    folder = spec_path.resolve().parent
    return folder.parent if folder.name == "layouts" else folder


class Files:
    """Checks file references: relative to the spec, existing, and inside the project folder."""

    def __init__(self, ck: Checker, base: Path, root: Path, allow_outside: bool):
        self.ck, self.base, self.root, self.allow_outside = ck, base, root, allow_outside
        self.links: list[Path] = []  # references that a symbolic link leads elsewhere (PageSpec.links)

    def __call__(self, value, path: tuple, what: str) -> Path | None:
        ck = self.ck
        if not isinstance(value, str) or not value.strip():
            ck.fail(path, f"{what} must be a file path, not {type_name(value)}",
                    "write the path relative to the spec file, e.g. ../articles/story.md")
            return None
        try:
            full = (self.base / value).resolve()
            inside = full.is_relative_to(self.root)
            is_file = full.is_file()
        except (OSError, ValueError, RuntimeError) as exc:
            ck.fail(path, f"{what} {show(value)} is not a usable path ({exc})", "write a plain relative path")
            return None
        if not inside and not self.allow_outside:
            ck.fail(path, f"{what} {show(value)} is outside the project folder {self.root}",
                    "move the file into the project, or set page: {allow_outside: true} "
                    "(or pass --allow-outside) if that is intended")
            return None
        if not is_file:
            there = full.exists()  # a folder, a device, a named pipe: never opened (it could block)
            ck.fail(path, f"{what} {show(value)} " + (f"is not a regular file ({full})" if there else
                                                      f"not found (looked at {full})"),
                    "give the path of an ordinary file" if there else "check the path; it is relative to the spec file")
            return None
        if not os.access(full, os.R_OK):
            ck.fail(path, f"{what} {show(value)} cannot be read (permission denied)",
                    "make the file readable")
            return None
        written = Path(os.path.normpath(self.base / value))
        if written != full:
            self.links.append(written)
        return full
