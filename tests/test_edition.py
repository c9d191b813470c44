"""Editions: many pages from one spec — masters, variables, stories jumping between pages with
live jump lines (下转第N版 / 上接第N版), the overset text named, one PDF + one per page."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from editions import EDITION, MASTER, P1, P2, edition_project
from pagesetter.build_edition import build_edition, compose_edition
from pagesetter.cli import main
from pagesetter.errors import PagesetterError
from pagesetter.layout.dump import dump_layout
from pagesetter.pagespec.edition import chinese_number
from pagesetter.pagespec.load import load_spec

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "layouts" / "sample-edition.yaml"
PAGECHECK = ROOT.parent / "shared" / "tools" / "pagecheck.py"


def texts(pdf: Path) -> list[str]:
    return [re.sub(r"\s+", "", p.extract_text()) for p in PdfReader(pdf).pages]


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    out = tmp_path_factory.mktemp("edition") / "sample-edition.pdf"
    composed = build_edition(SAMPLE, out)
    return out, composed


def test_edition_pdf_is_titled_with_its_paper_and_date_each_page_with_its_own(sample):
    out, _ = sample
    assert PdfReader(out).metadata.title == "人民日报 2022年6月24日"
    page_1 = next((out.parent / "sample-edition").glob("01-*.pdf"))
    assert PdfReader(page_1).metadata.title.endswith("基层党组织更加坚强有力")


def test_sample_edition_is_one_pdf_with_jump_lines_numbered_from_the_pages(sample):
    out, composed = sample
    pages = texts(out)
    assert len(pages) == 3
    assert "（下转第二版）" in pages[0] and "上接" not in pages[0]
    assert "（上接第一版）" in pages[1] and "下转" not in pages[1]
    assert "下转" not in pages[2] and "上接" not in pages[2]  # the made-up page holds its stories whole
    report = json.loads(out.with_suffix(".report.json").read_text(encoding="utf-8"))
    assert report["jumps"] == [{"from": "jiceng-dangjian/main", "from_page": 1, "to": "sample-page-2/main-continued",
                                "to_page": 2}]
    assert all(s["overset"] == 0 for p in report["pages"] for s in p["stories"])


def test_sample_edition_loses_no_text_across_the_jump(sample):
    """Every character of the main article is on page 1 or page 2, in order."""
    from pagesetter.story.parse import load_story

    out, _ = sample
    story = load_story(ROOT / "articles" / "main.md")
    body = re.sub(r"\s+", "", "".join(p.text for p in story.paragraphs))
    p1, p2, _ = texts(out)
    cut = p2.index("（上接第一版）") + len("（上接第一版）")
    first = p1[:p1.index("（下转第二版）")]
    # page 1 holds the story's start, page 2 the rest; together they are the whole text
    tail = body[-40:]
    assert tail in p2[cut:]
    head = body[:40]
    assert head in first
    joined = first + p2[cut:]
    assert body[300:340] in joined and body[-300:-260] in joined


def test_sample_edition_writes_one_pdf_and_png_per_page(sample):
    out, _ = sample
    folder = out.with_suffix("")
    assert sorted(p.name for p in folder.iterdir()) == [
        "01-jiceng-dangjian.pdf", "01-jiceng-dangjian.png", "02-sample-page-2.pdf", "02-sample-page-2.png",
        "03-made-up-sample.pdf", "03-made-up-sample.png"]
    assert texts(folder / "02-sample-page-2.pdf") == texts(out)[1:2]
    assert texts(folder / "03-made-up-sample.pdf") == texts(out)[2:]


def test_sample_edition_page_3_is_made_up_as_the_page_alone(sample):
    """Page 3 (layouts/made-up-sample.yaml) leaves its stories to make-up (自动组版): in the edition
    the engine places them as it does for the page alone, the area filled, nothing overset."""
    from pagesetter.build import compose_page
    from pagesetter.layout.makeup_spec import figures

    page = sample[1].pages[2]
    alone = compose_page(ROOT / "layouts" / "made-up-sample.yaml")
    fig = figures(alone.made, alone.layout.stories)
    assert fig["stories"] == 3 and fig["empty_lines"] == 0 and fig["overset"] == 0 and fig["tombstones"] == 0
    assert page.spec.name == "made-up-sample" and not any(s.overset for s in page.layout.stories)
    assert dump_layout(page.layout) == dump_layout(alone.layout)  # placed in the edition as alone
    assert dump_layout(page.layout) == dump_layout(alone.layout)


@pytest.mark.skipif(not PAGECHECK.exists(), reason="../shared/tools/pagecheck.py not beside the repository")
def test_pagecheck_finds_no_hard_fault_on_any_page(sample):
    result = subprocess.run([sys.executable, str(PAGECHECK), str(sample[0]), "--json"], capture_output=True, text=True)
    report = json.loads(result.stdout)
    assert len(report["pages"]) == 3
    assert report["hard_faults"] == 0, result.stdout[-3000:]


def test_sample_edition_matches_its_goldens(page_matches):
    """The goldens of the sample edition (tests/golden/sample-edition.*): every page's dump, the
    pages and the jump, each page's fonts; no PDF golden (three pages of ~250–580 KB each; the
    sample page's PDF is kept by test_testing). PAGESETTER_REGENERATE=1 rewrites them, refused on CI."""
    page_matches(SAMPLE, ROOT / "tests" / "golden", max_pdf_bytes=0)


def test_seed_page_still_builds_on_its_own_unchanged():
    """The edition's override lives in the edition: the seed spec alone has no jump."""
    spec = load_spec(ROOT / "layouts" / "jiceng-dangjian.yaml")
    main_story = next(s for s in spec.stories if s.id == "main")
    assert len(main_story.chain) == 6 and "jump" not in spec.styles


def test_rebuild_is_byte_identical_and_parallel_equals_serial(tmp_path):
    path = edition_project(tmp_path, edition=EDITION.replace("  - {file: p2.yaml, section: 综合}",
                                                              "  - {file: p2.yaml, section: 综合}\n"
                                                              "  - {file: filler.yaml}"))
    a = build_edition(path, tmp_path / "a" / "ed.pdf", png=False, jobs=1)
    b = build_edition(path, tmp_path / "b" / "ed.pdf", png=False, jobs=2)
    assert (tmp_path / "a" / "ed.pdf").read_bytes() == (tmp_path / "b" / "ed.pdf").read_bytes()
    for n in ("01-p1", "02-p2", "03-filler"):
        assert (tmp_path / "a" / "ed" / f"{n}.pdf").read_bytes() == (tmp_path / "b" / "ed" / f"{n}.pdf").read_bytes()
    assert a.pdfs == b.pdfs


def test_one_subset_per_face_for_the_whole_edition(tmp_path):
    composed = compose_edition(edition_project(tmp_path), jobs=1)
    p1, p2 = composed.pages
    shared = set(p1.faces) & set(p2.faces)
    assert {"song", "kai"} <= shared  # body text and the jump lines on both pages
    for role in shared:
        assert p1.faces[role] is p2.faces[role]  # one prepared face, hence one subset, per font


def test_moving_the_continuation_renumbers_the_jump_lines(tmp_path):
    """Page p2 moves from 2nd to 4th place: no other edit, and the jump lines follow."""
    path = edition_project(tmp_path)
    assert "（下转第二版）" in _page_text(path, 0) and "（上接第一版）" in _page_text(path, 1)
    moved = EDITION.replace("  - {file: p2.yaml, section: 综合}\n", "  - {file: filler.yaml}\n"
                            "  - {spec: {master: master.yaml, page: {name: inline}}}\n"
                            "  - {file: p2.yaml, section: 综合}\n")
    path.write_text(moved, encoding="utf-8")
    composed = compose_edition(path, jobs=1)
    assert [c.spec.name for c in composed.pages] == ["p1", "filler", "inline", "p2"]
    assert "（下转第四版）" in _text(composed, 0)
    assert "（上接第一版）" in _text(composed, 3)
    assert "第4版" in _text(composed, 3)  # the 报眉's {page} too


def _text(composed, i: int) -> str:
    return "".join(g.ch for item in composed.pages[i].layout.items if hasattr(item, "glyphs") for g in item.glyphs)


def _page_text(path: Path, i: int) -> str:
    return _text(compose_edition(path, jobs=1), i)


def test_continuation_goes_on_from_the_exact_line_without_indent(tmp_path):
    composed = compose_edition(edition_project(tmp_path), jobs=1)
    p1, p2 = composed.pages
    body = [i for i in p1.layout.items if getattr(i, "frame", "") in ("f1", "f2")]
    last = [i for i in body if i.glyphs[0].font == "song"][-1]  # the line above the jump line
    assert "".join(g.ch for g in body[-1].glyphs) == "（下转第二版）"
    cont = [i for i in p2.layout.items if getattr(i, "frame", "") == "g1"]
    assert "".join(g.ch for g in cont[0].glyphs) == "基层党组织更加坚强有力"  # continued-head
    assert "".join(g.ch for g in cont[1].glyphs) == "（上接第一版）"
    first = cont[2]
    assert first.glyphs[0].x == pytest.approx(0, abs=0.01)  # no 2-em indent: a continued paragraph
    assert "".join(g.ch for g in last.glyphs) + "".join(g.ch for g in first.glyphs) in \
        re.sub(r"\s+", "", (tmp_path / "articles" / "a.md").read_text(encoding="utf-8"))


def test_overset_continuation_names_the_text_that_did_not_fit(tmp_path):
    path = edition_project(tmp_path, paragraphs=30, p2_lines=5)
    composed = compose_edition(path, jobs=1)
    r = composed.pages[1].layout.stories[0]
    assert r.overset > 0
    article = (tmp_path / "articles" / "a.md").read_text(encoding="utf-8").split("\n")
    file, line = r.overset_at.rsplit(":", 1)
    assert Path(file).name == "a.md"
    first = r.overset_text.rstrip("…")
    assert first[:6] in re.sub(r"\s+", "", "".join(article[int(line) - 1:int(line) + 2]))
    runner = CliRunner()
    check = runner.invoke(main, ["check", str(path), "--json"])
    assert check.exit_code == 1
    story = json.loads(check.output)["pages"][1]["stories"][0]
    assert story["overset_text"] == r.overset_text and story["overset_at"] == r.overset_at
    dump = runner.invoke(main, ["dump", str(path)])
    assert f'from "{r.overset_text}" ({r.overset_at})' in dump.output
    build = runner.invoke(main, ["build", str(path), "-o", str(tmp_path / "out" / "ed.pdf"), "--no-png"])
    assert build.exit_code == 1 and r.overset_text in build.output


def test_a_story_that_fits_leaves_its_continuation_empty_with_a_warning(tmp_path):
    composed = compose_edition(edition_project(tmp_path, paragraphs=2), jobs=1)
    assert "下转" not in _text(composed, 0)
    assert any("nothing jumps" in w.message and w.file.name == "p1.yaml" for w in composed.warnings)


def test_master_styles_and_furniture_with_page_overrides(tmp_path):
    p1 = P1 + "styles: {body: {size: 五号}}\n"
    path = edition_project(tmp_path, p1_yaml=p1)
    spec = load_spec(path.parent / "p1.yaml")
    assert spec.styles["body"].size == 10.5 and spec.styles["body"].role == "song"  # only the size changed
    assert spec.blocks[0].kind == "text" and spec.blocks[0].options.text.startswith("测试报")  # master first
    assert spec.blocks[1].kind == "headline"


def test_a_page_changes_its_masters_blocks_and_adds_its_own_at_once(tmp_path):
    """blocks: {0: {…}, add: [ … ]}: the master's first block changed, the page's blocks after the master's."""
    p1 = P1.replace("blocks:\n  - {kind: headline",
                    "blocks:\n  0: {text: 改过的报名}\n  add:\n  - {kind: headline")
    path = edition_project(tmp_path, p1_yaml=p1)
    spec = load_spec(path.parent / "p1.yaml")
    assert spec.blocks[0].kind == "text" and spec.blocks[0].options.text == "改过的报名"
    assert [b.kind for b in spec.blocks[1:]] == ["headline"]


@pytest.mark.parametrize("blocks, message", [
    ("blocks:\n  0: {text: x}\n  plus: []\n", "p1.yaml:10:3: blocks over a master is a list or a mapping of item "
                                               "numbers, not a mapping with 'plus'"),
    ("blocks:\n  add: 5\n", "p1.yaml:9:3: add must be a list of blocks, not a number (5)"),
    ("blocks:\n  0: {text: x}\n  - {kind: rule}\n", "p1.yaml:10:3: not valid YAML: did not find expected key"),
])
def test_a_wrong_form_of_blocks_over_a_master_names_both_forms(tmp_path, blocks, message):
    p1 = P1[:P1.index("blocks:")] + blocks
    path = edition_project(tmp_path, p1_yaml=p1)
    with pytest.raises(PagesetterError) as err:
        load_spec(path.parent / "p1.yaml")
    text = str(err.value)
    assert message in text and "add: [ … ]" in text and "mapping" in text, text


def test_edition_variables_win_over_the_page_and_master(tmp_path):
    composed = compose_edition(edition_project(tmp_path), jobs=1)
    assert "测试报2024年5月1日第1版要闻" in _text(composed, 0)
    assert "第2版综合" in _text(composed, 1)


@pytest.mark.parametrize("n, cn", [(1, "一"), (2, "二"), (9, "九"), (10, "十"), (11, "十一"), (20, "二十"),
                                   (24, "二十四"), (100, "一百"), (105, "一百零五"), (110, "一百一十")])
def test_chinese_page_numbers(n, cn):
    assert chinese_number(n) == cn


def test_a_continuation_can_jump_again(tmp_path):
    """p1 → p2 → p3: page 2's continuation keeps its last line for （下转第三版）, page 3 gets the rest
    with the original headline as its continued-head and （上接第二版）."""
    p2 = P2.replace("LINES", "6").replace("chain: [g1, g2], continued_head: chead}",
                                         "chain: [g1, g2], continued_head: chead}")
    p3 = P2.replace("LINES", "18").replace("name: p2", "name: p3").replace("continues: p1/s", "continues: p2/t")
    edition = EDITION + "  - {file: p3.yaml}\n"
    composed = compose_edition(edition_project(tmp_path, paragraphs=11, edition=edition, p2_yaml=p2, p3_yaml=p3),
                               jobs=1)
    t1, t2, t3 = (_text(composed, i) for i in range(3))
    assert "（下转第二版）" in t1
    assert "（上接第一版）" in t2 and "（下转第三版）" in t2
    assert "基层党组织更加坚强有力（上接第二版）" in t3
    assert [r.overset for c in composed.pages for r in c.layout.stories] == [0, 0, 0], \
        [r for c in composed.pages for r in c.layout.stories]


def test_render_and_dump_take_an_edition(tmp_path):
    path = edition_project(tmp_path)
    runner = CliRunner()
    result = runner.invoke(main, ["render", str(path), "-o", str(tmp_path / "png" / "ed.png"), "--dpi", "30"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "png").iterdir()) == ["ed-p1.png", "ed-p2.png"]
    dump = runner.invoke(main, ["dump", str(path)])
    assert dump.exit_code == 0 and dump.output.count("\npage ") + dump.output.startswith("page ") == 2
    assert "jump （下转第二版）" in dump.output


def test_lines_at_the_jump_are_not_letter_spaced(tmp_path):
    """The last line before （下转…） and the first after （上接…） are set like any body line: no
    character stands more than a hair beyond one em from the next (a hand-cut continuation came
    out letter-spaced)."""
    composed = compose_edition(edition_project(tmp_path), jobs=1)
    p1, p2 = composed.pages
    body1 = [i for i in p1.layout.items if getattr(i, "frame", "") in ("f1", "f2") and i.glyphs[0].font == "song"]
    body2 = [i for i in p2.layout.items if getattr(i, "frame", "") == "g1" and i.glyphs[0].font == "song"]
    for line in (body1[-1], body2[0]):
        xs = [g.x for g in line.glyphs]
        steps = [b - a for a, b in zip(xs, xs[1:])]
        assert max(steps) <= 9 * 1.08, ("".join(g.ch for g in line.glyphs), steps)


def test_a_master_blocks_overset_and_warnings_name_the_master_file(tmp_path):
    """Furniture from the master is reported at its place in master.yaml (not at that line of the
    page's file); a page's own block at its place in the page's file, not by its merged index."""
    from pagesetter.build import compose_page

    master = MASTER.replace("folio: {role: hei, size: 小五", "folio: {role: hei, size: 初号")
    p1 = P1.replace("styles: {headline: head}}", "styles: {headline: head}}\n"
                    "  - {kind: image, file: ../images/s.png, at: {col: 1, line: 2, lines: 2}}")
    path = edition_project(tmp_path, master_yaml=master, p1_yaml=p1)
    (tmp_path / "images").mkdir()
    from PIL import Image
    Image.new("RGB", (20, 20)).save(tmp_path / "images" / "s.png")
    composed = compose_page(path.parent / "p1.yaml")
    overset = [b.where for b in composed.block_overset]
    assert any(w.startswith("block 1 (text) at master.yaml:") for w in overset), overset
    low = [w for w in composed.warnings if "ppi" in str(w)]
    assert low and all(w.file.name == "p1.yaml" and w.line == 10 for w in low), low


def test_a_spot_colour_survives_the_process_pool(tmp_path):
    """A spot colour (Spot, a tuple with a name) on every page crosses into the pool's workers and
    back — the pages composed two at a time in one wave (`_task`), the edition's PDF and the PNG
    previews made there too: the pooled build equals the serial one and draws the ink as a
    /Separation (issue 25: it was an internal error, then BrokenProcessPool)."""
    from pagesetter.build_edition import load_pages
    from pagesetter.layout.edition import plan
    from pagesetter.pagespec.edition import load_edition

    master = MASTER.replace("colors: {red: [0, 1, 1, 0.1]}",
                            "colors: {red: {spot: PANTONE 186 C, cmyk: [0, 1, 0.8, 0.05]}}").replace(
        "folio: {role: hei, size: 小五, align: center}", "folio: {role: hei, size: 小五, align: center, color: red}")
    three = EDITION.replace("  - {file: p2.yaml, section: 综合}", "  - {file: p2.yaml, section: 综合}\n"
                                                                   "  - {file: filler.yaml}")
    path = edition_project(tmp_path, master_yaml=master, edition=three)
    _, waves = plan(load_pages(load_edition(path)))
    assert max(len(w) for w in waves) == 2  # a wave of two pages: composed in the pool, not in this process
    build_edition(path, tmp_path / "a" / "ed.pdf", png=True, dpi=20, jobs=1)
    build_edition(path, tmp_path / "b" / "ed.pdf", png=True, dpi=20, jobs=2)
    pooled = (tmp_path / "b" / "ed.pdf").read_bytes()
    assert pooled == (tmp_path / "a" / "ed.pdf").read_bytes()
    assert pooled.count(b"/Separation") >= 1 and b"PANTONE#20186#20C" in pooled
    for name in ("01-p1", "02-p2", "03-filler"):
        for suffix in (".pdf", ".png"):
            a, b = (tmp_path / side / "ed" / f"{name}{suffix}" for side in "ab")
            assert a.read_bytes() == b.read_bytes(), name + suffix
