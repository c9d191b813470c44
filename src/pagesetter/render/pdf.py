"""Render a PageLayout to PDF bytes with ReportLab — the only module that imports it.

Text is drawn line by line in the layout's order (reading order), so `extract_text` reads
articles back in order; each glyph sits exactly where layout put it.
Output is byte-identical for identical input (Canvas invariant mode, fixed metadata).
"""
from __future__ import annotations

import functools
import io
from pathlib import Path

from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from ..errors import PagesetterError
from ..layout.model import Image, PageLayout, Rect, Rule, TextLine

_registered: dict[str, Path] = {}


def register_faces(faces: dict) -> dict[str, str]:
    """Register each role's prepared face with ReportLab; returns role → registered name.

    ReportLab's registry is process-wide and keyed by the face's PostScript name; every subset
    carries a name of its own (fonts.prepare), so pages with different characters never clash.
    """
    for face in faces.values():
        if face.name not in _registered:
            pdfmetrics.registerFont(TTFont(face.name, str(face.ttf_path)))
            _registered[face.name] = face.ttf_path
    return {role: face.name for role, face in faces.items()}


@functools.lru_cache(maxsize=None)
def _advance(ch: str, font: str) -> float:
    """Advance of one character at 1 pt, as the PDF's width table will give it."""
    return pdfmetrics.stringWidth(ch, font, 1.0)


def _runs(line: TextLine, fonts: dict[str, str]):
    """Split a line into (font, size, x, text) runs of glyphs set at their natural advances.

    Justified lines are mostly one glyph per run: character spacing through Tc would be compact,
    but ReportLab splits a string at its 256-glyph subset boundaries and pdfminer-based readers
    drop Tc at each such split, so every glyph gets its own origin instead.
    """
    runs = []
    for g in line.glyphs:
        font = fonts[g.font]
        scale = getattr(g, "scale", 1.0)
        adv = _advance(g.ch, font) * g.size * scale
        if runs:
            r = runs[-1]
            if (r["font"] == font and r["size"] == g.size and r["scale"] == scale == 1.0
                    and abs(g.x - r["end"]) < 0.001):
                r["text"] += g.ch
                r["end"] += adv
                continue
        runs.append({"font": font, "size": g.size, "x": g.x, "text": g.ch, "end": g.x + adv, "scale": scale})
    return runs


def _text(c: Canvas, line: TextLine, fonts, colors, height: float) -> None:
    t = c.beginText()
    t.setFillColorCMYK(*colors[line.color])
    font = None
    for r in _runs(line, fonts):
        if (r["font"], r["size"]) != font:
            font = (r["font"], r["size"])
            t.setFont(*font)
        t.setTextOrigin(round(line.x + r["x"], 3), round(height - line.y, 3))
        if r["scale"] != 1.0:  # a dash stretched to its cell (text.measure): Tz for this glyph only
            t.setHorizScale(r["scale"] * 100)
            t.textOut(r["text"])
            t.setHorizScale(100)
        else:
            t.textOut(r["text"])
    c.drawText(t)


def _image(c: Canvas, im: Image, colors, height: float) -> None:
    y = height - im.y - im.h
    if im.file is None:  # placeholder: tinted, outlined, crossed
        c.setFillColorCMYK(0, 0, 0, 0.08)
        c.setStrokeColorCMYK(0, 0, 0, 0.35)
        c.setLineWidth(0.5)
        c.rect(im.x, y, im.w, im.h, stroke=1, fill=1)
        c.line(im.x, y, im.x + im.w, y + im.h)
        c.line(im.x, y + im.h, im.x + im.w, y)
        return
    try:
        reader = ImageReader(str(im.file))
        iw, ih = reader.getSize()
    except Exception as exc:  # Pillow raises many types for unreadable files
        raise PagesetterError.at(f"cannot read image: {exc}", im.file,
                                 fix="use a JPEG or PNG file") from None
    scale = max(im.w / iw, im.h / ih)  # cover the slot, crop the overflow
    w, h = iw * scale, ih * scale
    c.saveState()
    p = c.beginPath()
    p.rect(im.x, y, im.w, im.h)
    c.clipPath(p, stroke=0, fill=0)
    c.drawImage(reader, im.x + (im.w - w) / 2, y + (im.h - h) / 2, w, h)
    c.restoreState()


def render_pdf(layout: PageLayout, faces: dict) -> bytes:
    """PDF bytes of the page: trim-size MediaBox with TrimBox, every font embedded."""
    fonts = register_faces(faces)
    width, height = layout.trim
    buf = io.BytesIO()
    # initialFontName: otherwise ReportLab lists an unembedded Helvetica on the page
    c = Canvas(buf, pagesize=(width, height), invariant=1, pageCompression=1,
               initialFontName=fonts[sorted(fonts)[0]])
    c.setTitle(layout.name)
    c.setCreator("pagesetter")
    c.setProducer("pagesetter")
    c.setTrimBox((0, 0, width, height))
    colors = layout.colors
    for item in layout.items:
        if isinstance(item, TextLine):
            _text(c, item, fonts, colors, height)
        elif isinstance(item, Image):
            _image(c, item, colors, height)
        elif isinstance(item, Rect):
            c.setLineWidth(item.width)
            if item.stroke:
                c.setStrokeColorCMYK(*colors[item.stroke])
            if item.fill:
                c.setFillColorCMYK(*colors[item.fill])
            c.rect(item.x, height - item.y - item.h, item.w, item.h,
                   stroke=1 if item.stroke else 0, fill=1 if item.fill else 0)
        elif isinstance(item, Rule):
            c.setStrokeColorCMYK(*colors[item.color])
            c.setLineWidth(item.width)
            c.line(item.x0, height - item.y0, item.x1, height - item.y1)
    c.showPage()
    c.save()
    return buf.getvalue()
