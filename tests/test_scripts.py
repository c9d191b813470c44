"""Inline sub- and superscripts (上标、下标: `H~2~O`, `10^-6^`) and fallback faces (issue 23, item 4):
the article format and its errors, designed forms against scaled and shifted glyphs, the break
rules around a script, the fallback chain per face role and its report, and a science page at
default settings judged by ../shared/tools/pagecheck.py and read back with pypdf and pdfplumber."""
from __future__ import annotations

import json
from pathlib import Path
from typing import ClassVar

import pdfplumber
import pypdf
import pytest
from click.testing import CliRunner
from fixedfont import SIZE, FixedMetrics
from hypothesis import given, settings
from hypothesis import strategies as st
from test_narrow_columns import PAGECHECK, clean_narrow_page, narrow_page
from tinypage import need_noto

from pagesetter.build import build
from pagesetter.cli import main
from pagesetter.errors import PagesetterError
from pagesetter.story.parse import parse_story
from pagesetter.text import classes as C
from pagesetter.text.breaker import break_lines
from pagesetter.text.measure import Composition, Run, measure

NOTO_LATIN = Path("/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf")

SCIENCE = [  # a science text: markup scripts (designed forms) and Unicode ones the CJK face lacks
    ("水是由氢和氧组成的化合物，化学式为H~2~O。常温下纯水的电导率只有5.5×10^-6^ S/m，海水中溶解的盐类"
     "却使它的导电能力提高了上万倍。"),
    ("大气中二氧化碳（CO₂）的浓度已超过420 ppm，比工业革命前高出约50%。据估计，全球每年排放的CO~2~约为"
     "3.7×10^10^吨。"),
    ("光在真空中的速度约为3×10⁸ m/s，一年能走约9.46×10^15^米。可观测宇宙中恒星的总数可能达到10^22^至"
     "10^24^颗。"),
    ("地球海洋中的水约有1.4×10²¹千克，一个成年人体内约有3.7×10^13^个细胞。硫酸根离子写作SO~4~^2-^，"
     "铵根离子写作NH~4~^+^。"),
    "太阳表面的温度约为5772 K，表面重力加速度约为274 m/s^2^，是地球的28倍。",
    "实验测得该材料的电阻率为1.7×10⁻⁸ Ω·m，在温度升高时略有增加。",
]
# what the page must read back as (pypdf and pdfplumber): the scripts as their Unicode forms
READ_BACK = ["H₂O", "10⁻⁶", "CO₂", "3.7×10¹⁰", "3×10⁸", "9.46×10¹⁵", "10²²", "1.4×10²¹", "SO₄²⁻", "NH₄⁺",
             "m/s²", "1.7×10⁻⁸"]
NONE = ("holes", "han_latin_holes", "latin_letterspaced", "space_before_stop", "css_line_start",
        "postfix_split", "widows")


def need_fallback() -> None:
    need_noto()
    if not NOTO_LATIN.is_file():
        pytest.skip(f"{NOTO_LATIN} not installed (apt-get install fonts-noto-core)")


def story(body: str):
    return parse_story(f"---\nheadline: 题\n---\n{body}\n", Path("a.md"))


# ── the article format ──────────────────────────────────────────────────────────────────────────

def test_scripts_are_spans_of_their_own():
    spans = story("水H~2~O，10^-6^，Ca^2+^").paragraphs[0].spans
    assert [(s.text, s.script) for s in spans] == [
        ("水H", ""), ("2", "sub"), ("O，10", ""), ("-6", "sup"), ("，Ca", ""), ("2+", "sup")]


def test_a_backslash_writes_the_marks_themselves():
    par = story(r"约5\~10℃，x\^2").paragraphs[0]
    assert par.text == "约5~10℃，x^2" and all(not s.script for s in par.spans)


def test_scripts_inside_a_strong_span_keep_its_style():
    spans = story("**CO~2~排放**正文").paragraphs[0].spans
    assert [(s.text, s.kind, s.script) for s in spans] == [
        ("CO", "strong", ""), ("2", "strong", "sub"), ("排放", "strong", ""), ("正文", "body", "")]


@pytest.mark.parametrize("body, column, words", [
    ("浓度为10^-6", 6, "'^' opens a superscript that is never closed"),
    ("水H~~O", 3, "'~~' is an empty subscript"),
    ("x^a b^", 2, "holds a space"),
    ("H~" + "2" * 40 + "~O", 2, "a subscript of 40 characters: at most 10"),
    ("气温5~10℃，夜间20~30℃", 4, "holds the full-width '，'"),
    ("a^b~c^", 2, "holds '~'"),
    ("x\ufdd0y", 2, "noncharacter"),
])
def test_a_mark_out_of_place_is_a_located_error(body, column, words):
    with pytest.raises(PagesetterError) as err:
        story(body)
    problem = err.value.problems[0]
    assert (problem.line, problem.column) == (4, column) and words in problem.message, problem
    assert problem.fix


def test_an_unclosed_mark_exits_2_with_its_place(tmp_path):
    spec = narrow_page(tmp_path / "p", 12, ["第一段。", "浓度为10^-6 S/m。"])
    result = CliRunner().invoke(main, ["build", str(spec), "-o", str(tmp_path / "p.pdf"), "--no-png"])
    assert result.exit_code == 2, result.output
    assert "story.md:3:6: '^' opens a superscript that is never closed" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "p.pdf").exists()


# ── measuring: designed forms, else scaled and shifted ─────────────────────────────────────────

class ScriptFace(FixedMetrics):
    """The fixed test face with OS/2-like scripts (0.6 em; +0.35, −0.075) and the forms it lists."""

    fallback: ClassVar[dict[str, str]] = {}

    def __init__(self, forms: str = ""):
        self.forms = set(forms)

    def advance(self, ch: str) -> float:
        if (ch in C.SUPERSCRIPTS or ch in C.SUBSCRIPTS) and ch not in self.forms:
            raise KeyError(ch)
        return super().advance(ch)

    def script(self, kind: str) -> tuple[float, float]:
        return (0.6, 0.35) if kind == "sup" else (0.6, -0.075)


def measured(runs, face):
    return measure(runs, lambda f: face, Composition())


def test_a_script_is_set_in_its_designed_forms_when_the_face_has_them():
    par = measured([Run("H", "f", SIZE), Run("2", "f", SIZE, script="sub"), Run("O", "f", SIZE)], ScriptFace("₂"))
    assert "".join(g.ch for g in par.glyphs) == "H₂O"
    assert all(g.size == SIZE and g.rise == 0 for g in par.glyphs)


def test_a_script_without_forms_is_scaled_and_shifted_by_the_face_figures():
    par = measured([Run("T", "f", SIZE), Run("eff", "f", SIZE, script="sub"), Run("x", "f", SIZE),
                    Run("n", "f", SIZE, script="sup")], ScriptFace())
    eff = par.glyphs[1:4]
    assert "".join(g.ch for g in eff) == "eff"  # (f has no subscript form)
    assert all(g.size == pytest.approx(0.6 * SIZE) and g.rise == pytest.approx(-0.075 * SIZE) for g in eff)
    n = par.glyphs[-1]
    assert n.ch == "n" and n.size == pytest.approx(6.0) and n.rise == pytest.approx(3.5)  # ⁿ not in the face
    assert par.glyphs[0].rise == 0 and par.glyphs[4].rise == 0


def test_a_script_never_leaves_its_base():
    text = [Run("约有", "f", SIZE), Run("10", "f", SIZE), Run("21", "f", SIZE, script="sup"), Run("个分子", "f", SIZE)]
    par = measured(text, ScriptFace())
    gap_before = [par.gaps[i - 1] for i, g in enumerate(par.glyphs) if g.rise]
    assert gap_before and all(not g.breakable and not g.stretch and g.natural == 0 for g in gap_before)
    for width in range(2, 9):  # every measure: no line starts with a script's glyph
        breaks = break_lines(par, lambda k, w=width: w * SIZE)
        assert all(not par.glyphs[b.start].rise for b in breaks), width


# ── fallback faces ──────────────────────────────────────────────────────────────────────────────

def test_characters_the_cjk_face_lacks_come_from_its_fallback_face(tmp_path):
    need_fallback()
    spec = narrow_page(tmp_path / "p", 12, ["二氧化碳（CO₂）的浓度约为10⁻⁶。"])
    result = CliRunner().invoke(main, ["build", str(spec), "-o", str(tmp_path / "p.pdf"), "--no-png"])
    assert result.exit_code == 0, result.output
    assert "fallback face Noto Serif (NotoSerif-Regular.ttf) sets ⁶ ⁻ ₂ for song" in result.output
    report = json.loads((tmp_path / "p.report.json").read_text(encoding="utf-8"))
    assert report["fallback_faces"] == [{"role": "song", "face": "latin-serif", "family": "Noto Serif",
                                         "file": str(NOTO_LATIN), "characters": "⁶⁻₂"}]
    fonts = [f["/BaseFont"] for page in pypdf.PdfReader(tmp_path / "p.pdf").pages
             for f in page["/Resources"]["/Font"].values()]
    latin = [f for f in fonts if f.endswith("+NotoSerif-Regular")]
    assert len(latin) == 1 and len(latin[0].split("+")[0]) == 7  # embedded as a subset, tagged


def test_a_character_no_face_has_is_still_a_located_error(tmp_path):
    need_fallback()
    spec = narrow_page(tmp_path / "p", 12, ["第一段。", "第二段有CO₂和\ue123。"])
    result = CliRunner().invoke(main, ["check", str(spec)])
    assert result.exit_code == 2, result.output
    assert "story.md:3:9: character '\\ue123' (U+E123) is not in the song face" in result.output
    assert "nor latin-serif, nor math, nor symbols" in result.output
    assert "₂" not in result.output  # the fallback face has it: no error


def test_the_sample_page_uses_no_fallback_face():
    from pagesetter.build import compose_page
    composed = compose_page(Path(__file__).resolve().parents[1] / "layouts" / "jiceng-dangjian.yaml")
    assert all(not face.metrics.fallback for face in composed.faces.values())
    assert set(composed.faces) <= {"song", "biaosong", "hei", "hei-bold", "kai", "fangsong"}


# ── the science page ────────────────────────────────────────────────────────────────────────────

@pytest.mark.skipif(not PAGECHECK.exists(), reason="../shared/tools/pagecheck.py not beside the repository")
@pytest.mark.parametrize("chars", [10, 11, 12, 13, 14])  # (14: a word space after 10⁸ was a hole)
def test_science_page_passes_pagecheck_and_reads_back(tmp_path, chars):
    need_fallback()
    pdf, examples = clean_narrow_page(tmp_path / "p", chars, SCIENCE, NONE)
    squeeze = str.maketrans("", "", " \n")
    text = "".join(p.extract_text() for p in pypdf.PdfReader(pdf).pages).translate(squeeze)
    with pdfplumber.open(pdf) as doc:
        plumbed = "".join(p.extract_text() for p in doc.pages).translate(squeeze)
    for expected in READ_BACK:
        assert expected in text and expected in plumbed, expected
    assert "^" not in text and "~" not in text


def test_science_page_with_its_fallback_face_passes_preflight_and_the_validators(tmp_path):
    from validators import need_validators, pdfbox, pdfcpu
    need_fallback()
    need_validators()
    spec = narrow_page(tmp_path / "p", 12, SCIENCE + ["| 诗行里也有H~2~O和10⁻⁶", "|", "| 第二节"])
    pdf = tmp_path / "p.pdf"
    build(spec, pdf, png=False)
    result = CliRunner().invoke(main, ["preflight", str(pdf)])
    assert result.exit_code == 0, result.output
    kept, set_aside = pdfbox(pdf)
    assert kept == [], kept
    assert all(f.split(" ")[0] in ("1.4.8", "2.1.3", "3.1.11", "7.1.1") for f in set_aside)
    ok, output = pdfcpu([pdf])
    assert ok and output.count(": ok") == 1, output


def test_an_edition_sets_fallback_characters_on_every_page_that_has_them(tmp_path):
    need_fallback()
    assert CliRunner().invoke(main, ["init", str(tmp_path / "ed"), "--edition"]).exit_code == 0
    article = tmp_path / "ed" / "articles" / "story.md"
    head, body = article.read_text(encoding="utf-8").rsplit("---\n", 1)
    article.write_text(f"{head}---\n二氧化碳（CO₂）约为10^-6^，水是H~2~O。\n\n{body}", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(tmp_path / "ed" / "layouts" / "edition.yaml"),
                                       "-o", str(tmp_path / "out") + "/", "--no-png", "--jobs", "2"])
    assert result.exit_code == 0, result.output
    assert "fallback face Noto Serif (NotoSerif-Regular.ttf) sets ⁶ ⁻ ₂ for song" in result.output
    text = pypdf.PdfReader(tmp_path / "out" / "edition.pdf").pages[0].extract_text().replace("\n", "")
    assert "CO₂" in text.replace(" ", "") and "10⁻⁶" in text.replace(" ", "") and "H₂O" in text.replace(" ", "")


def test_the_designed_forms_are_the_glyphs_the_fallback_face_sups_and_subs_features_give():
    """The premise of setting scripts in their Unicode forms: in Noto Serif, HarfBuzz shaping the
    digits with `sups` (`subs`) gives the very glyphs its cmap has for ⁰–⁹ (₀–₉)."""
    import uharfbuzz as hb
    need_fallback()
    font = hb.Font(hb.Face(hb.Blob.from_file_path(str(NOTO_LATIN))))
    for feature, kind in (("sups", "sup"), ("subs", "sub")):
        buf = hb.Buffer()
        buf.add_str("0123456789")
        buf.guess_segment_properties()
        hb.shape(font, buf, {feature: True})
        forms = C.script_forms("0123456789", kind)
        assert forms is not None
        assert [g.codepoint for g in buf.glyph_infos] == [font.get_nominal_glyph(ord(ch)) for ch in forms]


def test_a_caption_keeps_its_scripts(tmp_path):
    """A photo caption is set in its one style, but H~2~O keeps its subscript (runs per span)."""
    import sys
    sys.path.insert(0, str(Path(__file__).parent))
    from specs import SPEC, project, spec_with

    from pagesetter.build import compose_page

    need_fallback()
    spec = spec_with("  head: {role: biaosong, size: 三号, align: center}\n",
                     "  head: {role: biaosong, size: 三号, align: center}\n  caption: {role: hei, size: 小五}\n",
                     SPEC.replace("f2: {col: 2, line: 4, lines: 17}", "f2: {col: 2, line: 12, lines: 9}")) + \
        "  - {kind: image, caption: ../articles/cap.md, caption_lines: 2, credit_style: caption, at: {col: 2, line: 4, lines: 7}}\n"
    path = project(tmp_path, spec)
    (tmp_path / "articles" / "cap.md").write_text("图为H~2~O分子模型。\n", encoding="utf-8")
    layout = compose_page(path).layout
    line = next(item for item in layout.items if getattr(item, "frame", "") == "caption")
    glyphs = list(line.glyphs)
    assert "".join(g.ch for g in glyphs) == "图为H2O分子模型。"
    # (a caption's scripts are not counted for the faces: its face's scaled and shifted glyph)
    two = glyphs[3]
    assert two.rise == pytest.approx(-0.075 * 9) and two.size == pytest.approx(0.6 * 9)
    assert all(g.rise == 0 and g.size == 9 for g in glyphs if g is not two)


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from("^~\\|*ab12 -中，\n"), max_size=40))
def test_any_marks_are_read_or_refused_with_a_place(body):
    """Whatever the marks, an article is read (every script a span of 1–10 characters, no mark
    left as a stand-in) or refused with a line, a column and a fix — never an internal error."""
    try:
        parsed = story(body)
    except PagesetterError as err:
        assert all(p.line and p.column and p.fix for p in err.problems), err
        return
    for par in parsed.paragraphs:
        for span in par.spans:
            assert not any("\ufdd0" <= ch <= "\ufdd3" for ch in span.text)
            assert not span.script or 1 <= len(span.text) <= 10


def test_a_fallback_face_may_be_set_in_fonts(tmp_path):
    """A house's own Latin face: `fonts: {latin-serif: …}` serves the song role's fallback."""
    import shutil
    need_fallback()
    dejavu = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
    if not dejavu.is_file():
        pytest.skip(f"{dejavu} not installed (fonts-dejavu-core)")
    spec = narrow_page(tmp_path / "p", 12, ["二氧化碳（CO₂）的浓度约为10⁻⁶。"])
    shutil.copyfile(dejavu, spec.parent / dejavu.name)
    spec.write_text(spec.read_text(encoding="utf-8") + f"fonts:\n  latin-serif: {{file: {dejavu.name}}}\n",
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(spec)])
    assert result.exit_code == 0, result.output
    assert "fallback face DejaVu Serif (DejaVuSerif.ttf) sets ⁶ ⁻ ₂ for song" in result.output
    bad = spec.read_text(encoding="utf-8").replace("latin-serif:", "latin-serf:")
    spec.write_text(bad, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(spec)])
    assert result.exit_code == 2 and "unknown font role 'latin-serf'" in result.output
    assert "latin-serif" in result.output  # (the nearest name suggested)
