"""A Typst source of a page's text, for measuring pagesetter against Typst on the same work.

The same text (every article the spec's stories and captions name, heads included), the same
page and eight-column grid (column width, gutter, type area from the spec), the same body size
and pitch, the same faces (the families pagesetter resolves for each role). Typst flows it
through the columns its own way; the point is the cost of typesetting the same text, not the
same page. Typst is not a pagesetter dependency: `pip install typst` into the venv to measure.

    .venv/bin/python benchmarks/typst_page.py [layouts/jiceng-dangjian.yaml] > page.typ
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PT_PER_MM = 72 / 25.4


def _quoted(text: str) -> str:
    """A Typst string literal: the text is shown as it is, never read as markup."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _families(spec) -> dict[str, str]:
    """Per role, Typst's font arguments for the face pagesetter uses: family, and bold weight
    when the face is a bold cut of its family."""
    from pagesetter.build import project_root
    from pagesetter.fonts.roles import resolve_face

    out = {}
    for role in {st.role for st in spec.styles.values()}:
        face = resolve_face(role, spec.fonts, [project_root(spec.path) / "fonts"])
        bold = ', weight: "bold"' if "bold" in face.path.name.lower() else ""
        out[role] = f'font: "{face.family}"{bold}'
    return out


def _head(story, fam: dict[str, str], body: float) -> list[str]:
    """An article's kicker, headline, subtitle and byline, centred, in the usual faces."""
    sizes = {"kicker": (1.6, "hei"), "headline": (2.6, "biaosong"), "subtitle": (1.4, "hei"),
             "byline": (1.2, "kai"), "column": (1.4, "hei-bold")}
    out = []
    for key, (scale, role) in sizes.items():
        if story.get(key):
            font = fam.get(role, fam["song"])
            out.append(f'#align(center, text({font}, size: {body * scale:.1f}pt, '
                       f"{_quoted(str(story.get(key)))}))")
    return out


def typst_source(spec_path: Path) -> str:
    from pagesetter.build import load_stories
    from pagesetter.pagespec.load import load_spec

    spec = load_spec(spec_path)
    g = spec.grid
    fam = _families(spec)
    body = spec.styles["body"].size
    gutter = g.gutter_chars * g.body
    width = g.columns * g.column_width + (g.columns - 1) * gutter
    right = spec.trim[0] - g.left - width
    bottom = spec.trim[1] - g.top - g.lines * g.pitch
    lines = [
        f"#set page(width: {spec.trim[0]:.2f}pt, height: {spec.trim[1]:.2f}pt, columns: {g.columns}, "
        f"margin: (top: {g.top:.2f}pt, bottom: {bottom:.2f}pt, left: {g.left:.2f}pt, right: {right:.2f}pt))",
        f"#set columns(gutter: {gutter:.2f}pt)",
        f'#set text({fam["song"]}, size: {body}pt, lang: "zh", region: "cn")',
        f"#set par(justify: true, first-line-indent: (amount: 2em, all: true), "
        f"leading: {g.pitch - body:.2f}pt, spacing: {g.pitch - body:.2f}pt)",
        "",
    ]
    stories = load_stories(spec)
    for story in stories.values():
        lines += _head(story, fam, body)
        for par in story.paragraphs:
            role = {"section_lead": "hei-bold", "subhead": "kai"}.get(par.role, "song")
            text = _quoted(par.text)
            lines.append(f'#text({fam.get(role, fam["song"])}, {text})' if role != "song" else f"#{text}")
            lines.append("")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(typst_source(Path(sys.argv[1]) if len(sys.argv) > 1 else
                                  ROOT / "layouts" / "jiceng-dangjian.yaml"))
