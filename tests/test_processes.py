"""Processes and signals (issue 18): Ctrl-C exits 130 with the previous set intact; an edition's
pool workers die with their parent however it ends; PAGESETTER_JOBS is checked; a standard output
with no room and a deleted working folder are clear errors, not internal ones.

The signals are real ones, sent by the build to itself at a fixed point of its work (a hook put
in place by the small driver script below), so no test depends on how long anything takes."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from editions import edition_project
from pagesetter.build_edition import MAX_JOBS, _jobs
from pagesetter.cli import main
from specs import SPEC, project
from test_safety import snapshot

# Runs `pagesetter ARGS…` with a hook: when the build reaches HOOK (a function of a module), the
# process sends itself SIGNAL (after writing its pool workers' ids to PIDS, when it has a pool).
DRIVER = """
import os, signal, sys
import pagesetter.cli as cli
module, name, sig, pids = sys.argv[1:5]
mod = __import__(module, fromlist=[name])
real = getattr(mod, name)

def hook(*args, **kw):
    pool = args[0] if name == "_run_waves" else None
    if pool is not None:
        list(pool.map(abs, range(4)))  # the workers are up and have run their start
        with open(pids, "w") as fh:
            fh.write(" ".join(str(p) for p in pool._processes))
    os.kill(os.getpid(), getattr(signal, sig))
    return real(*args, **kw)

setattr(mod, name, hook)
sys.argv = ["pagesetter", *sys.argv[5:]]
cli.run()
"""


def drive(tmp_path: Path, module: str, name: str, sig: str, *args: str, **kw) -> subprocess.CompletedProcess:
    script = tmp_path / "driver.py"
    script.write_text(DRIVER, encoding="utf-8")
    with open(tmp_path / "stderr", "w+") as err:  # (a file, not a pipe: a worker left behind cannot hold it)
        code = subprocess.run([sys.executable, str(script), module, name, sig, str(tmp_path / "pids"), *args],
                              stdout=subprocess.DEVNULL, stderr=err, timeout=120, **kw).returncode
        err.seek(0)
        return subprocess.CompletedProcess(args, code, "", err.read())


def gone(pid: int, within: float = 20.0) -> bool:
    """Whether process `pid` has ended (polled until `within` seconds have passed)."""
    end = time.monotonic() + within
    while time.monotonic() < end:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return True
        if state == "Z":  # ended, waiting for its parent to collect it
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def good_set(tmp_path):
    """The small project with one good build in out/: (spec, out PDF, snapshot of the project)."""
    spec = project(tmp_path)
    out = tmp_path / "out" / "p.pdf"
    assert CliRunner().invoke(main, ["build", str(spec), "-o", str(out)]).exit_code == 0
    spec.write_text(SPEC.replace("size: 三号", "size: 二号"), encoding="utf-8")  # the next build differs
    return spec, out, snapshot(tmp_path)


def test_ctrl_c_while_rendering_exits_130_with_the_previous_set(tmp_path, good_set):
    spec, out, before = good_set
    result = drive(tmp_path, "pagesetter.render.pdf", "render_pdf", "SIGINT", "build", str(spec), "-o", str(out))
    assert result.returncode == 130, result.stderr
    assert "stopped (Ctrl-C)" in result.stderr and "Traceback" not in result.stderr
    after = snapshot(tmp_path)
    assert {k: v for k, v in after.items() if k not in ("driver.py", "pids", "stderr")} == before


def test_ctrl_c_while_the_set_is_put_in_place_rolls_back(tmp_path, good_set, monkeypatch):
    """Ctrl-C between two renames of the set: the files already renamed are put back."""
    from pagesetter import outputs

    spec, out, before = good_set
    real, calls = os.replace, []

    def interrupted(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(src, dst)

    monkeypatch.setattr(outputs.os, "replace", interrupted)
    result = CliRunner().invoke(main, ["build", str(spec), "-o", str(out)])
    monkeypatch.undo()
    assert result.exit_code == 130, result.output
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("sig, code", [("SIGKILL", -9), ("SIGTERM", 143), ("SIGINT", 130), ("SIGHUP", 129)])
def test_pool_workers_die_with_their_parent(tmp_path, sig, code):
    """Killing the parent of `build --jobs 2` (kill -9, kill, Ctrl-C) leaves no worker running,
    and the earlier edition output is untouched."""
    ed = edition_project(tmp_path)
    out = tmp_path / "out" / "ed.pdf"
    assert CliRunner().invoke(main, ["build", str(ed), "-o", str(out), "--no-png"]).exit_code == 0
    before = snapshot(tmp_path / "out")
    result = drive(tmp_path, "pagesetter.build_edition", "_run_waves", sig, "build", str(ed), "-o", str(out),
                   "--jobs", "2", "--no-png")
    assert result.returncode == code, result.stderr
    pids = [int(p) for p in (tmp_path / "pids").read_text().split()]
    assert pids
    assert all(gone(p) for p in pids), [p for p in pids if not gone(p, 0)]
    assert snapshot(tmp_path / "out") == before
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("value", ["abc", "-3", "0", "1.5", "２"])
def test_bad_jobs_variable_is_refused(tmp_path, value):
    ed = edition_project(tmp_path)
    before = snapshot(tmp_path)
    result = CliRunner().invoke(main, ["build", str(ed), "--no-png"], env={"PAGESETTER_JOBS": value})
    assert result.exit_code == 2, result.output
    assert f"PAGESETTER_JOBS: the environment variable is {value!r}, not a number of processes" in result.output
    assert "fix: set it to a whole number from 1 to 64" in result.output
    assert snapshot(tmp_path) == before


def test_jobs_variable_capped_like_the_option(monkeypatch):
    """PAGESETTER_JOBS=100000 gives MAX_JOBS workers at most (was a worker per page: 66, 2.4 GB)."""
    edition = type("Edition", (), {"jobs": None})()  # _jobs reads only its jobs
    monkeypatch.setenv("PAGESETTER_JOBS", "100000")
    assert _jobs(edition, None, 1000) == MAX_JOBS == 64
    assert _jobs(edition, None, 3) == 3  # never more workers than pages
    monkeypatch.setenv("PAGESETTER_JOBS", " ")  # empty: as if unset
    assert _jobs(type("Edition", (), {"jobs": 5})(), None, 1000) == 5


def test_standard_output_without_room_is_a_clear_error(tmp_path):
    spec = project(tmp_path)
    out = tmp_path / "out" / "p.pdf"
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, "-m", "pagesetter.cli", "build", str(spec), "-o", str(out)],
                                stdout=full, stderr=subprocess.PIPE, text=True, timeout=300)
    assert result.returncode == 2, result.stderr
    assert "cannot write to the standard output: no space left on device" in result.stderr
    assert "fix: send it where there is room" in result.stderr and "internal error" not in result.stderr
    assert sorted(p.name for p in out.parent.iterdir()) == ["p.pdf", "p.png", "p.report.json"]  # built whole


def test_deleted_working_folder_is_a_clear_error(tmp_path):
    spec = project(tmp_path)
    gone_dir = tmp_path / "gone"
    gone_dir.mkdir()
    before = snapshot(tmp_path)
    result = subprocess.run(["sh", "-c", f'cd "{gone_dir}" && rmdir "{gone_dir}" && exec "$0" -m pagesetter.cli '
                             f'build "{spec}" -o "{tmp_path}/out/p.pdf"', sys.executable],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 2, result.stderr
    assert "the current folder no longer exists" in result.stderr and "fix: cd into an existing folder" in result.stderr
    after = snapshot(tmp_path)
    assert after == {k: v for k, v in before.items()}  # nothing written (the folder itself is gone: it was empty)
