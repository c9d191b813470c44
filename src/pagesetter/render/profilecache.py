"""The output profile as the PDF embeds it (输出意图的ICC), compressed once and kept: zlib over a
~150 KB CMYK profile and reading its description with Pillow cost a build more than the rest of
the output intent together.

    profiles/<sha256 of the profile>-zlib<zlib version>-2.z   a header line (format, CRC-32 of
                                                           the rest), then the profile
                                                           zlib-compressed (as ReportLab would)
    profiles/<sha256 of the profile>.desc                  a header line (format, CRC-32), then
                                                           its description (UTF-8)

Entries are checked before use, both against their CRC-32 (the compressed one: cheaper than
decompressing it to compare, as its name already says whose bytes it holds); the description must
also be non-empty UTF-8 of at most MAX_DESCRIPTION bytes (it is printed in the output intent);
anything else is made again and rewritten. The profile's sha256 comes from the file-fact
cache (fonts.cache.content_hash, per path, size and mtime), so a warm build reads no profile at
all. Also memoised in-process, for `watch` and editions.
"""
from __future__ import annotations

import zlib
from pathlib import Path

_MEMO: dict[str, tuple[bytes, str]] = {}
_MAGIC = b"pagesetter-profile 2"
_DESC_MAGIC = b"pagesetter-profile-description 1"
MAX_DESCRIPTION = 4096  # bytes; an ICC description is a line


def profile_stream(path: Path, describe) -> tuple[bytes, str]:
    """(the ICC profile at `path` zlib-compressed, its description from `describe()`)."""
    from pagesetter.fonts.cache import content_hash, default_cache_dir

    return _compressed(content_hash(Path(path), default_cache_dir()), Path(path).read_bytes, describe)


def _compressed(digest: str, read, describe) -> tuple[bytes, str]:
    """The cached pair for the profile whose sha256 is `digest`; `read()` gives its bytes."""
    if digest in _MEMO:
        return _MEMO[digest]
    from pagesetter.fonts.cache import body_start, default_cache_dir, framed, keep, read_entry

    folder = default_cache_dir() / "profiles"
    name = f"{digest}-zlib{zlib.ZLIB_VERSION}-2.z"
    entry = read_entry(folder / name)
    start = body_start(_MAGIC, entry)
    packed = entry[start:] if entry is not None and start is not None and start < len(entry) else None
    if packed is None:
        packed = zlib.compress(read())
        keep(folder / name, framed(_MAGIC, packed))
    desc = _description(read_entry(folder / f"{digest}.desc", MAX_DESCRIPTION + 128))
    if desc is None:
        desc = describe()
        keep(folder / f"{digest}.desc", framed(_DESC_MAGIC, desc.encode("utf-8")))
    _MEMO[digest] = (packed, desc)
    return packed, desc


def _description(entry: bytes | None) -> str | None:
    """The description in a framed entry, or None if it is missing or damaged in any way."""
    from pagesetter.fonts.cache import body_start

    start = body_start(_DESC_MAGIC, entry)
    if entry is None or start is None or len(entry) - start > MAX_DESCRIPTION:
        return None
    try:
        desc = entry[start:].decode("utf-8")
    except UnicodeDecodeError:
        return None
    return desc if desc.strip() else None
