"""A small edition project for edition tests: a master, two pages, a story that jumps from page
p1 to page p2. `edition_project(tmp_path)` writes it and returns the edition file's path."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

MASTER = """\
page: {trim: [105mm, 148mm], top: 10mm}
grid: {columns: 2, column: 12字, gutter: 1字, lines: 20, body: 小五, pitch: 14pt}
colors: {red: [0, 1, 1, 0.1]}
variables: {paper: 测试报, date: 2024年1月1日, page: 1, section: 要闻}
styles:
  body: {role: song, size: 小五}
  section_lead: {based_on: body, role: hei-bold}
  subhead: {based_on: body, role: kai}
  gap: {based_on: body, role: hei, color: red}
  head: {role: biaosong, size: 三号, align: center}
  chead: {role: biaosong, size: 小四, fit_min: 小五, align: center}
  jump: {role: kai, size: 小五, align: right}
  folio: {role: hei, size: 小五, align: center}
blocks:
  - {kind: text, text: "{paper}  {date}  第{page}版  {section}", style: folio, at: {col: 1, span: 2, line: 1, lines: 1}}
"""

P1 = """\
master: master.yaml
page: {name: p1}
frames:
  f1: {col: 1, line: 5, lines: 16}
  f2: {col: 2, line: 5, lines: 16}
stories:
  s: {articles: [../articles/a.md], chain: [f1, f2]}
blocks:
  - {kind: headline, story: s, at: {col: 1, span: 2, line: 2, lines: 3}, styles: {headline: head}}
"""

P2 = """\
master: master.yaml
page: {name: p2}
frames:
  g1: {col: 1, line: 3, lines: LINES}
  g2: {col: 2, line: 3, lines: LINES}
stories:
  t: {continues: p1/s, chain: [g1, g2], continued_head: chead}
"""

FILLER = """\
master: master.yaml
page: {name: filler}
blocks:
  - {kind: text, text: 本版为空, style: head, at: {col: 1, span: 2, line: 5, lines: 3}}
"""

EDITION = """\
edition: {name: ed, paper: 测试报, date: 2024年5月1日, number: 100}
pages:
  - {file: p1.yaml, section: 要闻}
  - {file: p2.yaml, section: 综合}
"""


def article(paragraphs: int) -> str:
    """The seed's main article, cut to its first `paragraphs` paragraphs."""
    text = (ROOT / "articles" / "main.md").read_text(encoding="utf-8")
    head, body = text.split("---\n", 2)[1], text.split("---\n", 2)[2]
    pars = [p for p in body.split("\n\n") if p.strip()][:paragraphs]
    return f"---\n{head}---\n" + "\n\n".join(pars) + "\n"


def edition_project(tmp_path: Path, paragraphs: int = 8, p2_lines: int = 18, edition: str = EDITION,
                    **files: str) -> Path:
    layouts = tmp_path / "layouts"
    layouts.mkdir(parents=True, exist_ok=True)
    (tmp_path / "articles").mkdir(exist_ok=True)
    (tmp_path / "articles" / "a.md").write_text(article(paragraphs), encoding="utf-8")
    texts = {"master.yaml": MASTER, "p1.yaml": P1, "p2.yaml": P2.replace("LINES", str(p2_lines)),
             "filler.yaml": FILLER, "ed.yaml": edition}
    texts.update({k.replace("_", ".", 1) if not k.endswith(".yaml") else k: v for k, v in files.items()})
    for name, text in texts.items():
        (layouts / name).write_text(text, encoding="utf-8")
    return layouts / "ed.yaml"
