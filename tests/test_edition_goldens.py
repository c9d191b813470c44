"""Editions as goldens (issue 25): `page_matches('edition.yaml')` keeps the whole edition's dump,
its pages and jumps, and each page's PDF and fonts by page name; every finding names the page,
story, frame and article line; `diff --spec edition.yaml` names them too."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from editions import EDITION, edition_project
from tinypage import need_noto

from pagesetter.cli import main
from pagesetter.testing import (
    ENV,
    STRICT_ENV,
    GoldenMismatch,
    assert_page_matches,
    edition_golden_paths,
)

ONE_CHAR = ("做到“两个维护”", "做到“两个拥护”")  # a character of the text that jumped to page 2


@pytest.fixture(autouse=True)
def no_ci(monkeypatch):
    """These tests set CI and strictness themselves; what they regenerate stays out of the
    plugin's end-of-run list."""
    from pagesetter import testing

    for name in ("CI", ENV, STRICT_ENV):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(testing, "WRITTEN", [])
    monkeypatch.setattr(testing, "REGENERATED_IN", set())
    monkeypatch.setattr(testing, "NOT_COMPARED", [])


@pytest.fixture
def edition(tmp_path) -> Path:
    need_noto()
    return edition_project(tmp_path)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _mismatch(spec: Path, golden: Path, **options) -> str:
    with pytest.raises(GoldenMismatch) as failed:
        assert_page_matches(spec, golden, **options)
    return str(failed.value)


def test_edition_goldens_are_its_dump_jumps_and_each_pages_pdf_and_fonts(edition, tmp_path):
    golden = tmp_path / "golden"
    assert_page_matches(edition, golden, regenerate=True)
    paths = edition_golden_paths(golden, "ed", ["p1", "p2"])
    assert sorted(p.name for p in golden.iterdir()) == ["ed", "ed.dump.txt", "ed.jumps.json"]
    assert sorted(p.name for p in paths["folder"].iterdir()) == ["p1.fonts.json", "p1.pdf", "p2.fonts.json", "p2.pdf"]
    dump = CliRunner().invoke(main, ["dump", str(edition)])
    assert dump.exit_code == 0 and paths["dump"].read_text(encoding="utf-8") == dump.output  # what `dump` prints
    assert json.loads(paths["jumps"].read_text(encoding="utf-8")) == {
        "pages": ["p1", "p2"], "jumps": ["p1/s (page 1) → p2/t (page 2)"]}
    assert_page_matches(edition, golden)  # the same build matches


def test_one_character_on_page_2_names_page_story_frame_and_article_line(edition, tmp_path):
    golden, out = tmp_path / "golden", tmp_path / "out"
    assert_page_matches(edition, golden, regenerate=True)
    _edit(tmp_path / "articles" / "a.md", *ONE_CHAR)
    message = _mismatch(edition, golden, out_dir=out)
    assert message.startswith(f"edition 'ed' does not match its goldens in {golden}:")
    assert "page 2 p2: layout dump differs" in message and "page 2 p2: PDF differs from the golden" in message
    assert "(page 2 p2, story t, frame g1, articles/a.md:15; x 12.8 y 33.4 mm)" in message  # the dump's finding
    assert "(page 2 p2, story t, frame g1, articles/a.md:15; x 12.8 y 30.6 mm, 39.7 × 3.4 mm): \"维\"→\"拥\"" in message
    assert "page 1 p1" not in message  # page 1 is unchanged
    assert (out / "p2.diff.png").is_file() and (out / "p2.diff.html").is_file() and (out / "ed.report.txt").is_file()
    assert "拥护" in (out / "ed.dump.txt").read_text(encoding="utf-8")  # the whole new dump, to diff by hand
    assert not any(p.name.endswith(".diff.png") for p in golden.rglob("*"))  # review outputs stay out


def test_a_page_inserted_moves_the_jump_and_is_named(edition, tmp_path):
    golden = tmp_path / "golden"
    assert_page_matches(edition, golden, regenerate=True)
    _edit(edition, "  - {file: p2.yaml, section: 综合}", "  - {file: filler.yaml}\n  - {file: p2.yaml, section: 综合}")
    message = _mismatch(edition, golden, out_dir=tmp_path / "out")
    assert "edition: page 2 filler is new: it has no goldens" in message
    assert "jumps (转版) changed:\n  - p1/s (page 1) → p2/t (page 2)\n  + p1/s (page 1) → p2/t (page 3)" in message
    assert "（下转第三版）" in message  # the jump line on page 1 now says page 3
    _edit(edition, "  - {file: filler.yaml}\n", "")
    _edit(edition, "  - {file: p1.yaml, section: 要闻}\n  - {file: p2.yaml, section: 综合}",
          "  - {file: p1.yaml, section: 要闻}\n  - {file: p2.yaml, section: 综合}\n  - {file: filler.yaml}")
    assert_page_matches(edition, golden, regenerate=True)
    _edit(edition, "  - {file: p2.yaml, section: 综合}\n  - {file: filler.yaml}",
          "  - {file: filler.yaml}\n  - {file: p2.yaml, section: 综合}")
    assert "pages reordered: the goldens have p1, p2, filler; now p1, filler, p2" in _mismatch(
        edition, golden, out_dir=tmp_path / "out2")


def test_edition_fonts_fail_closed_naming_the_page(edition, tmp_path, monkeypatch):
    golden = tmp_path / "golden"
    assert_page_matches(edition, golden, regenerate=True)
    fonts = edition_golden_paths(golden, "ed", ["p2"])["pages"]["p2"]["fonts"]
    recorded = json.loads(fonts.read_text(encoding="utf-8"))
    recorded["song"]["sha256"] = "0" * 64
    fonts.write_text(json.dumps(recorded), encoding="utf-8")
    message = _mismatch(edition, golden)
    assert "edition 'ed': the fonts here differ from the goldens' (page 2 p2: song: goldens made with" in message
    monkeypatch.setenv(STRICT_ENV, "0")
    with pytest.raises(pytest.skip.Exception, match="edition 'ed'"):
        assert_page_matches(edition, golden)


def test_edition_regeneration_is_refused_on_ci_like_a_pages(edition, tmp_path, monkeypatch):
    monkeypatch.setenv("CI", "true")
    monkeypatch.setenv(ENV, "1")
    with pytest.raises(GoldenMismatch, match=f"refusing to regenerate goldens: CI is set.*{ENV}=force"):
        assert_page_matches(edition, tmp_path / "golden")
    assert not (tmp_path / "golden").exists()


def test_diff_spec_edition_names_page_story_frame_and_article_line(edition, tmp_path):
    """`pagesetter diff A.pdf B.pdf --spec edition.yaml` (it used to be ignored for an edition)."""
    from pagesetter.build_edition import build_edition

    build_edition(edition, tmp_path / "a" / "ed.pdf", png=False, jobs=1)
    _edit(tmp_path / "articles" / "a.md", *ONE_CHAR)
    build_edition(edition, tmp_path / "b" / "ed.pdf", png=False, jobs=1)
    args = ["diff", str(tmp_path / "a" / "ed.pdf"), str(tmp_path / "b" / "ed.pdf"), "--no-image"]
    result = CliRunner().invoke(main, [*args, "--spec", str(edition)])
    assert result.exit_code == 1, result.output
    assert ("text changed at line 4 of A / 4 of B (page 2 p2, story t, frame g1, articles/a.md:15; "
            "x 12.8 y 30.6 mm, 39.7 × 3.4 mm): \"维\"→\"拥\"") in result.output
    assert "region (page 2 p2, story t, frame g1, articles/a.md:15;" in result.output
    assert f"(pages, stories, frames and article lines named from {edition})" in result.output
    other = EDITION.replace("  - {file: p2.yaml, section: 综合}", "  - {file: p2.yaml, section: 综合}\n"
                                                                   "  - {file: filler.yaml}")
    (edition.parent / "three.yaml").write_text(other, encoding="utf-8")
    result = CliRunner().invoke(main, [*args, "--spec", str(edition.parent / "three.yaml")])
    assert result.exit_code == 1 and "the edition has 3 pages, B has 2" in result.output
    assert "(page 2 p2" not in result.output


def test_regenerating_lists_the_goldens_of_a_page_that_left_the_edition(edition, tmp_path, monkeypatch):
    """Regenerating by the run (PAGESETTER_REGENERATE=1) lists the per-page goldens of a page the
    edition no longer has (it deletes nothing), as it does for a page test that is gone."""
    from pagesetter.testing import unused_goldens

    three = EDITION.replace("  - {file: p2.yaml, section: 综合}", "  - {file: p2.yaml, section: 综合}\n"
                                                                   "  - {file: filler.yaml}")
    edition.write_text(three, encoding="utf-8")
    golden = tmp_path / "golden"
    monkeypatch.setenv(ENV, "1")
    assert_page_matches(edition, golden)
    edition.write_text(EDITION, encoding="utf-8")
    from pagesetter import testing

    monkeypatch.setattr(testing, "USED", {})  # a later run: what this one checked is all it used
    assert_page_matches(edition, golden)
    folder = golden.resolve() / "ed"
    assert [p for p in unused_goldens() if p.parent == folder] == [folder / "filler.fonts.json", folder / "filler.pdf"]
    monkeypatch.setenv(ENV, "0")
    assert_page_matches(edition, golden)  # the goldens of the two pages it has match


def test_the_edition_map_names_a_made_up_pages_stories_and_a_continuations_articles():
    """On the sample edition: page 3 is made up (自动组版: its frames are the engine's, in no chain
    of the spec) and page 2 continues page 1's main story (its story has no articles of its own);
    both are named down to the article line."""
    from pagesetter.build_edition import compose_edition
    from pagesetter.check.where import edition_map
    from pagesetter.layout.model import TextLine

    need_noto()
    composed = compose_edition(Path(__file__).resolve().parents[1] / "layouts" / "sample-edition.yaml")
    maps = edition_map(composed)
    for n, story in ((2, "main-continued"), (3, "main")):
        page = composed.pages[n - 1]
        line = next(i for i in page.layout.items
                    if isinstance(i, TextLine) and i.story == story and i.tag == "P" and len(i.glyphs) > 8
                    and not i.frame.startswith("headline"))
        chains = {f for s in page.spec.stories for f in s.chain}
        assert (n == 3) == (line.frame not in chains)
        place = maps.pages[n - 1].line(line.frame, "".join(g.ch for g in line.glyphs))
        assert place.page == f"page {n} {page.spec.name}" and place.story == story, place
        assert place.article is not None and place.article.startswith("articles/main.md:"), place
