"""Cut subsets kept on disk (子集缓存): a warm build reuses the font program it embedded last time
instead of asking HarfBuzz to cut it again (~20 ms and ~14 MiB for the sample page's body face).

    subsets/<key>.bin    one FontProgram; key = sha256 of (font file sha256, face index, the
                         sorted characters, the subsetter's settings, HarfBuzz's build and zlib's
                         versions, VERSION); the program and its zlib-compressed stream

An entry is a header line naming the format and the sha256 of the rest, a JSON line of the
program's small fields, then the program bytes. An entry whose digest, JSON or fields do not check
out is ignored and cut again (then rewritten); nothing read from the cache is trusted unchecked.
Written with the project's one atomic writer, so a reader never sees half an entry.
"""
from __future__ import annotations

import hashlib
import json
import os
import zlib
from pathlib import Path

MAX_ENTRIES = 256  # the least recently used beyond this are removed when one is added (~100 MB)
VERSION = 2  # 2: the compressed program kept beside it
_MAGIC = b"pagesetter-subset"


def entry_path(cache_dir: Path, font_sha256: str, index: int, chars: list[str], settings: str) -> Path:
    """Where the subset of face `index` of the font with that hash, for `chars`, is kept."""
    from pagesetter.fonts.cache import harfbuzz_build

    key = json.dumps([VERSION, harfbuzz_build(), zlib.ZLIB_VERSION, font_sha256, index,
                      "".join(chars), settings], ensure_ascii=True)
    return Path(cache_dir) / "subsets" / (hashlib.sha256(key.encode()).hexdigest() + ".bin")


def encode(program) -> bytes:
    """The bytes of a cache entry for a FontProgram."""
    fields = {"kind": program.kind, "base_name": program.base_name,
              "codes": sorted(program.codes.items()), "widths": sorted(program.widths.items()),
              "to_unicode": sorted(program.to_unicode.items()), "data_len": len(program.data)}
    body = (json.dumps(fields, ensure_ascii=True, separators=(",", ":")).encode() + b"\n"
            + program.data + program.packed)
    return _MAGIC + b" " + str(VERSION).encode() + b" " + hashlib.sha256(body).hexdigest().encode() + b"\n" + body


def decode(raw: bytes, program_type):
    """The FontProgram in a cache entry, or None if the entry is damaged in any way."""
    head, sep, body = raw.partition(b"\n")
    parts = head.split(b" ")
    if not sep or len(parts) != 3 or parts[0] != _MAGIC or parts[1] != str(VERSION).encode():
        return None
    if hashlib.sha256(body).hexdigest().encode() != parts[2]:
        return None
    text, sep, data = body.partition(b"\n")
    try:
        f = json.loads(text)
        codes = {str(ch): int(code) for ch, code in f["codes"]}
        widths = {int(code): float(w) if isinstance(w, float) else int(w) for code, w in f["widths"]}
        to_unicode = {int(code): str(t) for code, t in f["to_unicode"]}
        kind, base, size = f["kind"], f["base_name"], int(f["data_len"])
    except (ValueError, KeyError, TypeError):
        return None
    if not sep or kind not in ("cff", "glyf") or not isinstance(base, str) or not 0 < size <= len(data):
        return None
    return program_type(data[:size], kind, base, codes, widths, to_unicode, data[size:])


def load(path: Path, program_type):
    """The cached FontProgram at `path`, or None (missing, unreadable or damaged)."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    program = decode(raw, program_type)
    if program is not None:
        try:
            os.utime(path)  # recently used: kept when the folder is pruned
        except OSError:
            pass
    return program


def store(path: Path, program) -> None:
    """Keep `program` at `path`; an unwritable cache folder only costs the reuse."""
    from pagesetter.fonts.cache import atomic_write

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, encode(program))
        prune(path.parent)
    except OSError:
        pass


def prune(folder: Path, keep: int | None = None) -> None:
    """Remove the least recently used entries beyond `keep` (MAX_ENTRIES): each new set of
    characters is a new entry, so without this the folder would only grow."""
    keep = MAX_ENTRIES if keep is None else keep
    entries = []
    for entry in folder.glob("*.bin"):
        try:
            entries.append((entry.stat().st_mtime_ns, entry.name, entry))
        except OSError:
            continue
    for _, _, entry in sorted(entries, reverse=True)[keep:]:
        try:
            entry.unlink()
        except OSError:
            pass
