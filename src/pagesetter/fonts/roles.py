"""Face roles (song, biaosong, hei, ...) and the font files that serve them.

A newspaper page uses a handful of faces, each for a *role*: 书宋 for body text, 标宋 for
headlines, and so on. `ROLE_TABLE` is the one place that says which font files serve which role,
in order of preference. `resolve_face` turns a role into a `FaceSource` (file + TTC index):

1. the spec's `fonts:` override for the role, if any (the file must exist);
2. otherwise the first candidate file found in `search_dirs` (the project's `fonts/` folder comes
   first there), then in the system font folders. Folders are searched in order, and within a
   folder the candidates in preference order, so a face dropped into the project's folder wins
   over any system font;
3. for `fangsong` with no 仿宋 face anywhere, the `kai` face stands in, with `substitute_for`
   set so the build prints a warning: never silently.
"""
from __future__ import annotations

import fnmatch
import os
from pathlib import Path
from typing import Mapping, Sequence

from pagesetter.records import record
from pagesetter.errors import FontError, Problem

SYSTEM_FONT_DIRS: tuple[Path, ...] = (
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
    Path.home() / ".local/share/fonts",
    Path.home() / ".fonts",
)


@record
class FaceOverride:
    """What a spec's `fonts:` map gives for a role: a file (absolute, or already resolved by the
    caller against the spec's folder) and the face's index inside a .ttc collection."""

    file: Path
    index: int = 0


@record
class FaceSource:
    """One face chosen for a role: the font file, the face index in it and its family name.

    `substitute_for` is set when the face only stands in for the role's real face (e.g. the 楷
    face serving as 仿宋); it then holds the role it stands in for and `warning` says so.
    """

    role: str
    path: Path
    index: int
    family: str
    substitute_for: str | None = None

    @property
    def warning(self) -> str | None:
        """A one-line warning for the build log when this face is a substitute, else None."""
        if self.substitute_for is None:
            return None
        role = ROLE_TABLE[self.substitute_for]
        return (
            f"no {role.label} face found for role '{self.substitute_for}'; using {self.family}"
            f" ({self.path.name}) instead. Drop a {role.label} face into fonts/ or set"
            f" fonts: {{{self.substitute_for}: {{file: ...}}}} in the spec"
        )


@record
class Candidate:
    """A font file that can serve a role, found by file name (glob, matched case-insensitively)."""

    pattern: str
    index: int = 0


@record
class Role:
    """A face role: what it is used for, which files serve it and what to install when none does."""

    name: str
    label: str  # e.g. "书宋 (song)"
    use: str
    candidates: tuple[Candidate, ...]
    packages: tuple[str, ...]  # Debian packages that provide a default face
    substitute: str | None = None  # role whose face stands in when no candidate is found


def _c(*patterns: str, index: int = 0) -> tuple[Candidate, ...]:
    return tuple(Candidate(p, index) for p in patterns)


# The one table: role -> candidate files in preference order. Licensed newspaper faces (方正, by
# their conventional file names) come first, then the free faces from Debian packages.
ROLE_TABLE: Mapping[str, Role] = {
    r.name: r
    for r in (
        Role(
            "song", "书宋", "body text",
            _c("FZShuSong*", "方正书宋*")
            + _c("NotoSerifCJK-Regular.ttc", index=2)
            + _c("NotoSerifCJKsc-Regular.otf", "NotoSerifSC-Regular.otf", "NotoSerifSC-Regular.ttf")
            + _c("gbsn00lp.ttf"),
            ("fonts-noto-cjk", "fonts-arphic-gbsn00lp"),
        ),
        Role(
            "biaosong", "标宋", "headlines",
            _c("FZXiaoBiaoSong*", "FZBiaoSong*", "方正小标宋*", "方正标宋*")
            + _c("NotoSerifCJK-Black.ttc", index=2)
            + _c("NotoSerifCJKsc-Black.otf", "NotoSerifSC-Black.otf", "NotoSerifSC-Black.ttf")
            + _c("NotoSerifCJK-Bold.ttc", index=2)
            + _c("NotoSerifCJKsc-Bold.otf", "NotoSerifSC-Bold.otf", "NotoSerifSC-Bold.ttf"),
            ("fonts-noto-cjk", "fonts-noto-cjk-extra"),
        ),
        Role(
            "hei", "黑体", "captions",
            _c("FZHei-B01*", "FZHei*", "方正黑体*")
            + _c("NotoSansCJK-Regular.ttc", index=2)
            + _c("NotoSansCJKsc-Regular.otf", "NotoSansSC-Regular.otf", "NotoSansSC-Regular.ttf")
            + _c("wqy-zenhei.ttc"),
            ("fonts-noto-cjk", "fonts-wqy-zenhei"),
        ),
        Role(
            "hei-bold", "粗黑", "section leads",
            _c("FZCuHei*", "FZDaHei*", "方正粗黑*", "方正大黑*")
            + _c("NotoSansCJK-Bold.ttc", index=2)
            + _c("NotoSansCJKsc-Bold.otf", "NotoSansSC-Bold.otf", "NotoSansSC-Bold.ttf"),
            ("fonts-noto-cjk",),
        ),
        Role(
            "kai", "楷体", "bylines, commentary",
            _c("FZKai-Z03*", "FZKai*", "方正楷体*")
            # LXGW WenKai: full-size, even 楷 (its “” are proportional: set in full-width cells)
            + _c("LXGWWenKai-Regular.*", "LXGWWenKaiGB-Regular.*")
            + _c("gkai00mp.ttf")
            + _c("simkai.ttf", "STKaiti*"),
            ("fonts-lxgw-wenkai", "fonts-arphic-gkai00mp"),
        ),
        Role(
            "fangsong", "仿宋", "subtitles, quotes",
            _c("FZFangSong*", "方正仿宋*", "simfang.ttf", "STFangsong*", "STFangSong*"),
            ("fonts-lxgw-wenkai",),
            substitute="kai",
        ),
    )
}

ROLES: tuple[str, ...] = tuple(ROLE_TABLE)


def check_role(role: str) -> Role:
    """The `Role` named `role`; FontError listing the known roles (with a did-you-mean) if none."""
    try:
        return ROLE_TABLE[role]
    except KeyError:
        pass
    import difflib  # only for this error (1 ms of every build's imports otherwise)

    close = difflib.get_close_matches(str(role), ROLES, n=1, cutoff=0.5)
    hint = f"did you mean '{close[0]}'? " if close else ""
    raise FontError(Problem(
        f"unknown font role '{role}'",
        fix=f"{hint}known roles: {', '.join(ROLES)}",
    ))


def resolve_face(
    role: str,
    overrides: Mapping[str, FaceOverride] | None = None,
    search_dirs: Sequence[Path] = (),
    *,
    system_dirs: Sequence[Path] = SYSTEM_FONT_DIRS,
) -> FaceSource:
    """The face that serves `role`: the spec override, else the first candidate in `search_dirs`
    then `system_dirs`; for a role with a substitute (fangsong), the substitute's face, marked."""
    spec = check_role(role)
    override = (overrides or {}).get(role)
    if override is not None:
        return _from_override(role, override)
    dirs = [Path(d) for d in (*search_dirs, *system_dirs)]
    found = _find(spec, dirs)
    if found is not None:
        path, index = found
        return FaceSource(role, path, index, read_family(path, index, role))
    if spec.substitute is not None:
        sub = ROLE_TABLE[spec.substitute]
        found = _find(sub, dirs)
        if found is not None:
            path, index = found
            family = read_family(path, index, role)
            return FaceSource(role, path, index, family, substitute_for=role)
    packages = " ".join(spec.packages)
    raise FontError(Problem(
        f"no font found for role '{role}' ({spec.label}, {spec.use}); searched "
        + (", ".join(str(d) for d in dirs) or "no folders"),
        fix=f"apt-get install {packages}, drop a {spec.label} face into the project's fonts/ "
        f"folder, or set fonts: {{{role}: {{file: path/to/face.ttf}}}} in the spec",
    ))


def find_face(spec: Role, search_dirs: Sequence[Path] = (), *, override: FaceOverride | None = None,
              system_dirs: Sequence[Path] = SYSTEM_FONT_DIRS) -> FaceSource | None:
    """The spec's `override` for `spec`, else the first file serving it in `search_dirs`, then
    `system_dirs`, or None (a fallback face, fonts.fallback, that is not installed is not asked)."""
    if override is not None:
        return _from_override(spec.name, override)
    found = _find(spec, [Path(d) for d in (*search_dirs, *system_dirs)])
    if found is None:
        return None
    path, index = found
    return FaceSource(spec.name, path, index, read_family(path, index, spec.name))


def _from_override(role: str, override: FaceOverride) -> FaceSource:
    path = Path(override.file)
    if not path.is_file():
        there = path.exists()  # a folder, a device or a named pipe: never opened (it could block)
        raise FontError(Problem(
            f"font file for role '{role}' " + ("is not a regular file" if there else "does not exist"),
            file=path,
            fix=f"correct fonts: {{{role}: {{file: ...}}}} in the spec, or remove it to use the "
            "default face",
        ))
    return FaceSource(role, path, override.index, read_family(path, override.index, role))


def _find(role: Role, dirs: Sequence[Path]) -> tuple[Path, int] | None:
    """First (file, index) serving `role`: folders in order, candidates in preference order."""
    for folder in dirs:
        files = _font_files(folder)
        for cand in role.candidates:
            path = _first_match(files, cand.pattern.lower())
            if path is not None:
                return path, cand.index
    return None


_GLOB = frozenset("*?[")


def _first_match(files: list[tuple[Path, str]], pattern: str) -> Path | None:
    """The first of `files` whose (lower-case) name matches `pattern` as fnmatch.fnmatchcase
    would, without a regular expression for the table's two shapes: a literal file name, or a
    literal prefix and one trailing *; any other pattern goes to fnmatch. Speed: fnmatch compiles
    each pattern on first use (~0.2 ms each, ~4 ms of a fresh build), and a build tries ~700
    (pattern, file) pairs."""
    if _GLOB.isdisjoint(pattern):
        return next((path for path, name in files if name == pattern), None)
    if pattern[-1] == "*" and _GLOB.isdisjoint(pattern[:-1]):
        prefix = pattern[:-1]
        return next((path for path, name in files if name.startswith(prefix)), None)
    return next((path for path, name in files if fnmatch.fnmatchcase(name, pattern)), None)


_FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")


def _font_files(folder: Path) -> list[tuple[Path, str]]:
    """Font files under `folder`, recursively (following symlinks once), sorted by path, each
    with its name in lower case (matched against every candidate of every role: made once)."""
    if not folder.is_dir():
        return []
    stamp = folder.stat().st_mtime_ns
    hit = _LISTINGS.get(folder)
    if hit and hit[0] == stamp:
        return hit[1]
    _LISTINGS[folder] = (stamp, _walk_fonts(folder))
    return _LISTINGS[folder][1]


_LISTINGS: dict[Path, tuple[int, list[tuple[Path, str]]]] = {}  # folder → (its mtime, listing), per process


def _walk_fonts(folder: Path) -> list[tuple[Path, str]]:
    found: list[tuple[str, str, str]] = []  # (path relative to folder, path, name in lower case)
    seen: set[tuple[int, int]] = set()  # folders walked, by (device, inode): one stat each
    prefix = os.path.join(str(folder), "")
    for root, dirnames, filenames in os.walk(folder, followlinks=True):
        try:
            st = os.stat(root)
        except OSError:  # gone since it was listed
            dirnames[:] = []
            continue
        real = (st.st_dev, st.st_ino)
        if real in seen:
            dirnames[:] = []
            continue
        seen.add(real)
        for name in filenames:
            lower = name.lower()
            full = os.path.join(root, name)
            if lower.endswith(_FONT_SUFFIXES) and os.path.isfile(full):
                found.append((full[len(prefix):], full, lower))
    return [(Path(full), lower) for _, full, lower in sorted(found)]


def read_family(path: Path, index: int, role: str) -> str:
    """The face's family name (name ID 16, else 1; English preferred); FontError if unreadable.
    Memoised in the font cache folder, so a warm build does not parse the font for it."""
    from pagesetter.fonts.cache import default_cache_dir, remember

    try:
        return remember(path, default_cache_dir(), f"family:{index}", lambda: _read_family(path, index, role),
                        lambda text: 0 < len(text) <= 256 and text.isprintable())  # else damaged: read again
    except OSError:
        return _read_family(path, index, role)


def _read_family(path: Path, index: int, role: str) -> str:
    from fontTools.ttLib import TTFont, TTLibError

    quiet_glyf_padding()
    try:
        with open(path, "rb") as fh:
            is_collection = fh.read(4) == b"ttcf"
        if index != 0 and not is_collection:
            raise ValueError("not a font collection (.ttc), so the only face is #0")
        font = TTFont(path, fontNumber=index, lazy=True, recalcTimestamp=False)
        try:
            names = font["name"]
            family = names.getBestFamilyName() or names.getDebugName(1)
        finally:
            font.close()
    except (TTLibError, OSError, KeyError, IndexError, AssertionError, ValueError) as exc:
        raise FontError(Problem(
            f"cannot read font for role '{role}' (face #{index}): {exc}",
            file=path,
            fix="check the file is a TrueType/OpenType font (.ttf/.otf/.ttc) and the index is "
            "within the collection; replace or remove the file",
        )) from exc
    return family or path.stem


def quiet_glyf_padding() -> None:
    """AR PL gkai00mp.ttf ends its glyf table 4 bytes past loca's last offset; fontTools warns on
    every load. The data is harmless padding, so keep that one message out of the build log
    (installed once, when fontTools is first needed: logging is not imported on a warm build).
    A damaged name table is read past quietly too: fontTools would log each malformed record
    (59,000 lines and 5 s for one of random bytes), and the name is only the family's."""
    import logging

    logging.getLogger("fontTools.ttLib.tables._n_a_m_e").setLevel(logging.CRITICAL)  # it logs each as an error

    log = logging.getLogger("fontTools.ttLib.tables._g_l_y_f")
    if not any(getattr(f, "_pagesetter", False) for f in log.filters):
        def keep(record) -> bool:
            return not record.getMessage().startswith("too much 'glyf' table data")
        keep._pagesetter = True  # type: ignore[attr-defined]  # (the mark of our filter, across reloads)
        log.addFilter(keep)
