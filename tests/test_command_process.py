"""The command's process tricks (pagesetter/process.py) sit behind one switch, PAGESETTER_LEAN: on by
default for the command (ReportLab without HarfBuzz, no teardown after the atexit handlers; the
cycle collector left as it is), all off with PAGESETTER_LEAN=0, and the fast exit stands aside for
a profiler, so `python -m cProfile -m pagesetter.cli …` prints its figures."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from specs import project

# what the process looks like at its end: the atexit handlers run in both ways; an object still
# alive is freed (its __del__ runs) only when the interpreter is torn down
WITNESS = """\
import atexit, gc, sys
class Freed:
    def __del__(self):
        print("freed", file=sys.stderr)
kept = Freed()
atexit.register(lambda: print("gc", gc.isenabled(), "harfbuzz", "uharfbuzz" in sys.modules, file=sys.stderr))
from pagesetter.cli import run
sys.argv = ["pagesetter"] + sys.argv[1:]
run()
"""


@pytest.fixture
def warm(tmp_path) -> tuple[Path, dict]:
    """A small project built once, so its font cache is warm (a cold build imports HarfBuzz to cut)."""
    spec = project(tmp_path)
    env = {**os.environ, "PAGESETTER_CACHE": str(tmp_path / "cache")}
    env.pop("PAGESETTER_LEAN", None)
    first = subprocess.run([sys.executable, "-m", "pagesetter.cli", "build", str(spec), "--no-png"],
                           capture_output=True, text=True, cwd=tmp_path, env=env)
    assert first.returncode == 0, first.stderr
    return spec, env


def _witnessed(spec: Path, env: dict) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-c", WITNESS, "build", str(spec), "--no-png"], capture_output=True,
                          text=True, cwd=spec.parent.parent, env=env)
    assert done.returncode == 0 and done.stdout.startswith("built "), done.stdout + done.stderr
    return done


def test_the_command_is_lean_by_default(warm):
    spec, env = warm
    done = _witnessed(spec, env)
    assert "gc True harfbuzz False" in done.stderr  # ReportLab shown no HarfBuzz; the collector untouched
    assert "freed" not in done.stderr  # handlers run, then no teardown


def test_pagesetter_lean_0_turns_every_trick_off(warm):
    spec, env = warm
    done = _witnessed(spec, {**env, "PAGESETTER_LEAN": "0"})
    assert "gc True harfbuzz True" in done.stderr  # ReportLab imports its shaper as it does in a library
    assert "freed" in done.stderr  # Python's own exit, teardown and all


def test_the_command_runs_under_cprofile_and_its_figures_are_printed(warm, tmp_path):
    spec, env = warm
    out = tmp_path / "profiled.pdf"
    done = subprocess.run([sys.executable, "-m", "cProfile", "-s", "cumulative", "-m", "pagesetter.cli", "build",
                           str(spec), "--no-png", "-o", str(out)], capture_output=True, text=True, cwd=tmp_path,
                          env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("built ") and "function calls" in done.stdout and "cumulative" in done.stdout
    assert out.read_bytes().startswith(b"%PDF")
