"""The pipeline, end to end: spec → stories → faces → layout → PDF (+ PNG preview).

    load_spec ─▶ load_story ─▶ chars_by_role ─▶ prepare faces ─▶ compose ─▶ render_pdf ─▶ write
"""
from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import FontError, PagesetterError, Problem
from .fonts.prepare import default_cache_dir, prepare_face
from .fonts.roles import resolve_face
from .layout.model import PageLayout
from .layout.page import BlockOverset, compose
from .layout.texts import chars_by_role, where_used
from .pagespec.checker import project_root
from .pagespec.kinds import kind_of
from .pagespec.load import load_spec
from .pagespec.model import PageSpec
from .story.parse import load_story


@dataclass(frozen=True)
class Composed:
    spec: PageSpec
    layout: PageLayout
    faces: dict
    block_overset: list[BlockOverset]
    warnings: list[Problem] = field(default_factory=list)  # each with its place and fix, like errors


def load_stories(spec: PageSpec) -> dict:
    """Every article the page sets: the stories' and those the blocks read (captions)."""
    paths = [p for s in spec.stories for p in s.articles]
    paths += [p for i, b in enumerate(spec.blocks) for p in kind_of(b, spec, i).articles(b.options)]
    return {p: load_story(p) for p in dict.fromkeys(paths)}


def check_story_refs(spec: PageSpec, stories: dict) -> None:
    """What the spec loader cannot see: references that depend on an article's front matter."""
    problems = []
    for i, b in enumerate(spec.blocks):
        line, col = spec.where.get(("blocks", i), (None, None))
        problems += [replace(p, message=f"{b.kind} block {i + 1}: {p.message}", file=spec.path, line=line, column=col)
                     for p in kind_of(b, spec, i).check_articles(b, spec, stories)]
    if problems:
        raise PagesetterError(*problems)


def _places(ch: str, uses: list[tuple[Path, int]]) -> list[tuple[Path, int, int | None]]:
    """Exact places (file, line, column) of a character: from each use's line, the first line
    at or after it that holds the character."""
    out = []
    for path, start in uses:
        try:
            lines = path.read_text(encoding="utf-8").split("\n")
        except (OSError, UnicodeDecodeError):
            lines = []
        place = (path, start, None)
        for n in list(range(start, len(lines) + 1)) + list(range(1, start)):
            col = lines[n - 1].find(ch)
            if col >= 0:
                place = (path, n, col + 1)
                break
        if place not in out:
            out.append(place)
    return out


def _role_place(spec: PageSpec, role: str) -> tuple[int | None, int | None]:
    """Where the spec asks for a role: its fonts: entry, else the first style using it."""
    if ("fonts", role) in spec.where:
        return spec.where[("fonts", role)]
    for name, st in spec.styles.items():
        if st.role == role and ("styles", name) in spec.where:
            return spec.where[("styles", name)]
    return None, None


def prepare_faces(spec: PageSpec, stories: dict, cache_dir: Path | None = None) -> tuple[dict, list[Problem]]:
    """Resolve and prepare a face per role the page uses; a missing glyph is an error naming the
    character, the face and every place it is used (article file, line and column)."""
    cache_dir = cache_dir or default_cache_dir()
    search = [project_root(spec.path) / "fonts"]
    faces, warnings, problems = {}, [], []
    for role, chars in sorted(chars_by_role(spec, stories).items()):
        try:
            source = resolve_face(role, spec.fonts, search)
            face = prepare_face(source, chars, cache_dir)
        except FontError as exc:  # no face, an unreadable one: say which style asked for it
            line, col = _role_place(spec, role)
            problems += [p if p.line is not None else
                         Problem(p.message + (f" ({p.file})" if p.file is not None else ""), spec.path, line, col,
                                 p.fix) for p in exc.problems]
            continue
        if source.warning:
            line, col = _role_place(spec, role)
            message, _, fix = source.warning.partition(". ")
            warnings.append(Problem(message + ("." if fix else ""), spec.path, line, col, fix or None))
        faces[role] = face
        if face.missing:
            uses = where_used(spec, stories, role, set(face.missing))
            for ch in sorted(face.missing):
                places = _places(ch, uses.get(ch, []))
                shown = [f"{p.name}:{line}" + (f":{col}" if col else "") for p, line, col in places[:3]]
                more = f" and {len(places) - 3} more" if len(places) > 3 else ""
                file, line, col = places[0] if places else (spec.path, None, None)
                problems.append(Problem(
                    f"character {ch!r} (U+{ord(ch):04X}) is not in the {role} face {source.family} "
                    f"({source.path.name}); used at {', '.join(shown) or '?'}{more}", file, line, col,
                    fix=f"set fonts: {{{role}: {{file: ...}}}} to a face that has it, or change the text"))
    if problems:
        raise FontError(*problems)
    return faces, warnings


def compose_page(spec_path: Path, cache_dir: Path | None = None, allow_outside: bool = False) -> Composed:
    """Load, check and lay out a page without writing anything (`pagesetter check`)."""
    spec = load_spec(spec_path, allow_outside=allow_outside)
    stories = load_stories(spec)
    check_story_refs(spec, stories)
    faces, warnings = prepare_faces(spec, stories, cache_dir)
    page = compose(spec, stories, {r: f.metrics for r, f in faces.items()})
    return Composed(spec, page.layout, faces, list(page.block_overset), warnings + list(page.warnings))


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


def copyfit_report(composed: Composed) -> dict:
    """The copyfit report (超版/欠版) as plain data: per story lines set against lines available,
    overset, underset and what auto-copyfit changed; overset blocks; warnings."""
    return {
        "page": composed.spec.name,
        "stories": [{"id": r.id, "lines_set": r.lines_set, "lines_available": r.lines_available,
                     "overset": r.overset, "underset": r.underset, "overfull": r.overfull,
                     "adjustment": r.adjustment}
                    for r in composed.layout.stories],
        "blocks_overset": [{"block": b.where, "lines": b.lines} for b in composed.block_overset],
        "warnings": [{"message": w.message, "file": None if w.file is None else str(w.file), "line": w.line,
                      "column": w.column, "fix": w.fix} for w in composed.warnings],
    }


def report_json(composed: Composed) -> str:
    return json.dumps(copyfit_report(composed), ensure_ascii=False, indent=1) + "\n"


def build(spec_path: Path, out_pdf: Path, png: bool = True, dpi: float = 100,
          cache_dir: Path | None = None, allow_outside: bool = False) -> Composed:
    """Build the page: the PDF, its PNG preview and its copyfit report (<name>.report.json)."""
    from .render.pdf import render_pdf

    composed = compose_page(spec_path, cache_dir, allow_outside)
    data = render_pdf(composed.layout, composed.faces)
    write_atomically(out_pdf, data)
    write_atomically(out_pdf.with_suffix(".report.json"), report_json(composed).encode("utf-8"))
    if png:
        from .render.png import render_png  # pdfium: only when a preview is asked for

        tmp = out_pdf.with_name(f".{out_pdf.stem}.png.tmp")
        render_png(out_pdf, tmp, dpi)
        os.replace(tmp, out_pdf.with_suffix(".png"))
    return composed


__all__ = ["build", "compose_page", "Composed", "PagesetterError", "project_root"]
