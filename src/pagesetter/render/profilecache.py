"""The output profile as the PDF embeds it (输出意图的ICC), compressed once and kept: zlib over a
~150 KB CMYK profile and reading its description with Pillow cost a build more than the rest of
the output intent together.

    profiles/<sha256 of the profile>-zlib<zlib version>-2.z   a header line (format, CRC-32 of
                                                           the rest), then the profile
                                                           zlib-compressed (as ReportLab would)
    profiles/<sha256 of the profile>.txt                   its description (UTF-8)

Entries are checked before use: the compressed one against its CRC-32 (cheaper than decompressing
it to compare: its name already says whose bytes it holds), the description must be non-empty
UTF-8; anything else is made again and rewritten. The profile's sha256 comes from the file-fact
cache (fonts.cache.content_hash, per path, size and mtime), so a warm build reads no profile at
all. Also memoised in-process, for `watch` and editions.
"""
from __future__ import annotations

import zlib
from pathlib import Path

_MEMO: dict[str, tuple[bytes, str]] = {}
_MAGIC = b"pagesetter-profile 2"


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
    packed = entry[start:] if start is not None and start < len(entry) else None
    if packed is None:
        packed = zlib.compress(read())
        keep(folder / name, framed(_MAGIC, packed))
    text = read_entry(folder / f"{digest}.txt")
    try:
        desc = text.decode("utf-8") if text else ""
    except UnicodeDecodeError:
        desc = ""
    if not desc.strip():
        desc = describe()
        keep(folder / f"{digest}.txt", desc.encode("utf-8"))
    _MEMO[digest] = (packed, desc)
    return packed, desc
