"""docs/regression-testing.md, section 2 — an edition golden suite a newcomer copies — run exactly
as the page gives it: its shell commands, its test file, its one-character change; green, then red
naming page 2, the story and the article line, as the page's failure excerpt shows (issue 25)."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tinypage import need_noto

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "regression-testing.md"
SECTION = "## 2. An edition's goldens: a suite to copy"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.DOTALL | re.MULTILINE)


def _section() -> str:
    text = DOC.read_text(encoding="utf-8")
    start = text.index(SECTION)
    return text[start:text.index("\n## ", start + 1)]


def _blocks() -> tuple[str, str, str, str]:
    """The section's fenced blocks: set-up (sh), the test file (python), the runs (sh), the failure."""
    blocks = FENCE.findall(_section())
    assert [lang for lang, _ in blocks] == ["sh", "python", "sh", ""], blocks
    return tuple(body for _, body in blocks)  # type: ignore[return-value]


def _run(line: str, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-c", f"set -e\n{line}"], cwd=cwd, capture_output=True, text=True, env=env,
                          check=False)


def _expected(failure: str) -> list[str]:
    """The excerpt's lines as pieces that must appear in the real output (`…` elides a path)."""
    pieces = []
    for line in failure.splitlines():
        body = line.removeprefix("E").strip()
        pieces += [p.strip() for p in body.split("…") if p.strip()]
    return pieces


def test_the_documented_edition_suite_goes_green_then_red_naming_page_2(tmp_path):
    need_noto()
    setup, test_file, runs, failure = _blocks()
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "PAGESETTER_REGENERATE", "PAGESETTER_STRICT")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"  # `pagesetter`, `python`
    made = _run(setup + "\npwd", tmp_path, env)
    assert made.returncode == 0, made.stderr
    project = Path(made.stdout.splitlines()[-1])  # where the set-up's `cd` left the newcomer
    name = test_file.splitlines()[0].removeprefix("# ").strip()
    (project / name).write_text(test_file, encoding="utf-8")
    results = [_run(line, project, env) for line in runs.splitlines() if line.strip()]
    regenerate, green, change, red = results
    assert regenerate.returncode == 0 and "wrote " in regenerate.stdout, regenerate.stdout + regenerate.stderr
    assert (project / "tests" / "golden" / "edition.jumps.json").is_file()
    assert green.returncode == 0 and "1 passed" in green.stdout, green.stdout
    assert change.returncode == 0, change.stderr
    assert red.returncode == 1 and "1 failed" in red.stdout, red.stdout
    for piece in _expected(failure):
        assert piece in red.stdout, f"the documented failure says {piece!r}; the run said:\n{red.stdout}"
    assert "page 1 page-1" not in red.stdout
