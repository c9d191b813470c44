#!/usr/bin/env python3
"""Render the sample images of docs/composition.md.

    python docs/composition/make_samples.py             # rewrites docs/composition/*.png
    python docs/composition/make_samples.py --keep DIR  # also keeps each sample's project (spec,
                                                        # article, PDF) in DIR, e.g. for pagecheck

Each sample is a tiny page (one or two 12- or 13-character columns of 小五 on a 14 pt grid) written into a
temporary project folder (layouts/page.yaml + articles/a.md), built with the public command
`pagesetter build`, rendered at 200 dpi with pypdfium2, cropped to the type area and set side by
side (or one under another) with Pillow. The texts come from articles/main.md and the sidebars.
The output depends only on pagesetter, the installed faces, pypdfium2 and Pillow: run it twice
and the PNGs are identical.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageOps

HERE = Path(__file__).resolve().parent
DPI = 200
SCALE = DPI / 72
MARGIN = 9.0  # pt of white page around the type area
BODY, PITCH = 9.0, 14.0  # 小五 on a 14 pt line grid
PAD = 12  # px kept around the type area when cropping
COLORS = 24  # palette size of the saved PNGs

STYLES = """\
  body:         {role: song, size: 小五}
  section_lead: {role: hei-bold, size: 小五}
  subhead:      {role: kai, size: 小五}
  gap:          {role: hei, size: 小五}
  tag:          {role: hei, size: 六号, color: grey, align: left}
  label:        {role: hei-bold, size: 四号, color: red}
"""

# Texts, verbatim from articles/ (paragraphs separated by a blank line).
T_QUOTES = ("政治属性是基层党组织的“魂”。党的十八大以来，广大基层党组织和党员切实增强“四个意识”、坚定“四个自信”、"
            "做到“两个维护”，牢记“国之大者”，把加强党的政治建设要求落到实处。\n\n"
            "“党政军民学，东西南北中，党是领导一切的。”广大基层党组织和党员把“两个维护”体现在坚决贯彻党中央决策部署的行动上，"
            "体现在履职尽责做好本职工作的实效上，体现在党员干部的日常言行上，政治判断力、政治领悟力、政治执行力不断提高。")
T_NUMBERS = ("全国累计选派25.5万个驻村工作队、300多万名第一书记和驻村干部，同近200万名乡镇干部和数百万村干部一道奋战在扶贫一线，"
             "为脱贫攻坚、乡村振兴汇聚起磅礴力量。\n\n"
             "“社区有多少采样点、需要多少人，我们全力满足。”2021年8月，湖北武汉市出现外地输入性新冠肺炎关联病例。\n\n"
             "新冠肺炎疫情防控中，701万名机关和企事业单位党员奔赴一线，846万名在职党员到社区参与疫情防控，构筑起疫情防控的坚固防线。")
T_ELLIPSIS = ("从“支部建在连上”到“支部建在村上”“支部建在楼上”“支部建在项目上”……广大基层党组织把组织活力转化为发展活力，"
              "把党建优势转化为发展优势，为党中央各项决策部署在基层落地见效提供坚强组织保证。")
T_BREAKING = ("政治属性是基层党组织的“魂”。党的十八大以来，广大基层党组织和党员切实增强“四个意识”、坚定“四个自信”、"
              "做到“两个维护”，牢记“国之大者”，把加强党的政治建设要求落到实处。")
T_ORPHAN = ("“桥头村最大的变化是人心齐了，干事创业的劲头更足了。”谈起县里开展的“乡村振兴模范党组织”创评活动，"
            "江西上栗县东源乡桥头村老党员何文潮深有感触。")
T_STRANDED = ("基层党组织能力强不强，抓重大任务落实是试金石，也是磨刀石。只有基层党组织坚强有力，党的根基才能牢固，党才有战斗力。\n\n"
              "党的十八大以来，党中央着力提升基层党组织创造力、凝聚力、战斗力，引导基层党组织围绕大局工作、聚焦发展难题，"
              "奋力攻坚克难、推动改革发展。")
T_WRAP = ("围绕解决老旧小区“悬空老人”出行难题，提升宜居安居品质，上海长宁区江苏路街道、徐汇区徐家汇街道等把为多层住宅"
          "加装电梯作为“民心工程”，充分发挥党员先锋模范作用，带动社区居民自愿加装电梯，赢得了社区居民的广泛认可。\n\n"
          "在全国各地，这样的暖心服务处处可见。在民生保障最基层，基层党组织和广大党员扑下身子，踏实苦干，把群众冷暖放在心上。")
T_BALANCE = ("“社区有多少采样点、需要多少人，我们全力满足。”2021年8月，湖北武汉市出现外地输入性新冠肺炎关联病例。"
             "市委组织部第一时间组织下沉党员干部参与全市全员核酸检测。许多单位负责人刚挂下社区党组织书记的电话，"
             "就马上拨通下沉服务队队长的电话，一分钟都不耽搁地把党员干部派下去。\n\n"
             "新冠肺炎疫情防控中，701万名机关和企事业单位党员奔赴一线，846万名在职党员到社区参与疫情防控，构筑起疫情防控的坚固防线。")
T_COPYFIT = ("针对外卖骑手、快递小哥反映城区缺少休息场所等诉求，今年以来，山东济宁市兖州区在全区网格、居民小区建设了188个"
             "红帆驿站，让小哥们渴了有水喝、累了能休息、伤了可急救。社区党委鼓励自管党员、“双报到”党员、离退休党员积极参与，"
             "充分发挥民情书记、网格员、志愿者、社会组织作用，凝聚合力参与驿站服务。")
T_TRIM = ("“红帆驿站真是很方便，让我们有了遮阳避雨的地方，有水喝，能聊聊天，手机还能充电。”在红帆驿站里，"
          "正在给手机充电的快递小哥小李说道。\n\n"
          "近年来，广大基层党组织创新方式方法，严格落实“三会一课”制度，每月固定一天过主题党日，严肃认真开展批评和自我批评，"
          "开展经常性的谈心谈话。")
A_SIDEBAR = ("---\nheadline: 党员带头干 村子换新颜\n---\n"
             "走进甘肃省天水市秦州区杨家寺镇石马村，水泥路覆盖村巷，砖瓦房前后成排，文化广场彩砖铺地、整洁美观。")
A_MAIN = ("---\nheadline: 基层党组织更加坚强有力\n---\n"
          "求木之长者，必固其根本。对于一个拥有480多万个基层党组织和9500多万名党员的世界第一大执政党而言，强基固本至关重要。")

ONE = "  s: {articles: [../articles/a.md], chain: [f1]}"
TWO = "  s: {articles: [../articles/a.md], chain: [f1, f2]%s}"


@dataclass
class Page:
    """One variant: a tiny page with a grey tag on its first line and a story from line 3."""

    tag: str
    article: str
    frames: str = "  f1: {col: 1, line: 3, lines: 10}"
    stories: str = ONE
    composition: str = ""
    styles: str = ""
    blocks: str = ""
    columns: int = 1
    column: int = 12  # characters
    lines: int = 12
    overset_ok: bool = False  # the variant shows an overset story (build exits 1)
    show_lines: int | None = None  # crop to the type area's first lines (default: down to the last ink)


def spec_text(name: str, p: Page) -> str:
    width = p.columns * p.column * BODY + (p.columns - 1) * BODY
    height = p.lines * PITCH
    shown = p.tag.replace("{", "{{").replace("}", "}}")  # a literal brace, not a variable
    tag = f"  - {{kind: text, text: '{shown}', style: tag, at: {{col: 1, span: {p.columns}, line: 1, lines: 1}}}}\n"
    return (f"page: {{name: {name}, trim: [{width + 2 * MARGIN:g}pt, {height + 2 * MARGIN:g}pt], "
            f"top: {MARGIN:g}pt, left: {MARGIN:g}pt}}\n"
            f"grid: {{columns: {p.columns}, column: {p.column}字, gutter: 1字, lines: {p.lines}, body: 小五, "
            f"pitch: {PITCH:g}pt}}\n"
            "colors: {grey: [0, 0, 0, 0.55], red: [0, 1, 1, 0.1]}\n"
            + (f"composition: {p.composition}\n" if p.composition else "")
            + f"styles:\n{STYLES}{p.styles}"
            + f"frames:\n{p.frames}\n"
            + f"stories:\n{p.stories}\n"
            + f"blocks:\n{tag}{p.blocks}")


def pagesetter() -> list[str]:
    exe = shutil.which("pagesetter")
    if exe:
        return [exe]
    return [sys.executable, "-c", "import sys; from pagesetter.cli import main; sys.argv[0] = 'pagesetter'; main()"]


def build(root: Path, name: str, p: Page) -> tuple[Image.Image, str]:
    """Write the project, build it, return the cropped type area and the build summary."""
    proj = root / name
    (proj / "layouts").mkdir(parents=True, exist_ok=True)
    (proj / "articles").mkdir(exist_ok=True)
    (proj / "articles" / "a.md").write_text(p.article.strip() + "\n", encoding="utf-8")
    spec = proj / "layouts" / "page.yaml"
    spec.write_text(spec_text(name, p), encoding="utf-8")
    pdf = proj / "out" / f"{name}.pdf"
    run = subprocess.run([*pagesetter(), "build", str(spec), "-o", str(pdf), "--no-png"],
                         capture_output=True, text=True)
    if run.returncode not in ((0, 1) if p.overset_ok else (0,)):
        sys.exit(f"{name}: pagesetter build exited {run.returncode}\n{run.stdout}{run.stderr}")
    summary = run.stdout.replace(str(pdf), f"out/{name}.pdf").strip()
    doc = pdfium.PdfDocument(str(pdf))
    try:
        im = doc[0].render(scale=SCALE).to_pil().convert("RGB")
    finally:
        doc.close()
    return crop(im, p.show_lines), summary


def crop(im: Image.Image, lines: int | None = None) -> Image.Image:
    """The type area with a little white around it, cut just below the last ink (or its first lines)."""
    m = round(MARGIN * SCALE)
    bottom = m + round(lines * PITCH * SCALE) if lines else im.height - m + PAD
    im = im.crop((m - PAD, m - PAD, im.width - m + PAD, bottom))
    ink = ImageOps.invert(im.convert("L")).point(lambda v: 255 if v > 24 else 0).getbbox()
    if ink:
        im = im.crop((0, 0, im.width, min(im.height, ink[3] + PAD)))
    return im


def row(images: list[Image.Image], gap: int = 36) -> Image.Image:
    out = Image.new("RGB", (sum(i.width for i in images) + gap * (len(images) - 1), max(i.height for i in images)),
                    "white")
    x = 0
    for i in images:
        out.paste(i, (x, 0))
        x += i.width + gap
    return out


def column(images: list[Image.Image], gap: int = 24) -> Image.Image:
    out = Image.new("RGB", (max(i.width for i in images), sum(i.height for i in images) + gap * (len(images) - 1)),
                    "white")
    y = 0
    for i in images:
        out.paste(i, (0, y))
        y += i.height + gap
    return out


def save(im: Image.Image, name: str, out_dir: Path) -> Path:
    path = out_dir / name
    im.quantize(colors=COLORS, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).save(
        path, format="PNG", optimize=True)
    return path


def samples() -> dict[str, tuple[str, list[tuple[str, Page]]]]:
    """PNG name → (arrangement: row, column or grid (pairs in a row, one pair under another),
    [(project name, page)])."""
    def comp(key: str, value: str, text: str, lines: int, tag: str | None = None) -> Page:
        return Page(tag or f"{key}: {value}", text, frames=f"  f1: {{col: 1, line: 3, lines: {lines}}}",
                    composition=f"{{{key}: {value}}}", lines=lines + 2)

    two = dict(columns=2, frames="  f1: {col: 1, line: 3, lines: 14}\n  f2: {col: 2, line: 3, lines: 14}", lines=17)
    rule = "  - {kind: rule, at: {col: 1, span: 2, line: 17, lines: 1}, width: 0.5pt, color: grey, position: top}\n"
    head = "  - {kind: headline, story: s, at: {col: 1, span: 2, line: 2, lines: 6}, styles: {headline: headline}}\n"
    heads = dict(columns=2, lines=10, blocks=head, stories=TWO % "", show_lines=7,
                 frames="  f1: {col: 1, line: 8, lines: 3}\n  f2: {col: 2, line: 8, lines: 3}")
    return {
        "punct-style.png": ("row", [(f"punct-{v}", comp("punct_style", v, T_QUOTES, 18))
                                    for v in ("quanjiao", "kaiming", "banjiao")]),
        "han-latin-space.png": ("row", [(f"han-latin-{v}", comp("han_latin_space", v, T_NUMBERS, 18))
                                        for v in ("0.25", "0")]),
        "strict.png": ("row", [(f"strict-{v}", comp("strict", v, T_ELLIPSIS, 11)) for v in ("false", "true")]),
        "breaking.png": ("row", [(f"breaking-{v}", comp("breaking", v, T_BREAKING, 8))
                                 for v in ("total-fit", "greedy")]),
        "orphan-control.png": ("row", [(f"orphan-{v}", comp("orphan_control", v, T_ORPHAN, 7))
                                       for v in ("true", "false")]),
        "avoid-stranded.png": ("column", [
            (f"stranded-{v}", Page(f"avoid_stranded: {v}", T_STRANDED, columns=2, lines=10, column=14,
                                   frames="  f1: {col: 1, line: 3, lines: 4}\n  f2: {col: 2, line: 3, lines: 8}",
                                   stories=TWO % f", avoid_stranded: {v}",
                                   blocks="  - {kind: image, at: {col: 1, line: 8, lines: 3}}\n"))
            for v in ("true", "false")]),
        "wrap.png": ("row", [("wrap", Page("image block: wrap: 1字", T_WRAP, columns=2, lines=16,
                                           frames="  f1: {col: 1, span: 2, line: 3, lines: 14}",
                                           blocks="  - {kind: image, label: ①, label_style: label, wrap: 1字, "
                                                  "at: {col: 2, line: 6, lines: 5}}\n"))]),
        "balance.png": ("row", [(f"balance-{v}", Page(f"balance: {v}", T_BALANCE, stories=TWO % f", balance: {v}",
                                                      blocks=rule, **two))
                                for v in ("false", "true")]),
        "copyfit.png": ("row", [
            ("copyfit-none", Page("no copyfit: OVERSET 1", T_COPYFIT, column=13, lines=13, overset_ok=True,
                                  frames="  f1: {col: 1, line: 3, lines: 11}")),
            ("copyfit", Page("copyfit: [-0.03, 0.03]", T_COPYFIT, column=13, lines=13,
                             frames="  f1: {col: 1, line: 3, lines: 11}",
                             stories="  s: {articles: [../articles/a.md], chain: [f1], copyfit: [-0.03, 0.03]}"))]),
        "fit-min.png": ("grid", [
            ("fit-space", Page("headline: {role: hei-bold, size: 小一, align: center}", A_SIDEBAR,
                               styles="  headline: {role: hei-bold, size: 小一, align: center}\n", **heads)),
            ("fit-space-min", Page("… fit_min: 20pt", A_SIDEBAR,
                                   styles="  headline: {role: hei-bold, size: 小一, align: center, fit_min: 20pt}\n",
                                   **heads)),
            ("fit-nospace", Page("headline: {role: biaosong, size: 小一, align: center}", A_MAIN,
                                 styles="  headline: {role: biaosong, size: 小一, align: center}\n", **heads)),
            ("fit-nospace-min", Page("… fit_min: 20pt", A_MAIN,
                                     styles="  headline: {role: biaosong, size: 小一, align: center, fit_min: 20pt}\n",
                                     **heads))]),
        "tracking.png": ("row", [
            ("tracking-0", Page("headline: {role: biaosong, size: 小二, align: center}", A_MAIN,
                                styles="  headline: {role: biaosong, size: 小二, align: center}\n", **heads)),
            ("tracking-0.1", Page("… tracking: 0.1", A_MAIN,
                                  styles="  headline: {role: biaosong, size: 小二, align: center, tracking: 0.1}\n",
                                  **heads))]),
        "trim.png": ("row", [
            ("trim-defaults", Page("defaults", T_TRIM, frames="  f1: {col: 1, line: 3, lines: 13}", lines=15,
                                   column=13)),
            ("trim-end-false", replace(comp("trim_line_end", "false, trim_line_start: false", T_TRIM, 13,
                                                 tag="trim_line_end, _start: false"), column=13)),
            ("trim-start-false", replace(comp("trim_line_start", "false", T_TRIM, 13), column=13))]),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--keep", type=Path, metavar="DIR", help="keep the sample projects (spec, article, PDF) here")
    ap.add_argument("--out", type=Path, default=HERE, metavar="DIR",
                    help="where the PNGs go (default: beside this script)")
    ap.add_argument("--only", action="append", metavar="PNG", help="make only this PNG (repeatable), e.g. strict.png")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="composition-samples-") as tmp:
        root = args.keep or Path(tmp)
        total = 0
        for png, (arrangement, pages) in samples().items():
            if args.only and png not in args.only:
                continue
            images = []
            for name, page in pages:
                im, summary = build(root, name, page)
                images.append(im)
                print(f"{name}: {summary}")
            if arrangement == "grid":  # pairs side by side, one pair under another
                image = column([row(images[i:i + 2]) for i in range(0, len(images), 2)], gap=48)
            else:
                image = (row if arrangement == "row" else column)(images)
            path = save(image, png, args.out)
            total += path.stat().st_size
            print(f"-> {path.name} {path.stat().st_size // 1024} KB")
        print(f"{total // 1024} KB in all")


if __name__ == "__main__":
    main()
