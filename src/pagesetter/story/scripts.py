"""Inline scripts (上标、下标) in the article format: `10^-6^` and `H~2~O`.

A superscript is written between two `^`, a subscript between two `~`, on one source line, as
Pandoc writes them: 1 to `MAX_SCRIPT` characters with no space and no other script mark inside.
`\\^` and `\\~` write the characters themselves. Every other `^` or `~` is an error with its line
and column (never printed as is, never guessed): a `~` in real text (`5~10℃`) is written `5\\~10℃`
or, as Chinese text does, `5～10℃` (full-width) or `5—10℃`. A script holds no full-width
character either, so two ranges on a line (`5~10℃，20~30℃`) are an error, never a subscript.

The marks are read line by line (`marked`) into stand-ins (noncharacters), so the paragraph's lines
can be joined and split at its other marks (`**`, gap notes) as before; `split` then cuts each
span at the stand-ins into spans with `Span.script` set.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from pathlib import Path

from ..errors import PagesetterError
from .model import SUB, SUP, Span

MAX_SCRIPT = 10  # characters in one script: an exponent, a formula's index, a charge (Ca^2+^)
MARKS = {"^": SUP, "~": SUB}
NAMES = {SUP: "superscript", SUB: "subscript"}
EXAMPLES = {SUP: "10^-6^", SUB: "H~2~O"}
# stand-ins for a script's opening and closing mark, between reading and splitting: Unicode
# noncharacters (U+FDD0–FDD3, never text; a file holding one is refused, `marked`)
OPEN = {SUP: "\ufdd0", SUB: "\ufdd2"}
CLOSE = {SUP: "\ufdd1", SUB: "\ufdd3"}
_STAND_INS = {v: k for k, v in OPEN.items()} | {v: "" for v in CLOSE.values()}
_STAND_IN_RE = re.compile("[\ufdd0-\ufdd3]")
_LITERAL: dict[str, str | int | None] = {OPEN[SUP]: "^", CLOSE[SUP]: "^", OPEN[SUB]: "~", CLOSE[SUB]: "~"}


def _fail(message: str, path: Path, line: int, col: int, fix: str) -> PagesetterError:
    return PagesetterError.at(message, path, line, col, fix)


def _closing(text: str, mark: str, start: int) -> int:
    """Index of the next unescaped `mark` after `start`, or -1."""
    i = start + 1
    while i < len(text):
        if text[i] == "\\" and text[i + 1:i + 2] in MARKS:
            i += 2
            continue
        if text[i] == mark:
            return i
        i += 1
    return -1


def _check(text: str, i: int, end: int, path: Path, line: int) -> None:
    """The script opened at text[i] and closed at text[end] (-1: never) is well formed."""
    mark = text[i]
    kind = MARKS[mark]
    name, example = NAMES[kind], EXAMPLES[kind]
    escape = f"write \\{mark} for the character {mark} itself"
    if end < 0:
        raise _fail(f"'{mark}' opens a {name} that is never closed on this line", path, line, i + 1,
                    f"close it with '{mark}' ({example}), or {escape}")
    body = text[i + 1:end]
    if not body:
        raise _fail(f"'{mark}{mark}' is an empty {name}", path, line, i + 1,
                    f"put the {name} between the marks ({example}), or delete them")
    for j, ch in enumerate(body):
        if ch.isspace() or (ch in MARKS and body[j - 1:j] != "\\"):
            what = "a space" if ch.isspace() else f"'{ch}'"
            raise _fail(f"the {name} opened here holds {what} (column {i + j + 2}): a {name} is one word",
                        path, line, i + 1, f"close it before the {'space' if ch.isspace() else ch} "
                        f"({example}), or {escape}")
        if unicodedata.east_asian_width(ch) in ("W", "F"):  # 5~10℃，20~30℃ is two ranges, not a script
            raise _fail(f"the {name} opened here holds the full-width '{ch}' (column {i + j + 2}): a {name} "
                        f"is letters, digits and signs", path, line, i + 1,
                        f"if the '{mark}' is meant as text, {escape} (or write a full-width ～ or —: 5～10℃)")
    if len(body) > MAX_SCRIPT:
        raise _fail(f"a {name} of {len(body)} characters: at most {MAX_SCRIPT} may be set small",
                    path, line, i + 1, f"close it sooner ({example}); if the '{mark}' is meant as text, {escape}")


def marked(text: str, path: Path, line: int) -> str:
    """One source line with its script marks checked and turned into stand-ins, and `\\^` `\\~`
    into the characters; PagesetterError (file, line, column, fix) for a mark out of place."""
    bad = _STAND_IN_RE.search(text)
    if bad:
        raise _fail(f"U+{ord(bad.group()):04X} is a Unicode noncharacter, not text", path, line, bad.start() + 1,
                    "delete it (an editor or a conversion left it in the file)")
    if "^" not in text and "~" not in text:
        return text
    out, i = [], 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and text[i + 1:i + 2] in MARKS:
            out.append(text[i + 1])
            i += 2
            continue
        if ch not in MARKS:
            out.append(ch)
            i += 1
            continue
        end = _closing(text, ch, i)
        _check(text, i, end, path, line)
        kind = MARKS[ch]
        out.append(OPEN[kind] + _unescaped(text[i + 1:end]) + CLOSE[kind])
        i = end + 1
    return "".join(out)


def _unescaped(text: str) -> str:
    """`\\^` and `\\~` as the characters themselves."""
    return text.replace("\\^", "^").replace("\\~", "~")


def literal(text: str) -> str:
    """Text with its stand-ins back as the marks written (a gap note's text is shown as typed)."""
    return text.translate(str.maketrans(_LITERAL)) if _STAND_IN_RE.search(text) else text


def split(span: Span) -> list[Span]:
    """A span cut at its stand-ins: the scripts as spans of their own (`Span.script`)."""
    if not _STAND_IN_RE.search(span.text):
        return [span]
    out, buf, script = [], [], ""
    for ch in span.text:
        if ch not in _STAND_INS:
            buf.append(ch)
            continue
        if buf:
            out.append(replace(span, text="".join(buf), script=script))
            buf = []
        script = _STAND_INS[ch]
    if buf:
        out.append(replace(span, text="".join(buf), script=script))
    return out
