"""Cut subsets kept on disk (子集缓存): a warm build reuses the font program it embedded last time
instead of asking HarfBuzz to cut it again (~20 ms and ~14 MiB for the sample page's body face).

    subsets/<key>.bin    one FontProgram; key = sha256 of (font file sha256, face index, the
                         sorted characters, the subsetter's settings, HarfBuzz's build and zlib's
                         versions, VERSION); the program and its zlib-compressed stream

An entry is a header line naming the format and the CRC-32 of the rest, a JSON line of the
program's small fields and the sizes of what follows, then binary runs: its tables (characters,
codes, widths, texts), the program bytes, the program compressed, and the caller's extras (the
renderer's ready-made /W array and compressed ToUnicode CMap, fonts.subset.Extras). An entry whose digest, JSON or fields do not check
out is ignored and cut again (then rewritten); nothing read from the cache is trusted unchecked.
Written with the project's one atomic writer, so a reader never sees half an entry.
"""
from __future__ import annotations

import hashlib
import itertools
import json
import os
import struct
import zlib
from pathlib import Path

from pagesetter.fonts.cache import body_start, framed, harfbuzz_build, read_entry
from pagesetter.fonts.cache import keep as store_entry

MAX_ENTRIES = 256  # the least recently used beyond this are removed when one is added (~100 MB)
VERSION = 4  # 2: the compressed program kept beside it; 4: binary tables and the caller's extras
_MAGIC = b"pagesetter-subset"


def entry_path(cache_dir: Path, font_sha256: str, index: int, chars: list[str], settings: str) -> Path:
    """Where the subset of face `index` of the font with that hash, for `chars`, is kept."""
    key = json.dumps([VERSION, harfbuzz_build(), zlib.ZLIB_VERSION, font_sha256, index,
                      "".join(chars), settings], ensure_ascii=True)
    return Path(cache_dir) / "subsets" / (hashlib.sha256(key.encode()).hexdigest() + ".bin")


def encode(program, extras_tag: str = "") -> bytes:
    """The bytes of a cache entry for a FontProgram (with its extras, made under `extras_tag`).
    Its tables are binary runs, read back by zip at C speed (JSON parsing of ~1,500 codes, widths
    and texts was most of a warm build's font loading): characters as UTF-8, codes as
    uint32, widths as doubles (the very floats), all little-endian."""
    chars, codes = list(program.codes), list(program.codes.values())
    wcodes, utext = list(program.widths), list(program.to_unicode)
    texts = [program.to_unicode[c] for c in utext]
    extras = sorted(program.extras.items())
    blobs = [_text(chars), _ints(codes), _ints(wcodes), struct.pack(f"<{len(wcodes)}d", *program.widths.values()),
             _ints(utext), _ints([len(t) for t in texts]), _text(texts), program.data, program.packed,
             *(blob for _, blob in extras)]
    fields = {"kind": program.kind, "base_name": program.base_name, "sizes": [len(b) for b in blobs],
              "extras": [name for name, _ in extras], "extras_tag": extras_tag}
    body = json.dumps(fields, ensure_ascii=True, separators=(",", ":")).encode() + b"\n" + b"".join(blobs)
    return framed(_MAGIC + b" %d" % VERSION, body)


def _text(texts: list[str]) -> bytes:
    return "".join(texts).encode("utf-8")  # (UTF-8: the one codec Python has without an import)


def _ints(values: list[int]) -> bytes:
    return struct.pack(f"<{len(values)}I", *values)


def decode(raw: bytes | None, program_type, extras_tag: str = ""):
    """The FontProgram in a cache entry, or None if the entry is damaged in any way; its extras
    only if they were made under `extras_tag`."""
    # memoryview slices: the ~1 MB entry is not copied for the check and again per part
    first = body_start(_MAGIC + b" %d" % VERSION, raw)
    if raw is None or first is None:
        return None
    second = raw.find(b"\n", first)
    if second < 0:
        return None
    text, rest = raw[first:second], memoryview(raw)[second + 1:]
    try:
        f = json.loads(text)
        kind, base, sizes, names = f["kind"], f["base_name"], f["sizes"], f["extras"]
        ends = list(itertools.accumulate(sizes))
        if len(sizes) != 9 + len(names) or ends[-1] != len(rest) or min(sizes) < 0:
            return None
        blobs = [bytes(rest[e - n:e]) for e, n in zip(ends, sizes)]
        chars, codes = blobs[0].decode("utf-8"), _unints(blobs[1])
        wcodes, widths = _unints(blobs[2]), struct.unpack(f"<{len(blobs[3]) // 8}d", blobs[3])
        utext, lengths, texts = _unints(blobs[4]), _unints(blobs[5]), blobs[6].decode("utf-8")
    except (ValueError, KeyError, IndexError, TypeError, struct.error):  # (UnicodeDecodeError: a ValueError)
        return None
    if (kind not in ("cff", "glyf") or not isinstance(base, str) or not blobs[7]
            or len(chars) != len(codes) or len(wcodes) != len(widths) or len(utext) != len(lengths)
            or sum(lengths) != len(texts)):
        return None
    if lengths.count(1) == len(lengths):  # one character each, as a rule: zipped at C speed
        to_unicode = dict(zip(utext, texts))
    else:
        starts = itertools.accumulate(lengths, initial=0)
        to_unicode = dict(zip(utext, (texts[a:a + n] for a, n in zip(starts, lengths))))
    extras = dict(zip(names, blobs[9:])) if f.get("extras_tag") == extras_tag and extras_tag else {}
    return program_type(blobs[7], kind, base, dict(zip(chars, codes)), dict(zip(wcodes, widths)),
                        to_unicode, blobs[8], extras)


def _unints(blob: bytes) -> tuple:
    return struct.unpack(f"<{len(blob) // 4}I", blob)


def load(path: Path, program_type, extras_tag: str = ""):
    """The cached FontProgram at `path`, or None (missing, unreadable or damaged)."""
    program = decode(read_entry(path), program_type, extras_tag)
    if program is not None:
        try:
            os.utime(path)  # recently used: kept when the folder is pruned
        except OSError:
            pass
    return program


def store(path: Path, program, extras_tag: str = "") -> None:
    """Keep `program` at `path` (then prune the folder); an unwritable cache folder only costs the reuse."""
    store_entry(path, encode(program, extras_tag))
    try:
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
