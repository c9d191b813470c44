"""Punctuation width adjustment decided by where the ink sits in the real faces (fonts.md), not by
a table per font: Noto Serif CJK SC puts ，。 in the left half and “ in the right half; its
Traditional Chinese face (TC, same file, index 3) centres ，。、： — those are never squeezed."""
from pathlib import Path

import pytest

from pagesetter.fonts.prepare import prepare_face
from pagesetter.fonts.roles import FaceSource
from pagesetter.text.breaker import break_lines
from pagesetter.text.justify import set_paragraph
from pagesetter.text.measure import Composition, Run, measure

NOTO = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
TEXT = "党的十八大以来，广大基层党组织坚持以人民为中心的发展思想。“村党支部领办合作社，党员带头做示范。”"
pytestmark = pytest.mark.skipif(not NOTO.exists(), reason="fonts-noto-cjk is not installed")


@pytest.fixture(scope="module")
def faces(tmp_path_factory):
    cache = tmp_path_factory.mktemp("cache")
    return {name: prepare_face(FaceSource("song", NOTO, index, name), TEXT + "、：", cache).metrics
            for name, index in (("SC", 2), ("TC", 3))}


def glyph(metrics, ch, **settings):
    return measure([Run(ch, "f", 10.0)], lambda f: metrics, Composition(**settings), 0).glyphs[0]


def test_sc_closing_marks_blank_on_the_right(faces):
    for ch in "，。、：”":
        g = glyph(faces["SC"], ch)
        assert g.blank_side == 1 and g.blank == pytest.approx(5.0), ch


def test_sc_opening_quote_blank_on_the_left(faces):
    g = glyph(faces["SC"], "“")
    assert g.blank_side == -1 and g.blank == pytest.approx(5.0)


def test_tc_centred_marks_are_never_squeezed(faces):
    for ch in "，。、：":
        g = glyph(faces["TC"], ch)
        assert g.blank_side == 0 and g.blank == 0 and g.fixed == 0, ch
    # banjiao cannot halve a centred mark either: there is no blank half to take
    assert glyph(faces["TC"], "，", punct_style="banjiao").width == pytest.approx(10.0)


def test_line_end_trim_follows_the_ink(faces):
    def first_line(face):
        par = measure([Run(TEXT, "f", 10.0)], lambda f: faces[face], Composition(), 0)
        return set_paragraph(par, break_lines(par, lambda k: 80.0))[0]

    sc, tc = first_line("SC"), first_line("TC")
    assert sc.text == tc.text == "党的十八大以来，"
    assert sc.glyphs[-1].x == pytest.approx(75.0)  # ， trimmed to ½ em: its ink ends the line
    assert tc.glyphs[-1].x == pytest.approx(70.0)  # centred ， keeps its full em


def test_quanjiao_pair_uses_the_blank_between(faces):
    par = measure([Run("合作社。”党员", "f", 10.0)], lambda f: faces["SC"], Composition(), 0)
    line = set_paragraph(par, break_lines(par, lambda k: 200.0))[0]
    xs = [g.x for g in line.glyphs]
    assert xs[4] - xs[3] == pytest.approx(5.0)  # 。 gives up its right half next to ”
    assert xs[5] - xs[4] == pytest.approx(10.0)
