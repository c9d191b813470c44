"""`pagesetter archive SOURCE -o DEST`: every issue of an archive regenerated on Dask distributed
(分布式) — a local cluster of worker processes (one thread each) by default, a running
scheduler with `--scheduler ADDRESS`.

- One task per issue (`issue.run_issue`), given the issue's date and its files' paths; at most
  `window` tasks are in flight (submitted as the issues are found, collected with
  `as_completed`), so the client holds the run's summary and nothing else that grows.
- Faces and the program's key are prepared once per worker (`WarmWorker`, a worker plugin).
- A worker that dies loses only its task, which Dask runs again on another (its scheduler's
  allowed failures; `retries` more for an exception); a bad issue comes back as a located error
  and the run goes on. A finished issue is skipped on the next run when its key is unchanged.
- Progress on stderr: issues and pages done, pages per minute, the estimate of what is left.
"""
from __future__ import annotations

import json
import logging
import os
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from distributed import WorkerPlugin

from ..errors import PagesetterError, Problem
from ..outputs import write_atomically
from ..records import record
from .issue import WORK, IssueJob, IssueResult, run_issue
from .sources import SourceIssue, count_articles, source_issues

SUMMARY = "summary.json"
RETRIES = 2  # a task that raised is tried this many more times (a worker's death: the scheduler's own count)


@record
class RunOptions:
    source: Path
    dest: Path
    workers: int = 2
    scheduler: str | None = None
    dpi: float = 100.0
    window: int = 0  # tasks in flight; 0: two per worker
    cache: str | None = None


class WarmWorker(WorkerPlugin):
    """A Dask worker plugin: on each worker's start, pagesetter is imported and the program's
    key computed, and the template's faces prepared (the face cache warm), once per worker."""

    name = "pagesetter-warm"

    def setup(self, worker: Any) -> None:
        from .program import program_key
        from .warm import warm_faces

        program_key()
        warm_faces()


def claim(dest: Path, source: Path) -> None:
    """SOURCE is a folder; DEST is the archive's own: new, empty, or an earlier run's (its
    summary.json); never the source or inside it (exit 2 otherwise)."""
    dest, source = Path(dest), Path(source)
    if not source.is_dir():
        raise PagesetterError(Problem("the archive folder is not found", source,
                                      fix="give the folder (or tree of folders) holding the *.md articles"))
    d, s = os.path.realpath(dest), os.path.realpath(source)
    if d == s or d.startswith(s + os.sep) or s.startswith(d + os.sep):
        raise PagesetterError(Problem("the output folder and the archive overlap", dest,
                                      fix="write the regenerated archive outside the source (e.g. -o out/archive)"))
    if dest.exists() and not dest.is_dir():
        raise PagesetterError(Problem("the output is a file, not a folder", dest, fix="give a folder for -o"))
    if dest.is_dir() and any(dest.iterdir()) and not _ours(dest / SUMMARY):
        raise PagesetterError(Problem("the output folder holds files that pagesetter archive did not write (no "
                                      f"{SUMMARY} of an earlier run)", dest,
                                      fix="give a new or empty folder, or the folder of an earlier archive run"))


def _ours(path: Path) -> bool:
    try:
        return json.loads(path.read_bytes()).get("kind") == "pagesetter archive"
    except (OSError, ValueError, AttributeError):
        return False


class Summary:
    """What the client keeps of a run: counts, failures (each issue's located error), timings,
    each worker's peak memory."""

    def __init__(self, source: Path, dest: Path, workers: int):
        self.data: dict[str, Any] = {
            "kind": "pagesetter archive", "source": str(source), "dest": str(dest), "workers": workers,
            "issues": {"made": 0, "skipped": 0, "failed": 0}, "pages": 0, "articles": 0, "overset_lines": 0,
            "jumps": 0, "overset": [], "failures": [], "warnings": 0, "cpu_seconds": 0.0, "steps": {}, "first_rss_mb": {}, "peak_rss_mb": {},
            "exit": 0}
        self.start = time.perf_counter()
        self.made_pages = 0

    def add(self, r: IssueResult) -> None:
        d = self.data
        d["issues"][r.status] += 1
        d["pages"] += r.pages
        d["articles"] += r.articles
        d["overset_lines"] += r.overset
        d["jumps"] += r.jumps
        d["exit"] = max(d["exit"], r.exit)
        if r.overset:  # named, as a build names it: the issue's report says which stories
            d["overset"].append({"issue": r.date, "lines": r.overset})
        if r.status == "failed":
            d["failures"].append({"issue": r.date, "problems": list(r.problems)})
        elif r.problems:
            d["warnings"] += len(r.problems)
        if r.status == "made":
            self.made_pages += r.pages
            d["cpu_seconds"] += r.cpu
            for step, s in r.steps:
                d["steps"][step] = d["steps"].get(step, 0.0) + s
        if r.worker:
            key = str(r.worker)
            d["first_rss_mb"].setdefault(key, round(r.rss_mb, 1))  # after its first issue: with the peak, flat or not
            d["peak_rss_mb"][key] = round(max(d["peak_rss_mb"].get(key, 0.0), r.rss_mb), 1)

    def finish(self) -> dict[str, Any]:
        d = dict(self.data)
        wall = time.perf_counter() - self.start
        d["wall_seconds"] = round(wall, 2)
        d["pages_made"] = self.made_pages
        d["pages_per_minute"] = round(self.made_pages / wall * 60, 1) if wall else 0.0
        d["cpu_per_page"] = round(d["cpu_seconds"] / self.made_pages, 3) if self.made_pages else None
        d["cpu_seconds"] = round(d["cpu_seconds"], 2)
        d["steps"] = {k: round(v, 2) for k, v in sorted(d["steps"].items())}
        return d


class Progress:
    """Issues and pages done, the rate and the estimate, on stderr (one line, redrawn on a terminal)."""

    def __init__(self, total_articles: int, echo: Callable[[str], None] | None):
        self.total, self.echo, self.start = max(total_articles, 1), echo, time.perf_counter()
        self.issues = self.pages = self.articles = 0

    def update(self, r: IssueResult) -> None:
        self.issues += 1
        self.pages += r.pages
        self.articles += r.articles
        if self.echo is None:
            return
        wall = time.perf_counter() - self.start
        rate = self.pages / wall * 60 if wall else 0.0
        left = wall / self.articles * (self.total - self.articles) if self.articles else 0.0
        state = "" if r.status == "made" else f" ({r.status})"
        self.echo(f"[{self.articles * 100 // self.total:3d}%] {self.issues} issues, {self.pages} pages · {rate:.1f} "
                  f"pages/min · ETA {int(left) // 60}:{int(left) % 60:02d} · {r.date}{state}")


def _client(opts: RunOptions):
    """A Dask client: of the scheduler at `opts.scheduler`, or of a new local cluster."""
    from dask.distributed import Client, LocalCluster

    if opts.scheduler:
        try:
            return Client(opts.scheduler, timeout="20s"), None
        except (OSError, TimeoutError) as exc:
            raise PagesetterError(Problem(f"cannot reach the Dask scheduler: {exc}", opts.scheduler,
                                          fix="start one (dask scheduler) and pass its address, e.g. "
                                              "tcp://10.0.0.5:8786, or leave --scheduler out for a local cluster")) from None
    cluster = LocalCluster(n_workers=opts.workers, threads_per_worker=1, processes=True, dashboard_address=None,
                           silence_logs=logging.ERROR)
    return Client(cluster), cluster


def _jobs(opts: RunOptions, summary: Summary, progress: Progress) -> Iterator[IssueJob]:
    """The issues to submit; those already failed at their source go straight to the summary."""
    for si in source_issues(opts.source):
        if si.problems:
            r = _failed(si)
            summary.add(r)
            progress.update(r)
            continue
        yield IssueJob(si.date, si.paths, str(opts.dest), opts.dpi, opts.cache)


def _failed(si: SourceIssue) -> IssueResult:
    return IssueResult(si.date, "failed", articles=len(si.paths), problems=si.problems, exit=2)


def _died(job: IssueJob, exc: BaseException) -> IssueResult:
    problem = f"the issue's task failed on every try: {type(exc).__name__}: {exc}"
    return IssueResult(job.date, "failed", problems=(problem,), exit=3)


def run_archive(opts: RunOptions, echo: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Regenerate every issue of `opts.source` under `opts.dest`, write the index and the summary;
    returns the summary."""
    from dask.distributed import as_completed

    from .index import write_index

    claim(opts.dest, opts.source)
    Path(opts.dest).mkdir(parents=True, exist_ok=True)
    summary = Summary(opts.source, opts.dest, opts.workers)
    _write_summary(Path(opts.dest), {**summary.data, "status": "running"})  # the folder is the archive's from now
    progress = Progress(count_articles(opts.source), echo)
    client, cluster = _client(opts)
    try:
        client.register_plugin(WarmWorker())
        workers = len(client.scheduler_info().get("workers", {})) or opts.workers
        summary.data["workers"] = workers
        _drain(client, as_completed(), _jobs(opts, summary, progress), opts.window or 2 * workers, summary, progress)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    _tidy(Path(opts.dest))
    write_index(Path(opts.dest))
    data = {**summary.finish(), "status": "finished"}
    _write_summary(Path(opts.dest), data)
    return data


def _write_summary(dest: Path, data: dict[str, Any]) -> None:
    write_atomically(dest / SUMMARY, (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))


def _drain(client, pending, jobs: Iterator[IssueJob], window: int, summary: Summary, progress: Progress) -> None:
    """Keep `window` tasks in flight; as each completes, record it and submit the next."""
    token = uuid.uuid4().hex[:8]
    submitted: dict = {}

    def submit() -> None:
        job = next(jobs, None)
        if job is not None:
            future = client.submit(run_issue, job, key=f"issue-{job.date}-{token}", retries=RETRIES, pure=False)
            submitted[future.key] = job
            pending.add(future)

    for _ in range(window):
        submit()
    for future in pending:
        job = submitted.pop(future.key)
        try:
            result = future.result()
        except Exception as exc:  # noqa: BLE001  every try failed (a worker died each time, or a bug outside run_issue)
            result = _died(job, exc)
        future.release()
        summary.add(result)
        progress.update(result)
        submit()


def _tidy(dest: Path) -> None:
    """Remove the work folder if it is empty (an issue's specs are removed with the issue)."""
    try:
        (dest / WORK).rmdir()
    except OSError:
        pass


def echo_err(line: str) -> None:
    """Progress on stderr: redrawn on a terminal, a line per issue otherwise."""
    if sys.stderr.isatty():
        sys.stderr.write("\r\x1b[K" + line)
    else:
        sys.stderr.write(line + "\n")
    sys.stderr.flush()
