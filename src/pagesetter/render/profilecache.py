"""The output profile as the PDF embeds it (输出意图的ICC), compressed once and kept: zlib over a
~150 KB CMYK profile and reading its description with Pillow cost a build more than the rest of
the output intent together.

    profiles/<sha256 of the profile>-zlib<zlib version>.z   the profile, zlib-compressed (as
                                                           ReportLab would)
    profiles/<sha256 of the profile>.txt                   its description (UTF-8)

Entries are checked before use: the compressed one must decompress to the profile's very bytes,
the description must be non-empty UTF-8; anything else is made again and rewritten. Also memoised
in-process, for `watch` and editions.
"""
from __future__ import annotations

import hashlib
import zlib
from pathlib import Path

_MEMO: dict[bytes, tuple[bytes, str]] = {}


def compressed_profile(profile: bytes, describe) -> tuple[bytes, str]:
    """(zlib-compressed profile, its description from `describe()`), from the cache if valid."""
    digest = hashlib.sha256(profile).digest()
    if digest in _MEMO:
        return _MEMO[digest]
    from pagesetter.fonts.cache import default_cache_dir

    folder = default_cache_dir() / "profiles"
    stem = f"{digest.hex()}-zlib{zlib.ZLIB_VERSION}"
    packed = _read(folder / f"{stem}.z")
    if packed is None or not _holds(packed, profile):
        packed = zlib.compress(profile)
        _write(folder / f"{stem}.z", packed)
    text = _read(folder / f"{digest.hex()}.txt")
    try:
        desc = text.decode("utf-8") if text else ""
    except UnicodeDecodeError:
        desc = ""
    if not desc.strip():
        desc = describe()
        _write(folder / f"{digest.hex()}.txt", desc.encode("utf-8"))
    _MEMO[digest] = (packed, desc)
    return packed, desc


def _holds(packed: bytes, profile: bytes) -> bool:
    try:
        return zlib.decompress(packed) == profile
    except zlib.error:
        return False


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
