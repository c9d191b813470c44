"""Issue 18, part 2 (inputs): fonts checked when first prepared, front matter under the spec's
limits, masters and edition page files confined to the project, cache entries read only as
capped regular files. The CLI cases with docs rows are in tests/bad_inputs.py (HOSTILE); here
are the ones that need more than a project folder: files outside it that must never be quoted,
the font cache, the warm path, and many damaged fonts at once."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from bad_inputs import ARTICLE_CHARS, FONT_SPEC, tiny_font
from damaged_fonts import garbled, glyph_overrun, without, zero_advances
from pagesetter.cli import main
from pagesetter.errors import FontError, PagesetterError
from pagesetter.fonts import facecheck, metricscache, prepare
from pagesetter.fonts.prepare import prepare_face
from pagesetter.fonts.roles import FaceSource
from pagesetter.pagespec import yamlpos
from specs import SPEC, project

SECRET = "API_TOKEN=s3cr3t-planted-4711"


def hashes(*roots: Path) -> dict[str, str]:
    """sha256 of every file under `roots` (a link or pipe by what it is), by path."""
    out = {}
    for root in roots:
        for folder, _dirs, names in os.walk(root):
            for name in names:
                path = Path(folder, name)
                if path.is_symlink():
                    out[str(path)] = "link → " + os.readlink(path)
                elif path.is_file():
                    out[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
                else:
                    out[str(path)] = f"special {path.stat().st_mode:o}"
    return out


def run(*args: str):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.output and "internal error" not in result.output, result.output
    return result


@pytest.fixture
def two_folders(tmp_path):
    """A project with a good build in out/, and a folder beside it holding a planted secret."""
    root, elsewhere = tmp_path / "project", tmp_path / "elsewhere"
    spec = project(root)
    assert run("build", spec, "-o", root / "out" / "p.pdf").exit_code == 0
    elsewhere.mkdir()
    (elsewhere / "env").write_text(SECRET + "\n", encoding="utf-8")
    (elsewhere / "m.yaml").write_text("colors: {grey: [0, 0, 0, 0.5]}\npage: {allow_outside: true}\n", encoding="utf-8")
    return root, elsewhere


# ── confinement ──

@pytest.mark.parametrize("ref", ["ABS/env", "../../elsewhere/env", "link.yaml"])
@pytest.mark.parametrize("allow", [False, True])
def test_a_master_outside_is_refused_and_never_quoted(two_folders, ref, allow):
    root, elsewhere = two_folders
    ref = ref.replace("ABS", str(elsewhere))
    (root / "layouts" / "link.yaml").symlink_to(elsewhere / "env")
    (root / "layouts" / "p.yaml").write_text(f"master: {ref}\n" + SPEC, encoding="utf-8")
    before = hashes(root, elsewhere)
    result = run("build", root / "layouts" / "p.yaml", "-o", root / "out" / "p.pdf",
                 *(["--allow-outside"] if allow else []))
    assert result.exit_code == 2, result.output
    assert "API_TOKEN" not in result.output and "s3cr3t" not in result.output, result.output
    if allow:  # read, and refused for what it is, not what it says
        assert "env:1:1: a master must be a mapping of sections (grid:, styles:, …), not text\n" in result.output
    else:
        assert "p.yaml:1:9: master '" in result.output and f" is outside the project folder {root}\n" in result.output
        assert "fix: move the master into the project, or pass --allow-outside" in result.output
    assert hashes(root, elsewhere) == before


@pytest.mark.parametrize("allow", [False, True])
def test_an_edition_page_outside_is_refused_and_never_quoted(two_folders, allow):
    root, elsewhere = two_folders
    (root / "layouts" / "ed.yaml").write_text("edition: {name: ed}\npages:\n  - file: ../../elsewhere/env\n",
                                              encoding="utf-8")
    before = hashes(root, elsewhere)
    result = run("build", root / "layouts" / "ed.yaml", *(["--allow-outside"] if allow else []))
    assert result.exit_code == 2, result.output
    assert "API_TOKEN" not in result.output and "s3cr3t" not in result.output, result.output
    if allow:
        assert "env:1:1: a spec must be a mapping of sections (page:, grid:, …), not text\n" in result.output
    else:
        assert "ed.yaml:3:11: page 1: page spec '../../elsewhere/env' is outside the project folder" in result.output
    assert hashes(root, elsewhere) == before


def test_outside_files_are_used_when_the_command_line_or_the_page_allows_it(two_folders):
    root, elsewhere = two_folders
    spec = root / "layouts" / "p.yaml"
    spec.write_text("master: ../../elsewhere/m.yaml\n" + SPEC, encoding="utf-8")
    assert run("check", spec, "--allow-outside").exit_code == 0
    spec.write_text("master: ../../elsewhere/m.yaml\n" + SPEC.replace("page: {", "page: {allow_outside: true, "),
                    encoding="utf-8")
    assert run("check", spec).exit_code == 0
    (root / "layouts" / "ed.yaml").write_text("edition: {name: ed}\npages:\n  - file: ../../elsewhere/q.yaml\n",
                                              encoding="utf-8")
    (elsewhere / "q.yaml").write_text(SPEC.replace("../articles/a.md", "../project/articles/a.md")
                                      .replace("page: {", "page: {allow_outside: true, "), encoding="utf-8")
    assert run("check", root / "layouts" / "ed.yaml").exit_code == 2
    assert run("check", root / "layouts" / "ed.yaml", "--allow-outside").exit_code == 0


def test_a_master_of_an_allowed_outside_master_cannot_lend_allow_outside_to_articles(two_folders):
    """Only the top spec's page: {allow_outside: true} counts: the page's outside master says it, and
    the article outside is still refused."""
    root, elsewhere = two_folders
    (elsewhere / "a.md").write_text((root / "articles" / "a.md").read_text(encoding="utf-8"), encoding="utf-8")
    spec = root / "layouts" / "p.yaml"
    spec.write_text("master: m.yaml\n" + SPEC.replace("../articles/a.md", "../../elsewhere/a.md"), encoding="utf-8")
    (root / "layouts" / "m.yaml").write_text("page: {allow_outside: true}\n", encoding="utf-8")
    result = run("check", spec)
    assert result.exit_code == 2 and "article file '../../elsewhere/a.md' is outside the project" in result.output


# ── YAML ──

def test_a_lone_surrogate_is_refused_by_the_pure_python_reader_too(monkeypatch, tmp_path):
    """libyaml refuses "\\ud800" itself; PyYAML's own reader (used when libyaml is missing) builds it,
    and the walk refuses it with its place."""
    monkeypatch.setattr(yamlpos, "_Parser", yaml.SafeLoader)
    with pytest.raises(PagesetterError) as info:
        yamlpos.load_yaml('page: {name: ok}\nstyles: {"b\\ud800": 1}\ntext: "a\\udfffb"\n', tmp_path / "p.yaml")
    (p,) = info.value.problems
    assert (p.line, p.column) == (2, 10) and "lone surrogate \\ud800" in p.message and "\\U0001F600" in p.fix


# ── fonts ──

def _face(tmp_path: Path, data: bytes) -> FaceSource:
    path = tmp_path / "tiny.ttf"
    path.write_bytes(data)
    return FaceSource("song", path, 0, "Tiny")


@pytest.mark.parametrize("seed", range(12))
def test_random_bytes_in_glyf_are_never_drawn(tmp_path, seed):
    face = _face(tmp_path, garbled(tiny_font(chars=ARTICLE_CHARS), "glyf", seed))
    with pytest.raises(FontError) as info:
        prepare_face(face, ["党的十八大以来"], tmp_path / "cache")
    (p,) = info.value.problems
    assert Path(p.file) == face.path and "'glyf' table" in p.message and "replace it" in p.fix


@pytest.mark.parametrize("damage, table", [
    (lambda d: without(d, "hmtx"), "'hmtx'"), (lambda d: without(d, "hhea"), "'hhea'"),
    (lambda d: without(d, "maxp"), "'maxp'"), (lambda d: without(d, "loca"), "'loca'"),
    (zero_advances, "'hmtx'"), (lambda d: glyph_overrun(d, "党"), "'glyf'")])
def test_a_damaged_face_names_its_file_and_table(tmp_path, damage, table):
    face = _face(tmp_path, damage(tiny_font(chars=ARTICLE_CHARS)))
    with pytest.raises(FontError) as info:
        prepare_face(face, ["党的十八大以来"], tmp_path / "cache")
    (p,) = info.value.problems
    assert Path(p.file) == face.path and table in p.message, p


def test_zero_width_characters_may_have_no_advance(tmp_path):
    """A format character (U+200B) takes no room by design: not a damaged face."""
    face = _face(tmp_path, tiny_font(chars=ARTICLE_CHARS))
    facecheck.check_advances(face, {"\u200b": 0.0, "\u0301": 0.0, "党": 1.0}, "song")
    with pytest.raises(FontError):
        facecheck.check_advances(face, {"党": float("nan")}, "song")


def test_spaces_and_private_use_characters_may_be_blank(tmp_path):
    face = _face(tmp_path, tiny_font(chars=ARTICLE_CHARS))
    facecheck.check_ink(face, {" ", "\u3000", "\ue000", "\u200b"}, "song", "glyf")
    for ch in ("党", "，", "1", "€"):
        with pytest.raises(FontError, match="draws nothing for"):
            facecheck.check_ink(face, {ch}, "song", "glyf")


def test_a_good_tiny_face_builds_and_the_check_is_kept_with_the_metrics(tmp_path, monkeypatch):
    """The control: the undamaged font builds with exit 0; a second preparation of the same
    characters decodes no glyph again (the check's result is in the metrics cache)."""
    root = tmp_path / "project"
    spec = project(root, FONT_SPEC)
    (root / "fonts").mkdir()
    (root / "fonts" / "tiny.ttf").write_bytes(tiny_font(chars=ARTICLE_CHARS))
    assert run("build", spec, "-o", root / "out" / "p.pdf").exit_code == 0
    face = FaceSource("song", root / "fonts" / "tiny.ttf", 0, "Tiny")
    first = prepare_face(face, [ARTICLE_CHARS], tmp_path / "cache")
    monkeypatch.setattr(prepare, "check_outlines", lambda *a: pytest.fail("checked again"))
    assert prepare_face(face, [ARTICLE_CHARS], tmp_path / "cache").metrics == first.metrics


# ── caches ──

def _small_build(root: Path, cache: Path, monkeypatch) -> bytes:
    monkeypatch.setenv("PAGESETTER_CACHE", str(cache))
    from pagesetter.render import profilecache

    monkeypatch.setattr(profilecache, "_MEMO", {})
    spec = root / "layouts" / "p.yaml"
    result = run("build", spec, "-o", root / "out" / "p.pdf", "--no-png")
    assert result.exit_code == 0, result.output
    return (root / "out" / "p.pdf").read_bytes()


def _damage(cache: Path, how: str) -> list[Path]:
    """Replace every entry of one kind by a pipe, a link to /dev/zero or a damaged copy."""
    kinds = {"fifo-metrics": "metrics/*.bin", "zero-subsets": "subsets/*.bin", "zero-index": "file-hashes.json",
             "fifo-profile": "profiles/*.z", "description": "profiles/*.desc"}
    entries = sorted(cache.glob(kinds[how]))
    assert entries, how
    for entry in entries:
        if how == "description":  # the same length and frame, other words: the CRC-32 finds it
            data = entry.read_bytes()
            entry.write_bytes(data[:-5] + b"Evil!")
            continue
        entry.unlink()
        if how.startswith("fifo"):
            os.mkfifo(entry)
        else:
            entry.symlink_to("/dev/zero")
    return entries


@pytest.mark.parametrize("how", ["fifo-metrics", "zero-subsets", "zero-index", "fifo-profile", "description"])
def test_a_damaged_cache_entry_is_rebuilt_and_changes_nothing(tmp_path, monkeypatch, how):
    root = tmp_path / "project"
    project(root)
    clean = _small_build(root, tmp_path / "clean", monkeypatch)
    cache = tmp_path / "cache"
    assert _small_build(root, cache, monkeypatch) == clean
    entries = _damage(cache, how)
    before = hashes(root)
    assert _small_build(root, cache, monkeypatch) == clean  # no hang, no memory filled, the same bytes
    assert hashes(root) == before  # no input changed, the earlier output rewritten byte for byte
    for entry in entries:
        assert entry.is_file() and not entry.is_symlink(), entry  # made again
    assert _small_build(root, cache, monkeypatch) == clean


def test_cache_reads_are_capped(tmp_path):
    from pagesetter.fonts.cache import read_entry

    entry = tmp_path / "big.bin"
    entry.write_bytes(b"x" * 1000)
    assert read_entry(entry, 999) is None and read_entry(entry, 1000) == b"x" * 1000
    assert metricscache.load(tmp_path / "none.bin") is None


def test_damaged_facts_in_the_index_are_read_again(tmp_path, monkeypatch):
    """The fact index is JSON, each fact checked as it is read: a sha256 that is no digest and a
    family name with a control character are computed again, not trusted."""
    import json

    from pagesetter.fonts import cache as fcache
    from pagesetter.fonts.roles import read_family

    monkeypatch.setenv("PAGESETTER_CACHE", str(tmp_path / "cache"))
    font = tmp_path / "tiny.ttf"
    font.write_bytes(tiny_font())
    digest, family = fcache.content_hash(font, tmp_path / "cache"), read_family(font, 0, "song")
    index_file = tmp_path / "cache" / fcache.HASH_INDEX
    index = json.loads(index_file.read_text())
    index[str(font.resolve())].update({"sha256": "zz" + digest[2:], "family:0": "Tiny\x1b[31m"})
    fcache.atomic_write(index_file, json.dumps(index).encode())
    assert fcache.content_hash(font, tmp_path / "cache") == digest
    assert read_family(font, 0, "song") == family == "Tiny"
