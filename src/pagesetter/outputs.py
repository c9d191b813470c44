"""Where a command may write, and the one way it writes: a set of files, all or nothing.

Every command that writes (build, render, diff, init) goes through here:

- `check_targets` refuses a bad output path before any work: a folder, a path below a file, a
  name too long, two outputs of one run on the same path (`-o out/page.png` would otherwise let
  the PNG preview overwrite the PDF). Exit 2, naming the path and the fix.
- `guard` refuses an output that is an input of the same run (the spec, an article, a picture,
  a font, the PDF being read), compared by resolved path and by device and inode, so a symbolic
  or hard link to an input counts as the input.
- `write_set` writes every file to a unique temporary name in its target folder, then, holding a
  lock on each folder, renames them all into place; if anything fails, the files already renamed
  are put back, so the old set stays as it was and no temporary file is left. Concurrent runs
  writing the same outputs each succeed (the last one wins), never leaving a mix of two runs.
  `write_atomically` is the one-file case (the font cache uses it too). Temporary files a killed
  run left (kill -9) are swept by the next write of the same output once an hour old.
- A set with a report (a build's `<name>.report.json`, its 台账) records there every member's size
  and SHA-256 (`set_record`). The next write of that set replaces or removes only files that are
  members of it as they were written (`Ledger`): a file of the same name that pagesetter did not
  write, or that was changed since, is refused (exit 2), never replaced; one that is no longer
  part of the set (the preview after `--no-png`, a page an edition dropped) is removed only if it
  is still that member, and only from the set's own names (`<name>.*`, `<name>/*`).
- `output_path`: a `-o` naming a folder (an existing one, or a name ending in /) means the
  default file name inside it.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import stat
from contextlib import ExitStack
from pathlib import Path
from typing import Iterable, Mapping

from .errors import OutputError, PagesetterError, Problem
from .files import os_problem, unusable_character
from .records import record

NAME_MAX = 255


def _name_max(folder: Path) -> int:
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError):
        return NAME_MAX


def _existing_ancestor(path: Path) -> Path:
    for parent in path.parents:
        if os.path.lexists(parent):
            return parent
    return Path(".")


def _too_long(role: str, path: Path, longest: int, limit: int) -> Problem:
    return Problem(f"cannot write {role}: the file name is too long ({longest} bytes)", path,
                   fix=f"use a shorter name (at most {limit} bytes)")


def target_problem(path: Path, role: str) -> Problem | None:
    """Why `path` cannot take `role` (e.g. "the PDF"), or None; looks, never writes."""
    path = Path(path)
    fix = f"give a file path for {role}"
    if not path.name or path.name in (".", ".."):
        return Problem(f"cannot write {role}: the path names no file", str(path), fix=fix)
    for part in path.parts:
        bad = unusable_character(part)
        if bad:
            return Problem(f"cannot write {role}: the name {part!r} holds {bad}", repr(str(path)),
                           fix="give a path without control or format characters (a newline pasted by mistake?)")
    try:
        longest = max((len(os.fsencode(p)) for p in path.parts), default=0)
        if longest > NAME_MAX or len(os.fsencode(str(path))) >= 4096:
            return _too_long(role, path, longest, NAME_MAX)
        if path.is_dir():
            return Problem(f"cannot write {role}: the path is a folder", path, fix=f"{fix} (a name inside the folder)")
        if path.exists() and not path.is_file():
            return Problem(f"cannot write {role}: the path is a device, pipe or socket, not a file", path, fix=fix)
        ancestor = _existing_ancestor(path)
        if not ancestor.is_dir():
            return Problem(f"cannot write {role}: {ancestor} is a file, not a folder", path,
                           fix="write beside the file, not below it")
        if longest > _name_max(ancestor):  # this file system's own limit
            return _too_long(role, path, longest, _name_max(ancestor))
        if os.statvfs(ancestor).f_flag & os.ST_RDONLY:
            return Problem(f"cannot write {role}: {ancestor} is on a read-only file system", path,
                           fix="write to a folder on a writable disk, e.g. -o out/page.pdf")
        if not os.access(ancestor, os.W_OK | os.X_OK):
            return Problem(f"cannot write {role}: no permission to write in {ancestor}", path,
                           fix="choose a folder you may write to, or change its permissions")
    except OSError as exc:
        return os_problem(exc, path, role, "write")
    return None


def _identity(path: Path) -> tuple:
    """The keys a file is known by: its resolved path and, if it exists, (device, inode)."""
    resolved = os.path.realpath(path)
    try:
        st = os.stat(path)
        return resolved, (st.st_dev, st.st_ino)
    except OSError:
        return (resolved,)


def _known(table: dict, keys: tuple):
    return next((table[k] for k in keys if k in table), None)


Targets = Mapping[Path, str] | Iterable[tuple[Path, str]]


def _pairs(targets: Targets) -> list[tuple[Path, str]]:
    return [(Path(p), r) for p, r in (targets.items() if isinstance(targets, Mapping) else targets)]


def check_targets(targets: Targets) -> None:
    """Refuse bad output paths and two outputs on one path (exit 2), before any work is done.
    `targets` are (path, role) pairs: a mapping would hide two roles on one path."""
    pairs = _pairs(targets)
    problems, folders = [], set()
    for path, role in pairs:
        if path.parent not in folders and (problem := target_problem(path, role)) is not None:
            problems.append(problem)
            folders.add(path.parent)  # one message per folder: the others would repeat it
    seen: dict = {}
    for path, role in pairs:
        keys = _identity(path)
        other = _known(seen, keys)
        if other is not None:
            problems.append(Problem(f"{role} and {other[1]} would both be written to this path; one would "
                                    "overwrite the other", path, fix="give each output a path of its own; for build, end "
                                    "the PDF's name in .pdf (-o out/page.pdf): its preview and report are "
                                    "named after it"))
            continue
        seen.update(dict.fromkeys(keys, (path, role)))
    if problems:
        raise OutputError(*problems)


def guard(targets: Targets, inputs: Mapping[Path, str] | Iterable[Path]) -> None:
    """Refuse (exit 2) any output that is an input of the same run, however it is reached."""
    if not isinstance(inputs, Mapping):
        inputs = {Path(p): "an input" for p in inputs}
    known: dict = {}
    for path, what in inputs.items():
        for key in _identity(path):
            known.setdefault(key, (path, what))
    problems = []
    for path, role in _pairs(targets):
        hit = _known(known, _identity(path))
        if hit is not None:
            via = "" if str(hit[0]) == str(path) else f" ({hit[0]})"
            problems.append(Problem(f"{role} would overwrite {hit[1]}{via}, an input of this run", path,
                                    fix="choose another output path (pagesetter never writes over "
                                    "its own inputs)"))
    if problems:
        raise OutputError(*problems)


def _mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _sibling(path: Path, suffix: str) -> str:
    """A new name beside `path`, `.<name>.<8 random characters><suffix>`: what tempfile.mkstemp
    and mktemp would name it (and _sweep recognises). Speed: importing tempfile (with shutil,
    bz2, lzma and random) cost ~4 ms, 2 % of a warm build, for these two names."""
    return os.path.join(path.parent, f".{path.name[:200]}.{os.urandom(4).hex()}{suffix}")


def _create(path: Path) -> tuple[int, str]:
    """(descriptor, name) of a new empty file beside `path`, readable by its owner only, as
    tempfile.mkstemp makes it: created exclusively, a symbolic link never followed."""
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        name = _sibling(path, ".tmp")
        try:
            return os.open(name, flags, 0o600), name
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {path}")


def _write_temp(path: Path, data: bytes, mode: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _create(path)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def _lock(stack: ExitStack, folder: Path) -> None:
    """An exclusive lock on the folder itself (flock on its descriptor), released by `stack`."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    stack.callback(os.close, fd)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
    except OSError:
        return
    stack.callback(fcntl.flock, fd, fcntl.LOCK_UN)


def _backup(path: Path) -> Path | None:
    """A hard link to the file now at `path` (to put it back), or None if there is none."""
    if not os.path.lexists(path):
        return None
    name = _sibling(path, ".old")
    try:
        os.link(path, name, follow_symlinks=False)
    except OSError:
        return None
    return Path(name)


REPORT_LIMIT = 64 << 20  # a set's report: an edition of hundreds of pages is a few MB
REPORT_SUFFIX = ".report.json"
SET_KEY = "outputs"  # the report's record of its set's members


def digest(data: bytes) -> dict:
    """What a set's report keeps of a member: its size and SHA-256."""
    return {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def set_record(files: Mapping[Path, bytes], report: Path) -> dict[str, dict]:
    """A set's record of its members (台账) for its report: every file but the report itself, by
    its name relative to the report's folder, with its size and SHA-256, in name order."""
    report = Path(report)
    rows = {_relative(Path(p), report): digest(d) for p, d in files.items() if Path(p) != report}
    return dict(sorted(rows.items()))


def _relative(path: Path, report: Path) -> str:
    return Path(os.path.relpath(os.path.abspath(path), os.path.abspath(report.parent))).as_posix()


def _file_digest(path: Path, size: int) -> dict | None:
    """The digest of the regular file at `path` (never followed if a link), or None."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            return None
        h = hashlib.sha256()
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return {"bytes": size, "sha256": h.hexdigest()}


def _report_kind(report: Path) -> tuple[str, dict]:
    """("none" | "ours" | "legacy" | "stranger", members) of the file at a set's report path."""
    if not os.path.lexists(report):
        return "none", {}
    from .files import read_capped

    try:
        data = json.loads(read_capped(report, "report", REPORT_LIMIT, "-").decode("utf-8"))
    except (PagesetterError, OSError, ValueError):
        return "stranger", {}
    if not isinstance(data, dict) or not ({"page", "stories"} <= data.keys() or {"edition", "pages"} <= data.keys()):
        return "stranger", {}
    members = data.get(SET_KEY)
    if members is None:
        return "legacy", {}  # written before sets kept a record: its own names count as members
    if not isinstance(members, dict) or not all(
            isinstance(k, str) and isinstance(v, dict) and isinstance(v.get("bytes"), int)
            and isinstance(v.get("sha256"), str) for k, v in members.items()):
        return "stranger", {}
    return "ours", members


@record
class Ledger:
    """The earlier set at an output (its 台账), as its report recorded it. `kind`: "none" (no report
    there), "ours" (`members`: name → size and SHA-256), "legacy" (a report of an older pagesetter,
    which kept no record: a regular file of the set's own names counts as a member) or "stranger"
    (a file at the report's path that pagesetter did not write)."""

    report: Path
    kind: str
    members: dict

    @classmethod
    def read(cls, report: Path) -> "Ledger":
        return cls(Path(report), *_report_kind(Path(report)))

    def own_name(self, path: Path) -> bool:
        """Whether `path` is one of the set's own names: `<name>`, `<name>.<ext>` (not a diff image's
        `<name>.diff.png`) or `<name>/<file>` beside the report `<name>.report.json` (never `..`,
        never a hidden file)."""
        stem = self.report.name[:-len(REPORT_SUFFIX)] if self.report.name.endswith(REPORT_SUFFIX) else self.report.stem
        parts = _relative(path, self.report).split("/")
        if any(p in ("", ".", "..") or p.startswith(".") for p in parts):
            return False
        rest = parts[0][len(stem) + 1:] if parts[0].startswith(stem + ".") else ""
        return (len(parts) == 1 and (parts[0] == stem or (bool(rest) and "." not in rest))) or \
            (len(parts) == 2 and parts[0] == stem)

    def holds(self, path: Path) -> bool:
        """Whether the file at `path` is a member of the earlier set as it was written (or is not there)."""
        path = Path(path)
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            return True
        except OSError:
            return False
        if not stat.S_ISREG(st.st_mode):  # pagesetter writes regular files: a link or a pipe is someone's
            return False
        if os.path.abspath(path) == os.path.abspath(self.report):
            return self.kind in ("ours", "legacy")
        if not self.own_name(path):
            return False
        if self.kind == "legacy":
            return True
        member = self.members.get(_relative(path, self.report))
        return member is not None and member.get("bytes") == st.st_size and _file_digest(path, st.st_size) == member

    def problems(self, targets: Targets) -> list[Problem]:
        """A problem for each target that would replace a file this set did not write."""
        out = []
        for path, role in _pairs(targets):
            if not self.holds(path):
                out.append(Problem(f"{role} would replace {path.name}, which {self._why(path)}", path,
                                   fix="move or delete that file if it may go, or choose another output path (-o)"))
        return out

    def _why(self, path: Path) -> str:
        if self.kind == "ours" and _relative(path, self.report) in self.members:
            return "was changed since pagesetter wrote it"
        if self.kind in ("ours", "legacy"):
            return f"pagesetter did not write (it is not in the set recorded in {self.report.name})"
        return "pagesetter did not write"

    def leftovers(self, keep: Iterable[Path], asked: Iterable[Path] = ()) -> list[Path]:
        """Files of the earlier set that the new one does not have (a preview after --no-png, a page
        an edition no longer has): each only if it is still the member written. `asked`: what the
        caller knows is out of date (with a legacy report, the only ones taken)."""
        kept = {os.path.abspath(p) for p in keep}
        names = [self.report.parent / m for m in self.members] if self.kind == "ours" else []
        out = []
        for path in [*names, *map(Path, asked)]:
            if os.path.abspath(path) not in kept and os.path.lexists(path) and path not in out \
                    and self.kind in ("ours", "legacy") and self.holds(path):
                out.append(path)
        return out


def check_owned(targets: Targets, report: Path) -> None:
    """Refuse (exit 2) before any work a target that would replace a file the set at `report` did
    not write; read under the folders' locks, so a concurrent run's set is seen whole."""
    pairs = _pairs(targets)
    with ExitStack() as stack:
        for folder in sorted({str(p.parent) for p, _ in pairs if os.path.isdir(p.parent)}):
            _lock(stack, Path(folder))
        problems = Ledger.read(report).problems(pairs)
    if problems:
        raise PagesetterError(*problems)


def output_path(given: str | os.PathLike | None, default: Path) -> Path:
    """The output a `-o` names: None → `default`; a folder — an existing one, or a name ending in
    a slash — → the default's file name inside it."""
    if given is None:
        return Path(default)
    text = os.fspath(given)
    if text.endswith(os.sep) or (os.sep == "\\" and text.endswith("/")) or (text and os.path.isdir(text)):
        return Path(text) / Path(default).name
    return Path(text)


def write_set(files: Mapping[Path, bytes], remove: Iterable[Path] = (), mode: int | None = None,
              ledger: Path | None = None, inputs: Iterable[Path] = ()) -> None:
    """Put every file of `files` in place and delete every path in `remove`, all or nothing. The
    files get `mode`, by default what the umask allows (0o666 & ~umask), as `open` would give.
    With `ledger` (the set's report, one of `files`), only files of the earlier set it recorded
    are replaced or removed (see `Ledger`), checked under the folders' locks, and never one of
    `inputs` (however reached: a link counts as its file)."""
    files = {Path(p): d for p, d in files.items()}
    remove = [Path(p) for p in remove if os.path.lexists(p) and Path(p) not in files]
    temps: dict[Path, Path] = {}
    done: list[tuple[Path, Path | None]] = []  # (target, backup) in the order they were changed
    backups: list[Path] = []
    mode = _mode() if mode is None else mode
    path = None
    try:
        for path, data in files.items():
            temps[path] = _write_temp(path, data, mode)
        with ExitStack() as stack:
            for folder in sorted({str(p.parent) for p in [*files, *remove]}):
                _lock(stack, Path(folder))
            if ledger is not None:
                read = {k for p in inputs for k in _identity(Path(p))}
                remove = [p for p in _owned(files, remove, Path(ledger)) if not read & set(_identity(p))]
            for path in [*files, *remove]:
                old = _backup(path)
                if old is not None:
                    backups.append(old)
                if path in temps:
                    os.replace(temps[path], path)
                    del temps[path]
                else:
                    os.unlink(path)
                done.append((path, old))
    except BaseException as exc:
        if isinstance(exc, OSError) and path is not None:
            exc.filename = str(path)  # the user's path, not the temporary name
        for path, old in reversed(done):  # put the old set back
            try:
                if old is not None:
                    os.replace(old, path)
                elif path in files:
                    os.unlink(path)
            except OSError:
                pass
        raise
    finally:
        for tmp in [*temps.values(), *backups]:
            try:
                os.unlink(tmp)
            except OSError:
                pass
    _sweep(files)
    if ledger is None:
        _adopt(files)


def _reports_of(path: Path) -> list[Path]:
    """The reports whose sets may hold `path`: `<name>.report.json` for `<name>.png`, and for a page
    of an edition, `<edition>/NN-….png`, `<edition>.report.json`."""
    out = []
    for named in (path, Path(os.path.abspath(path)).parent):
        try:
            out.append(named.with_suffix(REPORT_SUFFIX))
        except ValueError:  # no name to put a suffix on ("/", ".")
            pass
    return out


def _adopt(files: Mapping[Path, bytes]) -> None:
    """A file another command writes at one of a set's own names (`render out/p.pdf` writes the
    build's preview out/p.png, also after a `--no-png` build that recorded none) is pagesetter's
    too: the set's record takes its size and hash, so the next build replaces it as its own."""
    for path, data in files.items():
        for report in _reports_of(path):
            if report == path or not os.path.isfile(report):
                continue
            earlier = Ledger.read(report)
            name = _relative(path, report)
            if earlier.kind != "ours" or not earlier.own_name(path):
                continue
            from .files import read_capped

            whole = json.loads(read_capped(report, "report", REPORT_LIMIT, "-").decode("utf-8"))
            whole[SET_KEY][name] = digest(data)
            write_set({report: (json.dumps(whole, ensure_ascii=False, indent=1) + "\n").encode("utf-8")})


def _owned(files: Mapping[Path, bytes], remove: list[Path], report: Path) -> list[Path]:
    """Under the locks: refuse a target the earlier set did not write; what of it may be removed."""
    earlier = Ledger.read(report)
    problems = earlier.problems([(p, "this output") for p in files])
    if problems:
        raise PagesetterError(*problems)
    return earlier.leftovers(files, remove)


STALE_SECONDS = 3600  # a temporary file this old is left by a killed run (kill -9), never by a live one


def _sweep(files: Iterable[Path]) -> None:
    """Remove the temporary files a killed run left beside these targets (`.<name>.<random>.tmp`
    and `.old`, over an hour old); a run in progress is never that old. (Names compared as
    strings: a glob pattern would compile a regular expression per target, each build.)"""
    import time

    limit = time.time() - STALE_SECONDS
    for path in files:
        stem = path.name[:200]
        try:
            entries = list(os.scandir(path.parent))
        except OSError:
            continue
        for entry in entries:
            name = entry.name
            if not (name.startswith(f".{stem}.") and name.endswith((".tmp", ".old"))
                    and len(name) == len(stem) + 14):
                continue
            try:
                if entry.is_file(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_mtime < limit:
                    os.unlink(entry.path)
            except OSError:
                pass


def write_atomically(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write one file via a temporary file and rename, so no reader ever sees half of it."""
    write_set({Path(path): data}, mode=mode)


__all__ = ["check_targets", "check_owned", "guard", "output_path", "set_record", "write_set", "write_atomically",
           "target_problem", "Ledger"]
