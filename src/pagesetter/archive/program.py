"""What made an archive's files (the program's relevant version): pagesetter's own source, the
1946 templates, the output profile and the versions of the libraries that shape the bytes
(ReportLab, fontTools, HarfBuzz, pdfium, lxml, Pillow). A change to any of them changes every
issue's key, so a rerun makes the issues again; the same program skips them."""
from __future__ import annotations

import hashlib
from functools import cache
from importlib import metadata
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]  # src/pagesetter
ROOT = PACKAGE.parents[1]  # the project (an editable install: src/pagesetter)
MASTERS = ROOT / "layouts" / "masters"  # the 1946 template (story.archive_edition: rmrb-1946-*.yaml)
LIBRARIES = ("reportlab", "fonttools", "uharfbuzz", "pypdfium2", "lxml", "pillow")


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


@cache
def program_key() -> str:
    """SHA-256 over the program's files and its libraries' versions (once per process)."""
    h = hashlib.sha256()
    files = sorted(PACKAGE.rglob("*.py")) + sorted((PACKAGE / "profiles").glob("*.icc")) + sorted(MASTERS.glob("*.yaml"))
    for path in files:
        h.update(f"{path.relative_to(ROOT).as_posix()}\0".encode())
        h.update(hashlib.sha256(path.read_bytes()).digest())
    for name in LIBRARIES:
        h.update(f"{name}={_version(name)}\n".encode())
    return h.hexdigest()


@cache
def software() -> str:
    """The name the ALTO and METS files give their maker."""
    return f"pagesetter {_version('pagesetter')} ({program_key()[:12]})"
