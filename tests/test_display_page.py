"""Display lines broken by sense (issue 23, item 2), on a test page built with default settings
and judged from the outside by ../shared/tools/pagecheck.py: the issue's heads — 中华人民共和国
个人信息保护法, 前三季度国内生产总值, 国民经济, 湖上（外二首）, a subtitle ending 过）, 一个不到 3 μm
高的“雪人” — as a headline block and as in-column heads, in columns of 10–14 body characters
(4–6 head characters a line, the widths that broke them by count), and the editor's markers."""
from __future__ import annotations

from pathlib import Path

import pytest

from pagesetter.build import build
from test_narrow_columns import PAGECHECK, pagecheck, real_paragraphs
from tinypage import need_noto

SPEC = """\
page: {{name: display{chars}, trim: [{width}pt, 640pt], top: 20pt}}
grid: {{columns: 4, column: {chars}字, gutter: 1字, lines: 42, body: 小五, pitch: 14pt}}
styles:
  body:     {{role: song, size: 小五}}
  kicker:   {{role: hei, size: 小二, align: center}}
  headline: {{role: biaosong, size: 二号, align: center}}
  subtitle: {{role: hei, size: 三号, align: center}}
  head:     {{role: hei-bold, size: 二号, align: center}}
  sub:      {{role: kai, size: 小三, align: center}}
frames:
  l1: {{col: 1, line: 17, lines: 26}}
  c2: {{col: 2, line: 1, lines: 42}}
  c3: {{col: 3, line: 1, lines: 42}}
  c4: {{col: 4, line: 1, lines: 42}}
stories:
  lead: {{articles: [lead.md], chain: [l1]}}
  heads:
    articles: [a1.md, a2.md, a3.md, a4.md]
    chain: [c2, c3, c4]
    heads: {{headline: head, subtitle: sub}}
blocks:
  - {{kind: headline, story: lead, at: {{col: 1, line: 1, lines: 16}},
     styles: {{kicker: kicker, headline: headline, subtitle: subtitle}}}}
"""

# article file → (front matter, paragraphs of sample text it takes)
ARTICLES = {
    "lead.md": ({"kicker": "前三季度国内生产总值", "headline": "中华人民共和国个人信息保护法",
                 "subtitle": "国民经济"}, 2),
    "a1.md": ({"headline": "湖上（外二首）", "subtitle": "本法已由全国人民代表大会常务委员会审议通过）"}, 1),
    "a2.md": ({"headline": "一个不到 3 μm 高的“雪人”", "subtitle": "前三季度国内生产总值"}, 1),
    "a3.md": ({"headline": "国民经济", "subtitle": "中华人民共和国个人信息保护法"}, 1),
    "a4.md": ({"headline": "党员带头干|村子换新颜", "subtitle": "奋进新征程\u2060建功新时代"}, 1),
}


def display_page(folder: Path, chars: int) -> Path:
    """The display-line test page at `chars` body characters a column; returns its spec."""
    folder.mkdir(parents=True, exist_ok=True)
    width = (4 * chars + 3) * 9 + 60
    (folder / "page.yaml").write_text(SPEC.format(chars=chars, width=width), encoding="utf-8")
    text = real_paragraphs()
    taken = 0
    for name, (meta, count) in ARTICLES.items():
        front = "".join(f"{k}: {v}\n" for k, v in meta.items())
        body = "\n\n".join(text[taken:taken + count])
        taken += count
        (folder / name).write_text(f"---\n{front}---\n{body}\n", encoding="utf-8")
    return folder / "page.yaml"


DISPLAY_FIGURES = ("display_breaks", "css_line_start", "postfix_split", "widows", "holes", "han_latin_holes",
                   "latin_letterspaced", "space_before_stop")


@pytest.mark.skipif(not PAGECHECK.exists(), reason="../shared/tools/pagecheck.py not beside the repository")
@pytest.mark.parametrize("chars", [10, 11, 12, 13, 14])
def test_display_page_passes_pagecheck(tmp_path, chars):
    need_noto()
    spec = display_page(tmp_path / "p", chars)
    pdf = tmp_path / "p.pdf"
    build(spec, pdf, png=False)
    report = pagecheck(pdf)
    examples = report["pages"][0]["soft_examples"]
    assert report["hard_faults"] == 0, report.get("examples")
    for figure in DISPLAY_FIGURES:
        assert report["soft"].get(figure, 0) == 0, examples[figure]
