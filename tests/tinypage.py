"""A tiny page for regression-test fixtures: A6, one frame, three short paragraphs, one face.

`write_page(folder, **changes)` writes `page.yaml` and `story.md` into `folder` (the structure of
layouts/jiceng-dangjian.yaml, much smaller) and returns the spec's path; build it with
`pagesetter.build.build(spec, out_pdf, png=False)`.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

NOTO_SERIF = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
GBSN = Path("/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf")

PARAGRAPHS = (
    "党的十八大以来，各级党组织和广大党员全面贯彻新时代党的组织路线，把抓基层强基础工作摆在更加突出的位置。",
    "政治属性是基层党组织的灵魂。广大基层党组织和党员切实增强四个意识，坚定四个自信，把加强党的政治建设要求落到实处。",
    "基层工作千条万条，第一条是把党的旗帜高高举起来。各地党组织用接地气的方式把党中央精神传达给群众。",
)

SPEC = """\
page:
  name: tiny
  trim: [{trim}]
  top: 15mm
  left: 12mm

grid:
  columns: 2
  column: 11字
  gutter: 1字
  lines: 20
  body: 小五
  pitch: 14pt

colors:
  red: [0, 1, 1, 0.1]

styles:
  body:         {{role: song, size: 小五}}
  section_lead: {{role: song, size: 小五}}
  subhead:      {{role: song, size: 小五}}
  gap:          {{role: song, size: 小五, color: red}}

frames:
  f1: {{{frame}}}

stories:
  story:
    articles: [story.md]
    chain: [f1]
{fonts}
blocks:
  - {{kind: rule, at: {{col: 1, span: 2, line: 1, lines: 1}}, width: 1pt, color: red, position: middle}}
"""


def need_noto() -> None:
    if not NOTO_SERIF.is_file():
        pytest.skip(f"{NOTO_SERIF} not installed (apt-get install fonts-noto-cjk)")


def write_page(folder: Path, *, paragraphs=PARAGRAPHS, frame: str = "col: 1, span: 2, line: 2, lines: 19",
               trim: str = "105mm, 148mm", fonts: dict | None = None) -> Path:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    font_map = ""
    if fonts:  # copied into the page's folder: a spec may only name files inside its project
        (folder / "fonts").mkdir(exist_ok=True)
        font_map = "fonts:\n"
        for role, path in fonts.items():
            shutil.copyfile(path, folder / "fonts" / Path(path).name)
            font_map += f"  {role}: {{file: fonts/{Path(path).name}}}\n"
    spec = folder / "page.yaml"
    spec.write_text(SPEC.format(trim=trim, frame=frame, fonts=font_map), encoding="utf-8")
    (folder / "story.md").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return spec
