"""Build an edition: every page composed, one PDF of the whole edition, one PDF and one PNG per
page, one copyfit report.

    load_edition ─▶ load each page (masters, variables) ─▶ plan jumps ─▶ faces, once per face for
    the whole edition ─▶ compose pages in waves (a continuation after its source), in a process
    pool when there are 2+ cores ─▶ render ─▶ write the set of files

The output is the same byte for byte whether the pages are composed in one process or many:
each page's composition depends only on its spec, its stories, the faces and what jumps into it.
"""
from __future__ import annotations

import json
import os
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import field, replace
from pathlib import Path
from types import MappingProxyType

from .records import record
from .build import (Composed, _role_place, check_story_refs, copyfit_report, face_warning, load_stories,
                    prepare_faces, problem_data, project_root)
from .errors import FontError, PagesetterError, Problem
from .fonts.cache import choose, chosen, default_cache_dir
from .fonts.fallback import FALLBACK_ROLES, asked, fallback_faces
from .fonts.prepare import prepare_face
from .fonts.roles import resolve_face
from .layout.edition import JUMP_CHARS, Incoming, Jump, compose_page, headline_of, jump_style, plan, \
    with_continuations
from .layout.setting import use_word_cache
from .layout.texts import chars_by_role, script_forms_by_role
from .pagespec.edition import EditionSpec, load_edition
from .pagespec.load import load_spec
from .pagespec.model import PageSpec


@record
class ComposedEdition:
    edition: EditionSpec
    pages: tuple[Composed, ...]
    jumps: tuple[Jump, ...]
    pdfs: tuple[bytes, ...] = field(repr=False, default=())  # each page's PDF, when rendered
    warnings: tuple = ()  # Problems
    whole: bytes = field(repr=False, default=b"")  # the edition's PDF, when rendered
    pngs: tuple[tuple[bytes, Problem | None], ...] = field(repr=False, default=())  # each page's PNG preview (and a warning), when asked


def load_pages(edition: EditionSpec, allow_outside: bool = False) -> list[PageSpec]:
    """Every page's spec, with the edition's variables; all pages' problems reported together."""
    specs, problems = [], []
    for page in edition.pages:
        try:
            specs.append(load_spec(page.path, allow_outside, context=page.context, doc=page.doc))
        except PagesetterError as exc:
            problems += [p for p in exc.problems if p not in problems]  # a master's problem once
    seen: dict[str, int] = {}
    for page, spec in zip(edition.pages, specs) if not problems else ():
        if spec.name in seen:
            line, col = page.where
            problems.append(Problem(f"pages {seen[spec.name]} and {page.number} are both named {spec.name!r}",
                                    edition.path, line, col, "give each page its own page: {name: …}"))
        seen.setdefault(spec.name, page.number)
    if problems:
        raise PagesetterError(*problems)
    return specs


def _origin(specs, stories, jumps, node: tuple[int, str]) -> tuple[tuple, str]:
    """The articles and headline a story (or the continuation of a continuation …) started from."""
    back = {j.target: j.source for j in jumps}
    while node in back:
        node = back[node]
    spec, page_stories = specs[node[0] - 1], stories[node[0] - 1]
    story = next(s for s in spec.stories if s.id == node[1])
    return tuple(page_stories[p] for p in story.articles), headline_of(spec, story.id, page_stories)


def _incoming_bound(specs, stories, jumps) -> list[dict[str, Incoming]]:
    """For sizing the faces before anything is set: each continuation as if all its origin's text jumped."""
    out: list[dict] = [{} for _ in specs]
    for j in jumps:
        rest, headline = _origin(specs, stories, jumps, j.source)
        out[j.target[0] - 1][j.target[1]] = Incoming(j.source[0], rest, headline)
    return out


def _face_plan(specs, stories, jumps, cache_dir: Path):
    """One prepared face per font source for the whole edition, holding every character any page
    sets in it. Returns per page role → face key, and key → (source, characters)."""
    requests: dict[tuple, tuple] = {}
    roles: list[dict[str, tuple]] = []
    bound = _incoming_bound(specs, stories, jumps)
    for n, spec in enumerate(specs, 1):
        sp, st = with_continuations(spec, stories[n - 1], bound[n - 1])
        chars = chars_by_role(sp, st)
        for role, forms in script_forms_by_role(sp, st).items():  # (optional: build.prepare_faces)
            chars.setdefault(role, set()).update(forms)
        for j in jumps:
            if n in (j.source[0], j.target[0]):
                sid = j.source[1] if n == j.source[0] else j.target[1]
                story = next(s for s in spec.stories if s.id == sid)
                chars.setdefault(spec.styles[jump_style(story)].role, set()).update(JUMP_CHARS)
        page_roles = {}
        for role, cs in sorted(chars.items()):
            try:
                source = resolve_face(role, spec.fonts, [project_root(spec.path) / "fonts"])
            except FontError:
                prepare_faces(spec, stories[n - 1], cache_dir)  # raises with the style that asked for it
                raise
            key = (str(source.path), source.index, role if source.warning else "")
            old = requests.get(key, (source, frozenset()))
            requests[key] = (old[0], old[1] | frozenset(cs))
            page_roles[role] = key
        roles.append(page_roles)
    _one_face_per_role(specs, roles)
    return roles, requests


def _one_face_per_role(specs, roles: list[dict]) -> None:
    """The edition's PDF embeds one font per role: pages may not serve a role from different faces."""
    first: dict[str, tuple[int, tuple]] = {}
    problems = []
    for n, (spec, page_roles) in enumerate(zip(specs, roles), 1):
        for role, key in sorted(page_roles.items()):
            m, k = first.setdefault(role, (n, key))
            if k != key:
                line, col = _role_place(spec, role)
                problems.append(Problem(f"page {n} ({spec.name}) sets {role} in {Path(key[0]).name}, page {m} in "
                                        f"{Path(k[0]).name}: one edition uses one face per role", spec.path, line,
                                        col, f"give every page the same fonts: {{{role}: …}} (a master is the place)"))
    if problems:
        raise PagesetterError(*problems)


_FACES: dict = {}


def _worker_init(requests: dict, cache_dir: Path, parent: int, search: tuple[Path, ...] = (),
                 overrides: dict | None = None) -> None:
    """A pool worker's start: tied to its parent, then every face prepared (`_init`)."""
    _tie_to_parent(parent)
    choose(cache_dir)  # (the subsets it cuts, the profile it reads: in the build's cache too)
    _init(requests, cache_dir, search, overrides)


def _tie_to_parent(parent: int) -> None:
    """Make a pool worker die with the build that started it: the kernel sends it SIGKILL when its
    parent ends, however it ends (prctl PR_SET_PDEATHSIG, Linux; elsewhere the pool's own pipe
    ends it). Ctrl-C is the parent's to handle (a worker would print a traceback of its own), and
    SIGTERM or SIGHUP ends a worker at once rather than unwinding a build it is not running."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if signal.getsignal(signal.SIGHUP) not in (signal.SIG_IGN, None):
        signal.signal(signal.SIGHUP, signal.SIG_DFL)
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent ended before the tie was made
        os._exit(1)


def _init(requests: dict, cache_dir: Path, search: tuple[Path, ...] = (), overrides: dict | None = None) -> None:
    """Prepare every face once (per process): from the cache after the first build; then the
    fallback faces (fonts.fallback) for what they lack, the same in every process; heads' word
    boundaries kept in the same cache folder."""
    use_word_cache(cache_dir)
    for key, (source, chars) in sorted(requests.items()):
        if key not in _FACES or _FACES[key][0] != chars:
            _FACES[key] = (chars, prepare_face(source, chars, cache_dir))
    missing = {key: asked(_FACES[key][1]) for key in sorted(requests)}
    extra, found = fallback_faces(missing, search, lambda source, chars: prepare_face(source, chars, cache_dir),
                                  role_of=lambda key: requests[key][0].role, overrides=overrides)
    for name, face in extra.items():
        _FACES[("fallback", name)] = (face.missing, face)
    for key, chars in found.items():
        face = _FACES[key][1]
        _FACES[key] = (_FACES[key][0], replace(face, metrics=replace(face.metrics, fallback=MappingProxyType(chars))))


def with_fallbacks(page_roles: dict) -> dict:
    """A page's role → face key, with the fallback faces its faces use (after `_init`)."""
    out = dict(page_roles)
    for key in page_roles.values():
        for name in sorted(set(_FACES[key][1].metrics.fallback.values())):
            out[name] = ("fallback", name)
    return out


def unset(key) -> frozenset:
    """What the face under `key` lacks that no fallback face sets (after `_init`)."""
    face = _FACES[key][1]
    return face.missing - face.metrics.fallback.keys()


def _faces_of(roles: dict) -> dict:
    return {role: _FACES[key][1] for role, key in roles.items()}


def _task(args):
    """Compose one page, and render its PDF when asked (in a worker, or in this process)."""
    from .render.pdf import render_pdf

    spec, stories, roles, outgoing, incoming, meta = args
    faces = _faces_of(roles)
    page, rests = compose_page(spec, stories, {r: f.metrics for r, f in faces.items()}, outgoing, incoming)
    return page, rests, render_pdf(page.layout, faces, meta) if meta is not None else None


def _whole(pages: list, meta) -> bytes:
    """The edition's PDF: every page's layout, in order, in one document (each face embedded once)."""
    from .render.pdf import render_pdf

    faces = {}
    for _, roles in pages:
        faces.update(_faces_of(roles))
    return render_pdf([layout for layout, _ in pages], faces, meta)


def page_meta(spec: PageSpec, number: int, context: dict):
    """What a page's PDF says about itself: its spec's (build.doc_meta), with the edition's paper,
    date (when written as a date) and the page's number in the edition — its title naming them."""
    from .build import doc_meta
    from .render.standards import page_title

    meta = doc_meta(spec)
    date = re.fullmatch(r"(\d{4})(?:-|年)(\d{1,2})(?:-|月)(\d{1,2})日?", str(context.get("date", "")).strip())
    paper = str(context.get("paper") or meta.paper)
    day = f"{date[1]}-{int(date[2]):02d}-{int(date[3]):02d}" if date else meta.date
    return replace(meta, page=number, paper=paper, date=day,
                   title=page_title(paper, day, number, meta.heading, spec.name))


def edition_title(edition: EditionSpec) -> str:
    """The edition PDF's title: the paper and date as printed (人民日报 2022年6月24日), else its name."""
    context = edition.pages[0].context if edition.pages else {}
    words = [str(context.get(k) or "").strip() for k in ("paper", "date")]
    return " ".join(w for w in words if w) or edition.name


def _png(args) -> tuple:
    """A page's PNG preview and a warning if the page is too large for the dpi: made from the
    page's PDF, or from a proof rendering (a tuple: layout, face roles, meta) when the page's
    `page.placeholders` asks to see its empty image slots (build.proof_pdf)."""
    from .render.png import preview

    source, *rest = args
    if isinstance(source, tuple):
        layout, roles, meta = source
        from .render.pdf import render_pdf

        source = render_pdf(layout, _faces_of(roles), replace(meta, proof=True))
    return preview(source, *rest)


MAX_JOBS = 64  # as --jobs and edition.jobs allow


def _env_jobs() -> int | None:
    """PAGESETTER_JOBS: a whole number of processes, 1 or more (above MAX_JOBS it is MAX_JOBS, as
    no build is faster with more workers than that); unset or empty: None. Anything else is bad input."""
    raw = os.environ.get("PAGESETTER_JOBS")
    if raw is None or not raw.strip():
        return None
    text = raw.strip()
    if not (text.isascii() and text.isdigit() and int(text) >= 1):
        raise PagesetterError(Problem(f"the environment variable is {raw!r}, not a number of processes", "PAGESETTER_JOBS",
                                      fix=f"set it to a whole number from 1 to {MAX_JOBS} (e.g. PAGESETTER_JOBS=2), "
                                          "or unset it to use one process per core"))
    return min(int(text), MAX_JOBS)


def _jobs(edition: EditionSpec, jobs: int | None, pages: int) -> int:
    n = jobs or _env_jobs() or edition.jobs or os.cpu_count() or 1
    return max(1, min(n, pages, MAX_JOBS))


def _close(pool, finished: bool) -> None:
    """Shut the pool: after the work, waiting for its workers; on an error, Ctrl-C or SIGTERM, at
    once — what is queued is cancelled and the workers are ended, so the build stops now."""
    if pool is None:
        return
    if finished:
        pool.shutdown()
        return
    workers = list((getattr(pool, "_processes", None) or {}).values())  # (shutdown forgets them)
    pool.shutdown(wait=False, cancel_futures=True)
    for process in workers:
        try:
            process.terminate()
        except (OSError, AttributeError):
            pass


def compose_edition(path: Path, cache_dir: Path | None = None, allow_outside: bool = False,
                    jobs: int | None = None, render: bool = False, png_dpi: float | None = None) -> ComposedEdition:
    """Load, check and compose every page of an edition (nothing is written); with `render`, also
    each page's PDF, the edition's PDF and (`png_dpi`) each page's PNG preview. Every cache is
    read from and written to `cache_dir` (None: `default_cache_dir()`), in the pool's workers too."""
    with chosen(cache_dir):
        return _compose_edition(path, cache_dir, allow_outside, jobs, render, png_dpi)


def _compose_edition(path: Path, cache_dir: Path | None, allow_outside: bool, jobs: int | None, render: bool,
                     png_dpi: float | None) -> ComposedEdition:
    edition = load_edition(path, allow_outside)
    specs = load_pages(edition, allow_outside)
    jobs = _jobs(edition, jobs, len(specs))  # (a bad PAGESETTER_JOBS is told before any work)
    stories = [load_stories(s) for s in specs]
    for spec, st in zip(specs, stories):
        check_story_refs(spec, st)
    jumps, waves = plan(specs)
    cache_dir = Path(cache_dir or default_cache_dir())
    roles, requests = _face_plan(specs, stories, jumps, cache_dir)
    search = tuple(sorted({project_root(spec.path) / "fonts" for spec in specs}))
    # a fallback face a page's fonts: sets (the first page that sets it)
    overrides = {k: v for spec in reversed(specs) for k, v in spec.fonts.items() if k in FALLBACK_ROLES}
    _init(requests, cache_dir, search, overrides)
    missing = {k for k in requests if unset(k)}
    roles = [with_fallbacks(r) for r in roles]
    for n, spec in enumerate(specs):
        if missing & set(roles[n].values()):
            prepare_faces(spec, stories[n], cache_dir)  # the located missing-glyph error
    pool = ProcessPoolExecutor(jobs, initializer=_worker_init, initargs=(requests, cache_dir, os.getpid(), search, overrides)) \
        if jobs > 1 else None
    finished = False
    try:
        metas = [page_meta(spec, p.number, p.context) if render else None for spec, p in zip(specs, edition.pages)]
        results = _run_waves(pool, specs, stories, roles, jumps, waves, metas)
        whole, pngs = b"", ()
        if render:
            whole, pngs = _render(pool, results, roles, _whole_meta(edition, metas), metas, png_dpi)
        finished = True
    finally:
        _close(pool, finished)
    pages, warnings = [], []
    for n, spec in enumerate(specs):
        page, _, _ = results[n]
        faces = _faces_of(roles[n])
        page_warnings = [face_warning(spec, role, f.source.warning) for role, f in sorted(faces.items())
                         if f.source.warning]
        page_warnings += list(page.warnings)
        page_warnings += _empty_continuations(specs, jumps, results, n)
        pages.append(Composed(spec, page.layout, faces, list(page.block_overset), page_warnings))
        warnings += [w for w in page_warnings if w not in warnings]
    return ComposedEdition(edition, tuple(pages), jumps, tuple(r[2] for r in results) if render else (),
                           tuple(warnings), whole, tuple(pngs))


def _whole_meta(edition: EditionSpec, metas: list):
    """What the edition's PDF says about itself: the first page's meta, titled for the edition,
    with the pages' labels (版次)."""
    return replace(metas[0], title=edition_title(edition), page=None, labels=tuple(p.number for p in edition.pages))


def proof_edition(composed: ComposedEdition) -> bytes:
    """The edition's PDF as `render edition.yaml` shows it: a proof rendering (render.layers) when a
    page's `page.placeholders` asks to see its empty image slots, else the PDF as written."""
    if not any(p.layout.placeholders for p in composed.pages):
        return composed.whole
    from .render.pdf import render_pdf

    faces = {}
    for page in composed.pages:
        faces.update(page.faces)
    metas = [page_meta(c.spec, p.number, p.context) for c, p in zip(composed.pages, composed.edition.pages)]
    return render_pdf([c.layout for c in composed.pages], faces,
                      replace(_whole_meta(composed.edition, metas), proof=True))


def _render(pool, results: list, roles: list, meta, metas: list, png_dpi: float | None):
    """The edition's PDF and the pages' PNGs: in the pool, the whole document on one worker while the
    others make the previews."""
    pages = [(r[0].layout, roles[n]) for n, r in enumerate(results)]
    sources = [(layout, roles[n], metas[n]) if layout.placeholders else results[n][2]
               for n, (layout, _) in enumerate(pages)]
    png_args = [(s, png_dpi, 0, f"page {n}") for n, s in enumerate(sources, 1)] if png_dpi else []
    if pool is None:
        return _whole(pages, meta), [_png(a) for a in png_args]
    whole = pool.submit(_whole, pages, meta)
    pngs = list(pool.map(_png, png_args))
    return whole.result(), pngs


def _empty_continuations(specs, jumps, results, n: int) -> list[Problem]:
    out = []
    for j in jumps:
        if j.source[0] == n + 1 and not results[n][1].get(j.source[1]):
            spec = specs[n]
            line, col = spec.where.get(("stories", j.source[1]), (None, None))
            target = specs[j.target[0] - 1]
            out.append(Problem(f"story {j.source[1]!r} fits on page {n + 1}: nothing jumps to its continuation on "
                               f"page {j.target[0]} ({target.name}/{j.target[1]})", spec.path, line, col,
                               "remove the continuation, or give the story less room on this page"))
    return out


def _run_waves(pool, specs, stories, roles, jumps, waves, metas: list) -> list:
    """Compose the pages wave by wave; a continuation receives its source's rest from the wave before."""
    results: list = [None] * len(specs)
    for wave in waves:
        args = []
        for n in wave:
            outgoing = {j.source[1]: j.target[0] for j in jumps if j.source[0] == n}
            incoming = {}
            for j in jumps:
                if j.target[0] == n:
                    incoming[j.target[1]] = Incoming(j.source[0], results[j.source[0] - 1][1][j.source[1]],
                                                     _origin(specs, stories, jumps, j.source)[1])
            args.append((specs[n - 1], stories[n - 1], roles[n - 1], outgoing, incoming, metas[n - 1]))
        done = pool.map(_task, args) if pool and len(args) > 1 else map(_task, args)
        for n, result in zip(wave, done):
            results[n - 1] = result
    return results


def edition_report(composed: ComposedEdition) -> dict:
    """The copyfit report of every page, with the jumps between them."""
    e = composed.edition
    return {
        "edition": e.name,
        "pages": [{"number": n, **copyfit_report(c)} for n, c in enumerate(composed.pages, 1)],
        "jumps": [{"from": f"{composed.pages[j.source[0] - 1].spec.name}/{j.source[1]}", "from_page": j.source[0],
                   "to": f"{composed.pages[j.target[0] - 1].spec.name}/{j.target[1]}", "to_page": j.target[0]}
                  for j in composed.jumps],
        "warnings": [problem_data(w) for w in composed.warnings],
    }


def edition_outputs(out_pdf: Path, composed: ComposedEdition) -> list[tuple[Path, Path]]:
    """(page PDF, page PNG) paths: out/<edition>/<NN>-<page>.pdf beside out/<edition>.pdf."""
    folder = out_pdf.with_suffix("")
    return [(folder / f"{n:02d}-{c.spec.name}.pdf", folder / f"{n:02d}-{c.spec.name}.png")
            for n, c in enumerate(composed.pages, 1)]


def edition_inputs(composed: ComposedEdition) -> dict[Path, str]:
    """Every file an edition's build read: the edition file and each page's inputs (build.inputs_of)."""
    from .build import inputs_of

    inputs = {Path(composed.edition.path): "the edition"}
    for page in composed.pages:
        inputs.update(inputs_of(page))
    return inputs


def build_edition(path: Path, out_pdf: Path, png: bool = True, dpi: float = 100, cache_dir: Path | None = None,
                  allow_outside: bool = False, jobs: int | None = None) -> ComposedEdition:
    """Build the edition's PDF, its pages' PDFs and PNG previews and its report (<name>.report.json),
    written as one set (all replaced, or on any failure none) and never over an input of the build."""
    from .build import write_outputs
    from .outputs import check_owned, check_targets, guard, set_record
    from .render.raster import check_dpi

    out_pdf = Path(out_pdf)
    if png:
        check_dpi(dpi)
    report_path = out_pdf.with_suffix(".report.json")
    head = [(out_pdf, "the edition's PDF"), (report_path, "the edition's report")]
    check_targets(head)
    composed = compose_edition(path, cache_dir, allow_outside, jobs, render=True, png_dpi=dpi if png else None)
    outputs = edition_outputs(out_pdf, composed)
    files = {out_pdf: composed.whole}
    for n, ((pdf, image), data) in enumerate(zip(outputs, composed.pdfs)):
        files[pdf] = data
        if png:
            files[image], warning = composed.pngs[n]
            if warning is not None:
                composed = replace(composed, warnings=(*composed.warnings, warning))
    report = dict(edition_report(composed), outputs=set_record(files, report_path))
    files[report_path] = (json.dumps(report, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    targets = [(p, "the edition's PDF" if p == out_pdf else f"the edition's {p.name}") for p in files]
    check_targets(targets)
    inputs = edition_inputs(composed)
    guard(targets, inputs)
    check_owned(targets, report_path)
    stale = [image for _, image in outputs if not png]  # an older preview would lie (removed if the set's)
    write_outputs(files, stale, out_pdf, "the edition's output", report_path, inputs)
    return composed
