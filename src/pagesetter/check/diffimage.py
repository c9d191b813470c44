"""Pictures of a diff: B's page with the changes marked, and a self-contained HTML report.

Marks on the diff image (B's page as rendered):
- red, translucent fill: glyphs of B that are new, moved beyond the tolerance, or in another font;
- blue outline: where glyphs of A were that B no longer has;
- orange outline: regions whose pixels differ (catches rules, boxes, images, colours too).
"""
from __future__ import annotations

import base64
import html
import io
from pathlib import Path
from typing import Any

from .diff import DiffReport, PageDiff, render_of

RED = (230, 0, 0, 90)
BLUE = (0, 90, 255, 255)
ORANGE = (255, 140, 0, 255)


def to_px(box, dpi: float, origin=(0.0, 0.0), pad: float = 0.0) -> tuple[int, int, int, int]:
    """A box in pt (glyph coordinates) → pixel box on a page image rendered at `dpi`."""
    s = dpi / 72
    x0, y0, x1, y1 = box
    return (int((x0 - origin[0] - pad) * s), int((y0 - origin[1] - pad) * s),
            int(-(-(x1 - origin[0] + pad) * s // 1)), int(-(-(y1 - origin[1] + pad) * s // 1)))


def diff_image(page: PageDiff, img_b, dpi: float, img_a=None):
    """B's page image with `page`'s changes marked (A's image stands in if B lacks the page)."""
    from PIL import Image, ImageDraw

    base = (img_b if img_b is not None else img_a).convert("RGBA")
    overlay = Image.new("RGBA", base.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    width = max(1, round(dpi / 72))
    if page.pixels is not None:
        for box in page.pixels.regions:
            draw.rectangle(to_px(box, dpi, page.origin, pad=1), outline=ORANGE, width=width)
    for box in page.removed:
        draw.rectangle(to_px(box, dpi, page.origin), outline=BLUE, width=width)
    for box in page.changed:
        draw.rectangle(to_px(box, dpi, page.origin), fill=RED)
    return Image.alpha_composite(base, overlay).convert("RGB")


def write_diff_images(report: DiffReport, out: Path) -> list[Path]:
    """One diff image per differing page of B (needs `diff_pdfs(..., keep_renders=True)`): `out` for
    a one-page document, else `<stem>-p<n>.png` per page of B. Returns the paths written."""
    from ..render.raster import page_path

    out = Path(out)
    pages = max(report.page_counts)
    written = []
    for page in report.differing:
        img_a, img_b = render_of(report, page)
        if img_b is None:  # a page B lacks has no B page to mark (the summary says it was deleted)
            continue
        path = page_path(out, page.number, pages)
        path.parent.mkdir(parents=True, exist_ok=True)
        diff_image(page, img_b, report.dpi, img_a).save(path, format="PNG", optimize=False)
        written.append(path)
    return written


def _data_uri(img, fmt: str = "PNG") -> str:
    buf = io.BytesIO()
    if fmt == "JPEG":
        img.convert("RGB").save(buf, format="JPEG", quality=85)
        mime = "image/jpeg"
    else:
        img.save(buf, format="PNG")
        mime = "image/png"
    return f"data:{mime};base64,{base64.b64encode(buf.getvalue()).decode('ascii')}"


_CSS = """
body{font-family:sans-serif;margin:1em;color:#222}
pre{background:#f6f6f6;padding:.8em;white-space:pre-wrap}
.row{display:flex;gap:12px;align-items:flex-start}
.row figure{margin:0;flex:1;min-width:0;max-height:90vh;overflow:auto;border:1px solid #999}
.row img{width:100%;display:block}
#z2:checked~.pages .row img{width:200%}
#z4:checked~.pages .row img{width:400%}
figcaption{font-size:.9em;margin-bottom:.3em;position:sticky;left:0;top:0;background:#fff}
.equal{color:#070}.different{color:#b00}
.key span{display:inline-block;width:1em;height:1em;vertical-align:middle;margin:0 .3em 0 1em}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left}
.swatch{display:inline-block;width:1.2em;height:1.2em;vertical-align:middle;border:1px solid #666}
.zoom .row img{width:auto;max-width:100%}
.zoom:target{outline:3px solid #e60000;outline-offset:4px}
"""


def _swatch(rgb) -> str:
    if rgb is None:
        return "none"
    return f'<span class="swatch" style="background:rgb{tuple(rgb)}"></span> rgb{tuple(rgb)}'


def _cmyk_list(values: tuple) -> str:
    """`C0 M100 Y100 K10, …` (no Python tuple), or "-"."""
    from .paint import Ink

    return ", ".join(Ink("process", "", tuple(v)).describe()[8:] for v in values) or "-"


def _colour_table(report: DiffReport) -> list[str]:
    from .where import mm_box

    rows = []
    for page in report.differing:
        for cc in page.colors:
            where = report.place(cc.bbox, page)
            rows.append(f"<tr><td>{page.number}</td><td>{html.escape(cc.what)} {html.escape(cc.sample)}</td>"
                        f"<td>{_swatch(cc.a)}</td><td>{_swatch(cc.b)}</td>"
                        f"<td>{html.escape(where)} {html.escape(mm_box(cc.bbox, page.trim))}</td></tr>")
        for pc in page.paint:
            what = f"{pc.what} {pc.attribute}" + (f" in {pc.ink}" if pc.ink else "") + f" ({pc.count})"
            rows.append(f"<tr><td>{page.number}</td><td>{html.escape(what)}</td><td>{html.escape(pc.a)}</td>"
                        f"<td>{html.escape(pc.b)}</td><td>{html.escape(report.place(pc.first, page))} "
                        f"{html.escape(mm_box(pc.bbox, page.trim))}</td></tr>")
        if page.cmyk[0] or page.cmyk[1]:
            rows.append(f"<tr><td>{page.number}</td><td>CMYK set</td><td>{html.escape(_cmyk_list(page.cmyk[0]))}</td>"
                        f"<td>{html.escape(_cmyk_list(page.cmyk[1]))}</td><td>only in A / only in B</td></tr>")
    if not rows:
        return []
    return (["<h2>Colour changes</h2><table><tr><th>page</th><th>what</th><th>A</th><th>B</th>"
             "<th>where (mm from the trim's top-left)</th></tr>"] + rows + ["</table>"])


MAX_ZOOMS = 40  # changes shown enlarged in the HTML report
MAX_LISTED = 300  # changes listed
ZOOM = 4  # the enlargement of a change's crop
CONTEXT = 14 * 72 / 25.4  # pt of page shown around a change (14 mm each side)


def _crop(img: Any, box: tuple, page: PageDiff, dpi: float, mark: bool) -> Any:
    """The part of `img` around `box` (CONTEXT pt each side), enlarged ZOOM times, the box outlined."""
    from PIL import Image, ImageDraw

    x0, y0, x1, y1 = to_px(box, dpi, page.origin, pad=CONTEXT)
    x0, y0 = max(0, x0), max(0, y0)
    x1, y1 = min(img.width, max(x1, x0 + 1)), min(img.height, max(y1, y0 + 1))
    crop = img.crop((x0, y0, x1, y1)).resize(((x1 - x0) * ZOOM, (y1 - y0) * ZOOM), Image.Resampling.LANCZOS)
    if mark:
        bx0, by0, bx1, by1 = to_px(box, dpi, page.origin, pad=1)
        draw = ImageDraw.Draw(crop)
        draw.rectangle(((bx0 - x0) * ZOOM, (by0 - y0) * ZOOM, (bx1 - x0) * ZOOM, (by1 - y0) * ZOOM),
                       outline=(230, 0, 0), width=2)
    return crop


def _change_list(report: DiffReport, image_format: str) -> list[str]:
    """Every located change as a link to its enlarged crop (A | B | diff), so a 6 mm change on a
    broadsheet is one click away; the first MAX_ZOOMS have crops."""
    from .report import change_boxes
    from .where import mm_box

    items: list[str] = []
    zooms: list[str] = []
    shown = 0
    for page in report.differing:
        img_a, img_b = render_of(report, page)
        for k, (what, box) in enumerate(change_boxes(page)):
            if len(items) >= MAX_LISTED:
                items.append("<li>… and more: see the summary above</li>")
                break
            anchor = f"p{page.number}-c{k + 1}"
            where = report.place(box, page)
            label = f"page {page.number}: {what} ({(where + '; ') if where else ''}{mm_box(box, page.trim)})"
            if shown >= MAX_ZOOMS or (img_a is None and img_b is None):
                items.append(f"<li>{html.escape(label)}</li>")
                continue
            shown += 1
            items.append(f'<li><a href="#{anchor}">{html.escape(label)}</a></li>')
            zooms.append(_zoom(anchor, label, page, box, report.dpi, img_a, img_b, image_format))
    if not items:
        return []
    return (["<h2>Changes</h2><ol class=\"changes\">"] + items + ["</ol>"]
            + (["<h2>Each change, enlarged</h2>"] + zooms if zooms else []))


def _zoom(anchor: str, label: str, page: PageDiff, box: tuple, dpi: float, img_a: Any, img_b: Any,
          image_format: str) -> str:
    """One change's section: its label and A | B | diff around it, enlarged."""
    parts = [f'<section class="zoom" id="{anchor}"><h3>{html.escape(label)}</h3><div class="row">']
    diff = diff_image(page, img_b, dpi, img_a) if (img_b is not None or img_a is not None) else None
    for caption, img, mark in (("A", img_a, True), ("B", img_b, True), ("diff", diff, False)):
        if img is None:
            parts.append(f"<figure><figcaption>{caption}</figcaption><p>(no such page)</p></figure>")
            continue
        crop = _crop(img, box, page, dpi, mark)
        parts.append(f'<figure><figcaption>{caption} ×{ZOOM}</figcaption>'
                     f'<img alt="{caption}" src="{_data_uri(crop, image_format)}"></figure>')
    parts.append('</div><p><a href="#top">back to the list</a></p></section>')
    return "".join(parts)


def _page_figures(report: DiffReport, image_format: str) -> list[str]:
    parts = ['<div class="pages">']
    for page in report.differing:
        img_a, img_b = render_of(report, page)
        if img_a is None and img_b is None:
            continue
        parts.append(f"<h2>Page {page.number}</h2><div class=\"row\">")
        for label, img in (("A (reference)", img_a), ("B (candidate)", img_b),
                           ("diff (marks on B)", diff_image(page, img_b, report.dpi, img_a))):
            if img is None:
                parts.append(f"<figure><figcaption>{label}</figcaption><p>(no such page)</p></figure>")
                continue
            parts.append(f"<figure><figcaption>{label}</figcaption>"
                         f'<img alt="{label}" src="{_data_uri(img, image_format)}"></figure>')
        parts.append("</div>")
    parts.append("</div>")
    return parts


def write_html(report: DiffReport, out: Path, image_format: str = "JPEG", dump_diff: str | None = None) -> Path:
    """A self-contained HTML page (no script, nothing fetched): the summary; every located change
    as a link to its crop, enlarged (A | B | diff around it, the change outlined); the colour
    changes; the layout dump's differences when given; then A | B | diff side by side for each
    differing page, zoomable (fit, 2×, 4×; each panel scrolls). Images are inlined; needs
    keep_renders=True."""
    out = Path(out)
    esc = html.escape
    verdict = "equal" if report.equal else "different"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>pagesetter diff: {esc(report.a)} → {esc(report.b)}</title>",
        f"<style>{_CSS}</style></head><body id=\"top\">",
        f"<h1>pagesetter diff: <span class=\"{verdict}\">{verdict.upper()}</span></h1>",
        f"<p>A: <code>{esc(report.a)}</code><br>B: <code>{esc(report.b)}</code></p>",
        '<p class="key">Marks on the diff image:<span style="background:rgba(230,0,0,.35)"></span>'
        'changed, new or moved glyphs in B<span style="border:2px solid rgb(0,90,255)"></span>'
        'glyphs of A gone from B<span style="border:2px solid rgb(255,140,0)"></span>pixels differ</p>',
        f"<pre>{esc(report.summary(max_items=40))}</pre>",
        *_change_list(report, image_format),
        *_colour_table(report),
        *([f"<h2>Layout dump</h2><pre>{esc(dump_diff)}</pre>"] if dump_diff else []),
        'Zoom: <input type="radio" name="zoom" id="z1" checked><label for="z1">fit</label> '
        '<input type="radio" name="zoom" id="z2"><label for="z2">2×</label> '
        '<input type="radio" name="zoom" id="z4"><label for="z4">4×</label>',
        *_page_figures(report, image_format),
        "</body></html>\n",
    ]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(parts), encoding="utf-8")
    return out
