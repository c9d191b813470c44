"""Display lines broken by sense (text.display, text.words; issue 23 item 2), with the fixed-advance
face: every Han character 1 em, so a width of N em holds N characters."""
from __future__ import annotations

import itertools
import sys

import pytest

from fixedfont import FixedMetrics
from pagesetter.layout.setting import Typesetter
from pagesetter.pagespec.model import Style
from pagesetter.text import display
from pagesetter.text.measure import Composition
from pagesetter.text.words import word_bounds

SIZE = 10.0


def head(text: str, chars: float, align: str = "center", **style) -> list[str]:
    ts = Typesetter({"song": FixedMetrics()}, Composition())
    lines = ts.head_lines(text, Style("h", "song", SIZE, align=align, **style), chars * SIZE)
    return ["".join(g.ch for g in line.glyphs) for line in lines]


# the issue's heads at the widths that broke them by count (中华人民共 / 和国个人信 / 息保护法, …)
@pytest.mark.parametrize("text, chars, lines", [
    ("中华人民共和国个人信息保护法", 5, ["中华人民", "共和国个人", "信息保护法"]),
    ("中华人民共和国个人信息保护法", 7, ["中华人民共和国", "个人信息保护法"]),
    ("前三季度国内生产总值", 5, ["前三季度", "国内", "生产总值"]),
    ("前三季度国内生产总值", 6, ["前三季度国内", "生产总值"]),
    ("国民经济", 3, ["国民", "经济"]),
    ("湖上（外二首）", 5, ["湖上", "（外二首）"]),
    ("一个不到 3 μm 高的“雪人”", 8, ["一个不到3μm", "高的“雪人”"]),
])
def test_the_issues_heads_break_between_words(text, chars, lines):
    assert head(text, chars) == lines


def test_no_line_holds_a_single_character_with_or_without_its_mark():
    lines = head("本法已由全国人民代表大会常务委员会审议通过）", 6)
    assert all(sum(ch not in "（）" for ch in line) >= 2 for line in lines), lines
    assert "".join(lines) == "本法已由全国人民代表大会常务委员会审议通过）"


def test_never_between_a_number_and_its_unit_or_measure_word():
    for chars in range(4, 9):
        for text in ("一个不到 3 μm 高的“雪人”", "全年完成投资2021亿元以上"):
            lines = head(text, chars)
            assert not any(a[-1].isdigit() and not b[0].isdigit() and not b[0].isascii()
                           for a, b in itertools.pairwise(lines)), (chars, lines)
            assert not any(line.startswith(("μ", "m", "亿")) for line in lines), (chars, lines)


def test_a_particle_never_begins_a_display_line():
    for chars in range(3, 8):
        assert not any(line.startswith("的") for line in head("北京市的冬天格外寒冷的时候", chars)), chars


def test_lines_are_balanced_not_filled():
    # 14 characters at 10 a line: two lines of 7, not 10 + 4
    assert [len(x) for x in head("中华人民共和国个人信息保护法", 10)] == [7, 7]


def test_the_editors_bar_forces_a_break_and_is_not_set():
    assert head("党员带头干|村子换新颜", 20) == ["党员带头干", "村子换新颜"]
    assert head("党员带头干\\|村子", 20) == ["党员带头干|村子"]


def test_a_word_joiner_forbids_a_break():
    assert head("国民经济", 3) == ["国民", "经济"]
    joined = head("国民\u2060经济", 3)
    assert joined != ["国民", "经济"] and "".join(joined) == "国民经济"
    assert head("奋进新征程\u2060建功新时代", 6) != ["奋进新征程", "建功新时代"]


def test_a_typed_space_is_the_first_choice_and_needs_no_segmenter():
    sys.modules.pop("rjieba", None)
    assert head("党员带头干 村子换新颜", 7) == ["党员带头干", "村子换新颜"]
    assert "rjieba" not in sys.modules  # the typed break set it in the fewest lines


def test_one_line_when_it_fits_and_fit_min_before_breaking():
    assert head("国民经济", 4) == ["国民经济"]
    assert head("国民经济", 3.5, fit_min=8.0) == ["国民经济"]  # set at 8.75 pt on one line


def test_markers_are_read_out_and_plain_text_has_none():
    m = display.marked("中华|人民 共和\u2060国\\|")
    assert m.text == "中华人民 共和国|"
    assert m.forced == frozenset({2}) and m.joined == frozenset({6})
    assert display.plain("中华|人民\u2060共和国") == "中华人民共和国"
    assert display.plain("普通标题") == "普通标题"


def test_word_bounds_words_and_their_parts():
    bounds = word_bounds("中华人民共和国个人信息保护法")
    assert bounds.words == frozenset({7, 11})
    assert {2, 4, 9} <= bounds.parts and not {1, 3, 6, 12, 13} & bounds.parts


def test_unbreakable_text_wider_than_the_line_is_still_set_whole():
    lines = head("eFinancialCareers", 4)
    assert "".join(lines) == "eFinancialCareers"
