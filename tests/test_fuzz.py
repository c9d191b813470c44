"""Property-based tests: random and mutated specs and random Chinese text through load, check and
compose. Nothing may crash except with a clean PagesetterError, and no character may be lost or
duplicated. Modest example counts (about 30 s in all, warm font cache); deadline off (the first font
preparation is slow)."""
from __future__ import annotations

import math
import re
import tempfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fixedfont import FixedMetrics
from pagesetter.build import check_story_refs, load_stories
from pagesetter.cli import main
from pagesetter.errors import PagesetterError
from pagesetter.fonts.roles import ROLES
from pagesetter.layout.model import TextLine
from pagesetter.layout.page import compose
from pagesetter.layout.setting import Typesetter
from pagesetter.pagespec.load import load_spec
from pagesetter.pagespec.model import Style
from pagesetter.text.measure import Composition
from specs import SPEC, project

ROOT = Path(__file__).resolve().parents[1]
def fuzz(examples: int):
    return settings(max_examples=examples, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])

# ── random text from a real alphabet: Han from the sample articles, CJK and Latin punctuation ──
_SAMPLE = "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "articles").glob("*.md")))
HAN = "".join(sorted({c for c in _SAMPLE if "\u4e00" <= c <= "\u9fff"}))[:400]
PUNCT = "，。、；：？！“”‘’（）《》〈〉【】——……·"
LATIN = "ABCXYZabcxyz0123456789.,:%$"
ALPHABET = HAN + PUNCT + LATIN
TEXT = st.text(st.sampled_from(HAN * 6 + PUNCT + LATIN + " "), min_size=1, max_size=160)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def glyph_text(lines) -> str:
    return "".join(g.ch for line in lines for g in line.glyphs)


# ── mutated specs ──

SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 120), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["9pt", "小五", "初号", "2字", "3行", "1栏", "-1mm", "0", "1e9pt", "12px", "", " ", "body", "head",
                     "f1", "f2", "s", "red", "song", "kai", "kia", "text", "image", "box", "rule", "headline",
                     "../articles/a.md", "/etc/passwd", "../../x.md", "center", "quanjiao", "right"]),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=8),
)
VALUES = st.one_of(SCALARS, st.lists(SCALARS, max_size=4), st.dictionaries(
    st.sampled_from(["col", "line", "lines", "span", "kind", "at", "role", "size", "x"]), SCALARS, max_size=4))
KEYS = st.one_of(st.sampled_from(["col", "span", "line", "lines", "inset", "overlap", "role", "size", "based_on",
                                  "kind", "at", "text", "style", "story", "styles", "chain", "articles", "file",
                                  "caption", "caption_lines", "label", "wrap", "heads", "fit_min", "copyfit",
                                  "balance", "trim", "top", "left", "columns", "gutter", "pitch", "body", "f3",
                                  "allow_outside", "border", "color", "position", "width"]),
                 st.integers(-3, 3), st.text(max_size=4))


def _nodes(doc, path=()):
    yield path
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield from _nodes(v, path + (k,))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            yield from _nodes(v, path + (i,))


def _get(doc, path):
    for k in path:
        doc = doc[k]
    return doc


@st.composite
def mutated_specs(draw):
    doc = yaml.safe_load(SPEC)
    doc["blocks"] += [{"kind": "text", "text": "版式", "style": "body", "at": {"col": 2, "line": 1, "lines": 1}},
                      {"kind": "rule", "at": {"col": 1, "span": 2, "line": 3}, "width": "1pt", "position": "bottom"},
                      {"kind": "box", "at": {"col": 1, "line": 1, "lines": 2}, "border": "0.5pt"}]
    for _ in range(draw(st.integers(1, 4))):
        paths = list(_nodes(doc))
        path = paths[draw(st.integers(0, len(paths) - 1))]
        op = draw(st.sampled_from(["replace", "replace", "delete", "insert"]))
        if not path:
            op = "insert"
        parent = _get(doc, path[:-1]) if path else None
        if op == "replace":
            parent[path[-1]] = draw(VALUES)
        elif op == "delete":
            del parent[path[-1]]
        else:
            target = _get(doc, path)
            if isinstance(target, dict):
                target[draw(KEYS)] = draw(VALUES)
            elif isinstance(target, list):
                target.append(draw(VALUES))
            else:
                parent[path[-1]] = draw(VALUES)
    try:
        return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    except yaml.YAMLError:
        return SPEC


PLAUSIBLE = {
    "col": st.integers(1, 3), "span": st.integers(1, 2), "line": st.integers(1, 21), "lines": st.integers(1, 20),
    "size": st.sampled_from(["小五", "五号", "初号", "二号", "六号", "9pt", "30pt", "4mm"]),
    "role": st.sampled_from(list(ROLES)), "align": st.sampled_from(["justify", "left", "center", "right"]),
    "tracking": st.floats(-0.5, 2), "indent": st.sampled_from([0, 1, 2, 10]),
    "text": TEXT, "inset": st.lists(st.sampled_from(["0", "1字", "3字", "2mm"]), min_size=2, max_size=2),
    "pitch": st.sampled_from(["9pt", "14pt", "20pt"]), "column": st.sampled_from(["1字", "5字", "12字", "20mm"]),
    "gutter": st.sampled_from(["0", "1字", "2mm"]), "lines_grid": st.integers(1, 40),
    "chain": st.lists(st.sampled_from(["f1", "f2"]), min_size=1, max_size=2, unique=True),
    "position": st.sampled_from(["middle", "top", "bottom", "left", "right"]),
    "width": st.sampled_from(["0", "0.5pt", "3pt"]), "border": st.sampled_from(["0", "1pt"]),
    "wrap": st.sampled_from(["0", "1字", "3mm"]), "balance": st.booleans(), "avoid_stranded": st.booleans(),
    "copyfit": st.sampled_from([[-0.03, 0.03], [0, 0.05], [-0.1, 0]]), "overlap": st.booleans(),
    "fit_min": st.sampled_from(["六号", "小五"]), "punct_style": st.sampled_from(["quanjiao", "kaiming", "banjiao"]),
}


@st.composite
def plausible_specs(draw):
    """Specs changed within the values each key allows: most of them load, so layout is exercised."""
    doc = yaml.safe_load(SPEC)
    doc["composition"] = {"punct_style": "quanjiao"}
    doc["blocks"] += [{"kind": "text", "text": "版式", "style": "body", "at": {"col": 2, "line": 1, "lines": 1}},
                      {"kind": "rule", "at": {"col": 1, "span": 2, "line": 3}, "width": "1pt"},
                      {"kind": "box", "at": {"col": 1, "line": 1, "lines": 2}, "border": "0.5pt"}]
    doc["stories"]["s"]["heads"] = {"byline": "body"}
    for _ in range(draw(st.integers(1, 6))):
        paths = [p for p in _nodes(doc) if p and p[-1] in PLAUSIBLE]
        path = paths[draw(st.integers(0, len(paths) - 1))]
        key = "lines_grid" if path == ("grid", "lines") else path[-1]
        _get(doc, path[:-1])[path[-1]] = draw(PLAUSIBLE[key])
        if draw(st.integers(0, 3)) == 0:  # sometimes add a key where it belongs
            target = draw(st.sampled_from([("frames", "f1"), ("styles", "body"), ("stories", "s"), ("blocks", 1)]))
            key = draw(st.sampled_from(sorted(PLAUSIBLE)))
            if key in PLAUSIBLE and key != "lines_grid":
                _get(doc, target)[key] = draw(PLAUSIBLE[key])
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


def _load_and_compose(text: str):
    with tempfile.TemporaryDirectory() as tmp:
        path = project(Path(tmp), text)
        try:
            spec = load_spec(path)
            stories = load_stories(spec)
            check_story_refs(spec, stories)
        except PagesetterError as exc:
            for p in exc.problems:
                assert p.file is not None and p.fix, p
            return None
        layout = compose(spec, stories, {r: FixedMetrics() for r in ROLES}).layout
        return layout


def _composes_finite_or_fails_cleanly(text):
    layout = _load_and_compose(text)
    if layout is not None:
        for item in layout.items:
            if isinstance(item, TextLine):
                assert math.isfinite(item.x) and math.isfinite(item.y)


@fuzz(250)
@given(mutated_specs())
def test_mutated_specs_load_and_compose_or_fail_cleanly(text):
    _composes_finite_or_fails_cleanly(text)


@fuzz(300)
@given(plausible_specs())
def test_plausible_specs_load_and_compose_or_fail_cleanly(text):
    _composes_finite_or_fails_cleanly(text)


@fuzz(150)
@given(st.text(st.sampled_from("{}[]:,-&*!|>'\"# \n\tabc12小五"), max_size=80))
def test_random_yaml_fails_cleanly(text):
    _load_and_compose(text)


@fuzz(80)
@given(st.one_of(mutated_specs(), plausible_specs()))
def test_specs_through_check_command(text):
    """The real pipeline (fonts included): exit 0, 1 or 2, never an internal error or a traceback."""
    with tempfile.TemporaryDirectory() as tmp:
        path = project(Path(tmp), text)
        result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code in (0, 1, 2), result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


# ── random text: nothing lost, nothing doubled ──

STYLE = Style("body", "song", 10.0)
SETTINGS = st.builds(Composition, punct_style=st.sampled_from(["quanjiao", "kaiming", "banjiao"]),
                     strict=st.booleans(), trim_line_end=st.booleans(), trim_line_start=st.booleans(),
                     orphan_control=st.booleans(), han_latin_space=st.sampled_from([0.0, 0.25]))
WIDTHS = st.lists(st.floats(0.5, 40), min_size=1, max_size=4)


@pytest.fixture(scope="module")
def real_song():
    """Metrics of the real song face for the whole alphabet (prepared once, then cached)."""
    from pagesetter.fonts import prepare_face, resolve_face, default_cache_dir

    face = prepare_face(resolve_face("song", {}, []), set(ALPHABET) | {" "}, default_cache_dir())
    assert not face.missing
    return face.metrics


def _set(metrics, text, widths, composition, align, indent):
    ts = Typesetter({"song": metrics}, composition)
    return ts.lines([(text, STYLE)], lambda k: widths[min(k, len(widths) - 1)] * STYLE.size,
                    indent_em=indent, align=align)


@fuzz(500)
@given(TEXT, WIDTHS, SETTINGS, st.sampled_from(["justify", "left", "center", "right"]), st.sampled_from([0, 2]))
def test_no_character_lost_or_doubled_fixed_face(text, widths, composition, align, indent):
    lines = _set(FixedMetrics(), text, widths, composition, align, indent)
    assert glyph_text(lines) == squash(text)


@fuzz(500)
@given(TEXT, WIDTHS, SETTINGS, st.sampled_from(["justify", "center"]), st.sampled_from([0, 2]))
def test_no_character_lost_or_doubled_real_face(real_song, text, widths, composition, align, indent):
    lines = _set(real_song, text, widths, composition, align, indent)
    assert glyph_text(lines) == squash(text)
    for line in lines:
        xs = [g.x for g in line.glyphs]
        assert all(math.isfinite(x) for x in xs) and xs == sorted(xs)


PARAGRAPHS = st.lists(st.text(st.sampled_from(HAN * 6 + PUNCT + LATIN), min_size=1, max_size=60), min_size=1,
                      max_size=5)


@fuzz(150)
@given(PARAGRAPHS)
def test_article_text_flows_whole_through_the_page(paragraphs):
    """Random articles through the parser, the flow and the page: the story's lines hold exactly
    the article's text, in order."""
    article = "---\nheadline: 标题\n---\n" + "\n\n".join(paragraphs) + "\n"
    with tempfile.TemporaryDirectory() as tmp:
        path = project(Path(tmp), SPEC, article)
        spec = load_spec(path)
        stories = load_stories(spec)
        layout = compose(spec, stories, {r: FixedMetrics() for r in ROLES}).layout
    (report,) = layout.stories
    if report.overset:
        return  # overset lines are reported, not placed; the capacity is ~400 characters
    chain = set(spec.stories[0].chain)
    placed = "".join(g.ch for it in layout.items if isinstance(it, TextLine) and it.frame in chain for g in it.glyphs)
    assert placed == squash("".join(paragraphs))
