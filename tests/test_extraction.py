"""Text extracted from the sample page by pypdf, pdfplumber and PyMuPDF reads as the articles:
every paragraph whole and in order, nothing lost, no pair of glyphs reversed — so glyph origins
strictly increase along every line, even where marks are compressed."""
from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pymupdf
import pytest
from pypdf import PdfReader

from pagesetter.build import build
from pagesetter.layout.model import TextLine
from pagesetter.story.parse import load_story
from tinypage import need_noto

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "layouts" / "jiceng-dangjian.yaml"
ARTICLES = ("main", "commentary", "sidebar-1", "sidebar-2")  # in drawing (reading) order


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    need_noto()
    pdf = tmp_path_factory.mktemp("extract") / "page.pdf"
    composed = build(SPEC, pdf, png=False)
    return pdf, composed.layout


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _paragraphs():
    for name in ARTICLES:
        for par in load_story(ROOT / "articles" / f"{name}.md").paragraphs:
            yield f"{name}.md:{par.line}", _flat(par.text)


def _extracted(pdf: Path) -> dict[str, str]:
    with pdfplumber.open(pdf) as doc:
        plumber = "".join(c["text"] for c in doc.pages[0].chars)  # content order, as pdfplumber reads it
    return {"pypdf": _flat(PdfReader(pdf).pages[0].extract_text()),
            "pymupdf": _flat(pymupdf.open(pdf)[0].get_text()),
            "pdfplumber": _flat(plumber)}


def test_every_paragraph_extracts_whole_and_in_order(page):
    pdf, _ = page
    for tool, text in _extracted(pdf).items():
        pos = 0
        for where, par in _paragraphs():
            found = text.find(par, pos)
            assert found >= 0, f"{tool}: {where} not found whole after the previous paragraph: {par[:30]}"
            pos = found + len(par)


def test_origins_strictly_increase_along_every_line(page):
    _, layout = page
    lines = [it for it in layout.items if isinstance(it, TextLine) and it.glyphs]
    assert len(lines) > 400
    for line in lines:
        xs = [g.x for g in line.glyphs]
        assert all(b > a for a, b in zip(xs, xs[1:])), "".join(g.ch for g in line.glyphs)


def test_pdfplumber_reads_each_line_by_position_in_order(page):
    """pdfplumber's extract_text orders glyphs by position: each line, cropped, reads as set."""
    pdf, layout = page
    with pdfplumber.open(pdf) as doc:
        p = doc.pages[0]
        for line in (it for it in layout.items if isinstance(it, TextLine) and it.glyphs):
            size = max(g.size for g in line.glyphs)
            right = line.x + (line.width if line.width is not None else line.glyphs[-1].x + size)
            crop = p.crop((max(0, line.x - 0.5), line.y - 0.85 * size, min(p.width, right + 0.5),
                           line.y + 0.2 * size), strict=False)
            assert _flat(crop.extract_text()) == _flat("".join(g.ch for g in line.glyphs))


def test_two_em_dash_prints_as_one_unbroken_stroke(page):
    """Noto Serif CJK's — is 0.89 em: both dashes of —— are stretched so the ink runs unbroken."""
    import pypdfium2 as pdfium

    pdf, layout = page
    line = next(it for it in layout.items if isinstance(it, TextLine)
                and "——" in "".join(g.ch for g in it.glyphs) and it.glyphs[0].font == "song")
    i = "".join(g.ch for g in line.glyphs).index("——")
    size = line.glyphs[i].size
    x0 = line.x + line.glyphs[i].x + 0.1 * size  # inside the pair's 2-em cell, its ends excluded
    x1 = line.x + line.glyphs[i].x + 1.9 * size
    scale = 8
    doc = pdfium.PdfDocument(str(pdf))
    p = doc[0]
    width, height = p.get_size()
    crop = (x0, height - line.y - 0.1 * size, width - x1, line.y - 0.9 * size)  # left, bottom, right, top
    im = p.render(scale=scale, crop=crop).to_pil().convert("L")
    row = min(range(im.height), key=lambda y: sum(im.getpixel((x, y)) for x in range(im.width)))
    light = [x for x in range(im.width) if im.getpixel((x, row)) >= 128]
    assert light == []  # ink all along the stroke: no gap between the two dashes
