"""Rebuild the picture-fit crops in docs/spec.md's image section: a round logo with `fit: contain`
and a portrait cropped to a wide slot around its focal point (`focus`), on one page at 300 dpi.

    python docs/pictures/make_samples.py [--keep DIR]
"""
from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw

from pagesetter.build import build

HERE = Path(__file__).resolve().parent
SPEC = """\
page: {name: fitdemo, trim: [105mm, 148mm], top: 10mm}
grid: {columns: 2, column: 12字, gutter: 1字, lines: 26, body: 小五, pitch: 14pt}
styles:
  body: {role: song, size: 小五}
  caption: {role: hei, size: 小五}
  credit: {role: kai, size: 小五, align: right}
frames:
  f1: {col: 1, line: 22, lines: 5}
stories:
  s: {articles: [../articles/a.md], chain: [f1], styles: {body: body}}
blocks:
  - {kind: image, file: ../images/logo.png, caption: ../articles/logo.md, caption_lines: 2, fit: contain,
     at: {col: 1, span: 2, line: 1, lines: 9}}
  - {kind: image, file: ../images/portrait.jpg, caption: ../articles/portrait.md, caption_lines: 2,
     focus: [50, 17], at: {col: 1, span: 2, line: 11, lines: 10}}
"""
FILES = {
    "articles/logo.md": "---\ncredit: 本报记者 摄\n---\n图为会徽，整圆显示。\n",
    "articles/portrait.md": "---\ncredit: 本报记者 摄\n---\n焦点在脸部的竖幅照片。\n",
    "articles/a.md": "---\nheadline: 标题\n---\n党的十八大以来，各级党组织把抓基层强基础工作摆在更加突出的位置。\n",
    "layouts/p.yaml": SPEC,
}


def pictures(root: Path) -> None:
    logo = Image.new("RGBA", (1200, 1200), (0, 0, 0, 0))
    d = ImageDraw.Draw(logo)
    d.ellipse((20, 20, 1180, 1180), fill=(220, 20, 30, 255))
    d.rectangle((540, 200, 660, 1000), fill=(255, 255, 255, 255))
    logo.save(root / "images/logo.png")
    face = Image.new("RGB", (1500, 3000), (150, 190, 230))
    d = ImageDraw.Draw(face)
    d.ellipse((550, 300, 950, 750), fill=(240, 200, 160))
    d.ellipse((650, 450, 700, 500), fill=(0, 0, 0))
    d.ellipse((800, 450, 850, 500), fill=(0, 0, 0))
    d.rectangle((400, 800, 1100, 3000), fill=(40, 60, 120))
    face.save(root / "images/portrait.jpg", quality=92)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keep", type=Path, help="build the page in this folder and keep it")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp())
    for folder in ("layouts", "articles", "images"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    for name, text in FILES.items():
        (root / name).write_text(text, encoding="utf-8")
    pictures(root)
    build(root / "layouts/p.yaml", root / "out/p.pdf", dpi=300)
    page = Image.open(root / "out/p.png").convert("RGB")
    for name, box in (("fit-contain.png", (120, 100, 1120, 660)), ("fit-focus.png", (120, 680, 1120, 1300))):
        page.crop(box).quantize(64).save(HERE / name, optimize=True)


if __name__ == "__main__":
    main()
