"""The type checker and the linter, as configured in pyproject.toml ([tool.mypy], [tool.ruff]), find
nothing: mypy on src/pagesetter, ruff on src/, tests/ and benchmarks/. A finding fails the suite with
their own output (file, line, rule), so it reads as it would on the command line. Each is also shown
to find a planted mistake under the same configuration, so a configuration that checks nothing (a
blanket ignore, an empty file list) cannot pass for a clean one."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINTED = ("src", "tests", "benchmarks")


def _run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, input=stdin, capture_output=True, text=True,
                          timeout=600)


def test_mypy_finds_no_error_in_pagesetter():
    done = _run("mypy")  # the files and options: pyproject.toml's [tool.mypy]
    assert done.returncode == 0, f"mypy found errors (fix them, or see pyproject.toml):\n{done.stdout}{done.stderr}"
    assert "no issues found in" in done.stdout and "source files" in done.stdout, done.stdout


def test_mypy_under_the_projects_configuration_finds_a_planted_error(tmp_path):
    planted = tmp_path / "planted.py"
    planted.write_text("from pagesetter.records import record\n\n\n@record\nclass P:\n    x: float\n\n\n"
                       "P(x='one')\nP(1.0).x = 2.0\n", encoding="utf-8")
    done = _run("mypy", "--no-incremental", str(planted))
    assert done.returncode == 1, done.stdout + done.stderr
    assert 'incompatible type "str"; expected "float"' in done.stdout, done.stdout  # @record's __init__ is seen
    assert "read-only" in done.stdout or "frozen" in done.stdout, done.stdout  # … and that it is frozen


def test_ruff_finds_nothing():
    done = _run("ruff", "check", "--no-cache", *LINTED)
    assert done.returncode == 0, f"ruff found problems (fix them, or see pyproject.toml):\n{done.stdout}{done.stderr}"


def test_ruff_under_the_projects_configuration_finds_a_planted_mistake():
    planted = "import os\n\n\ndef f(items=[]):\n    return [lambda: i for i in items]\n"
    done = _run("ruff", "check", "--no-cache", "--stdin-filename", "src/pagesetter/planted.py", "-", stdin=planted)
    assert done.returncode == 1, done.stdout + done.stderr
    for rule in ("F401", "B006", "B023"):  # pyflakes and bugbear are on
        assert rule in done.stdout, done.stdout
