"""Combining marks (组合附加符号): characters drawn over or under the one before them.

pagesetter sets one glyph per character with no mark positioning (OpenType GPOS `mark`), so a
combining acute accent after an e is drawn beside it, not over it. Each file with such marks gets
one warning at the first of them (file:line:column), with the precomposed character to use when
Unicode has one.
"""
from __future__ import annotations

import unicodedata
from pathlib import Path

from ..errors import Problem

MARK_CATEGORIES = ("Mn", "Mc", "Me")
VARIATION_SELECTORS = (range(0xFE00, 0xFE10), range(0xE0100, 0xE01F0), range(0x180B, 0x1810))


def needs_positioning(ch: str) -> bool:
    """A combining mark (not a variation selector, which picks a glyph rather than placing one)."""
    if unicodedata.category(ch) not in MARK_CATEGORIES:
        return False
    return not any(ord(ch) in r for r in VARIATION_SELECTORS)


def _first_mark(text: str) -> tuple[int, int, str, str] | None:
    """(line, column, mark, base) of the first combining mark outside comments, 1-based."""
    for n, line in enumerate(text.split("\n"), start=1):
        for i, ch in enumerate(line):
            if needs_positioning(ch):
                return n, i + 1, ch, line[i - 1] if i else ""
    return None


def mark_warning(path: Path, text: str, comments: str | None = None) -> Problem | None:
    """The warning for `text` (the contents of `path`), or None if it has no combining mark.
    Lines starting with `comments` (e.g. '#') are skipped."""
    if comments:
        text = "\n".join("" if l.lstrip().startswith(comments) else l for l in text.split("\n"))
    if not any(needs_positioning(ch) for ch in set(text)):
        return None
    first = _first_mark(text)
    assert first is not None  # (the text has a mark that needs positioning)
    line, col, mark, base = first
    count = sum(1 for ch in text if needs_positioning(ch))
    name = unicodedata.name(mark, "combining mark")
    composed = unicodedata.normalize("NFC", base + mark) if base else ""
    fix = (f"write the precomposed {composed!r} (U+{ord(composed):04X}) instead" if len(composed) == 1
           else "use a precomposed character (Unicode NFC), or remove the mark")
    more = f" ({count} combining marks in this file)" if count > 1 else ""
    after = f" after {base!r}" if base else " with no character before it"
    return Problem(f"U+{ord(mark):04X} {name}{after} needs mark positioning, which pagesetter does not do: "
                   f"it is drawn beside its base, not over it{more}", path, line, col, fix)


def file_mark_warnings(paths: list[Path], comments: dict[Path, str] | None = None) -> list[Problem]:
    """One warning per file holding combining marks; unreadable files are left to their loaders."""
    out = []
    for path in dict.fromkeys(paths):
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        warning = mark_warning(path, text, (comments or {}).get(path))
        if warning:
            out.append(warning)
    return out
