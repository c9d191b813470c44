"""The output writer touches only its own earlier set (issue 18): the report records every
member's size and SHA-256; a build replaces or removes only files of that record, as they were
written; a `-o` naming a folder writes the default name inside it."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from editions import edition_project
from pagesetter import outputs
from pagesetter.build import build
from pagesetter.cli import main
from pagesetter.errors import PagesetterError
from specs import project
from test_safety import snapshot


def test_report_records_the_set(tmp_path):
    spec = project(tmp_path)
    out = tmp_path / "out" / "p.pdf"
    build(spec, out)
    record = json.loads(out.with_suffix(".report.json").read_text(encoding="utf-8"))["outputs"]
    assert list(record) == ["p.pdf", "p.png"]
    for name, member in record.items():
        data = (out.parent / name).read_bytes()
        assert member == {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def test_the_record_is_deterministic(tmp_path):
    """Two builds give the same report, byte for byte (the PDF and PNG are: so are their hashes)."""
    spec = project(tmp_path)
    build(spec, tmp_path / "a" / "p.pdf")
    build(spec, tmp_path / "b" / "p.pdf")
    assert (tmp_path / "a" / "p.report.json").read_bytes() == (tmp_path / "b" / "p.report.json").read_bytes()


def test_an_edition_removes_the_pages_it_no_longer_has_only_as_written(tmp_path):
    """Page p2 renamed q2: the set's 02-p2.pdf/png go; a file of the old set that was edited since
    stays, and so does a file of the folder the set never had."""
    ed = edition_project(tmp_path)
    out = tmp_path / "out" / "ed.pdf"
    assert CliRunner().invoke(main, ["build", str(ed), "-o", str(out)]).exit_code == 0
    folder = out.with_suffix("")
    assert sorted(p.name for p in folder.iterdir()) == ["01-p1.pdf", "01-p1.png", "02-p2.pdf", "02-p2.png"]
    (folder / "02-p2.png").write_bytes(b"my notes on the old page 2")  # edited since: not the set's any more
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    p2 = tmp_path / "layouts" / "p2.yaml"
    p2.write_text(p2.read_text(encoding="utf-8").replace("{name: p2}", "{name: q2}"), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(ed), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == ["01-p1.pdf", "01-p1.png", "02-p2.png", "02-q2.pdf",
                                                          "02-q2.png", "notes.txt"]
    assert (folder / "02-p2.png").read_bytes() == b"my notes on the old page 2"


def test_a_forged_record_never_reaches_outside_the_set(tmp_path):
    """A report listing files outside `<name>.*` and `<name>/*` (the article, a hidden file, an
    absolute path) with their true hashes: none is removed."""
    spec = project(tmp_path)
    out = tmp_path / "out" / "f.pdf"
    victims = {"../articles/a.md": tmp_path / "articles" / "a.md", ".f.keep": tmp_path / "out" / ".f.keep",
               str(tmp_path / "layouts" / "p.yaml"): spec, "f/../../articles/a.md": tmp_path / "articles" / "a.md",
               "g.png": tmp_path / "out" / "g.png", "f.diff.png": tmp_path / "out" / "f.diff.png"}
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / ".f.keep").write_text("hidden", encoding="utf-8")
    (tmp_path / "out" / "g.png").write_text("another set's", encoding="utf-8")
    (tmp_path / "out" / "f.diff.png").write_text("a diff image", encoding="utf-8")
    members = {name: outputs.digest(path.read_bytes()) for name, path in victims.items()}
    out.with_suffix(".report.json").write_text(json.dumps({"page": "f", "stories": [], "outputs": members}))
    before = snapshot(tmp_path)
    result = CliRunner().invoke(main, ["build", str(spec), "-o", str(out), "--no-png"])
    assert result.exit_code == 0, result.output
    after = snapshot(tmp_path)
    assert {k for k in before if before[k] != after.get(k)} == {"out/f.report.json"}


def test_a_report_of_an_older_pagesetter_vouches_for_its_own_names(tmp_path):
    """A set written before reports kept a record (no "outputs"): its PDF, preview and report are
    replaced, and its preview removed by --no-png, as before."""
    spec = project(tmp_path)
    out = tmp_path / "out" / "p.pdf"
    build(spec, out)
    report = out.with_suffix(".report.json")
    data = json.loads(report.read_text(encoding="utf-8"))
    del data["outputs"]
    report.write_text(json.dumps(data), encoding="utf-8")
    out.with_suffix(".png").write_bytes(b"an old preview")
    assert CliRunner().invoke(main, ["build", str(spec), "-o", str(out), "--no-png"]).exit_code == 0
    assert sorted(p.name for p in out.parent.iterdir()) == ["p.pdf", "p.report.json"]


@pytest.mark.parametrize("content", [b"", b"[1, 2]", b"\xff\xfe", b'{"page": "p", "stories": [], "outputs": [1]}'])
def test_a_report_that_is_not_pagesetter_s_is_not_replaced(tmp_path, content):
    spec = project(tmp_path)
    report = tmp_path / "out" / "p.report.json"
    report.parent.mkdir()
    report.write_bytes(content)
    result = CliRunner().invoke(main, ["build", str(spec), "-o", str(tmp_path / "out" / "p.pdf")])
    assert result.exit_code == 2, result.output
    assert "the copyfit report would replace p.report.json, which pagesetter did not write" in result.output
    assert report.read_bytes() == content and sorted(p.name for p in report.parent.iterdir()) == ["p.report.json"]


def test_a_stranger_appearing_while_the_build_runs_is_not_replaced(tmp_path, monkeypatch):
    """The record is read again under the folder's lock as the set is put in place: a preview
    written by someone else after the first check is refused then, and nothing is changed."""
    from pagesetter import build as build_mod

    spec = project(tmp_path)
    out = tmp_path / "out" / "p.pdf"
    build(spec, out)
    before = snapshot(tmp_path)
    real = build_mod.write_outputs

    def late(*args):
        out.with_suffix(".png").write_bytes(b"someone else's picture")
        before["out/p.png"] = b"someone else's picture"
        return real(*args)

    monkeypatch.setattr(build_mod, "write_outputs", late)
    with pytest.raises(PagesetterError, match="this output would replace p.png, which was changed since"):
        build(spec, out)
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("given, expected", [("out/new/", "out/new/p.pdf"), ("out", "out/p.pdf"),
                                             ("out/x.pdf", "out/x.pdf"), (None, "out/p.pdf")])
def test_output_path_names_the_default_inside_a_folder(tmp_path, monkeypatch, given, expected):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "out").mkdir()
    assert outputs.output_path(given, Path("out/p.pdf")) == Path(expected)


@pytest.mark.parametrize("png", [True, False])
def test_render_over_the_build_s_preview_keeps_the_set_its_own(tmp_path, png):
    """`render out/p.pdf` writes out/p.png, the build's preview path: the set's record takes the
    new picture, so the next build replaces it (without this, it was refused as changed) — also
    after a `--no-png` build, whose record had no preview (found by review)."""
    spec = project(tmp_path)
    out = tmp_path / "out" / "p.pdf"
    build(spec, out, png=png)
    assert CliRunner().invoke(main, ["render", str(out), "--dpi", "50"]).exit_code == 0
    record = json.loads(out.with_suffix(".report.json").read_text(encoding="utf-8"))["outputs"]
    assert record["p.png"] == outputs.digest(out.with_suffix(".png").read_bytes())
    result = CliRunner().invoke(main, ["build", str(spec), "-o", str(out)])
    assert result.exit_code == 0, result.output
