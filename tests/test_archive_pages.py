"""Archive pages built: the 1946 template (layouts/masters/rmrb-1946*.yaml) with the first issue's
front page hand-placed from the archive (layouts/rmrb-1946/1946-05-15-1.yaml). Every article's text
is read back from the PDF whole and in order; nothing is overset; pagecheck finds no hard fault."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pagesetter.build import build
from pagesetter.check.readback import read_pdf
from pagesetter.story.scan import scan_archive

ROOT = Path(__file__).resolve().parents[1]
ARCHIVE = ROOT.parent / "shared" / "archive" / "rmrb-1946-05"
PAGECHECK = ROOT.parent / "shared" / "tools" / "pagecheck.py"
PAGE = ROOT / "layouts" / "rmrb-1946" / "1946-05-15-1.yaml"
pytestmark = pytest.mark.skipif(not ARCHIVE.is_dir(), reason=f"the archive is not at {ARCHIVE}")


def _squeeze(s: str) -> str:
    return "".join(s.split())


@pytest.fixture(scope="module")
def front(tmp_path_factory):
    out = tmp_path_factory.mktemp("rmrb") / "front.pdf"
    composed = build(PAGE, out, png=False)
    return out, composed


def test_the_front_page_sets_every_story_with_nothing_overset(front):
    _, composed = front
    assert len(composed.layout.stories) == 9
    assert [s.id for s in composed.layout.stories if s.overset] == []


def test_every_article_of_the_page_reads_back_whole_and_in_order(front):
    """The PDF's glyphs in content order (reading order, story by story): each article's body is
    one unbroken run of it, and each head part is there."""
    out, _ = front
    text = "".join(_squeeze(g.ch) for g in read_pdf(out)[0].glyphs)
    page = next(p for i in scan_archive(ARCHIVE) if str(i.date) == "1946-05-15" for p in i.pages if p.number == 1)
    assert len(page.articles) == 9
    for a in page.articles:
        body = _squeeze("".join(p.text for p in a.story.paragraphs))
        assert body in text, a.path.name
        for part in ("kicker", "headline", "subtitle", "byline"):
            assert _squeeze(str(a.story.get(part) or "")) in text, (a.path.name, part)


def test_the_masthead_carries_paper_date_and_page(front):
    out, _ = front
    lines = [l.text for l in read_pdf(out)[0].lines]
    assert "人民日报" in lines and "第一版" in lines
    assert any(l.startswith("一九四六年五月十五日") for l in lines)


@pytest.mark.skipif(not PAGECHECK.exists(), reason="../shared/tools/pagecheck.py not beside the repository")
def test_pagecheck_finds_no_hard_fault(front):
    out, _ = front
    run = subprocess.run([sys.executable, str(PAGECHECK), str(out)], capture_output=True, text=True)
    assert "hard faults: 0" in run.stdout, run.stdout[-2000:]


# --- pages of the sample week made up by the engine (story.archive_edition → makeup) ---

from pagesetter.build_edition import build_edition  # noqa: E402
from pagesetter.outputs import write_set  # noqa: E402
from pagesetter.story.archive_edition import edition_texts, page_name  # noqa: E402

MASTERS = ROOT / "layouts" / "masters"


@pytest.fixture(scope="module")
def day_0516(tmp_path_factory):
    """The 1946-05-16 issue written as page specs left to make-up, with its scanned issue; 第2版
    set tighter (house copyfit [-0.06, 0.03], what benchmarks/make_up.py's tighter-setting pass
    chooses for it: at the engine's [-0.03, 0.03] one line of it is overset)."""
    folder = tmp_path_factory.mktemp("rmrb-0516")
    issue = next(i for i in scan_archive(ARCHIVE) if str(i.date) == "1946-05-16")
    texts = edition_texts(issue, folder, MASTERS, copyfit={2: (-0.06, 0.03)})
    write_set({p: t.encode("utf-8") for p, t in texts.items()})
    return folder, issue


def _read_back_whole(pdf: Path, page) -> list[str]:
    """Names of the page's articles whose body or a head part is not read back whole and in order."""
    text = "".join(_squeeze(g.ch) for g in read_pdf(pdf)[0].glyphs)
    missing = []
    for a in page.articles:
        parts = [_squeeze("".join(p.text for p in a.story.paragraphs))]
        parts += [_squeeze(str(a.story.get(k) or "")) for k in ("kicker", "headline", "subtitle", "byline")]
        if not all(part in text for part in parts):
            missing.append(a.path.name)
    return missing


def test_a_made_up_front_page_reads_back_every_article_whole_and_in_order(day_0516):
    folder, issue = day_0516
    pdf = folder / "front.pdf"
    composed = build(folder / f"{page_name(issue.date, 1)}.yaml", pdf, png=False, allow_outside=True)
    assert [s.id for s in composed.layout.stories if s.overset] == []
    assert len(composed.layout.stories) == len(issue.pages[0].articles) == 6
    assert _read_back_whole(pdf, issue.pages[0]) == []


def test_the_whole_day_made_up_as_an_edition_reads_back_whole_and_in_order(day_0516):
    """1946-05-16 (第1版 six stories, 第2版 twelve) built as its edition: nothing overset, every
    article of each page read back from that page's PDF whole and in order."""
    folder, issue = day_0516
    composed = build_edition(folder / "rmrb-1946-05-16.yaml", folder / "day.pdf", png=False, allow_outside=True)
    assert [(p.spec.name, s.id) for p in composed.pages for s in p.layout.stories if s.overset] == []
    for n, page in enumerate(issue.pages, 1):
        pdf = next((folder / "day").glob(f"{n:02d}-*.pdf"))
        assert _read_back_whole(pdf, page) == [], page.number


TABLE_PAGE = """\
master: {master}
page: {{name: table, allow_outside: true}}
frames:
  t1: {{col: 1, line: 4, lines: 40}}
stories:
  prices: {{articles: ["{article}"], chain: [t1], heads: {{headline: other_head}}}}
"""


def test_each_row_of_the_price_table_sets_on_one_line_of_a_column(tmp_path):
    """1946-05-21 本市物价表: its rows (name, unit, price) are set in the master's `table` style in a
    13-character column; the longest (白洋布　一匹　一四○○○．○○, 15 characters) fits on one line
    too (the style is 六号), so no price is split across two lines."""
    from pagesetter.build import compose_page
    from pagesetter.layout.model import TextLine

    (article,) = ARCHIVE.glob("1946-05-21_本市物价表*")
    spec = tmp_path / "table.yaml"
    spec.write_text(TABLE_PAGE.format(master=ROOT / "layouts" / "masters" / "rmrb-1946.yaml", article=article),
                    encoding="utf-8")
    composed = compose_page(spec, allow_outside=True)
    rows = [_squeeze("".join(g.ch for g in line.glyphs)) for line in composed.layout.items
            if isinstance(line, TextLine) and line.frame == "t1" and line.tag == "P"]  # not the head
    assert composed.layout.stories[0].overset == 0
    assert len(rows) == 14 and rows[0] == "白面一斤四三．○○" and "白洋布一匹一四○○○．○○" in rows


def test_a_signature_is_set_flush_right_in_its_column(tmp_path):
    """1946-05-15 人民日报发刊志祝 closes with its signature pushed right in the file (杨秀峰,
    五月十五日): set in the master's `signature` style (align: right), each ends at the column's right edge —
    until 2026-12-08 the flow set every paragraph justified, so these one-line paragraphs stood
    flush left (and pagecheck read 杨秀峰 as a running line 90 pt short)."""
    from pagesetter.build import compose_page
    from pagesetter.layout.model import TextLine

    (article,) = ARCHIVE.glob("1946-05-15_人民日报发刊志祝*")
    spec = tmp_path / "signed.yaml"
    spec.write_text(TABLE_PAGE.format(master=ROOT / "layouts" / "masters" / "rmrb-1946.yaml", article=article)
                    .replace("prices", "signed").replace("lines: 40", "lines: 90"), encoding="utf-8")
    composed = compose_page(spec, allow_outside=True)
    assert composed.layout.stories[0].overset == 0
    lines = {_squeeze("".join(g.ch for g in line.glyphs)): line for line in composed.layout.items
             if isinstance(line, TextLine) and line.frame == "t1" and line.tag == "P"}
    column = composed.spec.grid.column_width
    for text in ("杨秀峰", "五月十五日"):
        line = lines[text]
        assert line.x + line.width == pytest.approx(composed.spec.grid.col_x(1) + column, abs=0.5), text
    body = next(line for text, line in lines.items() if text.startswith("预祝胜利"))
    assert body.x == pytest.approx(composed.spec.grid.col_x(1), abs=0.5)  # the body as before
