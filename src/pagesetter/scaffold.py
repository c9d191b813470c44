"""`pagesetter init DIR`: a new page project that builds as it is (`--edition`: a two-page edition
with a master, a story jumping from page 1 to page 2, and layouts/edition.yaml).

    DIR/layouts/page.yaml        the page spec (A4, four columns), commented
    DIR/articles/story.md        the article it sets
    DIR/fonts/README.md          where to put fonts
    DIR/schema/page.schema.json  the spec's JSON Schema, for editors

Existing files are never overwritten (unless `force`).
"""
from __future__ import annotations

from pathlib import Path

from .errors import PagesetterError

PAGE = """\
# yaml-language-server: $schema=../schema/page.schema.json
# A new page: A4, four columns. Every key is explained in pagesetter's docs/spec.md.
# Positions are on the grid: col/span in basic columns (栏), line/lines in body lines (行).
page:
  name: page                # the PDF is out/page.pdf
  trim: [210mm, 297mm]
  top: 20mm                 # type area's top edge from the trim; centred horizontally

grid:
  columns: 4
  column: 10字              # basic column: 10 body characters
  gutter: 1字
  lines: 50
  body: 小五                 # body type size (9 pt)
  pitch: 14pt               # baseline to baseline

colors:                     # CMYK, 0–1 (black and white are predefined)
  red: [0, 1, 1, 0.1]

styles:
  body:         {role: song, size: 小五}
  section_lead: {based_on: body, role: hei-bold}
  subhead:      {based_on: body, role: kai}
  gap:          {based_on: body, role: hei, color: red}
  strong:       {based_on: body, role: hei}       # **本报讯** and other bold lead-ins
  banner:       {role: biaosong, size: 二号, tracking: 0.1, color: red, align: center}
  kicker:       {role: hei, size: 小四, align: center}
  headline:     {role: biaosong, size: 小一, align: center}
  subtitle:     {based_on: kicker}
  byline:       {role: kai, size: 小五, align: center}
  caption:      {role: hei, size: 小五}
  credit:       {role: kai, size: 六号, align: right}

frames:
  main-1: {col: 1, line: 13, lines: 38}
  main-2: {col: 2, line: 13, lines: 38}
  main-3: {col: 3, span: 2, line: 39, lines: 12}   # two columns wide, under the picture

stories:
  main:
    articles: [../articles/story.md]
    chain: [main-1, main-2, main-3]

blocks:
  - {kind: text, text: 社区新闻, style: banner, at: {col: 1, span: 4, line: 1, lines: 3}}
  - {kind: rule, at: {col: 1, span: 4, line: 4, lines: 1}, width: 1pt, color: red}
  - {kind: headline, story: main, at: {col: 1, span: 4, line: 5, lines: 8},
     styles: {kicker: kicker, headline: headline, subtitle: subtitle, byline: byline}}
  # a picture slot: without `file:` it is drawn as a placeholder; add file: ../images/photo.jpg
  - {kind: image, at: {col: 3, span: 2, line: 13, lines: 25}}
  - {kind: rule, at: {col: 1, line: 13, lines: 38}, width: 0.5pt, position: right}
"""

STORY = """\
---
kicker: 书香进社区
headline: 社区图书馆开放夜读
subtitle: 每周三晚延长开放至九点
byline: 本报记者  林晓
---
**本报讯**　从本月起，城东社区图书馆每周三晚延长开放至九点。延时开放的第一个晚上，阅览室里坐满了下班后赶来的居民，有人带着孩子读绘本，有人埋头翻阅当天的报纸。

图书馆负责人介绍，延时开放是根据居民的意见作出的调整。去年底，社区在各个楼栋发放问卷，不少上班族反映白天没有时间借书还书，希望晚上也能来坐一坐。社区随后与区图书馆协商，增加了值班人员，并把夜读时段的借阅服务与区图书馆的通借通还系统接通。

## 书架上新，活动跟上

为迎接夜读，图书馆新添了两千多册图书，其中近一半是居民推荐的书目。每月第一个周三，馆里还请来退休教师和作家，与居民一起读书、聊书。

“以前总觉得借书麻烦，现在下班路过就能进来坐坐。”在附近工作的王女士说，她已经办好了借书证，打算每周都来。

### ——志愿者撑起夜间服务

夜读时段的服务主要由志愿者承担。二十多名志愿者轮流值班，帮助读者查找图书、办理借还手续，还在儿童区为孩子们讲故事。

## 从“借书”到“用书”

夜读开放以来，图书馆的用途悄悄发生了变化。不少中学生放学后来这里写作业，遇到问题就在书架上找参考书；几位准备职业资格考试的年轻人结成了学习小组，固定在靠窗的长桌旁复习；社区的老年合唱团也借用活动室排练，排练结束后顺便借几本养生和历史方面的书带回家。

馆里还专门开辟了一面“居民书墙”，请大家把读过的好书写成简短的推荐语贴在墙上。短短一个月，书墙上已经贴满了各色卡片，有的推荐小说，有的推荐菜谱，还有孩子画了一幅画，介绍自己最喜欢的童话。工作人员说，按照书墙上的推荐去借书的人越来越多，几本热门的书已经排起了预约队伍。

社区负责人表示，下一步将根据使用情况，考虑把延时开放扩大到周末，并在小区广场设立流动书车，让更多居民在家门口就能读到好书。社区还计划与附近的学校合作，每学期组织一次亲子共读活动，并邀请居民参与新书采购的投票，让图书馆的书架真正由大家一起来选、一起来用。

一位参加了首场夜读活动的老人说，年轻时最大的愿望就是家门口有个图书馆，如今这个愿望实现了，晚上吃过饭散步过来，读上一个钟头的书，再慢慢走回家，日子过得踏实又充实。
"""

FONTS_README = """\
# fonts/

Drop font files (.ttf, .otf, .ttc) here: a file here that serves a face role (song 书宋, biaosong
标宋, hei 黑体, hei-bold 粗黑, kai 楷体, fangsong 仿宋) is used before any system font, so the page
looks the same on every machine. Without any, pagesetter uses the free Noto CJK and AR PL faces
(Debian: `apt-get install fonts-noto-cjk fonts-arphic-gkai00mp`).

Which file names serve which role, and how to map any other file in the spec (`fonts:`), is
described in pagesetter's `fonts/README.md`; the spec keys are in its `docs/spec.md`.
Keep licensed fonts out of public repositories.
"""


MASTER = """\
# yaml-language-server: $schema=../schema/page.schema.json
# The master (主页/母版) every page of the edition is based on: page size, grid, colours, styles and
# the furniture each page repeats — the 报眉 (paper, 版名, date and 版次) and the credits line.
# {paper}, {section}, {date}, {page}, {editor}, {designer} are filled in by the edition (edition.yaml).
page: {trim: [210mm, 297mm], top: 20mm}

grid: {columns: 4, column: 10字, gutter: 1字, lines: 50, body: 小五, pitch: 14pt}

colors: {red: [0, 1, 1, 0.1]}

styles:
  body:           {role: song, size: 小五}
  section_lead:   {based_on: body, role: hei-bold}
  subhead:        {based_on: body, role: kai}
  gap:            {based_on: body, role: hei, color: red}
  strong:         {based_on: body, role: hei}     # **本报讯** and other bold lead-ins
  kicker:         {role: hei, size: 小四, align: center}
  headline:       {role: biaosong, size: 小一, align: center}
  subtitle:       {based_on: kicker}
  byline:         {role: kai, size: 小五, align: center}
  jump:           {role: kai, size: 小五, align: right}             # （下转第二版） / （上接第一版）
  continued_head: {role: biaosong, size: 四号, fit_min: 小五, align: center}
  folio_paper:    {role: biaosong, size: 小三, color: red, align: left}
  folio_section:  {role: hei-bold, size: 小四, tracking: 0.5, align: center}
  folio_date:     {role: hei, size: 小五, align: right}
  folio_credit:   {role: kai, size: 六号, align: right}

blocks:
  - {kind: text, text: "{paper}", style: folio_paper, at: {col: 1, span: 2, line: 1, lines: 2}}
  - {kind: text, text: "{section}", style: folio_section, at: {col: 2, span: 2, line: 1, lines: 2}}
  - {kind: text, text: "{date}  第{page}版", style: folio_date, at: {col: 3, span: 2, line: 2, lines: 1}}
  - {kind: rule, at: {col: 1, span: 4, line: 3, lines: 1}, width: 1pt, position: top}
  - {kind: text, text: "责任编辑：{editor}  版式设计：{designer}", style: folio_credit,
     at: {col: 3, span: 2, line: 51, lines: 1}}
"""

PAGE_1 = """\
# yaml-language-server: $schema=../schema/page.schema.json
# Page 1 of the edition: the story starts here and jumps to page 2 (page-2.yaml says
# `continues: page-1/main`); the jump line （下转第二版） is set at the foot of its last column.
master: master.yaml
page: {name: page-1}
variables: {paper: 社区报, date: 示例日期, page: 1, section: 要闻, editor: 编辑, designer: 设计}

frames:
  main-1: {col: 1, line: 12, lines: 39}
  main-2: {col: 2, line: 12, lines: 39}

stories:
  main:
    articles: [../articles/story.md]
    chain: [main-1, main-2]

blocks:
  - {kind: headline, story: main, at: {col: 1, span: 4, line: 4, lines: 8},
     styles: {kicker: kicker, headline: headline, subtitle: subtitle, byline: byline}}
  # a picture slot: without `file:` it is drawn as a placeholder; add file: ../images/photo.jpg
  - {kind: image, at: {col: 3, span: 2, line: 12, lines: 39}}
  - {kind: rule, at: {col: 1, line: 12, lines: 39}, width: 0.5pt, position: right}
"""

PAGE_2 = """\
# yaml-language-server: $schema=../schema/page.schema.json
# Page 2: the rest of page 1's story, under a continued-head and （上接第一版）.
master: master.yaml
page: {name: page-2}
variables: {paper: 社区报, date: 示例日期, page: 2, section: 社区, editor: 编辑, designer: 设计}

frames:
  cont-1: {col: 1, line: 4, lines: 24}
  cont-2: {col: 2, line: 4, lines: 24}

stories:
  main-continued:
    continues: page-1/main            # <page name>/<story>
    chain: [cont-1, cont-2]
    continued_head: continued_head
    balance: true                     # both columns end on one line

blocks:
  - {kind: image, at: {col: 3, span: 2, line: 4, lines: 24}}
  - {kind: image, at: {col: 1, span: 4, line: 29, lines: 22}}
"""

EDITION = """\
# yaml-language-server: $schema=../schema/edition.schema.json
# An edition (一期报纸): its paper, date and number, and its pages in order. Build it with
#     pagesetter build layouts/edition.yaml   → out/edition.pdf, out/edition/01-page-1.pdf …
# Every key is explained in pagesetter's docs/spec.md#editions.
edition:
  name: edition
  paper: 社区报
  date: 2024年5月1日
  number: 1
  variables: {editor: 林晓, designer: 王一}

pages:
  - {file: page-1.yaml, section: 要闻}
  - {file: page-2.yaml, section: 社区}
"""


def files(edition: bool = False) -> dict[str, str]:
    """Relative path → content of every file `init` writes (`edition`: a two-page edition)."""
    from .pagespec.edition import edition_schema_text
    from .pagespec.schema import schema_text

    common = {"articles/story.md": STORY, "fonts/README.md": FONTS_README, "schema/page.schema.json": schema_text()}
    if not edition:
        return {"layouts/page.yaml": PAGE, **common}
    return {"layouts/edition.yaml": EDITION, "layouts/master.yaml": MASTER, "layouts/page-1.yaml": PAGE_1,
            "layouts/page-2.yaml": PAGE_2, **common, "schema/edition.schema.json": edition_schema_text()}


def init(folder: Path, force: bool = False, edition: bool = False) -> list[Path]:
    """Write a new page project (or, with `edition`, a two-page edition) into `folder`; returns the
    files written."""
    from .files import os_problem
    from .outputs import check_targets, write_set

    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise PagesetterError.at("is a file, not a folder", folder, fix="give a new or empty folder")
    plan = {folder / rel: text for rel, text in files(edition).items()}
    check_targets({p: f"init's {p.relative_to(folder)}" for p in plan})
    existing = [p for p in plan if p.exists()]
    if existing and not force:
        raise PagesetterError.at(
            f"would overwrite {', '.join(str(p.relative_to(folder)) for p in existing)}", folder,
            fix="choose a new folder, or pass --force to overwrite these files")
    try:  # all the files or none: a half-made project would not build
        write_set({path: text.encode("utf-8") for path, text in plan.items()})
    except OSError as exc:
        raise PagesetterError(os_problem(exc, folder, "the new project", "write")) from None
    return list(plan)
