"""Under CI a skip is a failure (tests/conftest.py): a run that compared nothing cannot pass."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

PROBE = '''
import pytest

def test_needs_something_absent():
    pytest.skip("the checker is not beside the repository")

@pytest.mark.skipif(True, reason="a font package is missing")
def test_marked():
    pass

def test_runs():
    assert True
'''


def _run(tmp_path: Path, ci: str | None) -> subprocess.CompletedProcess:
    shutil.copy(Path(__file__).with_name("conftest.py"), tmp_path / "conftest.py")
    (tmp_path / "test_probe.py").write_text(PROBE, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    if ci is not None:
        env["CI"] = ci
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
                          cwd=tmp_path, capture_output=True, text=True, env=env)


def test_under_ci_every_skip_fails_naming_its_reason(tmp_path):
    run = _run(tmp_path, "true")
    assert run.returncode == 1, run.stdout
    assert "1 failed, 1 passed, 1 error" in run.stdout  # (a skip in set-up is reported as an error)
    assert "skipped under CI, which must run every test" in run.stdout
    assert "a font package is missing" in run.stdout and "not beside the repository" in run.stdout


def test_outside_ci_a_skip_stays_a_skip(tmp_path):
    for ci in (None, "0", "false"):
        run = _run(tmp_path, ci)
        assert run.returncode == 0, run.stdout
        assert "1 passed, 2 skipped" in run.stdout
