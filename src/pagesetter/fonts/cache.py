"""The on-disk cache of prepared faces: content hashes, entry keys and atomic writes.

Layout of the cache folder (see `pagesetter.fonts.prepare.default_cache_dir`):

    file-hashes.json             {absolute font path: {size, mtime_ns, sha256, family:<index>}}
                                 so a warm build neither re-reads 20 MB font files nor parses
                                 them for their names
    faces/<stem>-<index>-<key>.ttf   the TrueType subset
    faces/<stem>-<index>-<key>.json  its metrics; written last, so it marks a complete entry

An entry is trusted only if its JSON parses, names the same key and the .ttf's size and sha256
match what the JSON recorded; anything else is rebuilt. Every file is written to a temporary
name and moved into place with os.replace (pagesetter.outputs), so a killed build never leaves
half a file.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

HASH_INDEX = "file-hashes.json"
# Bump when fonts.convert.build_subset's output changes for the same input: it is part of the key.
CONVERTER_VERSION = 2
ENTRY_DIR = "faces"


MAX_FONT_BYTES = 1 << 30  # the largest CJK collections are about 120 MB


def file_sha256(path: Path) -> str:
    """sha256 of the file's bytes, read in 1 MiB blocks; a file over MAX_FONT_BYTES (counted while
    reading) is a FontError."""
    from pagesetter.errors import FontError

    digest, total = hashlib.sha256(), 0
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            total += len(block)
            if total > MAX_FONT_BYTES:
                raise FontError.at(f"font file is over the {MAX_FONT_BYTES:,}-byte limit", path,
                                   fix="use the font file itself (a .ttf, .otf or .ttc of at most a few hundred MB)")
            digest.update(block)
    return digest.hexdigest()


def default_cache_dir() -> Path:
    """$PAGESETTER_CACHE, else $XDG_CACHE_HOME/pagesetter, else ~/.cache/pagesetter."""
    if os.environ.get("PAGESETTER_CACHE"):
        return Path(os.environ["PAGESETTER_CACHE"])
    if os.environ.get("XDG_CACHE_HOME"):
        return Path(os.environ["XDG_CACHE_HOME"]) / "pagesetter"
    return Path.home() / ".cache" / "pagesetter"


def remember(path: Path, cache_dir: Path, fact: str, compute):
    """A fact about a font file (its hash, a face's family name), memoised in the cache folder
    per (path, size, mtime_ns); computed again when the file changes. An unwritable cache folder
    only costs the memo."""
    path = Path(path).resolve()
    stat = path.stat()
    index_file = cache_dir / HASH_INDEX
    index = read_json(index_file)
    if not isinstance(index, dict):
        index = {}
    record = index.get(str(path))
    if not (isinstance(record, dict) and record.get("size") == stat.st_size
            and record.get("mtime_ns") == stat.st_mtime_ns):
        record = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    if not isinstance(record.get(fact), str):
        record[fact] = compute()
        index[str(path)] = record
        try:
            atomic_write(index_file, json.dumps(index, sort_keys=True, indent=0).encode())
        except OSError:
            pass
    return record[fact]


def content_hash(path: Path, cache_dir: Path) -> str:
    """sha256 of the font file, memoised in the cache folder per (path, size, mtime_ns)."""
    return remember(path, cache_dir, "sha256", lambda: file_sha256(path))


def entry_key(font_sha256: str, index: int, chars: frozenset[str], version: int) -> str:
    """The cache key of a prepared face: font content, face index, character set, converter."""
    material = json.dumps(
        {"font": font_sha256, "index": index, "chars": "".join(sorted(chars)), "v": version},
        sort_keys=True,
    )
    return hashlib.sha256(material.encode("ascii")).hexdigest()


def entry_paths(cache_dir: Path, font_path: Path, index: int, key: str) -> tuple[Path, Path]:
    """(.ttf, .json) paths of a cache entry; the font's file stem is there for people only."""
    stem = "".join(c if c.isalnum() or c in "-_" else "_" for c in Path(font_path).stem)[:40]
    base = cache_dir / ENTRY_DIR / f"{stem}-{index}-{key[:32]}"
    return base.with_suffix(".ttf"), base.with_suffix(".json")


def read_entry(ttf: Path, meta: Path, key: str) -> dict[str, Any] | None:
    """The entry's metadata if the entry is complete and intact, else None (so: rebuild)."""
    data = read_json(meta)
    if not isinstance(data, dict) or data.get("key") != key:
        return None
    try:
        if ttf.stat().st_size != data.get("ttf_size") or file_sha256(ttf) != data.get("ttf_sha256"):
            return None
    except OSError:
        return None
    return data


def write_entry(ttf: Path, meta: Path, font_data: bytes, data: dict[str, Any]) -> None:
    """Write the .ttf, then the .json that vouches for it (size and sha256), both atomically."""
    atomic_write(ttf, font_data)
    data = dict(data, ttf_size=len(font_data), ttf_sha256=hashlib.sha256(font_data).hexdigest())
    atomic_write(meta, json.dumps(data, sort_keys=True, indent=1).encode("ascii"))


def read_json(path: Path) -> Any:
    """The parsed JSON file, or None if it is missing or not valid JSON."""
    try:
        return json.loads(Path(path).read_bytes())
    except (OSError, ValueError):
        return None


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` via a temporary file in the same folder and os.replace (the project's
    one writer, `pagesetter.outputs.write_atomically`)."""
    from pagesetter.outputs import write_atomically

    write_atomically(Path(path), data)
