"""The on-disk font cache: facts about font files, memoised so a build need not re-read them.

    file-hashes.json   {absolute font path: {size, mtime_ns, ino, ctime_ns, sha256, family:<index>,
                       faceinfo<N>:<index>}} so a build neither re-hashes 20 MB font files nor
                       parses them for names and header facts (fonts.roles, fonts.faceinfo)
    metrics/           each face's advances and ink extents per character (fonts.metricscache)
    subsets/           cut font programs, ready to embed (fonts.subsetcache)
    profiles/          the output profile compressed, and its description (render.profilecache)

Metrics, subsets and the profile are keyed by the font's (or profile's) sha256 from the index, so
the index's test of "same file" decides: the same path, size, modification time, inode and
status-change time (a file edited in place and dated back, or another file renamed over it,
changes the last two). Every entry is checked when read and made again if damaged: only a regular
file is read (a named pipe, a device or a link to one is damaged, never opened to block or to fill
the memory: files.read_capped), at most MAX_ENTRY_BYTES of it (the index: MAX_INDEX_BYTES), and
its frame (format, version, CRC-32) must check out. Files are written to a temporary name and moved
into place with os.replace (pagesetter.outputs), which replaces a damaged entry of any kind.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

HASH_INDEX = "file-hashes.json"
MAX_FONT_BYTES = 1 << 30  # the largest CJK collections are about 120 MB
MAX_ENTRY_BYTES = 64 << 20  # a subset of a whole CJK face is ~20 MB; the profile, metrics: < 4 MB
MAX_INDEX_BYTES = 16 << 20  # ~300 bytes a font file
_SHA256 = re.compile(r"[0-9a-f]{64}")


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


@functools.cache
def harfbuzz_build() -> str:
    """Which HarfBuzz cuts and measures, for the cache keys: the name, size and modification time
    of uharfbuzz's compiled module (a new version or build of it is another file), found without
    importing uharfbuzz. Speed: importing it costs ~10 ms, and a warm build needs nothing else of it."""
    from importlib.util import find_spec

    spec = find_spec("uharfbuzz")
    parts = []
    for folder in (spec.submodule_search_locations or []) if spec else []:
        for name in sorted(os.listdir(folder)):
            if name.startswith("_harfbuzz.") and name.endswith((".so", ".pyd")):
                st = os.stat(os.path.join(folder, name))
                parts.append(f"{name}:{st.st_size}:{st.st_mtime_ns}")
    return ";".join(parts) or "uharfbuzz not found"


_CHOSEN: ContextVar[Path | None] = ContextVar("pagesetter_cache_dir", default=None)


def default_cache_dir() -> Path:
    """The folder a build was given (`build(cache_dir=…)`, see `chosen`), else $PAGESETTER_CACHE,
    else $XDG_CACHE_HOME/pagesetter, else ~/.cache/pagesetter."""
    given = _CHOSEN.get()
    if given is not None:
        return given
    if os.environ.get("PAGESETTER_CACHE"):
        return Path(os.environ["PAGESETTER_CACHE"])
    if os.environ.get("XDG_CACHE_HOME"):
        return Path(os.environ["XDG_CACHE_HOME"]) / "pagesetter"
    return Path.home() / ".cache" / "pagesetter"


@contextmanager
def chosen(cache_dir: str | os.PathLike | None) -> Iterator[None]:
    """Inside the block every cache (file facts, metrics, subsets, the profile) is read from and
    written to `cache_dir` (None: the default), however deep the code that reaches it: the calls
    that take a `cache_dir` (build, compose_page, compose_edition …) run their work in it. A
    context variable, so threads and other contexts keep their own."""
    if cache_dir is None:
        yield
        return
    token = _CHOSEN.set(Path(cache_dir))
    try:
        yield
    finally:
        _CHOSEN.reset(token)


def choose(cache_dir: str | os.PathLike) -> None:
    """`chosen` for the rest of a process of its own (an edition's pool worker)."""
    _CHOSEN.set(Path(cache_dir))


def remember(path: Path, cache_dir: Path, fact: str, compute, valid=None):
    """A fact about a font file (its hash, a face's family name), memoised in the cache folder
    per (path, size, mtime_ns, inode, ctime_ns); computed again when the file changes, or when
    `valid(text)` says the stored text is damaged. An unwritable cache folder only costs the memo."""
    key = os.path.realpath(path)  # (os.path, not pathlib: called ~15 times a build)
    stat = os.stat(key)
    index_file = Path(cache_dir) / HASH_INDEX
    index = _read_index(index_file)
    record = index.get(key)
    same = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "ino": stat.st_ino, "ctime_ns": stat.st_ctime_ns}
    if not (isinstance(record, dict) and all(record.get(k) == v for k, v in same.items())):
        record = same
    if not isinstance(record.get(fact), str) or (valid is not None and not valid(record[fact])):
        record[fact] = compute()
        # files deleted since leave the index (every warm build parses it); a path whose folder
        # this process cannot see at all stays (a cache shared with a container or another host)
        for gone in [k for k in index if k != key and _deleted(k)]:
            del index[gone]
        index[key] = record
        try:
            atomic_write(index_file, json.dumps(index, sort_keys=True, indent=0).encode())
            _INDEX_MEMO[index_file] = (_stamp(index_file), index)
        except OSError:
            pass
    return record[fact]


def _deleted(path: str) -> bool:
    return not os.path.exists(path) and os.path.isdir(os.path.dirname(path))


_INDEX_MEMO: dict[Path, tuple[tuple, dict]] = {}


def _read_index(index_file: Path) -> dict:
    """The parsed fact index, parsed again only when the file changed (same size, mtime_ns and
    inode: the one this process read or wrote last), so a build parses it once, not per fact."""
    try:
        stamp = _stamp(index_file)
    except OSError:
        return {}
    memo = _INDEX_MEMO.get(index_file)
    if memo is not None and memo[0] == stamp:
        return memo[1]
    index = read_json(index_file)
    if not isinstance(index, dict):
        index = {}
    _INDEX_MEMO[index_file] = (stamp, index)
    return index


def _stamp(index_file: Path) -> tuple[int, int, int]:
    st = index_file.stat()
    return st.st_size, st.st_mtime_ns, st.st_ino


def content_hash(path: Path, cache_dir: Path) -> str:
    """sha256 of the font file, memoised in the cache folder (see `remember`)."""
    return remember(path, cache_dir, "sha256", lambda: file_sha256(path), _SHA256.fullmatch)


def read_json(path: Path) -> Any:
    """The parsed JSON file, or None if it is missing, not a regular file, over MAX_INDEX_BYTES or
    not valid JSON."""
    data = read_entry(Path(path), MAX_INDEX_BYTES)
    try:
        return None if data is None else json.loads(data)
    except ValueError:
        return None


def framed(magic: bytes, body: bytes) -> bytes:
    """A cache entry: a header line naming its format (`magic`, with its version) and the CRC-32
    of the rest, then the rest. CRC-32, as zip and PNG check theirs: it catches a damaged or cut-short
    file as well as a cryptographic digest would, at a sixth of sha256's cost over a ~1 MB subset
    (a cache entry is no security boundary)."""
    return magic + b" crc32:%08x\n" % zlib.crc32(body) + body


def body_start(magic: bytes, entry: bytes | None) -> int | None:
    """Where the checked rest of an entry framed with `magic` starts; None if the entry is missing,
    of another format or version, or damaged. (An offset, not a slice: a subset's ~1 MB entry is
    not copied to be checked.)"""
    if entry is None:
        return None
    end = entry.find(b"\n")
    if end < 0 or entry[:end] != magic + b" crc32:%08x" % zlib.crc32(memoryview(entry)[end + 1:]):
        return None
    return end + 1


def read_entry(path: Path, limit: int = MAX_ENTRY_BYTES) -> bytes | None:
    """A cache entry's bytes, or None if it cannot be read, is not a regular file (a named pipe, a
    link to /dev/zero) or is over `limit` bytes: the entry is then made again."""
    from pagesetter.errors import PagesetterError
    from pagesetter.files import read_capped

    try:
        return read_capped(Path(path), "cache entry", limit, "")
    except (PagesetterError, OSError):
        return None


def keep(path: Path, data: bytes) -> None:
    """Store a cache entry; an unwritable cache folder only costs the reuse."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, data)
    except OSError:
        pass


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` via a temporary file in the same folder and os.replace (the project's
    one writer, `pagesetter.outputs.write_atomically`)."""
    from pagesetter.outputs import write_atomically

    write_atomically(Path(path), data, mode=0o644)  # readable by all: a team may share the cache
