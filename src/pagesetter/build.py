"""The pipeline, end to end: spec → stories → faces → layout → PDF (+ PNG preview).

    load_spec ─▶ load_story ─▶ chars_by_role ─▶ prepare faces ─▶ compose ─▶ render_pdf ─▶ write
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .errors import FontError, PagesetterError, Problem
from .fonts.prepare import default_cache_dir, prepare_face
from .fonts.roles import resolve_face
from .layout.model import PageLayout
from .layout.page import BlockOverset, compose
from .layout.texts import chars_by_role, where_used
from .spec.load import load_spec
from .spec.model import PageSpec
from .story.parse import load_story


@dataclass(frozen=True)
class Composed:
    spec: PageSpec
    layout: PageLayout
    faces: dict
    block_overset: list[BlockOverset]
    warnings: list[str] = field(default_factory=list)


def project_root(spec_path: Path) -> Path:
    """The project a spec belongs to: the folder above `layouts/`, else the spec's own folder."""
    folder = spec_path.resolve().parent
    return folder.parent if folder.name == "layouts" else folder


def load_stories(spec: PageSpec) -> dict:
    paths = [p for s in spec.stories for p in s.articles]
    paths += [b.options["caption"] for b in spec.blocks if b.kind == "image" and "caption" in b.options]
    return {p: load_story(p) for p in dict.fromkeys(paths)}


def prepare_faces(spec: PageSpec, stories: dict, cache_dir: Path | None = None) -> tuple[dict, list[str]]:
    """Resolve and prepare a face per role the page uses; a missing glyph is an error naming where."""
    cache_dir = cache_dir or default_cache_dir()
    search = [project_root(spec.path) / "fonts"]
    faces, warnings, problems = {}, [], []
    for role, chars in sorted(chars_by_role(spec, stories).items()):
        source = resolve_face(role, spec.fonts, search)
        if source.warning:
            warnings.append(source.warning)
        face = prepare_face(source, chars, cache_dir)
        faces[role] = face
        if face.missing:
            uses = where_used(spec, stories, role, set(face.missing))
            for ch in sorted(face.missing):
                problems.append(Problem(
                    f"character {ch!r} (U+{ord(ch):04X}) is not in the {role} face {source.family} "
                    f"({source.path.name}); used at {', '.join(uses.get(ch, ['?'])[:3])}",
                    fix=f"set fonts: {{{role}: {{file: ...}}}} to a face that has it, or change the text"))
    if problems:
        raise FontError(*problems)
    return faces, warnings


def compose_page(spec_path: Path, cache_dir: Path | None = None) -> Composed:
    spec = load_spec(spec_path)
    stories = load_stories(spec)
    faces, warnings = prepare_faces(spec, stories, cache_dir)
    layout, block_over = compose(spec, stories, {r: f.metrics for r, f in faces.items()})
    return Composed(spec, layout, faces, block_over, warnings)


def write_atomically(path: Path, data: bytes) -> None:
    """Write via a temporary file and rename, so a failed build never leaves a truncated file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def build(spec_path: Path, out_pdf: Path, png: bool = True, dpi: float = 100,
          cache_dir: Path | None = None) -> Composed:
    from .render.pdf import render_pdf
    from .render.png import render_png

    composed = compose_page(spec_path, cache_dir)
    data = render_pdf(composed.layout, composed.faces)
    write_atomically(out_pdf, data)
    if png:
        tmp = out_pdf.with_name(f".{out_pdf.stem}.png.tmp")
        render_png(out_pdf, tmp, dpi)
        os.replace(tmp, out_pdf.with_suffix(".png"))
    return composed


__all__ = ["build", "compose_page", "Composed", "PagesetterError", "project_root"]
