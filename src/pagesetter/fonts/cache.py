"""The on-disk font cache: facts about font files, memoised so a build need not re-read them.

    file-hashes.json   {absolute font path: {size, mtime_ns, sha256, family:<index>}}
                       so a build neither re-hashes 20 MB font files nor parses them for names

Prepared faces are no longer cached: their metrics and the embedded subsets are cut straight
from the font file each build (HarfBuzz, milliseconds), so there is nothing converted to keep.
Files are written to a temporary name and moved into place with os.replace.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

HASH_INDEX = "file-hashes.json"


def file_sha256(path: Path) -> str:
    """sha256 of the file's bytes, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
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


def read_json(path: Path) -> Any:
    """The parsed JSON file, or None if it is missing or not valid JSON."""
    try:
        return json.loads(Path(path).read_bytes())
    except (OSError, ValueError):
        return None


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` via a temporary file in the same folder and os.replace."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; the cache may be shared by a team's builds
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
