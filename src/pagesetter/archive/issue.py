"""One issue (一期) regenerated: the work of one archive task, run on a Dask worker (or in this
process). Its articles are scanned (story.scan), written as an edition left to make-up on the
1946 template (story.archive_edition), made up, composed and rendered (build_edition), and its
files written as one set under DEST/<yyyy>/<mm>/<dd>/:

    rmrb-1946-05-15.pdf     the edition (every page)
    01.pdf 01.png 01.alto.xml …   per page (版): its PDF, its PNG preview, its ALTO
    mets.xml                the issue's METS (files, pages, articles → ALTO blocks)
    report.json             the copyfit report, the record of the set (every file's size and
                            SHA-256) and the key of what made it (inputs' and program's hashes)

report.json is written last: an issue whose report is missing, names another key, or whose files
are not what it recorded is made again; one that matches is skipped (`done`).
"""
from __future__ import annotations

import datetime
import hashlib
import json
import os
import resource
import shutil
import stat
import time
from dataclasses import replace
from pathlib import Path

from ..build_edition import edition_report
from ..errors import PagesetterError, Problem, internal_error
from ..outputs import digest, set_record, write_set
from ..records import record
from ..story.archive_edition import PAPER, story_id
from ..story.scan import ArchiveIssue, scan_paths
from .alto import page_alto
from .makeup import MadeIssue, make_up_issue
from .makeup import report as makeup_report
from .mets import Article, PageFiles, issue_mets
from .program import MASTERS, program_key, software

REPORT = "report.json"
WORK = ".work"  # DEST/.work/<date>/: the issue's edition and page specs while it is made


@record
class IssueJob:
    """What a task is given: the issue's date, its article files (paths: they travel, not their
    text), where to write, the PNG's dpi and the font cache."""

    date: str  # YYYY-MM-DD
    paths: tuple[str, ...]
    dest: str
    dpi: float
    cache: str | None = None


@record
class IssueResult:
    """What a task hands back (all the client keeps of an issue is its summary row)."""

    date: str
    status: str  # "made", "skipped" (done before, same key), "failed"
    pages: int = 0
    articles: int = 0
    overset: int = 0  # lines overset on the issue's pages
    problems: tuple[str, ...] = ()  # the located errors of a failed issue, or its warnings
    exit: int = 0  # 0 ok, 1 overset or warnings, 2 bad input, 3 internal error
    cpu: float = 0.0  # CPU seconds of the task
    wall: float = 0.0
    steps: tuple[tuple[str, float], ...] = ()  # wall seconds per step (compose+render, alto+mets, write)
    rss_mb: float = 0.0  # the worker's peak resident memory so far
    worker: int = 0  # the worker's process id
    jumps: int = 0  # stories continued on a later page (转版, archive.makeup)


def issue_folder(dest: Path, date: str) -> Path:
    y, m, d = date.split("-")
    return Path(dest) / y / m / d


def input_key(job: IssueJob) -> tuple[str, dict[str, str]]:
    """The hash of everything the issue's outputs depend on (the program, the masters, the dpi,
    every article's bytes) and the articles' own hashes by file name."""
    h = hashlib.sha256(f"{program_key()}\n{float(job.dpi)!r}\n".encode())  # (100 and 100.0: one dpi)
    files = {}
    for p in sorted(job.paths):
        digest = hashlib.sha256(Path(p).read_bytes()).hexdigest()
        files[Path(p).name] = digest
        h.update(f"{Path(p).name}\0{digest}\n".encode())
    return h.hexdigest(), files


def _fonts(report: dict) -> dict[str, list[int]]:
    return report.get("archive", {}).get("fonts", {})


def font_stamps(paths) -> dict[str, list[int]]:
    """Each font file used: [size, mtime in ns] (a font package upgrade makes the issue again)."""
    out = {}
    for p in sorted(set(map(str, paths))):
        st = os.stat(p)
        out[p] = [st.st_size, st.st_mtime_ns]
    return out


def is_done(folder: Path, key: str) -> bool:
    """Whether the issue's set at `folder` was made from `key` and is whole, as recorded."""
    report = folder / REPORT
    try:
        data = json.loads(report.read_bytes())
        if data.get("archive", {}).get("key") != key:
            return False
        fonts = _fonts(data)
        if any(font_stamps([p]) != {p: v} for p, v in fonts.items()):
            return False
    except (OSError, ValueError, AttributeError):
        return False
    members = data.get("outputs") or {}
    return bool(members) and all(_holds(folder / name, member) for name, member in members.items())


def _holds(path: Path, member: dict) -> bool:
    """The file at `path` is a regular file (not a link) with the recorded size and SHA-256."""
    try:
        st = os.lstat(path)
        return stat.S_ISREG(st.st_mode) and st.st_size == member.get("bytes") and digest(path.read_bytes()) == member
    except OSError:
        return False


def run_issue(job: IssueJob) -> IssueResult:
    """Regenerate one issue (a Dask task): skipped when done with the same key, a located error
    (`failed`) for bad input, never an exception for the input's sake."""
    t0, c0 = time.perf_counter(), time.process_time()
    steps: list[tuple[str, float]] = []
    try:
        key, inputs = input_key(job)
        folder = issue_folder(Path(job.dest), job.date)
        if is_done(folder, key):
            whole = json.loads((folder / REPORT).read_bytes())
            done = whole["archive"]
            pages, overset = done["pages"], int(done.get("overset", 0))
            result = IssueResult(job.date, "skipped", len(pages), sum(p["articles"] for p in pages), overset,
                                 exit=1 if overset else 0, jumps=len(whole.get("jumps", ())))
        else:
            result = _make(job, key, inputs, folder, steps)
    except PagesetterError as exc:
        result = IssueResult(job.date, "failed", problems=tuple(map(str, exc.problems)), exit=exc.exit_code)
    except OSError as exc:
        from ..files import os_problem

        result = IssueResult(job.date, "failed", problems=(str(os_problem(exc, exc.filename)),), exit=2)
    except Exception as exc:  # noqa: BLE001  a bug: the issue fails as one, the run goes on (exit 3 at the end)
        result = IssueResult(job.date, "failed", problems=(internal_error(exc),), exit=3)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return replace(result, cpu=time.process_time() - c0, wall=time.perf_counter() - t0, steps=tuple(steps),
                   rss_mb=rss, worker=os.getpid())


def _compose(job: IssueJob, issue: ArchiveIssue, work: Path) -> MadeIssue:
    """The issue made up as a make-up editor would (archive.makeup: tighter setting, then jumps)."""
    return make_up_issue(issue, work, MASTERS, Path(job.cache) if job.cache else None, job.dpi)


def _make(job: IssueJob, key: str, inputs: dict, folder: Path, steps: list) -> IssueResult:
    t = time.perf_counter()
    issues = scan_paths([Path(p) for p in job.paths])
    if len(issues) != 1 or issues[0].date.isoformat() != job.date:
        raise PagesetterError(Problem(f"the articles given for {job.date} are dated "
                                      f"{', '.join(i.date.isoformat() for i in issues)}", job.paths[0],
                                      fix="keep one issue's articles together"))
    issue = issues[0]
    work = Path(job.dest) / WORK / job.date
    try:
        made = _compose(job, issue, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    steps.append(("compose", time.perf_counter() - t))
    t = time.perf_counter()
    composed = made.composed
    files, record_ = issue_files(job, issue, composed, folder)
    steps.append(("alto+mets", time.perf_counter() - t))
    t = time.perf_counter()
    overset = sum(s.overset for p in composed.pages for s in p.layout.stories)
    report = _report(job, key, inputs, composed, {**record_, "overset": overset, "makeup": makeup_report(made)}, files, folder)
    files[folder / REPORT] = report
    stale = [folder / n for n in _old_members(folder) if folder / n not in files and "/" not in n]
    _sweep(folder)
    write_set(files, remove=stale)  # the report last: a set cut short by a kill is made again
    steps.append(("write", time.perf_counter() - t))
    warned = tuple(str(w) for w in composed.warnings)
    return IssueResult(job.date, "made", len(composed.pages), sum(len(p.articles) for p in issue.pages), overset,
                       warned, 1 if overset or warned else 0, jumps=len(composed.jumps))


def _sweep(folder: Path) -> None:
    """Remove what a write cut short by a kill left in the issue's folder (write_set's hidden
    `.<name>.<random>.tmp` and `.old` files): the folder is the archive's, one task per issue."""
    for entry in os.scandir(folder) if folder.is_dir() else ():
        if entry.name.startswith(".") and entry.name.endswith((".tmp", ".old")) and entry.is_file(follow_symlinks=False):
            os.unlink(entry.path)


def _old_members(folder: Path) -> dict:
    try:
        return json.loads((folder / REPORT).read_bytes()).get("outputs") or {}
    except (OSError, ValueError, AttributeError):
        return {}


def _label(article) -> str:
    return "\u3000".join(article.head.title)


def issue_files(job: IssueJob, issue: ArchiveIssue, composed, folder: Path) -> tuple[dict[Path, bytes], dict]:
    """The set's files (all but the report) and what the report records of the pages and articles."""
    edition_name = f"rmrb-{job.date}.pdf"
    files: dict[Path, bytes] = {folder / edition_name: composed.whole}
    pages, rows = [], []
    for n, (page, archive_page) in enumerate(zip(composed.pages, issue.pages), 1):
        labels = {story_id(a.rank): _label(a) for a in archive_page.articles}
        families = {role: face.name for role, face in page.faces.items()}
        ink = {role: face.metrics.ink for role, face in page.faces.items()}
        alto = page_alto(page.layout, n, f"{n:02d}.pdf", families, ink, labels, software())
        names = {"pdf": f"{n:02d}.pdf", "image": f"{n:02d}.png", "alto": f"{n:02d}.alto.xml"}
        data = {"pdf": composed.pdfs[n - 1], "image": composed.pngs[n - 1][0], "alto": alto.xml}
        files.update({folder / names[k]: data[k] for k in names})
        pages.append(PageFiles(n, f"第{archive_page.number}版", {k: (names[k], data[k]) for k in names}, alto.blocks))
        rows.append({"number": archive_page.number, "pdf": names["pdf"], "png": names["image"], "alto": names["alto"],
                     "articles": len(archive_page.articles), "characters": len(alto.text)})
    articles = _articles(issue, composed)
    files[folder / "mets.xml"] = issue_mets(PAPER, job.date, (edition_name, composed.whole), pages, articles, software())
    listed = [{"id": a.id, "headline": a.label, "source": a.source, "pages": sorted({n for n, _ in a.parts})}
              for a in articles]
    return files, {"pages": rows, "articles": listed}


def _articles(issue: ArchiveIssue, composed) -> list[Article]:
    """Each source article with the (page, story) parts it was set in: its story on its page and
    any continuation (转版) on later pages (the layout's story_keys name what a story continues)."""
    parts: dict[tuple[int, str], list[tuple[int, str]]] = {}
    for n, page in enumerate(composed.pages, 1):
        name = page.spec.name
        for report in page.layout.stories:
            origin = page.layout.story_keys.get(report.id, f"{name}/{report.id}")
            src_page = next(i for i, p in enumerate(composed.pages, 1) if origin.startswith(p.spec.name + "/"))
            parts.setdefault((src_page, origin.rsplit("/", 1)[1]), []).append((n, report.id))
    out = []
    for n, archive_page in enumerate(issue.pages, 1):
        for a in archive_page.articles:
            sid = story_id(a.rank)
            out.append(Article(f"{n:02d}_{sid}", _label(a), a.path.name, tuple(parts.get((n, sid), [(n, sid)]))))
    return out


def _report(job: IssueJob, key: str, inputs: dict, composed, record_: dict, files: dict, folder: Path) -> bytes:
    fonts = font_stamps(f.source.path for p in composed.pages for f in p.faces.values())
    data = dict(edition_report(composed))
    data["archive"] = {"date": job.date, "weekday": datetime.date.fromisoformat(job.date).isoweekday(),
                       "key": key, "software": software(), "inputs": inputs, "fonts": fonts, **record_}
    data["outputs"] = set_record(files, folder / REPORT)
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
