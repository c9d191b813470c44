"""`pagesetter init DIR` scaffolds a page that builds as it is (and passes pagecheck)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pagesetter.cli import main
from pagesetter.pagespec.schema import schema_text

PAGECHECK = Path(__file__).resolve().parents[2] / "shared" / "tools" / "pagecheck.py"


@pytest.fixture(scope="module")
def scaffolded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("init") / "newpage"
    result = CliRunner().invoke(main, ["init", str(folder)])
    assert result.exit_code == 0, result.output
    return folder


def test_init_writes_the_files(scaffolded):
    names = sorted(str(p.relative_to(scaffolded)) for p in scaffolded.rglob("*") if p.is_file())
    assert names == ["articles/story.md", "fonts/README.md", "layouts/page.yaml", "schema/page.schema.json"]
    assert (scaffolded / "schema" / "page.schema.json").read_text(encoding="utf-8") == schema_text()
    spec = (scaffolded / "layouts" / "page.yaml").read_text(encoding="utf-8")
    assert spec.startswith("# yaml-language-server: $schema=../schema/page.schema.json\n")


def test_scaffold_validates_against_schema(scaffolded):
    import json

    import yaml

    jsonschema = pytest.importorskip("jsonschema")  # a test extra

    schema = json.loads((scaffolded / "schema" / "page.schema.json").read_text(encoding="utf-8"))
    doc = yaml.safe_load((scaffolded / "layouts" / "page.yaml").read_text(encoding="utf-8"))
    jsonschema.validate(doc, schema, cls=jsonschema.Draft202012Validator)


def test_scaffold_builds_clean(scaffolded, monkeypatch):
    monkeypatch.chdir(scaffolded)
    result = CliRunner().invoke(main, ["build", "layouts/page.yaml", "--no-png"])
    assert result.exit_code == 0, result.output
    assert "nothing overset" in result.output
    assert (scaffolded / "out" / "page.pdf").read_bytes()[:5] == b"%PDF-"


@pytest.mark.skipif(not PAGECHECK.exists(), reason="../shared/tools/pagecheck.py not beside the repository")
def test_scaffold_is_pagecheck_clean(scaffolded, monkeypatch):
    monkeypatch.chdir(scaffolded)
    assert CliRunner().invoke(main, ["build", "layouts/page.yaml", "--no-png"]).exit_code == 0
    run = subprocess.run([sys.executable, str(PAGECHECK), "out/page.pdf"], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-2000:]
    assert "hard faults: 0" in run.stdout


def test_init_refuses_to_overwrite(scaffolded):
    before = (scaffolded / "articles" / "story.md").read_text(encoding="utf-8")
    (scaffolded / "articles" / "story.md").write_text("我的稿件。\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["init", str(scaffolded)])
    assert result.exit_code == 2
    assert "would overwrite" in result.output and "--force" in result.output
    assert (scaffolded / "articles" / "story.md").read_text(encoding="utf-8") == "我的稿件。\n"
    assert CliRunner().invoke(main, ["init", str(scaffolded), "--force"]).exit_code == 0
    assert (scaffolded / "articles" / "story.md").read_text(encoding="utf-8") == before


def test_init_into_a_file_is_bad_input(tmp_path):
    (tmp_path / "f").write_text("x")
    result = CliRunner().invoke(main, ["init", str(tmp_path / "f")])
    assert result.exit_code == 2 and "is a file, not a folder" in result.output


@pytest.fixture(scope="module")
def edition_scaffold(tmp_path_factory):
    folder = tmp_path_factory.mktemp("init") / "newedition"
    result = CliRunner().invoke(main, ["init", "--edition", str(folder)])
    assert result.exit_code == 0, result.output
    assert "pagesetter build layouts/edition.yaml" in result.output
    return folder


def test_init_edition_builds_with_a_jump_and_passes_pagecheck(edition_scaffold, monkeypatch):
    import json
    import re

    from pypdf import PdfReader

    monkeypatch.chdir(edition_scaffold)
    result = CliRunner().invoke(main, ["build", "layouts/edition.yaml", "--no-png"])
    assert result.exit_code == 0, result.output
    pdf = edition_scaffold / "out" / "edition.pdf"
    pages = [re.sub(r"\s+", "", p.extract_text()) for p in PdfReader(pdf).pages]
    assert "（下转第二版）" in pages[0] and "（上接第一版）" in pages[1] and "第2版" in pages[1]
    assert sorted(p.name for p in (edition_scaffold / "out" / "edition").iterdir()) == [
        "01-page-1.pdf", "02-page-2.pdf"]
    if not PAGECHECK.exists():  # (a failure under CI: tests/conftest.py)
        pytest.skip("../shared/tools/pagecheck.py not beside the repository: the pagecheck half is not run")
    out = subprocess.run([sys.executable, str(PAGECHECK), str(pdf), "--json"], capture_output=True, text=True)
    assert json.loads(out.stdout)["hard_faults"] == 0, out.stdout[-2000:]


def test_init_edition_pages_build_on_their_own(edition_scaffold, monkeypatch):
    monkeypatch.chdir(edition_scaffold)
    for page in ("page-1", "page-2"):
        result = CliRunner().invoke(main, ["check", f"layouts/{page}.yaml"])
        assert result.exit_code in (0, 1), result.output  # page 1 alone is overset: its rest is on page 2


@pytest.mark.parametrize("edition", [False, True])
def test_scaffold_shows_a_strong_lead_in(tmp_path, edition):
    """The new page's article opens with **本报讯** in the strong style its spec defines."""
    from pagesetter.build import compose_page
    from pagesetter.layout.dump import dump_layout

    args = ["init", str(tmp_path / "n")] + (["--edition"] if edition else [])
    assert CliRunner().invoke(main, args).exit_code == 0
    spec = tmp_path / "n" / "layouts" / ("page-1.yaml" if edition else "page.yaml")
    assert "**本报讯**" in (tmp_path / "n" / "articles" / "story.md").read_text(encoding="utf-8")
    first = next(x for x in dump_layout(compose_page(spec).layout).splitlines() if "本报讯" in x)
    assert "hei 9 + song 9" in first and "**" not in first, first
