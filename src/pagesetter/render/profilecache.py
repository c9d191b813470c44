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

import hashlib
import zlib
from pathlib import Path

_MEMO: dict[str, tuple[bytes, str]] = {}
_MAGIC = b"pagesetter-profile 2"


def profile_stream(path: Path, describe) -> tuple[bytes, str]:
    """(the ICC profile at `path` zlib-compressed, its description from `describe()`)."""
    from pagesetter.fonts.cache import content_hash, default_cache_dir

    return _compressed(content_hash(Path(path), default_cache_dir()), Path(path).read_bytes, describe)


def compressed_profile(profile: bytes, describe) -> tuple[bytes, str]:
    """(zlib-compressed profile, its description from `describe()`), from the cache if valid."""
    return _compressed(hashlib.sha256(profile).hexdigest(), lambda: profile, describe)


def _compressed(digest: str, read, describe) -> tuple[bytes, str]:
    """The cached pair for the profile whose sha256 is `digest`; `read()` gives its bytes."""
    if digest in _MEMO:
        return _MEMO[digest]
    from pagesetter.fonts.cache import default_cache_dir

    folder = default_cache_dir() / "profiles"
    name = f"{digest}-zlib{zlib.ZLIB_VERSION}-2.z"
    packed = _unwrap(_read(folder / name))
    if packed is None:
        packed = zlib.compress(read())
        _write(folder / name, _MAGIC + b" crc32:%08x\n" % zlib.crc32(packed) + packed)
    text = _read(folder / f"{digest}.txt")
    try:
        desc = text.decode("utf-8") if text else ""
    except UnicodeDecodeError:
        desc = ""
    if not desc.strip():
        desc = describe()
        _write(folder / f"{digest}.txt", desc.encode("utf-8"))
    _MEMO[digest] = (packed, desc)
    return packed, desc


def _unwrap(entry: bytes | None) -> bytes | None:
    """The compressed profile in a cache entry, or None if the entry is missing or damaged."""
    if entry is None:
        return None
    head, sep, packed = entry.partition(b"\n")
    if not sep or head != _MAGIC + b" crc32:%08x" % zlib.crc32(packed) or not packed:
        return None
    return packed


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _write(path: Path, data: bytes) -> None:
    from pagesetter.fonts.cache import atomic_write

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, data)
    except OSError:
        pass
