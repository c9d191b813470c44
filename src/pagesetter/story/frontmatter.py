"""An article's front matter (稿头): the `key: value` lines between two `---` lines at its top.

    ---
    headline: 基层党组织更加坚强有力
    byline: 本报记者  赵成
    ---

Read by the spec's own YAML reader (pagespec.yamlpos.load_yaml) under the spec's limits: safe
tags only, at most MAX_NODES values with aliases expanded (a few hundred bytes of nested aliases
would otherwise build billions of strings), MAX_DEPTH levels, a lone surrogate or a control
character refused with its place. Every value must be text (a number is taken as
written); anything else is a located error with a fix, all found at once.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..errors import PagesetterError, Problem
from ..pagespec.yamlpos import Located, load_yaml

META_KEYS = ("kicker", "headline", "subtitle", "byline", "column", "label", "credit")
STRONG_MARK = "**"  # opens and closes a strong span (in paragraphs only)
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # C0 (but tab, line feed) and C1 controls
LINES_FIX = "write front matter as 'key: value' lines, e.g. headline: 基层党组织更加坚强有力"

# a value's type → why it is refused and the fix
_REFUSED = (
    (bool, "true/false", "put the text in quotes, e.g. {key}: 'yes' (YAML reads yes, no, on, off as true/false)"),
    (type(None), "nothing (null)", "write the text after the colon, or delete the line"),
    (list, "a list", "write one line of text; for several bylines, one text: byline: 本报记者  赵成  王一"),
    (dict, "a mapping", "write one line of text (a 'key: value' inside a value needs quotes)"),
)


def front_matter(text: str, path: Path) -> tuple[dict[str, str], str, int]:
    """(the front matter's values as text, the body after it, the body's first line number)."""
    if not text.startswith("---"):
        return {}, text, 1
    end = text.find("\n---", 3)
    if end < 0:
        raise PagesetterError.at("front matter opened with '---' is never closed", path, 1, 1,
                                 "add a line '---' after the front matter")
    doc = _load(text[3:end], path)
    rest_start = end + len("\n---")
    body = text[rest_start:]
    body = body.split("\n", 1)[1] if "\n" in body else ""
    return _values(doc, path), body, text[:rest_start].count("\n") + 2


def _load(block: str, path: Path) -> Located:
    """The front matter's YAML; its lines are the file's (the block starts on the '---' line)."""
    try:
        return load_yaml(block, path, what="front matter")
    except PagesetterError as exc:
        raise PagesetterError(*(Problem(p.message.replace("not valid YAML", "front matter is not valid YAML", 1),
                                        p.file, p.line, p.column, p.fix) for p in exc.problems)) from None


def _values(doc: Located, path: Path) -> dict[str, str]:
    meta = doc.data if doc.data is not None else {}
    if not isinstance(meta, dict):
        line, col = doc.where(())
        raise PagesetterError.at(f"front matter must be 'key: value' lines, not {_kind(meta)}", path,
                                 line, col, LINES_FIX)
    problems = list(doc.problems)
    for key, value in meta.items():
        problem = _check(key, value, doc, path)
        if problem is not None:
            problems.append(problem)
    if problems:
        raise PagesetterError(*sorted(problems, key=lambda p: (p.line or 0, p.column or 0)))
    return {k: str(v) for k, v in meta.items()}


def _check(key, value, doc: Located, path: Path) -> Problem | None:
    """Why a `key: value` line cannot be used, or None."""
    if key not in META_KEYS:
        line, col = doc.where((key, "<key>"))
        return Problem(f"unknown front-matter key {key!r}", path, line, col, f"use one of: {', '.join(META_KEYS)}")
    line, col = doc.where((key,))
    for kind, name, fix in _REFUSED:
        if isinstance(value, kind):
            return Problem(f"front-matter key {key!r} must be text, not {name}", path, line, col, fix.format(key=key))
    if not isinstance(value, (str, int, float)):  # a date, a timestamp, bytes (!!binary) …
        return Problem(f"front-matter key {key!r} must be text, not {_kind(value)}", path, line, col,
                       f"put the value in quotes, e.g. {key}: '…'")
    if isinstance(value, str) and (bad := _CONTROL.search(value)):
        return Problem(f"front-matter key {key!r} holds the control character U+{ord(bad.group(0)):04X}, which "
                       "prints as nothing", path, line, col, "delete it (an escape such as \\0 or \\x07 in quotes)")
    if STRONG_MARK in str(value):
        return Problem(f"front-matter key {key!r} holds '**': strong spans are for paragraphs", path, line, col,
                       "delete the ** marks: a head element is set whole in its own style")
    return None


def _kind(value) -> str:
    """What a value is, never what it says (the text could be anything)."""
    for kind, name, _ in _REFUSED:
        if isinstance(value, kind):
            return name
    return "text" if isinstance(value, str) else "a number" if isinstance(value, (int, float)) \
        else f"a {type(value).__name__}"
