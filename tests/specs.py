"""A small valid project for spec tests: `project(tmp_path)` writes layouts/p.yaml and
articles/a.md and returns the spec's path; `edit` and `spec_with` make one mistake in it."""
from __future__ import annotations

from pathlib import Path

import pytest

from pagesetter.errors import PagesetterError
from pagesetter.pagespec.load import load_spec

ARTICLE = "---\nheadline: 基层党组织更加坚强有力\nbyline: 本报记者  赵成\n---\n" \
          "党的十八大以来，各级党组织把抓基层强基础工作摆在更加突出的位置。\n\n" \
          "## 把党的政治建设摆在首位\n\n政治属性是基层党组织的灵魂。\n"

SPEC = """\
page: {name: small, trim: [105mm, 148mm], top: 10mm}
grid: {columns: 2, column: 12字, gutter: 1字, lines: 20, body: 小五, pitch: 14pt}
colors:
  red: [0, 1, 1, 0.1]
styles:
  body: {role: song, size: 小五}
  section_lead: {based_on: body, role: hei-bold}
  subhead: {based_on: body, role: kai}
  gap: {based_on: body, role: hei, color: red}
  head: {role: biaosong, size: 三号, align: center}
frames:
  f1: {col: 1, line: 4, lines: 17}
  f2: {col: 2, line: 4, lines: 17}
stories:
  s: {articles: [../articles/a.md], chain: [f1, f2]}
blocks:
  - {kind: headline, story: s, at: {col: 1, span: 2, line: 1, lines: 3}, styles: {headline: head}}
"""


def project(tmp_path: Path, spec: str = SPEC, article: str = ARTICLE) -> Path:
    (tmp_path / "layouts").mkdir(parents=True, exist_ok=True)
    (tmp_path / "articles").mkdir(parents=True, exist_ok=True)
    (tmp_path / "articles" / "a.md").write_text(article, encoding="utf-8")
    path = tmp_path / "layouts" / "p.yaml"
    path.write_text(spec, encoding="utf-8")
    return path


def spec_with(old: str, new: str, base: str = SPEC) -> str:
    assert old in base, old
    return base.replace(old, new, 1)


def problems(tmp_path: Path, spec: str, **kw):
    """The problems loading `spec` gives (it must fail)."""
    path = project(tmp_path, spec)
    with pytest.raises(PagesetterError) as info:
        load_spec(path, **kw)
    return info.value.problems
