"""`cache_dir` reaches every cache: a build, a page composed for `check`, and an edition built in a
pool of workers read and write their file facts (file-hashes.json), metrics, subsets and the output
profile in the folder they are given, and nothing in the default one ($PAGESETTER_CACHE, and the
XDG and home folders it would fall back on). Each runs in a process of its own, so no memo of an
earlier test stands in for the cache."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from editions import edition_project
from tinypage import GBSN, need_noto, write_page

EVERY_CACHE = {"file-hashes.json", "metrics", "subsets", "profiles"}


def _run_with_cache_dir(tmp_path: Path, code: str) -> Path:
    """Run `code` (which builds into the folder named CACHE) in a fresh process whose default cache
    folders all lie under tmp_path; assert nothing reached them; return the folder it was given."""
    given = tmp_path / "given-cache"
    defaults = {"PAGESETTER_CACHE": tmp_path / "default-cache", "XDG_CACHE_HOME": tmp_path / "xdg"}
    env = {**os.environ, **{k: str(v) for k, v in defaults.items()}}
    done = subprocess.run([sys.executable, "-c", f"CACHE = {str(given)!r}\n" + code], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert [p for p in defaults.values() if p.exists()] == []
    return given


def _holds_every_cache(folder: Path) -> None:
    assert EVERY_CACHE <= {p.name for p in folder.iterdir()}
    for sub in EVERY_CACHE - {"file-hashes.json"}:
        assert any((folder / sub).iterdir()), f"{sub}/ is empty"


def test_a_build_with_a_cache_dir_keeps_every_cache_there(tmp_path):
    need_noto()
    spec = write_page(tmp_path / "page", fonts={"song": GBSN})  # a face of the spec's own: its family fact
    given = _run_with_cache_dir(tmp_path, "from pagesetter.build import build\n"
                                f"build({str(spec)!r}, {str(tmp_path / 'out' / 'tiny.pdf')!r}, png=True, cache_dir=CACHE)\n")
    _holds_every_cache(given)
    facts = (given / "file-hashes.json").read_text(encoding="utf-8")
    assert "family:" in facts and "faceinfo" in facts and "sha256" in facts


def test_check_with_a_cache_dir_keeps_its_caches_there(tmp_path):
    need_noto()
    spec = write_page(tmp_path / "page")
    given = _run_with_cache_dir(tmp_path, "from pagesetter.build import compose_page\n"
                                f"compose_page({str(spec)!r}, cache_dir=CACHE)\n")
    assert {"file-hashes.json", "metrics"} <= {p.name for p in given.iterdir()}


def test_an_edition_built_by_two_workers_keeps_every_cache_in_its_cache_dir(tmp_path):
    need_noto()
    edition = edition_project(tmp_path / "project")
    given = _run_with_cache_dir(tmp_path, "from pagesetter.build_edition import build_edition\n"
                                f"build_edition({str(edition)!r}, {str(tmp_path / 'out' / 'ed.pdf')!r}, png=False, "
                                "cache_dir=CACHE, jobs=2)\n")
    _holds_every_cache(given)
