"""Hostile and oversized input is refused fast and cleanly; files stay in the project; the PDF is
written atomically; no bad input ever gets a traceback from the CLI."""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from bad_inputs import CASES, materialise
from pagesetter import build as build_mod
from pagesetter.cli import main
from pagesetter.errors import PagesetterError
from pagesetter.pagespec.load import load_spec
from pagesetter.story.parse import load_story
from specs import SPEC, project

HEAD = SPEC.split("frames:")[0]


def refused(path: Path, match: str) -> float:
    start = time.perf_counter()
    with pytest.raises(PagesetterError, match=match) as info:
        load_spec(path)
    seconds = time.perf_counter() - start
    for p in info.value.problems:
        assert p.file is not None and p.fix
    return seconds


def test_hundred_thousand_frames_refused_fast(tmp_path):
    frames = "".join(f"  f{i}: {{col: 1, line: 1, lines: 1}}\n" for i in range(100_000))
    spec = project(tmp_path, HEAD + "frames:\n" + frames)
    assert spec.stat().st_size > 3_000_000
    assert refused(spec, r"over the 1,000,000-byte limit") < 0.5


def test_many_values_refused_fast(tmp_path):
    spec = project(tmp_path, HEAD + "frames: {f: [" + "1," * 100_000 + "1]}\n")
    assert spec.stat().st_size < 1_000_000
    assert refused(spec, r"spec has over 50,000 values; refusing to read further") < 1.0


def test_frame_limit(tmp_path):
    frames = "".join(f"  f{i}: {{col: 1, line: 1, lines: 1}}\n" for i in range(600))
    spec = project(tmp_path, HEAD + "frames:\n" + frames)
    assert refused(spec, r"frames has 600 entries; at most 500 are allowed") < 0.5


def test_block_limit(tmp_path):
    blocks = "".join("  - {kind: box, at: {col: 1, line: 1}}\n" for _ in range(600))
    spec = project(tmp_path, SPEC + blocks)
    assert refused(spec, r"blocks has 601 entries; at most 500 are allowed") < 0.5


def billion_laughs(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_refused_fast(tmp_path):
    spec = project(tmp_path, SPEC + "x:\n" + "".join("  " + l + "\n" for l in billion_laughs().splitlines()))
    seconds = refused(spec, r"over 50,000 values once its aliases \(\*name\) are expanded")
    assert seconds < 1.0


def test_alias_bomb_as_top_level(tmp_path):
    spec = project(tmp_path, billion_laughs())
    assert refused(spec, r"aliases") < 1.0


def test_recursive_alias(tmp_path):
    spec = project(tmp_path, SPEC + "x: &x [*x]\n")
    assert refused(spec, r"nested over 32 levels deep \(a recursive alias\?\)") < 0.5


def test_deep_nesting(tmp_path):
    spec = project(tmp_path, SPEC + "x: " + "[" * 10_000 + "]" * 10_000 + "\n")
    # our own depth check, or PyYAML's (6.0.4 and newer stop deep nesting themselves)
    assert refused(spec, r"spec is nested over 32 levels deep|exceeded maximum nesting depth") < 0.5


def test_merge_keys_still_work(tmp_path):
    spec = project(tmp_path, SPEC.replace("  body: {role: song, size: 小五}",
                                          "  body: &b {role: song, size: 小五}\n  quote: {<<: *b, role: kai}"))
    assert load_spec(spec).styles["quote"].role == "kai"


def test_ten_megabyte_article(tmp_path):
    article = tmp_path / "big.md"
    article.write_text("基层党组织更加坚强有力。" * 280_000, encoding="utf-8")
    assert article.stat().st_size > 10_000_000
    start = time.perf_counter()
    with pytest.raises(PagesetterError) as info:
        load_story(article)
    assert time.perf_counter() - start < 0.1
    (p,) = info.value.problems
    assert p.message == f"article is {article.stat().st_size:,} bytes, over the 2,000,000-byte limit"
    assert p.fix == "split it into several articles"


def test_ten_megabyte_article_through_check(tmp_path):
    spec = project(tmp_path)
    (tmp_path / "articles" / "a.md").write_text("基层党组织。" * 600_000, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(spec)])
    assert result.exit_code == 2
    assert "over the 2,000,000-byte limit" in result.output and "Traceback" not in result.output


# ── the CLI never shows a traceback for bad input ──

def no_traceback(result, code=2):
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.output.startswith("error: ")


@pytest.mark.parametrize("command", ["check", "build"])
def test_cli_on_every_bad_input(tmp_path, command):
    for case in CASES:
        spec = materialise(case, tmp_path / case.id / "project")
        args = [command, str(spec)] + (["-o", str(tmp_path / "o.pdf"), "--no-png"] if command == "build" else [])
        result = CliRunner().invoke(main, args)
        no_traceback(result)
        assert str(spec) in result.output, case.id
    assert not (tmp_path / "o.pdf").exists()


@pytest.mark.parametrize("article, message", [
    ("中文".encode("gbk"), "article is not UTF-8 text (byte 0)"),
    ("---\ntitel: 标题\n---\n正文。\n".encode(), "unknown front-matter key 'titel'"),
    ("---\nheadline: 标题\n正文。\n".encode(), "front matter opened with '---' is never closed"),
    ("---\nheadline: [标题\n---\n正文。\n".encode(), "front matter is not valid YAML"),
    ("---\n- a\n---\n正文。\n".encode(), "front matter must be 'key: value' lines"),
    ("---\nheadline: {a: 1}\n---\n正文。\n".encode(), "front-matter key 'headline' must be text"),
])
def test_cli_bad_articles(tmp_path, article, message):
    spec = project(tmp_path)
    (tmp_path / "articles" / "a.md").write_bytes(article)
    result = CliRunner().invoke(main, ["check", str(spec)])
    no_traceback(result)
    assert message in result.output
    assert f"{tmp_path / 'articles' / 'a.md'}:" in result.output  # file:line


def test_cli_bad_paths(tmp_path):
    no_traceback(CliRunner().invoke(main, ["check", str(tmp_path / "none.yaml")]))
    result = CliRunner().invoke(main, ["check", str(tmp_path)])
    no_traceback(result)
    assert "spec is a folder" in result.output
    result = CliRunner().invoke(main, ["build", str(tmp_path / "none.yaml")])
    no_traceback(result)
    assert "spec file not found" in result.output


def test_cli_allow_outside(tmp_path):
    (tmp_path / "outside.md").write_text("外面的稿件，也可以排进来。\n", encoding="utf-8")
    spec = project(tmp_path / "project", SPEC.replace("../articles/a.md", "../../outside.md"))
    no_traceback(CliRunner().invoke(main, ["check", str(spec)]))
    result = CliRunner().invoke(main, ["check", str(spec), "--allow-outside"])
    assert result.exit_code == 0, result.output


# ── atomic output ──

def test_failed_build_leaves_previous_pdf(tmp_path, monkeypatch):
    spec = project(tmp_path)
    out = tmp_path / "out" / "p.pdf"
    assert CliRunner().invoke(main, ["build", str(spec), "-o", str(out), "--no-png"]).exit_code == 0
    good = out.read_bytes()
    before = sorted(os.listdir(out.parent))

    spec.write_text(SPEC.replace("[f1, f2]", "[f1, f9]"), encoding="utf-8")  # bad input
    no_traceback(CliRunner().invoke(main, ["build", str(spec), "-o", str(out), "--no-png"]))
    assert out.read_bytes() == good and sorted(os.listdir(out.parent)) == before

    spec.write_text(SPEC, encoding="utf-8")
    real_replace = os.replace

    def failing_replace(src, dst):  # the disk fills up just as the PDF is put in place
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(build_mod.os, "replace", failing_replace)
    with pytest.raises(OSError):
        build_mod.build(spec, out, png=False)
    monkeypatch.setattr(build_mod.os, "replace", real_replace)
    assert out.read_bytes() == good and sorted(os.listdir(out.parent)) == before


def test_write_atomically_leaves_no_temp_on_error(tmp_path, monkeypatch):
    target = tmp_path / "x.pdf"
    target.write_bytes(b"good")

    def failing_chmod(*a, **k):
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(build_mod.os, "chmod", failing_chmod)
    with pytest.raises(OSError):
        build_mod.write_atomically(target, b"new")
    assert target.read_bytes() == b"good" and os.listdir(tmp_path) == ["x.pdf"]
