"""Reading the user's files with one set of clear errors, and naming any OS error on a path.

Every file the user names (spec, article, picture, font, a PDF given to `render`/`diff`) is read
only if it is a regular file: a folder, a device (`/dev/zero`) or a socket is refused before a
byte is read, and a named pipe (FIFO) is opened without blocking, so nothing waits forever on a
writer that never comes. The byte limit is enforced while reading, never trusted to `st_size`
(which is 0 for `/proc` files and meaningless for devices).

`os_problem` turns an OSError about a path (missing, a folder, permission denied, read-only file
system, name too long, disk full, …) into a Problem naming the path and the fix: these are bad
input (exit 2), not bugs.
"""
from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import TypeGuard

from .errors import PagesetterError, Problem, byte_position

BLOCK = 1 << 20

# errno → (what it means for a path, the fix)
_ERRNO = {
    errno.ENOENT: ("not found", "check the path"),
    errno.EACCES: ("permission denied", "check the file's and its folder's permissions, or use another path"),
    errno.EPERM: ("operation not permitted", "check the file's and its folder's permissions, or use another path"),
    errno.EISDIR: ("is a folder, not a file", "give the path of a file (a folder cannot be read or written as one)"),
    errno.ENOTDIR: ("a part of the path is a file, not a folder", "check the path: a name in it that should be a "
                    "folder is a file"),
    errno.EROFS: ("is on a read-only file system", "write to a folder on a writable disk"),
    errno.ENAMETOOLONG: ("file name too long", "use a shorter file name (at most 255 bytes per name)"),
    errno.ENOSPC: ("no space left on the disk", "free some space, or write to another disk"),
    errno.EDQUOT: ("disk quota exceeded", "free some space, or write to another disk"),
    errno.ELOOP: ("too many symbolic links (a link loop?)", "check the symbolic links on the path"),
    errno.EFBIG: ("file too large for the file system", "write to another disk"),
    errno.EIO: ("input/output error", "check the disk, or use another path"),
    errno.ENXIO: ("no such device (a pipe or device with nothing on the other side)", "give the path of a file"),
    errno.ENODEV: ("not a file that can be read or written (a device)", "give the path of a file"),
    errno.EINVAL: ("cannot be written or read as a file (a system file?)", "give the path of an ordinary file"),
    errno.EBUSY: ("is busy", "close what uses it, or use another path"),
    errno.ETXTBSY: ("is busy", "close what uses it, or use another path"),
    errno.EEXIST: ("already exists", "remove it or use another path"),
    errno.EMLINK: ("too many links", "use another path"),
    errno.EXDEV: ("is on another file system", "use a path on the same disk"),
}
KNOWN_ERRNOS = frozenset(_ERRNO)


def os_problem(exc: OSError, path: Path | str | None = None, what: str = "file", doing: str = "read") -> Problem:
    """A Problem for an OSError on the user's path: what went wrong, where, and the fix."""
    meaning, fix = _ERRNO.get(exc.errno or 0, (exc.strerror or str(exc), "check the path"))
    where = getattr(exc, "filename", None) or path
    return Problem(f"cannot {doing} {what}: {meaning}", where, fix=fix)


def is_path_error(exc: BaseException) -> TypeGuard[OSError]:
    """An OSError about one of the user's paths (bad input), not a failure of pagesetter itself."""
    return isinstance(exc, OSError) and exc.errno in KNOWN_ERRNOS and getattr(exc, "filename", None) is not None


def open_regular(path: Path, what: str, missing_fix: str = "check the path", pipe: bool = False) -> int:
    """An open file descriptor for reading `path`, refused unless it is a regular file (or, with
    `pipe`, a FIFO such as `<(git show HEAD:x.pdf)`). Never blocks: opened O_NONBLOCK, which is
    cleared once the kind is known."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise PagesetterError.at(f"{what} file not found", path, fix=missing_fix) from None
    except OSError as exc:
        raise PagesetterError(os_problem(exc, path, what)) from None
    mode = os.fstat(fd).st_mode
    if stat.S_ISREG(mode) or (pipe and stat.S_ISFIFO(mode)):
        os.set_blocking(fd, True)
        return fd
    os.close(fd)
    if stat.S_ISDIR(mode):
        raise PagesetterError.at(f"{what} is a folder, not a file", path, fix=missing_fix)
    kind = "a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"
    raise PagesetterError.at(f"{what} is {kind}, not a regular file", path,
                             fix=f"give the path of an ordinary file{'' if pipe else ' (save the data to a file first)'}")


def read_capped(path: Path, what: str, limit: int, big_fix: str, missing_fix: str = "check the path",
                pipe: bool = False) -> bytes:
    """The file's bytes, at most `limit` of them: over the limit is an error, found while reading."""
    fd = open_regular(path, what, missing_fix, pipe)
    chunks, total = [], 0
    try:
        with os.fdopen(fd, "rb", buffering=0) as fh:
            while total <= limit:
                block = fh.read(min(BLOCK, limit + 1 - total))
                if not block:
                    break
                chunks.append(block)
                total += len(block)
    except OSError as exc:
        raise PagesetterError(os_problem(exc, path, what)) from None
    if total > limit:
        raise PagesetterError.at(f"{what} is over the {limit:,}-byte limit", path, 1, 1, big_fix)
    return b"".join(chunks)


def read_utf8(path: Path, what: str, limit: int, big_fix: str, missing_fix: str) -> str:
    """The file's text; `what` ("spec", "article") names it in every message."""
    try:
        size = path.stat().st_size
    except OSError:
        size = 0  # open_regular names the problem
    if size > limit and path.is_file():  # a fast, exact refusal when the size is known
        raise PagesetterError.at(f"{what} is {size:,} bytes, over the {limit:,}-byte limit", path, 1, 1, big_fix)
    data = read_capped(path, what, limit, big_fix, missing_fix)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = byte_position(data, exc.start)
        raise PagesetterError.at(f"{what} is not UTF-8 text (byte {exc.start})", path, line, col,
                                 fix="save the file as UTF-8") from None
    return text[1:] if text.startswith("\ufeff") else text


# Characters a file name (文件名) pagesetter writes may not hold, though a file system would take some.
_UNUSABLE_IN_NAMES = {"Cc": "a control character", "Cf": "an invisible format character",
                      "Zl": "a line separator", "Zp": "a paragraph separator", "Cs": "a lone surrogate"}


def unusable_character(name: str) -> str | None:
    """The first control or format character of `name` (a newline, a tab, U+202E …) described with its
    code point and place, or None."""
    import unicodedata

    for i, c in enumerate(name):
        what = _UNUSABLE_IN_NAMES.get(unicodedata.category(c))
        if what:
            return f"{what} (U+{ord(c):04X}, character {i + 1})"
    return None
