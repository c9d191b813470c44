"""`pagesetter watch`, the paragraphs a rebuild in the same process takes over, and what a build
imports. No timing here (benchmarks/ prints that): what each rebuild reports, writes and skips."""
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from pagesetter.build import build
from pagesetter.cli import _summary
from pagesetter.layout import setting
from pagesetter.watch import SETTLE, Watcher, inputs_of, run
from specs import ARTICLE, project

ROOT = Path(__file__).resolve().parents[1]
EXE = Path(sys.executable).with_name("pagesetter")


def _touch(path: Path, text: str) -> None:
    """Write `text` and move the mtime on, so a change shows even on a coarse-clock file system."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before + 10**9, before + 10**9))


def _watch(spec: Path, out: Path, edits: list, builds: int) -> list[str]:
    """Run the watch loop; each time it sleeps, the next edit (if any) is made. The reports it printed."""
    printed, pending = [], list(edits)

    def sleep(seconds):
        if seconds == SETTLE:  # letting a save finish: no new edit then
            return
        if not pending:  # no edit left, yet the loop waits on: stop it as Ctrl-C would
            raise KeyboardInterrupt
        pending.pop(0)()

    watcher = Watcher(spec, out, png=False, summary=_summary)
    run(watcher, printed.append, sleep=sleep, builds=builds)
    return [p for p in printed if not p.startswith("watching")]


def test_watch_rebuilds_on_each_save_and_goes_on_after_bad_input(tmp_path):
    spec = project(tmp_path)
    article = tmp_path / "articles" / "a.md"
    good = spec.read_text(encoding="utf-8")
    out = tmp_path / "out" / "p.pdf"
    reports = _watch(spec, out, [
        lambda: _touch(article, ARTICLE + "\n新加的一段文字。\n"),
        lambda: _touch(spec, good.replace("columns: 2", "columns: two")),
        lambda: _touch(spec, good),
    ], builds=4)
    assert len(reports) == 4
    assert all(f"built {out}" in reports[i] for i in (0, 1, 3))
    assert "error:" in reports[2] and f"{spec}:2:" in reports[2]  # file:line of the bad value
    assert "Traceback" not in "\n".join(reports)
    assert out.is_file()


def test_a_rebuild_equals_a_fresh_build_of_the_edited_page(tmp_path):
    """What the warm process carries over never leaks into the page: after an edit, the watched
    build's PDF is byte-identical to a fresh process building the same files."""
    spec = project(tmp_path)
    article = tmp_path / "articles" / "a.md"
    edited = ARTICLE.replace("政治属性是基层党组织的灵魂。", "政治属性是基层党组织的灵魂，也是根本。")
    out = tmp_path / "watched.pdf"
    _watch(spec, out, [lambda: _touch(article, edited)], builds=2)
    fresh = tmp_path / "fresh.pdf"
    subprocess.run([str(EXE), "build", str(spec), "-o", str(fresh), "--no-png"], check=True,
                   capture_output=True, cwd=tmp_path)
    assert out.read_bytes() == fresh.read_bytes()


def test_inputs_are_the_spec_articles_fonts_and_fonts_folder(tmp_path):
    spec = project(tmp_path)
    composed = build(spec, tmp_path / "x.pdf", png=False)
    paths = inputs_of(spec, composed)
    assert paths[0] == spec
    assert tmp_path / "articles" / "a.md" in [p.resolve() for p in paths]
    assert tmp_path / "fonts" in paths
    assert {f.source.path for f in composed.faces.values()} <= set(paths)
    assert inputs_of(spec) == [spec]  # before a good build, the spec alone


def test_ctrl_c_stops_watching_with_exit_0(tmp_path):
    spec = project(tmp_path)
    proc = subprocess.Popen([str(EXE), "watch", str(spec), "--no-png", "-o", str(tmp_path / "w.pdf")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    try:
        lines = []
        for line in proc.stdout:
            lines.append(line)
            if line.startswith("watching"):
                break
        proc.send_signal(signal.SIGINT)
        rest, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    assert any("built" in line for line in lines)
    assert "stopped" in rest and "Traceback" not in err


def _count_measures(monkeypatch) -> list:
    calls = []
    real = setting.measure
    monkeypatch.setattr(setting, "measure", lambda *a, **k: calls.append(1) or real(*a, **k))
    return calls


def test_a_second_build_in_one_process_measures_only_what_changed(tmp_path, monkeypatch):
    spec = project(tmp_path)
    article = tmp_path / "articles" / "a.md"
    with setting.carry_over():
        build(spec, tmp_path / "1.pdf", png=False)
        calls = _count_measures(monkeypatch)
        sets = []
        real_set = setting.set_paragraph
        monkeypatch.setattr(setting, "set_paragraph", lambda *a, **k: sets.append(1) or real_set(*a, **k))
        build(spec, tmp_path / "2.pdf", png=False)
        assert calls == [] and sets == []  # nothing changed: every paragraph carried over, as set
        article.write_text(ARTICLE.replace("政治属性是基层党组织的灵魂。", "政治属性是灵魂。"), encoding="utf-8")
        build(spec, tmp_path / "3.pdf", png=False)
        assert len(calls) == 1  # the edited paragraph alone
    assert (tmp_path / "1.pdf").read_bytes() == (tmp_path / "2.pdf").read_bytes()
    build(spec, tmp_path / "4.pdf", png=False)
    assert len(calls) > 1  # outside carry_over() nothing outlives a build
    assert (tmp_path / "3.pdf").read_bytes() == (tmp_path / "4.pdf").read_bytes()


def test_nothing_is_carried_over_to_other_faces_or_rules(tmp_path, monkeypatch):
    spec = project(tmp_path)
    with setting.carry_over():
        build(spec, tmp_path / "1.pdf", png=False)
        calls = _count_measures(monkeypatch)
        spec.write_text(spec.read_text(encoding="utf-8").replace(
            "grid:", "composition: {punct_style: kaiming}\ngrid:"), encoding="utf-8")
        build(spec, tmp_path / "2.pdf", png=False)
    assert len(calls) >= 3  # every paragraph measured again under the new rules


def test_memo_of_metrics_that_cannot_be_compared_is_private():
    with setting.carry_over():
        a = setting.Typesetter({"song": {}}, setting.Composition())  # a dict: unhashable metrics
        b = setting.Typesetter({"song": {}}, setting.Composition())
    a._memo["k"] = 1
    assert "k" not in b._memo


@pytest.mark.parametrize("args, unwanted", [
    (["build", "--no-png"], ["pypdfium2", "pypdf", "pdfplumber", "fitz"]),
    (["check"], ["pypdfium2", "pypdf", "pdfplumber", "fitz", "reportlab", "PIL"]),
])
def test_a_command_imports_only_what_it_needs(tmp_path, args, unwanted):
    """With a warm font cache, a build without a preview never loads the PDF reader or rasteriser."""
    spec = project(tmp_path)
    build(spec, tmp_path / "warm.pdf", png=False)  # warm the font cache
    code = ("import sys\nfrom pagesetter.cli import main\n"
            f"sys.argv = ['pagesetter', {args[0]!r}, {str(spec)!r}, *{args[1:]!r}, "
            + (f"'-o', {str(tmp_path / 'x.pdf')!r}" if args[0] == "build" else "") + "]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            f"print(sorted(m for m in {unwanted!r} if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout + done.stderr


def test_watch_refuses_an_edition_with_a_clear_message(tmp_path):
    from click.testing import CliRunner

    from pagesetter.cli import main

    result = CliRunner().invoke(main, ["watch", str(ROOT / "layouts" / "sample-edition.yaml")])
    assert result.exit_code == 2
    assert "is an edition" in result.output and "Traceback" not in result.output


def test_faces_are_prepared_again_only_when_their_characters_or_file_change(tmp_path, monkeypatch):
    import pagesetter.build as build_mod

    spec = project(tmp_path)
    article = tmp_path / "articles" / "a.md"
    prepared = []
    real = build_mod.prepare_face
    monkeypatch.setattr(build_mod, "prepare_face", lambda s, c, d=None: prepared.append(s.role) or real(s, c, d))
    with setting.carry_over():
        build(spec, tmp_path / "1.pdf", png=False)
        first = len(prepared)
        build(spec, tmp_path / "2.pdf", png=False)
        assert len(prepared) == first  # nothing changed: every face reused
        article.write_text(ARTICLE + "\n猫。\n", encoding="utf-8")  # a character new to the body face
        build(spec, tmp_path / "3.pdf", png=False)
        assert prepared[first:] == ["song"]
    build(spec, tmp_path / "4.pdf", png=False)
    assert len(prepared) == 2 * first + 1  # outside carry_over() every face is prepared
    assert (tmp_path / "3.pdf").read_bytes() == (tmp_path / "4.pdf").read_bytes()


@pytest.mark.parametrize("dpi", ["nan", "0", "1e9"])
def test_watch_refuses_a_bad_dpi_before_watching(dpi):
    from click.testing import CliRunner

    from pagesetter.cli import main

    result = CliRunner().invoke(main, ["watch", str(ROOT / "layouts" / "jiceng-dangjian.yaml"), "--dpi", dpi])
    assert result.exit_code == 2
    assert "--dpi" in result.output and "e.g. --dpi 100" in result.output


@pytest.mark.parametrize("command", [True, False])
def test_a_cold_build_cuts_its_subsets_whether_or_not_reportlab_was_shown_harfbuzz(tmp_path, command):
    """Under the command (pagesetter.process.start, which cli.run calls) ReportLab is imported without
    uharfbuzz, and pagesetter's own subsetting still imports it afterwards for a cold cache; a
    program using pagesetter as a library keeps ReportLab's shaper."""
    spec = project(tmp_path)
    code = ("import sys\nimport pagesetter.render.pdf, pagesetter.render.rlcanvas as r, pagesetter.process as p\n"
            + ("p.start()\n" if command else "")
            + f"r.canvas_class()\nassert ('uharfbuzz' in sys.modules) is {not command}\n"
            "from pagesetter.build import build\n"
            f"build({str(spec)!r}, {str(tmp_path / 'cold.pdf')!r}, png=False)\n"
            "import reportlab.pdfbase.ttfonts as t\nprint('uharfbuzz' in sys.modules, t.uharfbuzz is None)")
    env = {**os.environ, "PAGESETTER_CACHE": str(tmp_path / "empty-cache")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", str(command)]  # cut with HarfBuzz; ReportLab's shaper off only under the command
    assert (tmp_path / "cold.pdf").read_bytes().startswith(b"%PDF")


def test_the_command_builds_warm_without_loading_harfbuzz(tmp_path):
    spec = project(tmp_path)
    build(spec, tmp_path / "warm.pdf", png=False)  # warm the font cache
    code = ("import sys\nfrom pagesetter.cli import run\nimport atexit\n"
            "atexit.register(lambda: print('uharfbuzz' in sys.modules))\n"
            f"sys.argv = ['pagesetter', 'build', {str(spec)!r}, '--no-png', '-o', {str(tmp_path / 'x.pdf')!r}]\nrun()")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-1] == "False"


# ── issue 18: links and their targets are watched; -o onto an input ends the watch at once ──

def test_re_pointing_a_symlinked_article_rebuilds(tmp_path):
    """articles/a.md is a link to one.md; pointing it at two.md — an older file of the same size,
    so no time or size of one.md changes — is seen, and so is an edit of the file it now leads to."""
    spec = project(tmp_path)
    art = tmp_path / "articles"
    one, two = art / "one.md", art / "two.md"
    one.write_text(ARTICLE, encoding="utf-8")
    two.write_text(ARTICLE.replace("首位", "前列"), encoding="utf-8")  # as long as one.md
    os.utime(two, ns=(10**9, 10**9))
    (art / "a.md").unlink()
    (art / "a.md").symlink_to("one.md")
    out = tmp_path / "out" / "p.pdf"

    def re_point():
        (art / "new.md").symlink_to("two.md")
        os.replace(art / "new.md", art / "a.md")

    reports = _watch(spec, out, [re_point, lambda: _touch(two, ARTICLE.replace("首位", "前列") + "\n又一段。\n")],
                     builds=3)
    assert len(reports) == 3 and all(f"built {out}" in r for r in reports), reports
    fresh = tmp_path / "fresh.pdf"
    build(spec, fresh, png=False)
    assert out.read_bytes() == fresh.read_bytes()  # the last build set what two.md says now


def test_watch_onto_an_input_refuses_at_once(tmp_path):
    """`watch -o articles/a.md` ends with exit 2 and the refusal (it printed it and watched on)."""
    spec = project(tmp_path)
    article = tmp_path / "articles" / "a.md"
    before = article.read_bytes()
    result = subprocess.run([str(EXE), "watch", str(spec), "-o", str(article), "--no-png"],
                            capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert f"{article}: the PDF would overwrite an article, an input of this run" in result.stderr
    assert "fix: choose another output path" in result.stderr and "Traceback" not in result.stderr
    assert article.read_bytes() == before and sorted(os.listdir(article.parent)) == ["a.md"]
