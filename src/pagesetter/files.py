"""Reading the user's text files (specs, articles) with one set of clear errors: missing, a
folder, too large, not UTF-8 (with line and column), unreadable."""
from __future__ import annotations

from pathlib import Path

from .errors import PagesetterError, byte_position


def read_utf8(path: Path, what: str, limit: int, big_fix: str, missing_fix: str) -> str:
    """The file's text; `what` ("spec", "article") names it in every message."""
    data = b""
    try:
        if path.is_dir():
            raise PagesetterError.at(f"{what} is a folder, not a file", path, fix=missing_fix)
        size = path.stat().st_size
        if size > limit:
            raise PagesetterError.at(f"{what} is {size:,} bytes, over the {limit:,}-byte limit", path, 1, 1,
                                     big_fix)
        data = path.read_bytes()
        text = data.decode("utf-8")
    except FileNotFoundError:
        raise PagesetterError.at(f"{what} file not found", path, fix=missing_fix) from None
    except UnicodeDecodeError as exc:
        line, col = byte_position(data, exc.start)
        raise PagesetterError.at(f"{what} is not UTF-8 text (byte {exc.start})", path, line, col,
                                 fix="save the file as UTF-8") from None
    except OSError as exc:
        raise PagesetterError.at(f"cannot read {what}: {exc.strerror or exc}", path,
                                 fix="check the path and the file's permissions") from None
    return text[1:] if text.startswith("\ufeff") else text
