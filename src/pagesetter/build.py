"""The pipeline, end to end: spec → stories → faces → layout → PDF (+ PNG preview).

    load_spec ─▶ load_story ─▶ chars_by_role ─▶ prepare faces ─▶ compose ─▶ render_pdf ─▶ write
"""
from __future__ import annotations

import json
import os
from dataclasses import field, fields, is_dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from .records import record
from .outputs import set_record
from .errors import FontError, PagesetterError, Problem
from .fonts.cache import chosen, default_cache_dir
from .fonts.fallback import asked, chain, fallback_faces
from .fonts.prepare import prepare_face
from .fonts.roles import resolve_face
from .layout.model import PageLayout, pictures
from .layout.page import BlockOverset, compose
from .layout.setting import carried, use_word_cache
from .layout.texts import chars_by_role, script_forms_by_role, where_used
from .pagespec.checker import project_root
from .pagespec.kinds import kind_of
from .pagespec.load import load_spec
from .pagespec.model import PageSpec
from .story.marks import file_mark_warnings
from .story.parse import load_story
from .text.display import plain

if TYPE_CHECKING:
    from .layout.makeup_spec import MadeUp


@record
class Composed:
    spec: PageSpec
    layout: PageLayout
    faces: dict
    block_overset: list[BlockOverset]
    warnings: list[Problem] = field(default_factory=list)  # each with its place and fix, like errors
    made: MadeUp | None = None  # a made-up page (自动组版)


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
        problems += [replace(p, message=f"{b.kind} block {i + 1}: {p.message}", file=spec.file_of(("blocks", i)),
                             line=line, column=col)
                     for p in kind_of(b, spec, i).check_articles(b, spec, stories)]
    problems += _undefined_styles(spec, stories)
    if problems:
        raise PagesetterError(*problems)


def _undefined_styles(spec: PageSpec, stories: dict) -> list[Problem]:
    """Only styles some text needs must be defined: a story's paragraph roles and inline spans
    (gap notes, **strong** spans) that its articles use."""
    problems = []
    for s in spec.stories:
        used: dict = {}
        for path in s.articles:
            for par in stories[path].paragraphs:
                for kind in [par.role] + [span.kind for span in par.spans]:
                    used.setdefault(kind, (path, par.line))
        for kind, (path, line) in used.items():
            name = s.styles.get(kind, kind)
            if name not in spec.styles:
                where = spec.where.get(("stories", s.id), (None, None))
                problems.append(Problem(
                    f"story {s.id!r} sets {kind} text (first in {os.path.relpath(path, spec.path.parent)}, line {line}) in style "
                    f"{name!r}, which is not defined", spec.path, where[0], where[1],
                    f"define a style named {name!r}, or map it: styles: {{{kind}: <style>}}"))
    return problems


def _places(ch: str, uses: list[tuple[Path, int]]) -> list[tuple[Path, int, int | None]]:
    """Exact places (file, line, column) of a character: from each use's line, the first line
    at or after it that holds the character."""
    out = []
    for path, start in uses:
        try:
            lines = path.read_text(encoding="utf-8").split("\n")
        except (OSError, UnicodeDecodeError):
            lines = []
        place: tuple[Path, int, int | None] = (path, start, None)
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


def face_warning(spec: PageSpec, role: str, text: str) -> Problem:
    """A face resolver's warning ("what. fix"), placed where the spec asks for the role."""
    line, col = _role_place(spec, role)
    message, _, fix = text.partition(". ")
    return Problem(message + ("." if fix else ""), spec.path, line, col, fix or None)


def _prepared(source, chars, cache_dir: Path):
    """prepare_face; inside `layout.setting.carry_over()` (pagesetter watch) memoised by the face,
    the characters and the font file's size and modification time."""
    memo = carried("faces")
    if memo is None:
        return prepare_face(source, chars, cache_dir)
    try:
        st = Path(source.path).stat()
    except OSError:
        return prepare_face(source, chars, cache_dir)  # prepare_face says what is wrong
    key = (source, frozenset(ch for item in chars for ch in item), st.st_size, st.st_mtime_ns)
    if key not in memo:
        if len(memo) >= 32:  # a few pages' faces at most
            memo.clear()
        memo[key] = prepare_face(source, chars, cache_dir)
    return memo[key]


def prepare_faces(spec: PageSpec, stories: dict, cache_dir: Path | None = None) -> tuple[dict, list[Problem]]:
    """Resolve and prepare a face per role the page uses, and the fallback faces (fonts.fallback)
    for what they lack; a character no face of its role's chain has is an error naming the
    character, the faces and every place it is used (article file, line and column)."""
    cache_dir = cache_dir or default_cache_dir()
    search = [project_root(spec.path) / "fonts"]
    faces, warnings, problems = {}, [], []
    needed = chars_by_role(spec, stories)
    optional = script_forms_by_role(spec, stories)  # (set scaled where no face has them)
    for role in sorted(needed.keys() | optional.keys()):
        chars = needed.get(role, set())
        try:
            source = resolve_face(role, spec.fonts, search)
            face = _prepared(source, chars | optional.get(role, set()), cache_dir)
        except FontError as exc:  # no face, an unreadable one: say which style asked for it
            line, col = _role_place(spec, role)
            problems += [p if p.line is not None else
                         Problem(p.message + (f" ({p.file})" if p.file is not None else ""), spec.path, line, col,
                                 p.fix) for p in exc.problems]
            continue
        if source.warning:
            warnings.append(face_warning(spec, role, source.warning))
        faces[role] = face
    try:
        extra, found = fallback_faces({r: asked(f) for r, f in faces.items()}, search,
                                      lambda source, chars: _prepared(source, chars, cache_dir),
                                      overrides=spec.fonts)
    except FontError as exc:
        raise FontError(*problems, *exc.problems) from exc
    for role, face in list(faces.items()):
        if role in found:
            faces[role] = replace(face, metrics=replace(face.metrics, fallback=MappingProxyType(found[role])))
        problems += _missing(spec, stories, role, face, (face.missing - found.get(role, {}).keys())
                             & needed.get(role, set()))
    faces.update(extra)
    if problems:
        raise FontError(*problems)
    return faces, warnings


def _missing(spec: PageSpec, stories: dict, role: str, face, missing: set[str]) -> list[Problem]:
    """A located error per character that neither the role's face nor its fallbacks have."""
    if not missing:
        return []
    source = face.source
    uses = where_used(spec, stories, role, missing)
    tried = "".join(f", nor {key}" for key in chain(role))
    out = []
    for ch in sorted(missing):
        places = _places(ch, uses.get(ch, []))
        shown = [f"{p.name}:{line}" + (f":{col}" if col else "") for p, line, col in places[:3]]
        more = f" and {len(places) - 3} more" if len(places) > 3 else ""
        file, line, col = places[0] if places else (spec.path, None, None)
        out.append(Problem(
            f"character {ch!r} (U+{ord(ch):04X}) is not in the {role} face {source.family} "
            f"({source.path.name}){tried}; used at {', '.join(shown) or '?'}{more}", file, line, col,
            fix=f"set fonts: {{{role}: {{file: ...}}}} to a face that has it, install the fallback faces "
                f"(apt-get install fonts-noto-core), or change the text"))
    return out


def compose_page(spec_path: Path, cache_dir: Path | None = None, allow_outside: bool = False) -> Composed:
    """Load, check and lay out a page without writing anything (`pagesetter check`)."""
    with chosen(cache_dir):  # (a spec's own fonts are looked at while it loads)
        return compose_spec(load_spec(spec_path, allow_outside=allow_outside), cache_dir)


def compose_spec(spec: PageSpec, cache_dir: Path | None = None) -> Composed:
    """Check and lay out a loaded page spec: its stories, faces and layout."""
    with chosen(cache_dir):
        return _composed(spec, cache_dir)


def _composed(spec: PageSpec, cache_dir: Path | None) -> Composed:
    stories = load_stories(spec)
    check_story_refs(spec, stories)
    faces, warnings = prepare_faces(spec, stories, cache_dir)
    use_word_cache(cache_dir or default_cache_dir())  # heads' word boundaries kept beside the faces
    metrics = {r: f.metrics for r, f in faces.items()}
    ts = made = None
    if spec.makeup is not None:  # 自动组版: the engine places the stories, then the page is set as any
        made, ts = made_up(spec, stories, metrics)
        spec = made.spec
    page = compose(spec, stories, metrics, ts=ts)
    marks = file_mark_warnings([spec.path], {spec.path: "#"}) + [w for s in stories.values() for w in s.warnings]
    return Composed(spec, page.layout, faces, list(page.block_overset),
                    warnings + list(page.warnings) + marks + rgb_kept(spec, page.layout), made)


def made_up(spec: PageSpec, stories: dict, metrics: dict):
    """The page made up (layout.makeup_spec) as an ordinary spec, and the typesetter it was measured with."""
    from .layout.makeup_spec import make_up_page
    from .layout.setting import Typesetter

    ts = Typesetter(metrics, spec.composition)
    made = make_up_page(spec, stories, metrics, ts)
    check_story_refs(made.spec, stories)
    return made, ts


def make_up(spec_path: Path, out_yaml: Path, cache_dir: Path | None = None, allow_outside: bool = False) -> Composed:
    """`pagesetter make-up`: make up the page and write the chosen geometry as an ordinary page
    spec at `out_yaml` (building it gives the made-up page byte for byte); nothing else is written."""
    with chosen(cache_dir):
        return _make_up(spec_path, out_yaml, cache_dir, allow_outside)


def _make_up(spec_path: Path, out_yaml: Path, cache_dir: Path | None, allow_outside: bool) -> Composed:
    from .layout.makeup_spec import yaml_text
    from .outputs import check_targets, guard

    spec = load_spec(spec_path, allow_outside=allow_outside)
    if spec.makeup is None:
        raise PagesetterError(Problem("the spec has no makeup: section, so there is nothing to make up",
                                      spec.path, 1, 1, "add makeup: {area: {col: 1, span: 8, line: 7, "
                                      "lines: 93}} and leave the chain: off the stories it should place"))
    targets = [(Path(out_yaml), "the made-up spec")]
    check_targets(targets)
    _refuse_edited(Path(out_yaml))
    composed = compose_spec(spec, cache_dir)
    guard(targets, inputs_of(composed))
    assert composed.made is not None  # (the spec has a makeup: section)
    text = _stamped(yaml_text(composed.made.doc, spec.path, Path(out_yaml)))
    write_outputs({Path(out_yaml): text.encode("utf-8")}, [], Path(out_yaml), "the made-up spec")
    return composed


MADE_STAMP = "# sha256 of the lines below, as make-up wrote them: "


def _stamp(rest: str) -> str:
    """The comment line holding the digest of what follows it in a made-up spec."""
    import hashlib

    return MADE_STAMP + hashlib.sha256(rest.encode("utf-8")).hexdigest()


def _stamped(text: str) -> str:
    """The made-up spec with a second comment line (`_stamp`), by which a later `make-up -o` knows
    the file is still as it wrote it (and may replace it)."""
    head, rest = text.split("\n", 1)
    return f"{head}\n{_stamp(rest)}\n{rest}"


def _refuse_edited(path: Path) -> None:
    """`make-up -o` replaces only a spec it wrote and nobody edited since: a designer's hand-edited
    made.yaml (what the command is for) or a stranger's file is never overwritten."""
    if not os.path.lexists(path):
        return
    from .files import read_capped
    from .pagespec.keys import MAX_SPEC_BYTES

    try:
        text = read_capped(path, "the made-up spec", MAX_SPEC_BYTES, "").decode("utf-8", "replace")
    except PagesetterError:  # a folder, a pipe, too large: not a spec make-up wrote
        text = ""
    lines = text.split("\n", 2)
    if len(lines) == 3 and lines[1] == _stamp(lines[2]):
        return
    raise PagesetterError(Problem(f"{path.name} exists and is not a made-up spec as make-up wrote it (edited "
                                  "since, or another file): make-up does not overwrite it", path,
                                  fix="choose another -o, or delete or rename the file if it may go"))


def rgb_kept(spec: PageSpec, layout: PageLayout) -> list[Problem]:
    """With page.keep_rgb, each RGB picture placed: it goes to the press in RGB."""
    if not spec.output.keep_rgb:
        return []
    from .blocks.image import pillow

    PILImage = pillow()  # (the documented pixel limit, not Pillow's own)
    out = []
    for file in pictures(layout):
        with PILImage.open(file) as im:
            rgb = im.mode in ("RGB", "RGBA", "P", "PA")
        if rgb:
            out.append(Problem(f"picture {file.name} goes to the press in RGB (page.keep_rgb)",
                               spec.path, None, None, "convert it to CMYK, or drop keep_rgb to let "
                               "the build convert it to the output profile"))
    return out


def doc_meta(spec: PageSpec):
    """What the PDF says about itself (render.standards.DocMeta) from the spec's page keys: the
    title names paper, date and page (人民日报 2022年6月24日 第2版) before the page's own title
    (page.title, else the first story's headline); the date is page.date, else the day of
    SOURCE_DATE_EPOCH when set, else a fixed date the file does not claim as the issue's."""
    from .render.standards import DEFAULT_PROFILE, FIXED_DATE, DocMeta, issue_date, page_title

    out = spec.output
    date = out.date or issue_date() or FIXED_DATE
    return DocMeta(title=page_title(out.paper, date, out.number, own_title(spec), spec.name),
                   paper=out.paper, date=date, page=out.number, profile=out.profile or DEFAULT_PROFILE,
                   condition=out.condition, standard=out.standard, keep_rgb=out.keep_rgb,
                   heading=own_title(spec))


def proof_pdf(composed: Composed, data: bytes) -> bytes:
    """What a page's PNG preview is made from: its PDF (`data`), or, when `page.placeholders`
    asks to see the empty image slots, a proof rendering of the page in which their layer shows —
    the PDF written keeps that layer hidden and never printing (render.layers)."""
    if not composed.layout.placeholders:
        return data
    from .render.pdf import render_pdf

    return render_pdf(composed.layout, composed.faces, replace(doc_meta(composed.spec), proof=True))


def own_title(spec: PageSpec) -> str:
    """The page's own title: page.title, else its first story's headline, else ""."""
    title = spec.output.title
    if not title and spec.stories and spec.stories[0].articles:
        try:
            title = plain(str(load_story(spec.stories[0].articles[0]).get("headline") or "")).strip()
        except PagesetterError:
            title = None
    return title or ""


def copyfit_report(composed: Composed) -> dict:
    """The copyfit report (超版/欠版) as plain data: per story lines set against lines available,
    overset, underset and what auto-copyfit changed; overset blocks; warnings."""
    return {
        "page": composed.spec.name,
        "stories": [{"id": r.id, "lines_set": r.lines_set, "lines_available": r.lines_available,
                     "overset": r.overset, "underset": r.underset, "overfull": r.overfull,
                     "adjustment": r.adjustment,
                     **({"overset_text": r.overset_text, "overset_at": r.overset_at} if r.overset_text else {}),
                     **({"jump": r.jump} if r.jump else {})}
                    for r in composed.layout.stories],
        "blocks_overset": [{"block": b.where, "lines": b.lines} for b in composed.block_overset],
        "warnings": [problem_data(w) for w in composed.warnings],
        **({"makeup": _makeup_figures(composed)} if composed.made is not None else {}),
        **({"fallback_faces": uses} if (uses := fallback_use(composed.faces)) else {}),
    }


def fallback_use(faces: dict) -> list[dict]:
    """Which fallback faces (fonts.fallback) set which characters for which role: the build
    summary's and report.json's record of them (none when every face had all it sets)."""
    out = []
    for role, face in sorted(faces.items()):
        by_face: dict[str, list[str]] = {}
        for ch, key in sorted(face.metrics.fallback.items()):
            by_face.setdefault(key, []).append(ch)
        for key, chars in sorted(by_face.items()):
            source = faces[key].source
            out.append({"role": role, "face": key, "family": source.family, "file": str(source.path),
                        "characters": "".join(chars)})
    return out


def _makeup_figures(composed: Composed) -> dict:
    """A made-up page's figures (layout.makeup_spec.figures) and each story's place on the grid
    (its grid column and line, span and lines, head lines; a 刀把's leg below it)."""
    from .layout.makeup_spec import figures

    made = composed.made
    assert made is not None  # (asked only of a made-up page)
    c = made.first_col
    places = [{"story": q.id, "col": q.col + c, "span": q.span, "line": q.line, "lines": q.lines, "head": q.head,
               **({"leg": {"col": q.leg_col + c, "span": q.leg_span, "lines": q.leg_lines}} if q.leg_span else {})}
              for q in made.result.places]
    return {**figures(made, composed.layout.stories), "places": places}


def problem_data(w: Problem) -> dict:
    """A warning as plain data for a report: message, place and fix."""
    return {"message": w.message, "file": None if w.file is None else str(w.file), "line": w.line,
            "column": w.column, "fix": w.fix}


def report_json(composed: Composed, outputs: dict | None = None) -> str:
    """The copyfit report as JSON text; with `outputs` (`outputs.set_record`: the set's members,
    their sizes and SHA-256) as a build writes it beside its PDF."""
    data = copyfit_report(composed)
    if outputs is not None:
        data["outputs"] = outputs
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def outputs_of(out_pdf: Path, png: bool = True) -> list[tuple[Path, str]]:
    """The set of files a build writes: the PDF, its copyfit report and (unless --no-png) its preview."""
    out_pdf = Path(out_pdf)
    if not out_pdf.name:
        from .outputs import check_targets

        check_targets([(out_pdf, "the PDF")])  # raises: the path names no file
    targets = [(out_pdf, "the PDF"), (out_pdf.with_suffix(".report.json"), "the copyfit report")]
    if png:
        targets.append((out_pdf.with_suffix(".png"), "the PNG preview"))
    return targets


def inputs_of(composed: Composed) -> dict[Path, str]:
    """Every file the build read: spec, masters, ICC profile, articles and captions, pictures, font files."""
    spec = composed.spec
    found = {spec.path: "the spec", **{m: "a master" for m in spec.masters}}
    if spec.output.profile is not None:
        found[spec.output.profile] = "the ICC profile"
    for story in spec.stories:
        found.update({Path(p): "an article" for p in story.articles})
    for i, b in enumerate(spec.blocks):  # every file a block names (a picture, a caption article, …)
        if is_dataclass(b.options):
            found.update({v: f"the {f.name} of {b.kind} block {i + 1}" for f in fields(b.options)
                          if isinstance(v := getattr(b.options, f.name), Path)})
    for face in composed.faces.values():
        found.setdefault(Path(face.source.path), "a font")
    return found


def default_output(spec: PageSpec, given: str | os.PathLike | None = None) -> Path:
    """Where a page is built: `given` (-o), a folder it names holding out/<page name>.pdf's name;
    with no -o, out/<page name>.pdf."""
    from .outputs import output_path

    return output_path(given, Path("out") / f"{spec.name}.pdf")


def build(spec_path: Path, out_pdf: str | os.PathLike | None = None, png: bool = True, dpi: float = 100,
          cache_dir: Path | None = None, allow_outside: bool = False) -> Composed:
    """Build the page: the PDF (at `out_pdf`, else `default_output`), its PNG preview and its
    copyfit report (<name>.report.json), written as one set (all replaced, or on any failure none)
    and never over an input of the build, nor over a file that is not of its earlier set. Every
    cache the build reads or writes is in `cache_dir` (None: `default_cache_dir()`)."""
    with chosen(cache_dir):
        return _build(spec_path, out_pdf, png, dpi, cache_dir, allow_outside)


def _build(spec_path: Path, out_pdf: str | os.PathLike | None, png: bool, dpi: float, cache_dir: Path | None,
           allow_outside: bool) -> Composed:
    from .outputs import check_owned, check_targets, guard
    from .render.pdf import render_pdf
    from .render.raster import check_dpi

    if png:
        check_dpi(dpi)
    spec = load_spec(spec_path, allow_outside=allow_outside)
    out_pdf = default_output(spec, out_pdf)
    targets = outputs_of(out_pdf, png)
    check_targets(targets)
    composed = compose_spec(spec, cache_dir)
    guard(targets, inputs_of(composed))
    check_owned(targets, out_pdf.with_suffix(".report.json"))  # (after guard: an input is named as such)
    data = render_pdf(composed.layout, composed.faces, doc_meta(composed.spec))
    files = {out_pdf: data}
    if png:
        from .render.png import preview  # (not imported by a --no-png build)

        files[out_pdf.with_suffix(".png")], warning = preview(proof_pdf(composed, data), dpi, name=str(out_pdf))
        if warning:
            composed = replace(composed, warnings=[*composed.warnings, warning])
    report = out_pdf.with_suffix(".report.json")
    files[report] = report_json(composed, set_record(files, report)).encode("utf-8")
    preview_path = out_pdf.with_suffix(".png")
    stale = [preview_path] if not png else []  # an older preview would lie (removed if it is the set's)
    write_outputs(files, stale, out_pdf, "the build's output", report, inputs_of(composed))
    return composed


def write_outputs(files: dict[Path, bytes], stale: list[Path], out_pdf: Path, what: str,
                  report: Path | None = None, inputs=()) -> None:
    """Write a build's set of files (`outputs.write_set`, replacing only the earlier set that
    `report` recorded, never removing one of `inputs`; without a report, a single file the user
    named, such as make-up's spec); a disk error is a clear error naming `what`."""
    from .outputs import write_set

    try:
        write_set(files, remove=stale, ledger=report, inputs=inputs)
    except OSError as exc:  # the disk filled up, the folder went read-only, …: the old set is intact
        from .files import KNOWN_ERRNOS, os_problem

        if exc.errno not in KNOWN_ERRNOS:
            raise
        raise PagesetterError(os_problem(exc, out_pdf, what, "write")) from None



__all__ = ["build", "compose_page", "Composed", "PagesetterError", "project_root"]
