"""Errors a user can act on: each names the file, the place and the fix.

Every failure caused by input (spec, article, font, image) is a `PagesetterError`; the CLI prints it
without a traceback. Several problems found in one pass travel together in one error (`problems`).
"""
from __future__ import annotations

from pathlib import Path

from .records import record


@record
class Problem:
    """One thing wrong with the input, where it is and what to do about it."""

    message: str
    file: Path | str | None = None
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    fix: str | None = None

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = str(self.file)
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        text = f"{where}{self.message}"
        if self.fix:
            text += f"\n    fix: {self.fix}"
        return text


class PagesetterError(Exception):
    """Bad input, reported to the user as one or more `Problem`s (never with a traceback)."""

    exit_code = 2

    def __init__(self, *problems: Problem):
        if not problems:
            raise ValueError("PagesetterError needs at least one problem")
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in problems))

    @classmethod
    def at(cls, message: str, file=None, line=None, column=None, fix=None) -> "PagesetterError":
        return cls(Problem(message, file, line, column, fix))


class OutputError(PagesetterError):
    """An output path of the command line that cannot be written: an input of the run, a folder,
    two outputs on one path, … (`outputs.check_targets`, `outputs.guard`). It stays wrong however
    the inputs are edited, so `watch` stops on it at once instead of watching on."""


class FontError(PagesetterError):
    """No usable face for a role, or a face lacking characters the page needs."""


def byte_position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of a byte offset, for a file that does not decode."""
    start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, len(data[start:offset].decode("utf-8", "replace")) + 1


def internal_error(exc: BaseException) -> str:
    """The message for an unexpected exception: a bug in pagesetter, not bad input (exit 3)."""
    return (f"internal error: {type(exc).__name__}: {exc}\n    this is a bug in pagesetter, not in your input; "
            "run again with --debug for the traceback and report it")
