"""The table block (表格): checked with located errors, laid out with figures on the decimal point,
rows on the line grid, its header repeated where it continues in the next frame of its chain,
overset reported, tagged Table → TR → TH/TD, read row by row by every text extractor, and the page
clean for pagecheck and preflight."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pymupdf
import pytest
from click.testing import CliRunner
from pypdf import PdfReader
from specs import project, spec_with
from tinypage import need_noto

from pagesetter.build import build, compose_page
from pagesetter.cli import main
from pagesetter.errors import PagesetterError
from pagesetter.layout.model import Rule, TextLine
from pagesetter.pagespec.load import load_spec

ROOT = Path(__file__).resolve().parents[1]
PAGECHECK = ROOT.parent / "shared" / "tools" / "pagecheck.py"

# the story keeps f1; the table sits at the top of column 2 and continues in f2, lower in it
PAGE = spec_with("chain: [f1, f2]", "chain: [f1]",
                 spec_with("f2: {col: 2, line: 4, lines: 17}", "f2: {col: 2, line: 12, lines: 9}"))
TABLE = """\
  - kind: table
    at: {col: 2, line: 4, lines: 5}
    chain: [f2]
    padding: 1.5pt
    rows:
      - [地区, 面积, 产量, 增幅]
      - [华北, '834.5', '12.50', '3.2%']
      - [东北, '987.25', '8.1', '-0.4%']
      - [华东, '1,045', '131.75', '12.9%']
      - [华南, '56.5', '0.75', '0.5%']
      - [西南, '210.5', '—', '1.5%']
      - [西北, '75', '9.125', '6.0%']
"""
TABLE_LINE = len(PAGE.splitlines()) + 1
ROWS = [["地区", "面积", "产量", "增幅"], ["华北", "834.5", "12.50", "3.2%"], ["东北", "987.25", "8.1", "-0.4%"],
        ["华东", "1,045", "131.75", "12.9%"], ["华南", "56.5", "0.75", "0.5%"], ["西南", "210.5", "—", "1.5%"],
        ["西北", "75", "9.125", "6.0%"]]


def _problems(tmp_path, spec: str):
    with pytest.raises(PagesetterError) as info:
        load_spec(project(tmp_path, spec))
    return info.value.problems


def test_loads_with_its_keys_in_points(tmp_path):
    o = load_spec(project(tmp_path, PAGE + TABLE)).blocks[-1].options
    assert [[c.text for c in row] for row in o.rows] == ROWS
    assert (o.header, o.types, o.widths, o.style, o.padding, o.rule, o.head_rule, o.row_rule, o.chain) == \
        (1, None, None, None, 1.5, 0.75, 0.5, 0.0, ("f2",))
    spanned = TABLE.replace("[地区, 面积, 产量, 增幅]", "[地区, {text: 数量, span: 2}, 增幅]").replace(
        "padding: 1.5pt", "padding: 1.5pt\n    widths: [auto, 10mm, auto, auto]\n    types: [text, number, number, "
        "number]")
    o = load_spec(project(tmp_path, PAGE + spanned)).blocks[-1].options
    assert (o.rows[0][1].text, o.rows[0][1].span) == ("数量", 2)
    assert o.widths[0] is None and o.widths[1] == pytest.approx(28.3465, abs=1e-3) and o.types[1] == "number"


def _one(tmp_path, table: str):
    (p,) = _problems(tmp_path, PAGE + table)
    return p


def test_a_row_with_too_many_cells(tmp_path):
    p = _one(tmp_path, TABLE.replace("[华北, '834.5', '12.50', '3.2%']", "[华北, '834.5', '12.50', '3.2%', 多余]"))
    assert p.message == "row 2 of table block 2 has 5 cells; the table has 4 columns (its first row's)"
    assert p.fix.startswith("delete the extra cells") and p.line == TABLE_LINE + 6


def test_a_non_number_in_a_number_column(tmp_path):
    p = _one(tmp_path, TABLE.replace("'—'", "'约40'").replace(
        "padding: 1.5pt", "padding: 1.5pt\n    types: [text, number, number, number]"))
    assert p.message == "row 6 of table block 2 has '约40' in column 3, a number column"
    assert p.fix.startswith("write a figure") and p.line == TABLE_LINE + 11


def test_an_empty_table_and_a_table_of_header_only(tmp_path):
    p = _one(tmp_path, re.sub(r"      - \[.*\n", "", TABLE).replace("    rows:\n", "    rows: []\n"))
    assert p.message == "table block 2 has an empty table: rows must be a list of rows, not []"
    assert "one list of cells a row" in p.fix and p.line == TABLE_LINE + 4
    p = _one(tmp_path, TABLE.replace("padding: 1.5pt", "padding: 1.5pt\n    header: 5").replace(
        "      - [西南, '210.5', '—', '1.5%']\n      - [西北, '75', '9.125', '6.0%']\n", ""))
    assert p.message == "table block 2 has 5 rows, all of them header (header: 5)" and p.line == TABLE_LINE + 4


def test_given_widths_wider_than_the_area_or_not_one_a_column(tmp_path):
    p = _one(tmp_path, TABLE.replace("padding: 1.5pt", "padding: 1.5pt\n    widths: [20mm, 10mm, 10mm, 10mm]"))
    assert p.message == "table block 2's columns are 153.7pt wide, wider than its area (108.0pt)"
    assert p.fix.startswith("narrow the columns") and p.line == TABLE_LINE + 4
    p = _one(tmp_path, TABLE.replace("padding: 1.5pt", "padding: 1.5pt\n    widths: [auto, auto]"))
    assert p.message == "table block 2 has 4 columns but widths lists 2" and p.fix == "give one a column: 4 values"
    p = _one(tmp_path, TABLE.replace("padding: 1.5pt", "padding: 1.5pt\n    widths: [auto, wide, auto, auto]"))
    assert "wide" in p.message and p.line == TABLE_LINE + 4


def test_a_cell_that_is_no_cell(tmp_path):
    p = _one(tmp_path, TABLE.replace("[地区, 面积, 产量, 增幅]", "[地区, {text: 数量, span: 0}, 产量]"))
    assert p.message.startswith("table cell {") and "span" in p.fix and p.line == TABLE_LINE + 5


def _laid(tmp_path, table: str = TABLE):
    need_noto()
    return compose_page(project(tmp_path, PAGE + table), cache_dir=tmp_path / "cache")


def _rows(composed) -> dict[float, list[TextLine]]:
    rows: dict[float, list[TextLine]] = {}
    for i in composed.layout.items:
        if isinstance(i, TextLine) and i.frame == "table" and i.glyphs[0].ch.strip():
            rows.setdefault(i.y, []).append(i)
    return {y: sorted(lines, key=lambda ln: ln.x) for y, lines in sorted(rows.items())}


def _text(line: TextLine) -> str:
    return "".join(g.ch for g in line.glyphs)


def test_figures_align_on_the_decimal_point_and_the_header_repeats_in_the_next_frame(tmp_path):
    composed = _laid(tmp_path)
    rows = _rows(composed)
    assert [[_text(c) for c in cells] for cells in rows.values()] == ROWS[:5] + [ROWS[0]] + ROWS[5:]
    spec, g = composed.spec, composed.spec.grid
    f2 = spec.frames["f2"].area
    ys = list(rows)
    assert ys[:5] == [round(g.baseline(4 + i, 1, 7.5), 4) for i in range(5)]  # 六号 rows on the body grid
    assert ys[5:] == [round(g.baseline(f2.line + i, 1, 7.5), 4) for i in range(3)]  # 续表: header again
    for col in (1, 2, 3):  # the point (or the figure's end) at one x in each column
        points = set()
        for cells in [r for r in rows.values()][1:]:
            line = cells[col]
            text = _text(line)
            if text in ("—", "面积", "产量", "增幅"):
                continue
            end = text.index(".") if "." in text else len(text.rstrip("%"))
            glyph = line.glyphs[end] if end < len(line.glyphs) else None
            points.add(round(line.x + (glyph.x if glyph else line.width), 1))
        assert len(points) == 1, (col, points)
    assert not composed.block_overset


def test_rules_top_below_the_header_and_foot_in_each_frame(tmp_path):
    composed = _laid(tmp_path)
    g, a = composed.spec.grid, composed.spec.blocks[-1].area
    f2 = composed.spec.frames["f2"].area
    rules = sorted((r.y0, r.width) for r in composed.layout.items if isinstance(r, Rule))
    want = sorted([(round(g.line_top(4), 4), 0.75), (round(g.line_top(5), 4), 0.5), (round(g.line_top(9), 4), 0.75),
                   (round(g.line_top(f2.line), 4), 0.75), (round(g.line_top(f2.line + 1), 4), 0.5),
                   (round(g.line_top(f2.line + 3), 4), 0.75)])
    assert rules == want
    x0, x1 = a.x(g), a.x(g) + a.width(g)
    assert {(r.x0, r.x1) for r in composed.layout.items if isinstance(r, Rule)} == {(round(x0, 4), round(x1, 4))}


def test_row_rules_and_a_named_style(tmp_path):
    styled = spec_with("  head: {role: biaosong, size: 三号, align: center}\n",
                       "  head: {role: biaosong, size: 三号, align: center}\n  agate: {role: hei, size: 小六}\n")
    need_noto()
    table = TABLE.replace("padding: 1.5pt", "padding: 1.5pt\n    row_rule: 0.25pt\n    style: agate")
    composed = compose_page(project(tmp_path, styled + table), cache_dir=tmp_path / "cache")
    thin = [r for r in composed.layout.items if isinstance(r, Rule) and r.width == 0.25]
    assert len(thin) == 3 + 1  # between the 4 body rows of the first frame, the 2 of the second
    sizes = {g.size for i in composed.layout.items if isinstance(i, TextLine) and i.frame == "table"
             for g in i.glyphs}
    assert sizes == {6.5}


def test_rows_without_a_next_frame_are_overset_not_dropped(tmp_path):
    composed = _laid(tmp_path, TABLE.replace("    chain: [f2]\n", ""))
    (over,) = composed.block_overset
    assert over.lines == 2 and "(table)" in over.where  # 西南, 西北: two rows of one line each
    assert [_text(c[0]) for c in _rows(composed).values()] == ["地区", "华北", "东北", "华东", "华南"]


def test_a_table_too_wide_for_its_area_is_exit_2_located(tmp_path):
    need_noto()
    wide = TABLE.replace("'834.5'", "'12,345,834.5'").replace("'987.25'", "'987.2575'")
    path = project(tmp_path, PAGE + wide)
    run = CliRunner().invoke(main, ["build", str(path), "-o", str(tmp_path / "o.pdf"), "--no-png"])
    assert run.exit_code == 2, run.output
    assert f"p.yaml:{TABLE_LINE}:5: table block 2 needs" in run.output and "wider than its area" in run.output
    assert "Traceback" not in run.output and not (tmp_path / "o.pdf").exists()


@pytest.fixture(scope="module")
def pdf(tmp_path_factory):
    need_noto()
    tmp = tmp_path_factory.mktemp("table")
    out = tmp / "out" / "p.pdf"
    build(project(tmp, PAGE + TABLE), out, png=False, cache_dir=tmp / "cache")
    return out


def _tree(node, out, depth=0):
    kids = node.get("/K", [])
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if isinstance(kid, dict) and kid.get("/Type") == "/StructElem":
            out.append((depth, str(kid["/S"])))
            _tree(kid, out, depth + 1)
    return out


def test_the_pdf_holds_table_rows_and_cells(pdf):
    tree = _tree(PdfReader(pdf).trailer["/Root"]["/StructTreeRoot"].get_object(), [])
    start = tree.index((1, "/Table"))
    table = [t for t in tree[start + 1:] if t[0] > 1]
    rows = [t for t in table if t == (2, "/TR")]
    assert len(rows) == 7  # the header once: repeated in f2 it is an artifact (pagination)
    assert table[:5] == [(2, "/TR"), (3, "/TH"), (3, "/TH"), (3, "/TH"), (3, "/TH")]
    assert table[5:10] == [(2, "/TR"), (3, "/TD"), (3, "/TD"), (3, "/TD"), (3, "/TD")]


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _extractions(pdf: Path) -> dict[str, str]:
    with pdfplumber.open(pdf) as doc:
        plumber = doc.pages[0].extract_text()
    out = {"pypdf": PdfReader(pdf).pages[0].extract_text(), "pdfplumber": plumber,
           "pymupdf": pymupdf.open(pdf)[0].get_text()}
    if shutil.which("pdftotext"):
        out["pdftotext"] = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                                          text=True, check=True).stdout
    return out


def test_text_extracts_row_by_row_in_every_reader(pdf):
    extractions = _extractions(pdf)
    assert set(extractions) == {"pypdf", "pdfplumber", "pymupdf", "pdftotext"}
    for tool, text in extractions.items():
        for row in ROWS[1:]:  # each row's cells read together, in order, on one line of their own
            assert any(_flat(line).endswith("".join(row)) for line in text.splitlines()), (tool, row, text)
        flat = _flat(text)
        order = [flat.find("".join(row)) for row in ROWS[1:]]
        assert -1 not in order and order == sorted(order), (tool, order)


@pytest.mark.skipif(not PAGECHECK.exists(), reason="../shared/tools/pagecheck.py not beside the repository")
def test_pagecheck_and_preflight_are_clean(pdf):
    run = subprocess.run([sys.executable, str(PAGECHECK), str(pdf)], check=False, capture_output=True, text=True)
    assert "hard faults: 0" in run.stdout, run.stdout[-2000:]
    result = CliRunner().invoke(main, ["preflight", str(pdf)])
    assert result.exit_code == 0 and "passes" in result.output, result.output


SPANNED = """\
  - kind: table
    at: {col: 2, line: 4, lines: 9}
    row_rule: 0.25pt
    rows:
      - [项目, {text: 数量, span: 2}]
      - [粮食播种面积与产量合计, '12.5', '3.25']
      - [{text: 注：数据来自国家统计局, span: 3}]
      - [华南, '', '1.5']
"""


def test_a_long_text_cell_wraps_its_row_to_whole_lines_and_a_cell_spans_columns(tmp_path):
    composed = _laid(tmp_path, SPANNED)
    g = composed.spec.grid
    rows = _rows(composed)
    texts = [[_text(c) for c in cells] for cells in rows.values()]
    assert texts[0] == ["项目", "数量"] and texts[1][1:] == ["12.5", "3.25"]
    assert "".join(texts[1][:1] + texts[2]) == "粮食播种面积与产量合计"  # two body lines for the row
    assert texts[3] == ["注：数据来自国家统计局"] and texts[4] == ["华南", "1.5"]
    assert list(rows) == [round(g.baseline(4 + i, 1, 7.5), 4) for i in range(5)]
    note = rows[list(rows)[3]][0]
    table = composed.spec.blocks[-1].area
    assert note.width > table.width(g) / 2  # set across the three columns it spans, on one line
    thin = sorted(r.y0 for r in composed.layout.items if isinstance(r, Rule) and r.width == 0.25)
    assert thin == [round(g.line_top(7), 4), round(g.line_top(8), 4)]  # between body rows, after the wrapped one


CSV_TABLE = "  - {kind: table, at: {col: 2, line: 4, lines: 9}, rows: ../data/t.csv}\n"


def _csv_project(tmp_path, name: str, text: str) -> Path:
    path = project(tmp_path, PAGE + CSV_TABLE.replace("t.csv", name))
    (tmp_path / "data").mkdir(exist_ok=True)
    (tmp_path / "data" / name).write_text(text, encoding="utf-8")
    return path


def test_rows_from_a_csv_or_tsv_file_are_read_like_rows_in_the_spec(tmp_path):
    spec = load_spec(_csv_project(tmp_path, "t.csv", '\ufeff地区,面积\n华北,"1,234.5"\n\n东北,8.25\n'))
    o = spec.blocks[-1].options
    assert [[c.text for c in row] for row in o.rows] == [["地区", "面积"], ["华北", "1,234.5"], ["东北", "8.25"]]
    assert o.source == tmp_path / "data" / "t.csv"
    o = load_spec(_csv_project(tmp_path, "t.tsv", "地区\t面积\n华北\t12.50\n")).blocks[-1].options
    assert [[c.text for c in row] for row in o.rows] == [["地区", "面积"], ["华北", "12.50"]]  # (its 0 kept)


def test_the_table_file_is_an_input_the_build_never_overwrites(tmp_path):
    need_noto()
    path = _csv_project(tmp_path, "t.csv", "地区,面积\n华北,12.5\n")
    run = CliRunner().invoke(main, ["build", str(path), "-o", str(tmp_path / "data" / "t.pdf"), "--no-png"])
    assert run.exit_code == 0, run.output
    from pagesetter.build import inputs_of

    composed = compose_page(path, cache_dir=tmp_path / "cache")
    assert inputs_of(composed)[tmp_path / "data" / "t.csv"] == "the source of table block 2"


def test_a_broken_csv_file_names_its_line(tmp_path):
    with pytest.raises(PagesetterError) as info:
        load_spec(_csv_project(tmp_path, "t.csv", '地区,面积\n华北,2\n东北,"1,2\n'))
    (p,) = info.value.problems
    assert p.line == TABLE_LINE and "table file t.csv cannot be read as CSV at its line 3" in p.message
    assert p.fix.startswith("close the quote")
