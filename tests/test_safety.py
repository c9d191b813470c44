"""Hostile and oversized input is refused cleanly (how fast: benchmarks/refusals.py); files stay in
the project; outputs are written as one set, never over an input; no bad input ever gets a
traceback from the CLI."""
from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from bad_inputs import CASES, HOSTILE, hostile_args, hostile_project, materialise
import pagesetter
from pagesetter import build as build_mod
from pagesetter import outputs
from pagesetter.cli import main
from pagesetter.errors import PagesetterError
from pagesetter.pagespec.load import load_spec
from pagesetter.story.parse import load_story
from specs import ARTICLE, SPEC, project

HEAD = SPEC.split("frames:")[0]


def refused(path: Path, match: str) -> None:
    """Loading the spec is refused with a located message and a fix (how fast: benchmarks/refusals.py)."""
    with pytest.raises(PagesetterError, match=match) as info:
        load_spec(path)
    for p in info.value.problems:
        assert p.file is not None and p.fix


def test_hundred_thousand_frames_refused(tmp_path):
    frames = "".join(f"  f{i}: {{col: 1, line: 1, lines: 1}}\n" for i in range(100_000))
    spec = project(tmp_path, HEAD + "frames:\n" + frames)
    assert spec.stat().st_size > 3_000_000
    refused(spec, r"over the 1,000,000-byte limit")


def test_many_values_refused(tmp_path):
    spec = project(tmp_path, HEAD + "frames: {f: [" + "1," * 100_000 + "1]}\n")
    assert spec.stat().st_size < 1_000_000
    refused(spec, r"spec has over 50,000 values; refusing to read further")


def test_frame_limit(tmp_path):
    frames = "".join(f"  f{i}: {{col: 1, line: 1, lines: 1}}\n" for i in range(600))
    spec = project(tmp_path, HEAD + "frames:\n" + frames)
    refused(spec, r"frames has 600 entries; at most 500 are allowed")


def test_block_limit(tmp_path):
    blocks = "".join("  - {kind: box, at: {col: 1, line: 1}}\n" for _ in range(600))
    spec = project(tmp_path, SPEC + blocks)
    refused(spec, r"blocks has 601 entries; at most 500 are allowed")


def billion_laughs(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_refused(tmp_path):
    spec = project(tmp_path, SPEC + "x:\n" + "".join("  " + l + "\n" for l in billion_laughs().splitlines()))
    refused(spec, r"over 50,000 values once its aliases \(\*name\) are expanded")


def test_alias_bomb_as_top_level(tmp_path):
    spec = project(tmp_path, billion_laughs())
    refused(spec, r"aliases")


def test_recursive_alias(tmp_path):
    spec = project(tmp_path, SPEC + "x: &x [*x]\n")
    refused(spec, r"nested over 32 levels deep \(a recursive alias\?\)")


def test_deep_nesting(tmp_path):
    spec = project(tmp_path, SPEC + "x: " + "[" * 10_000 + "]" * 10_000 + "\n")
    # our own depth check, or PyYAML's (6.0.4 and newer stop deep nesting themselves)
    refused(spec, r"spec is nested over 32 levels deep|exceeded maximum nesting depth")


def test_merge_keys_still_work(tmp_path):
    spec = project(tmp_path, SPEC.replace("  body: {role: song, size: 小五}",
                                          "  body: &b {role: song, size: 小五}\n  quote: {<<: *b, role: kai}"))
    assert load_spec(spec).styles["quote"].role == "kai"


def test_ten_megabyte_article(tmp_path):
    article = tmp_path / "big.md"
    article.write_text("基层党组织更加坚强有力。" * 280_000, encoding="utf-8")
    assert article.stat().st_size > 10_000_000
    with pytest.raises(PagesetterError) as info:
        load_story(article)
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
    # scripts and verse (story.scripts, story.parse): each placed at its mark
    ("---\nheadline: 标题\n---\n浓度为10^-6 S/m。\n".encode(), "a.md:4:6: '^' opens a superscript that is never closed"),
    (("---\nheadline: 标题\n---\nH~" + "2" * 40 + "~O。\n").encode(), "a.md:4:2: a subscript of 40 characters"),
    ("---\nheadline: 标题\n---\n温度为5~10℃，湿度为20~30%。\n".encode(), "a.md:4:5: the subscript opened here holds"),
    ("---\nheadline: 标题\n---\n| 第一行\n第二行\n".encode(), "a.md:5:1: a line inside a verse block"),
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


# ── hostile command lines (issue 9's red-team corpus, tests/bad_inputs.py HOSTILE) ──

@pytest.fixture(scope="module")
def good_build(tmp_path_factory) -> dict[str, bytes]:
    """The files of one good build of the small project (relative path → bytes)."""
    root = tmp_path_factory.mktemp("good")
    build_mod.build(project(root), root / "out" / "p.pdf")
    built = {f"out/p.{ext}": (root / "out" / f"p.{ext}").read_bytes() for ext in ("pdf", "png", "report.json")}
    return dict(built, **{"out/q.pdf": built["out/p.pdf"]})


def snapshot(root: Path) -> dict[str, object]:
    """Every file under `root`: regular files by content, links and pipes by what they point at."""
    out: dict[str, object] = {}
    for folder, _dirs, names in os.walk(root):
        for name in names:
            path = Path(folder, name)
            rel = str(path.relative_to(root))
            if path.is_symlink():
                out[rel] = ("link", os.readlink(path))
            elif path.is_file():
                out[rel] = path.read_bytes()
            else:
                out[rel] = ("special", path.stat().st_mode)
    return out


@pytest.mark.parametrize("case", HOSTILE, ids=lambda c: c.id)
def test_hostile_command_line(tmp_path, good_build, case):
    """Exit code, a message naming the place and the fix, no traceback, no input overwritten, no
    stale or temporary file left behind."""
    root = hostile_project(case, tmp_path / "project", good_build)
    before = snapshot(root)
    result = CliRunner().invoke(main, hostile_args(case, root), env=case.env or None)
    assert result.exit_code == case.code, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    for text in case.expect:
        assert text.replace("{p}", str(root)) in result.output, (text, result.output)
    after = snapshot(root)
    changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    assert changed <= set(case.writes), changed


def test_hostile_corpus_in_docs():
    doc = (Path(__file__).resolve().parents[1] / "docs" / "bad-inputs.md").read_text(encoding="utf-8")
    for case in HOSTILE:
        assert f"| {case.cls} | {case.what} |" in doc, f"docs/bad-inputs.md lacks {case.id}: run python tests/bad_inputs.py"


def test_hostile_corpus_covers_every_class():
    classes = {c.cls for c in HOSTILE}
    assert {"overwrite", "output path", "option", "reading", "font", "article", "picture", "warning", "pixels",
            "atomicity", "name"} <= classes
    assert len({c.id for c in HOSTILE}) == len(HOSTILE)


# ── atomic output ──

def disk_full_at_rename(monkeypatch, n: int, within: Path) -> None:
    """The outputs module's n-th os.replace of a file inside `within` fails as on a full disk
    (ENOSPC); the caches' own writes (words, subsets: elsewhere, and only when an entry is new, so
    their number depends on what ran before) are not counted."""
    real_replace, calls = os.replace, []

    def failing_replace(src, dst):
        if not Path(dst).resolve().is_relative_to(within.resolve()):
            return real_replace(src, dst)
        calls.append(dst)
        if len(calls) == n:
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(outputs.os, "replace", failing_replace)


def test_failed_build_leaves_previous_set(tmp_path, monkeypatch):
    """A build failing as its files are put in place (the disk fills up at the second rename)
    leaves the previous PDF, preview and report as they were, and no temporary file."""
    spec = project(tmp_path)
    out = tmp_path / "out" / "p.pdf"
    assert CliRunner().invoke(main, ["build", str(spec), "-o", str(out)]).exit_code == 0
    before = snapshot(out.parent)
    spec.write_text(SPEC.replace("size: 三号", "size: 二号"), encoding="utf-8")  # a new headline size
    disk_full_at_rename(monkeypatch, 2, out.parent)
    result = CliRunner().invoke(main, ["build", str(spec), "-o", str(out)])
    monkeypatch.undo()
    no_traceback(result)
    assert "no space left on the disk" in result.output and "free some space" in result.output
    assert snapshot(out.parent) == before


def test_write_set_all_or_nothing(tmp_path, monkeypatch):
    a, b = tmp_path / "a.pdf", tmp_path / "a.png"
    a.write_bytes(b"old pdf")
    outputs.write_set({a: b"new pdf", b: b"new png"})
    assert a.read_bytes() == b"new pdf" and b.read_bytes() == b"new png"

    def failing_chmod(*args, **kw):
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(outputs.os, "chmod", failing_chmod)
    with pytest.raises(OSError):
        outputs.write_set({a: b"newer", b: b"newer"})
    monkeypatch.undo()
    assert a.read_bytes() == b"new pdf" and sorted(os.listdir(tmp_path)) == ["a.pdf", "a.png"]
    outputs.write_set({a: b"last"}, remove=[b])
    assert a.read_bytes() == b"last" and sorted(os.listdir(tmp_path)) == ["a.pdf"]


def test_one_atomic_writer():
    """Only pagesetter.outputs writes a file by temporary name and rename; every other module
    (the build, the font cache, goldens, editions) goes through it."""
    src = Path(pagesetter.__file__).parent
    writers = sorted(str(f.relative_to(src)) for f in src.rglob("*.py")
                     if re.search(r"mkstemp|os\.replace\(|NamedTemporaryFile", f.read_text(encoding="utf-8")))
    assert writers == ["outputs.py"]


def test_concurrent_builds_of_one_output(tmp_path):
    """Eight builds of two different pages to one output at once: all succeed, no temp is left, and
    the PDF, preview and report left are all three of one build (the last one wins whole)."""
    import json
    import subprocess
    import sys

    specs = [project(tmp_path / "a"), project(tmp_path / "b", SPEC.replace("name: small", "name: other"),
                                              ARTICLE.replace("政治属性", "组织属性"))]
    out = tmp_path / "out" / "p.pdf"
    procs = [subprocess.Popen([sys.executable, "-m", "pagesetter.cli", "build", str(specs[i % 2]), "-o", str(out)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for i in range(8)]
    results = [(p.wait(), p.stderr.read().decode()) for p in procs]
    for p in procs:
        p.stderr.close()
    assert [code for code, _ in results] == [0] * 8, results
    assert sorted(os.listdir(out.parent)) == ["p.pdf", "p.png", "p.report.json"]
    winner = specs[["small", "other"].index(json.loads(out.with_suffix(".report.json").read_text())["page"])]
    single = tmp_path / "single" / "p.pdf"
    build_mod.build(winner, single)
    for ext in ("pdf", "png", "report.json"):
        assert out.with_suffix(f".{ext}").read_bytes() == single.with_suffix(f".{ext}").read_bytes(), ext


def test_read_only_file_system(tmp_path):
    """Needs a mount (root in a container); else the read-only check is covered by target_problem."""
    import subprocess

    ro = tmp_path / "ro"
    ro.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(ro)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a read-only tmpfs here")
    try:
        result = CliRunner().invoke(main, ["build", str(project(tmp_path)), "-o", str(ro / "p.pdf")])
        no_traceback(result)
        assert "is on a read-only file system" in result.output and "writable disk" in result.output
    finally:
        subprocess.run(["umount", str(ro)], capture_output=True)


# ── OS errors on the user's paths are bad input ──

def test_permission_denied_on_the_spec(tmp_path, monkeypatch):
    """Root ignores file modes, so the refusal is simulated where the file is opened."""
    import errno

    from pagesetter import files

    spec = project(tmp_path)
    real_open = files.os.open

    def denied(path, *args, **kw):
        if str(path) == str(spec):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, *args, **kw)

    monkeypatch.setattr(files.os, "open", denied)
    result = CliRunner().invoke(main, ["check", str(spec)])
    no_traceback(result)
    assert f"{spec}: cannot read spec: permission denied" in result.output and "permissions" in result.output


@pytest.mark.parametrize("code", sorted(__import__("pagesetter.files", fromlist=["KNOWN_ERRNOS"]).KNOWN_ERRNOS))
def test_every_known_os_error_on_a_path_is_exit_2(tmp_path, monkeypatch, code):
    spec = project(tmp_path)

    def failing(*args, **kw):
        raise OSError(code, os.strerror(code), str(tmp_path / "somewhere"))

    monkeypatch.setattr(build_mod, "compose_page", failing)
    result = CliRunner().invoke(main, ["check", str(spec)])
    no_traceback(result)
    assert str(tmp_path / "somewhere") in result.output and "fix: " in result.output


def test_unknown_os_error_is_still_internal(tmp_path, monkeypatch):
    import errno

    def failing(*args, **kw):
        raise OSError(errno.EPROTO, "Protocol error")

    monkeypatch.setattr(build_mod, "compose_page", failing)
    result = CliRunner().invoke(main, ["check", str(project(tmp_path))])
    assert result.exit_code == 3 and "internal error" in result.output


def test_written_modes(tmp_path):
    """Outputs get what the umask allows, like any file the user makes; the font cache stays
    readable by everyone (a team may share it)."""
    from pagesetter.fonts import cache

    old = os.umask(0o077)
    try:
        outputs.write_atomically(tmp_path / "out.pdf", b"x")
        cache.atomic_write(tmp_path / "entry.json", b"{}")
    finally:
        os.umask(old)
    assert (tmp_path / "out.pdf").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "entry.json").stat().st_mode & 0o777 == 0o644


def test_init_writes_all_files_or_none(tmp_path, monkeypatch):
    disk_full_at_rename(monkeypatch, 3, tmp_path / "new")
    result = CliRunner().invoke(main, ["init", str(tmp_path / "new")])
    no_traceback(result)
    assert "no space left on the disk" in result.output
    assert [p for p in (tmp_path / "new").rglob("*") if p.is_file()] == []


def test_temporary_files_of_a_killed_run_are_swept(tmp_path):
    """kill -9 leaves `.p.pdf.<random>.tmp`; the next write of p.pdf removes it once it is an hour
    old (a live run's temporary file is never that old, so concurrent runs are safe)."""
    old, young, other = tmp_path / ".p.pdf.abcd1234.tmp", tmp_path / ".p.pdf.efgh5678.tmp", tmp_path / ".notes.tmp"
    for f in (old, young, other):
        f.write_bytes(b"half")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    os.utime(other, (time.time() - 7200, time.time() - 7200))
    outputs.write_atomically(tmp_path / "p.pdf", b"new")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".notes.tmp", ".p.pdf.efgh5678.tmp", "p.pdf"]


def test_a_killed_runs_own_temporary_file_is_private_and_swept(tmp_path):
    """The temporary file a write makes (what kill -9 would leave) is created exclusively, for
    its owner only, under a name the sweep recognises; an hour later the next write removes it."""
    fd, name = outputs._create(tmp_path / "p.pdf")
    os.close(fd)
    left = Path(name)
    assert left.parent == tmp_path and left.name.startswith(".p.pdf.") and left.suffix == ".tmp"
    assert os.stat(left).st_mode & 0o777 == 0o600
    outputs.write_atomically(tmp_path / "p.pdf", b"new")
    assert left.exists()  # young: a live run's
    os.utime(left, (time.time() - 7200, time.time() - 7200))
    outputs.write_atomically(tmp_path / "p.pdf", b"newer")
    assert not left.exists() and (tmp_path / "p.pdf").read_bytes() == b"newer"
