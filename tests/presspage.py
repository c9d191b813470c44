"""A press test page for the print tests: an A6 page of the edition test master with three RGB
photographs (hue sweeps from full colour to black: the deepest inks a conversion can make), an
empty picture slot and black body text; and an edition of two pages whose first page is a proof
(`placeholders: true`) and whose second is the photo page (placeholders default: hidden).

`press_edition(folder)` writes it and returns the edition file's path.
"""
from __future__ import annotations

import colorsys
from pathlib import Path

from PIL import Image

from editions import MASTER, article

PHOTOS = """\
master: master.yaml
page: {name: photos}
styles:
  label: {role: hei-bold, size: 小四, color: red}
frames:
  f1: {col: 1, line: 13, lines: 8}
  f2: {col: 2, line: 13, lines: 8}
stories:
  s: {articles: [../articles/a.md], chain: [f1, f2]}
blocks:
  - {kind: image, file: ../images/photo0.jpg, at: {col: 1, line: 2, lines: 5}}
  - {kind: image, file: ../images/photo1.png, at: {col: 2, line: 2, lines: 5}}
  - {kind: image, file: ../images/photo2.jpg, at: {col: 1, line: 7, lines: 5}}
  - {kind: image, label: 示例, at: {col: 2, line: 7, lines: 5}}
"""
PROOF = """\
master: master.yaml
page: {name: proof, placeholders: true}
styles:
  label: {role: hei-bold, size: 小四, color: red}
blocks:
  - {kind: image, label: 示例, at: {col: 1, span: 2, line: 2, lines: 10}}
  - {kind: text, text: 校样, style: head, at: {col: 1, span: 2, line: 13, lines: 3}}
"""
EDITION = """\
edition: {name: ed, paper: 测试报, date: 2024年5月1日, number: 100}
pages:
  - {file: proof.yaml, section: 校样}
  - {file: photos.yaml, section: 图片}
"""


def sweep(shift: float, size=(600, 400)) -> Image.Image:
    """Every hue across, from full value at the top to black at the foot (saturation 1 above
    the middle, 0.6 below): the deepest CMYK a conversion makes."""
    w, h = size
    im = Image.new("RGB", size)
    px = im.load()
    for x in range(w):
        for y in range(h):
            r, g, b = colorsys.hsv_to_rgb((x / w + shift) % 1.0, 1.0 if y < h // 2 else 0.6, 1 - y / (h - 1))
            px[x, y] = (round(r * 255), round(g * 255), round(b * 255))
    return im


def press_edition(folder: Path) -> Path:
    for sub in ("layouts", "articles", "images"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    (folder / "articles" / "a.md").write_text(article(2), encoding="utf-8")
    sweep(0.0).save(folder / "images" / "photo0.jpg", quality=95)
    sweep(1 / 3).save(folder / "images" / "photo1.png")
    sweep(2 / 3).save(folder / "images" / "photo2.jpg", quality=95)
    master = MASTER + "  - {kind: rule, at: {col: 1, span: 2, line: 1, lines: 1}, width: 0.5pt, position: bottom}\n"
    for name, text in (("master.yaml", master), ("photos.yaml", PHOTOS), ("proof.yaml", PROOF),
                       ("ed.yaml", EDITION)):
        (folder / "layouts" / name).write_text(text, encoding="utf-8")
    return folder / "layouts" / "ed.yaml"
