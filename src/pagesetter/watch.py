"""`pagesetter watch page.yaml`: one warm process that rebuilds the page each time a file it is
made from is saved, and prints the build summary each time.

It polls modification times — of the spec, every article and caption it names, its pictures, the
font files its faces come from and the project's fonts/ folder — a few times a second: no extra
dependency, and it works the same on every file system and with editors that save by writing a
new file and renaming it. A rebuild in the warm process costs far less than a `pagesetter build`:
the code is imported, the faces come from the font cache, and every paragraph the last build
measured and broke is taken over as it is (`layout.setting`), so only edited paragraphs are set
again. Bad input is reported and watching goes on; Ctrl-C ends it. An output path that cannot be
written (`-o` onto an input of the page) ends it at once with exit 2: no save would mend it.
A symbolic link is watched with the file it leads to: re-pointing it is a change.
"""
from __future__ import annotations

import os
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .errors import OutputError, PagesetterError, internal_error

# A change is built once the files have been still this long (an editor's save can be several
# writes and a rename), and files are polled this often.
SETTLE = 0.05
INTERVAL = 0.2

Stamp = tuple | None  # what the file is and when it changed; None while it is missing


def stamp(path: Path) -> Stamp:
    """A file's state: where its links lead (the resolved path), the file there (device, inode,
    mtime, size) and the link itself (its mtime): re-pointing a symbolic link to another file,
    even an older one of the same size, or editing the file it points at, changes it."""
    try:
        st, link = os.stat(path), os.lstat(path)
    except OSError:
        return None
    return os.path.realpath(path), st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size, link.st_mtime_ns


def inputs_of(spec_path: Path, composed=None) -> list[Path]:
    """The files a build of `spec_path` read: the spec; with its last good build (`Composed`) also
    the articles and captions, the pictures, the faces' font files, the symbolic links on the way
    to any of them (PageSpec.links) and the project's fonts/ folder (a face dropped in there can
    change which font serves a role)."""
    from . import build

    paths = [Path(spec_path)]
    if composed is not None:
        paths += list(build.inputs_of(composed)) + list(composed.spec.links)
        paths.append(build.project_root(composed.spec.path) / "fonts")
    return list(dict.fromkeys(paths))


@dataclass
class Watcher:
    """Rebuilds one page when its inputs change. `build()` runs one build and returns the lines to
    print; `changed()` says whether any input changed since the last one."""

    spec: Path
    output: str | os.PathLike | None = None
    png: bool = True
    dpi: float = 100.0
    allow_outside: bool = False
    debug: bool = False
    summary: Callable | None = None  # (composed, out, seconds) -> (text, over): the CLI's build summary
    stamps: dict = field(default_factory=dict)
    last_good: object = None

    def changed(self) -> bool:
        return any(stamp(p) != s for p, s in self.stamps.items())

    def build(self) -> str:
        """One build; its report. Bad input and internal errors are reported, never raised: the
        watch goes on and builds again on the next save."""
        from .build import build, default_output

        start = time.perf_counter()
        before = {p: stamp(p) for p in self.stamps}  # a save during the build shows next time
        composed = None
        try:
            composed = build(self.spec, self.output, png=self.png, dpi=self.dpi, allow_outside=self.allow_outside)
            lines = [f"warning: {w}" for w in composed.warnings]
            out = default_output(composed.spec, self.output)
            assert self.summary is not None  # (the command line gives its summary)
            text, _ = self.summary(composed, out, time.perf_counter() - start)
            report = "\n".join(lines + [text])
        except OutputError:  # -o onto an input, a folder …: no edit of the inputs mends it
            raise
        except PagesetterError as exc:
            report = f"error: {exc}"
        except Exception as exc:  # a bug: say so, keep watching
            detail = traceback.format_exc().rstrip() + "\n" if self.debug else ""
            report = detail + internal_error(exc)
        if composed is not None:
            self.last_good = composed
        # what this build read (the last good build's inputs while the spec is broken)
        self.stamps = {p: before[p] if p in before else stamp(p) for p in inputs_of(self.spec, self.last_good)}
        return report


def run(watcher: Watcher, echo: Callable[[str], None], sleep: Callable[[float], None] = time.sleep,
        interval: float = INTERVAL, builds: int | None = None) -> int:
    """Build, then rebuild on every change until interrupted (or after `builds` builds, for tests);
    returns how many builds ran. Ctrl-C (KeyboardInterrupt) ends it quietly."""
    from .layout.setting import carry_over

    done = 0
    with carry_over():  # each build takes over the paragraphs the last one set
        try:
            while True:
                report = watcher.build()
                done += 1
                echo(f"[{time.strftime('%H:%M:%S')}] {report}")
                if builds is not None and done >= builds:
                    return done
                if done == 1:
                    echo("watching for changes (Ctrl-C to stop)")
                wait_for_change(watcher, sleep, interval)
        except KeyboardInterrupt:
            return done


def wait_for_change(watcher: Watcher, sleep: Callable[[float], None], interval: float) -> None:
    """Return once an input changed and has then been still for SETTLE seconds (a save can be
    several writes and a rename)."""
    while not watcher.changed():
        sleep(interval)
    while True:
        before = {p: stamp(p) for p in watcher.stamps}
        sleep(SETTLE)
        if before == {p: stamp(p) for p in watcher.stamps}:
            return
